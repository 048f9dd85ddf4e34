"""The seed articles' claims (ntm_analysis.analyses.seed_cases) recomputed, against data/seeds read by hand."""
import pytest

from hand_data import row, seed_rows
from ntm_analysis import paths
from ntm_analysis.analyses import seed_cases as sc


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
