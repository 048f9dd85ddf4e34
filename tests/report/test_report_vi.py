"""Vietnamese reports (lang="vi"): no visible English left, Vietnamese number formats, figures in a font that has
every glyph.

One real render (Lào Cai, 2025 geography: aggregate, constituents, NTM table, figures; from the session's golden
renders, tests/conftest.py) is read back as a reader sees it: the HTML's visible text (tags, scripts and styles stripped) and, separately, the figures (base64 PNG,
decoded, with the texts and fonts each figure recorded). Other code paths (constant prices, the national NTM
context, Hà Nội before 2008) are checked in-process on the library's functions.

English is detected without a dictionary: a word written in ASCII letters only must be a possible Vietnamese
syllable (onset, vowels, coda) and not an English function word; proper nouns (province and region names),
units, codes (GSO, VHLSS, …) and source names (the publishers' table titles, marked <cite lang="en"> and
checked against data/raw) are allowed. The detector is shown to fire on the English report.
"""
import base64
import csv
import io
import json
import re
import unicodedata
from pathlib import Path

import matplotlib
import pytest
from bs4 import BeautifulSoup
from fontTools.ttLib import TTFont
from matplotlib import font_manager
from matplotlib.text import Text
from PIL import Image

import ntm_analysis as ntm
from ntm_analysis import paths
from ntm_analysis.report import display, figures as plots, png, provenance, results, tables, text
from ntm_analysis.report.context import ReportContext
from ntm_analysis.report.params import ReportParams

matplotlib.use("Agg")


# --- the English detector -------------------------------------------------------------------------------------
_ONSET = "(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|g|h|k|l|m|n|p|r|s|t|v|x)?"
_SYLLABLE = re.compile(rf"^{_ONSET}[aeiouy]{{1,3}}(?:ch|ng|nh|c|m|n|p|t)?$")
#: English words that happen to have the shape of a Vietnamese syllable (and are not used in the Vietnamese text).
ENGLISH_SHORT = {"the", "of", "and", "or", "by", "as", "is", "are", "not", "with", "from", "for", "this", "that",
                 "each", "its", "it", "be", "see", "at", "on", "in", "per", "than", "but", "into", "no", "to", "an",
                 "a", "up", "out", "one", "new", "rate", "data", "table", "year", "mean", "sum", "gap", "note"}
#: Codes, acronyms, units and names that stay as they are in a Vietnamese report.
ALLOWED = {"GSO", "NSO", "VHLSS", "NTM", "CPI", "UTC", "SHA", "CSV", "XLSX", "UTF", "BOM", "VND", "Excel", "VN",
           "m", "PX", "Web"}
ALLOWED |= {"Natural", "Earth"}  # the boundaries' publisher, named under every map (ntm_analysis.report.maps)


def _proper_nouns() -> set[str]:
    words = set()
    for vintage in (2008, 2025):
        for p in ntm.provinces(vintage):
            for name in (p.name, p.name_short, p.name_en):
                words.update(re.findall(r"[^\W\d_]+", name))
    words.update({"Hà", "Tây", "Việt", "Nam"})
    return words


PROPER = _proper_nouns()
_PATHS = re.compile(r"https?://\S+|\bdata/raw(?:/[\w.\-]+)?|[\w\-]+\.(?:csv|xlsx|ipynb|yml|html|py)\b")


def english_words(text: str) -> list[str]:
    """Words of ``text`` that are English (see the module docstring)."""
    found = []
    for word in re.findall(r"[^\W\d_]+", _PATHS.sub(" ", text)):
        if word in ALLOWED or word in PROPER:
            continue
        if not word.isascii():
            continue  # English words carry no Vietnamese letters (đ, ă, â, ê, ô, ơ, ư) or tone marks
        low = word.lower()
        if low in ENGLISH_SHORT or not _SYLLABLE.match(low):
            found.append(word)
    return found


def _raw_source_names() -> set[str]:
    """Every publisher table title in data/raw (column source_table), read with the csv module."""
    names = set()
    for f in paths.raw_dir().glob("*.csv"):
        with open(f, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            if reader.fieldnames and "source_table" in reader.fieldnames:
                names.update(unicodedata.normalize("NFC", r["source_table"].strip()) for r in reader)
    return names


SOURCE_NAMES = _raw_source_names()


def _seed_quotes() -> set[str]:
    """Every quote of the seed articles (data/seeds/seed_articles_figures.csv, column quote), read with csv."""
    with open(paths.data_dir() / "seeds" / "seed_articles_figures.csv", encoding="utf-8-sig", newline="") as fh:
        return {unicodedata.normalize("NFC", r["quote"]) for r in csv.DictReader(fh)}


#: The seed articles' words are quoted verbatim from their English machine translation (<q lang="en">).
SEED_QUOTES = _seed_quotes()


def visible(html: str) -> tuple[str, BeautifulSoup, list[bytes]]:
    """What a reader sees: text without tags, scripts, styles, code and checked source names; and the PNGs."""
    soup = BeautifulSoup(html, "html.parser")
    pngs = [base64.b64decode(img["src"].split(",", 1)[1]) for img in soup.find_all("img")
            if img.get("src", "").startswith("data:image/png;base64,")]
    for tag in soup(["script", "style", "head", "code", "pre"]):
        tag.decompose()
    for c in soup.find_all("cite"):
        name = unicodedata.normalize("NFC", c.get_text())
        assert c.get("lang") == "en" and name in SOURCE_NAMES, f"<cite> that is not a source of data/raw: {name!r}"
        c.decompose()
    for q in soup.find_all("q"):
        words = unicodedata.normalize("NFC", q.get_text())
        assert q.get("lang") == "en" and words in SEED_QUOTES, f"<q> that is not a seed article's quote: {words!r}"
        q.decompose()
    return soup.get_text(" "), soup, pngs


_EN_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])")
_EN_DECIMAL = re.compile(r"(?<![\d.,/])\d+\.\d{1,2}(?![\d.,])")


def english_numbers(text: str) -> list[str]:
    """Numbers written the English way (1,387 or 13.68); Vietnamese writes 1.387 and 13,68."""
    return _EN_THOUSANDS.findall(text) + _EN_DECIMAL.findall(text)


# --- fonts ------------------------------------------------------------------------------------------------------
def _font_path(file_name: str) -> str:
    hits = [f.fname for f in font_manager.fontManager.ttflist if Path(f.fname).name == file_name]
    assert hits, f"font file {file_name} is not known to matplotlib"
    return hits[0]


def missing_glyphs(text: str, font_path: str) -> list[str]:
    """Characters of ``text`` the font (read with fontTools) has no glyph for: matplotlib would draw a box."""
    cmap = TTFont(font_path, fontNumber=0, lazy=True).getBestCmap()
    return sorted({ch for ch in text if not ch.isspace() and ord(ch) not in cmap})


# --- the rendered report ----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def rendered_vi(golden):
    return golden.html("lao-cai-2025.vi")


def _tables_html(ctx) -> str:
    """Every table of a report as the display layer shows it."""
    out = [display.table_html(b(ctx)) for b in (tables.key_figures, tables.aggregate, tables.ranks, tables.ntm,
                                                 tables.ntm_national, tables.elasticity, tables.seed_claims)]
    if results.has_model(ctx):
        out += [display.table_html(tables.model_estimates(ctx)),
                display.table_html(tables.model_provinces(ctx), where="highlighted")]
    return "".join(str(x) for x in out)


def test_detector_fires_on_english_and_on_english_numbers():
    ctx = ReportContext.load(ReportParams(province="Lào Cai", vintage=2025, lang="en"))
    shown = "".join(str(display.table_html(b(ctx))) for b in (tables.key_figures, tables.aggregate, tables.ranks))
    words_, _, _ = visible(shown)
    words = set(english_words(words_ + text.caveats(ctx) + text.intro(ctx)))
    assert {"Income", "Poverty", "rate", "Population", "of", "the", "preliminary", "weights"} <= words
    assert english_words("Thu nhập bình quân đầu người per capita") == ["per", "capita"]
    assert english_numbers("1,387 và 13.68 và 1.387,5 và 13,68 và 2006–2010 và 01/12/2026") == ["1,387", "13.68"]


def test_vietnamese_report_has_no_visible_english(rendered_vi):
    text, soup, _ = visible(rendered_vi)
    assert unicodedata.is_normalized("NFC", text)
    assert english_words(text) == []
    assert english_numbers(text) == []
    headings = [h.get_text(" ", strip=True) for h in soup.find_all(["h1", "h2", "h3", "h4"])]
    for expected in ("Số liệu chính", "Thu nhập qua các năm", "Tỷ lệ nghèo qua các năm",
                     "Hệ số co giãn của tỷ lệ nghèo theo tăng trưởng thu nhập",
                     "Tỉnh năm 2025 bên cạnh các tỉnh hợp thành", "Xếp hạng", "Nông thôn mới: tiến độ và nguồn lực",
                     "Nghiên cứu điển hình: bài báo gốc",
                     "Kết quả mô hình: tỷ lệ nghèo giảm nhiều hơn hay ít hơn mức tăng thu nhập dự báo?",
                     "Tải các bảng số liệu", "Lưu ý", "Nguồn gốc dữ liệu"):
        assert expected in headings, (expected, headings)
    assert all(english_words(h) == [] for h in headings)


def test_vietnamese_report_of_the_2008_geography_has_no_visible_english(golden):
    """Lào Cai in the 2008 geography (one province, no aggregate; a seed article, the model): no English either."""
    text, soup, pngs = visible(golden.html("lao-cai.vi"))
    assert english_words(text) == [] and english_numbers(text) == []
    assert soup.html.get("lang") == "vi" and len(pngs) == 7  # the locator map, then the six figures
    assert "Tỉnh năm 2025 bên cạnh các tỉnh hợp thành" not in text


def test_vietnamese_report_language_title_and_numbers(rendered_vi):
    soup = BeautifulSoup(rendered_vi, "html.parser")
    assert soup.html.get("lang") == "vi"
    assert english_words(soup.title.get_text()) == [] and "Lào Cai" in soup.title.get_text()
    text, _, _ = visible(rendered_vi)
    # Lào Cai's 2023 income, 3200 in data/raw: dot thousands; Yên Bái's multidimensional poverty 10.60: decimal comma
    assert "3.200" in text and "3,200" not in text
    assert "10,60" in text and "10.60" not in text
    # the 2014 aggregate (1468 × 665.2 + 1386 × 783.5) / 1448.7 = 1423.65, shown with one decimal
    assert "1.423,7" in text


def test_2025_report_shows_constituents_beside_the_aggregate_and_the_missing_weight(rendered_vi):
    soup = BeautifulSoup(rendered_vi, "html.parser")
    heading = next(h for h in soup.find_all("h2") if "bên cạnh các tỉnh hợp thành" in h.get_text())
    table = heading.find_next("table")
    head = [th.get_text(strip=True) for th in table.find_all("th")]
    assert head[2:5] == ["Lào Cai (10)", "Yên Bái (15)", "Lào Cai 2025 (tổng hợp)"]
    rows = [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in table.find("tbody").find_all("tr")]
    by = {(r[0], r[1]): r for r in rows}
    # 2014: 1468 and 1386 (data/raw) beside their population-weighted mean 1423.65, with the weights
    assert by[("Thu nhập bình quân đầu người", "2014")][2:5] == ["1.468", "1.386", "1.423,7"]
    assert "Lào Cai 665,2; Yên Bái 783,5" in by[("Thu nhập bình quân đầu người", "2014")][-1]
    # 2023: both constituents published, no population: the aggregate is left out, with the reason
    r2023 = by[("Thu nhập bình quân đầu người", "2023")]
    assert r2023[2:5] == ["3.200", "3.155", "—"]
    assert r2023[-1].startswith("không tính: không có số liệu dân số (trọng số) của Lào Cai (10), Yên Bái (15) năm 2023")


def test_figures_record_their_fonts_and_have_every_glyph(rendered_vi):
    _, _, pngs = visible(rendered_vi)
    assert len(pngs) == 7  # the locator map, income, poverty, NTM, resources and outcomes, the seed case study (Lào Cai), the model
    vietnamese = 0
    for i, data in enumerate(pngs):
        record = json.loads(Image.open(io.BytesIO(data)).text[png.TEXTS_KEY])
        assert len(record) >= (8 if i else 5)  # title, axis labels, ticks, legend, source line (the locator map:
        # its legend, the archipelagos' labels and the source line)
        for item in record:
            assert item["font_family"] == plots.FONT_FAMILY, item
            assert item["missing"] == [] and missing_glyphs(item["text"], _font_path(item["font_file"])) == [], item
            assert english_words(item["text"]) == [] and english_numbers(item["text"]) == [], item
            vietnamese += not item["text"].isascii()
        assert any(item["text"].startswith("Nguồn: ") for item in record)  # the source line under every chart
    assert vietnamese >= 15


# --- other code paths, in-process -------------------------------------------------------------------------------
@pytest.mark.parametrize("params", [
    ReportParams(province="Lào Cai", lang="vi", price_basis="real"),
    ReportParams(province="Hà Nội", lang="vi", year_start=2006),
    ReportParams(province="Lâm Đồng", vintage=2025, lang="vi", price_basis="real"),
    ReportParams(province="Hồ Chí Minh", lang="vi"),  # elasticities refused (zero, missing), left out of the model
    ReportParams(province="Đắk Nông", lang="vi", year_start=2016, year_end=2023),  # no model in these years
], ids=["lao-cai-real", "ha-noi", "lam-dong-2025-real", "ho-chi-minh", "dak-nong-2016-2023"])
def test_report_text_and_figures_in_process(params):
    ctx = ReportContext.load(params)
    parts = [text.intro(ctx), text.real_income_note(ctx), text.ntm_gaps(ctx), text.caveats(ctx),
             text.elasticity_intro(ctx), text.model_intro(ctx)]
    parts += [text.heading(ctx, n) for n in ("key_figures", "income", "poverty", "aggregate", "ranks", "ntm",
                                             "national", "downloads", "caveats", "provenance")]
    parts += [text.heading(ctx, n) for n in ("elasticity", "seeds", "models")]
    has_model = results.has_model(ctx)
    if has_model:
        parts += [text.model_reading(ctx), text.model_caveat(ctx)]
    html = _tables_html(ctx) + str(provenance.footer(ctx)) + str(text.seed_articles(ctx))
    html_text, _, _ = visible(html)
    md_text, _, _ = visible("".join(f"<p>{p}</p>" for p in parts))  # `code` spans of Markdown stay: strip them
    md_text = re.sub(r"`[^`]*`", " ", md_text)
    assert english_words(html_text + md_text) == []
    assert english_numbers(html_text + md_text) == []
    figures = [plots.income_over_time, plots.poverty_over_time, plots.ntm_progress]
    figures += [plots.model_scatter] if has_model else []
    for make in figures + ([plots.seed_poverty] if plots.has_seed_figure(ctx) else []):
        fig = make(ctx)
        fig.canvas.draw()
        texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
        for t in texts:  # the font matplotlib resolves for this artist, checked with fontTools
            path = font_manager.findfont(t.get_fontproperties())
            assert missing_glyphs(t.get_text(), path) == [], (t.get_text(), path)
            assert english_words(t.get_text()) == [] and english_numbers(t.get_text()) == [], t.get_text()
        matplotlib.pyplot.close(fig)


def test_glyph_check_can_fail():
    dejavu = font_manager.findfont(font_manager.FontProperties(family=plots.FONT_FAMILY))
    assert missing_glyphs("Đắk Nông Thừa Thiên Huế ỹ Ỹ ự", dejavu) == []
    assert missing_glyphs("Đắk 漢", dejavu) == ["漢"]
