"""Every province's rank per figure and year, in its region and the nation (computed once per data version:
:func:`cached_rank_table`, a :func:`ntm_analysis.data.cache.memo` keyed by the panel's files and this code).

Two geographies: the 63 provinces of 2008 (:func:`rank_table`, as published) and the 34 provinces of 1 July 2025
(:func:`rank_table_2025`: each ranked on its 2025 aggregate, :func:`ntm_analysis.indicators.aggregate_to_2025`,
among the 2025 provinces with a figure that year; nationally only, since GSO has published no regions for them)."""
from __future__ import annotations

import pandas as pd

from ntm_analysis.data.variables import INCOME, POVERTY_LINE, POVERTY_MULTI
from ntm_analysis.analyses.elasticity import PANEL_READS
from ntm_analysis.data import cache
from ntm_analysis.data.panel import load_panel
from ntm_analysis.indicators import aggregate_to_2025, rank_within

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


#: The columns of :func:`rank_table` and :func:`rank_table_2025`.
RANK_COLUMNS = ["code", "name", "region", "year", "variable", "value", "unit", "measure", "status", "rank_region",
                "n_region", "rank_nation", "n_nation", "rank_order"]
#: What :func:`rank_table_2025` adds: the weights of each aggregate (empty for a province that kept its territory).
RANK_2025_COLUMNS = [*RANK_COLUMNS, "constituents", "weight_variable", "weight_year"]


def rank_table_2025(panel: pd.DataFrame) -> pd.DataFrame:
    """Every 2025 province's rank among the 34 provinces of 1 July 2025, per ranked figure and year.

    Each province is ranked on its figure in the 2025 geography: its own published figure when its territory did
    not change, else the population-weighted aggregate of its constituents
    (:func:`ntm_analysis.indicators.aggregate_to_2025`; for 2023, weighted by the 2022 population). A province
    whose aggregate could not be computed that year is left out and does not count in ``n_nation``: a rank reads
    "rank ``rank_nation`` of ``n_nation``". ``rank_region`` and ``n_region`` are empty (no GSO regions are published
    for the 2025 provinces). ``status`` is the aggregate's (a preliminary input makes it preliminary).
    """
    agg = aggregate_to_2025(panel, variables=list(RANKED))
    agg = agg[agg["value"].notna()]
    parts = []
    for variable in RANKED:
        rows = agg[agg["variable"] == variable]
        for year in sorted(rows["year"].unique()):
            r = rank_within(rows, variable, int(year), by="nation")
            extra = rows[rows["year"] == year].set_index("code")[["constituents", "weight_variable", "weight_year"]]
            r = r.rename(columns={"rank": "rank_nation", "n": "n_nation"}).join(extra, on="code")
            r["rank_region"] = r["n_region"] = pd.NA
            parts.append(r)
    if not parts:
        return pd.DataFrame(columns=RANK_2025_COLUMNS)
    out = pd.concat(parts, ignore_index=True)[RANK_2025_COLUMNS]
    for c in ("rank_region", "n_region", "rank_nation", "n_nation", "weight_year"):
        out[c] = out[c].astype("Int64")
    return out


def cached_rank_table_2025(data_dir: str | None = None) -> pd.DataFrame:
    """:func:`rank_table_2025` of the whole panel read from ``data_dir`` (a copy), computed once per data version
    (keyed like :func:`cached_rank_table`)."""
    return cache.memo("rank_table_2025", PANEL_READS,
                      lambda: rank_table_2025(load_panel(level="all", data_dir=data_dir)), data_dir)


def cached_rank_table(data_dir: str | None = None) -> pd.DataFrame:
    """:func:`rank_table` of the whole panel read from ``data_dir`` (a copy), computed once per data version: a
    warm kernel rendering 63 reports ranks the provinces once, not 63 times. Keyed by the checksums of
    :data:`~ntm_analysis.analyses.elasticity.PANEL_READS` (what :func:`~ntm_analysis.data.panel.load_panel`
    reads) and the code of this module and what it imports."""
    return cache.memo("rank_table", PANEL_READS, lambda: rank_table(load_panel(level="all", data_dir=data_dir)),
                      data_dir)


def ranks_of(codes: list[str], year_start: int, year_end: int, data_dir=None, vintage: int = 2008) -> pd.DataFrame:
    """The ranks of the provinces ``codes`` of the geography ``vintage`` in ``year_start``–``year_end`` (rows of
    :func:`cached_rank_table`, or of :func:`cached_rank_table_2025` for ``vintage=2025``: code, variable, year,
    value, unit, status, rank_region, n_region, rank_nation, n_nation; the 2025 rows have no region rank), ordered
    by figure (:data:`RANKED`), year and the order of ``codes``. Years in which a province has no figure are
    absent."""
    if int(vintage) not in (2008, 2025):
        raise ValueError(f"vintage must be 2008 (63 provinces) or 2025 (34 provinces), got {vintage!r}")
    table = cached_rank_table(data_dir) if int(vintage) == 2008 else cached_rank_table_2025(data_dir)
    cols = ["code", "variable", "year", "value", "unit", "status", "rank_region", "n_region", "rank_nation",
            "n_nation"]
    if not len(table):
        return pd.DataFrame(columns=cols)
    mine = table[table["code"].isin(codes) & table["year"].between(year_start, year_end)].copy()
    mine["_v"] = mine["variable"].map({v: i for i, v in enumerate(RANKED)})
    mine["_c"] = mine["code"].map({c: i for i, c in enumerate(codes)})
    mine = mine.sort_values(["_v", "year", "_c"], kind="stable").drop_duplicates(["variable", "year", "code"])
    out = mine[cols].reset_index(drop=True)
    out["year"] = out["year"].astype(int)
    for c in ("rank_region", "n_region", "rank_nation", "n_nation"):
        out[c] = out[c].astype("Int64" if int(vintage) == 2025 else int)
    out["value"] = out["value"].astype(float)
    out["code"] = out["code"].astype(str)
    return out
