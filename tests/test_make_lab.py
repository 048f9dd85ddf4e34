"""`make lab` starts Jupyter as root too (issue 13): the recipe adds --allow-root only when `id -u` is 0.

The recipe is checked with `make -n lab` (print, do not run) under a fake `id` first on PATH."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _lab_recipe(tmp_path: Path, uid: int) -> str:
    fake = tmp_path / f"bin{uid}"
    fake.mkdir()
    (fake / "id").write_text(f"#!/bin/sh\necho {uid}\n")
    (fake / "id").chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    env["PATH"] = f"{fake}{os.pathsep}{env['PATH']}"
    out = subprocess.run(["make", "-n", "lab"], cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout
    [line] = [ln for ln in out.splitlines() if "jupyter lab" in ln]
    return line


@pytest.mark.parametrize(("uid", "flag"), [(0, True), (1000, False)])
def test_make_lab_allows_root_only_for_root(tmp_path, uid, flag):
    line = _lab_recipe(tmp_path, uid)
    assert line.split()[:3] == [".venv/bin/jupyter", "lab", "notebooks/"]
    assert ("--allow-root" in line.split()) is flag, line
