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


# --- tone-mark convention -----------------------------------------------------------------------------------------
# Vietnamese places the tone mark of an open syllable ending in "oa", "oe" or "uy" on either vowel: GSO (and the
# names of the provinces as GSO publishes them) writes "Hòa Bình", "Khánh Hòa", "Thanh Hóa", "Thủy" (the mark on
# the first vowel); the other convention writes "Hoà", "Hoá", "Thuỷ". "Qu" + "y" is a consonant and a vowel, so
# "Quý" is the same in both.
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")  # grave, acute, tilde, hook above, dot below
_MOVABLE = {("o", "a"), ("o", "e"), ("u", "y")}
_WORD = re.compile(r"\w+")


def _graphemes(word: str) -> list[list[str]]:
    out: list[list[str]] = []
    for ch in unicodedata.normalize("NFD", word):
        if unicodedata.category(ch) == "Mn" and out:
            out[-1].append(ch)
        else:
            out.append([ch])
    return out


def _gso_word(word: str) -> str:
    g = _graphemes(word)
    if len(g) < 2:
        return word
    last, before = g[-1], g[-2]
    if (before[0].lower(), last[0].lower()) not in _MOVABLE or len(before) > 1:
        return word
    if len(g) >= 3 and before[0].lower() == "u" and g[-3][0].lower() == "q":
        return word
    tone = [m for m in last[1:] if m in _TONE_MARKS]
    if len(tone) != 1 or len(last) != 2:
        return word
    g[-1] = [last[0]]
    g[-2] = [before[0], tone[0]]
    return unicodedata.normalize("NFC", "".join("".join(x) for x in g))


def gso_tone_marks(text: str) -> str:
    """``text`` in NFC with GSO's tone-mark convention: "Hoà Bình" → "Hòa Bình", "Thanh Hoá" → "Thanh Hóa",
    "Thuỷ" → "Thủy" (the mark of an open "oa"/"oe"/"uy" syllable on its first vowel); "Quý", "Hoàng", "Khuyến"
    are unchanged. Only the placement of the mark changes, so :func:`fold` gives the same key before and after."""
    return _WORD.sub(lambda m: _gso_word(m.group(0)), nfc(text))


def other_tone_convention(text: str) -> list[str]:
    """The words of ``text`` written in the convention GSO does not use ("Hoà", "Thuỷ"); empty when none."""
    return [w for w in _WORD.findall(nfc(text)) if _gso_word(w) != w]
