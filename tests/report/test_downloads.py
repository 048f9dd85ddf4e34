"""Each report's tables to download: CSV (UTF-8 with BOM) and one XLSX workbook with a notes sheet, linked from the
report and the index, written by the renderer from the tables the notebook recorded. Values are traced back to
data/raw, read here with the csv module (not the library). Reads the session's golden renders (tests/conftest.py)."""
import csv
import io
import math
import re
from pathlib import Path
from urllib.parse import unquote

import openpyxl
import pytest
from bs4 import BeautifulSoup

from ntm_analysis import i18n, paths
from ntm_analysis.glue import read_glue
from ntm_analysis.render.jobs import make_job
from ntm_analysis.report import downloads, publish, tables
from ntm_analysis.report.context import ReportContext
from ntm_analysis.report.params import ReportParams

RAW = paths.raw_dir()
BOM = b"\xef\xbb\xbf"
EN, VI = "lao-cai", "lao-cai-2025.vi"  # golden reports: Lào Cai (2008, English), Lào Cai (2025, Vietnamese)
#: The tables each report downloads, in order (the notes last): written out by hand from what each report has.
EXPECTED = {
    EN: ["key_figures", "income", "population", "poverty", "elasticity", "ranks", "ntm", "resources_province",
         "resources_associations", "seed_claims", "model_estimates", "model_provinces", "notes"],
    VI: ["key_figures", "income", "population", "poverty", "elasticity", "aggregate_2025", "ranks", "ntm",
         "resources_province", "resources_associations", "seed_claims", "model_estimates", "model_provinces",
         "notes"],
}


def _raw(file: str, code: str, year: int, column: str) -> float:
    with open(RAW / file, encoding="utf-8-sig", newline="") as fh:
        hits = [r for r in csv.DictReader(fh) if r["level"] == "province" and r["province_code"] == code
                and r["year"] == str(year)]
    assert len(hits) == 1, (file, code, year)
    return float(hits[0][column])


def _csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_job_knows_its_downloads_folder(tmp_path):
    en = ReportParams(province="Lào Cai").validate()
    vi = ReportParams(province="Lào Cai", vintage=2025, lang="vi").validate()
    assert Path(make_job(en, output=tmp_path).downloads) == tmp_path / "downloads"
    assert Path(make_job(vi, output=tmp_path).downloads) == tmp_path / "2025" / "downloads"


@pytest.mark.parametrize("name", [EN, VI])
def test_the_notebook_records_every_table_it_kept_and_the_files_are_those(golden, name):
    recorded = read_glue(golden.notebook(name))[publish.TABLES]
    assert [t["id"] for t in recorded] == EXPECTED[name]
    folder = golden.downloads(name) / golden.params[name].stem
    assert sorted(f.name for f in folder.glob("*.csv")) == sorted(f"{i}.csv" for i in EXPECTED[name])


@pytest.mark.parametrize("name", [EN, VI])
def test_csv_files_start_with_a_bom_and_round_trip_vietnamese(golden, name):
    params = golden.params[name]
    folder = golden.downloads(name) / params.stem  # "lao-cai", "lao-cai.vi" (the variant: see ReportParams.stem)
    for f in sorted(folder.glob("*.csv")):
        data = f.read_bytes()
        assert data.startswith(BOM) and not data[3:].startswith(BOM)
        data[3:].decode("utf-8")  # strict UTF-8 after the BOM
    place = "Địa phương" if params.lang == "vi" else "Place"
    names = {r[place] for r in _csv(folder / "income.csv")}
    assert "Lào Cai" in names
    if params.vintage == 2025:
        assert {"Yên Bái", "Lào Cai (2025, tổng hợp)", "Trung du và miền núi phía Bắc", "Cả nước"} <= names
        # Excel reads the file as UTF-8 because of the BOM; without it, the bytes of "Yên Bái" are not cp1252 text
        assert "Yên Bái".encode("utf-8") in (folder / "income.csv").read_bytes()


@pytest.mark.parametrize("name", [EN, VI])
def test_workbook_has_one_sheet_per_table_and_notes_with_units_and_sources(golden, name):
    params = golden.params[name]
    folder = golden.downloads(name)
    wb = openpyxl.load_workbook(folder / f"{params.stem}.xlsx", read_only=True)
    ids = EXPECTED[name]
    titles = [i18n.table_title(i, params.lang) for i in ids]
    assert wb.sheetnames == titles and len(set(titles)) == len(titles)
    notes = list(wb[titles[-1]].iter_rows(values_only=True))
    head = notes[0]
    col = {n: head.index(n) for n in head}
    table_h, csv_h, id_h, units_h, src_h = (i18n.column(k, params.lang)[0]
                                            for k in ("table", "csv_file", "column_id", "units", "sources"))
    described = {(r[col[csv_h]], r[col[id_h]]): r for r in notes[1:] if r[col[id_h]]}
    for table_id, title in zip(ids[:-1], titles[:-1]):
        rows = list(wb[title].iter_rows(values_only=True))
        from_csv = list(csv.reader(io.StringIO((folder / params.stem / f"{table_id}.csv").read_text("utf-8-sig"))))
        assert list(rows[0]) == from_csv[0] and len(rows) == len(from_csv)  # same table, same headers
        ids_here = [cid for (f, cid) in described if f == f"{table_id}.csv"]
        assert len(ids_here) == len(rows[0])  # every column is described in the notes
        for cid in ids_here:
            r = described[(f"{table_id}.csv", cid)]
            assert r[col[table_h]] == title
            assert r[col[src_h]], (table_id, cid)  # a source for every column
            if cid == "value" or cid.startswith(("member_", "aggregate")):
                assert r[col[units_h]], (table_id, cid)  # and a unit for every value column
    income_notes = described[("income.csv", "value")]
    assert "data/raw/income_per_capita_monthly_by_province.csv" in income_notes[col[src_h]]
    unit = "nghìn đồng/người/tháng" if params.lang == "vi" else "thousand VND/person/month"
    assert unit in income_notes[col[units_h]]


def test_a_value_in_the_downloads_is_the_figure_in_data_raw(golden):
    raw = _raw("income_per_capita_monthly_by_province.csv", "10", 2014, "income_total")
    assert raw == 1468.0
    rows = _csv(golden.downloads(EN) / "lao-cai" / "income.csv")
    mine = [r for r in rows if r["Code"] == "10" and r["Year"] == "2014"]
    assert len(mine) == 1 and float(mine[0]["Value"]) == raw
    assert mine[0]["Unit"] == "thousand VND/person/month" and mine[0]["Status"] == "final"
    wb = openpyxl.load_workbook(golden.downloads(EN) / "lao-cai.xlsx", read_only=True)
    sheet = list(wb["Income per capita"].iter_rows(values_only=True))
    h = sheet[0]
    cells = [r for r in sheet[1:] if r[h.index("Code")] == "10" and r[h.index("Year")] == 2014]
    assert len(cells) == 1 and cells[0][h.index("Value")] == raw  # a number in Excel, not text


def test_the_2025_aggregate_in_the_downloads_is_the_hand_computation(golden):
    inc = {c: _raw("income_per_capita_monthly_by_province.csv", c, 2014, "income_total") for c in ("10", "15")}
    pop = {c: _raw("population_by_province_gso_1995_2016.csv", c, 2014, "pop_total") for c in ("10", "15")}
    # (1468 × 665.2 + 1386 × 783.5) / (665.2 + 783.5) = 2,062,444.6 / 1,448.7 = 1,423.65
    hand = (inc["10"] * pop["10"] + inc["15"] * pop["15"]) / (pop["10"] + pop["15"])
    assert hand == pytest.approx(1423.65, abs=0.005)
    folder = golden.downloads(VI) / golden.params[VI].stem
    rows = _csv(folder / "income.csv")
    agg = {r["Năm"]: r for r in rows if r["Địa giới"] == "tổng hợp (địa giới 2025)"}
    assert float(agg["2014"]["Giá trị"]) == pytest.approx(hand, rel=1e-12)
    side = _csv(folder / "aggregate_2025.csv")
    row = next(r for r in side if r["Biến"] == "income_per_capita_nominal" and r["Năm"] == "2014")
    assert float(row["Lào Cai (10)"]) == inc["10"] and float(row["Yên Bái (15)"]) == inc["15"]
    assert float(row["Lào Cai (10): dân số (trọng số)"]) == pop["10"]
    assert float(row["Lào Cai 2025 (tổng hợp)"]) == pytest.approx(hand, rel=1e-12)


def test_gaps_are_empty_cells_with_the_reason(golden):
    folder = golden.downloads(VI) / golden.params[VI].stem
    rows = _csv(folder / "income.csv")
    # 2023: no population of 2023 is published; the aggregate is weighted by 2022's, and the note says so
    agg = [r for r in rows if r["Địa giới"] == "tổng hợp (địa giới 2025)" and r["Năm"] == "2023"]
    assert len(agg) == 1 and float(agg[0]["Giá trị"]) == pytest.approx(3176.4339, abs=1e-4)
    assert "gia quyền theo dân số năm 2022" in agg[0]["Ghi chú"] and agg[0]["Tình trạng"] == "sơ bộ"
    assert {r["Năm"] for r in rows if r["Địa phương"] == "Yên Bái"} == {"2010", "2012", "2014", "2016", "2018", "2023"}
    y18 = [r for r in rows if r["Địa phương"] == "Yên Bái" and r["Năm"] == "2018"]
    assert len(y18) == 1 and y18[0]["Tình trạng"] == "đã công bố (bản sao thứ cấp)"
    # a gap: the elasticity across the change of poverty measure (2016–2023) is an empty cell with the reason
    el = [r for r in _csv(folder / "elasticity.csv") if r["Hệ số co giãn"] == ""]
    assert el and all(r["Ghi chú"].startswith("không tính") for r in el)
    wb = openpyxl.load_workbook(golden.downloads(VI) / f"{golden.params[VI].stem}.xlsx", read_only=True)
    sheet = list(wb["Thu nhập bình quân"].iter_rows(values_only=True))
    h = sheet[0]
    cell = [r for r in sheet[1:] if r[h.index("Địa giới")] == "tổng hợp (địa giới 2025)" and r[h.index("Năm")] == 2023]
    assert len(cell) == 1 and cell[0][h.index("Giá trị")] == pytest.approx(3176.4339, abs=1e-4)
    sheet = list(wb["Hệ số co giãn của nghèo"].iter_rows(values_only=True))
    h = sheet[0]
    assert any(r[h.index("Hệ số co giãn")] is None and str(r[h.index("Ghi chú")]).startswith("không tính")
               for r in sheet[1:])
    for r in _csv(golden.downloads(EN) / "lao-cai" / "income.csv"):
        assert r["Value"] == "" or math.isfinite(float(r["Value"]))


def _hrefs(html_path: Path, prefix: str) -> list[str]:
    soup = BeautifulSoup(html_path.read_text(encoding="utf-8"), "html.parser")
    return [a["href"] for a in soup.find_all("a", href=True) if re.match(prefix, a["href"])]


@pytest.mark.parametrize("name", [EN, VI])
def test_report_and_index_link_files_that_exist(golden, name):
    params = golden.params[name]
    base = golden.downloads(name).parent
    stem = params.stem
    report = golden.report(name)
    links = _hrefs(report, r"\.\./downloads/")
    assert f"../downloads/{stem}.xlsx" in links
    assert len([h for h in links if h.endswith(".csv")]) == len(list((base / "downloads" / stem).glob("*.csv")))
    for href in links:
        assert (report.parent / unquote(href)).resolve().is_file(), href
    prefix = "downloads/" if params.vintage == 2008 else "2025/downloads/"
    index = golden.out / ("index.html" if params.lang == "en" else f"index.{params.lang}.html")  # its language's
    index_links = _hrefs(index, re.escape(prefix + stem))
    assert f"{prefix}{stem}.xlsx" in index_links and f"{prefix}{stem}/" in index_links
    for href in index_links:
        assert (golden.out / unquote(href)).exists(), href


def test_write_downloads_is_atomic_and_removes_stale_tables(tmp_path):
    ctx = ReportContext.load(ReportParams(province="Lào Cai").validate())
    records = [tables.key_figures(ctx).record(), tables.ntm(ctx).record()]
    records.append(downloads.notes_record(records, "t", ctx.params.to_notebook_parameters(), ctx.lang))
    folder = tmp_path / "downloads"
    stale = folder / "lao-cai" / "ntm_national.csv"  # a table this report does not have
    stale.parent.mkdir(parents=True)
    stale.write_text("old", encoding="utf-8")
    written = downloads.write_downloads(records, "lao-cai", folder)
    assert folder / "lao-cai.xlsx" in written and not stale.exists()
    assert sorted(p.name for p in (folder / "lao-cai").iterdir()) == ["key_figures.csv", "notes.csv", "ntm.csv"]
    assert sorted(p.name for p in (folder / "lao-cai").iterdir()) == sorted(p.name for p in written
                                                                            if p.suffix == ".csv")
    assert not [p for p in tmp_path.rglob("*") if p.name.startswith(".") or p.name.endswith(".tmp")]


def test_elasticity_model_and_seed_tables_trace_to_the_raw_files(golden):
    folder = golden.downloads(EN) / "lao-cai"
    with open(RAW / "cpi_national_annual_gso.csv", encoding="utf-8-sig", newline="") as fh:
        cpi = {int(r["year"]): float(r["cpi_prev_year_100"]) for r in csv.DictReader(fh)}
    inc = {y: _raw("income_per_capita_monthly_by_province.csv", "10", y, "income_total") for y in (2012, 2014)}
    pov = {y: _raw("poverty_rate_by_province_gso.csv", "10", y, "poverty_rate_pct") for y in (2012, 2014)}
    dli = math.log(inc[2014] / inc[2012]) - math.log(cpi[2013] / 100) - math.log(cpi[2014] / 100)
    rows = {(r["Start year"], r["End year"]): r for r in _csv(folder / "elasticity.csv")}
    r = rows[("2012", "2014")]
    assert float(r["Income, start"]) == inc[2012] and float(r["Poverty rate, end"]) == pov[2014]
    assert float(r["Elasticity"]) == pytest.approx(math.log(pov[2014] / pov[2012]) / dli, rel=1e-12)
    gap = rows[("2016", "2023")]  # a change of poverty measure: an empty cell and the reason, never a number
    assert gap["Elasticity"] == "" and gap["Note"].startswith("not computed: the poverty measure changes")
    model = _csv(folder / "model_provinces.csv")
    assert len(model) == 63 and sum(m["In the model"] == "True" for m in model) == 61
    mine = [m for m in model if m["This report's province"] == "True"]
    assert [m["Code"] for m in mine] == ["10"] and float(mine[0]["Residual"]) > 0
    assert {m["Code"] for m in model if m["In the model"] == "False"} == {"74", "79"}
    with open(paths.data_dir() / "seeds" / "seed_articles_figures.csv", encoding="utf-8-sig", newline="") as fh:
        seed = {r["fact_id"]: r for r in csv.DictReader(fh)}
    quote, v0, v1 = seed["laocai-010"]["quote"], float(seed["laocai-008"]["value"]), float(seed["laocai-009"]["value"])
    claims = _csv(folder / "seed_claims.csv")
    assert [c["The article's words (English machine translation)"] for c in claims] == [quote, quote]
    assert float(claims[0]["Recomputed"]) == pytest.approx((v1 - v0) / 4, rel=1e-12)  # 2021 → 2025, pp/year


def test_the_index_summary_is_the_key_figures_in_the_reports_language(golden):
    s_en = read_glue(golden.notebook(EN))[publish.SUMMARY]
    # data/raw: Lào Cai's 2023 income 3200 (preliminary); the index shows what the notebook recorded
    assert s_en["income"] == "3,200 (2023, preliminary)"
    s_vi = read_glue(golden.notebook(VI))[publish.SUMMARY]
    # the 2025 aggregate's latest income: 2023, weighted by 2022 population (3176.43, no decimals), preliminary
    assert s_vi["income"].startswith("tổng hợp (địa giới 2025): 3.176 (2023, sơ bộ)")
    assert "Lào Cai: 3.200 (2023, sơ bộ)" in s_vi["income"] and "Yên Bái: 3.155 (2023, sơ bộ)" in s_vi["income"]
    index = (golden.out / "index.html").read_text(encoding="utf-8")
    assert "3,200 (2023, preliminary)" in index


def test_after_run_writes_the_downloads_from_the_notebook_without_pandas(golden, tmp_path):
    """The worker's step: the executed notebook's glued tables become the same files, in a process that never
    imports pandas (nothing is recomputed)."""
    import subprocess
    import sys

    code = (
        "import sys, types, nbformat\n"
        "from ntm_analysis.report.publish import after_run\n"
        f"nb = nbformat.read({str(golden.notebook(EN))!r}, as_version=4)\n"
        "job = types.SimpleNamespace(params=types.SimpleNamespace(stem='lao-cai'), downloads=sys.argv[1])\n"
        "summary = after_run(nb, job)\n"
        "assert 'pandas' not in sys.modules, 'pandas imported'\n"
        "print(summary['income'])\n")
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=120,
                          check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "3,200 (2023, preliminary)"
    for f in sorted((golden.downloads(EN) / "lao-cai").glob("*.csv")):
        assert (tmp_path / "lao-cai" / f.name).read_bytes() == f.read_bytes(), f.name
    assert (tmp_path / "lao-cai.xlsx").exists()


def test_after_run_refuses_a_notebook_that_recorded_nothing(tmp_path):
    import types

    nb = {"cells": [{"cell_type": "code", "outputs": []}]}
    job = types.SimpleNamespace(params=types.SimpleNamespace(stem="x"), downloads=str(tmp_path))
    with pytest.raises(ValueError, match="recorded no 'report_tables'"):
        publish.after_run(nb, job)
    assert list(tmp_path.iterdir()) == []
