"""load_ntm_reports: an indicator name the file does not have raises, naming the closest known indicators
(issue 13: "resources", a typo for "resources_total", returned 0 rows silently)."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

import ntm_analysis as ntm

RAW = Path(__file__).resolve().parents[2] / "data" / "raw" / "ntm_resources_by_province.csv"


def _indicators() -> set[str]:
    with open(RAW, encoding="utf-8-sig", newline="") as fh:
        return {r["indicator"] for r in csv.DictReader(fh)}


@pytest.mark.parametrize(("typo", "first"), [("resources", "resources_total"), ("resources_totl", "resources_total"),
                                             ("comunes_ntm", "communes_ntm"), (["communes_ntm", "povrty_rate"],
                                                                               "poverty_rate")])
def test_unknown_indicator_raises_with_the_closest_names(typo, first):
    with pytest.raises(ValueError) as err:
        ntm.load_ntm_reports(typo)
    msg = str(err.value)
    bad = typo if isinstance(typo, str) else typo[1]
    assert f"unknown indicator {bad!r}" in msg
    closest = msg.split("closest: ")[1].split(" (known")[0].split(", ")
    assert closest[0] == first
    assert set(closest) <= _indicators()
    known = msg.split("(known indicators: ")[1].rstrip(")").split(", ")
    assert set(known) == _indicators()


def test_known_indicators_still_filter():
    rows = ntm.load_ntm_reports("resources_total")
    assert len(rows) > 0 and set(rows.indicator) == {"resources_total"}
    both = ntm.load_ntm_reports(["resources_total", "communes_ntm"])
    assert set(both.indicator) == {"resources_total", "communes_ntm"}
