"""Province and name look-ups under hostile input (issue 16, items 9 and 10): a value of the wrong type is a
TypeError naming the type; non-ASCII digits and codes of thousands of digits are "no such province", never
``invalid literal for int()`` or ``Exceeds the limit (4300 digits)``; a 1 MB name is refused without ranking
suggestions (difflib on it took 22 s) and quoted shortened; a registry whose names fold to one spelling is refused
naming both rows."""
from __future__ import annotations

import csv
import difflib
import shutil

import pytest

from ntm_analysis import paths
from ntm_analysis.cli import main
from ntm_analysis.data import geo, names
from ntm_analysis.data.names import UnknownNameError, check_names

MASTER = "provinces_63_master.csv"
MAPPING = "admin_mapping_63_to_34_provinces_2025.csv"


@pytest.mark.parametrize("value", [["Lào Cai"], ("Lào Cai",), {"Lào Cai"}, b"Lao Cai", None, True, {"code": 10}])
def test_a_value_that_is_neither_a_name_nor_a_code_is_a_type_error_naming_its_type(value):
    with pytest.raises(TypeError, match=f"expected a province name \\(str\\) or code \\(int\\), got "
                                        f"{type(value).__name__}"):
        geo.lookup_province(value)


def test_names_and_codes_still_resolve():
    assert geo.lookup_province("Lào Cai").code == "10"
    assert geo.lookup_province(10).code == "10"
    assert geo.lookup_province("010").code == "10"
    assert geo.lookup_province(10.0).code == "10"
    assert geo.lookup_province("15", 2025).name_short == "Lào Cai"


@pytest.mark.parametrize("text", ["²⁰", "¹⁰", "²⁰²⁰", "١٠"])
def test_non_ascii_digits_are_no_province_not_an_int_error(text):
    with pytest.raises(geo.ProvinceNotFound, match="digits 0–9") as err:
        geo.lookup_province(text)
    assert repr(text) in str(err.value)


@pytest.mark.parametrize("value", ["9" * 5000, "1" * 4301, 10 ** 5000, -3, 100],
                         ids=["5000-digit text", "4301-digit text", "5001-digit int", "-3", "100"])
def test_codes_of_thousands_of_digits_are_no_province_with_a_bounded_message(value):
    with pytest.raises(geo.ProvinceNotFound) as err:
        geo.lookup_province(value)
    message = str(err.value)
    assert "Exceeds the limit" not in message and len(message) < 300
    assert "two digits" in message or "a number from 1 to 99" in message


@pytest.mark.parametrize("vintage", geo.VINTAGES)
def test_a_1_mb_name_is_refused_without_ranking_suggestions(vintage, monkeypatch):
    def no_difflib(*args, **kwargs):
        raise AssertionError("difflib ran on a 1 MB name")

    monkeypatch.setattr(difflib, "SequenceMatcher", no_difflib)
    text = "Lào Cai" + "x" * 1_000_000
    with pytest.raises(geo.ProvinceNotFound) as err:
        geo.lookup_province(text, vintage)
    assert err.value.suggestions == []
    assert geo.suggest(text, vintage) == []
    message = str(err.value)
    assert len(message) < 400 and "(1,000,007 characters)" in message and "too long to be a province name" in message


def test_a_short_misspelling_still_gets_suggestions():
    with pytest.raises(geo.ProvinceNotFound) as err:
        geo.lookup_province("Dak Nongg")
    assert err.value.suggestions[0] == "Đắk Nông (67)"
    assert geo.suggest("x" * names.MAX_NAME_LENGTH)  # at the limit suggestions are still ranked


def test_an_unknown_1_mb_variable_name_has_no_closest_and_a_bounded_message(monkeypatch):
    monkeypatch.setattr(difflib, "get_close_matches", lambda *a, **k: pytest.fail("difflib ran on a 1 MB name"))
    with pytest.raises(UnknownNameError) as err:
        check_names(["r" * 1_000_000], ["resources_total", "income_per_capita_nominal"])
    assert err.value.closest == []
    assert len(str(err.value)) < 300 and "(1,000,000 characters)" in str(err.value)
    with pytest.raises(UnknownNameError, match="integer of more than"):
        check_names([10 ** 5000], ["resources_total"])


def test_shown_quotes_short_values_whole_and_cuts_long_ones():
    assert names.shown("Hòa Bình") == "'Hòa Bình'"
    assert names.shown(17) == "17"
    assert names.shown("x" * 100, limit=5) == "'xxxxx'… (100 characters)"
    assert names.shown(["a" * 100], limit=10) == "['aaaaaaaa… (104 characters)"


@pytest.mark.parametrize("arg, hint", [("¹⁰", "digits 0–9"), ("²⁰²⁰", "digits 0–9"), ("9" * 5000, "two digits")],
                         ids=["superscript 10", "superscript 2020", "5000 digits"])
def test_cli_province_with_odd_digits_is_one_line_exit_2(arg, hint, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["render", "--province", arg, "--output", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no province of the 2008 geography matches" in err and hint in err
    assert "Traceback" not in err and "invalid literal" not in err and "Exceeds the limit" not in err
    assert len(err) < 500 and not out.exists()


@pytest.fixture
def custom_registry(tmp_path, monkeypatch):
    """A data folder with copies of the two registry files; the geography caches are cleared before and after."""
    raw = tmp_path / "data" / "raw"
    raw.mkdir(parents=True)
    for name in (MASTER, MAPPING):
        shutil.copyfile(paths.raw_dir() / name, raw / name)
    monkeypatch.setenv("NTM_DATA_DIR", str(tmp_path / "data"))
    geo._registry.cache_clear()
    geo._index.cache_clear()
    yield raw
    monkeypatch.delenv("NTM_DATA_DIR")
    geo._registry.cache_clear()
    geo._index.cache_clear()


def _rename(raw, code: str, official: str, short: str, english: str) -> int:
    """Give the master file's province ``code`` other names; returns its row (the header is row 1)."""
    with open(raw / MASTER, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    fieldnames = list(rows[0])
    row = next(i for i, r in enumerate(rows, start=2) if r["province_code"] == code)
    rows[row - 2].update(province_name_vi_official=official, province_name_vi_short=short,
                         province_name_gso_en=english)
    with open(raw / MASTER, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fieldnames, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return row


def test_the_shipped_registry_has_no_names_that_fold_together():
    for vintage in geo.VINTAGES:
        assert len(set(geo._index(vintage).values())) == len(geo.provinces(vintage))


@pytest.mark.parametrize("code, names_, other, key", [
    ("19", ("Tỉnh Hòa Bình", "Hòa Bình", "Hoa Binh"), ("17", "Hoà Bình"), "hoa binh"),  # tone mark placement
    ("66", ("Tỉnh Dak Nong", "Dak Nong", "Dak Nong"), ("67", "Đắk Nông"), "dak nong"),  # without diacritics
])
def test_a_custom_registry_whose_names_fold_to_one_spelling_is_refused_naming_both_rows(custom_registry, code,
                                                                                        names_, other, key):
    row = _rename(custom_registry, code, *names_)
    with open(custom_registry / MASTER, encoding="utf-8", newline="") as fh:
        other_row = next(i for i, r in enumerate(csv.DictReader(fh), start=2) if r["province_code"] == other[0])
    with pytest.raises(ValueError) as err:
        geo.lookup_province("Lào Cai")  # any look-up, even of another province
    message = str(err.value)
    assert f"{MASTER} row {row} ({code}, {names_[1]!r})" in message
    assert f"{MASTER} row {other_row} ({other[0]}, {other[1]!r})" in message
    assert f"fold to the same spelling {key!r}" in message


@pytest.mark.parametrize("vintage", ["²⁰²⁰", "9" * 5000, 10 ** 5000], ids=["superscript", "5000-digit text",
                                                                           "5001-digit int"])
def test_an_odd_vintage_is_the_vintage_error_with_a_bounded_message(vintage):
    with pytest.raises(ValueError, match="vintage must be 2008") as err:
        geo.lookup_province("Lào Cai", vintage)
    assert len(str(err.value)) < 200
