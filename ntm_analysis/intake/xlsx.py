"""Read one XLSX sheet by the cells that exist, at bounded cost.

The sheet is streamed (openpyxl read-only mode: one row at a time, never a grid of the sheet's stored dimensions);
the rows without any cell are skipped (they are blank). Caps keep a small hostile file from taking minutes or
gigabytes: the workbook's parts (:data:`MAX_PART_BYTES` uncompressed), the shared strings (:data:`MAX_SHARED_BYTES`,
:data:`MAX_SHARED_STRINGS`), the cells (:data:`MAX_CELLS`), the columns (:data:`MAX_COLUMNS`), the padded table
(:data:`MAX_GRID`: rows with a cell × columns) and a cell's text (:data:`MAX_CELL_CHARS`, Excel's own limit). Each
ends in a :class:`~ntm_analysis.intake.problems.TableReadError` naming the file, the sheet and the limit.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from openpyxl.utils import get_column_letter

from ntm_analysis.intake.problems import TableReadError

#: Columns a table may use (a province table has a few dozen; Excel allows 16,384).
MAX_COLUMNS = 1024
#: Cells that exist in the sheet (values and formulas).
MAX_CELLS = 2_000_000
#: Rows holding a cell × the table's width: the rows handed on, each padded to the width.
MAX_GRID = 20_000_000
#: Characters in one cell (Excel's limit).
MAX_CELL_CHARS = 32_767
#: Uncompressed size of the shared strings part, and number of strings in it.
MAX_SHARED_BYTES = 8 << 20
MAX_SHARED_STRINGS = 200_000
#: Uncompressed size of any other part of the workbook (a sheet, the styles).
MAX_PART_BYTES = 256 << 20

_SI = re.compile(rb"<(?:\w+:)?si[\s>/]")


_STRAY = "remove stray cells far from the table (Ctrl+End shows the last one)"
_BIG = "is this the right file? save the table alone in a new workbook"


def _limit(path: Path, sheet: str | None, what: str, hint: str = _STRAY) -> TableReadError:
    where = f"sheet {sheet!r}: " if sheet else ""
    return TableReadError(path, f"{where}{what}; refused rather than read with unbounded time and memory ({hint})")


def check_parts(path: Path) -> None:
    """Refuse a workbook whose parts would expand beyond the caps, before any of it is parsed."""
    try:
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                name = info.filename
                if name.lower().endswith("sharedstrings.xml"):
                    if info.file_size > MAX_SHARED_BYTES:
                        raise _limit(path, None, f"its shared strings ({name}) take {info.file_size:,} bytes "
                                                 f"uncompressed, over the limit of {MAX_SHARED_BYTES:,}", _BIG)
                    _count_shared(path, zf, info)
                elif info.file_size > MAX_PART_BYTES:
                    raise _limit(path, None, f"its part {name} takes {info.file_size:,} bytes uncompressed, over the "
                                             f"limit of {MAX_PART_BYTES:,}", _BIG)
    except (zipfile.BadZipFile, OSError, EOFError) as e:
        raise TableReadError(path, f"not a readable XLSX workbook ({type(e).__name__}: {e})") from None


def _count_shared(path: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    n, tail = 0, b""
    with zf.open(info) as fh:
        while chunk := fh.read(1 << 20):
            block = tail + chunk
            n += len(_SI.findall(block))
            tail = block[-8:]
            n -= len(_SI.findall(tail))  # counted again with the next block
            if n > MAX_SHARED_STRINGS:
                raise _limit(path, None, f"it has over {MAX_SHARED_STRINGS:,} shared strings (the limit)", _BIG)


def read_sheet(path: Path, sheet: str | None, *, data_only: bool):
    """(workbook, worksheet) in read-only mode; the caller closes the workbook."""
    import openpyxl  # noqa: PLC0415

    try:
        wb = openpyxl.load_workbook(path, data_only=data_only, read_only=True)
    except TableReadError:
        raise
    except Exception as e:  # noqa: BLE001 (any failure to open is "not a readable workbook")
        raise TableReadError(path, f"not a readable XLSX workbook ({type(e).__name__}: {e})") from None
    if sheet is None:
        if not wb.worksheets:
            wb.close()
            raise TableReadError(path, "the workbook has no worksheet")
        ws = wb.worksheets[0]
    elif sheet in wb.sheetnames:
        ws = wb[sheet]
    else:
        names = ", ".join(wb.sheetnames)
        wb.close()
        raise TableReadError(path, f"no sheet named {sheet!r}; the workbook has {names}")
    if not hasattr(ws, "reset_dimensions"):  # a chart sheet
        wb.close()
        raise TableReadError(path, f"sheet {ws.title!r} is a chart, not a table")
    ws.reset_dimensions()  # never trust the stored dimensions: read the rows that exist
    return wb, ws


def existing_cells(path: Path, ws, counter: list[int]):
    """Yield (row, column, cell) of every cell with a value (or a formula) in ``ws``, row by row, enforcing the
    column, cell and text caps. ``counter[0]`` counts the cells read (shared by the passes over one sheet)."""
    last_row = 0
    rows = ws.iter_rows()
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except (ValueError, TypeError, KeyError, IndexError) as e:
            # openpyxl's parser: a 5,000-digit number ("Exceeds the limit (4300 digits)"), a shared-string index
            # that does not exist, a malformed coordinate.
            raise TableReadError(path, f"sheet {ws.title!r}: a cell after row {last_row} cannot be read "
                                       f"({type(e).__name__}: {e}); expected numbers and text a spreadsheet "
                                       "writes") from None
        if len(row) > MAX_COLUMNS:
            far = next(c for c in reversed(row) if c.value is not None)
            raise _limit(path, ws.title, f"cell {far.coordinate} lies in column {far.column:,}, beyond the "
                                         f"{MAX_COLUMNS:,} columns a table may use (column "
                                         f"{get_column_letter(MAX_COLUMNS)})")
        for c in row:
            v = c.value
            if v is None:
                continue
            counter[0] += 1
            if counter[0] > MAX_CELLS:
                raise _limit(path, ws.title, f"it has over {MAX_CELLS:,} cells (the limit; reached at cell "
                                             f"{c.coordinate})")
            if isinstance(v, str) and len(v) > MAX_CELL_CHARS:
                raise _limit(path, ws.title, f"cell {c.coordinate} holds {len(v):,} characters, over the "
                                             f"{MAX_CELL_CHARS:,} a spreadsheet cell can hold", _BIG)
            last_row = c.row
            yield c.row, c.column, c


def merged_ranges(path: Path, ws) -> list[tuple[int, int, int, int]]:
    """(min_row, min_col, max_row, max_col) of every merged block of the read-only sheet (its <mergeCell> elements,
    streamed)."""
    from openpyxl.utils.cell import range_boundaries  # noqa: PLC0415
    from xml.etree.ElementTree import iterparse  # noqa: PLC0415

    out = []
    with ws.parent._archive.open(ws._worksheet_path) as src:
        for _, el in iterparse(src):
            tag = el.tag.rsplit("}", 1)[-1]
            if tag == "mergeCell" and el.get("ref"):
                min_col, min_row, max_col, max_row = range_boundaries(el.get("ref"))
                out.append((min_row, min_col, max_row, max_col))
            if tag in ("c", "row", "mergeCell"):
                el.clear()
    return out
