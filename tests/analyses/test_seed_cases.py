"""The seed articles' claims (ntm_analysis.analyses.seed_cases) recomputed, against data/seeds read by hand."""

import pytest

from hand_data import row, seed_rows
from ntm_analysis import paths
from ntm_analysis.analyses import seed_cases as sc
from ntm_analysis.data import cache
from ntm_analysis.data.sources import RawDataError




def _set_seed_value(data, fact_id: str, old: str, new: str) -> None:
    f = data / sc.SEED_FILE
    lines = f.read_text(encoding="utf-8").split("\n")
    hits = [i for i, line in enumerate(lines) if line.startswith(fact_id + ",")]
    assert len(hits) == 1 and lines[hits[0]].count(f",{old},") == 1
    lines[hits[0]] = lines[hits[0]].replace(f",{old},", f",{new},")
    f.write_text("\n".join(lines), encoding="utf-8")


def test_lao_cai_claims_are_recomputed_from_the_articles_figures():
    facts = seed_rows()
    claims = sc.seed_claims_of(["10"])
    assert list(claims["kind"]) == ["avg_pp", "avg_compound"] and set(claims["place"]) == {"Y Tý"}
    v0, v1 = float(facts["laocai-008"]["value"]), float(facts["laocai-009"]["value"])
    assert (v0, v1) == (50.79, 20.42)
    pp = row(claims, kind="avg_pp")
    assert pp["recomputed_value"] == pytest.approx((v1 - v0) / 4, rel=1e-12) and bool(pp["consistent"])
    cr = row(claims, kind="avg_compound")
    assert cr["recomputed_value"] == pytest.approx(((v1 / v0) ** 0.25 - 1) * 100, rel=1e-12)
    assert not bool(cr["consistent"])  # 7.6 is the points reading, not the compound one
    assert pp["quote"] == facts["laocai-010"]["quote"]
    assert sc.claim_input(pp, "poverty_rate", 2021) == v0


def test_dak_nong_claims_and_which_provinces_have_a_seed_article():
    dak = sc.seed_claims_of(["67"])
    assert list(dak["kind"]) == ["change", "change", "change", "plan", "target"]
    spans = {(r["y0"], r["y1"]): r["spans_standard"] for _, r in dak[dak["kind"] == "change"].iterrows()}
    assert spans == {(2020, 2022): True, (2022, 2024): False, (2020, 2024): True}
    target = row(dak, kind="target")
    assert target["recomputed_value"] == pytest.approx(29 / 18 * 100, rel=1e-12)
    assert list(sc.seed_claims_of(["60", "67", "68"])["fact_ids"]) == list(dak["fact_ids"])
    assert sc.seed_provinces() == {"10", "67"}
    assert sc.seed_claims_of(["02"]).empty


def test_article_names_match_the_seed_readme():
    readme = (paths.data_dir() / "seeds" / "README.md").read_text(encoding="utf-8")
    for article, meta in sc.ARTICLES.items():
        assert f"`{article}`" in readme and meta["publisher"] in readme and f'"{meta["title"]}"' in readme
        assert (paths.PROJECT_DIR / meta["translation"]).exists()


def test_seed_poverty_points_are_the_articles_rates():
    facts = seed_rows()
    pts = sc.seed_poverty_points(["10"])
    want = sorted((f["place"], int(f["period_end"][:4]), float(f["value"])) for f in facts.values()
                  if f["indicator"] == "poverty_rate" and f["province_code"] == "10")
    assert sorted(zip(pts["place"], pts["year"], pts["value"])) == want and len(want) >= 2


def test_an_edited_seed_figure_is_recomputed_in_the_same_process(data_copy):
    data = data_copy
    before = sc.seed_claims_of(["10"], data_dir=data)
    builds = cache.builds["seed_data"]
    assert sc.seed_claims_of(["10"], data_dir=data).equals(before) and cache.builds["seed_data"] == builds
    _set_seed_value(data, "laocai-009", "20.42", "25.5")
    after = sc.seed_claims_of(["10"], data_dir=data)
    assert cache.builds["seed_data"] == builds + 1
    assert row(before, kind="avg_pp")["recomputed_value"] == pytest.approx((20.42 - 50.79) / 4, rel=1e-12)
    assert row(after, kind="avg_pp")["recomputed_value"] == pytest.approx((25.5 - 50.79) / 4, rel=1e-12)


def test_a_file_the_seed_claims_do_not_read_leaves_them_cached(data_copy):
    data = data_copy
    first = sc.seed_claims_of(["67"], data_dir=data)
    builds = cache.builds["seed_data"]
    for unrelated in ("raw/poverty_rate_by_province_gso.csv", "provenance.yml", "seeds/README.md"):
        f = data / unrelated
        f.write_bytes(f.read_bytes() + b"\n")
    assert sc.seed_claims_of(["67"], data_dir=data).equals(first)
    assert cache.builds["seed_data"] == builds


def test_a_missing_seed_file_then_a_restored_one(data_copy):
    data = data_copy
    f = data / sc.SEED_FILE
    text = f.read_bytes()
    f.unlink()
    assert sc.seed_data(data) is None and sc.seed_claims_of(["10"], data_dir=data).empty
    assert sc.seed_provinces(data) == set(sc.SEED_PROVINCES)
    f.write_bytes(text)
    assert sc.seed_provinces(data) == {"10", "67"} and len(sc.seed_claims_of(["10"], data_dir=data)) == 2


def test_a_bad_seed_figure_is_an_error_not_a_missing_file(data_copy):
    data = data_copy
    _set_seed_value(data, "laocai-009", "20.42", "about 20")
    with pytest.raises(RawDataError, match="about 20"):
        sc.seed_data(data)


def test_a_caller_cannot_change_what_the_next_one_reads(data_copy):
    data = data_copy
    facts, claims = sc.seed_data(data)
    values, recomputed = facts["value"].tolist(), claims["recomputed_value"].tolist()
    facts["value"] = 0.0
    claims["recomputed_value"] = 0.0
    facts2, claims2 = sc.seed_data(data)
    assert facts2["value"].tolist() == values and claims2["recomputed_value"].tolist() == recomputed
    assert 50.79 in values
