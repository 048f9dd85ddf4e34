"""Tables and text of the per-province report (``notebooks/province_report.ipynb``).

The notebook stays thin: it builds a :class:`ReportContext` from its
parameters and calls the functions here for every table and paragraph, and
:mod:`ntm_analysis.report.figures` for every figure. Everything here returns values
(DataFrames, Markdown or HTML strings); nothing prints.

Data-derived text that ends up in HTML is escaped with :func:`html.escape`.
Gaps stay gaps: a year with no published figure is shown as missing, never
filled.
"""
from __future__ import annotations

import datetime as _dt
import html
import json
import platform
import re
import subprocess
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from ntm_analysis import __version__, i18n, paths
from ntm_analysis.data import geo
from ntm_analysis.data.ntm_provincial import NTM_REPORTS_FILE, load_ntm_reports
from ntm_analysis.data.panel import PANEL_FILES, REGISTRY_FILES, load_panel
from ntm_analysis.report.params import ReportParams
from ntm_analysis.data.sources import checksums
from ntm_analysis.indicators import aggregate_to_2025, rank_within, to_real
from ntm_analysis.data.datapoints import NTM_NATIONAL_FILE, load_ntm_national

#: Data files (relative to the data folder) a report reads: their checksums key the render cache.
DATA_FILES = sorted([f"raw/{f}" for f in PANEL_FILES + REGISTRY_FILES]
                    + [f"raw/{NTM_REPORTS_FILE}", f"raw/{NTM_NATIONAL_FILE}", "provenance.yml"])

#: Values in a report that change from one render to the next although the inputs do not.
#: Each is written as ``<span class="ntm-volatile" data-volatile="NAME">…</span>``; the
#: renderer's determinism check (and anyone diffing two reports) masks exactly these.
VOLATILE_FIELDS = {"rendered_at": "date and time the report was rendered (UTC)",
                   "data_file_checksum": "SHA-256 of a whole data file when the report was rendered: it changes "
                                       "when another province's figure in the same file changes, while the "
                                       "report's own input digest (which decides re-rendering) does not"}
VOLATILE_CLASS = "ntm-volatile"

INCOME = "income_per_capita_nominal"
POVERTY_LINE = "poverty_rate_gso_income_line"
POVERTY_MULTI = "poverty_rate_gso_multidimensional"
POPULATION = "population_total"
#: The national CPI runs to 2016: income of later years cannot be deflated with the shipped data.
CPI_VARIABLE = "cpi_prev_year_100"
#: Base year of income at constant prices.
REAL_BASE_YEAR = 2010
#: Variables aggregated to a merged 2025 province (population-weighted means; population summed).
AGGREGATED = ["income_per_capita_nominal", "poverty_rate_gso_income_line", "poverty_rate_gso_multidimensional",
              "population_total"]
#: Fewer reported NTM rows than this and the report adds the national context.
FEW_NTM_ROWS = 4

MEASURE_LABEL_KEYS = {"gso_income_line_2006_2010": "income_line_0610", "gso_income_line_2011_2015": "income_line_1115",
                      "gso_multidimensional_2022_2025": "multidim_2225"}

#: English labels of the NTM qualifiers and indicators (every language: :data:`ntm_analysis.i18n.LABELS`).
QUALIFIER_TEXT = {k: v["en"] for k, v in i18n.LABELS["qualifier"].items()}
INDICATOR_TEXT = {k: v["en"] for k, v in i18n.LABELS["indicator"].items()}

#: The figures of the key-figures table and of the 2025 aggregate table: variable, label key, decimals shown.
FIGURES = [(INCOME, "fig_income", 0), (POVERTY_LINE, "fig_poverty_line", 1), (POVERTY_MULTI, "fig_poverty_multi", 2),
           (POPULATION, "fig_population", 1)]


@dataclass
class ReportContext:
    """Everything one report shows, loaded once from validated :class:`ReportParams`.

    ``members`` are the 2008 provinces the report covers: the province itself for the
    2008 geography, the constituents of a 2025 province otherwise. ``panel`` is the
    tidy panel (all levels) within ``year_start``–``year_end``; ``ntm`` the members'
    own NTM reports. ``aggregate`` holds the 2025 aggregate of a merged province,
    gaps included (``value`` NA with the reason in ``note``).
    """

    params: ReportParams
    place: geo.Province
    members: list[geo.Province]
    panel: pd.DataFrame
    ntm: pd.DataFrame
    aggregate: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Results computed once per report (rows by variable, rank records, aggregate records).
    _memo: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def load(cls, params: ReportParams) -> "ReportContext":
        params = params.validate()
        place = params.place
        if place.vintage == 2025:
            members = geo.constituents(place.code)
        else:
            members = [place]
        panel = load_panel(level="all", data_dir=params.data_dir)
        panel = panel[panel["year"].between(params.year_start, params.year_end)].reset_index(drop=True)
        codes = [m.code for m in members]
        ntm = load_ntm_reports(data_dir=params.data_dir)
        ntm = ntm[ntm["province_code"].isin(codes)].reset_index(drop=True)
        agg = pd.DataFrame()
        if place.vintage == 2025 and len(members) > 1:
            agg = aggregate_to_2025(panel, variables=AGGREGATED)
            agg = agg[agg["code"] == place.code].reset_index(drop=True)
        return cls(params=params, place=place, members=members, panel=panel, ntm=ntm, aggregate=agg)

    @property
    def lang(self) -> str:
        return self.params.lang

    @property
    def regions(self) -> list[str]:
        return sorted({m.region for m in self.members})

    def series(self, variable: str, level: str = "province", codes: list[str] | None = None) -> pd.DataFrame:
        """Rows of one variable for the members (level "province"), their regions, the nation, or the
        2025 aggregate (level "aggregate": gaps dropped, empty for the 2008 geography)."""
        if level == "aggregate":
            df = self.aggregate
            if not len(df):
                return df
            df = df[(df["variable"] == variable) & df["value"].notna()]
            return df.sort_values("year").reset_index(drop=True)
        df = self.rows_of(variable)
        df = df[df["level"] == level]
        if codes is None:
            codes = ([m.code for m in self.members] if level == "province"
                     else self.regions if level == "region" else ["VN"])
        df = df[df["code"].isin(codes)]
        return df.sort_values(["code", "year"]).reset_index(drop=True)

    def rows_of(self, variable: str) -> pd.DataFrame:
        """Every panel row of one variable (all levels), selected once per report."""
        key = ("rows", variable)
        if key not in self._memo:
            self._memo[key] = self.panel[self.panel["variable"] == variable]
        return self._memo[key]


def province_column_if_several(ctx: ReportContext, df: pd.DataFrame, column: str) -> pd.DataFrame:
    """``df`` without its province ``column`` when the report covers one province (the title names it already);
    a 2025 report of several constituents keeps it."""
    return df.drop(columns=column) if len(ctx.members) == 1 else df


def fmt(value: object, decimals: int = 0, lang: str = "en") -> str:
    """A number with thousands separators (em dash when missing)."""
    return i18n.fmt_number(value, lang, decimals)


def esc(value: object) -> str:
    """HTML-escaped text of any value (None/NaN → empty)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=True)


class Html:
    """A table cell that is already HTML (its data-derived parts escaped by whoever built it).

    Not a ``str`` subclass on purpose: pandas would turn it into a plain string column.
    """

    __slots__ = ("markup",)

    def __init__(self, markup: str):
        self.markup = str(markup)

    def __str__(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        return f"Html({self.markup!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Html) and other.markup == self.markup

    def __hash__(self) -> int:
        return hash(self.markup)


def cell(value: object) -> str:
    """A table cell's HTML: :class:`Html` as it is, anything else escaped."""
    return value.markup if isinstance(value, Html) else esc(value)


def url_of(value: object) -> str | None:
    """The URL at the start of a source's URL field ("http://… (GSO portal, as cited by …)" → "http://…")."""
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        return None
    return value.split()[0]


def cite(text: object, lang: str) -> object:
    """A source's name in a report of language ``lang``: as it is in English; in Vietnamese marked as the name of
    a work (``<cite lang="en">``): the publishers' table titles are proper names and stay as published."""
    if lang == "en" or text is None or (isinstance(text, float) and pd.isna(text)) or text == "":
        return text
    return Html(f'<cite lang="en">{esc(text)}</cite>')


def code(text: object) -> Html:
    """A file name, identifier or checksum: ``<code>``."""
    return Html(f"<code>{esc(text)}</code>")


def html_table(df: pd.DataFrame, links: dict[str, str] | None = None, classes: str = "ntm-table") -> str:
    """An HTML table of ``df`` with every cell escaped (except :class:`Html` cells); ``links`` maps a column to the
    column holding its URL."""
    links = links or {}
    hidden = set(links.values())
    cols = [c for c in df.columns if c not in hidden]
    head = "".join(f"<th>{esc(c)}</th>" for c in cols)
    rows = []
    for _, r in df.iterrows():
        cells = []
        for c in cols:
            text = cell(r[c])
            href = url_of(r[links[c]]) if c in links else None
            if href:
                text = f'<a href="{esc(href)}" rel="noopener">{text or "link"}</a>'
            cells.append(f"<td>{text}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table class="{classes}"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def section(ctx: ReportContext, name: str) -> str:
    """Markdown of one section's heading and introduction (``name``: key_figures, income, poverty, elasticity,
    aggregate, ranks, ntm, national, seeds, models, downloads, caveats, provenance) in the report's language."""
    return i18n.t(f"sec_{name}", ctx.lang)


def _col(key: str, lang: str) -> str:
    return i18n.t(key, lang)


def place_label(m: geo.Province, ctx: ReportContext) -> str:
    """A constituent's column label: "Lào Cai (10)"."""
    return f"{m.name_short} ({m.code})"


def region_name(region: str, lang: str) -> str:
    """A GSO region's name in ``lang`` (Vietnamese names from :data:`ntm_analysis.data.geo.REGIONS`)."""
    return geo.REGIONS.get(region, region) if lang == "vi" else region


def measure_label(measure: object, lang: str) -> str:
    return i18n.label("measure", measure, lang)


# --- title and key figures ------------------------------------------------------------------------
def title(ctx: ReportContext) -> str:
    """The report's title (plain text, Vietnamese names with diacritics)."""
    return i18n.t("report_title", ctx.lang, name=ctx.place.name_short)


def md_text(value: object) -> str:
    """Data-derived text for Markdown that becomes HTML: HTML-escaped, and Markdown's own marks (``*_`[]#``)
    backslash-escaped, so a name is shown as written and never runs or formats anything."""
    return re.sub(r"([\\`*_\[\]#|])", r"\\\1", esc(value))


def intro_markdown(ctx: ReportContext) -> str:
    """Heading and the paragraphs saying which province, geography and years the report covers.

    Names come from the data folder: they are escaped (:func:`md_text`)."""
    p, prm, lang = ctx.place, ctx.params, ctx.lang
    basis = i18n.t("basis_nominal" if prm.price_basis == "nominal" else "basis_real", lang)
    lines = [f"# {md_text(title(ctx))}", "",
             i18n.t("intro_place", lang, name=md_text(p.name), name_en=md_text(p.name_en), code=md_text(p.code),
                    region=md_text(region_name(p.region, lang)), vintage=p.vintage, start=prm.year_start,
                    end=prm.year_end, basis=basis)]
    if p.vintage == 2025:
        names = ", ".join(md_text(place_label(m, ctx)) for m in ctx.members)
        lines += ["", i18n.t("intro_constituents", lang, label=i18n.t("constituents", lang), names=names)]
    lines += ["", i18n.t("sec_intro", lang)]
    return "\n".join(lines)


def _latest(df: pd.DataFrame) -> pd.Series | None:
    return None if df.empty else df.sort_values("year").iloc[-1]


def _sources(df: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(s for s in df["source"] if isinstance(s, str) and s))


def aggregate_source_parts(ctx: ReportContext, variable: str, year: int) -> tuple[str, list[str]]:
    """Where a 2025 aggregate of ``variable`` in ``year`` comes from: how it was formed (in the report's
    language) and the published sources of its inputs."""
    lang = ctx.lang
    members = " + ".join(place_label(m, ctx) for m in ctx.members)
    key = ("sources", variable)
    if key not in ctx._memo:
        rows = ctx.series(variable)
        ctx._memo[key] = {int(y): _sources(g) for y, g in rows.groupby("year")}
    inputs = ctx._memo[key].get(int(year), [])
    if variable == POPULATION:
        return i18n.t("summed_from", lang, members=members), inputs
    return i18n.t("aggregated_from", lang, members=members, how=i18n.t("weighted_mean", lang), year=year), inputs


def aggregate_source_text(ctx: ReportContext, variable: str, year: int) -> str:
    """:func:`aggregate_source_parts` as plain text (English: the aggregate's own ``source``)."""
    if ctx.lang == "en":
        row = ctx.aggregate[(ctx.aggregate["variable"] == variable) & (ctx.aggregate["year"] == year)]
        return str(row["source"].iloc[0]) if len(row) else ""
    head, inputs = aggregate_source_parts(ctx, variable, year)
    return head + "; ".join(inputs)


def aggregate_source(ctx: ReportContext, variable: str, year: int) -> object:
    """Where a 2025 aggregate comes from, for a table cell (Vietnamese: the sources' names as ``<cite>``)."""
    if ctx.lang == "en":
        return aggregate_source_text(ctx, variable, year)
    head, inputs = aggregate_source_parts(ctx, variable, year)
    return Html(esc(head) + "; ".join(str(cite(s, ctx.lang)) for s in inputs))


def key_figures(ctx: ReportContext) -> pd.DataFrame:
    """Latest income, poverty by measure and population of each member, with year, status and source.

    A measure with no published figure in the years shown appears with a dash: a gap is not hidden.
    """
    lang = ctx.lang
    c = {k: _col(k, lang) for k in ("province", "col_figure", "year", "value", "unit", "col_measure", "status",
                                    "source")}
    rows = []

    def gap(place: str, label: str, status: str) -> dict:
        return {c["province"]: place, c["col_figure"]: label, c["year"]: "", c["value"]: "—", c["unit"]: "",
                c["col_measure"]: "", c["status"]: status, c["source"]: "", "url": ""}

    for m in ctx.members:
        for variable, key, dec in FIGURES:
            label = i18n.t(key, lang)
            last = _latest(ctx.series(variable, codes=[m.code]))
            if last is None:
                rows.append(gap(m.name_short, label, i18n.t("missing", lang)))
                continue
            rows.append({c["province"]: m.name_short, c["col_figure"]: label, c["year"]: str(int(last["year"])),
                         c["value"]: fmt(last["value"], dec, lang), c["unit"]: i18n.unit(last["unit"], lang),
                         c["col_measure"]: measure_label(last["measure"], lang),
                         c["status"]: i18n.label("status", last["status"], lang),
                         c["source"]: cite(last["source"], lang), "url": last["source_url"]})
    if len(ctx.aggregate):
        label_agg = i18n.t("aggregate_label", lang, name=ctx.place.name_short)
        for variable, key, dec in FIGURES:
            label = i18n.t(key, lang)
            last = _latest(ctx.series(variable, "aggregate"))
            if last is None:
                rows.append(gap(label_agg, label, i18n.t("not_computable", lang)))
                continue
            rows.append({c["province"]: label_agg, c["col_figure"]: label, c["year"]: str(int(last["year"])),
                         c["value"]: fmt(last["value"], dec, lang), c["unit"]: i18n.unit(last["unit"], lang),
                         c["col_measure"]: i18n.t("weighted_mean" if variable != POPULATION else "sum", lang),
                         c["status"]: i18n.label("status", last["status"], lang),
                         c["source"]: aggregate_source(ctx, variable, int(last["year"])), "url": ""})
    df = pd.DataFrame(rows)
    df = province_column_if_several(ctx, df, c["province"])
    return df


def key_figures_html(ctx: ReportContext) -> str:
    return html_table(key_figures(ctx), links={_col("source", ctx.lang): "url"})


def summary(params: ReportParams) -> dict:
    """Key figures of a report for the index page: JSON-safe strings, one per figure (English: the index is)."""
    ctx = ReportContext.load(params)
    out = {}
    for variable, key, dec in ((INCOME, "income", 0), (POVERTY_LINE, "poverty_income_line", 1),
                               (POVERTY_MULTI, "poverty_multidimensional", 2), (POPULATION, "population", 1)):
        parts = []
        agg = _latest(ctx.series(variable, "aggregate"))
        if agg is not None:
            flag = ", preliminary" if agg["status"] == "preliminary" else ""
            parts.append(f"aggregate: {fmt(agg['value'], dec)} ({int(agg['year'])}{flag})")
        for m in ctx.members:
            last = _latest(ctx.series(variable, codes=[m.code]))
            prefix = f"{m.name_short}: " if len(ctx.members) > 1 else ""
            if last is None:
                parts.append(prefix + "—")
            else:
                flag = ", preliminary" if last["status"] == "preliminary" else ""
                parts.append(f"{prefix}{fmt(last['value'], dec)} ({int(last['year'])}{flag})")
        out[key] = "; ".join(parts)
    return out


# --- income ---------------------------------------------------------------------------------------
def real_income_note(ctx: ReportContext) -> str:
    """Markdown saying how income is shown (current or constant prices) and which years cannot be deflated."""
    lang = ctx.lang
    cpi = ctx.panel[(ctx.panel["variable"] == CPI_VARIABLE) & (ctx.panel["level"] == "national")]
    cpi_years = (f"{int(cpi['year'].min())}–{int(cpi['year'].max())}" if not cpi.empty
                 else i18n.t("cpi_none", lang))
    cover = i18n.t("cpi_cover", lang, years=cpi_years)
    if ctx.params.price_basis == "nominal":
        return i18n.t("income_note_nominal", lang, cover=cover)
    return i18n.t("income_note_real", lang, base=REAL_BASE_YEAR, cover=cover)


def income_series(ctx: ReportContext, level: str, codes: list[str] | None = None) -> pd.DataFrame:
    """Income rows in the report's price basis: nominal, or real (``value`` at constant prices, years
    without CPI dropped) when ``price_basis == "real"``."""
    df = ctx.series(INCOME, level, codes)
    if ctx.params.price_basis != "real" or df.empty:
        return df
    real = to_real(df, REAL_BASE_YEAR, missing="na")
    real["value"] = real[f"value_real_{REAL_BASE_YEAR}"]
    return real[real["value"].notna()].reset_index(drop=True)


# --- the 2025 aggregate beside its constituents ---------------------------------------------------
def has_aggregate(ctx: ReportContext) -> bool:
    """True for a 2025 province formed from several 2008 provinces (its figures are aggregates)."""
    return ctx.place.vintage == 2025 and len(ctx.members) > 1


def aggregate_rows(ctx: ReportContext) -> list[dict]:
    """The 2025 aggregate beside its constituents, one record per figure and year (numbers, not text).

    Each record: ``variable``, ``year``, ``unit``, ``values`` (constituent code → published value or None),
    ``weights`` (code → population of the year or None), ``aggregate`` (the value of
    :func:`ntm_analysis.indicators.aggregate_to_2025`, None where it was not computed), ``status`` and
    ``reason`` (why there is no aggregate: "no_value", "no_weight", "measures" or "other"; None otherwise),
    ``missing`` (the constituents lacking the value or the weight).
    """
    if not has_aggregate(ctx):
        return []
    if "aggregate_rows" in ctx._memo:
        return ctx._memo["aggregate_rows"]
    agg = ctx.aggregate
    pop = ctx.series(POPULATION)
    weights = {(str(c), int(y)): float(v) for c, y, v in zip(pop["code"], pop["year"], pop["value"]) if pd.notna(v)}
    out = []
    for variable, _key, _dec in FIGURES:
        mine = ctx.series(variable)
        published = {(str(c), int(y)): float(v) for c, y, v in zip(mine["code"], mine["year"], mine["value"])}
        kinds = {}
        for y, m, u in zip(mine["year"], mine["measure"], mine["unit"]):
            kinds.setdefault(int(y), set()).add((str(m), str(u)))
        rows = agg[agg["variable"] == variable]
        by_year = {int(y): (v, st, u) for y, v, st, u in zip(rows["year"], rows["value"], rows["status"],
                                                              rows["unit"])}
        units = {int(y): str(u) for y, u in zip(mine["year"], mine["unit"])}
        for year in sorted(set(units) | set(by_year)):
            values = {m.code: published.get((m.code, year)) for m in ctx.members}
            w = {m.code: weights.get((m.code, year)) for m in ctx.members}
            v, status, unit = by_year.get(year, (None, "", units.get(year, "")))
            value = float(v) if v is not None and pd.notna(v) else None
            reason, missing = None, []
            if value is None:
                missing = [c for c, x in values.items() if x is None]
                if missing:
                    reason = "no_value"
                elif len(kinds.get(year, ())) > 1:
                    reason = "measures"
                elif variable != POPULATION and any(x is None for x in w.values()):
                    reason, missing = "no_weight", [c for c, x in w.items() if x is None]
                else:
                    reason = "other"
            out.append({"variable": variable, "year": year, "unit": str(unit), "values": values, "weights": w,
                        "aggregate": value, "status": str(status), "reason": reason, "missing": missing})
    ctx._memo["aggregate_rows"] = out
    return out


def aggregate_note(ctx: ReportContext, record: dict) -> str:
    """How one record of :func:`aggregate_rows` was computed (the weights), or why it was not."""
    lang, r = ctx.lang, record
    names = {m.code: m.name_short for m in ctx.members}
    missing = ", ".join(f"{names[c]} ({c})" for c in r["missing"])
    if r["reason"] is None:
        if r["variable"] == POPULATION:
            return i18n.t("how_sum", lang)
        ws = "; ".join(f"{names[c]} {fmt(w, 1, lang)}" for c, w in r["weights"].items())
        return i18n.t("how_weights", lang, year=r["year"], weights=ws)
    if r["reason"] == "no_value":
        return i18n.t("gap_no_value", lang, names=missing, year=r["year"])
    if r["reason"] == "no_weight":
        return i18n.t("gap_no_weight", lang, names=missing, year=r["year"])
    if r["reason"] == "measures":
        return i18n.t("gap_measures", lang)
    return i18n.t("gap_other", lang)


def aggregate_table(ctx: ReportContext) -> pd.DataFrame:
    """The 2025 aggregate beside each constituent's own value, per figure and year, with the weights used or
    the reason it was not computed (a missing weight leaves the year out of the aggregate, never guessed)."""
    lang = ctx.lang
    dec = {v: d for v, _k, d in FIGURES}
    labels = {v: i18n.t(k, lang) for v, k, _d in FIGURES}
    agg_col = i18n.t("col_aggregate", lang, name=ctx.place.name_short)
    rows = []
    for r in aggregate_rows(ctx):
        v, year = r["variable"], r["year"]
        row = {_col("col_figure", lang): labels[v], _col("year", lang): year}
        for m in ctx.members:
            row[place_label(m, ctx)] = fmt(r["values"][m.code], dec[v], lang)
        row[agg_col] = fmt(r["aggregate"], dec[v] + (1 if v != POPULATION else 0), lang)
        row[_col("unit", lang)] = i18n.unit(r["unit"], lang)
        row[_col("status", lang)] = i18n.label("status", r["status"], lang)
        row[_col("col_how", lang)] = aggregate_note(ctx, r)
        rows.append(row)
    return pd.DataFrame(rows)


def aggregate_html(ctx: ReportContext) -> str:
    if not has_aggregate(ctx):
        return f"<p>{esc(i18n.t('no_aggregate', ctx.lang))}</p>"
    return html_table(aggregate_table(ctx))


# --- ranks ----------------------------------------------------------------------------------------
RANKED = ((INCOME, "rank_income", 0), (POVERTY_LINE, "rank_poverty_line", 1), (POVERTY_MULTI, "rank_poverty_multi", 2))


def rank_table(panel: pd.DataFrame) -> pd.DataFrame:
    """Every province's rank per ranked figure and year, in its region and the nation
    (:func:`ntm_analysis.indicators.rank_within` on the province rows of ``panel``), in RANKED order."""
    parts = []
    prov = panel[panel["level"] == "province"]
    for variable, _key, _dec in RANKED:
        rows = prov[prov["variable"] == variable]
        for year in sorted(rows["year"].unique()):
            parts.append(rank_within(rows, variable, int(year), by="both"))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


_RANK_TABLES: dict = {}


def cached_rank_table(data_dir: str | None) -> pd.DataFrame:
    """:func:`rank_table` of the whole panel read from ``data_dir``, computed once per data version (keyed by the
    files' checksums): a warm kernel rendering 63 reports ranks the provinces once, not 63 times."""
    files = [f"raw/{f}" for f in PANEL_FILES + REGISTRY_FILES] + ["provenance.yml"]
    key = (str(data_dir), tuple(sorted(checksums(files, data_dir).items())))
    if key not in _RANK_TABLES:
        _RANK_TABLES.clear()  # one data version at a time
        _RANK_TABLES[key] = rank_table(load_panel(level="all", data_dir=data_dir))
    return _RANK_TABLES[key]


def rank_records(ctx: ReportContext) -> list[dict]:
    """Each member's rank per ranked figure and year in the report's years (from :func:`cached_rank_table`):
    variable, year, code, name, value, unit, rank_region, n_region, rank_nation, n_nation, status."""
    if "ranks" in ctx._memo:
        return ctx._memo["ranks"]
    table = cached_rank_table(ctx.params.data_dir)
    out = []
    if len(table):
        codes = [m.code for m in ctx.members]
        mine = table[table["code"].isin(codes) & table["year"].between(ctx.params.year_start, ctx.params.year_end)]
        for variable, _key, _dec in RANKED:
            of_var = mine[mine["variable"] == variable]
            for year in sorted(of_var["year"].unique()):
                for m in ctx.members:
                    hit = of_var[(of_var["year"] == year) & (of_var["code"] == m.code)]
                    if hit.empty:
                        continue
                    r = hit.iloc[0]
                    out.append({"variable": variable, "year": int(year), "code": m.code, "name": m.name_short,
                                "value": float(r["value"]), "unit": str(r["unit"]),
                                "rank_region": int(r["rank_region"]), "n_region": int(r["n_region"]),
                                "rank_nation": int(r["rank_nation"]), "n_nation": int(r["n_nation"]),
                                "status": str(r["status"])})
    ctx._memo["ranks"] = out
    return out


def ranks(ctx: ReportContext) -> pd.DataFrame:
    """Rank of each member among the provinces of its region and of the nation, per year, by
    :func:`ntm_analysis.indicators.rank_within`: income (1 = highest) and poverty (1 = lowest).

    Ties share the best rank. Years in which the province has no figure are absent.
    """
    lang = ctx.lang
    c = {k: _col(k, lang) for k in ("province", "col_figure", "year", "value", "col_rank_region",
                                    "col_rank_nation", "status")}
    labels = {v: (i18n.t(k, lang), d) for v, k, d in RANKED}
    rows = []
    for r in rank_records(ctx):
        label, dec = labels[r["variable"]]
        rows.append({c["province"]: r["name"], c["col_figure"]: label, c["year"]: r["year"],
                     c["value"]: fmt(r["value"], dec, lang),
                     c["col_rank_region"]: i18n.t("rank_of", lang, rank=r["rank_region"], n=r["n_region"]),
                     c["col_rank_nation"]: i18n.t("rank_of", lang, rank=r["rank_nation"], n=r["n_nation"]),
                     c["status"]: i18n.label("status", r["status"], lang)})
    out = pd.DataFrame(rows, columns=list(c.values()))
    out = province_column_if_several(ctx, out, c["province"])
    return out


def ranks_html(ctx: ReportContext) -> str:
    df = ranks(ctx)
    if df.empty:
        return f"<p>{esc(i18n.t('no_ranks', ctx.lang))}</p>"
    return html_table(df)


# --- NTM ------------------------------------------------------------------------------------------
def _dec(value: object) -> int:
    return 0 if float(value).is_integer() else 2


def ntm_table(ctx: ReportContext) -> pd.DataFrame:
    """The members' own NTM figures: indicator, period, value with unit and qualifier, confidence, source."""
    lang = ctx.lang
    c = {k: _col(k, lang) for k in ("province", "col_indicator", "col_period", "value", "unit", "col_qualifier",
                                    "col_reported_as", "col_confidence", "source")}
    df = ctx.ntm.sort_values(["province_code", "indicator", "end_year", "period_end"], na_position="first")
    rows = []
    for _, r in df.iterrows():
        rows.append({c["province"]: r["province"], c["col_indicator"]: i18n.label("indicator", r["indicator"], lang),
                     c["col_period"]: i18n.period(r["period_label"], lang),
                     c["value"]: fmt(r["value"], _dec(r["value"]), lang), c["unit"]: i18n.unit(r["unit"], lang),
                     c["col_qualifier"]: i18n.label("qualifier", r["qualifier"], lang),
                     c["col_reported_as"]: f"{fmt(r['value_reported'], _dec(r['value_reported']), lang)} "
                                           f"{i18n.unit(r['unit_reported'], lang)}",
                     c["col_confidence"]: i18n.label("confidence", r["confidence"], lang),
                     c["source"]: i18n.t("source_link", lang), "url": r["source_url"]})
    out = pd.DataFrame(rows, columns=[*c.values(), "url"])
    out = province_column_if_several(ctx, out, c["province"])
    return out


def ntm_html(ctx: ReportContext) -> str:
    df = ntm_table(ctx)
    if df.empty:
        return f"<p>{i18n.t('ntm_none', ctx.lang)}</p>"
    return html_table(df, links={_col("source", ctx.lang): "url"})


def ntm_gaps(ctx: ReportContext) -> str:
    """Markdown listing which NTM indicators the province reported and which it did not (gaps stay gaps)."""
    lang = ctx.lang
    have = set(ctx.ntm["indicator"])
    missing = [i18n.label("indicator", k, lang) for k in i18n.LABELS["indicator"]
               if k not in have and not k.startswith("land")]
    lines = [i18n.t("ntm_count", lang, n=len(ctx.ntm), k=len(have))]
    if missing:
        lines.append(i18n.t("ntm_not_reported", lang, items="; ".join(missing)))
    lines.append(i18n.t("ntm_never_summed", lang))
    return " ".join(lines)


def needs_national_context(ctx: ReportContext) -> bool:
    return len(ctx.ntm) < FEW_NTM_ROWS


#: National NTM progress figures a report shows for context.
NATIONAL_NTM_VARIABLES = ("communes_ntm", "communes_ntm_pct", "districts_ntm")


def national_ntm_rows(ctx: ReportContext) -> pd.DataFrame:
    """The national NTM progress rows a report shows, with ``indicator_label`` in the report's language."""
    lang = ctx.lang
    n = load_ntm_national(data_dir=ctx.params.data_dir)
    n = n[n["variable"].isin(NATIONAL_NTM_VARIABLES)]
    names = {"communes_ntm": i18n.label("indicator", "communes_ntm", lang),
             "communes_ntm_pct": i18n.t("share_communes", lang),
             "districts_ntm": i18n.label("indicator", "districts_ntm", lang)}
    return n.assign(indicator_label=n["variable"].map(names))


def national_ntm_table(ctx: ReportContext) -> pd.DataFrame:
    """National NTM progress snapshots (communes and districts meeting the standard)."""
    lang = ctx.lang
    n = national_ntm_rows(ctx)
    return pd.DataFrame({
        _col("col_as_of", lang): [i18n.as_of(a, lang) for a in n["as_of"]],
        _col("col_indicator", lang): n["indicator_label"],
        _col("value", lang): [fmt(v, _dec(v), lang) for v in n["value"]],
        _col("unit", lang): [i18n.unit(u, lang) for u in n["unit"]],
        _col("col_qualifier", lang): [i18n.label("qualifier", q, lang) for q in n["qualifier"]],
        _col("source", lang): i18n.t("source_link", lang), "url": n["source_url"]})


def national_ntm_html(ctx: ReportContext) -> str:
    """National NTM progress snapshots (communes and districts meeting the standard), for context."""
    return html_table(national_ntm_table(ctx), links={_col("source", ctx.lang): "url"})


# --- caveats and provenance -----------------------------------------------------------------------
#: GSO's national income of 2016 (thousand VND/person/month): preliminary, then final (caveat text).
INCOME_2016_NATIONAL = {"preliminary": 3049, "final": 3098}


def caveats_markdown(ctx: ReportContext) -> str:
    """The caveats a reader of this report must keep in mind."""
    lang = ctx.lang
    items = [i18n.t("cav_preliminary", lang, final=fmt(INCOME_2016_NATIONAL["final"], 0, lang),
                    prelim=fmt(INCOME_2016_NATIONAL["preliminary"], 0, lang)),
             i18n.t("cav_measures", lang), i18n.t("cav_nominal", lang), i18n.t("cav_ntm", lang),
             i18n.t("cav_survey", lang)]
    if ctx.place.vintage == 2025 and len(ctx.members) > 1:
        items.append(i18n.t("cav_2025", lang))
    if any(m.code == "01" for m in ctx.members) and ctx.params.year_start < 2008:
        items.append(i18n.t("cav_hanoi", lang))
    return "\n".join(f"- {s}" for s in items)


@lru_cache(maxsize=1)
def git_commit() -> str:
    """The repository's commit (``"unknown"`` outside a git checkout)."""
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=paths.PROJECT_DIR, capture_output=True, text=True,
                             timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip() if out.returncode == 0 and out.stdout.strip() else "unknown"


def versions(lang: str = "en") -> dict[str, str]:
    """Versions of Python and the packages a report depends on."""
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

    out = {"python": platform.python_version(), "ntm_analysis": __version__}
    for name in ("pandas", "numpy", "matplotlib", "seaborn", "statsmodels", "papermill", "nbconvert"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = i18n.t("not_installed", lang)
    return out


def volatile(name: str, value: str) -> str:
    """Wrap a volatile value (see :data:`VOLATILE_FIELDS`) so it can be masked when comparing renders."""
    if name not in VOLATILE_FIELDS:
        raise KeyError(f"{name!r} is not a declared volatile field; declare it in report.VOLATILE_FIELDS")
    return f'<span class="{VOLATILE_CLASS}" data-volatile="{name}">{esc(value)}</span>'


_VOLATILE_SPAN = re.compile(r'<span class="ntm-volatile" data-volatile="([A-Za-z0-9_]+)">(.*?)</span>', re.S)


def mask_volatile(text: str) -> tuple[str, set[str]]:
    """``text`` with every volatile value replaced by its name, and the set of names found.

    Two renders of the same inputs give the same masked HTML.
    """
    found: set[str] = set()

    def repl(m: re.Match) -> str:
        found.add(m.group(1))
        return f'<span class="{VOLATILE_CLASS}" data-volatile="{m.group(1)}">{m.group(1)}</span>'

    return _VOLATILE_SPAN.sub(repl, text), found


def provenance_html(ctx: ReportContext, now: _dt.datetime | None = None) -> str:
    """Footer: data checksums, package versions, git commit, parameters and the render time."""
    lang = ctx.lang
    from ntm_analysis.report.inputs import input_digest  # noqa: PLC0415

    sums = checksums(DATA_FILES, ctx.params.data_dir)
    data = pd.DataFrame({_col("col_file", lang): [code(f) for f in sums],
                         "SHA-256": [Html(f"<code>{volatile('data_file_checksum', v)}</code>") for v in sums.values()]})
    digest = esc(i18n.t("input_digest", lang, digest="\0digest\0")).replace(
        "\0digest\0", f"<code>{esc(input_digest(ctx.params))}</code>")
    vers = versions(lang)
    soft = pd.DataFrame({_col("col_package", lang): [code(k) for k in vers],
                         _col("col_version", lang): [code(v) for v in vers.values()]})
    params = json.dumps(ctx.params.to_notebook_parameters(), ensure_ascii=False, indent=1, sort_keys=True)
    now = now or _dt.datetime.now(_dt.timezone.utc)
    when = now.strftime("%Y-%m-%d %H:%M UTC") if lang == "en" else now.strftime("%H:%M UTC %d/%m/%Y")
    rendered = i18n.t("rendered_at", lang, time="\0time\0", commit="\0commit\0")
    rendered = (esc(rendered).replace("\0time\0", volatile("rendered_at", when))
                .replace("\0commit\0", f"<code>{esc(git_commit())}</code>"))
    return "".join([
        f"<p>{rendered}</p>",
        f"<h4>{esc(i18n.t('parameters', lang))}</h4>", f'<pre class="ntm-params">{esc(params)}</pre>',
        f"<h4>{esc(i18n.t('data_files', lang))}</h4>", f"<p>{digest}</p>", html_table(data),
        f"<h4>{esc(i18n.t('software', lang))}</h4>", html_table(soft),
    ])
