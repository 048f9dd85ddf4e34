"""Read and check a researcher's table: :func:`read_table` returns a :class:`Table` (the tidy long frame and every
problem found); :func:`check_command` is ``ntm data check``. The steps live in their own modules: open the file
(:mod:`.files`), find the header (:mod:`.header`), the layout and first pass (:mod:`.layout`), each row's figures
(:mod:`.rows`), the checks (:mod:`.checks`) and the frame (:mod:`.frame`).
"""
from __future__ import annotations

import dataclasses
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ntm_analysis.data import geo
from ntm_analysis.intake.aliases import VARIABLES
from ntm_analysis.intake.checks import (check_duplicates, check_mixed_units, check_percent_mix, check_range,
                                        check_row_shape)
from ntm_analysis.intake.files import Uncached, blank, cell_text, open_table
from ntm_analysis.intake.frame import FrameBuilder
from ntm_analysis.intake.header import Column
from ntm_analysis.intake import panel_rows
from ntm_analysis.intake.layout import read_layout
from ntm_analysis.intake.problems import Collector, Problem, TableReadError, rows_text
from ntm_analysis.intake.rows import (looks_like_formula, resolve_long_variable, resolve_province, resolve_value,
                                      resolve_year)
from ntm_analysis.intake.status import status_of
from ntm_analysis.intake.totals import total_label


@dataclass
class Table:
    """What :func:`read_table` found.

    ``frame`` is the tidy long frame (columns :data:`COLUMNS`); ``problems``
    every problem, in file order; ``layout`` "long" or "wide"; ``header_row``
    the spreadsheet row of the header (``header_last_row`` its last row when
    the header takes two rows, e.g. a merged group label over sub-labels);
    ``encoding`` the text encoding a CSV was decoded with ("utf-8",
    "utf-8-sig", "utf-16", "cp1258"; ``None`` for XLSX); ``notes`` the
    footnotes found under the table as (row, text) — reported, never read as
    figures; ``notices`` what the reader did that the user should know, each a
    :class:`Problem` of severity "note" (a title row, a row-number column or a
    total row set aside; a percent-formatted cell read as the percentage it
    shows; a lower or upper bound or an approximate value; a row's status),
    in file order. Notes do not make a table less ``ok``.
    """

    frame: pd.DataFrame
    problems: list[Problem]
    path: str
    layout: str
    sheet: str | None = None
    vintage: int = 2008
    header_row: int = 1
    delimiter: str | None = None
    encoding: str | None = None
    notes: list[tuple[int, str]] = field(default_factory=list)
    header_last_row: int | None = None
    notices: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no problem (error or warning) was found; notes do not count."""
        return not self.problems

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def n_clean(self) -> int:
        """Number of figures (rows of ``frame``) without any problem."""
        return int((~self.frame["problem"]).sum())

    def problems_frame(self, notices: bool = False) -> pd.DataFrame:
        """The problems as a DataFrame (one row per problem; with ``notices=True`` the notes too, after them)."""
        cols = ["file", "sheet", "row", "column", "value", "message", "expected", "severity"]
        items = self.problems + (self.notices if notices else [])
        return pd.DataFrame([{c: getattr(p, c) for c in cols} for p in items], columns=cols)

    def report(self) -> str:
        """A readable summary and the list of problems.

        Values and messages are shown quoted (``repr``), so text that looks like
        a formula or markup ("=HYPERLINK(…)", "<script>") is shown, never run.
        """
        where = self.path + (f" [sheet {self.sheet!r}]" if self.sheet else "")
        n_rows = len(self.frame)
        n_prov = self.frame["province_code"].nunique()
        rows = (f"rows {self.header_row}–{self.header_last_row}" if self.header_last_row
                else f"row {self.header_row}")
        enc = f", encoding {self.encoding}" if self.encoding else ""
        head = (f"{where}: {self.layout} table, header on {rows}{enc}; {n_rows} figures "
                f"({n_prov} provinces, {self.vintage} geography); {self.n_clean} of {n_rows} figures clean")
        lines = [head]
        if self.notes:
            lines.append("Notes under the table (kept as notes, not read as figures):")
            lines += [f"  - row {r}: {t!r}" for r, t in self.notes]
        if self.notices:
            lines.append(f"{len(self.notices)} notes (what was set aside, or read with a qualifier, a status or a "
                         "percent format; nothing was changed silently):")
            lines += [f"  - {p}" for p in self.notices]
        if self.ok:
            return "\n".join(lines + ["No problems found."])
        lines.append(f"{len(self.errors)} errors, {len(self.warnings)} warnings:")
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)

    def to_panel(self, measure: str | None = None, status: str | None = None,
                 data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
        """The figures in the panel's schema: the columns of :func:`ntm_analysis.load_panel` plus ``qualifier``,
        ``source`` naming file, sheet, row and column, ``measure`` "user table: <file>" (or
        "user table <file>: <measure>"), ``status`` the row's own or "as supplied by the user"; a variable named
        like a shipped one becomes ``<name>__user_<file stem>``. Raises :class:`TableReadError` when the table
        has problems (not notes). See :mod:`ntm_analysis.intake.panel_rows`."""
        return panel_rows.to_panel(self, measure=measure, status=status, data_dir=data_dir)

    def __repr__(self) -> str:
        return (f"Table({self.path!r}, layout={self.layout!r}, rows={len(self.frame)}, "
                f"problems={len(self.problems)}, ok={self.ok})")


def read_table(path: str | Path, sheet: str | None = None, *, vintage: int = 2008) -> Table:
    """Read a researcher's CSV/XLSX province table into the tidy long form and check it.

    ``sheet`` names an XLSX sheet (default: the first); ``vintage`` is the
    province geography of the table (2008: 63 provinces; 2025: 34). Returns a
    :class:`Table` (``frame``, ``problems``, ``ok``); raises
    :class:`TableReadError` when the file cannot be read (missing, wrong format,
    empty, undecodable, no recognisable header, no data rows).

    CSV text is decoded as UTF-8 (with or without BOM), UTF-16 (by its BOM) or
    else Windows-1258; the encoding found is ``Table.encoding``. A CSV is read
    in a streaming way (a pass for the number convention of each column, one
    for the figures), so a file of millions of rows needs memory for the
    resulting frame only. Text cells are never evaluated: "=HYPERLINK(…)" is
    text, reported quoted.
    """
    path = Path(path)
    file = str(path)
    if vintage not in geo.VINTAGES:
        raise ValueError(f"vintage must be 2008 (63 provinces) or 2025 (34 provinces), got {vintage!r}")
    src = open_table(path, sheet)
    out = Collector(file, src.sheet)
    lay = read_layout(path, src, out)
    cols, n_header, header_row = lay.cols, len(lay.cols), lay.header_row
    prov_col, code_col, year_col = lay.role("province"), lay.role("province_code"), lay.role("year")
    var_col, unit_col = lay.role("variable"), lay.role("unit")
    note_col, source_col, status_col = lay.role("note"), lay.role("source"), lay.role("status")
    row_number_cols = lay.by_role.get("row_number", [])
    province_cache: dict[tuple[str, str], tuple] = {}
    unknown_vars: dict[str, list] = {}  # long layout: variable name → [problem index, rows]
    note_rows = {n for n, _ in lay.notes}
    builder = FrameBuilder()

    # Pass 2: the figures.
    for rownum, cells in lay.data_rows(src):
        if rownum in note_rows:
            continue

        def cell(c: Column | None, _cells=cells) -> object:
            if c is None or c.index >= len(_cells):
                return ""
            return _cells[c.index]

        # A total row names itself in the province cell, or in the row-number cell when the province cell is blank.
        label_col = next((c for c in [prov_col] + row_number_cols
                          if c is not None and total_label(cell(c)) is not None
                          and (c is prov_col or blank(cell(prov_col)))), None)
        if label_col is not None:
            out.note(rownum, label_col.header, cell_text(cell(label_col)),
                     f"total or subtotal row ({total_label(cell(label_col))}): set aside, not read as a province's "
                     "figures")
            continue

        row_records: list[dict] = []
        note_v, source_v = cell(note_col), cell(source_col)
        base = {"note": pd.NA if blank(note_v) else cell_text(note_v),
                "source": pd.NA if blank(source_v) else cell_text(source_v),
                "source_file": file, "source_row": rownum, "status": pd.NA}
        for vc in lay.value_cols:
            rec = dict(base, source_column=vc.header, _problems=[], _col=vc)
            row_records.append(rec)

        if src.kind == "csv":
            check_row_shape(out, row_records, rownum, cells, cols, n_header, src)
        for tc in cols:  # every column: a province, variable, unit, status, note or source cell, a figure
            t = cell(tc)
            if isinstance(t, str) and t and not isinstance(t, Uncached) and looks_like_formula(t):
                out.add(row_records, rownum, tc.header, t,
                        "text a spreadsheet would run as a formula: kept as inert text, never evaluated",
                        "plain text (in Excel, start it with an apostrophe ')", "warning")
        read_status(out, row_records, rownum, [c for c in (status_col, note_col) if c is not None], cell)
        resolve_province(out, row_records, rownum, prov_col, code_col, cell(prov_col), cell(code_col), vintage,
                         province_cache)
        resolve_year(out, row_records, rownum, year_col, cell(year_col))
        for rec in row_records:
            vc = rec["_col"]
            if lay.kind == "long":
                resolve_long_variable(out, rec, rownum, var_col, unit_col, cell(var_col), cell(unit_col),
                                      unknown_vars)
            else:
                rec["variable"] = vc.variable
                rec["unit"] = vc.unit
                rec["_kind"] = VARIABLES[vc.variable].kind if vc.variable in VARIABLES else None
                rec["_unit_fixed"] = vc.unit is not None
                if vc.role is None:
                    out.add([rec], header_row, vc.header, vc.header,
                            "unrecognised column header: values kept under this name but not checked",
                            "a header from the alias table (ntm_analysis.intake.HEADER_ALIASES)", "warning")
            resolve_value(out, rec, rownum, vc, cell(vc), lay.conventions[vc.index])
            check_range(out, rec)
            builder.add(rec)

    for name, (k, rows) in unknown_vars.items():
        if len(rows) > 1:
            p = out.problems[k]
            out.problems[k] = dataclasses.replace(
                p, message=f"{p.message} (in {len(rows)} rows: {rows_text(rows, 'rows')})")
    if src.n_repairs:
        r, j, before, after = next((x for x in src.repairs if x[0] >= header_row), src.repairs[0])
        column = cols[j].header if (r >= header_row and j < len(cols)) else f"(column {j + 1})"
        out.add([], r, column, before,
                f"mojibake: UTF-8 text that was once read as Windows-1252/Latin-1 and saved again; repaired in "
                f"{src.n_repairs} cells (e.g. {before!r} → {after!r})",
                "a file saved as 'CSV UTF-8' (check the repaired names)", "warning")

    frame = builder.frame()
    flags: dict[int, list[str]] = {}
    check_mixed_units(out, frame, builder, lay.kind, flags)
    check_percent_mix(out, frame, builder, lay.kind, flags)
    out.problems.extend(out.deferred)
    check_duplicates(out, frame, lay.kind, (prov_col or code_col).header, flags)
    if flags:
        idx = sorted(flags)
        old = frame["problem_detail"].iloc[idx].tolist()
        new = [("; ".join([o] + [m for m in flags[i] if m not in o.split("; ")]) if o else "; ".join(flags[i]))
               for o, i in zip(old, idx)]
        frame.loc[idx, "problem_detail"] = pd.array(new, dtype="string")
        frame.loc[idx, "problem"] = True
    out.problems.sort(key=lambda p: (p.row if p.row is not None else -1))
    out.notices.sort(key=lambda p: (p.row if p.row is not None else -1))
    return Table(frame, out.problems, file, lay.kind, src.sheet, vintage, header_row, src.delimiter, src.encoding,
                 lay.notes, lay.header_last, out.notices)


_STATUS_EXPECTED = "one of sơ bộ / ước tính / chính thức (preliminary / estimate / final)"


def read_status(out, recs: list[dict], rownum: int, text_cols: list[Column], cell) -> None:
    """Set the row's ``status`` from the status words of its status and note cells ("số liệu sơ bộ" →
    preliminary), with a note; two different statuses, or a status cell naming none, are warnings (status left
    empty, never guessed)."""
    found: list[tuple[str, str, str]] = []  # (status, column header, text)
    for c in text_cols:
        v = cell(c)
        if blank(v):
            continue
        text = cell_text(v)
        status, words = status_of(text)
        if status is None and len(words) > 1:
            out.add(recs, rownum, c.header, text, f"two statuses in one cell ({', '.join(words)}): status left empty",
                    _STATUS_EXPECTED, "warning")
            return
        if status is None and c.role == "status":
            out.add(recs, rownum, c.header, text, f"unrecognised status {text!r}: status left empty",
                    _STATUS_EXPECTED, "warning")
        elif status is not None:
            found.append((status, c.header, text))
    if not found:
        return
    statuses = {f[0] for f in found}
    if len(statuses) > 1:
        listed = "; ".join(f"{s} in {h!r} ({t!r})" for s, h, t in found)
        out.add(recs, rownum, found[0][1], found[0][2], f"the row's cells name two statuses: {listed}; status left "
                                                        "empty", _STATUS_EXPECTED + ", the same in every cell",
                "warning")
        return
    status, header, text = found[0]
    for rec in recs:
        rec["status"] = status
    out.note(rownum, header, text, f"status {status} (from the words of this cell): set on the row's figures")


def check_command(path: str | Path, sheet: str | None = None, vintage: int = 2008) -> int:
    """``ntm data check``: print a report; return 0 clean, 1 problems found, 2 file unreadable."""
    try:
        table = read_table(path, sheet=sheet, vintage=vintage)
    except TableReadError as e:
        print(f"ntm data check: cannot read {e.path}: {e.reason}", file=sys.stderr)
        return 2
    print(table.report())
    return 0 if table.ok else 1
