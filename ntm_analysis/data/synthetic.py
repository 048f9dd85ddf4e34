"""SYNTHETIC panels with known parameters, for demos, validation and scale tests only.

Nothing here is data about Vietnam. Every frame carries ``synthetic = True`` (column and
``attrs``), ``label = "SYNTHETIC"`` and ``attrs["truth"]``: the parameters it was drawn from.

Data-generating process (unit i in cluster p, year t, first year t0, T years):

* resources per capita (million VND/person/year):
  ``ln R_it = ρ_i + 0.05 (t − t0) + ν_it``,  ``ν_it = 0.15 u_pt + 0.20 e_it``
* income per capita (thousand VND/person/month):
  ``ln Y_it = α_i + 0.06 (t − t0) + β ln R_it + κ (m_i − m̄)(t − t0) + τ(t − c_i)·1[t ≥ c_i] + ε_it``,
  ``ε_it = 0.05 v_pt + 0.08 e'_it``, with ``m_i`` the unit's mean of ``ln R_it`` over the panel years
  (so resources also raise the growth rate: κ per log point)
* poverty rate (%): ``ln P_it = μ_i − 0.02 (t − t0) + θ ln Y_it + η_it``, ``η_it ~ N(0, 0.1²)``
* NTM recognition year ``c_i``: never (NA) for a share of units, else uniform on t0+1 … t0+T−1;
  effect on ln income by event time e = t − c_i: ``τ(e) = effect_path[min(e, len − 1)]``, 0 before.

Unit effects α, ρ, μ combine a cluster and a unit part; u, v are cluster × year shocks, so errors
and regressors are correlated within clusters (clustered SEs matter).

Implied truths for :func:`ntm_analysis.models.resources_link` over the full panel window
(income growth and poverty reduction in % per year, resources as mean log): path a = 100 κ,
path b = −θ, indirect = total = −100 κ θ, direct = 0.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

DEFAULT_SEED = 20240601
LABEL = "SYNTHETIC"


def _panel(n_units, n_years, n_clusters, start_year, unit_name, cluster_name, beta, theta, kappa,
           effect_path, never_treated_share, seed, extra_cluster=None):
    if n_units < 2 or n_years < 3 or n_clusters < 1:
        raise ValueError(f"need n_units ≥ 2, n_years ≥ 3, clusters ≥ 1; got {n_units}, {n_years}, {n_clusters}")
    if n_clusters > n_units:
        raise ValueError(f"n_clusters ({n_clusters}) cannot exceed n_units ({n_units})")
    rng = np.random.default_rng(seed)
    N, T, P = int(n_units), int(n_years), int(n_clusters)
    n = N * T
    unit = np.repeat(np.arange(N, dtype=np.int64), T)
    tt = np.tile(np.arange(T, dtype=np.int64), N)  # t − t0
    clus_of_unit = rng.permutation(np.arange(N) % P)
    clus = clus_of_unit[unit]
    cell = clus * T + tt  # cluster × year

    def unit_fx(sd_cluster, sd_unit):
        return (sd_cluster * rng.standard_normal(P))[clus_of_unit] + sd_unit * rng.standard_normal(N)

    rho = np.log(2.0) + unit_fx(0.4, 0.3)
    ln_r = rho[unit] + 0.05 * tt + (0.15 * rng.standard_normal(P * T))[cell] + 0.20 * rng.standard_normal(n)
    m = np.bincount(unit, weights=ln_r, minlength=N) / T
    alpha = np.log(2500.0) + unit_fx(0.15, 0.2)

    cohort_off = rng.integers(1, T, size=N).astype(float)  # c_i − t0 in 1..T−1
    cohort_off[rng.random(N) < never_treated_share] = np.nan
    e = tt - cohort_off[unit]
    treated = e >= 0  # NaN compares False
    path = np.asarray(effect_path, dtype=float)
    tau = np.zeros(n)
    tau[treated] = path[np.minimum(e[treated].astype(np.int64), len(path) - 1)]

    ln_y = (alpha[unit] + 0.06 * tt + beta * ln_r + kappa * (m - m.mean())[unit] * tt + tau
            + (0.05 * rng.standard_normal(P * T))[cell] + 0.08 * rng.standard_normal(n))
    mu = np.log(12.0) - theta * np.log(2500.0) + unit_fx(0.2, 0.2)
    ln_p = mu[unit] - 0.02 * tt + theta * ln_y + 0.1 * rng.standard_normal(n)

    cohort_year = pd.array(np.where(np.isnan(cohort_off), -1, cohort_off + start_year).astype(np.int64),
                           dtype="Int64")
    cohort_year[np.isnan(cohort_off)] = pd.NA
    ev = pd.array(np.where(np.isnan(e), -10_000, e).astype(np.int64), dtype="Int64")
    ev[np.isnan(e)] = pd.NA
    clus_labels = [f"SYN-{cluster_name[:1].upper()}{c + 1:02d}" for c in range(P)]
    df = pd.DataFrame({
        unit_name: unit,
        cluster_name: pd.Categorical.from_codes(clus, categories=clus_labels),
        "year": (tt + start_year).astype(np.int64),
        "resources_pc": np.exp(ln_r),
        "log_resources_pc": ln_r,
        "income_pc": np.exp(ln_y),
        "log_income_pc": ln_y,
        "poverty_rate": np.exp(ln_p),
        "log_poverty_rate": ln_p,
        "ntm_year": cohort_year[unit],
        "event_time": ev,
        "ntm": treated,
    })
    if extra_cluster:
        name, n_groups = extra_cluster
        grp = np.arange(P) % n_groups
        df[name] = pd.Categorical.from_codes(grp[clus], categories=[f"SYN-R{g + 1}" for g in range(n_groups)])
    df["synthetic"] = True
    df["label"] = pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), categories=[LABEL])
    truth = {
        "elasticity_income_resources": float(beta),
        "elasticity_poverty_income": float(theta),
        "growth_per_log_resources": float(kappa),
        "effect_by_event_time": {k: float(path[min(k, len(path) - 1)]) for k in range(T - 1)},
        "pre_trend_by_event_time": {k: 0.0 for k in range(-(T - 2), 0)},
        "resources_link": {"a": 100 * kappa, "b": -theta, "indirect": -100 * kappa * theta,
                           "direct": 0.0, "total": -100 * kappa * theta},
        "never_treated_share": float(never_treated_share),
        "seed": seed,
        "units": {"resources_pc": "million VND per person per year (SYNTHETIC)",
                  "income_pc": "thousand VND per person per month (SYNTHETIC)",
                  "poverty_rate": "% of population (SYNTHETIC)"},
    }
    df.attrs.update({"synthetic": True, "label": LABEL, "truth": truth,
                     "unit": unit_name, "cluster": cluster_name,
                     "description": f"SYNTHETIC {unit_name} panel, {N:,} units × {T} years, seed {seed}"})
    return df


def commune_panel(n_units: int = 2_000, n_years: int = 10, *, n_provinces: int = 40,
                  start_year: int = 2011, elasticity_income_resources: float = 0.30,
                  elasticity_poverty_income: float = -0.80, growth_per_log_resources: float = 0.01,
                  effect_path=(0.02, 0.04, 0.06, 0.08), never_treated_share: float = 0.3,
                  seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """SYNTHETIC commune × year panel with known parameters (see module docstring).

    Columns: commune (int id), province (cluster, "SYN-P01"…), region ("SYN-R1"…), year,
    resources_pc, log_resources_pc, income_pc, log_income_pc, poverty_rate, log_poverty_rate,
    ntm_year (Int64, NA = never recognised), event_time (Int64), ntm (bool), synthetic, label.
    ``attrs["truth"]`` holds the parameters. 1,000,000 rows take about a second.
    """
    return _panel(n_units, n_years, n_provinces, start_year, "commune", "province",
                  elasticity_income_resources, elasticity_poverty_income, growth_per_log_resources,
                  effect_path, never_treated_share, seed, extra_cluster=("region", 6))


def province_panel(n_units: int = 63, n_years: int = 10, *, n_regions: int = 6, start_year: int = 2011,
                   elasticity_income_resources: float = 0.30, elasticity_poverty_income: float = -0.80,
                   growth_per_log_resources: float = 0.01, effect_path=(0.02, 0.04, 0.06, 0.08),
                   never_treated_share: float = 0.3, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """SYNTHETIC province × year panel (default 63 provinces in 6 regions, the cluster).

    Same process and columns as :func:`commune_panel`, with ``province`` (int id) as the unit and
    ``region`` ("SYN-R01"…) as the cluster; ``ntm_year`` is the year the province is recognised.
    """
    return _panel(n_units, n_years, n_regions, start_year, "province", "region",
                  elasticity_income_resources, elasticity_poverty_income, growth_per_log_resources,
                  effect_path, never_treated_share, seed)


def convergence_panel(n_units: int = 500, n_years: int = 11, *, speed: float = 0.05,
                      initial_sd: float = 0.5, shock_sd: float = 0.02, growth: float = 0.04,
                      level: float = 3000.0, n_regions: int = 6, start_year: int = 2010,
                      seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """SYNTHETIC unit × year panel of income that converges at a known speed.

    ``ln y_it = ln(level) + growth·t + x_it`` with ``x_it = exp(−speed)·x_i,t−1 + shock_sd·u_it`` and
    ``x_i0 ~ N(0, initial_sd²)``. ``attrs["truth"]`` gives the speed λ, the half-life ln 2/λ, the
    β of growth on the initial log level over the whole window, ``(exp(−λT) − 1)/T``, and the
    expected SD of logs by year. Columns: unit, region, year, income_pc, synthetic, label.
    """
    rng = np.random.default_rng(seed)
    N, T = int(n_units), int(n_years)
    rho = np.exp(-speed)
    x = np.empty((N, T))
    x[:, 0] = initial_sd * rng.standard_normal(N)
    shocks = shock_sd * rng.standard_normal((N, T))
    for t in range(1, T):
        x[:, t] = rho * x[:, t - 1] + shocks[:, t]
    tt = np.arange(T)
    ln_y = np.log(level) + growth * tt[None, :] + x
    span = T - 1
    k = np.arange(T)
    sd_path = np.sqrt(initial_sd ** 2 * rho ** (2 * k)
                      + shock_sd ** 2 * (1 - rho ** (2 * k)) / (1 - rho ** 2))
    region = rng.integers(0, n_regions, size=N)
    df = pd.DataFrame({
        "unit": np.repeat(np.arange(N), T),
        "region": pd.Categorical.from_codes(np.repeat(region, T),
                                            categories=[f"SYN-R{g + 1}" for g in range(n_regions)]),
        "year": np.tile(tt + start_year, N),
        "income_pc": np.exp(ln_y).ravel(),
    })
    df["synthetic"] = True
    df["label"] = LABEL
    df.attrs.update({"synthetic": True, "label": LABEL, "truth": {
        "speed": float(speed), "half_life": float(np.log(2) / speed),
        "beta": float((np.exp(-speed * span) - 1) / span), "window": (start_year, start_year + span),
        "sd_log_by_year": dict(zip((tt + start_year).tolist(), sd_path.tolist())), "seed": seed},
        "description": f"SYNTHETIC convergence panel, {N:,} units × {T} years, seed {seed}"})
    return df
