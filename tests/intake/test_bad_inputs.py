"""The bad-input corpus (tests/intake/bad_inputs/, SYNTHETIC inputs): every file gives exactly the problems or the
read error declared in tests/intake/bad_inputs/expected.yml, through read_table and through `ntm data check`.
Also: a >50 MB CSV read streamed with bounded memory."""
from __future__ import annotations

import json
import math
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

import background

from ntm_analysis.cli import main as cli_main
from ntm_analysis.intake import TableReadError, read_table

CORPUS = Path(__file__).parent / "bad_inputs"
MANIFEST = yaml.safe_load((CORPUS / "expected.yml").read_text(encoding="utf-8"))
TOOLS = {"make_corpus.py", "expected.yml", "__pycache__"}


def test_manifest_covers_every_file_and_nothing_else():
    files = {p.name for p in CORPUS.iterdir()} - TOOLS
    assert files == set(MANIFEST)
    assert len(files) >= 30


def test_corpus_files_are_what_the_generator_writes(tmp_path):
    sys.path.insert(0, str(CORPUS))
    try:
        import make_corpus  # noqa: PLC0415
    finally:
        sys.path.remove(str(CORPUS))
    import random  # noqa: PLC0415

    for name, data in make_corpus.text_files(random.Random(make_corpus.SEED)).items():
        assert (CORPUS / name).read_bytes() == data, name
    for name in make_corpus.xlsx_files(tmp_path):
        assert (tmp_path / name).read_bytes() == (CORPUS / name).read_bytes(), name


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_bad_input(name, capsys):
    spec = MANIFEST[name]
    path = CORPUS / name
    code = cli_main(["data", "check", str(path)])
    captured = capsys.readouterr()
    assert code == spec["exit"], captured
    if "read_error" in spec:
        with pytest.raises(TableReadError) as err:
            read_table(path)
        assert err.value.path == str(path)
        assert spec["read_error"] in err.value.reason, err.value.reason
        assert str(path) in captured.err and spec["read_error"] in captured.err and captured.out == ""
        return
    t = read_table(path)
    report = captured.out
    assert report == t.report() + "\n"
    if "encoding" in spec:
        assert t.encoding == spec["encoding"]
    # Every expected problem, and no other.
    for exp in spec["problems"]:
        hits = [p for p in t.problems if p.row == exp["row"] and p.column == exp["column"]
                and exp["value"] in p.value and exp["message"] in p.message
                and p.severity == exp.get("severity", "error")]
        assert len(hits) == 1, (exp, "\n".join(map(str, t.problems)))
        p = hits[0]
        assert p.file == str(path) and p.expected
        assert str(p) in report  # file, row, column, quoted value, message and expectation in the report
    assert len(t.problems) == len(spec["problems"]), "\n".join(map(str, t.problems))
    assert t.ok == (spec["exit"] == 0)
    # Clean figures kept, unchanged and unflagged; problem figures kept and flagged (never dropped).
    n_clean, n_all = (int(x) for x in spec["clean"].split(" of "))
    assert (t.n_clean, len(t.frame)) == (n_clean, n_all)
    assert f"{n_clean} of {n_all} figures clean" in report
    f = t.frame
    for fig in spec.get("figures", []):
        rows = f[(f.source_row == fig["row"]) & (f.source_column == fig["column"])]
        assert len(rows) == 1, fig
        r = rows.iloc[0]
        assert not r.problem and r.problem_detail == "" and r.value == fig["value"], (fig, r.to_dict())
        assert r.province_code == fig["province"]
    for fig in spec.get("figures_text", []):
        rows = f[f.source_row == fig["row"]]
        assert len(rows) >= 1 and (rows[fig["column"]] == fig["text"]).all(), (fig, rows[fig["column"]].tolist())
    for problem in t.problems:  # every problem row is kept in the frame and flagged
        if problem.row is not None and problem.row > t.header_row and problem.row in set(f.source_row):
            assert f[f.source_row == problem.row].problem.any()
    if "notes" in spec:
        assert t.notes == [tuple(n) for n in spec["notes"]]
        assert not f.province_input.isin([n[1] for n in spec["notes"]]).any()
    for text in spec.get("report_contains", []):
        assert text in report


def test_nul_offset_is_the_real_byte_offset():
    data = (CORPUS / "nul_byte.csv").read_bytes()
    at = data.index(b"\x00")
    with pytest.raises(TableReadError) as err:
        read_table(CORPUS / "nul_byte.csv")
    line = data[:at].count(b"\n") + 1
    assert f"byte offset {at}, line {line}" in err.value.reason


def test_undecodable_offsets_are_the_real_byte_offsets():
    data = (CORPUS / "enc_undecodable.csv").read_bytes()
    with pytest.raises(TableReadError) as err:
        read_table(CORPUS / "enc_undecodable.csv")
    utf8_at = data.index(b"\xe0")
    cp_at = data.index(b"\x81")
    assert f"byte offset {utf8_at} is" in err.value.reason and f"byte offset {cp_at} is" in err.value.reason


def test_formula_text_is_never_evaluated():
    t = read_table(CORPUS / "xlsx_formulas_and_dates.xlsx")
    note = t.frame[t.frame.source_row == 6].note.iloc[0]
    assert note == '=HYPERLINK("http://example.invalid","x")'  # text kept as written, not a link or a result
    uncached = t.frame[(t.frame.source_row == 5) & (t.frame.variable == "resources_total")].iloc[0]
    assert math.isnan(uncached.value) and uncached.value_input == "=SUM(D3:D4)" and uncached.problem


# ---------------------------------------------------------------------------
# A very large file, streamed
# ---------------------------------------------------------------------------

LARGE_ROWS = 1_000_000
PEAK_BOUND_MB = 900          # peak RSS growth while reading, frame included
OVERHEAD_BOUND_MB = 450      # peak RSS growth beyond the size of the resulting frame

_CHILD = textwrap.dedent("""
    import json, resource, sys
    def rss():
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * 4096
    from ntm_analysis.intake import read_table
    import pandas, pyarrow  # noqa: F401  (imported before the baseline)
    base = rss()
    t = read_table(sys.argv[1])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    f = t.frame
    print(json.dumps({"rows": len(f), "peak_growth_mb": (peak - base) / 1e6,
                      "frame_mb": float(f.memory_usage(deep=True).sum()) / 1e6,
                      "problems": [[p.row, p.column, p.value, p.message] for p in t.errors],
                      "first_row": int(f.source_row.iloc[0]), "last_row": int(f.source_row.iloc[-1]),
                      "flagged_errors": int(f.problem_detail.str.contains("unparseable|ambiguous|footnote").sum()),
                      "value_3": float(f.value.iloc[0]), "value_input_3": f.value_input.iloc[0]}))
""")


_WRITE = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[1])
    from make_corpus import write_large_csv
    info = write_large_csv(Path(sys.argv[2]), int(sys.argv[3]))
    print(json.dumps({**info, "bad": [[row, col, text] for row, (col, text) in info["bad"].items()]}))
""")


@background.job("test_large_csv_is_read_streamed_with_bounded_memory")
def large_csv(job):
    """Writes the large file and reads it in a fresh interpreter (so the peak RSS is this read's alone), in the
    background from the start of the session: the test only waits for what the two processes printed."""
    path = job.tmp / "large.csv"
    info = json.loads(job.run([sys.executable, "-c", _WRITE, str(CORPUS), str(path), str(LARGE_ROWS)]).stdout)
    info["bad"] = {row: (col, text) for row, col, text in info["bad"]}
    res = json.loads(job.run([sys.executable, "-c", _CHILD, str(path)], timeout=300).stdout)
    return path, info, res


@pytest.mark.slow
def test_large_csv_is_read_streamed_with_bounded_memory():
    path, info, res = large_csv.result()
    assert info["rows"] == LARGE_ROWS
    assert info["bytes"] > 50e6 and path.stat().st_size == info["bytes"]
    print(f"large CSV: {LARGE_ROWS} rows, {info['bytes'] / 1e6:.1f} MB; peak RSS growth "
          f"{res['peak_growth_mb']:.0f} MB, frame {res['frame_mb']:.0f} MB")
    assert res["rows"] == LARGE_ROWS  # one figure per data row, none dropped
    assert (res["first_row"], res["last_row"]) == (3, LARGE_ROWS + 2)
    assert res["peak_growth_mb"] < PEAK_BOUND_MB
    assert res["peak_growth_mb"] - res["frame_mb"] < OVERHEAD_BOUND_MB
    # The planted errors are found at their exact rows, and only they are errors.
    found = {(r, c, v) for r, c, v, _ in res["problems"]}
    assert found == {(row, col, text) for row, (col, text) in info["bad"].items()}
    assert res["flagged_errors"] == 3
    first = (path.open(encoding="utf-8").read(200).splitlines()[2]).split(";")[3]
    assert res["value_input_3"] == first
    assert res["value_3"] == float(first.replace(".", "").replace(",", "."))
