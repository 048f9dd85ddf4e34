"""Report strings and number formats in English and Vietnamese."""
import math

import pytest

from ntm_analysis import i18n


@pytest.mark.parametrize("value,lang,dec,expected", [
    (1387, "en", 0, "1,387"), (1387, "vi", 0, "1.387"), (50.79, "vi", 2, "50,79"), (73000, "vi", 0, "73.000"),
    (1234567.5, "en", 1, "1,234,567.5"), (1234567.5, "vi", 1, "1.234.567,5"), (-7.59, "vi", 2, "-7,59"),
    (math.nan, "vi", 1, "—"), (None, "en", 0, "—"),
])
def test_fmt_number(value, lang, dec, expected):
    assert i18n.fmt_number(value, lang, dec) == expected


def test_every_message_has_both_languages_and_same_fields():
    import string
    for key, m in i18n.MESSAGES.items():
        assert set(m) == set(i18n.LANGS), key
        fields = {lang: {f for _, f, _, _ in string.Formatter().parse(m[lang]) if f} for lang in i18n.LANGS}
        assert fields["en"] == fields["vi"], key


def test_vietnamese_strings_render_in_the_default_font():
    text = "".join(m["vi"] for m in i18n.MESSAGES.values()) + "Đắk Nông Lâm Đồng Thừa Thiên Huế Bà Rịa - Vũng Tàu"
    assert i18n.check_font_covers(text) == []
    # and the check can fail: a character no Latin font carries
    assert i18n.check_font_covers("Đ漢") == ["漢"]


def test_unknown_key_and_lang_are_errors():
    with pytest.raises(KeyError, match="no report string"):
        i18n.t("nope")
    with pytest.raises(ValueError, match="lang must be"):
        i18n.t("year", "fr")
    assert i18n.t("report_title", "vi", name="Lào Cai").startswith("Lào Cai: nguồn lực")


@pytest.mark.parametrize("text,expected", [
    ("as of 2019-11", "tính đến 11/2019"), ("2011–2015", "2011–2015"), ("2016–2019-06", "2016–06/2019"),
    ("2021-10–2024", "10/2021–2024"), ("as of", "không rõ thời điểm"), ("as of 2015", "tính đến 2015"),
])
def test_ntm_periods_in_vietnamese(text, expected):
    assert i18n.period(text, "vi") == expected
    assert i18n.period(text, "en") == text  # English keeps the data's label


def test_dates_units_and_labels():
    assert i18n.date("2023-06-30", "vi") == "30/06/2023" and i18n.date("2023-06-30", "en") == "2023-06-30"
    assert i18n.as_of("2020-12 (estimate)", "vi") == "12/2020 (ước tính)"
    assert i18n.unit("thousand VND/person/month", "vi") == "nghìn đồng/người/tháng"
    assert i18n.unit("% of households", "vi") == "% số hộ" and i18n.unit("billion VND", "en") == "billion VND"
    assert i18n.unit("furlongs", "vi") == "furlongs"  # an unknown unit is shown as it is, never guessed
    assert i18n.label("status", "preliminary", "vi") == "sơ bộ"
    assert i18n.label("measure", "gso_income_line_2011_2015", "vi") == "chuẩn nghèo thu nhập 2011–2015"
    assert i18n.label("qualifier", "lower_bound", "vi") == "ít nhất (cận dưới)"
    assert i18n.label("indicator", "resources_people", "en") == "Resources: contributions of people"


def test_every_label_and_unit_has_both_languages():
    for kind, labels in i18n.LABELS.items():
        for code, texts in labels.items():
            assert set(texts) == set(i18n.LANGS), (kind, code)
    for u, texts in i18n.UNITS.items():
        assert set(texts) == set(i18n.LANGS), u
        assert texts["en"] == u, u  # English shows the data's own unit


def test_every_data_unit_and_code_of_a_report_has_a_vietnamese_label():
    import ntm_analysis as ntm
    from ntm_analysis.report.context import FIGURES as AGGREGATED
    panel = ntm.load_panel(level="all")
    rows = panel[panel["variable"].isin(AGGREGATED)]
    ntm_rows = ntm.load_ntm_reports()
    already_vietnamese = {"tỷ đồng", "nghìn tỷ đồng", "triệu đồng/người/năm"}  # units as the sources wrote them
    for u in set(rows["unit"]) | set(ntm_rows["unit"]) | (set(ntm_rows["unit_reported"]) - already_vietnamese):
        assert u in i18n.UNITS, u
    for kind, values in (("status", rows["status"]), ("measure", rows["measure"]),
                         ("qualifier", ntm_rows["qualifier"]), ("confidence", ntm_rows["confidence"]),
                         ("indicator", ntm_rows["indicator"])):
        for code in set(values):
            assert code in i18n.LABELS[kind], (kind, code)
