"""Hostile table shapes (SYNTHETIC), generated on demand because some are large or slow to write: the grid bomb
(one stray cell far away), shared strings over the caps, a province-year repeated thousands of times, a cell over
the CSV field limit, non-ASCII digits and huge numbers. Used by tests/intake/test_hostile.py and
benchmarks/bench_hostile.py."""
from __future__ import annotations

import random
import zipfile
from pathlib import Path

HEADER = "Tỉnh,Năm,Tỷ lệ hộ nghèo (%),Ghi chú\n"
ROWS = "Lào Cai,2020,10.5,SYNTHETIC\nHà Giang,2020,12.5,SYNTHETIC\n"


def small_workbook(path: Path, stray: str | None = None) -> Path:
    """A two-row province table (SYNTHETIC); ``stray`` puts one more cell at that coordinate ("XFD1048576")."""
    import openpyxl  # noqa: PLC0415

    wb = openpyxl.Workbook()
    ws = wb.active
    for line in (HEADER + ROWS).splitlines():
        cells = line.split(",")
        ws.append([float(c) if c.replace(".", "").isdigit() and "." in c else int(c) if c.isdigit() else c
                   for c in cells])
    if stray:
        ws[stray] = "x"
    wb.save(path)
    return path


_CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
       'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
       '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
       '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
       '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
       'worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
       'officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
         'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
         'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WB = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
       'main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet '
       'name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WB_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            '</Relationships>')
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def hand_workbook(path: Path, rows: str, strings: list[str]) -> Path:
    """A workbook written by hand: sheet ``Sheet1`` with the ``<row>`` elements ``rows`` and the shared strings
    ``strings`` (raw XML text of each ``<si>``'s ``<t>``)."""
    sst = (f'<?xml version="1.0" encoding="UTF-8"?><sst {_NS} count="{len(strings)}" uniqueCount="{len(strings)}">'
           + "".join(f"<si><t>{t}</t></si>" for t in strings) + "</sst>")
    sheet = f'<?xml version="1.0" encoding="UTF-8"?><worksheet {_NS}><sheetData>{rows}</sheetData></worksheet>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in (("[Content_Types].xml", _CT), ("_rels/.rels", _RELS), ("xl/workbook.xml", _WB),
                           ("xl/_rels/workbook.xml.rels", _WB_RELS), ("xl/worksheets/sheet1.xml", sheet),
                           ("xl/sharedStrings.xml", sst)):
            z.writestr(name, text.encode("utf-8"))
    return path


#: The two-row table of :func:`hand_workbook`: header and rows using shared strings 0–4; ``{value}`` is Lào Cai's.
TABLE_STRINGS = ["Tỉnh", "Năm", "Tỷ lệ hộ nghèo (%)", "Lào Cai", "Hà Giang"]
TABLE_ROWS = ('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>'
              '<row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2"><v>2020</v></c><c r="C2"><v>{value}</v></c></row>'
              '<row r="3"><c r="A3" t="s"><v>4</v></c><c r="B3"><v>2020</v></c><c r="C3"><v>12.5</v></c></row>')


def shared_strings_bomb(path: Path, n: int, width: int = 0, noise: bool = False) -> Path:
    """The hand-written two-row table followed by ``n`` more distinct shared strings (each ``width`` digits or
    more; with ``noise``, ``width`` pseudo-random hex digits, which compress less) that no cell uses."""
    if noise:
        rng = random.Random(16)
        extra = [f"{rng.getrandbits(4 * width):0{width}x}" for _ in range(n)]
    else:
        extra = [f"{i:0{width}d}" for i in range(n)]
    return hand_workbook(path, TABLE_ROWS.format(value="10.5"), TABLE_STRINGS + extra)


def repeated_rows(path: Path, n: int) -> Path:
    """A CSV with one province-year (Lào Cai, 2020) on ``n`` rows."""
    path.write_text(HEADER + "Lào Cai,2020,10.5,SYNTHETIC\n" * n, encoding="utf-8")
    return path


def repeated_long_rows(path: Path, n: int) -> Path:
    """A long table (variable and value columns) with one (Lào Cai, 2020, poverty rate) on ``n`` rows."""
    path.write_text("Tỉnh,Năm,Chỉ tiêu,Giá trị\n" + "Lào Cai,2020,Tỷ lệ hộ nghèo (%),10.5\n" * n, encoding="utf-8")
    return path


def long_field(path: Path, chars: int = 200_000) -> Path:
    """A CSV whose note cell holds ``chars`` characters (the csv module's default limit is 131,072)."""
    path.write_text(HEADER + "Lào Cai,2020,10.5," + "x" * chars + "\n", encoding="utf-8")
    return path
