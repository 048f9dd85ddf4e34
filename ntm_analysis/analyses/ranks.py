"""Every province's rank per figure and year, in its region and the nation (computed once per data version:
:func:`cached_rank_table`, a :func:`ntm_analysis.data.cache.memo` keyed by the panel's files and this code)."""
from __future__ import annotations

import pandas as pd

from ntm_analysis.data.variables import INCOME, POVERTY_LINE, POVERTY_MULTI
from ntm_analysis.analyses.elasticity import PANEL_READS
from ntm_analysis.data import cache
from ntm_analysis.data.panel import load_panel
from ntm_analysis.indicators import rank_within

#: The ranked figures, in the order a report shows them (income: 1 = highest; poverty: 1 = lowest).
RANKED = (INCOME, POVERTY_LINE, POVERTY_MULTI)


def rank_table(panel: pd.DataFrame) -> pd.DataFrame:
    """Every province's rank per ranked figure and year, in its region and the nation
    (:func:`ntm_analysis.indicators.rank_within` on the province rows of ``panel``), in :data:`RANKED` order."""
    parts = []
    prov = panel[panel["level"] == "province"]
    for variable in RANKED:
        rows = prov[prov["variable"] == variable]
        for year in sorted(rows["year"].unique()):
            parts.append(rank_within(rows, variable, int(year), by="both"))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def cached_rank_table(data_dir: str | None = None) -> pd.DataFrame:
    """:func:`rank_table` of the whole panel read from ``data_dir`` (a copy), computed once per data version: a
    warm kernel rendering 63 reports ranks the provinces once, not 63 times. Keyed by the checksums of
    :data:`~ntm_analysis.analyses.elasticity.PANEL_READS` (what :func:`~ntm_analysis.data.panel.load_panel`
    reads) and the code of this module and what it imports."""
    return cache.memo("rank_table", PANEL_READS, lambda: rank_table(load_panel(level="all", data_dir=data_dir)),
                      data_dir)


def ranks_of(codes: list[str], year_start: int, year_end: int, data_dir=None) -> pd.DataFrame:
    """The ranks of the provinces ``codes`` in ``year_start``–``year_end`` (rows of :func:`cached_rank_table`: code,
    name, variable, year, value, unit, status, rank_region, n_region, rank_nation, n_nation), ordered by figure
    (:data:`RANKED`), year and the order of ``codes``. Years in which a province has no figure are absent."""
    table = cached_rank_table(data_dir)
    cols = ["code", "variable", "year", "value", "unit", "status", "rank_region", "n_region", "rank_nation",
            "n_nation"]
    if not len(table):
        return pd.DataFrame(columns=cols)
    mine = table[table["code"].isin(codes) & table["year"].between(year_start, year_end)].copy()
    mine["_v"] = mine["variable"].map({v: i for i, v in enumerate(RANKED)})
    mine["_c"] = mine["code"].map({c: i for i, c in enumerate(codes)})
    mine = mine.sort_values(["_v", "year", "_c"], kind="stable").drop_duplicates(["variable", "year", "code"])
    out = mine[cols].reset_index(drop=True)
    for c in ("year", "rank_region", "n_region", "rank_nation", "n_nation"):
        out[c] = out[c].astype(int)
    out["value"] = out["value"].astype(float)
    out["code"] = out["code"].astype(str)
    return out
