"""A figure's status from the words of a note or status column: "sơ bộ" (preliminary), "ước tính" (estimate),
"chính thức" (final), and their English forms. :func:`status_of` reads one text; the reader sets the row's
``status`` from it and lists it in the check report. A text naming two different statuses is a conflict, never
resolved by a guess.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ntm_analysis.text import fold

#: Statuses a figure can have, in the vocabulary of the frame's ``status`` column.
STATUSES = ("preliminary", "estimate", "final")

_WORDS: tuple[tuple[str, str], ...] = (
    ("so bo", "preliminary"), ("tam tinh", "preliminary"), ("preliminary", "preliminary"),
    ("provisional", "preliminary"),
    ("uoc tinh", "estimate"), ("uoc thuc hien", "estimate"), ("uoc", "estimate"), ("estimated", "estimate"),
    ("estimates", "estimate"), ("estimate", "estimate"),
    ("chinh thuc", "final"), ("final", "final"),
)
_PATTERN = re.compile(r"\b(" + "|".join(re.escape(w) for w, _ in _WORDS) + r")\b")
_KIND = dict(_WORDS)


def status_of(text: object) -> tuple[str | None, list[str]]:
    """(status, the status words found as folded text) of a note or status cell.

    ``status`` is "preliminary", "estimate" or "final"; ``None`` when the text
    names no status, or names two different ones (then both words are in the
    list, for the report).

    >>> status_of("Số liệu sơ bộ")
    ('preliminary', ['so bo'])
    >>> status_of("giai đoạn 2016–2020 (Báo Đắk Nông)")
    (None, [])
    """
    if not isinstance(text, str) or not text.strip():
        return None, []
    status, found = _status(str.__str__(text))
    return status, list(found)


@lru_cache(maxsize=4096)
def _status(text: str) -> tuple[str | None, tuple[str, ...]]:
    found = tuple(dict.fromkeys(m.group(1) for m in _PATTERN.finditer(fold(text))))
    kinds = {_KIND[w] for w in found}
    return (kinds.pop() if len(kinds) == 1 else None), found
