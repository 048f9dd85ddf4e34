"""What a render worker holds in memory before its first job: the fork server's preload (issue 15)."""
import json
import subprocess
import sys
import textwrap

import pytest

from ntm_analysis.render import worker_imports


def _fresh(code: str) -> dict:
    """Run ``code`` in a fresh interpreter (as the fork server starts) and return the JSON it prints last."""
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_a_worker_has_papermill_openpyxl_and_a_compiled_exporter_but_no_pyarrow_numpy_or_pandas():
    out = _fresh("""
        import json, sys
        import ntm_analysis.render.worker_imports
        from ntm_analysis.render.execute import _exporter
        loaded = {m: m in sys.modules for m in ("papermill", "nbconvert", "nbclient", "pyarrow", "numpy", "pandas",
                                                "matplotlib", "statsmodels", "openpyxl", "PIL")}
        exporters = _exporter.cache_info().currsize
        with open("/proc/self/status") as fh:
            rss = next(int(l.split()[1]) / 1024 for l in fh if l.startswith("VmRSS:"))
        import pyarrow  # the block lasted only while papermill was imported
        print(json.dumps({"loaded": loaded, "exporters": exporters, "rss": rss, "pyarrow_later": pyarrow.__name__}))
    """)
    assert out["loaded"] == {"papermill": True, "nbconvert": True, "nbclient": True, "pyarrow": False,
                             "numpy": False, "pandas": False, "matplotlib": False, "statsmodels": False,
                             "openpyxl": True, "PIL": False}
    assert out["exporters"] == 1  # built and its template compiled once, inherited by every forked worker
    assert out["pyarrow_later"] == "pyarrow"
    assert out["rss"] < 110  # MB (about 90 measured; 126 when papermill pulled in pyarrow and numpy)


def test_a_lean_worker_writes_the_downloads_without_numpy(tmp_path):
    """A report's workbook and CSV files written in a worker process as the fork server leaves it: the same
    bytes as in a process that has numpy, and numpy never imported."""
    from ntm_analysis.report import downloads

    records = [{"id": "t", "title": "Thu nhập", "csv": "t.csv",
                "columns": [{"id": "year", "header": "Năm", "description": "", "unit": "", "source": ""},
                            {"id": "value", "header": "Giá trị", "description": "", "unit": "", "source": ""}],
                "rows": [[2016, 3.25], [2018, None], [2020, 1234567.5]]}]
    out = _fresh(f"""
        import json, sys
        import ntm_analysis.render.worker_imports
        from ntm_analysis.report import downloads
        paths = downloads.write_downloads({records!r}, "x", {str(tmp_path)!r})
        print(json.dumps({{"numpy": "numpy" in sys.modules, "paths": [str(p) for p in paths]}}))
    """)
    assert out["numpy"] is False
    import io

    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO((tmp_path / "x.xlsx").read_bytes()))["Thu nhập"]
    assert [[c.value for c in r] for r in ws.iter_rows()] == [["Năm", "Giá trị"], [2016, 3.25], [2018, None],
                                                                [2020, 1234567.5]]
    assert (tmp_path / "x" / "t.csv").read_bytes() == downloads.csv_bytes(records[0])


def test_import_without_refuses_only_the_named_packages_and_only_while_importing(monkeypatch):
    for name in [m for m in sys.modules if m == "json.tool" or m.startswith("json.tool.")]:
        monkeypatch.delitem(sys.modules, name)
    before = list(sys.meta_path)
    with pytest.raises(ImportError, match="not imported by a render worker"):
        worker_imports.import_without("json.tool", ("json.tool",))
    assert sys.meta_path == before  # the finder is gone after a failure too
    assert worker_imports.import_without("json.tool", ("pyarrow",)).__name__ == "json.tool"
    assert sys.meta_path == before
