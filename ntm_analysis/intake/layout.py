"""The shape of a table, read in a first pass over its rows: the header (one or two rows), long or wide, the
columns that hold figures, the notes under the table, and each figure column's decimal convention. Title rows
above the header, a column-numbering row under it ("(1) (2) (3)…", "A B 1 2…") and row-number columns (STT, TT,
No., #) are set aside, each with a note.

* **long**: province, year, variable, value[, unit]: one figure per row;
* **wide**: province, year, then one column per variable.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ntm_analysis.intake.aliases import ROLES
from ntm_analysis.intake.files import Source, blank, cell_text
from ntm_analysis.intake.header import Column, describe, find_header, sub_header
from ntm_analysis.intake.problems import Collector, TableReadError
from ntm_analysis.intake.quantities import decimal_evidence
from ntm_analysis.text import fold


@dataclass
class Layout:
    """What the first pass found: ``kind`` "long" or "wide"; the header's first and last row; its columns, by role;
    the columns read as figures; the notes under the table as (row, text); per figure column, the decimal separator
    for ambiguous numbers and whether the column (or file) uses both."""

    kind: str
    header_row: int
    header_last: int | None
    cols: list[Column]
    by_role: dict[str, list[Column]]
    value_cols: list[Column] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)
    skip: set[int] = field(default_factory=set)  # rows set aside under the header (a column-numbering row)
    conventions: dict[int, tuple[str | None, bool]] = field(default_factory=dict)

    def role(self, name: str) -> Column | None:
        """The first column of a structural role (``province``, ``year``, …), or None."""
        return (self.by_role.get(name) or [None])[0]

    def data_rows(self, src: Source):
        """(row, cells) of every non-blank row under the header (notes included)."""
        data_start = self.header_last or self.header_row
        csv_rows = src.kind == "csv"  # CSV cells are stripped text: a row is blank when no cell is non-empty
        for n, cells in src.rows():
            if n > data_start and (any(cells) if csv_rows else not all(blank(c) for c in cells)) \
                    and n not in self.skip:
                yield n, cells


def read_layout(path: Path, src: Source, out: Collector) -> Layout:
    """Find the header and the layout, scan the rows once (notes, columns holding data, decimal evidence) and report
    what concerns whole columns into ``out``. Raises :class:`TableReadError` when no data row follows the header or
    a wide table has no figure column."""
    header_row, header_cells, cols = find_header(path, src.rows())
    for n, cells in src.rows():
        if n >= header_row:
            break
        texts = list(dict.fromkeys(cell_text(c) for c in cells if not blank(c)))  # a merged title repeats its text
        if texts:
            out.note(n, None, " | ".join(texts), "row above the header (a title): not read")
    header_last = None
    for rownum, cells in src.rows():
        if rownum <= header_row or all(blank(c) for c in cells):
            continue
        sub = sub_header(header_cells, cols, cells)
        if sub is not None:
            cols, header_last = sub, rownum
        break
    n_header = len(cols)
    by_role: dict[str, list[Column]] = {}
    for c in cols:
        by_role.setdefault(c.role or "", []).append(c)
    kind = "long" if "variable" in by_role and "value" in by_role else "wide"
    layout = Layout(kind, header_row, header_last, cols, by_role)
    for n, cells in src.rows():
        if n <= (header_last or header_row) or all(blank(c) for c in cells):
            continue
        if numbering_row(cells):
            layout.skip.add(n)
            out.note(n, None, " ".join(cell_text(c) for c in cells if not blank(c)),
                     "column-numbering row under the header: not read")
        break

    # Pass 1: notes under the table, which columns hold data, and each column's decimal convention.
    has_data = [False] * n_header
    evidence: list[set[str]] = [set() for _ in range(n_header)]
    n_data = 0
    scan_cols = [c.index for c in cols if c.role in ("data", "value", None, "province", "province_code")]
    for n, cells in layout.data_rows(src):
        note = footnote(cells)
        if note is not None:
            layout.notes.append((n, note))
            continue
        n_data += 1
        for i in scan_cols:
            if i >= len(cells):
                continue
            v = cells[i]
            if not blank(v):
                has_data[i] = True
                if isinstance(v, str) and len(evidence[i]) < 2 and cols[i].role not in ("province", "province_code"):
                    e = decimal_evidence(v)
                    if e:
                        evidence[i].add(e)
    if n_data == 0:
        rows = f"rows {header_row}–{header_last}" if header_last else f"row {header_row}"
        raise TableReadError(path, f"the header is on {rows} but no data rows follow"
                                   + (" (only notes under it)" if layout.notes else ""))

    prov_any = [c for c in cols if c.role in ("province", "province_code")]
    if prov_any and not any(has_data[c.index] for c in prov_any if c.index < n_header):
        out.add([], header_row, prov_any[0].header, "",
                f"the province column {prov_any[0].header!r} is empty in all {n_data} data rows",
                "a province name or code in every row")

    # Structural roles must be unique (two province-name columns would be ambiguous).
    for role in ROLES:
        if role == "row_number":
            continue  # every row-number column is set aside
        for extra in by_role.get(role, [])[1:]:
            out.add([], header_row, extra.header, extra.header,
                    f"second {role} column; only the first ({by_role[role][0].header!r}) is read",
                    f"one {role} column", "warning")

    for c in by_role.get("row_number", []):
        out.note(header_row, c.header, c.header,
                 "row-number column (STT): set aside, not read as a variable")

    if kind == "long":
        layout.value_cols = [by_role["value"][0]]
        for c in cols:
            if c.role is None and c.header:
                out.add([], header_row, c.header, c.header, "unrecognised column header: column not read",
                        "a header from the alias table (ntm_analysis.intake.HEADER_ALIASES)", "warning")
    else:
        layout.value_cols = [c for c in cols if c.role in ("data", None) and (c.header or has_data[c.index])]
        if not layout.value_cols:
            raise TableReadError(path, "the header names a province and a year column but no variable column "
                                       "(wide table) and no 'Chỉ tiêu'/'Giá trị' (variable/value) columns "
                                       "(long table)")
        for c in layout.value_cols:
            if c.role is None:
                label = c.header or f"(blank header, column {c.index + 1})"
                c.header = label
                c.variable = describe(label)[4] or label
        for c in layout.value_cols:
            for p in c.ignored_parens:
                out.add([], header_row, c.header, c.header,
                        f"({p}) in the header is not a recognised unit; column read in {c.unit or 'no unit'}",
                        "a unit such as (%), (tỷ đồng), (triệu đồng/người/năm), (nghìn người)", "warning")
    layout.conventions = conventions(layout.value_cols, evidence)
    return layout


_NOTE_WORDS = re.compile(r"(nguon|source|sources|ghi chu|chu thich|chu giai|note|notes|don vi tinh|luu y)\b")


def footnote(cells: list[object]) -> str | None:
    """The text of a note row under a table ("Nguồn: Sở NN&PTNT", "* số liệu sơ bộ"), else ``None``.

    A note row has one text (a merged note repeats it across its cells) that
    starts with a footnote mark or a word such as Nguồn/Ghi chú/Source/Note.
    """
    if len(cells) > 1 and isinstance(cells[0], str) and cells[0] and cells[1] and cells[0] != cells[1]:
        return None  # two different filled cells: a data row (fast path for large files)
    texts = {cell_text(c) for c in cells if not blank(c)}
    if len(texts) != 1:
        return None
    [text] = texts
    if isinstance(next(c for c in cells if not blank(c)), (int, float)):
        return None
    if text.startswith(("*", "(*", "†", "¹", "(1)", "(2)", "(3)", "Ghi chú", "Nguồn")) or _NOTE_WORDS.match(fold(text)):
        return text
    return None


_COLUMN_NUMBER = re.compile(r"\(?(\d{1,2}|[A-Za-z])\)?")


def numbering_row(cells: list[object]) -> bool:
    """True for a row that numbers the columns ("(1) (2) (3) …", "A B 1 2 3 …"), as official forms do under
    the header: three or more cells, each one letter or a one- or two-digit number (in parentheses or not), the
    numbers consecutive."""
    tokens = []
    for c in cells:
        if blank(c):
            continue
        if isinstance(c, float) and c.is_integer():
            c = int(c)
        m = _COLUMN_NUMBER.fullmatch(cell_text(c).strip())
        if m is None or isinstance(c, bool):
            return False
        tokens.append(m.group(1))
    numbers = [int(t) for t in tokens if t.isdigit()]
    return len(tokens) >= 3 and len(numbers) >= 2 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def conventions(value_cols: list[Column], evidence: list[set[str]]) -> dict[int, tuple[str | None, bool]]:
    """Per value column: (decimal separator for ambiguous numbers, conflicting?)."""
    col_ev = {c.index: evidence[c.index] if c.index < len(evidence) else set() for c in value_cols}
    file_ev = set().union(*col_ev.values()) if col_ev else set()
    out = {}
    for c in value_cols:
        ev = col_ev[c.index]
        if len(ev) == 1:
            out[c.index] = (next(iter(ev)), False)
        elif len(ev) == 2:
            out[c.index] = (None, True)
        elif len(file_ev) == 1:
            out[c.index] = (next(iter(file_ev)), False)
        elif len(file_ev) == 2:
            out[c.index] = (None, True)
        else:
            out[c.index] = (",", False)
    return out
