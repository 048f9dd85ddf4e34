"""Unknown names in the loaders raise with the closest known names (issue 13, item 3), never an empty frame."""
from __future__ import annotations

import pytest

import ntm_analysis as ntm
from ntm_analysis.data.names import UnknownNameError


@pytest.mark.parametrize(("call", "first", "where"), [
    (lambda: ntm.load_panel(variables=["poverty_rate"]), "poverty_rate_gso_income_line", "load_panel"),
    (lambda: ntm.load_panel(variables="income_per_capita"), "income_per_capita_nominal", "load_panel"),
    (lambda: ntm.load_datapoints("income"), "income_per_capita_nominal", "load_datapoints"),
    (lambda: ntm.describe("poverty_rate_gso"), "poverty_rate_gso_income_line", "describe"),
    (lambda: ntm.describe("resources_total", dataset="ntm_report"), "ntm_reports", "describe"),
    (lambda: ntm.load_ntm_reports("resources"), "resources_total", "load_ntm_reports"),
])
def test_unknown_names_raise_with_the_closest(call, first, where):
    with pytest.raises(UnknownNameError) as err:
        call()
    e = err.value
    assert e.closest[0] == first and first in e.known
    assert str(e).startswith(where) and f"closest: {first}" in str(e)
    assert isinstance(e, KeyError) and isinstance(e, ValueError)  # callers catching either still work


def test_known_names_still_select():
    assert set(ntm.load_datapoints("income_per_capita_nominal").variable) == {"income_per_capita_nominal"}
    assert ntm.describe("income_per_capita_nominal")["unit"]
    assert set(ntm.load_panel(variables="population_total").variable) == {"population_total"}
