"""Figures for model results (seaborn/matplotlib; labelled axes, source line, SYNTHETIC flag)."""
from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import seaborn as sns

from ntm_analysis.models.results import ModelResult


def plot_event_study(result: ModelResult, ax=None, *, y_label: str | None = None,
                     x_label: str = "Years since NTM recognition (event time, years)",
                     title: str | None = None, source: str | None = None):
    """Plot an :func:`event_study` result: estimates with confidence intervals by event time.

    Pre-period (lead) terms and post-period effects are coloured apart; a dashed line at zero and
    a dotted line between e = −1 and e = 0. ``y_label`` should state the unit of the outcome
    (default: "Effect on <y> (units of <y>)"). A source line is written under the axes
    (default names the estimator; with synthetic input it says SYNTHETIC), and the title starts
    with "SYNTHETIC" when the result was fitted on synthetic data. Returns the Axes.
    """
    if "event_table" not in result.extra:
        raise ValueError("plot_event_study needs a result of event_study() (no 'event_table' in extra)")
    tab = result.extra["event_table"]
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 4.2))
    palette = {"pre": "#7f7f7f", "post": "#1f77b4"}
    for kind, part in tab.groupby("kind", sort=False):
        ax.errorbar(part["event_time"], part["estimate"],
                    yerr=[part["estimate"] - part["ci_low"], part["ci_high"] - part["estimate"]],
                    fmt="none", ecolor=palette.get(kind, "k"), elinewidth=1.2, capsize=3)
    sns.scatterplot(data=tab, x="event_time", y="estimate", hue="kind", palette=palette, ax=ax,
                    s=40, zorder=3, legend=True)
    ax.axhline(0, color="k", lw=0.8, ls="--")
    ax.axvline(-0.5, color="k", lw=0.8, ls=":")
    level = int(round(result.conf_level * 100))
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label or f"Effect on {result.dependent} (units of {result.dependent})")
    ax.set_xticks(tab["event_time"].tolist())
    handles, labels = ax.get_legend_handles_labels()
    names = {"pre": "pre-period (lead) test", "post": "effect after recognition"}
    ax.legend(handles, [names.get(lab, lab) for lab in labels], title=f"estimate, {level}% CI", frameon=False)
    head = title or f"Event study: {result.dependent} around NTM recognition"
    if result.synthetic:
        head = "SYNTHETIC data — " + head
    ax.set_title(head)
    src = source or ("Source: SYNTHETIC data (ntm_analysis.data.synthetic), not real figures. "
                     if result.synthetic else "Source: own estimates. ")
    if source is None:
        src += ("Imputation estimator (Borusyak, Jaravel & Spiess 2024); SEs: "
                + (result.se_type or "none"))
    src = textwrap.fill(src, width=115)
    ax.annotate(src, xy=(0, 0), xycoords="axes fraction", xytext=(0, -42), textcoords="offset points",
                ha="left", va="top", fontsize=7.5, color="#444444")
    ax.figure.subplots_adjust(bottom=0.24)
    return ax
