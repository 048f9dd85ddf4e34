"""What is wrong with a table: :class:`Problem` (one finding, located by file, sheet, row and column),
:class:`TableReadError` (the file cannot be read as a table at all) and the :class:`Collector` that keeps problems in
file order, each attached to the figures it concerns, and the notes (severity "note"): what the reader did that the
user should know (a percent-formatted cell read as its percentage, a row-number column or a total row set aside, a
value's qualifier, a row's status), so that nothing is changed silently."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the table: where (file, row, column), the value as written, what was expected.

    ``row`` is the row number a spreadsheet user sees (header row of a plain
    table = 1); ``severity`` is "error" (the value cannot be used as it is),
    "warning" (kept and usable, but not checked or worth a look) or "note"
    (read as the message says, listed so that nothing changes silently; see
    :attr:`ntm_analysis.intake.Table.notices`); ``sheet`` names the XLSX sheet
    (``None`` for a CSV).
    """

    file: str
    row: int | None
    column: str | None
    value: str
    message: str
    expected: str
    severity: str = "error"
    sheet: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}"
        if self.sheet is not None:
            where += f" [sheet {self.sheet!r}]"
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column {self.column!r}"
        if self.severity == "note":
            tail = f" (value {self.value!r})" if self.value else ""
            return f"{where}: note: {self.message}{tail}"
        return f"{where}: {self.severity}: {self.message} (value {self.value!r}; expected {self.expected})"


class TableReadError(ValueError):
    """The file cannot be read as a table at all; ``path`` and ``reason`` say which and why."""

    def __init__(self, path: object, reason: str):
        self.path, self.reason = str(path), reason
        super().__init__(f"{path}: {reason}")


class Collector:
    """Problems in file order, each attached to the output records it concerns."""

    def __init__(self, file: str, sheet: str | None = None):
        self.file, self.sheet = file, sheet
        self.problems: list[Problem] = []
        self.deferred: list[Problem] = []
        self.notices: list[Problem] = []
        self._seen: set[tuple] = set()

    def note(self, row: int | None, column: str | None, value: object, message: str) -> None:
        """Record what the reader did with a cell, row or column (severity "note"); the figures are not flagged."""
        text = "" if value is None else str(value)
        self.notices.append(Problem(self.file, row, column, text, message, "", "note", self.sheet))

    def add(self, records: list[dict], row: int | None, column: str | None, value: object, message: str,
            expected: str, severity: str = "error", defer: bool = False) -> None:
        for rec in records:
            if message not in rec["_problems"]:
                rec["_problems"].append(message)
        key = (row, column, message)
        if key in self._seen:
            return
        self._seen.add(key)
        text = "" if value is None else str(value)
        (self.deferred if defer else self.problems).append(
            Problem(self.file, row, column, text, message, expected, severity, self.sheet))


def rows_text(rows: list[int], word: str | None = None) -> str:
    shown = ", ".join(str(r) for r in rows[:5]) + (", …" if len(rows) > 5 else "")
    if word is not None:
        return shown
    return ("row " if len(rows) == 1 else "rows ") + shown
