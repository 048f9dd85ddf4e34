"""A report's tables to download: one CSV per table and one Excel workbook, written from the tables' records.

A record (:meth:`ntm_analysis.report.columns.ReportTable.record`) is plain data: the table's id, title and CSV
name, each column's header, description, unit and source in the report's language, and rows of plain values.
The notebook glues the records of every table it showed (:mod:`ntm_analysis.report.publish`); the renderer's
worker writes the files from them with the ``csv`` module and openpyxl, without recomputing anything:

* ``<folder>/<stem>/<table>.csv`` — UTF-8 with a byte-order mark (so Excel recognises the encoding and shows
  Vietnamese correctly), comma-separated, decimal point, one header row; a gap is an empty cell;
* ``<folder>/<stem>.xlsx`` — one sheet per table (numbers stay numbers) plus a notes sheet giving the unit,
  description and source of every column of every table.

Both are inert (:mod:`ntm_analysis.report.spreadsheet_safe`): a text a spreadsheet would run as a formula is a
text cell in the workbook and starts with ``'`` in the CSV.

``<folder>`` is ``<vintage dir>/downloads``, so a report at ``reports/<stem>.html`` links them as
``../downloads/…`` (:func:`links_html`). Nothing is filled, interpolated or rounded.
"""
from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import markupsafe

from ntm_analysis import i18n
from ntm_analysis.report.spreadsheet_safe import inert, inert_cell

#: The byte-order mark every CSV starts with.
BOM = "\ufeff"
CSV_ENCODING = "utf-8-sig"
NOTES_ID = "notes"
NOTES_COLUMNS = ["table", "csv_file", "column", "column_id", "description", "units", "sources"]


def notes_record(records: list[dict], title: str, params: dict, lang: str) -> dict:
    """The notes sheet's record: general notes, then every column of every table with its description, units and
    sources."""
    general = [i18n.t("note_about", lang, title=title), i18n.t("note_gaps", lang), i18n.t("note_csv", lang),
               i18n.t("note_params", lang, params=json.dumps(params, ensure_ascii=False, sort_keys=True))]
    rows = [["", "", "", "", g, "", ""] for g in general]
    for t in records:
        if not t["rows"]:
            rows.append([t["title"], t["csv"], "", "", i18n.t("note_none", lang), "", ""])
        for c in t["columns"]:
            rows.append([t["title"], t["csv"], c["header"], c["id"], c["description"], c["unit"], c["source"]])
    columns = [{"id": c, "header": i18n.column(c, lang)[0], "description": i18n.column(c, lang)[1], "unit": "",
                "source": ""} for c in NOTES_COLUMNS]
    return {"id": NOTES_ID, "title": i18n.table_title(NOTES_ID, lang), "csv": f"{NOTES_ID}.csv",
            "columns": columns, "rows": rows}


def csv_bytes(record: dict) -> bytes:
    """The table as CSV: UTF-8 with BOM, comma-separated, decimal point; gaps are empty cells."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([inert(c["header"]) for c in record["columns"]])
    writer.writerows([["" if v is None else inert(v) for v in row] for row in record["rows"]])
    return buf.getvalue().encode(CSV_ENCODING)


def xlsx_bytes(records: list[dict]) -> bytes:
    """One workbook: a sheet per table (the last one the notes), headers in bold, columns sized to fit, numbers
    as numbers."""
    from openpyxl import Workbook  # noqa: PLC0415
    from openpyxl.styles import Font  # noqa: PLC0415
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    for t in records:
        ws = wb.create_sheet(t["title"][:31])
        ws.append([c["header"] for c in t["columns"]])
        for cell in ws[1]:
            cell.font = bold
        for row in t["rows"]:
            ws.append(row)
        for cells in ws.iter_rows():
            for cell in cells:
                inert_cell(cell)
        for i, c in enumerate(t["columns"], start=1):
            width = max([len(str(c["header"]))] + [len(str(r[i - 1])) for r in t["rows"] if r[i - 1] is not None])
            ws.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 8), 60)
        ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def download_paths(stem: str, folder: str | os.PathLike) -> tuple[Path, Path]:
    """The CSV folder and the workbook of the report ``stem`` under ``folder`` (``<vintage dir>/downloads``)."""
    return Path(folder) / stem, Path(folder) / f"{stem}.xlsx"


def write_downloads(records: list[dict], stem: str, folder: str | os.PathLike) -> list[Path]:
    """Write the tables ``records`` (the notes last) to ``folder``: ``<stem>/<table>.csv`` for each, and
    ``<stem>.xlsx``; each file atomically. CSV files of tables the report no longer has are removed. Returns the
    paths written."""
    from ntm_analysis import atomic  # noqa: PLC0415

    csv_dir, xlsx = download_paths(stem, folder)
    written = []
    for t in records:
        path = csv_dir / t["csv"]
        atomic.write_bytes(path, csv_bytes(t))
        written.append(path)
    for old in csv_dir.glob("*.csv"):
        if old not in written:
            old.unlink()
    atomic.write_bytes(xlsx, xlsx_bytes(records))
    written.append(xlsx)
    return written


def links_html(stem: str, tables: list[tuple[str, str]], lang: str) -> markupsafe.Markup:
    """HTML list of a report's downloads (``tables``: (id, title) in order, the notes last), linked relative to
    ``reports/<stem>.html`` (``../downloads/…``)."""
    tables = [*tables, (NOTES_ID, i18n.table_title(NOTES_ID, lang))]
    csv_links = markupsafe.Markup(" · ").join(
        markupsafe.Markup('<a href="../downloads/{}/{}.csv">{}</a>').format(stem, i, title) for i, title in tables)
    return markupsafe.Markup(
        '<ul class="ntm-downloads"><li><a href="../downloads/{stem}.xlsx"><code>{stem}.xlsx</code></a>: {wb}</li>'
        "<li>{csv}: {links}</li></ul>").format(stem=stem, wb=i18n.t("dl_workbook", lang), csv=i18n.t("dl_csv", lang),
                                                links=csv_links)
