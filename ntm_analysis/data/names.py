"""Unknown names (a variable, an indicator, a dataset) raise :class:`UnknownNameError` naming the closest known
ones, never an empty result: ``load_ntm_reports("resources")`` says ``closest: resources_total, …``.

The cost and the message stay bounded whatever is passed: a text longer than :data:`MAX_NAME_LENGTH` is no name
(no closest names are searched for it: difflib's cost grows with the length), and a message quotes a long value
shortened (:func:`shown`)."""
from __future__ import annotations

import difflib
import sys
from typing import Iterable

#: Longer texts are not names: no closest names are searched for them (the longest known name is far shorter).
MAX_NAME_LENGTH = 200
#: How many characters of a value a message quotes.
SHOWN_LENGTH = 60


def shown(value: object, limit: int = SHOWN_LENGTH) -> str:
    """``repr(value)`` for an error message, at most about ``limit`` characters: a longer text is cut and its
    length given (``'xxxx…'… (1,048,576 characters)``), an integer too long to print says so.

    >>> shown("Lào Cai")
    "'Lào Cai'"
    >>> shown("x" * 1000, limit=3)
    "'xxx'… (1,000 characters)"
    """
    if isinstance(value, str) and len(value) > limit:
        return f"{value[:limit]!r}… ({len(value):,} characters)"
    try:
        text = repr(value)
    except ValueError:  # an integer beyond Python's digit limit for str()
        return f"an integer of more than {sys.get_int_max_str_digits():,} digits"
    return text if len(text) <= limit + 2 else f"{text[:limit]}… ({len(text):,} characters)"


class UnknownNameError(KeyError, ValueError):
    """A name that is not among the known ones; ``name``, ``closest`` and ``known`` say which.

    A ``KeyError`` (a name looked up) and a ``ValueError`` (a bad argument), so code catching either works;
    its message is plain text (not quoted as a ``KeyError``'s)."""

    def __init__(self, what: str, name: object, closest: list[str], known: list[str], where: str = ""):
        self.what, self.name, self.closest, self.known = what, name, closest, known
        self.message = (f"{where + ': ' if where else ''}unknown {what} {shown(name)}; closest: "
                        f"{', '.join(closest) or 'none'} (known {what}s: {', '.join(known)})")
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


def comparable_text(value: object) -> str | None:
    """The text of ``value`` for a closest-name search, or ``None`` when there is none to search: longer than
    :data:`MAX_NAME_LENGTH` (difflib's cost grows with the length), or an integer beyond Python's digit limit for
    ``str()``."""
    if isinstance(value, str) and len(value) > MAX_NAME_LENGTH:
        return None
    try:
        text = str(value)
    except ValueError:  # an integer beyond Python's digit limit for str()
        return None
    return text if len(text) <= MAX_NAME_LENGTH else None


def closest(name: object, known: Iterable[str], n: int = 6) -> list[str]:
    """The known names closest to ``name``: those containing it first (``"resources"`` → ``resources_total``,
    ``resources_central_budget`` …), then difflib's close matches. A text longer than :data:`MAX_NAME_LENGTH`
    (or a value whose text is) has none."""
    text = comparable_text(name)
    if text is None:
        return []
    known = sorted(set(known))
    found = sorted((k for k in known if text and text.lower() in k.lower()),
                   key=lambda k: (-difflib.SequenceMatcher(None, text, k).ratio(), k))
    found += [k for k in difflib.get_close_matches(text, known, n=n, cutoff=0.5) if k not in found]
    return found[:n]


def check_names(wanted: Iterable[object], known: Iterable[str], what: str = "variable", where: str = "") -> None:
    """Raise :class:`UnknownNameError` for the first name in ``wanted`` that is not in ``known``."""
    known = sorted(set(known))
    have = set(known)
    for name in wanted:
        if name not in have:
            raise UnknownNameError(what, name, closest(name, known), known, where)
