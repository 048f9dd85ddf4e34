"""Total and subtotal rows: a province cell that names the whole country, the whole province, a sum ("Tổng cộng",
"Tổng số", "Cộng", "Cả nước", "Toàn quốc", "Toàn tỉnh") or one of the six GSO regions (and the older region names)
is such a row. :func:`total_label` recognises it (any case, with or without diacritics, with a leading "I." or
"1." numbering and a trailing colon or footnote mark), so the reader sets the row aside with a note instead of
reading it as an unknown province.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ntm_analysis.data import geo
from ntm_analysis.text import fold

#: First words that make a row a sum, whatever follows ("Tổng cộng toàn tỉnh", "Tổng số (63 tỉnh)", "Cộng:").
_SUM_WORDS = ("tong", "cong", "total", "subtotal", "sum")
#: Whole labels (folded) that name the whole country or the whole province.
_WHOLE = {"ca nuoc": "the whole country", "toan quoc": "the whole country", "viet nam": "the whole country",
          "vietnam": "the whole country", "whole country": "the whole country", "national": "the whole country",
          "nationwide": "the whole country", "country": "the whole country", "all provinces": "the whole country",
          "toan tinh": "the whole province", "toan thanh pho": "the whole province",
          "whole province": "the whole province", "toan vung": "a whole region"}
#: Spellings of the regions beyond geo.REGIONS' names (abbreviations, the older eight regions, the three parts).
_REGION_VARIANTS = (
    "dbsh", "dong bang song hong", "red river delta",
    "trung du va mien nui phia bac", "trung du mien nui phia bac", "trung du va mien nui bac bo",
    "trung du mien nui bac bo", "td mnpb", "tdmnpb", "mien nui phia bac", "northern midlands and mountainous areas",
    "northern midlands and mountain areas", "northern mountains", "tay bac", "tay bac bo", "dong bac", "dong bac bo",
    "northwest", "north west", "northeast", "north east",
    "bac trung bo va duyen hai mien trung", "bac trung bo va duyen hai trung bo", "bac trung bo", "btb dhmt",
    "btb va dhmt", "duyen hai mien trung", "duyen hai nam trung bo", "nam trung bo", "north central coast",
    "south central coast", "north central and central coastal areas", "north central area and central coastal area",
    "tay nguyen", "central highlands",
    "dong nam bo", "dnb", "south east", "southeast",
    "dong bang song cuu long", "dbscl", "mekong river delta", "mekong delta",
    "mien bac", "mien trung", "mien nam", "northern region", "central region", "southern region",
)
_PREFIX = re.compile(r"^(?:(?:[ivx]+|[a-e]|\d{1,2})\s+)?(?:vung|khu vuc|region|mien)?\s*")


@lru_cache(maxsize=1)
def _regions() -> frozenset[str]:
    names = {fold(n) for pair in geo.REGIONS.items() for n in pair}
    names |= set(_REGION_VARIANTS)
    return frozenset(names | {n.replace(" ", "") for n in names})


def total_label(text: object) -> str | None:
    """What a total or subtotal row's label stands for ("a total", "the whole country", "a GSO region", …),
    or ``None`` when ``text`` is not such a label (a province, a misspelt province, anything else).

    >>> total_label("Tổng cộng"), total_label("CẢ NƯỚC"), total_label("II. Tây Nguyên"), total_label("Lào Cai")
    ('a total', 'the whole country', 'a region', None)
    """
    if not isinstance(text, str) or not text.strip():
        return None
    return _label(str.__str__(text))


@lru_cache(maxsize=4096)
def _label(text: str) -> str | None:
    f = fold(text)
    if not f:
        return None
    words = f.split()
    if words[0] in _SUM_WORDS or (len(words) > 1 and words[0] in ("sub", "grand") and words[1] == "total"):
        return "a total"
    stripped = _PREFIX.sub("", f, count=1).strip()
    for candidate in (f, stripped):
        if candidate in _WHOLE:
            return _WHOLE[candidate]
        if candidate in _regions() or candidate.replace(" ", "") in _regions():
            return "a region"
    if stripped.split()[:1] and stripped.split()[0] in _SUM_WORDS:
        return "a total"
    return None
