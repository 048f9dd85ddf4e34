"""The package's shape: no import cycle anywhere, and imports only flow the declared way between layers
(tools/import_graph.py reads every import statement, lazy ones included)."""
import importlib.util
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _tool(root: Path = ROOT):
    spec = importlib.util.spec_from_file_location("import_graph", ROOT / "tools" / "import_graph.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    mod.ROOT = root
    return mod


def test_no_import_cycle_and_no_import_against_the_layers():
    tool = _tool()
    g = tool.graph()
    assert len(g) > 50  # the whole package was read
    assert tool.cycles(g) == []
    assert tool.violations(g) == []


def test_the_render_engine_imports_only_itself_and_the_small_utilities():
    g = _tool().graph()
    imported = {d for m, deps in g.items() if m.startswith("ntm_analysis.render") for d in deps}
    assert {d for d in imported if not d.startswith("ntm_analysis.render")} <= {
        "ntm_analysis", "ntm_analysis.paths", "ntm_analysis.atomic", "ntm_analysis.text"}


def test_the_check_finds_a_planted_cycle_and_an_upward_import(tmp_path):
    shutil.copytree(ROOT / "ntm_analysis", tmp_path / "ntm_analysis", ignore=shutil.ignore_patterns("__pycache__"))
    with open(tmp_path / "ntm_analysis" / "data" / "geo.py", "a", encoding="utf-8") as fh:
        fh.write("\n\ndef _planted():\n    from ntm_analysis.report import context  # noqa\n")
    with open(tmp_path / "ntm_analysis" / "render" / "spec.py", "a", encoding="utf-8") as fh:
        fh.write("\n\ndef _planted():\n    from ntm_analysis.report import spec  # noqa\n")
    tool = _tool(tmp_path)
    g = tool.graph()
    assert any("ntm_analysis.data.geo" in c and "ntm_analysis.report.context" in c for c in tool.cycles(g))
    bad = tool.violations(g)
    assert "ntm_analysis.data.geo -> ntm_analysis.report.context (data may not import report)" in bad
    assert "ntm_analysis.render.spec -> ntm_analysis.report.spec (render may not import report)" in bad
