"""Cross-section OLS of one outcome on one measure across units, with small-sample inference.

:func:`cross_section_ols` fits ``y = a + b·x [+ controls]`` on one row per unit (e.g. province), by
OLS or, with ``weights``, WLS (statsmodels), with heteroskedasticity-robust **HC3** standard errors
by default and a t reference with n − k degrees of freedom (statsmodels ``use_t=True``). HC3
(MacKinnon & White 1985; Long & Ervin 2000) is the robust covariance recommended for small samples:
it inflates each squared residual by 1/(1 − h_ii)², so a province with high leverage does not
shrink its own standard error.

Below :data:`MIN_N` complete units no slope is reported: the result keeps its terms with NaN
estimates and a note "n = 9 < MIN_N (10): no slope reported", and its reading says so.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from statsmodels.regression.linear_model import OLS, WLS

from ntm_analysis.models.prepare import as_list, complete_rows, numeric
from ntm_analysis.models.readings import includes_zero, slope_sentence
from ntm_analysis.models.results import ModelResult, is_synthetic, make_coefs, reference_of

#: Fewest units for which a slope is reported. With one regressor and an intercept, n = 10 leaves 8 residual
#: degrees of freedom (t quantile 2.31 instead of 1.96). Below that, HC3 standard errors rest on a handful of
#: residuals each inflated by its leverage, a single unit typically carries leverage above 0.5 (so one province
#: decides the sign), and the 95 % interval of any plausible slope spans both signs: a number would look like
#: evidence without being any.
MIN_N = 10

COV_TYPES = ("HC0", "HC1", "HC2", "HC3", "nonrobust")


def _no_estimate_coefs(terms: list[str], conf_level: float) -> pd.DataFrame:
    nan = [np.nan] * len(terms)
    return make_coefs(terms, nan, nan, df_resid=None, conf_level=conf_level)


def cross_section_ols(data: pd.DataFrame, y: str, x: str, *, controls=None, weights: str | None = None,
                      unit: str | None = None, cov_type: str = "HC3", min_n: int = MIN_N,
                      conf_level: float = 0.95, x_label: str | None = None, y_label: str | None = None,
                      log_x: bool = False, log_y_ratio: bool = False, y_unit: str = "",
                      estimator: str | None = None) -> ModelResult:
    """OLS (WLS with ``weights``) of ``y`` on ``x`` and ``controls`` across units, one row per unit.

    Parameters
    ----------
    data : one row per unit; rows with a missing ``y``, ``x``, control or weight are left out (noted).
    y, x : column names; the slope of ``x`` is the first term of the result.
    controls : further regressors (e.g. the outcome's starting level).
    weights : column of analytic weights (e.g. population) for WLS; must be > 0.
    unit : column naming the unit; checked unique and used as the index of ``resid``/``fitted``.
    cov_type : "HC3" (default), "HC2", "HC1", "HC0" or "nonrobust" (statsmodels).
    min_n : fewest complete rows for which estimates are reported (default :data:`MIN_N`).
    x_label, y_label : names a reader knows, for the reading.
    log_x : ``x`` is a logarithm. ``log_y_ratio``: ``y`` is 100·(ln end − ln start) (log points), so with
        ``log_x`` the slope/100 is the elasticity of the end/start ratio with respect to x, and reads so.
    y_unit : unit of ``y`` for the reading (e.g. "percentage points").

    Returns
    -------
    ModelResult
        Terms ``x``, the controls and ``const``; ``extra["slope_term"] = x``; ``resid``/``fitted``
        indexed by ``unit`` when given. With fewer than ``min_n`` complete rows every estimate is
        NaN and ``extra["too_few"]`` is True.
    """
    if cov_type not in COV_TYPES:
        raise ValueError(f"cov_type must be one of {', '.join(COV_TYPES)}, got {cov_type!r}")
    if not (isinstance(min_n, int) and min_n >= 3):
        raise ValueError(f"min_n must be an integer ≥ 3, got {min_n!r}")
    ctrl = as_list(controls)
    keep, notes = complete_rows(data, [y, x, *ctrl, weights], [unit], what="cross-section data")
    d = data.loc[keep]
    if unit is not None and d[unit].duplicated().any():
        dup = d.loc[d[unit].duplicated(), unit].iloc[0]
        raise ValueError(f"cross-section data: unit {dup!r} appears more than once in column {unit!r}; "
                         f"expected one row per unit")
    if weights is not None:
        w = numeric(d, weights)
        if (w <= 0).any():
            bad = d.index[np.argmax(w <= 0)]
            raise ValueError(f"cross-section data: weight column {weights!r} must be > 0; row {bad!r} has "
                             f"{w[w <= 0][0]!r}")
    terms = [x, *ctrl, "const"]
    n = len(d)
    k = len(terms)
    x_label = x_label or x
    y_label = y_label or y
    level = int(round(conf_level * 100))
    se_type = (f"heteroskedasticity-robust {cov_type} (statsmodels), t reference with n − k d.o.f."
               if cov_type != "nonrobust" else "classical OLS (statsmodels), t reference with n − k d.o.f.")
    common = dict(dependent=y, n_units=n, se_type=se_type, synthetic=is_synthetic(data), conf_level=conf_level)
    est_name = estimator or ("cross-section WLS" if weights else "cross-section OLS")
    if n < max(min_n, k + 1):
        coefs = _no_estimate_coefs(terms, conf_level)
        notes.append(f"n = {n} < MIN_N ({min_n}): no slope reported")
        reading = (f"Only {n} units have both {x_label} and {y_label}, fewer than the {min_n} needed: "
                   f"no slope is reported.")
        return ModelResult(estimator=est_name, coefs=coefs, n_obs=n, notes=notes, reading_text=reading,
                           extra={"slope_term": x, "too_few": True, "min_n": min_n, "x": x, "y": y,
                                  "controls": ctrl, "weights": weights},
                           **common, **reference_of(coefs))
    X = np.column_stack([numeric(d, x), *[numeric(d, c) for c in ctrl], np.ones(n)])
    yv = numeric(d, y)
    if np.linalg.matrix_rank(X) < k:
        raise ValueError(f"cross-section data: the regressors {', '.join(terms)} are collinear on the {n} rows "
                         f"used (e.g. {x!r} does not vary); no slope can be estimated")
    model = WLS(yv, X, weights=numeric(d, weights)) if weights is not None else OLS(yv, X)
    fit = model.fit(cov_type=cov_type, use_t=True) if cov_type != "nonrobust" else model.fit(use_t=True)
    df_resid = float(fit.df_resid)
    coefs = make_coefs(terms, fit.params, fit.bse, df_resid=df_resid, conf_level=conf_level)
    idx = pd.Index(d[unit].to_numpy(), name=unit) if unit is not None else d.index
    b = coefs.iloc[0]
    n_text = f"{n} units"
    if includes_zero(b["ci_low"], b["ci_high"]):
        reading = slope_sentence(b["estimate"], b["ci_low"], b["ci_high"], x=x_label, y=y_label, level=level,
                                 n_text=n_text)
    elif log_x and log_y_ratio:
        reading = slope_sentence(b["estimate"] / 100, b["ci_low"] / 100, b["ci_high"] / 100, x=x_label,
                                 y=y_label, level=level, n_text=n_text, log_x=True, log_y=True)
    elif log_x:
        reading = _semi_log_sentence(b["estimate"], b["ci_low"], b["ci_high"], x=x_label, y=y_label,
                                     y_unit=y_unit, level=level, n_text=n_text)
    else:
        reading = slope_sentence(b["estimate"], b["ci_low"], b["ci_high"], x=x_label, y=y_label, level=level,
                                 n_text=n_text)
    if ctrl:
        reading += f" Controlling for {', '.join(ctrl)}."
    vcov = pd.DataFrame(np.asarray(fit.cov_params()), index=terms, columns=terms)
    return ModelResult(
        estimator=est_name, coefs=coefs, n_obs=n, notes=notes, vcov=vcov, reading_text=reading,
        extra={"slope_term": x, "too_few": False, "min_n": min_n, "x": x, "y": y, "controls": ctrl,
               "weights": weights, "fit": fit},
        rsquared=float(fit.rsquared), resid=pd.Series(np.asarray(fit.resid), index=idx, name="resid"),
        fitted=pd.Series(np.asarray(fit.fittedvalues), index=idx, name="fitted"),
        **common, **reference_of(coefs))


def _semi_log_sentence(estimate: float, low: float, high: float, *, x: str, y: str, y_unit: str, level: int,
                       n_text: str) -> str:
    """Slope of a level ``y`` on ln ``x``: a 10 % higher x goes with b·ln(1.1) more or less y."""
    if includes_zero(low, high):
        return slope_sentence(estimate, low, high, x=x, y=y, level=level, n_text=n_text)
    per10 = estimate * math.log(1.1)
    change = "less" if per10 < 0 else "more"
    unit = f" {y_unit}" if y_unit else ""
    return (f"10 % more {x} goes with about {abs(per10):.3g}{unit} {change} {y} "
            f"(slope on the logarithm {estimate:.3g}; {level}% CI {low:.3g} to {high:.3g}; {n_text}); "
            f"an association, not a causal effect.")
