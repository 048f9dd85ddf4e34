"""One data row's figures: its province (name or code, never a guess among several), its year, a long table's
variable and unit, and each cell's number (with its unit converted to the column's; a percent-formatted XLSX cell
read as the percentage it shows; a qualifier such as "hơn" kept), every failure a problem, every qualifier and
percent reading a note.
"""
from __future__ import annotations

import datetime as _dt
import math
import re
import unicodedata
from functools import lru_cache

import pandas as pd

from ntm_analysis.data import geo
from ntm_analysis.intake.aliases import ROLES, VARIABLES
from ntm_analysis.intake.files import DateText, PercentCell, Uncached, blank, cell_text
from ntm_analysis.intake.header import Column, describe, describe_cached
from ntm_analysis.intake.quantities import (NumberFormatError, ParsedNumber, UnitConversionError, convert,
                                            non_ascii_digits, normalize_unit, parse_number, unit_info)
from ntm_analysis.text import fold, nfc

YEAR_MIN = 1990

EXCEL_ERRORS = frozenset({"#DIV/0!", "#REF!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!",
                           "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"})
_FORMULA_START = ("=", "+", "@", "-", "\t", "\r")


_SIGNED_NUMBER = re.compile(r"[+\-][0-9][0-9.,]*%?")


def looks_like_formula(text: str) -> bool:
    """Text a spreadsheet would run as a formula when the table is opened (CSV/formula injection): anything that
    starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, except a plain signed number ("-5", "+1,5",
    "-3%"). "+1+1", "-A1", "@SUM(A1)" and "=HYPERLINK(…)" are formulas."""
    if not text.startswith(_FORMULA_START):
        return False
    return not (text[0] in "+-" and _SIGNED_NUMBER.fullmatch(text))


_AFFIX = re.compile(r"^(thanh pho|tinh|tp|t p)\s+")


@lru_cache(maxsize=2)
def _name_words(vintage: int) -> list[tuple[tuple[str, ...], object]]:
    return [(tuple(fold(p.name_short).split()), p) for p in geo.provinces(vintage)]


def _ambiguous(text: str, vintage: int) -> list:
    """Provinces a partial name fits ("Hà" → Hà Giang, Hà Nội, Hà Nam, Hà Tĩnh); empty unless two or more fit
    and the text is no province's full name."""
    f = fold(text)
    while _AFFIX.match(f):
        f = _AFFIX.sub("", f, count=1)
    words = tuple(f.split())
    if not words:
        return []
    names = _name_words(vintage)
    if any(words == w for w, _ in names):
        return []
    raw = [w for w in nfc(text).lower().split()]
    marked = [_marks(w) for w in raw] if len(raw) == len(words) else [None] * len(words)

    def fits(name_words, prov) -> bool:
        full = nfc(prov.name_short).lower().split()
        for w, m in zip(words, marked):
            if w not in name_words:
                return False
            if m:  # a word written with diacritics must match them, wherever the tone mark sits
                if not any(fold(x) == w and _marks(x) == m for x in full):
                    return False
        return True

    hits = [p for w, p in names if fits(w, p)]
    return hits if len(hits) >= 2 else []


@lru_cache(maxsize=2)
def _run_together(vintage: int) -> dict:
    """Run-together spellings of full names ("hatinh" → Hà Tĩnh) that geo.lookup_province misses when a name
    ends in a word it strips as an affix ("Hà Tĩnh": " tinh")."""
    out = {}
    for p in geo.provinces(vintage):
        for name in (p.name_short, p.name, p.name_en):
            out.setdefault(fold(name).replace(" ", ""), p)
    return out


def _marks(word: str) -> tuple[str, ...]:
    """The combining marks of a word (diacritics and tone marks), in sorted order; đ counts as a mark."""
    nfd = unicodedata.normalize("NFD", word)
    return tuple(sorted([c for c in nfd if unicodedata.combining(c)] + ["đ"] * word.count("đ")))


def resolve_province(out, recs, rownum, prov_col, code_col, name_cell, code_cell, vintage, cache) -> None:
    name_text = "" if blank(name_cell) else cell_text(name_cell)
    code_text = "" if blank(code_cell) else cell_text(code_cell)
    for rec in recs:
        rec["province_input"] = name_text or code_text or pd.NA
        rec["province_code"] = pd.NA
        rec["province_name"] = pd.NA
    if not name_text and not code_text:
        col = (prov_col or code_col).header
        out.add(recs, rownum, col, "", "province is empty", "a province name or code")
        return
    found = {}
    for text, col in ((name_text, prov_col), (code_text, code_col)):
        if not text:
            continue
        odd = non_ascii_digits(text)
        if odd or len(text) > MAX_PROVINCE_CHARS:
            what = (f"written with digits other than 0–9 ({odd[:10]})" if odd
                    else f"{len(text):,} characters long, too long for a province name or code")
            out.add(recs, rownum, col.header, _shown(text), f"province {_shown(text)!r} is {what}",
                    "a province name or a two-digit GSO code written with the digits 0–9")
            continue
        key = (text, col.role)
        if key not in cache:
            cands = _ambiguous(text, vintage) if col.role == "province" else []
            if cands:
                cache[key] = (None, cands)
            else:
                try:
                    cache[key] = (geo.lookup_province(text, vintage), None)
                except geo.ProvinceNotFound as e:
                    alt = _run_together(vintage).get(fold(text).replace(" ", "")) if col.role == "province" else None
                    cache[key] = (alt, None) if alt is not None else (None, e)
        p, err = cache[key]
        if p is None and isinstance(err, list):
            listed = ", ".join(f"{c.name_short} ({c.code})" for c in err)
            out.add(recs, rownum, col.header, text,
                    f"ambiguous province {text!r}: it could be any of {listed}",
                    "one province's full name (the reader never picks one of several)")
        elif p is None:
            sugg = err.suggestions or geo.suggest(text, vintage)
            hint = f" ({err.hint})" if err.hint else ""
            out.add(recs, rownum, col.header, text, f"unknown province {text!r}{hint}",
                    f"a province name or code of the {vintage} geography; closest: {', '.join(sugg) or 'none'}")
        else:
            found[col.role] = p
    if "province" in found and "province_code" in found and found["province"].code != found["province_code"].code:
        a, b = found["province"], found["province_code"]
        out.add(recs, rownum, code_col.header, code_text,
                f"province code {code_text} is {b.name_short} but the name column says {name_text!r} "
                f"({a.name_short}, {a.code})", "a code and a name of the same province")
        return
    p = found.get("province") or found.get("province_code")
    if p is not None:
        for rec in recs:
            rec["province_code"], rec["province_name"] = p.code, p.name_short


#: Longer text in a province or code cell is not looked up (the longest official name has 28 characters).
MAX_PROVINCE_CHARS = 200


def _shown(text: str, limit: int = 60) -> str:
    """``text`` cut for a message (a 5,000-digit cell is named by its start and length)."""
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


_YEAR_MARK = re.compile(r"([0-9]{4})\s*(\*+|\(\*+\)|[†¹²³]|\([0-9]\))")


def resolve_year(out, recs, rownum, year_col, v) -> None:
    if type(v) is str and len(v) == 4 and v.isascii() and v.isdigit() and YEAR_MIN <= int(v) <= _dt.date.today().year + 1:
        for rec in recs:
            rec["year"] = int(v)
        return
    year = None
    text = cell_text(v).strip()
    expected = "a single four-digit year such as 2020"
    if blank(v):
        out.add(recs, rownum, year_col.header, "", "year is empty", expected)
    elif isinstance(v, DateText):
        out.add(recs, rownum, year_col.header, text, f"a date ({text}) in the year column, not a year",
                expected + " (format the cell as a number, not as a date)")
    elif isinstance(v, Uncached):
        out.add(recs, rownum, year_col.header, text, "formula cell saved without its result",
                "a value (open the workbook in Excel or LibreOffice and save it, or paste values)")
    elif isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and float(v).is_integer():
        year = int(v)
    elif non_ascii_digits(text):
        out.add(recs, rownum, year_col.header, text,
                f"year {_shown(text)!r} is written with digits other than 0–9 ({non_ascii_digits(text)[:10]})",
                expected + " written with the digits 0–9")
    elif re.fullmatch(r"[0-9]{4}(\.0+)?", text):
        year = int(float(text))
    elif re.fullmatch(r"[0-9]{4}\s*[-–—/]\s*[0-9]{4}", text):
        out.add(recs, rownum, year_col.header, text, f"{text!r} is a period, not a year",
                expected + " (give a period's figure its end year and say so in a note column)")
    elif _YEAR_MARK.fullmatch(text):
        out.add(recs, rownum, year_col.header, text, f"year {text!r} carries a footnote mark",
                expected + " with the mark's meaning (e.g. 'số liệu sơ bộ', preliminary) in a note column")
    else:
        out.add(recs, rownum, year_col.header, text, f"year {_shown(text)!r} is not a year", expected)
    if year is not None:
        last = _dt.date.today().year + 1
        if not YEAR_MIN <= year <= last:
            out.add(recs, rownum, year_col.header, text, f"implausible year {year}",
                    f"a year between {YEAR_MIN} and {last}")
    for rec in recs:
        rec["year"] = year if year is not None else pd.NA


def resolve_long_variable(out, rec, rownum, var_col, unit_col, var_cell, unit_cell, unknown_vars) -> None:
    text = "" if blank(var_cell) else cell_text(var_cell)
    rec["_kind"] = None
    if not text:
        out.add([rec], rownum, var_col.header, "", "variable is empty",
                "a variable name such as poverty_rate or 'Tỷ lệ hộ nghèo (%)'")
        rec["variable"], unit = pd.NA, None
    else:
        canonical, unit, _, _, name = describe_cached(text)
        if canonical is None or canonical in ROLES:
            message = f"unrecognised variable {text!r}: kept under this name but not checked"
            if text in unknown_vars:
                rec["_problems"].append(message)
                unknown_vars[text][1].append(rownum)
            else:
                unknown_vars[text] = [len(out.problems), [rownum]]
                out.add([rec], rownum, var_col.header, text, message,
                        "a variable from the alias table (ntm_analysis.intake.HEADER_ALIASES)", "warning")
            rec["variable"] = name or text
        else:
            rec["variable"] = canonical
            rec["_kind"] = VARIABLES[canonical].kind
    written = None if blank(unit_cell) else normalize_unit(cell_text(unit_cell))
    if written is not None and _is_per_capita(rec.get("variable")):
        written = describe(f"{rec['variable']} ({cell_text(unit_cell)})")[1]
    rec["unit"] = written if written is not None else unit
    rec["_unit_fixed"] = rec["unit"] is not None


def _is_per_capita(variable: object) -> bool:
    spec = VARIABLES.get(variable) if isinstance(variable, str) else None
    return bool(spec and spec.per_capita)


#: Kinds of a number cell for the percent-format check: formatted as a percentage, or a plain number without a unit.
PERCENT_FORMATTED, PLAIN = 1, 2
_QUALIFIER_WORDS = {"lower_bound": "lower bound", "upper_bound": "upper bound", "approximate": "approximate value"}


def resolve_value(out, rec, rownum, vc: Column, v, convention) -> None:
    decimal, conflict = convention
    rec["value_input"] = v.shown if isinstance(v, PercentCell) else cell_text(v)
    rec["value"], rec["lower_bound"], rec["approximate"], rec["_cell_unit"] = math.nan, False, False, None
    rec["upper_bound"], rec["qualifier"], rec["_fmt"] = False, pd.NA, 0
    number_help = "a number such as 50,79, 73.000 or 1.234,5 (or .., -, empty for a missing value)"
    if isinstance(v, Uncached):
        out.add([rec], rownum, vc.header, rec["value_input"], "formula cell saved without its result",
                "a value (open the workbook in Excel or LibreOffice and save it, or paste values)")
        return
    if isinstance(v, DateText):
        out.add([rec], rownum, vc.header, rec["value_input"], "a date, not a number", number_help)
        return
    if isinstance(v, str) and v.strip().upper() in EXCEL_ERRORS:
        out.add([rec], rownum, vc.header, rec["value_input"],
                f"spreadsheet error value {v.strip()!r} (a formula that failed)", number_help)
        return
    if isinstance(v, PercentCell):
        parsed = ParsedNumber(v.percent, unit="%")
        out.note(rownum, vc.header, v.shown,
                 f"percent-formatted cell: stored {v.stored!r}, shown {v.shown}; read as {v.percent!r} (the "
                 f"percentage shown, in %)")
    else:
        try:
            parsed = parse_number(v, decimal=decimal or ",")
        except NumberFormatError as e:
            out.add([rec], rownum, vc.header, rec["value_input"], f"unparseable number ({e})", number_help)
            return
    rec["lower_bound"], rec["approximate"], rec["upper_bound"] = (parsed.lower_bound, parsed.approximate,
                                                                  parsed.upper_bound)
    if not parsed.missing:
        rec["qualifier"] = parsed.qualifier
        rec["_fmt"] = PERCENT_FORMATTED if isinstance(v, PercentCell) else PLAIN if parsed.unit is None else 0
    if parsed.qualifier != "exact":
        out.note(rownum, vc.header, rec["value_input"],
                 f"{_QUALIFIER_WORDS[parsed.qualifier]} ({parsed.qualifier_text!r}): the number is kept with "
                 f"qualifier={parsed.qualifier} on the row")
    if parsed.ambiguous and conflict:
        out.add([rec], rownum, vc.header, rec["value_input"],
                "ambiguous number: this column (or file) uses both decimal comma and decimal point, so a single "
                "separator before three digits could be either", "73000 or 73.000,0 (Vietnamese) / 73,000.0 (English)")
        return
    value = parsed.value
    if parsed.unit is not None and not math.isnan(value):
        target = rec["unit"]
        if target is None:
            rec["_cell_unit"] = parsed.unit
            if unit_info(parsed.unit) is None:
                out.add([rec], rownum, vc.header, rec["value_input"], f"unrecognised unit {parsed.unit!r} in the cell",
                        "a unit such as %, tỷ đồng, triệu đồng, nghìn tỷ, nghìn người")
            rec["unit"] = parsed.unit
        else:
            try:
                value = convert(value, parsed.unit, target)
            except UnitConversionError as e:
                out.add([rec], rownum, vc.header, rec["value_input"],
                        f"cell unit {parsed.unit!r} cannot be converted to the column's unit {target!r} ({e})",
                        f"a value in {target}")
                return
    rec["value"] = value
