"""The province report with the new years (issue 12): income 2018 with its status, real income 2018 and 2023."""
import csv
import math

import pytest

from hand_data import RAW
from ntm_analysis.report import figures, results, tables
from ntm_analysis.report.context import ReportContext
from ntm_analysis.report.params import ReportParams


def _price_level(year: int) -> float:
    """National price level (2010 = 1), by hand from data/raw: GSO's CPI links to 2016, then 1 + announced change."""
    with open(RAW / "cpi_national_annual_gso.csv", encoding="utf-8-sig", newline="") as fh:
        links = {int(r["year"]): float(r["cpi_prev_year_100"]) / 100 for r in csv.DictReader(fh)}
    with open(RAW / "cpi_national_annual_change_2017_2024.csv", encoding="utf-8-sig", newline="") as fh:
        links |= {int(r["year"]): 1 + float(r["value"]) / 100 for r in csv.DictReader(fh)}
    return math.prod(links[k] for k in range(2011, year + 1))


@pytest.fixture(scope="module")
def lao_cai_real():
    return ReportContext.load(ReportParams(province="Lào Cai", price_basis="real").validate())


def test_lao_cai_context_has_income_2018_with_its_status(lao_cai_real):
    nominal = lao_cai_real.series("income_per_capita_nominal", "province", ["10"]).set_index("year")
    assert nominal.loc[2018, "value"] == 2324.0
    assert nominal.loc[2018, "status"] == "published (secondary copy)"
    assert "Open Development Mekong copy" in nominal.loc[2018, "note"]
    assert nominal.loc[2023, "status"] == "preliminary" and nominal.loc[2014, "status"] == "final"


def test_lao_cai_real_income_2018_and_2023(lao_cai_real):
    real = results.income_series(lao_cai_real, "province", ["10"]).set_index("year")
    assert list(real.index) == [2010, 2012, 2014, 2016, 2018, 2023]
    assert real.loc[2018, "value"] == pytest.approx(2324.0 / _price_level(2018), rel=1e-12)
    assert real.loc[2023, "value"] == pytest.approx(3200.0 / _price_level(2023), rel=1e-12)
    assert real.loc[2023, "value"] == pytest.approx(1747.32, abs=0.005)
    # the status travels with the real value: preliminary 2023, secondary copy 2018
    assert real.loc[2018, "status"] == "published (secondary copy)" and real.loc[2023, "status"] == "preliminary"
    table = tables.income(lao_cai_real).frame
    row18 = table[(table["place_code"] == "10") & (table["year"] == 2018)].iloc[0]
    assert row18["value_real"] == pytest.approx(real.loc[2018, "value"]) and row18["status"] == real.loc[2018, "status"]


def test_ranks_include_2018_with_its_status(lao_cai_real):
    ranks = results.ranks(lao_cai_real)
    r = ranks[(ranks["variable"] == "income_per_capita_nominal") & (ranks["year"] == 2018)]
    assert len(r) == 1 and r.iloc[0]["status"] == "published (secondary copy)" and r.iloc[0]["n_nation"] == 63
    with open(RAW / "income_per_capita_by_province_2018_by_source.csv", encoding="utf-8-sig", newline="") as fh:
        totals = [float(x["value"]) for x in csv.DictReader(fh) if x["variable"] == "monthly_income_per_capita_total"]
    assert r.iloc[0]["rank_nation"] == 1 + sum(v > 2324.0 for v in totals)


def test_income_chart_draws_2018_and_2023_hollow(lao_cai_real):
    """Lào Cai's own series: 2018 (secondary copy) and 2023 (preliminary) are hollow points, 2010–2016 filled
    except 2016 (preliminary)."""
    import matplotlib.pyplot as plt
    from matplotlib.collections import PathCollection
    from matplotlib.colors import to_rgba
    fig = figures.income_over_time(lao_cai_real)
    try:
        ax = fig.axes[0]
        hollow, filled = set(), set()
        for coll in ax.collections:
            if not isinstance(coll, PathCollection) or not len(coll.get_offsets()):
                continue
            white = all(tuple(fc) == to_rgba("white") for fc in coll.get_facecolors())
            (hollow if white else filled).update(round(float(x)) for x, _ in coll.get_offsets())
        assert {2016, 2018, 2023} <= hollow and not {2016, 2018, 2023} & filled
        assert {2010, 2012, 2014} <= filled
    finally:
        plt.close(fig)
