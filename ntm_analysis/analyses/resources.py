"""Resources and outcomes across provinces, with the sample told honestly (the public entry points).

* :func:`resource_measures` — every resource measure, one row per province × measure × period
  (:mod:`.resource_measures`: :data:`MEASURES`, the commune-share snapshot rule, the hand-classified scopes).
* :func:`resources_association` — the cross-section of provinces: a measure per person over a period against an
  outcome over the matching window, HC3 inference, no slope below ``MIN_N``; ``.sample`` and ``.excluded`` (every
  other province of the 63 with its reason) (:mod:`.resource_association`: :data:`OUTCOMES`, :data:`PERIODS`,
  :data:`ASSOCIATIONS`, :data:`HEADLINE_ASSOCIATIONS`).
* :func:`resources_robustness`, :func:`specification_curve`, :func:`association_verdict` (:mod:`.robustness`).
* :func:`province_resources` — one province's measures per person with its rank among the provinces that
  reported the same measure and period.
"""
from __future__ import annotations

import os

import numpy as np
import pandas as pd

from ntm_analysis.analyses.resource_association import (ASSOCIATIONS, HEADLINE_ASSOCIATIONS, MEASURE_PERIODS,  # noqa: F401
                                                        OUTCOMES, PERIODS, Outcome, association_inputs,
                                                        outcome_values, resources_association)
from ntm_analysis.analyses.resource_measures import (MEASURES, MONEY_MEASURES, SNAPSHOT_RULE, SNAPSHOTS,  # noqa: F401
                                                     resource_measures)
from ntm_analysis.analyses.user_resources import USER_PREFIX
from ntm_analysis.analyses.robustness import (SWITCHES, association_verdict, leave_one_out,  # noqa: F401
                                              resources_robustness, specification_curve)
from ntm_analysis.data import geo
from ntm_analysis.models.association import MIN_N  # noqa: F401

_CONF = {"low": 0, "medium": 1, "high": 2}

__all__ = ["MEASURES", "OUTCOMES", "PERIODS", "MEASURE_PERIODS", "ASSOCIATIONS", "HEADLINE_ASSOCIATIONS", "MIN_N",
           "SNAPSHOTS", "SNAPSHOT_RULE", "SWITCHES", "resource_measures", "resources_association",
           "resources_robustness", "specification_curve", "association_verdict", "province_resources",
           "outcome_values", "association_inputs"]


def province_resources(code, data_dir: str | os.PathLike | None = None, extra=()) -> pd.DataFrame:
    """One province's resource measures, each with its rank among the provinces that reported the same measure
    and period.

    Rows: the province's rows of :func:`resource_measures` (the MOF transfers cover every province in 2016, so
    every province has at least that row). Added columns: ``rank`` (1 = the most per person; for commune shares,
    the highest share) and ``of`` (how many provinces have a figure for that measure and period), ``rank_basis``.
    A province with several reports for the same measure and period is ranked by its highest-confidence one.
    Money rows without a per-person figure (no population for the period) get no rank.

    ``extra``: a researcher's tables (see :func:`resource_measures`): the province's rows of them follow, under
    their own ``user:`` measures, unranked (``rank_basis`` "not ranked: the user's table").
    """
    code = geo.lookup_province(code, 2008).code
    rm = resource_measures(data_dir)
    money = rm["measure"].isin(MONEY_MEASURES)
    rm = rm.assign(rank_value=np.where(money, rm["per_capita_million_vnd"], rm["value"]),
                   rank_basis=np.where(money, "million VND per person", "% of communes"))
    ranked = rm[np.isfinite(rm["rank_value"].astype(float))].copy()
    ranked["_c"] = ranked["confidence"].map(_CONF)
    best = ranked.sort_values(["_c", "source_row"], ascending=[False, True]).drop_duplicates(
        ["measure", "period_label", "code"])
    best = best.assign(rank=best.groupby(["measure", "period_label"])["rank_value"].rank(
        ascending=False, method="min"), of=best.groupby(["measure", "period_label"])["code"].transform("size"))
    mine = rm[rm["code"] == code].copy()
    b = best[best["code"] == code].set_index(["measure", "period_label"])
    keys = list(zip(mine["measure"], mine["period_label"]))
    mine["rank"] = [b.at[k, "rank"] if k in b.index and b.at[k, "source_row"] == sr else np.nan
                    for k, sr in zip(keys, mine["source_row"])]
    mine["of"] = [b.at[k, "of"] if k in b.index else np.nan for k in keys]
    if extra:
        user = resource_measures(data_dir, extra=extra)
        user = user[user["measure"].str.startswith(USER_PREFIX) & (user["code"] == code)]
        mine = pd.concat([mine, user.assign(rank_basis="not ranked: the user's table", rank=np.nan, of=np.nan)],
                         ignore_index=True)
    mine["rank"] = pd.array(mine["rank"], dtype="Int64")
    mine["of"] = pd.array(mine["of"], dtype="Int64")
    return mine.drop(columns=["rank_value"], errors="ignore").reset_index(drop=True)
