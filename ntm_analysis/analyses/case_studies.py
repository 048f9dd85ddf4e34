"""The seed articles' case studies (Lào Cai: Mường Khương, Gia Phú, Y Tý; Đắk Nông: Đắk Ha, Tâm Thắng).

What ``notebooks/case_studies.ipynb`` computes: each claim recomputed from ``data/`` beside the article's own
words (:func:`ntm_analysis.indicators.seed_claims`), and the provinces' published statistics for context.
The page's tables and figures as a reader sees them: :mod:`ntm_analysis.report.case_study_page`.
"""
from __future__ import annotations

import os

import pandas as pd

from ntm_analysis.data import geo
from ntm_analysis.data.ntm_provincial import load_ntm_reports, load_seed_facts
from ntm_analysis.data.panel import load_panel
from ntm_analysis.indicators import seed_claims
from ntm_analysis.data.variables import INCOME, POVERTY_LINE, POVERTY_MULTI


def claims_table(data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Each claim: the article's words beside the value recomputed from data/ and what it means."""
    c = seed_claims(load_seed_facts(data_dir))
    return c[["claim", "article_wording", "recomputed_value", "unit", "consistent_with_article", "explanation",
              "ambiguity_note"]]


def province_context(province: object, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """The province's published income and poverty beside the nation's, by year (GSO; measure and status kept)."""
    p = geo.lookup_province(province, 2008)
    panel = load_panel(level="all", variables=[INCOME, POVERTY_LINE,
                                               POVERTY_MULTI], data_dir=data_dir)
    sel = panel[panel["code"].isin([p.code, "VN"])].copy()
    sel["place"] = sel["name"].astype(str)
    return (sel[["place", "variable", "year", "value", "unit", "measure", "status"]]
            .sort_values(["variable", "place", "year"]).reset_index(drop=True))


def province_resources(province: object, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """What the province itself reported about NTM resources and communes (periods kept apart)."""
    df = load_ntm_reports(province=province, data_dir=data_dir)
    return df[["indicator", "period_label", "value", "unit", "value_reported", "unit_reported", "qualifier",
               "confidence", "source_url"]]
