"""Open a table file and yield its rows: CSV/TSV/TXT (encoding by BOM, else UTF-8, else Windows-1258; NUL bytes,
mojibake, the delimiter sniffed) or an XLSX sheet (values, formulas saved without their result, dates, merged cells,
numbers formatted as percentages). Files that are not text tables (ZIP, old Excel, images, PDF, gzip) are named as such.
"""
from __future__ import annotations

import codecs
import csv
import datetime as _dt
import functools
import io
import re
import unicodedata
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from ntm_analysis.intake.problems import TableReadError
from ntm_analysis.text import nfc

#: text.nfc without its str() call (CSV cells are already text)
_nfc = functools.partial(unicodedata.normalize, "NFC")


class Uncached(str):
    """The formula text of an XLSX cell saved without its computed result."""


class PercentCell(float):
    """An XLSX number shown as a percentage: the stored fraction (0.241) with its number format ("0.0%").

    ``percent`` is the percentage the cell shows (24.1, the stored value × 100 computed in decimal, so no binary
    rounding is added); ``shown`` the text a spreadsheet displays ("24.1%").
    """

    fmt: str

    def __new__(cls, stored: float, fmt: str) -> "PercentCell":
        obj = super().__new__(cls, stored)
        obj.fmt = fmt
        return obj

    @property
    def stored(self) -> float:
        return float(self)

    @property
    def percent(self) -> float:
        return float(Decimal(repr(float(self))) * 100)

    @property
    def shown(self) -> str:
        section = _unquoted(self.fmt).split(";")[0]
        m = re.search(r"\.([0#?]+)", section)
        places = len(m.group(1)) if m else 0
        shown = (Decimal(repr(float(self))) * 100).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        return f"{shown}%"


def _unquoted(fmt: str) -> str:
    """A number format without its literal text ("..." and backslash-escaped characters) and [colour] parts."""
    return re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", fmt)


def is_percent_format(fmt: object) -> bool:
    """True when an XLSX number format shows numbers as percentages (a ``%`` outside quoted literal text)."""
    return isinstance(fmt, str) and "%" in _unquoted(fmt)


class DateText(str):
    """An XLSX date cell, as ISO text ("2020-01-01"): kept as written, never turned into a year or number."""


#: Leading bytes of files that are not text tables, with what to tell the user.
_MAGIC = (
    (b"PK", "this is a ZIP/XLSX workbook with a text-file name; rename it to .xlsx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "this is an old Excel .xls (OLE2) workbook with a text-file name; open it "
                                          "in Excel or LibreOffice and save it as .xlsx or 'CSV UTF-8'"),
    (b"\x89PNG\r\n\x1a\n", "this is a PNG image, not a text table; expected a CSV"),
    (b"\xff\xd8\xff", "this is a JPEG image, not a text table; expected a CSV"),
    (b"GIF8", "this is a GIF image, not a text table; expected a CSV"),
    (b"%PDF", "this is a PDF document, not a text table; export the table to CSV or XLSX first"),
    (b"\x1f\x8b", "this is a gzip-compressed file; decompress it first"),
)
_CHUNK = 1 << 20
#: UTF-8 bytes of Vietnamese letters that were decoded as Windows-1252/Latin-1 and saved again ("Ã ", "á»‡").
_MOJIBAKE = re.compile("[ÃÄÅÆáâ][\u0080-\u00bf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]")
_CP1252_BACK = {}
for _b in range(0x80, 0xA0):
    try:
        _CP1252_BACK[bytes([_b]).decode("cp1252")] = _b
    except UnicodeDecodeError:
        pass


def _unmojibake(text: str) -> str | None:
    """Undo one UTF-8 → Windows-1252/Latin-1 mis-decoding; ``None`` when ``text`` is not such mojibake."""
    if not _MOJIBAKE.search(text):
        return None
    out = bytearray()
    for ch in text:
        o = ord(ch)
        if o < 256:
            out.append(o)
        elif ch in _CP1252_BACK:
            out.append(_CP1252_BACK[ch])
        else:
            return None
    try:
        fixed = out.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return nfc(fixed) if fixed != text else None


def _scan_text(path: Path, encoding: str) -> tuple[bool, bool] | str:
    """Decode the whole file in chunks (bounded memory).

    Returns (has non-blank text, has mojibake) or, when ``encoding`` does not
    fit, a short text naming the byte offset where decoding failed. Raises
    :class:`TableReadError` at the first NUL byte.
    """
    dec = codecs.getincrementaldecoder(encoding)(errors="strict")
    consumed, lines, content, mojibake = 0, 0, False, False
    utf16 = encoding.startswith("utf-16")
    with open(path, "rb") as fh:
        while True:
            chunk = fh.read(_CHUNK)
            final = not chunk
            if not utf16 and b"\x00" in chunk:
                at = chunk.index(b"\x00")
                _nul_error(path, consumed + at, lines + chunk.count(b"\n", 0, at) + 1, chunk)
            pending = len(dec.getstate()[0])
            try:
                text = dec.decode(chunk, final=final)
            except UnicodeDecodeError as e:
                at = consumed - pending + e.start
                with open(path, "rb") as fh2:
                    fh2.seek(at)
                    bad = fh2.read(max(1, e.end - e.start))
                return f"{_ENCODING_NAMES[encoding]} (byte offset {at} is {bad!r})"
            if utf16 and "\x00" in text:
                at = text.index("\x00")
                _nul_error(path, consumed, lines + text.count("\n", 0, at) + 1, b"", utf16=True)
            content = content or bool(text.strip().strip("\ufeff"))
            mojibake = mojibake or (encoding.startswith("utf-8") and bool(_MOJIBAKE.search(text)))
            lines += chunk.count(b"\n")
            consumed += len(chunk)
            if final:
                return content, mojibake


_ENCODING_NAMES = {"utf-8": "UTF-8 text", "utf-8-sig": "UTF-8 text (it starts with a UTF-8 BOM)",
                   "utf-16": "UTF-16 text (it starts with a UTF-16 BOM)", "cp1258": "Windows-1258 (Vietnamese) text"}


def _nul_error(path: Path, offset: int, line: int, chunk: bytes, utf16: bool = False) -> None:
    hint = ""
    head = chunk[:200]
    if not utf16 and len(head) >= 8 and (head[1::2].count(0) > len(head) // 4 or head[0::2].count(0) > len(head) // 4):
        hint = " (it looks like UTF-16 text without a byte-order mark: save it as 'CSV UTF-8')"
    where = f"line {line}" if utf16 else f"byte offset {offset}, line {line}"
    raise TableReadError(path, f"not a plain text file: a NUL byte (\\x00) at {where}{hint}; expected a CSV")


def _detect_encoding(path: Path) -> tuple[str, bool]:
    """(codec, mojibake?) of a CSV: UTF-8/UTF-8-SIG, UTF-16 by its BOM, else Windows-1258."""
    if path.stat().st_size == 0:
        raise TableReadError(path, "the file is empty (0 bytes)")
    with open(path, "rb") as fh:
        head = fh.read(16)
    for magic, reason in _MAGIC:
        if head.startswith(magic):
            raise TableReadError(path, reason)
    if head.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "cp1258"]
    failures = []
    for enc in candidates:
        result = _scan_text(path, enc)
        if isinstance(result, str):
            failures.append(result)
            continue
        content, mojibake = result
        if not content:
            raise TableReadError(path, "the file is empty (only blank space and line breaks)")
        return enc, mojibake
    raise TableReadError(path, "cannot decode the text: it is not " + ", nor ".join(failures)
                         + "; save it as 'CSV UTF-8'")


def _sniff(text: str) -> str:
    """Pick the delimiter (tab, semicolon, comma) that splits the first lines most consistently."""
    sample = "\n".join(text.splitlines()[:50])
    best, best_score = ",", -1.0
    for d in ("\t", ";", ","):
        rows = [r for r in csv.reader(io.StringIO(sample), delimiter=d) if any(c.strip() for c in r)]
        if not rows:
            continue
        widths = Counter(len(r) for r in rows)
        width, count = widths.most_common(1)[0]
        if width < 2:
            continue
        score = count / len(rows)
        if score > best_score:
            best, best_score = d, score
    return best


class Source:
    """Rows of a table file, re-readable: a CSV is streamed from disk on each pass (bounded memory);
    an XLSX sheet is held in memory (workbooks are small)."""

    def __init__(self, path: Path, kind: str, rows: list | None = None, sheet: str | None = None,
                 delimiter: str | None = None, encoding: str | None = None, mojibake: bool = False):
        self.path, self.kind, self._rows, self.sheet = path, kind, rows, sheet
        self.delimiter, self.encoding, self.mojibake = delimiter, encoding, mojibake
        self.spans: dict[int, tuple[int, int]] = {}  # row → (first, last) file line of a record over several lines
        self.repairs: list[tuple[int, int, str, str]] = []  # (row, column index, as written, repaired): first few
        self.n_repairs = 0

    def rows(self):
        """Yield (spreadsheet row, cells); CSV cells are NFC text, stripped."""
        if self._rows is not None:
            yield from self._rows
            return
        self.repairs, self.n_repairs = [], 0
        try:
            fh = open(self.path, encoding=self.encoding, newline="")
        except OSError as e:
            raise TableReadError(self.path, os_reason(e)) from None
        with fh:
            reader = csv.reader(fh, delimiter=self.delimiter)
            self._line = 0  # the last line of the last record read
            try:
                yield from self._records(reader)
            except csv.Error as e:
                raise TableReadError(self.path, csv_reason(e, self._line + 1)) from None

    def _records(self, reader):
        last_line = 0
        for i, raw in enumerate(reader, start=1):
            if reader.line_num - last_line > 1 and any(("\n" in c or "\r" in c) for c in raw):
                self.spans[i] = (last_line + 1, reader.line_num)
            last_line = self._line = reader.line_num
            if not self.mojibake:  # the common case: NFC (non-ASCII cells only) and strip, in one pass
                yield i, [_nfc(c).strip() if c and not c.isascii() else c.strip() for c in raw]
                continue
            cells = []
            for j, c in enumerate(raw):
                if c and not c.isascii():
                    c = nfc(c)
                    if self.mojibake:
                        fixed = _unmojibake(c)
                        if fixed is not None:
                            self.n_repairs += 1
                            if len(self.repairs) < 20:
                                self.repairs.append((i, j, c.strip(), fixed.strip()))
                            c = fixed
                cells.append(c.strip())
            yield i, cells


def os_reason(e: OSError) -> str:
    """What to tell the user when a file cannot be opened or read."""
    if isinstance(e, PermissionError):
        return "permission denied: the file cannot be read (check its permissions, or copy it somewhere readable)"
    return f"the file cannot be read ({e.strerror or type(e).__name__})"


def csv_reason(e: csv.Error, line: int) -> str:
    """A CSV parser error as a message naming the line."""
    if "field larger than field limit" in str(e):
        return (f"line {line}: a cell longer than {csv.field_size_limit():,} characters (the limit for one cell); "
                "expected a table of short cells (a quote left open, or not a table?)")
    return f"line {line}: not a well-formed CSV line ({e})"


def open_csv(path: Path) -> Source:
    encoding, mojibake = _detect_encoding(path)
    with open(path, encoding=encoding, newline="") as fh:
        sample = fh.read(1 << 16)
    return Source(path, "csv", delimiter=_sniff(sample), encoding=encoding, mojibake=mojibake)


def read_xlsx_cells(path: Path, sheet: str | None) -> tuple[list[tuple[int, list[object]]], str]:
    """The rows of an XLSX sheet that hold a cell, each padded to the table's width: values (a formula's cached
    result), formulas saved without a result (:class:`Uncached`), percent-formatted numbers (:class:`PercentCell`),
    dates (:class:`DateText`), a merged block's value in every cell it covers. Read by the cells that exist, at
    bounded cost (:mod:`ntm_analysis.intake.xlsx`)."""
    from ntm_analysis.intake import xlsx  # noqa: PLC0415

    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise TableReadError(path, "this is an old Excel .xls (OLE2) workbook with an .xlsx name; save it as .xlsx")
    xlsx.check_parts(path)
    grid: dict[int, dict[int, object]] = {}
    wb, ws = xlsx.read_sheet(path, sheet, data_only=True)
    try:
        title = ws.title
        for r, c, cell in xlsx.existing_cells(path, ws, [0]):
            v = cell.value
            if type(v) in (int, float) and is_percent_format(cell.number_format):
                v = PercentCell(v, cell.number_format)
            grid.setdefault(r, {})[c] = v
        merged = xlsx.merged_ranges(path, ws)
    finally:
        wb.close()
    # The formulas, for the cells saved without a computed result (streamed again, formulas instead of values).
    wb, ws = xlsx.read_sheet(path, title, data_only=False)
    try:
        for r, c, cell in xlsx.existing_cells(path, ws, [0]):
            if cell.data_type == "f" and c not in grid.get(r, ()):
                v = cell.value
                grid.setdefault(r, {})[c] = Uncached(v if isinstance(v, str) else f"={getattr(v, 'text', v)}")
    finally:
        wb.close()
    if not grid:
        raise TableReadError(path, f"sheet {title!r} is empty")
    max_row = max(grid)
    max_col = max(max(cols) for cols in grid.values())
    # A merged block shows its top-left value in every cell it covers (within the cells' extent).
    for r0, c0, r1, c1 in merged:
        top = grid.get(r0, {}).get(c0)
        if top is None:
            continue
        for r in range(r0, min(r1, max_row) + 1):
            row = grid.setdefault(r, {})
            for c in range(c0, min(c1, max_col) + 1):
                row[c] = top
    if len(grid) * max_col > xlsx.MAX_GRID:
        raise xlsx._limit(path, title, f"its {len(grid):,} rows × {max_col:,} columns exceed the "
                                       f"{xlsx.MAX_GRID:,} cells a table may span")
    rows = []
    for r in sorted(grid):
        cells: list[object] = [""] * max_col
        for c, v in grid[r].items():
            if isinstance(v, str) and not isinstance(v, Uncached):
                v = nfc(v).strip()
            elif isinstance(v, _dt.datetime):
                v = DateText(v.date().isoformat() if v.time() == _dt.time() else v.isoformat(sep=" "))
            elif isinstance(v, (_dt.date, _dt.time)):
                v = DateText(v.isoformat())
            cells[c - 1] = v
        rows.append((r, cells))
    return rows, title


def open_table(path: Path, sheet: str | None) -> Source:
    """The rows of a table file; every failure to read it is a :class:`TableReadError` naming the file."""
    try:
        return _open_table(path, sheet)
    except OSError as e:  # PermissionError, an I/O error
        raise TableReadError(path, os_reason(e)) from None


def _open_table(path: Path, sheet: str | None) -> Source:
    if not path.exists():
        raise TableReadError(path, "no such file")
    if path.is_dir():
        raise TableReadError(path, "this is a folder, not a file")
    ext = path.suffix.lower()
    if ext in (".csv", ".tsv", ".txt"):
        if sheet is not None:
            raise TableReadError(path, f"a CSV file has no sheets (asked for sheet {sheet!r})")
        return open_csv(path)
    if ext in (".xlsx", ".xlsm"):
        rows, title = read_xlsx_cells(path, sheet)
        return Source(path, "xlsx", rows=rows, sheet=title)
    if ext == ".xls":
        raise TableReadError(path, "old Excel .xls format is not read; save the file as .xlsx or CSV UTF-8")
    raise TableReadError(path, f"unsupported file type {ext or '(no extension)'!r}; expected .csv, .tsv, .txt "
                               "or .xlsx")


def blank(v: object) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def cell_text(v: object) -> str:
    if isinstance(v, str):
        return str.__str__(v)
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return "" if v is None else str(v)
