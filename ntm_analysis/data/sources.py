"""Raw data files: reading, provenance and access dates.

``data/raw/`` holds immutable copies of published tables. Each file is
described in ``data/provenance.yml`` (producer, table, URL, access date,
status) and its SHA-256 is recorded there, so a test catches any edit. The
tidy frames built from these files are cached by :mod:`ntm_analysis.data.cache`,
keyed by the checksums of the files they read and the code that builds them:
change one figure, or the code, and the frame is rebuilt.
"""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import yaml

from ntm_analysis import paths
from ntm_analysis.data import cache
from ntm_analysis.data.cache import (ChecksumMismatch, checksums, sha256,  # noqa: F401  (re-exported)
                                     verify)
from ntm_analysis.data.strict_csv import CsvFormatError, RawDataError, read_rows  # noqa: F401  (re-exported)


def read_csv_strict(path: str | os.PathLike) -> pd.DataFrame:
    """Read a data CSV (UTF-8, optional BOM) as text, nothing coerced, refusing anything malformed
    (:func:`.strict_csv.read_rows`: :class:`CsvFormatError` naming the file and line). Returns the rows with ``_row``
    = the row number as a spreadsheet user counts it (header = 1, blank lines not counted), like ``pandas.read_csv``.
    """
    header, rows = read_rows(path)
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
