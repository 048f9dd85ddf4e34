"""Tables and text of the per-province report (``notebooks/province_report.ipynb``).

The notebook stays thin: it builds a :class:`ReportContext` from its
parameters and calls the functions here for every table and paragraph, and
:mod:`ntm_analysis.plots` for every figure. Everything here returns values
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

from . import __version__, geo, i18n, paths
from .ntm_reports import NTM_REPORTS_FILE, load_ntm_reports
from .panel import PANEL_FILES, REGISTRY_FILES, load_panel
from .params import ReportParams
from .sources import checksums
from .indicators import aggregate_to_2025, rank_within, to_real
from .supplementary import NTM_NATIONAL_FILE, load_ntm_national

#: Data files (relative to the data folder) a report reads: their checksums key the render cache.
DATA_FILES = sorted([f"raw/{f}" for f in PANEL_FILES + REGISTRY_FILES]
                    + [f"raw/{NTM_REPORTS_FILE}", f"raw/{NTM_NATIONAL_FILE}", "provenance.yml"])

#: Values in a report that change from one render to the next although the inputs do not.
#: Each is written as ``<span class="ntm-volatile" data-volatile="NAME">…</span>``; the
#: renderer's determinism check (and anyone diffing two reports) masks exactly these.
VOLATILE_FIELDS = {"rendered_at": "date and time the report was rendered (UTC)"}
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

QUALIFIER_TEXT = {"exact": "", "lower_bound": "at least (lower bound)", "upper_bound": "at most (upper bound)",
                  "approximate": "approximately"}

INDICATOR_TEXT = {
    "resources_total": "Resources mobilised, total", "resources_central_budget": "Resources: central budget",
    "resources_local_budget": "Resources: local budget", "resources_credit": "Resources: credit",
    "resources_enterprises": "Resources: enterprises", "resources_people": "Resources: contributions of people",
    "communes_ntm": "Communes meeting the NTM standard", "communes_total": "Communes, total",
    "communes_advanced_ntm": "Communes meeting the advanced NTM standard",
    "communes_model_ntm": "Model NTM communes", "districts_ntm": "Districts meeting the NTM standard",
    "income_per_capita_rural": "Rural income per capita (province's report)",
    "poverty_rate": "Poverty rate (province's report)", "land_donated_m2": "Land donated by people",
}


@dataclass
class ReportContext:
    """Everything one report shows, loaded once from validated :class:`ReportParams`.

    ``members`` are the 2008 provinces the report covers: the province itself for the
    2008 geography, the constituents of a 2025 province otherwise. ``panel`` is the
    tidy panel (all levels) within ``year_start``–``year_end``; ``ntm`` the members'
    own NTM reports.
    """

    params: ReportParams
    place: geo.Province
    members: list[geo.Province]
    panel: pd.DataFrame
    ntm: pd.DataFrame
    aggregate: pd.DataFrame = field(default_factory=pd.DataFrame)

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
            agg = agg[(agg["code"] == place.code) & agg["value"].notna()].reset_index(drop=True)
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
            return df[df["variable"] == variable].sort_values("year").reset_index(drop=True) if len(df) else df
        df = self.panel[(self.panel["variable"] == variable) & (self.panel["level"] == level)]
        if codes is None:
            codes = ([m.code for m in self.members] if level == "province"
                     else self.regions if level == "region" else ["VN"])
        df = df[df["code"].isin(codes)]
        return df.sort_values(["code", "year"]).reset_index(drop=True)


def fmt(value: object, decimals: int = 0, lang: str = "en") -> str:
    """A number with thousands separators (em dash when missing)."""
    return i18n.fmt_number(value, lang, decimals)


def esc(value: object) -> str:
    """HTML-escaped text of any value (None/NaN → empty)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=True)


def html_table(df: pd.DataFrame, links: dict[str, str] | None = None, classes: str = "ntm-table") -> str:
    """An HTML table of ``df`` with every cell escaped; ``links`` maps a column to the column holding its URL."""
    links = links or {}
    hidden = set(links.values())
    cols = [c for c in df.columns if c not in hidden]
    head = "".join(f"<th>{esc(c)}</th>" for c in cols)
    rows = []
    for _, r in df.iterrows():
        cells = []
        for c in cols:
            text = esc(r[c])
            if c in links and isinstance(r[links[c]], str) and r[links[c]].startswith(("http://", "https://")):
                text = f'<a href="{esc(r[links[c]])}" rel="noopener">{text or "link"}</a>'
            cells.append(f"<td>{text}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table class="{classes}"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


# --- title and key figures ------------------------------------------------------------------------
def title(ctx: ReportContext) -> str:
    """The report's title (plain text, Vietnamese names with diacritics)."""
    return i18n.t("report_title", ctx.lang, name=ctx.place.name_short)


def intro_markdown(ctx: ReportContext) -> str:
    """Heading and one paragraph saying which province, geography and years the report covers."""
    p, prm = ctx.place, ctx.params
    lines = [f"# {title(ctx)}", "",
             f"**{p.name}** ({p.name_en}; GSO code {p.code}; {p.region}). Geography of {p.vintage}; "
             f"years {prm.year_start}–{prm.year_end}; income at "
             f"{'current prices (nominal)' if prm.price_basis == 'nominal' else 'constant prices (real), where possible'}."]
    if p.vintage == 2025:
        names = ", ".join(f"{m.name_short} ({m.code})" for m in ctx.members)
        lines += ["", f"{i18n.t('constituents', ctx.lang)}: {names}. Every published series was collected for these "
                  "2008 provinces; their own figures are shown side by side."]
    return "\n".join(lines)


def _latest(df: pd.DataFrame) -> pd.Series | None:
    return None if df.empty else df.sort_values("year").iloc[-1]


def key_figures(ctx: ReportContext) -> pd.DataFrame:
    """Latest income, poverty by measure and population of each member, with year, status and source.

    A measure with no published figure in the years shown appears with a dash: a gap is not hidden.
    """
    rows = []
    specs = [(INCOME, "Income per capita", 0), (POVERTY_LINE, "Poverty rate (income poverty line)", 1),
             (POVERTY_MULTI, "Poverty rate (multidimensional)", 2), (POPULATION, "Population", 1)]
    for m in ctx.members:
        for variable, label, dec in specs:
            last = _latest(ctx.series(variable, codes=[m.code]))
            if last is None:
                rows.append({"Province": m.name_short, "Figure": label, "Year": "", "Value": "—", "Unit": "",
                             "Measure": "", "Status": i18n.t("missing", ctx.lang), "Source": "", "url": ""})
                continue
            measure = last["measure"]
            measure = i18n.t(MEASURE_LABEL_KEYS[measure], ctx.lang) if measure in MEASURE_LABEL_KEYS else measure
            rows.append({"Province": m.name_short, "Figure": label, "Year": str(int(last["year"])),
                         "Value": fmt(last["value"], dec, ctx.lang), "Unit": last["unit"], "Measure": measure,
                         "Status": last["status"], "Source": last["source"], "url": last["source_url"]})
    if len(ctx.aggregate):
        label_agg = f"{ctx.place.name_short} (2025, aggregate)"
        for variable, label, dec in specs:
            last = _latest(ctx.series(variable, "aggregate"))
            if last is None:
                rows.append({"Province": label_agg, "Figure": label, "Year": "", "Value": "—", "Unit": "",
                             "Measure": "", "Status": "not computable (see caveats)", "Source": "", "url": ""})
                continue
            rows.append({"Province": label_agg, "Figure": label, "Year": str(int(last["year"])),
                         "Value": fmt(last["value"], dec, ctx.lang), "Unit": last["unit"],
                         "Measure": "population-weighted mean" if variable != POPULATION else "sum",
                         "Status": last["status"], "Source": last["source"], "url": ""})
    df = pd.DataFrame(rows)
    if len(ctx.members) == 1:
        df = df.drop(columns="Province")
    return df


def key_figures_html(ctx: ReportContext) -> str:
    return html_table(key_figures(ctx), links={"Source": "url"})


def summary(params: ReportParams) -> dict:
    """Key figures of a report for the index page: JSON-safe strings, one per figure."""
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
    cpi = ctx.panel[(ctx.panel["variable"] == CPI_VARIABLE) & (ctx.panel["level"] == "national")]
    cpi_years = f"{int(cpi['year'].min())}–{int(cpi['year'].max())}" if not cpi.empty else "none"
    base = (f"The national CPI in the data covers {cpi_years} within the years shown; there is no CPI for 2023, so "
            "2023 income cannot be deflated")
    if ctx.params.price_basis == "nominal":
        return f"Income is shown at **current prices** (nominal): growth over time includes inflation. {base}."
    return (f"Income is shown at **constant {REAL_BASE_YEAR} prices**, deflated by the national CPI. {base}: "
            "it is left out of this chart (a gap, not an estimate); see the key figures for its nominal value.")


def income_series(ctx: ReportContext, level: str, codes: list[str] | None = None) -> pd.DataFrame:
    """Income rows in the report's price basis: nominal, or real (``value`` at constant prices, years
    without CPI dropped) when ``price_basis == "real"``."""
    df = ctx.series(INCOME, level, codes)
    if ctx.params.price_basis != "real" or df.empty:
        return df
    real = to_real(df, REAL_BASE_YEAR, missing="na")
    real["value"] = real[f"value_real_{REAL_BASE_YEAR}"]
    return real[real["value"].notna()].reset_index(drop=True)


# --- ranks ----------------------------------------------------------------------------------------
def ranks(ctx: ReportContext) -> pd.DataFrame:
    """Rank of each member among the provinces of its region and of the nation, per year, by
    :func:`ntm_analysis.indicators.rank_within`: income (1 = highest) and poverty (1 = lowest).

    Ties share the best rank. Years in which the province has no figure are absent.
    """
    rows = []
    prov = ctx.panel[ctx.panel["level"] == "province"]
    for variable, label, dec in ((INCOME, "Income per capita (1 = highest)", 0),
                                 (POVERTY_LINE, "Poverty rate, income line (1 = lowest)", 1),
                                 (POVERTY_MULTI, "Poverty rate, multidimensional (1 = lowest)", 2)):
        years = sorted(prov.loc[prov["variable"] == variable, "year"].unique())
        for year in years:
            ranked = rank_within(prov, variable, int(year), by="both")
            for m in ctx.members:
                mine = ranked[ranked["code"] == m.code]
                if mine.empty:
                    continue
                r = mine.iloc[0]
                rows.append({"Province": m.name_short, "Figure": label, "Year": int(year),
                             "Value": fmt(r["value"], dec, ctx.lang),
                             "Rank in region": f"{int(r['rank_region'])} of {int(r['n_region'])}",
                             "Rank in Viet Nam": f"{int(r['rank_nation'])} of {int(r['n_nation'])}",
                             "Status": r["status"]})
    out = pd.DataFrame(rows, columns=["Province", "Figure", "Year", "Value", "Rank in region", "Rank in Viet Nam",
                                      "Status"])
    if len(ctx.members) == 1:
        out = out.drop(columns="Province")
    return out


def ranks_html(ctx: ReportContext) -> str:
    df = ranks(ctx)
    if df.empty:
        return "<p>No ranked figures in the years shown.</p>"
    return html_table(df)


# --- NTM ------------------------------------------------------------------------------------------
def ntm_table(ctx: ReportContext) -> pd.DataFrame:
    """The members' own NTM figures: indicator, period, value with unit and qualifier, confidence, source."""
    df = ctx.ntm.sort_values(["province_code", "indicator", "end_year", "period_end"], na_position="first")
    rows = []
    for _, r in df.iterrows():
        dec = 0 if float(r["value"]).is_integer() else 2
        q = QUALIFIER_TEXT.get(r["qualifier"], r["qualifier"])
        rows.append({"Province": r["province"], "Indicator": INDICATOR_TEXT.get(r["indicator"], r["indicator"]),
                     "Period": r["period_label"], "Value": fmt(r["value"], dec, ctx.lang), "Unit": r["unit"],
                     "Qualifier": q, "Reported as": f"{fmt(r['value_reported'], 0 if float(r['value_reported']).is_integer() else 2)} {r['unit_reported']}",
                     "Confidence": r["confidence"], "Source": "source", "url": r["source_url"]})
    out = pd.DataFrame(rows, columns=["Province", "Indicator", "Period", "Value", "Unit", "Qualifier", "Reported as",
                                      "Confidence", "Source", "url"])
    if len(ctx.members) == 1:
        out = out.drop(columns="Province")
    return out


def ntm_html(ctx: ReportContext) -> str:
    df = ntm_table(ctx)
    if df.empty:
        return "<p><strong>No NTM figures reported by this province were found.</strong> This is a gap, not a zero.</p>"
    return html_table(df, links={"Source": "url"})


def ntm_gaps(ctx: ReportContext) -> str:
    """Markdown listing which NTM indicators the province reported and which it did not (gaps stay gaps)."""
    have = set(ctx.ntm["indicator"])
    missing = [INDICATOR_TEXT[k] for k in INDICATOR_TEXT if k not in have and not k.startswith("land")]
    lines = [f"{len(ctx.ntm)} figure(s) reported, on {len(have)} indicator(s)."]
    if missing:
        lines.append("Not reported in the collected sources: " + "; ".join(missing) + ".")
    lines.append("Periods overlap and scopes differ (totals usually include bank credit): figures are shown as "
                 "reported and never summed across periods.")
    return " ".join(lines)


def needs_national_context(ctx: ReportContext) -> bool:
    return len(ctx.ntm) < FEW_NTM_ROWS


def national_ntm_html(ctx: ReportContext) -> str:
    """National NTM progress snapshots (communes and districts meeting the standard), for context."""
    n = load_ntm_national(data_dir=ctx.params.data_dir)
    n = n[n["variable"].isin(["communes_ntm", "communes_ntm_pct", "districts_ntm"])]
    df = pd.DataFrame({"As of": n["as_of"], "Indicator": n["variable"].map(
        {"communes_ntm": "Communes meeting the NTM standard", "communes_ntm_pct": "Share of communes",
         "districts_ntm": "Districts meeting the NTM standard"}),
        "Value": [fmt(v, 0 if float(v).is_integer() else 2, ctx.lang) for v in n["value"]], "Unit": n["unit"],
        "Qualifier": n["qualifier"].map(lambda q: QUALIFIER_TEXT.get(q, q)), "Source": "source",
        "url": n["source_url"]})
    return html_table(df, links={"Source": "url"})


# --- caveats and provenance -----------------------------------------------------------------------
def caveats_markdown(ctx: ReportContext) -> str:
    """The caveats a reader of this report must keep in mind."""
    items = [
        "**Preliminary values.** 2016 and 2023 income and poverty figures are preliminary; GSO later revised the "
        "national 2016 income (3,098 final vs 3,049 preliminary), so 2016 province values are superseded too.",
        "**Poverty measures differ.** 2006–2008 use the 2006–2010 income poverty line, 2010–2016 the 2011–2015 line, "
        "and 2023 GSO's multidimensional 2022–2025 standard. Each is drawn as its own series; changes across a "
        "break are not changes in poverty.",
        "**Income is nominal** unless the chart says otherwise; the national CPI ends in 2016.",
        "**NTM figures are the province's own reports**, gathered from the press; periods overlap, scopes differ "
        "(bank credit is usually included) and many provinces report little. Missing figures are gaps.",
        "**Survey years.** VHLSS income is published for even years only; lines join consecutive survey years, "
        "and longer gaps are left open.",
    ]
    if ctx.place.vintage == 2025 and len(ctx.members) > 1:
        items.append("**2025 geography.** Statistics exist only for the 2008 provinces. The aggregate of the new "
                     "province is the population-weighted mean of its constituents (population summed); GSO "
                     "population ends in 2016, so later aggregates (2023 income and poverty) are not computed "
                     "and stay gaps. Poverty is weighted by persons although the multidimensional rate counts "
                     "households.")
    if any(m.code == "01" for m in ctx.members) and ctx.params.year_start < 2008:
        items.append("**Hà Nội before 1 August 2008** excludes Hà Tây.")
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


def versions() -> dict[str, str]:
    """Versions of Python and the packages a report depends on."""
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

    out = {"python": platform.python_version(), "ntm_analysis": __version__}
    for name in ("pandas", "numpy", "matplotlib", "seaborn", "statsmodels", "papermill", "nbconvert"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def volatile(name: str, value: str) -> str:
    """Wrap a volatile value (see :data:`VOLATILE_FIELDS`) so it can be masked when comparing renders."""
    if name not in VOLATILE_FIELDS:
        raise KeyError(f"{name!r} is not a declared volatile field; declare it in report.VOLATILE_FIELDS")
    return f'<span class="{VOLATILE_CLASS}" data-volatile="{name}">{esc(value)}</span>'


_VOLATILE_SPAN = re.compile(r'<span class="ntm-volatile" data-volatile="([A-Za-z_]+)">(.*?)</span>', re.S)


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
    sums = checksums(DATA_FILES, ctx.params.data_dir)
    data = pd.DataFrame({"File": list(sums), "SHA-256": list(sums.values())})
    vers = pd.DataFrame({"Package": list(versions()), "Version": list(versions().values())})
    params = json.dumps(ctx.params.to_notebook_parameters(), ensure_ascii=False, indent=1, sort_keys=True)
    now = now or _dt.datetime.now(_dt.timezone.utc)
    return "".join([
        f"<p>Rendered {volatile('rendered_at', now.strftime('%Y-%m-%d %H:%M UTC'))} from git commit "
        f"<code>{esc(git_commit())}</code>.</p>",
        "<h4>Parameters</h4>", f'<pre class="ntm-params">{esc(params)}</pre>',
        "<h4>Data files</h4>", html_table(data),
        "<h4>Software</h4>", html_table(vers),
    ])
