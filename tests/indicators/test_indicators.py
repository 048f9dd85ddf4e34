"""Indicators on real figures: rates of change, real income, elasticities, ranks, 2025 aggregates, seed claims.

Expected values are either hand computations written out in comments or recomputed here from the
raw CSV files read with the csv module (never through the library).
"""
import csv
import math

import numpy as np
import pandas as pd
import pytest

import ntm_analysis as ntm
from ntm_analysis import indicators as ind
from ntm_analysis import paths

RAW = paths.raw_dir()


def _raw(file: str) -> list[dict[str, str]]:
    with open(RAW / file, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _raw_value(file: str, column: str, code: str, year: int, level: str = "province") -> float:
    """One figure of a raw province table, read directly from the CSV."""
    hits = [r for r in _raw(file) if r.get("level", "province") == level
            and r.get("province_code", "") == code and r.get("year") == str(year)]
    assert len(hits) == 1, (file, code, year, len(hits))
    return float(hits[0][column])


def _raw_cpi() -> dict[int, float]:
    return {int(r["year"]): float(r["cpi_prev_year_100"]) for r in _raw("cpi_national_annual_gso.csv")}


def _raw_cpi_change_2017_2024() -> dict[int, float]:
    """The announced % changes of 2017–2024 from the raw file (a year quoted twice gives the same value)."""
    out = {}
    for r in _raw("cpi_national_annual_change_2017_2024.csv"):
        assert out.setdefault(int(r["year"]), float(r["value"])) == float(r["value"])
    return out


INCOME, POVERTY, POP = ("income_per_capita_monthly_by_province.csv", "poverty_rate_by_province_gso.csv",
                        "population_by_province_gso_1995_2016.csv")


@pytest.fixture(scope="module")
def panel():
    return ntm.load_panel()


@pytest.fixture(scope="module")
def panel_all():
    return ntm.load_panel(level="all")


@pytest.fixture(scope="module")
def agg(panel):
    return ind.aggregate_to_2025(panel)


# ---------------------------------------------------------------- 1. rates of change

def test_y_ty_pp_per_year_and_compound_rate():
    # Y Tý poverty 50.79 % (2021) → 20.42 % (2025):
    #   pp/year  = (20.42 − 50.79) / 4 = −30.37 / 4 = −7.5925            → −7.59 (the article's "7.6 %/year")
    #   compound = (20.42 / 50.79)^(1/4) − 1; 20.42 / 50.79 = 0.402048;
    #              ln 0.402048 = −0.911182; / 4 = −0.227796; e^−0.227796 = 0.796287 → −20.37 %/year
    assert round(ind.pp_per_year(50.79, 20.42, 2021, 2025), 2) == -7.59
    assert round(ind.compound_rate(50.79, 20.42, 2021, 2025), 2) == -20.37


def test_rates_on_series_keep_index_and_say_their_unit():
    v0 = pd.Series([50.79, 40.81], index=["Y Tý", "Đắk Ha"])
    v1 = pd.Series([20.42, 10.14], index=["Y Tý", "Đắk Ha"])
    y0 = pd.Series([2021, 2020], index=v0.index)
    y1 = pd.Series([2025, 2024], index=v0.index)
    pp = ind.pp_per_year(v0, v1, y0, y1)
    cr = ind.compound_rate(v0, v1, y0, y1)
    assert pp.name == "change_pp_per_year" and cr.name == "compound_rate_pct_per_year"
    assert list(pp.index) == ["Y Tý", "Đắk Ha"]
    # Đắk Ha: (10.14 − 40.81) / 4 = −30.67 / 4 = −7.6675
    assert pp["Đắk Ha"] == pytest.approx(-7.6675)
    assert cr["Y Tý"] == pytest.approx(-20.3713, abs=1e-4)
    arr = ind.pp_per_year(np.array([10.0, np.nan]), np.array([4.0, 1.0]), 2010, 2013)
    assert isinstance(arr, np.ndarray) and arr[0] == pytest.approx(-2.0) and np.isnan(arr[1])


def test_rates_refuse_undefined_inputs():
    with pytest.raises(ValueError, match="same"):
        ind.pp_per_year(1.0, 2.0, 2020, 2020)
    with pytest.raises(ValueError, match="positive start value"):
        ind.compound_rate(0.0, 5.0, 2010, 2014)
    with pytest.raises(ValueError, match="start -1"):
        ind.compound_rate(pd.Series([2.0, -1.0]), pd.Series([1.0, 1.0]), 2010, 2012)


def test_describe_change_gives_both_readings_with_units():
    r = ind.describe_change(50.79, 20.42, 2021, 2025, unit="%")
    assert r.absolute_unit == "pp/year" and round(r.absolute_per_year, 2) == -7.59
    assert round(r.compound_pct_per_year, 2) == -20.37
    assert round(r.total_change, 2) == -30.37
    assert "pp/year" in r.explanation and "%/year" in r.explanation and "percentage points" in r.explanation
    t = r.to_frame()
    assert list(t["unit"]) == ["pp", "pp/year", "%/year"]
    money = ind.describe_change(819, 1468, 2010, 2014, unit="thousand VND/person/month")
    assert money.absolute_unit == "thousand VND/person/month per year"
    assert money.absolute_per_year == pytest.approx(162.25)  # (1468 − 819) / 4
    assert ind.describe_change(0.0, 3.0, 2020, 2023).compound_pct_per_year is None


# ---------------------------------------------------------------- 2. real income

def test_cpi_chain_is_the_product_of_raw_links():
    cpi = _raw_cpi()
    chain = ind.cpi_chain(None, 2010)
    assert chain[2010] == 100.0
    # 2014 at 2010 = 100: 100 × 1.1858 × 1.0921 × 1.0660 × 1.0409 (CPI 2011–2014 from the raw CSV)
    expected_2014 = 100 * cpi[2011] / 100 * cpi[2012] / 100 * cpi[2013] / 100 * cpi[2014] / 100
    assert chain[2014] == pytest.approx(expected_2014)
    assert chain[2014] == pytest.approx(143.6945, abs=1e-3)
    # before the base: 2009 = 100 / (CPI 2010 / 100)
    assert chain[2009] == pytest.approx(100 / (cpi[2010] / 100))
    assert chain.attrs["price_basis"] == "constant 2010 prices (national CPI)"
    assert max(chain.index) == 2024 and 2001 not in chain.index and 2025 not in chain.index
    # 2023 continues the chain with 100 + the changes GSO announced for 2017–2023
    change = _raw_cpi_change_2017_2024()
    assert sorted(change) == list(range(2017, 2025))
    expected_2023 = chain[2016] * np.prod([1 + change[y] / 100 for y in range(2017, 2024)])
    assert chain[2023] == pytest.approx(expected_2023)
    assert chain[2023] == pytest.approx(chain[2016] * 1.0353 * 1.0354 * 1.0279 * 1.0323 * 1.0184 * 1.0315 * 1.0325)


def test_to_real_national_income_2023_and_lao_cai_2018_at_2010_prices():
    cpi, change = _raw_cpi(), _raw_cpi_change_2017_2024()
    level_2016 = np.prod([cpi[y] / 100 for y in range(2011, 2017)])
    level_2023 = level_2016 * np.prod([1 + change[y] / 100 for y in range(2017, 2024)])
    nominal_2023 = _raw_value(INCOME, "income_total", "", 2023, level="national")
    assert nominal_2023 == 4962.0
    hand_2023 = nominal_2023 / level_2023
    # price level 2023 (2010 = 100): 148.445 × 1.0353 × 1.0354 × 1.0279 × 1.0323 × 1.0184 × 1.0315 × 1.0325
    # = 183.14; 4962 / 1.8314 = 2709.44 thousand VND/person/month at 2010 prices
    assert level_2023 == pytest.approx(1.83139, abs=1e-4)
    assert hand_2023 == pytest.approx(2709.44, abs=0.01)
    nat = ntm.load_panel(level="national", variables="income_per_capita_nominal")
    real = ind.to_real(nat, 2010).set_index("year")
    assert real.loc[2023, "value_real_2010"] == pytest.approx(hand_2023)
    assert real.loc[2023, "status"] == "preliminary" and real.loc[2023, "price_basis"].startswith("constant 2010")
    # Lào Cai 2018 (secondary copy of GSO's VHLSS 2018): 2324 nominal
    lc = ntm.load_panel(variables="income_per_capita_nominal")
    lc = lc[lc.code == "10"]
    real_lc = ind.to_real(lc, 2010).set_index("year")
    level_2018 = level_2016 * (1 + change[2017] / 100) * (1 + change[2018] / 100)
    assert real_lc.loc[2018, "value_real_2010"] == pytest.approx(2324.0 / level_2018)
    assert real_lc.loc[2018, "status"] == "published (secondary copy)"


def test_cpi_chain_never_reaches_unpublished_years():
    with pytest.raises(ind.CPICoverageError, match="2025") as exc:
        ind.cpi_chain(None, 2010, [2014, 2023, 2025])
    assert exc.value.missing == [2025] and exc.value.years == [2025]
    with pytest.raises(ind.CPICoverageError, match="2001–2002"):
        ind.cpi_chain(None, 2010, [2000])
    with pytest.raises(ind.CPICoverageError) as exc:
        ind.cpi_chain(None, 2010, [2001])
    assert exc.value.missing == [2002]
    # the input can be the national panel, a wide frame or a Series: same chain
    nat = ntm.load_panel(level="national")
    wide = ntm.wide(nat, ["cpi_prev_year_100"])
    s = pd.Series(_raw_cpi())
    for source in (nat, wide, s):
        assert ind.cpi_chain(source, 2010, [2016])[2016] == pytest.approx(ind.cpi_chain(None, 2010)[2016])


def test_to_real_national_income_2014_at_2010_prices():
    cpi = _raw_cpi()
    nominal_2014 = _raw_value(INCOME, "income_total", "", 2014, level="national")
    assert nominal_2014 == 2637.0
    hand = nominal_2014 / (cpi[2011] / 100 * cpi[2012] / 100 * cpi[2013] / 100 * cpi[2014] / 100)
    # 2637 / 1.436945 = 1835.14 thousand VND/person/month at 2010 prices
    assert hand == pytest.approx(1835.14, abs=0.01)
    nat = ntm.load_panel(level="national", variables="income_per_capita_nominal")
    real = ind.to_real(nat[nat.year <= 2016], 2010)
    row = real[real.year == 2014].iloc[0]
    assert row["value_real_2010"] == pytest.approx(hand)
    assert row["price_basis"] == "constant 2010 prices (national CPI)"
    assert real.loc[real.year == 2010, "value_real_2010"].iloc[0] == 1387.0
    # with a CPI that stops in 2016 (GSO's table alone), 2023 is refused by default, a gap with a note on request
    gso_table_only = pd.Series(cpi)
    with pytest.raises(ind.CPICoverageError, match="2023"):
        ind.to_real(nat, 2010, cpi=gso_table_only)
    gap = ind.to_real(nat, 2010, cpi=gso_table_only, missing="na").set_index("year")
    assert np.isnan(gap.loc[2023, "value_real_2010"])
    assert "no national CPI chain for 2023 (CPI in the data: 2000, 2003–2016)" in gap.loc[2023, "note"]
    assert gap.loc[2023, "price_basis"].startswith("not deflated")
    # wide frames name the real column after the nominal one
    w = ntm.wide(nat[nat.year <= 2016], ["income_per_capita_nominal"])
    assert "income_per_capita_real_2010" in ind.to_real(w, 2010, column="income_per_capita_nominal")
    with pytest.raises(ValueError, match="only money values"):
        ind.to_real(ntm.load_panel(level="national", variables="poverty_rate_gso_income_line"), 2010)


def test_spatial_adjust_uses_the_same_year_index_or_leaves_a_gap(panel):
    scoli_2014 = _raw_value("spatial_cost_of_living_index_by_province.csv", "scoli_hanoi_100", "10", 2014)
    income = panel[(panel.variable == "income_per_capita_nominal") & (panel.code == "10")]
    out = ind.spatial_adjust(income).set_index("year")
    assert out.loc[2014, "value_hanoi_prices"] == pytest.approx(1468.0 / (scoli_2014 / 100))
    assert "Hà Nội price level" in out.loc[2014, "price_basis"]
    assert np.isnan(out.loc[2023, "value_hanoi_prices"])
    assert "no spatial cost of living index for 10 in 2023" in out.loc[2023, "note"]


# ---------------------------------------------------------------- 3. elasticity

def test_poverty_growth_elasticity_lao_cai_2010_2014(panel_all):
    cpi = _raw_cpi()
    r = ind.poverty_growth_elasticity(panel_all, "Lào Cai", 2010, 2014)
    # poverty 40.0 → 25.3 %, income 819 → 1468 nominal; price level 2014/2010 = Π CPI 2011–2014
    p_ratio = cpi[2011] / 100 * cpi[2012] / 100 * cpi[2013] / 100 * cpi[2014] / 100
    hand = math.log(25.3 / 40.0) / (math.log(1468 / 819) - math.log(p_ratio))  # ≈ −0.4581 / 0.2210 ≈ −2.07
    assert r.elasticity == pytest.approx(hand)
    assert round(r.elasticity, 2) == -2.07
    assert (r.poverty0, r.poverty1, r.income0_nominal, r.income1_nominal) == (40.0, 25.3, 819.0, 1468.0)
    assert r.poverty_measure == "gso_income_line_2011_2015" and r.status == "final"
    assert r.price_basis == "constant 2010 prices (national CPI)"
    assert set(r.inputs["source_file"]) == {INCOME, POVERTY} and len(r.inputs) == 4


def test_elasticity_refuses_measure_breaks(panel):
    with pytest.raises(ind.MeasureBreakError, match="gso_income_line_2006_2010.*gso_income_line_2011_2015"):
        ind.poverty_growth_elasticity(panel, "10", 2008, 2010)
    with pytest.raises(ind.MeasureBreakError, match="gso_income_line_2011_2015.*gso_multidimensional_2022_2025"):
        ind.poverty_growth_elasticity(panel, "10", 2016, 2023)
    with pytest.raises(ind.MeasureBreakError):
        ind.poverty_growth_elasticities(panel, 2016, 2023)


def test_elasticity_refuses_missing_or_zero_inputs(panel):
    with pytest.raises(ind.ElasticityInputError, match="income per capita missing for 2006"):
        ind.poverty_growth_elasticity(panel, "10", 2006, 2008)
    # Hồ Chí Minh's published 2014 poverty rate is 0.0
    assert _raw_value(POVERTY, "poverty_rate_pct", "79", 2014) == 0.0
    with pytest.raises(ind.ElasticityInputError, match="poverty rate is 0 in 2014"):
        ind.poverty_growth_elasticity(panel, "Hồ Chí Minh", 2010, 2014)
    nominal = ind.poverty_growth_elasticity(panel, "10", 2010, 2014, real=False)
    assert nominal.elasticity == pytest.approx(math.log(25.3 / 40.0) / math.log(1468 / 819))
    assert nominal.price_basis.startswith("current prices (nominal")


def test_vectorised_elasticities_keep_gaps_as_gaps(panel, panel_all):
    e = ind.poverty_growth_elasticities(panel, 2010, 2014).set_index("code")
    assert len(e) == 63
    assert e.loc["10", "elasticity"] == pytest.approx(
        ind.poverty_growth_elasticity(panel_all, "10", 2010, 2014).elasticity)
    assert np.isnan(e.loc["79", "elasticity"]) and "poverty rate is 0 in 2014" in e.loc["79", "note"]
    assert e["elasticity"].notna().sum() == 63 - (e["note"] != "").sum()


# ---------------------------------------------------------------- 4. attainment

def test_attainment_and_implied_target():
    # Đắk Nông: 29 / 18 × 100 = 161.11 %; Đắk Ha: 50.89 / 1.13 = 45.035 M VND/person/year
    assert round(ind.attainment(29, 18), 1) == 161.1
    assert round(ind.implied_target(50.89, 113), 2) == 45.04
    lo, hi = ind.implied_target_range(50.89, 113)  # 50.89/1.135 = 44.837, 50.89/1.125 = 45.236
    assert round(lo, 2) == 44.84 and round(hi, 2) == 45.24
    s = ind.attainment(pd.Series([29.0, 9.0]), pd.Series([18.0, 18.0]))
    assert s.name == "attainment_pct_of_target" and s.iloc[1] == 50.0
    with pytest.raises(ValueError, match="target must be positive"):
        ind.attainment(5, 0)


# ---------------------------------------------------------------- 5. ranks and gaps

def test_lao_cai_rank_in_its_region_2010_poverty(panel):
    master = {r["province_code"]: r["region_gso_6"] for r in _raw("provinces_63_master.csv")}
    region = master["10"]
    rates = {r["province_code"]: float(r["poverty_rate_pct"]) for r in _raw(POVERTY)
             if r["level"] == "province" and r["year"] == "2010" and master.get(r["province_code"]) == region}
    hand_rank = 1 + sum(v < rates["10"] for v in rates.values())  # rank 1 = lowest poverty
    r = ind.rank_within(panel, "poverty_rate_gso_income_line", 2010, by="region").set_index("code")
    assert r.loc["10", "value"] == 40.0
    assert r.loc["10", "rank"] == hand_rank == 11
    assert r.loc["10", "n"] == len(rates) == 14
    assert r.loc["10", "rank_order"] == "1 = lowest"
    nat = ind.rank_within(panel, "income_per_capita_nominal", 2010, by="nation").set_index("code")
    top = max((float(r["income_total"]), r["province_code"]) for r in _raw(INCOME)
              if r["level"] == "province" and r["year"] == "2010")
    assert nat.loc[top[1], "rank"] == 1 and nat.loc[top[1], "rank_order"] == "1 = highest"
    assert (nat["n"] == 63).all()
    both = ind.rank_within(panel, "poverty_rate_gso_income_line", 2010, by="both").set_index("code")
    assert both.loc["10", "rank_region"] == 11 and both.loc["10", "n_region"] == 14
    assert both.loc["10", "rank_nation"] == 1 + sum(
        float(r["poverty_rate_pct"]) < 40.0 for r in _raw(POVERTY) if r["level"] == "province" and r["year"] == "2010")
    assert both.loc["10", "n_nation"] == 63


def test_gap_to_national(panel, panel_all):
    g = ind.gap_to_national(panel_all, "income_per_capita_nominal", 2010).set_index("code")
    assert g.loc["10", "national_value"] == 1387.0
    assert g.loc["10", "gap"] == 819.0 - 1387.0
    assert g.loc["10", "ratio"] == pytest.approx(819.0 / 1387.0)
    nat_pov = _raw_value(POVERTY, "poverty_rate_pct", "", 2010, level="national")
    p = ind.gap_to_national(panel, "poverty_rate_gso_income_line", 2010).set_index("code")
    assert p.loc["10", "gap"] == pytest.approx(40.0 - nat_pov) and p.loc["10", "gap_unit"] == "pp"


# ---------------------------------------------------------------- 6. aggregation to 2025

def _weighted_mean_from_raw(file: str, column: str, codes: list[str], year: int) -> tuple[float, list, list]:
    values = [_raw_value(file, column, c, year) for c in codes]
    weights = [_raw_value(POP, "pop_total", c, year) for c in codes]
    return sum(v * w for v, w in zip(values, weights)) / sum(weights), values, weights


def _agg_row(agg, code, variable, year):
    row = agg[(agg.code == code) & (agg.variable == variable) & (agg.year == year)]
    assert len(row) == 1
    return row.iloc[0]


def test_lam_dong_2025_income_and_poverty_2014_by_hand(agg):
    codes = ["60", "67", "68"]  # Bình Thuận + Đắk Nông + Lâm Đồng
    hand, values, weights = _weighted_mean_from_raw(INCOME, "income_total", codes, 2014)
    # (2395 × 1207.4 + 1824 × 571.3 + 2499 × 1259.3) / (1207.4 + 571.3 + 1259.3)
    #   = (2,891,723.0 + 1,042,051.2 + 3,146,990.7) / 3,038.0 = 7,080,764.9 / 3,038.0 = 2,330.73
    assert values == [2395.0, 1824.0, 2499.0] and weights == [1207.4, 571.3, 1259.3]
    assert hand == pytest.approx(2330.73, abs=0.005)
    row = _agg_row(agg, "68", "income_per_capita_nominal", 2014)
    assert row["value"] == pytest.approx(hand)
    assert row["constituents"] == "60+67+68" and row["vintage"] == 2025 and row["name"] == "Lâm Đồng"
    assert row["status"] == "final" and row["source"].startswith("aggregated from Bình Thuận (60)")
    pov, pv, _ = _weighted_mean_from_raw(POVERTY, "poverty_rate_pct", codes, 2014)
    # (5.3 × 1207.4 + 18.4 × 571.3 + 7.8 × 1259.3) / 3038.0 = 26,733.68 / 3038.0 = 8.80
    assert pv == [5.3, 18.4, 7.8] and pov == pytest.approx(8.7998, abs=1e-4)
    prow = _agg_row(agg, "68", "poverty_rate_gso_income_line", 2014)
    assert prow["value"] == pytest.approx(pov) and prow["measure"] == "gso_income_line_2011_2015"
    # counts are summed: 1207.4 + 571.3 + 1259.3 = 3038.0
    assert _agg_row(agg, "68", "population_total", 2014)["value"] == pytest.approx(3038.0)


def test_lao_cai_2025_is_lao_cai_plus_yen_bai_under_code_15(agg):
    assert ntm.lookup_province("Lào Cai", 2025).code == "15"
    for file, column, variable in ((INCOME, "income_total", "income_per_capita_nominal"),
                                   (POVERTY, "poverty_rate_pct", "poverty_rate_gso_income_line")):
        for year in (2010, 2014):
            hand, _, _ = _weighted_mean_from_raw(file, column, ["10", "15"], year)
            row = _agg_row(agg, "15", variable, year)
            assert row["value"] == pytest.approx(hand) and row["constituents"] == "10+15"
    # 2014 income: (1468 × 665.2 + 1386 × 783.5) / (665.2 + 783.5) = 2,062,444.6 / 1,448.7 = 1,423.65
    assert _agg_row(agg, "15", "income_per_capita_nominal", 2014)["value"] == pytest.approx(1423.65, abs=0.005)


def test_2023_is_weighted_by_the_latest_published_population_2022(panel, agg):
    """2023 income of Lâm Đồng 2025, by hand: GSO income 2023 (preliminary) of 60, 67, 68 weighted by their 2022
    average population of GSO table V02.01 (population_total ends in 2016 and is never mixed in)."""
    row = _agg_row(agg, "68", "income_per_capita_nominal", 2023)
    inc = {"60": 4571, "67": 3388, "68": 4857}
    pop = {"60": 1252.06, "67": 670.56, "68": 1332.53}
    assert row["value"] == pytest.approx(sum(inc[c] * pop[c] for c in inc) / sum(pop.values()), rel=1e-12)
    assert row["value"] == pytest.approx(4444.38, abs=0.005)
    assert (row["weight_variable"], row["weight_year"]) == ("population_total_v0201", 2022)
    assert row["note"].startswith("weights (population_total_v0201 2022): 60 1252.06, 67 670.56, 68 1332.53")
    assert "weights population_total_v0201 2022" in row["source"]
    assert row["status"] == "preliminary"  # an aggregate of a preliminary figure is preliminary
    # every 2025 province has a 2023 income
    assert agg[(agg.variable == "income_per_capita_nominal") & (agg.year == 2023)]["value"].notna().sum() == 34
    # 2018: the same-year figure of the revised series (population_total ends in 2016)
    r18 = _agg_row(agg, "68", "income_per_capita_nominal", 2018)
    # (3444 × 1227.3 + 3029 × 615.4 + 3640 × 1291.4) / (1227.3 + 615.4 + 1291.4) = 3443.27
    assert r18["value"] == pytest.approx(3443.27, abs=0.005) and r18["weight_year"] == 2018
    assert r18["note"].startswith("weights (population_total_v0201 2018)")
    assert r18["status"] == "published (secondary copy)"
    # the years population_total covers keep it (2014), for every constituent
    r14 = _agg_row(agg, "68", "income_per_capita_nominal", 2014)
    assert (r14["weight_variable"], r14["weight_year"]) == ("population_total", 2014)
    # a sum needs no weights
    assert pd.isna(_agg_row(agg, "68", "population_total", 2014)["weight_variable"])


def test_latest_weights_never_mix_series_or_years(panel):
    """When one constituent lacks the 2022 figure, every constituent is weighted by 2021 (one year, one series)."""
    three = panel[panel.code.isin(["60", "67", "68"])]
    drop = (three.code == "67") & (three.variable == "population_total_v0201") & (three.year == 2022)
    assert drop.sum() == 1
    res = ind.aggregate_to_2025(three[~drop], variables="income_per_capita_nominal", years=2023)
    r = res[res.code == "68"].iloc[0]
    pop21 = {"60": 1246.31, "67": 664.42, "68": 1321.84}
    inc = {"60": 4571, "67": 3388, "68": 4857}
    assert r["value"] == pytest.approx(sum(inc[c] * pop21[c] for c in inc) / sum(pop21.values()), rel=1e-12)
    assert r["weight_year"] == 2021


def test_without_latest_weights_2023_is_a_gap(panel):
    three = panel[panel.code.isin(["60", "67", "68"])]
    res = ind.aggregate_to_2025(three, variables="income_per_capita_nominal", years=2023, latest_weights=None)
    row = res[res.code == "68"].iloc[0]
    assert np.isnan(row["value"])
    assert "not computed" in row["note"] and "Đắk Nông (67)" in row["note"] and "population_total" in row["note"]
    assert row["status"] == "preliminary"
    with pytest.raises(ind.MissingWeightError, match=r"Lâm Đồng \(68\) in 2023.*population_total") as exc:
        ind.aggregate_to_2025(three, strict=True, variables="income_per_capita_nominal", years=2023,
                              latest_weights=None)
    assert exc.value.year == 2023 and exc.value.province == "Lâm Đồng (68)"
    # the same in strict mode is fine for the published years
    ok = ind.aggregate_to_2025(panel, strict=True, variables="income_per_capita_nominal", years=[2010, 2014, 2023])
    assert ok["value"].notna().all() and set(ok["code"]) == {p.code for p in ntm.provinces(2025)}


def test_missing_constituent_is_a_gap_never_a_guess(panel):
    drop = (panel.code == "67") & (panel.year == 2014) & (panel.variable == "income_per_capita_nominal")
    out = ind.aggregate_to_2025(panel[~drop], variables="income_per_capita_nominal", years=2014)
    row = _agg_row(out, "68", "income_per_capita_nominal", 2014)
    assert np.isnan(row["value"]) and "no income_per_capita_nominal for Đắk Nông (67) in 2014" in row["note"]
    with pytest.raises(ind.MissingWeightError, match="Đắk Nông"):
        ind.aggregate_to_2025(panel[~drop], strict=True, variables="income_per_capita_nominal", years=2014)


def test_aggregate_status_sources_and_unchanged_provinces(panel, panel_all, agg):
    assert _agg_row(agg, "68", "income_per_capita_nominal", 2016)["status"] == "preliminary"
    assert _agg_row(agg, "68", "admin_communes", 2013)["status"] == "suspect"
    hn = _agg_row(agg, "01", "income_per_capita_nominal", 2023)  # Hà Nội kept its territory: value as published
    assert hn["value"] == _raw_value(INCOME, "income_total", "01", 2023) and hn["constituents"] == "01"
    assert np.isnan(_agg_row(agg, "68", "income_q1", 2014)["value"])  # quintile means are not aggregable
    assert set(agg.columns) >= set(ntm.panel.PANEL_COLUMNS) | {"constituents"}
    # before the 2008 merger, Hà Nội's 2025 territory includes Hà Tây (level former_province)
    full = ind.aggregate_to_2025(panel_all, variables="population_total", years=2006)
    ha_tay = [float(r["pop_total"]) for r in _raw(POP) if r["name_in_source"].strip() == "Ha Tay"
              and r["year"] == "2006"]
    assert len(ha_tay) == 1
    assert _agg_row(full, "01", "population_total", 2006)["value"] == pytest.approx(
        _raw_value(POP, "pop_total", "01", 2006) + ha_tay[0])
    assert set(ind.AGGREGATION_RULES) >= set(panel["variable"].astype(str))


def _raw_frame(file: str) -> pd.DataFrame:
    """A raw table read with pandas as text (no library code), province rows only."""
    df = pd.read_csv(RAW / file, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    return df[df["level"] == "province"]


def test_lao_cai_2025_hand_computation_from_the_raw_rows(agg):
    """Lào Cai 2025 (code 15) = Lào Cai (10) + Yên Bái (15): population-weighted means recomputed from the raw rows."""
    inc, pov, pop = _raw_frame(INCOME), _raw_frame(POVERTY), _raw_frame(POP)

    def raw(df, column, code, year):
        hit = df[(df["province_code"] == code) & (df["year"] == str(year))]
        assert len(hit) == 1, (column, code, year)
        return float(hit[column].iloc[0])

    # 2012 income: (1085 × 646.5 + 1114 × 765.7) / (646.5 + 765.7) = (701,452.5 + 852,989.8) / 1,412.2
    #   = 1,554,442.3 / 1,412.2 = 1,100.72
    v, w = [raw(inc, "income_total", c, 2012) for c in ("10", "15")], [raw(pop, "pop_total", c, 2012)
                                                                       for c in ("10", "15")]
    assert v == [1085.0, 1114.0] and w == [646.5, 765.7]
    hand = (v[0] * w[0] + v[1] * w[1]) / (w[0] + w[1])
    assert hand == pytest.approx(1100.72, abs=0.005)
    row = _agg_row(agg, "15", "income_per_capita_nominal", 2012)
    assert row["value"] == pytest.approx(hand, rel=1e-12) and row["name"] == "Lào Cai" and row["status"] == "final"
    assert row["constituents"] == "10+15" and "646.5" in row["note"] and "765.7" in row["note"]
    # 2006 poverty (2006–2010 income line): (35.6 × 590.2 + 22.1 × 725.4) / (590.2 + 725.4)
    #   = (21,011.12 + 16,031.34) / 1,315.6 = 37,042.46 / 1,315.6 = 28.156
    p, w = [raw(pov, "poverty_rate_pct", c, 2006) for c in ("10", "15")], [raw(pop, "pop_total", c, 2006)
                                                                          for c in ("10", "15")]
    assert p == [35.6, 22.1] and w == [590.2, 725.4]
    prow = _agg_row(agg, "15", "poverty_rate_gso_income_line", 2006)
    assert prow["value"] == pytest.approx((p[0] * w[0] + p[1] * w[1]) / (w[0] + w[1]), rel=1e-12)
    assert prow["value"] == pytest.approx(28.156, abs=0.0005) and prow["measure"] == "gso_income_line_2006_2010"
    # every year both constituents and their weights are published, the aggregate is their weighted mean
    for year in (2010, 2014, 2016):
        v = [raw(inc, "income_total", c, year) for c in ("10", "15")]
        w = [raw(pop, "pop_total", c, year) for c in ("10", "15")]
        expected = (v[0] * w[0] + v[1] * w[1]) / (w[0] + w[1])
        assert _agg_row(agg, "15", "income_per_capita_nominal", year)["value"] == pytest.approx(expected, rel=1e-12)
    assert _agg_row(agg, "15", "income_per_capita_nominal", 2016)["status"] == "preliminary"


def test_lao_cai_2025_income_2023_weighted_by_2022_population_read_from_the_raw_files(panel, agg):
    # 2023: both constituents published income (3200 and 3155); GSO population by province (1995–2016) has no 2023
    assert _raw_value(INCOME, "income_total", "10", 2023) == 3200 and _raw_value(INCOME, "income_total", "15", 2023) \
        == 3155
    assert not [r for r in _raw(POP) if r["year"] == "2023"]
    # the latest published population: V02.01, 2022 (read from the raw file, not from the library)
    v0201 = {r["province_code"]: float(r["value"]) for r in _raw("population_by_province_gso_v0201_2011_2022.csv")
             if r["year"] == "2022" and r["province_code"] in ("10", "15")}
    expected = (3200 * v0201["10"] + 3155 * v0201["15"]) / (v0201["10"] + v0201["15"])
    row = _agg_row(agg, "15", "income_per_capita_nominal", 2023)
    assert row["value"] == pytest.approx(expected, rel=1e-12)
    assert (row["weight_variable"], row["weight_year"], row["status"]) == ("population_total_v0201", 2022,
                                                                           "preliminary")
    # without the latest weights it is left out, never guessed (not the unweighted 3177.5)
    gap = ind.aggregate_to_2025(panel[panel.code.isin(["10", "15"])], variables="income_per_capita_nominal",
                                years=2023, latest_weights=None)
    assert np.isnan(gap["value"].iloc[0])
    assert gap["note"].iloc[0].startswith("not computed: no weight (population_total) for Lào Cai (10), Yên Bái (15) "
                                          "in 2023")
    with pytest.raises(ind.MissingWeightError, match=r"Lào Cai \(15\)"):
        ind.aggregate_to_2025(panel[panel.code.isin(["10", "15"])], strict=True, latest_weights=None,
                              variables="income_per_capita_nominal", years=2023)


# ---------------------------------------------------------------- 7. seed claims

def test_seed_claims_recomputed():
    c = ind.seed_claims()
    yty_pp = c[c.claim.str.contains("Y Tý") & (c.unit == "pp/year")].iloc[0]
    yty_cr = c[c.claim.str.contains("Y Tý") & (c.unit == "%/year")].iloc[0]
    assert round(yty_pp.recomputed_value, 2) == -7.59 and bool(yty_pp.consistent_with_article)
    assert round(yty_cr.recomputed_value, 2) == -20.37 and not bool(yty_cr.consistent_with_article)
    assert "7.6%/year" in yty_pp.article_wording
    dakha = c[c.claim.str.startswith("Đắk Ha poverty")].set_index("claim")
    # (28.34 − 40.81)/2 = −6.235; (10.14 − 28.34)/2 = −9.10; (10.14 − 40.81)/4 = −7.6675
    assert dakha["recomputed_value"].round(4).tolist() == [-6.235, -9.1, -7.6675]
    assert "change of standard" in dakha.iloc[0]["ambiguity_note"]
    plan = c[c.claim.str.contains("113")].iloc[0]
    assert round(plan.recomputed_value, 2) == 45.04 and plan.unit == "million VND/person/year"
    target = c[c.claim.str.contains("communes")].iloc[0]
    assert round(target.recomputed_value, 1) == 161.1 and "minimum" in target.ambiguity_note
    assert (c["source_url"].str.startswith("https://")).all()


# ---------------------------------------------------------------- properties of the two rates

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=200, deadline=None)
@given(v0=st.floats(0.01, 1e4), v1=st.floats(0.0, 1e4), y0=st.integers(1990, 2030), n=st.integers(1, 30))
def test_rates_reproduce_the_end_value(v0, v1, y0, n):
    # linear: v0 + n × pp/year = v1; geometric: v0 × (1 + r/100)^n = v1
    assert v0 + n * ind.pp_per_year(v0, v1, y0, y0 + n) == pytest.approx(v1, rel=1e-9, abs=1e-9)
    r = ind.compound_rate(v0, v1, y0, y0 + n)
    assert v0 * (1 + r / 100) ** n == pytest.approx(v1, rel=1e-6, abs=1e-9)


def test_docstring_examples_hold():
    import doctest

    from ntm_analysis.indicators import change, targets
    for mod in (change, targets):
        result = doctest.testmod(mod)
        assert result.attempted > 0 and result.failed == 0, mod.__name__
