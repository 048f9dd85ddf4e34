"""The worked example of issue 13 (``notebooks/your_own_data.ipynb``) executed once, and its recorded values
(``ntm_analysis.glue``) checked by value: against the library recomputing the same thing here, against the known
truth of the example (the SYNTHETIC figures ``tools/make_example_table.py`` drew), and against the corrected copy
cell by cell (only the printed fixes changed). Also: the example files are what the script writes, and the five
lines of the README's "Use your own data" work as written.

Every figure of the example table is SYNTHETIC (made up by the script, labelled so in the sheet).
"""
import importlib.util
import json
import re
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

import background
import ntm_analysis as ntm
from ntm_analysis.glue import _plain, read_glue

ROOT = Path(__file__).resolve().parents[2]
NB = ROOT / "notebooks" / "your_own_data.ipynb"
EXAMPLE = ROOT / "data" / "examples" / "nguon_luc_ntm_SYNTHETIC.xlsx"
PROVINCE = "20"  # Lạng Sơn: its 2016–2020 total is "hơn 5.200"

_PAPERMILL = ("import json, sys, papermill as pm; pm.execute_notebook(sys.argv[1], sys.argv[2], "
              "parameters=json.loads(sys.argv[3]), kernel_name='python3', progress_bar=False)")


def _script():
    spec = importlib.util.spec_from_file_location("make_example_table", ROOT / "tools" / "make_example_table.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


make = _script()


@background.job("test_the_check_reports_every_problem_and_note", "test_the_fixes_change_only_what_they_print",
                "test_the_corrected_figures_are_the_synthetic_truth",
                "test_panel_measures_and_association_equal_the_library",
                "test_the_rendered_report_shows_the_users_figures")
def example_run(job):
    out = job.tmp / "your_own_data.ipynb"
    params = {"workdir": str(job.tmp / "work"), "province": PROVINCE}
    job.run([sys.executable, "-c", _PAPERMILL, str(NB), str(out), json.dumps(params)], timeout=900)
    return out


@pytest.fixture(scope="module")
def glued():
    return read_glue(example_run.result())


@pytest.fixture(scope="module")
def fixed(glued):
    return ntm.read_table(glued["corrected_file"])


def _same(a, b, rel=1e-9):
    """``a`` (glued) equals ``b`` (computed here) after the same conversion to JSON types; floats to ``rel``."""
    b = _plain(b)
    if isinstance(b, dict):
        assert isinstance(a, dict) and set(a) == set(b), (a, b)
        for k in b:
            _same(a[k], b[k], rel)
    elif isinstance(b, list):
        assert isinstance(a, list) and len(a) == len(b), (a, b)
        for x, y in zip(a, b):
            _same(x, y, rel)
    elif isinstance(b, float):
        assert a == pytest.approx(b, rel=rel, abs=1e-12)
    else:
        assert a == b, (a, b)


# --- the example files -----------------------------------------------------------------------------------------

def test_the_example_files_are_what_the_script_writes_and_say_synthetic(tmp_path):
    make.main(["--out", str(tmp_path)])
    assert (tmp_path / f"{make.STEM}.csv").read_bytes() == EXAMPLE.with_suffix(".csv").read_bytes()
    shipped, fresh = (openpyxl.load_workbook(p)[make.SHEET] for p in (EXAMPLE, tmp_path / f"{make.STEM}.xlsx"))
    cells = lambda ws: [[(c.value, c.number_format) for c in row] for row in ws.iter_rows()]  # noqa: E731
    assert cells(shipped) == cells(fresh)
    assert shipped["A1"].value.startswith("SYNTHETIC — example only")
    rows = list(shipped.iter_rows(min_row=5, max_row=38, values_only=True))
    assert len(rows) == 34 and all("SYNTHETIC — example only" in r[7] for r in rows)  # 32 + duplicate + total
    assert "SYNTHETIC" in (ROOT / "data" / "examples" / "README.md").read_text(encoding="utf-8")


def test_the_csv_twin_reads_to_the_same_figures_as_the_xlsx():
    x, c = ntm.read_table(EXAMPLE), ntm.read_table(EXAMPLE.with_suffix(".csv"))
    key = ["source_row", "source_column"]
    fx, fc = (t.frame.sort_values(key).reset_index(drop=True) for t in (x, c))
    assert fx[key + ["province_code", "year", "variable", "qualifier"]].equals(
        fc[key + ["province_code", "year", "variable", "qualifier"]])
    assert fx.value.tolist() == pytest.approx(fc.value.tolist(), nan_ok=True)
    assert [(p.row, p.column) for p in x.problems] == [(p.row, p.column) for p in c.problems]


# --- the notebook ----------------------------------------------------------------------------------------------

def test_the_check_reports_every_problem_and_note(glued):
    t = ntm.read_table(EXAMPLE)
    check = glued["check"]
    assert check["figures"] == len(t.frame) == 132 and check["clean"] == t.n_clean == 120
    assert check["problems"] == [{"severity": p.severity, "row": p.row, "column": p.column, "value": p.value}
                                 for p in t.problems]
    # Known truth of the sheet: the misspelt province on row 12, the pasted row 24 = 25.
    assert [(p["row"], p["value"]) for p in check["problems"]] == [(12, "Tuyên Quan"), (24, "Phú Thọ"),
                                                                  (25, "Phú Thọ")]
    n_shares = len(make.figures()) + 1  # every data row's share cell is percent-formatted, the duplicate too
    assert check["notes_by_kind"] == {"row above the header": 2, "row-number column": 1,
                                      "percent-formatted cell": n_shares, "lower bound": 1,
                                      "status preliminary": len(make.PRELIMINARY), "total or subtotal row": 1}
    assert len(t.notices) == sum(check["notes_by_kind"].values())
    assert check["header_row"] == 4 and check["footnotes"] == [40] and check["provinces"] == 16


def test_the_fixes_change_only_what_they_print(glued):
    original = openpyxl.load_workbook(EXAMPLE)[make.SHEET]
    corrected = openpyxl.load_workbook(glued["corrected_file"])[make.SHEET]
    changed = {(c.row, c.column): (c.value, corrected.cell(c.row, c.column).value)
               for row in original.iter_rows() for c in row if c.value != corrected.cell(c.row, c.column).value}
    assert changed.pop((12, 2)) == ("Tuyên Quan", "Tuyên Quang")
    assert sorted(changed) == [(25, col) for col in range(1, 9)]  # the pasted row cleared, nothing else
    assert all(after is None and before == original.cell(24, col).value
               for (_, col), (before, after) in changed.items())
    assert corrected.max_row == original.max_row  # rows kept at their numbers
    assert [(f["row"], f["before"], f["after"]) for f in glued["fixes"]] == [
        (12, "Tuyên Quan", "Tuyên Quang"), (25, "same cells as row 24", "(row cleared)")]
    assert Path(glued["corrected_file"]).with_name("fixes.csv").is_file()


def test_the_corrected_figures_are_the_synthetic_truth(glued, fixed):
    assert fixed.ok
    assert glued["corrected_check"] == {"ok": True, "figures": len(fixed.frame), "notes": len(fixed.notices)}
    got = {(r.province_code, int(r.year), r.variable): r for r in fixed.frame.itertuples()}
    columns = {"total": "resources_total", "central": "resources_central_budget", "people": "resources_people"}
    assert len(got) == 4 * len(make.figures()) == 128
    for truth in make.figures():
        key = (truth["province"], truth["year"])
        code = ntm.lookup_province(truth["province"]).code
        for field, variable in columns.items():
            r = got[(code, truth["year"], variable)]
            expected = (Decimal(5200) if field == "total" and key in make.LOWER_BOUND else truth[field])
            assert r.value == float(expected), (key, variable)
            assert r.qualifier == ("lower_bound" if field == "total" and key in make.LOWER_BOUND else "exact")
        share = got[(code, truth["year"], "communes_ntm")]
        assert (share.value, share.unit) == (float(truth["share"] * 100), "%")
        assert (str(share.status) == "preliminary") == (key in make.PRELIMINARY)


def test_panel_measures_and_association_equal_the_library(glued, fixed):
    rows = fixed.to_panel()
    _same(glued["to_panel"], {"rows": len(rows), "measures": sorted(rows.measure.unique()),
                              "variables": rows.groupby("variable").size().to_dict(),
                              "qualifiers": rows.groupby("qualifier").size().to_dict(),
                              "statuses": rows.groupby("status").size().to_dict()})
    assert glued["to_panel"]["qualifiers"] == {"exact": 127, "lower_bound": 1}
    assert glued["to_panel"]["statuses"]["preliminary"] == 4 * len(make.PRELIMINARY)
    shipped, panel = ntm.load_panel(), ntm.load_panel(extra=[fixed])
    lp = glued["load_panel"]
    assert (lp["shipped"], lp["with_extra"], lp["user_rows"]) == (len(shipped), len(panel), len(rows))
    assert lp["with_extra"] == lp["shipped"] + lp["user_rows"]
    user = panel[panel.measure.str.startswith("user table")]
    assert set(user.variable).isdisjoint(shipped.variable)  # kept apart from every shipped series
    measures = ntm.resource_measures(extra=[fixed])
    user_measures = measures[measures.measure.str.startswith("user:")]
    _same(glued["user_measures"], user_measures.groupby("measure").size().to_dict())
    res = ntm.resources_association("user:resources_total", "real_income_growth_2016_2023", (2016, 2020),
                                    extra=[fixed])
    a = glued["association"]
    _same(a["terms"], res.table())
    assert a["n_obs"] == res.n_obs == 15 and a["sample"] == sorted(res.sample.code) and a["reading"] == res.reading()
    assert a["lower_bound_dropped"] == ["Lạng Sơn"]
    assert a["excluded_reasons"] == {"lower bound (dropped)": 1, "not in the user's table": 63 - 16}


def test_the_rendered_report_shows_the_users_figures(glued, fixed):
    rendered = glued["rendered"]
    assert rendered["report"] == "lang-son.html"
    rows = {(r["User's figure"], r["Period"]): r for r in rendered["rows"]}
    assert len(rows) == len(rendered["rows"]) == 8  # 4 variables × 2 phases of Lạng Sơn
    total = rows[("Resources mobilised for NTM (user table)", "2016–2020")]
    assert float(total["Value (user's table)"].replace(",", "")) == 5200.0
    assert total["Qualifier"] == "at least (lower bound)"
    frame = fixed.frame[fixed.frame.province_code == PROVINCE]
    for r in rendered["rows"]:
        m = re.fullmatch(r"user table (.+), sheet 'Biểu 01', row (\d+), column '(.+)'", r["User's file"])
        assert m and m[1] == Path(glued["corrected_file"]).name, r
        [fig] = frame[(frame.source_row == int(m[2])) & (frame.source_column == m[3])].itertuples()
        assert float(r["Value (user's table)"].replace(",", "")) == pytest.approx(fig.value)
        assert "SYNTHETIC" in r["Note"]


# --- the README's five lines -----------------------------------------------------------------------------------

def _readme_lines():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Use your own data\n", 1)[1].split("\n## ", 1)[0]
    python = re.search(r"```python\n(.*?)```", section, re.S)[1]
    shell = re.search(r"```bash\n(.*?)```", section, re.S)[1]
    return [ln for ln in python.splitlines() if ln.strip()], [ln for ln in shell.splitlines() if ln.strip()]


def test_the_readme_five_lines_work_as_written(tmp_path, monkeypatch, render_pool, capsys):
    python, shell = _readme_lines()
    assert len(python) + len(shell) == 5
    # my_table.xlsx: the example with the notebook's two fixes (SYNTHETIC figures)
    book = openpyxl.load_workbook(EXAMPLE)
    ws = book[make.SHEET]
    ws.cell(12, 2).value = "Tuyên Quang"
    for c in ws[25]:
        c.value = None
    book.save(tmp_path / "my_table.xlsx")
    monkeypatch.chdir(tmp_path)
    ns = {"ntm": ntm}
    exec("\n".join(python), ns)  # noqa: S102
    assert "No problems found." in capsys.readouterr().out
    assert len(ns["rows"]) == 128 and len(ns["panel"]) == len(ntm.load_panel()) + 128
    res = ntm.resources_association("user:resources_total", "real_income_growth_2016_2023", (2016, 2020),
                                    extra=[ns["t"]])
    assert res.n_obs == 15

    import shlex

    import ntm_analysis.render.run as run
    from ntm_analysis.cli import main

    real, summaries = run.render, []
    monkeypatch.setattr(run, "render", lambda items, **kw: summaries.append(
        real(items, **{**kw, "executor": render_pool, "progress": False})) or summaries[-1])
    [line] = shell
    argv = shlex.split(line.split("#")[0])
    assert argv[0].endswith("ntm")
    assert main(argv[1:] + ["--output", str(tmp_path / "out")]) == 0
    html = (tmp_path / "out" / "reports" / "lang-son.html").read_text(encoding="utf-8")
    assert "user table my_table.xlsx, sheet &#x27;Biểu 01&#x27;, row 20" in html or \
        "user table my_table.xlsx, sheet 'Biểu 01', row 20" in html
