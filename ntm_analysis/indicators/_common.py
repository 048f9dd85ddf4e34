"""Small helpers shared by the indicator modules (not public)."""
from __future__ import annotations

import pandas as pd

from ntm_analysis.data.panel import MeasureMixError

#: Status from strongest to weakest; an aggregate or ratio takes the weakest of its inputs. "as first announced"
#: (CPI 2017–2024) and the "(*)" flag of population 2019–2022 rank between final and preliminary; a figure read
#: from a secondary copy (income 2018) ranks after preliminary.
#: A user's figures (``Table.to_panel()``) are "final", "preliminary" or "estimate" when their row says so, else
#: "as supplied by the user", which ranks last but one.
STATUS_ORDER = ("final", "as first announced", "as published; flagged (*) in the export", "preliminary",
                "published (secondary copy)", "estimate", "as supplied by the user", "suspect")


def measure_of(x) -> str | None:
    """The measure a Series says it holds: a column of :func:`ntm_analysis.wide` keeps the frame's
    ``attrs["measures"]`` (column → measure); ``attrs["measure"]`` also counts. ``None`` for anything else."""
    if not isinstance(x, pd.Series):
        return None
    measures = x.attrs.get("measures")
    if isinstance(measures, dict) and x.name in measures:
        return measures[x.name]
    m = x.attrs.get("measure")
    return m if isinstance(m, str) else None


def check_same_measure(where: str, **values) -> None:
    """Raise :class:`~ntm_analysis.data.panel.MeasureMixError` when the Series among ``values`` hold different
    measures (e.g. the start values from the 2006–2010 poverty line column and the end values from the 2011–2015
    one)."""
    found = {k: (measure_of(v), v.name) for k, v in values.items() if measure_of(v) is not None}
    if len({m for m, _ in found.values()}) > 1:
        listed = "; ".join(f"{k} from {name!r} (measure {m!r})" for k, (m, name) in found.items())
        raise MeasureMixError(str(next(iter(found.values()))[1]), {m: [] for m, _ in found.values()},
                              message=f"{where}: the inputs hold different measures: {listed}. A change across "
                                      "two measures is the change of definition, not of the quantity: use values "
                                      "of one measure")


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
