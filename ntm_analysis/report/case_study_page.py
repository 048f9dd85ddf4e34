"""Tables and figures of the case-study page (``notebooks/case_studies.ipynb``) as a reader sees them.

The computation is :mod:`ntm_analysis.analyses.case_studies` (each claim recomputed from ``data/``); here the seed
articles' figures are written out for reading and the same fall in a poverty rate is drawn two ways.
"""
from __future__ import annotations

import os

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from ntm_analysis import i18n
from ntm_analysis.data.ntm_provincial import load_seed_facts
from ntm_analysis.indicators import compound_rate, pp_per_year


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
