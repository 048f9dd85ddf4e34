"""wide() that cannot splice (issue 13, item 3): a variable holding several measures is refused or split, never one
column; the measure and the bounds travel with the columns.

The Hà Giang case of the issue: GSO's income poverty rate is 37.6 % in 2008 (2006–2010 line) and 20.8 % in 2016
(2011–2015 line, used from 2010); one wide column let `pp_per_year` compute a change of −16.8 pp across the change
of line.
"""
from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

import ntm_analysis as ntm
from ntm_analysis.data.names import UnknownNameError
from ntm_analysis.data.panel import MeasureMixError, measure_column
from ntm_analysis.data.variables import INCOME, POVERTY_LINE

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"
OLD, NEW = "gso_income_line_2006_2010", "gso_income_line_2011_2015"


def _raw_poverty(code: str) -> dict[int, float]:
    with open(RAW / "poverty_rate_by_province_gso.csv", encoding="utf-8-sig", newline="") as fh:
        return {int(r["year"]): float(r["poverty_rate_pct"]) for r in csv.DictReader(fh)
                if r["province_code"] == code and "multidimensional" not in r["measure"]}


@pytest.fixture(scope="module")
def ha_giang():
    p = ntm.load_panel(variables=POVERTY_LINE)
    return p[p.code == "02"]


def test_the_ha_giang_splice_is_refused_naming_the_measures(ha_giang):
    raw = _raw_poverty("02")
    assert (raw[2008], raw[2016]) == (37.6, 20.8)  # one column would give 20.8 − 37.6 = −16.8 pp
    with pytest.raises(MeasureMixError) as err:
        ntm.wide(ha_giang, [POVERTY_LINE])
    e = err.value
    assert e.variable == POVERTY_LINE and e.measures == {OLD: [2006, 2008], NEW: [2010, 2012, 2013, 2014, 2015, 2016]}
    assert f"'{OLD}' (2006, 2008)" in str(e) and f"'{NEW}' (2010–2016, 6 years)" in str(e)
    assert "measures='split'" in str(e)


def test_split_gives_one_column_per_measure_and_pp_per_year_refuses_across_them(ha_giang):
    w = ntm.wide(ha_giang, [POVERTY_LINE], measures="split").set_index("year")
    old, new = measure_column(POVERTY_LINE, OLD), measure_column(POVERTY_LINE, NEW)
    assert old == "poverty_rate_gso_income_line [gso_income_line_2006_2010]"
    assert list(w.columns) == ["level", "code", "name", old, new]
    assert w.attrs["measures"] == {old: OLD, new: NEW} and w.attrs["units"] == {old: "%", new: "%"}
    raw = _raw_poverty("02")
    assert w.loc[2008, old] == raw[2008] and w.loc[2016, new] == raw[2016]
    # no column holds both years: within a column the change across the line is a gap, never −16.8
    assert pd.isna(w.loc[2016, old]) and pd.isna(w.loc[2008, new])
    assert pd.isna(ntm.pp_per_year(w.loc[2008, old], w.loc[2016, old], 2008, 2016))
    # Series of the two columns keep their measure: the indicators refuse to compute a change across them
    with pytest.raises(MeasureMixError, match="different measures"):
        ntm.pp_per_year(w[old], w[new], 2008, 2016)
    with pytest.raises(MeasureMixError, match="different measures"):
        ntm.compound_rate(w[old], w[new], 2008, 2016)
    # within one measure the change is computed as before
    change = ntm.pp_per_year(w.loc[[2010], new].to_numpy()[0], w.loc[[2016], new].to_numpy()[0], 2010, 2016)
    assert change == pytest.approx((raw[2016] - raw[2010]) / 6)
    same = ntm.pp_per_year(w[new], w[new], 2010, 2016)
    assert (same.dropna() == 0).all()


def test_one_measure_per_variable_keeps_the_plain_column_names():
    p = ntm.load_panel(variables=[INCOME, POVERTY_LINE])
    p = p[p.year >= 2010]  # the income-line rates of one line only
    w = ntm.wide(p)
    assert list(w.columns) == ["level", "code", "name", "year", INCOME, POVERTY_LINE]
    assert w.attrs["measures"][POVERTY_LINE] == NEW
    row = w[(w.code == "02") & (w.year == 2016)].iloc[0]
    assert row[POVERTY_LINE] == 20.8


def test_unknown_variable_rows_twice_and_two_geographies_are_refused(ha_giang):
    with pytest.raises(UnknownNameError) as err:
        ntm.wide(ntm.load_panel(variables=[INCOME]), ["income_per_capita"])
    assert err.value.closest[0] == INCOME and "wide" in str(err.value)
    twice = pd.concat([ha_giang, ha_giang])
    with pytest.raises(ValueError, match="rows share a place, year and column"):
        ntm.wide(twice[twice.year >= 2010])
    other = ha_giang.assign(vintage=2025)
    with pytest.raises(ValueError, match="2008 and 2025 geographies"):
        ntm.wide(pd.concat([ha_giang[ha_giang.year >= 2010], other[other.year >= 2010]]))
    with pytest.raises(KeyError, match="no column 'variable'"):
        ntm.wide(ha_giang.drop(columns="variable"))


def test_bounds_travel_into_the_wide_frame(tmp_path):
    path = tmp_path / "nguon_luc.csv"
    # Báo Đắk Nông: "hơn 73.000 tỷ đồng" mobilised 2016–2020 (the figure the intake tests use); the year is the test's
    path.write_text("Tỉnh,Năm,Tổng nguồn lực huy động (tỷ đồng)\nĐắk Nông,2016,\"hơn 73.000\"\n", encoding="utf-8")
    full = ntm.load_panel(extra=[path])
    w = ntm.wide(full[full.code == "67"], ["resources_total", INCOME]).set_index("year")
    assert w.loc[2016, "resources_total"] == 73000.0
    assert w.loc[2016, "resources_total__qualifier"] == "lower_bound"
    assert "income_per_capita_nominal__qualifier" not in w.columns  # exact values need no qualifier column
    assert w.attrs["measures"]["resources_total"] == "user table: nguon_luc.csv"
