"""``ntm render --with my_table.csv`` and a data folder's ``user/``: the researcher's own figures in every province
report, marked as the user's; digests that cover the user's rows; a table with problems stops the render first
(issue 13, item 4).

The figures of the tables written here are SYNTHETIC (made up for the test, labelled so in the note column).
"""
import json
import re
import shutil

import pytest
from bs4 import BeautifulSoup

from ntm_analysis.cli import main
from ntm_analysis.render.site import load as load_site
from ntm_analysis.report.inputs import input_digests
from ntm_analysis.report.params import ParameterError, ReportParams
from ntm_analysis.report.spec import DOCUMENT, document

HEADER = "STT;Tỉnh;Năm;Tổng nguồn lực huy động (tỷ đồng);Nhân dân đóng góp (tỷ đồng);Ghi chú\n"
LAO_CAI_ROW = "1;Lào Cai;2020;{total};hơn 600;giai đoạn 2016–2020, SYNTHETIC\n"
HA_GIANG_ROW = "2;Hà Giang;2020;2.500;80;giai đoạn 2016–2020, SYNTHETIC\n"


def _table(path, total="12.345"):
    path.write_text(HEADER + LAO_CAI_ROW.format(total=total) + HA_GIANG_ROW, encoding="utf-8")
    return path


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _user_table(html: str):
    """The report's table of the user's rows (None when there is none): a list of {header: cell text}."""
    soup = BeautifulSoup(html, "html.parser")
    t = soup.find("table", id=re.compile(r"ntm_user$"))
    if t is None:
        return None
    heads = [th.get_text(" ", strip=True) for th in t.find("thead").find_all("th")]
    return [dict(zip(heads, (td.get_text(" ", strip=True) for td in tr.find_all("td"))))
            for tr in t.find("tbody").find_all("tr")]


@pytest.fixture
def pooled_render(monkeypatch, render_pool):
    """``ntm render`` on the session's warm pool; the summaries of each call, in order."""
    import ntm_analysis.render.run as run

    real, summaries = run.render, []

    def on_pool(items, **kw):
        summaries.append(real(items, **{**kw, "executor": render_pool, "progress": False}))
        return summaries[-1]

    monkeypatch.setattr(run, "render", on_pool)
    return summaries


def test_render_with_shows_the_users_figures_and_re_renders_exactly_the_reports_that_read_them(tmp_path,
                                                                                                pooled_render):
    table, out = _table(tmp_path / "nguon_luc.csv"), tmp_path / "out"
    argv = ["render", "--province", "Lào Cai", "--province", "Hà Giang", "--province", "Đắk Nông",
            "--with", str(table), "--output", str(out)]
    assert main(argv) == 0
    assert sorted(r.key for r in pooled_render[-1].rendered) == ["2008/02", "2008/10", "2008/67"]

    rows = _user_table((out / "reports" / "lao-cai.html").read_text(encoding="utf-8"))
    total = next(r for r in rows if r["User's figure"] == "Resources mobilised for NTM (user table)")
    assert _number(total["Value (user's table)"]) == pytest.approx(12345.0)
    assert total["User's file"] == "user table nguon_luc.csv, row 2, column 'Tổng nguồn lực huy động (tỷ đồng)'"
    assert total["Period"] == "2016–2020" and total["Status"] == "as supplied by the user"
    people = next(r for r in rows if r["User's figure"] == "People's contributions to NTM (user table)")
    assert _number(people["Value (user's table)"]) == pytest.approx(600.0)
    assert people["Qualifier"] == "at least (lower bound)"
    hg = _user_table((out / "reports" / "ha-giang.html").read_text(encoding="utf-8"))
    assert [_number(r["Value (user's table)"]) for r in hg] == pytest.approx([80.0, 2500.0])
    dak_nong = (out / "reports" / "dak-nong.html").read_text(encoding="utf-8")
    assert not _user_table(dak_nong)  # not in the table: no row, and a sentence says so
    assert "has no figure of this province" in BeautifulSoup(dak_nong, "html.parser").get_text(" ")
    # the downloads carry the user's rows too, with the file and row
    csv = (out / "downloads" / "lao-cai" / "ntm_user.csv").read_text(encoding="utf-8-sig")
    assert "nguon_luc.csv" in csv and "12345" in csv

    # nothing changed: nothing re-rendered
    assert main(argv) == 0
    assert pooled_render[-1].rendered == [] and len(pooled_render[-1].skipped) == 3
    # one cell of Lào Cai's row changed: exactly Lào Cai's report re-renders
    _table(table, total="12.346")
    assert main(argv) == 0
    assert [r.key for r in pooled_render[-1].rendered] == ["2008/10"]
    assert sorted(j.key for j in pooled_render[-1].skipped) == ["2008/02", "2008/67"]
    rows = _user_table((out / "reports" / "lao-cai.html").read_text(encoding="utf-8"))
    total = next(r for r in rows if r["User's figure"] == "Resources mobilised for NTM (user table)")
    assert _number(total["Value (user's table)"]) == pytest.approx(12346.0)
    entry = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["entries"]["2008/10"]
    assert entry["inputs"]["parameters"]["user_tables"] == [str(table)]
    assert str(table) in entry["inputs"]["data"]


def test_a_user_table_with_problems_stops_before_any_render(tmp_path, monkeypatch, capsys):
    import ntm_analysis.render.run as run

    def no_render(*a, **k):
        raise AssertionError("render started although a user table has problems")

    monkeypatch.setattr(run, "render", no_render)
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + LAO_CAI_ROW.format(total="12.345") + "2;Hà Giag;2020;abc;80;SYNTHETIC\n",
                   encoding="utf-8")
    out = tmp_path / "out"
    code = main(["render", "--province", "Lào Cai", "--with", str(bad), "--output", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert "nothing was rendered" in err and "bad.csv, row 3" in err and "'abc'" in err and "Hà Giag" in err
    assert not out.exists()
    assert main(["render", "--province", "Lào Cai", "--with", str(tmp_path / "none.csv"), "--output", str(out)]) == 2
    assert "no such file" in capsys.readouterr().err


def test_data_check_takes_the_same_files(tmp_path, capsys):
    good = _table(tmp_path / "good.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "1;Lào Cai;2020;abc;1;SYNTHETIC\n", encoding="utf-8")
    assert main(["data", "check", str(good)]) == 0
    assert main(["data", "check", str(good), str(bad)]) == 1
    out = capsys.readouterr().out
    assert "good.csv" in out and "bad.csv" in out
    data = tmp_path / "data"
    (data / "user").mkdir(parents=True)
    shutil.copy(good, data / "user" / "good.csv")
    assert main(["data", "check", "--data-dir", str(data)]) == 0
    assert "user/good.csv" in capsys.readouterr().out
    assert main(["data", "check"]) == 2


def test_a_cell_of_a_table_in_the_data_folders_user_folder_changes_exactly_its_provinces_digests(data_copy):
    def digests():
        ps = [ReportParams(province=p, data_dir=str(data_copy)).validate() for p in ("10", "02", "67")]
        return input_digests(ps, str(data_copy))

    before = digests()
    (data_copy / "user").mkdir()
    _table(data_copy / "user" / "nguon_luc.csv")
    with_table = digests()
    # a new table: every report shows it (its rows, or a sentence that it has none of the province)
    assert all(with_table[k] != before[k] for k in before)
    _table(data_copy / "user" / "nguon_luc.csv", total="12.346")
    edited = digests()
    assert edited["2008/10"] != with_table["2008/10"]
    assert edited["2008/02"] == with_table["2008/02"] and edited["2008/67"] == with_table["2008/67"]
    # the engine sees the file: the report's data files and the pages that read the whole data folder list it
    assert "user/nguon_luc.csv" in DOCUMENT["data_files"](str(data_copy))
    overview = next(d for d in load_site(_site_file()) if d.name == "national_overview")
    assert "user/nguon_luc.csv" in overview.data_files(str(data_copy))
    # and so does a render's spec: named for its set of user files, so an edit of one of them is seen
    spec = document((str(data_copy / "user" / "nguon_luc.csv"),))
    assert spec["name"].startswith("province_report+user:")
    assert str(data_copy / "user" / "nguon_luc.csv") in spec["data_files"](str(data_copy))


def _site_file():
    from ntm_analysis.cli import SITE_FILE

    return SITE_FILE


def test_user_tables_parameter_is_typed_and_survives_json(tmp_path):
    table = _table(tmp_path / "t.csv")
    p = ReportParams(province="Lào Cai", user_tables=[str(table)]).validate()
    assert p.user_tables == (str(table),) and p.user_files == (str(table),)
    assert p.variant == "" and p.key == "2008/10"  # the same report, re-rendered with the user's rows
    assert ReportParams.from_dict(json.loads(json.dumps(p.to_notebook_parameters()))) == p
    with pytest.raises(ParameterError, match="user_tables"):
        ReportParams(user_tables=[str(tmp_path / "missing.csv")]).validate()
    with pytest.raises(ParameterError, match="user_tables"):
        ReportParams(user_tables=str(table)).validate()
