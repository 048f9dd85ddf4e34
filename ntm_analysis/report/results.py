"""The analyses of one report, computed once per report (memoised on its :class:`ReportContext`).

Thin accessors: the computation lives in :mod:`ntm_analysis.analyses` (elasticities, the cross-province model, the
seed case studies, ranks) and :mod:`ntm_analysis.indicators` (the 2025 aggregate); here they are called with the
report's provinces, years and data folder. Tables (:mod:`ntm_analysis.report.tables`), text
(:mod:`ntm_analysis.report.text`) and figures read the same results.
"""
from __future__ import annotations

import pandas as pd

from ntm_analysis.analyses import ranks as _ranks
from ntm_analysis.analyses.elasticity import province_elasticities
from ntm_analysis.analyses.resource_measures import scope_table
from ntm_analysis.analyses.province_model import ModelUnavailable, ProvinceModel, model_for
from ntm_analysis.analyses.seed_cases import seed_claims_of, seed_poverty_points, seed_provinces
from ntm_analysis.data.ntm_provincial import load_ntm_reports
from ntm_analysis.data.panel import load_panel
from ntm_analysis.data.variables import INCOME, POPULATION
from ntm_analysis.indicators import MeasureBreakError, to_real
from ntm_analysis.indicators.aggregate import LATEST_WEIGHT_VARIABLE
from ntm_analysis.report.context import FIGURES, REAL_BASE_YEAR, ReportContext
from ntm_analysis.report.sources import citation


def elasticities(ctx: ReportContext) -> pd.DataFrame:
    """:func:`ntm_analysis.analyses.elasticity.province_elasticities` of the report's members (a copy)."""
    return ctx.memo("elasticity", lambda: province_elasticities(
        ctx.panel, [(m.code, m.name_short) for m in ctx.members])).copy()


def model(ctx: ReportContext) -> ProvinceModel:
    """The cross-province model of the report's years, fitted once per data version and shared between reports
    (read-only). Raises :class:`ModelUnavailable` (or :class:`MeasureBreakError`) when none can be fitted in
    these years."""
    return ctx.memo("model", lambda: model_for(ctx.panel, ctx.params.data_dir))


def has_model(ctx: ReportContext) -> bool:
    """True when a model can be fitted in the report's years."""
    try:
        model(ctx)
    except (ModelUnavailable, MeasureBreakError):
        return False
    return True


def model_members(ctx: ReportContext) -> pd.DataFrame:
    """The model's rows of the report's members (:meth:`ProvinceModel.members`)."""
    return model(ctx).members(ctx.codes)


def seed_case(ctx: ReportContext) -> pd.DataFrame:
    """The seed articles' claims about the report's members (a copy)."""
    return ctx.memo("seeds", lambda: seed_claims_of(ctx.codes, ctx.params.data_dir)).copy()


def has_seed_case(ctx: ReportContext) -> bool:
    """True when a seed article reports on one of the report's members."""
    return bool(seed_provinces(ctx.params.data_dir) & set(ctx.codes))


def seed_points(ctx: ReportContext) -> pd.DataFrame:
    """The poverty rates the seed articles state for the report's members (the case-study figure's points)."""
    return seed_poverty_points(ctx.codes, ctx.params.data_dir)


def ranks(ctx: ReportContext) -> pd.DataFrame:
    """Each member's rank per ranked figure and year in the report's years among the 63 provinces
    (:func:`ntm_analysis.analyses.ranks.ranks_of`)."""
    return ctx.memo("ranks", lambda: _ranks.ranks_of(ctx.codes, ctx.params.year_start, ctx.params.year_end,
                                                     ctx.params.data_dir))


def ranks_2025(ctx: ReportContext) -> pd.DataFrame:
    """A 2025 province's rank per ranked figure and year among the 34 provinces of 2025 with a figure that year
    (:func:`ntm_analysis.analyses.ranks.ranks_of` with ``vintage=2025``; ``weight_variable``/``weight_year`` of
    its aggregate); empty for a report of the 2008 geography."""
    def build() -> pd.DataFrame:
        if ctx.place.vintage != 2025:
            return pd.DataFrame(columns=[*_ranks.RANK_2025_COLUMNS])
        out = _ranks.ranks_of([ctx.place.code], ctx.params.year_start, ctx.params.year_end, ctx.params.data_dir,
                              vintage=2025)
        table = _ranks.cached_rank_table_2025(ctx.params.data_dir)
        extra = table[table["code"] == ctx.place.code].set_index(["variable", "year"])[
            ["weight_variable", "weight_year"]]
        return out.join(extra, on=["variable", "year"])
    return ctx.memo("ranks_2025", build)


def income_series(ctx: ReportContext, level: str, codes: list[str] | None = None) -> pd.DataFrame:
    """Income rows in the report's price basis: nominal, or real (``value`` at constant prices, years
    without CPI dropped) when ``price_basis == "real"``."""
    df = ctx.series(INCOME, level, codes)
    if ctx.params.price_basis != "real" or df.empty:
        return df
    real = to_real(df, REAL_BASE_YEAR, missing="na")
    real["value"] = real[f"value_real_{REAL_BASE_YEAR}"]
    return real[real["value"].notna()].reset_index(drop=True)


def aggregate_rows(ctx: ReportContext) -> list[dict]:
    """The 2025 aggregate beside its constituents, one record per figure and year (numbers, not text).

    Each record: ``variable``, ``year``, ``unit``, ``values`` (constituent code → published value or None),
    ``weights`` (code → the population weighting it or None), ``weight_variable`` and ``weight_year`` (the
    population series and year of those weights: the same year, or the latest published population (GSO V02.01,
    2022) for a later figure; None for population itself), ``aggregate`` (the value of
    :func:`ntm_analysis.indicators.aggregate_to_2025`, None where it was not computed), ``status`` and
    ``reason`` (why there is no aggregate: "no_value", "no_weight", "measures" or "other"; None otherwise),
    ``missing`` (the constituents lacking the value or the weight).
    """
    if not ctx.has_aggregate:
        return []
    return ctx.memo("aggregate_rows", lambda: _aggregate_rows(ctx))


def _aggregate_rows(ctx: ReportContext) -> list[dict]:
    agg = ctx.aggregate
    codes = set(ctx.codes)
    pop = load_panel(variables=[POPULATION, LATEST_WEIGHT_VARIABLE], data_dir=ctx.params.data_dir)
    pop = pop[pop["code"].isin(codes) & pop["value"].notna()]
    weights = {(str(w), str(c), int(y)): float(v)
               for w, c, y, v in zip(pop["variable"], pop["code"], pop["year"], pop["value"])}
    out = []
    for variable in FIGURES:
        mine = ctx.series(variable)
        published = {(str(c), int(y)): float(v) for c, y, v in zip(mine["code"], mine["year"], mine["value"])}
        kinds = {}
        for y, m, u in zip(mine["year"], mine["measure"], mine["unit"]):
            kinds.setdefault(int(y), set()).add((str(m), str(u)))
        rows = agg[agg["variable"] == variable]
        by_year = {int(y): (v, st, u) for y, v, st, u in zip(rows["year"], rows["value"], rows["status"],
                                                              rows["unit"])}
        weighted_by = {int(y): (str(wv), int(wy)) for y, wv, wy in zip(rows["year"], rows["weight_variable"],
                                                                     rows["weight_year"])
                       if isinstance(wv, str) and wv}
        units = {int(y): str(u) for y, u in zip(mine["year"], mine["unit"])}
        for year in sorted(set(units) | set(by_year)):
            values = {m.code: published.get((m.code, year)) for m in ctx.members}
            wvar, wyear = weighted_by.get(year, (POPULATION, year))
            w = {m.code: weights.get((wvar, m.code, wyear)) for m in ctx.members}
            v, status, unit = by_year.get(year, (None, "", units.get(year, "")))
            value = float(v) if v is not None and pd.notna(v) else None
            reason, missing = None, []
            if value is None:
                missing = [c for c, x in values.items() if x is None]
                if missing:
                    reason = "no_value"
                elif len(kinds.get(year, ())) > 1:
                    reason = "measures"
                elif variable != POPULATION and any(x is None for x in w.values()):
                    reason, missing = "no_weight", [c for c, x in w.items() if x is None]
                else:
                    reason = "other"
            out.append({"variable": variable, "year": year, "unit": str(unit), "values": values, "weights": w,
                        "weight_variable": wvar if variable != POPULATION else None,
                        "weight_year": wyear if variable != POPULATION else None,
                        "aggregate": value, "status": str(status), "reason": reason, "missing": missing})
    return out


def aggregate_sources(ctx: ReportContext, variable: str, year: int) -> list[str]:
    """The published sources of the inputs of a 2025 aggregate of ``variable`` in ``year``, each by its publisher
    and table in the report's language (:func:`ntm_analysis.report.sources.citation`)."""
    by_year = ctx.memo(("sources", variable), lambda: {
        int(y): list(dict.fromkeys(citation(f, s, ctx.lang) for f, s in zip(g["source_file"], g["source"])
                                   if isinstance(s, str) and s))
        for y, g in ctx.series(variable).groupby("year")})
    return by_year.get(int(year), [])


#: The NTM indicators that are totals of resources: each is shown with its scope (what it covers).
SCOPED_INDICATORS = ("resources_total", "resources_people")


def ntm_scopes(ctx: ReportContext) -> dict[int, str]:
    """What each resource total of the NTM data covers, by its row of the data file (the hand classification of
    ``analyses/resource_scope.yml``, :func:`ntm_analysis.analyses.resource_measures.scope_table`); a total the
    classification does not list is "not stated"."""
    def build() -> dict[int, str]:
        reports = load_ntm_reports(list(SCOPED_INDICATORS), include_post_merger=True, data_dir=ctx.params.data_dir)
        table = scope_table(reports)
        return dict(zip(table["source_row"].astype(int), table["scope"]))
    return ctx.memo("ntm_scopes", build)
