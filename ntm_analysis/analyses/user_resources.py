"""A researcher's own table of resources or of communes meeting the NTM standard, as measures of its own.

:func:`user_measure_rows` turns the figures of one or more user tables (read and checked by
:func:`ntm_analysis.intake.read_table`) into rows of :func:`~ntm_analysis.analyses.resource_measures.resource_measures`
(its :data:`~ntm_analysis.analyses.resource_measures.COLUMNS`), each under a measure of its own, never merged into
the shipped measures:

==============================  =========================================================================
user variable (intake alias)    measure
==============================  =========================================================================
resources_total                 ``user:resources_total``
resources_central_budget        ``user:resources_central_budget`` (likewise local budget, credit,
                                enterprises)
resources_people                ``user:resources_people``
communes_ntm in %               ``user:communes_ntm_share``
communes_ntm as a count         ``user:communes_ntm_share`` when the same row (province, year, file) gives
                                ``communes_total`` too (100 · count / total), else ``user:communes_ntm``
                                (communes, no share)
==============================  =========================================================================

Every row names its origin: ``publisher`` "user table <file name>", ``source_url`` empty, ``source_file`` the
file, ``source_row`` the spreadsheet row, ``note`` the file, sheet, row and column (and the user's own note).
``qualifier`` (exact / lower_bound / upper_bound / approximate) and ``status`` (preliminary / estimate / final,
else "as supplied by the user") come from the intake frame; ``confidence`` is "user" (the toolkit cannot grade
a user's figure: the association keeps it whatever ``min_confidence`` says, and says so in its notes).

The period of a figure: the intake asks a period's figure to carry its end year with the period in a note
("giai đoạn 2016–2020"); a note naming a period that ends in the row's year gives the period, otherwise the
figure is the year's own (period = year–year, said in the row's note). A note naming a period that does not end
in the row's year is an error (naming the file, row and note), never guessed.

A table with problems (errors or warnings; notes are fine) is refused with :class:`UserTableError`, whose
message is the intake's check report: nothing is read from a table that has not passed the check.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["USER_PREFIX", "USER_MEASURES", "UserTableError", "user_measure_rows", "user_folder_files", "is_user_measure", "base_measure", "USER_MONEY_MEASURES"]

USER_PREFIX = "user:"
#: The folder of a data folder whose every readable table is used as a user table.
USER_FOLDER = "user"
#: File endings read from the user folder (what the intake reads).
TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm")

_MONEY_VARIABLES = ("resources_total", "resources_central_budget", "resources_local_budget", "resources_credit",
                    "resources_enterprises", "resources_people")
#: Money units the intake writes → factor to billion VND.
_TO_BN = {"VND": 1e-9, "thousand VND": 1e-6, "million VND": 1e-3, "billion VND": 1.0, "trillion VND": 1e3}

_LABELS = {
    "resources_total": "Resources mobilised for NTM (user table)",
    "resources_central_budget": "Central budget for NTM (user table)",
    "resources_local_budget": "Local budget for NTM (user table)",
    "resources_credit": "Credit for NTM (user table)",
    "resources_enterprises": "Enterprises' contributions to NTM (user table)",
    "resources_people": "People's contributions to NTM (user table)",
    "communes_ntm_share": "Communes meeting the NTM standard (user table)",
    "communes_ntm": "Communes meeting the NTM standard, count (user table)",
}

#: Measure id → label, unit, scope, publisher, description (as :data:`resource_measures.MEASURES`).
USER_MEASURES: dict[str, dict[str, str]] = {
    f"{USER_PREFIX}{v}": {
        "label": label,
        "unit": "% of communes" if v == "communes_ntm_share" else "communes" if v == "communes_ntm"
        else "billion VND",
        "scope": "as given in the user's table (not classified)",
        "publisher": "user table",
        "description": "A researcher's own figures (ntm render --with, or a table in the data folder's user/), "
                       "kept as a measure of their own: never merged into the shipped series.",
    } for v, label in _LABELS.items()}

USER_MONEY_MEASURES = tuple(f"{USER_PREFIX}{v}" for v in _MONEY_VARIABLES)
_PERIOD_RE = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*[-–—/]\s*((?:19|20)\d\d)(?!\d)")


class UserTableError(ValueError):
    """A user table cannot be used: unreadable, or with problems (the message is the intake's check report)."""

    def __init__(self, path: str, message: str):
        self.path = str(path)
        super().__init__(message)


def is_user_measure(measure: str) -> bool:
    return isinstance(measure, str) and measure.startswith(USER_PREFIX)


def base_measure(measure: str) -> str:
    """``user:resources_total`` → ``resources_total`` (a shipped id unchanged)."""
    return measure[len(USER_PREFIX):] if is_user_measure(measure) else measure


def user_folder_files(data_dir: str | os.PathLike | None = None) -> list[Path]:
    """Every readable table (:data:`TABLE_SUFFIXES`) of ``<data_dir>/user/``, sorted (none when there is no
    such folder); hidden files and spreadsheet lock files ("~$…") are left out."""
    from ntm_analysis import paths  # noqa: PLC0415

    folder = paths.data_dir(data_dir) / USER_FOLDER
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and p.suffix.lower() in TABLE_SUFFIXES and not p.name.startswith((".", "~$")))


def _user_rows(item, data_dir) -> pd.DataFrame:
    """One ``extra`` item's rows in the panel's schema (:func:`ntm_analysis.data.user.rows_of`: read once per file
    content; a table with problems refused), a refusal as :class:`UserTableError`."""
    from ntm_analysis.data.user import rows_of  # noqa: PLC0415

    try:
        return rows_of(item, data_dir)
    except (ValueError, TypeError, OSError) as exc:
        where = getattr(exc, "path", None) or getattr(item, "path", None) or str(item)
        raise UserTableError(str(where), f"user table {where}: {getattr(exc, 'reason', None) or exc}") from None


def _period(year: int, note: str, where: str) -> tuple[int, int, str]:
    found = [(int(a), int(b)) for a, b in _PERIOD_RE.findall(note or "")]
    ending = [p for p in found if p[1] == year and p[0] <= p[1]]
    if ending:
        s, e = ending[0]
        return s, e, f"period {s}–{e} from the note"
    if found:
        s, e = found[0]
        raise UserTableError(where, f"{where}: the note names the period {s}–{e} but the row's year is {year}; "
                                    "expected the period's end year in the year column (e.g. 2020 for "
                                    "'giai đoạn 2016–2020')")
    return year, year, f"the figure of {year} (no period named in the note)"


def user_measure_rows(extra=(), data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """The resource and commune figures of the user tables ``extra`` (Tables, paths, or ``Table.to_panel()``
    frames) as rows of ``resource_measures``' columns (without the population columns, which
    :func:`resource_measures` adds by its own rule).

    Figures of other variables (income, poverty, …) are not resource measures and are left to
    ``load_panel(extra=…)``. Raises :class:`UserTableError` (see the module docstring)."""
    items = [extra] if isinstance(extra, (str, os.PathLike)) or hasattr(extra, "to_panel") else list(extra or ())
    rows = []
    for item in items:
        f = _user_rows(item, data_dir)
        if f.empty:
            continue
        if (f["vintage"].astype(int) != 2008).any():
            raise UserTableError(str(f["source_file"].iloc[0]), f"user table {f['source_file'].iloc[0]}: resource "
                                 "measures are per 2008 province (63 provinces); read the table with vintage=2008")
        f = f.assign(base=f["variable"].astype(str).str.split("__user_").str[0])
        f = f[f["base"].isin([*_MONEY_VARIABLES, "communes_ntm", "communes_total"]) & f["value"].notna()]
        totals = {(str(r.code), int(r.year), str(r.source_file), int(r.source_row)): r
                  for r in f[f["base"] == "communes_total"].itertuples()}
        for r in f[f["base"] != "communes_total"].itertuples():
            code, year, unit, value = str(r.code), int(r.year), str(r.unit or ""), float(r.value)
            origin = str(r.source)
            where = f"{r.source_file}, row {int(r.source_row)}"
            note = str(r.note or "")
            if r.base in _MONEY_VARIABLES:
                if unit not in _TO_BN:
                    raise UserTableError(str(r.source_file), f"{origin}: unit {unit!r} is not a money unit; "
                                                             f"expected one of {', '.join(_TO_BN)}")
                start, end, how = _period(year, note, where)
                measure, bn = f"{USER_PREFIX}{r.base}", value * _TO_BN[unit]
                label = f"{start}–{end}" if start != end else str(end)
                how += "" if unit == "billion VND" else f"; {value:g} {unit} = {bn:g} billion VND"
            else:  # communes_ntm
                start = end = year
                label, bn = f"end-{year}", np.nan
                total = totals.get((code, year, str(r.source_file), int(r.source_row)))
                if unit in ("%", "% of communes"):
                    measure, unit, how = f"{USER_PREFIX}communes_ntm_share", "% of communes", "share as given"
                elif total is not None and float(total.value) > 0:
                    measure = f"{USER_PREFIX}communes_ntm_share"
                    how = f"{value:g} of {float(total.value):g} communes (the number of communes: {total.source})"
                    value, unit = 100.0 * value / float(total.value), "% of communes"
                else:
                    measure, how = f"{USER_PREFIX}communes_ntm", "a count (no number of communes in the same row)"
            rows.append({
                "code": code, "name": str(r.name), "measure": measure, "period_start": start, "period_end": end,
                "period_label": label, "value": value, "unit": unit, "value_bn_vnd": bn,
                "qualifier": str(r.qualifier), "scope": USER_MEASURES[measure]["scope"], "scope_words": "",
                "confidence": "user", "status": str(r.status), "publisher": f"user table {Path(str(r.source_file)).name}",
                "source_url": "", "source_file": str(r.source_file), "source_row": int(r.source_row),
                "as_of": str(end), "note": "; ".join(x for x in (origin, how, note) if x),
            })
    cols = ["code", "name", "measure", "period_start", "period_end", "period_label", "value", "unit", "value_bn_vnd",
            "qualifier", "scope", "scope_words", "confidence", "status", "publisher", "source_url", "source_file",
            "source_row", "as_of", "note"]
    return pd.DataFrame(rows, columns=cols)
