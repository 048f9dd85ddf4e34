"""The tidy long frame a table becomes (:data:`COLUMNS`), built in compact chunks so a large file never holds more
than one chunk of Python objects at a time."""
from __future__ import annotations

import pandas as pd

#: Columns of :attr:`Table.frame`, in order.
COLUMNS = ("province_code", "province_name", "province_input", "year", "variable", "value", "unit", "lower_bound",
           "upper_bound", "approximate", "qualifier", "status", "value_input", "note", "source", "source_file",
           "source_row", "source_column", "problem", "problem_detail")

_CHUNK_RECORDS = 50_000
#: Columns copied from a record as they are (unit, problem and problem_detail are derived in FrameBuilder.add).
_AS_IS = tuple(c for c in COLUMNS if c not in ("unit", "problem", "problem_detail"))
_TEXT_COLUMNS = ("province_code", "province_name", "province_input", "variable", "unit", "qualifier", "status",
                 "value_input", "note", "source", "source_file", "source_column", "problem_detail")


class FrameBuilder:
    """Collect records column by column and turn them into compact frame chunks every 50,000 records,
    so a large file never holds more than one chunk of Python objects at a time."""

    def __init__(self):
        self.chunks: list[pd.DataFrame] = []
        self._cols: dict[str, list] = {c: [] for c in COLUMNS}
        self.unit_fixed = bytearray()  # per record: the column fixes the unit (wide layout)
        self.col_index: list[int] = []  # per record: index of the source column
        self.fmt = bytearray()  # per record: rows.PERCENT_FORMATTED, rows.PLAIN or 0 (text with a unit, missing, …)
        self.n = 0

    def add(self, rec: dict) -> None:
        cols = self._cols
        for c in _AS_IS:
            cols[c].append(rec[c])
        cols["unit"].append(rec["unit"] if rec["unit"] is not None else pd.NA)
        cols["problem"].append(bool(rec["_problems"]))
        cols["problem_detail"].append("; ".join(rec["_problems"]))
        self.unit_fixed.append(1 if rec["_unit_fixed"] else 0)
        self.col_index.append(rec["_col"].index)
        self.fmt.append(rec["_fmt"])
        self.n += 1
        if len(cols["value"]) >= _CHUNK_RECORDS:
            self.flush()

    def flush(self) -> None:
        if self._cols["value"] or not self.chunks:
            self.chunks.append(frame_chunk(self._cols))
            self._cols = {c: [] for c in COLUMNS}

    def frame(self) -> pd.DataFrame:
        self.flush()
        chunks = [c for c in self.chunks if len(c)] or self.chunks[:1]
        self.chunks = []
        if len(chunks) == 1:
            return chunks[0]
        return pd.concat(chunks, ignore_index=True, copy=False)


def frame_chunk(cols: dict[str, list]) -> pd.DataFrame:
    df = pd.DataFrame({c: pd.array(cols[c], dtype="string") for c in _TEXT_COLUMNS}
                      | {"year": pd.array(cols["year"], dtype="Int64"),
                         "value": pd.array(cols["value"], dtype="float64"),
                         "source_row": pd.array(cols["source_row"], dtype="int64"),
                         "lower_bound": pd.array(cols["lower_bound"], dtype="bool"),
                         "upper_bound": pd.array(cols["upper_bound"], dtype="bool"),
                         "approximate": pd.array(cols["approximate"], dtype="bool"),
                         "problem": pd.array(cols["problem"], dtype="bool")})
    return df[list(COLUMNS)]
