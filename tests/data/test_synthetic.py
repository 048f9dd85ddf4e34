"""The SYNTHETIC panels: flagged everywhere, reproducible, sized by arguments, true to their truth."""

import numpy as np
import pandas as pd
import pytest

from ntm_analysis.data import synthetic


@pytest.fixture(scope="module")
def communes():
    return synthetic.commune_panel(3_000, 10)


def test_every_frame_says_synthetic(communes):
    for df in (communes, synthetic.province_panel(), synthetic.convergence_panel(50, 5)):
        assert df["synthetic"].all()
        assert df.attrs["synthetic"] is True
        assert df.attrs["label"] == "SYNTHETIC"
        assert (df["label"].astype(str) == "SYNTHETIC").all()
        assert isinstance(df.attrs["truth"], dict) and df.attrs["truth"]


def test_shape_and_ids(communes):
    assert communes.shape[0] == 30_000
    assert communes["commune"].nunique() == 3_000
    assert communes["province"].nunique() == 40
    assert communes.groupby("commune")["year"].nunique().eq(10).all()
    assert sorted(communes["year"].unique()) == list(range(2011, 2021))
    # each commune sits in one province
    assert communes.groupby("commune", observed=True)["province"].nunique().eq(1).all()
    p = synthetic.province_panel(n_units=20, n_years=5, n_regions=4)
    assert p.shape[0] == 100 and p["region"].nunique() == 4


def test_fixed_seed_reproducible_and_seed_matters():
    a = synthetic.commune_panel(200, 5)
    b = synthetic.commune_panel(200, 5)
    c = synthetic.commune_panel(200, 5, seed=7)
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a["log_income_pc"], c["log_income_pc"])


def test_values_plausible_and_consistent(communes):
    d = communes
    assert ((d["poverty_rate"] > 0) & (d["poverty_rate"] < 100)).all()
    assert np.allclose(np.log(d["income_pc"]), d["log_income_pc"])
    assert np.allclose(np.log(d["resources_pc"]), d["log_resources_pc"])
    never = d["ntm_year"].isna()
    share_never = never.groupby(d["commune"]).first().mean()
    assert 0.25 < share_never < 0.35  # truth: 0.3
    treated = d.loc[~never]
    assert treated["ntm_year"].between(2012, 2020).all()  # at least one untreated year each
    ev = (treated["year"] - treated["ntm_year"]).astype(int)
    assert (ev.to_numpy() == treated["event_time"].astype(int).to_numpy()).all()
    assert (d["ntm"].to_numpy() == (d["event_time"].fillna(-1) >= 0).to_numpy()).all()


def test_truth_matches_arguments():
    d = synthetic.commune_panel(100, 6, elasticity_income_resources=0.5, effect_path=(0.1, 0.3))
    t = d.attrs["truth"]
    assert t["elasticity_income_resources"] == 0.5
    assert t["effect_by_event_time"] == {0: 0.1, 1: 0.3, 2: 0.3, 3: 0.3, 4: 0.3}
    assert t["resources_link"]["indirect"] == pytest.approx(-100 * 0.01 * -0.8)


def test_convergence_panel_follows_its_sd_path():
    d = synthetic.convergence_panel(4_000, 11)
    sd = np.log(d["income_pc"]).groupby(d["year"]).std()
    truth = pd.Series(d.attrs["truth"]["sd_log_by_year"])
    assert np.max(np.abs(sd.to_numpy() - truth.to_numpy())) < 0.02
    assert d.attrs["truth"]["half_life"] == pytest.approx(np.log(2) / 0.05)


def test_bad_sizes_raise():
    with pytest.raises(ValueError, match="n_clusters"):
        synthetic.commune_panel(10, 5, n_provinces=20)
    with pytest.raises(ValueError, match="n_years"):
        synthetic.commune_panel(10, 2)


def test_a_million_rows_at_scale():
    """Scale: 100,000 communes x 10 years. Its time is measured by benchmarks/bench_data.py, not here."""
    d = synthetic.commune_panel(100_000, 10)
    assert len(d) == 1_000_000
    assert d.groupby("year").size().eq(100_000).all()
