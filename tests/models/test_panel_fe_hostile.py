"""panel_fe says plainly why it cannot estimate, and warns when CR1 cannot be trusted (issue 16, item 10).

Known-truth SYNTHETIC panels (fixed seeds): y = unit effect + period effect + 0.5·x + noise. Before: one unit
raised ZeroDivisionError, all singletons "no complete observations left after dropping missing values", collinear
regressors a bare LinAlgError, N = K a ZeroDivisionError, and two clusters gave a CR1 standard error of ~1e-16 with
no warning."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ntm_analysis.models import panel_fe
from ntm_analysis.models.bootstrap import FEW_CLUSTERS

SLOPE = 0.5


def _panel(units: int, periods: int, seed: int = 7, noise: float = 0.1, trend: float = 0.2) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    u = np.repeat(np.arange(units), periods)
    t = np.tile(np.arange(periods), units)
    x = rng.standard_normal(units * periods)
    y = rng.standard_normal(units)[u] + trend * t + SLOPE * x + noise * rng.standard_normal(units * periods)
    return pd.DataFrame({"unit": [f"u{i}" for i in u], "period": 2010 + t, "x": x, "y": y,
                         "pair": u % 2, "z": rng.standard_normal(units * periods)})


def test_one_unit_with_period_effects_says_nothing_is_left_to_estimate():
    d = _panel(1, 12)
    with pytest.raises(ValueError, match=r"one unit only \(unit='u0'\).*single observation.*at least two values of "
                                         r"unit"):
        panel_fe(d, "y", "x", "unit", "period")


def test_one_unit_clustered_by_itself_says_cr1_needs_two_clusters():
    d = _panel(1, 200, trend=0)  # no period effects to absorb
    with pytest.raises(ValueError, match=r"one cluster only \(unit='u0'\).*CR1 needs at least two.*clustered by "
                                         r"unit \(the default\).*cluster=False"):
        panel_fe(d, "y", "x", "unit")
    # without clustering, one unit's time series is a within estimate: the truth is recovered
    r = panel_fe(d, "y", "x", "unit", cluster=False)
    assert r.term("x")["estimate"] == pytest.approx(SLOPE, abs=0.03)


def test_singletons_only_says_they_are_dropped_and_why():
    d = _panel(10, 1)  # every unit observed once
    with pytest.raises(ValueError) as err:
        panel_fe(d, "y", "x", "unit", "period")
    message = str(err.value)
    assert "removing singletons leaves none of the 10 observations" in message
    assert "fitted exactly by its own effect" in message and "missing values" not in message


def test_some_singletons_are_dropped_with_a_note_and_change_nothing():
    d = _panel(20, 5)
    lone = _panel(3, 1, seed=8).assign(unit=lambda f: "lone" + f["unit"])
    r = panel_fe(pd.concat([d, lone], ignore_index=True), "y", "x", "unit", "period", cluster="unit")
    ref = panel_fe(d, "y", "x", "unit", "period", cluster="unit")
    assert "removed 3 singleton observation(s)" in " ".join(r.notes)
    assert r.n_obs == 100 and r.term("x")["estimate"] == pytest.approx(ref.term("x")["estimate"], rel=1e-10)
    assert r.term("x")["estimate"] == pytest.approx(SLOPE, abs=0.05)


@pytest.mark.parametrize("make, relation", [
    (lambda d: d.assign(x2=2 * d["x"]), "'x2' = 2·'x'"),
    # collinear only once the unit effects are removed: x2 = −x + a constant per unit
    (lambda d: d.assign(x2=-d["x"] + d["unit"].str[1:].astype(float)), "'x2' = -1·'x'"),
])
def test_collinear_regressors_are_named(make, relation):
    d = make(_panel(30, 6))
    with pytest.raises(ValueError, match="collinear") as err:
        panel_fe(d, "y", ["x", "x2"], "unit", "period")
    assert relation in str(err.value) and "drop one of them" in str(err.value)


def test_a_combination_of_three_regressors_names_all_three():
    d = _panel(30, 6)
    d["w"] = d["x"] - 3 * d["z"]
    with pytest.raises(ValueError) as err:
        panel_fe(d, "y", ["x", "z", "w"], "unit", "period")
    assert "'w' = 1·'x' -3·'z'" in str(err.value)


def test_as_many_parameters_as_observations_is_refused():
    d = _panel(2, 2)  # N = 4, K = 1 slope + 2 units + 2 periods − 1
    with pytest.raises(ValueError, match=r"4 observations for K = 4 parameters"):
        panel_fe(d, "y", "x", "unit", "period", cluster=False)


def test_two_clusters_warn_that_cr1_is_unreliable_and_a_zero_se_measures_nothing():
    d = _panel(2, 40)  # two units, two-way effects: the two clusters' scores cancel exactly
    r = panel_fe(d, "y", "x", "unit", "period")
    assert r.n_clusters == 2 and r.term("x")["std_error"] < 1e-12
    warnings = [n for n in r.notes if n.startswith("WARNING")]
    assert any("std_error column is the cluster-robust CR1 standard error, which is unreliable" in n
               and "wild cluster bootstrap" in n for n in warnings)
    assert any("CR1 standard error of x is numerically zero" in n for n in warnings)
    assert "numerically zero" in r.summary()
    # the estimate itself is fine: the truth is recovered
    assert r.term("x")["estimate"] == pytest.approx(SLOPE, abs=0.05)


@pytest.mark.parametrize("G, warned", [(2, True), (FEW_CLUSTERS - 1, True), (FEW_CLUSTERS, False)])
def test_fewer_clusters_than_the_rule_warn_about_cr1(G, warned):
    d = _panel(60, 4, seed=G)
    d["g"] = d["unit"].str[1:].astype(int) % G
    r = panel_fe(d, "y", "x", "unit", "period", cluster="g", bootstrap=49)
    assert r.n_clusters == G
    assert any(n.startswith(f"WARNING: only {G} clusters") and "std_error" in n for n in r.notes) is warned
    assert r.term("x")["estimate"] == pytest.approx(SLOPE, abs=0.05)
