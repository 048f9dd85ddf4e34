"""What every report's analyses read beyond its own rows (the render cache must hash it)."""
from __future__ import annotations

import pandas as pd

from ntm_analysis.analyses.elasticity import panel_inputs
from ntm_analysis.analyses.resource_measures import resource_measures
from ntm_analysis.analyses.seed_cases import seed_data


def shared_inputs(data_dir=None) -> dict[str, pd.DataFrame]:
    """The data every report's elasticity, model and case-study sections read beyond the report's own rows:
    ``model_inputs`` (every province's income and poverty rows and the national CPI: the cross-province model
    and each province's residual depend on all of them) and ``seed_facts`` (data/seeds; empty when the data
    folder has none). A render cache keyed on a report's own rows must also hash these (see
    :mod:`ntm_analysis.report.inputs`), or a change to another province's figure leaves the model section of
    this report stale."""
    seeds = seed_data(data_dir)
    return {"model_inputs": panel_inputs(data_dir).reset_index(drop=True),
            "seed_facts": pd.DataFrame() if seeds is None else seeds[0].reset_index(drop=True),
            # every province's resource measures: each report ranks its province among them and shows the
            # associations across provinces (report "Resources and outcomes")
            "resource_measures": resource_measures(data_dir).reset_index(drop=True)}
