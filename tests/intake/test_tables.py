"""Reading and checking a researcher's own province table (ntm_analysis.intake, `ntm data check`).

Fixtures in tests/intake/tables/ carry real published figures (GSO poverty, income and population;
provinces' own NTM resource reports); the tests check them against data/raw/ where they overlap.
"""
from __future__ import annotations

import csv
import math
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ntm_analysis.data import geo
from ntm_analysis import intake as tables
from ntm_analysis.cli import main as cli_main
from ntm_analysis.intake.quantities import NumberFormatError, convert, normalize_unit
from ntm_analysis.intake import HEADER_ALIASES, Problem, TableReadError, parse_number, read_table
from ntm_analysis.text import fold

DATA = Path(__file__).parent / "tables"
RAW = Path(__file__).resolve().parents[2] / "data" / "raw"


def _raw(name: str) -> list[dict[str, str]]:
    with open(RAW / name, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _one(frame: pd.DataFrame, code: str, year: int, variable: str) -> pd.Series:
    rows = frame[(frame.province_code == code) & (frame.year == year) & (frame.variable == variable)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def _write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding=encoding, newline="")
    return p


# ---------------------------------------------------------------------------
# Clean files in each format
# ---------------------------------------------------------------------------

def test_bom_vietnamese_wide_csv_reads_real_gso_figures():
    t = read_table(DATA / "poverty_income_bom.csv")
    assert t.ok and t.problems == []
    assert (t.layout, t.delimiter, t.header_row) == ("wide", ",", 1)
    f = t.frame
    assert list(f.columns) == list(tables.COLUMNS)
    assert len(f) == 6 * 3 and not f.problem.any()
    lc = _one(f, "10", 2010, "poverty_rate")
    assert (lc.value, lc.unit, lc.province_name, lc.province_input) == (40.0, "%", "Lào Cai", "Lào Cai")
    assert (lc.source_row, lc.source_column, lc.value_input) == (2, "Tỷ lệ hộ nghèo (%)", "40,0")
    assert lc.source_file == str(DATA / "poverty_income_bom.csv")
    inc = _one(f, "10", 2012, "income_per_capita")
    assert (inc.value, inc.unit) == (1085.0, "thousand VND/person/month")  # "1.085": dot thousands
    assert inc.source_column == "Thu nhập bình quân đầu người/tháng (nghìn đồng)"
    hn = _one(f, "01", 2010, "population_total")
    assert (hn.value, hn.unit, hn.province_input, hn.province_name) == (6633.6, "thousand persons",
                                                                       "Thành phố Hà Nội", "Hà Nội")
    # Every figure agrees with the GSO tables in data/raw.
    raw_pov = {(r["province_code"], int(r["year"])): float(r["poverty_rate_pct"])
               for r in _raw("poverty_rate_by_province_gso.csv") if r["level"] == "province"}
    raw_inc = {(r["province_code"], int(r["year"])): float(r["income_total"])
               for r in _raw("income_per_capita_monthly_by_province.csv") if r["level"] == "province"}
    raw_pop = {(r["province_code"], int(r["year"])): float(r["pop_total"])
               for r in _raw("population_by_province_gso_1995_2016.csv") if r["level"] == "province"}
    for row in f.itertuples():
        ref = {"poverty_rate": raw_pov, "income_per_capita": raw_inc, "population_total": raw_pop}[row.variable]
        assert row.value == ref[(row.province_code, row.year)], row


def test_semicolon_long_csv_with_qualifiers_and_cell_units():
    t = read_table(DATA / "resources_long_semicolon.csv")
    assert t.ok, t.report()
    assert (t.layout, t.delimiter) == ("long", ";")
    f = t.frame
    dn = _one(f, "67", 2020, "resources_total")  # Báo Đắk Nông: "hơn 73.000 tỷ đồng" in 2016–2020
    assert (dn.value, dn.unit, dn.lower_bound, dn.approximate) == (73000.0, "billion VND", True, False)
    assert dn.value_input == "hơn 73.000 tỷ đồng" and dn.note == "giai đoạn 2016–2020 (Báo Đắk Nông)"
    assert dn.source_column == "Giá trị" and dn.source_row == 8
    dn91 = _one(f, "67", 2019, "resources_total")  # "hơn 91 nghìn tỷ" = 91,000 billion VND
    assert (dn91.value, dn91.lower_bound) == (91000.0, True)
    assert _one(f, "10", 2015, "resources_central_budget").approximate  # "gần 9.028"
    communes = _one(f, "67", 2019, "communes_ntm")
    assert (communes.value, communes.unit) == (16.0, "communes")
    # The Lào Cai 2011–2015 figures equal the province's report in data/raw.
    reported = {r["indicator"]: float(r["value"]) for r in _raw("ntm_resources_by_province.csv")
                if r["province_name_vi"] == "Lào Cai" and r["period_start"] == "2011" and r["period_end"] == "2015"}
    for variable in ("resources_total", "resources_central_budget", "resources_credit", "resources_enterprises"):
        assert _one(f, "10", 2015, variable).value == reported[variable]


def test_tab_separated_english_wide_table_uses_the_files_decimal_point():
    t = read_table(DATA / "wide_english.tsv")
    assert t.ok, t.report()
    assert t.delimiter == "\t"
    f = t.frame
    # "1,611" alone is ambiguous; the file's other numbers ("40.0", "6,633.6") use a decimal point.
    assert _one(f, "67", 2012, "income_per_capita").value == 1611.0
    assert _one(f, "01", 2010, "population_total").value == 6633.6
    assert _one(f, "10", 2010, "poverty_rate").province_input == "LAO CAI"
    hcm = _one(f, "79", 2010, "income_per_capita")
    assert math.isnan(hcm.value) and not hcm.problem  # a blank cell is a gap kept as a row


def test_xlsx_with_title_row_merged_cells_formula_and_sheet(tmp_path):
    p = tmp_path / "nguon_luc.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Ghi chú"
    wb.active["A1"] = "Sheet without a table"
    ws = wb.create_sheet("Nguồn lực")
    ws["A1"] = "Bảng 1. Tỷ lệ hộ nghèo và nguồn lực xây dựng nông thôn mới"
    ws.merge_cells("A1:D1")
    ws.append([])
    ws.append(["Tỉnh", "Năm", "Tỷ lệ hộ nghèo (%)", "Tổng nguồn lực huy động (tỷ đồng)"])
    ws.append(["Lào Cai", 2010, 40.0, None])
    ws.append([None, 2012, 32.9, "=1+1"])
    ws.merge_cells("A4:A5")  # province written once for two years
    ws.append(["Đắk Nông", 2020, None, "hơn 73.000 tỷ đồng"])
    wb.save(p)

    t = read_table(p, sheet="Nguồn lực")
    assert (t.layout, t.sheet, t.header_row) == ("wide", "Nguồn lực", 3)
    f = t.frame
    assert len(f) == 6
    lc12 = _one(f, "10", 2012, "poverty_rate")
    assert (lc12.value, lc12.source_row, lc12.problem) == (32.9, 5, False)
    assert _one(f, "10", 2010, "poverty_rate").value == 40.0
    dn = _one(f, "67", 2020, "resources_total")
    assert (dn.value, dn.lower_bound, dn.source_row) == (73000.0, True, 6)
    assert t.problems == [Problem(str(p), 5, "Tổng nguồn lực huy động (tỷ đồng)", "=1+1",
                                  "formula cell saved without its result",
                                  "a value (open the workbook in Excel or LibreOffice and save it, or paste values)",
                                  sheet="Nguồn lực")]
    assert _one(f, "10", 2012, "resources_total").problem
    # The title row is set aside with a note; the lower bound is listed.
    assert [(n.row, n.column, n.value, n.sheet) for n in t.notices] == [
        (1, None, "Bảng 1. Tỷ lệ hộ nghèo và nguồn lực xây dựng nông thôn mới", "Nguồn lực"),
        (6, "Tổng nguồn lực huy động (tỷ đồng)", "hơn 73.000 tỷ đồng", "Nguồn lực")]
    assert t.notices[1].message.startswith("lower bound ('hơn')")

    with pytest.raises(TableReadError, match="no recognisable header"):
        read_table(p)  # the first sheet holds no table
    with pytest.raises(TableReadError, match="no sheet named 'X'; the workbook has Ghi chú, Nguồn lực"):
        read_table(p, sheet="X")
    assert cli_main(["data", "check", str(p), "--sheet", "Nguồn lực"]) == 1


def test_clean_file_exits_0_and_says_so(capsys):
    assert cli_main(["data", "check", str(DATA / "poverty_income_bom.csv")]) == 0
    assert "No problems found." in capsys.readouterr().out
    assert cli_main(["data", "check", str(DATA / "resources_long_semicolon.csv")]) == 0


def test_read_table_prints_nothing(capsys):
    read_table(DATA / "many_problems.csv")
    assert capsys.readouterr() == ("", "")


# ---------------------------------------------------------------------------
# Every problem at once
# ---------------------------------------------------------------------------

POV, INC, RES, PROV, YEAR = ("Tỷ lệ hộ nghèo (%)", "Thu nhập bình quân đầu người",
                             "Tổng nguồn lực huy động (tỷ đồng)", "Tỉnh", "Năm")
EXPECTED_PROBLEMS = [
    (2, PROV, "Lào Cai", "duplicate (Lào Cai, 2010): row 6 has the same province and year "
                         "(poverty_rate, income_per_capita, resources_total)", "one row per province and year"),
    (4, PROV, "Lao Kay", "unknown province 'Lao Kay'", "closest: Lào Cai (10)"),
    (4, INC, "26 triệu đồng/người/năm", "mixed units in one column: million VND/person/year here, "
                                        "thousand VND/person/month in rows 2, 3", "one unit for the whole column"),
    (4, RES, "-12", "negative amount of money -12 billion VND", "a value of 0 or more"),
    (5, YEAR, "1985", "implausible year 1985", "a year between 1990 and"),
    (5, POV, "140", "rate 140 outside 0–100", "a percentage between 0 and 100"),
    (5, RES, "5 USD", "cell unit 'USD' cannot be converted to the column's unit 'billion VND'",
     "a value in billion VND"),
    (6, PROV, "Lào Cai", "duplicate (Lào Cai, 2010): row 2 has the same province and year", "one row per"),
    (6, INC, "abc", "unparseable number (no number in 'abc')", "a number such as 50,79"),
    (7, YEAR, "2016-2020", "'2016-2020' is a period, not a year", "a single four-digit year"),
    (8, PROV, "", "province is empty", "a province name or code"),
]


def test_every_problem_is_reported_with_row_column_value_and_expectation():
    path = DATA / "many_problems.csv"
    t = read_table(path)
    assert not t.ok
    found = [(p.row, p.column, p.value, p.message, p.expected) for p in t.problems]
    assert len(found) == len(EXPECTED_PROBLEMS), "\n".join(map(str, t.problems))
    for row, col, value, message, expected in EXPECTED_PROBLEMS:
        hits = [p for p in t.problems if (p.row, p.column, p.value) == (row, col, value)
                and p.message.startswith(message) and expected in p.expected]
        assert len(hits) == 1, (row, col, value, message, "\n".join(map(str, t.problems)))
        assert hits[0].file == str(path) and hits[0].severity == "error"
    assert [p.row for p in t.problems] == sorted(p.row for p in t.problems)


def test_rows_with_problems_are_kept_flagged_and_clean_rows_untouched():
    f = read_table(DATA / "many_problems.csv").frame
    assert len(f) == 7 * 3  # every data row × every variable column, none dropped
    clean = f[~f.problem]
    # Only row 3 is clean: a row-level problem (province, year, duplicate row) flags every figure of its row.
    assert set(zip(clean.source_row, clean.source_column)) == {(3, POV), (3, INC), (3, RES)}
    assert f[f.source_row == 5].problem.all()  # year 1985
    lc12 = f[(f.source_row == 3) & (f.source_column == INC)].iloc[0]
    assert (lc12.value, lc12.unit, lc12.problem_detail) == (1085.0, "thousand VND/person/month", "")
    blank = f[(f.source_row == 3) & (f.source_column == RES)].iloc[0]
    assert math.isnan(blank.value) and blank.value_input == ""
    unknown = f[(f.source_row == 4) & (f.source_column == POV)].iloc[0]
    assert unknown.problem and pd.isna(unknown.province_code) and unknown.value == 25.3
    assert "unknown province 'Lao Kay'" in unknown.problem_detail
    neg = f[(f.source_row == 4) & (f.source_column == RES)].iloc[0]
    assert neg.value == -12.0 and neg.problem  # kept as written, flagged
    period = f[f.source_row == 7]
    assert period.year.isna().all() and period.problem.all()
    dn = period[period.source_column == RES].iloc[0]
    assert (dn.value, dn.lower_bound) == (73000.0, True)


def test_problem_file_exits_1_and_prints_each_problem(capsys):
    assert cli_main(["data", "check", str(DATA / "many_problems.csv")]) == 1
    out = capsys.readouterr().out
    assert "11 errors, 0 warnings" in out
    assert "row 5, column 'Tỷ lệ hộ nghèo (%)': error: rate 140 outside 0–100 (value '140'" in out


# ---------------------------------------------------------------------------
# Unreadable files
# ---------------------------------------------------------------------------

def test_unreadable_file_exits_2_naming_file_and_reason(capsys):
    path = str(DATA / "no_header.csv")
    assert cli_main(["data", "check", path]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert path in captured.err and "no recognisable header" in captured.err and "'foo', 'bar', 'baz'" in captured.err


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("missing.csv", None, "no such file"),
    ("empty.csv", b"", "the file is empty"),
    ("blank.csv", b" \n\n", "the file is empty"),
    # Not UTF-8, and byte 0x81 is undefined in Windows-1258 too (plain Latin-1 text now decodes as Windows-1258).
    ("undecodable.csv", b"Province,Year\nH\xe0 N\x81i,2010\n", "not UTF-8 text (byte offset 15"),
    ("old.xls", b"\xd0\xcf\x11\xe0", "old Excel .xls format"),
    ("data.json", b"{}", "unsupported file type '.json'"),
    ("broken.xlsx", b"this is not a zip", "not a readable XLSX workbook"),
    ("renamed.csv", b"PK\x03\x04rest", "rename it to .xlsx"),
    ("only_header.csv", "Tỉnh,Năm\nLào Cai,2010\n".encode(), "no variable column"),
])
def test_table_read_errors(tmp_path, name, content, reason):
    p = tmp_path / name
    if content is not None:
        p.write_bytes(content)
    with pytest.raises(TableReadError) as err:
        read_table(p)
    assert err.value.path == str(p) and reason in err.value.reason
    assert cli_main(["data", "check", str(p)]) == 2


def test_years_as_columns_get_a_hint(tmp_path):
    p = _write(tmp_path, "years_wide.csv", "Tỉnh,2010,2012\nLào Cai,\"40,0\",\"32,9\"\n")
    with pytest.raises(TableReadError, match="Years written as column headers are not read"):
        read_table(p)


# ---------------------------------------------------------------------------
# Numbers, units and headers inside tables
# ---------------------------------------------------------------------------

def test_ambiguous_numbers_follow_the_column_convention(tmp_path):
    p = _write(tmp_path, "conv.csv",
               "Tỉnh;Năm;Tổng nguồn lực (tỷ đồng);Dân số (nghìn người);Tỷ lệ hộ nghèo (%)\n"
               "Lào Cai;2010;73.000;626.8;40,0\n"
               "Hà Giang;2010;9.028,5;733.8;50.0\n"
               "Đắk Nông;2010;1,234;503.800;28,3\n")
    t = read_table(p)
    f = t.frame
    # Resources: "9.028,5" shows decimal comma, so "73.000" is 73000 and "1,234" is 1.234.
    assert _one(f, "10", 2010, "resources_total").value == 73000.0
    assert _one(f, "67", 2010, "resources_total").value == 1.234
    # Population: "626.8" shows a decimal point, so "503.800" is 503.8.
    assert _one(f, "67", 2010, "population_total").value == 503.8
    # Poverty mixes "40,0" and "50.0": unambiguous cells still read, and nothing is ambiguous there.
    assert _one(f, "02", 2010, "poverty_rate").value == 50.0
    assert t.ok, t.report()


def test_ambiguous_number_in_a_mixed_column_is_a_problem(tmp_path):
    p = _write(tmp_path, "mixed.csv", "Tỉnh;Năm;Tổng nguồn lực (tỷ đồng)\n"
                                      "Lào Cai;2010;50,5\nHà Giang;2010;40.5\nĐắk Nông;2010;73.000\n")
    t = read_table(p)
    assert [(p.row, p.value) for p in t.problems] == [(4, "73.000")]
    assert t.problems[0].message.startswith("ambiguous number")
    dn = _one(t.frame, "67", 2010, "resources_total")
    assert math.isnan(dn.value) and dn.problem


def test_cell_units_are_converted_to_the_column_unit(tmp_path):
    p = _write(tmp_path, "units.csv",
               "Tỉnh,Năm,Tổng nguồn lực huy động (tỷ đồng),Vốn tín dụng (triệu đồng),Tỷ lệ hộ nghèo (%)\n"
               "Lào Cai,2015,\"1,2 nghìn tỷ\",\"5,2 tỷ đồng\",\"5,2 tỷ đồng\"\n"
               "Hà Giang,2015,\"1,2 ngàn tỷ đồng\",\"300 triệu đồng\",\"12,5%\"\n")
    t = read_table(p)
    f = t.frame
    assert _one(f, "10", 2015, "resources_total").value == 1200.0
    assert _one(f, "02", 2015, "resources_total").value == 1200.0
    credit = _one(f, "10", 2015, "resources_credit")
    assert (credit.value, credit.unit) == (5200.0, "million VND")
    assert _one(f, "02", 2015, "poverty_rate").value == 12.5
    [prob] = t.problems
    assert (prob.row, prob.column, prob.value) == (2, "Tỷ lệ hộ nghèo (%)", "5,2 tỷ đồng")
    assert "cannot be converted to the column's unit '%'" in prob.message


def test_long_table_with_one_variable_in_two_units_is_mixed(tmp_path):
    p = _write(tmp_path, "long_units.csv",
               "Tỉnh,Năm,Chỉ tiêu,Giá trị,Đơn vị\n"
               "Lào Cai,2015,resources_total,50281,tỷ đồng\n"
               "Đắk Nông,2020,resources_total,73,nghìn tỷ đồng\n"
               "Hà Giang,2015,resources_total,12000,tỷ đồng\n"
               "Lào Cai,2010,Tỷ lệ hộ nghèo (%),\"40,0\",\n")
    t = read_table(p)
    [prob] = t.problems
    assert (prob.row, prob.column, prob.value) == (3, "Giá trị", "73")
    assert prob.message == ("mixed units in one variable 'resources_total': trillion VND here, "
                            "billion VND in rows 2, 4")
    assert _one(t.frame, "10", 2010, "poverty_rate").unit == "%"


def test_province_code_column_and_disagreement(tmp_path):
    p = _write(tmp_path, "codes.csv", "Mã tỉnh,Tỉnh,Năm,Tỷ lệ hộ nghèo (%)\n"
                                      "10,Lào Cai,2010,\"40,0\"\n"
                                      "2,Lào Cai,2012,\"32,9\"\n")
    t = read_table(p)
    assert _one(t.frame, "10", 2010, "poverty_rate").province_name == "Lào Cai"
    [prob] = t.problems
    assert (prob.row, prob.column, prob.value) == (3, "Mã tỉnh", "2")
    assert "province code 2 is Hà Giang but the name column says 'Lào Cai'" in prob.message
    only_code = _write(tmp_path, "only_code.csv", "Mã tỉnh,Năm,Tỷ lệ hộ nghèo (%)\n67,2010,\"28,3\"\n")
    row = read_table(only_code).frame.iloc[0]
    assert (row.province_code, row.province_name, row.province_input) == ("67", "Đắk Nông", "67")


def test_vintage_2025_names_merged_provinces(tmp_path):
    p = _write(tmp_path, "v2025.csv", "Tỉnh,Năm,Số xã đạt chuẩn NTM\nLào Cai,2025,37\nĐắk Nông,2025,40\n")
    t = read_table(p, vintage=2025)
    assert _one(t.frame, "15", 2025, "communes_ntm").value == 37.0  # code 15 = the new Lào Cai
    [prob] = t.problems
    assert prob.value == "Đắk Nông" and "part of Lâm Đồng" in prob.message


def test_unknown_column_is_kept_with_a_warning(tmp_path):
    p = _write(tmp_path, "extra.csv", "Tỉnh,Năm,Tỷ lệ hộ nghèo (%),Số hộ cận nghèo\nLào Cai,2010,\"40,0\",1234\n")
    t = read_table(p)
    [prob] = t.problems
    assert (prob.severity, prob.row, prob.column) == ("warning", 1, "Số hộ cận nghèo")
    kept = t.frame[t.frame.source_column == "Số hộ cận nghèo"].iloc[0]
    assert (kept.variable, kept.value, kept.problem) == ("Số hộ cận nghèo", 1234.0, True)
    assert not t.ok and t.errors == [] and t.warnings == [prob]


@pytest.mark.parametrize(("header", "variable", "unit"), [
    ("Tỷ lệ hộ nghèo (%)", "poverty_rate", "%"),
    ("TY LE HO NGHEO", "poverty_rate", "%"),
    ("Poverty rate (%)", "poverty_rate", "%"),
    ("Thu nhập bình quân đầu người (triệu đồng/người/năm)", "income_per_capita", "million VND/person/year"),
    ("Thu nhập bình quân đầu người/tháng (nghìn đồng)", "income_per_capita", "thousand VND/person/month"),
    ("thu nhap binh quan dau nguoi / thang (nghin dong)", "income_per_capita", "thousand VND/person/month"),
    ("Tổng nguồn lực huy động (tỷ đồng)", "resources_total", "billion VND"),
    ("Tổng nguồn lực huy động", "resources_total", "billion VND"),
    ("Tổng  nguồn lực huy động (nghìn tỷ đồng)", "resources_total", "trillion VND"),
    ("Vốn ngân sách trung ương", "resources_central_budget", "billion VND"),
    ("Ngân sách địa phương (tỷ đồng)", "resources_local_budget", "billion VND"),
    ("Tín dụng", "resources_credit", "billion VND"),
    ("Doanh nghiệp", "resources_enterprises", "billion VND"),
    ("Nhân dân đóng góp (tỷ đồng)", "resources_people", "billion VND"),
    ("Số xã đạt chuẩn NTM", "communes_ntm", "communes"),
    ("Dân số (nghìn người)", "population_total", "thousand persons"),
])
def test_header_aliases(tmp_path, header, variable, unit):
    p = _write(tmp_path, "h.csv", f"Tỉnh/Thành phố,Năm,{header}\nLào Cai,2010,1\n")
    row = read_table(p).frame.iloc[0]
    assert (row.variable, row.unit, row.source_column) == (variable, unit, header)


@pytest.mark.parametrize("header", ["Tỉnh/Thành phố", "Tỉnh", "TỈNH, THÀNH PHỐ", "tinh thanh pho", "Province",
                                    "Province/City", "Mã tỉnh"])
def test_province_header_aliases(tmp_path, header):
    value = "10" if header == "Mã tỉnh" else "Lào Cai"
    p = _write(tmp_path, "p.csv", f"\"{header}\",Year,Tỷ lệ hộ nghèo (%)\n{value},2010,40\n")
    assert read_table(p).frame.iloc[0].province_code == "10"


def test_alias_table_in_the_docstring_matches_the_dict():
    assert tables.alias_table_markdown() in tables.__doc__
    for alias, canonical in HEADER_ALIASES.items():
        assert canonical in tables.ROLES or canonical in tables.VARIABLES, alias


# ---------------------------------------------------------------------------
# parse_number
# ---------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "value", "lower", "approx", "unit"), [
    ("50,79", 50.79, False, False, None),
    ("73.000", 73000.0, False, False, None),
    ("1.234.567,8", 1234567.8, False, False, None),
    ("1,234.5", 1234.5, False, False, None),
    ("1,234,567", 1234567.0, False, False, None),
    ("40.0", 40.0, False, False, None),
    ("0,125", 0.125, False, False, None),
    ("73 000", 73000.0, False, False, None),
    ("-3,5", -3.5, False, False, None),
    ("hơn 73.000 tỷ đồng", 73000.0, True, False, "billion VND"),
    ("trên 83 tỷ đồng", 83.0, True, False, "billion VND"),
    ("Over 91 trillion VND", 91.0, True, False, "trillion VND"),
    ("more than 5", 5.0, True, False, None),
    ("> 50", 50.0, True, False, None),
    ("73.000 tỷ đồng trở lên", 73000.0, True, False, "billion VND"),
    ("khoảng 5,2 tỷ đồng", 5.2, False, True, "billion VND"),
    ("gần 9.028 tỷ đồng", 9028.0, False, True, "billion VND"),
    ("~3", 3.0, False, True, None),
    ("1,2 nghìn tỷ", 1.2, False, False, "trillion VND"),
    ("26 triệu đồng/người/năm", 26.0, False, False, "million VND/person/year"),
    ("12,5%", 12.5, False, False, "%"),
    (819, 819.0, False, False, None),
    (40.0, 40.0, False, False, None),
])
def test_parse_number_examples(text, value, lower, approx, unit):
    p = parse_number(text)
    assert (p.value, p.lower_bound, p.approximate, p.unit, p.missing) == (value, lower, approx, unit, False)


@pytest.mark.parametrize("text", ["", "  ", ".", "..", "...", "-", "–", "—", "n/a", "N/A", "NA", "#N/A", None,
                                  float("nan")])
def test_missing_marks(text):
    p = parse_number(text)
    assert p.missing and math.isnan(p.value)


@pytest.mark.parametrize("text", ["abc", "tỷ đồng", "1.23.4", "12,3,4", "1.2,3", "hơn", True])
def test_unparseable(text):
    with pytest.raises(NumberFormatError):
        parse_number(text)


def test_english_convention_for_ambiguous_texts():
    assert parse_number("73.000", decimal=".").value == 73.0
    assert parse_number("1,234", decimal=".").value == 1234.0
    assert parse_number("1,234").value == 1.234  # Vietnamese default
    assert parse_number("73.000").ambiguous and not parse_number("50,79").ambiguous


def test_units_and_conversion():
    assert normalize_unit("tỷ đồng") == "billion VND"
    assert normalize_unit("ngàn tỷ đồng") == "trillion VND"
    assert normalize_unit("triệu đồng/người/năm") == "million VND/person/year"
    assert normalize_unit("nghìn người") == "thousand persons"
    assert normalize_unit("USD") == "USD"
    assert convert(5.2, "billion VND", "million VND") == 5200.0
    assert convert(1.2, "trillion VND", "billion VND") == 1200.0
    assert convert(0.3, "million VND", "thousand VND/person/month") == 300.0


def _vn(d: Decimal) -> str:
    """Format a decimal the Vietnamese way: dot thousands, decimal comma."""
    sign = "-" if d < 0 else ""
    text = format(abs(d), "f")
    whole, _, frac = text.partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return sign + ".".join(groups) + ("," + frac if frac else "")


_finite = st.floats(min_value=-1e15, max_value=1e15, allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(_finite)
def test_vietnamese_formatting_round_trips(x):
    assert parse_number(_vn(Decimal(repr(x)))).value == x


@settings(max_examples=300, deadline=None)
@given(_finite)
def test_english_formatting_round_trips(x):
    assert parse_number(f"{Decimal(repr(x)):,f}", decimal=".").value == x


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=0, max_value=1e9, allow_nan=False), st.sampled_from(["hơn", "trên", "over", ">", ""]),
       st.sampled_from(["khoảng", "gần", "~", ""]), st.sampled_from(["", " tỷ đồng", " %", " nghìn người"]))
def test_qualifiers_and_units_do_not_change_the_number(x, lower, approx, unit):
    text = " ".join(w for w in (lower, approx, _vn(Decimal(repr(x))) + unit) if w)
    p = parse_number(text)
    assert p.value == x and p.lower_bound == bool(lower) and p.approximate == bool(approx)
    assert p.unit == normalize_unit(unit.strip()) if unit else p.unit is None


# ---------------------------------------------------------------------------
# Province look-up, both vintages
# ---------------------------------------------------------------------------

_VARIANTS = [
    lambda p: p.name, lambda p: p.name_short, lambda p: p.name_en, lambda p: p.slug,
    lambda p: fold(p.name_short), lambda p: fold(p.name), lambda p: p.name_short.upper(), lambda p: p.name.upper(),
    lambda p: p.name_en.upper(), lambda p: fold(p.name_short).upper(), lambda p: f"  {p.name_short}  ",
]


@settings(max_examples=400, deadline=None)
@given(st.sampled_from([(v, p) for v in geo.VINTAGES for p in geo.provinces(v)]), st.sampled_from(_VARIANTS))
def test_every_spelling_of_every_province_resolves(vp, variant):
    vintage, prov = vp
    assert geo.lookup_province(variant(prov), vintage).code == prov.code


@pytest.mark.parametrize("vintage", geo.VINTAGES)
def test_tables_resolve_every_province_in_english_upper_case(tmp_path, vintage):
    lines = ["Province,Year,Poverty rate (%)"] + [f"\"{p.name_en.upper()}\",2010,1" for p in geo.provinces(vintage)]
    p = _write(tmp_path, "all.csv", "\n".join(lines) + "\n")
    f = read_table(p, vintage=vintage).frame
    assert list(f.province_code) == [p.code for p in geo.provinces(vintage)]
    assert list(f.province_name) == [p.name_short for p in geo.provinces(vintage)]
