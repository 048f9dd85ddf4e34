"""Every province's ranks (ntm_analysis.analyses.ranks): ranked by hand from data/raw, computed once per data
version, recomputed after an edit of a file they read, reused after an edit of one they do not."""
import csv

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
