"""The site beside the province reports: pages of ``notebooks/site.yml`` rendered by the same engine and listed in
the index above the provinces; the engine's independence of the layers it renders."""
import ast
import shutil
from dataclasses import replace
from pathlib import Path

import nbformat
import pytest

from mini_document import MINI
from ntm_analysis import paths
from ntm_analysis.cli import SITE_FILE, main
from ntm_analysis.render import render, site
from ntm_analysis.render.manifest import Manifest
from ntm_analysis.render.spec import NotebookParams, as_spec, spec_for
from ntm_analysis.report.params import ReportParams
from ntm_analysis.report.spec import DOCUMENT

#: What the engine may import of the project besides itself.
UTILITIES = {"ntm_analysis", "ntm_analysis.paths", "ntm_analysis.atomic", "ntm_analysis.text", "ntm_analysis.glue"}


def _imports(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names if node.module == "ntm_analysis")
    return {m for m in out if m.split(".")[0] == "ntm_analysis"}


def test_the_engine_imports_nothing_of_the_project_but_itself_and_small_utilities():
    folder = paths.PACKAGE_DIR / "render"
    found = {f.name: sorted(m for m in _imports(f) if not m.startswith("ntm_analysis.render") and m not in UTILITIES
                            and m != "ntm_analysis.__version__")
             for f in folder.glob("*.py")}
    assert {k: v for k, v in found.items() if v} == {}
    assert len(found) >= 12  # every module of the engine was read


def test_a_parameter_set_finds_its_document_beside_its_class():
    assert spec_for(ReportParams().validate()) is as_spec(DOCUMENT) and as_spec(DOCUMENT).name == "province_report"
    with pytest.raises(TypeError, match="no document spec for NotebookParams"):
        spec_for(NotebookParams("x"))


def test_the_site_file_lists_the_three_national_notebooks_with_their_own_defaults():
    docs = {d.name: d for d in site.load(SITE_FILE)}
    assert list(docs) == ["national_overview", "case_studies", "method_validation"]
    for d in docs.values():
        assert Path(d.notebook).is_file() and d.parameters == ()  # the notebooks' default parameters
    assert docs["method_validation"].params().to_notebook_parameters() == {}  # reads no data: no data_dir
    assert docs["national_overview"].params("/x").to_notebook_parameters() == {"data_dir": "/x"}
    row = docs["method_validation"].index_row(docs["method_validation"].params())
    assert row["values"]["label"] == "SYNTHETIC" and row["values"]["data"].startswith("SYNTHETIC")
    assert "SYNTHETIC" in row["name"]
    assert row["group"]["order"] < DOCUMENT["index_row"](ReportParams().validate())["group"]["order"]  # national first


def test_a_broken_site_file_names_the_file_the_entry_and_the_key(tmp_path):
    bad = tmp_path / "site.yml"
    bad.write_text("group: {id: g, title: G, columns: [[name, Page]]}\ndocuments:\n  - name: a\n    notebook: a.ipynb\n",
                   encoding="utf-8")
    with pytest.raises(site.SiteFileError, match=r"site\.yml: document 1 \(a\): missing key 'title'"):
        site.load(bad)


def test_the_command_line_checks_what_to_render(capsys):
    assert main(["render", "--output", "/nonexistent/never"]) == 2
    assert "--province NAME, --document NAME or --all" in capsys.readouterr().err
    assert main(["render", "--all", "--province", "10", "--output", "/nonexistent/never"]) == 2
    with pytest.raises(SystemExit):
        main(["render", "--document", "no_such_page"])
    assert "invalid choice: 'no_such_page'" in capsys.readouterr().err


def test_method_validation_renders_as_a_synthetic_page_above_the_provinces(tmp_path, render_pool):
    page = {d.name: d for d in site.load(SITE_FILE)}["method_validation"]
    quick = replace(page, parameters=(("bootstrap", 29), ("n_units", 300)))  # the notebook test's quick sizes
    out = tmp_path / "out"
    items = [(quick.spec, quick.params()), (MINI, ReportParams(province="Lào Cai").validate())]
    summary = render(items, output=out, executor=render_pool, progress=False)
    assert summary.exit_code == 0, [r.error for r in summary.failed]
    html = (out / "pages" / "method_validation.html").read_text(encoding="utf-8")
    assert html.count("SYNTHETIC") >= 4 and "<title>Method validation (SYNTHETIC data)</title>" in html
    nb = nbformat.read(out / "pages" / "notebooks" / "method_validation.ipynb", as_version=4)
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert "n_units = 300" in injected.source and "bootstrap = 29" in injected.source
    index = (out / "index.html").read_text(encoding="utf-8")
    national, provinces = index.index("<h2 id=\"national\">National pages</h2>"), index.index('<h2 id="provinces-2008">')
    assert national < provinces
    row = index[index.index('data-key="site/method_validation"'):]
    row = row[: row.index("</tr>")]
    assert 'href="pages/method_validation.html">Method validation (SYNTHETIC data)</a>' in row
    assert "<td>SYNTHETIC: simulated data with a known truth, no published figure</td>" in row
    entry = Manifest.load(out).entries["site/method_validation"]
    assert entry["document"] == "site:method_validation" and entry["inputs"]["data"] == {}
    again = render(items, output=out, executor=render_pool, progress=False)
    assert not again.rendered and len(again.skipped) == 2


def test_a_page_that_reads_data_rerenders_when_any_data_file_changes(tmp_path, render_pool):
    data = tmp_path / "data"
    shutil.copytree(paths.data_dir(), data, ignore=shutil.ignore_patterns(".cache"))
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("data_dir = None", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("from ntm_analysis import paths\n"
                                  "print('files:', sum(1 for p in paths.data_dir(data_dir).rglob('*.csv')))")])
    nbformat.write(nb, tmp_path / "count.ipynb")
    (tmp_path / "site.yml").write_text(
        "group: {id: pages, title: Pages, order: 0, columns: [[name, Page]]}\n"
        "documents:\n  - {name: count, notebook: count.ipynb, title: Data files, reads_data: true}\n", encoding="utf-8")
    (page,) = site.load(tmp_path / "site.yml")
    out = tmp_path / "out"
    go = lambda: render([(page.spec, page.params(str(data)))], output=out, executor=render_pool,  # noqa: E731
                        progress=False)
    first = go()
    assert first.exit_code == 0, [r.error for r in first.failed]
    n_csv = sum(1 for _ in data.rglob("*.csv"))
    assert f"files: {n_csv}" in (out / "pages" / "notebooks" / "count.ipynb").read_text(encoding="utf-8")
    recorded = Manifest.load(out).entries["site/count"]["inputs"]["data"]
    assert "provenance.yml" in recorded and len(recorded) == sum(1 for p in data.rglob("*") if p.is_file())
    assert go().skipped
    (data / "provenance.yml").write_text((data / "provenance.yml").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert [r.key for r in go().rendered] == ["site/count"]  # whole-file checksums: any change re-renders
