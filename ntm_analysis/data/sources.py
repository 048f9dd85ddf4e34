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
from ntm_analysis.data.cache import checksums, sha256  # noqa: F401  (re-exported: provenance checks, digests)


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


def read_raw(name: str, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Read a raw CSV as text (nothing coerced), with ``_row`` = its row number in the file (header = 1)."""
    path = paths.raw_dir(data_dir) / name
    if not path.exists():
        raise RawDataError(path, None, None, None, "the file to exist (is NTM_DATA_DIR pointing at a data folder?)")
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    df.insert(0, "_row", range(2, len(df) + 2))
    return df


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
