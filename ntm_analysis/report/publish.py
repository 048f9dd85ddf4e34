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


#: The index's NTM columns: key → (measure of the report's resources table, its column, which of the measure's rows).
SUMMARY_NTM = {"ntm_share": ("communes_ntm_share", "share_pct", "latest"),
               "transfers_per_person": ("central_ntp_transfers_plan", "per_capita_million_vnd", "2016")}


def _parts(rows: list[dict], several: bool, lang: str, fmt) -> tuple[str, float | None]:
    """The shown text of one index column ("; "-joined, the 2025 aggregate first, each place named when there are
    several) and its machine sort key: the aggregate's value, else the one place's value; None when several places
    have figures of their own and none stands for the whole (a merged province without an aggregate)."""
    from ntm_analysis import i18n  # noqa: PLC0415

    rows = sorted(rows, key=lambda r: r["geography"] != "aggregate")
    parts, sort_value = [], None
    for r in rows:
        prefix = (i18n.label("geography", "aggregate", lang) + ": " if r["geography"] == "aggregate"
                  else f"{r['place']}: " if several else "")
        value = r["value"]
        if value is None or value != value:
            if r["geography"] == "province":
                parts.append(prefix + "—")
            continue
        if sort_value is None and (r["geography"] == "aggregate" or not several):
            sort_value = float(value)
        parts.append(prefix + fmt(r))
    return "; ".join(parts), sort_value


def summary(key_figures, lang: str, resources=None) -> dict:
    """The index's key figures of a report, in the report's language, from the tables as shown (rows a researcher
    dropped left out): "3,200 (2023, preliminary)" per figure of the key-figures table
    (:func:`ntm_analysis.report.tables.key_figures`); from the resources table
    (:func:`ntm_analysis.report.resources_section.measures_table`, when given) the latest share of communes meeting
    the NTM standard with its snapshot ("51.6 (mid-2025)") and the MOF's 2016 plan of central transfers for both
    national target programmes per person ("0.52 (2016)", million VND). Several provinces are named; the 2025
    aggregate comes first. ``sort_values`` holds each column's number for sorting (see :func:`_parts`)."""
    from ntm_analysis import i18n  # noqa: PLC0415

    df = key_figures.frame
    several = df.loc[df["geography"] == "province", "place_code"].nunique() > 1
    out, sort_values = {}, {}

    def key_figure(r):
        flag = f", {i18n.label('status', 'preliminary', lang)}" if r["status"] == "preliminary" else ""
        return f"{i18n.fmt_number(r['value'], lang, key_figures.decimals('value', r))} ({int(r['year'])}{flag})"

    for key, variable in SUMMARY_FIGURES.items():
        rows = df[df["variable"] == variable].to_dict("records")
        out[key], sort_values[key] = _parts(rows, several, lang, key_figure)
    if resources is not None:
        out.update(_ntm_columns(resources, lang, sort_values))
    out["sort_values"] = sort_values
    return out


def _ntm_columns(resources, lang: str, sort_values: dict) -> dict:
    """The NTM columns (:data:`SUMMARY_NTM`) from the report's resources table."""
    from ntm_analysis import i18n  # noqa: PLC0415
    from ntm_analysis.analyses.resource_measures import SNAPSHOTS  # noqa: PLC0415
    from ntm_analysis.report.resources_section import measure_period  # noqa: PLC0415

    df = resources.frame
    snapshots = {measure_period({"period_label": s}, lang): i for i, s in enumerate(SNAPSHOTS)}
    several = df["place_code"].nunique() > 1
    out = {}
    for key, (measure, column, which) in SUMMARY_NTM.items():
        if not {"place_code", "place", "resource_measure", "period", column} <= set(df.columns):
            continue  # a researcher dropped a column the index needs: no figure rather than a wrong one
        rows = []
        for code in dict.fromkeys(df["place_code"]):
            mine = df[(df["resource_measure"] == measure) & (df["place_code"] == code)]
            if which == "latest":  # the latest snapshot the province has a share at
                mine = mine[mine["period"].isin(snapshots) & mine[column].notna()]
                mine = mine.iloc[sorted(range(len(mine)), key=lambda i: snapshots[mine["period"].iloc[i]])][-1:]
            else:
                mine = mine[mine["period"] == i18n.period(which, lang)]
            place = df.loc[df["place_code"] == code, "place"].iloc[0]
            r = mine.iloc[0].to_dict() if len(mine) else {}
            rows.append({"geography": "province", "place": place, "value": r.get(column), "row": r})
        out[key], sort_values[key] = _parts(
            rows, several, lang,
            lambda r, c=column: f"{i18n.fmt_number(r['value'], lang, resources.decimals(c, r['row']))} "
                                f"({r['row']['period']})")
    return out


def record(show) -> None:
    """Glue every table ``show`` kept (with the notes sheet) and the index summary (the last cell of a report)."""
    from ntm_analysis.report import downloads, text  # noqa: PLC0415

    ctx = show.ctx
    records = [t.record() for t in show.tables.values()]
    records.append(downloads.notes_record(records, text.title(ctx), ctx.params.to_notebook_parameters(), ctx.lang))
    glue(TABLES, records)
    glue(SUMMARY, summary(show.tables["key_figures"], ctx.lang, show.tables.get("resources_province"))
         if "key_figures" in show.tables else {})


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
