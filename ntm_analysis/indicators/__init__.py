"""Indicators computed from the panel and the seed facts, each with its unit and price basis stated.

* :mod:`.change` — :func:`pp_per_year` (pp/year) vs :func:`compound_rate` (%/year), :func:`describe_change`.
* :mod:`.prices` — :func:`cpi_chain`, :func:`to_real` (constant prices, national CPI), :func:`spatial_adjust`
  (Hà Nội prices, spatial cost of living index).
* :mod:`.elasticity` — :func:`poverty_growth_elasticity` and :func:`poverty_growth_elasticities`, refusing
  measure breaks (:class:`MeasureBreakError`) and missing or zero inputs.
* :mod:`.targets` — :func:`attainment` (% of plan) and :func:`implied_target`.
* :mod:`.ranking` — :func:`rank_within` (region / nation) and :func:`gap_to_national`.
* :mod:`.aggregate` — :func:`aggregate_to_2025` with :data:`AGGREGATION_RULES`.
* :mod:`.seeds` — :func:`seed_claims`: the seed articles' claims recomputed.
"""
from __future__ import annotations

from .aggregate import (  # noqa: F401
    AGGREGATION_RULES,
    AggregationError,
    MissingWeightError,
    Rule,
    aggregate_to_2025,
)
from .change import ChangeResult, compound_rate, describe_change, pp_per_year  # noqa: F401
from .elasticity import (  # noqa: F401
    ElasticityInputError,
    ElasticityResult,
    MeasureBreakError,
    poverty_growth_elasticities,
    poverty_growth_elasticity,
)
from .prices import CPICoverageError, cpi_chain, price_basis_label, spatial_adjust, to_real  # noqa: F401
from .ranking import gap_to_national, lower_is_better, rank_within  # noqa: F401
from .seeds import seed_claims  # noqa: F401
from .targets import attainment, implied_target, implied_target_range  # noqa: F401

__all__ = [
    "AGGREGATION_RULES", "AggregationError", "MissingWeightError", "Rule", "aggregate_to_2025",
    "ChangeResult", "compound_rate", "describe_change", "pp_per_year",
    "ElasticityInputError", "ElasticityResult", "MeasureBreakError", "poverty_growth_elasticities",
    "poverty_growth_elasticity",
    "CPICoverageError", "cpi_chain", "price_basis_label", "spatial_adjust", "to_real",
    "gap_to_national", "lower_is_better", "rank_within",
    "seed_claims",
    "attainment", "implied_target", "implied_target_range",
]
