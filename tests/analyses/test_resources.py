"""resources_association(): the sample told honestly (every province of the 63 used or excluded with its reason),
the period → window table, HC3 by hand on the real sample, MIN_N; province_resources() ranks."""
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from ntm_analysis.analyses import resources as R
from ntm_analysis.data.panel import load_panel
from ntm_analysis.indicators import to_real
from ntm_analysis.models.association import MIN_N

PHASE1 = ("resources_total", "real_income_growth_2010_2016", (2011, 2015))
T17 = ("central_ntp_transfers_plan", "real_income_growth_2016_2023", (2017, 2017))


def _fit(spec, **kw):
    measure, outcome, period = spec
    return R.resources_association(measure, outcome, period, **kw)


@pytest.fixture(scope="module")
def phase1():
    return _fit(PHASE1)


@pytest.fixture(scope="module")
def t17():
    return _fit(T17)


def _partition(res):
    s, e = set(res.sample["code"]), set(res.excluded["code"])
    assert len(res.sample) + len(res.excluded) == 63
    assert not s & e and len(s | e) == 63
    assert res.excluded["reason"].str.len().gt(0).all()


def test_every_province_is_used_or_excluded_with_a_reason(phase1, t17):
    _partition(phase1)
    _partition(t17)
    _partition(_fit(PHASE1, lower_bounds="keep", min_confidence="low"))
    _partition(_fit(("resources_total", "poverty_multi_2023", (2011, 2020))))


def test_phase_reasons_by_value(phase1):
    why = phase1.excluded.set_index("name")["reason"]
    assert why["Hà Nam"] == "lower bound (dropped)"
    assert why["Bình Thuận"] == "lower bound (dropped)"
    assert why["Lai Châu"] == "no total reported"
    assert why["Hà Nội"] == "no 2011–2015 total reported (reported: 2016–2020-06, 2021–2023)"
    assert why["Đắk Nông"] == "total covers 2011–2013, 2010–2019, not the 2011–2015 phase"
    assert why["Hải Dương"] == "total covers 2010–2019-09, not the 2011–2015 phase"
    assert why["Thanh Hóa"] == "total covers a period to 2018-03 (start not stated), not the 2011–2015 phase"
    assert sorted(phase1.sample["name"]) == sorted(["Tuyên Quang", "Lào Cai", "Quảng Ninh", "Hưng Yên", "Quảng Trị",
                                                    "Khánh Hòa", "Cà Mau"])


def test_lower_bounds_are_dropped_by_default_and_kept_on_request(phase1):
    kept = _fit(PHASE1, lower_bounds="keep")
    assert set(kept.sample["code"]) - set(phase1.sample["code"]) == {"35", "60"}  # Hà Nam, Bình Thuận
    assert set(kept.sample.set_index("code").loc[["35", "60"], "qualifier"]) == {"lower_bound"}
    assert (phase1.sample["qualifier"] != "lower_bound").all()


def test_credit_and_confidence_switches_name_their_reason():
    no_credit = _fit(PHASE1, exclude_credit=True)
    assert no_credit.excluded.set_index("name").loc["Lào Cai", "reason"] == "includes credit (dropped)"
    high = _fit(PHASE1, min_confidence="high")
    assert high.excluded.set_index("name").loc["Quảng Ninh", "reason"] == "medium confidence"
    dec = _fit(("resources_total", "poverty_multi_2023", (2011, 2020)), min_confidence="high")
    assert dec.excluded.set_index("name").loc["Hà Giang", "reason"] == "lower bound (dropped)"


def test_transfer_reasons_by_value(t17):
    why = t17.excluded.set_index("name")["reason"]
    assert why["Hà Nội"] == "blank in the MOF 2017 plan (self-balancing province)"
    assert (why == "blank in the MOF 2017 plan (self-balancing province)").sum() == 10
    r16 = _fit(("central_ntp_transfers_plan", "real_income_growth_2016_2023", (2016, 2016)))
    why16 = r16.excluded.set_index("name")["reason"]
    assert why16["Hà Nội"] == "zero value in the source: no logarithm (x in logs)"
    lin = _fit(("central_ntp_transfers_plan", "real_income_growth_2016_2023", (2016, 2016)), log_x=False)
    assert "01" in set(lin.sample["code"])


def test_below_min_n_no_slope_is_reported(phase1):
    assert phase1.nobs == 7 < MIN_N
    assert np.isnan(phase1.params.iloc[0])
    assert f"n = 7 < MIN_N ({MIN_N}): no slope reported" in phase1.notes
    assert "fewer than the 10 needed: no slope is reported" in phase1.reading()


def test_hand_ols_hc3_on_the_real_sample(t17):
    s = t17.sample
    assert len(s) >= MIN_N
    ref = sm.OLS(s["y"].to_numpy(), sm.add_constant(s["x"].to_numpy())).fit(cov_type="HC3", use_t=True)
    assert t17.params.iloc[0] == pytest.approx(ref.params[1], rel=1e-10)
    assert t17.std_errors.iloc[0] == pytest.approx(ref.bse[1], rel=1e-10)
    assert t17.conf_int().iloc[0].to_numpy() == pytest.approx(ref.conf_int()[1], rel=1e-10)


def test_x_and_y_of_one_province_by_hand(t17):
    lc = t17.sample.set_index("code").loc["10"]
    # x: ln(MOF 2017 transfer / population 2017 of V02.01)
    pop = load_panel(variables="population_total_v0201")
    pop17 = float(pop[(pop["code"].astype(str) == "10") & (pop["year"] == 2017)]["value"].iloc[0])
    assert lc["value_bn_vnd"] == pytest.approx(520.62)
    assert lc["x"] == pytest.approx(np.log(520.62 / pop17))
    # y: 100·(ln real income 2023 − ln real income 2016), constant 2010 prices
    inc = to_real(load_panel(variables="income_per_capita_nominal"), base_year=2010, missing="na")
    inc = inc[inc["code"].astype(str) == "10"].set_index("year")["value_real_2010"]
    assert lc["y"] == pytest.approx(100 * (np.log(inc[2023]) - np.log(inc[2016])))
    assert lc["outcome_status"] == "2016 preliminary; 2023 preliminary"


def test_poverty_multi_is_a_level_with_the_2016_income_line_rate_as_control():
    r = _fit(("central_ntp_transfers_plan", "poverty_multi_2023", (2016, 2016)))
    assert list(r.coefs["term"])[1:] == ["poverty_rate_income_line_2016", "const"]
    assert any("cross-measure control" in n and "not a change" in n for n in r.notes)
    s = r.sample
    ref = sm.OLS(s["y"], sm.add_constant(s[["x", "control"]])).fit(cov_type="HC3", use_t=True)
    assert r.params.iloc[0] == pytest.approx(ref.params["x"], rel=1e-10)
    pan = load_panel(variables="poverty_rate_gso_income_line")
    miss = set(R.resource_measures()["code"].unique()) - set(
        pan[(pan["year"] == 2016) & (pan["measure"] == "gso_income_line_2011_2015")]["code"].astype(str))
    assert len(miss) == 1
    (code,) = miss
    lin = _fit(("central_ntp_transfers_plan", "poverty_multi_2023", (2016, 2016)), log_x=False)
    assert lin.excluded.set_index("code").loc[code, "reason"] == "poverty rate (income line) 2016 not published"


def test_windows_follow_the_stated_table():
    with pytest.raises(ValueError, match="does not match the period 2011–2015"):
        R.resources_association("resources_total", "real_income_growth_2016_2023", (2011, 2015))
    with pytest.raises(ValueError, match="matching outcomes: none"):
        R.resources_association("resources_total", "real_income_growth_2016_2023", (2021, 2025))
    with pytest.raises(ValueError, match="has no period"):
        R.resources_association("central_ntp_transfers_plan", "poverty_multi_2023", (2018, 2018))
    for (measure, period, outcome, *_ctrl) in R.ASSOCIATIONS:
        assert outcome in R.PERIODS[period]["outcomes"] and period in R.MEASURE_PERIODS[measure]


def test_headline_associations_are_exactly_those_the_data_support():
    for a in R.ASSOCIATIONS:
        measure, period, outcome = a[:3]
        n = R.resources_association(measure, outcome, period).nobs
        assert (a in R.HEADLINE_ASSOCIATIONS) is (n >= MIN_N), (a, n)
    assert set(R.HEADLINE_ASSOCIATIONS) <= set(R.ASSOCIATIONS)


def test_province_resources_ranks_by_value():
    lc = R.province_resources("Lào Cai").set_index(["measure", "period_label"])
    rm = R.resource_measures()
    t16 = rm[(rm["measure"] == "central_ntp_transfers_plan") & (rm["period_label"] == "2016")]
    expected = int((t16["per_capita_million_vnd"] > lc.loc[("central_ntp_transfers_plan", "2016"),
                                                           "per_capita_million_vnd"]).sum()) + 1
    assert lc.loc[("central_ntp_transfers_plan", "2016"), "rank"] == expected
    assert lc.loc[("central_ntp_transfers_plan", "2016"), "of"] == 63
    p1 = lc.loc[("resources_total", "2011–2015")]
    assert (p1["rank"], p1["of"]) == (1, 9)
    later = R.province_resources("10")
    assert later[later["period_label"] == "2021–2025"]["rank"].isna().all()
    # a province that reported nothing still stands on the measures that cover every province
    lai = R.province_resources("Lai Châu")
    assert set(lai["measure"]) == {"central_ntp_transfers_plan"} and lai["rank"].notna().all()
    assert isinstance(lai, pd.DataFrame)
