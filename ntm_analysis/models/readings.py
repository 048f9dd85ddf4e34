"""Sentences about a slope that never claim more than the estimate and its interval support.

* No direction is claimed when the confidence interval includes zero: "no clear association".
* A slope between two logarithms reads as an elasticity, in percent: "1 % more real income goes with a poverty rate
  about 0.72 % lower" ("about": the elasticity holds for small changes).
* A slope of a level on a logarithm reads per 1 % of x: the slope divided by 100 ("1 % more resources per person
  goes with income growth about 0.0123 percentage points per year higher"), its interval likewise.
* A slope of a logarithm on a level reads in percent of y per unit of x.
* A slope in levels keeps its units: "one unit more of x goes with 0.5 more y".
* A difference (an effect on a level, e.g. an event-study ATT) reads "higher" or "lower" only when its interval
  excludes zero; on a log outcome it is given in log points with the percentage it implies.

Never "one unit more of ln_x": a name that is a logarithm (``ln_x``, ``log_x``, ``ln x``) is read as x with
percent wording (:func:`log_name`). Every sentence ends with the interval and the sample, so a reader sees what the
words rest on.
"""
from __future__ import annotations

import math
import re

_LOG_PREFIX = re.compile(r"^(?:ln|log)(?:_|\s+|\()(.+?)\)?$", re.IGNORECASE)


def includes_zero(low: float, high: float) -> bool:
    """True when the interval [low, high] contains zero (or is not finite): no direction can be claimed."""
    return not (math.isfinite(low) and math.isfinite(high)) or low <= 0 <= high


def log_name(name: str) -> tuple[bool, str]:
    """Whether a variable name denotes a logarithm, and the name of the variable itself.

    ``"ln_income_real"`` → ``(True, "income_real")``; ``"log_resources"`` → ``(True, "resources")``;
    ``"ln(x)"`` → ``(True, "x")``; ``"income"`` → ``(False, "income")``.
    """
    m = _LOG_PREFIX.match(str(name).strip())
    return (True, m.group(1)) if m else (False, str(name))


def _interval(low: float, high: float, level: int, n_text: str) -> str:
    return f"{level}% CI {low:.3g} to {high:.3g}; {n_text}"


def slope_sentence(estimate: float, low: float, high: float, *, x: str, y: str, level: int = 95,
                   n_text: str = "", log_x: bool = False, log_y: bool = False, context: str = "",
                   y_unit: str = "", caveat: bool = True) -> str:
    """One sentence on the slope of ``y`` on ``x`` (names as a reader knows them, e.g. "real income per capita").

    ``log_x``/``log_y`` say the slope is between logarithms (log–log: an elasticity in percent; log x only: per 1 %
    of x, the slope and its interval divided by 100). ``context`` (e.g. "Comparing each province with itself over
    time") opens the sentence. ``y_unit`` (e.g. "percentage points per year") follows the number when ``y`` is a
    level. ``caveat=False`` leaves out the closing "an association, not a causal effect".
    """
    head = f"{context}, " if context else ""
    tail = "; an association, not a causal effect." if caveat else "."
    unit = f" {y_unit}" if y_unit else ""
    if log_x and not log_y:  # per 1 % of x: slope·ln(1.01) ≈ slope/100
        estimate, low, high = estimate / 100, low / 100, high / 100
    ci = _interval(low, high, level, n_text) if n_text else f"{level}% CI {low:.3g} to {high:.3g}"
    per = "1 % more" if log_x else "one unit more of"
    if includes_zero(low, high):
        what = "elasticity" if log_x and log_y else (f"estimate per 1 % more {x}" if log_x else "estimate")
        sample = f" ({n_text})" if n_text else ""
        return (f"{head}no clear association between {x} and {y}: the {what} {estimate:.3g} has a {level}% CI "
                f"{low:.3g} to {high:.3g}, which includes zero, so neither direction is supported{sample}.")
    if log_x and log_y:
        change = "lower" if estimate < 0 else "higher"
        article = "an" if y[:1].lower() in "aeiou" else "a"
        return (f"{head}1 % more {x} goes with {article} {y} about {abs(estimate):.2f} % {change} (an elasticity; "
                f"{ci})" + tail)
    if log_y:
        change = "lower" if estimate < 0 else "higher"
        return (f"{head}one unit more of {x} goes with about {abs(estimate) * 100:.1f} % {change} {y} ({ci})"
                + tail)
    if log_x:
        change = "lower" if estimate < 0 else "higher"
        return f"{head}{per} {x} goes with {y} about {abs(estimate):.3g}{unit} {change} ({ci})" + tail
    change = "less" if estimate < 0 else "more"
    return f"{head}{per} {x} goes with {abs(estimate):.3g}{unit} {change} {y} ({ci})" + tail


def difference_sentence(estimate: float, low: float, high: float, *, what: str, than: str, level: int = 95,
                        n_text: str = "", log_y: bool = False, context: str = "") -> str:
    """One sentence on a difference (e.g. an average effect after adoption) that follows its interval.

    ``what`` is the outcome as a reader knows it, ``than`` what it is compared with (e.g. "imputed from untreated
    units and years"). On a log outcome (``log_y``) the difference is in log points, with the percentage it
    implies, 100·(exp(d) − 1).
    """
    head = f"{context}, " if context else ""
    ci = _interval(low, high, level, n_text) if n_text else f"{level}% CI {low:.3g} to {high:.3g}"
    if includes_zero(low, high):
        sample = f" ({n_text})" if n_text else ""
        return (f"{head}no clear difference between {what} and {than}: the estimate {estimate:.3g} has a {level}% CI "
                f"{low:.3g} to {high:.3g}, which includes zero, so neither a rise nor a fall is supported{sample}.")
    change = "lower" if estimate < 0 else "higher"
    if log_y:
        pct = 100 * (math.exp(estimate) - 1)
        return (f"{head}{what} was on average {abs(estimate):.3g} log points (about {abs(pct):.1f} %) {change} than "
                f"{than} ({ci}).")
    return f"{head}{what} was on average {abs(estimate):.3g} {change} than {than} ({ci})."
