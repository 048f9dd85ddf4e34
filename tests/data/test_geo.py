"""Province registry: 63 + 34 provinces, the 63 → 34 crosswalk, look-up by any spelling, slugs."""
import pytest

import ntm_analysis as ntm
from ntm_analysis.data import geo


def test_counts_and_codes_are_zero_padded_strings():
    old, new = geo.provinces(2008), geo.provinces(2025)
    assert len(old) == 63 and len(new) == 34
    assert all(isinstance(p.code, str) and len(p.code) == 2 for p in old + new)
    assert {p.region for p in old} == set(geo.REGIONS)
    assert sum(len(p.constituents) for p in new) == 63


@pytest.mark.parametrize("text", ["Dak Nong", "Đắk Nông", "dak-nong", "ĐẮK NÔNG", "  tỉnh  Đắk   Nông ", "Daknong",
                                  "Tỉnh Đắk Nông", "67", 67, "Dac Nong"])
def test_spellings_of_dak_nong(text):
    p = ntm.lookup_province(text)
    assert (p.code, p.name, p.name_en, p.slug, p.region, p.vintage) == (
        "67", "Tỉnh Đắk Nông", "Dak Nong", "dak-nong", "Central Highlands", 2008)


@pytest.mark.parametrize("text,code", [
    ("Daklak", "66"), ("Đăk Lăk", "66"), ("Dak Lak", "66"), ("HCMC", "79"), ("TP HCM", "79"), ("TP. Hồ Chí Minh", "79"),
    ("Ho Chi Minh City", "79"), ("Thành phố Hồ Chí Minh", "79"), ("Thừa Thiên Huế", "46"), ("Huế", "46"),
    ("Thua Thien-Hue", "46"), ("01", "01"), (1, "01"), ("Ha Noi", "01"), ("Hanoi", "01"), ("TP Cần Thơ", "92"),
    ("Bà Rịa - Vũng Tàu", "77"), ("Ba Ria-Vung Tau", "77"), ("ba-ria-vung-tau", "77"), ("Hoà Bình", "17"),
    ("Hòa Bình", "17"), ("Kontum", "62"), ("Lào Cai", "10"), ("Yên Bái", "15"), ("Thanh Hoa", "38"),
])
def test_variants_2008(text, code):
    assert ntm.lookup_province(text).code == code


@pytest.mark.parametrize("name,slug", [("Đắk Lắk", "dak-lak"), ("Đà Nẵng", "da-nang"),
                                       ("Bà Rịa - Vũng Tàu", "ba-ria-vung-tau"), ("Điện Biên", "dien-bien")])
def test_slugs_handle_d_stroke(name, slug):
    assert ntm.slugify(name) == slug
    assert ntm.lookup_province(name).slug == slug


def test_all_slugs_ascii_and_unique():
    for v in (2008, 2025):
        slugs = [p.slug for p in geo.provinces(v)]
        assert len(set(slugs)) == len(slugs)
        assert all(s.isascii() and s == s.lower() and " " not in s for s in slugs)


def test_vintage_2025_and_crosswalk():
    lam_dong = ntm.lookup_province("Lâm Đồng", vintage=2025)
    assert (lam_dong.code, lam_dong.vintage) == ("68", 2025)
    assert [p.name_short for p in ntm.constituents("Lâm Đồng")] == ["Bình Thuận", "Đắk Nông", "Lâm Đồng"]
    # code 15 is Yên Bái in 2008 and the new Lào Cai in 2025
    assert ntm.lookup_province("15").name_short == "Yên Bái"
    assert ntm.lookup_province("15", vintage=2025).name_short == "Lào Cai"
    assert ntm.lookup_province("Lao Cai", vintage=2025).constituents == ("10", "15")
    assert ntm.successor("Đắk Nông").name_short == "Lâm Đồng"
    assert ntm.lookup_province("HCMC", vintage=2025).constituents == ("74", "77", "79")
    assert dict(ntm.crosswalk())["67"] == "68"


def test_old_name_in_2025_geography_says_where_it_went():
    with pytest.raises(ntm.ProvinceNotFound, match=r"Đắk Nông \(67\).*part of Lâm Đồng \(68\)"):
        ntm.lookup_province("Dak Nong", vintage=2025)


def test_unknown_text_lists_closest_matches():
    with pytest.raises(ntm.ProvinceNotFound) as err:
        ntm.lookup_province("Dak Nongg")
    assert err.value.suggestions[0] == "Đắk Nông (67)"
    assert "Closest matches: Đắk Nông (67)" in str(err.value)
    with pytest.raises(ntm.ProvinceNotFound, match="merged into Hà Nội"):
        ntm.lookup_province("Hà Tây")
    with pytest.raises(ntm.ProvinceNotFound, match="not a province code"):
        ntm.lookup_province("03")
    with pytest.raises(ValueError, match="vintage"):
        ntm.lookup_province("Hà Nội", vintage=2020)


# --- names as shown: one tone-mark convention (GSO's), code 46 named by vintage ------------------------------------
def test_every_province_name_of_both_vintages_uses_gso_tone_marks():
    from ntm_analysis.text import other_tone_convention
    shown = [(p.vintage, p.code, text) for v in geo.VINTAGES for p in geo.provinces(v)
             for text in (p.name, p.name_short)]
    assert [s for s in shown if other_tone_convention(s[2])] == []
    names = {(p.vintage, p.code): p.name_short for v in geo.VINTAGES for p in geo.provinces(v)}
    assert names[(2008, "17")] == "Hòa Bình" and names[(2008, "56")] == "Khánh Hòa"
    assert names[(2008, "38")] == names[(2025, "38")] == "Thanh Hóa"
    assert names[(2025, "56")] == "Khánh Hòa"


def test_panel_names_use_gso_tone_marks():
    from ntm_analysis.text import other_tone_convention
    panel = ntm.load_panel(variables="income_per_capita_nominal")
    names = set(panel["name"].astype(str))
    assert "Hòa Bình" in names and "Hoà Bình" not in names
    assert [n for n in names if other_tone_convention(n)] == []


@pytest.mark.parametrize("text", ["Hoà Bình", "Hòa Bình", "Tỉnh Hoà Bình", "hoa binh"])
def test_either_tone_mark_convention_finds_hoa_binh(text):
    assert ntm.lookup_province(text).code == "17"
    assert ntm.lookup_province("Thanh Hoá").code == ntm.lookup_province("Thanh Hóa").code == "38"


def test_code_46_is_named_as_in_the_geography_shown():
    old, new = ntm.lookup_province("46", 2008), ntm.lookup_province("46", 2025)
    assert (old.name, old.name_short, old.slug) == ("Tỉnh Thừa Thiên Huế", "Thừa Thiên Huế", "thua-thien-hue")
    assert (new.name, new.name_short, new.slug) == ("Thành phố Huế", "Huế", "hue")
    assert ntm.lookup_province("Huế", 2008).code == ntm.lookup_province("Thừa Thiên Huế", 2025).code == "46"
    panel = ntm.load_panel(variables="income_per_capita_nominal")
    assert set(panel.loc[panel["code"] == "46", "name"].astype(str)) == {"Thừa Thiên Huế"}
