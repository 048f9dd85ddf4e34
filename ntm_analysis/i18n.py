"""Languages of the reports: English (default) and Vietnamese.

* :func:`fmt_number` writes numbers the way each language reads them:
  English ``1,387.5``; Vietnamese ``1.387,5`` (dot thousands, decimal comma).
* :func:`t` looks up a report string by key; every visible string of a report
  lives in :data:`MESSAGES`, so a test can check that a Vietnamese report has
  no English left in it.
* :func:`check_font_covers` tells whether a font has a glyph for every
  character of a text (Vietnamese needs Latin Extended Additional).
"""
from __future__ import annotations

import math
from functools import lru_cache

LANGS = ("en", "vi")


def _check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, got {lang!r}")
    return lang


def fmt_number(value: object, lang: str = "en", decimals: int = 0, missing: str | None = None) -> str:
    """Format a number with thousands separators in the reader's convention.

    >>> fmt_number(1387.25, "en", 1), fmt_number(1387.25, "vi", 1)
    ('1,387.2', '1.387,2')

    Missing values (None, NaN) become ``missing`` (default: an em dash in English,
    "không có số liệu" is too long for tables, so also an em dash in Vietnamese).
    """
    _check_lang(lang)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—" if missing is None else missing
    try:
        import pandas as pd  # noqa: PLC0415

        if pd.isna(value):
            return "—" if missing is None else missing
    except (TypeError, ValueError, ImportError):
        pass
    s = f"{float(value):,.{decimals}f}"
    if lang == "vi":
        s = s.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return s


def fmt_percent(value: object, lang: str = "en", decimals: int = 1) -> str:
    """A percentage with its sign: ``40.0 %`` / ``40,0 %`` (thin space before %, as both styles allow)."""
    s = fmt_number(value, lang, decimals)
    return s if s == "—" else f"{s} %"


#: Every visible string of the reports, by key. Keep keys stable: notebooks and the index use them.
MESSAGES: dict[str, dict[str, str]] = {
    "report_title": {"en": "{name}: resources, income and poverty under the New Rural Development programme",
                     "vi": "{name}: nguồn lực, thu nhập và nghèo đói trong Chương trình xây dựng nông thôn mới"},
    "key_figures": {"en": "Key figures", "vi": "Số liệu chính"},
    "income": {"en": "Income per capita", "vi": "Thu nhập bình quân đầu người"},
    "poverty": {"en": "Poverty", "vi": "Nghèo đói"},
    "population": {"en": "Population", "vi": "Dân số"},
    "ranks": {"en": "Ranks", "vi": "Xếp hạng"},
    "ntm_progress": {"en": "New Rural Development: progress and resources",
                     "vi": "Nông thôn mới: tiến độ và nguồn lực"},
    "models": {"en": "Model results", "vi": "Kết quả mô hình"},
    "caveats": {"en": "Caveats", "vi": "Lưu ý"},
    "provenance": {"en": "Provenance", "vi": "Nguồn gốc dữ liệu"},
    "downloads": {"en": "Download the tables", "vi": "Tải các bảng số liệu"},
    "year": {"en": "Year", "vi": "Năm"},
    "value": {"en": "Value", "vi": "Giá trị"},
    "unit": {"en": "Unit", "vi": "Đơn vị"},
    "source": {"en": "Source", "vi": "Nguồn"},
    "status": {"en": "Status", "vi": "Tình trạng"},
    "province": {"en": "Province", "vi": "Tỉnh/thành phố"},
    "region": {"en": "Region", "vi": "Vùng"},
    "nation": {"en": "Whole country", "vi": "Cả nước"},
    "final": {"en": "final", "vi": "chính thức"},
    "preliminary": {"en": "preliminary", "vi": "sơ bộ"},
    "suspect": {"en": "suspect", "vi": "nghi vấn"},
    "missing": {"en": "no published figure", "vi": "không có số liệu công bố"},
    "income_axis": {"en": "Income per capita (thousand VND/person/month)",
                    "vi": "Thu nhập bình quân đầu người (nghìn đồng/người/tháng)"},
    "income_real_axis": {"en": "Income per capita, {base} prices (thousand VND/person/month)",
                         "vi": "Thu nhập bình quân đầu người, giá năm {base} (nghìn đồng/người/tháng)"},
    "poverty_axis": {"en": "Poverty rate (%)", "vi": "Tỷ lệ nghèo (%)"},
    "resources_axis": {"en": "Resources mobilised (billion VND)", "vi": "Nguồn lực huy động (tỷ đồng)"},
    "communes_axis": {"en": "Communes meeting the NTM standard", "vi": "Số xã đạt chuẩn nông thôn mới"},
    "source_line": {"en": "Source: {source}", "vi": "Nguồn: {source}"},
    "gso_source": {"en": "GSO, VHLSS tables (data/raw, see provenance)",
                   "vi": "Tổng cục Thống kê, Khảo sát mức sống dân cư (data/raw, xem nguồn gốc)"},
    "measure_break": {"en": "change of poverty measure: not comparable across this line",
                      "vi": "thay đổi chuẩn nghèo: không so sánh được qua mốc này"},
    "income_line_0610": {"en": "income poverty line 2006–2010", "vi": "chuẩn nghèo thu nhập 2006–2010"},
    "income_line_1115": {"en": "income poverty line 2011–2015", "vi": "chuẩn nghèo thu nhập 2011–2015"},
    "multidim_2225": {"en": "multidimensional standard 2022–2025", "vi": "chuẩn nghèo đa chiều 2022–2025"},
    "nominal": {"en": "current prices", "vi": "giá hiện hành"},
    "real": {"en": "constant {base} prices (national CPI)", "vi": "giá so sánh năm {base} (CPI cả nước)"},
    "pp_per_year": {"en": "percentage points per year", "vi": "điểm phần trăm mỗi năm"},
    "pct_per_year": {"en": "% per year (compound)", "vi": "% mỗi năm (kép)"},
    "synthetic": {"en": "SYNTHETIC", "vi": "DỮ LIỆU MÔ PHỎNG (SYNTHETIC)"},
    "constituents": {"en": "Formed on 1 July 2025 from", "vi": "Thành lập ngày 1/7/2025 từ"},
    "failures": {"en": "Failures", "vi": "Lỗi"},
    "filter": {"en": "Filter provinces", "vi": "Lọc tỉnh/thành phố"},
    "report": {"en": "Report", "vi": "Báo cáo"},
    "notebook": {"en": "Executed notebook", "vi": "Sổ tay đã chạy"},
}


def t(key: str, lang: str = "en", **fields: object) -> str:
    """The report string ``key`` in ``lang``, with ``{fields}`` filled in."""
    _check_lang(lang)
    try:
        text = MESSAGES[key][lang]
    except KeyError:
        raise KeyError(f"no report string {key!r} (lang {lang!r}); add it to ntm_analysis.i18n.MESSAGES") from None
    return text.format(**fields) if fields else text


@lru_cache(maxsize=16)
def _charmap(font_path: str) -> frozenset[int]:
    from matplotlib.ft2font import FT2Font  # noqa: PLC0415

    return frozenset(FT2Font(font_path).get_charmap())


def check_font_covers(text: str, font_path: str | None = None) -> list[str]:
    """Characters of ``text`` the font has no glyph for (empty list: the font renders it all).

    ``font_path`` defaults to the font matplotlib resolves for its current ``font.family``.
    """
    if font_path is None:
        from matplotlib import font_manager  # noqa: PLC0415

        font_path = font_manager.findfont(font_manager.FontProperties())
    have = _charmap(font_path)
    return sorted({ch for ch in text if not ch.isspace() and ord(ch) not in have})
