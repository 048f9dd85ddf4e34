"""Shared input handling: column checks, numeric extraction, missing-value accounting."""
from __future__ import annotations

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


def complete_rows(data: pd.DataFrame, numeric_cols, key_cols, *, what="data"):
    """Check columns exist and are numeric; return (mask of complete rows, notes on drops)."""
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
    return keep, notes


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
