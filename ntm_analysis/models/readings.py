"""Sentences about a slope that never claim more than the estimate and its interval support.

* No direction is claimed when the confidence interval includes zero: "no clear association".
* A slope between two logarithms reads as an elasticity, in percent: "1 % more real income goes with a poverty rate
  about 0.72 % lower" ("about": the elasticity holds for small changes).
* A slope in levels keeps its units: "one unit more of x goes with 0.5 more y".

Every sentence ends with the interval and the sample, so a reader sees what the words rest on.
"""
from __future__ import annotations

import math


def includes_zero(low: float, high: float) -> bool:
    """True when the interval [low, high] contains zero (or is not finite): no direction can be claimed."""
    return not (math.isfinite(low) and math.isfinite(high)) or low <= 0 <= high


def _interval(low: float, high: float, level: int, n_text: str) -> str:
    return f"{level}% CI {low:.3g} to {high:.3g}; {n_text}"


def slope_sentence(estimate: float, low: float, high: float, *, x: str, y: str, level: int = 95,
                   n_text: str = "", log_x: bool = False, log_y: bool = False, context: str = "") -> str:
    """One sentence on the slope of ``y`` on ``x`` (names as a reader knows them, e.g. "real income per capita").

    ``log_x``/``log_y`` say the slope is between logarithms (log–log: an elasticity in percent).
    ``context`` (e.g. "Comparing each province with itself over time") opens the sentence.
    """
    head = f"{context}, " if context else ""
    ci = _interval(low, high, level, n_text) if n_text else f"{level}% CI {low:.3g} to {high:.3g}"
    if includes_zero(low, high):
        return (f"{head}no clear association between {x} and {y}: the estimate {estimate:.3g} has a {ci}, "
                f"which includes zero, so neither direction is supported.")
    if log_x and log_y:
        change = "lower" if estimate < 0 else "higher"
        return (f"{head}1 % more {x} goes with a {y} about {abs(estimate):.2f} % {change} (an elasticity; {ci}); "
                f"an association, not a causal effect.")
    if log_y:
        change = "lower" if estimate < 0 else "higher"
        return (f"{head}one unit more of {x} goes with about {abs(estimate) * 100:.1f} % {change} {y} ({ci}); "
                f"an association, not a causal effect.")
    change = "less" if estimate < 0 else "more"
    return (f"{head}one unit more of {x} goes with {abs(estimate):.3g} {change} {y} ({ci}); "
            f"an association, not a causal effect.")
