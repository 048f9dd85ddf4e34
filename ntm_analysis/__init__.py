"""ntm-analysis: Vietnam's New Rural Development programme (Nông thôn mới), province by province.

In a notebook::

    import ntm_analysis as ntm
    ntm.lookup_province("Dak Nong")          # any spelling, any vintage
    panel = ntm.load_panel()                 # tidy, sourced GSO statistics of the 63 provinces
"""
from __future__ import annotations

__version__ = "0.1.0"

from .geo import (  # noqa: F401
    Province,
    ProvinceNotFound,
    constituents,
    crosswalk,
    lookup_province,
    provinces,
    successor,
)
from .text import fold, slugify  # noqa: F401
from .ntm_reports import load_ntm_reports, load_seed_facts, ntm_coverage  # noqa: F401
from .panel import load_panel, wide  # noqa: F401
from .supplementary import load_datapoints, load_ntm_national  # noqa: F401
from .codebook import codebook, describe  # noqa: F401
from .tables import Problem, Table, TableReadError, parse_number, read_table  # noqa: F401
from . import indicators  # noqa: F401,E402
from .indicators import (  # noqa: F401,E402
    MeasureBreakError,
    MissingWeightError,
    aggregate_to_2025,
    attainment,
    compound_rate,
    cpi_chain,
    describe_change,
    gap_to_national,
    implied_target,
    poverty_growth_elasticities,
    poverty_growth_elasticity,
    pp_per_year,
    rank_within,
    seed_claims,
    spatial_adjust,
    to_real,
)
from . import synthetic  # noqa: F401,E402
from .models import (  # noqa: F401,E402
    ModelResult,
    beta_convergence,
    event_study,
    mediation,
    panel_fe,
    plot_event_study,
    resources_link,
    sigma_convergence,
)
from .params import ParameterError, ReportParams  # noqa: F401,E402
from . import national  # noqa: F401,E402
