"""Strict reading of a data CSV with the standard library only (no pandas: a render worker reads the province
registry with it and stays lean), and the errors every loader raises for a file that does not hold what it expects.

:func:`ntm_analysis.data.sources.read_csv_strict` gives the same rows as a DataFrame.
"""
from __future__ import annotations

import csv
import io
import os
from pathlib import Path


class RawDataError(ValueError):
    """A raw or shipped data file does not hold what the loader expects.

    The message names the file, the row (as a spreadsheet user counts it,
    header = row 1), the column, the value found and what was expected.
    """

    def __init__(self, file: str | Path, row: int | None, column: str | None, value: object, expected: str):
        self.file, self.row, self.column, self.value, self.expected = str(file), row, column, value, expected
        where = f"{file}"
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: found {value!r}; expected {expected}")


class CsvFormatError(RawDataError):
    """A data CSV is not a well-formed table: a row with too few or too many fields, an unterminated quote, a file
    that ends in the middle of a row (truncated), text that is not UTF-8. ``line`` is the line of the file."""

    def __init__(self, file: str | Path, line: int | None, problem: str):
        self.line, self.problem = line, problem
        ValueError.__init__(self, f"{file}" + (f", line {line}" if line is not None else "") + f": {problem}")
        self.file, self.row, self.column, self.value, self.expected = str(file), line, None, None, problem


def read_rows(path: str | os.PathLike) -> tuple[list[str], list[list[str]]]:
    """Read a data CSV (UTF-8, optional BOM) as text, nothing coerced, refusing anything malformed.

    Every non-blank row must have exactly as many fields as the header; a quote must close; the file must end
    with a line break (a file that ends mid-row was truncated, e.g. by a copy that stopped). Blank lines are
    skipped. Returns the header and the rows (lists of text, in file order). Raises :class:`CsvFormatError` naming
    the file and line.
    """
    path = Path(path)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        raise CsvFormatError(path, line, f"not UTF-8 text (byte offset {e.start}: {data[e.start:e.end]!r})") from None
    if not text.strip():
        raise CsvFormatError(path, None, "the file is empty; expected a header and rows")
    if not text.endswith(("\n", "\r")):
        last = text.count("\n") + 1
        tail = text.rsplit("\n", 1)[-1]
        raise CsvFormatError(path, last, f"the file ends in the middle of a row ({tail[-60:]!r} with no line break "
                                         "after it): it looks truncated; expected every row to end with a line break")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    rows: list[list[str]] = []
    start = 1
    try:
        for fields in reader:
            if not fields:
                start = reader.line_num + 1
                continue
            if header is None:
                header = fields
                dup = sorted({h for h in header if header.count(h) > 1})
                if dup:
                    raise CsvFormatError(path, reader.line_num, f"the header names column(s) {', '.join(map(repr, dup))} "
                                                                "twice; expected each column once")
            elif len(fields) != len(header):
                where = start if start == reader.line_num else f"{start}–{reader.line_num}"
                raise CsvFormatError(
                    path, start, f"the row on line {where} has {len(fields)} fields but the header has {len(header)} "
                                 f"(it ends {','.join(fields[-3:])[-60:]!r}); expected one field per header column "
                                 "(a truncated or damaged row?)")
            else:
                rows.append(fields)
            start = reader.line_num + 1
    except csv.Error as e:
        raise CsvFormatError(path, start, f"malformed CSV from this line on ({e}); expected every quote (\") "
                                          "to close in the same field") from None
    return header, rows


def read_records(path: str | os.PathLike) -> list[dict[str, str]]:
    """The rows of :func:`read_rows` as dicts keyed by the header."""
    header, rows = read_rows(path)
    return [dict(zip(header, r)) for r in rows]
