"""The tables of a province report, each built once as a :class:`~ntm_analysis.report.columns.ReportTable`: a
tidy frame of numbers and codes with column ids, shown by :mod:`ntm_analysis.report.display` in the report's
language and written by :mod:`ntm_analysis.report.downloads` to CSV and XLSX.

One builder per table; each takes the :class:`ReportContext` and returns a ReportTable (the table's id names its
catalog title, its CSV file and its sheet). Gaps stay gaps: a figure with no published value is a row with an
empty value and the reason in its note; nothing is filled.
"""
from __future__ import annotations

import pandas as pd

from ntm_analysis import i18n
from ntm_analysis.analyses.seed_cases import ARTICLES
from ntm_analysis.data.variables import INCOME, POPULATION, POVERTY_LINE, POVERTY_MULTI
from ntm_analysis.data.datapoints import load_ntm_national
from ntm_analysis.indicators import to_real
from ntm_analysis.report import results, sources, text
from ntm_analysis.report.columns import ReportTable, table_files
from ntm_analysis.report.context import FIGURES, REAL_BASE_YEAR, ReportContext, place_label, region_name

#: National NTM progress figures a report shows for context.
NATIONAL_NTM_VARIABLES = ("communes_ntm", "communes_ntm_pct", "districts_ntm")
SERIES_COLUMNS = ["geography", "place_code", "place", "year", "variable", "value", "unit", "measure", "status",
                  "source", "source_url", "note"]


def _one_place(ctx: ReportContext) -> set[str]:
    """Columns a report of one province hides (its title names the province already)."""
    return {"place_code", "place"} if len(ctx.members) == 1 else {"place_code"}


# --- the published series ---------------------------------------------------------------------------------------
def _series(ctx: ReportContext, variables: list[str]) -> pd.DataFrame:
    """Tidy rows of ``variables`` for the members, the 2025 aggregate (gaps included), the region(s) and the
    nation, as published."""
    def build() -> pd.DataFrame:
        frames = []
        records = {(r["variable"], r["year"]): r for r in results.aggregate_rows(ctx)}
        for variable in variables:
            levels = ["province"] if variable == POPULATION else ["province", "region", "national"]
            for level in levels:
                df = ctx.series(variable, level)
                if df.empty:
                    continue
                place = (df["name"] if level == "province" else
                         df["code"].map(lambda c: region_name(c, ctx.lang)) if level == "region"
                         else i18n.t("nation", ctx.lang))
                frames.append(pd.DataFrame({
                    "geography": level, "place_code": df["code"].astype(str), "place": place,
                    "year": df["year"].astype(int), "variable": variable, "value": df["value"].astype(float),
                    "unit": df["unit"].astype(str), "measure": df["measure"].astype(str),
                    "status": df["status"].astype(str),
                    "source": [sources.citation(f, s, ctx.lang) for f, s in zip(df["source_file"], df["source"])],
                    "source_url": df["source_url"],
                    "note": df["note"].fillna("")}))
            if ctx.has_aggregate:
                agg = ctx.aggregate[ctx.aggregate["variable"] == variable].sort_values("year")
                if len(agg):
                    frames.append(pd.DataFrame({
                        "geography": "aggregate", "place_code": ctx.place.code,
                        "place": i18n.t("aggregate_label", ctx.lang, name=ctx.place.name_short),
                        "year": agg["year"].astype(int), "variable": variable, "value": agg["value"].astype(float),
                        "unit": agg["unit"].astype(str), "measure": agg["measure"].astype(str),
                        "status": agg["status"].astype(str),
                        "source": [results.aggregate_sources(ctx, variable, int(y)) for y in agg["year"]],
                        "source_url": agg["source_url"],
                        "note": [text.aggregate_how(ctx, records[(variable, int(y))])
                                 if (variable, int(y)) in records else "" for y in agg["year"]]}))
        if not frames:
            return pd.DataFrame(columns=SERIES_COLUMNS)
        return pd.concat(frames, ignore_index=True)[SERIES_COLUMNS]
    return ctx.memo(("series", tuple(variables)), build).copy()


def income(ctx: ReportContext) -> ReportTable:
    """Income per capita of the members, the 2025 aggregate, the region(s) and the nation, as published (and at
    constant prices in a report of price basis "real": deflated by the national CPI, a gap where there is none)."""
    df = _series(ctx, [INCOME])
    files = table_files("income")
    fields = {}
    if ctx.params.price_basis == "real":
        col = "value_real"
        if len(df):
            wide = pd.DataFrame({"year": df["year"], "income": df["value"]})
            df[col] = to_real(wide, REAL_BASE_YEAR, column="income", missing="na")[
                f"income_real_{REAL_BASE_YEAR}"].astype(float).to_numpy()
        else:
            df[col] = pd.Series(dtype=float)
        files, fields = table_files("income_real"), {col: {"base": REAL_BASE_YEAR}}
    return ReportTable("income", df, ctx.lang, files=files, fields=fields)


def poverty(ctx: ReportContext) -> ReportTable:
    """Poverty rates (income line and multidimensional: different variables, never mixed), as published."""
    return ReportTable("poverty", _series(ctx, [POVERTY_LINE, POVERTY_MULTI]), ctx.lang)


def population(ctx: ReportContext) -> ReportTable:
    """The members' population, as published."""
    return ReportTable("population", _series(ctx, [POPULATION]), ctx.lang)


# --- key figures ------------------------------------------------------------------------------------------------
#: The key figure of income at constant prices (its label and measure are in the catalog).
REAL_INCOME_FIGURE = f"income_per_capita_real_{REAL_BASE_YEAR}"
REAL_INCOME_MEASURE = f"VHLSS household income, constant {REAL_BASE_YEAR} prices (national CPI)"


def _real_income_figure(known: pd.DataFrame) -> list[dict]:
    """The latest income (of ``known``, one place's published rows by year) that the national CPI chain reaches, at
    constant :data:`REAL_BASE_YEAR` prices, as one key-figure row keeping the income's year and status; none when no
    year is reachable."""
    real = to_real(pd.DataFrame({"year": known["year"].astype(int), "income": known["value"].astype(float)}),
                   REAL_BASE_YEAR, column="income", missing="na")[f"income_real_{REAL_BASE_YEAR}"]
    reached = real.notna().to_numpy()
    if not reached.any():
        return []
    i = int(reached.nonzero()[0][-1])
    row = known.iloc[i].to_dict()
    row.update(variable=REAL_INCOME_FIGURE, value=float(real.iloc[i]), measure=REAL_INCOME_MEASURE)
    return [row]


def key_figures(ctx: ReportContext) -> ReportTable:
    """The latest figure of each member (and of the 2025 aggregate) in the report's years: income, poverty by
    measure and population, with year, status and source. A figure with no published value is a row with an
    empty value and the reason in its note: a gap is not hidden."""
    series = pd.concat([_series(ctx, [v]) for v in FIGURES], ignore_index=True)
    wanted = [("province", m.code, m.name_short) for m in ctx.members]
    if ctx.has_aggregate:
        wanted.append(("aggregate", ctx.place.code,
                       i18n.t("aggregate_label", ctx.lang, name=ctx.place.name_short)))
    rows = []
    for geography, code, name in wanted:
        for variable in FIGURES:
            mine = series[(series["geography"] == geography) & (series["place_code"] == code)
                          & (series["variable"] == variable)]
            known = mine[mine["value"].notna()].sort_values("year")
            if known.empty:  # a gap stays a gap: a row without a value
                note = i18n.t("missing" if geography == "province" else "not_computable", ctx.lang)
                rows.append({"geography": geography, "place_code": code, "place": name, "variable": variable,
                             "year": pd.NA, "value": float("nan"), "unit": "", "measure": "", "status": "",
                             "source": "", "source_url": "", "note": note})
                continue
            rows.append(known.iloc[-1].to_dict())
            if variable == INCOME:
                rows += _real_income_figure(known)
    out = pd.DataFrame(rows, columns=SERIES_COLUMNS)[["geography", "place_code", "place", "variable", "year", "value",
                                                      "unit", "measure", "status", "source", "source_url", "note"]]
    out["year"] = out["year"].astype("Int64")
    hidden = {"geography", "place_code"} | ({"place"} if not ctx.has_aggregate and len(ctx.members) == 1 else set())
    return ReportTable("key_figures", out, ctx.lang, hidden=hidden)


# --- the 2025 aggregate -----------------------------------------------------------------------------------------
def aggregate(ctx: ReportContext) -> ReportTable:
    """The 2025 aggregate beside each constituent's published value and weight, per figure and year, with the
    weights used or why it was not computed (a missing weight leaves the year out, never guessed). Empty for a
    province that kept its territory."""
    rows, fields = [], {}
    for m in ctx.members:
        fields[f"member_{m.code}"] = fields[f"weight_{m.code}"] = {"place": place_label(m)}
    fields["aggregate"] = {"name": ctx.place.name_short}
    for r in results.aggregate_rows(ctx):
        row = {"variable": r["variable"], "year": r["year"]}
        row.update({f"member_{m.code}": r["values"][m.code] for m in ctx.members})
        row.update({f"weight_{m.code}": (r["weights"][m.code] if r["variable"] != POPULATION else None)
                    for m in ctx.members})
        row.update({"aggregate": r["aggregate"], "unit": r["unit"], "status": r["status"],
                    "note": text.aggregate_note(ctx, r),
                    "source": results.aggregate_sources(ctx, r["variable"], r["year"])})
        rows.append(row)
    cols = (["variable", "year"] + [f"member_{m.code}" for m in ctx.members]
            + [f"weight_{m.code}" for m in ctx.members] + ["aggregate", "unit", "status", "note", "source"])
    df = pd.DataFrame(rows, columns=cols)
    for c in cols:
        if c.startswith(("member_", "weight_")) or c == "aggregate":
            df[c] = df[c].astype(float)
    hidden = {f"weight_{m.code}" for m in ctx.members} | {"source"}
    return ReportTable("aggregate_2025", df, ctx.lang, hidden=hidden, fields=fields, empty="no_aggregate")


# --- ranks ------------------------------------------------------------------------------------------------------
def ranks(ctx: ReportContext) -> ReportTable:
    """Rank of each member among the provinces of its region and of the nation, per figure and year
    (:func:`ntm_analysis.indicators.rank_within`: income 1 = highest, poverty 1 = lowest; ties share the best
    rank). Years in which the province has no figure are absent."""
    r = results.ranks(ctx)
    names = {m.code: m.name_short for m in ctx.members}
    df = pd.DataFrame({"geography": "province", "place_code": r["code"], "place": r["code"].map(names),
                       "variable": r["variable"], "year": r["year"], "value": r["value"], "unit": r["unit"],
                       "rank_region": r["rank_region"].astype("Int64"), "n_region": r["n_region"].astype("Int64"),
                       "rank_nation": r["rank_nation"].astype("Int64"), "n_nation": r["n_nation"].astype("Int64"),
                       "status": r["status"], "note": ""})
    if ctx.place.vintage == 2008:
        return ReportTable("ranks", df, ctx.lang, hidden=_one_place(ctx) | {"geography", "note"},
                           labels={"variable": "rank_figure"}, empty="no_ranks")
    # the 2025 geography: the province itself among the 34 first, then its constituents among the 63
    n = results.ranks_2025(ctx)
    notes = [i18n.t("weighted_by_year", ctx.lang, year=int(y)) if isinstance(v, str) and v else ""
             for v, y in zip(n["weight_variable"], n["weight_year"])]
    new = pd.DataFrame({"geography": "aggregate" if ctx.has_aggregate else "province_2025",
                        "place_code": n["code"].astype(str), "place": ctx.place.name_short, "variable": n["variable"],
                        "year": n["year"], "value": n["value"], "unit": n["unit"], "rank_region": n["rank_region"],
                        "n_region": n["n_region"], "rank_nation": n["rank_nation"], "n_nation": n["n_nation"],
                        "status": n["status"], "note": notes})
    out = pd.concat([new, df], ignore_index=True) if len(df) else new
    for c in ("rank_region", "n_region", "rank_nation", "n_nation"):
        out[c] = out[c].astype("Int64")
    out["year"] = out["year"].astype(int)
    return ReportTable("ranks", out, ctx.lang, hidden={"place_code", "rank_region", "n_region"},
                       labels={"variable": "rank_figure"}, empty="no_ranks")


# --- NTM --------------------------------------------------------------------------------------------------------
def _scope_of(ctx: ReportContext, indicator: str, row: object) -> str | None:
    """The scope code of one NTM row: its classification for a resource total, None for any other indicator."""
    if indicator not in results.SCOPED_INDICATORS:
        return None
    return results.ntm_scopes(ctx).get(int(row), "not stated")


def ntm(ctx: ReportContext) -> ReportTable:
    """The members' own NTM figures: indicator, period, value with unit, scope (what a resource total covers:
    includes credit, budget only, all three national target programmes, …) and qualifier, the number as reported,
    confidence, the source's words and link. Figures of different periods and scopes are never summed."""
    df = ctx.ntm.sort_values(["province_code", "indicator", "end_year", "period_end"], na_position="first")
    out = pd.DataFrame({
        "place_code": df["province_code"].astype(str), "place": df["province"], "indicator": df["indicator"],
        "period": [i18n.period(p, ctx.lang) for p in df["period_label"]],
        "start_year": df["start_year"].astype("Int64"), "end_year": df["end_year"].astype("Int64"),
        "value": df["value"].astype(float), "unit": df["unit"].astype(str),
        "scope": [_scope_of(ctx, i, r) for i, r in zip(df["indicator"], df["source_row"])],
        "qualifier": df["qualifier"],
        "value_reported": df["value_reported"].astype(float), "unit_reported": df["unit_reported"],
        "confidence": df["confidence"], "quote": df["quote"], "source_url": df["source_url"]}).reset_index(drop=True)
    hidden = _one_place(ctx) | {"start_year", "end_year", "quote"}
    return ReportTable("ntm", out, ctx.lang, hidden=hidden, empty="ntm_none")


def ntm_national(ctx: ReportContext) -> ReportTable:
    """National NTM progress snapshots (communes and districts meeting the standard), for context."""
    n = load_ntm_national(data_dir=ctx.params.data_dir)
    n = n[n["variable"].isin(NATIONAL_NTM_VARIABLES)]
    out = pd.DataFrame({"as_of": [i18n.as_of(a, ctx.lang) for a in n["as_of"]], "indicator": n["variable"],
                        "value": n["value"].astype(float), "unit": n["unit"].astype(str),
                        "qualifier": n["qualifier"], "source_url": n["source_url"]}).reset_index(drop=True)
    return ReportTable("ntm_national", out, ctx.lang)


# --- the poverty–growth elasticity ------------------------------------------------------------------------------
def elasticity(ctx: ReportContext) -> ReportTable:
    """Each member's poverty–growth elasticity per period (:mod:`ntm_analysis.analyses.elasticity`): real
    income growth, poverty rates and their change, the elasticity, measure and status; where the library
    refused, empty numbers and the reason in the note."""
    rec = results.elasticities(ctx)
    lang = ctx.lang
    df = pd.DataFrame({
        "place_code": rec["code"], "place": rec["name"],
        "period": [text.period_text(a, b, k, lang) for a, b, k in zip(rec["y0"], rec["y1"], rec["kind"])],
        "start_year": rec["y0"].astype("Int64"), "end_year": rec["y1"].astype("Int64"), "period_kind": rec["kind"],
        "income_start": rec["income0_nominal"], "income_end": rec["income1_nominal"],
        "income_growth_real": rec["income_growth_real_pct"], "poverty_start": rec["poverty0"],
        "poverty_end": rec["poverty1"], "poverty_change": rec["poverty_change_pct"], "elasticity": rec["elasticity"],
        "measure": rec["poverty_measure"], "status": rec["status"],
        "note": [text.elasticity_note(r, lang) for _, r in rec.iterrows()]})
    hidden = _one_place(ctx) | {"start_year", "end_year", "period_kind", "income_start", "income_end"}
    return ReportTable("elasticity", df, lang, hidden=hidden, empty="el_none")


# --- the cross-province model -----------------------------------------------------------------------------------
def model_estimates(ctx: ReportContext) -> ReportTable:
    """The model's estimates: the cross-province line (the one the residuals come from) and the two-way
    fixed-effects model over the same years, every term (:class:`~ntm_analysis.models.ModelResult` coefs)."""
    lang = ctx.lang
    model = results.model(ctx)
    cs = model.cross_section
    fits = [(i18n.t("model_cs_label", lang, y0=model.y0, y1=model.y1), cs,
             i18n.t("model_n_provinces", lang, n=cs.n_obs), i18n.t("model_se_hc1", lang, df=cs.n_obs - 2))]
    if model.fe is not None:
        fe = model.fe
        fits.append((i18n.t("model_fe_label", lang, y0=model.y0, y1=model.y1), fe,
                     i18n.t("model_n_obs", lang, n=text.fmt(fe.n_obs, 0, lang), units=fe.n_units),
                     i18n.t("model_se_cluster", lang, g=fe.n_clusters)))
    rows = []
    for label, res, sample, se_type in fits:
        for _, t in res.coefs.iterrows():
            rows.append({"model": label, "term": t["term"], "estimate": t["estimate"], "std_error": t["std_error"],
                         "ci_low": t["ci_low"], "ci_high": t["ci_high"], "p_value": t["p_value"],
                         "n_obs": res.n_obs, "n_units": res.n_units, "sample": sample, "se_type": se_type,
                         "start_year": model.y0, "end_year": model.y1})
    df = pd.DataFrame(rows)
    return ReportTable("model_estimates", df, lang,
                       hidden={"p_value", "n_obs", "n_units", "start_year", "end_year"})


def model_provinces(ctx: ReportContext) -> ReportTable:
    """Every province of the model: real income growth, poverty rates, actual and predicted change, residual,
    the predicted rate, its rank by residual (or why it is not in the model); ``highlighted`` marks the
    report's provinces (the report shows those rows)."""
    lang = ctx.lang
    model = results.model(ctx)
    f = model.members(list(model.frame["code"]))
    df = pd.DataFrame({
        "place_code": f["code"], "place": f["name"], "region": [region_name(r, lang) for r in f["region"]],
        "highlighted": f["code"].isin(ctx.codes), "in_model": f["in_model"].astype(bool),
        "start_year": model.y0, "end_year": model.y1, "income_growth_real": f["income_growth_real_pct"],
        "dln_income": f["dln_income"], "poverty_start": f["poverty0"], "poverty_end": f["poverty1"],
        "dln_poverty": f["dln_poverty"], "predicted": f["predicted"], "residual": f["residual"],
        "predicted_poverty_end": f["predicted_poverty1"], "rank": f["rank"], "n_ranked": f["n"],
        "status": f["status"], "note": [text.model_note(r, lang) for _, r in f.iterrows()]})
    hidden = (_one_place(ctx) | {"region", "highlighted", "in_model", "start_year", "end_year", "dln_income",
                                 "rank", "n_ranked", "status"})
    return ReportTable("model_provinces", df, lang, hidden=hidden)


# --- the seed case studies --------------------------------------------------------------------------------------
def seed_claims(ctx: ReportContext) -> ReportTable:
    """The seed articles' claims about the report's members, each recomputed from the article's own figures
    (:mod:`ntm_analysis.analyses.seed_cases`) beside its words: claim, quote, the article's figure, the
    recomputed value, how, whether they match, what is ambiguous."""
    lang = ctx.lang
    claims = results.seed_case(ctx)
    texts = [text.claim_texts(r, lang) for _, r in claims.iterrows()]
    df = pd.DataFrame({
        "place_code": claims["code"], "place": claims["place"],
        "article": [ARTICLES.get(a, {}).get("publisher", a) for a in claims["article"]],
        "claim": [t["claim"] for t in texts], "article_words": claims["quote"],
        "article_figure": pd.to_numeric(claims["article_value"], errors="coerce"),
        "article_unit": claims["article_unit"], "recomputed": claims["recomputed_value"].astype(float),
        "unit": claims["unit"], "how": [t["how"] for t in texts],
        "matches": claims["consistent"].astype("boolean"), "note": [t["note"] for t in texts],
        "source_url": claims["article_url"]})
    hidden = {"place_code", "place", "article"} if df["article"].nunique() <= 1 else {"place_code", "place"}
    return ReportTable("seed_claims", df, lang, hidden=hidden, empty="seed_none")
