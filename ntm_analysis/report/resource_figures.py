"""Figures of the "Resources and outcomes" section: the association scatter with the report's provinces
highlighted, and the specification curve of one association.

Both take plain data (built by :mod:`ntm_analysis.report.resources_section` from the analyses' results) and
words already in the reader's language, and return a matplotlib Figure in the report's style
(:func:`ntm_analysis.report.figures.finish`: title, axis labels with units, a source line under the chart).
Nothing is drawn that the result does not carry: the fitted line only when a slope is reported, every
specification's own interval, the provinces of the sample only.
"""
from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullFormatter

from ntm_analysis import i18n
from ntm_analysis.report.figures import FONT_FAMILY, _style, separate_labels, thousands
from ntm_analysis.report.png import DPI

#: Colours: the other provinces, the fitted line, the highlighted provinces (in turn), the baseline specification.
OTHERS = "#a0a0a0"
LINE = "#333333"
HIGHLIGHT = ("#C0392B", "#1F6FB2", "#2E8B57", "#8E44AD")
BASELINE = "#C0392B"
#: Width of one association panel and the height of a row of panels (inches).
PANEL_W, PANEL_H = 4.6, 3.6
#: Panels per row of the association figure.
PER_ROW = 2
#: The gid of a highlighted province's label (the labels :func:`separate_labels` keeps apart).
LABEL_GID = "ntm-highlight-label"


@dataclass
class AssociationPanel:
    """One association as the scatter draws it.

    ``sample`` has one row per province of the sample: ``code, name, x, y`` (``x`` the regressor as fitted: the
    logarithm of the per-person value when ``log_x``). ``slope``/``intercept`` are None when no slope is reported
    (the line is then not drawn). ``highlight`` lists ``(code, name)`` of the report's provinces; ``notes`` are
    lines written under the points (e.g. a highlighted province not in the sample, and why).
    """

    title: str
    xlabel: str
    ylabel: str
    sample: pd.DataFrame
    n: int
    slope: float | None = None
    intercept: float | None = None
    log_x: bool = True
    highlight: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    n_label: str = ""


def _xs(panel: AssociationPanel, x: pd.Series | np.ndarray) -> np.ndarray:
    """Where a regressor value is drawn: the per-person value itself on a log axis when the regressor is its log."""
    x = np.asarray(x, dtype=float)
    return np.exp(x) if panel.log_x else x


def _draw_panel(ax, panel: AssociationPanel, lang: str) -> None:
    s = panel.sample
    codes = [c for c, _ in panel.highlight]
    others = s[~s["code"].isin(codes)]
    ax.scatter(_xs(panel, others["x"]), others["y"], color=OTHERS, s=24, edgecolor="white", linewidth=0.5, zorder=2)
    if panel.slope is not None and panel.intercept is not None and len(s) and \
            math.isfinite(panel.slope) and math.isfinite(panel.intercept):
        grid = np.linspace(float(s["x"].min()), float(s["x"].max()), 50)
        ax.plot(_xs(panel, grid), panel.intercept + panel.slope * grid, color=LINE, linewidth=1.3, zorder=3)
    placed = 0
    for i, (code, name) in enumerate(panel.highlight):
        mine = s[s["code"] == code]
        if mine.empty:
            continue
        r = mine.iloc[0]
        color = HIGHLIGHT[i % len(HIGHLIGHT)]
        x = float(_xs(panel, [r["x"]])[0])
        ax.scatter([x], [r["y"]], color=color, s=80, edgecolor="black", linewidth=0.8, zorder=5)
        ax.annotate(name, (x, r["y"]), textcoords="offset points", xytext=(7, 7 - 16 * (placed % 2)), fontsize=8.5,
                    gid=LABEL_GID,
                    fontweight="bold", color=color, zorder=6,
                    bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.85})
        placed += 1
    if panel.log_x and len(s):
        ax.set_xscale("log")
        xs = _xs(panel, s["x"])
        ax.set_xlim(float(xs.min()) / 1.3, float(xs.max()) * 1.3)
        decades = math.log10(float(xs.max()) / float(xs.min())) if float(xs.min()) > 0 else 9.0
        ax.xaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0) if decades <= 2.5 else (1.0,)))
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: _tick(v, lang)))
    else:
        ax.xaxis.set_major_formatter(thousands(lang, 1))
    ax.yaxis.set_major_formatter(thousands(lang, 0 if len(s) and s["y"].abs().max() >= 10 else 1))
    ax.axhline(0, color="#777777", linewidth=0.7, linestyle=":", zorder=1)
    head = [_wrap(panel.title, 46)] + [_wrap(x, 60) for x in [panel.n_label, *panel.notes] if x]
    ax.set_title(head[0], loc="left", fontsize=9, fontweight="bold")
    if len(head) > 1:  # n and the notes under the title, never over the points
        ax.text(0.0, 1.02, "\n".join(head[1:]), transform=ax.transAxes, ha="left", va="bottom", fontsize=7.5,
                color="#333333")
        ax.set_title("\n".join(head[0:1] + [""] * sum(x.count("\n") + 1 for x in head[1:])), loc="left",
                     fontsize=9, fontweight="bold")
    ax.set_xlabel(_wrap(panel.xlabel, 58), fontsize=8.5)
    ax.set_ylabel(_wrap(panel.ylabel, 34), fontsize=8.5)
    ax.tick_params(labelsize=8)


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width)) if text else ""


def _tick(v: float, lang: str) -> str:
    """A tick of a log axis with the decimals its size needs (0.05, 0.5, 2, 20); ticks below 0.01 are left
    unlabelled (three decimals read as thousands in one of the two languages: 0,001 / 0.001)."""
    if v <= 0:
        return ""
    decimals = max(0, -math.floor(math.log10(v) + 1e-9))
    return "" if decimals > 2 else i18n.fmt_number(v, lang, decimals)


def association_scatter(panels: list[AssociationPanel], *, title: str, source: str, lang: str = "en") -> Figure:
    """Small multiples, one panel per association: every province of its sample (grey), the report's provinces
    highlighted and labelled, the fitted line where a slope is reported, n and notes on the panel, one title and
    the source line under the chart."""
    _style()
    rows = max(1, math.ceil(len(panels) / PER_ROW))
    cols = PER_ROW if len(panels) > 1 else 1
    fig, axes = plt.subplots(rows, cols, figsize=(PANEL_W * cols, PANEL_H * rows + 0.6), dpi=DPI, squeeze=False)
    flat = list(axes.ravel())
    for ax, panel in zip(flat, panels):
        _draw_panel(ax, panel, lang)
    for ax in flat[len(panels):]:
        ax.set_visible(False)
    fig.suptitle(title, x=0.01, ha="left", fontsize=11, fontweight="bold", fontfamily=FONT_FAMILY)
    fig.tight_layout(rect=(0, 0.05, 1, 0.97))
    fig.text(0.01, 0.005, i18n.t("source_line", lang, source=source), fontsize=7.5, color="#555555", ha="left",
             va="bottom")
    for ax in flat[:len(panels)]:  # the report's provinces can lie close together (a 2025 province's constituents)
        separate_labels(fig, [t for t in ax.texts if t.get_gid() == LABEL_GID])
    return fig


def _curve_panel(ax, df: pd.DataFrame, ylabel: str, baseline_label: str, others_label: str, lang: str) -> None:
    df = df[df["estimate"].notna()].sort_values("estimate", kind="stable").reset_index(drop=True)
    pos = np.arange(1, len(df) + 1)
    base = df["baseline"].fillna(False).astype(bool).to_numpy() if "baseline" in df else np.zeros(len(df), bool)
    for mask, color, label, size in ((~base, "#4C72B0", others_label, 22), (base, BASELINE, baseline_label, 60)):
        if not mask.any():
            continue
        d = df[mask]
        ax.errorbar(pos[mask], d["estimate"], yerr=[d["estimate"] - d["ci_low"], d["ci_high"] - d["estimate"]],
                    fmt="none", ecolor=color, elinewidth=1.0, alpha=0.7, zorder=2)
        ax.scatter(pos[mask], d["estimate"], color=color, s=size, zorder=3, label=label,
                   edgecolor="black" if color == BASELINE else "white", linewidth=0.6)
    ax.axhline(0, color="#333333", linewidth=1.0, zorder=1)
    if len(df):
        ax.set_xlim(0.3, len(df) + 0.7)
        ax.legend(fontsize=8, loc="upper left", frameon=False)
    ax.set_ylabel(ylabel, fontsize=8.5)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.xaxis.set_major_formatter(thousands(lang, 0))
    ax.yaxis.set_major_formatter(thousands(lang, 2))


def specification_curve(curve: pd.DataFrame, *, title: str, xlabel: str, ylabel: str | dict, source: str,
                        baseline_label: str, others_label: str, group: str | None = None,
                        lang: str = "en") -> Figure:
    """Every specification's estimate with its 95 % interval, sorted by estimate (``curve``: ``estimate, ci_low,
    ci_high`` and a boolean ``baseline``; rows without an estimate are left out), the baseline marked, a line at
    zero, axis labels with units and the source line.

    Slopes on different scales (``group``, e.g. x in logs or not) are never put on one axis: one panel per value
    of ``group``, each sorted on its own, ``ylabel`` a dict of the panels' axis labels by that value.
    """
    _style()
    groups = ([(None, curve)] if group is None else
              [(g, curve[curve[group] == g]) for g in dict.fromkeys(curve[group])])
    fig, axes = plt.subplots(len(groups), 1, figsize=(9.0, 3.6 * len(groups) + 0.8), dpi=DPI, squeeze=False)
    for ax, (g, df) in zip(axes[:, 0], groups):
        _curve_panel(ax, df, ylabel if g is None or not isinstance(ylabel, dict) else ylabel[g], baseline_label,
                     others_label, lang)
    axes[-1, 0].set_xlabel(xlabel)
    axes[0, 0].set_title(_wrap(title, 90), loc="left", fontsize=11, fontweight="bold")
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    fig.text(0.01, 0.01, i18n.t("source_line", lang, source=source), fontsize=7.5, color="#555555", ha="left",
             va="bottom")
    return fig
