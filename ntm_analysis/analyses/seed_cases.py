"""The seed articles' claims about a province, each recomputed beside the article's words.

The seed articles report on Lào Cai (code 10) and Đắk Nông (code 67); a 2025 province containing one of them
shares its claims. :func:`seed_claims_of` returns one row per claim, recomputed by
:func:`ntm_analysis.indicators.seed_claims` from the articles' own figures (``data/seeds``), with the article
named. No HTML, no language (the English texts of the indicator are kept for a claim of an unknown kind).
"""
from __future__ import annotations

import pandas as pd

from ntm_analysis import paths
from ntm_analysis.data import cache
from ntm_analysis.data.ntm_provincial import SEED_FACTS_FILE
from ntm_analysis.data.sources import RawDataError
from ntm_analysis.indicators import seed_claims

#: The seed articles' figures (``data/seeds``), read by the case-study section: the one file it reads.
SEED_FILE = SEED_FACTS_FILE
#: The 2008 provinces the seed articles report on (Lào Cai, Đắk Nông): their reports say so when a data folder
#: lacks the seed file.
SEED_PROVINCES = ("10", "67")

#: The seed articles, as data/seeds/README.md names them (the CSV holds only their id, URL and date).
ARTICLES = {
    "baolaocai-403088": {"publisher": "Báo Lào Cai",
                         "title": "Nâng cao chất lượng và tính bền vững của các chương trình mục tiêu quốc gia",
                         "translation": "data/raw/seed_articles/000_eea879179a232793.txt"},
    "baodaknong-256296": {"publisher": "Báo Đắk Nông",
                          "title": "Vai trò cấp ủy, chính quyền trong xây dựng nông thôn mới Đắk Nông",
                          "translation": "data/raw/seed_articles/003_4a807ad37fa6a020.txt"},
}

SEED_COLUMNS = ["code", "place", "article", "article_url", "article_date", "kind", "y0", "y1", "quote",
                "article_value", "article_unit", "recomputed_value", "unit", "consistent", "inputs", "spans_standard",
                "fact_ids", "claim_en", "explanation_en", "ambiguity_en"]


def _seed_data(data_dir) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    from ntm_analysis.data.ntm_provincial import load_seed_facts  # noqa: PLC0415

    try:
        facts = load_seed_facts(data_dir)
    except RawDataError:
        if (paths.data_dir(data_dir) / SEED_FILE).exists():
            raise  # a seed file with a bad row: its error names the row
        return None  # a data folder without data/seeds: the section says so
    return facts, seed_claims(facts)


def seed_data(data_dir=None) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """The seed facts and their recomputed claims (:func:`~ntm_analysis.indicators.seed_claims`), or None when the
    data folder has no seed file. Computed once per version of the seed file (a
    :func:`ntm_analysis.data.cache.memo` keyed by its checksum, or by its absence, and the code of this module
    and what it imports); each call gets its own copy, so a caller may modify it."""
    files = [SEED_FILE] if (paths.data_dir(data_dir) / SEED_FILE).exists() else []
    return cache.memo("seed_data", files, lambda: _seed_data(data_dir), data_dir, copy=True)


def claim_kind(indicators: list[str], unit: str) -> str:
    """What a claim computes, from its input indicators: avg_pp, avg_compound, change, plan, target or other."""
    s = set(indicators)
    if "poverty_rate_avg_decrease" in s:
        return "avg_pp" if unit == "pp/year" else "avg_compound" if unit == "%/year" else "other"
    if s == {"poverty_rate"}:
        return "change"
    if "income_plan_attainment" in s:
        return "plan"
    if "communes_ntm_target" in s:
        return "target"
    return "other"


def seed_claims_of(codes: list[str], data_dir=None) -> pd.DataFrame:
    """The seed articles' claims about the provinces ``codes``, each recomputed
    (:func:`ntm_analysis.indicators.seed_claims`) beside the article's words: one row per claim (columns
    :data:`SEED_COLUMNS`; ``inputs`` maps each input fact's (indicator, period end) to its value; ``kind`` as
    :func:`claim_kind`). Empty when no province has a seed article."""
    got = seed_data(data_dir)
    rows = []
    if got is not None:
        facts, claims = got
        by_id = facts.set_index("fact_id")
        for _, c in claims.iterrows():
            ids = c["fact_ids"].split("+")
            fr = by_id.loc[ids]
            code = str(fr["province_code"].iloc[0])
            if code not in codes:
                continue
            kind = claim_kind(list(fr["indicator"]), str(c["unit"]))
            ends = [int(str(e)[:4]) for e in fr["period_end"] if str(e)]
            inputs = {(str(i), str(e)): float(v) for i, e, v in zip(fr["indicator"], fr["period_end"], fr["value"])}
            rows.append({"code": code, "place": str(fr["place"].iloc[0]), "article": str(fr["article"].iloc[0]),
                         "article_url": str(fr["article_url"].iloc[0]), "article_date": str(fr["article_date"].iloc[0]),
                         "kind": kind, "y0": min(ends) if ends else pd.NA, "y1": max(ends) if ends else pd.NA,
                         "quote": c["article_wording"], "article_value": c["article_value"],
                         "article_unit": c["article_unit"], "recomputed_value": float(c["recomputed_value"]),
                         "unit": c["unit"], "consistent": c["consistent_with_article"], "inputs": inputs,
                         "spans_standard": "spans a change of standard" in str(c["ambiguity_note"]),
                         "fact_ids": c["fact_ids"], "claim_en": c["claim"], "explanation_en": c["explanation"],
                         "ambiguity_en": c["ambiguity_note"]})
    return pd.DataFrame(rows, columns=SEED_COLUMNS)


def claim_input(claim: pd.Series | dict, indicator: str, year: int | None = None) -> float:
    """The value of one input fact of a claim of :func:`seed_claims_of` (``year``: its period's end year)."""
    for (ind, end), v in claim["inputs"].items():
        if ind == indicator and (year is None or end[:4] == str(year)):
            return v
    raise KeyError(f"seed claim {claim['fact_ids']}: no input {indicator} {year or ''}")


def seed_provinces(data_dir=None) -> set[str]:
    """The 2008 provinces with a seed article (from the seed file; :data:`SEED_PROVINCES` when it is missing)."""
    got = seed_data(data_dir)
    return set(SEED_PROVINCES) if got is None else set(got[0]["province_code"].astype(str))


def seed_poverty_points(codes: list[str], data_dir=None) -> pd.DataFrame:
    """The poverty rates the seed articles state for places of the provinces ``codes`` (place, year, value,
    article, fact_id), as transcribed: the points of the case-study figure."""
    got = seed_data(data_dir)
    if got is None:
        return pd.DataFrame(columns=["code", "place", "district", "year", "value", "article", "fact_id"])
    facts = got[0]
    f = facts[(facts["indicator"] == "poverty_rate") & facts["province_code"].isin(codes)]
    return pd.DataFrame({"code": f["province_code"].astype(str), "place": f["place"], "district": f["district"],
                         "year": f["period_end"].str[:4].astype(int), "value": f["value"].astype(float),
                         "article": f["article"], "fact_id": f["fact_id"]}
                        ).sort_values(["place", "year"]).reset_index(drop=True)
