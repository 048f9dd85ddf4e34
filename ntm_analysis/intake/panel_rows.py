"""A researcher's table in the panel's schema: :func:`to_panel` (``Table.to_panel()``).

The rows have the columns of :func:`ntm_analysis.load_panel` (:data:`ntm_analysis.data.panel.PANEL_COLUMNS`)
plus ``qualifier`` ("exact", "lower_bound", "upper_bound" or "approximate"), one row per province × year ×
variable, and every one of them says that it is the user's:

* ``source`` names the file, the sheet (XLSX), the row and the column of the cell, e.g. "user table my.xlsx,
  sheet 'Biểu 01', row 7, column 'Tỷ lệ hộ nghèo (%)'" (followed by the source the table itself names, if any);
  ``source_file`` is the path read, ``source_row`` the spreadsheet row;
* ``measure`` is "user table: <file name>" (or "user table <file name>: <the measure the user states>");
* ``status`` is the row's own status (from its status words: preliminary, estimate, final), else
  :data:`USER_STATUS` ("as supplied by the user");
* ``name`` is the registry's name (with its diacritics), ``code`` the zero-padded GSO code, ``region`` the GSO
  region of the 2008 geography.

A user variable whose name is one of the shipped panel's (``population_total``, or a long table naming
``poverty_rate_gso_income_line``) becomes a distinct variable ``<name>__user_<file stem>``
(:func:`user_variable`), so it is never mixed into the shipped series, by :func:`ntm_analysis.wide` or
anything else. The intake's own ``poverty_rate`` (measure unstated) is already distinct from the
``poverty_rate_gso_*`` series.

A missing value ("..", "-", an empty cell) has no row, as in the panel: a gap stays a gap. A table with problems
(errors or warnings, not notes) is refused with :class:`TableReadError` naming them: fix them first
(``ntm data check``).
"""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from ntm_analysis.data import geo
from ntm_analysis.data.codebook import codebook
from ntm_analysis.data.panel import USER_PANEL_COLUMNS
from ntm_analysis.data.user import user_variable
from ntm_analysis.intake.problems import TableReadError

#: The status of a user's figure whose row names none.
USER_STATUS = "as supplied by the user"
#: Qualifiers a figure can carry; "exact" for a plain number.
QUALIFIERS = ("exact", "lower_bound", "upper_bound", "approximate")
_QUALIFIER_WORDS = {"lower_bound": "a lower bound", "upper_bound": "an upper bound",
                    "approximate": "an approximate value"}
#: How many problems a refusal lists before "… and N more".
_LISTED = 10


def shipped_variables(data_dir: str | os.PathLike | None = None) -> frozenset[str]:
    """The variable names of the shipped panel (as documented in ``data/codebook.yml``)."""
    return frozenset(codebook(data_dir)["variables"]["panel"])


def problems_text(table) -> str:
    """The table's problems, one per line (at most ten, then how many more)."""
    lines = [f"  - {p}" for p in table.problems[:_LISTED]]
    if len(table.problems) > _LISTED:
        lines.append(f"  … and {len(table.problems) - _LISTED} more (ntm data check lists them all)")
    return "\n".join(lines)


def refuse_problems(table) -> None:
    """Raise :class:`TableReadError` naming the table's problems (errors and warnings; notes are fine)."""
    if table.problems:
        raise TableReadError(
            table.path, f"{len(table.errors)} errors and {len(table.warnings)} warnings must be fixed before the "
                        f"table joins the panel (notes are fine):\n{problems_text(table)}")


def _where(table, row: int, column: str) -> str:
    name = Path(table.path).name
    sheet = f", sheet {table.sheet!r}" if table.sheet else ""
    return f"user table {name}{sheet}, row {row}, column {column!r}"


def to_panel(table, measure: str | None = None, status: str | None = None,
             data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """The table's figures in the panel's schema (see the module docstring).

    Parameters
    ----------
    table : a :class:`~ntm_analysis.intake.Table` without problems.
    measure : what the figures measure, in the user's words (e.g. "MOLISA review, multidimensional line"); the
        rows' ``measure`` is then "user table <file>: <measure>"; default "user table: <file>".
    status : the status of rows whose cells name none (default :data:`USER_STATUS`).
    data_dir : the data folder whose codebook lists the shipped variables (default: the shipped ``data/``).

    Returns
    -------
    DataFrame with columns :data:`~ntm_analysis.data.panel.USER_PANEL_COLUMNS` (the panel's plus ``qualifier``),
    sorted by variable, code and year.

    Raises
    ------
    TableReadError
        when the table has problems (errors or warnings), naming them.
    """
    refuse_problems(table)
    f = table.frame
    f = f[f["value"].notna()]  # a gap stays a gap: no row
    file = Path(table.path).name
    stated = None if measure is None else str(measure).strip()
    measure_text = f"user table {file}: {stated}" if stated else f"user table: {file}"
    default_status = USER_STATUS if status is None else str(status)
    reg = geo.provinces_by_code(table.vintage)
    shipped = shipped_variables(data_dir)
    rows = []
    for r in f.itertuples(index=False):
        code = str(r.province_code).zfill(2)
        if code not in reg:  # a table without problems has only registry codes
            raise TableReadError(table.path, f"row {r.source_row}: province code {code!r} is not one of the "
                                             f"{table.vintage} geography")
        prov = reg[code]
        variable = str(r.variable)
        if variable in shipped:
            variable = user_variable(variable, table.path)
        qualifier = "exact" if pd.isna(r.qualifier) else str(r.qualifier)
        source = _where(table, int(r.source_row), str(r.source_column))
        if not pd.isna(r.source):
            source += f"; source named in the table: {r.source}"
        notes = [] if pd.isna(r.note) else [str(r.note)]
        if qualifier != "exact":
            notes.append(f"{_QUALIFIER_WORDS.get(qualifier, qualifier)}, as written: {r.value_input!r}")
        if variable != str(r.variable):
            notes.append(f"the table's {r.variable!r}, kept apart from the shipped {r.variable!r} as {variable!r}")
        rows.append(dict(
            level="province", vintage=int(table.vintage), code=code, name=prov.name_short,
            region=prov.region or "", year=int(r.year),
            variable=variable, value=float(r.value), unit="" if pd.isna(r.unit) else str(r.unit),
            measure=measure_text, status=default_status if pd.isna(r.status) else str(r.status), source=source,
            source_url="", source_file=str(table.path), source_row=int(r.source_row), accessed="",
            note="; ".join(notes), qualifier=qualifier))
    out = pd.DataFrame(rows, columns=USER_PANEL_COLUMNS)
    out = out.astype({"vintage": "int64", "year": "int64", "value": "float64", "source_row": "int64"})
    for c in USER_PANEL_COLUMNS:
        if c not in ("vintage", "year", "value", "source_row"):
            out[c] = out[c].astype(object)
    return out.sort_values(["variable", "code", "year"], kind="stable").reset_index(drop=True)
