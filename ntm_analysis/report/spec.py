"""The province report as a document of the render engine: :data:`DOCUMENT`, and its ``ntm render`` options.

Everything the engine needs to know about a province report and nothing it does itself: where a report's files
go, its title and language, its input digest (:func:`ntm_analysis.report.inputs.input_digests`), what a warm
kernel imports and preloads, what is done after a run (:func:`ntm_analysis.report.publish.after_run`: the index
summary and the downloads) and its row of the index (code, name, region, key figures, downloads; a search text
that finds the province in any spelling).

Output layout under the output folder (default ``outputs/``)::

    reports/<stem>.html           2008 geography (63 provinces)
    notebooks/<stem>.ipynb
    2025/reports/<stem>.html      2025 geography (34 provinces): a folder of its own,
    2025/notebooks/<stem>.ipynb   since slugs repeat across vintages ("lao-cai")
    [2025/]downloads/<stem>.xlsx  the report's tables: one workbook (a sheet per table and notes),
    [2025/]downloads/<stem>/*.csv and one CSV per table (see ntm_analysis.report.downloads)

``<stem>`` is :attr:`ReportParams.stem` (``lao-cai``, ``lao-cai.vi``, ``lao-cai.vi-real``).
"""
from __future__ import annotations

import argparse
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from ntm_analysis import i18n, paths
from ntm_analysis.data import geo
from ntm_analysis.report.params import FIELD_HELP, LANGS, PRICE_BASES, VINTAGES, ReportParams
from ntm_analysis.text import compact

DEFAULT_NOTEBOOK = paths.PROJECT_DIR / "notebooks" / "province_report.ipynb"

#: Modules a report imports; importing them once per warm kernel is most of a cold start. statsmodels: the linear
#: models only (``statsmodels.api`` would load every model family: ~26 MB and ~1.5 s more per kernel).
KERNEL_IMPORTS = ("pandas", "scipy.stats", "matplotlib", "matplotlib.pyplot", "seaborn",
                  "statsmodels.regression.linear_model", "IPython.display", "ntm_analysis", "ntm_analysis.report.tables", "ntm_analysis.report.display",
                  "ntm_analysis.report.figures", "ntm_analysis.report.publish", "ntm_analysis.models")

#: The index's columns for province reports: summary keys of :func:`ntm_analysis.report.publish.summary` (and the
#: row's own code, name, region), headed by the catalog's ``index_col_<key>``.
INDEX_KEYS = ("code", "name", "region", "income", "poverty_income_line", "poverty_multidimensional", "population",
              "ntm_share", "transfers_per_person")
#: The language of the English index (``index.html``); a report in another language is listed on that language's
#: index (``index.<lang>.html``, named by the engine).
INDEX_LANG = "en"
#: What the engine calls to draw the index's small maps (``site["extra"]``, see ``ntm_analysis.render.index``).
INDEX_MAPS = "ntm_analysis.report.index_maps:index_maps"


def index_columns(lang: str = INDEX_LANG) -> list[list[str]]:
    return [[k, i18n.t(f"index_col_{k}", lang)] for k in INDEX_KEYS]


#: The index page's own words: ``ntm_analysis.render.index.SITE_DEFAULTS`` key → catalog message.
SITE_MESSAGES = {"title": "index_site_title", "rendered": "index_rendered", "status": "index_status",
                 "notebook": "index_notebook", "downloads": "index_downloads", "ok": "index_ok",
                 "failed": "index_failed", "failures": "index_failures", "none": "index_none",
                 "report": "index_report", "failing_cell": "index_failing_cell", "message": "index_message",
                 "cell_source": "index_cell_source", "cell": "index_cell", "outside": "index_outside",
                 "filter_label": "index_filter_label", "filter_placeholder": "index_filter_placeholder",
                 "language_name": "index_language_name", "other_languages": "index_other_languages",
                 "nav": "index_nav", "empty": "index_empty", "filter_count": "index_filter_count",
                 "sort_hint": "index_sort_hint", "sort_button": "index_sort_button"}


def index_site(lang: str = INDEX_LANG, maps: bool = False) -> dict:
    """The words of the index page of ``lang``; with ``maps``, also the name of the function that draws its small
    maps (:data:`INDEX_MAPS`)."""
    return {**{key: i18n.t(message, lang) for key, message in SITE_MESSAGES.items()}, **({"extra": INDEX_MAPS} if maps else {})}


def index_note(lang: str = INDEX_LANG) -> str:
    return f"{i18n.t('index_note', lang)} {i18n.t('index_note_ntm', lang)}"


def vintage_dir(output: str | os.PathLike, vintage: int) -> Path:
    """The folder holding one vintage's ``reports/``, ``notebooks/`` and ``downloads/``."""
    return Path(output) if int(vintage) == 2008 else Path(output) / str(vintage)


def layout(params: ReportParams, output: str) -> dict:
    """Where the report's files go (the fields of ``ntm_analysis.render.spec.Layout``)."""
    base = vintage_dir(output, params.vintage)
    downloads = base / "downloads"
    return {"html": str(base / "reports" / f"{params.stem}.html"),
            "executed": str(base / "notebooks" / f"{params.stem}.ipynb"), "downloads": str(downloads),
            "extra": (str(downloads / f"{params.stem}.xlsx"), str(downloads / params.stem))}


def title(params: ReportParams) -> str:
    """The HTML page's title, in the report's language."""
    return i18n.t("doc_title", params.lang, name=params.place.name_short, vintage=params.vintage)


def html_lang(params: ReportParams) -> str:
    return params.lang


def data_files(data_dir: str | None) -> list[str]:
    """The data files every report reads, whose checksums tell the engine whether a recorded input digest still
    holds: the report's data files and the seed articles' figures (:func:`ntm_analysis.report.inputs.context_files`;
    an edit of the seed file alone must re-render the reports whose case study it changes), and every table of the
    data folder's ``user/`` (the researcher's own tables; :func:`ntm_analysis.report.inputs.user_folder_files`)."""
    from ntm_analysis.report.inputs import context_files, user_folder_files  # noqa: PLC0415 (imports pandas: only when the manifest lacks it)

    return context_files(data_dir) + user_folder_files(data_dir)


@dataclass(frozen=True)
class DataFilesWith:
    """The ``data_files`` of a province report given user tables: :func:`data_files` and the user's files (absolute
    paths), so that an edited user table invalidates the recorded input digests (the digests then hash each
    report's own rows of it). Picklable: a job crosses process boundaries."""

    user_files: tuple[str, ...]

    def __call__(self, data_dir: str | None) -> list[str]:
        from ntm_analysis.report.inputs import context_files  # noqa: PLC0415

        return context_files(data_dir) + sorted(set(self.user_files))


def document(user_files: tuple[str, ...] = ()) -> dict:
    """:data:`DOCUMENT`, or for reports that read user tables (``ntm render --with`` and the data folder's
    ``user/``, absolute paths) the same document whose data files are exactly those (:class:`DataFilesWith`) and
    whose name says which they are (``province_report+user:<hash of the paths>``): the engine reuses the data file
    list a previous render of the same document name recorded, so a set of user files is a document of its own and
    an edit of one of its files is seen."""
    if not user_files:
        return DOCUMENT
    files = tuple(sorted(set(user_files)))
    tag = hashlib.sha256("\0".join(files).encode()).hexdigest()[:12]
    return {**DOCUMENT, "name": f"{DOCUMENT['name']}+user:{tag}", "data_files": DataFilesWith(files)}


def preload(data_dir: str | None) -> None:
    """Run inside a warm kernel once per data folder: what every report reads, into the in-process caches."""
    from ntm_analysis.analyses.province_model import ModelUnavailable  # noqa: PLC0415
    from ntm_analysis.indicators import MeasureBreakError  # noqa: PLC0415
    from ntm_analysis.report import results  # noqa: PLC0415
    from ntm_analysis.report.context import ReportContext  # noqa: PLC0415
    from ntm_analysis.report.inputs import input_digest  # noqa: PLC0415

    ctx = ReportContext.load(ReportParams(data_dir=data_dir).validate())
    results.ranks(ctx)  # every province's ranks, computed once per data version
    input_digest(ctx.params)  # the shared part of every report's input digest
    try:
        results.model(ctx)  # the cross-province model, fitted once per data version
    except (ModelUnavailable, MeasureBreakError):
        pass  # each report states why it has no model; nothing to warm up
    from ntm_analysis.report.resources_section import headline_associations  # noqa: PLC0415

    headline_associations(data_dir)  # the resource associations, their robustness and verdicts, once per data version


def search_key(key: str, entry: dict) -> str:
    """What the index's filter box matches for one report: its code and every name of the province (official,
    short, English, slug, the look-up aliases such as "Daknong" or "HCMC") and, for a 2025 province, the names of
    the 2008 provinces it merged, each folded with :func:`ntm_analysis.text.compact`, separated by spaces.
    ``entry``: a manifest entry, or any dict with the report's ``metadata`` (:meth:`ReportParams.metadata`)."""
    meta = (entry or {}).get("metadata") or {}
    vintage, code = key.split("/")[:2]
    texts = [code, meta.get("province_name"), meta.get("province_name_short"), meta.get("province_name_en"),
             meta.get("slug")]
    aliases = getattr(geo, "_ALIASES", {})
    texts += [a for a, (v, c) in aliases.items() if c == code and v in (None, int(vintage))]
    for member in meta.get("constituents") or []:
        if member == code:
            continue
        try:
            p = geo.provinces_by_code(2008)[member]
        except KeyError:
            continue
        texts += [p.name, p.name_short, p.name_en, p.slug]
    return " ".join(dict.fromkeys(k for k in (compact(t) for t in texts if t) if k))


def index_row(params: ReportParams, maps: bool = False) -> dict:
    """The report's row of the index of its language (see ``ntm_analysis.render.spec.DocumentSpec.index_row``),
    with the words of every language's index page (``sites``: an English render alone writes a Vietnamese index
    that says how to render its reports); with ``maps``, the index pages show the small maps
    (:func:`index_row_with_maps`)."""
    meta = params.metadata()
    place = params.place
    lang = params.lang
    rel = vintage_dir("", params.vintage) / "downloads"
    group = {"id": f"provinces-{params.vintage}", "title": i18n.t(f"index_group_{params.vintage}", lang),
             "order": 10 if params.vintage == 2008 else 20, "columns": index_columns(lang),
             "note": index_note(lang), "site": index_site(lang, maps)}
    variant = "-".join(p for p in params.variant.split("-") if p != lang)  # the language is the page's own
    return {"lang": lang, "group": group, "name": place.name_short + (f" ({variant})" if variant else ""),
            "sort": [place.code, params.variant], "search": search_key(params.key, {"metadata": meta}),
            "values": {"code": place.code, "region": place.region_vi if lang == "vi" else place.region},
            "sites": {other: index_site(other, maps) for other in LANGS},
            "downloads": [["XLSX", (rel / f"{params.stem}.xlsx").as_posix()], ["CSV", (rel / params.stem).as_posix()]]}


def index_row_with_maps(params: ReportParams) -> dict:
    """:func:`index_row` with the index's small maps (``ntm render`` composes it, see :func:`requests_from_args`:
    the maps take seconds to draw per language and data version, which a library ``render()`` call, e.g. a test,
    need not pay)."""
    return index_row(params, maps=True)


#: The province report as the render engine sees it: the fields of ``ntm_analysis.render.spec.DocumentSpec`` (a
#: mapping, so the report layer does not import the engine; ``ntm_analysis.cli`` composes the two).
DOCUMENT = {
    "name": "province_report", "notebook": str(DEFAULT_NOTEBOOK), "layout": layout, "title": title,
    "index_row": index_row, "input_digests": "ntm_analysis.report.inputs:input_digests", "data_files": data_files,
    "kernel_imports": KERNEL_IMPORTS, "preload": "ntm_analysis.report.spec:preload",
    "after_run": "ntm_analysis.report.publish:after_run", "html_lang": html_lang,
}


# --- ntm render: the report's options ---------------------------------------------------------------------------
def add_options(p: argparse.ArgumentParser) -> None:
    """The province report's options of ``ntm render`` (help from the parameter contract)."""
    d = ReportParams()
    p.add_argument("--province", action="append", metavar="NAME", help=FIELD_HELP["province"] + "; repeatable")
    p.add_argument("--vintage", type=int, choices=VINTAGES, default=d.vintage, help=FIELD_HELP["vintage"])
    p.add_argument("--price-basis", choices=PRICE_BASES, default=d.price_basis, help=FIELD_HELP["price_basis"])
    p.add_argument("--year-start", type=int, default=d.year_start, help=FIELD_HELP["year_start"])
    p.add_argument("--year-end", type=int, default=d.year_end, help=FIELD_HELP["year_end"])
    p.add_argument("--data-dir", default=d.data_dir, help=FIELD_HELP["data_dir"])
    p.add_argument("--lang", choices=LANGS, default=d.lang, help=FIELD_HELP["lang"])
    p.add_argument("--show-code", action="store_true", default=d.show_code, help=FIELD_HELP["show_code"])
    p.add_argument("--with", dest="with_tables", action="append", metavar="TABLE", default=None,
                   help=FIELD_HELP["user_tables"] + "; repeatable")
    p.add_argument("--notebook", default=None, help=argparse.SUPPRESS)  # another province notebook (tests)


def requests_from_args(args: argparse.Namespace, every_province: bool = False, index_maps: bool = False) -> list[tuple]:
    """``(spec, validated params)`` for every requested province (all of the vintage with ``every_province``; the
    index pages with their small maps with ``index_maps``); raises
    :class:`ntm_analysis.report.params.ParameterError` before any kernel starts."""
    names = [p.code for p in geo.provinces(args.vintage)] if every_province else (args.province or [])
    user_tables = tuple(os.path.abspath(t) for t in (getattr(args, "with_tables", None) or ()))
    common = {"vintage": args.vintage, "price_basis": args.price_basis, "year_start": args.year_start,
              "year_end": args.year_end, "data_dir": args.data_dir, "lang": args.lang, "show_code": args.show_code,
              "user_tables": user_tables}
    from ntm_analysis.analyses.user_resources import user_folder_files  # noqa: PLC0415

    spec = document(user_tables + tuple(str(p.resolve()) for p in user_folder_files(args.data_dir)))
    spec = {**spec, "notebook": str(args.notebook)} if args.notebook else spec
    spec = {**spec, "index_row": index_row_with_maps} if index_maps else spec
    return [(spec, ReportParams(province=name, **common).validate()) for name in names]
