"""Set-up files stay in step: pyproject.toml and environment.yml list the same packages and minimum versions."""
import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
# conda-forge names where they differ from PyPI's
CONDA_NAMES = {"dask[distributed]": ["dask", "distributed"]}


def _split(req: str) -> tuple[str, str]:
    m = re.match(r"^([A-Za-z0-9_.\-\[\]]+)\s*(.*)$", req.strip())
    return m.group(1).lower(), m.group(2).replace(" ", "")


def _pyproject() -> dict[str, str]:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = list(meta["dependencies"]) + [r for extra in meta["optional-dependencies"].values() for r in extra]
    out = {}
    for r in reqs:
        name, spec = _split(r)
        for n in CONDA_NAMES.get(name, [name]):
            out[n] = spec
    return out


def _environment() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    out = {}
    for dep in env["dependencies"]:
        if isinstance(dep, str):
            name, spec = _split(dep)
            if name not in ("python", "pip"):
                out[name] = spec
    return out


def test_environment_mirrors_pyproject():
    py, conda = _pyproject(), _environment()
    assert set(py) == set(conda), f"only in pyproject: {set(py) - set(conda)}; only in environment.yml: " \
                                  f"{set(conda) - set(py)}"
    assert py == conda


def test_environment_installs_the_project_with_pip():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = [d for d in env["dependencies"] if isinstance(d, dict)][0]["pip"]
    assert "-e ." in pip or "." in pip
    assert env["channels"] == ["conda-forge"]


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme and "make reports" in readme
    make = (ROOT / "Makefile").read_text()
    for target in ("reports:", "test:", "lab:", "bench:"):
        assert target in make
    assert "python3 -m venv" in make or "$(PYTHON) -m venv" in make


def test_console_script_declared():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert meta["scripts"]["ntm"] == "ntm_analysis.cli:main"


def test_papermill_finds_the_warm_kernel_engine_through_its_entry_point():
    from importlib.metadata import entry_points

    found = {ep.name: ep.value for ep in entry_points(group="papermill.engine")}
    assert found.get("ntm_warm") == "ntm_analysis.render.engine:WarmKernelEngine"
    from papermill.engines import PapermillEngines

    fresh = PapermillEngines()  # a registry that has not seen our module register itself
    fresh.register_entry_points()
    from ntm_analysis.render.engine import WarmKernelEngine

    assert fresh.get_engine("ntm_warm") is WarmKernelEngine


def _recipe(make: str, target: str) -> tuple[str, list[str]]:
    """(prerequisites, command lines) of a Makefile target."""
    lines = make.splitlines()
    i = next(k for k, ln in enumerate(lines) if ln.startswith(f"{target}:"))
    commands = []
    for ln in lines[i + 1:]:
        if not ln.startswith("\t"):
            break
        commands.append(ln.strip())
    return lines[i].split(":", 1)[1], commands


def test_make_test_is_one_pytest_session_after_installing_chromium():
    make = (ROOT / "Makefile").read_text()
    prerequisites, commands = _recipe(make, "test")
    assert "chromium" in prerequisites.split()
    assert sum("pytest" in c for c in commands) == 1 and not any("nbval" in c for c in commands)
    _, install = _recipe(make, "chromium")
    assert any("apt-get" in c and "install" in c for c in install)


def test_layer_markers_are_registered_for_every_test_folder():
    import layer_markers  # tests/layer_markers.py

    ini = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    registered = {m.split(":")[0] for m in ini["markers"]}
    folders = {p.name for p in (ROOT / "tests").iterdir() if p.is_dir() and p.name != "__pycache__"
               and any(p.glob("test_*.py"))}
    assert folders <= set(layer_markers.LAYERS) <= registered
    assert "-p layer_markers" in ini["addopts"] and "--strict-markers" in ini["addopts"]


def test_every_collected_test_carries_its_layer_marker(request):
    import layer_markers  # tests/layer_markers.py

    items = request.session.items
    assert any(item.path == Path(__file__) for item in items)
    for item in items:
        layer = layer_markers.layer_of(item.path)
        marks = {m.name for m in item.iter_markers()} & set(layer_markers.LAYERS)
        assert marks == ({layer} if layer else set()), item.nodeid
