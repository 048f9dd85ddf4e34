"""Small helpers shared by the indicator modules (not public)."""
from __future__ import annotations

import pandas as pd

#: Status from strongest to weakest; an aggregate or ratio takes the weakest of its inputs. "as first announced"
#: (CPI 2017–2024) and the "(*)" flag of population 2019–2022 rank between final and preliminary; a figure read
#: from a secondary copy (income 2018) ranks after preliminary.
STATUS_ORDER = ("final", "as first announced", "as published; flagged (*) in the export", "preliminary",
                "published (secondary copy)", "suspect")


def weakest_status(statuses) -> str:
    """The weakest of several statuses, in the order of ``STATUS_ORDER`` (``final`` … ``suspect``)."""
    seen = [str(s) for s in statuses if isinstance(s, str) or pd.notna(s)]
    unknown = sorted(set(seen) - set(STATUS_ORDER))
    if unknown:
        raise ValueError(f"unknown status {unknown[0]!r}; expected one of {', '.join(STATUS_ORDER)}")
    if not seen:
        return "final"
    return max(seen, key=STATUS_ORDER.index)


def year_ranges(years) -> str:
    """``[2001, 2002, 2017, 2018, 2019]`` → ``"2001–2002, 2017–2019"``."""
    ys = sorted({int(y) for y in years})
    parts, start, prev = [], None, None
    for y in ys:
        if start is None:
            start = prev = y
        elif y == prev + 1:
            prev = y
        else:
            parts.append(f"{start}" if start == prev else f"{start}–{prev}")
            start = prev = y
    if start is not None:
        parts.append(f"{start}" if start == prev else f"{start}–{prev}")
    return ", ".join(parts)


def plain(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with categorical columns turned into plain strings (safe to compare and merge)."""
    out = frame.copy()
    for c in out.columns:
        if isinstance(out[c].dtype, pd.CategoricalDtype):
            out[c] = out[c].astype(str)
    return out


def add_note(note: pd.Series, extra: pd.Series) -> pd.Series:
    """Append ``extra`` to ``note`` with "; " where both are non-empty."""
    note = note.fillna("").astype(str)
    extra = extra.fillna("").astype(str)
    both = (note != "") & (extra != "")
    return (note + both.map({True: "; ", False: ""}) + extra).astype(str)


def long_values(panel: pd.DataFrame, variable: str, *, level: str | None = "province") -> pd.DataFrame:
    """Rows of one variable from a long panel (plain dtypes), optionally of one level."""
    if "variable" not in panel.columns or "value" not in panel.columns:
        raise ValueError("expected a long panel (columns 'variable' and 'value', as from ntm.load_panel()); "
                         f"got columns {list(panel.columns)}")
    sel = panel["variable"].astype(str) == variable
    if level is not None and "level" in panel.columns:
        sel &= panel["level"].astype(str) == level
    return plain(panel[sel])
