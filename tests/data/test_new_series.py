"""Income 2018 (secondary copy), the CPI 2017–2024, national NTM totals: real figures, statuses kept, no splice."""
import csv
import shutil

import pandas as pd
import pytest

import ntm_analysis as ntm
from ntm_analysis import paths
from ntm_analysis.data import national_totals, panel as panel_mod
from ntm_analysis.data.sources import RawDataError
from ntm_analysis.data.variables import CPI_VARIABLE, INCOME, POVERTY_LINE, POVERTY_MULTI

COMPONENTS = ["income_wage", "income_agri_forestry_fishery", "income_non_agri", "income_other"]


def _raw_rows(name):
    with open(paths.raw_dir() / name, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _copy_data(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(paths.data_dir(), data, ignore=shutil.ignore_patterns(".cache"))
    return data


# ---------------------------------------------------------------- income 2018

def test_income_2018_lao_cai_and_statuses():
    p = ntm.load_panel(variables=[INCOME, *COMPONENTS])
    y18 = p[p.year == 2018]
    assert y18.code.nunique() == 63 and len(y18) == 63 * 5
    lc = y18[y18.code == "10"].set_index("variable")
    assert lc.loc[INCOME, "value"] == 2324.0 and lc.loc["income_wage", "value"] == 1001.0
    assert lc.loc["income_other", "value"] == 192.0 and lc.loc[INCOME, "name"] == "Lào Cai"
    assert set(y18.status) == {"published (secondary copy)"} and "final" not in set(y18.status)
    assert set(y18.unit) == {"thousand VND/person/month"}
    assert set(y18.measure) == set(p[p.year == 2014].measure)  # the same concept as GSO's tables
    assert y18.note.str.contains("Open Development Mekong copy of GSO's 2018 figures").all()
    assert y18.note.str.contains("confidence medium").all()
    assert y18.source.str.startswith("GSO").all()
    assert not y18.source.str.contains("github").any()  # the copy is named in the note, not as the source
    # no national or regional 2018 row: the copy holds provinces only
    assert ntm.load_panel(level="national", variables=INCOME).year.tolist().count(2018) == 0


def test_income_2018_components_sum_to_the_total_within_rounding():
    w = ntm.wide(ntm.load_panel(variables=[INCOME, *COMPONENTS]))
    w = w[w.year == 2018]
    diff = w[COMPONENTS].sum(axis=1) - w[INCOME]
    # four parts rounded to whole thousands: within ±1 in 58 provinces, +2 in five (the README's "±1" is off there)
    assert len(w) == 63 and diff.abs().max() == 2.0
    assert (diff.abs() <= 1).sum() == 58
    assert set(w.loc[diff.abs() == 2, "name"]) == {"Tuyên Quang", "Thái Nguyên", "Vĩnh Phúc", "Nam Định", "Đắk Nông"}
    # every value is the raw copy's figure
    raw = {(r["province_code"], r["variable"]): float(r["value"]) for r in _raw_rows(panel_mod.INCOME_2018_FILE)}
    hn = w[w.code == "01"].iloc[0]
    assert hn[INCOME] == raw[("01", "monthly_income_per_capita_total")] == 6054.0


def test_income_2018_name_that_is_not_the_code_is_refused(tmp_path):
    data = _copy_data(tmp_path)
    f = data / "raw" / panel_mod.INCOME_2018_FILE
    df = pd.read_csv(f, dtype=str, keep_default_na=False)
    df.loc[0, "province"] = "Lao Cai"  # row 2 of the file is Hà Nội's total
    df.to_csv(f, index=False)
    with pytest.raises(RawDataError) as err:
        panel_mod.build_panel(data)
    e = err.value
    assert (e.file, e.row, e.column, e.value) == (panel_mod.INCOME_2018_FILE, 2, "province", "Lao Cai")


# ---------------------------------------------------------------- CPI 2017–2024

def test_cpi_2017_2024_continue_the_chain_with_their_status():
    c = ntm.load_panel(level="national", variables=CPI_VARIABLE).set_index("year")
    assert list(c.loc[2017:].index) == list(range(2017, 2025))
    assert set(c.loc[2017:, "status"]) == {"as first announced"}
    assert set(c.loc[:2016, "status"]) == {"final"}
    assert c.loc[2017, "value"] == 103.53 and c.loc[2023, "value"] == 103.25 and c.loc[2024, "value"] == 103.63
    assert c.loc[2021, "value"] == 101.84
    assert set(c.unit) == {"index, previous year = 100"}
    # a year quoted by two agreeing sources is one row that keeps both URLs
    assert " ; " in c.loc[2017, "source_url"] and "2 sources" in c.loc[2017, "note"]
    raw = _raw_rows(panel_mod.CPI_2017_FILE)
    assert len(raw) == 11 and len(c.loc[2017:]) == 8


def test_cpi_sources_that_disagree_raise(tmp_path):
    data = _copy_data(tmp_path)
    f = data / "raw" / panel_mod.CPI_2017_FILE
    df = pd.read_csv(f, dtype=str, keep_default_na=False)
    second = df.index[df.year == "2020"][1]
    df.loc[second, "value"] = "3.24"
    df.to_csv(f, index=False)
    with pytest.raises(RawDataError, match="two sources of one year must agree") as err:
        panel_mod.build_panel(data)
    assert err.value.row == int(second) + 2 and err.value.column == "value" and err.value.value == "3.24"


# ---------------------------------------------------------------- no splice

def test_poverty_measures_stay_distinct_with_the_new_years():
    p = ntm.load_panel(level="all", variables=[POVERTY_LINE, POVERTY_MULTI])
    assert p[p.variable == POVERTY_LINE].year.max() == 2016
    assert set(p[p.variable == POVERTY_MULTI].year) == {2023}
    # the press-quoted poverty figures (mixed standards) are not in the panel at all
    assert "poverty_press_quoted_partial_2015_2022.csv" not in set(p.source_file)
    assert not set(p.year) & {2017, 2018, 2019, 2020, 2021, 2022}


def test_income_series_not_mixed_with_press_quotes():
    p = ntm.load_panel(level="all", variables=INCOME)
    assert sorted(p.year.unique()) == [2010, 2012, 2014, 2016, 2018, 2023]
    assert "income_per_capita_press_quoted_partial_2019_2022.csv" not in set(p.source_file)


# ---------------------------------------------------------------- national totals

def test_allocation_parts_kept_apart():
    nat = national_totals.load_ntm_allocation()
    assert set(nat.part) == {"national"} and set(nat.code) == {"VN"}
    by = nat.set_index("variable")
    assert by.loc["ntm_medium_term_central_budget_investment_plan_total", "value"] == 32050.0
    assert by.loc["ntm_central_budget_estimate_total", "value"] == 8000.0
    assert by.loc["poverty_ntp_central_budget_estimate_total", "value"] == 7231.0
    assert by.loc["ntm_central_budget_estimate_total", "publisher"] == "Ministry of Finance (MOF)"
    assert "github" not in " ".join(nat.source_url)
    assert (nat.quote != "").all() and (nat.status != "").all()
    coef = national_totals.load_ntm_allocation("coefficients")
    assert sorted(coef.value) == [1.0, 3.0, 5.0] and set(coef.publisher) == {"Prime Minister of Viet Nam"}
    prov = national_totals.load_ntm_allocation("province")
    assert set(prov.level) == {"province"} and prov.set_index("code").loc["38", "value"] == 91.3
    assert prov.set_index("code").loc["38", "name"] == "Thanh Hóa"
    with pytest.raises(ValueError, match="part must be one of"):
        national_totals.load_ntm_allocation("all")


def test_commune_snapshots_with_denominators_and_cross_check():
    c = national_totals.load_ntm_communes_national()
    ntm_ = c[c.variable == "communes_ntm"].set_index("as_of")
    assert ntm_.loc["2017-12", "value"] == 3069.0 and ntm_.loc["2021-04", "value"] == 5248.0
    tot = c[c.variable == "communes_total"].set_index("as_of")
    assert tot.loc["2021-04", "value"] == 8267.0 and "2017-12" not in tot.index
    assert c[c.variable == "communes_ntm_pct"].value.tolist() == [77.9]
    assert ntm_.loc["2022-06", "note"].startswith("same figure ntm_national_progress.csv")
    assert ntm_.loc["2017-12", "note"] == ""
    assert c.publisher.str.startswith("Ministry of Agriculture and Rural Development").all()
