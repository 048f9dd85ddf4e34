"""The one cache of the data layer (ntm_analysis.data.cache): keyed by the files' content and the code that builds
the result; what a warm kernel holds follows edits of provenance.yml and codebook.yml; a module imported from
outside data/ is part of the key."""
import os
import shutil
import subprocess
import sys

import pandas as pd
import pytest
import yaml

import ntm_analysis as ntm
from ntm_analysis import paths
from ntm_analysis.data import cache, sources

INCOME = "income_per_capita_monthly_by_province.csv"




def _set_accessed(data_dir, file, date):
    path = data_dir / "provenance.yml"
    prov = yaml.safe_load(path.read_text(encoding="utf-8"))
    prov["files"][file]["accessed"] = date
    path.write_text(yaml.safe_dump(prov, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_access_dates_follow_an_edited_provenance_file(data_copy):
    """A warm kernel that read provenance.yml once must see a corrected access date (main kept the first one)."""
    assert sources.accessed(INCOME, data_copy) == "2026-11-23"
    before = ntm.load_panel(level="national", data_dir=data_copy)
    assert set(before[before.source_file == INCOME].accessed) == {"2026-11-23"}
    _set_accessed(data_copy, INCOME, "2026-12-02")
    assert sources.accessed(INCOME, data_copy) == "2026-12-02"
    after = ntm.load_panel(level="national", data_dir=data_copy)
    assert set(after[after.source_file == INCOME].accessed) == {"2026-12-02"}
    # the other files' dates are untouched
    other = after[after.source_file != INCOME]
    assert len(other) and "2026-12-02" not in set(other.accessed)


def test_codebook_follows_an_edited_codebook_file(data_copy):
    path = data_copy / "codebook.yml"
    title = ntm.describe("income_per_capita_nominal", data_dir=data_copy)["title"]
    text = path.read_text(encoding="utf-8")
    assert text.count(title) >= 1
    path.write_text(text.replace(title, title + " (edited)", 1), encoding="utf-8")
    assert ntm.describe("income_per_capita_nominal", data_dir=data_copy)["title"] == title + " (edited)"


def test_closure_of_the_panel_builder_lists_the_modules_it_imports():
    mods = dict(cache.module_closure("ntm_analysis.data.panel"))
    for name in ("ntm_analysis.data.panel", "ntm_analysis.data.sources", "ntm_analysis.data.geo",
                 "ntm_analysis.text", "ntm_analysis.paths"):
        assert name in mods, name
    # modules the data layer does not import are not part of its key
    assert not {m for m in mods if m.startswith(("ntm_analysis.report", "ntm_analysis.render",
                                                 "ntm_analysis.models", "ntm_analysis.intake"))}
    assert mods["ntm_analysis.text"] == paths.PACKAGE_DIR / "text.py"


_LOAD = "import sys; from ntm_analysis.data import panel; panel.load_panel(data_dir=sys.argv[1])"


def test_an_edited_module_outside_the_data_folder_rebuilds_the_frame(tmp_path, data_copy):
    """A copy of the package whose panel loader imports a new module ntm_analysis/units.py (outside data/): editing
    that module must give a new cache key, i.e. a new parquet file in a fresh process (the data/ glob of main, and
    the list of file names before it, kept serving the old frame)."""
    src = tmp_path / "src"
    shutil.copytree(paths.PACKAGE_DIR, src / "ntm_analysis", ignore=shutil.ignore_patterns("__pycache__"))
    units = src / "ntm_analysis" / "units.py"
    units.write_text("THOUSAND = 1000\n", encoding="utf-8")
    loader = src / "ntm_analysis" / "data" / "panel.py"
    code = loader.read_text(encoding="utf-8")
    anchor = "from ntm_analysis.text import fold\n"
    assert anchor in code
    loader.write_text(code.replace(anchor, anchor + "from ntm_analysis import units  # noqa: F401\n", 1),
                      encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(src), "NTM_DATA_DIR": str(data_copy)}

    def load() -> set:
        subprocess.run([sys.executable, "-c", _LOAD, str(data_copy)], env=env, cwd=tmp_path, check=True, timeout=120)
        return set((data_copy / ".cache").glob("panel-*.parquet"))

    first = load()
    assert len(first) == 1
    assert load() == first  # nothing changed: the same key, read from disk
    units.write_text("THOUSAND = 1e3\n", encoding="utf-8")
    assert len(load() - first) == 1  # the helper changed: a new key, a rebuilt frame


def test_frame_hands_out_copies_and_rebuilds_when_a_file_changes(data_copy):
    calls = []

    def build():
        calls.append(1)
        return pd.read_csv(data_copy / "raw" / INCOME, dtype=str).head(3)

    files = [f"raw/{INCOME}"]
    a = cache.frame("probe", files, build, data_copy)
    a.iloc[0, 0] = "changed by the caller"
    b = cache.frame("probe", files, build, data_copy)
    assert len(calls) == 1 and b.iloc[0, 0] != "changed by the caller"
    cache.clear()  # a new process: read from the parquet file, not rebuilt
    c = cache.frame("probe", files, build, data_copy)
    assert len(calls) == 1
    pd.testing.assert_frame_equal(b, c)
    with open(data_copy / "raw" / INCOME, "a", encoding="utf-8") as fh:
        fh.write("\n")
    cache.frame("probe", files, build, data_copy)
    assert len(calls) == 2


def test_memo_is_bounded_and_keyed_by_content(data_copy, monkeypatch):
    monkeypatch.setattr(cache, "MAX_MEMOS", 2)
    calls = []

    def build(tag):
        return lambda: calls.append(tag) or {"tag": tag}

    files = ["provenance.yml"]
    assert cache.memo("a", files, build("a"), data_copy) == {"tag": "a"}
    shared = cache.memo("a", files, build("a"), data_copy)
    assert shared is cache.memo("a", files, build("a"), data_copy)  # objects other than frames are shared
    assert cache.memo("a", files, build("a"), data_copy, copy=True) is not shared
    cache.memo("b", files, build("b"), data_copy)
    cache.memo("c", files, build("c"), data_copy)  # "a" is the least recently used of three: dropped
    assert calls == ["a", "b", "c"]
    cache.memo("a", files, build("a"), data_copy)
    assert calls == ["a", "b", "c", "a"]
    cache.memo("c", files, build("c"), data_copy)
    assert calls == ["a", "b", "c", "a"]  # "c" was kept
    frame = cache.memo("f", files, lambda: pd.DataFrame({"x": [1]}), data_copy)
    frame.loc[0, "x"] = 99
    assert cache.memo("f", files, lambda: pd.DataFrame({"x": [1]}), data_copy).loc[0, "x"] == 1


def _direct_imports(module: str) -> set[str]:
    """The package modules ``module`` imports directly (what the cache's code fingerprint follows)."""
    file = cache._module_file(module)
    deps = cache._imports(module, file.read_text(encoding="utf-8"), file.name == "__init__.py")
    return {d for d in deps if d.startswith("ntm_analysis") and cache._module_file(d) is not None} - {module}


def _layer_modules(package: str) -> list[str]:
    folder = paths.PACKAGE_DIR / package.split(".", 1)[1].replace(".", "/")
    return sorted(f"{package}.{p.stem}" for p in folder.glob("*.py") if p.stem != "__init__")


@pytest.mark.parametrize("layer, allowed", [
    ("ntm_analysis.data", ("ntm_analysis.data",)),
    ("ntm_analysis.intake", ("ntm_analysis.intake", "ntm_analysis.data")),
])
def test_layer_imports_nothing_above_it_and_no_cycle(layer, allowed):
    small = {"ntm_analysis", "ntm_analysis.paths", "ntm_analysis.text"}
    graph = {m: _direct_imports(m) for m in _layer_modules(layer)}
    for module, deps in graph.items():
        above = {d for d in deps if d not in small and not d.startswith(tuple(a + "." for a in allowed))
                 and d not in allowed}
        assert not above, f"{module} imports {sorted(above)}"
    # no cycle among the layer's modules (depth-first search)
    state: dict[str, int] = {}

    def visit(m, trail):
        if state.get(m) == 1:
            raise AssertionError("import cycle: " + " -> ".join(trail + [m]))
        if state.get(m) == 2 or m not in graph:
            return
        state[m] = 1
        for d in sorted(graph[m]):
            visit(d, trail + [m])
        state[m] = 2

    for m in graph:
        visit(m, [])
    assert len(graph) >= 8


def test_a_build_function_without_a_module_file_is_keyed_by_its_own_code(data_copy):
    """A function defined in a notebook cell (module ``__main__``, no source file): redefining it with other code
    gives another key, the same code the same key."""
    ns: dict = {}
    exec("def build():\n    return 1\n", {"__name__": "__main__"}, ns)  # noqa: S102
    one = ns["build"]
    exec("def build():\n    return 2\n", {"__name__": "__main__"}, ns)  # noqa: S102
    two = ns["build"]
    files = ["provenance.yml"]
    assert cache.key("nb", files, one, data_copy) == cache.key("nb", files, one, data_copy)
    assert cache.key("nb", files, one, data_copy) != cache.key("nb", files, two, data_copy)
    assert cache.memo("nb", files, one, data_copy) == 1 and cache.memo("nb", files, two, data_copy) == 2
