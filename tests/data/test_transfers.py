"""MOF central transfers for the national target programmes: real figures, blanks kept as gaps, codes checked."""
import csv
import shutil

import pandas as pd
import pytest

import ntm_analysis as ntm
from ntm_analysis import paths
from ntm_analysis.data import transfers
from ntm_analysis.data.sources import RawDataError


def test_columns_and_counts_by_year():
    t = ntm.load_central_transfers()
    assert list(t.columns) == transfers.COLUMNS
    prov = t[t.level == "province"]
    p16, p17 = prov[prov.year == 2016], prov[prov.year == 2017]
    assert p16.code.nunique() == 63 and p16.value_million_vnd.notna().sum() == 63
    assert p17.code.nunique() == 63 and p17.value_million_vnd.notna().sum() == 53
    blank = p17[p17.value_million_vnd.isna()]
    assert set(blank.code) == {"01", "31", "26", "27", "48", "79", "75", "74", "77", "92"}
    assert set(blank.status) == {"blank in source"} and set(blank.note) == {transfers.BLANK_NOTE}
    # a blank is never a zero; the zeros are the 2016 cells the MOF table writes as 0
    zeros = t[t.value_million_vnd == 0]
    assert set(zeros.year) == {2016} and set(zeros.code) == {"01", "31", "26", "27", "48", "56", "79", "75", "74",
                                                               "77", "92"}
    assert set(zeros.note) == {transfers.ZERO_NOTE}
    assert set(p16.status) == {"plan, provisional allocation"} and set(p17[p17.value_million_vnd.notna()].status) == {"plan"}
    assert set(t.scope) == {transfers.SCOPE} and set(t.publisher) == {"Ministry of Finance (MOF)"}
    assert len(t[(t.year == 2016) & (t.level == "region")]) == 6 and len(t[t.level == "national"]) == 2


def test_known_values_and_names():
    t = ntm.load_central_transfers()
    hg = t[(t.code == "02")].set_index("year")
    assert hg.loc[2017, "value_million_vnd"] == 649906.0
    assert hg.loc[2017, "value_bn_vnd"] == pytest.approx(649.906)
    assert hg.loc[2016, "value_million_vnd"] == 469636.0
    assert hg.loc[2016, "name"] == "Hà Giang"
    assert "QĐ 2643/QĐ-BTC" in hg.loc[2016, "source"] and "QĐ 2664/QĐ-BTC" in hg.loc[2017, "source"]
    assert hg.loc[2017, "intermediary"].startswith("github.com/mdtrinh/vietnamdata@5e8d4e7")
    # the row named really holds the figure
    with open(paths.raw_dir() / hg.loc[2017, "source_file"], encoding="utf-8") as fh:
        raw = list(csv.reader(fh))[int(hg.loc[2017, "source_row"]) - 1]
    assert raw[1] == "02" and raw[2] == "2017" and float(raw[4]) == 649906.0


def test_provinces_against_total_and_regions_as_published():
    t = ntm.load_central_transfers()
    for year, expected_total, expected_sum in ((2016, 9057109.0, 9057110.0), (2017, 14363126.0, 14363126.0)):
        sub = t[t.year == year]
        total = sub[sub.level == "national"].value_million_vnd.item()
        provinces = sub[sub.level == "province"].value_million_vnd.sum()
        assert total == expected_total and provinces == expected_sum
        # each MOF region row equals its GSO region's provinces
        reg = {p.code: p.region for p in ntm.provinces()}
        by_region = sub[sub.level == "province"].assign(r=lambda d: d.code.map(reg)).groupby("r").value_million_vnd.sum()
        regions = sub[sub.level == "region"].set_index("code").value_million_vnd
        assert (by_region.sort_index() == regions.sort_index()).all()
    note16 = t[(t.year == 2016) & (t.level == "national")].note.item()
    assert "9,057,110" in note16 and "+1" in note16
    assert t[(t.year == 2017) & (t.level == "national")].note.item() == ""


def test_unknown_province_code_names_file_row_column(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(paths.data_dir(), data, ignore=shutil.ignore_patterns(".cache"))
    f = data / "raw" / transfers.TRANSFERS_FILE
    df = pd.read_csv(f, dtype=str, keep_default_na=False)
    df.loc[2, "province_code"] = "99"  # Hà Giang 2016 is row 4 of the file
    df.to_csv(f, index=False)
    with pytest.raises(RawDataError) as err:
        transfers.build_central_transfers(data)
    e = err.value
    assert (e.file, e.row, e.column, e.value) == (transfers.TRANSFERS_FILE, 4, "province_code", "99")
