"""Three sections of the province report, computed by the library: the poverty–growth elasticity, the
cross-province model with the province highlighted, and the seed articles' case studies.

* :func:`elasticity_records` — the province's poverty–growth elasticity between consecutive survey years and over
  each run of years on one poverty line (:func:`ntm_analysis.indicators.poverty_growth_elasticity`); where the
  library refuses (a change of poverty measure, a missing or zero input, no CPI), the row keeps the reason, never
  a number.
* :func:`fit_province_model` — OLS across provinces of the change in ln poverty on the change in ln real income
  per capita over one measure-consistent period (2010–2016 on the 2011–2015 income line with the shipped data),
  with each province's predicted change and residual (actual − predicted), and the two-way fixed-effects model of
  ``notebooks/national_overview.ipynb`` over the same years for comparison. Fitted once per data version: the
  result is cached by the checksums of the data files it reads (warm kernels keep it between reports).
  :func:`province_model` picks the period of a report and returns the cached fit.
* :func:`seed_case` — the seed articles' claims about the report's province(s) (Lào Cai, code 10; Đắk Nông,
  code 67; and the 2025 provinces containing them), each recomputed by
  :func:`ntm_analysis.indicators.seed_claims` beside the article's words, with the article named.

Every function returns tidy values (DataFrames, dataclasses, HTML/Markdown strings with data-derived text
escaped); nothing prints. Texts are in the report's language (:mod:`ntm_analysis.i18n`).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from ntm_analysis import i18n, paths
from ntm_analysis.indicators import (ElasticityInputError, MeasureBreakError, poverty_growth_elasticities,
    poverty_growth_elasticity, seed_claims)
from ntm_analysis.indicators._common import plain, year_ranges
from ntm_analysis.indicators.prices import CPICoverageError
from ntm_analysis.models import ModelResult, panel_fe
from ntm_analysis.models.results import make_coefs
from ntm_analysis.data.panel import PANEL_FILES, REGISTRY_FILES, load_panel
from ntm_analysis.report.content import (CPI_VARIABLE, INCOME, POVERTY_LINE, POVERTY_MULTI, Html, ReportContext, esc,
    fmt, html_table, md_text, measure_label, province_column_if_several)
from ntm_analysis.data.sources import RawDataError, checksums

#: The poverty variables whose measure decides which survey years can be compared.
POVERTY_VARIABLES = (POVERTY_LINE, POVERTY_MULTI)
#: Decimals of changes in log points (three would read as thousands in an English-style number, 0,793).
LOG_DECIMALS = 2
#: A change of ln real income smaller than this makes the elasticity's denominator tiny: the row says so.
UNSTABLE_DLN_INCOME = 0.05
#: Files the model reads (those of :func:`ntm_analysis.load_panel`): their checksums key the model cache.
MODEL_FILES = sorted([f"raw/{f}" for f in PANEL_FILES + REGISTRY_FILES] + ["provenance.yml"])
#: The seed articles' figures (``data/seeds``), read by the case-study section.
SEED_FILE = "seeds/seed_articles_figures.csv"

#: The seed articles, as data/seeds/README.md names them (the CSV holds only their id, URL and date).
ARTICLES = {
    "baolaocai-403088": {"publisher": "Báo Lào Cai",
                         "title": "Nâng cao chất lượng và tính bền vững của các chương trình mục tiêu quốc gia",
                         "translation": "data/raw/seed_articles/000_eea879179a232793.txt"},
    "baodaknong-256296": {"publisher": "Báo Đắk Nông",
                          "title": "Vai trò cấp ủy, chính quyền trong xây dựng nông thôn mới Đắk Nông",
                          "translation": "data/raw/seed_articles/003_4a807ad37fa6a020.txt"},
}


# --- 1. the poverty–growth elasticity ------------------------------------------------------------------
ELASTICITY_COLUMNS = ["code", "name", "y0", "y1", "kind", "computed", "elasticity", "income0_nominal",
                      "income1_nominal", "income_growth_real_pct", "dln_income", "poverty0", "poverty1",
                      "poverty_change_pct", "dln_poverty", "poverty_measure", "price_basis", "status", "reasons",
                      "message"]


def _survey_years(panel: pd.DataFrame) -> tuple[list[int], dict[int, str]]:
    """Years in which income per capita is published for some province, and each year's poverty measure."""
    prov = panel[panel["level"] == "province"]
    years = sorted(int(y) for y in prov.loc[prov["variable"] == INCOME, "year"].unique())
    pov = prov[prov["variable"].isin(POVERTY_VARIABLES)]
    measure = {int(y): str(m) for y, m in zip(pov["year"], pov["measure"])}
    return years, measure


def elasticity_periods(ctx: ReportContext) -> list[tuple[int, int, str]]:
    """The periods of the elasticity table: (y0, y1, kind) for each pair of consecutive income survey years in the
    report's years (kind "step"), then the whole span of every run of three or more survey years measured on one
    poverty line (kind "span"). A pair across a change of measure is kept: the table shows the refusal."""
    years, measure = _survey_years(ctx.panel)
    out = [(a, b, "step") for a, b in zip(years, years[1:])]
    out += [(r[0], r[-1], "span") for r in _runs(years, measure) if len(r) >= 3]
    return out


_PROBLEMS = [
    (re.compile(r"poverty rate missing for (\d{4})"), "missing_poverty"),
    (re.compile(r"poverty rate is 0 in (\d{4})"), "zero_poverty"),
    (re.compile(r"income per capita missing for (\d{4})"), "missing_income"),
    (re.compile(r"income per capita is \S+ in (\d{4})"), "nonpositive_income"),
    (re.compile(r"real income did not change"), "no_income_change"),
]


def refusal_reasons(exc: Exception) -> list[dict]:
    """Why the library refused an elasticity, as structured records (``kind`` and its fields), in the order the
    library gives them: "measure_break" (y0, m0, y1, m1), "missing_poverty"/"zero_poverty"/"missing_income"/
    "nonpositive_income" (year), "no_income_change", "cpi" (years: the years without a CPI link) or "other"
    (message: the library's own words)."""
    if isinstance(exc, MeasureBreakError):
        return [{"kind": "measure_break", "y0": int(exc.y0), "m0": str(exc.m0), "y1": int(exc.y1),
                 "m1": str(exc.m1)}]
    if isinstance(exc, CPICoverageError):
        return [{"kind": "cpi", "years": [int(y) for y in exc.missing]}]
    out = []
    for part in str(exc).split(": ", 1)[-1].split("; "):
        for pattern, kind in _PROBLEMS:
            m = pattern.search(part)
            if m:
                out.append({"kind": kind, **({"year": int(m.group(1))} if m.groups() else {})})
                break
    return out or [{"kind": "other", "message": str(exc)}]


def reason_text(reason: dict, lang: str = "en") -> str:
    """One refusal reason of :func:`refusal_reasons` in words."""
    kind = reason["kind"]
    if kind == "measure_break":
        return i18n.t("el_break", lang, y0=reason["y0"], m0=measure_label(reason["m0"], lang), y1=reason["y1"],
                      m1=measure_label(reason["m1"], lang))
    if kind in ("missing_poverty", "zero_poverty", "missing_income", "nonpositive_income"):
        return i18n.t(f"el_{kind}", lang, year=reason["year"])
    if kind == "cpi":
        return i18n.t("el_cpi", lang, years=year_ranges(reason["years"]))
    if kind == "no_income_change":
        return i18n.t("el_no_income_change", lang)
    return i18n.t("el_other", lang, message=reason.get("message", ""))


def _data_key(data_dir) -> tuple:
    """What the caches of this module are keyed by: the data folder and the checksums of the files read."""
    return (str(paths.data_dir(data_dir).resolve()), tuple(sorted(checksums(MODEL_FILES, data_dir).items())))


def _key_of(ctx: ReportContext) -> tuple:
    if "data_key" not in ctx._memo:
        ctx._memo["data_key"] = _data_key(ctx.params.data_dir)
    return ctx._memo["data_key"]


def _panel_inputs(data_dir) -> pd.DataFrame:
    """Every province's income and poverty, and the national CPI: what the elasticities and the model read."""
    panel = load_panel(level="all", data_dir=data_dir)
    return panel[((panel["level"] == "province") & panel["variable"].isin((INCOME, *POVERTY_VARIABLES)))
                 | ((panel["level"] == "national") & (panel["variable"] == CPI_VARIABLE))]


@lru_cache(maxsize=32)
def _elasticities_cached(key: tuple, y0: int, y1: int, data_dir: str | None) -> tuple[pd.DataFrame | None, list]:
    """:func:`~ntm_analysis.indicators.poverty_growth_elasticities` of every province for one period (income at
    constant ``y0`` prices), or the reasons the library refused the period as a whole."""
    sel = _panel_inputs(data_dir)
    try:
        return poverty_growth_elasticities(sel, y0, y1, real=True, base_year=y0, cpi=sel), []
    except (MeasureBreakError, CPICoverageError) as exc:
        return None, refusal_reasons(exc)


def period_elasticities(y0: int, y1: int, data_dir=None) -> tuple[pd.DataFrame | None, list]:
    """Every province's poverty–growth elasticity between ``y0`` and ``y1`` (the library's frame, one row per
    province, a refused province with NA and the reason in ``note``), computed once per data version and period;
    ``(None, reasons)`` when the library refuses the period for every province (a change of poverty measure, no
    CPI). Shared between reports: treat as read-only."""
    return _elasticities_cached(_data_key(data_dir), int(y0), int(y1), None if data_dir is None else str(data_dir))


def _member_rows(ctx: ReportContext, code: str) -> pd.DataFrame:
    """The rows the elasticity of one province reads (its income and poverty), with plain dtypes."""
    parts = [ctx.rows_of(v) for v in (INCOME, *POVERTY_VARIABLES)]
    return plain(pd.concat([df[(df["code"] == code) & (df["level"] == "province")] for df in parts]))


def _cpi_series(ctx: ReportContext) -> pd.Series:
    """The national CPI (previous year = 100) of the report's years, indexed by year."""
    cpi = ctx.rows_of(CPI_VARIABLE)
    cpi = cpi[cpi["level"] == "national"]
    return pd.Series(cpi["value"].astype(float).to_numpy(), index=cpi["year"].astype(int).to_numpy(), dtype=float)


def elasticity_records(ctx: ReportContext) -> pd.DataFrame:
    """The poverty–growth elasticity of each member (the province, or the constituents of a 2025 province) for
    every period of :func:`elasticity_periods`, computed by
    :func:`ntm_analysis.indicators.poverty_growth_elasticity` with income at constant prices (national CPI).

    One row per member and period (columns :data:`ELASTICITY_COLUMNS`). Where the library refuses, ``computed``
    is False, every number is NA and ``reasons`` holds the structured reasons (:func:`refusal_reasons`) with the
    library's own message in ``message``. Computed once per report.
    """
    if "elasticity" in ctx._memo:
        return ctx._memo["elasticity"].copy()
    rows = []
    periods = elasticity_periods(ctx)
    cpi = _cpi_series(ctx)
    for m in ctx.members:
        sub = _member_rows(ctx, m.code)
        for y0, y1, kind in periods:
            base = {"code": m.code, "name": m.name_short, "y0": y0, "y1": y1, "kind": kind}
            try:
                r = poverty_growth_elasticity(sub, m.code, y0, y1, real=True, base_year=y0, cpi=cpi)
            except (MeasureBreakError, ElasticityInputError, CPICoverageError) as exc:
                rows.append({**base, "computed": False, "reasons": refusal_reasons(exc), "message": str(exc)})
                continue
            rows.append({**base, "computed": True, "elasticity": r.elasticity, "income0_nominal": r.income0_nominal,
                         "income1_nominal": r.income1_nominal,
                         "income_growth_real_pct": math.expm1(r.dln_income) * 100, "dln_income": r.dln_income,
                         "poverty0": r.poverty0, "poverty1": r.poverty1,
                         "poverty_change_pct": math.expm1(r.dln_poverty) * 100, "dln_poverty": r.dln_poverty,
                         "poverty_measure": r.poverty_measure, "price_basis": r.price_basis, "status": r.status,
                         "reasons": [], "message": ""})
    out = pd.DataFrame(rows, columns=ELASTICITY_COLUMNS)
    for c in ("elasticity", "income0_nominal", "income1_nominal", "income_growth_real_pct", "dln_income",
              "poverty0", "poverty1", "poverty_change_pct", "dln_poverty"):
        out[c] = out[c].astype(float)
    out["computed"] = out["computed"].astype(bool)
    ctx._memo["elasticity"] = out
    return out.copy()


def elasticity_note(record: pd.Series | dict, lang: str = "en") -> str:
    """The note of one elasticity row: why it was not computed, or that its denominator is small."""
    if not record["computed"]:
        return i18n.t("el_not_computed", lang, reasons="; ".join(reason_text(r, lang) for r in record["reasons"]))
    if abs(record["dln_income"]) < UNSTABLE_DLN_INCOME:
        return i18n.t("el_unstable", lang, pct=fmt(record["income_growth_real_pct"], 1, lang))
    return ""


def elasticity_table(ctx: ReportContext) -> pd.DataFrame:
    """:func:`elasticity_records` as the report shows it: period, real income growth, poverty rates and their
    change, elasticity, measure, status and the note (the reason where it was not computed)."""
    lang = ctx.lang
    c = {k: i18n.t(k, lang) for k in ("province", "col_period", "col_income_growth", "col_poverty_rates",
                                      "col_poverty_change", "col_elasticity", "col_measure", "status", "col_note")}
    rows = []
    for _, r in elasticity_records(ctx).iterrows():
        period = f"{r['y0']}–{r['y1']}"
        if r["kind"] == "span":
            period = i18n.t("el_span", lang, period=period)
        ok = r["computed"]
        rows.append({c["province"]: r["name"], c["col_period"]: period,
                     c["col_income_growth"]: fmt(r["income_growth_real_pct"], 1, lang) if ok else "—",
                     c["col_poverty_rates"]: (f"{fmt(r['poverty0'], 1, lang)} → {fmt(r['poverty1'], 1, lang)}"
                                              if ok else "—"),
                     c["col_poverty_change"]: fmt(r["poverty_change_pct"], 1, lang) if ok else "—",
                     c["col_elasticity"]: fmt(r["elasticity"], 2, lang) if ok else "—",
                     c["col_measure"]: measure_label(r["poverty_measure"], lang) if ok else "",
                     c["status"]: i18n.label("status", r["status"], lang) if ok else "",
                     c["col_note"]: elasticity_note(r, lang)})
    out = pd.DataFrame(rows, columns=list(c.values()))
    out = province_column_if_several(ctx, out, c["province"])
    return out


def elasticity_html(ctx: ReportContext) -> str:
    """The elasticity section's explanation and table (HTML; data-derived text escaped)."""
    lang = ctx.lang
    parts = [f"<p>{esc(i18n.t('el_intro', lang))}</p>"]
    if ctx.place.vintage == 2025 and len(ctx.members) > 1:
        parts.append(f"<p>{esc(i18n.t('el_2025', lang, name=ctx.place.name_short))}</p>")
    df = elasticity_table(ctx)
    if df.empty:
        parts.append(f"<p>{esc(i18n.t('el_none', lang))}</p>")
    else:
        parts.append(html_table(df))
    return "".join(parts)


# --- 2. the cross-province model -----------------------------------------------------------------------
@dataclass(frozen=True)
class ProvinceModel:
    """The cross-province model of one period, fitted on every 2008 province with the figures.

    ``cross_section`` is the OLS of Δ ln poverty rate on Δ ln real income per capita between ``y0`` and ``y1``
    (HC1 standard errors, t(n − 2) intervals); ``fe`` the two-way (province and year) fixed-effects regression of
    ln poverty on ln real income over the survey years ``y0``–``y1`` (province-clustered), or None when it could
    not be fitted (``fe_error``). ``frame`` has one row per province: code, name, region, dln_income, dln_poverty,
    poverty0, poverty1, income_growth_real_pct, status, in_model, predicted (Δ ln poverty the line predicts),
    residual (actual − predicted), predicted_poverty1 (the y1 rate the line predicts from the y0 rate), and
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


class ModelUnavailable(ValueError):
    """No cross-province model for these years (the message says why; ``reason``/``years`` in structured form)."""

    def __init__(self, reason: str, years: tuple[int, ...] = (), message: str = ""):
        self.reason, self.years = reason, tuple(years)
        super().__init__(message or reason)


def _runs(years: list[int], measure: dict[int, str]) -> list[list[int]]:
    """Runs of consecutive survey years measured on one poverty measure (years without poverty end a run)."""
    runs: list[list[int]] = []
    for y in years:
        m = measure.get(y)
        if runs and m is not None and measure.get(runs[-1][0]) == m:
            runs[-1].append(y)
        else:
            runs.append([y])
    return [r for r in runs if measure.get(r[0]) is not None]


def model_period(panel: pd.DataFrame) -> tuple[int, int, str]:
    """The widest run of income survey years on one poverty measure in ``panel`` (ties: the latest), as
    (y0, y1, measure). Raises :class:`ModelUnavailable` when no two survey years share a measure."""
    years, measure = _survey_years(panel)
    runs = [r for r in _runs(years, measure) if len(r) >= 2]
    if not runs:
        raise ModelUnavailable("no_period", tuple(years),
                               "no two income survey years in these years share a poverty measure")
    best = max(runs, key=lambda r: (r[-1] - r[0], r[-1]))
    return best[0], best[-1], measure[best[0]]


def fit_province_model(y0: int, y1: int, data_dir=None) -> ProvinceModel:
    """The cross-province model between survey years ``y0`` and ``y1`` (see :class:`ProvinceModel`), fitted once
    per data version and period (cached by the checksums of :data:`MODEL_FILES`).

    Raises :class:`MeasureBreakError` when the poverty measure differs between the two years and
    :class:`ModelUnavailable` when fewer than 3 provinces have both figures in both years.
    """
    return _fit_cached(_data_key(data_dir), int(y0), int(y1), None if data_dir is None else str(data_dir))


@lru_cache(maxsize=8)
def _fit_cached(key: tuple, y0: int, y1: int, data_dir: str | None) -> ProvinceModel:
    import statsmodels.api as sm  # noqa: PLC0415

    el, refused = _elasticities_cached(key, y0, y1, data_dir)
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
    fit = sm.OLS(cs["dln_poverty"].to_numpy(), sm.add_constant(cs["dln_income"].to_numpy())).fit(cov_type="HC1")
    b = np.asarray(fit.params)
    se = np.asarray(fit.bse)
    coefs = make_coefs(["dln_income", "const"], [b[1], b[0]], [se[1], se[0]], df_resid=float(n - 2))
    frame["predicted"] = b[0] + b[1] * frame["dln_income"]
    frame.loc[~frame["in_model"], "predicted"] = np.nan
    frame["residual"] = frame["dln_poverty"] - frame["predicted"]
    frame["predicted_poverty1"] = frame["poverty0"] * np.exp(frame["predicted"])
    resid = frame.loc[frame["in_model"], "residual"].to_numpy()
    left_out = frame[~frame["in_model"]]
    notes = [f"left out {r['name']} ({r['code']}): {r['note'].split(': ', 1)[-1]}" for _, r in left_out.iterrows()]
    r0 = coefs.iloc[0]
    reading = (f"Across {n} provinces, 1 log point more real income growth {y0}–{y1} went with "
               f"{r0['estimate']:.3f} log points of change in the poverty rate (95% CI {r0['ci_low']:.3f} to "
               f"{r0['ci_high']:.3f}); an association, not a causal effect.")
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


def province_model(ctx: ReportContext) -> ProvinceModel:
    """The cached model of the report's years (:func:`model_period` on the report's panel). Raises
    :class:`ModelUnavailable` (or :class:`MeasureBreakError`) when none can be fitted in these years."""
    if "model" not in ctx._memo:
        y0, y1, _measure = model_period(ctx.panel)
        data_dir = ctx.params.data_dir
        ctx._memo["model"] = _fit_cached(_key_of(ctx), y0, y1, None if data_dir is None else str(data_dir))
    return ctx._memo["model"]


def model_records(ctx: ReportContext) -> pd.DataFrame:
    """The model's rows of the report's members (a copy): their predicted change and residual, or why they are
    not in the model; plus ``rank`` (1 = poverty fell most relative to the line) and ``n``."""
    model = province_model(ctx)
    f = model.frame
    inside = f[f["in_model"]].sort_values("residual")
    rank = {c: i + 1 for i, c in enumerate(inside["code"])}
    codes = [m.code for m in ctx.members]
    out = f[f["code"].isin(codes)].copy()
    out["rank"] = out["code"].map(rank).astype("Int64")
    out["n"] = len(inside)
    return out.set_index("code").loc[[c for c in codes if c in set(out["code"])]].reset_index()


def model_estimates_table(ctx: ReportContext) -> pd.DataFrame:
    """The estimates: the cross-province line (the one the residuals come from) and the two-way FE model."""
    lang = ctx.lang
    model = province_model(ctx)
    c = {k: i18n.t(k, lang) for k in ("col_model", "col_estimate", "col_se", "col_ci", "col_n", "col_se_type")}
    rows = []

    def row(label: str, res: ModelResult, term: str, n_text: str, se_text: str) -> None:
        r = res.term(term)
        rows.append({c["col_model"]: label, c["col_estimate"]: fmt(r["estimate"], 2, lang),
                     c["col_se"]: fmt(r["std_error"], 2, lang),
                     c["col_ci"]: f"{fmt(r['ci_low'], 2, lang)} {i18n.t('to', lang)} {fmt(r['ci_high'], 2, lang)}",
                     c["col_n"]: n_text, c["col_se_type"]: se_text})

    y0, y1 = model.y0, model.y1
    cs = model.cross_section
    row(i18n.t("model_cs_label", lang, y0=y0, y1=y1), cs, "dln_income",
        i18n.t("model_n_provinces", lang, n=cs.n_obs), i18n.t("model_se_hc1", lang, df=cs.n_obs - 2))
    if model.fe is not None:
        fe = model.fe
        row(i18n.t("model_fe_label", lang, y0=y0, y1=y1), fe, "ln_income_real",
            i18n.t("model_n_obs", lang, n=fmt(fe.n_obs, 0, lang), units=fe.n_units),
            i18n.t("model_se_cluster", lang, g=fe.n_clusters))
    return pd.DataFrame(rows, columns=list(c.values()))


def model_members_table(ctx: ReportContext) -> pd.DataFrame:
    """Each member's actual and predicted change and residual, or why it is not in the model."""
    lang = ctx.lang
    model = province_model(ctx)
    y0, y1 = model.y0, model.y1
    c = {"province": i18n.t("province", lang), "growth": i18n.t("col_income_growth_years", lang, y0=y0, y1=y1),
         "rates": i18n.t("col_poverty_years", lang, y0=y0, y1=y1), "actual": i18n.t("col_dln_actual", lang),
         "pred": i18n.t("col_dln_predicted", lang), "resid": i18n.t("col_residual", lang),
         "pred_rate": i18n.t("col_predicted_rate", lang, y1=y1), "reading": i18n.t("col_reading", lang)}
    rows = []
    for _, r in model_records(ctx).iterrows():
        if not r["in_model"]:
            why = "; ".join(reason_text(x, lang) for x in r["reasons"])
            rows.append({c["province"]: r["name"], c["growth"]: "—", c["rates"]: "—", c["actual"]: "—",
                         c["pred"]: "—", c["resid"]: "—", c["pred_rate"]: "—",
                         c["reading"]: i18n.t("model_left_out", lang, reason=why)})
            continue
        rows.append({c["province"]: r["name"], c["growth"]: fmt(r["income_growth_real_pct"], 1, lang),
                     c["rates"]: f"{fmt(r['poverty0'], 1, lang)} → {fmt(r['poverty1'], 1, lang)}",
                     c["actual"]: fmt(r["dln_poverty"], LOG_DECIMALS, lang),
                     c["pred"]: fmt(r["predicted"], LOG_DECIMALS, lang),
                     c["resid"]: ("+" if r["residual"] > 0 else "") + fmt(r["residual"], LOG_DECIMALS, lang),
                     c["pred_rate"]: fmt(r["predicted_poverty1"], 1, lang),
                     c["reading"]: i18n.t("model_more" if r["residual"] < 0 else "model_less", lang,
                                          rank=int(r["rank"]), n=int(r["n"]))})
    out = pd.DataFrame(rows, columns=list(c.values()))
    out = province_column_if_several(ctx, out, c["province"])
    return out


def model_reading(ctx: ReportContext) -> str:
    """Markdown: what the model says about each member, in one sentence each (names escaped)."""
    lang = ctx.lang
    model = province_model(ctx)
    lines = []
    for _, r in model_records(ctx).iterrows():
        if not r["in_model"]:
            continue
        key = "model_sentence_more" if r["residual"] < 0 else "model_sentence_less"
        lines.append(i18n.t(key, lang, name=md_text(r["name"]), y0=model.y0, y1=model.y1,
                            growth=fmt(r["income_growth_real_pct"], 1, lang), p0=fmt(r["poverty0"], 1, lang),
                            p1=fmt(r["poverty1"], 1, lang), pred=fmt(r["predicted_poverty1"], 1, lang),
                            resid=("+" if r["residual"] > 0 else "") + fmt(r["residual"], LOG_DECIMALS, lang),
                            sd=fmt(model.residual_sd, LOG_DECIMALS, lang)))
    return "\n\n".join(lines)


def model_caveat(ctx: ReportContext) -> str:
    """The model's caveats in one sentence (preliminary years named from the data)."""
    lang = ctx.lang
    model = province_model(ctx)
    prelim = ""
    if "preliminary" in model.statuses:
        prelim = i18n.t("model_caveat_prelim", lang, year=model.y1)
    return i18n.t("model_caveat", lang, prelim=prelim)


def model_html(ctx: ReportContext) -> str:
    """The model section's text and tables (HTML), or why there is no model in the report's years."""
    lang = ctx.lang
    try:
        model = province_model(ctx)
    except (ModelUnavailable, MeasureBreakError):
        return f"<p>{esc(i18n.t('model_none', lang))}</p>"
    intro = i18n.t("model_intro", lang, y0=model.y0, y1=model.y1, measure=measure_label(model.measure, lang))
    parts = [f"<p>{esc(intro)}</p>"]
    if ctx.place.vintage == 2025:
        names = ", ".join(f"{m.name_short} ({m.code})" for m in ctx.members)
        parts.append(f"<p>{esc(i18n.t('model_2025', lang, name=ctx.place.name_short, names=names))}</p>")
    parts.append(html_table(model_estimates_table(ctx)))
    parts.append(html_table(model_members_table(ctx)))
    return "".join(parts)


def has_model(ctx: ReportContext) -> bool:
    """True when a model can be fitted in the report's years."""
    try:
        province_model(ctx)
    except (ModelUnavailable, MeasureBreakError):
        return False
    return True


# --- 3. the seed case studies ----------------------------------------------------------------------------
SEED_COLUMNS = ["code", "place", "article", "article_url", "article_date", "kind", "y0", "y1", "quote",
                "article_value", "article_unit", "recomputed_value", "unit", "consistent", "inputs", "spans_standard",
                "fact_ids", "claim_en", "explanation_en", "ambiguity_en"]


def _facts(data_dir) -> pd.DataFrame | None:
    from ntm_analysis.data.ntm_provincial import load_seed_facts  # noqa: PLC0415

    try:
        return load_seed_facts(data_dir)
    except RawDataError:
        return None  # a data folder without data/seeds: the section says so


@lru_cache(maxsize=4)
def _claims_cached(key: tuple, data_dir: str | None) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    facts = _facts(data_dir)
    if facts is None:
        return None
    return facts, seed_claims(facts)


def seed_data(data_dir=None) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """The seed facts and their recomputed claims (:func:`~ntm_analysis.indicators.seed_claims`), computed once
    per version of the seed file (cached by its checksum); None when the data folder has no seed file. Shared
    between reports: treat as read-only."""
    path = paths.data_dir(data_dir) / SEED_FILE
    key = (str(path.resolve()), tuple(checksums([SEED_FILE], data_dir).items()) if path.exists() else ())
    return _claims_cached(key, None if data_dir is None else str(data_dir))


def _claim_kind(indicators: list[str], unit: str) -> str:
    s = set(indicators)
    if "poverty_rate_avg_decrease" in s:
        return "avg_pp" if unit == "pp/year" else "avg_compound" if unit == "%/year" else "other"
    if s == {"poverty_rate"}:
        return "change"
    if "income_plan_attainment" in s:
        return "plan"
    if "communes_ntm_target" in s:
        return "target"
    return "other"


def seed_case(ctx: ReportContext) -> pd.DataFrame:
    """The seed articles' claims about the report's members, each recomputed
    (:func:`ntm_analysis.indicators.seed_claims`) beside the article's words: one row per claim (columns
    :data:`SEED_COLUMNS`; ``inputs`` maps each input fact's indicator and year to its value; ``kind`` is one of
    avg_pp, avg_compound, change, plan, target, other). Empty when no member has a seed article."""
    if "seeds" in ctx._memo:
        return ctx._memo["seeds"].copy()
    got = seed_data(ctx.params.data_dir)
    codes = [m.code for m in ctx.members]
    rows = []
    if got is not None:
        facts, claims = got
        by_id = facts.set_index("fact_id")
        for _, c in claims.iterrows():
            ids = c["fact_ids"].split("+")
            fr = by_id.loc[ids]
            code = str(fr["province_code"].iloc[0])
            if code not in codes:
                continue
            kind = _claim_kind(list(fr["indicator"]), str(c["unit"]))
            ends = [int(str(e)[:4]) for e in fr["period_end"] if str(e)]
            inputs = {(str(i), str(e)): float(v) for i, e, v in zip(fr["indicator"], fr["period_end"], fr["value"])}
            rows.append({"code": code, "place": str(fr["place"].iloc[0]), "article": str(fr["article"].iloc[0]),
                         "article_url": str(fr["article_url"].iloc[0]), "article_date": str(fr["article_date"].iloc[0]),
                         "kind": kind, "y0": min(ends) if ends else pd.NA, "y1": max(ends) if ends else pd.NA,
                         "quote": c["article_wording"], "article_value": c["article_value"],
                         "article_unit": c["article_unit"], "recomputed_value": float(c["recomputed_value"]),
                         "unit": c["unit"], "consistent": c["consistent_with_article"], "inputs": inputs,
                         "spans_standard": "spans a change of standard" in str(c["ambiguity_note"]),
                         "fact_ids": c["fact_ids"], "claim_en": c["claim"], "explanation_en": c["explanation"],
                         "ambiguity_en": c["ambiguity_note"]})
    out = pd.DataFrame(rows, columns=SEED_COLUMNS)
    ctx._memo["seeds"] = out
    return out.copy()


#: The 2008 provinces the seed articles report on (Lào Cai, Đắk Nông): their reports say so when a data folder
#: lacks the seed file.
SEED_PROVINCES = ("10", "67")


def seed_provinces(data_dir=None) -> set[str]:
    """The 2008 provinces with a seed article (from the seed file; :data:`SEED_PROVINCES` when it is missing)."""
    got = seed_data(data_dir)
    return set(SEED_PROVINCES) if got is None else set(got[0]["province_code"].astype(str))


def has_seed_case(ctx: ReportContext) -> bool:
    """True when a seed article reports on one of the report's members."""
    return bool(seed_provinces(ctx.params.data_dir) & {m.code for m in ctx.members})


def _num(value: float, lang: str) -> str:
    """A figure as the article wrote it (its own decimals), in the reader's format."""
    text = f"{float(value):g}"
    dec = len(text.split(".")[1]) if "." in text else 0
    return fmt(value, dec, lang)


def _input(r: pd.Series, indicator: str, year: int | None = None) -> float:
    for (ind, end), v in r["inputs"].items():
        if ind == indicator and (year is None or end[:4] == str(year)):
            return v
    raise KeyError(f"seed claim {r['fact_ids']}: no input {indicator} {year or ''}")


def claim_texts(r: pd.Series, lang: str) -> dict[str, str]:
    """The claim, the recomputation (formula = result, with unit) and the note of one :func:`seed_case` row in
    ``lang`` (the English texts of :func:`~ntm_analysis.indicators.seed_claims` for a claim of an unknown kind)."""
    kind, place = r["kind"], r["place"]
    value = r["recomputed_value"]
    unit = i18n.unit(r["unit"], lang)
    if kind in ("avg_pp", "avg_compound"):
        v0, v1 = _input(r, "poverty_rate", r["y0"]), _input(r, "poverty_rate", r["y1"])
        stated = _input(r, "poverty_rate_avg_decrease")
        y0, y1 = int(r["y0"]), int(r["y1"])
        if kind == "avg_pp":
            how = f"({_num(v1, lang)} − {_num(v0, lang)}) / ({y1} − {y0}) = {fmt(value, 2, lang)} {unit}"
        else:
            how = f"(({_num(v1, lang)} / {_num(v0, lang)})^(1/{y1 - y0}) − 1) × 100 = {fmt(value, 2, lang)} {unit}"
        match = "seed_match" if bool(r["consistent"]) else "seed_no_match"
        note = " ".join([i18n.t(match, lang, stated=_num(stated, lang)), i18n.t("seed_yty_common", lang, y1=y1)])
        return {"claim": i18n.t(f"seed_claim_{kind}", lang, place=place, y0=y0, y1=y1), "how": how, "note": note}
    if kind == "change":
        y0, y1 = int(r["y0"]), int(r["y1"])
        v0, v1 = _input(r, "poverty_rate", y0), _input(r, "poverty_rate", y1)
        how = f"({_num(v1, lang)} − {_num(v0, lang)}) / ({y1} − {y0}) = {fmt(value, 2, lang)} {unit}"
        note = i18n.t("seed_change_spans" if r["spans_standard"] else "seed_change_same", lang, y0=y0, y1=y1)
        return {"claim": i18n.t("seed_claim_change", lang, place=place, y0=y0, y1=y1), "how": how, "note": note}
    if kind == "plan":
        inc, att = _input(r, "income_per_capita"), _input(r, "income_plan_attainment")
        from ntm_analysis.indicators import implied_target_range  # noqa: PLC0415

        lo, hi = implied_target_range(inc, att)
        how = f"{_num(inc, lang)} / ({_num(att, lang)} / 100) = {fmt(value, 2, lang)} {unit}"
        note = i18n.t("seed_plan_note", lang, pct=_num(att, lang), lo=fmt(lo, 2, lang), hi=fmt(hi, 2, lang),
                      unit=unit, year=r["y1"])
        return {"claim": i18n.t("seed_claim_plan", lang, place=place, year=r["y1"], pct=_num(att, lang)),
                "how": how, "note": note}
    if kind == "target":
        act, tgt = _input(r, "communes_ntm"), _input(r, "communes_ntm_target")
        how = f"{_num(act, lang)} / {_num(tgt, lang)} × 100 = {fmt(value, 1, lang)} {unit}"
        note = i18n.t("seed_target_note", lang, act=_num(act, lang), tgt=_num(tgt, lang), year=r["y1"])
        return {"claim": i18n.t("seed_claim_target", lang, place=place, year=r["y1"]), "how": how, "note": note}
    if lang == "en":
        return {"claim": r["claim_en"], "how": r["explanation_en"], "note": r["ambiguity_en"]}
    return {"claim": i18n.t("seed_claim_other", lang, place=place), "how": fmt(value, 2, lang) + " " + unit,
            "note": i18n.t("seed_other_note", lang)}


def quote_html(text: object, url: object = None) -> Html:
    """The article's words as a quotation (``<q lang="en">``: the verbatim English machine translation)."""
    cite = f' cite="{esc(url)}"' if isinstance(url, str) and url.startswith(("http://", "https://")) else ""
    return Html(f'<q class="ntm-quote" lang="en"{cite}>{esc(text)}</q>')


def seed_table(ctx: ReportContext, article: str | None = None) -> pd.DataFrame:
    """The claims (of one article, or all) as the report shows them: claim, the article's words (a quotation),
    the article's figure, the recomputed value, how it was computed, whether they match, and what is ambiguous."""
    lang = ctx.lang
    c = {k: i18n.t(k, lang) for k in ("col_claim", "col_article_words", "col_article_figure", "col_recomputed",
                                      "col_how_recomputed", "col_matches", "col_note")}
    df = seed_case(ctx)
    if article is not None:
        df = df[df["article"] == article]
    rows = []
    for _, r in df.iterrows():
        texts = claim_texts(r, lang)
        figure = "—"
        if pd.notna(r["article_value"]):
            figure = f"{_num(r['article_value'], lang)} {i18n.unit(r['article_unit'], lang)}"
        consistent = r["consistent"]
        matches = (i18n.t("seed_not_stated", lang) if consistent is pd.NA or pd.isna(consistent)
                   else i18n.t("yes" if bool(consistent) else "no", lang))
        dec = 2 if r["kind"] != "target" else 1
        rows.append({c["col_claim"]: texts["claim"], c["col_article_words"]: quote_html(r["quote"], r["article_url"]),
                     c["col_article_figure"]: figure,
                     c["col_recomputed"]: f"{fmt(r['recomputed_value'], dec, lang)} {i18n.unit(r['unit'], lang)}",
                     c["col_how_recomputed"]: texts["how"], c["col_matches"]: matches, c["col_note"]: texts["note"]})
    return pd.DataFrame(rows, columns=list(c.values()))


def article_html(ctx: ReportContext, article: str) -> str:
    """The article's name, link and date, and what the quotes are (HTML)."""
    lang = ctx.lang
    df = seed_case(ctx)
    r = df[df["article"] == article].iloc[0]
    meta = ARTICLES.get(article, {"publisher": article, "title": "", "translation": ""})
    date = r["article_date"] or ""
    when = (i18n.t("seed_dated", lang, date=i18n.date(date, lang)) if date else i18n.t("seed_undated", lang))
    link = f'<a href="{esc(r["article_url"])}" rel="noopener">{esc(meta["title"] or r["article_url"])}</a>'
    head = esc(i18n.t("seed_article", lang, publisher="\0p\0", title="\0t\0", when=when))
    head = head.replace("\0p\0", f"<strong>{esc(meta['publisher'])}</strong>").replace(
        "\0t\0", f'<i lang="vi">“{link}”</i>')
    about = esc(i18n.t("seed_quotes_are", lang, site="\0s\0", file="\0f\0"))
    about = about.replace("\0s\0", "<code>vietnam.vn</code>").replace(
        "\0f\0", f"<code>{esc(meta['translation'] or 'data/seeds')}</code>")
    return f"<p>{head}</p><p>{about}</p>"


def seed_html(ctx: ReportContext) -> str:
    """The case-study section: for every seed article about a member, the article named and its claims
    recomputed beside its words; the reason when the seed figures are not in the data folder."""
    lang = ctx.lang
    df = seed_case(ctx)
    parts = []
    with_seed = seed_provinces(ctx.params.data_dir)
    for m in ctx.members:
        if m.code not in with_seed:
            continue
        if ctx.place.vintage == 2025 and len(ctx.members) > 1:
            part_of = i18n.t("seed_2025", lang, name=m.name_short, code=m.code, place=ctx.place.name_short)
            parts.append(f"<p>{esc(part_of)}</p>")
        mine = df[df["code"] == m.code]
        if mine.empty:
            parts.append(f"<p>{esc(i18n.t('seed_missing', lang, file=SEED_FILE.rsplit('/', 1)[-1]))}</p>")
            continue
        for article in dict.fromkeys(mine["article"]):
            parts.append(article_html(ctx, article))
            parts.append(html_table(seed_table(ctx, article), classes="ntm-table ntm-claims"))
    if not parts:
        parts.append(f"<p>{esc(i18n.t('seed_none', lang))}</p>")
    return "".join(parts)


def seed_poverty_points(ctx: ReportContext) -> pd.DataFrame:
    """The poverty rates the seed articles state for places of the report's members (place, year, value, quote,
    fact_id), as transcribed: the points of the case-study figure."""
    got = seed_data(ctx.params.data_dir)
    if got is None:
        return pd.DataFrame(columns=["code", "place", "district", "year", "value", "article", "fact_id"])
    facts = got[0]
    codes = [m.code for m in ctx.members]
    f = facts[(facts["indicator"] == "poverty_rate") & facts["province_code"].isin(codes)]
    return pd.DataFrame({"code": f["province_code"].astype(str), "place": f["place"], "district": f["district"],
                         "year": f["period_end"].str[:4].astype(int), "value": f["value"].astype(float),
                         "article": f["article"], "fact_id": f["fact_id"]}
                        ).sort_values(["place", "year"]).reset_index(drop=True)


# --- what the sections read beyond the report's own rows ---------------------------------------------------
def shared_inputs(data_dir=None) -> dict[str, pd.DataFrame]:
    """The data every report's elasticity, model and case-study sections read beyond the report's own rows:
    ``model_inputs`` (every province's income and poverty rows and the national CPI: the cross-province model
    and each province's residual depend on all of them) and ``seed_facts`` (data/seeds; empty when the data
    folder has none). A render cache keyed on a report's own rows must also hash these (see
    :mod:`ntm_analysis.report.inputs`), or a change to another province's figure leaves the model section of
    this report stale."""
    seeds = seed_data(data_dir)
    return {"model_inputs": _panel_inputs(data_dir).reset_index(drop=True),
            "seed_facts": pd.DataFrame() if seeds is None else seeds[0].reset_index(drop=True)}
