"""Shared input handling: column checks, numeric extraction, missing-value accounting, bounded values.

Bounded values never reach an estimator unannounced: a value that is a lower or upper bound or approximate (a
user's "hơn 5.200"; ``qualifier`` in the long panel, ``<column>__qualifier`` in :func:`ntm_analysis.wide`) makes
:func:`complete_rows` (which every estimator calls) raise :class:`BoundedValuesError` naming the rows, unless the
frame went through :func:`treat_bounds` first: ``bounds="drop"`` leaves those rows out, ``bounds="as_exact"``
uses the numbers as if exact; either way the result's notes say which, how many and where.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ntm_analysis.models.results import require_columns, require_numeric


def as_list(x) -> list[str]:
    """A column name or a list of names → list of names."""
    if x is None:
        return []
    if isinstance(x, (str, bytes)) or not hasattr(x, "__iter__"):
        return [x]
    return list(x)


def numeric(data: pd.DataFrame, col: str) -> np.ndarray:
    """Column as float64 with missing values as NaN (works for nullable dtypes)."""
    s = data[col]
    if pd.api.types.is_bool_dtype(s):
        s = s.astype("float64")
    return s.to_numpy(dtype="float64", na_value=np.nan)


#: What :func:`treat_bounds` can do with a bounded value.
BOUNDS = ("drop", "as_exact")
QUALIFIER_SUFFIX = "__qualifier"
_BOUND_KINDS = {"lower_bound": "lower bounds", "upper_bound": "upper bounds", "approximate": "approximate values"}
_DECIDED = re.compile(r"^(?P<kind>\w+) \[bounds=(?P<how>drop|as_exact)\]$")


class BoundedValuesError(ValueError):
    """Values that are bounds or approximate would enter a model; ``rows`` lists them (index label, column,
    qualifier)."""

    def __init__(self, what: str, rows: list[tuple], n: int):
        self.rows = rows
        listed = "; ".join(f"row {r!r}{place} {c}: {q}" for r, place, c, q in rows[:8])
        more = f" … and {n - 8} more" if n > 8 else ""
        super().__init__(
            f"{what}: {n} value(s) are bounds or approximate, not exact figures: {listed}{more}. A model does not "
            "treat them as exact unless told: pass the frame through ntm_analysis.models.prepare.treat_bounds("
            "data, bounds='drop') to leave them out, or bounds='as_exact' to use the numbers as if exact (the "
            "result's notes say which)")


def qualifier_columns(data: pd.DataFrame, numeric_cols) -> dict[str, str]:
    """Each numeric column → the column holding its qualifiers: ``<column>__qualifier`` (a wide frame) or the
    row's ``qualifier`` (a long frame)."""
    out = {}
    for c in numeric_cols:
        if c is None:
            continue
        own = f"{c}{QUALIFIER_SUFFIX}"
        if own in data.columns:
            out[c] = own
        elif "qualifier" in data.columns:
            out[c] = "qualifier"
    return out


def _qualifiers(data: pd.DataFrame, col: str) -> pd.Series:
    return data[col].astype("string").fillna("exact").str.strip().replace("", "exact")


def treat_bounds(data: pd.DataFrame, bounds: str, columns=None) -> pd.DataFrame:
    """A copy whose bounded or approximate values are decided, for the estimators.

    Parameters
    ----------
    data : a frame with qualifier columns (``<column>__qualifier`` from :func:`ntm_analysis.wide`, or
        ``qualifier``).
    bounds : "drop" (the estimators leave those rows out) or "as_exact" (they use the numbers as if exact).
    columns : the value columns concerned (default: every column with a qualifier column).

    Returns
    -------
    A copy whose qualifiers read e.g. ``"lower_bound [bounds=drop]"``; the values are unchanged. Each
    estimator's notes then say what was done with how many values of which column.
    """
    if bounds not in BOUNDS:
        raise ValueError(f"bounds must be one of {', '.join(BOUNDS)}, got {bounds!r}")
    out = data.copy()
    if columns is None:
        quals = [c for c in out.columns if str(c).endswith(QUALIFIER_SUFFIX)]
        if "qualifier" in out.columns:
            quals.append("qualifier")
    else:
        quals = sorted(set(qualifier_columns(out, as_list(columns)).values()))
    for qc in quals:
        q = _qualifiers(out, qc)
        undecided = (q != "exact") & ~q.str.contains(r"\[bounds=", regex=True)
        if undecided.any():
            q = q.astype(object)
            q[undecided] = q[undecided] + f" [bounds={bounds}]"
            out[qc] = q.to_numpy()
    return out


def _place(data: pd.DataFrame, i: int) -> str:
    parts = [f"{k} {label(data[k].iloc[i])}" for k in ("code", "name", "year") if k in data.columns]
    return f" ({', '.join(parts)})" if parts else ""


def bounded_rows(data: pd.DataFrame, numeric_cols, keep: np.ndarray, what: str = "data"):
    """(rows to leave out, notes) for the bounded values among the rows ``keep`` would use; raises
    :class:`BoundedValuesError` for a bounded value no one decided about (see :func:`treat_bounds`)."""
    drop = np.zeros(len(data), dtype=bool)
    notes, undecided = [], []
    for col, qc in qualifier_columns(data, numeric_cols).items():
        q = _qualifiers(data, qc).to_numpy(dtype=object)
        for i in np.flatnonzero(keep & (q != "exact")):
            m = _DECIDED.match(q[i])
            if m is None:
                undecided.append((label(data.index[i]), _place(data, int(i)), col, q[i]))
        decided = {}
        for i in np.flatnonzero(keep & (q != "exact")):
            m = _DECIDED.match(q[i])
            if m is not None:
                decided.setdefault((m["how"], m["kind"]), []).append(int(i))
        for (how, kind), idx in sorted(decided.items()):
            rows = ", ".join(f"{label(data.index[i])!r}{_place(data, i)}" for i in idx[:6])
            rows += f" … ({len(idx)} in all)" if len(idx) > 6 else ""
            words = _BOUND_KINDS.get(kind, kind)
            if how == "drop":
                drop[idx] = True
                notes.append(f"left out {len(idx)} rows whose {col} are {words}, not exact figures "
                             f"(bounds='drop'): rows {rows}")
            else:
                notes.append(f"used {len(idx)} {words} of {col} as if exact (bounds='as_exact'): rows {rows}")
    if undecided:
        raise BoundedValuesError(what, undecided, len(undecided))
    return drop, notes


def complete_rows(data: pd.DataFrame, numeric_cols, key_cols, *, what="data"):
    """Check columns exist and are numeric; return (mask of complete rows, notes on drops).

    Bounded or approximate values (see the module docstring) raise :class:`BoundedValuesError` unless decided
    by :func:`treat_bounds`; the notes then say what was done with them."""
    numeric_cols = [c for c in dict.fromkeys(numeric_cols) if c is not None]
    key_cols = [c for c in dict.fromkeys(key_cols) if c is not None]
    require_columns(data, numeric_cols + key_cols, what=what)
    require_numeric(data, numeric_cols, what=what)
    keep = np.ones(len(data), dtype=bool)
    parts = []
    for c in numeric_cols:
        bad = ~np.isfinite(numeric(data, c))
        if bad.any():
            parts.append(f"{c} ({int(bad.sum()):,})")
        keep &= ~bad
    for c in key_cols:
        bad = data[c].isna().to_numpy()
        if bad.any():
            parts.append(f"{c} ({int(bad.sum()):,})")
        keep &= ~bad
    notes = []
    if parts:
        notes.append(f"dropped {int((~keep).sum()):,} of {len(data):,} rows with a missing or "
                     f"non-finite value in: {', '.join(parts)} (nothing was filled in)")
    drop, bound_notes = bounded_rows(data, numeric_cols, keep, what)
    keep &= ~drop
    return keep, notes + bound_notes


def codes_of(values) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes 0..G-1 and the level labels of a key column (array or Series)."""
    codes, uniques = pd.factorize(values, sort=False)
    return codes.astype(np.intp, copy=False), np.asarray(uniques)


def compact(codes: np.ndarray) -> np.ndarray:
    """Renumber codes so that the levels still present are 0..G'-1."""
    present = np.bincount(codes) > 0
    newid = np.cumsum(present) - 1
    return newid[codes]


def label(v):
    """A key value as a plain Python object, so messages read ``commune=10``, not ``np.int64(10)``."""
    return v.item() if isinstance(v, np.generic) else v
