"""Plan attainment: "reaching 113 % of the plan", "29 communes against a target of 18".

:func:`attainment` gives actual ÷ target × 100 (% of plan); :func:`implied_target` inverts a
reported percentage to the plan it implies. Scalars give floats, Series give Series, arrays arrays.
"""
from __future__ import annotations

import numpy as np
import pandas as pd


def _wrap(values, like, name):
    for x in like:
        if isinstance(x, pd.Series):
            return pd.Series(np.asarray(values, dtype=float), index=x.index, name=name)
    arr = np.asarray(values, dtype=float)
    return float(arr) if arr.ndim == 0 else arr


def attainment(actual, target):
    """Actual as a percentage of the plan or target (% of plan): ``actual / target × 100``.

    A target of zero or below raises ``ValueError`` (no percentage of it exists). NaN gives NaN.
    Series results are named ``"attainment_pct_of_target"``.

    >>> round(attainment(29, 18), 1)   # Đắk Nông: 29 NTM communes by 2020 against a target of 18
    161.1
    """
    a, t = np.asarray(actual, dtype=float), np.asarray(target, dtype=float)
    if np.any(t <= 0):
        raise ValueError(f"target must be positive to express attainment as % of it; got {target!r}")
    return _wrap(a / t * 100.0, (actual, target), "attainment_pct_of_target")


def implied_target(actual, pct_of_plan):
    """The plan implied by an outturn and its reported attainment: ``actual / (pct_of_plan / 100)``.

    In the unit of ``actual``. A reported percentage is usually rounded: 113 % means
    112.5–113.5 %, so the implied plan is only known within ``actual / 1.135`` …
    ``actual / 1.125`` (see :func:`implied_target_range`). A percentage of zero or below raises.

    >>> round(implied_target(50.89, 113), 2)   # Đắk Ha 2024: 50.89 M VND/person/year = 113 % of plan
    45.04
    """
    a, p = np.asarray(actual, dtype=float), np.asarray(pct_of_plan, dtype=float)
    if np.any(p <= 0):
        raise ValueError(f"pct_of_plan must be positive; got {pct_of_plan!r}")
    return _wrap(a / (p / 100.0), (actual, pct_of_plan), "implied_target")


def implied_target_range(actual: float, pct_of_plan: float, decimals: int = 0) -> tuple[float, float]:
    """Bounds of the implied plan when ``pct_of_plan`` was rounded to ``decimals`` places.

    ``(actual / (pct + h) × 100, actual / (pct − h) × 100)`` with ``h`` = half a unit of the
    last reported digit. Đắk Ha: 50.89 at 113 % → (44.84, 45.24).
    """
    h = 0.5 * 10.0 ** (-decimals)
    lo, hi = float(pct_of_plan) + h, float(pct_of_plan) - h
    if hi <= 0:
        raise ValueError(f"pct_of_plan {pct_of_plan!r} is too small for its rounding")
    return float(actual) / lo * 100.0, float(actual) / hi * 100.0
