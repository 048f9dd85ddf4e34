"""Numbers and units as Vietnamese tables write them.

:func:`parse_number` reads one cell ("50,79", "hơn 73.000 tỷ đồng", "1,234.5",
"..") into a :class:`ParsedNumber`; :func:`normalize_unit` turns a unit text
("tỷ đồng", "triệu đồng/người/năm", "%") into the project's English unit name;
:func:`convert` rescales a value between two units of the same kind.

Separator rules (deterministic; the same text always reads the same way):

* Both ``.`` and ``,`` in the number: the one written last is the decimal
  separator, the other groups thousands ("1.234.567,8" = 1234567.8,
  "1,234.5" = 1234.5).
* One separator written several times: thousands grouping ("1.234.567",
  "1,234,567"); every group after the first must have exactly three digits.
* One separator written once: it is a decimal separator unless the text
  *could* be thousands grouping, i.e. one to three digits (not a lone "0")
  before it and exactly three after ("50,79", "40.0", "0,125" and "1234,5" are
  decimals). Only those ambiguous texts ("73.000", "1,234") depend on the
  *convention*: ``decimal=","`` (Vietnamese, the default) reads "73.000" as
  73000 and "1,234" as 1.234; ``decimal="."`` (English) reads "73.000" as 73
  and "1,234" as 1234. :func:`ntm_analysis.intake.read_table` picks the
  convention per column from the column's unambiguous cells.
* Spaces (also no-break spaces) may group thousands: "73 000".
* Missing: empty, ".", "..", "...", "…", "-", "–", "—", "n/a", "na", "nan",
  "none", "null", "#n/a", "x", "không có" → value NA with ``missing=True``.
* Lower bound: "hơn", "trên", "ít nhất", "over", "more than", "at least",
  ">", "≥", ">=" before the number, or "trở lên" / "+" after it.
* Upper bound: "dưới", "không quá", "tối đa", "under", "below", "less than",
  "at most", "<", "≤", "<=" before the number.
* Approximate: "khoảng", "gần", "xấp xỉ", "chừng", "ước", "~", "≈",
  "about", "around", "approximately", "nearly", "almost" before the number.

The qualifier words as written are kept (``ParsedNumber.qualifier_text``) and
:attr:`ParsedNumber.qualifier` names the kind ("exact", "lower_bound",
"upper_bound", "approximate"), the vocabulary of the shipped data's
``qualifier`` column.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal

from ntm_analysis.text import fold, nfc

__all__ = ["ParsedNumber", "NumberFormatError", "parse_number", "normalize_unit", "convert",
           "UnitConversionError", "unit_info", "MISSING_TOKENS"]

MISSING_TOKENS = frozenset({"", ".", "..", "...", "…", "-", "–", "—", "n/a", "na", "nan", "none", "null",
                            "#n/a", "x", "khong co", "kxd"})

_LOWER = ("more than", "at least", "it nhat", "hon", "tren", "over", ">=", "≥", ">")
_UPPER = ("less than", "at most", "khong qua", "toi da", "duoi", "under", "below", "<=", "≤", "<")
_APPROX = ("approximately", "xap xi", "khoang", "chung", "around", "nearly", "almost", "about", "gan",
           "uoc tinh", "uoc", "~", "≈")

_NUMBER = re.compile(r"^([+\-−]?)\s*(\d[\d., \u00a0\u202f]*\d|\d)(.*)$", re.S)
_PLAIN_NUMBER = re.compile(r"([\-−]?)(\d[\d.,]*\d|\d)")
_SPACE_GROUPS = re.compile(r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?")
_SPACES = re.compile(r"[ \u00a0\u202f]")
_DIGITS = re.compile(r"\d+(\.\d+)?")


class NumberFormatError(ValueError):
    """A text that is not a number in any accepted form; the message says why."""


class UnitConversionError(ValueError):
    """Two units that cannot be converted into each other."""


@dataclass(frozen=True)
class ParsedNumber:
    """One parsed cell.

    ``value`` is a float (NaN when missing); ``unit`` the unit written after the
    number, normalised by :func:`normalize_unit` (``None`` when none was written);
    ``ambiguous`` is True when the reading depended on the decimal convention
    ("73.000", "1,234").
    """

    value: float
    lower_bound: bool = False
    approximate: bool = False
    unit: str | None = None
    missing: bool = False
    ambiguous: bool = False
    upper_bound: bool = False
    qualifier_text: str = ""

    @property
    def qualifier(self) -> str:
        """"lower_bound", "upper_bound", "approximate" or "exact" (a bound wins over "approximate")."""
        if self.lower_bound:
            return "lower_bound"
        if self.upper_bound:
            return "upper_bound"
        return "approximate" if self.approximate else "exact"


def _fold_chars(text: str) -> str:
    """Per-character lower-case ASCII folding that keeps the length (and symbols) of ``text``."""
    out = []
    for ch in text:
        f = fold(ch) if ch.isalpha() else ""
        out.append(f if len(f) == 1 else ch.lower())
    return "".join(out)


def _take_qualifier(raw: str, words: tuple[str, ...]) -> tuple[str, str]:
    """Remove a leading qualifier word ("hơn", "khoảng", ">") from ``raw``: (the word as written or "", the rest)."""
    f = _fold_chars(raw)
    for w in words:
        if f.startswith(w):
            end = len(w)
            if w[-1].isalpha() and end < len(f) and f[end].isalpha():
                continue  # a longer word that merely starts like the qualifier
            return raw[:end], raw[end:].lstrip()
    return "", raw


def _digits_value(body: str, decimal: str | None) -> tuple[Decimal, bool]:
    """Read the digit-and-separator part; returns (value, ambiguous)."""
    body = _SPACES.sub("", body)
    dots, commas = body.count("."), body.count(",")
    ambiguous = False
    if dots and commas:
        dec = "." if body.rfind(".") > body.rfind(",") else ","
        thou = "," if dec == "." else "."
        if body.count(dec) != 1:
            raise NumberFormatError(f"{dec!r} written twice next to {thou!r}")
        int_part, frac = body.split(dec)
        _check_groups(int_part, thou)
        digits = int_part.replace(thou, "") + "." + frac
    elif dots + commas == 0:
        digits = body
    else:
        sep = "." if dots else ","
        parts = body.split(sep)
        if len(parts) > 2:
            _check_groups(body, sep)
            digits = body.replace(sep, "")
        else:
            left, right = parts
            could_group = 1 <= len(left) <= 3 and left != "0" and len(right) == 3
            if could_group:
                ambiguous = True
                conv = decimal or ","
                digits = left + ("." if sep == conv else "") + right
            else:
                digits = left + "." + right
    if not _DIGITS.fullmatch(digits):
        raise NumberFormatError("separators in unexpected places")
    return Decimal(digits), ambiguous


def _check_groups(text: str, sep: str) -> None:
    groups = text.split(sep)
    if not (1 <= len(groups[0]) <= 3) or (groups[0] == "0" and len(groups) > 1) \
            or any(len(g) != 3 for g in groups[1:]):
        raise NumberFormatError(f"{sep!r} used as thousands separator but the digit groups are not of three")


def decimal_evidence(text: object) -> str | None:
    """Which decimal separator an unambiguous cell implies: ``","``, ``"."`` or ``None``.

    "50,79" and "1.234.567" imply ``","`` (Vietnamese); "40.0", "1,234,567" and
    "1,234.5" imply ``"."``; "73.000", "1,234", "2010" and non-numbers imply nothing.
    """
    if not isinstance(text, str):
        return None
    m = re.search(r"\d[\d.,]*\d", text)
    if not m:
        return None
    body = m.group(0)
    dots, commas = body.count("."), body.count(",")
    if dots and commas:
        return "." if body.rfind(".") > body.rfind(",") else ","
    if dots + commas == 0:
        return None
    sep = "." if dots else ","
    other = "," if sep == "." else "."
    parts = body.split(sep)
    if len(parts) > 2:
        return other  # repeated separator = thousands, so the decimal separator is the other one
    left, right = parts
    if 1 <= len(left) <= 3 and left != "0" and len(right) == 3:
        return None
    return sep


def parse_number(text: object, decimal: str | None = None) -> ParsedNumber:
    """Parse one cell written the Vietnamese or the English way.

    ``text`` may be a string or a number (numbers pass through). ``decimal``
    (``","`` or ``"."``) is the convention used for ambiguous texts such as
    "73.000"; ``None`` means Vietnamese (``","``). Raises
    :class:`NumberFormatError` for text that is not a number; trailing text is
    returned as ``unit`` (normalised when recognised, else as written).

    >>> p = parse_number("hơn 73.000 tỷ đồng")
    >>> p.value, p.qualifier, p.qualifier_text, p.unit, p.ambiguous
    (73000.0, 'lower_bound', 'hơn', 'billion VND', True)
    """
    if decimal not in (None, ",", "."):
        raise ValueError(f"decimal must be ',' or '.', got {decimal!r}")
    if isinstance(text, bool):
        raise NumberFormatError(f"{text!r} is a truth value, not a number")
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        v = float(text)
        if math.isnan(v):
            return ParsedNumber(math.nan, missing=True)
        if math.isinf(v):
            raise NumberFormatError(f"{text!r} is too large to be a figure")
        return ParsedNumber(v)
    if text is None:
        return ParsedNumber(math.nan, missing=True)
    raw = nfc(str(text)).strip()
    foreign = non_ascii_digits(raw)
    if foreign:
        raise NumberFormatError(f"digits other than 0–9 ({foreign}); write the number with the digits 0–9")
    plain = _PLAIN_NUMBER.fullmatch(raw)
    if plain:  # fast path: digits and separators only, no qualifier or unit
        value, ambiguous = _digits_value(plain.group(2), decimal)
        return ParsedNumber(_finite(-value if plain.group(1) else value), ambiguous=ambiguous)
    f = re.sub(r"\s+", " ", _fold_chars(raw))
    if f in MISSING_TOKENS:
        return ParsedNumber(math.nan, missing=True)
    lower = upper = approx = False
    written: list[str] = []
    changed = True
    while changed:
        hit_l, raw = _take_qualifier(raw, _LOWER)
        hit_u, raw = _take_qualifier(raw, _UPPER)
        hit_a, raw = _take_qualifier(raw, _APPROX)
        written += [w for w in (hit_l, hit_u, hit_a) if w]
        lower, upper, approx = lower or bool(hit_l), upper or bool(hit_u), approx or bool(hit_a)
        changed = bool(hit_l or hit_u or hit_a)
    if lower and upper:
        raise NumberFormatError(f"both a lower and an upper bound in {str(text)!r}")
    m = _NUMBER.match(raw)
    if not m:
        raise NumberFormatError(f"no number in {str(text)!r}")
    sign, body, rest = m.groups()
    if re.search(r"[ \u00a0\u202f]", body) and not _SPACE_GROUPS.fullmatch(body):
        # Spaces group thousands only in the "73 000" pattern; otherwise the number ends at the first space.
        keep = re.match(r"[\d.,]*\d", body).group(0)
        body, rest = keep, body[len(keep):] + rest
    value, ambiguous = _digits_value(body, decimal)
    if sign in ("-", "−"):
        value = -value
    unit_text = rest.strip()
    if unit_text.endswith("+"):
        lower, unit_text = True, unit_text[:-1].strip()
        written.append("+")
    elif fold(unit_text) == "tro len" or fold(unit_text).endswith(" tro len"):
        written.append(" ".join(unit_text.split()[-2:]))
        lower, unit_text = True, " ".join(unit_text.split()[:-2])
    if lower and upper:
        raise NumberFormatError(f"both a lower and an upper bound in {str(text)!r}")
    unit = normalize_unit(unit_text) if unit_text else None
    return ParsedNumber(_finite(value), lower, approx, unit, False, ambiguous, upper, " ".join(written))


def _finite(value: Decimal) -> float:
    """``value`` as a float; a number beyond the float range (400 nines) is an error, never ``inf``."""
    v = float(value)
    if math.isinf(v):
        digits = len(value.as_tuple().digits)
        raise NumberFormatError(f"a number of {digits:,} digits is too large to be a figure")
    return v


def non_ascii_digits(text: str) -> str:
    """The digits of ``text`` other than 0–9 (superscripts ²⁰, Arabic-Indic ٢٠, full-width ２０ …), as written, or
    "" when there are none."""
    if text.isascii():
        return ""
    return "".join(dict.fromkeys(ch for ch in text if not ch.isascii() and (ch.isdigit() or ch.isnumeric())))


# ---------------------------------------------------------------------------
# Units
# ---------------------------------------------------------------------------

_SCALE = {"nghin": 10**3, "ngan": 10**3, "thousand": 10**3, "k": 10**3,
          "trieu": 10**6, "million": 10**6, "ty": 10**9, "ti": 10**9, "billion": 10**9, "trillion": 10**12}
_CURRENCY = {"dong", "vnd", "d", "vnđ"}
_PERSON = {"nguoi", "person", "capita", "dau", "head"}
_PERIOD = {"nam": "year", "year": "year", "thang": "month", "month": "month"}
_FILLER = {"per", "a", "moi", "binh", "quan"}
_MONEY_NAMES = {1: "VND", 10**3: "thousand VND", 10**6: "million VND", 10**9: "billion VND",
                10**12: "trillion VND"}
_PERSON_NAMES = {1: "persons", 10**3: "thousand persons", 10**6: "million persons"}
_PLAIN = {"xa": "communes", "communes": "communes", "commune": "communes",
          "huyen": "districts", "districts": "districts", "ho": "households", "households": "households",
          "tinh": "provinces", "provinces": "provinces"}


@dataclass(frozen=True)
class UnitInfo:
    """A recognised unit: dimension ("VND", "persons", "%", …), scale factor and "per" part."""

    dimension: str
    factor: int = 1
    per: str = ""  # "", "/person", "/person/year", "/person/month", "/year", "/month"

    @property
    def name(self) -> str:
        if self.dimension == "VND":
            return _MONEY_NAMES[self.factor] + self.per
        if self.dimension == "persons":
            return _PERSON_NAMES[self.factor] + self.per
        return self.dimension + self.per


def unit_info(text: str | None) -> UnitInfo | None:
    """Parse a unit text; ``None`` when it is not a recognised unit (or blank)."""
    if text is None:
        return None
    raw = nfc(str(text)).strip()
    if not raw:
        return None
    if raw in ("%", "% hộ", "phần trăm", "percent", "per cent", "pct"):
        return UnitInfo("%")
    words = fold(raw).split()
    if not words:
        return None
    if words in (["phan", "tram"], ["percent"], ["per", "cent"]):
        return UnitInfo("%")
    if len(words) == 1 and words[0] in _PLAIN:
        return UnitInfo(_PLAIN[words[0]])
    factor, money, person, period, people = 1, False, False, "", False
    seen_scale = False
    for w in words:
        if w in _SCALE:
            factor *= _SCALE[w]
            seen_scale = True
        elif w in _CURRENCY:
            money = True
        elif w in _PERSON or w in ("persons", "people"):
            if w in ("persons", "people"):
                people = True
            person = True
        elif w in _PERIOD:
            period = _PERIOD[w]
        elif w in _FILLER:
            continue
        else:
            return None
    if money or (seen_scale and not person and not people):
        if factor not in _MONEY_NAMES:
            return None
        per = ("/person" if person else "") + (f"/{period}" if period else "")
        return UnitInfo("VND", factor, per)
    if person and not period and factor in _PERSON_NAMES:
        return UnitInfo("persons", factor)
    return None


def normalize_unit(text: str | None) -> str | None:
    """The project's name for a unit text ("tỷ đồng" → "billion VND"; "(%)" → "%").

    Blank → ``None``; an unrecognised unit comes back as written (NFC, stripped),
    so it can still be reported and compared.
    """
    if text is None:
        return None
    raw = nfc(str(text)).strip().strip("()[]").strip()
    if not raw:
        return None
    info = unit_info(raw)
    return info.name if info else raw


def convert(value: float, from_unit: str | None, to_unit: str | None) -> float:
    """Rescale ``value`` from one unit to another of the same kind, exactly in decimal.

    A ``from_unit`` without a "per" part (a cell saying "5,2 tỷ đồng") takes the
    target's "per" part ("billion VND/person/year" columns). Raises
    :class:`UnitConversionError` when the units differ in kind.
    """
    if from_unit == to_unit or math.isnan(value):
        return value
    a, b = unit_info(from_unit), unit_info(to_unit)
    if a is None or b is None:
        bad = from_unit if a is None else to_unit
        raise UnitConversionError(f"{bad!r} is not a unit this reader can convert")
    if a.dimension != b.dimension or (a.per and a.per != b.per):
        raise UnitConversionError(f"{a.name} cannot be converted to {b.name}")
    if a.factor == b.factor:
        return value
    return float(Decimal(repr(value)) * Decimal(a.factor) / Decimal(b.factor))
