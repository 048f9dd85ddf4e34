"""The seed articles' case studies (Lào Cai: Mường Khương, Gia Phú, Y Tý; Đắk Nông: Đắk Ha, Tâm Thắng).

Tables and figures for ``notebooks/case_studies.ipynb``: every figure the two
articles state, each claim recomputed from ``data/`` beside the article's own
words (:func:`ntm_analysis.indicators.seed_claims`), and the provinces' published
statistics for context.
"""
from __future__ import annotations

import os

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from ntm_analysis.data import geo
from ntm_analysis import i18n
from ntm_analysis.indicators import compound_rate, pp_per_year, seed_claims
from ntm_analysis.data.ntm_provincial import load_ntm_reports, load_seed_facts
from ntm_analysis.data.panel import load_panel

FACT_COLUMNS = ["place", "place_level", "period_label", "indicator", "value_text", "unit", "qualifier", "quote"]


def facts_table(article: str | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """The seed facts in reading order, with the value written out and the period as one label."""
    df = load_seed_facts(data_dir)
    if article is not None:
        df = df[df["article"] == article]
    start, end = df["period_start"].fillna(""), df["period_end"].fillna("")
    period = [(s if s == e else f"{s}–{e}") if (s or e) else "not stated" for s, e in zip(start, end)]
    prefix = df["qualifier"].map({"lower_bound": "over ", "approximate": "about ", "target": "target "}).fillna("")
    out = df.assign(period_label=period,
                    value_text=prefix + df["value"].map(lambda v: i18n.fmt_number(v, "en", 0 if v == int(v) else 2)))
    return out[FACT_COLUMNS].reset_index(drop=True)


def claims_table(data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Each claim: the article's words beside the value recomputed from data/ and what it means."""
    c = seed_claims(load_seed_facts(data_dir))
    return c[["claim", "article_wording", "recomputed_value", "unit", "consistent_with_article", "explanation",
              "ambiguity_note"]]


def province_context(province: object, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """The province's published income and poverty beside the nation's, by year (GSO; measure and status kept)."""
    p = geo.lookup_province(province, 2008)
    panel = load_panel(level="all", variables=["income_per_capita_nominal", "poverty_rate_gso_income_line",
                                               "poverty_rate_gso_multidimensional"], data_dir=data_dir)
    sel = panel[panel["code"].isin([p.code, "VN"])].copy()
    sel["place"] = sel["name"].astype(str)
    return (sel[["place", "variable", "year", "value", "unit", "measure", "status"]]
            .sort_values(["variable", "place", "year"]).reset_index(drop=True))


def province_resources(province: object, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """What the province itself reported about NTM resources and communes (periods kept apart)."""
    df = load_ntm_reports(province=province, data_dir=data_dir)
    return df[["indicator", "period_label", "value", "unit", "value_reported", "unit_reported", "qualifier",
               "confidence", "source_url"]]


def plot_two_readings(v0: float, v1: float, y0: int, y1: int, place: str, source: str, lang: str = "en") -> Figure:
    """The same fall in a poverty rate drawn two ways: a straight line (constant pp/year) and a
    compound path (constant %/year), with both rates in the legend."""
    sns.set_theme(style="whitegrid", context="notebook", font_scale=0.9)
    years = list(range(y0, y1 + 1))
    pp = pp_per_year(v0, v1, y0, y1)
    cr = compound_rate(v0, v1, y0, y1)
    linear = [v0 + pp * (y - y0) for y in years]
    compound = [v0 * (1 + cr / 100) ** (y - y0) for y in years]
    fig, ax = plt.subplots(figsize=(8, 4.2), dpi=96)
    ax.plot(years, linear, "-", color="#1f77b4",
            label=f"{i18n.fmt_number(pp, lang, 2)} {i18n.t('pp_per_year', lang)}: straight-line path")
    ax.plot(years, compound, "--", color="#ff7f0e",
            label=f"{i18n.fmt_number(cr, lang, 1)} {i18n.t('pct_per_year', lang)} path")
    ax.scatter([y0, y1], [v0, v1], color="black", zorder=3, label="published values")
    for y, v in ((y0, v0), (y1, v1)):
        ax.annotate(i18n.fmt_percent(v, lang, 2), (y, v), textcoords="offset points", xytext=(6, 6), fontsize=9)
    ax.set_title(f"{place}: poverty rate {y0}–{y1}, two readings of the same change", loc="left",
                 fontsize=11, fontweight="bold")
    ax.set_xlabel(i18n.t("year", lang))
    ax.set_ylabel(i18n.t("poverty_axis", lang))
    ax.set_xticks(years)
    ax.set_ylim(0, max(v0, v1) * 1.15)
    ax.legend(loc="upper right", fontsize=8.5)
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    fig.text(0.01, 0.01, i18n.t("source_line", lang, source=source) +
             " — intermediate years are not published: the paths only illustrate the two rates.",
             fontsize=7.5, color="#555555")
    return fig
