"""Every province's ranks (ntm_analysis.analyses.ranks): ranked by hand from data/raw, computed once per data
version, recomputed after an edit of a file they read, reused after an edit of one they do not."""
import csv

import pandas as pd
import pytest

from hand_data import POVERTY
from ntm_analysis.analyses import ranks
from ntm_analysis.data import cache

POVERTY_LINE = "poverty_rate_gso_income_line"




def _set_poverty(data, code: str, year: int, value: str) -> str:
    """Set one province's published poverty rate in the copy's raw file (csv module); returns the old cell."""
    path = data / "raw" / "poverty_rate_by_province_gso.csv"
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
        fields = list(rows[0])
    hits = [r for r in rows if r["level"] == "province" and r["province_code"] == code and r["year"] == str(year)]
    assert len(hits) == 1
    old, hits[0]["poverty_rate_pct"] = hits[0]["poverty_rate_pct"], value
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return old


def _poverty_rank(table, code="10", year=2016):
    r = table[(table["code"] == code) & (table["variable"] == POVERTY_LINE) & (table["year"] == year)]
    assert len(r) == 1
    return int(r["rank_nation"].iloc[0]), int(r["n_nation"].iloc[0])


def test_lao_cai_2016_poverty_rank_is_the_hand_ranking():
    rates = {c: v for (c, y), v in POVERTY.items() if y == 2016}
    assert _poverty_rank(ranks.cached_rank_table()) == (1 + sum(v < rates["10"] for v in rates.values()),
                                                        len(rates))


def test_an_edited_figure_reranks_in_the_same_process(data_copy):
    data = data_copy
    before = _poverty_rank(ranks.cached_rank_table(data))
    builds = cache.builds["rank_table"]
    assert _poverty_rank(ranks.cached_rank_table(data)) == before and cache.builds["rank_table"] == builds
    assert _set_poverty(data, "10", 2016, "0.5") == "18.1"
    rates = {c: v for (c, y), v in POVERTY.items() if y == 2016} | {"10": 0.5}
    after = ranks.ranks_of(["10"], 2016, 2016, data_dir=data)
    assert cache.builds["rank_table"] == builds + 1
    row = after[after["variable"] == POVERTY_LINE].iloc[0]
    assert row["value"] == 0.5
    assert (row["rank_nation"], row["n_nation"]) == (1 + sum(v < 0.5 for v in rates.values()), len(rates))
    assert row["rank_nation"] < before[0]


def test_a_file_the_ranks_do_not_read_leaves_them_cached(data_copy):
    data = data_copy
    first = ranks.cached_rank_table(data)
    builds = cache.builds["rank_table"]
    for unrelated in ("raw/ntm_resources_by_province.csv", "seeds/seed_articles_figures.csv", "codebook.yml"):
        f = data / unrelated
        f.write_bytes(f.read_bytes() + b"\n")
    again = ranks.cached_rank_table(data)
    assert cache.builds["rank_table"] == builds
    assert again.equals(first)


def test_a_caller_cannot_change_what_the_next_one_reads(data_copy):
    data = data_copy
    table = ranks.cached_rank_table(data)
    expected = _poverty_rank(table)
    table["rank_nation"] = 0
    assert _poverty_rank(ranks.cached_rank_table(data)) == expected


# --- the 2025 geography: each province ranked among the 34 on its 2025 figure ------------------------------------
def _successors() -> dict[str, str]:
    """2008 code → 2025 code, read by hand from data/raw/provinces_63_master.csv."""
    from hand_data import RAW
    with open(RAW / "provinces_63_master.csv", encoding="utf-8-sig", newline="") as fh:
        return {r["province_code"]: r["new_province_code_2025"] for r in csv.DictReader(fh)}


def _hand_2025(values: dict, year: int, weights: dict, weight_year: int) -> dict[str, float]:
    """Each 2025 province's population-weighted mean, by hand; a province lacking a constituent's value is left out."""
    groups: dict[str, list[str]] = {}
    for old, new in _successors().items():
        groups.setdefault(new, []).append(old)
    out = {}
    for new, olds in groups.items():
        if all((c, year) in values for c in olds):
            w = [weights[(c, weight_year)] for c in olds]
            out[new] = sum(values[(c, year)] * x for c, x in zip(olds, w)) / sum(w)
    return out


def test_lam_dong_2025_income_2023_is_ranked_among_the_34_by_hand():
    from hand_data import INCOME, RAW
    with open(RAW / "population_by_province_gso_v0201_2011_2022.csv", encoding="utf-8-sig", newline="") as fh:
        v0201 = {(r["province_code"], int(r["year"])): float(r["value"]) for r in csv.DictReader(fh)}
    agg = _hand_2025(INCOME, 2023, v0201, 2022)  # no population of 2023: the latest published, 2022
    assert len(agg) == 34
    row = ranks.ranks_of(["68"], 2023, 2023, vintage=2025)
    row = row[row["variable"] == "income_per_capita_nominal"].iloc[0]
    assert row["value"] == pytest.approx(agg["68"], rel=1e-12)
    assert (row["rank_nation"], row["n_nation"]) == (1 + sum(v > agg["68"] for v in agg.values()), 34) == (16, 34)
    assert row["status"] == "preliminary" and pd.isna(row["rank_region"])
    full = ranks.cached_rank_table_2025()
    mine = full[(full["code"] == "68") & (full["year"] == 2023) & (full["variable"] == "income_per_capita_nominal")]
    assert (mine["weight_variable"].iloc[0], mine["weight_year"].iloc[0]) == ("population_total_v0201", 2022)


def test_a_2025_rank_counts_only_the_provinces_with_a_figure():
    from hand_data import RAW
    with open(RAW / "population_by_province_gso_1995_2016.csv", encoding="utf-8-sig", newline="") as fh:
        pop = {(r["province_code"], int(r["year"])): float(r["pop_total"]) for r in csv.DictReader(fh)
               if r["level"] == "province" and r["pop_total"].strip()}
    agg = _hand_2025(POVERTY, 2016, pop, 2016)
    assert len(agg) == 33 and "79" not in agg  # Hồ Chí Minh (79) published no 2016 rate: its 2025 city has none
    row = ranks.ranks_of(["68"], 2016, 2016, vintage=2025)
    row = row[row["variable"] == POVERTY_LINE].iloc[0]
    assert row["value"] == pytest.approx(agg["68"], rel=1e-12)
    assert (row["rank_nation"], row["n_nation"]) == (1 + sum(v < agg["68"] for v in agg.values()), 33)
    assert ranks.ranks_of(["79"], 2016, 2016, vintage=2025).query("variable == @POVERTY_LINE").empty
    with pytest.raises(ValueError, match="vintage must be 2008"):
        ranks.ranks_of(["68"], 2016, 2016, vintage=2020)
