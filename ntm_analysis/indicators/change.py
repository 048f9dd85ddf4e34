"""Rates of change between two years, with units that say what they are.

Two different numbers are often both written "x %/year" in Vietnamese reporting:

* :func:`pp_per_year` — the average change of a rate in **percentage points per year**
  (``pp/year``): ``(v1 − v0) / (y1 − y0)``. A poverty rate going from 50.79 % to 20.42 %
  in four years falls by 7.59 pp/year.
* :func:`compound_rate` — the **compound (geometric) rate of change in % per year**
  (``%/year``): ``((v1 / v0) ** (1 / (y1 − y0)) − 1) × 100``. The same poverty rate falls
  by 20.37 %/year of its own level.

:func:`describe_change` returns both side by side with a plain-language explanation.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ntm_analysis.indicators._common import check_same_measure

PP_LABEL = "pp/year"
PCT_LABEL = "%/year"


def _span(y0, y1):
    years = np.asarray(y1, dtype=float) - np.asarray(y0, dtype=float)
    if np.any(np.isnan(years)):
        raise ValueError(f"years must be given (start {y0!r}, end {y1!r}); a missing year cannot be assumed")
    if np.any(years == 0):
        raise ValueError(f"the start and end years are the same ({y0!r} → {y1!r}): a change per year is undefined")
    return years


def _result(values, like, name: str):
    """Return a float for scalar inputs, a named Series for Series inputs, an ndarray otherwise."""
    for x in like:
        if isinstance(x, pd.Series):
            return pd.Series(np.asarray(values, dtype=float), index=x.index, name=name)
    arr = np.asarray(values, dtype=float)
    return float(arr) if arr.ndim == 0 else arr


def pp_per_year(v0, v1, y0, y1):
    """Average change per year of a rate, in percentage points per year (pp/year).

    ``(v1 − v0) / (y1 − y0)``. Negative = a fall. Scalars give a float; pandas Series give a
    Series named ``"change_pp_per_year"`` (aligned on the first Series' index); arrays give
    arrays. Missing inputs (NaN) give NaN; equal years raise ``ValueError``. Two Series of different measures
    (columns of :func:`ntm_analysis.wide` with ``measures="split"``, which keep their measure in ``attrs``) raise
    :class:`~ntm_analysis.data.panel.MeasureMixError`: a change across a change of definition is not computed.

    >>> round(pp_per_year(50.79, 20.42, 2021, 2025), 2)
    -7.59
    """
    check_same_measure("pp_per_year", v0=v0, v1=v1)
    years = _span(y0, y1)
    out = (np.asarray(v1, dtype=float) - np.asarray(v0, dtype=float)) / years
    return _result(out, (v0, v1, y0, y1), "change_pp_per_year")


def compound_rate(v0, v1, y0, y1):
    """Compound (geometric average) rate of change, in % per year (%/year).

    ``((v1 / v0) ** (1 / (y1 − y0)) − 1) × 100``. Negative = a fall. Defined only for a
    positive start value and a non-negative end value: anything else raises ``ValueError``
    naming the offending value (a zero or negative level has no compound rate). Missing
    inputs (NaN) give NaN. Series results are named ``"compound_rate_pct_per_year"``. Series of different
    measures raise :class:`~ntm_analysis.data.panel.MeasureMixError` (as :func:`pp_per_year`).

    >>> round(compound_rate(50.79, 20.42, 2021, 2025), 2)
    -20.37
    """
    check_same_measure("compound_rate", v0=v0, v1=v1)
    years = _span(y0, y1)
    a, b = np.asarray(v0, dtype=float), np.asarray(v1, dtype=float)
    bad = (a <= 0) | (b < 0)
    if np.any(bad):
        i = int(np.argmax(np.broadcast_to(bad, np.broadcast(a, b).shape)))
        va, vb = np.broadcast_to(a, bad.shape).flat[i], np.broadcast_to(b, bad.shape).flat[i]
        raise ValueError(f"compound rate needs a positive start value and a non-negative end value; got start "
                         f"{va:g}, end {vb:g} (position {i}); use pp_per_year for the change in points")
    with np.errstate(invalid="ignore"):
        out = (np.power(b / a, 1.0 / years) - 1.0) * 100.0
    return _result(out, (v0, v1, y0, y1), "compound_rate_pct_per_year")


@dataclass(frozen=True)
class ChangeResult:
    """The change of one quantity between two years, measured two ways.

    ``absolute_per_year`` is in ``absolute_unit`` (``"pp/year"`` when the quantity is a
    percentage, otherwise ``"<unit> per year"``); ``compound_pct_per_year`` is always in
    ``"%/year"`` (relative to the quantity's own level). ``explanation`` says it in words.
    """

    v0: float
    v1: float
    y0: int
    y1: int
    unit: str
    total_change: float
    absolute_per_year: float
    absolute_unit: str
    compound_pct_per_year: float | None
    explanation: str

    def to_frame(self) -> pd.DataFrame:
        """Tidy table: one row per measure (measure, value, unit, meaning)."""
        rows = [
            ("total change", self.total_change, "pp" if self.unit == "%" else self.unit,
             f"{self.v1:g} − {self.v0:g}"),
            ("average change per year", self.absolute_per_year, self.absolute_unit,
             f"({self.v1:g} − {self.v0:g}) / ({self.y1} − {self.y0})"),
            ("compound rate per year", self.compound_pct_per_year, PCT_LABEL,
             f"(({self.v1:g} / {self.v0:g})^(1/{self.y1 - self.y0}) − 1) × 100"),
        ]
        return pd.DataFrame(rows, columns=["measure", "value", "unit", "formula"])

    def __str__(self) -> str:
        return self.explanation


def describe_change(v0: float, v1: float, y0: int, y1: int, unit: str = "%") -> ChangeResult:
    """Both readings of a change between two years, with a plain-language explanation.

    For a percentage (``unit="%"``) the absolute reading is in percentage points per year
    (pp/year); for other units it is in "``unit`` per year". The compound rate (%/year, relative to
    the level) is given when the start value is positive, else ``None`` with the reason in
    the explanation.

    >>> r = describe_change(50.79, 20.42, 2021, 2025)
    >>> round(r.absolute_per_year, 2), r.absolute_unit, round(r.compound_pct_per_year, 2)
    (-7.59, 'pp/year', -20.37)
    """
    values = {"v0": v0, "v1": v1}
    for k, v in values.items():
        if v is None or (isinstance(v, float) and np.isnan(v)):
            raise ValueError(f"{k} is missing ({v!r}): a change needs both values")
    v0, v1, y0, y1 = float(v0), float(v1), int(y0), int(y1)
    pct = unit.strip() == "%"
    abs_unit = PP_LABEL if pct else f"{unit} per year"
    level_unit = "pp" if pct else unit
    absolute = pp_per_year(v0, v1, y0, y1)
    try:
        compound = compound_rate(v0, v1, y0, y1)
    except ValueError:
        compound = None
    n = y1 - y0
    verb = "fell" if v1 < v0 else "rose" if v1 > v0 else "did not change"
    text = (f"From {v0:g} {unit} in {y0} to {v1:g} {unit} in {y1} the value {verb} by {abs(v1 - v0):.2f} "
            f"{level_unit} over {n} year{'s' if abs(n) != 1 else ''}: on average {absolute:+.2f} {abs_unit}")
    if pct:
        text += " (percentage points: the difference between the two rates)"
    if compound is None:
        text += ". A compound rate is undefined because the start value is not positive."
    else:
        text += (f". As a compound rate relative to its own level it changed by {compound:+.2f} {PCT_LABEL} "
                 f"(each year about {abs(compound):.1f} % {'smaller' if compound < 0 else 'larger'} than the year "
                 f"before).")
        if pct:
            text += (" Reports often write either one as '%/year': compare a reported figure with both "
                     "to see which it means.")
    return ChangeResult(v0, v1, y0, y1, unit, v1 - v0, absolute, abs_unit, compound, text)
