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

    # -- growth elasticity of poverty (ntm_analysis.report.sections) ------------------------------------
    "sec_elasticity": {
        "en": "## Growth elasticity of poverty\n\nHow strongly the poverty rate moved with real income per capita "
              "between survey years: the change in the logarithm of the poverty rate divided by the change in the "
              "logarithm of real income (income deflated by the national CPI). An elasticity of −1.5 means that "
              "each 1 % of real income growth went with a 1.5 % fall of the poverty rate, relative to its own "
              "level. It is computed only between two years measured on the same poverty line; where it cannot be "
              "computed, the table says why and shows no number.",
        "vi": "## Hệ số co giãn của tỷ lệ nghèo theo tăng trưởng thu nhập\n\nTỷ lệ nghèo thay đổi mạnh đến đâu "
              "cùng với thu nhập thực tế bình quân đầu người giữa các năm khảo sát: mức thay đổi lôgarit của tỷ lệ "
              "nghèo chia cho mức thay đổi lôgarit của thu nhập thực tế (thu nhập đã loại trừ biến động giá bằng "
              "CPI cả nước). Hệ số −1,5 nghĩa là mỗi 1 % tăng thu nhập thực tế đi kèm với mức giảm 1,5 % của tỷ lệ "
              "nghèo, so với chính mức của nó. Hệ số chỉ được tính giữa hai năm đo theo cùng một chuẩn nghèo; khi "
              "không tính được, bảng nêu lý do và không ghi con số nào."},
    "el_intro": {"en": "Periods join consecutive survey years with published income, and each run of survey years "
                       "on one poverty line as a whole. Income growth is the growth of real income per capita over "
                       "the period (constant prices, national CPI); the change in the poverty rate is relative to "
                       "its starting level.",
                 "vi": "Các thời kỳ nối hai năm khảo sát liên tiếp có số liệu thu nhập công bố, và cả chuỗi các năm "
                       "khảo sát theo cùng một chuẩn nghèo. Tăng trưởng thu nhập là mức tăng của thu nhập thực tế "
                       "bình quân đầu người trong thời kỳ (giá so sánh, CPI cả nước); thay đổi tỷ lệ nghèo tính so "
                       "với mức đầu kỳ."},
    "el_2025": {"en": "Each constituent's elasticity is computed on its own published figures (2008 geography); "
                      "none is computed for the aggregate of {name}.",
                "vi": "Hệ số co giãn được tính cho từng tỉnh hợp thành theo số liệu đã công bố của tỉnh đó (địa "
                      "giới 2008); không tính hệ số cho số tổng hợp của {name}."},
    "el_none": {"en": "No two survey years with published income in the years of this report.",
                "vi": "Không có hai năm khảo sát nào có số liệu thu nhập công bố trong các năm của báo cáo này."},
    "el_span": {"en": "{period} (whole run)", "vi": "{period} (cả giai đoạn)"},
    "el_break": {"en": "the poverty measure changes between {y0} ({m0}) and {y1} ({m1}); the two "
                       "rates measure different things",
                 "vi": "chuẩn nghèo thay đổi giữa năm {y0} ({m0}) và năm {y1} ({m1}); hai tỷ lệ đo "
                       "những điều khác nhau"},
    "el_missing_poverty": {"en": "no published poverty rate for {year}",
                           "vi": "không có tỷ lệ nghèo công bố cho năm {year}"},
    "el_zero_poverty": {"en": "the poverty rate is 0 in {year} (its logarithm is undefined)",
                        "vi": "tỷ lệ nghèo năm {year} bằng 0 (không lấy được lôgarit)"},
    "el_missing_income": {"en": "no published income per capita for {year}",
                          "vi": "không có thu nhập bình quân đầu người công bố cho năm {year}"},
    "el_nonpositive_income": {"en": "income per capita is not positive in {year}",
                              "vi": "thu nhập bình quân đầu người năm {year} không dương"},
    "el_no_income_change": {"en": "real income did not change",
                            "vi": "thu nhập thực tế không thay đổi"},
    "el_cpi": {"en": "no national CPI for {years}, so income cannot be deflated",
               "vi": "không có CPI cả nước cho {years}, nên không quy được thu nhập về giá so sánh"},
    "el_other": {"en": "{message}", "vi": "không xác định được lý do{message:.0}"},
    "el_not_computed": {"en": "not computed: {reasons}", "vi": "không tính: {reasons}"},
    "el_unstable": {"en": "real income changed by only {pct} %: the small denominator makes the ratio large and "
                          "unstable",
                    "vi": "thu nhập thực tế chỉ thay đổi {pct} %: mẫu số nhỏ làm hệ số lớn và kém ổn định"},
    "col_income_growth": {"en": "Real income growth (%)", "vi": "Tăng thu nhập thực tế (%)"},
    "col_poverty_rates": {"en": "Poverty rate, start → end (%)", "vi": "Tỷ lệ nghèo, đầu kỳ → cuối kỳ (%)"},
    "col_poverty_change": {"en": "Change in the poverty rate (% of its level)",
                           "vi": "Thay đổi tỷ lệ nghèo (% so với đầu kỳ)"},
    "col_elasticity": {"en": "Elasticity", "vi": "Hệ số co giãn"},
    "col_note": {"en": "Note", "vi": "Ghi chú"},

    # -- model results (ntm_analysis.report.sections) -------------------------------------------------------
    "sec_models": {
        "en": "## Model results: did poverty fall more or less than income growth predicts?\n\nA line fitted across "
              "all provinces relates the change in the poverty rate to the growth of real income per capita over one "
              "period measured on one poverty line. A province's residual (its actual change minus the change the "
              "line predicts from its income growth) says whether it reduced poverty more (negative residual) or "
              "less (positive residual) than provinces with the same income growth did on average.",
        "vi": "## Kết quả mô hình: tỷ lệ nghèo giảm nhiều hơn hay ít hơn mức tăng thu nhập dự báo?\n\nMột đường "
              "hồi quy ước lượng trên mọi tỉnh liên hệ mức thay đổi tỷ lệ nghèo với mức tăng thu nhập thực tế bình "
              "quân đầu người trong một thời kỳ đo theo cùng một chuẩn nghèo. Phần dư của một tỉnh (mức thay đổi "
              "thực tế trừ mức thay đổi mà đường hồi quy dự báo từ mức tăng thu nhập của tỉnh) cho biết tỉnh đã "
              "giảm nghèo nhiều hơn (phần dư âm) hay ít hơn (phần dư dương) so với mức trung bình của các tỉnh có "
              "cùng mức tăng thu nhập."},
    "model_intro": {
        "en": "Model: ordinary least squares across provinces of the change in the logarithm of the poverty rate "
              "({measure}) from {y0} to {y1} on the change in the logarithm of real income per capita (constant "
              "{y0} prices, national CPI), with heteroskedasticity-robust standard errors. For comparison, the "
              "two-way fixed-effects model of the national overview (log poverty on log real income, province and "
              "year effects, standard errors clustered by province) over the same survey years. Changes are in log "
              "points: 0.1 is about 10 %.",
        "vi": "Mô hình: hồi quy bình phương nhỏ nhất thông thường trên các tỉnh, với biến phụ thuộc là mức thay "
              "đổi lôgarit của tỷ lệ nghèo ({measure}) từ năm {y0} đến năm {y1} và biến giải thích là mức thay đổi "
              "lôgarit của thu nhập thực tế bình quân đầu người (giá so sánh năm {y0}, CPI cả nước); sai số chuẩn "
              "vững với phương sai thay đổi. Để so sánh: mô hình tác động cố định hai chiều của phần tổng quan cả "
              "nước (lôgarit tỷ lệ nghèo theo lôgarit thu nhập thực tế, tác động cố định theo tỉnh và theo năm, "
              "sai số chuẩn theo cụm tỉnh) trên cùng các năm khảo sát. Các mức thay đổi tính bằng điểm lôgarit: "
              "0,1 tương ứng khoảng 10 %."},
    "model_2025": {"en": "The model is fitted on the provinces of the 2008 geography, in which every series was "
                         "published; {name} 2025 is not a unit of the model, and its constituents ({names}) are "
                         "highlighted.",
                   "vi": "Mô hình được ước lượng trên các tỉnh theo địa giới năm 2008, địa giới của mọi chuỗi số liệu "
                         "đã công bố; {name} năm 2025 không phải là một đơn vị của mô hình, và các tỉnh hợp thành "
                         "({names}) được làm nổi bật."},
    "model_none": {"en": "No model in the years of this report: it needs two income survey years measured on the "
                         "same poverty line.",
                   "vi": "Không có mô hình trong các năm của báo cáo này: mô hình cần hai năm khảo sát thu nhập đo "
                         "theo cùng một chuẩn nghèo."},
    "col_model": {"en": "Model", "vi": "Mô hình"},
    "col_estimate": {"en": "Estimate (slope)", "vi": "Ước lượng (hệ số góc)"},
    "col_se": {"en": "Standard error", "vi": "Sai số chuẩn"},
    "col_ci": {"en": "95 % confidence interval", "vi": "Khoảng tin cậy 95 %"},
    "col_n": {"en": "Sample", "vi": "Mẫu"},
    "col_se_type": {"en": "Standard errors", "vi": "Loại sai số chuẩn"},
    "to": {"en": "to", "vi": "đến"},
    "model_cs_label": {"en": "Across provinces: change in log poverty rate on change in log real income, {y0}–{y1}",
                       "vi": "Giữa các tỉnh: thay đổi lôgarit tỷ lệ nghèo theo thay đổi lôgarit thu nhập thực tế, "
                             "{y0}–{y1}"},
    "model_fe_label": {"en": "Within provinces over time (two-way fixed effects): log poverty rate on log real "
                             "income, survey years {y0}–{y1}",
                       "vi": "Trong từng tỉnh qua thời gian (tác động cố định hai chiều): lôgarit tỷ lệ nghèo theo "
                             "lôgarit thu nhập thực tế, các năm khảo sát {y0}–{y1}"},
    "model_n_provinces": {"en": "{n} provinces", "vi": "{n} tỉnh"},
    "model_n_obs": {"en": "{n} province-years, {units} provinces", "vi": "{n} tỉnh-năm, {units} tỉnh"},
    "model_se_hc1": {"en": "heteroskedasticity-robust (HC1); t({df}) interval",
                     "vi": "vững với phương sai thay đổi; khoảng tin cậy hiệu chỉnh cho mẫu nhỏ ({df} bậc tự do)"},
    "model_se_cluster": {"en": "clustered by province ({g} clusters, CR1)", "vi": "theo cụm tỉnh ({g} cụm)"},
    "col_income_growth_years": {"en": "Real income growth {y0}–{y1} (%)", "vi": "Tăng thu nhập thực tế {y0}–{y1} (%)"},
    "col_poverty_years": {"en": "Poverty rate {y0} → {y1} (%)", "vi": "Tỷ lệ nghèo {y0} → {y1} (%)"},
    "col_dln_actual": {"en": "Change in log poverty rate: actual (log points)",
                       "vi": "Thay đổi lôgarit tỷ lệ nghèo: thực tế (điểm lôgarit)"},
    "col_dln_predicted": {"en": "Predicted by the line (log points)",
                          "vi": "Theo đường hồi quy (điểm lôgarit)"},
    "col_residual": {"en": "Residual: actual − predicted (log points)",
                     "vi": "Phần dư: thực tế − dự báo (điểm lôgarit)"},
    "col_predicted_rate": {"en": "Poverty rate in {y1} the line predicts (%)",
                           "vi": "Tỷ lệ nghèo năm {y1} theo đường hồi quy (%)"},
    "col_reading": {"en": "Reading", "vi": "Diễn giải"},
    "model_more": {"en": "more poverty reduction than predicted (rank {rank} of {n}; 1 = most relative to the line)",
                   "vi": "giảm nghèo nhiều hơn dự báo (hạng {rank}/{n}; 1 = nhiều nhất so với đường hồi quy)"},
    "model_less": {"en": "less poverty reduction than predicted (rank {rank} of {n}; 1 = most relative to the line)",
                   "vi": "giảm nghèo ít hơn dự báo (hạng {rank}/{n}; 1 = nhiều nhất so với đường hồi quy)"},
    "model_left_out": {"en": "not in the model: {reason}", "vi": "không có trong mô hình: {reason}"},
    "model_sentence_less": {
        "en": "**{name}**: real income per capita grew {growth} % from {y0} to {y1} and the poverty rate went from "
              "{p0} % to {p1} %. On the fitted line, the same income growth from the same starting rate gives "
              "{pred} %: a residual of {resid} log points (the residuals' standard deviation across provinces is "
              "{sd}), so {name} reduced poverty **less** than its income growth predicts.",
        "vi": "**{name}**: thu nhập thực tế bình quân đầu người tăng {growth} % từ năm {y0} đến năm {y1} và tỷ lệ "
              "nghèo thay đổi từ {p0} % thành {p1} %. Theo đường hồi quy, cùng mức tăng thu nhập và cùng tỷ lệ "
              "nghèo đầu kỳ cho tỷ lệ {pred} %: phần dư là {resid} điểm lôgarit (độ lệch chuẩn của phần dư giữa "
              "các tỉnh là {sd}), nên {name} đã giảm nghèo **ít hơn** mức mà tăng trưởng thu nhập dự báo."},
    "model_sentence_more": {
        "en": "**{name}**: real income per capita grew {growth} % from {y0} to {y1} and the poverty rate went from "
              "{p0} % to {p1} %. On the fitted line, the same income growth from the same starting rate gives "
              "{pred} %: a residual of {resid} log points (the residuals' standard deviation across provinces is "
              "{sd}), so {name} reduced poverty **more** than its income growth predicts.",
        "vi": "**{name}**: thu nhập thực tế bình quân đầu người tăng {growth} % từ năm {y0} đến năm {y1} và tỷ lệ "
              "nghèo thay đổi từ {p0} % thành {p1} %. Theo đường hồi quy, cùng mức tăng thu nhập và cùng tỷ lệ "
              "nghèo đầu kỳ cho tỷ lệ {pred} %: phần dư là {resid} điểm lôgarit (độ lệch chuẩn của phần dư giữa "
              "các tỉnh là {sd}), nên {name} đã giảm nghèo **nhiều hơn** mức mà tăng trưởng thu nhập dự báo."},
    "model_caveat": {
        "en": "**Caveat.** This is an association across provinces, not a causal effect: provinces differ in much "
              "besides income growth (remoteness, ethnic composition, starting level, programmes such as NTM), "
              "income and poverty come from the same sample survey with its sampling error, and the line is fitted "
              "only on provinces with a published, positive poverty rate in both years{prelim}.",
        "vi": "**Lưu ý.** Đây là mối liên hệ giữa các tỉnh, không phải tác động nhân quả: các tỉnh khác nhau ở nhiều "
              "mặt ngoài tăng trưởng thu nhập (mức độ xa xôi, thành phần dân tộc, mức xuất phát, các chương trình "
              "như nông thôn mới), thu nhập và tỷ lệ nghèo lấy từ cùng một cuộc khảo sát chọn mẫu với sai số chọn "
              "mẫu của nó, và đường hồi quy chỉ được ước lượng trên các tỉnh có tỷ lệ nghèo công bố, lớn hơn 0 ở cả "
              "hai năm{prelim}."},
    "model_caveat_prelim": {"en": "; the {year} figures are preliminary", "vi": "; số liệu năm {year} là số sơ bộ"},
    "model_title": {"en": "Change in poverty against real income growth, {n} provinces, {y0}–{y1}",
                    "vi": "Thay đổi tỷ lệ nghèo theo tăng thu nhập thực tế, {n} tỉnh, {y0}–{y1}"},
    "model_xlabel": {"en": "Change in log real income per capita, {y0}→{y1} (log points)",
                     "vi": "Thay đổi lôgarit thu nhập thực tế bình quân đầu người, {y0}→{y1} (điểm lôgarit)"},
    "model_ylabel": {"en": "Change in log poverty rate (log points)",
                     "vi": "Thay đổi lôgarit tỷ lệ nghèo (điểm lôgarit)"},
    "model_line_legend": {"en": "fitted line (slope {b})", "vi": "đường hồi quy (hệ số góc {b})"},
    "model_others_legend": {"en": "other provinces", "vi": "các tỉnh khác"},
    "model_point_label": {"en": "{name}: residual {resid}", "vi": "{name}: phần dư {resid}"},
    "model_not_in_chart": {"en": "{name}: not in the model", "vi": "{name}: không có trong mô hình"},
    "model_source": {"en": "GSO VHLSS income and poverty ({measure}), national CPI (data/raw); own estimate",
                     "vi": "Tổng cục Thống kê, VHLSS: thu nhập và tỷ lệ nghèo ({measure}), CPI cả nước (data/raw); "
                           "ước lượng của báo cáo"},

    # -- seed case studies (ntm_analysis.report.sections) ---------------------------------------------------
    "sec_seeds": {
        "en": "### Case study: the seed article\n\nThis project started from two provincial newspaper articles, and "
              "one of them reports on this province. Each numeric claim it makes is recomputed from the article's "
              "own figures and shown beside its words.",
        "vi": "### Nghiên cứu điển hình: bài báo gốc\n\nDự án này bắt đầu từ hai bài báo của báo địa phương, trong "
              "đó một bài viết về tỉnh này. Mỗi nhận định bằng số của bài được tính lại từ chính các số liệu của "
              "bài và đặt cạnh nguyên văn của bài."},
    "seed_article": {"en": "Source: {publisher}, {title} ({when}).", "vi": "Nguồn: {publisher}, {title} ({when})."},
    "seed_dated": {"en": "published {date}", "vi": "đăng ngày {date}"},
    "seed_undated": {"en": "the text gives no date", "vi": "bài không ghi ngày đăng"},
    "seed_quotes_are": {"en": "The quotations are verbatim from the English machine translation published by {site} "
                              "(kept unchanged in {file}); the Vietnamese original at the link is the authority.",
                        "vi": "Các trích dẫn là nguyên văn bản dịch máy sang tiếng Anh do {site} đăng (lưu nguyên vẹn "
                              "trong {file}); bản gốc tiếng Việt theo đường dẫn là căn cứ chính thức."},
    "seed_2025": {"en": "{name} ({code}), one of the provinces that formed {place} on 1 July 2025:",
                  "vi": "{name} ({code}), một trong các tỉnh hợp thành {place} từ ngày 1/7/2025:"},
    "seed_missing": {"en": "The seed articles' figures (data/seeds/{file}) are not in this data folder: the case "
                           "study cannot be shown.",
                     "vi": "Không có số liệu của các bài báo gốc (tệp {file}) trong thư mục dữ liệu này: không thể "
                           "trình bày nghiên cứu điển hình."},
    "seed_none": {"en": "No seed article reports on this province.",
                  "vi": "Không có bài báo gốc nào viết về tỉnh này."},
    "col_claim": {"en": "Claim", "vi": "Nhận định"},
    "col_article_words": {"en": "The article's words", "vi": "Nguyên văn bài báo"},
    "col_article_figure": {"en": "The article's figure", "vi": "Con số của bài báo"},
    "col_recomputed": {"en": "Recomputed", "vi": "Tính lại"},
    "col_how_recomputed": {"en": "How", "vi": "Cách tính"},
    "col_matches": {"en": "Matches the article?", "vi": "Khớp với bài báo?"},
    "yes": {"en": "yes", "vi": "có"},
    "no": {"en": "no", "vi": "không"},
    "seed_not_stated": {"en": "— (the article states no figure)", "vi": "— (bài báo không nêu con số)"},
    "seed_claim_avg_pp": {"en": "{place}: poverty rate {y0}–{y1}, the article's “average decrease” read in "
                                "percentage points per year",
                          "vi": "{place}: tỷ lệ nghèo {y0}–{y1}, “mức giảm bình quân” của bài báo hiểu theo điểm "
                                "phần trăm mỗi năm"},
    "seed_claim_avg_compound": {"en": "{place}: poverty rate {y0}–{y1}, the article's “average decrease” read as a "
                                      "compound rate (% per year)",
                                "vi": "{place}: tỷ lệ nghèo {y0}–{y1}, “mức giảm bình quân” của bài báo hiểu theo tốc "
                                      "độ kép (% mỗi năm)"},
    "seed_claim_change": {"en": "{place}: poverty rate, average yearly change {y0}–{y1}",
                          "vi": "{place}: tỷ lệ nghèo, mức thay đổi bình quân mỗi năm {y0}–{y1}"},
    "seed_claim_plan": {"en": "{place}: income per capita {year}, the plan implied by “{pct} % of the set plan”",
                        "vi": "{place}: thu nhập bình quân đầu người năm {year}, kế hoạch suy ra từ “đạt {pct} % kế "
                              "hoạch”"},
    "seed_claim_target": {"en": "{place}: communes meeting the NTM standard by {year} against the target",
                          "vi": "{place}: số xã đạt chuẩn nông thôn mới đến năm {year} so với mục tiêu"},
    "seed_claim_other": {"en": "{place}: a claim of the article", "vi": "{place}: nhận định của bài báo"},
    "seed_match": {"en": "The article's {stated} “%/year” matches this reading (rounded to one decimal).",
                   "vi": "Con số {stated} “%/năm” của bài báo khớp với cách hiểu này (làm tròn một chữ số thập "
                         "phân)."},
    "seed_no_match": {"en": "The article's {stated} “%/year” does not match this reading.",
                      "vi": "Con số {stated} “%/năm” của bài báo không khớp với cách hiểu này."},
    "seed_yty_common": {"en": "The article does not name the poverty standard; if it was published before the end "
                              "of {y1}, the {y1} rate may be an estimate.",
                        "vi": "Bài báo không nêu chuẩn nghèo; nếu bài được đăng trước cuối năm {y1} thì tỷ lệ năm "
                              "{y1} có thể là số ước tính."},
    "seed_change_spans": {"en": "The article states no rate of change and does not name the standard: {y0} was "
                                "probably measured under the 2016–2020 multidimensional standard and {y1} under the "
                                "2022–2025 standard, so this change probably spans a change of standard and is not "
                                "like-for-like.",
                          "vi": "Bài báo không nêu tốc độ thay đổi và không nêu chuẩn nghèo: năm {y0} có lẽ đo theo "
                                "chuẩn nghèo đa chiều 2016–2020 và năm {y1} theo chuẩn 2022–2025, nên thay đổi này có "
                                "lẽ đi qua một lần đổi chuẩn và không so sánh trực tiếp được."},
    "seed_change_same": {"en": "The article states no rate of change and does not name the standard; {y0} and {y1} "
                               "probably both follow the 2022–2025 multidimensional standard.",
                         "vi": "Bài báo không nêu tốc độ thay đổi và không nêu chuẩn nghèo; năm {y0} và năm {y1} có "
                               "lẽ cùng theo chuẩn nghèo đa chiều 2022–2025."},
    "seed_plan_note": {"en": "The plan itself is not stated. If {pct} % is rounded to a whole percent, the plan lies "
                             "between {lo} and {hi} {unit}. The machine translation puts this {year} outturn in the "
                             "future tense.",
                       "vi": "Bài báo không nêu chính kế hoạch. Nếu {pct} % được làm tròn đến số nguyên, kế hoạch nằm "
                             "trong khoảng từ {lo} đến {hi} {unit}. Bản dịch máy dùng thì tương lai cho kết quả năm "
                             "{year} này."},
    "seed_target_note": {"en": "The target was “{tgt} or more” (a minimum), so this is attainment of the minimum; "
                               "{act} is the cumulative number of communes meeting the standard by {year}.",
                         "vi": "Mục tiêu là “từ {tgt} xã trở lên” (mức tối thiểu), nên đây là mức đạt so với mức tối "
                               "thiểu; {act} là tổng số xã đạt chuẩn tính đến năm {year}."},
    "seed_other_note": {"en": "See case_studies.ipynb.", "vi": "Xem sổ tay case_studies.ipynb."},
    "seed_fig_title": {"en": "Poverty rates stated by {publisher}: {places}",
                       "vi": "Tỷ lệ nghèo theo {publisher}: {places}"},
    "seed_fig_ylabel": {"en": "Poverty rate (% of households, as stated)",
                        "vi": "Tỷ lệ hộ nghèo (% số hộ, theo bài báo)"},
    "seed_fig_source": {"en": "{publisher}, data/seeds/seed_articles_figures.csv; points are the article's figures, "
                              "the years between are not published",
                        "vi": "{publisher}, tệp seed_articles_figures.csv; các điểm là số liệu của bài báo, "
                              "các năm ở giữa không được công bố"},
    "seed_fig_readings": {"en": "{place}: the article's “{stated} %/year” = {pp} percentage points per year;\n"
                                "as a compound rate the same fall is {cr} % per year",
                          "vi": "{place}: “{stated} %/năm” của bài báo = {pp} điểm phần trăm mỗi năm;\n"
                                "theo tốc độ kép, cùng mức giảm đó là {cr} % mỗi năm"},
    "seed_fig_break": {"en": " probable change\n of standard", "vi": " có lẽ\n đổi chuẩn"},

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
    "pp/year": {"en": "pp/year", "vi": "điểm phần trăm/năm"},
    "%/year": {"en": "%/year", "vi": "%/năm"},
    "% of target": {"en": "% of target", "vi": "% mục tiêu"},
    "percentage points per year or % per year (ambiguous in source)": {
        "en": "percentage points per year or % per year (ambiguous in source)",
        "vi": "điểm phần trăm/năm hoặc %/năm (nguồn không rõ là loại nào)"},
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
