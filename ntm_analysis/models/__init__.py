"""Estimators for ntm-analysis: fixed-effects panels, convergence, resources→income→poverty
mediation and staggered-adoption event studies. Every function returns a
:class:`~ntm_analysis.models.results.ModelResult`; nothing prints."""
from __future__ import annotations

from .panel import panel_fe  # noqa: F401
from .results import ModelResult, is_synthetic  # noqa: F401
