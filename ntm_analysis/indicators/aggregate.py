"""The 63 provinces' statistics aggregated to the 34 provinces of 1 July 2025.

Every series was published for the 63 provinces of the 2008 geography. A 2025 province formed
from several of them (Lâm Đồng 2025 = Bình Thuận 60 + Đắk Nông 67 + Lâm Đồng 68) gets, per
year and variable, the aggregate its :data:`AGGREGATION_RULES` entry names:

* ``weighted_mean`` — per-capita values, rates and indices (income_* except quintile means,
  poverty_*, scoli_hanoi_100), weighted by the constituents' ``population_total`` of the same year;
  where that series (1995–2016) has no figure, by the latest published population: the revised
  series ``population_total_v0201`` (2011–2022) of the latest year up to the figure's year in which
  every constituent has one (2022 for the 2023 income). One aggregate uses one series and one year
  for all its constituents; the two series are never mixed. ``weight_variable`` and ``weight_year``
  say which.
* ``sum`` — counts (population_*, admin_*).
* ``not_aggregable`` — quintile means (income_q1 … income_q5): the union of the constituents'
  poorest fifths is not the poorest fifth of the merged province, so no aggregate is formed.

A province whose territory did not change (Hà Nội 01, Cao Bằng 04, …) keeps its values as they
are (no weights needed). Hà Nội before 2008 is the 2008-geography Hà Nội (01, within its old
boundaries) plus Hà Tây (panel level ``former_province``, code ``HA-TAY``): pass
``load_panel(level="all")`` to include Hà Tây, otherwise those years of Hà Nội are gaps.

For a merged province, when any constituent lacks the value or the weight of that year, the
aggregate is **not computed**: it is returned as a missing value with a note naming the
constituent(s) and what is missing — nothing is guessed. ``strict=True`` raises
:class:`MissingWeightError` instead. An aggregate's status is the weakest of its inputs' (values
and weights): an aggregate of a preliminary figure is preliminary.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ntm_analysis.data import geo
from ntm_analysis.data.panel import HA_TAY_CODE, PANEL_COLUMNS
from ntm_analysis.indicators._common import plain, weakest_status
from ntm_analysis.data.variables import INCOME, POPULATION, POVERTY_LINE, POVERTY_MULTI

WEIGHT_VARIABLE = POPULATION
#: The latest published population (GSO table V02.01, average population, 2011–2022): the weights of a year the
#: 1995–2016 series does not reach, at its latest year up to that year.
LATEST_WEIGHT_VARIABLE = "population_total_v0201"


@dataclass(frozen=True)
class Rule:
    """How one variable is aggregated: ``method`` (weighted_mean | sum | not_aggregable), its weight, why."""

    method: str
    weight: str | None
    rationale: str


_PER_CAPITA = ("per-capita income: total income ÷ population, so the merged value is the "
               "population-weighted mean of the constituents' values (exact when income per capita is "
               "taken over the average population)")
_RATE = ("share of the population: the merged rate is the population-weighted mean (exact for a share of "
         "persons; for a share of households, household counts would be the exact weights and are not published)")
_SCOLI = ("price level relative to Hà Nội: population-weighted mean, an approximation of the merged "
          "province's index (GSO has not published one)")
_QUINTILE = ("mean income of a quintile of the province's own distribution: the constituents' poorest fifths "
             "together are not the merged province's poorest fifth, so no aggregate is formed")
_COUNT = "count: the merged province has the sum of its constituents"

#: variable → :class:`Rule`. Every province-level variable of the panel has an entry.
AGGREGATION_RULES: dict[str, Rule] = {
    **{v: Rule("weighted_mean", WEIGHT_VARIABLE, _PER_CAPITA)
       for v in (INCOME, "income_wage", "income_agri_forestry_fishery", "income_non_agri",
                 "income_other")},
    **{f"income_q{i}": Rule("not_aggregable", None, _QUINTILE) for i in range(1, 6)},
    POVERTY_LINE: Rule("weighted_mean", WEIGHT_VARIABLE, _RATE),
    POVERTY_MULTI: Rule("weighted_mean", WEIGHT_VARIABLE, _RATE),
    "scoli_hanoi_100": Rule("weighted_mean", WEIGHT_VARIABLE, _SCOLI),
    **{f"population_{k}": Rule("sum", None, _COUNT)
       for k in ("total", "urban", "rural", "male", "female", "total_v0201")},
    **{f"admin_{k}": Rule("sum", None, _COUNT)
       for k in ("cities", "urban_districts", "towns", "rural_districts", "wards", "townships", "communes")},
}

OUTPUT_COLUMNS = [*PANEL_COLUMNS, "constituents", "input_rows", "weight_variable", "weight_year"]


class AggregationError(ValueError):
    """An aggregate to the 2025 provinces cannot be formed (``strict=True``)."""


class MissingWeightError(AggregationError):
    """A constituent lacks the value or the weight needed for an aggregate (``strict=True``)."""

    def __init__(self, province: str, year: int, variable: str, missing: str):
        self.province, self.year, self.variable, self.missing = province, year, variable, missing
        super().__init__(f"cannot aggregate {variable} for {province} in {year}: {missing}")


def _weights(panel: pd.DataFrame, weights) -> pd.DataFrame:
    """Weights as a frame code, year, weight, weight_status."""
    if weights is None or isinstance(weights, str):
        var = weights or WEIGHT_VARIABLE
        src = panel
        if not (panel["variable"].astype(str) == var).any():
            from ntm_analysis.data.panel import load_panel
            src = load_panel(variables=var)
        w = plain(src[(src["variable"].astype(str) == var)
                      & src["level"].astype(str).isin(("province", "former_province"))])
        return pd.DataFrame({"code": w["code"], "year": w["year"].astype(int), "weight": w["value"].astype(float),
                             "weight_status": w["status"]})
    if isinstance(weights, pd.DataFrame):
        w = plain(weights)
        col = "weight" if "weight" in w.columns else "value" if "value" in w.columns else None
        if col is None or not {"code", "year"} <= set(w.columns):
            raise ValueError("weights must have columns code, year and weight (or value); got "
                             f"{list(w.columns)}")
        if "variable" in w.columns and w["variable"].nunique() > 1:
            raise ValueError(f"weights hold several variables ({', '.join(sorted(w['variable'].unique()))}); pass one")
        status = w["status"] if "status" in w.columns else "final"
        return pd.DataFrame({"code": w["code"].astype(str), "year": w["year"].astype(int),
                             "weight": w[col].astype(float), "weight_status": status}).dropna(subset=["weight"])
    raise TypeError(f"weights must be None, a variable name or a frame; got {type(weights).__name__}")


def _join(values, sep=" | ") -> str:
    seen = []
    for v in values:
        if v and v not in seen:
            seen.append(v)
    return sep.join(seen)


def aggregate_to_2025(panel: pd.DataFrame, weights=None, *, strict: bool = False, variables=None, years=None,
                      rules: dict[str, Rule] | None = None,
                      latest_weights: str | None = LATEST_WEIGHT_VARIABLE) -> pd.DataFrame:
    """Aggregate the province panel (2008 geography) to the 34 provinces of 2025.

    Parameters
    ----------
    panel : the long panel (``ntm.load_panel()``); only ``level == "province"`` rows are used.
    weights : ``None`` (``population_total`` of the same year, from the panel or else the shipped
        data), another variable name, or a frame with ``code``, ``year``, ``weight`` (or ``value``).
    strict : raise :class:`MissingWeightError` (or :class:`AggregationError` for a
        ``not_aggregable`` variable of a merged province) instead of returning a gap.
    variables, years : restrict the output (the weights are read from the whole ``panel``).
    rules : overrides of :data:`AGGREGATION_RULES`.
    latest_weights : with ``weights=None``, the population series weighting a year in which a
        constituent has no ``population_total``: its latest year up to the figure's year in which every
        constituent has a figure (:data:`LATEST_WEIGHT_VARIABLE`, so 2023 is weighted by 2022).
        ``None``: no such weights, the aggregate is a gap.

    Returns
    -------
    Long frame with the panel's columns plus ``constituents`` ("60+67+68") and ``input_rows``
    (file rows of every input): vintage 2025, the 2025 code and short name, region = the region
    of the constituent whose name the province kept (not an official 2025 grouping), status =
    the weakest among values and weights, ``source`` beginning "aggregated from …" (or
    "unchanged territory: …"), and a note. A gap has ``value`` NA and the reason in ``note``.
    One row per 2025 province × year × variable where at least one constituent has a value.
    ``weight_variable`` and ``weight_year`` name the weights of a weighted mean (empty otherwise).
    """
    rules = {**AGGREGATION_RULES, **(rules or {})}
    df = plain(panel[panel["level"].astype(str).isin(("province", "former_province"))])
    if variables is not None:
        wanted = [variables] if isinstance(variables, str) else list(variables)
        df = df[df["variable"].isin(wanted)]
    if years is not None:
        df = df[df["year"].isin([int(y) for y in np.atleast_1d(years)])]
    unknown = sorted(set(df["variable"]) - set(rules))
    if unknown:
        raise KeyError(f"no aggregation rule for {', '.join(unknown)}; add one with rules={{name: Rule(...)}}")
    old = geo.provinces_by_code(2008)
    new = geo.provinces_by_code(2025)
    names = {c: p.name_short for c, p in old.items()} | {HA_TAY_CODE: "Hà Tây"}
    df = df.assign(code_2025=df["code"].map({c: p.successor for c, p in old.items()} | {HA_TAY_CODE: "01"}))
    w = _weights(panel, weights)
    wmap = {(c, int(y)): (v, s)
            for c, y, v, s in w[["code", "year", "weight", "weight_status"]].itertuples(index=False)}
    latest: dict[tuple[str, int], tuple[float, str]] = {}
    if weights is None and latest_weights:
        lw = _weights(panel, latest_weights)
        latest = {(c, int(y)): (v, s) for c, y, v, s in
                  lw[["code", "year", "weight", "weight_status"]].itertuples(index=False) if pd.notna(v)}
    latest_years = sorted({y for _, y in latest}, reverse=True)
    recs = df.to_dict("records")
    groups: dict[tuple, list[dict]] = {}
    for r in recs:
        groups.setdefault((r["code_2025"], r["variable"], int(r["year"])), []).append(r)
    out = []
    for (code, variable, year), rows in groups.items():
        prov = new[code]
        members = prov.constituents
        if code == "01" and year < 2008:  # Hà Nội's 2025 territory = old Hà Nội + Hà Tây before the 2008 merger
            members = ("01", HA_TAY_CODE)
        label = " + ".join(f"{names[c]} ({c})" for c in members)
        by_code = {r["code"]: r for r in rows}
        rule = rules[variable]
        # the weight named in notes: the variable actually used (a name passed overrides the rule's default)
        wname = weights if isinstance(weights, str) else "the weights given" if weights is not None else rule.weight
        first = rows[0]
        rec = {"level": "province", "vintage": 2025, "code": code, "name": prov.name_short, "region": prov.region,
               "year": year, "variable": variable, "unit": first["unit"], "measure": first["measure"],
               "accessed": _join(r["accessed"] for r in rows), "constituents": "+".join(members),
               "source_url": _join((r["source_url"] for r in rows), " ; "),
               "source_file": _join((r["source_file"] for r in rows), " ; "),
               "input_rows": ", ".join(f"{r['code']}: {r['source_file']} row {r['source_row']}"
                                       for r in sorted(rows, key=lambda r: r["code"])),
               "weight_variable": None, "weight_year": pd.NA}
        notes = _join((f"{r['code']}: {r['note']}" if len(members) > 1 else r["note"]) for r in rows
                      if r["note"])
        if len(members) == 1:
            rec.update(value=first["value"], status=first["status"], source_row=first["source_row"],
                       source=f"unchanged territory: {label}, 2008 geography; {first['source']}", note=notes)
            out.append(rec)
            continue
        rec["source_row"] = pd.NA
        missing_values = [c for c in members if c not in by_code]
        problem = ""
        if len({r["measure"] for r in rows}) > 1 or len({r["unit"] for r in rows}) > 1:
            problem = "constituents are measured differently (" + _join(
                (f"{r['code']}: {r['measure']}, {r['unit']}" for r in rows), "; ") + ")"
        elif rule.method == "not_aggregable":
            problem = f"not aggregable: {rule.rationale}"
        elif missing_values:
            problem = ("no " + variable + " for " + ", ".join(f"{names[c]} ({c})" for c in missing_values)
                       + f" in {year}")
            if HA_TAY_CODE in missing_values and not (df["code"] == HA_TAY_CODE).any():
                problem += " (Hà Tây's rows are level 'former_province': pass load_panel(level='all'))"
        elif rule.method == "weighted_mean":
            wvar, wyear, used = wname, year, wmap
            missing_w = [c for c in members if (c, year) not in wmap or pd.isna(wmap[(c, year)][0])]
            if missing_w and latest:
                # the latest published population up to this year, one series and one year for every constituent
                found = next((y for y in latest_years if y <= year and all((c, y) in latest for c in members)),
                             None)
                if found is not None:
                    wvar, wyear, used, missing_w = latest_weights, found, latest, []
            if missing_w:
                problem = (f"no weight ({wname}) for " + ", ".join(f"{names[c]} ({c})" for c in missing_w)
                           + f" in {year}")
                if wname == WEIGHT_VARIABLE:
                    problem += (" (GSO population by province is published for 1995–2016"
                                + (f", and {latest_weights} has no year up to {year} with every constituent"
                                   if latest else "") + ")")
            else:
                rec["weight_variable"], rec["weight_year"] = wvar, wyear
        stated = "population-weighted mean" if rule.method == "weighted_mean" else rule.method
        rec["source"] = (f"aggregated from {label}, 2008 geography ({stated}"
                         + (f", weights {rec['weight_variable'] or wname} "
                            f"{rec['weight_year'] if rec['weight_variable'] else year}"
                            if rule.method == "weighted_mean" else "")
                         + "); inputs: " + _join(r["source"] for r in rows))
        if problem:
            if strict:
                cls = AggregationError if rule.method == "not_aggregable" else MissingWeightError
                if cls is AggregationError:
                    raise AggregationError(f"cannot aggregate {variable} for {prov.name_short} ({code}) in {year}: "
                                           f"{problem}")
                raise MissingWeightError(f"{prov.name_short} ({code})", year, variable, problem)
            rec.update(value=np.nan, status=weakest_status(r["status"] for r in rows),
                       note=_join(["not computed: " + problem, notes], "; "))
            out.append(rec)
            continue
        values = np.array([by_code[c]["value"] for c in members], dtype=float)
        statuses = [by_code[c]["status"] for c in members]
        if rule.method == "sum":
            rec["value"] = float(values.sum())
            how = f"sum of {'+'.join(members)}"
        else:
            wt = np.array([used[(c, wyear)][0] for c in members], dtype=float)
            statuses += [used[(c, wyear)][1] for c in members]
            rec["value"] = float((values * wt).sum() / wt.sum())
            how = f"weights ({wvar} {wyear}): " + ", ".join(f"{c} {x:g}" for c, x in zip(members, wt))
        rec["status"] = weakest_status(statuses)
        rec["note"] = _join([how, notes], "; ")
        out.append(rec)
    res = pd.DataFrame(out, columns=OUTPUT_COLUMNS)
    res["source_row"] = res["source_row"].astype("Int64")
    res["value"] = res["value"].astype(float)
    res["year"] = res["year"].astype("int64")
    res["weight_year"] = res["weight_year"].astype("Int64")
    return res.sort_values(["code", "variable", "year"], kind="stable").reset_index(drop=True)
