"""Estimators for ntm-analysis: fixed-effects panels, convergence, resources→income→poverty
mediation and staggered-adoption event studies. Every function returns a
:class:`~ntm_analysis.models.results.ModelResult`; nothing prints.

Modules: ``results`` (ModelResult), ``within`` (demeaning), ``panel`` (panel_fe), ``bootstrap``
(wild cluster bootstrap), ``convergence`` (β/σ), ``mediation`` (resources_link, mediation),
``event_study`` (imputation estimator), ``plots`` (plot_event_study), ``compare`` (several results
side by side: DataFrame, Markdown, HTML, LaTeX).
"""
from __future__ import annotations

from ntm_analysis.models.compare import Comparison, compare  # noqa: F401
from ntm_analysis.models.convergence import beta_convergence, sigma_convergence  # noqa: F401
from ntm_analysis.models.event_study import event_study  # noqa: F401
from ntm_analysis.models.mediation import mediation, resources_link  # noqa: F401
from ntm_analysis.models.panel import panel_fe  # noqa: F401
from ntm_analysis.models.plots import plot_event_study  # noqa: F401
from ntm_analysis.models.results import ModelResult, is_synthetic  # noqa: F401

__all__ = ["ModelResult", "is_synthetic", "panel_fe", "beta_convergence", "sigma_convergence",
           "resources_link", "mediation", "event_study", "plot_event_study",
           "compare", "Comparison"]
