"""A province's poverty–growth elasticities (ntm_analysis.analyses.elasticity) on the real data, against values
recomputed by hand from data/raw (tests/hand_data.py: the csv module, not the library)."""
import math

import pytest

from hand_data import POVERTY, dln_real_income, row
from ntm_analysis.analyses import elasticity as el
from ntm_analysis.data.panel import load_panel


@pytest.fixture(scope="module")
def panel():
    p = load_panel(level="all")
    return p[p["year"].between(2006, 2023)].reset_index(drop=True)


def test_elasticity_of_lao_cai_2012_2014_is_the_hand_computation(panel):
    rec = el.province_elasticities(panel, [("10", "Lào Cai")])
    r = row(rec, y0=2012, y1=2014)
    # data/raw: poverty 32.9 → 25.3 %; nominal income deflated by the CPI links of 2013 and 2014
    dlp = math.log(POVERTY[("10", 2014)] / POVERTY[("10", 2012)])
    dli = dln_real_income("10", 2012, 2014)
    assert (POVERTY[("10", 2012)], POVERTY[("10", 2014)]) == (32.9, 25.3)
    assert r["computed"] and r["poverty0"] == 32.9 and r["poverty1"] == 25.3
    assert r["elasticity"] == pytest.approx(dlp / dli, rel=1e-12)
    assert round(dlp / dli, 2) == -1.32
    assert r["income_growth_real_pct"] == pytest.approx(math.expm1(dli) * 100, rel=1e-12)
    assert r["poverty_measure"] == "gso_income_line_2011_2015" and r["status"] == "final"


def test_periods_are_consecutive_survey_years_then_runs_on_one_line(panel):
    assert el.elasticity_periods(panel) == [(2010, 2012, "step"), (2012, 2014, "step"), (2014, 2016, "step"),
                                            (2016, 2023, "step"), (2010, 2016, "span")]


def test_elasticity_refuses_a_change_of_measure_with_structured_reasons(panel):
    r = row(el.province_elasticities(panel, [("10", "Lào Cai")]), y0=2016, y1=2023)
    assert not r["computed"] and math.isnan(r["elasticity"]) and math.isnan(r["income_growth_real_pct"])
    assert r["reasons"] == [{"kind": "measure_break", "y0": 2016, "m0": "gso_income_line_2011_2015", "y1": 2023,
                             "m1": "gso_multidimensional_2022_2025"}]


def test_elasticity_refuses_missing_and_zero_inputs_naming_them(panel):
    # data/raw: Hồ Chí Minh has no 2016 poverty row and a 0.0 rate in 2014
    assert ("79", 2016) not in POVERTY and POVERTY[("79", 2014)] == 0.0
    rec = el.province_elasticities(panel, [("79", "Hồ Chí Minh")])
    r = row(rec, y0=2014, y1=2016)
    assert not r["computed"]
    assert r["reasons"] == [{"kind": "zero_poverty", "year": 2014}, {"kind": "missing_poverty", "year": 2016}]
    span = row(rec, y0=2010, y1=2016)
    assert span["kind"] == "span" and not span["computed"]


def test_a_tiny_income_change_is_flagged_unstable(panel):
    r = row(el.province_elasticities(panel, [("10", "Lào Cai")]), y0=2010, y1=2012)
    dli = dln_real_income("10", 2010, 2012)
    assert abs(dli) < el.UNSTABLE_DLN_INCOME and round(math.expm1(dli) * 100, 1) == 2.3
    assert r["computed"] and el.unstable(r["dln_income"])
