"""Two GSO population vintages: each its own panel variable, never spliced, never averaged together."""
import math

import pytest

import ntm_analysis as ntm
from ntm_analysis.data.panel import POPULATION_V0201_FILE, POPULATION_FILE
from ntm_analysis.data.population import population_over
from ntm_analysis.data.variables import POPULATION, POPULATION_V0201


def _one(variable, code, year, level="province"):
    p = ntm.load_panel(level=level, variables=variable)
    row = p[(p.code == code) & (p.year == year)]
    assert len(row) == 1
    return row.iloc[0]


def test_both_vintages_kept_each_in_its_own_variable():
    new, old = _one(POPULATION_V0201, "01", 2012), _one(POPULATION, "01", 2012)
    assert new.value == pytest.approx(6991.43) and old.value == pytest.approx(6865.2)
    assert new.source_file == POPULATION_V0201_FILE and old.source_file == POPULATION_FILE
    assert new.unit == "thousand persons" and "V02.01" in new.measure and "not spliced" in new.measure


def test_v0201_coverage_levels_and_flag():
    p = ntm.load_panel(level="all", variables=POPULATION_V0201)
    prov = p[p.level == "province"]
    assert prov.code.nunique() == 63 and sorted(prov.year.unique()) == list(range(2011, 2023))
    assert set(p[p.level == "region"].code) == set(ntm.geo.REGIONS)
    assert _one(POPULATION_V0201, "VN", 2011, "national").value == pytest.approx(88145.83)
    flagged = p[p.year >= 2019]
    assert set(flagged.status) == {"as published; flagged (*) in the export"}
    assert set(p[p.year <= 2018].status) == {"final"}
    # regions are GSO's six: their provinces sum to them (rounding within 0.1 thousand)
    reg = prov.groupby(["region", "year"], observed=True).value.sum()
    for (region, year), total in reg.items():
        assert _one(POPULATION_V0201, region, year, "region").value == pytest.approx(total, abs=0.1)


def test_no_splice_between_vintages_in_the_panel():
    p = ntm.load_panel(level="all", variables=[POPULATION, POPULATION_V0201])
    assert set(p[p.variable == POPULATION].source_file) == {POPULATION_FILE}
    assert set(p[p.variable == POPULATION_V0201].source_file) == {POPULATION_V0201_FILE}
    assert p[p.variable == POPULATION].year.max() == 2016
    assert p[p.variable == POPULATION_V0201].year.min() == 2011


def test_population_over_uses_v0201_when_it_covers_the_span():
    d = population_over(2011, 2015)
    assert len(d) == 63 and set(d.population_series) == {POPULATION_V0201}
    p = ntm.load_panel(variables=POPULATION_V0201)
    lc = p[(p.code == "10") & p.year.between(2011, 2015)].value
    assert len(lc) == 5
    row = d.set_index("code").loc["10"]
    assert row.population_thousand == pytest.approx(lc.mean()) and row.population_years == "2011–2015"
    assert d.population_note.eq("").all()


def test_population_over_falls_back_to_the_old_series_whole():
    d = population_over(2005, 2010).set_index("code")
    assert set(d.population_series) == {POPULATION}
    p = ntm.load_panel(variables=POPULATION)
    dn = p[(p.code == "67") & p.year.between(2005, 2010)].value
    assert d.loc["67", "population_thousand"] == pytest.approx(dn.mean())
    assert "Hà Tây" in d.loc["01", "population_note"]


def test_population_over_never_mixes_and_says_why():
    d = population_over(2010, 2020)  # 2010 only in the old series, 2017–2020 only in V02.01
    assert d.population_thousand.isna().all() and set(d.population_series) == {""}
    assert d.population_note.str.contains("no single population series").all()
    late = population_over(2021, 2025)
    assert late.population_thousand.isna().all()
    assert late.set_index("code").loc["10", "population_note"] == (
        "population not published for 2023–2025 (V02.01 covers 2011–2022; the 1995–2016 series covers 1995–2016)")
    with pytest.raises(ValueError):
        population_over(2020, 2016)


def test_population_over_2016_2020_value():
    d = population_over(2016, 2020).set_index("code")
    p = ntm.load_panel(variables=POPULATION_V0201)
    hn = p[(p.code == "01") & p.year.between(2016, 2020)].value
    assert not math.isnan(d.loc["01", "population_thousand"])
    assert d.loc["01", "population_thousand"] == pytest.approx(hn.mean())
    # 2016 is in both series: the old one's 2016 is never used here
    old16 = _one(POPULATION, "01", 2016).value
    assert _one(POPULATION_V0201, "01", 2016).value != old16
