"""What a province report records for the renderer, and what the renderer does with it after a run.

In the kernel, the notebook's last cell calls :func:`record`: it glues (:mod:`ntm_analysis.glue`) the record of
every table the report showed or kept (:class:`~ntm_analysis.report.display.Show`), the notes sheet, and the
index summary (the key figures in the report's language). In the renderer's worker, :func:`after_run` reads those
values back from the executed notebook and writes the downloads: no table is recomputed, no data is read, pandas
is not imported.
"""
from __future__ import annotations

from ntm_analysis.data import variables
from ntm_analysis.glue import glue, read_glue

#: Glue names.
TABLES = "report_tables"
SUMMARY = "report_summary"
#: The index's summary columns: key → variable of the key figures.
SUMMARY_FIGURES = {"income": variables.INCOME, "poverty_income_line": variables.POVERTY_LINE,
                   "poverty_multidimensional": variables.POVERTY_MULTI, "population": variables.POPULATION}


def summary(key_figures, lang: str) -> dict:
    """The index's key figures of a report, from its key-figures table (:func:`ntm_analysis.report.tables.key_figures`,
    as shown, rows a researcher dropped included out), in the report's language: "3,200 (2023, preliminary)" per
    figure; several provinces are named; the 2025 aggregate comes first."""
    from ntm_analysis import i18n  # noqa: PLC0415

    df = key_figures.frame
    several = df.loc[df["geography"] == "province", "place_code"].nunique() > 1
    out = {}
    for key, variable in SUMMARY_FIGURES.items():
        parts = []
        rows = df[df["variable"] == variable]
        rows = rows.iloc[sorted(range(len(rows)), key=lambda i: rows["geography"].iloc[i] != "aggregate")]
        for r in rows.to_dict("records"):
            prefix = (i18n.label("geography", "aggregate", lang) + ": " if r["geography"] == "aggregate"
                      else f"{r['place']}: " if several else "")
            value = r["value"]
            if value is None or value != value:
                if r["geography"] == "province":
                    parts.append(prefix + "—")
                continue
            flag = f", {i18n.label('status', 'preliminary', lang)}" if r["status"] == "preliminary" else ""
            dec = key_figures.decimals("value", r)
            parts.append(f"{prefix}{i18n.fmt_number(value, lang, dec)} ({int(r['year'])}{flag})")
        out[key] = "; ".join(parts)
    return out


def record(show) -> None:
    """Glue every table ``show`` kept (with the notes sheet) and the index summary (the last cell of a report)."""
    from ntm_analysis.report import downloads, text  # noqa: PLC0415

    ctx = show.ctx
    records = [t.record() for t in show.tables.values()]
    records.append(downloads.notes_record(records, text.title(ctx), ctx.params.to_notebook_parameters(), ctx.lang))
    glue(TABLES, records)
    glue(SUMMARY, summary(show.tables["key_figures"], ctx.lang) if "key_figures" in show.tables else {})


def after_run(nb, job) -> dict:
    """After a successful run, in the worker: write the report's downloads (``job.downloads``; nothing when "")
    from the tables the notebook glued, atomically, and return the index summary. Raises when the notebook
    recorded no tables (its last cell did not run :func:`record`)."""
    from ntm_analysis.report import downloads  # noqa: PLC0415

    values = read_glue(nb)
    if TABLES not in values:
        raise ValueError(f"the executed notebook recorded no '{TABLES}': its last cell must call "
                         "ntm_analysis.report.publish.record(show)")
    if getattr(job, "downloads", ""):
        downloads.write_downloads(values[TABLES], job.params.stem, job.downloads)
    return values.get(SUMMARY, {})
