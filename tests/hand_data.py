"""data/raw and data/seeds read by hand (the csv module, not the library), and the hand computations the analyses
tests compare against."""
import csv
import math

import numpy as np

from ntm_analysis import paths

RAW = paths.raw_dir()
SEEDS = paths.data_dir() / "seeds" / "seed_articles_figures.csv"


def raw(file: str, column: str) -> dict[tuple[str, int], float]:
    """Province rows of a raw file: (code, year) → value (blank cells are left out: a gap)."""
    with open(RAW / file, encoding="utf-8-sig", newline="") as fh:
        return {(r["province_code"], int(r["year"])): float(r[column]) for r in csv.DictReader(fh)
                if r["level"] == "province" and r[column].strip() != ""}


INCOME = raw("income_per_capita_monthly_by_province.csv", "income_total")
POVERTY = raw("poverty_rate_by_province_gso.csv", "poverty_rate_pct")
with open(RAW / "cpi_national_annual_gso.csv", encoding="utf-8-sig", newline="") as _fh:
    CPI = {int(r["year"]): float(r["cpi_prev_year_100"]) for r in csv.DictReader(_fh)}


def dln_real_income(code: str, y0: int, y1: int) -> float:
    """ln of real income growth: nominal growth less the CPI links y0+1 … y1 (previous year = 100)."""
    return (math.log(INCOME[(code, y1)] / INCOME[(code, y0)])
            - sum(math.log(CPI[k] / 100) for k in range(y0 + 1, y1 + 1)))


def hand_model(y0=2010, y1=2016):
    """OLS of Δ ln poverty on Δ ln real income across provinces, HC1 standard errors, by hand (NumPy)."""
    codes = sorted({c for c, _ in INCOME})
    keep = [c for c in codes if all((c, y) in INCOME and POVERTY.get((c, y), 0) > 0 for y in (y0, y1))]
    x = np.array([dln_real_income(c, y0, y1) for c in keep])
    y = np.array([math.log(POVERTY[(c, y1)] / POVERTY[(c, y0)]) for c in keep])
    X = np.column_stack([np.ones_like(x), x])
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    e = y - X @ beta
    n = len(keep)
    bread = np.linalg.inv(X.T @ X)
    hc1 = n / (n - 2) * bread @ (X.T * e ** 2) @ X @ bread
    return keep, beta, np.sqrt(np.diag(hc1)), dict(zip(keep, e))


def seed_rows() -> dict[str, dict]:
    with open(SEEDS, encoding="utf-8-sig", newline="") as fh:
        return {r["fact_id"]: r for r in csv.DictReader(fh)}


def row(df, **match):
    """The one row of ``df`` matching every column = value of ``match``."""
    sel = np.ones(len(df), dtype=bool)
    for k, v in match.items():
        sel &= (df[k] == v).to_numpy()
    assert sel.sum() == 1, match
    return df[sel].iloc[0]


def hand_prediction_band(code: str, y0=2010, y1=2016) -> tuple[float, float]:
    """The 95 % prediction interval of a province's Δ ln poverty on the hand-fitted line (classic OLS:
    s²(1 + x0'(X'X)⁻¹x0), t(n−2)), by hand (NumPy, SciPy's t quantile)."""
    from scipy import stats

    keep, beta, _se, resid = hand_model(y0, y1)
    x = np.array([dln_real_income(c, y0, y1) for c in keep])
    X = np.column_stack([np.ones_like(x), x])
    n = len(keep)
    s2 = sum(e ** 2 for e in resid.values()) / (n - 2)
    x0 = np.array([1.0, dln_real_income(code, y0, y1)])
    half = stats.t.ppf(0.975, n - 2) * math.sqrt(s2 * (1 + x0 @ np.linalg.inv(X.T @ X) @ x0))
    centre = float(x0 @ beta)
    return centre - half, centre + half
