"""Vietnamese text helpers: accent folding, slugs and look-up keys.

Vietnamese has one letter that Unicode decomposition does not reduce to ASCII:
``đ``/``Đ`` (U+0111/U+0110) is a letter of its own, not ``d`` plus a mark.
Everything here treats it explicitly, so "Đắk Lắk" folds to "dak lak" and
slugs to "dak-lak".
"""
from __future__ import annotations

import re
import unicodedata

_D_TABLE = str.maketrans({"đ": "d", "Đ": "D"})
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case ASCII form of ``text``: diacritics removed, đ → d.

    Punctuation and runs of white space become single spaces, so
    ``fold("  Bà Rịa - Vũng Tàu ")`` is ``"ba ria vung tau"``.
    """
    s = unicodedata.normalize("NFD", str(text).translate(_D_TABLE))
    s = "".join(ch for ch in s if unicodedata.category(ch) != "Mn")
    s = unicodedata.normalize("NFC", s).lower()
    return _NON_ALNUM.sub(" ", s).strip()


def slugify(text: str) -> str:
    """ASCII slug: ``"Đắk Lắk"`` → ``"dak-lak"``, ``"Bà Rịa - Vũng Tàu"`` → ``"ba-ria-vung-tau"``."""
    return fold(text).replace(" ", "-")


def compact(text: str) -> str:
    """Folded text with all spaces removed: run-together forms ("Daklak") match spaced ones."""
    return fold(text).replace(" ", "")


def nfc(text: str) -> str:
    """Unicode NFC form (one code point per accented letter), the form stored in ``data/``."""
    return unicodedata.normalize("NFC", str(text))
