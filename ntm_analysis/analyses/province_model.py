"""The cross-province model a province report shows, with the province highlighted.

OLS across the 2008 provinces of the change in ln poverty on the change in ln real income per capita over one
measure-consistent period (2010–2016 on the 2011–2015 income line with the shipped data), with each province's
predicted change and residual (actual − predicted), and the two-way fixed-effects model of
``notebooks/national_overview.ipynb`` over the same years for comparison. Fitted once per data version and period:
a :func:`ntm_analysis.data.cache.memo` keyed by the checksums of the files it reads
(:data:`~ntm_analysis.analyses.elasticity.PANEL_READS`) and the code of this module and what it imports (a warm
kernel keeps it between reports).

No HTML, no language: :class:`ProvinceModel` holds :class:`~ntm_analysis.models.ModelResult`s and a tidy frame.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ntm_analysis.analyses.elasticity import (PANEL_READS, measure_runs, period_elasticities, refusal_reasons,
    survey_years)
from ntm_analysis.data import cache
from ntm_analysis.indicators import ElasticityInputError
from ntm_analysis.models.readings import slope_sentence
from ntm_analysis.models import ModelResult, panel_fe
from ntm_analysis.models.results import make_coefs


@dataclass(frozen=True)
class ProvinceModel:
    """The cross-province model of one period, fitted on every 2008 province with the figures.

    ``cross_section`` is the OLS of Δ ln poverty rate on Δ ln real income per capita between ``y0`` and ``y1``
    (HC1 standard errors, t(n − 2) intervals); ``fe`` the two-way (province and year) fixed-effects regression of
    ln poverty on ln real income over the survey years ``y0``–``y1`` (province-clustered), or None when it could
    not be fitted (``fe_error``). ``frame`` has one row per province: code, name, region, dln_income, dln_poverty,
    poverty0, poverty1, income_growth_real_pct, status, in_model, predicted (Δ ln poverty the line predicts),
    residual (actual − predicted), predicted_low/predicted_high (the 95 % prediction interval of the change),
    versus_prediction ("as_predicted" inside that interval, "less_reduction" above it, "more_reduction" below it),
    predicted_poverty1 (the y1 rate the line predicts from the y0 rate), and
    ``reasons``/``note`` for a province left out. Treat it as read-only: it is shared between reports.
    """

    y0: int
    y1: int
    measure: str
    cross_section: ModelResult
    fe: ModelResult | None
    frame: pd.DataFrame = field(repr=False)
    fe_error: str = ""

    @property
    def slope(self) -> float:
        return float(self.cross_section.term("dln_income")["estimate"])

    @property
    def intercept(self) -> float:
        return float(self.cross_section.term("const")["estimate"])

    @property
    def residual_sd(self) -> float:
        """Standard deviation of the residuals across the provinces in the model (ddof = 2)."""
        return float(self.cross_section.extra["residual_sd"])

    @property
    def statuses(self) -> set[str]:
        return set(self.frame.loc[self.frame["in_model"], "status"])

    def members(self, codes: list[str]) -> pd.DataFrame:
        """The rows of the provinces ``codes`` (in that order; a copy): their predicted change and residual, or
        why they are not in the model; plus ``rank`` (1 = poverty fell most relative to the line) and ``n``."""
        f = self.frame
        inside = f[f["in_model"]].sort_values("residual")
        rank = {c: i + 1 for i, c in enumerate(inside["code"])}
        out = f[f["code"].isin(codes)].copy()
        out["rank"] = out["code"].map(rank).astype("Int64")
        out["n"] = len(inside)
        return out.set_index("code").loc[[c for c in codes if c in set(out["code"])]].reset_index()


class ModelUnavailable(ValueError):
    """No cross-province model for these years (the message says why; ``reason``/``years`` in structured form)."""

    def __init__(self, reason: str, years: tuple[int, ...] = (), message: str = ""):
        self.reason, self.years = reason, tuple(years)
        super().__init__(message or reason)


def model_period(panel: pd.DataFrame) -> tuple[int, int, str]:
    """The widest run of income survey years on one poverty measure in ``panel`` (ties: the latest), as
    (y0, y1, measure). Raises :class:`ModelUnavailable` when no two survey years share a measure."""
    years, measure = survey_years(panel)
    runs = [r for r in measure_runs(years, measure) if len(r) >= 2]
    if not runs:
        raise ModelUnavailable("no_period", tuple(years),
                               "no two income survey years in these years share a poverty measure")
    best = max(runs, key=lambda r: (r[-1] - r[0], r[-1]))
    return best[0], best[-1], measure[best[0]]


def fit_province_model(y0: int, y1: int, data_dir=None) -> ProvinceModel:
    """The cross-province model between survey years ``y0`` and ``y1`` (see :class:`ProvinceModel`), fitted once
    per data version and period (cached by the checksums of
    :data:`ntm_analysis.analyses.elasticity.PANEL_READS` and the code that fits it). Every call on the same data
    returns the same object: treat it as read-only.

    Raises :class:`MeasureBreakError` when the poverty measure differs between the two years and
    :class:`ModelUnavailable` when fewer than 3 provinces have both figures in both years.
    """
    y0, y1 = int(y0), int(y1)
    return cache.memo(f"province_model:{y0}-{y1}", PANEL_READS, lambda: _fit(y0, y1, data_dir), data_dir)


def model_for(panel: pd.DataFrame, data_dir=None) -> ProvinceModel:
    """The model of the years of ``panel`` (:func:`model_period`), fitted on the data of ``data_dir``."""
    y0, y1, _measure = model_period(panel)
    return fit_province_model(y0, y1, data_dir)


def _fit(y0: int, y1: int, data_dir) -> ProvinceModel:
    from statsmodels.regression.linear_model import OLS  # noqa: PLC0415
    from statsmodels.tools.tools import add_constant  # noqa: PLC0415

    el, refused = period_elasticities(y0, y1, data_dir)
    if el is None:
        raise ModelUnavailable(refused[0]["kind"], (y0, y1), f"no elasticities for {y0}–{y1}: {refused}")
    frame = pd.DataFrame({
        "code": el["code"].astype(str), "name": el["name"].astype(str), "region": el["region"].astype(str),
        "dln_income": el["dln_income"].astype(float), "dln_poverty": el["dln_poverty"].astype(float),
        "poverty0": el["poverty0"].astype(float), "poverty1": el["poverty1"].astype(float),
        "status": el["status"].fillna("").astype(str), "note": el["note"].fillna("").astype(str)})
    frame["income_growth_real_pct"] = np.expm1(frame["dln_income"]) * 100
    frame["in_model"] = el["elasticity"].notna().to_numpy()
    frame["reasons"] = [[] if ok else refusal_reasons(ElasticityInputError(n)) for ok, n in
                        zip(frame["in_model"], frame["note"])]
    cs = frame[frame["in_model"]]
    n = len(cs)
    if n < 3:
        raise ModelUnavailable("too_few", (y0, y1), f"only {n} provinces have income and poverty in both {y0} and "
                                                    f"{y1}; the model needs at least 3")
    fit = OLS(cs["dln_poverty"].to_numpy(), add_constant(cs["dln_income"].to_numpy())).fit(cov_type="HC1")
    b = np.asarray(fit.params)
    se = np.asarray(fit.bse)
    coefs = make_coefs(["dln_income", "const"], [b[1], b[0]], [se[1], se[0]], df_resid=float(n - 2))
    frame["predicted"] = b[0] + b[1] * frame["dln_income"]
    frame.loc[~frame["in_model"], "predicted"] = np.nan
    frame["residual"] = frame["dln_poverty"] - frame["predicted"]
    frame["predicted_poverty1"] = frame["poverty0"] * np.exp(frame["predicted"])
    # the 95 % prediction interval of a province's change (classic OLS: s²(1 + x0'(X'X)⁻¹x0), t(n-2)): a residual
    # inside it is "about as predicted", never read as more or less poverty reduction
    x = add_constant(frame["dln_income"].fillna(0.0).to_numpy(), has_constant="add")
    band = OLS(cs["dln_poverty"].to_numpy(), add_constant(cs["dln_income"].to_numpy())).fit() \
        .get_prediction(x).summary_frame(alpha=0.05)
    frame["predicted_low"] = np.where(frame["in_model"], band["obs_ci_lower"].to_numpy(), np.nan)
    frame["predicted_high"] = np.where(frame["in_model"], band["obs_ci_upper"].to_numpy(), np.nan)
    frame["versus_prediction"] = np.select(
        [~frame["in_model"], frame["dln_poverty"] > frame["predicted_high"],
         frame["dln_poverty"] < frame["predicted_low"]], ["", "less_reduction", "more_reduction"], "as_predicted")
    resid = frame.loc[frame["in_model"], "residual"].to_numpy()
    left_out = frame[~frame["in_model"]]
    notes = [f"left out {r['name']} ({r['code']}): {r['note'].split(': ', 1)[-1]}" for _, r in left_out.iterrows()]
    r0 = coefs.iloc[0]
    reading = slope_sentence(r0["estimate"], r0["ci_low"], r0["ci_high"], x="real income per capita",
                             y="poverty rate", n_text=f"{n} provinces", log_x=True, log_y=True,
                             context=f"Across provinces, {y0}–{y1}")
    cross = ModelResult(
        estimator=f"OLS across provinces: change in ln poverty rate on change in ln real income per capita, "
                  f"{y0}–{y1}", dependent="dln_poverty", coefs=coefs, n_obs=n, n_units=n,
        se_type="heteroskedasticity-robust (HC1, statsmodels); t(n-2) intervals", notes=notes,
        reading_text=reading,
        extra={"r2": float(fit.rsquared), "residual_sd": float(np.sqrt((resid ** 2).sum() / (n - 2)))})
    fe, fe_error = None, ""
    try:
        from ntm_analysis.analyses.national import analysis_frame  # noqa: PLC0415

        af = analysis_frame(y0, data_dir)
        af = af[af["year"].between(y0, y1)]
        fe = panel_fe(af, "ln_poverty", "ln_income_real", entity="code", time="year", cluster="code")
    except (ValueError, np.linalg.LinAlgError) as exc:
        fe_error = str(exc)
    frame.attrs = {}
    measure = str(el["poverty_measure"].dropna().iloc[0]) if el["poverty_measure"].notna().any() else ""
    return ProvinceModel(y0, y1, measure, cross, fe, frame, fe_error)
