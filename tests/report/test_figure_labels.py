"""No two labels of a report figure overlap: every figure function the province report uses, drawn for Lào Cai and
other provinces (both geographies, both languages), with the bounding box of every text it draws measured by
matplotlib (``get_window_extent`` with the figure's renderer; tests/figure_text.py).

The resources chart used to write each total's period ("2021–2025") over its bar: Lào Cai's two 2021–2025 totals
(9,200 and 11,182 billion VND) put the two labels on top of each other. Lâm Đồng of 2025 (three constituents) had
the constituents' names on top of each other in the association scatter and the model scatter.
"""
import matplotlib
import matplotlib.pyplot as plt
import pytest

from figure_text import drawn_texts, overlaps
from ntm_analysis.report import figures, resources_section, results
from ntm_analysis.report.context import ReportContext
from ntm_analysis.report.params import ReportParams

matplotlib.use("Agg")

#: (province, geography, language): Lào Cai in both geographies and languages, a 2025 province of three
#: constituents, a province with a seed article, Hà Nội (boundary change), a southern province.
CASES = [("Lào Cai", 2008, "en"), ("Lào Cai", 2008, "vi"), ("Lào Cai", 2025, "vi"), ("Lâm Đồng", 2025, "en"),
         ("Lâm Đồng", 2025, "vi"), ("Đắk Nông", 2008, "vi"), ("Hà Nội", 2008, "en"), ("Cà Mau", 2008, "vi")]


def report_figures(ctx):
    """The figure functions the province notebook calls for this report (notebooks/province_report.ipynb)."""
    fns = [figures.income_over_time, figures.poverty_over_time, figures.ntm_progress, resources_section.figure]
    if results.has_model(ctx):
        fns.append(figures.model_scatter)
    if figures.has_seed_figure(ctx):
        fns.append(figures.seed_poverty)
    return fns


@pytest.mark.parametrize(("province", "vintage", "lang"), CASES, ids=[f"{p}-{v}-{lang}" for p, v, lang in CASES])
def test_no_two_labels_of_a_report_figure_overlap(province, vintage, lang):
    ctx = ReportContext.load(ReportParams(province=province, vintage=vintage, lang=lang))
    drawn = {}
    for fn in report_figures(ctx):
        fig = fn(ctx)
        try:
            texts = drawn_texts(fig)
            assert len(texts) >= 5, (fn.__name__, [t.get_text() for t in texts])  # title, axes, ticks, source
            drawn[fn.__name__] = overlaps(fig)
        finally:
            plt.close(fig)
    assert {"income_over_time", "poverty_over_time", "ntm_progress", "figure"} <= set(drawn)
    assert {name: pairs for name, pairs in drawn.items() if pairs} == {}


def test_lao_cai_resource_totals_of_one_period_are_each_named_with_their_scope():
    """Both 2021–2025 totals of Lào Cai are on the chart, each named once (in the legend) with its scope."""
    ctx = ReportContext.load(ReportParams(province="Lào Cai", lang="vi"))
    fig = figures.ntm_progress(ctx)
    try:
        texts = [t.get_text() for t in drawn_texts(fig)]
        assert overlaps(fig) == []
    finally:
        plt.close(fig)
    assert "2021–2025: không gồm vốn tín dụng (độ tin cậy cao)" in texts
    assert "2021–2025: ba chương trình mục tiêu quốc gia (độ tin cậy thấp)" in texts
    assert "2011–2015: gồm vốn tín dụng (độ tin cậy cao)" in texts


def test_the_overlap_check_can_fail_and_ignores_ticks_it_does_not_draw():
    fig, ax = plt.subplots(figsize=(4, 3), dpi=100)
    try:
        ax.set_xticks([2000, 2010, 2015, 2020, 2030])
        ax.set_xlim(2010, 2020)  # 2000 and 2030 lie outside the view: not drawn
        ax.text(2012, 0.5, "2021–2025")
        ax.text(2012, 0.5, "2021–2025")
        ax.text(2017, 0.9, "alone")
        texts = [t.get_text() for t in drawn_texts(fig)]
        assert "2000" not in texts and "2030" not in texts and "2015" in texts
        assert overlaps(fig) == [("2021–2025", "2021–2025")]
    finally:
        plt.close(fig)


def test_separate_labels_moves_point_labels_apart():
    fig, ax = plt.subplots(figsize=(4, 3), dpi=100)
    try:
        labels = [ax.annotate(name, (0.5, 0.5), textcoords="offset points", xytext=(7, 7))
                  for name in ("Đắk Nông", "Lâm Đồng", "Bình Thuận")]
        assert len(overlaps(fig)) == 3
        figures.separate_labels(fig, labels)
        assert overlaps(fig) == []
        assert labels[0].xyann == (7, 7)  # the first stays where it was put
    finally:
        plt.close(fig)
