"""Raw data files: reading, checksums, provenance and the build cache.

``data/raw/`` holds immutable copies of published tables. Each file is
described in ``data/provenance.yml`` (producer, table, URL, access date,
status) and its SHA-256 is recorded there, so a test catches any edit. The
tidy frames built from these files are cached under ``data/.cache/``, keyed by
the checksums of the files they read, the build version and the package
version: change one figure and the cache is rebuilt.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Callable

import pandas as pd
import yaml

from ntm_analysis import __version__, paths

#: Bump when the way tidy frames are built changes, to invalidate caches.
BUILD_VERSION = "3"


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


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def checksums(files: list[str], data_dir: str | os.PathLike | None = None) -> dict[str, str]:
    """SHA-256 of each named file under ``data/`` (paths relative to the data folder)."""
    base = paths.data_dir(data_dir)
    return {f: sha256(base / f) for f in files}


def provenance(data_dir: str | os.PathLike | None = None) -> dict:
    """The provenance record of every raw file (``data/provenance.yml``)."""
    with open(paths.data_dir(data_dir) / "provenance.yml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def atomic_write_parquet(df: pd.DataFrame, path: Path) -> None:
    """Write ``df`` to ``path`` through a temporary file and a rename: never a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    os.close(fd)
    try:
        df.to_parquet(tmp, index=False)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_MEMO: dict[tuple, pd.DataFrame] = {}

def _builder_files() -> list[Path]:
    """The code that builds the tidy frames: every module of the data layer, and the text helpers it uses.

    Listed from the folder, not by name, so a module moved or added here is covered without editing a list."""
    here = Path(__file__).resolve().parent
    return sorted(here.glob("*.py")) + [paths.PACKAGE_DIR / "text.py"]


@lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    h = hashlib.sha256()
    for f in _builder_files():
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def cached(name: str, files: list[str], build: Callable[[], pd.DataFrame],
           data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Return ``build()``'s frame, cached in memory and in ``data/.cache`` by the checksums of ``files``.

    A cache that cannot be written (read-only data folder) is skipped silently: the
    frame is still returned, only slower next time.
    """
    key_src = "|".join(f"{k}={v}" for k, v in sorted(checksums(files, data_dir).items()))
    key = hashlib.sha256(
        f"{name}|{BUILD_VERSION}|{__version__}|{_code_fingerprint()}|{key_src}".encode()).hexdigest()[:20]
    memo_key = (str(paths.data_dir(data_dir).resolve()), name, key)
    if memo_key in _MEMO:
        return _MEMO[memo_key].copy()
    cache_file = paths.data_dir(data_dir) / ".cache" / f"{name}-{key}.parquet"
    df = None
    if cache_file.exists():
        try:
            df = pd.read_parquet(cache_file)
        except (OSError, ValueError):
            df = None  # a corrupt cache is rebuilt
    if df is None:
        df = build()
        try:
            atomic_write_parquet(df, cache_file)
        except OSError:
            pass
    _MEMO[memo_key] = df
    return df.copy()


@lru_cache(maxsize=8)
def _accessed(data_dir_key: str) -> dict[str, str]:
    prov = provenance(data_dir_key or None)
    return {name: str(rec.get("accessed", "")) for name, rec in prov.get("files", {}).items()}


def accessed(file: str, data_dir: str | os.PathLike | None = None) -> str:
    """The access date recorded for a raw file in ``data/provenance.yml``."""
    return _accessed(str(data_dir) if data_dir else "").get(file, "")
