"""Indicators that take wide columns or one year's rows check the measure (issue 13, item 3), and know the status
of a user's figures."""
from __future__ import annotations

import pandas as pd
import pytest

import ntm_analysis as ntm
from ntm_analysis.data.panel import MeasureMixError
from ntm_analysis.data.variables import POVERTY_LINE
from ntm_analysis.indicators._common import measure_of, weakest_status


def test_series_of_one_wide_frame_carry_their_measure():
    p = ntm.load_panel(variables=POVERTY_LINE)
    w = ntm.wide(p[p.code.isin(["02", "10"])], measures="split")
    old = "poverty_rate_gso_income_line [gso_income_line_2006_2010]"
    new = "poverty_rate_gso_income_line [gso_income_line_2011_2015]"
    assert measure_of(w[old]) == "gso_income_line_2006_2010" and measure_of(w[new]) == "gso_income_line_2011_2015"
    assert measure_of(w.loc[w.year == 2008, old]) == "gso_income_line_2006_2010"  # a selection keeps it
    assert measure_of(p["value"]) is None and measure_of(37.6) is None
    a = w.loc[w.year == 2008, old].reset_index(drop=True)
    b = w.loc[w.year == 2016, new].reset_index(drop=True)
    with pytest.raises(MeasureMixError, match="v0 from .*gso_income_line_2006_2010.*v1 from .*2011_2015"):
        ntm.pp_per_year(a, b, 2008, 2016)
    # plain numbers (the user's own choice of values) are computed as always
    assert ntm.pp_per_year(a.to_numpy(), b.to_numpy(), 2008, 2016) == pytest.approx(
        (b.to_numpy() - a.to_numpy()) / 8)


def test_ranking_refuses_two_measures_in_one_year():
    p = ntm.load_panel(variables=POVERTY_LINE)
    y14 = p[p.year == 2014]
    ranks = ntm.rank_within(y14, POVERTY_LINE, 2014, by="nation")
    assert len(ranks) == 63
    other = y14[y14.code == "02"].assign(measure="user table: x.csv", code="02")
    mixed = pd.concat([y14[y14.code != "02"].astype({"measure": str}), other.astype({"measure": str})])
    with pytest.raises(MeasureMixError, match="gso_income_line_2011_2015.*user table: x.csv"):
        ntm.rank_within(mixed, POVERTY_LINE, 2014)


def test_user_statuses_rank_after_the_published_ones():
    assert weakest_status(["final", "as supplied by the user"]) == "as supplied by the user"
    assert weakest_status(["preliminary", "estimate"]) == "estimate"
    assert weakest_status(["as supplied by the user", "suspect"]) == "suspect"
