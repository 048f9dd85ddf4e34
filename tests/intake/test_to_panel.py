"""Table.to_panel() (issue 13, item 2): a user's table in the panel's schema, every row marked as the user's.

The tables are written here with GSO's own figures (poverty rates and populations of 2014, read from data/raw), in
the layout a province office uses (title row, STT column, total row, a name without diacritics, a percent-formatted
cell, "dưới", a status note); the layout is the test's own.
"""
from __future__ import annotations

import csv
import dataclasses
import unicodedata
from pathlib import Path

import openpyxl
import pytest

from ntm_analysis.data.panel import PANEL_COLUMNS, USER_PANEL_COLUMNS
from ntm_analysis.intake import TableReadError, read_table
from ntm_analysis.intake.panel_rows import USER_STATUS

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"
POV, POP, NOTE = "Tỷ lệ hộ nghèo (%)", "Dân số (nghìn người)", "Ghi chú"


def _gso(name: str, column: str) -> dict[tuple[str, int], float]:
    with open(RAW / name, encoding="utf-8-sig", newline="") as fh:
        return {(r["province_code"], int(r["year"])): float(r[column]) for r in csv.DictReader(fh)
                if r["level"] == "province" and r[column].strip()}


POVERTY = _gso("poverty_rate_by_province_gso.csv", "poverty_rate_pct")
POPULATION = _gso("population_by_province_gso_1995_2016.csv", "pop_total")


def _vn(x: float) -> str:
    return f"{x:g}".replace(".", ",")


def _messy_xlsx(tmp_path: Path) -> Path:
    """Title row, STT, a name without diacritics, percent-formatted rates, a status note, a total row."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Biểu 01"
    ws.append(["BIỂU 01. TỶ LỆ HỘ NGHÈO VÀ DÂN SỐ NĂM 2014"])
    ws.append(["STT", "Tỉnh/Thành phố", "Năm", POV, POP, NOTE])
    ws.append([1, "Lao Cai", 2014, POVERTY[("10", 2014)] / 100, POPULATION[("10", 2014)], None])
    ws.append([2, "Hà Giang", 2014, POVERTY[("02", 2014)] / 100, POPULATION[("02", 2014)], "Số liệu sơ bộ"])
    ws.append([3, "Đắk Nông", 2014, POVERTY[("67", 2014)] / 100, POPULATION[("67", 2014)], None])
    ws.append([None, "Tổng cộng", 2014, None, POPULATION[("10", 2014)] + POPULATION[("02", 2014)]
               + POPULATION[("67", 2014)], None])
    for ref in ("D3", "D4", "D5"):
        ws[ref].number_format = "0.0%"
    p = tmp_path / "Số liệu tỉnh.xlsx"
    wb.save(p)
    return p


def _row(panel, variable, code):
    hits = panel[(panel.variable == variable) & (panel.code == code)]
    assert len(hits) == 1, hits
    return hits.iloc[0]


def test_to_panel_has_the_panel_columns_and_every_row_names_the_users_cell(tmp_path):
    path = _messy_xlsx(tmp_path)
    t = read_table(path)
    assert t.ok, t.report()
    p = t.to_panel()
    assert list(p.columns) == USER_PANEL_COLUMNS and list(p.columns[:len(PANEL_COLUMNS)]) == PANEL_COLUMNS
    # one row per place × year × variable; the total row and the STT column are not figures
    assert len(p) == 6 and not p.duplicated(["code", "year", "variable"]).any()
    assert set(p.code) == {"10", "02", "67"} and set(p.level) == {"province"} and set(p.vintage) == {2008}
    # names from the registry, with their diacritics (NFC), whatever the table wrote
    lao_cai = _row(p, "poverty_rate", "10")
    assert lao_cai["name"] == "Lào Cai" == unicodedata.normalize("NFC", lao_cai["name"])
    assert lao_cai["region"] == "Northern midlands and mountain areas"
    # the percent-formatted cell is the percentage shown, GSO's figure
    assert lao_cai["value"] == pytest.approx(POVERTY[("10", 2014)]) and lao_cai["unit"] == "%"
    assert lao_cai["source"] == f"user table {path.name}, sheet 'Biểu 01', row 3, column {POV!r}"
    assert (lao_cai["source_file"], lao_cai["source_row"]) == (str(path), 3)
    assert lao_cai["measure"] == f"user table: {path.name}"
    assert lao_cai["status"] == USER_STATUS == "as supplied by the user" and lao_cai["qualifier"] == "exact"
    # the status word of the note is the row's status
    ha_giang = _row(p, "poverty_rate", "02")
    assert ha_giang["status"] == "preliminary" and ha_giang["source_row"] == 4
    assert ha_giang["value"] == pytest.approx(POVERTY[("02", 2014)])


def test_a_variable_named_like_a_shipped_one_becomes_its_own(tmp_path):
    p = read_table(_messy_xlsx(tmp_path)).to_panel()
    # "Dân số" is population_total, a shipped variable: the user's is population_total__user_<stem>
    assert set(p.variable) == {"poverty_rate", "population_total__user_so_lieu_tinh"}
    pop = _row(p, "population_total__user_so_lieu_tinh", "67")
    assert pop["value"] == pytest.approx(POPULATION[("67", 2014)]) and pop["unit"] == "thousand persons"
    assert "kept apart from the shipped 'population_total'" in pop["note"]


def test_the_users_stated_measure_and_status(tmp_path):
    p = read_table(_messy_xlsx(tmp_path)).to_panel(measure="Cục Thống kê tỉnh, VHLSS", status="final")
    assert set(p.measure) == {"user table Số liệu tỉnh.xlsx: Cục Thống kê tỉnh, VHLSS"}
    # a row's own status wins over the default
    assert set(p[p.code == "02"].status) == {"preliminary"} and set(p[p.code != "02"].status) == {"final"}


def test_bounds_keep_their_qualifier_and_a_gap_stays_a_gap(tmp_path):
    path = tmp_path / "bounds.csv"
    path.write_text(f"Tỉnh,Năm,{POV}\nLào Cai,2014,\"dưới {_vn(POVERTY[('10', 2014)])}\"\n"
                    f"Hà Giang,2014,..\nĐắk Nông,2014,\"hơn {_vn(POVERTY[('67', 2014)])}\"\n"
                    f"Hà Giang,2016,\"khoảng {_vn(POVERTY[('02', 2016)])}\"\n", encoding="utf-8")
    t = read_table(path)
    assert t.ok, t.report()
    p = t.to_panel()
    assert len(t.frame) == 4 and len(p) == 3  # ".." is no figure: no row
    q = {(r.code, r.year): (r.qualifier, r.value) for r in p.itertuples()}
    assert q == {("10", 2014): ("upper_bound", pytest.approx(POVERTY[("10", 2014)])),
                 ("67", 2014): ("lower_bound", pytest.approx(POVERTY[("67", 2014)])),
                 ("02", 2016): ("approximate", pytest.approx(POVERTY[("02", 2016)]))}
    assert _row(p, "poverty_rate", "67")["note"] == f"a lower bound, as written: 'hơn {_vn(POVERTY[('67', 2014)])}'"


def test_a_table_with_problems_is_refused_naming_them(tmp_path):
    path = tmp_path / "typo.csv"
    path.write_text(f"Tỉnh,Năm,{POV}\nLào Cai,2014,\"{_vn(POVERTY[('10', 2014)])}\"\nLao Kai Xyz,2014,12\n",
                    encoding="utf-8")
    t = read_table(path)
    assert not t.ok
    with pytest.raises(TableReadError) as err:
        t.to_panel()
    msg = str(err.value)
    assert msg.startswith(str(path)) and "1 errors and 0 warnings" in msg
    assert "row 3" in msg and "'Lao Kai Xyz'" in msg


def test_a_2025_table_keeps_its_geography(tmp_path):
    path = tmp_path / "t2025.csv"
    path.write_text("Tỉnh,Năm,Số xã đạt chuẩn NTM\nLâm Đồng,2025,100\n", encoding="utf-8")
    t = read_table(path, vintage=2025)
    assert t.ok, t.report()
    p = t.to_panel()
    assert (p.loc[0, "vintage"], p.loc[0, "code"], p.loc[0, "name"]) == (2025, "68", "Lâm Đồng")
    # a row whose code the registry does not know cannot come from a clean table: refused all the same
    bad = dataclasses.replace(t, frame=t.frame.assign(province_code="99"))
    with pytest.raises(TableReadError, match="'99'"):
        bad.to_panel()
