"""Figures of the per-province report: seaborn style, titles, axis labels with units, a source line.

Every function takes a :class:`ntm_analysis.report.context.ReportContext` and returns a
matplotlib Figure, its text in the report's language. Points are the published
figures; lines join only consecutive survey years of one measure
(:data:`MAX_JOIN_GAP`), so a gap in the data stays a visible gap and a change of
measure is never bridged.

Text is set in :data:`FONT_FAMILY` (DejaVu Sans, shipped with matplotlib), which
has every glyph of Vietnamese. :func:`ntm_analysis.report.png.image` turns a figure
into the PNG the report embeds (the display layer shows figures through it).
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ntm_analysis import i18n
from ntm_analysis.analyses.seed_cases import ARTICLES, claim_input
from ntm_analysis.data.variables import POVERTY_LINE, POVERTY_MULTI
from ntm_analysis.report import results, text
from ntm_analysis.report.png import DPI
from ntm_analysis.report.context import REAL_BASE_YEAR, ReportContext, region_name
from ntm_analysis.report.results import income_series


def measure_label(measure: object, lang: str) -> str:
    return i18n.label("measure", measure, lang)

#: Published years further apart than this are not joined by a line.
MAX_JOIN_GAP = 2
FIGSIZE = (9.0, 4.4)
#: The figures' font: it covers Latin Extended Additional (every Vietnamese letter with its tone mark).
FONT_FAMILY = "DejaVu Sans"
#: English source lines (kept for callers; the figures use :func:`ntm_analysis.i18n.t`).
GSO_SOURCE = i18n.t("gso_source_fig", "en")
NTM_SOURCE = i18n.t("ntm_source_fig", "en")


def _style() -> None:
    sns.set_theme(style="whitegrid", context="notebook", font_scale=0.9, font=FONT_FAMILY,
                  rc={"font.sans-serif": [FONT_FAMILY]})


def thousands(lang: str = "en", decimals: int = 0) -> FuncFormatter:
    """Axis tick formatter with thousands separators."""
    return FuncFormatter(lambda v, _pos: i18n.fmt_number(v, lang, decimals))


def finish(fig: Figure, ax, title: str, xlabel: str, ylabel: str, source: str, lang: str = "en",
           y_decimals: int = 0, x_decimals: int | None = None) -> Figure:
    """Title, axis labels, thousands separators and a source line under the chart. The x axis shows years
    (whole numbers) unless ``x_decimals`` is given (then numbers with that many decimals)."""
    ax.set_title(title, loc="left", fontsize=11, fontweight="bold")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.yaxis.set_major_formatter(thousands(lang, y_decimals))
    if x_decimals is None:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    else:
        ax.xaxis.set_major_formatter(thousands(lang, x_decimals))
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    fig.text(0.01, 0.01, i18n.t("source_line", lang, source=source), fontsize=7.5, color="#555555",
             ha="left", va="bottom")
    return fig


def separate_labels(fig: Figure, labels, step_pt: float = 1.5, tries: int = 8) -> None:
    """Move point labels (annotations placed in offset points) so that no two overlap: each label in turn is
    shifted down or up by its own height (0, −1, +1, −2, +2, … heights) until its box meets no label placed
    before it. Called once the figure is laid out (after ``tight_layout``)."""
    labels = list(labels)
    if len(labels) < 2:
        return
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    placed = []
    for ann in labels:
        x0, y0 = ann.xyann
        height = ann.get_window_extent(renderer).height * 72 / fig.dpi + step_pt
        for k in [0] + [s * i for i in range(1, tries + 1) for s in (-1, 1)]:
            ann.xyann = (x0, y0 + k * height)
            box = ann.get_window_extent(renderer)
            if not any(box.overlaps(other) for other in placed):
                break
        placed.append(ann.get_window_extent(renderer))


def segments(df: pd.DataFrame, max_gap: int = MAX_JOIN_GAP) -> list[pd.DataFrame]:
    """Split a (sorted) series into runs of years no further apart than ``max_gap``."""
    df = df.sort_values("year")
    if df.empty:
        return []
    run = (df["year"].diff().fillna(0) > max_gap).cumsum()
    return [g for _, g in df.groupby(run)]


#: Statuses drawn as hollow points: not final figures of the publisher's own table.
HOLLOW_STATUSES = ("preliminary", "published (secondary copy)")


def _draw(ax, df: pd.DataFrame, label: str, color, linestyle: str = "-", marker: str = "o") -> None:
    """Published points (hollow when preliminary or read from a secondary copy), lines only within runs of
    consecutive survey years."""
    if df.empty:
        return
    first = True
    for seg in segments(df):
        ax.plot(seg["year"], seg["value"], linestyle=linestyle, color=color, linewidth=1.8, marker=marker,
                markersize=5, label=label if first else None)
        first = False
    hollow = df["status"].isin(HOLLOW_STATUSES)
    final, prelim = df[~hollow], df[hollow]
    ax.scatter(final["year"], final["value"], color=color, marker=marker, s=30, zorder=3)
    ax.scatter(prelim["year"], prelim["value"], facecolor="white", edgecolor=color, marker=marker, s=34,
               zorder=3, linewidth=1.5)


def _legend_prelim(ax, lang: str = "en") -> None:
    ax.scatter([], [], facecolor="white", edgecolor="#444444", marker="o", label=i18n.t("legend_hollow", lang))
    ax.legend(fontsize=7.5, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)


def _empty(ax, text: str) -> None:
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center", color="#777777")


def income_over_time(ctx: ReportContext) -> Figure:
    """Income per capita of the province (or its 2025 aggregate and each constituent), its region and the
    nation, at current or constant prices as the parameters say."""
    _style()
    fig, ax = plt.subplots(figsize=FIGSIZE, dpi=DPI)
    real = ctx.params.price_basis == "real"
    palette = sns.color_palette("deep", len(ctx.members) + len(ctx.regions) + 1)
    i = 0
    agg = income_series(ctx, "aggregate")
    if len(agg):
        _draw(ax, agg, i18n.t("legend_aggregate", ctx.lang, name=ctx.place.name_short), "#000000", marker="P")
    for m in ctx.members:
        _draw(ax, income_series(ctx, "province", [m.code]), m.name_short, palette[i])
        i += 1
    for region in ctx.regions:
        _draw(ax, income_series(ctx, "region", [region]),
              i18n.t("legend_region", ctx.lang, region=region_name(region, ctx.lang)), palette[i], linestyle="--",
              marker="s")
        i += 1
    _draw(ax, income_series(ctx, "national"), i18n.t("nation", ctx.lang), "#333333", linestyle=":", marker="D")
    if ax.has_data():
        _legend_prelim(ax, ctx.lang)
    else:
        _empty(ax, i18n.t("missing", ctx.lang))
    basis = (i18n.t("real", ctx.lang, base=REAL_BASE_YEAR) if real else i18n.t("nominal", ctx.lang))
    ylabel = (i18n.t("income_real_axis", ctx.lang, base=REAL_BASE_YEAR) if real else i18n.t("income_axis", ctx.lang))
    source = i18n.t("gso_source_fig", ctx.lang) + (i18n.t("cpi_source", ctx.lang) if real else "")
    return finish(fig, ax, i18n.t("income_title", ctx.lang, name=ctx.place.name_short, basis=basis),
                  i18n.t("year", ctx.lang), ylabel, source, ctx.lang)


def poverty_over_time(ctx: ReportContext) -> Figure:
    """Poverty rates by measure: one series per measure, breaks marked, never joined across a break."""
    _style()
    fig, ax = plt.subplots(figsize=FIGSIZE, dpi=DPI)
    markers = {"gso_income_line_2006_2010": "o", "gso_income_line_2011_2015": "s",
               "gso_multidimensional_2022_2025": "^"}
    palette = sns.color_palette("deep", len(ctx.members) + 1)
    places = [(m.name_short, "province", [m.code], palette[i], "-") for i, m in enumerate(ctx.members)]
    if len(ctx.aggregate):
        places.insert(0, (i18n.t("legend_aggregate_short", ctx.lang, name=ctx.place.name_short), "aggregate", None,
                          "#000000", "-"))
    places.append((i18n.t("nation", ctx.lang), "national", ["VN"], "#333333", ":"))
    for name, level, codes, color, ls in places:
        df = pd.concat([ctx.series(POVERTY_LINE, level, codes), ctx.series(POVERTY_MULTI, level, codes)])
        for measure, g in df.groupby("measure", observed=True, sort=True):
            label = f"{name}: {i18n.label('measure', measure, ctx.lang)}"
            _draw(ax, g, label, color, linestyle=ls, marker=markers.get(measure, "o"))
    years = ctx.panel.loc[ctx.panel["variable"].isin([POVERTY_LINE, POVERTY_MULTI]), ["year", "measure"]]
    breaks = years.drop_duplicates().sort_values("year")
    prev = None
    for _, r in breaks.iterrows():
        if prev is not None and r["measure"] != prev["measure"]:
            x = (prev["year"] + r["year"]) / 2
            ax.axvline(x, color="#B03030", linestyle="--", linewidth=1)
            ax.text(x, 0.02, i18n.t("measure_break_short", ctx.lang), transform=ax.get_xaxis_transform(),
                    color="#B03030",
                    fontsize=7.5, va="bottom", ha="left")
        prev = r
    if ax.has_data():
        _legend_prelim(ax, ctx.lang)
        ax.set_ylim(bottom=0)
    else:
        _empty(ax, i18n.t("missing", ctx.lang))
    return finish(fig, ax, i18n.t("poverty_title", ctx.lang, name=ctx.place.name_short),
                  i18n.t("year", ctx.lang), i18n.t("poverty_axis", ctx.lang), i18n.t("gso_source_fig", ctx.lang),
                  ctx.lang, 0)


def ntm_progress(ctx: ReportContext) -> Figure:
    """The province's reported NTM figures: communes meeting the standard (points at the date reported)
    and resources mobilised (a bar over the period each figure covers). Nothing is joined or summed."""
    _style()
    lang = ctx.lang
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(FIGSIZE[0] + 1.5, FIGSIZE[1]), dpi=DPI)
    ntm = ctx.ntm
    palette = sns.color_palette("deep", len(ctx.members))
    conf_marker = {"high": "o", "medium": "s", "low": "x"}
    communes = ntm[(ntm["indicator"] == "communes_ntm") & (ntm["unit"] == "communes")].dropna(subset=["end_year"])
    for i, m in enumerate(ctx.members):
        mine = communes[communes["province_code"] == m.code]
        for conf, g in mine.groupby("confidence"):
            conf_text = i18n.t("confidence_legend", lang, confidence=i18n.label("confidence", conf, lang))
            ax1.scatter(g["end_year"].astype(int), g["value"], color=palette[i], marker=conf_marker.get(conf, "o"),
                        s=36, label=f"{m.name_short} ({conf_text})" if len(ctx.members) > 1 else conf_text)
    if communes.empty:
        _empty(ax1, i18n.t("no_communes", lang))
    else:
        ax1.legend(fontsize=7.5)
        ax1.set_ylim(bottom=0)
    ax1.set_title(i18n.t("communes_title", lang), loc="left", fontsize=10)
    ax1.set_xlabel(i18n.t("year", lang))
    ax1.set_ylabel(i18n.t("communes_ylabel", lang))
    ax1.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax1.yaxis.set_major_formatter(thousands(lang))
    res = ntm[(ntm["indicator"] == "resources_total")].dropna(subset=["end_year"])
    scopes = results.ntm_scopes(ctx)
    shades = sns.color_palette("colorblind", max(len(res), 1))
    for i, m in enumerate(ctx.members):
        mine = res[res["province_code"] == m.code]
        for _, r in mine.iterrows():
            start = int(r["start_year"]) if pd.notna(r["start_year"]) else int(r["end_year"])
            hatch = "//" if r["qualifier"] in ("lower_bound", "approximate") else None
            # each bar is named in the legend (period, scope, confidence): labels on the bars overlapped when two
            # totals cover the same period
            label = i18n.t("resources_bar", lang, period=i18n.period(r["period_label"], lang),
                           scope=i18n.label("resource_scope", scopes.get(int(r["source_row"]), "not stated"), lang),
                           confidence=i18n.label("confidence", r["confidence"], lang))
            if len(ctx.members) > 1:
                label = f"{m.name_short}: {label}"
            ax2.hlines(r["value"], start, int(r["end_year"]) + 1, linewidth=5, label=label,
                       color=palette[i] if len(mine) == 1 else shades[len(ax2.collections) % len(shades)],
                       linestyle="-" if hatch is None else (0, (2, 1)))
    if res.empty:
        _empty(ax2, i18n.t("no_resources", lang))
    else:
        ax2.set_ylim(bottom=0, top=max(res["value"]) * (1.25 + 0.12 * len(res)))
        ax2.legend(fontsize=6.5, loc="upper left")
    ax2.set_title(i18n.t("resources_title", lang), loc="left", fontsize=10)
    ax2.set_xlabel(i18n.t("resources_xlabel", lang, year=i18n.t("year", lang)))
    ax2.set_ylabel(i18n.t("resources_axis", lang))
    ax2.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax2.yaxis.set_major_formatter(thousands(lang))
    fig.suptitle(i18n.t("ntm_title", lang, name=ctx.place.name_short), x=0.01, ha="left", fontsize=11,
                 fontweight="bold")
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    fig.text(0.01, 0.01, i18n.t("source_line", lang, source=i18n.t("ntm_source_fig", lang)), fontsize=7.5,
             color="#555555")
    return fig


def _signed(value: float, lang: str, decimals: int) -> str:
    return ("+" if value > 0 else "") + i18n.fmt_number(value, lang, decimals)


def model_scatter(ctx: ReportContext) -> Figure:
    """Every province of the cross-province model (:func:`ntm_analysis.report.results.model`): change in
    ln real income against change in ln poverty, the fitted line, and the report's province(s) highlighted and
    labelled with their residual (a dotted segment from the line to the point). A member left out of the model is
    named in a note on the chart."""
    _style()
    lang = ctx.lang
    model = results.model(ctx)
    f = model.frame
    inside = f[f["in_model"]]
    codes = [m.code for m in ctx.members]
    fig, ax = plt.subplots(figsize=FIGSIZE, dpi=DPI)
    others = inside[~inside["code"].isin(codes)]
    ax.scatter(others["dln_income"], others["dln_poverty"], color="#a0a0a0", s=26, edgecolor="white", linewidth=0.5,
               label=i18n.t("model_others_legend", lang))
    xs = np.linspace(float(inside["dln_income"].min()), float(inside["dln_income"].max()), 2)
    ax.plot(xs, model.intercept + model.slope * xs, color="#333333", linewidth=1.4,
            label=i18n.t("model_line_legend", lang, b=i18n.fmt_number(model.slope, lang, 2)))
    palette = sns.color_palette("deep", len(ctx.members))
    missing, labels = [], []
    for i, m in enumerate(ctx.members):
        mine = f[f["code"] == m.code]
        if mine.empty or not bool(mine["in_model"].iloc[0]):
            missing.append(i18n.t("model_not_in_chart", lang, name=m.name_short))
            continue
        r = mine.iloc[0]
        ax.vlines(r["dln_income"], r["predicted"], r["dln_poverty"], color=palette[i], linestyle=":", linewidth=1.5)
        ax.scatter([r["dln_income"]], [r["dln_poverty"]], color=palette[i], s=90, edgecolor="black", linewidth=0.8,
                   zorder=4)
        resid = _signed(r["residual"], lang, text.LOG_DECIMALS)
        labels.append(ax.annotate(i18n.t("model_point_label", lang, name=m.name_short, resid=resid),
                    (r["dln_income"], r["dln_poverty"]), textcoords="offset points", xytext=(8, -14 if i % 2 else 8),
                    fontsize=8.5, fontweight="bold", color=palette[i], zorder=5,
                    bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.85}))
    if missing:
        ax.text(0.99, 0.02, "\n".join(missing), transform=ax.transAxes, ha="right", va="bottom", fontsize=8,
                color="#555555")
    ax.legend(fontsize=7.5, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    title = i18n.t("model_title", lang, n=model.cross_section.n_obs, y0=model.y0, y1=model.y1)
    source = i18n.t("model_source", lang, measure=measure_label(model.measure, lang))
    fig = finish(fig, ax, title, i18n.t("model_xlabel", lang, y0=model.y0, y1=model.y1),
                 i18n.t("model_ylabel", lang), source, lang, y_decimals=2, x_decimals=2)
    separate_labels(fig, labels)  # constituents of a 2025 province can lie close together
    return fig


def has_seed_figure(ctx: ReportContext) -> bool:
    """True when the seed articles state poverty rates for places of the report's province(s)."""
    return not results.seed_points(ctx).empty


def seed_poverty(ctx: ReportContext) -> Figure:
    """The poverty rates a seed article states for places of the province: the published points only (the years
    between are not published and nothing joins them), a dashed line where the library judges that two rates
    probably straddle a change of poverty standard, and the article's "average decrease" beside its two readings
    (percentage points per year and compound rate)."""
    _style()
    lang = ctx.lang
    pts = results.seed_points(ctx)
    claims = results.seed_case(ctx)
    fig, ax = plt.subplots(figsize=FIGSIZE, dpi=DPI)
    places = list(dict.fromkeys(pts["place"]))
    palette = sns.color_palette("deep", len(places))
    markers = "osD^v"
    for i, place in enumerate(places):
        g = pts[pts["place"] == place]
        ax.scatter(g["year"], g["value"], color=palette[i], marker=markers[i % len(markers)], s=46, zorder=3,
                   label=place)
        for y, v in zip(g["year"], g["value"]):
            ax.annotate(i18n.fmt_percent(v, lang, 2), (y, v), textcoords="offset points", xytext=(6, 5), fontsize=8.5,
                        color=palette[i])
        mine = claims[claims["place"] == place]
        years = sorted(g["year"])
        for a, b in zip(years, years[1:]):
            spans = mine[(mine["kind"] == "change") & (mine["y0"] == a) & (mine["y1"] == b) & mine["spans_standard"]]
            if len(spans):
                x = (a + b) / 2
                ax.axvline(x, color="#B03030", linestyle="--", linewidth=1)
                ax.text(x, 0.02, i18n.t("seed_fig_break", lang), transform=ax.get_xaxis_transform(), color="#B03030",
                        fontsize=7.5, va="bottom", ha="left")
    notes = []
    for place in places:
        mine = claims[claims["place"] == place]
        pp, cr = mine[mine["kind"] == "avg_pp"], mine[mine["kind"] == "avg_compound"]
        if len(pp) and len(cr):
            stated = claim_input(pp.iloc[0], "poverty_rate_avg_decrease")
            notes.append(i18n.t("seed_fig_readings", lang, place=place, stated=text.as_written(stated, lang),
                                pp=i18n.fmt_number(pp["recomputed_value"].iloc[0], lang, 2),
                                cr=i18n.fmt_number(cr["recomputed_value"].iloc[0], lang, 1)))
    if notes:
        ax.text(0.99, 0.97, "\n".join(notes), transform=ax.transAxes, ha="right", va="top", fontsize=8,
                bbox={"boxstyle": "round,pad=0.4", "facecolor": "white", "edgecolor": "#cccccc"})
    ax.set_ylim(0, max(pts["value"]) * 1.3)
    ax.set_xlim(min(pts["year"]) - 0.7, max(pts["year"]) + 0.9)
    ax.legend(fontsize=7.5, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    publishers = ", ".join(dict.fromkeys(ARTICLES.get(a, {}).get("publisher", a) for a in pts["article"]))
    title = i18n.t("seed_fig_title", lang, publisher=publishers, places=", ".join(places))
    return finish(fig, ax, title, i18n.t("year", lang), i18n.t("seed_fig_ylabel", lang),
                  i18n.t("seed_fig_source", lang, publisher=publishers), lang, 0)
