"""Find a table's header: the first of the first 20 non-blank rows naming a province and a year, and a second
header row under it when a group label spans several sub-labels. Each header cell becomes a :class:`Column` with its
role, variable and unit (from the header's parentheses, else the variable's default unit).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ntm_analysis.intake.aliases import ROLES, VARIABLES, lookup_alias
from ntm_analysis.intake.files import blank, cell_text
from ntm_analysis.intake.problems import TableReadError
from ntm_analysis.intake.quantities import NumberFormatError, parse_number, unit_info
from ntm_analysis.text import nfc

HEADER_SCAN_ROWS = 20

PARENS = re.compile(r"[(\[]([^()\[\]]*)[)\]]")


@dataclass
class Column:
    index: int
    header: str  # as written
    role: str | None  # one of ROLES, "data" for a variable column, None for an unrecognised header
    variable: str | None = None
    unit: str | None = None
    unit_from_header: bool = False
    ignored_parens: list[str] = field(default_factory=list)


def describe(text: object) -> tuple[str | None, str | None, bool, list[str], str]:
    """Read a header (or a long table's variable cell): canonical name, unit, unit written?, ignored parens, name."""
    header = nfc(str(text)).strip()
    parens = PARENS.findall(header)
    name = PARENS.sub(" ", header).strip()
    if name.endswith("%"):
        parens.append("%")
        name = name[:-1].strip()
    canonical, period = lookup_alias(name)
    unit, written, ignored = None, False, []
    for p in reversed(parens):
        if unit is None and unit_info(p) is not None:
            unit, written = unit_info(p).name, True
        elif p.strip() and not re.search(r"\d", p):
            ignored.append(p.strip())
    spec = VARIABLES.get(canonical or "")
    if unit is None and spec is not None:
        unit = spec.default_unit
    if spec is not None and spec.per_capita and unit is not None:
        info = unit_info(unit)
        if info is not None and info.dimension == "VND":
            per = info.per or "/person"
            if not per.startswith("/person"):
                per = "/person" + per
            if period and per == "/person":
                per += f"/{period}"
            unit = type(info)(info.dimension, info.factor, per).name
    return canonical, unit, written, ignored, name


@lru_cache(maxsize=4096)
def describe_cached(text: str):
    return describe(text)


def _column(index: int, label: str, described: tuple) -> "Column":
    """A column from its header's description (:func:`describe`): a role (province, year, …), a data variable with
    its unit, or unrecognised (kept, reported)."""
    canonical, unit, written, ignored, _ = described
    if canonical in ROLES:
        return Column(index, label, canonical)
    if canonical is not None:
        return Column(index, label, "data", canonical, unit, written, ignored)
    return Column(index, label, None, None, unit, written, ignored)


def columns(cells: list[object]) -> list[Column]:
    cols = []
    for i, raw in enumerate(cells):
        header = "" if blank(raw) else nfc(str(raw)).strip()
        cols.append(_column(i, header, describe(header) if header else (None, None, False, [], "")))
    return cols


def find_header(path: Path, rows) -> tuple[int, list[object], list[Column]]:
    """(header row, header cells, columns): the first of the first 20 non-blank rows naming a province and a year."""
    seen = 0
    first_nonblank = None
    for rownum, cells in rows:
        if all(blank(c) for c in cells):
            continue
        first_nonblank = first_nonblank if first_nonblank is not None else cells
        seen += 1
        cols = columns(cells)
        roles = {c.role for c in cols}
        if roles & {"province", "province_code"} and "year" in roles:
            return rownum, cells, cols
        if seen >= HEADER_SCAN_ROWS:
            break
    if first_nonblank is None:
        raise TableReadError(path, "the file is empty (no non-blank row)")
    shown = ", ".join(repr(str(c)) for c in first_nonblank if not blank(c))[:300]
    hint = ""
    if sum(1 for c in first_nonblank if re.fullmatch(r"(19|20)\d\d", str(c).strip())) >= 2:
        hint = " Years written as column headers are not read: put the year in a column of its own."
    raise TableReadError(path, f"no recognisable header in the first {HEADER_SCAN_ROWS} non-blank rows: expected a "
                               "province column (e.g. 'Tỉnh/Thành phố', 'Tỉnh', 'Province', 'Mã tỉnh') and a year "
                               f"column ('Năm', 'Year'); the first row reads {shown}.{hint}")


def sub_header(header: list[object], cols: list[Column], nxt: list[object]) -> list[Column] | None:
    """Columns of a two-row header, or ``None`` when ``nxt`` (the row under the header) is data.

    A group label over several columns ("Nguồn lực huy động (tỷ đồng)", merged
    in XLSX or written once then blank in CSV) with sub-labels under it
    ("Ngân sách TW | Tín dụng | Nhân dân"): each sub-label names the column,
    and takes the group label's unit when it has none of its own. The
    province/year cells of the second row must be blank or repeat the header
    (a vertical merge).
    """
    fixed = [c.index for c in cols if c.role in ("province", "province_code", "year")]
    for i in fixed:
        v = nxt[i] if i < len(nxt) else ""
        if not (blank(v) or cell_text(v) == cell_text(header[i])):
            return None
    subs: dict[int, str] = {}
    for i, v in enumerate(nxt):
        if i in fixed or blank(v):
            continue
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return None
        text = cell_text(v)
        try:
            parse_number(text)
            return None  # a number: the row is data
        except NumberFormatError:
            pass
        if i < len(header) and cell_text(header[i]) == text:
            continue  # a vertically merged header cell
        subs[i] = text
    if not subs:
        return None
    spans = any(blank(header[i]) if i < len(header) else True for i in subs) or any(
        i + 1 < len(header) and not blank(header[i]) and cell_text(header[i]) == cell_text(header[i + 1])
        for i in subs)
    known = any(describe(t)[0] not in (None, *ROLES) for t in subs.values())
    if not (spans or known):
        return None
    out = []
    width = max(len(header), len(nxt))
    for i in range(width):
        if i not in subs:
            out.append(cols[i] if i < len(cols) else Column(i, "", None))
            continue
        parent, j = "", i
        while j >= 0 and not parent:
            if j < len(header) and not blank(header[j]) and j not in fixed:
                parent = cell_text(header[j])
            j -= 1
        sub = subs[i]
        unit_text = next((p for p in reversed(PARENS.findall(parent)) if unit_info(p) is not None), None)
        described = sub if (unit_text is None or describe(sub)[2]) else f"{sub} ({unit_text})"
        label = f"{parent} / {sub}" if parent and parent != sub else sub
        out.append(_column(i, label, describe(described)))
    return out
