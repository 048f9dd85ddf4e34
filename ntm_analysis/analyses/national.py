"""The all-province analysis behind ``notebooks/national_overview.ipynb`` and the report's model section.

* :func:`analysis_frame` — one row per province × survey year (2010–2016): nominal and real
  income (constant prices of a base year, national CPI), the poverty rate on the 2011–2015
  income line (one consistent measure: 2006–2008 use another line and 2023 another
  standard, so they are left out), population and region.
* :func:`fit_national_models` — the models of the overview on that frame: two-way FE of ln
  poverty on ln real income with province-clustered and wild-bootstrap inference, β- and
  σ-convergence of real income, and the headline resource associations across provinces
  (:mod:`ntm_analysis.analyses.resources`) with their robustness tables, specification curves and verdicts.
* :func:`regional_small_multiples` — income and poverty of every province by region, each line named by a
  direct label (:func:`spread_labels` keeps the labels apart).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from ntm_analysis.data import geo
from ntm_analysis.indicators import to_real
from ntm_analysis.analyses.resources import (HEADLINE_ASSOCIATIONS, association_inputs, association_verdict,
                                            resource_measures, resources_association, resources_robustness,
                                            specification_curve)
from ntm_analysis.models import ModelResult, beta_convergence, panel_fe, sigma_convergence
from ntm_analysis.data.panel import load_panel, wide
from ntm_analysis.data.variables import CPI_VARIABLE, INCOME, POPULATION, POVERTY_LINE

POVERTY_MEASURE = "gso_income_line_2011_2015"
DEFAULT_BASE_YEAR = 2010
SOURCE = "GSO VHLSS income and poverty, GSO population and CPI (data/raw; see data/provenance.yml)"


def analysis_frame(base_year: int = DEFAULT_BASE_YEAR, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Province × year frame for the models, 2010–2016, one poverty measure, income in real terms.

    Columns: code, name, region, year, income_nominal, income_real, poverty_rate, population,
    ln_income_real, ln_poverty, status (preliminary if any input of the row is). A province-year
    with a missing or zero figure keeps NA in the affected column (the models leave it out and
    say so). ``attrs["price_basis"]`` names the prices.
    """
    panel = load_panel(data_dir=data_dir)
    pov = panel[(panel["variable"] == POVERTY_LINE) & (panel["measure"] == POVERTY_MEASURE)]
    inc = panel[panel["variable"] == INCOME]
    years = sorted(set(pov["year"]) & set(inc["year"]) | set(pov["year"]))
    cols = [INCOME, POPULATION]
    w = wide(pd.concat([panel[panel["variable"].isin(cols) & panel["year"].isin(years)], pov]),
             index=("code", "name", "year"))
    w = w.rename(columns={INCOME: "income_nominal", POVERTY_LINE:
                          "poverty_rate", POPULATION: "population"})
    for col in ("income_nominal", "poverty_rate", "population"):
        if col not in w:
            w[col] = np.nan
    reg = geo.provinces_by_code(2008)
    w["code"] = w["code"].astype(str)
    w["region"] = w["code"].map(lambda c: reg[c].region)
    prelim = panel[panel["year"].isin(years) & (panel["status"] == "preliminary")
                   & panel["variable"].isin(cols + [POVERTY_LINE])]
    pre_keys = set(zip(prelim["code"].astype(str), prelim["year"]))
    w["status"] = ["preliminary" if (c, y) in pre_keys else "final" for c, y in zip(w["code"], w["year"])]
    real = to_real(w, base_year=base_year, column="income_nominal",
                   cpi=load_panel(level="national", variables=CPI_VARIABLE, data_dir=data_dir), missing="na")
    real_col = next(c for c in real.columns if c.startswith("income_nominal_real") or c.endswith(f"_real_{base_year}"))
    w["income_real"] = real[real_col].to_numpy()
    w["price_basis"] = real["price_basis"].to_numpy()
    with np.errstate(divide="ignore"):
        w["ln_income_real"] = np.log(w["income_real"].where(w["income_real"] > 0))
        w["ln_poverty"] = np.log(w["poverty_rate"].where(w["poverty_rate"] > 0))
    w = w.sort_values(["code", "year"]).reset_index(drop=True)
    w.attrs["price_basis"] = f"constant {base_year} prices (national CPI)"
    w.attrs["poverty_measure"] = POVERTY_MEASURE
    return w[["code", "name", "region", "year", "income_nominal", "income_real", "price_basis", "poverty_rate",
              "population", "ln_income_real", "ln_poverty", "status"]]


def association_id(association: tuple) -> str:
    """A stable id for one (measure, period, outcome[, control]) of ``HEADLINE_ASSOCIATIONS``, e.g.
    ``"central_ntp_transfers_plan 2016–2016 → real_income_growth_2016_2018"``."""
    measure, period, outcome = association[:3]
    return f"{measure} {period[0]}–{period[1]} → {outcome}"


@dataclass
class NationalModels:
    """The overview's fitted models (each a tidy :class:`ModelResult`) and the frames they used.

    ``associations``, ``robustness``, ``curves`` and ``verdicts`` are keyed by :func:`association_id` of each
    entry of :data:`~ntm_analysis.analyses.resources.HEADLINE_ASSOCIATIONS` (in that order): the
    cross-section result (with ``.sample`` and ``.excluded``), its robustness table, its specification curve and
    its verdict (:func:`~ntm_analysis.analyses.resources.association_verdict`). ``measures`` is
    :func:`~ntm_analysis.analyses.resources.resource_measures`.
    """

    poverty_income_fe: ModelResult
    beta_income: ModelResult
    sigma_income: ModelResult
    frame: pd.DataFrame
    associations: dict[str, ModelResult] = field(default_factory=dict)
    robustness: dict[str, pd.DataFrame] = field(default_factory=dict)
    curves: dict[str, pd.DataFrame] = field(default_factory=dict)
    verdicts: dict[str, dict] = field(default_factory=dict)
    headline: list[tuple] = field(default_factory=list)
    measures: pd.DataFrame | None = None

    def results(self) -> dict[str, ModelResult]:
        out = {"Poverty on real income, two-way FE": self.poverty_income_fe,
               "β-convergence of real income": self.beta_income,
               "σ-convergence of real income": self.sigma_income}
        out.update(self.associations)
        return out


def fit_national_models(base_year: int = DEFAULT_BASE_YEAR, bootstrap: int = 999, seed: int = 20251,
                        data_dir: str | os.PathLike | None = None, associations=None) -> NationalModels:
    """Fit the overview's models on the published data (see the module docstring).

    ``associations``: the (measure, period, outcome[, control]) to fit, default
    :data:`~ntm_analysis.analyses.resources.HEADLINE_ASSOCIATIONS`; each gets its robustness table,
    specification curve and verdict.
    """
    frame = analysis_frame(base_year, data_dir)
    fe = panel_fe(frame, "ln_poverty", "ln_income_real", entity="code", time="year", cluster="code",
                  bootstrap=bootstrap, bootstrap_weights="rademacher", seed=seed)
    inc = frame.dropna(subset=["income_real"])
    beta = beta_convergence(inc, "income_real", unit="code", time="year", region="region")
    sigma = sigma_convergence(inc, "income_real", unit="code", time="year")
    headline = list(HEADLINE_ASSOCIATIONS if associations is None else associations)
    out = NationalModels(fe, beta, sigma, frame, headline=headline, measures=resource_measures(data_dir))
    for a in headline:
        measure, period, outcome = a[:3]
        key = association_id(a)
        inputs = association_inputs(measure, outcome, period, data_dir)
        res = resources_association(measure, outcome, period, data_dir=data_dir)
        rob = resources_robustness(measure, outcome, period, inputs=inputs)
        curve = specification_curve(measure, outcome, period, inputs=inputs)
        out.associations[key] = res
        out.robustness[key] = rob
        out.curves[key] = curve
        out.verdicts[key] = association_verdict(res, rob, curve)
    return out


#: Font size (points) of the direct labels naming each line, and the vertical room each takes (points).
LABEL_FONT_SIZE = 6.5
LABEL_STEP = 1.4 * LABEL_FONT_SIZE


def spread_labels(targets, step: float, low: float, high: float) -> np.ndarray:
    """Positions as close as possible to ``targets`` with at least ``step`` between neighbours, kept within
    ``low``–``high`` when they fit (else from ``low`` up, still ``step`` apart); in the order of ``targets``.

    Two passes over the sorted targets: push up from below, then, past ``high``, down from the top."""
    t = np.asarray(targets, dtype=float)
    order = np.argsort(t, kind="stable")
    p = t[order].copy()
    if not len(p):
        return p
    p[0] = max(p[0], low)
    for i in range(1, len(p)):
        p[i] = max(p[i], p[i - 1] + step)
    if p[-1] > high:
        p[-1] = high
        for i in range(len(p) - 2, -1, -1):
            p[i] = min(p[i], p[i + 1] - step)
        if p[0] < low:  # more than fit: keep the spacing, from the bottom
            p += low - p[0]
    out = np.empty_like(p)
    out[order] = p
    return out


def regional_small_multiples(frame: pd.DataFrame, column: str, ylabel: str, title: str,
                             source: str = SOURCE) -> plt.Figure:
    """One panel per GSO region, one line per province over the survey years, each line named by a direct label
    to the right of the panel, in the line's colour, joined to the line's last point by a thin leader. The labels
    are spread apart (:func:`spread_labels`) so that none overlaps another. With a source line."""
    sns.set_theme(style="whitegrid", context="notebook", font_scale=0.85)
    df = frame.dropna(subset=[column]).sort_values(["code", "year"])
    regions = list(geo.REGIONS)
    nrows = -(-len(regions) // 2)
    fig, axes = plt.subplots(nrows, 2, figsize=(10.5, 3.4 * nrows), sharey=True, sharex=True, squeeze=False)
    fig.subplots_adjust(left=0.08, right=0.85, top=0.93, bottom=0.07, wspace=0.42, hspace=0.3)
    years = sorted(int(y) for y in df["year"].unique())
    palette = sns.color_palette("tab20", 20)
    colours = [palette[i] for i in range(0, 20, 2)] + [palette[i] for i in range(1, 20, 2)]
    lo, hi = float(df[column].min()), float(df[column].max())
    pad = 0.05 * ((hi - lo) or 1.0)
    for ax, region in zip(axes.flat, regions):
        ax.set_ylim(lo - pad, hi + pad)
        ax.set_xticks(years)
        ax.set_xticklabels([str(y) for y in years])
        ax.set_title(region, fontsize=9, loc="left")
        ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _p: f"{v:,.0f}"))
        ax.tick_params(labelsize=7.5)
        ends = []
        for i, (_code, g) in enumerate(df[df["region"] == region].groupby("code", sort=True)):
            colour = colours[i % len(colours)]
            ax.plot(g["year"], g[column], marker="o", markersize=2.5, linewidth=1.2, color=colour)
            last = g.iloc[-1]
            ends.append((float(last["year"]), float(last[column]), str(last["name"]), colour))
        if not ends:
            continue
        # the labels' heights in axes fraction: the panel's height in points is known before drawing
        height_pt = ax.get_position().height * fig.get_figheight() * 72.0
        y0, y1 = ax.get_ylim()
        targets = [(y - y0) / (y1 - y0) for _, y, _, _ in ends]
        half = 0.5 * LABEL_STEP / height_pt
        placed = spread_labels(targets, LABEL_STEP / height_pt, half, 1.0 - half)
        for (x, y, name, colour), frac in zip(ends, placed):
            ax.annotate(name, xy=(x, y), xycoords="data", xytext=(1.03, frac), textcoords="axes fraction",
                        fontsize=LABEL_FONT_SIZE, color=tuple(0.7 * c for c in colour[:3]), va="center",
                        ha="left", annotation_clip=False,
                        arrowprops={"arrowstyle": "-", "color": colour, "linewidth": 0.5, "alpha": 0.7,
                                    "shrinkA": 1, "shrinkB": 1.5})
    for ax in axes.flat[len(regions):]:
        ax.set_visible(False)
    for ax in axes[-1]:
        ax.set_xlabel("Year", fontsize=8)
    fig.supylabel(ylabel, fontsize=9)
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold")
    fig.text(0.01, 0.005, f"Source: {source}", fontsize=7.5, color="#555555")
    return fig
