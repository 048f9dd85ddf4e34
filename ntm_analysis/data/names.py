"""Unknown names (a variable, an indicator, a dataset) raise :class:`UnknownNameError` naming the closest known
ones, never an empty result: ``load_ntm_reports("resources")`` says ``closest: resources_total, …``."""
from __future__ import annotations

import difflib
from typing import Iterable


class UnknownNameError(KeyError, ValueError):
    """A name that is not among the known ones; ``name``, ``closest`` and ``known`` say which.

    A ``KeyError`` (a name looked up) and a ``ValueError`` (a bad argument), so code catching either works;
    its message is plain text (not quoted as a ``KeyError``'s)."""

    def __init__(self, what: str, name: object, closest: list[str], known: list[str], where: str = ""):
        self.what, self.name, self.closest, self.known = what, name, closest, known
        self.message = (f"{where + ': ' if where else ''}unknown {what} {name!r}; closest: "
                        f"{', '.join(closest) or 'none'} (known {what}s: {', '.join(known)})")
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


def closest(name: object, known: Iterable[str], n: int = 6) -> list[str]:
    """The known names closest to ``name``: those containing it first (``"resources"`` → ``resources_total``,
    ``resources_central_budget`` …), then difflib's close matches."""
    text = str(name)
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
