"""The researcher's own figures in a province report: the NTM section's table of the user's rows.

A report given user tables (``ntm render --with my_table.xlsx``, or tables in ``<data_dir>/user/``; see
:attr:`ntm_analysis.report.params.ReportParams.user_files`) shows its provinces' rows of them
(:attr:`ReportContext.user`, resource measures of their own such as ``user:resources_total``) in a table of
their own, ``ntm_user``, after the province's published NTM figures: each row marked as the user's, with the
file, sheet, row and column it comes from, its qualifier and status, and the figure per person by the same
population rule as the published totals. Nothing of it is summed with, or merged into, a published figure.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ntm_analysis import i18n
from ntm_analysis.analyses.resource_measures import measure_info
from ntm_analysis.i18n import MarkdownText
from ntm_analysis.report.columns import ReportTable
from ntm_analysis.report.context import ReportContext

#: Columns of the ``ntm_user`` table.
COLUMNS = ["place_code", "place", "user_measure", "user_measure_id", "period", "user_value", "unit", "qualifier",
           "user_per_person", "user_status", "user_source", "source_file", "source_row", "note"]


def has_user_tables(ctx: ReportContext) -> bool:
    """True when the report was given user tables (whether or not they have rows of its provinces)."""
    return bool(ctx.params.user_files)


def intro(ctx: ReportContext) -> MarkdownText:
    """One sentence: whose figures these are, from which files, how many of this province."""
    files = ", ".join(Path(f).name for f in ctx.params.user_files)
    if not len(ctx.user):
        return i18n.markdown("user_none", ctx.lang, files=files)
    return i18n.markdown("user_figures", ctx.lang, files=files, n=len(ctx.user))


def ntm_user(ctx: ReportContext) -> ReportTable:
    """The members' rows of the user's tables: measure, period, value as given, unit, qualifier, per person,
    status and the file, sheet, row and column (``user_source``); the note says how the period was read."""
    u = ctx.user
    out = pd.DataFrame({
        "place_code": u["code"].astype(str), "place": u["name"].astype(str),
        "user_measure": [measure_info(m)["label"] for m in u["measure"]], "user_measure_id": u["measure"].astype(str),
        "period": u["period_label"].astype(str), "user_value": u["value"].astype(float),
        "unit": u["unit"].astype(str), "qualifier": u["qualifier"].astype(str),
        "user_per_person": pd.to_numeric(u["per_capita_million_vnd"], errors="coerce").astype(float),
        "user_status": u["status"].astype(str),
        "user_source": [n.split("; ")[0] for n in u["note"].astype(str)],
        "source_file": u["source_file"].astype(str), "source_row": u["source_row"].astype("int64"),
        "note": ["; ".join(n.split("; ")[1:]) for n in u["note"].astype(str)]}, columns=COLUMNS)
    hidden = ({"place_code", "place"} if len(ctx.members) == 1 else {"place_code"}) | {"user_measure_id", "source_file",
                                                                                        "source_row"}
    return ReportTable("ntm_user", out.reset_index(drop=True), ctx.lang, hidden=hidden)
