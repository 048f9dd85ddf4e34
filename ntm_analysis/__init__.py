"""ntm-analysis: Vietnam's New Rural Development programme (Nông thôn mới), province by province.

In a notebook::

    import ntm_analysis as ntm
    ntm.lookup_province("Dak Nong")          # any spelling, any vintage
    panel = ntm.load_panel()                 # tidy, sourced GSO statistics of the 63 provinces
"""
from __future__ import annotations

__version__ = "0.1.0"

import importlib

#: Public names and the module that defines each; imported on first use (PEP 562), so that ``ntm render`` and
#: ``ntm data check`` start without loading pandas, statsmodels and matplotlib they may not need.
_EXPORTS = {
    ".data.geo": ["Province", "ProvinceNotFound", "constituents", "crosswalk", "lookup_province", "provinces",
                  "successor"],
    ".text": ["fold", "slugify"],
    ".data.ntm_provincial": ["load_ntm_reports", "load_seed_facts", "ntm_coverage"],
    ".data.panel": ["load_panel", "wide"],
    ".data.datapoints": ["load_datapoints", "load_ntm_national"],
    ".data.transfers": ["load_central_transfers"],
    ".data.codebook": ["codebook", "describe"],
    ".intake": ["Problem", "Table", "TableReadError", "parse_number", "read_table"],
    ".indicators": ["MeasureBreakError", "MissingWeightError", "aggregate_to_2025", "attainment", "compound_rate",
                    "cpi_chain", "describe_change", "gap_to_national", "implied_target", "poverty_growth_elasticities",
                    "poverty_growth_elasticity", "pp_per_year", "rank_within", "seed_claims", "spatial_adjust",
                    "to_real"],
    ".models": ["ModelResult", "beta_convergence", "event_study", "mediation", "panel_fe", "plot_event_study",
                "resources_link", "sigma_convergence"],
    ".analyses.resources": ["resource_measures", "resources_association"],
    ".report.params": ["ParameterError", "ReportParams"],
}
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}
#: Modules reachable as attributes (``ntm.geo``, ``ntm.models``): the layers, and the data modules a notebook
#: uses most under their short names.
_SUBMODULES = {"data": ".data", "intake": ".intake", "indicators": ".indicators", "models": ".models",
               "analyses": ".analyses", "report": ".report", "render": ".render", "i18n": ".i18n",
               "geo": ".data.geo", "panel": ".data.panel", "synthetic": ".data.synthetic", "text": ".text",
               "codebook": ".data.codebook"}

__all__ = sorted(_WHERE) + ["__version__"]


def __getattr__(name: str):
    if name in _WHERE:
        value = getattr(importlib.import_module(_WHERE[name], __name__), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return importlib.import_module(_SUBMODULES[name], __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE) | set(_SUBMODULES))
