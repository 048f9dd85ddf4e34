"""resource_measures(): every resource measure of the provinces, by value on the shipped data."""
import numpy as np
import pandas as pd
import pytest

from ntm_analysis.analyses import resource_measures as rmod
from ntm_analysis.analyses.resources import MEASURES, resource_measures
from ntm_analysis.data.ntm_provincial import load_ntm_reports
from ntm_analysis.data.panel import load_panel


@pytest.fixture(scope="module")
def rm():
    return resource_measures()


def _pop(code, variable, years):
    p = load_panel(variables=variable)
    p = p[(p["code"].astype(str) == code) & p["year"].isin(years)]
    assert sorted(p["year"]) == list(years)
    return float(p["value"].mean())


def test_columns_and_measures(rm):
    assert list(rm.columns) == rmod.COLUMNS
    assert set(rm["measure"]) == set(MEASURES)
    money = rm[rm["measure"] != "communes_ntm_share"]
    assert (money["unit"] == "billion VND").all() and (money["value"] == money["value_bn_vnd"]).all()
    share = rm[rm["measure"] == "communes_ntm_share"]
    assert (share["unit"] == "% of communes").all() and share["value_bn_vnd"].isna().all()
    assert share["per_capita_million_vnd"].isna().all()


def test_mof_transfers_cover_63_provinces_in_2016_and_the_53_non_blank_in_2017(rm):
    t = rm[rm["measure"] == "central_ntp_transfers_plan"]
    assert t[t["period_label"] == "2016"]["code"].nunique() == 63 == len(t[t["period_label"] == "2016"])
    t17 = t[t["period_label"] == "2017"]
    assert len(t17) == 53
    blanks = rmod.transfer_blanks(2017)
    assert len(blanks) == 10 and not set(blanks["code"]) & set(t17["code"])
    assert {"01", "79", "48"} <= set(blanks["code"])
    assert (t["scope"] == "both national target programmes").all()
    assert (t["publisher"] == "Ministry of Finance (MOF)").all()


def test_transfer_per_person_is_the_value_over_the_population_of_the_same_year(rm):
    lc = rm[(rm["measure"] == "central_ntp_transfers_plan") & (rm["code"] == "10") & (rm["period_label"] == "2016")]
    r = lc.iloc[0]
    assert r["value_bn_vnd"] == pytest.approx(365.555)
    pop = _pop("10", r["population_series"], [2016])
    assert r["population_thousand"] == pytest.approx(pop)
    assert r["per_capita_million_vnd"] == pytest.approx(365.555 / pop)


def test_every_press_reported_total_is_a_row_with_its_own_period(rm):
    rep = load_ntm_reports(["resources_total", "resources_people"])
    mine = rm[rm["measure"].isin(["resources_total", "resources_people"])].set_index("source_row")
    assert len(mine) == len(rep)
    for _, r in rep.iterrows():
        m = mine.loc[r["source_row"]]
        assert (m["code"], m["measure"], m["period_label"]) == (r["province_code"], r["indicator"], r["period_label"])
        assert m["value_bn_vnd"] == pytest.approx(r["value"])
    phases = mine[mine["period_label"].isin(["2011–2015", "2016–2020", "2010–2020", "2011–2020"])
                  & (mine["measure"] == "resources_total")]
    assert len(phases) == 9 + 6 + 5 + 1


def test_lao_cai_rows_by_value(rm):
    lc = rm[(rm["code"] == "10") & (rm["measure"] == "resources_total")].set_index("period_label")
    p1 = lc.loc["2011–2015"]
    assert p1["value_bn_vnd"] == pytest.approx(50281.0)
    assert (p1["qualifier"], p1["scope"], p1["confidence"]) == ("exact", "includes credit", "high")
    assert "40,071" in p1["scope_words"]
    pop = _pop("10", "population_total_v0201", range(2011, 2016))
    assert p1["population_series"] == "population_total_v0201" and p1["population_years"] == "2011–2015"
    assert p1["per_capita_million_vnd"] == pytest.approx(50281.0 / pop)
    later = lc.loc[["2021–2025"]].sort_values("value_bn_vnd")
    assert list(later["value_bn_vnd"]) == pytest.approx([9200.0, 11182.244])
    assert list(later["scope"]) == ["excludes credit", "three programmes"]
    assert later["per_capita_million_vnd"].isna().all()
    assert later["population_note"].str.startswith("population not published for 2023–2025").all()


def test_dak_nong_rows_by_value(rm):
    dn = rm[(rm["code"] == "67") & (rm["measure"] == "resources_total")].set_index("period_label")
    dec = dn.loc["2010–2019"]
    assert dec["value_bn_vnd"] == pytest.approx(91000.0)  # "over 91 trillion VND"
    assert dec["qualifier"] == "lower_bound" and dec["confidence"] == "high"
    assert np.isnan(dec["per_capita_million_vnd"])
    assert dec["population_note"].startswith("no single population series covers every year 2010–2019")
    early = dn.loc["2011–2013"]
    assert early["value_bn_vnd"] == pytest.approx(7500.0)
    assert early["per_capita_million_vnd"] == pytest.approx(7500.0 / _pop("67", "population_total_v0201",
                                                                          range(2011, 2014)))


def test_commune_shares_follow_the_snapshot_rule(rm):
    sh = rm[rm["measure"] == "communes_ntm_share"].set_index(["code", "period_label"])
    lc = sh.loc[("10", "mid-2025")]
    assert lc["value"] == pytest.approx(100 * 65 / 126) and lc["as_of"] == "2025-06"
    hn = sh.loc[("01", "end-2020")]
    assert hn["value"] == pytest.approx(100 * 355 / 382) and hn["as_of"] == "2020-06"
    # every snapshot figure is dated at or before its snapshot and within the window
    for (code, snap), r in sh.iterrows():
        year, month = rmod.SNAPSHOTS[snap]
        end = rmod._ym(r["as_of"])
        gap = rmod._months((year, month)) - rmod._months(end)
        assert 0 <= gap < rmod.SNAPSHOT_WINDOW_MONTHS, (code, snap, r["as_of"])
    # Lào Cai's end-2015 count (20 communes) has no total in the same source: no share is made up
    assert ("10", "end-2015") not in sh.index
    # Lào Cai's end-2019 count is more than 12 months before end-2020 and after end-2015: not used for either
    assert ("10", "end-2020") not in sh.index


def test_scope_file_entries_must_match_a_row(monkeypatch):
    reports = load_ntm_reports(["resources_total", "resources_people"], include_post_merger=True)
    good = rmod.scope_table(reports)
    assert good.set_index("source_row").loc[194, "scope"] == "budget only"  # Khánh Hòa "spent" 2011–2015
    wrong = ({"code": "10", "period": "2011–2014", "row": 13, "scope": "includes credit", "words": "x"},)
    monkeypatch.setattr(rmod, "_scope_entries", lambda: wrong)
    with pytest.raises(rmod.ScopeFileError, match="row 13 .* is code 10 \\(Lào Cai\\), period 2011–2015; the entry "
                                                  "says code 10, period 2011–2014"):
        rmod.scope_table(reports)


def test_unknown_scope_word_is_refused(monkeypatch, tmp_path):
    rmod._scope_entries.cache_clear()
    text = "entries:\n  - {code: '10', period: '2011–2015', row: 13, scope: mostly credit, words: x}\n"

    class _Files:
        def joinpath(self, _name):
            return self

        def read_text(self, encoding):
            return text

    monkeypatch.setattr(rmod.importlib_resources, "files", lambda _pkg: _Files())
    try:
        with pytest.raises(rmod.ScopeFileError, match="found scope 'mostly credit'; expected one of"):
            rmod._scope_entries()
    finally:
        rmod._scope_entries.cache_clear()


def test_every_scope_is_in_the_vocabulary(rm):
    assert set(rm["scope"]) <= set(rmod.SCOPES) | {MEASURES["communes_ntm_share"]["scope"]}
    assert isinstance(rm, pd.DataFrame)
