"""The tables of a province report, to download: CSV files and one Excel workbook.

:func:`report_tables` returns every table a report shows as a tidy
:class:`DownloadTable` (numbers as numbers, one row per place × year × figure,
headers in the report's language) with, for every column, its description,
unit and source. :func:`write_downloads` writes them, each file atomically:

* ``<folder>/<slug>/<table>.csv`` — UTF-8 with a byte-order mark (so Excel
  recognises the encoding and shows Vietnamese correctly), comma-separated,
  decimal point, one header row;
* ``<folder>/<slug>.xlsx`` — one sheet per table plus a notes sheet giving the
  unit, description and source of every column of every table.

``<folder>`` is ``<vintage dir>/downloads`` (see :mod:`ntm_analysis.render.jobs`),
so a report at ``reports/<slug>.html`` links them as ``../downloads/…``
(:func:`links_html`).

Gaps stay gaps: a year without a published figure has no row, and a 2025
aggregate that could not be computed is a row with an empty value and the
reason in its note. Nothing is filled, interpolated or rounded.
"""
from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ntm_analysis import i18n
from ntm_analysis.data.ntm_provincial import NTM_REPORTS_FILE
from ntm_analysis.report.params import ReportParams
from ntm_analysis.indicators import to_real
from ntm_analysis.report.content import (FIGURES, POPULATION, POVERTY_LINE, POVERTY_MULTI, RANKED, REAL_BASE_YEAR,
    INCOME, ReportContext, aggregate_note, aggregate_rows, aggregate_source_text, esc, has_aggregate,
    national_ntm_rows, needs_national_context, place_label, rank_records, region_name)
from ntm_analysis.data.datapoints import NTM_NATIONAL_FILE

#: The byte-order mark every CSV starts with.
BOM = "\ufeff"
CSV_ENCODING = "utf-8-sig"
NOTES_ID = "notes"

INCOME_FILE = "raw/income_per_capita_monthly_by_province.csv"
POVERTY_FILE = "raw/poverty_rate_by_province_gso.csv"
POPULATION_FILE = "raw/population_by_province_gso_1995_2016.csv"
CPI_FILE = "raw/cpi_national_annual_gso.csv"

#: Tables: id (CSV file name and the notes' key) → title (also the sheet name, at most 31 characters).
TITLES = {
    "key_figures": {"en": "Key figures", "vi": "Số liệu chính"},
    "income": {"en": "Income per capita", "vi": "Thu nhập bình quân"},
    "poverty": {"en": "Poverty rate", "vi": "Tỷ lệ nghèo"},
    "population": {"en": "Population", "vi": "Dân số"},
    "aggregate_2025": {"en": "2025 aggregate", "vi": "Tổng hợp 2025"},
    "ranks": {"en": "Ranks", "vi": "Xếp hạng"},
    "ntm": {"en": "NTM figures", "vi": "Số liệu nông thôn mới"},
    "ntm_national": {"en": "NTM national", "vi": "Nông thôn mới cả nước"},
    "elasticity": {"en": "Growth elasticity of poverty", "vi": "Hệ số co giãn của nghèo"},
    "seed_claims": {"en": "Seed case study", "vi": "Bài báo gốc"},
    "model_estimates": {"en": "Model estimates", "vi": "Ước lượng mô hình"},
    "model_provinces": {"en": "Model, every province", "vi": "Mô hình, các tỉnh"},
    NOTES_ID: {"en": "Notes", "vi": "Ghi chú"},
}

#: Columns: id → header and description in each language.
COLUMNS: dict[str, dict[str, tuple[str, str]]] = {
    "geography": {"en": ("Geography", "the row's geography: a 2008 province, the 2025 aggregate, the region or the "
                                      "whole country"),
                  "vi": ("Địa giới", "địa giới của dòng: tỉnh theo địa giới 2008, số tổng hợp của tỉnh năm 2025, "
                                     "vùng hoặc cả nước")},
    "place_code": {"en": ("Code", "GSO province code (2008 or 2025 geography), region name or VN"),
                   "vi": ("Mã", "mã tỉnh của Tổng cục Thống kê (địa giới 2008 hoặc 2025), tên vùng hoặc VN")},
    "place": {"en": ("Place", "province, region or whole country"),
              "vi": ("Địa phương", "tỉnh, vùng hoặc cả nước")},
    "variable": {"en": ("Variable", "variable id (see data/codebook.yml)"),
                 "vi": ("Biến", "mã biến (xem data/codebook.yml)")},
    "figure": {"en": ("Figure", "what the value measures"), "vi": ("Chỉ tiêu", "giá trị đo lường điều gì")},
    "year": {"en": ("Year", "year of the figure"), "vi": ("Năm", "năm của số liệu")},
    "value": {"en": ("Value", "the published figure, as published; an empty cell is a gap (no published figure), "
                              "never filled"),
              "vi": ("Giá trị", "số liệu như đã công bố; ô trống là khoảng trống (không có số liệu công bố), không "
                                "bao giờ được điền")},
    "unit": {"en": ("Unit", "unit of the value"), "vi": ("Đơn vị", "đơn vị của giá trị")},
    "measure": {"en": ("Measure", "measure id or description: values of different measures are not comparable"),
                "vi": ("Thước đo", "mã hoặc mô tả thước đo: giá trị theo các thước đo khác nhau không so sánh "
                                   "được")},
    "measure_label": {"en": ("Measure (label)", "the measure in words"),
                      "vi": ("Thước đo (diễn giải)", "thước đo bằng lời")},
    "status": {"en": ("Status", "final, preliminary or suspect, as the publisher says"),
               "vi": ("Tình trạng", "chính thức, sơ bộ hoặc nghi vấn, theo nhà xuất bản")},
    "source": {"en": ("Source", "the published table (or how an aggregate was formed and from which tables)"),
               "vi": ("Nguồn", "bảng số liệu đã công bố (hoặc cách tính số tổng hợp và từ bảng nào)")},
    "source_url": {"en": ("Source URL", "where the source is published"),
                   "vi": ("Đường dẫn nguồn", "nơi nguồn được công bố")},
    "note": {"en": ("Note", "notes of the data; for a 2025 aggregate, the weights used or why it was not computed"),
             "vi": ("Ghi chú", "ghi chú của dữ liệu; với số tổng hợp năm 2025: trọng số đã dùng hoặc lý do không "
                               "tính")},
    "value_real": {"en": ("Value at {base} prices", "income deflated by the national CPI (GSO) to {base} prices; "
                                                    "empty where no CPI is published for the year"),
                   "vi": ("Giá trị theo giá năm {base}", "thu nhập quy về giá năm {base} bằng CPI cả nước (Tổng "
                                                         "cục Thống kê); để trống khi năm đó không có CPI")},
    "rank_region": {"en": ("Rank in region", "rank among the provinces of the region (1 = highest income or lowest "
                                             "poverty; ties share the better rank)"),
                    "vi": ("Hạng trong vùng", "thứ hạng trong các tỉnh của vùng (1 = thu nhập cao nhất hoặc tỷ lệ "
                                              "nghèo thấp nhất; bằng nhau thì cùng hạng cao hơn)")},
    "n_region": {"en": ("Provinces ranked in region", "number of provinces of the region with a figure that year"),
                 "vi": ("Số tỉnh xếp hạng trong vùng", "số tỉnh trong vùng có số liệu năm đó")},
    "rank_nation": {"en": ("Rank in Viet Nam", "rank among all provinces (1 = highest income or lowest poverty)"),
                    "vi": ("Hạng trong cả nước", "thứ hạng trong mọi tỉnh (1 = thu nhập cao nhất hoặc tỷ lệ nghèo "
                                                 "thấp nhất)")},
    "n_nation": {"en": ("Provinces ranked", "number of provinces with a figure that year"),
                 "vi": ("Số tỉnh xếp hạng", "số tỉnh có số liệu năm đó")},
    "indicator": {"en": ("Indicator", "indicator id (data/raw/ntm_resources_by_province.csv)"),
                  "vi": ("Mã chỉ tiêu", "mã chỉ tiêu (data/raw/ntm_resources_by_province.csv)")},
    "indicator_label": {"en": ("Indicator (label)", "the indicator in words"),
                        "vi": ("Chỉ tiêu", "chỉ tiêu bằng lời")},
    "period": {"en": ("Period", "the period or date the figure covers, as reported"),
               "vi": ("Thời kỳ", "thời kỳ hoặc thời điểm của số liệu, theo báo cáo")},
    "start_year": {"en": ("Start year", "first year of the period"), "vi": ("Năm đầu", "năm đầu của thời kỳ")},
    "end_year": {"en": ("End year", "last year of the period"), "vi": ("Năm cuối", "năm cuối của thời kỳ")},
    "qualifier": {"en": ("Qualifier", "exact, at least (lower bound), at most (upper bound) or approximately"),
                  "vi": ("Mức chính xác", "chính xác, ít nhất (cận dưới), nhiều nhất (cận trên) hoặc khoảng")},
    "value_reported": {"en": ("Value as reported", "the number as written in the source"),
                       "vi": ("Số gốc", "con số như được viết trong nguồn")},
    "unit_reported": {"en": ("Unit as reported", "the unit as written in the source"),
                      "vi": ("Đơn vị gốc", "đơn vị như được viết trong nguồn")},
    "confidence": {"en": ("Confidence", "how well the source supports the figure: high, medium or low"),
                   "vi": ("Độ tin cậy", "mức độ nguồn xác nhận số liệu: cao, trung bình hoặc thấp")},
    "quote": {"en": ("Quote", "the source's words"), "vi": ("Trích dẫn", "nguyên văn của nguồn")},
    "as_of": {"en": ("As of", "date of the snapshot, as reported"), "vi": ("Thời điểm", "thời điểm của số liệu")},
    "aggregate": {"en": ("{name} 2025 (aggregate)", "the 2025 aggregate: population-weighted mean (income, "
                                                    "poverty) or sum (population); empty where not computed"),
                  "vi": ("{name} 2025 (tổng hợp)", "số tổng hợp năm 2025: bình quân gia quyền theo dân số (thu "
                                                  "nhập, tỷ lệ nghèo) hoặc tổng (dân số); để trống nếu không tính")},
    "member_value": {"en": ("{place}", "the constituent's published figure"),
                     "vi": ("{place}", "số liệu đã công bố của tỉnh hợp thành")},
    "member_weight": {"en": ("{place}: population (weight)", "the constituent's population that year, the weight "
                                                              "of the mean (thousand persons)"),
                      "vi": ("{place}: dân số (trọng số)", "dân số của tỉnh hợp thành năm đó, trọng số của bình "
                                                            "quân (nghìn người)")},
    # growth elasticity of poverty
    "period_kind": {"en": ("Period kind", "step: two consecutive survey years; run: every survey year on one poverty line"),
                    "vi": ("Loại thời kỳ", "bước: hai năm khảo sát liên tiếp; giai đoạn: mọi năm khảo sát cùng một "
                                          "chuẩn nghèo")},
    "income_start": {"en": ("Income, start", "income per capita in the first year, as published"),
                     "vi": ("Thu nhập đầu kỳ", "thu nhập bình quân đầu người năm đầu, như đã công bố")},
    "income_end": {"en": ("Income, end", "income per capita in the last year, as published"),
                   "vi": ("Thu nhập cuối kỳ", "thu nhập bình quân đầu người năm cuối, như đã công bố")},
    "income_growth_real": {"en": ("Real income growth", "growth of income per capita over the period at constant "
                                                        "prices (national CPI)"),
                           "vi": ("Tăng thu nhập thực tế", "mức tăng thu nhập bình quân đầu người trong thời kỳ theo "
                                                          "giá so sánh (CPI cả nước)")},
    "poverty_start": {"en": ("Poverty rate, start", "poverty rate in the first year, as published"),
                      "vi": ("Tỷ lệ nghèo đầu kỳ", "tỷ lệ nghèo năm đầu, như đã công bố")},
    "poverty_end": {"en": ("Poverty rate, end", "poverty rate in the last year, as published"),
                    "vi": ("Tỷ lệ nghèo cuối kỳ", "tỷ lệ nghèo năm cuối, như đã công bố")},
    "poverty_change": {"en": ("Change in the poverty rate", "relative to the starting rate"),
                       "vi": ("Thay đổi tỷ lệ nghèo", "so với tỷ lệ đầu kỳ")},
    "elasticity": {"en": ("Elasticity", "Δ ln poverty rate / Δ ln real income per capita; empty where not computed "
                                        "(the note says why)"),
                   "vi": ("Hệ số co giãn", "Δ ln tỷ lệ nghèo / Δ ln thu nhập thực tế bình quân đầu người; để trống "
                                           "khi không tính (ghi chú nêu lý do)")},
    # the model
    "region": {"en": ("Region", "GSO region"), "vi": ("Vùng", "vùng của Tổng cục Thống kê")},
    "highlighted": {"en": ("This report's province", "true for the province(s) of this report"),
                    "vi": ("Tỉnh của báo cáo", "đúng với (các) tỉnh của báo cáo này")},
    "in_model": {"en": ("In the model", "false where a figure is missing or zero (the note says which)"),
                 "vi": ("Trong mô hình", "sai khi thiếu số liệu hoặc số liệu bằng 0 (ghi chú nêu số nào)")},
    "dln_income": {"en": ("Δ ln real income", "change in the natural log of real income per capita"),
                   "vi": ("Δ ln thu nhập thực tế", "thay đổi lôgarit tự nhiên của thu nhập thực tế bình quân đầu "
                                                   "người")},
    "dln_poverty": {"en": ("Δ ln poverty rate", "change in the natural log of the poverty rate"),
                    "vi": ("Δ ln tỷ lệ nghèo", "thay đổi lôgarit tự nhiên của tỷ lệ nghèo")},
    "predicted": {"en": ("Δ ln poverty rate predicted", "the change the fitted line predicts from the income growth"),
                  "vi": ("Δ ln tỷ lệ nghèo dự báo", "mức thay đổi mà đường hồi quy dự báo từ mức tăng thu nhập")},
    "residual": {"en": ("Residual", "actual minus predicted: negative = more poverty reduction than predicted"),
                 "vi": ("Phần dư", "thực tế trừ dự báo: âm = giảm nghèo nhiều hơn dự báo")},
    "predicted_poverty_end": {"en": ("Poverty rate predicted, end", "the starting rate × exp(predicted change): a "
                                                                    "model value, not a published figure"),
                              "vi": ("Tỷ lệ nghèo cuối kỳ theo mô hình", "tỷ lệ đầu kỳ × exp(mức thay đổi dự báo): "
                                                                         "giá trị mô hình, không phải số liệu công "
                                                                         "bố")},
    "model": {"en": ("Model", "what was fitted"), "vi": ("Mô hình", "mô hình được ước lượng")},
    "term": {"en": ("Term", "regressor"), "vi": ("Biến", "biến giải thích")},
    "estimate": {"en": ("Estimate", "coefficient"), "vi": ("Ước lượng", "hệ số")},
    "std_error": {"en": ("Standard error", "standard error of the estimate"),
                  "vi": ("Sai số chuẩn", "sai số chuẩn của ước lượng")},
    "ci_low": {"en": ("95 % CI, low", "lower end of the 95 % confidence interval"),
               "vi": ("Khoảng tin cậy 95 %, cận dưới", "cận dưới của khoảng tin cậy 95 %")},
    "ci_high": {"en": ("95 % CI, high", "upper end of the 95 % confidence interval"),
                "vi": ("Khoảng tin cậy 95 %, cận trên", "cận trên của khoảng tin cậy 95 %")},
    "p_value": {"en": ("p-value", "two-sided p-value"), "vi": ("Giá trị p", "giá trị p hai phía")},
    "n_obs": {"en": ("Observations", "observations used"), "vi": ("Số quan sát", "số quan sát được dùng")},
    "n_units": {"en": ("Provinces", "provinces used"), "vi": ("Số tỉnh", "số tỉnh được dùng")},
    "se_type": {"en": ("Standard errors", "how the standard errors were computed"),
                "vi": ("Loại sai số chuẩn", "cách tính sai số chuẩn")},
    # the seed case study
    "claim": {"en": ("Claim", "the claim recomputed"), "vi": ("Nhận định", "nhận định được tính lại")},
    "article_words": {"en": ("The article's words", "verbatim from the English machine translation of the article"),
                      "vi": ("Nguyên văn bài báo", "nguyên văn bản dịch máy sang tiếng Anh của bài báo")},
    "article_figure": {"en": ("The article's figure", "the figure the article states; empty where it states none"),
                       "vi": ("Con số của bài báo", "con số bài báo nêu; để trống nếu bài không nêu")},
    "article_unit": {"en": ("The article's unit", "the unit of the article's figure"),
                     "vi": ("Đơn vị của bài báo", "đơn vị của con số bài báo nêu")},
    "recomputed": {"en": ("Recomputed", "the value recomputed from the article's own figures"),
                   "vi": ("Tính lại", "giá trị tính lại từ chính các số liệu của bài báo")},
    "how": {"en": ("How", "the computation"), "vi": ("Cách tính", "phép tính")},
    "matches": {"en": ("Matches the article", "whether the article's figure matches; empty where it states none"),
                "vi": ("Khớp với bài báo", "con số của bài báo có khớp không; để trống nếu bài không nêu")},
    "article": {"en": ("Article", "the seed article (data/seeds/README.md)"),
                "vi": ("Bài báo", "bài báo gốc (data/seeds/README.md)")},
    # notes sheet
    "table": {"en": ("Table", "table (sheet) of the workbook"), "vi": ("Bảng", "bảng (trang) của sổ tính")},
    "csv_file": {"en": ("CSV file", "the table's CSV file"), "vi": ("Tệp CSV", "tệp CSV của bảng")},
    "column": {"en": ("Column", "column header"), "vi": ("Cột", "tiêu đề cột")},
    "column_id": {"en": ("Column id", "stable column id"), "vi": ("Mã cột", "mã cột cố định")},
    "description": {"en": ("Description", "what the column holds"), "vi": ("Mô tả", "nội dung của cột")},
    "units": {"en": ("Units", "unit(s) of the column"), "vi": ("Đơn vị", "đơn vị của cột")},
    "sources": {"en": ("Sources", "where the column's values come from"),
                "vi": ("Nguồn", "giá trị của cột lấy từ đâu")},
}

#: Text of the notes sheet.
NOTES_TEXT = {
    "about": {"en": "Tables of the report {title}", "vi": "Các bảng của báo cáo {title}"},
    "gaps": {"en": "An empty cell is a gap: no figure was published (or, for a 2025 aggregate, it could not be "
                   "computed; the note says why). Nothing is filled, interpolated or rounded.",
             "vi": "Ô trống là khoảng trống: không có số liệu công bố (hoặc, với số tổng hợp năm 2025, không tính "
                   "được; ghi chú nêu lý do). Không có gì được điền, nội suy hay làm tròn."},
    "csv": {"en": "CSV files: UTF-8 with byte-order mark, comma-separated, decimal point.",
            "vi": "Tệp CSV: UTF-8 có BOM, phân cách bằng dấu phẩy, dấu chấm thập phân."},
    "params": {"en": "Report parameters: {params}", "vi": "Tham số của báo cáo: {params}"},
    "see_unit": {"en": "per row, in column {col}: {units}", "vi": "theo từng dòng, ở cột {col}: {units}"},
    "label": {"en": "ntm_analysis (label of the code in the neighbouring column)",
              "vi": "ntm_analysis (diễn giải mã ở cột bên cạnh)"},
    "computed": {"en": "computed by ntm_analysis from the values (sources: column {col})",
                 "vi": "ntm_analysis tính từ các giá trị (nguồn: cột {col})"},
    "none": {"en": "(no rows: nothing published in the collected sources)",
             "vi": "(không có dòng: không có số liệu trong các nguồn đã thu thập)"},
    "elasticity": {"en": "computed by ntm_analysis.indicators.poverty_growth_elasticity from {files}",
                   "vi": "ntm_analysis.indicators.poverty_growth_elasticity tính từ {files}"},
    "model": {"en": "fitted by ntm_analysis.report.sections.fit_province_model (OLS across provinces, statsmodels; "
                    "two-way fixed effects, ntm_analysis.models.panel_fe) on {files}",
              "vi": "ước lượng bằng ntm_analysis.report.sections.fit_province_model (bình phương nhỏ nhất giữa các "
                    "tỉnh, statsmodels; tác động cố định hai chiều, ntm_analysis.models.panel_fe) trên {files}"},
    "seeds": {"en": "the seed articles' figures, data/seeds/seed_articles_figures.csv, recomputed by "
                    "ntm_analysis.indicators.seed_claims",
              "vi": "số liệu của các bài báo gốc, data/seeds/seed_articles_figures.csv, tính lại bằng "
                    "ntm_analysis.indicators.seed_claims"},
    "log_points": {"en": "log points (natural log)", "vi": "điểm lôgarit (lôgarit tự nhiên)"},
    "dimensionless": {"en": "none (a ratio of log changes)", "vi": "không có (tỷ số của hai mức thay đổi lôgarit)"},
    "pct_of_start": {"en": "% of the starting rate", "vi": "% so với tỷ lệ đầu kỳ"},
    "pct_real": {"en": "% (constant prices, national CPI)", "vi": "% (giá so sánh, CPI cả nước)"},
    "per_row": {"en": "per row, in column {col}", "vi": "theo từng dòng, ở cột {col}"},
}

GEOGRAPHY = {
    "province": {"en": "province (2008 geography)", "vi": "tỉnh (địa giới 2008)"},
    "aggregate": {"en": "aggregate (2025 geography)", "vi": "tổng hợp (địa giới 2025)"},
    "region": {"en": "region", "vi": "vùng"},
    "national": {"en": "whole country", "vi": "cả nước"},
}


@dataclass
class DownloadTable:
    """One table to download: ``frame`` has the column ids as columns (see :meth:`localized`)."""

    id: str
    title: str
    frame: pd.DataFrame
    #: column id → (header, description, units, sources), in the report's language.
    columns: dict[str, tuple[str, str, str, str]] = field(default_factory=dict)

    @property
    def csv_name(self) -> str:
        return f"{self.id}.csv"

    def localized(self) -> pd.DataFrame:
        """The frame with the headers readers see (in the report's language)."""
        return self.frame.rename(columns={c: meta[0] for c, meta in self.columns.items()})


def _t(table: dict, key: str, lang: str, **kw) -> str:
    text = table[key][lang]
    return text.format(**kw) if kw else text


def _header(col: str, lang: str, **kw) -> tuple[str, str]:
    head, desc = COLUMNS[col][lang]
    return head.format(**kw), desc.format(**kw)


def _join(values) -> str:
    return "; ".join(dict.fromkeys(str(v) for v in values if isinstance(v, str) and v))


def _describe(ctx: ReportContext, table_id: str, frame: pd.DataFrame, files: list[str],
              headers: dict[str, tuple[str, str]] | None = None, units: dict[str, str] | None = None,
              sources: dict[str, str] | None = None) -> DownloadTable:
    """Wrap ``frame`` (column ids) with each column's header, description, units and sources (``units`` and
    ``sources`` set them for the columns they name)."""
    lang = ctx.lang
    headers = headers or {}
    units_of, sources_of = units or {}, sources or {}
    cols = {}
    head = {c: (headers[c] if c in headers else _header(c, lang)) for c in frame.columns}
    data_files = "; ".join(f"data/{f}" for f in files)
    for c in frame.columns:
        h, desc = head[c]
        units, sources = "", ""
        if c in ("value", "value_reported", "aggregate") or c.startswith(("value_", "member_", "weight_")):
            if "unit" in frame.columns and c != "value_reported":
                units = _t(NOTES_TEXT, "see_unit", lang, col=head["unit"][0], units=_join(frame["unit"]) or "—")
            elif c == "value_reported" and "unit_reported" in frame.columns:
                units = _t(NOTES_TEXT, "see_unit", lang, col=head["unit_reported"][0],
                           units=_join(frame["unit_reported"]) or "—")
            if c.startswith("weight_"):
                units = i18n.unit("thousand persons", lang)
            if c.startswith("value_real"):
                units = i18n.unit("thousand VND/person/month", lang) + f" ({REAL_BASE_YEAR})"
            if "source" in frame.columns:
                sources = _join(frame["source"]) + (f" ({data_files})" if data_files else "")
            elif "source_url" in frame.columns:
                sources = _join(frame["source_url"])
            else:
                sources = data_files
        elif c in ("rank_region", "n_region", "rank_nation", "n_nation"):
            sources = _t(NOTES_TEXT, "computed", lang, col=head["value"][0]) if "value" in head else data_files
        elif c.endswith("_label") or c in ("figure", "geography"):
            sources = _t(NOTES_TEXT, "label", lang)
        else:  # identifiers, years, units, status, periods, notes, the sources themselves: the data files
            sources = data_files
        units, sources = units_of.get(c, units), sources_of.get(c, sources)
        cols[c] = (h, desc, units, sources)
    return DownloadTable(id=table_id, title=TITLES[table_id][lang], frame=frame.reset_index(drop=True), columns=cols)


# --- the tables -----------------------------------------------------------------------------------
SERIES_COLUMNS = ["geography", "place_code", "place", "year", "variable", "value", "unit", "measure",
                  "measure_label", "status", "source", "source_url", "note"]


def _series_rows(ctx: ReportContext, variables: list[str]) -> pd.DataFrame:
    """Tidy rows of ``variables`` for the members, the 2025 aggregate (gaps included), the region(s) and the
    nation, as published."""
    key = ("download_series", tuple(variables))
    if key in ctx._memo:
        return ctx._memo[key].copy()
    lang = ctx.lang
    frames = []
    levels = [("province", None), ("region", None), ("national", None)]
    records = {(r["variable"], r["year"]): r for r in aggregate_rows(ctx)}
    for variable in variables:
        if variable == POPULATION:
            levels_here = [("province", None)]
        else:
            levels_here = levels
        for level, codes in levels_here:
            df = ctx.series(variable, level, codes)
            if df.empty:
                continue
            place = (df["name"] if level == "province" else
                     df["code"].map(lambda c: region_name(c, lang)) if level == "region"
                     else i18n.t("nation", lang))
            frames.append(pd.DataFrame({
                "geography": GEOGRAPHY[level][lang], "place_code": df["code"].astype(str), "place": place,
                "year": df["year"].astype(int), "variable": variable, "value": df["value"].astype(float),
                "unit": [i18n.unit(u, lang) for u in df["unit"]], "measure": df["measure"].astype(str),
                "measure_label": [i18n.label("measure", m, lang) for m in df["measure"]],
                "status": [i18n.label("status", s, lang) for s in df["status"]], "source": df["source"],
                "source_url": df["source_url"], "note": df["note"].fillna("")}))
        if has_aggregate(ctx):
            agg = ctx.aggregate[ctx.aggregate["variable"] == variable].sort_values("year")
            if len(agg):
                frames.append(pd.DataFrame({
                    "geography": GEOGRAPHY["aggregate"][lang], "place_code": ctx.place.code,
                    "place": i18n.t("aggregate_label", lang, name=ctx.place.name_short),
                    "year": agg["year"].astype(int), "variable": variable, "value": agg["value"].astype(float),
                    "unit": [i18n.unit(u, lang) for u in agg["unit"]], "measure": agg["measure"].astype(str),
                    "measure_label": [i18n.label("measure", m, lang) for m in agg["measure"]],
                    "status": [i18n.label("status", s, lang) for s in agg["status"]],
                    "source": [aggregate_source_text(ctx, variable, int(y)) for y in agg["year"]],
                    "source_url": agg["source_url"],
                    "note": [aggregate_note(ctx, records[(variable, int(y))]) if (variable, int(y)) in records
                             else "" for y in agg["year"]]}))
    if not frames:
        return pd.DataFrame(columns=SERIES_COLUMNS)
    out = pd.concat(frames, ignore_index=True)[SERIES_COLUMNS]
    ctx._memo[key] = out
    return out.copy()


def _key_figures(ctx: ReportContext) -> pd.DataFrame:
    """The latest figure of each member (and of the 2025 aggregate) in the report's years, numbers as numbers."""
    lang = ctx.lang
    rows = []
    series = pd.concat([_series_rows(ctx, [v]) for v, _k, _d in FIGURES], ignore_index=True)
    wanted = [(GEOGRAPHY["province"][lang], m.code) for m in ctx.members]
    if has_aggregate(ctx):
        wanted.append((GEOGRAPHY["aggregate"][lang], ctx.place.code))
    for geography, code in wanted:
        for variable, key, _dec in FIGURES:
            mine = series[(series["geography"] == geography) & (series["place_code"] == code)
                          & (series["variable"] == variable)]
            known = mine[mine["value"].notna()].sort_values("year")
            if known.empty:  # a gap stays a gap: a row without a value
                name = (mine["place"].iloc[0] if len(mine) else
                        next((m.name_short for m in ctx.members if m.code == code), ctx.place.name_short))
                rows.append({"geography": geography, "place_code": code, "place": name, "variable": variable,
                             "figure": i18n.t(key, lang), "year": pd.NA, "value": float("nan"), "unit": "",
                             "measure": "", "measure_label": "", "status": "", "source": "", "source_url": "",
                             "note": i18n.t("missing", lang)})
                continue
            last = known.iloc[-1]
            rows.append({**{c: last[c] for c in SERIES_COLUMNS}, "figure": i18n.t(key, lang)})
    cols = ["geography", "place_code", "place", "variable", "figure", "year", "value", "unit", "measure",
            "measure_label", "status", "source", "source_url", "note"]
    out = pd.DataFrame(rows, columns=cols)
    out["year"] = out["year"].astype("Int64")
    return out


def _aggregate(ctx: ReportContext) -> tuple[pd.DataFrame, dict]:
    """The 2025 aggregate beside each constituent's value and weight, one row per figure and year."""
    lang = ctx.lang
    labels = {v: i18n.t(k, lang) for v, k, _d in FIGURES}
    rows, headers = [], {}
    for r in aggregate_rows(ctx):
        row = {"variable": r["variable"], "figure": labels[r["variable"]], "year": r["year"]}
        for m in ctx.members:
            row[f"member_{m.code}"] = r["values"][m.code]
            headers[f"member_{m.code}"] = _header("member_value", lang, place=place_label(m, ctx))
        if r["variable"] != POPULATION:
            for m in ctx.members:
                row[f"weight_{m.code}"] = r["weights"][m.code]
                headers[f"weight_{m.code}"] = _header("member_weight", lang, place=place_label(m, ctx))
        row.update({"aggregate": r["aggregate"], "unit": i18n.unit(r["unit"], lang),
                    "status": i18n.label("status", r["status"], lang), "note": aggregate_note(ctx, r),
                    "source": aggregate_source_text(ctx, r["variable"], r["year"])})
        rows.append(row)
    headers["aggregate"] = _header("aggregate", lang, name=ctx.place.name_short)
    cols = (["variable", "figure", "year"] + [f"member_{m.code}" for m in ctx.members]
            + [f"weight_{m.code}" for m in ctx.members] + ["aggregate", "unit", "status", "note", "source"])
    df = pd.DataFrame(rows, columns=cols)
    for c in cols:
        if c.startswith(("member_", "weight_")) or c == "aggregate":
            df[c] = df[c].astype(float)
    return df, headers


def _ranks(ctx: ReportContext) -> pd.DataFrame:
    lang = ctx.lang
    labels = {v: i18n.t(k, lang) for v, k, _d in RANKED}
    rows = [{"place_code": r["code"], "place": r["name"], "variable": r["variable"], "figure": labels[r["variable"]],
             "year": r["year"], "value": r["value"], "unit": i18n.unit(r["unit"], lang),
             "rank_region": r["rank_region"], "n_region": r["n_region"], "rank_nation": r["rank_nation"],
             "n_nation": r["n_nation"], "status": i18n.label("status", r["status"], lang)}
            for r in rank_records(ctx)]
    return pd.DataFrame(rows, columns=["place_code", "place", "variable", "figure", "year", "value", "unit",
                                       "rank_region", "n_region", "rank_nation", "n_nation", "status"])


def _ntm(ctx: ReportContext) -> pd.DataFrame:
    lang = ctx.lang
    df = ctx.ntm.sort_values(["province_code", "indicator", "end_year", "period_end"], na_position="first")
    return pd.DataFrame({
        "place_code": df["province_code"].astype(str), "place": df["province"], "indicator": df["indicator"],
        "indicator_label": [i18n.label("indicator", i, lang) for i in df["indicator"]],
        "period": [i18n.period(p, lang) for p in df["period_label"]],
        "start_year": df["start_year"].astype("Int64"), "end_year": df["end_year"].astype("Int64"),
        "value": df["value"].astype(float), "unit": [i18n.unit(u, lang) for u in df["unit"]],
        "qualifier": [i18n.label("qualifier", q, lang) for q in df["qualifier"]],
        "value_reported": df["value_reported"].astype(float), "unit_reported": df["unit_reported"],
        "confidence": [i18n.label("confidence", c, lang) for c in df["confidence"]],
        "quote": df["quote"], "source_url": df["source_url"]}).reset_index(drop=True)


def _ntm_national(ctx: ReportContext) -> pd.DataFrame:
    lang = ctx.lang
    n = national_ntm_rows(ctx)
    return pd.DataFrame({
        "as_of": [i18n.as_of(a, lang) for a in n["as_of"]], "indicator": n["variable"],
        "indicator_label": n["indicator_label"], "value": n["value"].astype(float),
        "unit": [i18n.unit(u, lang) for u in n["unit"]],
        "qualifier": [i18n.label("qualifier", q, lang) for q in n["qualifier"]],
        "source_url": n["source_url"]}).reset_index(drop=True)


def _elasticity(ctx: ReportContext) -> tuple[pd.DataFrame, dict, dict]:
    """The elasticity table: one row per member and period, numbers as numbers, the reason where not computed."""
    from ntm_analysis.report import sections  # noqa: PLC0415

    lang = ctx.lang
    rec = sections.elasticity_records(ctx)
    kinds = {"step": {"en": "step", "vi": "bước"}, "span": {"en": "run", "vi": "giai đoạn"}}
    df = pd.DataFrame({
        "place_code": rec["code"], "place": rec["name"], "start_year": rec["y0"].astype("Int64"),
        "end_year": rec["y1"].astype("Int64"), "period_kind": [kinds[k][lang] for k in rec["kind"]],
        "income_start": rec["income0_nominal"], "income_end": rec["income1_nominal"],
        "income_growth_real": rec["income_growth_real_pct"], "poverty_start": rec["poverty0"],
        "poverty_end": rec["poverty1"], "poverty_change": rec["poverty_change_pct"], "elasticity": rec["elasticity"],
        "measure": rec["poverty_measure"].fillna(""),
        "measure_label": [i18n.label("measure", m, lang) if isinstance(m, str) else "" for m in rec["poverty_measure"]],
        "status": [i18n.label("status", x, lang) if isinstance(x, str) else "" for x in rec["status"]],
        "note": [sections.elasticity_note(r, lang) for _, r in rec.iterrows()]})
    files = "; ".join(f"data/{name}" for name in (INCOME_FILE, POVERTY_FILE, CPI_FILE))
    computed = _t(NOTES_TEXT, "elasticity", lang, files=files)
    income_unit = i18n.unit("thousand VND/person/month", lang) + f" ({i18n.t('nominal', lang)})"
    units = {"income_start": income_unit, "income_end": income_unit,
             "income_growth_real": _t(NOTES_TEXT, "pct_real", lang), "poverty_start": i18n.unit("%", lang),
             "poverty_end": i18n.unit("%", lang), "poverty_change": _t(NOTES_TEXT, "pct_of_start", lang),
             "elasticity": _t(NOTES_TEXT, "dimensionless", lang)}
    sources = {c: computed for c in ("income_growth_real", "poverty_change", "elasticity", "note")}
    return df, units, sources


def _model_estimates(ctx: ReportContext) -> tuple[pd.DataFrame, dict, dict]:
    from ntm_analysis.report import sections  # noqa: PLC0415

    lang = ctx.lang
    model = sections.province_model(ctx)
    rows = []
    cs = model.cross_section
    fits = [(i18n.t("model_cs_label", lang, y0=model.y0, y1=model.y1), cs,
             i18n.t("model_se_hc1", lang, df=cs.n_obs - 2))]
    if model.fe is not None:
        fits.append((i18n.t("model_fe_label", lang, y0=model.y0, y1=model.y1), model.fe,
                     i18n.t("model_se_cluster", lang, g=model.fe.n_clusters)))
    for label, res, se_type in fits:
        for _, t in res.coefs.iterrows():
            rows.append({"model": label, "term": t["term"], "estimate": t["estimate"], "std_error": t["std_error"],
                         "ci_low": t["ci_low"], "ci_high": t["ci_high"], "p_value": t["p_value"],
                         "n_obs": res.n_obs, "n_units": res.n_units, "se_type": se_type,
                         "start_year": model.y0, "end_year": model.y1})
    df = pd.DataFrame(rows)
    files = "; ".join(f"data/{name}" for name in (INCOME_FILE, POVERTY_FILE, CPI_FILE))
    fitted = _t(NOTES_TEXT, "model", lang, files=files)
    per_term = _t(NOTES_TEXT, "per_row", lang, col=_header("term", lang)[0])
    units = {c: per_term for c in ("estimate", "std_error", "ci_low", "ci_high")}
    return df, units, {c: fitted for c in df.columns}


def _model_provinces(ctx: ReportContext) -> tuple[pd.DataFrame, dict, dict]:
    from ntm_analysis.report import sections  # noqa: PLC0415

    lang = ctx.lang
    model = sections.province_model(ctx)
    f = model.frame
    codes = {m.code for m in ctx.members}
    notes = ["" if ok else i18n.t("model_left_out", lang,
                                  reason="; ".join(sections.reason_text(x, lang) for x in reasons))
             for ok, reasons in zip(f["in_model"], f["reasons"])]
    df = pd.DataFrame({
        "place_code": f["code"], "place": f["name"], "region": [region_name(r, lang) for r in f["region"]],
        "highlighted": f["code"].isin(codes), "in_model": f["in_model"].astype(bool),
        "start_year": model.y0, "end_year": model.y1, "income_growth_real": f["income_growth_real_pct"],
        "dln_income": f["dln_income"], "poverty_start": f["poverty0"], "poverty_end": f["poverty1"],
        "dln_poverty": f["dln_poverty"], "predicted": f["predicted"], "residual": f["residual"],
        "predicted_poverty_end": f["predicted_poverty1"],
        "status": [i18n.label("status", x, lang) if x else "" for x in f["status"]], "note": notes})
    files = "; ".join(f"data/{name}" for name in (INCOME_FILE, POVERTY_FILE, CPI_FILE))
    fitted = _t(NOTES_TEXT, "model", lang, files=files)
    logp = _t(NOTES_TEXT, "log_points", lang)
    units = {"income_growth_real": _t(NOTES_TEXT, "pct_real", lang), "dln_income": logp,
             "poverty_start": i18n.unit("%", lang), "poverty_end": i18n.unit("%", lang), "dln_poverty": logp,
             "predicted": logp, "residual": logp, "predicted_poverty_end": i18n.unit("%", lang)}
    sources = {c: fitted for c in ("income_growth_real", "dln_income", "dln_poverty", "predicted", "residual",
                                   "predicted_poverty_end", "in_model", "note")}
    return df, units, sources


def _seed_claims(ctx: ReportContext) -> tuple[pd.DataFrame, dict, dict]:
    from ntm_analysis.report import sections  # noqa: PLC0415

    lang = ctx.lang
    claims = sections.seed_case(ctx)
    texts = [sections.claim_texts(r, lang) for _, r in claims.iterrows()]
    df = pd.DataFrame({
        "place_code": claims["code"], "place": claims["place"], "claim": [t["claim"] for t in texts],
        "article_words": claims["quote"], "article_figure": pd.to_numeric(claims["article_value"], errors="coerce"),
        "article_unit": [i18n.unit(u, lang) if isinstance(u, str) else "" for u in claims["article_unit"]],
        "recomputed": claims["recomputed_value"].astype(float), "unit": [i18n.unit(u, lang) for u in claims["unit"]],
        "matches": claims["consistent"].astype("boolean"), "how": [t["how"] for t in texts],
        "note": [t["note"] for t in texts],
        "article": [sections.ARTICLES.get(a, {}).get("publisher", a) for a in claims["article"]],
        "source_url": claims["article_url"]})
    seeds = _t(NOTES_TEXT, "seeds", lang)
    per_row = _t(NOTES_TEXT, "per_row", lang, col=_header("unit", lang)[0])
    per_article = _t(NOTES_TEXT, "per_row", lang, col=_header("article_unit", lang)[0])
    return df, {"recomputed": per_row, "article_figure": per_article}, {c: seeds for c in df.columns}


def report_tables(params: ReportParams | ReportContext) -> list[DownloadTable]:
    """Every table of the report of ``params`` (or of a loaded context), tidy, with units and sources."""
    ctx = params if isinstance(params, ReportContext) else ReportContext.load(params)
    gso = [INCOME_FILE, POVERTY_FILE, POPULATION_FILE]
    tables = [_describe(ctx, "key_figures", _key_figures(ctx), gso)]
    income = _series_rows(ctx, [INCOME])
    if ctx.params.price_basis == "real":  # the same deflation as the report's chart; no CPI → empty cell
        real_col = f"value_real_{REAL_BASE_YEAR}"
        if len(income):
            wide = pd.DataFrame({"year": income["year"], "income": income["value"]})
            income[real_col] = to_real(wide, REAL_BASE_YEAR, column="income", missing="na")[
                f"income_real_{REAL_BASE_YEAR}"].astype(float).to_numpy()
        else:
            income[real_col] = pd.Series(dtype=float)
        headers = {real_col: _header("value_real", ctx.lang, base=REAL_BASE_YEAR)}
        tables.append(_describe(ctx, "income", income, [INCOME_FILE, POPULATION_FILE, CPI_FILE], headers))
    else:
        tables.append(_describe(ctx, "income", income, [INCOME_FILE, POPULATION_FILE]))
    tables.append(_describe(ctx, "poverty", _series_rows(ctx, [POVERTY_LINE, POVERTY_MULTI]),
                            [POVERTY_FILE, POPULATION_FILE]))
    tables.append(_describe(ctx, "population", _series_rows(ctx, [POPULATION]), [POPULATION_FILE]))
    frame, units, sources = _elasticity(ctx)
    tables.append(_describe(ctx, "elasticity", frame, [INCOME_FILE, POVERTY_FILE, CPI_FILE], units=units,
                            sources=sources))
    if has_aggregate(ctx):
        frame, headers = _aggregate(ctx)
        tables.append(_describe(ctx, "aggregate_2025", frame, gso, headers))
    tables.append(_describe(ctx, "ranks", _ranks(ctx), [INCOME_FILE, POVERTY_FILE]))
    tables.append(_describe(ctx, "ntm", _ntm(ctx), [f"raw/{NTM_REPORTS_FILE}"]))
    if needs_national_context(ctx):
        tables.append(_describe(ctx, "ntm_national", _ntm_national(ctx), [f"raw/{NTM_NATIONAL_FILE}"]))
    from ntm_analysis.report import sections  # noqa: PLC0415

    if sections.has_seed_case(ctx):
        frame, units, sources = _seed_claims(ctx)
        tables.append(_describe(ctx, "seed_claims", frame, [sections.SEED_FILE], units=units,
                                sources=sources))
    if sections.has_model(ctx):
        for table_id, build in (("model_estimates", _model_estimates), ("model_provinces", _model_provinces)):
            frame, units, sources = build(ctx)
            tables.append(_describe(ctx, table_id, frame, [INCOME_FILE, POVERTY_FILE, CPI_FILE], units=units,
                                    sources=sources))
    return tables


def notes_table(ctx: ReportContext, tables: list[DownloadTable]) -> DownloadTable:
    """The notes sheet: general notes, then every column of every table with its description, units, sources."""
    import json  # noqa: PLC0415

    lang = ctx.lang
    from ntm_analysis.report.content import title  # noqa: PLC0415

    general = [_t(NOTES_TEXT, "about", lang, title=title(ctx)), _t(NOTES_TEXT, "gaps", lang),
               _t(NOTES_TEXT, "csv", lang),
               _t(NOTES_TEXT, "params", lang, params=json.dumps(ctx.params.to_notebook_parameters(),
                                                               ensure_ascii=False, sort_keys=True))]
    rows = [{"table": "", "csv_file": "", "column": "", "column_id": "", "description": g, "units": "",
             "sources": ""} for g in general]
    for t in tables:
        if t.frame.empty:
            rows.append({"table": t.title, "csv_file": t.csv_name, "column": "", "column_id": "",
                         "description": _t(NOTES_TEXT, "none", lang), "units": "", "sources": ""})
        for c, (head, desc, units, sources) in t.columns.items():
            rows.append({"table": t.title, "csv_file": t.csv_name, "column": head, "column_id": c,
                         "description": desc, "units": units, "sources": sources})
    frame = pd.DataFrame(rows, columns=["table", "csv_file", "column", "column_id", "description", "units",
                                        "sources"])
    cols = {c: (*_header(c, lang), "", "") for c in frame.columns}
    return DownloadTable(id=NOTES_ID, title=TITLES[NOTES_ID][lang], frame=frame, columns=cols)


# --- files ----------------------------------------------------------------------------------------
def csv_bytes(table: DownloadTable) -> bytes:
    """The table as CSV: UTF-8 with BOM, comma-separated, decimal point; gaps are empty cells."""
    return table.localized().to_csv(index=False, na_rep="", lineterminator="\r\n").encode(CSV_ENCODING)


def xlsx_bytes(tables: list[DownloadTable]) -> bytes:
    """One workbook: a sheet per table (the last one the notes), headers in bold, columns sized to fit."""
    from openpyxl.styles import Font  # noqa: PLC0415

    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for t in tables:
            t.localized().to_excel(writer, sheet_name=t.title[:31], index=False)
            ws = writer.sheets[t.title[:31]]
            for cell in ws[1]:
                cell.font = Font(bold=True)
            for col in ws.columns:
                width = max((len(str(c.value)) for c in col if c.value is not None), default=8)
                ws.column_dimensions[col[0].column_letter].width = min(max(width + 2, 8), 60)
            ws.freeze_panes = "A2"
    return buf.getvalue()


def download_paths(params: ReportParams, folder: str | os.PathLike) -> tuple[Path, Path]:
    """The CSV folder and the workbook of one report under ``folder`` (``<vintage dir>/downloads``)."""
    stem = params.validate().stem  # the slug, plus the variant (language, prices, years) when not the default
    return Path(folder) / stem, Path(folder) / f"{stem}.xlsx"


def write_downloads(params: ReportParams, folder: str | os.PathLike) -> list[Path]:
    """Write the report's tables to ``folder``: ``<slug>/<table>.csv`` for each table and the notes, and
    ``<slug>.xlsx``; each file atomically. CSV files of tables the report no longer has are removed.
    Returns the paths written."""
    from ntm_analysis import atomic  # noqa: PLC0415

    params = params.validate()
    ctx = ReportContext.load(params)
    tables = report_tables(ctx)
    tables.append(notes_table(ctx, tables))
    csv_dir, xlsx = download_paths(params, folder)
    written = []
    for t in tables:
        path = csv_dir / t.csv_name
        atomic.write_bytes(path, csv_bytes(t))
        written.append(path)
    for old in csv_dir.glob("*.csv"):
        if old not in written:
            old.unlink()
    atomic.write_bytes(xlsx, xlsx_bytes(tables))
    written.append(xlsx)
    return written


def write_job_downloads(job) -> list[Path]:
    """:func:`write_downloads` for a render job (its ``downloads`` folder; the renderer calls this once the
    report's HTML is written)."""
    from ntm_analysis.report.spec import vintage_dir  # noqa: PLC0415

    folder = getattr(job, "downloads", "") or vintage_dir(job.output, job.params.vintage) / "downloads"
    return write_downloads(job.params, folder)


def links_html(ctx: ReportContext) -> str:
    """HTML list of the report's downloads, linked relative to ``reports/<slug>.html`` (``../downloads/…``)."""
    lang, slug = ctx.lang, ctx.params.stem
    ids = table_ids(ctx)
    csv_links = " · ".join(f'<a href="../downloads/{esc(slug)}/{esc(i)}.csv">{esc(TITLES[i][lang])}</a>'
                           for i in ids)
    return ('<ul class="ntm-downloads">'
            f'<li><a href="../downloads/{esc(slug)}.xlsx"><code>{esc(slug)}.xlsx</code></a>: '
            f'{esc(i18n.t("dl_workbook", lang))}</li>'
            f'<li>{esc(i18n.t("dl_csv", lang))}: {csv_links}</li></ul>')


def table_ids(ctx: ReportContext) -> list[str]:
    """The ids of the tables :func:`write_downloads` writes, in order, the notes last (without computing them)."""
    from ntm_analysis.report import sections  # noqa: PLC0415

    ids = ["key_figures", "income", "poverty", "population", "elasticity"]
    if has_aggregate(ctx):
        ids.append("aggregate_2025")
    ids += ["ranks", "ntm"]
    if needs_national_context(ctx):
        ids.append("ntm_national")
    if sections.has_seed_case(ctx):
        ids.append("seed_claims")
    if sections.has_model(ctx):
        ids += ["model_estimates", "model_provinces"]
    ids.append(NOTES_ID)
    return ids


__all__ = ["DownloadTable", "report_tables", "notes_table", "write_downloads", "write_job_downloads",
           "links_html", "download_paths", "table_ids", "csv_bytes", "xlsx_bytes", "BOM"]
