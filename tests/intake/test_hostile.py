"""Hostile tables (issue 16, items 3, 4, 6, 9, 10): bounded cost and a clear outcome for shapes that used to take
minutes and gigabytes or end in a traceback. Files are generated (tests/intake/hostile.py, SYNTHETIC); the timings
are measured by benchmarks/bench_hostile.py, these tests check the outcomes."""
from __future__ import annotations

import builtins
import tracemalloc

import pytest

import hostile  # tests/intake/hostile.py
from ntm_analysis.cli import main as cli_main
from ntm_analysis.intake import TableReadError, read_table
from ntm_analysis.intake import xlsx
from ntm_analysis.intake.rows import looks_like_formula


def _check(path, capsys) -> tuple[int, str, str]:
    code = cli_main(["data", "check", str(path)])
    out = capsys.readouterr()
    assert "Traceback" not in out.err + out.out
    return code, out.out, out.err


def test_one_cell_at_xfd1048576_is_refused_naming_file_sheet_cell_and_limit(tmp_path, capsys):
    path = hostile.small_workbook(tmp_path / "grid_bomb.xlsx", "XFD1048576")
    assert path.stat().st_size < 6_000
    with pytest.raises(TableReadError) as err:
        read_table(path)
    assert err.value.path == str(path)
    assert "sheet 'Sheet'" in err.value.reason and "XFD1048576" in err.value.reason and "1,024 columns" in err.value.reason
    code, out, errtext = _check(path, capsys)
    assert code == 2 and out == "" and errtext.count("\n") == 1 and "XFD1048576" in errtext


def test_one_cell_at_az20000_is_read_by_the_cells_that_exist(tmp_path):
    t = read_table(hostile.small_workbook(tmp_path / "far.xlsx", "AZ20000"))
    assert sorted(set(t.frame["source_row"])) == [2, 3, 20000]  # blank rows 4–19999 are never materialised
    lao = t.frame[(t.frame["source_row"] == 2) & (t.frame["variable"] == "poverty_rate")]
    assert lao["value"].tolist() == [pytest.approx(10.5)]
    assert any(p.row == 20000 and p.message == "province is empty" for p in t.problems)


@pytest.mark.parametrize("n, width, words", [(150_000, 60, "shared strings (xl/sharedStrings.xml) take"),
                                             (250_000, 0, "over 200,000 shared strings")])
def test_a_shared_strings_bomb_is_refused(tmp_path, capsys, n, width, words):
    path = hostile.shared_strings_bomb(tmp_path / "strings.xlsx", n, width)
    with pytest.raises(TableReadError) as err:
        read_table(path)
    assert words in err.value.reason and "limit" in err.value.reason
    assert _check(path, capsys)[0] == 2


def test_a_workbook_with_a_few_extra_shared_strings_reads_as_before(tmp_path):
    t = read_table(hostile.shared_strings_bomb(tmp_path / "ok.xlsx", 50))
    assert t.ok and sorted(t.frame["value"]) == [pytest.approx(10.5), pytest.approx(12.5)]


def test_the_cell_and_text_caps_name_the_cell(tmp_path, monkeypatch):
    path = hostile.hand_workbook(tmp_path / "t.xlsx", hostile.TABLE_ROWS.format(value="10.5"), hostile.TABLE_STRINGS)
    monkeypatch.setattr(xlsx, "MAX_CELLS", 7)
    with pytest.raises(TableReadError, match=r"over 7 cells \(the limit; reached at cell B3\)"):
        read_table(path)
    monkeypatch.setattr(xlsx, "MAX_CELLS", 100)
    long = hostile.hand_workbook(tmp_path / "long.xlsx", hostile.TABLE_ROWS.format(value="10.5"),
                                 hostile.TABLE_STRINGS[:3] + ["x" * 40_000] + hostile.TABLE_STRINGS[4:])
    with pytest.raises(TableReadError, match=r"cell A2 holds 40,000 characters, over the 32,767"):
        read_table(long)


def test_a_5000_digit_number_in_a_workbook_is_a_read_error_not_a_traceback(tmp_path, capsys):
    path = hostile.hand_workbook(tmp_path / "digits.xlsx", hostile.TABLE_ROWS.format(value="1" * 5000),
                                 hostile.TABLE_STRINGS)
    with pytest.raises(TableReadError) as err:
        read_table(path)
    assert "sheet 'Sheet1'" in err.value.reason and "after row 1" in err.value.reason
    assert _check(path, capsys)[0] == 2


def _peak(path) -> tuple[int, object]:
    tracemalloc.start()
    try:
        t = read_table(path)
        return tracemalloc.get_traced_memory()[1], t
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("make, start", [
    (hostile.repeated_rows, "duplicate (Lào Cai, 2020): rows 3, 4, 5, 6, 7, … has the same province and year"),
    (hostile.repeated_long_rows, "duplicate (Lào Cai, 2020, poverty_rate): also in row 3 column 'Giá trị', row 4 "
                                 "column 'Giá trị', row 5 column 'Giá trị', row 6 column 'Giá trị', row 7 column "
                                 "'Giá trị', … (1499 in all)"),
])
def test_duplicate_detection_is_linear_in_the_repeats(tmp_path, make, start):
    """Memory and message sizes grow linearly with the repeats of one province-year (they grew quadratically: a
    20,000-row file took 76 s and 3.3 GB)."""
    peaks, sizes = {}, {}
    for n in (1500, 3000):
        peaks[n], t = _peak(make(tmp_path / f"dup{n}.csv", n))
        assert len(t.problems) == n and t.frame["problem"].all()
        sizes[n] = sum(len(p.message) for p in t.problems)
        if n == 1500:
            assert t.problems[0].message.startswith(start), t.problems[0].message
    assert sizes[3000] / sizes[1500] == pytest.approx(2, rel=0.05)  # quadratic messages would give 4
    assert peaks[3000] / peaks[1500] < 2.6, peaks  # quadratic: about 4


def test_a_csv_cell_over_the_field_limit_is_a_read_error_naming_the_line(tmp_path, capsys):
    path = hostile.long_field(tmp_path / "long.csv")
    with pytest.raises(TableReadError) as err:
        read_table(path)
    assert err.value.reason.startswith("line 2: a cell longer than 131,072 characters")
    code, out, errtext = _check(path, capsys)
    assert code == 2 and "line 2" in errtext and errtext.count("\n") == 1


@pytest.mark.parametrize("name", ["t.csv", "t.xlsx"])
def test_an_unreadable_file_is_a_message(tmp_path, capsys, monkeypatch, name):
    path = tmp_path / name
    if name.endswith(".csv"):
        path.write_text(hostile.HEADER + hostile.ROWS, encoding="utf-8")
    else:
        hostile.small_workbook(path)
    real_open = builtins.open

    def guarded(file, *args, **kwargs):
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded)
    with pytest.raises(TableReadError, match="permission denied"):
        read_table(path)
    code, out, errtext = _check(path, capsys)
    assert code == 2 and str(path) in errtext and "permission denied" in errtext


MONEY = "Tỉnh,Năm,Tổng nguồn lực (tỷ đồng),Ghi chú\n"


@pytest.mark.parametrize("header, row, column, value, words", [
    (hostile.HEADER, "Lào Cai,²⁰²⁰,10,a", "Năm", "²⁰²⁰", "digits other than 0–9 (²⁰)"),
    (hostile.HEADER, "Lào Cai,٢٠٢٠,10,a", "Năm", "٢٠٢٠", "digits other than 0–9 (٢٠)"),
    (hostile.HEADER, "Lào Cai,2020,¹⁰,a", "Tỷ lệ hộ nghèo (%)", "¹⁰", "digits other than 0–9 (¹⁰)"),
    (hostile.HEADER, "Lào Cai,2020,١٠,a", "Tỷ lệ hộ nghèo (%)", "١٠", "digits other than 0–9 (١٠)"),
    (hostile.HEADER, "²⁰²⁰,2020,10,a", "Tỉnh", "²⁰²⁰", "digits other than 0–9"),
    ("Mã tỉnh,Năm,Tỷ lệ hộ nghèo (%)\n", "¹⁰,2020,10", "Mã tỉnh", "¹⁰", "digits other than 0–9"),
    ("Mã tỉnh,Năm,Tỷ lệ hộ nghèo (%)\n", "١٠,2020,10", "Mã tỉnh", "١٠", "digits other than 0–9"),
    ("Mã tỉnh,Năm,Tỷ lệ hộ nghèo (%)\n", "1" * 5000 + ",2020,10", "Mã tỉnh", "1" * 60,
     "5,000 characters long, too long for a province name or code"),
    (hostile.HEADER, "Lào Cai,2020," + "1" * 5000 + ",a", "Tỷ lệ hộ nghèo (%)", "1" * 5000,
     "a number of 5,000 digits is too large"),
    (MONEY, "Lào Cai,2020," + "9" * 400 + ",a", "Tổng nguồn lực (tỷ đồng)", "9" * 400,
     "a number of 400 digits is too large"),
])
def test_odd_digits_and_huge_numbers_are_problems_naming_the_cell(tmp_path, capsys, header, row, column, value,
                                                                  words):
    path = tmp_path / "t.csv"
    other = "Hà Giang,2020,12,b" if header.count(",") == 3 else "02,2020,12"
    path.write_text(header + row + "\n" + other + "\n", encoding="utf-8")
    t = read_table(path)
    hits = [p for p in t.problems if p.row == 2 and p.column == column and words in p.message]
    assert len(hits) == 1, [str(p) for p in t.problems]
    assert hits[0].value.startswith(value) and hits[0].severity == "error"
    assert not (t.frame["value"].abs() == float("inf")).any()
    assert t.n_clean == len(t.frame[t.frame["source_row"] == 3])  # the other row stays clean
    code, out, _ = _check(path, capsys)
    assert code == 1 and "row 2" in out


@pytest.mark.parametrize("text, formula", [
    ("+1+1", True), ("-A1", True), ("@SUM(A1)", True), ("=1", True), ("\t=1", True), ("\rx", True), ("-", True),
    ("-5", False), ("+1,5", False), ("-3%", False), ("5-3", False), ("Lào Cai", False),
])
def test_formula_like_text(text, formula):
    assert looks_like_formula(text) is formula


def test_the_formula_warning_covers_every_text_column(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("Tỉnh,Năm,Chỉ tiêu,Giá trị,Đơn vị,Ghi chú,Nguồn\n"
                    "Lào Cai,2020,+1+1,10,%,-A1,@x\n", encoding="utf-8")
    t = read_table(path)
    warned = {p.column for p in t.problems if "would run as a formula" in p.message}
    assert warned == {"Chỉ tiêu", "Ghi chú", "Nguồn"}
