"""Checks on data/seeds/seed_articles_figures.csv, the hand transcription of the two seed articles.

Every row must be traceable: its quote is a verbatim sentence of the article text kept in
data/raw/seed_articles/, and its value is a number written in that quote.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from ntm_analysis import lookup_province

ROOT = Path(__file__).resolve().parents[2]
CSV = ROOT / "data" / "seeds" / "seed_articles_figures.csv"
ARTICLES = {
    "baolaocai-403088": (
        ROOT / "data" / "raw" / "seed_articles" / "000_eea879179a232793.txt",
        "https://baolaocai.vn/nang-cao-chat-luong-va-tinh-ben-vung-cua-cac-chuong-trinh-muc-tieu-quoc-gia-post403088.html",
    ),
    "baodaknong-256296": (
        ROOT / "data" / "raw" / "seed_articles" / "003_4a807ad37fa6a020.txt",
        "https://baodaknong.vn/vai-tro-cap-uy-chinh-quyen-trong-xay-dung-nong-thon-moi-dak-nong-256296.html",
    ),
}
COLUMNS = [
    "fact_id", "article", "article_url", "article_date", "place", "place_level", "district", "province",
    "province_code", "period_start", "period_end", "indicator", "value", "unit", "qualifier", "quote", "note",
]
QUALIFIERS = {"exact", "lower_bound", "approximate", "target"}
LEVELS = {"province", "district", "commune", "village"}
# A number as written in English text: "73,000", "50.79", "2021", "19" (from "19/19").
NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
PERIOD_LABEL = re.compile(r"\b(?:19|20)\d{2}\s*-\s*(?:19|20)\d{2}\b")  # "2016-2020", "2021 - 2025"
# Document references are labels, not facts: "Resolution 03", "Decision No. 526/QD-UBND dated April 15, 2025".
DOCUMENT_REF = re.compile(r"\b(?:Resolution|Decision)(?: No\.)? [\w/-]+(?: dated [A-Z][a-z]+ \d{1,2}, \d{4})?")


def _squash(text: str) -> str:
    return " ".join(text.split())


def _numbers_in(text: str) -> set[float]:
    return {float(m.replace(",", "")) for m in NUMBER.findall(text)}


def _row_id(df: pd.DataFrame, i) -> str:
    return f"{CSV.name} row {i + 2} (fact_id {df.at[i, 'fact_id']!r})"


@pytest.fixture(scope="module")
def facts() -> pd.DataFrame:
    return pd.read_csv(CSV, dtype=str, keep_default_na=False, encoding="utf-8")


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    return {k: _squash(path.read_text(encoding="utf-8")) for k, (path, _) in ARTICLES.items()}


def test_columns_exact(facts):
    assert list(facts.columns) == COLUMNS


def test_required_fields_filled(facts):
    for col in ["fact_id", "article", "article_url", "place", "place_level", "province", "province_code",
                "indicator", "value", "unit", "qualifier", "quote"]:
        empty = facts.index[facts[col].str.strip() == ""].tolist()
        assert not empty, f"{CSV.name}: column {col!r} empty in rows {[i + 2 for i in empty]}"


def test_ids_articles_and_urls(facts):
    assert facts["fact_id"].is_unique, facts.loc[facts["fact_id"].duplicated(), "fact_id"].tolist()
    prefix = {"baolaocai-403088": "laocai-", "baodaknong-256296": "daknong-"}
    for i, row in facts.iterrows():
        assert row["article"] in ARTICLES, f"{_row_id(facts, i)}: unknown article {row['article']!r}"
        assert row["article_url"] == ARTICLES[row["article"]][1], f"{_row_id(facts, i)}: url {row['article_url']!r}"
        assert re.fullmatch(re.escape(prefix[row["article"]]) + r"\d{3}", row["fact_id"]), _row_id(facts, i)
    dates = facts.groupby("article")["article_date"].unique()
    assert list(dates["baodaknong-256296"]) == ["2025-06-22"]  # "Báo Đắk Nông 22/06/2025" in the text
    assert list(dates["baolaocai-403088"]) == [""]  # no date in the Lào Cai text


def test_text_is_nfc(facts):
    for col in facts.columns:
        for i, v in facts[col].items():
            assert v == unicodedata.normalize("NFC", v), f"{_row_id(facts, i)}, column {col!r}: not NFC"


def test_quotes_are_verbatim(facts, texts):
    for i, row in facts.iterrows():
        assert _squash(row["quote"]) in texts[row["article"]], (
            f"{_row_id(facts, i)}: quote not found verbatim in {ARTICLES[row['article']][0].name}: {row['quote']!r}"
        )


def test_values_are_numbers_written_in_quote(facts):
    for i, row in facts.iterrows():
        assert re.fullmatch(r"-?\d+(\.\d+)?", row["value"]), f"{_row_id(facts, i)}: value {row['value']!r} is not a plain number"
        assert float(row["value"]) in _numbers_in(row["quote"]), (
            f"{_row_id(facts, i)}: value {row['value']} not written in its quote {row['quote']!r}"
        )


def test_number_matching_handles_separators():
    assert 73000.0 in _numbers_in("over 73,000 billion VND")
    assert 50.79 in _numbers_in("from 50.79% (in 2021)")
    assert {44.0, 52.0} <= _numbers_in("achieved 44/52 goals")
    assert 73.0 not in _numbers_in("over 73,000 billion VND")


def test_every_number_in_a_quoted_fact_sentence_is_accounted_for(facts):
    """Numbers in a quoted sentence are rows, the rows' periods, or period labels such as "(2016-2020)"."""
    for quote, group in facts.groupby("quote"):
        values = {float(v) for v in group["value"]}
        periods = {float(p[:4]) for p in pd.concat([group["period_start"], group["period_end"]]) if p}
        labels_removed = DOCUMENT_REF.sub(" ", PERIOD_LABEL.sub(" ", quote))
        missing = _numbers_in(labels_removed) - values - periods
        assert not missing, f"{CSV.name}: numbers {sorted(missing)} of quote {quote[:60]!r}… have no row"


def test_codes_levels_qualifiers_periods(facts):
    expected_code = {"Lào Cai": "10", "Đắk Nông": "67"}
    for i, row in facts.iterrows():
        rid = _row_id(facts, i)
        assert row["province_code"] == expected_code[row["province"]], f"{rid}: code {row['province_code']!r}"
        assert lookup_province(row["province"], vintage=2008).code == row["province_code"], rid
        assert row["place_level"] in LEVELS, f"{rid}: place_level {row['place_level']!r}"
        assert row["qualifier"] in QUALIFIERS, f"{rid}: qualifier {row['qualifier']!r}"
        assert (row["district"] == "") == (row["place_level"] == "province"), f"{rid}: district {row['district']!r}"
        if row["place_level"] in {"province", "district"}:
            assert row["place"] == (row["province"] if row["place_level"] == "province" else row["district"]), rid
        for col in ("period_start", "period_end"):
            assert re.fullmatch(r"(\d{4}(-\d{2})?)?", row[col]), f"{rid}: {col} {row[col]!r} not YYYY or YYYY-MM"
        assert (row["period_start"] == "") == (row["period_end"] == ""), f"{rid}: half-open period"
        assert row["period_start"] <= row["period_end"], f"{rid}: period start after end"
        assert re.fullmatch(r"[a-z0-9_]+", row["indicator"]), f"{rid}: indicator {row['indicator']!r} not snake_case"


def test_vietnamese_place_names(facts):
    names = {"Mường Khương", "Gia Phú", "Y Tý", "Bảo Thắng", "Bát Xát", "Đắk Ha", "Đắk Glong", "Tâm Thắng",
             "Cư Jút", "Lào Cai", "Đắk Nông"}
    assert set(facts["place"]) <= names
    assert set(facts["district"]) - {""} <= names


def _one(facts, **where) -> pd.DataFrame:
    sel = facts
    for k, v in where.items():
        sel = sel[sel[k] == v]
    assert len(sel) == 1, f"expected one row for {where}, got {len(sel)}"
    return sel.iloc[0]


def test_known_facts(facts):
    assert _one(facts, place="Y Tý", indicator="poverty_rate", period_end="2021")["value"] == "50.79"
    assert _one(facts, place="Y Tý", indicator="poverty_rate", period_end="2025")["value"] == "20.42"
    inc = _one(facts, place="Đắk Ha", indicator="income_per_capita")
    assert (inc["value"], inc["unit"], inc["period_end"]) == ("50.89", "million VND/person/year", "2024")
    actual = _one(facts, place="Đắk Nông", indicator="communes_ntm", period_end="2020")
    target = _one(facts, place="Đắk Nông", indicator="communes_ntm_target", period_end="2020")
    assert (actual["value"], actual["qualifier"]) == ("29", "exact")
    assert (target["value"], target["qualifier"]) == ("18", "target")
    res = _one(facts, place="Đắk Nông", indicator="resources_total")
    assert (res["value"], res["qualifier"], res["period_start"], res["period_end"]) == ("73000", "lower_bound", "2016", "2020")
    dh = _one(facts, place="Đắk Ha", indicator="resources_total")
    assert (dh["value"], dh["qualifier"]) == ("300", "lower_bound")
    assert sorted(facts.loc[facts["place"].eq("Đắk Ha") & facts["indicator"].eq("poverty_rate"), "value"]) == ["10.14", "28.34", "40.81"]
    assert sorted(facts.loc[facts["indicator"].eq("ntm_recognition"), "value"]) == ["2016", "2019", "2024", "2024"]


def test_rows_per_article(facts):
    assert facts["article"].value_counts().to_dict() == {"baodaknong-256296": 27, "baolaocai-403088": 14}
