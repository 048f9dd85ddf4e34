"""Where a province stands: rank within its region and nationally, gap to the national figure.

Rank 1 is the *best* province: the **highest** value for income and other variables, the
**lowest** value for poverty rates (``poverty_*``). Pass ``ascending=`` to choose the direction
yourself. Provinces without a value that year are left out and do not count in ``n`` (ties
share the lowest rank).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ntm_analysis.data.panel import MeasureMixError
from ntm_analysis.indicators._common import long_values

def lower_is_better(variable: str) -> bool:
    """Whether rank 1 goes to the lowest value of ``variable`` by default."""
    return variable.startswith("poverty_")


def _year_rows(panel: pd.DataFrame, variable: str, year: int) -> pd.DataFrame:
    rows = long_values(panel, variable)
    rows = rows[rows["year"] == int(year)]
    if rows.empty:
        raise ValueError(f"no province values of {variable!r} in {year} in this panel")
    if "measure" in rows.columns and rows["measure"].nunique() > 1:
        found = {m: [int(year)] for m in sorted(rows["measure"].unique())}
        raise MeasureMixError(variable, found, where=f"ranking {variable!r} in {year}")
    return rows


def rank_within(panel: pd.DataFrame, variable: str, year: int, by: str = "region",
                ascending: bool | None = None) -> pd.DataFrame:
    """Rank of each province within its GSO region (``by="region"``), the nation (``"nation"``) or both.

    Rank 1 = highest value (e.g. income), except for poverty rates where rank 1 = lowest rate;
    ``ascending=True`` ranks the lowest value first, ``False`` the highest. Ties share the lowest
    rank. Returns one row per province with a value: code, name, region, year, variable, value,
    unit, measure, status, then for ``"region"``/``"nation"``: group (the region, or "Việt Nam"),
    rank, n (provinces with a value in the group); for ``"both"``: rank_region, n_region,
    rank_nation, n_nation; and rank_order ("1 = lowest" or "1 = highest").
    """
    if by not in ("region", "nation", "both"):
        raise ValueError(f"by must be 'region', 'nation' or 'both', got {by!r}")
    asc = lower_is_better(variable) if ascending is None else bool(ascending)
    rows = _year_rows(panel, variable, year)
    out = rows[["code", "name", "region", "year", "variable", "value", "unit", "measure", "status"]].copy()

    def ranks(group: pd.Series) -> tuple[pd.Series, pd.Series]:
        g = out["value"].groupby(group)
        return g.rank(method="min", ascending=asc).astype("int64"), g.transform("size").astype("int64")

    nation = pd.Series("Việt Nam", index=out.index)
    if by == "both":
        out["rank_region"], out["n_region"] = ranks(out["region"])
        out["rank_nation"], out["n_nation"] = ranks(nation)
        order = ["region", "rank_region", "code"]
    else:
        out["group"] = out["region"] if by == "region" else nation
        out["rank"], out["n"] = ranks(out["group"])
        order = ["group", "rank", "code"]
    out["rank_order"] = "1 = lowest" if asc else "1 = highest"
    return out.sort_values(order).reset_index(drop=True)


def gap_to_national(panel: pd.DataFrame, variable: str, year: int, national: pd.DataFrame | None = None
                    ) -> pd.DataFrame:
    """Each province's value minus the national value of the same year, and their ratio.

    The national value is the ``level == "national"`` row of ``panel`` (pass
    ``load_panel(level="all")``); when the panel has no national rows, ``national`` is used,
    else the shipped national panel is loaded. The national and province rows must share the
    measure. ``gap`` is in ``gap_unit`` (pp for percentages), ``ratio`` = value ÷ national.
    """
    rows = _year_rows(panel, variable, year)
    nat = long_values(panel, variable, level="national")
    nat = nat[nat["year"] == int(year)]
    if nat.empty:
        if national is None:
            from ntm_analysis.data.panel import load_panel
            national = load_panel(level="national", variables=variable)
        nat = long_values(national, variable, level="national")
        nat = nat[nat["year"] == int(year)]
    if len(nat) != 1:
        raise ValueError(f"expected one national value of {variable!r} in {year}, found {len(nat)}")
    nv = nat.iloc[0]
    differ = rows["measure"] != nv["measure"]
    if differ.any():
        r = rows[differ].iloc[0]
        raise ValueError(f"{r['code']} {year} {variable} is measured as {r['measure']!r} but the national value as "
                         f"{nv['measure']!r}: not comparable")
    out = rows[["code", "name", "region", "year", "variable", "value", "unit", "measure", "status"]].copy()
    out["national_value"] = float(nv["value"])
    out["gap"] = out["value"] - out["national_value"]
    unit = str(nv["unit"])
    out["gap_unit"] = "pp" if unit.startswith("%") else unit
    out["ratio"] = out["value"] / out["national_value"] if nv["value"] != 0 else np.nan
    out["national_status"] = nv["status"]
    out["national_source"] = nv["source"]
    return out.sort_values("code").reset_index(drop=True)
