"""The one display layer of the province report: a :class:`~ntm_analysis.report.columns.ReportTable` to HTML in
the report's language, and :class:`Show`, what the notebook calls to show a table, a paragraph or a figure.

Each cell is formatted by its column's kind (``columns.yml``): numbers with :func:`ntm_analysis.i18n.fmt_number`
(right-aligned), codes by their label (:func:`ntm_analysis.i18n.label`), units by :func:`ntm_analysis.i18n.unit`,
sources (publisher and table in the report's language) linked and marked ``<cite>``, quotes as ``<q>``; every data-derived string is
HTML-escaped (markupsafe) before it is placed in markup. The table itself is laid out by pandas' ``Styler``
(hidden index, per-column alignment, the ``ntm-table`` class).
"""
from __future__ import annotations

import markupsafe
import pandas as pd
from pandas.io.formats.style import Styler

from ntm_analysis import i18n
from ntm_analysis.report.columns import ReportTable, is_missing, spec_of

Markup = markupsafe.Markup
escape = markupsafe.escape
RIGHT = ("number", "integer", "year")


def url_of(value: object) -> str | None:
    """The URL at the start of a source's URL field ("http://… (GSO portal, as cited by …)" → "http://…")."""
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        return None
    return value.split()[0]


def _cite(name: object, lang: str) -> Markup:
    """A source (its publisher and table, already in the report's language: :mod:`ntm_analysis.report.sources`),
    marked as the name of a work."""
    return Markup("<cite>{}</cite>").format(name)


def cell(table: ReportTable, col: str, row: dict) -> Markup:
    """The HTML of one cell, by its column's kind, in the table's language."""
    value, lang = row[col], table.lang
    kind = table.kind(col)
    spec = spec_of(col)
    if kind == "source":
        names = [v for v in (value if isinstance(value, (list, tuple)) else [value]) if not is_missing(v) and str(v)]
        inner = Markup("; ").join(_cite(n, lang) for n in names)
        href = url_of(row.get(spec.get("url_column"))) if spec.get("url_column") else None
        return Markup('<a href="{}" rel="noopener">{}</a>').format(href, inner) if href and inner else inner
    if isinstance(value, (list, tuple)):
        return escape("; ".join(str(v) for v in value))
    if kind == "bool":
        if is_missing(value):
            return escape(i18n.t(spec["missing"], lang)) if spec.get("missing") else Markup("")
        return escape(i18n.label("bool", str(bool(value)), lang))
    if is_missing(value):
        return escape("—") if kind in ("number", "integer") else Markup("")
    if kind == "number":
        text = i18n.fmt_number(value, lang, table.decimals(col, row))
        return escape(("+" if spec.get("signed") and float(value) > 0 else "") + text)
    if kind == "integer":
        return escape(i18n.fmt_number(value, lang, 0))
    if kind == "year":
        return escape(str(int(value)))
    if kind == "code":
        return escape(i18n.label(table.label_kind(col), value, lang))
    if kind == "unit":
        return escape(i18n.unit(value, lang))
    if kind == "quote":
        href = url_of(row.get(spec.get("url_column")))
        cite = Markup(' cite="{}"').format(href) if href else Markup("")
        return Markup('<q class="ntm-quote" lang="en"{}>{}</q>').format(cite, value)
    if kind == "url":
        href = url_of(value)
        return (Markup('<a href="{}" rel="noopener">{}</a>').format(href, i18n.t("source_link", lang)) if href
                else escape(value))
    if not spec and isinstance(value, (int, float)) and not isinstance(value, bool):  # a column added in the notebook
        return escape(i18n.fmt_number(value, lang, 0 if float(value).is_integer() else 2))
    return escape(value)


def table_html(table: ReportTable, where: str | None = None, uuid: str | None = None) -> Markup:
    """``table`` as an HTML table in its language: the shown columns (:meth:`ReportTable.shown_columns`), the rows
    where the boolean column ``where`` is true (all rows when None); the table's "empty" message when there is
    no row."""
    df = table.frame
    if where is not None:
        df = df[df[where].fillna(False).astype(bool)]
    if df.empty:
        key = table.empty or "note_none"
        return (i18n.html(key, table.lang) if i18n.kind(key) == "html"
                else Markup("<p>{}</p>").format(i18n.t(key, table.lang)))
    records = df.to_dict("records")
    cols = [c for c in table.shown_columns() if not (spec_of(c).get("hide_if_empty")
                                                     and all(is_missing(r[c]) or r[c] == "" for r in records))]
    shown = pd.DataFrame({c: [str(cell(table, c, r)) for r in records] for c in cols}, columns=cols)
    right = [c for c in cols if table.kind(c) in RIGHT or (not spec_of(c) and pd.api.types.is_numeric_dtype(df[c])
                                                            and not pd.api.types.is_bool_dtype(df[c]))]
    styler = (Styler(shown, uuid=uuid or f"ntm_{table.id}", cell_ids=False)
              .hide(axis="index")
              .relabel_index([str(escape(table.shown_header(c))) for c in cols], axis="columns")
              .set_table_attributes('class="ntm-table"')
              # text left, numbers right (the table's id outranks the notebook theme's right-aligned cells)
              .set_table_styles([{"selector": "td, th", "props": "text-align: left;"}])
              .set_table_styles({c: [{"selector": "td", "props": "text-align: right;"},
                                     {"selector": "th", "props": "text-align: right;"}] for c in right},
                                overwrite=False))
    return Markup(styler.to_html())


class Show:
    """What a report notebook shows: ``show(table)`` displays a :class:`ReportTable` and keeps it for the
    downloads; ``show(markdown_or_html)`` displays text; ``show.data(table)`` keeps a table for the downloads
    without showing it (the numbers behind a figure). :func:`ntm_analysis.report.publish.record` glues what was
    kept."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.tables: dict[str, ReportTable] = {}

    def __call__(self, obj, where: str | None = None) -> None:
        from IPython.display import HTML, Markdown, display  # noqa: PLC0415

        if isinstance(obj, ReportTable):
            self.tables[obj.id] = obj
            display(HTML(str(table_html(obj, where))))
        elif isinstance(obj, Markup):
            display(HTML(str(obj)))
        elif isinstance(obj, str):
            if obj.strip():
                display(Markdown(obj))
        else:
            raise TypeError(f"show() takes a ReportTable, Markdown (i18n.MarkdownText) or HTML (markupsafe.Markup); "
                            f"got {type(obj).__name__}")

    def data(self, table: ReportTable) -> ReportTable:
        """Keep ``table`` for the downloads without showing it; returns it."""
        self.tables[table.id] = table
        return table

    def figure(self, fig) -> None:
        """Show a matplotlib figure as the report embeds it (PNG recording its texts and fonts)."""
        from IPython.display import display  # noqa: PLC0415

        from ntm_analysis.report.png import image  # noqa: PLC0415

        display(image(fig))


def _show_tables_as_the_report_does() -> None:
    """In IPython, a :class:`ReportTable` alone in a cell shows as the report shows it (a reviewer's ``key_figures``):
    registered with IPython's HTML formatter when this module is imported, so the table class itself needs no
    display code."""
    try:
        from IPython import get_ipython  # noqa: PLC0415
    except ImportError:  # pragma: no cover (IPython is a dependency)
        return
    shell = get_ipython()
    if shell is not None:
        shell.display_formatter.formatters["text/html"].for_type(ReportTable, lambda t: str(table_html(t)))


_show_tables_as_the_report_does()
