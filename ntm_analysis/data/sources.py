"""Raw data files: reading, provenance and access dates.

``data/raw/`` holds immutable copies of published tables. Each file is
described in ``data/provenance.yml`` (producer, table, URL, access date,
status) and its SHA-256 is recorded there, so a test catches any edit. The
tidy frames built from these files are cached by :mod:`ntm_analysis.data.cache`,
keyed by the checksums of the files they read and the code that builds them:
change one figure, or the code, and the frame is rebuilt.
"""
from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pandas as pd
import yaml

from ntm_analysis import paths
from ntm_analysis.data import cache
from ntm_analysis.data.cache import (ChecksumMismatch, checksums, sha256,  # noqa: F401  (re-exported)
                                     verify)


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


def read_csv_strict(path: str | os.PathLike) -> pd.DataFrame:
    """Read a data CSV (UTF-8, optional BOM) as text, nothing coerced, refusing anything malformed.

    Every non-blank row must have exactly as many fields as the header; a quote must close; the file must end
    with a line break (a file that ends mid-row was truncated, e.g. by a copy that stopped). Blank lines are
    skipped. Returns the rows with ``_row`` = the row number as a spreadsheet user counts it (header = 1, blank
    lines not counted), like ``pandas.read_csv``. Raises :class:`CsvFormatError` naming the file and line.
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
    df = pd.DataFrame(rows, columns=header, dtype=object)
    df.insert(0, "_row", range(2, len(df) + 2))
    return df


def read_raw(name: str, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Read a raw CSV as text (nothing coerced), with ``_row`` = its row number in the file (header = 1).

    The file is verified against the checksum its data folder's ``provenance.yml`` records
    (:class:`ChecksumMismatch`) and parsed strictly (:func:`read_csv_strict`, :class:`CsvFormatError`)."""
    path = paths.raw_dir(data_dir) / name
    if not path.exists():
        raise RawDataError(path, None, None, None, "the file to exist (is NTM_DATA_DIR pointing at a data folder?)")
    verify([f"raw/{name}"], data_dir)
    return read_csv_strict(path)


def check_data_dir(data_dir: str | os.PathLike | None = None) -> tuple[list[str], int]:
    """Check a whole data folder: every file whose checksum its ``provenance.yml`` records (not compared under
    ``$NTM_UNSEALED_DATA``), and every CSV of ``raw/`` and ``seeds/`` parsed strictly.

    Returns (one message per problem, number of files checked); a folder without ``provenance.yml``, ``raw/``
    and ``seeds/`` has nothing to check."""
    base = paths.data_dir(data_dir)
    problems: list[str] = []
    checked: set[str] = set()
    recorded = cache.recorded_checksums(base) if (base / "provenance.yml").is_file() else {}
    for f in sorted(recorded):
        checked.add(f)
        if not (base / f).is_file():
            problems.append(f"{base / f}: listed in {base / 'provenance.yml'} but missing")
            continue
        try:
            verify([f], base)
        except ChecksumMismatch as e:
            problems.append(str(e))
    for folder in ("raw", "seeds"):
        for path in sorted((base / folder).rglob("*.csv")) if (base / folder).is_dir() else []:
            checked.add(path.relative_to(base).as_posix())
            try:
                read_csv_strict(path)
            except CsvFormatError as e:
                problems.append(str(e))
            except OSError as e:
                problems.append(f"{path}: cannot be read ({e.strerror or type(e).__name__})")
    return problems, len(checked)


def to_number(df: pd.DataFrame, column: str, file: str, *, allow_blank: bool = True) -> pd.Series:
    """Parse a text column of a raw frame as floats; blanks become NA, anything else unparseable raises.

    Raises :class:`RawDataError` naming the first offending row.
    """
    text = df[column].astype(str).str.strip()
    num = pd.to_numeric(text.where(text != ""), errors="coerce")
    bad = num.isna() & (text != "")
    if not allow_blank:
        bad |= text == ""
    if bad.any():
        i = bad.idxmax()
        raise RawDataError(file, int(df.loc[i, "_row"]), column, df.loc[i, column], "a number (dot decimal)")
    return num.astype("float64")


def provenance(data_dir: str | os.PathLike | None = None) -> dict:
    """The provenance record of every raw file (``data/provenance.yml``)."""
    with open(paths.data_dir(data_dir) / "provenance.yml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _access_dates(data_dir: str | os.PathLike | None) -> dict[str, str]:
    return {name: str(rec.get("accessed", "")) for name, rec in provenance(data_dir).get("files", {}).items()}


def accessed(file: str, data_dir: str | os.PathLike | None = None) -> str:
    """The access date recorded for a raw file in ``data/provenance.yml`` (read again whenever that file changes)."""
    dates = cache.memo("provenance_accessed", ["provenance.yml"], lambda: _access_dates(data_dir), data_dir)
    return dates.get(file, "")
