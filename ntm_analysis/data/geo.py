"""Provinces of Vietnam in two geography vintages, and look-up by any spelling.

* ``vintage=2008``: the 63 provinces in force from 1 August 2008 (Hà Tây merged
  into Hà Nội) to 30 June 2025. All historical statistics use this geography.
* ``vintage=2025``: the 34 provinces in force from 1 July 2025 (Resolution
  202/2025/QH15 of 12 June 2025), each formed from one or more old provinces.

Codes are GSO two-digit codes kept as zero-padded strings ("01" … "96"). The
same code can name different provinces in the two vintages (code "15" is Yên
Bái in 2008 and the new Lào Cai in 2025), so every look-up names its vintage.

The registry is read from ``data/raw/provinces_63_master.csv`` and
``data/raw/admin_mapping_63_to_34_provinces_2025.csv``. Those files stay byte-identical to their
sources; two things are done at load, and only to the names:

* **one tone-mark convention, GSO's** ("Hòa Bình", "Khánh Hòa", "Thanh Hóa", "Thủy"):
  the files write "Hoà Bình" beside "Khánh Hòa", so every name goes through
  :func:`ntm_analysis.text.gso_tone_marks`. Look-ups fold accents away, so "Hoà Bình" still finds 17.
* **names as they were in the geography shown** (:data:`NAMES_2008`): the master file gives code 46
  the name of the 2025 city, Thành phố Huế; in the 2008 geography, and in every statistic published
  for it, it is Tỉnh Thừa Thiên Huế.
"""
from __future__ import annotations

import difflib
import numbers
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ntm_analysis import paths
from ntm_analysis.data.names import MAX_NAME_LENGTH, comparable_text, shown
from ntm_analysis.text import fold, gso_tone_marks, nfc, slugify

VINTAGES = (2008, 2025)

#: The six GSO statistical regions, in GSO's order, with Vietnamese names.
REGIONS = {
    "Red River Delta": "Đồng bằng sông Hồng",
    "Northern midlands and mountain areas": "Trung du và miền núi phía Bắc",
    "North Central and Central coastal areas": "Bắc Trung Bộ và duyên hải miền Trung",
    "Central Highlands": "Tây Nguyên",
    "South East": "Đông Nam Bộ",
    "Mekong River Delta": "Đồng bằng sông Cửu Long",
}

# Words that may precede a province name and carry no identity.
_PREFIXES = ("thanh pho ", "tinh ", "tp ", "t p ", "province of ", "city of ")
_SUFFIXES = (" province", " city")

# Spellings that folding alone does not reach: {folded variant: (vintage, code)}.
# Variants valid in both vintages use vintage None.
_ALIASES: dict[str, tuple[int | None, str]] = {
    # Hồ Chí Minh City: same code in both vintages
    "hcm": (None, "79"), "hcmc": (None, "79"), "tphcm": (None, "79"), "tp hcm": (None, "79"),
    "ho chi minh city": (None, "79"), "sai gon": (None, "79"), "saigon": (None, "79"),
    "ho chi minh": (None, "79"),
    # Huế: Tỉnh Thừa Thiên Huế became Thành phố Huế on 1 January 2025
    "thua thien hue": (None, "46"), "thua thien": (None, "46"), "hue": (None, "46"),
    # Old romanisations of the Central Highlands names
    "dac lac": (None, "66"), "daclac": (None, "66"), "daklak": (None, "66"), "dak lac": (None, "66"),
    "dac nong": (2008, "67"), "daknong": (2008, "67"),
    "brvt": (2008, "77"), "ba ria": (2008, "77"), "vung tau": (2008, "77"),
    "hn": (None, "01"), "hanoi": (None, "01"),
}

#: 2008-geography names that differ from the master file's, {code: (official name, short name)}. The master
#: file lists code 46 under its name as a centrally governed city, Thành phố Huế (Resolution 1314/NQ-UBTVQH15,
#: in force 1 January 2025, and so in the 2025 geography); every statistic of the 63-province geography (to
#: 2024) was published for Tỉnh Thừa Thiên Huế.
NAMES_2008 = {"46": ("Tỉnh Thừa Thiên Huế", "Thừa Thiên Huế")}

# Provinces that no longer existed in 2008, so a look-up can say where they went.
_DISSOLVED_BEFORE_2008 = {"ha tay": "Hà Tây was merged into Hà Nội (01) on 1 August 2008."}


class ProvinceNotFound(LookupError):
    """Raised when a text matches no province; ``suggestions`` lists the closest names."""

    def __init__(self, text: object, vintage: int, suggestions: list[str], hint: str = ""):
        self.text, self.vintage, self.suggestions, self.hint = text, vintage, suggestions, hint
        msg = f"no province of the {vintage} geography matches {shown(text)}."
        if hint:
            msg += " " + hint
        if suggestions:
            msg += " Closest matches: " + ", ".join(suggestions) + "."
        super().__init__(msg)


@dataclass(frozen=True)
class Province:
    """One province of one geography vintage.

    ``constituents`` are the 2008-vintage codes the province covers (its own
    code for a 2008 province); ``successor`` is the 2025 code a 2008 province
    became part of (``None`` for 2025 provinces).
    """

    code: str
    name: str  # official Vietnamese name, e.g. "Tỉnh Đắk Lắk"
    name_short: str  # e.g. "Đắk Lắk"
    name_en: str
    slug: str
    region: str
    vintage: int
    constituents: tuple[str, ...] = field(default=())
    successor: str | None = None

    @property
    def region_vi(self) -> str:
        return REGIONS[self.region]

    def __str__(self) -> str:
        return f"{self.name_short} ({self.code}, {self.vintage} geography)"


def _read_csv(name: str) -> list[dict[str, str]]:
    # checksum and strict parsing, as every raw file; without pandas (a render worker looks provinces up)
    from ntm_analysis.data import cache, strict_csv  # noqa: PLC0415

    path: Path = paths.raw_dir() / name
    cache.verify([f"raw/{name}"])
    return [{k: nfc(v) for k, v in row.items()} for row in strict_csv.read_records(path)]


def _name(text: str) -> str:
    """A province name as shown and stored: NFC, GSO's tone-mark convention."""
    return gso_tone_marks(text)


_CITIES_2025 = {"01", "31", "46", "48", "79", "92"}


def _english(short: str) -> str:
    if short == "Hồ Chí Minh":
        return "Ho Chi Minh City"
    return " ".join(w.capitalize() for w in fold(short).split())


@lru_cache(maxsize=1)
def _registry() -> dict[int, dict[str, Province]]:
    master = _read_csv("provinces_63_master.csv")
    old: dict[str, Province] = {}
    for r in master:
        en = r["province_name_gso_en"].replace("Ho Chi Minh city", "Ho Chi Minh City")
        official, short = NAMES_2008.get(r["province_code"],
                                         (r["province_name_vi_official"], r["province_name_vi_short"]))
        official, short = _name(official), _name(short)
        old[r["province_code"]] = Province(
            code=r["province_code"], name=official, name_short=short, name_en=en, slug=slugify(short), region=r["region_gso_6"], vintage=2008,
            constituents=(r["province_code"],), successor=r["new_province_code_2025"])
    groups: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for r in _read_csv("admin_mapping_63_to_34_provinces_2025.csv"):
        groups.setdefault(r["new_province_code"], []).append(r["old_province_code"])
        names[r["new_province_code"]] = _name(r["new_province_name_vi"])
    new: dict[str, Province] = {}
    for code, members in sorted(groups.items()):
        short = names[code].removeprefix("Thành phố ").removeprefix("Tỉnh ")
        official = ("Thành phố " if code in _CITIES_2025 else "Tỉnh ") + short
        # The region of the old province whose name the new one kept (not an official 2025 grouping).
        keeper = next((old[m] for m in members if old[m].name_short == short), old[members[0]])
        new[code] = Province(code=code, name=official, name_short=short, name_en=_english(short),
                             slug=slugify(short), region=keeper.region, vintage=2025,
                             constituents=tuple(sorted(members)))
    if len(old) != 63 or len(new) != 34:
        raise ValueError(f"province registry is incomplete: {len(old)} provinces of 2008 (expected 63), "
                         f"{len(new)} of 2025 (expected 34); check data/raw/provinces_63_master.csv "
                         "and data/raw/admin_mapping_63_to_34_provinces_2025.csv")
    return {2008: old, 2025: new}


def _keys(p: Province) -> set[str]:
    out = set()
    for text in (p.name, p.name_short, p.name_en, p.slug):
        f = _strip_affixes(fold(text))
        out.update({f, f.replace(" ", "")})
    return out


def _strip_affixes(f: str) -> str:
    changed = True
    while changed:
        changed = False
        for pre in _PREFIXES:
            if f.startswith(pre) and len(f) > len(pre):
                f, changed = f[len(pre):], True
        for suf in _SUFFIXES:
            if f.endswith(suf) and len(f) > len(suf):
                f, changed = f[: -len(suf)], True
    return f


#: The file each vintage's names are read from, and the column holding the province code.
_NAME_FILES = {2008: ("provinces_63_master.csv", "province_code"),
               2025: ("admin_mapping_63_to_34_provinces_2025.csv", "new_province_code")}


def _row_of(vintage: int, code: str, name: str) -> str:
    """Where the province ``code`` of ``vintage`` is in its file, with its name as the file writes it (before the
    tone marks are made GSO's): ``"<file> row <n> (<code>, '<name>')"`` (the header is row 1)."""
    file, column = _NAME_FILES[vintage]
    rows = [(i, r) for i, r in enumerate(_read_csv(file), start=2) if r[column] == code]
    if not rows:
        return f"{file} row ? ({code}, {name!r})"
    i, row = rows[0]
    written = next((v for v in row.values() if isinstance(v, str) and v != name and _name(v) == name), name)
    return f"{file} row {i} ({code}, {written!r})"


@lru_cache(maxsize=2)
def _index(vintage: int) -> dict[str, str]:
    """Every look-up key of the ``vintage``'s provinces → code. Two provinces whose names fold to one key ("Hòa
    Bình" and "Hoà Bình", "Dak Nong" and "Đắk Nông") cannot be told apart: a ``ValueError`` names both rows."""
    reg = provinces_by_code(vintage)
    idx: dict[str, str] = {}
    for p in reg.values():
        for k in sorted(_keys(p)):  # in order, so the message names the same spelling every time
            other = idx.get(k)
            if other is not None and other != p.code:
                q = reg[other]
                raise ValueError(
                    f"province registry ({vintage} geography): {_row_of(vintage, q.code, q.name_short)} and "
                    f"{_row_of(vintage, p.code, p.name_short)} have names "
                    f"that fold to the same spelling {k!r}, so a look-up cannot tell them apart; expected every "
                    "province's name to be distinct once accents, case and spacing are ignored")
            idx[k] = p.code
    for alias, (v, code) in _ALIASES.items():
        if (v is None or v == vintage) and code in reg:
            idx[alias] = code
            idx[alias.replace(" ", "")] = code
    return idx


def _check_vintage(vintage: int) -> int:
    try:
        v = int(vintage)
    except (TypeError, ValueError):
        v = -1
    if v not in VINTAGES:
        raise ValueError(f"vintage must be 2008 (63 provinces) or 2025 (34 provinces), got {shown(vintage)}")
    return v


def provinces_by_code(vintage: int = 2008) -> dict[str, Province]:
    """All provinces of a vintage, keyed by code, in code order."""
    return dict(_registry()[_check_vintage(vintage)])


def provinces(vintage: int = 2008) -> list[Province]:
    """All provinces of a vintage, in code order."""
    return list(provinces_by_code(vintage).values())


def lookup_province(text: object, vintage: int = 2008) -> Province:
    """Find a province from any spelling of its name or its code.

    Accepts Vietnamese with or without diacritics, any case and spacing,
    "Tỉnh"/"Thành phố"/"TP." prefixes, slugs ("dak-nong"), GSO English names,
    run-together forms ("Daklak"), common variants ("HCMC", "TP HCM",
    "Thừa Thiên Huế") and codes ("01" or 1). Raises :class:`ProvinceNotFound`
    listing the closest matches when nothing fits (none for a text over
    :data:`~ntm_analysis.data.names.MAX_NAME_LENGTH` characters; a code in other
    digits than 0–9, or of more than two digits, is no code), and ``TypeError``
    for anything but a name, a code or a :class:`Province`. A registry in which
    two provinces' names fold to one spelling raises ``ValueError`` naming both.

    >>> lookup_province("dak-nong").name
    'Tỉnh Đắk Nông'
    """
    vintage = _check_vintage(vintage)
    reg = provinces_by_code(vintage)
    idx = _index(vintage)  # first, so a registry whose names clash is refused whatever is looked up
    if isinstance(text, Province):
        if text.vintage == vintage:
            return text
        text = text.name_short
    if isinstance(text, bool) or not isinstance(text, (str, numbers.Real)):
        raise TypeError(f"lookup_province: expected a province name (str) or code (int), got "
                        f"{type(text).__name__} {shown(text)}")
    if isinstance(text, numbers.Integral) or (isinstance(text, numbers.Real) and float(text).is_integer()):
        number = int(text)
        if not 0 <= number < 100:
            raise ProvinceNotFound(text, vintage, [], "A province code is a number from 1 to 99.")
        text = f"{number:02d}"
    raw = str(text).strip()
    if raw.isdigit():
        if not raw.isascii():
            raise ProvinceNotFound(text, vintage, [], "A province code is written with the digits 0–9 (e.g. '10'); "
                                   "these are other digits (superscripts or another script).")
        if len(raw.lstrip("0")) > 2:
            raise ProvinceNotFound(text, vintage, [], "A province code has at most two digits.")
        code = f"{int(raw):02d}"
        if code in reg:
            return reg[code]
        raise ProvinceNotFound(text, vintage, [], f"{code} is not a province code of the {vintage} geography.")
    if len(raw) > MAX_NAME_LENGTH:
        raise ProvinceNotFound(text, vintage, [], f"A text of {len(raw):,} characters is too long to be a province "
                               f"name (names over {MAX_NAME_LENGTH} characters are not compared).")
    f = _strip_affixes(fold(raw))
    for key in (f, f.replace(" ", "")):
        if key in idx:
            return reg[idx[key]]
    hint = ""
    if vintage == 2025:
        try:
            old = lookup_province(raw, 2008)
            new = reg[old.successor]
            hint = (f"{old.name_short} ({old.code}) is a province of the 2008 geography; since 1 July 2025 it is "
                    f"part of {new.name_short} ({new.code}).")
        except ProvinceNotFound:
            pass
    for k, msg in _DISSOLVED_BEFORE_2008.items():
        if f.replace(" ", "") == k.replace(" ", ""):
            hint = msg
    raise ProvinceNotFound(text, vintage, suggest(raw, vintage), hint)


def suggest(text: str, vintage: int = 2008, n: int = 3) -> list[str]:
    """The ``n`` province names closest to ``text`` (for error messages); none for a text longer than
    :data:`~ntm_analysis.data.names.MAX_NAME_LENGTH` (difflib's cost grows with the length)."""
    reg = provinces_by_code(vintage)
    idx = _index(vintage)
    text = comparable_text(text)
    if text is None:
        return []
    f = _strip_affixes(fold(text))
    target = f.replace(" ", "")
    # Rank every key by similarity, so even a poor spelling gets the nearest names.
    hits = sorted(idx, key=lambda k: -difflib.SequenceMatcher(None, target, k.replace(" ", "")).ratio())
    out: list[str] = []
    for k in hits:
        p = reg[idx[k]]
        label = f"{p.name_short} ({p.code})"
        if label not in out:
            out.append(label)
    return out[:n]


def crosswalk() -> list[tuple[str, str]]:
    """The 63 → 34 mapping as (2008 code, 2025 code) pairs (Resolution 202/2025/QH15)."""
    return [(p.code, p.successor) for p in provinces(2008)]


def successor(text: object) -> Province:
    """The 2025 province that a 2008 province became part of."""
    old = lookup_province(text, 2008)
    return provinces_by_code(2025)[old.successor]


def constituents(text: object) -> list[Province]:
    """The 2008 provinces a 2025 province was formed from, in code order."""
    new = lookup_province(text, 2025)
    reg = provinces_by_code(2008)
    return [reg[c] for c in new.constituents]
