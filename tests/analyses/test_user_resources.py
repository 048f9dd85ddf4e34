"""A researcher's table of resources or of communes meeting the standard enters the resource measures and the
resources association as measures of its own (issue 13, item 4).

Every figure of the tables written here is SYNTHETIC (made up for the test, labelled so in the table's note
column), except where a row says it copies a shipped row (with that row's source).
"""
import numpy as np
import pandas as pd
import pytest

from ntm_analysis.analyses.resources import (MEASURES, province_resources, resource_measures,
                                             resources_association)
from ntm_analysis.analyses.user_resources import USER_MEASURES, UserTableError, user_folder_files
from ntm_analysis.data.population import population_over
from ntm_analysis.intake import read_table
from ntm_analysis.models.association import MIN_N

HEADER = "STT;Tỉnh;Năm;Tổng nguồn lực huy động (tỷ đồng);Nhân dân đóng góp (triệu đồng);Ghi chú\n"
ROWS = [
    "1;Lào Cai;2020;12.345;hơn 600.000;giai đoạn 2016–2020, SYNTHETIC\n",
    "2;Đắk Nông;2020;23.456,5;700.000;giai đoạn 2016-2020, số liệu sơ bộ, SYNTHETIC\n",
    "3;Hà Giang;2019;1.000;;SYNTHETIC\n",
    ";Tổng cộng;2020;36.801;1.300.000;\n",
]


def _write(path, rows=ROWS, header=HEADER):
    path.write_text(header + "".join(rows), encoding="utf-8")
    return path


def _user(rm):
    return rm[rm["measure"].str.startswith("user:")].set_index(["measure", "code"])


def test_user_rows_are_measures_of_their_own_by_value(tmp_path):
    path = _write(tmp_path / "nguon_luc.csv")
    shipped = resource_measures()
    rm = resource_measures(extra=[path])
    # the shipped rows are untouched, the user's follow under their own measures
    pd.testing.assert_frame_equal(rm.iloc[:len(shipped)].reset_index(drop=True), shipped)
    u = _user(rm)
    assert set(u.index.get_level_values("measure")) == {"user:resources_total", "user:resources_people"}
    assert len(u) == 5  # 3 totals (the total row set aside) + 2 people's contributions (Hà Giang's is empty)
    assert not set(rm.loc[~rm["measure"].str.startswith("user:"), "publisher"]) & {"user table nguon_luc.csv"}

    lc = u.loc[("user:resources_total", "10")]
    assert lc["value"] == pytest.approx(12345.0) and lc["value_bn_vnd"] == pytest.approx(12345.0)
    assert (lc["period_start"], lc["period_end"], lc["period_label"]) == (2016, 2020, "2016–2020")
    assert lc["publisher"] == "user table nguon_luc.csv" and lc["source_url"] == ""
    assert lc["source_file"] == str(path) and lc["source_row"] == 2
    assert lc["note"].startswith("user table nguon_luc.csv, row 2, column 'Tổng nguồn lực huy động (tỷ đồng)'")
    assert (lc["qualifier"], lc["status"], lc["confidence"]) == ("exact", "as supplied by the user", "user")
    # per person by the same rule as the shipped totals: the mean population 2016–2020 of one GSO series
    pop = population_over(2016, 2020).set_index("code").loc["10"]
    assert lc["population_thousand"] == pytest.approx(float(pop["population_thousand"]))
    assert lc["per_capita_million_vnd"] == pytest.approx(12345.0 / float(pop["population_thousand"]))

    # million VND → billion VND said in the note; the lower bound and the preliminary status kept
    people = u.loc[("user:resources_people", "10")]
    assert people["value"] == pytest.approx(600000.0) and people["unit"] == "million VND"
    assert people["value_bn_vnd"] == pytest.approx(600.0) and people["qualifier"] == "lower_bound"
    assert "600000 million VND = 600 billion VND" in people["note"]
    dn = u.loc[("user:resources_total", "67")]
    assert dn["value"] == pytest.approx(23456.5) and dn["status"] == "preliminary"
    # a row without a period in its note is the year's own figure, and says so
    hg = u.loc[("user:resources_total", "02")]
    assert (hg["period_start"], hg["period_end"]) == (2019, 2019) and "no period named in the note" in hg["note"]
    pop_hg = population_over(2019, 2019).set_index("code").loc["02", "population_thousand"]
    assert hg["per_capita_million_vnd"] == pytest.approx(1000.0 / float(pop_hg))


def test_a_table_object_and_its_path_give_the_same_rows(tmp_path):
    path = _write(tmp_path / "t.csv")
    by_path = resource_measures(extra=[path])
    by_table = resource_measures(extra=[read_table(path)])
    pd.testing.assert_frame_equal(by_path, by_table)


def test_communes_meeting_the_standard_become_a_share_when_the_row_gives_the_communes(tmp_path):
    # Đắk Nông, 16 of 61 communes at the end of 2019: copied from data/raw/ntm_resources_by_province.csv
    # (Báo Đắk Nông, as the shipped row cites it); Hà Giang's 50 communes: SYNTHETIC, no number of communes
    path = tmp_path / "xa.csv"
    path.write_text("Tỉnh;Năm;Số xã đạt chuẩn NTM;Tổng số xã;Ghi chú\n"
                    "Đắk Nông;2019;16;61;hết năm 2019\n"
                    "Hà Giang;2019;50;;SYNTHETIC\n", encoding="utf-8")
    u = _user(resource_measures(extra=[path]))
    share = u.loc[("user:communes_ntm_share", "67")]
    assert share["value"] == pytest.approx(100 * 16 / 61) and share["unit"] == "% of communes"
    assert "16 of 61 communes" in share["note"] and np.isnan(share["per_capita_million_vnd"])
    count = u.loc[("user:communes_ntm", "02")]
    assert count["value"] == pytest.approx(50.0) and count["unit"] == "communes"


def test_a_table_with_problems_is_refused_with_its_report(tmp_path):
    path = _write(tmp_path / "bad.csv", rows=ROWS[:1] + ["2;Đắk Nôông;2020;abc;700;SYNTHETIC\n"])
    with pytest.raises(UserTableError) as err:
        resource_measures(extra=[path])
    assert "bad.csv" in str(err.value) and "abc" in str(err.value)


def test_a_note_naming_another_period_than_the_rows_year_is_an_error(tmp_path):
    path = _write(tmp_path / "p.csv", rows=["1;Lào Cai;2019;12.345;;giai đoạn 2016–2020, SYNTHETIC\n"])
    with pytest.raises(UserTableError, match=r"p\.csv, row 2.*2016–2020.*year is 2019"):
        resource_measures(extra=[path])


def test_the_association_takes_the_user_measure_and_reports_sample_and_exclusions(tmp_path):
    path = _write(tmp_path / "t.csv")
    res = resources_association("user:resources_total", "real_income_growth_2016_2023", (2016, 2020),
                                extra=[path])
    assert sorted(res.sample["code"]) == ["10", "67"]
    s = res.sample.set_index("code")
    rm = _user(resource_measures(extra=[path]))
    for code in ("10", "67"):
        assert s.loc[code, "x"] == pytest.approx(np.log(rm.loc[("user:resources_total", code),
                                                               "per_capita_million_vnd"]))
    assert s.loc["10", "source_row"] == 2 and s.loc["10", "confidence"] == "user"
    ex = res.excluded.set_index("code")["reason"]
    assert len(ex) == 61 and len(s) + len(ex) == 63
    assert ex["01"] == "not in the user's table"
    assert ex["02"] == "figure in the user's table covers 2019, not the 2016–2020 phase"
    assert any("researcher's own figure" in n and str(path) in n for n in res.notes)
    assert res.nobs == 2 < MIN_N and np.isnan(res.params.iloc[0])  # 2 provinces: no slope
    # the shipped association is unchanged by a user table
    a = resources_association("resources_total", "real_income_growth_2010_2016", (2011, 2015))
    b = resources_association("resources_total", "real_income_growth_2010_2016", (2011, 2015), extra=[path])
    pd.testing.assert_frame_equal(a.sample, b.sample)


def test_the_user_measure_needs_its_table():
    with pytest.raises(ValueError, match="extra="):
        resources_association("user:resources_total", "real_income_growth_2016_2023", (2016, 2020))


def test_province_resources_lists_the_users_rows_unranked(tmp_path):
    path = _write(tmp_path / "t.csv")
    pr = province_resources("Lào Cai", extra=[path])
    mine = pr[pr["measure"].str.startswith("user:")]
    assert sorted(mine["measure"]) == ["user:resources_people", "user:resources_total"]
    assert mine["rank"].isna().all() and set(mine["rank_basis"]) == {"not ranked: the user's table"}
    shipped = province_resources("Lào Cai")
    pd.testing.assert_frame_equal(pr.iloc[:len(shipped)].reset_index(drop=True), shipped)


def test_user_folder_lists_readable_tables_only(tmp_path):
    (tmp_path / "user").mkdir()
    for name in ("b.xlsx", "a.csv", "~$a.xlsx", ".hidden.csv", "readme.md"):
        (tmp_path / "user" / name).write_text("x", encoding="utf-8")
    assert [p.name for p in user_folder_files(tmp_path)] == ["a.csv", "b.xlsx"]
    assert user_folder_files(tmp_path / "nowhere") == []


def test_user_measures_are_described_apart_from_the_shipped_ones():
    assert not set(USER_MEASURES) & set(MEASURES)
    assert all(m.startswith("user:") and "user table" in d["label"] for m, d in USER_MEASURES.items())
