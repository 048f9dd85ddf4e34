"""Data integrity at load time (issue 16, item 2): every raw file is checked against the SHA-256 its data folder's
provenance.yml records (hashed once per process per file version), and every data CSV is parsed strictly: a
truncated, short or long row, or an unterminated quote, is an error naming the file and line, never fewer rows."""
from __future__ import annotations

import os
import time

import pandas as pd
import pytest

import ntm_analysis as ntm
from ntm_analysis import paths
from ntm_analysis.data import cache, sources
from ntm_analysis.data.panel import INCOME_FILE

UNSEALED = cache.UNSEALED_ENV


def _income(panel: pd.DataFrame, code: str) -> pd.DataFrame:
    rows = panel[(panel["code"] == code) & (panel["variable"] == "income_per_capita_nominal")]
    return rows.sort_values("year")


def _truncate_after(path, marker: str) -> int:
    """Cut the file right after the first occurrence of ``marker`` (mid-row, as a copy that stopped); returns the
    line number of the cut row."""
    text = path.read_text(encoding="utf-8")
    at = text.index(marker) + len(marker)
    path.write_text(text[:at], encoding="utf-8")
    return text[:at].count("\n") + 1


def test_a_truncated_income_file_is_an_error_naming_file_and_line_never_fewer_rows(data_copy):
    intact = ntm.load_panel(data_dir=data_copy)
    assert len(intact) == len(ntm.load_panel())  # the copy as shipped: every row
    lao_cai = _income(intact, "10")
    assert lao_cai["year"].iloc[-1] == 2023 and lao_cai["value"].iloc[-1] == pytest.approx(3200)

    income = data_copy / "raw" / INCOME_FILE
    line = _truncate_after(income, ",Binh Phuoc,2016,prel")
    assert line == 205
    with pytest.raises(sources.CsvFormatError) as err:
        ntm.load_panel(data_dir=data_copy)
    msg = str(err.value)
    assert str(income) in msg and "line 205" in msg and "truncated" in msg
    assert err.value.line == 205


def test_the_shipped_data_is_verified_and_loads(monkeypatch):
    monkeypatch.delenv(UNSEALED, raising=False)
    sums = cache.verify([f"raw/{INCOME_FILE}", "provenance.yml"])
    assert sums[f"raw/{INCOME_FILE}"] == sources.provenance()["files"][INCOME_FILE]["sha256"]
    assert len(ntm.load_panel()) > 14_000


@pytest.mark.parametrize("how", ["data_dir", "env"])
def test_an_edited_raw_file_in_a_folder_with_provenance_names_the_file_and_both_checksums(data_copy, monkeypatch, how):
    monkeypatch.delenv(UNSEALED, raising=False)
    income = data_copy / "raw" / INCOME_FILE
    recorded = sources.provenance(data_copy)["files"][INCOME_FILE]["sha256"]
    text = income.read_text(encoding="utf-8")
    income.write_text(text.replace(",Lào Cai,2023,", ",Lào Cai,2023,", 1).replace(",3200,", ",3300,", 1),
                      encoding="utf-8")
    found = cache._sha256_bytes(income)
    assert found != recorded
    if how == "env":
        monkeypatch.setenv("NTM_DATA_DIR", str(data_copy))
        kwargs = {}
    else:
        kwargs = {"data_dir": data_copy}
    with pytest.raises(cache.ChecksumMismatch) as err:
        ntm.load_panel(**kwargs)
    assert err.value.file == str(income)
    assert err.value.recorded == recorded and err.value.found == found
    assert recorded in str(err.value) and found in str(err.value) and str(income) in str(err.value)
    # A folder whose provenance.yml records no checksum for the file is parsed strictly but not compared.
    prov = data_copy / "provenance.yml"
    prov.write_text(prov.read_text(encoding="utf-8").replace(f"sha256: {recorded}", "sha256: ''"), encoding="utf-8")
    assert len(ntm.load_panel(**kwargs)) == len(ntm.load_panel(data_dir=paths.data_dir()))


def test_a_folder_without_provenance_is_parsed_strictly_only(data_copy, monkeypatch):
    monkeypatch.delenv(UNSEALED, raising=False)
    (data_copy / "provenance.yml").unlink()
    assert cache.recorded_checksums(data_copy) == {}
    poverty = data_copy / "raw" / "poverty_rate_by_province_gso.csv"
    lines = poverty.read_text(encoding="utf-8").splitlines(keepends=True)
    poverty.write_text("".join(lines[:40] + [lines[40].rsplit(",", 2)[0] + "\n"] + lines[41:]), encoding="utf-8")
    with pytest.raises(sources.CsvFormatError) as err:
        sources.read_raw("poverty_rate_by_province_gso.csv", data_copy)
    assert err.value.line == 41 and "fields but the header has" in str(err.value)


@pytest.mark.parametrize("text, line, words", [
    ("a,b,c\n1,2,3\n4,5\n", 3, "has 2 fields but the header has 3"),
    ("a,b,c\n1,2,3\n4,5,6,7\n", 3, "has 4 fields but the header has 3"),
    ("a,b,c\n1,2,3\n4,5,6", 3, "ends in the middle of a row"),
    ('a,b,c\n1,"2,3\n4,5,6\n', 2, "malformed CSV"),
    ('a,b,c\n1,"2"x,3\n', 2, "malformed CSV"),
    ("a,b,a\n1,2,3\n", 1, "twice"),
    ("a,b\n\xff\xfe,1\n", 2, "not UTF-8"),
])
def test_malformed_csv_is_an_error_naming_the_line(tmp_path, text, line, words):
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode("latin-1") if "\xff" in text else text.encode("utf-8"))
    with pytest.raises(sources.CsvFormatError) as err:
        sources.read_csv_strict(path)
    assert err.value.line == line and words in str(err.value) and str(path) in str(err.value)


def test_strict_reading_gives_the_same_frame_as_pandas_for_every_shipped_csv():
    for path in sorted(paths.raw_dir().rglob("*.csv")):
        strict = sources.read_csv_strict(path)
        loose = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        loose.insert(0, "_row", range(2, len(loose) + 2))
        pd.testing.assert_frame_equal(strict, loose, check_dtype=False, obj=path.name)


def test_a_file_is_hashed_once_per_version(tmp_path, monkeypatch):
    calls = []
    real = cache._sha256_bytes
    monkeypatch.setattr(cache, "_sha256_bytes", lambda p: calls.append(p) or real(p))
    f = tmp_path / "x.csv"
    f.write_text("a\n1\n", encoding="utf-8")
    os.utime(f, ns=(1_000_000_000, 1_000_000_000))  # long ago: past the racy window
    first = cache.sha256(f)
    assert cache.sha256(f) == first and len(calls) == 1
    time.sleep(0.05)  # past the file system's timestamp granularity
    f.write_text("a\n2\n", encoding="utf-8")  # same size, new content; mtime reset to the old value
    os.utime(f, ns=(1_000_000_000, 1_000_000_000))
    assert cache.sha256(f) != first  # ctime moved: hashed again
    assert len(calls) == 2
    # a file changed just now is hashed on every call (a second edit within the timestamp granularity)
    g = tmp_path / "y.csv"
    g.write_text("a\n1\n", encoding="utf-8")
    cache.sha256(g)
    cache.sha256(g)
    assert len(calls) == 4


def test_data_check_of_a_data_folder_names_each_changed_or_damaged_file(data_copy, monkeypatch, capsys):
    from ntm_analysis.cli import main  # noqa: PLC0415

    monkeypatch.delenv(UNSEALED, raising=False)
    assert main(["data", "check", "--data-dir", str(data_copy)]) == 0
    assert "no problems found" in capsys.readouterr().out
    income = data_copy / "raw" / INCOME_FILE
    _truncate_after(income, ",Binh Phuoc,2016,prel")
    seeds = next((data_copy / "seeds").glob("*.csv"))
    seeds.write_text(seeds.read_text(encoding="utf-8") + "a,b\n", encoding="utf-8")
    assert main(["data", "check", "--data-dir", str(data_copy)]) == 2
    out = capsys.readouterr()
    lines = out.err.splitlines()
    assert "Traceback" not in out.err and len(lines) == 3, out.err
    assert any(str(income) in ln and "has changed since it was recorded" in ln for ln in lines)
    assert any(str(income) in ln and "line 205" in ln and "truncated" in ln for ln in lines)
    assert any(str(seeds) in ln and "fields but the header has" in ln for ln in lines)


def test_render_refuses_a_damaged_data_folder_before_any_kernel_starts(data_copy, tmp_path, monkeypatch, capsys):
    from ntm_analysis.cli import main  # noqa: PLC0415

    monkeypatch.delenv(UNSEALED, raising=False)
    income = data_copy / "raw" / INCOME_FILE
    _truncate_after(income, ",Binh Phuoc,2016,prel")
    out_dir = tmp_path / "out"
    code = main(["render", "--province", "Lào Cai", "--data-dir", str(data_copy), "--output", str(out_dir)])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert "nothing was rendered" in err and "has changed since it was recorded" in err and "line 205" in err
    assert not out_dir.exists() or not any(out_dir.rglob("*.html"))
