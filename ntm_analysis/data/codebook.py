"""The codebook (``data/codebook.yml``): title, unit, measure, publisher, caveats and coverage of every variable."""
from __future__ import annotations

import os

import yaml

from ntm_analysis import paths
from ntm_analysis.data import cache

DATASETS = ("panel", "ntm_reports", "datapoints", "ntm_national", "seed_facts", "central_transfers", "ntm_allocation",
            "ntm_communes_national")


def _load(data_dir: str | os.PathLike | None) -> dict:
    with open(paths.data_dir(data_dir) / "codebook.yml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def codebook(data_dir: str | os.PathLike | None = None) -> dict:
    """The whole codebook as a dict: ``{"datasets": {...}, "variables": {dataset: {variable: {...}}}}`` (read again
    whenever ``codebook.yml`` changes). Shared between callers: do not modify it."""
    return cache.memo("codebook", ["codebook.yml"], lambda: _load(data_dir), data_dir)


def describe(variable: str, dataset: str = "panel", data_dir: str | os.PathLike | None = None) -> dict:
    """The codebook entry of one variable; raises KeyError listing the documented names when unknown."""
    entries = codebook(data_dir)["variables"].get(dataset)
    if entries is None:
        raise KeyError(f"unknown dataset {dataset!r}; one of: {', '.join(DATASETS)}")
    if variable not in entries:
        raise KeyError(f"{variable!r} is not documented in data/codebook.yml under {dataset!r}; documented: "
                       + ", ".join(sorted(entries)))
    return entries[variable]


def label(variable: str, dataset: str = "panel", data_dir: str | os.PathLike | None = None) -> str:
    """"Title (unit)", for axis labels and table headers."""
    e = describe(variable, dataset, data_dir)
    return f"{e['title']} ({e['unit']})"
