"""Bounded values reach a model only when told what to do with them (issue 13, item 2): a user's "hơn 20,8" is a
lower bound; panel_fe (every estimator, through prepare.complete_rows) refuses it naming the row, unless
``treat_bounds(data, "drop")`` or ``"as_exact"`` decided, and the result's notes say which.

The user's table holds GSO's poverty rates (data/raw) of six provinces, 2010–2016; one is written "hơn …".
"""
from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

import ntm_analysis as ntm
from ntm_analysis.data.variables import INCOME
from ntm_analysis.models.prepare import BoundedValuesError, treat_bounds

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"
PLACES = {"10": "Lào Cai", "02": "Hà Giang", "67": "Đắk Nông", "01": "Hà Nội", "14": "Sơn La",
          "11": "Điện Biên"}
YEARS = (2010, 2012, 2014, 2016)


def _poverty() -> dict[tuple[str, int], float]:
    with open(RAW / "poverty_rate_by_province_gso.csv", encoding="utf-8-sig", newline="") as fh:
        return {(r["province_code"], int(r["year"])): float(r["poverty_rate_pct"]) for r in csv.DictReader(fh)
                if r["level"] == "province"}


@pytest.fixture(scope="module")
def frame(tmp_path_factory):
    pov = _poverty()
    path = tmp_path_factory.mktemp("bounds") / "ngheo_tinh.csv"
    lines = ["Tỉnh,Năm,Tỷ lệ hộ nghèo (%)"]
    for code, name in PLACES.items():
        for y in YEARS:
            text = f"{pov[(code, y)]:g}".replace(".", ",")
            lines.append(f"{name},{y},\"{'hơn ' if (code, y) == ('02', 2016) else ''}{text}\"")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    full = ntm.load_panel(extra=[path])
    w = ntm.wide(full[full.code.isin(list(PLACES)) & full.year.isin(YEARS)], ["poverty_rate", INCOME])
    w["ln_income"] = np.log(w[INCOME])
    w["code"] = w["code"].astype(str)
    return w


def _fit(data):
    return ntm.panel_fe(data, "poverty_rate", "ln_income", "code", "year")


def test_a_model_refuses_bounded_values_naming_the_rows(frame):
    assert (frame["poverty_rate__qualifier"] == "lower_bound").sum() == 1
    with pytest.raises(BoundedValuesError) as err:
        _fit(frame)
    msg = str(err.value)
    assert "1 value(s) are bounds" in msg and "(code 02, name Hà Giang, year 2016) poverty_rate: lower_bound" in msg
    assert "bounds='drop'" in msg and "bounds='as_exact'" in msg
    assert err.value.rows[0][2:] == ("poverty_rate", "lower_bound")


def test_drop_leaves_the_row_out_and_says_so(frame):
    fit = _fit(treat_bounds(frame, "drop"))
    assert fit.nobs == len(frame) - 1 == 23
    note = next(n for n in fit.notes if "bounds='drop'" in n)
    assert note.startswith("left out 1 rows whose poverty_rate are lower bounds") and "Hà Giang, year 2016" in note
    exact = frame[frame["poverty_rate__qualifier"] == "exact"].drop(columns="poverty_rate__qualifier")
    assert fit.params["ln_income"] == pytest.approx(_fit(exact).params["ln_income"], rel=1e-12)


def test_as_exact_uses_the_number_and_says_so(frame):
    fit = _fit(treat_bounds(frame, "as_exact"))
    assert fit.nobs == 24
    assert any(n.startswith("used 1 lower bounds of poverty_rate as if exact (bounds='as_exact')") for n in fit.notes)
    plain = frame.drop(columns="poverty_rate__qualifier")
    assert fit.params["ln_income"] == pytest.approx(_fit(plain).params["ln_income"], rel=1e-12)
    with pytest.raises(ValueError, match="bounds must be one of drop, as_exact"):
        treat_bounds(frame, "ignore")
