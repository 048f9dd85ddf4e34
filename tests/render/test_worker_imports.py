"""What a render worker holds in memory before its first job: the fork server's preload (issue 15)."""
import json
import subprocess
import sys
import textwrap
from pathlib import Path

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


def test_a_lean_worker_runs_after_run_and_writes_the_downloads_without_pandas_or_numpy(tmp_path):
    """What a worker does after a report's cells ran, in a process as the fork server leaves it: the job arrives
    pickled, the document's ``after_run`` reads the glued tables from the executed notebook, looks the province up
    (the downloads' names) and writes the workbook and CSV files. The same bytes as in a process that has numpy,
    and pandas, numpy and pyarrow are never imported (a worker with pandas peaked at 185 MB instead of 112)."""
    import pickle

    import nbformat

    from ntm_analysis.glue import payload
    from ntm_analysis.render.jobs import make_job
    from ntm_analysis.report import downloads, publish
    from ntm_analysis.report.params import ReportParams

    records = [{"id": "t", "title": "Thu nhập", "csv": "t.csv",
                "columns": [{"id": "year", "header": "Năm", "description": "", "unit": "", "source": ""},
                            {"id": "value", "header": "Giá trị", "description": "", "unit": "", "source": ""}],
                "rows": [[2016, 3.25], [2018, None], [2020, 1234567.5]]}]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[
        nbformat.v4.new_output("display_data", data=payload(publish.TABLES, records)),
        nbformat.v4.new_output("display_data", data=payload(publish.SUMMARY, {"income": "3,200 (2023)"}))])])
    nbformat.write(nb, tmp_path / "executed.ipynb")
    job = make_job(ReportParams(province="Lào Cai"), output=tmp_path / "out", data_digest="test")
    (tmp_path / "job.pkl").write_bytes(pickle.dumps(job))
    out = _fresh(f"""
        import json, pickle, sys
        import ntm_analysis.render.worker_imports
        import nbformat
        job = pickle.loads(open({str(tmp_path / "job.pkl")!r}, "rb").read())
        nb = nbformat.read({str(tmp_path / "executed.ipynb")!r}, as_version=4)
        summary = job.spec.call("after_run", nb, job)
        print(json.dumps({{"loaded": [m for m in ("numpy", "pandas", "pyarrow") if m in sys.modules],
                          "summary": summary}}))
    """)
    assert out == {"loaded": [], "summary": {"income": "3,200 (2023)"}}
    import io

    from openpyxl import load_workbook

    folder = Path(job.downloads)
    assert sorted(p.name for p in folder.iterdir()) == ["lao-cai", "lao-cai.xlsx"]
    ws = load_workbook(io.BytesIO((folder / "lao-cai.xlsx").read_bytes()))["Thu nhập"]
    assert [[c.value for c in r] for r in ws.iter_rows()] == [["Năm", "Giá trị"], [2016, 3.25], [2018, None],
                                                                [2020, 1234567.5]]
    assert (folder / "lao-cai" / "t.csv").read_bytes() == downloads.csv_bytes(records[0])


def test_import_without_refuses_only_the_named_packages_and_only_while_importing(monkeypatch):
    for name in [m for m in sys.modules if m == "json.tool" or m.startswith("json.tool.")]:
        monkeypatch.delitem(sys.modules, name)
    before = list(sys.meta_path)
    with pytest.raises(ImportError, match="not imported by a render worker"):
        worker_imports.import_without("json.tool", ("json.tool",))
    assert sys.meta_path == before  # the finder is gone after a failure too
    assert worker_imports.import_without("json.tool", ("pyarrow",)).__name__ == "json.tool"
    assert sys.meta_path == before
