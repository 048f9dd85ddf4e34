"""load_panel(extra=[table_or_path, …]) (issue 13, item 2): the shipped panel plus the user's rows, never mixed.

The user tables are written here with GSO's own figures read from data/raw (so a user row and a shipped row of the
same thing carry the same number and could only be told apart by their measure and source); the layout is the
test's own.
"""
from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import pandas as pd
import pytest

import ntm_analysis as ntm
from ntm_analysis.data import cache
from ntm_analysis.data.panel import PANEL_COLUMNS, USER_PANEL_COLUMNS
from ntm_analysis.data.variables import POPULATION, POVERTY_LINE
from ntm_analysis.intake import TableReadError, read_table

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"
POV, POP = "Tỷ lệ hộ nghèo (%)", "Dân số (nghìn người)"


def _gso(name: str, column: str) -> dict[tuple[str, int], float]:
    with open(RAW / name, encoding="utf-8-sig", newline="") as fh:
        return {(r["province_code"], int(r["year"])): float(r[column]) for r in csv.DictReader(fh)
                if r["level"] == "province" and r[column].strip()}


POV_GSO = _gso("poverty_rate_by_province_gso.csv", "poverty_rate_pct")
POP_GSO = _gso("population_by_province_gso_1995_2016.csv", "pop_total")
PLACES = {"10": "Lào Cai", "02": "Hà Giang", "67": "Đắk Nông"}


def _vn(x: float) -> str:
    return f"\"{x:g}\"".replace(".", ",")


def _table(path: Path, years=(2014, 2016), bound: tuple[str, int] | None = None) -> Path:
    lines = [f"Tỉnh/Thành phố,Năm,{POV},{POP}"]
    for code, name in PLACES.items():
        for y in years:
            rate = _vn(POV_GSO[(code, y)])
            if bound == (code, y):
                rate = f"\"hơn {POV_GSO[(code, y)]:g}\"".replace(".", ",")
            lines.append(f"{name},{y},{rate},{_vn(POP_GSO[(code, y)])}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _user(panel: pd.DataFrame) -> pd.DataFrame:
    return panel[panel["measure"].astype(str).str.startswith("user table")]


def test_the_shipped_panel_plus_the_users_rows(tmp_path):
    path = _table(tmp_path / "bao_cao.csv")
    shipped = ntm.load_panel()
    full = ntm.load_panel(extra=[path])
    assert list(full.columns) == USER_PANEL_COLUMNS and list(shipped.columns) == PANEL_COLUMNS
    user = _user(full)
    assert len(full) == len(shipped) + len(user) == len(shipped) + 12
    # the shipped rows are unchanged, each "exact"
    kept = full[~full.index.isin(user.index)]
    pd.testing.assert_frame_equal(kept[PANEL_COLUMNS].astype(str).reset_index(drop=True),
                                  shipped.astype(str).reset_index(drop=True))
    assert set(kept["qualifier"]) == {"exact"}
    # the user's rows: their own source, measure, status; names from the registry
    row = user[(user.variable == "poverty_rate") & (user.code == "67") & (user.year == 2016)].iloc[0]
    assert row["value"] == pytest.approx(POV_GSO[("67", 2016)])
    assert row["name"] == "Đắk Nông" and row["measure"] == "user table: bao_cao.csv"
    assert row["source"] == f"user table bao_cao.csv, row 7, column {POV!r}" and row["source_row"] == 7
    assert row["status"] == "as supplied by the user"
    # a Table works as well as its path
    again = ntm.load_panel(extra=[read_table(path)])
    assert len(_user(again)) == 12


def test_a_user_variable_named_like_a_shipped_one_is_never_mixed_into_it(tmp_path):
    path = _table(tmp_path / "dan_so.csv")
    full = ntm.load_panel(extra=[path])
    # the user's "Dân số" is population_total; it becomes population_total__user_dan_so
    shipped_pop = full[full.variable == POPULATION]
    assert not shipped_pop["measure"].astype(str).str.startswith("user").any()
    assert len(shipped_pop) == len(ntm.load_panel(variables=POPULATION))
    mine = full[full.variable == "population_total__user_dan_so"]
    assert len(mine) == 6 and set(mine.measure) == {"user table: dan_so.csv"}
    # asking for the shipped variable gives the shipped rows only
    only = ntm.load_panel(extra=[path], variables=POPULATION)
    assert len(only) == len(shipped_pop) and not _user(only).size
    # the same number, two variables: a wide view shows both side by side, never one spliced column
    w = ntm.wide(full[full.code == "67"], [POPULATION, "population_total__user_dan_so"]).set_index("year")
    assert w.loc[2014, POPULATION] == w.loc[2014, "population_total__user_dan_so"] == POP_GSO[("67", 2014)]
    assert w.loc[2010, POPULATION] == POP_GSO[("67", 2010)]
    assert pd.isna(w.loc[2010, "population_total__user_dan_so"])


def test_the_users_poverty_rate_named_like_gsos_stays_apart(tmp_path):
    t = read_table(_table(tmp_path / "ngheo.csv"))
    # the user names the column after GSO's series (as a long table could): it still never joins it
    t = dataclasses.replace(t, frame=t.frame.assign(variable=t.frame["variable"].replace(
        {"poverty_rate": POVERTY_LINE})))
    full = ntm.load_panel(extra=[t])
    gso = full[full.variable == POVERTY_LINE]
    assert set(gso["measure"]) == {"gso_income_line_2006_2010", "gso_income_line_2011_2015"}
    mine = full[full.variable == f"{POVERTY_LINE}__user_ngheo"]
    assert len(mine) == 6 and set(mine["measure"]) == {"user table: ngheo.csv"}
    assert "kept apart from the shipped 'poverty_rate_gso_income_line'" in mine["note"].iloc[0]


def test_two_user_tables_with_one_variable_are_kept_apart(tmp_path):
    a, b = _table(tmp_path / "a.csv", years=(2014,)), _table(tmp_path / "b.csv", years=(2016,))
    full = ntm.load_panel(extra=[a, b])
    user = _user(full)
    assert set(user[user.measure == "user table: a.csv"].variable) == {"poverty_rate", "population_total__user_a"}
    assert set(user[user.measure == "user table: b.csv"].variable) == {"poverty_rate__user_b",
                                                                       "population_total__user_b"}
    renamed = user[user.variable == "poverty_rate__user_b"]
    assert renamed["note"].str.contains("kept apart as 'poverty_rate__user_b'").all()


def test_bounds_travel_with_the_rows(tmp_path):
    path = _table(tmp_path / "hon.csv", bound=("02", 2016))
    full = ntm.load_panel(extra=[path])
    user = _user(full)
    bounded = user[user.qualifier != "exact"]
    assert len(bounded) == 1
    r = bounded.iloc[0]
    assert (r["code"], r["year"], r["variable"], r["qualifier"]) == ("02", 2016, "poverty_rate", "lower_bound")
    assert r["value"] == pytest.approx(POV_GSO[("02", 2016)])


def test_a_table_with_problems_is_refused(tmp_path):
    path = tmp_path / "loi.csv"
    path.write_text(f"Tỉnh,Năm,{POV}\nLào Cai,2014,\"25,1\"\nLào Cai,2014,\"25,1\"\n", encoding="utf-8")
    with pytest.raises(TableReadError) as err:
        ntm.load_panel(extra=[path])
    assert str(path) in str(err.value) and "must be fixed" in str(err.value) and "row 3" in str(err.value)


def test_a_2025_table_or_a_foreign_frame_cannot_join(tmp_path):
    path = tmp_path / "t2025.csv"
    path.write_text("Tỉnh,Năm,Số xã đạt chuẩn NTM\nLâm Đồng,2025,100\n", encoding="utf-8")
    with pytest.raises(ValueError, match="2025 geography cannot join the panel"):
        ntm.load_panel(extra=[read_table(path, vintage=2025)])
    with pytest.raises(ValueError, match="Table.to_panel"):
        ntm.load_panel(extra=[ntm.load_panel(variables=POPULATION)])
    with pytest.raises(FileNotFoundError, match="no_such.xlsx"):
        ntm.load_panel(extra=[tmp_path / "no_such.xlsx"])


def test_user_rows_are_cached_by_the_files_checksum(tmp_path):
    path = _table(tmp_path / "cache_me.csv")
    builds = lambda: sum(n for k, n in cache.builds.items() if k.startswith("user_rows_"))  # noqa: E731
    ntm.load_panel()
    panel_builds, before = cache.builds["panel"], builds()
    first = ntm.load_panel(extra=[path])
    assert builds() == before + 1
    ntm.load_panel(extra=[path])
    assert builds() == before + 1  # unchanged file: not read again
    # one cell edited: read again, the new figure is there; the shipped panel was never rebuilt
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(_vn(POP_GSO[("10", 2014)]), "\"700,5\"", 1), encoding="utf-8")
    second = ntm.load_panel(extra=[path])
    assert builds() == before + 2
    pick = lambda f: f[(f.variable == "population_total__user_cache_me") & (f.code == "10") & (f.year == 2014)]  # noqa: E731
    assert pick(first)["value"].item() == POP_GSO[("10", 2014)] and pick(second)["value"].item() == 700.5
    assert cache.builds["panel"] == panel_builds
