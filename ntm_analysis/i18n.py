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
import re
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

    # -- narrative of the province report (Markdown: one heading and its paragraph) ---------------
    "sec_intro": {
        "en": "This report brings together what is published about one province under Vietnam's National Target "
              "Program on New Rural Development (*Nông thôn mới*, NTM): household income and poverty from the "
              "General Statistics Office's living standards surveys (VHLSS), population, and the resources and "
              "progress the province itself reported. Every figure carries its source; a year without a published "
              "figure is left empty, never filled.",
        "vi": "Báo cáo này tập hợp những số liệu đã công bố về một tỉnh trong Chương trình mục tiêu quốc gia xây "
              "dựng nông thôn mới (NTM): thu nhập và tỷ lệ nghèo của hộ gia đình theo Khảo sát mức sống dân cư "
              "(VHLSS) của Tổng cục Thống kê, dân số, cùng nguồn lực và tiến độ do chính tỉnh báo cáo. Mỗi số liệu "
              "đều ghi nguồn; năm không có số liệu công bố được để trống, không bao giờ điền thêm."},
    "sec_key_figures": {
        "en": "## Key figures\n\nThe latest published value of each figure in the years covered, with its year, "
              "measure, status (final or preliminary) and source.",
        "vi": "## Số liệu chính\n\nGiá trị công bố gần nhất của mỗi chỉ tiêu trong các năm của báo cáo, kèm năm, "
              "thước đo, tình trạng (chính thức hay sơ bộ) và nguồn."},
    "sec_income": {
        "en": "## Income over time\n\nMonthly income per capita of the province, its region and the whole country. "
              "Points are published survey values (hollow points are preliminary); lines join consecutive survey "
              "years only.",
        "vi": "## Thu nhập qua các năm\n\nThu nhập bình quân đầu người một tháng của tỉnh, của vùng và của cả "
              "nước. Các điểm là giá trị khảo sát đã công bố (điểm rỗng là số sơ bộ); đường chỉ nối các năm khảo "
              "sát liên tiếp."},
    "sec_poverty": {
        "en": "## Poverty over time\n\nThe poverty rate was measured against different standards over time: the "
              "income poverty line of 2006–2010, the line of 2011–2015 (used from 2010) and, in 2023, the "
              "multidimensional standard of 2022–2025. Each measure is drawn as its own series and a dashed red "
              "line marks every change of measure: a jump across it is not a change in poverty.",
        "vi": "## Tỷ lệ nghèo qua các năm\n\nTỷ lệ nghèo được đo theo những chuẩn khác nhau qua thời gian: chuẩn "
              "nghèo thu nhập 2006–2010, chuẩn 2011–2015 (áp dụng từ năm 2010) và, năm 2023, chuẩn nghèo đa chiều "
              "2022–2025. Mỗi chuẩn được vẽ thành một chuỗi riêng, và một đường đứt nét màu đỏ đánh dấu mỗi lần "
              "đổi chuẩn: bước nhảy qua đường này không phải là thay đổi về nghèo."},
    "sec_aggregate": {
        "en": "## The 2025 province beside its constituents\n\nEach figure of the new province is computed from "
              "the 2008 provinces it was formed from: the population-weighted mean for income and poverty rates, "
              "the sum for population. Each constituent's own value is shown beside the aggregate, with the "
              "weights used; a year in which a value or a weight is missing has no aggregate, and the note says "
              "why.",
        "vi": "## Tỉnh năm 2025 bên cạnh các tỉnh hợp thành\n\nMỗi số liệu của tỉnh mới được tính từ các tỉnh "
              "(địa giới năm 2008) hợp thành: bình quân gia quyền theo dân số đối với thu nhập và tỷ lệ nghèo, "
              "tổng cộng đối với dân số. Giá trị riêng của từng tỉnh hợp thành được đặt cạnh số tổng hợp, kèm "
              "trọng số đã dùng; năm thiếu giá trị hoặc trọng số thì không có số tổng hợp, và ghi chú nêu lý do."},
    "sec_ranks": {
        "en": "## Ranks\n\nThe province's place among the 63 provinces in each survey year (ties share the better "
              "rank).",
        "vi": "## Xếp hạng\n\nThứ hạng của tỉnh trong 63 tỉnh, thành phố ở mỗi năm khảo sát (các tỉnh bằng nhau "
              "cùng nhận thứ hạng cao hơn)."},
    "sec_ntm": {
        "en": "## New Rural Development: progress and resources\n\nWhat the province reported about its own NTM "
              "programme: communes meeting the standard and resources mobilised, each with the period, unit and "
              "qualifier of the source and a confidence grade. Periods overlap and totals usually include bank "
              "credit, so figures are never summed.",
        "vi": "## Nông thôn mới: tiến độ và nguồn lực\n\nNhững gì tỉnh tự báo cáo về chương trình nông thôn mới "
              "của mình: số xã đạt chuẩn và nguồn lực huy động, mỗi số kèm thời kỳ, đơn vị, mức chính xác theo "
              "nguồn và độ tin cậy. Các thời kỳ chồng lấn nhau và tổng nguồn lực thường gồm cả vốn tín dụng ngân "
              "hàng, nên các số liệu không bao giờ được cộng dồn."},
    "sec_national": {
        "en": "### National context\n\nThe province reported few figures; the national progress of the programme, "
              "for context:",
        "vi": "### Bối cảnh cả nước\n\nTỉnh báo cáo ít số liệu; tiến độ của chương trình trên cả nước, để tham "
              "khảo:"},
    "sec_downloads": {
        "en": "## Download the tables\n\nEvery table of this report as CSV files (UTF-8 with BOM; comma-separated, "
              "decimal point) and as one Excel workbook (XLSX) with a notes sheet giving the unit and source of "
              "every column. A gap is an empty cell, never a filled value.",
        "vi": "## Tải các bảng số liệu\n\nMọi bảng của báo cáo này dưới dạng tệp CSV (UTF-8 có BOM; phân cách "
              "bằng dấu phẩy, dấu chấm thập phân) và một sổ tính Excel (XLSX) có trang ghi chú nêu đơn vị và nguồn "
              "của từng cột. Chỗ không có số liệu là ô trống, không bao giờ được điền."},
    "sec_caveats": {"en": "## Caveats", "vi": "## Lưu ý"},
    "sec_provenance": {
        "en": "## Provenance\n\nThe data files this report read (SHA-256), the software that produced it and its "
              "parameters. Rendered from `notebooks/province_report.ipynb` by `ntm render`.",
        "vi": "## Nguồn gốc dữ liệu\n\nCác tệp dữ liệu báo cáo đã đọc (mã băm SHA-256), phần mềm tạo ra báo cáo "
              "và các tham số. Được tạo từ `notebooks/province_report.ipynb` bằng lệnh `ntm render`."},

    # -- intro ("{name_en:.0}" takes the field and shows nothing: the Vietnamese text needs no English name)
    "intro_place": {"en": "**{name}** ({name_en}; GSO code {code}; {region}). Geography of {vintage}; years "
                          "{start}–{end}; income at {basis}.",
                    "vi": "**{name}** (mã GSO {code}; vùng {region}). Địa giới năm {vintage}; các năm "
                          "{start}–{end}; thu nhập theo {basis}.{name_en:.0}"},
    "basis_nominal": {"en": "current prices (nominal)", "vi": "giá hiện hành (danh nghĩa)"},
    "basis_real": {"en": "constant prices (real), where possible", "vi": "giá so sánh (thực tế), khi có thể"},
    "intro_constituents": {"en": "{label}: {names}. Every published series was collected for these 2008 "
                                 "provinces; their own figures are shown side by side.",
                           "vi": "{label}: {names}. Mọi chuỗi số liệu đã công bố đều được thu thập cho các tỉnh "
                                 "theo địa giới năm 2008 này; số liệu riêng của từng tỉnh được trình bày cạnh "
                                 "nhau."},

    # -- table headers -----------------------------------------------------------------------------
    "col_figure": {"en": "Figure", "vi": "Chỉ tiêu"},
    "col_measure": {"en": "Measure", "vi": "Thước đo"},
    "col_indicator": {"en": "Indicator", "vi": "Chỉ tiêu"},
    "col_period": {"en": "Period", "vi": "Thời kỳ"},
    "col_qualifier": {"en": "Qualifier", "vi": "Mức chính xác"},
    "col_reported_as": {"en": "Reported as", "vi": "Số gốc theo nguồn"},
    "col_confidence": {"en": "Confidence", "vi": "Độ tin cậy"},
    "col_as_of": {"en": "As of", "vi": "Thời điểm"},
    "col_rank_region": {"en": "Rank in region", "vi": "Hạng trong vùng"},
    "col_rank_nation": {"en": "Rank in Viet Nam", "vi": "Hạng trong cả nước"},
    "col_file": {"en": "File", "vi": "Tệp"},
    "col_package": {"en": "Package", "vi": "Gói phần mềm"},
    "col_version": {"en": "Version", "vi": "Phiên bản"},
    "col_aggregate": {"en": "{name} 2025 (aggregate)", "vi": "{name} 2025 (tổng hợp)"},
    "col_how": {"en": "How computed / note", "vi": "Cách tính / ghi chú"},
    "source_link": {"en": "source", "vi": "nguồn"},
    "rank_of": {"en": "{rank} of {n}", "vi": "{rank}/{n}"},

    # -- key figures -------------------------------------------------------------------------------
    "fig_income": {"en": "Income per capita", "vi": "Thu nhập bình quân đầu người"},
    "fig_poverty_line": {"en": "Poverty rate (income poverty line)", "vi": "Tỷ lệ nghèo (chuẩn nghèo thu nhập)"},
    "fig_poverty_multi": {"en": "Poverty rate (multidimensional)", "vi": "Tỷ lệ nghèo (chuẩn nghèo đa chiều)"},
    "fig_population": {"en": "Population", "vi": "Dân số"},
    "aggregate_label": {"en": "{name} (2025, aggregate)", "vi": "{name} (2025, tổng hợp)"},
    "not_computable": {"en": "not computable (see caveats)", "vi": "không tính được (xem lưu ý)"},
    "weighted_mean": {"en": "population-weighted mean", "vi": "bình quân gia quyền theo dân số"},
    "sum": {"en": "sum", "vi": "tổng"},
    "aggregated_from": {"en": "aggregated from {members}, 2008 geography ({how}, weights population {year}); "
                              "inputs: ",
                        "vi": "tổng hợp từ {members}, địa giới năm 2008 ({how}, trọng số: dân số năm {year}); "
                              "đầu vào: "},
    "summed_from": {"en": "sum of {members}, 2008 geography; inputs: ",
                    "vi": "tổng của {members}, địa giới năm 2008; đầu vào: "},

    # -- income --------------------------------------------------------------------------------------
    "cpi_none": {"en": "none", "vi": "không có năm nào"},
    "cpi_cover": {"en": "The national CPI in the data covers {years} within the years shown; there is no CPI for "
                        "2023, so 2023 income cannot be deflated",
                  "vi": "Chỉ số giá tiêu dùng (CPI) cả nước trong dữ liệu có cho các năm {years} trong khoảng của "
                        "báo cáo; không có CPI năm 2023, nên thu nhập năm 2023 không quy được về giá so sánh"},
    "income_note_nominal": {"en": "Income is shown at **current prices** (nominal): growth over time includes "
                                  "inflation. {cover}.",
                            "vi": "Thu nhập được trình bày theo **giá hiện hành** (danh nghĩa): mức tăng qua thời "
                                  "gian bao gồm cả lạm phát. {cover}."},
    "income_note_real": {"en": "Income is shown at **constant {base} prices**, deflated by the national CPI. "
                               "{cover}: it is left out of this chart (a gap, not an estimate); see the key "
                               "figures for its nominal value.",
                         "vi": "Thu nhập được trình bày theo **giá so sánh năm {base}**, đã loại trừ biến động giá "
                               "bằng CPI cả nước. {cover}: năm này được để trống trên biểu đồ (khoảng trống, không "
                               "phải ước tính); giá trị danh nghĩa có trong bảng số liệu chính."},

    # -- 2025 aggregate table -------------------------------------------------------------------------
    "how_weights": {"en": "weights: population {year}: {weights} (thousand persons)",
                    "vi": "trọng số: dân số năm {year}: {weights} (nghìn người)"},
    "how_sum": {"en": "sum of the constituents", "vi": "tổng của các tỉnh hợp thành"},
    "gap_no_value": {"en": "not computed: no published figure for {names} in {year}",
                     "vi": "không tính: không có số liệu công bố của {names} năm {year}"},
    "gap_no_weight": {"en": "not computed: no population figure (the weight) for {names} in {year}; GSO "
                            "population by province is published for 1995–2016",
                      "vi": "không tính: không có số liệu dân số (trọng số) của {names} năm {year}; dân số theo "
                            "tỉnh của Tổng cục Thống kê chỉ công bố cho các năm 1995–2016"},
    "gap_measures": {"en": "not computed: the constituents are measured differently",
                     "vi": "không tính: các tỉnh hợp thành được đo theo thước đo khác nhau"},
    "gap_other": {"en": "not computed", "vi": "không tính"},
    "no_aggregate": {"en": "This province kept its territory in 2025: its figures are those of the 2008 province.",
                     "vi": "Tỉnh này giữ nguyên địa giới năm 2025: số liệu là số liệu của tỉnh theo địa giới "
                           "năm 2008."},

    # -- ranks ---------------------------------------------------------------------------------------
    "rank_income": {"en": "Income per capita (1 = highest)", "vi": "Thu nhập bình quân đầu người (1 = cao nhất)"},
    "rank_poverty_line": {"en": "Poverty rate, income line (1 = lowest)",
                          "vi": "Tỷ lệ nghèo, chuẩn thu nhập (1 = thấp nhất)"},
    "rank_poverty_multi": {"en": "Poverty rate, multidimensional (1 = lowest)",
                           "vi": "Tỷ lệ nghèo đa chiều (1 = thấp nhất)"},
    "no_ranks": {"en": "No ranked figures in the years shown.",
                 "vi": "Không có số liệu xếp hạng trong các năm của báo cáo."},

    # -- NTM -----------------------------------------------------------------------------------------
    "ntm_none": {"en": "<strong>No NTM figures reported by this province were found.</strong> This is a gap, not "
                       "a zero.",
                 "vi": "<strong>Không tìm thấy số liệu nông thôn mới nào do tỉnh này báo cáo.</strong> Đây là "
                       "khoảng trống, không phải số không."},
    "ntm_count": {"en": "{n} figure(s) reported, on {k} indicator(s).",
                  "vi": "Có {n} số liệu được báo cáo, về {k} chỉ tiêu."},
    "ntm_not_reported": {"en": "Not reported in the collected sources: {items}.",
                         "vi": "Không có trong các nguồn đã thu thập: {items}."},
    "ntm_never_summed": {"en": "Periods overlap and scopes differ (totals usually include bank credit): figures "
                               "are shown as reported and never summed across periods.",
                         "vi": "Các thời kỳ chồng lấn và phạm vi khác nhau (tổng nguồn lực thường gồm vốn tín dụng "
                               "ngân hàng): số liệu được trình bày đúng như báo cáo và không cộng dồn giữa các "
                               "thời kỳ."},
    "as_of": {"en": "as of {date}", "vi": "tính đến {date}"},
    "as_of_unknown": {"en": "as of (date not stated)", "vi": "không rõ thời điểm"},
    "share_communes": {"en": "Share of communes", "vi": "Tỷ lệ xã đạt chuẩn nông thôn mới"},

    # -- caveats ---------------------------------------------------------------------------------------
    "cav_preliminary": {
        "en": "**Preliminary values.** 2016 and 2023 income and poverty figures are preliminary; GSO later revised "
              "the national 2016 income ({final} final vs {prelim} preliminary), so 2016 province values are "
              "superseded too.",
        "vi": "**Số liệu sơ bộ.** Thu nhập và tỷ lệ nghèo năm 2016 và 2023 là số sơ bộ; Tổng cục Thống kê sau đó "
              "đã điều chỉnh thu nhập cả nước năm 2016 ({final} chính thức so với {prelim} sơ bộ), nên số liệu các "
              "tỉnh năm 2016 cũng đã được thay thế."},
    "cav_measures": {
        "en": "**Poverty measures differ.** 2006–2008 use the 2006–2010 income poverty line, 2010–2016 the "
              "2011–2015 line, and 2023 GSO's multidimensional 2022–2025 standard. Each is drawn as its own series; "
              "changes across a break are not changes in poverty.",
        "vi": "**Các chuẩn nghèo khác nhau.** Các năm 2006–2008 dùng chuẩn nghèo thu nhập 2006–2010, các năm "
              "2010–2016 dùng chuẩn 2011–2015, và năm 2023 dùng chuẩn nghèo đa chiều 2022–2025 của Tổng cục Thống "
              "kê. Mỗi chuẩn được vẽ thành chuỗi riêng; thay đổi qua mốc đổi chuẩn không phải là thay đổi về "
              "nghèo."},
    "cav_nominal": {
        "en": "**Income is nominal** unless the chart says otherwise; the national CPI ends in 2016.",
        "vi": "**Thu nhập là danh nghĩa** trừ khi biểu đồ ghi khác; CPI cả nước chỉ có đến năm 2016."},
    "cav_ntm": {
        "en": "**NTM figures are the province's own reports**, gathered from the press; periods overlap, scopes "
              "differ (bank credit is usually included) and many provinces report little. Missing figures are "
              "gaps.",
        "vi": "**Số liệu nông thôn mới là báo cáo của chính các tỉnh**, thu thập từ báo chí; các thời kỳ chồng "
              "lấn, phạm vi khác nhau (thường gồm cả vốn tín dụng ngân hàng) và nhiều tỉnh báo cáo rất ít. Số liệu "
              "thiếu là khoảng trống."},
    "cav_survey": {
        "en": "**Survey years.** VHLSS income is published for even years only; lines join consecutive survey "
              "years, and longer gaps are left open.",
        "vi": "**Năm khảo sát.** Thu nhập theo VHLSS chỉ công bố cho các năm chẵn; đường chỉ nối các năm khảo sát "
              "liên tiếp, những khoảng cách dài hơn được để trống."},
    "cav_2025": {
        "en": "**2025 geography.** Statistics exist only for the 2008 provinces. The aggregate of the new province "
              "is the population-weighted mean of its constituents (population summed); GSO population ends in "
              "2016, so later aggregates (2023 income and poverty) are not computed and stay gaps. Poverty is "
              "weighted by persons although the multidimensional rate counts households.",
        "vi": "**Địa giới năm 2025.** Số liệu thống kê chỉ có cho các tỉnh theo địa giới năm 2008. Số tổng hợp của "
              "tỉnh mới là bình quân gia quyền theo dân số của các tỉnh hợp thành (dân số được cộng); dân số theo "
              "tỉnh của Tổng cục Thống kê chỉ có đến năm 2016, nên các số tổng hợp sau đó (thu nhập và tỷ lệ nghèo "
              "năm 2023) không được tính và để trống. Tỷ lệ nghèo được gia quyền theo số người, dù tỷ lệ nghèo đa "
              "chiều tính theo hộ."},
    "cav_hanoi": {"en": "**Hà Nội before 1 August 2008** excludes Hà Tây.",
                  "vi": "**Hà Nội trước ngày 1/8/2008** không gồm Hà Tây."},

    # -- provenance --------------------------------------------------------------------------------
    "rendered_at": {"en": "Rendered {time} from git commit {commit}.",
                    "vi": "Tạo lúc {time} từ phiên bản mã nguồn {commit}."},
    "parameters": {"en": "Parameters", "vi": "Tham số"},
    "data_files": {"en": "Data files", "vi": "Tệp dữ liệu"},
    "input_digest": {"en": "Input digest (SHA-256 of exactly the rows this report reads, its ranks included): {digest}. "
                           "The file checksums below are those of the whole files when the report was rendered; "
                           "a later change elsewhere in a file that leaves this report's rows alone does not "
                           "re-render it.",
                     "vi": "Mã băm đầu vào (SHA-256 của đúng các dòng số liệu báo cáo này đọc, kể cả thứ hạng): "
                           "{digest}. Mã băm các tệp dưới đây là của toàn bộ tệp lúc tạo báo cáo; một thay đổi ở "
                           "chỗ khác trong tệp mà không chạm tới các dòng của báo cáo này thì không làm báo cáo "
                           "được tạo lại."},
    "software": {"en": "Software", "vi": "Phần mềm"},
    "not_installed": {"en": "not installed", "vi": "chưa cài đặt"},

    # -- figures ---------------------------------------------------------------------------------------
    "legend_aggregate": {"en": "{name} 2025 (population-weighted)", "vi": "{name} 2025 (gia quyền theo dân số)"},
    "legend_aggregate_short": {"en": "{name} 2025 (weighted)", "vi": "{name} 2025 (gia quyền)"},
    "legend_region": {"en": "{region} (region)", "vi": "{region} (vùng)"},
    "legend_hollow": {"en": "hollow: preliminary", "vi": "điểm rỗng: số sơ bộ"},
    "measure_break_short": {"en": " measure\n break", "vi": " đổi\n chuẩn"},
    "poverty_title": {"en": "Poverty, {name}: each measure its own series",
                      "vi": "Tỷ lệ nghèo, {name}: mỗi chuẩn nghèo là một chuỗi riêng"},
    "income_title": {"en": "Income per capita, {name}: {basis}", "vi": "Thu nhập bình quân đầu người, {name}: {basis}"},
    "cpi_source": {"en": "; national CPI", "vi": "; CPI cả nước"},
    "gso_source_fig": {"en": "GSO/NSO VHLSS tables via data/raw (see the provenance footer)",
                       "vi": "Tổng cục Thống kê, bảng VHLSS trong data/raw (xem phần nguồn gốc dữ liệu)"},
    "ntm_source_fig": {"en": "provinces' own NTM reviews in the press, data/raw/ntm_resources_by_province.csv",
                       "vi": "báo cáo nông thôn mới của các tỉnh trên báo chí, data/raw/ntm_resources_by_province.csv"},
    "ntm_title": {"en": "New Rural Development in {name}: the province's own figures",
                  "vi": "Nông thôn mới ở {name}: số liệu do tỉnh tự báo cáo"},
    "communes_title": {"en": "Communes meeting the NTM standard (as reported)",
                       "vi": "Số xã đạt chuẩn nông thôn mới (theo báo cáo)"},
    "communes_ylabel": {"en": "Communes", "vi": "Số xã (xã)"},
    "confidence_legend": {"en": "{confidence} confidence", "vi": "độ tin cậy {confidence}"},
    "no_communes": {"en": "no commune counts reported", "vi": "không có số xã được báo cáo"},
    "resources_title": {"en": "Resources mobilised, by period reported",
                        "vi": "Nguồn lực huy động, theo thời kỳ báo cáo"},
    "resources_xlabel": {"en": "{year} (bar spans the period; dashed: lower bound/approximate)",
                         "vi": "{year} (thanh trải theo thời kỳ; nét đứt: cận dưới/xấp xỉ)"},
    "no_resources": {"en": "no resource totals reported", "vi": "không có tổng nguồn lực được báo cáo"},

    # -- downloads -------------------------------------------------------------------------------------
    "dl_workbook": {"en": "Workbook with every table and a notes sheet", "vi": "Sổ tính gồm mọi bảng và trang ghi chú"},
    "dl_csv": {"en": "CSV files, one per table", "vi": "Tệp CSV, mỗi bảng một tệp"},
    "dl_notes": {"en": "Notes: units and sources", "vi": "Ghi chú: đơn vị và nguồn"},
}

#: Units of the data (as the data writes them) in each language; units not listed are shown as they are.
UNITS: dict[str, dict[str, str]] = {
    "thousand VND/person/month": {"en": "thousand VND/person/month", "vi": "nghìn đồng/người/tháng"},
    "thousand persons": {"en": "thousand persons", "vi": "nghìn người"},
    "%": {"en": "%", "vi": "%"},
    "% of households": {"en": "% of households", "vi": "% số hộ"},
    "% of rural households": {"en": "% of rural households", "vi": "% số hộ nông thôn"},
    "% of communes": {"en": "% of communes", "vi": "% số xã"},
    "% of districts": {"en": "% of districts", "vi": "% số huyện"},
    "billion VND": {"en": "billion VND", "vi": "tỷ đồng"},
    "trillion VND": {"en": "trillion VND", "vi": "nghìn tỷ đồng"},
    "million VND/person/year": {"en": "million VND/person/year", "vi": "triệu đồng/người/năm"},
    "communes": {"en": "communes", "vi": "xã"},
    "districts": {"en": "districts", "vi": "huyện"},
    "provinces": {"en": "provinces", "vi": "tỉnh"},
    "criteria (of 19)": {"en": "criteria (of 19)", "vi": "tiêu chí (trên 19)"},
    "m²": {"en": "m²", "vi": "m²"},
    "m2": {"en": "m2", "vi": "m²"},
    "index, previous year = 100": {"en": "index, previous year = 100", "vi": "chỉ số, năm trước = 100"},
}

#: Labels of the data's codes (status, measures, qualifiers, confidence, NTM indicators) in each language.
LABELS: dict[str, dict[str, dict[str, str]]] = {
    "status": {
        "final": {"en": "final", "vi": "chính thức"},
        "preliminary": {"en": "preliminary", "vi": "sơ bộ"},
        "suspect": {"en": "suspect", "vi": "nghi vấn"},
    },
    "measure": {
        "gso_income_line_2006_2010": {"en": "income poverty line 2006–2010", "vi": "chuẩn nghèo thu nhập 2006–2010"},
        "gso_income_line_2011_2015": {"en": "income poverty line 2011–2015", "vi": "chuẩn nghèo thu nhập 2011–2015"},
        "gso_multidimensional_2022_2025": {"en": "multidimensional standard 2022–2025",
                                           "vi": "chuẩn nghèo đa chiều 2022–2025"},
        "VHLSS household income, current prices (nominal)": {
            "en": "VHLSS household income, current prices (nominal)",
            "vi": "thu nhập hộ gia đình theo VHLSS, giá hiện hành (danh nghĩa)"},
        "GSO average population of the year": {"en": "GSO average population of the year",
                                               "vi": "dân số trung bình năm của Tổng cục Thống kê"},
    },
    "qualifier": {
        "exact": {"en": "", "vi": ""},
        "lower_bound": {"en": "at least (lower bound)", "vi": "ít nhất (cận dưới)"},
        "upper_bound": {"en": "at most (upper bound)", "vi": "nhiều nhất (cận trên)"},
        "approximate": {"en": "approximately", "vi": "khoảng (xấp xỉ)"},
        "target": {"en": "target", "vi": "mục tiêu"},
    },
    "confidence": {
        "high": {"en": "high", "vi": "cao"},
        "medium": {"en": "medium", "vi": "trung bình"},
        "low": {"en": "low", "vi": "thấp"},
    },
    "indicator": {
        "resources_total": {"en": "Resources mobilised, total", "vi": "Tổng nguồn lực huy động"},
        "resources_central_budget": {"en": "Resources: central budget", "vi": "Nguồn lực: ngân sách trung ương"},
        "resources_local_budget": {"en": "Resources: local budget", "vi": "Nguồn lực: ngân sách địa phương"},
        "resources_credit": {"en": "Resources: credit", "vi": "Nguồn lực: vốn tín dụng"},
        "resources_enterprises": {"en": "Resources: enterprises", "vi": "Nguồn lực: doanh nghiệp"},
        "resources_people": {"en": "Resources: contributions of people", "vi": "Nguồn lực: người dân đóng góp"},
        "communes_ntm": {"en": "Communes meeting the NTM standard", "vi": "Số xã đạt chuẩn nông thôn mới"},
        "communes_total": {"en": "Communes, total", "vi": "Tổng số xã"},
        "communes_advanced_ntm": {"en": "Communes meeting the advanced NTM standard",
                                  "vi": "Số xã đạt chuẩn nông thôn mới nâng cao"},
        "communes_model_ntm": {"en": "Model NTM communes", "vi": "Số xã nông thôn mới kiểu mẫu"},
        "districts_ntm": {"en": "Districts meeting the NTM standard", "vi": "Số huyện đạt chuẩn nông thôn mới"},
        "income_per_capita_rural": {"en": "Rural income per capita (province's report)",
                                    "vi": "Thu nhập bình quân đầu người ở nông thôn (báo cáo của tỉnh)"},
        "poverty_rate": {"en": "Poverty rate (province's report)", "vi": "Tỷ lệ hộ nghèo (báo cáo của tỉnh)"},
        "land_donated_m2": {"en": "Land donated by people", "vi": "Đất do người dân hiến"},
    },
}

#: The national NTM snapshots' free-text dates, in Vietnamese (dates written YYYY-MM[-DD] are converted by rule).
AS_OF_VI = {
    "2015-09 (approx., report of Apr 2016)": "09/2015 (ước tính, báo cáo tháng 4/2016)",
    "September of report year (year not shown; probably 2016)": "tháng 9 của năm báo cáo (không ghi năm; có lẽ "
                                                                "là 2016)",
    "article dated 2017-03 (figures likely end-2016)": "bài báo tháng 3/2017 (số liệu có lẽ tính đến cuối 2016)",
    "2020-12 (estimate)": "12/2020 (ước tính)",
    '2024/2025 (undated "đến nay", approx. 78%)': "2024/2025 (không ghi ngày, “đến nay”, khoảng 78 %)",
}


def unit(text: object, lang: str = "en") -> str:
    """A unit of the data in ``lang`` (units not in :data:`UNITS` are returned unchanged)."""
    _check_lang(lang)
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    return UNITS.get(str(text), {}).get(lang, str(text))


def label(kind: str, code: object, lang: str = "en") -> str:
    """The label of a data code (``kind``: status, measure, qualifier, confidence, indicator) in ``lang``.

    Codes without a label are returned unchanged.
    """
    _check_lang(lang)
    if code is None or (isinstance(code, float) and math.isnan(code)):
        return ""
    return LABELS[kind].get(str(code), {}).get(lang, str(code))


_DATE = re.compile(r"\b(\d{4})-(\d{2})(?:-(\d{2}))?\b")


def date(text: object, lang: str = "en") -> str:
    """Dates inside ``text`` in the reader's order: ``2019-11`` stays in English, is ``11/2019`` in Vietnamese
    (``2023-06-30`` → ``30/06/2023``)."""
    _check_lang(lang)
    s = "" if text is None else str(text)
    if lang == "en":
        return s
    return _DATE.sub(lambda m: f"{m.group(3)}/{m.group(2)}/{m.group(1)}" if m.group(3)
                     else f"{m.group(2)}/{m.group(1)}", s)


def period(text: object, lang: str = "en") -> str:
    """An NTM period label ("2011–2015", "as of 2019-11", "2016–2019-06") in ``lang``."""
    _check_lang(lang)
    s = "" if text is None else str(text).strip()
    if lang == "en":
        return s
    if s in ("as of", ""):
        return t("as_of_unknown", lang)
    if s.startswith("as of "):
        return t("as_of", lang, date=date(s[len("as of "):], lang))
    return date(s, lang)


def as_of(text: object, lang: str = "en") -> str:
    """A national NTM snapshot's date ("2019-09", "2020-12 (estimate)", …) in ``lang``."""
    _check_lang(lang)
    s = "" if text is None else str(text)
    if lang == "en":
        return s
    return AS_OF_VI.get(s, date(s, lang))


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
