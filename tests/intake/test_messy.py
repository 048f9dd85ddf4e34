"""Messy official tables (issue 13, item 1): nothing is altered silently.

Percent-formatted XLSX cells are read as the percentage shown, with a note (a column mixing them with plain numbers
is a problem); row-number columns and total/subtotal rows are set aside with a note; bounds and approximate values
and the status words of a note or status column are listed in the check report and stay on the row; a file with
all of these at once is reported completely by one run of `ntm data check`.

The messy tables are built here with fixed content; their poverty rates and populations are GSO's (checked against
data/raw), the "hơn 73.000 tỷ đồng" is Báo Đắk Nông's figure for 2016–2020; the layout around them (title rows, STT,
totals, a misspelt name, a duplicate row, percent formats) is the test's own.
"""
from __future__ import annotations

import csv
import math
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from ntm_analysis.cli import main as cli_main
from ntm_analysis.intake import parse_number, read_table

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"
POV, POP, RES, PROV, NOTE = ("Tỷ lệ hộ nghèo (%)", "Dân số (nghìn người)", "Tổng nguồn lực huy động (tỷ đồng)",
                             "Tỉnh/Thành phố", "Ghi chú")


def _csv(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8", newline="")
    return p


def _xlsx(tmp_path: Path, name: str, rows: list[list], formats: dict[str, str] | None = None,
          sheet: str = "Biểu 01") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r in rows:
        ws.append(r)
    for ref, fmt in (formats or {}).items():
        ws[ref].number_format = fmt
    p = tmp_path / name
    wb.save(p)
    return p


def _gso(name: str, column: str) -> dict[tuple[str, int], float]:
    with open(RAW / name, encoding="utf-8-sig", newline="") as fh:
        return {(r["province_code"], int(r["year"])): float(r[column]) for r in csv.DictReader(fh)
                if r["level"] == "province"}


def _fig(frame: pd.DataFrame, row: int, column: str) -> pd.Series:
    hits = frame[(frame.source_row == row) & (frame.source_column == column)]
    assert len(hits) == 1, hits
    return hits.iloc[0]


# ---------------------------------------------------------------------------
# 1. Percent-formatted XLSX cells
# ---------------------------------------------------------------------------

def test_percent_formatted_cells_are_read_as_the_percentage_shown_with_a_note(tmp_path):
    p = _xlsx(tmp_path, "pct.xlsx", [["Tỉnh", "Năm", "Tỷ lệ hộ nghèo (%)"],
                                     ["Lào Cai", 2014, 0.253], ["Lào Cai", 2016, 0.181], ["Hà Giang", 2014, 0.282]],
              {"C2": "0.0%", "C3": "0.0%", "C4": "0.00%"})
    t = read_table(p)
    assert t.ok, t.report()
    gso = _gso("poverty_rate_by_province_gso.csv", "poverty_rate_pct")
    for row, code, year in ((2, "10", 2014), (3, "10", 2016), (4, "02", 2014)):
        fig = _fig(t.frame, row, "Tỷ lệ hộ nghèo (%)")
        assert (fig.province_code, fig.year, fig.unit) == (code, year, "%")
        assert fig.value == gso[(code, year)]  # 0.253 → 25.3 exactly (decimal, no binary residue)
    assert _fig(t.frame, 4, "Tỷ lệ hộ nghèo (%)").value_input == "28.20%"
    notes = [(n.file, n.sheet, n.row, n.column, n.value) for n in t.notices]
    assert notes == [(str(p), "Biểu 01", 2, POV, "25.3%"), (str(p), "Biểu 01", 3, POV, "18.1%"),
                     (str(p), "Biểu 01", 4, POV, "28.20%")]
    assert t.notices[0].message.startswith("percent-formatted cell: stored 0.253, shown 25.3%; read as 25.3")
    report = t.report()
    assert f"{p} [sheet 'Biểu 01'], row 2, column 'Tỷ lệ hộ nghèo (%)': note: percent-formatted cell: stored 0.253" \
        in report
    assert "No problems found." in report


def test_a_column_mixing_percent_formatted_and_plain_numbers_is_flagged(tmp_path, capsys):
    # The case: 24.1 % stored as 0.241 in one cell, 34.0 typed in the next; "No problems found" before.
    p = _xlsx(tmp_path, "mixed.xlsx", [["Tỉnh", "Năm", "Tỷ lệ hộ nghèo (%)"],
                                       ["Lào Cai", 2010, 0.241], ["Hà Giang", 2010, 34.0], ["Lai Châu", 2010, 0.5]],
              {"C2": "0.0%"})
    t = read_table(p)
    assert not t.ok
    assert [(p.row, p.column, p.value, p.severity, p.sheet) for p in t.problems] == [
        (3, POV, "34", "error", "Biểu 01"), (4, POV, "0.5", "error", "Biểu 01")]
    assert t.problems[0].message == ("plain number in a column whose cells in row 2 are formatted as percentages "
                                     "(read as the percentage shown): is 34 a percentage or a fraction?")
    # Neither kind is combined silently: both cells are flagged, each read as shown.
    assert (_fig(t.frame, 2, POV).value, _fig(t.frame, 2, POV).problem) == (24.1, True)
    assert (_fig(t.frame, 3, POV).value, _fig(t.frame, 3, POV).problem) == (34.0, True)
    assert _fig(t.frame, 4, POV).problem  # 0.5 plain: a fraction or half a percent?
    assert [n.row for n in t.notices] == [2]
    assert cli_main(["data", "check", str(p)]) == 1
    out = capsys.readouterr().out
    assert "No problems found" not in out and "2 errors, 0 warnings" in out


def test_percent_format_rules(tmp_path):
    # A literal "%" in quotes does not scale the number; a percent cell in a money column cannot be converted.
    p = _xlsx(tmp_path, "fmt.xlsx", [["Tỉnh", "Năm", "Tỷ lệ hộ nghèo", "Tổng nguồn lực (tỷ đồng)"],
                                     ["Lào Cai", 2010, 40.0, 0.25]],
              {"C2": '0.0"%"', "D2": "0%"})
    t = read_table(p)
    assert _fig(t.frame, 2, "Tỷ lệ hộ nghèo").value == 40.0
    [pr] = t.problems
    assert (pr.row, pr.column, pr.value) == (2, "Tổng nguồn lực (tỷ đồng)", "25%")
    assert pr.message.startswith("cell unit '%' cannot be converted to the column's unit 'billion VND'")


def test_long_table_percent_cells_are_checked_per_variable(tmp_path):
    # Rates formatted as percentages next to plain money figures in one value column: not a mix (two variables).
    p = _xlsx(tmp_path, "long.xlsx", [["Tỉnh", "Năm", "Chỉ tiêu", "Giá trị", "Đơn vị"],
                                      ["Lào Cai", 2010, "Tỷ lệ hộ nghèo", 0.4, "%"],
                                      ["Lào Cai", 2012, "Tỷ lệ hộ nghèo", 0.329, "%"],
                                      ["Lào Cai", 2015, "Tổng nguồn lực", 9028, "tỷ đồng"]],
              {"D2": "0.0%", "D3": "0.0%"})
    t = read_table(p)
    assert t.ok, t.report()
    assert sorted(t.frame.value) == [32.9, 40.0, 9028.0]


# ---------------------------------------------------------------------------
# 2. Row-number columns
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("header", ["STT", "stt", "TT", "Số TT", "số thứ tự", "S.T.T", "No.", "No", "#", "№"])
def test_row_number_columns_are_set_aside_with_a_note(tmp_path, header):
    p = _csv(tmp_path, "stt.csv", f"{header},Tỉnh,Năm,Tỷ lệ hộ nghèo (%)\n1,Lào Cai,2010,\"40,0\"\n"
                                  "2,Lào Cai,2012,\"32,9\"\n3,Hà Giang,2010,\"50,0\"\n")
    t = read_table(p)
    assert t.ok and t.problems == [], t.report()  # never an "unrecognised header"
    assert set(t.frame.variable) == {"poverty_rate"} and len(t.frame) == 3
    assert sorted(t.frame.value) == [32.9, 40.0, 50.0]
    [n] = t.notices
    assert (n.row, n.column, n.value, n.severity) == (1, header, header, "note")
    assert n.message == "row-number column (STT): set aside, not read as a variable"
    assert "row-number column" in t.report()


def test_row_number_column_in_a_long_table(tmp_path):
    p = _csv(tmp_path, "long.csv", "TT;Tỉnh;Năm;Chỉ tiêu;Giá trị\n1;Lào Cai;2010;Tỷ lệ hộ nghèo;40,0\n")
    t = read_table(p)
    assert t.ok and t.layout == "long" and list(t.frame.value) == [40.0]
    assert [n.column for n in t.notices] == ["TT"]


# ---------------------------------------------------------------------------
# 3. Total and subtotal rows
# ---------------------------------------------------------------------------

TOTALS = [("Tổng cộng", "a total"), ("TỔNG SỐ", "a total"), ("Tổng", "a total"), ("tong cong", "a total"),
          ("Cộng", "a total"), ("Cộng:", "a total"), ("Tổng số (63 tỉnh)", "a total"), ("Total", "a total"),
          ("Cả nước", "the whole country"), ("CA NUOC", "the whole country"), ("Toàn quốc", "the whole country"),
          ("Toàn tỉnh", "the whole province"),
          ("Đồng bằng sông Hồng", "a region"), ("I. Đồng bằng sông Hồng", "a region"), ("ĐBSH", "a region"),
          ("Trung du và miền núi phía Bắc", "a region"), ("Trung du miền núi phía Bắc", "a region"),
          ("Bắc Trung Bộ và duyên hải miền Trung", "a region"), ("Tây Nguyên", "a region"),
          ("Vùng Tây Nguyên", "a region"), ("Đông Nam Bộ", "a region"), ("dong nam bo", "a region"),
          ("Đồng bằng sông Cửu Long", "a region"), ("ĐBSCL", "a region"), ("Mekong River Delta", "a region"),
          ("Central Highlands", "a region")]


@pytest.mark.parametrize(("label", "kind"), TOTALS)
def test_total_and_region_rows_are_set_aside_never_offered_provinces(tmp_path, label, kind, capsys):
    p = _csv(tmp_path, "tong.csv", "Tỉnh,Năm,Tỷ lệ hộ nghèo (%)\nLào Cai,2010,\"40,0\"\n"
                                   f"\"{label}\",2010,\"14,2\"\n")
    t = read_table(p)
    assert t.ok and t.problems == [], t.report()
    assert list(t.frame.source_row) == [2] and list(t.frame.value) == [40.0]
    [n] = t.notices
    assert (n.file, n.row, n.column, n.value) == (str(p), 3, "Tỉnh", label)
    assert n.message == f"total or subtotal row ({kind}): set aside, not read as a province's figures"
    assert cli_main(["data", "check", str(p)]) == 0
    out = capsys.readouterr().out
    assert "closest" not in out and "unknown province" not in out and "Tiền Giang" not in out


def test_a_misspelt_province_is_still_an_unknown_province(tmp_path):
    p = _csv(tmp_path, "typo.csv", "Tỉnh,Năm,Tỷ lệ hộ nghèo (%)\nLào Cay,2010,\"40,0\"\n")
    [pr] = read_table(p).problems
    assert pr.message == "unknown province 'Lào Cay'" and "closest: Lào Cai (10)" in pr.expected


# ---------------------------------------------------------------------------
# 4. Bounds and approximate values
# ---------------------------------------------------------------------------

QUALIFIED = [("hơn 5.200", 5200.0, "lower_bound", "hơn"), ("trên 5.200", 5200.0, "lower_bound", "trên"),
             ("over 5200", 5200.0, "lower_bound", "over"), ("more than 5200", 5200.0, "lower_bound", "more than"),
             ("> 5.200", 5200.0, "lower_bound", ">"), ("dưới 5.200", 5200.0, "upper_bound", "dưới"),
             ("under 5200", 5200.0, "upper_bound", "under"), ("<5.200", 5200.0, "upper_bound", "<"),
             ("less than 5200", 5200.0, "upper_bound", "less than"), ("khoảng 5.200", 5200.0, "approximate", "khoảng"),
             ("gần 5.200", 5200.0, "approximate", "gần"), ("~5.200", 5200.0, "approximate", "~"),
             ("approximately 5200", 5200.0, "approximate", "approximately"),
             ("about 5200", 5200.0, "approximate", "about")]


@pytest.mark.parametrize(("text", "value", "qualifier", "word"), QUALIFIED)
def test_qualifiers_are_listed_in_the_report_and_stay_on_the_row(tmp_path, text, value, qualifier, word):
    p = _csv(tmp_path, "q.csv",
             f"Tỉnh;Năm;Tổng nguồn lực huy động (tỷ đồng)\nLào Cai;2015;9028\nĐắk Nông;2020;{text}\n")
    t = read_table(p)
    assert t.ok, t.report()
    fig = _fig(t.frame, 3, "Tổng nguồn lực huy động (tỷ đồng)")
    assert (fig.value, fig.qualifier, fig.value_input) == (value, qualifier, text)
    assert (fig.lower_bound, fig.upper_bound, fig.approximate) == (qualifier == "lower_bound",
                                                                   qualifier == "upper_bound",
                                                                   qualifier == "approximate")
    assert _fig(t.frame, 2, "Tổng nguồn lực huy động (tỷ đồng)").qualifier == "exact"
    [n] = t.notices
    assert (n.file, n.row, n.column, n.value) == (str(p), 3, "Tổng nguồn lực huy động (tỷ đồng)", text)
    kind = {"lower_bound": "lower bound", "upper_bound": "upper bound", "approximate": "approximate value"}[qualifier]
    assert n.message == f"{kind} ({word!r}): the number is kept with qualifier={qualifier} on the row"
    assert str(n) in t.report()


def test_parse_number_upper_bounds():
    p = parse_number("dưới 3,5 %")
    assert (p.value, p.upper_bound, p.lower_bound, p.unit, p.qualifier, p.qualifier_text) == (
        3.5, True, False, "%", "upper_bound", "dưới")
    assert parse_number("5.000 trở lên").qualifier == "lower_bound"
    assert parse_number("40,5").qualifier == "exact"
    with pytest.raises(ValueError, match="both a lower and an upper bound"):
        parse_number("hơn dưới 5")


def test_missing_value_has_no_qualifier(tmp_path):
    p = _csv(tmp_path, "m.csv", "Tỉnh,Năm,Tỷ lệ hộ nghèo (%)\nLào Cai,2010,..\n")
    fig = read_table(p).frame.iloc[0]
    assert math.isnan(fig.value) and pd.isna(fig.qualifier)


# ---------------------------------------------------------------------------
# 5. Status words
# ---------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "status"), [("Số liệu sơ bộ", "preliminary"), ("số liệu sơ bộ", "preliminary"),
                                              ("SO BO", "preliminary"), ("preliminary", "preliminary"),
                                              ("Ước tính", "estimate"), ("ước", "estimate"),
                                              ("Ước thực hiện", "estimate"), ("estimate", "estimate"),
                                              ("Chính thức", "final"), ("final", "final")])
@pytest.mark.parametrize("column", ["Ghi chú", "Trạng thái"])
def test_status_words_set_the_rows_status(tmp_path, text, status, column):
    p = _csv(tmp_path, "s.csv", f"Tỉnh,Năm,Tỷ lệ hộ nghèo (%),Dân số (nghìn người),{column}\n"
                                f"Lào Cai,2016,\"18,1\",\"684,3\",{text}\nLào Cai,2014,\"25,3\",\"665,2\",\n")
    t = read_table(p)
    assert t.ok, t.report()
    f = t.frame
    assert list(f[f.source_row == 2].status) == [status, status]
    assert f[f.source_row == 3].status.isna().all()
    [n] = t.notices
    assert (n.row, n.column, n.value) == (2, column, text)
    assert n.message == f"status {status} (from the words of this cell): set on the row's figures"


def test_conflicting_or_unknown_status_is_a_warning_never_a_guess(tmp_path):
    p = _csv(tmp_path, "s.csv", "Tỉnh,Năm,Tỷ lệ hộ nghèo (%),Trạng thái,Ghi chú\n"
                                "Lào Cai,2016,\"18,1\",sơ bộ,số liệu chính thức\n"
                                "Lào Cai,2014,\"25,3\",xyz,\n"
                                "Lào Cai,2012,\"32,9\",,sơ bộ hay chính thức?\n"
                                "Lào Cai,2010,\"40,0\",,giai đoạn 2016–2020 (Báo Đắk Nông)\n")
    t = read_table(p)
    assert t.frame.status.isna().all()
    got = [(w.row, w.column, w.value, w.severity) for w in t.problems]
    assert got == [(2, "Trạng thái", "sơ bộ", "warning"), (3, "Trạng thái", "xyz", "warning"),
                   (4, "Ghi chú", "sơ bộ hay chính thức?", "warning")]
    assert t.problems[0].message.startswith("the row's cells name two statuses: preliminary in 'Trạng thái'")
    assert t.problems[1].message == "unrecognised status 'xyz': status left empty"
    assert t.problems[2].message == "two statuses in one cell (so bo, chinh thuc): status left empty"
    assert t.notices == []


# ---------------------------------------------------------------------------
# 6. Everything at once, in one run of `ntm data check` (CSV and XLSX)
# ---------------------------------------------------------------------------

TITLE = "BIỂU 01. TỶ LỆ HỘ NGHÈO, DÂN SỐ VÀ NGUỒN LỰC XÂY DỰNG NÔNG THÔN MỚI"
SUBTITLE = "(Ví dụ kiểm thử; số liệu của Tổng cục Thống kê và Báo Đắk Nông)"
FOOTNOTE = "Nguồn: Tổng cục Thống kê (GSO); Báo Đắk Nông."
HEADER = ["STT", PROV, "Năm", POV, POP, RES, NOTE]
# (STT, province, year, poverty as written, population, resources, note); XLSX: poverty as a percent-formatted
# fraction in rows 5–8 and as a plain number in rows 10–11.
BODY = [
    (1, "Lào Cai", 2014, "25,3", "665,2", "", ""),
    (2, "Lào Cai", 2016, "18,1", "684,3", "", "Số liệu sơ bộ"),
    (3, "Đắk Nông", 2016, "12,8", "605,4", "", "số liệu sơ bộ"),
    (4, "Dak Nongg", 2014, "18,4", "571,3", "", ""),
    (5, "Đắk Nông", 2020, "..", "..", "hơn 73.000", "giai đoạn 2016–2020 (Báo Đắk Nông)"),
    (6, "Hà Nội", 2014, "2,3", "7.095,9", "", ""),
    (7, "Hà Nội", 2014, "2,3", "7.095,9", "", ""),
    ("", "Tây Nguyên", "", "", "1.176,7", "hơn 73.000", ""),
    ("", "Tổng cộng", "", "", "9.622,1", "73.000", ""),
]


def _messy_csv(tmp_path: Path) -> Path:
    lines = [f'"{TITLE}"', f'"{SUBTITLE}"', "", ",".join(HEADER)]
    for r in BODY:
        lines.append(",".join(f'"{c}"' if "," in str(c) else str(c) for c in r))
    lines.append(f'"{FOOTNOTE}"')
    return _csv(tmp_path, "bieu_01.csv", "\n".join(lines) + "\n")


def _messy_xlsx(tmp_path: Path) -> Path:
    rows: list[list] = [[TITLE] + [None] * 6, [SUBTITLE], [], HEADER]
    formats = {}
    for i, r in enumerate(BODY):
        excel_row = 5 + i
        cells = list(r)
        if i < 4:  # typed as 25,3 % in a percent-formatted cell: stored 0.253
            cells[3] = float(r[3].replace(",", ".")) / 100
            formats[f"D{excel_row}"] = "0.0%"
        elif r[3] == "2,3":
            cells[3] = 2.3  # typed as a plain number in the same column
        rows.append([None if c == "" else c for c in cells])
    rows.append([FOOTNOTE])
    p = _xlsx(tmp_path, "bieu_01.xlsx", rows, formats)
    wb = openpyxl.load_workbook(p)
    wb.active.merge_cells("A1:G1")
    wb.active.merge_cells("A13:B13")  # "Tổng cộng" over the STT and province cells
    wb.active["A13"] = "Tổng cộng"
    wb.save(p)
    return p


def _check_messy(path: Path, capsys, xlsx: bool) -> None:
    code = cli_main(["data", "check", str(path)])
    out = capsys.readouterr().out
    t = read_table(path)
    assert code == 1 and out == t.report() + "\n"
    sheet = "Biểu 01" if xlsx else None

    # Problems: the misspelt province, the duplicate rows and (XLSX) the plain numbers among percent cells.
    problems = [(p.row, p.column, p.value, p.severity) for p in t.problems]
    expected = [(8, PROV, "Dak Nongg", "error"), (10, PROV, "Hà Nội", "error"), (11, PROV, "Hà Nội", "error")]
    if xlsx:
        expected = [expected[0], expected[1], (10, POV, "2.3", "error"), expected[2], (11, POV, "2.3", "error")]
    assert sorted(problems) == sorted(expected), out
    by = {(p.row, p.column): p for p in t.problems}
    assert by[(8, PROV)].message == "unknown province 'Dak Nongg'" and "Đắk Nông (67)" in by[(8, PROV)].expected
    assert by[(10, PROV)].message.startswith("duplicate (Hà Nội, 2014): row 11 has the same province and year")
    assert by[(11, PROV)].message.startswith("duplicate (Hà Nội, 2014): row 10 has the same province and year")
    if xlsx:
        assert by[(10, POV)].message.startswith("plain number in a column whose cells in rows 5, 6, 7, 8 are "
                                                "formatted as percentages")
    assert all(p.file == str(path) and p.sheet == sheet and str(p) in out for p in t.problems)

    # Notes: title rows, the STT column, statuses, the lower bound, the region and total rows (and percent cells).
    notes = [(n.row, n.column, n.value, n.message.split(":")[0].split(" (")[0]) for n in t.notices]
    expected_notes = [(1, None, TITLE, "row above the header"), (2, None, SUBTITLE, "row above the header"),
                      (4, "STT", "STT", "row-number column"),
                      (6, NOTE, "Số liệu sơ bộ", "status preliminary"),
                      (7, NOTE, "số liệu sơ bộ", "status preliminary"),
                      (9, RES, "hơn 73.000", "lower bound"),
                      (12, PROV, "Tây Nguyên", "total or subtotal row"),
                      (13, PROV, "Tổng cộng", "total or subtotal row")]
    if xlsx:
        expected_notes += [(r, POV, shown, "percent-formatted cell")
                           for r, shown in ((5, "25.3%"), (6, "18.1%"), (7, "12.8%"), (8, "18.4%"))]
    assert sorted(notes, key=str) == sorted(expected_notes, key=str), out
    assert all(n.sheet == sheet and str(n) in out for n in t.notices)
    assert t.notes == [(14, FOOTNOTE)]
    assert "closest" not in "".join(str(n) for n in t.notices)

    # The figures: GSO's, read exactly (decimal comma, dot thousands, percent cells), nothing from STT or totals.
    f = t.frame
    assert set(f.variable) == {"poverty_rate", "population_total", "resources_total"}
    assert sorted(set(f.source_row)) == [5, 6, 7, 8, 9, 10, 11] and len(f) == 21
    pov = _gso("poverty_rate_by_province_gso.csv", "poverty_rate_pct")
    pop = _gso("population_by_province_gso_1995_2016.csv", "pop_total")
    for row, code, year in ((5, "10", 2014), (6, "10", 2016), (7, "67", 2016), (10, "01", 2014)):
        assert _fig(f, row, POV).value == pov[(code, year)]
        assert _fig(f, row, POP).value == pop[(code, year)]
        assert _fig(f, row, POV).province_code == code
    assert _fig(f, 8, POP).value == pop[("67", 2014)] and _fig(f, 8, POP).problem  # kept, flagged
    assert _fig(f, 10, POP).value == 7095.9 and _fig(f, 10, POP).value_input == "7.095,9"
    res = _fig(f, 9, RES)
    assert (res.value, res.qualifier, res.lower_bound, res.value_input) == (73000.0, "lower_bound", True, "hơn 73.000")
    assert list(f[f.source_row.isin([6, 7])].status.unique()) == ["preliminary"]
    assert f[~f.source_row.isin([6, 7])].status.isna().all()
    clean = f[~f.problem]
    assert sorted(set(clean.source_row)) == [5, 6, 7, 9]
    if xlsx:
        assert _fig(f, 5, POV).problem and "with plain numbers in rows 10, 11" in _fig(f, 5, POV).problem_detail
        assert not _fig(f, 5, POP).problem
    else:
        assert not _fig(f, 5, POV).problem


def test_messy_csv_is_reported_completely_in_one_run(tmp_path, capsys):
    _check_messy(_messy_csv(tmp_path), capsys, xlsx=False)


def test_messy_xlsx_is_reported_completely_in_one_run(tmp_path, capsys):
    _check_messy(_messy_xlsx(tmp_path), capsys, xlsx=True)


def test_total_written_in_the_row_number_column_and_a_column_numbering_row(tmp_path):
    # Official forms number the columns under the header and may write "Tổng cộng" in the STT cell.
    p = _csv(tmp_path, "form.csv", "STT,Tỉnh,Năm,Tỷ lệ hộ nghèo (%)\n(1),(2),(3),(4)\n1,Lào Cai,2010,\"40,0\"\n"
                                   "2,Hà Giang,2010,\"50,0\"\nTổng cộng,,,\"45,0\"\n")
    t = read_table(p)
    assert t.ok and t.problems == [], t.report()
    assert list(t.frame.source_row) == [3, 4] and list(t.frame.value) == [40.0, 50.0]
    assert [(n.row, n.column, n.value, n.message.split(":")[0]) for n in t.notices] == [
        (1, "STT", "STT", "row-number column (STT)"),
        (2, None, "(1) (2) (3) (4)", "column-numbering row under the header"),
        (5, "STT", "Tổng cộng", "total or subtotal row (a total)")]
