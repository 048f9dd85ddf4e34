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
