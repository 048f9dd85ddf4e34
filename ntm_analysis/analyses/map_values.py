"""The figures of the headline maps, one province-level figure per map: :func:`headline_maps`.

Each map shows ONE published figure per province, of one measure and one date, never a mix:

* ``income``: monthly income per capita (VHLSS, current prices) of the latest survey year with a figure;
* ``poverty_income_line`` and ``poverty_multidimensional``: the poverty rate of the latest year on each measure,
  separately (an income poverty line and the multidimensional standard measure different things);
* ``ntm_communes_<snapshot>``: the share of communes meeting the NTM standard at a snapshot of
  :func:`ntm_analysis.analyses.resource_measures.commune_shares` (each province's own report, dated): the latest
  snapshot, and also the snapshot most provinces reported if that is another one;
* ``transfers_per_person``: the Ministry of Finance's central transfers for the national target programmes per
  person (BOTH programmes, NTM and Sustainable Poverty Reduction, a budget plan, not money spent), of the plan year
  most provinces have a figure for.

Language-free (codes, data units, statuses, measures): :mod:`ntm_analysis.report.map_values` writes the titles and
sources in the reader's language. Provinces without a figure are NaN: a gap stays a gap.
"""
from __future__ import annotations

import math
import os

import pandas as pd

from ntm_analysis.analyses.resource_measures import SNAPSHOTS, resource_measures
from ntm_analysis.data import geo
from ntm_analysis.data.panel import load_panel
from ntm_analysis.data.variables import INCOME, POVERTY_LINE, POVERTY_MULTI

#: The panel figures mapped, in order: key → variable.
PANEL_MAPS = {"income": INCOME, "poverty_income_line": POVERTY_LINE, "poverty_multidimensional": POVERTY_MULTI}


def _all_codes(values: dict[str, float]) -> dict[str, float]:
    """Every 2008 province code, NaN where ``values`` has none (so a map and a table show the gap)."""
    return {p.code: float(values.get(p.code, math.nan)) for p in geo.provinces(2008)}


def _one(series: pd.Series, what: str) -> str:
    found = sorted(set(series.astype(str)))
    if len(found) != 1:
        raise ValueError(f"{what}: expected one value on a map, found {found}; a map never mixes them")
    return found[0]


def _panel_map(key: str, variable: str, panel: pd.DataFrame) -> dict | None:
    rows = panel[(panel["variable"] == variable) & panel["value"].notna()]
    if rows.empty:
        return None
    year = int(rows["year"].max())
    rows = rows[rows["year"] == year]
    statuses = sorted(set(rows["status"].astype(str)))
    return {
        "key": key, "kind": "panel", "variable": variable, "year": year, "period": str(year),
        "values": _all_codes(dict(zip(rows["code"].astype(str), rows["value"].astype(float)))),
        "unit": _one(rows["unit"], f"{variable} {year} unit"),
        "measure": _one(rows["measure"], f"{variable} {year} measure"),
        "status": ", ".join(statuses), "n": int(len(rows)), "as_of": (str(year), str(year)),
        "source_files": sorted(set(rows["source_file"].astype(str))),
    }


def _latest_and_widest(counts: dict[str, int], order: list[str]) -> list[str]:
    """The latest period with a figure, then the period with the most provinces (the later of a tie) if another."""
    present = [p for p in order if counts.get(p, 0) > 0]
    if not present:
        return []
    latest = present[-1]
    widest = max(present, key=lambda p: (counts[p], order.index(p)))
    return [latest] if widest == latest else [latest, widest]


def _commune_maps(measures: pd.DataFrame) -> list[dict]:
    rows = measures[(measures["measure"] == "communes_ntm_share") & measures["value"].notna()]
    order = list(SNAPSHOTS)
    counts = rows.groupby("period_label").size().to_dict()
    out = []
    for snap in _latest_and_widest(counts, order):
        r = rows[rows["period_label"] == snap]
        dates = sorted(r["as_of"].astype(str))
        out.append({
            "key": f"ntm_communes_{snap}", "kind": "ntm", "variable": "communes_ntm_share", "year": SNAPSHOTS[snap][0],
            "period": snap, "values": _all_codes(dict(zip(r["code"].astype(str), r["value"].astype(float)))),
            "unit": _one(r["unit"], f"communes_ntm_share {snap} unit"), "measure": "communes_ntm_share",
            "status": "reported by the province", "n": int(len(r)), "as_of": (dates[0], dates[-1]),
            "source_files": sorted(set(r["source_file"].astype(str))),
        })
    return out


def _transfer_map(measures: pd.DataFrame) -> dict | None:
    rows = measures[(measures["measure"] == "central_ntp_transfers_plan") & measures["per_capita_million_vnd"].notna()]
    if rows.empty:
        return None
    counts = rows.groupby("period_end").size()
    year = int(max(counts.index, key=lambda y: (counts[y], y)))
    r = rows[rows["period_end"] == year]
    return {
        "key": "transfers_per_person", "kind": "transfers", "variable": "central_ntp_transfers_plan", "year": year,
        "period": str(year),
        "values": _all_codes(dict(zip(r["code"].astype(str), r["per_capita_million_vnd"].astype(float)))),
        "unit": "million VND/person", "measure": "central_ntp_transfers_plan",
        "status": _one(r["status"], f"central_ntp_transfers_plan {year} status"), "n": int(len(r)),
        "as_of": (str(year), str(year)), "scope": _one(r["scope"], "central_ntp_transfers_plan scope"),
        "population_series": _one(r["population_series"], "population series"),
        "source_files": sorted(set(r["source_file"].astype(str))),
    }


def headline_maps(data_dir: str | os.PathLike | None = None) -> list[dict]:
    """The figures of the headline maps (see the module docstring), each a dict: ``key``, ``kind`` ("panel",
    "ntm", "transfers"), ``variable``, ``year``, ``period``, ``values`` (every 2008 province code → float, NaN =
    no published figure), ``unit`` (as the data writes it), ``measure``, ``status``, ``n`` (provinces with a
    figure), ``as_of`` (first and last date of the figures), ``source_files`` (data/raw files); ``scope`` and
    ``population_series`` for the transfers. A map whose figure has no row is left out."""
    panel = load_panel(data_dir=data_dir)
    maps = [m for key, var in PANEL_MAPS.items() if (m := _panel_map(key, var, panel)) is not None]
    measures = resource_measures(data_dir)
    maps += _commune_maps(measures)
    transfers = _transfer_map(measures)
    if transfers is not None:
        maps.append(transfers)
    return maps
