"""Checks over rows and the whole frame: a CSV row's shape (cells missing or beyond the header, an unclosed quote),
a rate outside 0–100 or a negative amount, mixed units in one column or variable, percent-formatted and plain
numbers in one column or variable, duplicate figures."""
from __future__ import annotations

import math
from collections import Counter

import pandas as pd

from ntm_analysis.intake.files import blank
from ntm_analysis.intake.frame import FrameBuilder
from ntm_analysis.intake.problems import rows_text
from ntm_analysis.intake.quantities import unit_info
from ntm_analysis.intake.rows import PERCENT_FORMATTED, PLAIN


def check_row_shape(out, recs, rownum, cells, cols, n_header, src) -> None:
    """A CSV row with fewer cells than the header, cells beyond the last header column, or a cell over several
    lines (an unclosed quote)."""
    if rownum in src.spans:
        first, last = src.spans[rownum]
        j = next(i for i, c in enumerate(cells) if "\n" in c or "\r" in c)
        column = cols[j].header if j < len(cols) else f"(column {j + 1}, no header)"
        swallowed = [ln for ln in cells[j].splitlines()[1:] if src.delimiter in ln]
        if swallowed:
            lines = f"line {last}" if last == first + 1 else f"lines {first + 1}–{last}"
            rows = "1 more row" if len(swallowed) == 1 else f"{len(swallowed)} more rows"
            out.add(recs, rownum, column, cells[j],
                    f"a quote (\") opened in this cell closes only on file line {last}: {lines} "
                    f"(holding {rows}) read into this one cell",
                    "a closing quote in the same cell; quote a cell only when it holds the delimiter or a line break")
        else:
            out.add(recs, rownum, column, cells[j], f"the cell runs over file lines {first}–{last}",
                    "one line per cell", "warning")
    if len(cells) < n_header:
        missing = [c.header or f"(column {c.index + 1})" for c in cols[len(cells):]]
        out.add(recs, rownum, missing[0], "",
                f"the row has {len(cells)} cells but the header has {n_header}: no cell for "
                + ", ".join(repr(m) for m in missing),
                "one cell per header column (a missing delimiter, or cells shifted to the left?)")
    extra = [c for c in cells[n_header:] if not blank(c)]
    if extra:
        out.add(recs, rownum, f"(column {n_header + 1}, no header)", src.delimiter.join(cells[n_header:]),
                f"the row has {len(cells)} cells but the header has {n_header}: {len(extra)} filled cells beyond "
                "the last header column", "one cell per header column (an unquoted delimiter inside a cell, or "
                                          "cells shifted to the right?)")


def check_range(out, r) -> None:
    """A rate outside 0–100 or a negative amount/count (reported after the unit checks)."""
    v = r["value"]
    if isinstance(v, float) and math.isnan(v):
        return
    info = unit_info(r["unit"])
    dim = info.dimension if info else None
    if dim == "%" or (r["_kind"] == "rate" and r["unit"] is None):
        if not 0 <= v <= 100:
            out.add([r], r["source_row"], r["source_column"], r["value_input"], f"rate {v:g} outside 0–100",
                    "a percentage between 0 and 100", defer=True)
    elif v < 0 and (dim in ("VND", "persons", "communes", "districts", "households", "provinces")
                    or r["_kind"] in ("money", "count")):
        kind = "amount of money" if dim == "VND" or r["_kind"] == "money" else "count"
        out.add([r], r["source_row"], r["source_column"], r["value_input"],
                f"negative {kind} {v:g}" + (f" {r['unit']}" if r["unit"] else ""), "a value of 0 or more",
                defer=True)


def check_mixed_units(out, frame: pd.DataFrame, builder: FrameBuilder, layout: str, flags) -> None:
    """Cells that brought their own unit into a column with none, or a long table's variable in two units."""
    if frame.empty or not frame["unit"].notna().any():
        return
    if layout == "wide":
        keys = pd.Series(builder.col_index, index=frame.index)
        sel = pd.Series(list(builder.unit_fixed), index=frame.index) == 0
    else:
        keys = frame["variable"]
        sel = keys.notna()
    with_unit_keys = set(keys[sel & frame["unit"].notna()])
    if not with_unit_keys:
        return
    rows = frame[sel & keys.isin(with_unit_keys)]
    for key, g in rows.groupby(keys[rows.index], sort=False):
        recs = [(i, r, None if pd.isna(r.unit) else r.unit) for i, r in zip(g.index, g.itertuples(index=False))]
        has_value = {i: not math.isnan(r.value) for i, r, _ in recs}
        units = Counter(u for _, _, u in recs if u is not None)
        without = [i for i, _, u in recs if u is None and has_value[i]]
        if not units or (len(units) == 1 and not without):
            continue
        ref = units.most_common(1)[0][0]
        ref_rows = sorted({r.source_row for _, r, u in recs if u == ref})
        what = "column" if layout == "wide" else f"variable {recs[0][1].variable!r}"
        for i, r, u in recs:
            if u == ref or (u is None and not has_value[i]):
                continue
            shown = rows_text(ref_rows)
            if u is None:
                msg = f"mixed units in one {what}: no unit here, but {shown} say {ref}"
            else:
                msg = f"mixed units in one {what}: {u} here, {ref} in {shown}"
            flags.setdefault(i, []).append(msg)
            out.add([], r.source_row, r.source_column, r.value_input, msg, f"one unit for the whole {what} ({ref})")


def check_duplicates(out, frame: pd.DataFrame, layout: str, province_header: str, flags) -> None:
    """Two figures for one (province, year, variable). In a wide table a repeated province-year row is
    reported once per row (naming the variables), not once per cell."""
    keys = ["province_code", "year", "variable"]
    if frame.empty:
        return
    mask = frame[keys].notna().all(axis=1)
    sub = frame.loc[mask, keys]
    dup = sub.duplicated(keys, keep=False)
    if not dup.any():
        return
    d = frame.loc[dup[dup].index]
    by_row: dict[tuple, list[tuple[int, object, str]]] = {}
    for (_, year, variable), g in d.groupby(keys, sort=False):
        recs = list(zip(g.index, g.itertuples(index=False)))
        # Linear in the group's size: each figure names at most the first _SHOWN others (rows_text adds "…").
        head = recs[:_SHOWN + 2]
        per_row = Counter(r.source_row for _, r in recs)
        for i, r in recs:
            others = [o for j, o in head if j != i][:_SHOWN + 1]
            if layout == "wide" and per_row[r.source_row] == 1:
                by_row.setdefault((r.source_row, tuple(o.source_row for o in others)), []).append((i, r, variable))
                continue
            where = ", ".join(f"row {o.source_row} column {o.source_column!r}" for o in others[:_SHOWN])
            if len(recs) - 1 > _SHOWN:
                where += f", … ({len(recs) - 1} in all)"
            msg = f"duplicate ({r.province_name}, {year}, {variable}): also in {where}"
            flags.setdefault(i, []).append(msg)
            out.add([], r.source_row, r.source_column, r.value_input, msg, "one figure per province, year and variable")
    for (row, other_rows), items in by_row.items():
        r0 = items[0][1]
        variables = ", ".join(v for _, _, v in items)
        msg = (f"duplicate ({r0.province_name}, {r0.year}): {rows_text(list(other_rows))} has the same "
               f"province and year ({variables})")
        for i, _, _ in items:
            flags.setdefault(i, []).append(msg)
        out.add([], row, province_header, r0.province_input, msg, "one row per province and year")


#: How many other rows a duplicate's message names (rows_text shows five, then "…").
_SHOWN = 5


def check_percent_mix(out, frame: pd.DataFrame, builder: FrameBuilder, layout: str, flags) -> None:
    """XLSX cells formatted as percentages (read as the percentage shown) next to plain numbers in one column (a long
    table: one variable): each plain cell is a problem naming the percent-formatted cells, and every cell of both
    kinds is flagged, since a plain 0.35 could be a fraction or a percentage. Never combined silently."""
    fmt = pd.Series(list(builder.fmt), index=frame.index, dtype="int64")
    if not (fmt == PERCENT_FORMATTED).any():
        return
    keys = pd.Series(builder.col_index, index=frame.index).astype(str)
    if layout == "long":
        keys = keys + "|" + frame["variable"].astype("string").fillna("")
    sel = fmt.isin([PERCENT_FORMATTED, PLAIN])
    for _, g in frame[sel].groupby(keys[sel], sort=False):
        kinds = fmt[g.index]
        if kinds.nunique() < 2:
            continue
        pct = g[kinds == PERCENT_FORMATTED]
        plain = g[kinds == PLAIN]
        what = "column" if layout == "wide" else f"variable {g['variable'].iloc[0]!r}"
        pct_rows = rows_text(sorted(set(pct["source_row"])))
        plain_rows = rows_text(sorted(set(plain["source_row"])))
        for i, r in zip(plain.index, plain.itertuples(index=False)):
            msg = (f"plain number in a {what} whose cells in {pct_rows} are formatted as percentages (read as the "
                   f"percentage shown): is {r.value_input} a percentage or a fraction?")
            flags.setdefault(i, []).append(msg)
            out.add([], r.source_row, r.source_column, r.value_input, msg,
                    "every cell of the " + ("column" if layout == "wide" else "variable") + " formatted the same way "
                    "(all as percentages, or all as plain numbers in the header's unit)")
        for i in pct.index:
            flags.setdefault(i, []).append(f"percent-formatted cell in a {what} with plain numbers in {plain_rows}")
