"""The data layer: raw files unchanged and documented, the tidy panel's real figures, measures kept apart, cache."""
import csv

import pandas as pd
import pytest

import ntm_analysis as ntm
from ntm_analysis.data import panel as panel_mod
from ntm_analysis import paths
from ntm_analysis.data import cache, sources

RAW = paths.raw_dir()


def test_every_raw_file_has_provenance_and_is_unchanged():
    prov = sources.provenance()["files"]
    on_disk = sorted(p.relative_to(RAW).as_posix() for p in RAW.rglob("*") if p.is_file())
    assert sorted(prov) == on_disk
    for name, rec in prov.items():
        for field in ("producer", "title", "url", "accessed", "status", "sha256"):
            assert field in rec, f"{name}: provenance lacks {field}"
        assert sources.sha256(RAW / name) == rec["sha256"], f"data/raw/{name} was edited in place"


def test_panel_schema_and_no_gaps_filled():
    p = ntm.load_panel()
    assert list(p.columns) == panel_mod.PANEL_COLUMNS
    assert set(p["level"]) == {"province"}
    assert p["value"].notna().all()
    assert p["code"].astype(str).str.fullmatch(r"\d{2}").all()
    assert p["code"].nunique() == 63
    assert not p.duplicated(["code", "year", "variable"]).any()
    assert (p["source"].astype(str) != "").all() and (p["source_url"].astype(str) != "").all()
    assert (p["accessed"].astype(str) != "").all()


def _value(level, code, year, variable):
    p = ntm.load_panel(level=level)
    row = p[(p.code == code) & (p.year == year) & (p.variable == variable)]
    assert len(row) == 1, (level, code, year, variable)
    return row.iloc[0]


def test_known_real_figures():
    assert _value("national", "VN", 2010, "income_per_capita_nominal")["value"] == 1387.0
    lao_cai = _value("province", "10", 2010, "poverty_rate_gso_income_line")
    assert lao_cai["value"] == 40.0 and lao_cai["measure"] == "gso_income_line_2011_2015"
    assert lao_cai["status"] == "final"
    assert lao_cai["source_file"] == "income_per_capita_monthly_by_province.csv" or \
        lao_cai["source_file"] == "poverty_rate_by_province_gso.csv"
    # the source row really holds that figure
    with open(RAW / lao_cai["source_file"], encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    raw_row = rows[int(lao_cai["source_row"]) - 1]
    assert "10" in raw_row and "2010" in raw_row and "40.0" in raw_row
    assert _value("national", "VN", 2023, "poverty_rate_gso_multidimensional")["value"] == 3.37
    prelim = _value("national", "VN", 2016, "income_per_capita_nominal")
    assert prelim["value"] == 3049.0 and prelim["status"] == "preliminary"


def test_poverty_measures_cannot_be_mixed():
    p = ntm.load_panel(variables=["poverty_rate_gso_income_line", "poverty_rate_gso_multidimensional"])
    income_line = p[p.variable == "poverty_rate_gso_income_line"]
    multi = p[p.variable == "poverty_rate_gso_multidimensional"]
    assert income_line.year.max() == 2016 and set(multi.year) == {2023}
    assert set(income_line[income_line.year <= 2008].measure) == {"gso_income_line_2006_2010"}
    assert set(income_line[income_line.year >= 2010].measure) == {"gso_income_line_2011_2015"}
    assert set(multi.measure) == {"gso_multidimensional_2022_2025"}
    # a wide view never puts two measures in one column: it refuses, or splits them on request
    with pytest.raises(ntm.panel.MeasureMixError, match="gso_income_line_2006_2010.*gso_income_line_2011_2015"):
        ntm.wide(p)
    w = ntm.wide(p, measures="split")
    assert {"poverty_rate_gso_income_line [gso_income_line_2006_2010]",
            "poverty_rate_gso_income_line [gso_income_line_2011_2015]", "poverty_rate_gso_multidimensional"} \
        == set(w.columns) - {"level", "code", "name", "year"}


def test_levels_kept_apart_and_ha_tay_not_a_province():
    allp = ntm.load_panel(level="all")
    assert set(allp.level) == {"province", "region", "national", "former_province"}
    regions = ntm.load_panel(level="region")
    assert set(regions.code) == set(ntm.geo.REGIONS)
    ha_tay = allp[allp.level == "former_province"]
    assert set(ha_tay.code) == {"HA-TAY"} and ha_tay.year.max() == 2007
    hn_2000 = allp[(allp.code == "01") & (allp.year == 2000) & (allp.variable == "population_total")].iloc[0]
    assert "excludes Hà Tây" in hn_2000["note"]


def test_suspect_admin_years_and_quintile_disagreement_are_flagged():
    p = ntm.load_panel(variables="admin_communes")
    assert set(p[p.year.isin([2013, 2015])].status) == {"suspect"}
    q = _value("province", "49", 2014, "income_per_capita_nominal")
    assert q["value"] == 1784.0 and "1785" in q["note"]


def test_unknown_variable_and_level_are_clear_errors():
    with pytest.raises(KeyError, match="poverty_rate_typo"):
        ntm.load_panel(variables=["poverty_rate_typo"])
    with pytest.raises(ValueError, match="level must be"):
        ntm.load_panel(level="district")




def _rewrite(path, fn):
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    fn(rows)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)


def test_changed_figure_rebuilds_cache(data_copy):
    before = ntm.load_panel(level="national", data_dir=data_copy)
    assert list((data_copy / ".cache").glob("panel-*.parquet"))
    f = data_copy / "raw" / "income_per_capita_monthly_by_province.csv"

    def edit(rows):
        header = rows[0]
        rows[1][header.index("income_total")] = "1400.0"
        rows[1][header.index("income_total_in_quintile_table")] = "1400"
    _rewrite(f, edit)
    after = ntm.load_panel(level="national", data_dir=data_copy)
    sel = lambda d: d[(d.year == 2010) & (d.variable == "income_per_capita_nominal")].value.iloc[0]  # noqa: E731
    assert (sel(before), sel(after)) == (1387.0, 1400.0)


def test_warm_load_uses_cache(data_copy, monkeypatch):
    ntm.load_panel(data_dir=data_copy)
    cache.clear()

    def boom(*a, **k):
        raise AssertionError("rebuilt although nothing changed")
    monkeypatch.setattr(panel_mod, "build_panel", boom)
    assert len(ntm.load_panel(data_dir=data_copy)) > 10000


def test_bad_raw_cell_names_file_row_column_value(data_copy):
    f = data_copy / "raw" / "poverty_rate_by_province_gso.csv"

    def edit(rows):
        rows[5][rows[0].index("poverty_rate_pct")] = "12,5%"
    _rewrite(f, edit)
    with pytest.raises(sources.RawDataError) as err:
        panel_mod.build_panel(data_dir=data_copy)
    msg = str(err.value)
    assert "poverty_rate_by_province_gso.csv" in msg and "row 6" in msg and "'poverty_rate_pct'" in msg
    assert "'12,5%'" in msg and "expected a number" in msg


def test_unknown_province_code_in_raw_is_an_error(data_copy):
    f = data_copy / "raw" / "spatial_cost_of_living_index_by_province.csv"
    _rewrite(f, lambda rows: rows[3].__setitem__(0, "03"))
    with pytest.raises(sources.RawDataError, match=r"row 4, column 'province_code': found '03'"):
        panel_mod.build_panel(data_dir=data_copy)


def test_ntm_reports_units_converted_and_periods_kept_apart():
    d = ntm.load_ntm_reports("resources_total", "Đắk Nông")
    r = d[d.period_label == "2010–2019"].iloc[0]
    assert (r.value, r.unit, r.value_reported, r.unit_reported, r.qualifier) == (
        91000.0, "billion VND", 91.0, "trillion VND", "lower_bound")
    allr = ntm.load_ntm_reports(include_post_merger=True)
    assert len(allr) == 439  # every row carried
    money = allr[allr.indicator.str.startswith("resources_")]
    assert set(money.unit) == {"billion VND"}
    tn = money[money.unit_reported.isin(["nghìn tỷ đồng", "trillion VND"])]
    assert (tn.value == tn.value_reported * 1000).all()
    lao_cai = ntm.load_ntm_reports("resources_total", "Lào Cai", min_confidence="high")
    assert {"2011–2015"} <= set(lao_cai.period_label)
    assert not ntm.load_ntm_reports().post_merger.any()


def test_codebook_coverage_matches_ntm_reports():
    cov = ntm.ntm_coverage()
    cb = ntm.codebook()["variables"]["ntm_reports"]
    for ind, row in cov.iterrows():
        assert cb[ind]["coverage"]["rows"] == row["rows"]
        assert cb[ind]["coverage"]["provinces"] == row["provinces"]


def test_datapoints_keep_measures_and_qualifiers():
    d = ntm.load_datapoints()
    final_2016 = d[(d.code == "VN") & (d.year == 2016) & (d.variable == "income_per_capita_nominal")
                   & (d.area == "total")].iloc[0]
    assert final_2016.value == 3098.0 and final_2016.status == "final"
    molisa = d[(d.code == "VN") & (d.year == 2023) & (d.variable == "poverty_rate_molisa_poor_households")]
    assert molisa.value.tolist() == [2.93]
    assert d[d.code == "31"].qualifier.tolist() == ["lower_bound"]  # Hải Phòng 2024 ">7000"
    assert not set(d.variable) & {"poverty_rate_gso_income_line", "poverty_rate_gso_multidimensional"}


def test_seed_facts_load():
    s = ntm.load_seed_facts()
    yty = s[(s.place == "Y Tý") & (s.indicator == "poverty_rate")].set_index("period_end")["value"]
    assert yty.to_dict() == {"2021": 50.79, "2025": 20.42}
    assert set(s.province_code) == {"10", "67"}
    assert isinstance(s, pd.DataFrame) and s.quote.str.len().min() > 10
