"""A province's poverty–growth elasticities by period, with the library's refusals as structured reasons.

* :func:`elasticity_periods` — the periods a province report shows: consecutive income survey years ("step") and
  every run of three or more survey years on one poverty line ("span").
* :func:`province_elasticities` — one row per province and period, computed by
  :func:`ntm_analysis.indicators.poverty_growth_elasticity` with income at constant prices (national CPI); where
  the library refuses (a change of poverty measure, a missing or zero input, no CPI) the row keeps the reasons
  (:func:`refusal_reasons`), never a number.
* :func:`period_elasticities` — every province's elasticity of one period (what the cross-province model reads),
  computed once per data version (a :func:`ntm_analysis.data.cache.memo` keyed by the checksums of
  :data:`PANEL_READS` and the code of this module and what it imports).

No HTML, no language: tidy frames and records.
"""
from __future__ import annotations

import math
import re

import pandas as pd

from ntm_analysis.data.variables import CPI_VARIABLE, INCOME, POVERTY_VARIABLES
from ntm_analysis.data import cache
from ntm_analysis.data.panel import PANEL_FILES, REGISTRY_FILES, load_panel
from ntm_analysis.indicators import (ElasticityInputError, MeasureBreakError, poverty_growth_elasticities,
    poverty_growth_elasticity)
from ntm_analysis.indicators._common import plain
from ntm_analysis.indicators.prices import CPICoverageError

#: A change of ln real income smaller than this makes the elasticity's denominator tiny: the row says so.
UNSTABLE_DLN_INCOME = 0.05
#: The files :func:`ntm_analysis.data.panel.load_panel` reads (relative to the data folder): all that the
#: elasticities, the cross-province model (:mod:`~ntm_analysis.analyses.province_model`) and the ranks
#: (:mod:`~ntm_analysis.analyses.ranks`) read, so their checksums key those caches.
PANEL_READS = sorted([f"raw/{f}" for f in PANEL_FILES + REGISTRY_FILES] + ["provenance.yml"])

ELASTICITY_COLUMNS = ["code", "name", "y0", "y1", "kind", "computed", "elasticity", "income0_nominal",
                      "income1_nominal", "income_growth_real_pct", "dln_income", "poverty0", "poverty1",
                      "poverty_change_pct", "dln_poverty", "poverty_measure", "price_basis", "status", "reasons",
                      "message"]


def survey_years(panel: pd.DataFrame) -> tuple[list[int], dict[int, str]]:
    """Years in which income per capita is published for some province, and each year's poverty measure."""
    prov = panel[panel["level"] == "province"]
    years = sorted(int(y) for y in prov.loc[prov["variable"] == INCOME, "year"].unique())
    pov = prov[prov["variable"].isin(POVERTY_VARIABLES)]
    measure = {int(y): str(m) for y, m in zip(pov["year"], pov["measure"])}
    return years, measure


def measure_runs(years: list[int], measure: dict[int, str]) -> list[list[int]]:
    """Runs of consecutive survey years measured on one poverty measure (years without poverty end a run)."""
    runs: list[list[int]] = []
    for y in years:
        m = measure.get(y)
        if runs and m is not None and measure.get(runs[-1][0]) == m:
            runs[-1].append(y)
        else:
            runs.append([y])
    return [r for r in runs if measure.get(r[0]) is not None]


def elasticity_periods(panel: pd.DataFrame) -> list[tuple[int, int, str]]:
    """The periods of a report's elasticity table: (y0, y1, kind) for each pair of consecutive income survey years
    in ``panel`` (kind "step"), then the whole span of every run of three or more survey years measured on one
    poverty line (kind "span"). A pair across a change of measure is kept: the table shows the refusal. A year with
    income but no poverty rate for any province (2018) is no survey year here: an elasticity needs both."""
    years, measure = survey_years(panel)
    years = [y for y in years if y in measure]
    out = [(a, b, "step") for a, b in zip(years, years[1:])]
    out += [(r[0], r[-1], "span") for r in measure_runs(years, measure) if len(r) >= 3]
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


def panel_inputs(data_dir) -> pd.DataFrame:
    """Every province's income and poverty, and the national CPI: what the elasticities and the model read."""
    panel = load_panel(level="all", data_dir=data_dir)
    return panel[((panel["level"] == "province") & panel["variable"].isin((INCOME, *POVERTY_VARIABLES)))
                 | ((panel["level"] == "national") & (panel["variable"] == CPI_VARIABLE))]


def _period_elasticities(y0: int, y1: int, data_dir) -> tuple[pd.DataFrame | None, list]:
    sel = panel_inputs(data_dir)
    try:
        return poverty_growth_elasticities(sel, y0, y1, real=True, base_year=y0, cpi=sel), []
    except (MeasureBreakError, CPICoverageError) as exc:
        return None, refusal_reasons(exc)


def period_elasticities(y0: int, y1: int, data_dir=None) -> tuple[pd.DataFrame | None, list]:
    """Every province's poverty–growth elasticity between ``y0`` and ``y1`` (the library's
    :func:`~ntm_analysis.indicators.poverty_growth_elasticities`, income at constant ``y0`` prices: one row per
    province, a refused province with NA and the reason in ``note``), or ``(None, reasons)`` when the library
    refuses the period for every province (a change of poverty measure, no CPI).

    Computed once per data version and period (keyed by the checksums of :data:`PANEL_READS` and this code);
    each call gets its own copy, so a caller may modify it."""
    y0, y1 = int(y0), int(y1)
    return cache.memo(f"period_elasticities:{y0}-{y1}", PANEL_READS,
                      lambda: _period_elasticities(y0, y1, data_dir), data_dir, copy=True)


def _rows_of(panel: pd.DataFrame, code: str) -> pd.DataFrame:
    """The rows the elasticity of one province reads (its income and poverty), with plain dtypes."""
    sel = panel[(panel["code"] == code) & (panel["level"] == "province")
                & panel["variable"].isin((INCOME, *POVERTY_VARIABLES))]
    return plain(sel)


def cpi_series(panel: pd.DataFrame) -> pd.Series:
    """The national CPI (previous year = 100) of ``panel``, indexed by year."""
    cpi = panel[(panel["variable"] == CPI_VARIABLE) & (panel["level"] == "national")]
    return pd.Series(cpi["value"].astype(float).to_numpy(), index=cpi["year"].astype(int).to_numpy(), dtype=float)


def province_elasticities(panel: pd.DataFrame, places: list[tuple[str, str]]) -> pd.DataFrame:
    """The poverty–growth elasticity of each province of ``places`` ((code, name) pairs) for every period of
    :func:`elasticity_periods` of ``panel`` (the tidy panel of the years wanted, all levels), with income at
    constant prices (national CPI).

    One row per province and period (columns :data:`ELASTICITY_COLUMNS`). Where the library refuses, ``computed``
    is False, every number is NA and ``reasons`` holds the structured reasons (:func:`refusal_reasons`) with the
    library's own message in ``message``.
    """
    rows = []
    periods = elasticity_periods(panel)
    cpi = cpi_series(panel)
    for code, name in places:
        sub = _rows_of(panel, code)
        for y0, y1, kind in periods:
            base = {"code": code, "name": name, "y0": y0, "y1": y1, "kind": kind}
            try:
                r = poverty_growth_elasticity(sub, code, y0, y1, real=True, base_year=y0, cpi=cpi)
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
    return out


def unstable(dln_income: float) -> bool:
    """True when a change of ln real income is too small for a stable elasticity (:data:`UNSTABLE_DLN_INCOME`)."""
    return abs(dln_income) < UNSTABLE_DLN_INCOME
