"""The user's own rows in the panel: what :func:`ntm_analysis.load_panel` does with ``extra=[table_or_path, …]``.

Each item is a :class:`~ntm_analysis.intake.Table` (its ``to_panel()`` rows), a path (read with
:func:`~ntm_analysis.intake.read_table`; its rows are cached under the file's SHA-256, so an edited file is read
again and an unchanged one is not), or a frame already in the panel's schema (from ``Table.to_panel()``, every
``measure`` starting "user table"). A table with problems (not notes) raises
:class:`~ntm_analysis.intake.TableReadError` naming them.

**Never mixed into the shipped series.** A user variable whose name is a shipped variable's
(``population_total``, ``poverty_rate_gso_income_line``) becomes ``<name>__user_<file stem>``; a name two user
tables share takes the same suffix in the second table (then ``_2``, ``_3`` …). Every user row keeps its own
``measure`` ("user table: <file>"), ``source`` (file, sheet, row, column) and ``qualifier``. So one variable never
holds a shipped and a user figure, and :func:`ntm_analysis.wide` (which refuses a variable holding two measures)
cannot put them in one column.

The reader of files is the intake layer's (``ntm_analysis.intake``, which imports ``data`` and registers
:func:`~ntm_analysis.intake.read_table` here with :func:`register_reader`): this module never imports it
statically, so the layers stay one-way; a path given before the intake package was imported loads it by name.
"""
from __future__ import annotations

import functools
import hashlib
import importlib
import os
import re
from pathlib import Path
from typing import Callable

import pandas as pd

from ntm_analysis.data import cache
from ntm_analysis.text import slugify

#: The readers registered by the intake layer (the last one is used).
_READERS: list[Callable] = []
#: The intake package: the plugin that registers the reader of user files.
READER_PLUGIN = "ntm_analysis.intake"


def register_reader(reader: Callable) -> None:
    """Register ``reader(path) -> Table`` (the intake layer registers :func:`~ntm_analysis.intake.read_table`)."""
    if reader not in _READERS:
        _READERS.append(reader)


def _reader() -> Callable:
    if not _READERS:
        importlib.import_module(READER_PLUGIN)  # registers read_table on import
    return _READERS[-1]


def user_suffix(path: str | os.PathLike) -> str:
    """``"__user_<stem>"`` for a file: ``"Số liệu NTM 2020.xlsx"`` → ``"__user_so_lieu_ntm_2020"``."""
    stem = re.sub(r"[^a-z0-9]+", "_", slugify(Path(str(path)).stem)).strip("_")
    return f"__user_{stem or 'table'}"


def user_variable(variable: str, path: str | os.PathLike) -> str:
    """The distinct name a user variable takes when its name is taken: ``<variable>__user_<stem>``."""
    return f"{variable}{user_suffix(path)}"


def _read_rows(path: str, data_dir) -> pd.DataFrame:
    return _reader()(path).to_panel(data_dir=data_dir)


def rows_of(item, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """One ``extra`` item's rows in the panel's schema (see the module docstring)."""
    if isinstance(item, (str, os.PathLike)):
        path = Path(item).expanduser().resolve()
        if not path.is_file():
            raise FileNotFoundError(f"load_panel(extra=…): no such file {str(item)!r}")
        name = "user_rows_" + hashlib.sha256(str(path).encode()).hexdigest()[:12]
        return cache.frame(name, [str(path)], functools.partial(_read_rows, str(path), data_dir), data_dir,
                           code=(READER_PLUGIN,))
    if hasattr(item, "to_panel"):
        return item.to_panel(data_dir=data_dir)
    if isinstance(item, pd.DataFrame):
        if "measure" not in item.columns or not item["measure"].astype(str).str.startswith("user table").all():
            raise ValueError("load_panel(extra=…): a frame must be a user table's rows from Table.to_panel() (every "
                             "measure 'user table …'); pass the table or its path instead")
        return item.copy()
    raise TypeError(f"load_panel(extra=…) takes tables (read_table), paths or Table.to_panel() frames; got "
                    f"{type(item).__name__}")


def combine(extra, shipped: set[str], data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """The rows of every ``extra`` item, each user variable named apart from the shipped ones and from the
    other tables' (see the module docstring); only the 2008 geography (the panel's)."""
    items = [extra] if isinstance(extra, (str, os.PathLike)) or hasattr(extra, "to_panel") else list(extra)
    taken = set(shipped)
    frames = []
    for item in items:
        rows = rows_of(item, data_dir)
        if rows.empty:
            continue
        other = rows[rows["vintage"].astype(int) != 2008]
        if not other.empty:
            r = other.iloc[0]
            raise ValueError(f"{r['source_file']}: a table of the {int(r['vintage'])} geography cannot join the "
                             "panel (the 2008 geography, 63 provinces, of every published series); read it with "
                             "vintage=2008, or aggregate the panel with indicators.aggregate_to_2025()")
        rename = {}
        for v in rows["variable"].astype(str).unique():
            if v in taken:
                base = v if "__user_" in v else user_variable(v, rows["source_file"].iloc[0])
                new, k = base, 2
                while new in taken:
                    new, k = f"{base}_{k}", k + 1
                rename[v] = new
        if rename:
            renamed = rows["variable"].astype(str).isin(list(rename))
            note = rows["variable"].astype(str).map(
                lambda v: f"{v!r} is also another table's or a shipped variable's name: kept apart as {rename[v]!r}"
                if v in rename else "")
            rows = rows.assign(variable=rows["variable"].astype(str).replace(rename))
            rows.loc[renamed, "note"] = [f"{a}; {b}" if a else b for a, b in
                                         zip(rows.loc[renamed, "note"].astype(str), note[renamed])]
        taken |= set(rows["variable"].astype(str))
        frames.append(rows)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
