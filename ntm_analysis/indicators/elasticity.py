"""Poverty–growth elasticity between two survey years: Δ ln poverty / Δ ln real income.

An elasticity of −1.5 means: each 1 % rise of real income per capita went with a 1.5 % fall of
the poverty rate (relative to its own level). It is computed only when both years measure
poverty the same way: across the 2008→2010 change of income poverty line, or between the
income-line rates (to 2016) and the multidimensional rate (2023), :class:`MeasureBreakError` is
raised. Missing or zero inputs raise :class:`ElasticityInputError` saying which.

Income is deflated with the national CPI chain (:func:`~ntm_analysis.indicators.cpi_chain`);
the published CPI ends in 2016, so 2023 cannot be used in real terms.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ntm_analysis.data import geo
from ntm_analysis.data.panel import POVERTY_MEASURES
from ntm_analysis.data.variables import INCOME as INCOME_VARIABLE, POVERTY_VARIABLES
from ntm_analysis.indicators._common import plain, weakest_status
from ntm_analysis.indicators.prices import CPI_VARIABLE, cpi_chain, price_basis_label



class MeasureBreakError(ValueError):
    """The poverty measure differs between the two years: the change is not a change of one thing."""

    def __init__(self, code: str, y0: int, m0: str, y1: int, m1: str):
        self.code, self.y0, self.m0, self.y1, self.m1 = code, y0, m0, y1, m1
        super().__init__(
            f"poverty measure changes between {y0} ({m0}: {POVERTY_MEASURES.get(m0, m0)}) and {y1} ({m1}: "
            f"{POVERTY_MEASURES.get(m1, m1)}) for {code}: an elasticity across a change of measure compares "
            "different things; choose two years measured with the same poverty line")


class ElasticityInputError(ValueError):
    """An input of the elasticity is missing or zero (the message says which)."""


@dataclass(frozen=True)
class ElasticityResult:
    """A poverty–growth elasticity with every input it used.

    ``elasticity`` = ``dln_poverty / dln_income``; incomes are thousand VND/person/month,
    ``income*_real`` in ``price_basis``; ``status`` is the weakest status among the inputs;
    ``inputs`` lists each input value with its source file and row.
    """

    code: str
    name: str
    y0: int
    y1: int
    elasticity: float
    poverty0: float
    poverty1: float
    poverty_measure: str
    income0_nominal: float
    income1_nominal: float
    price_index0: float
    price_index1: float
    income0_real: float
    income1_real: float
    dln_poverty: float
    dln_income: float
    price_basis: str
    status: str
    inputs: pd.DataFrame = field(repr=False, compare=False)

    def to_frame(self) -> pd.DataFrame:
        """One-row tidy frame of the result (without the inputs table)."""
        d = {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "inputs"}
        return pd.DataFrame([d])

    def __str__(self) -> str:
        return (f"Poverty–growth elasticity {self.name} ({self.code}) {self.y0}→{self.y1}: {self.elasticity:.2f} "
                f"(Δln poverty {self.dln_poverty:.3f} / Δln real income {self.dln_income:.3f}; poverty "
                f"{self.poverty0:g} → {self.poverty1:g} %, {self.poverty_measure}; income "
                f"{self.income0_real:.0f} → {self.income1_real:.0f} thousand VND/person/month at "
                f"{self.price_basis}; status {self.status})")


def _rows(panel: pd.DataFrame, codes: list[str] | None, years: tuple[int, int]) -> pd.DataFrame:
    if "variable" not in panel.columns:
        raise ValueError("expected the long panel from ntm.load_panel() (columns variable, value, measure, ...)")
    df = plain(panel)
    df = df[(df["level"] == "province") & df["year"].isin(years)
            & df["variable"].isin((*POVERTY_VARIABLES, INCOME_VARIABLE))]
    if codes is not None:
        df = df[df["code"].isin(codes)]
    return df


def _cpi_input(panel: pd.DataFrame, cpi):
    if cpi is not None:
        return cpi
    has = (panel["variable"].astype(str) == CPI_VARIABLE) & (panel["level"].astype(str) == "national")
    return panel[has] if has.any() else None


def _one(df: pd.DataFrame, code: str, name: str, y0: int, y1: int, chain: pd.Series | None, real: bool,
         base_year: int) -> ElasticityResult:
    """Elasticity for one province's rows (raises on break, missing or zero)."""
    pov = df[df["variable"].isin(POVERTY_VARIABLES)]
    inc = df[df["variable"] == INCOME_VARIABLE]
    pv = {int(y): r for y, r in pov.set_index("year").iterrows()}
    if y0 in pv and y1 in pv and pv[y0]["measure"] != pv[y1]["measure"]:
        raise MeasureBreakError(code, y0, pv[y0]["measure"], y1, pv[y1]["measure"])
    iv = {int(y): r for y, r in inc.set_index("year").iterrows()}
    problems = []
    for y in (y0, y1):
        if y not in pv:
            problems.append(f"poverty rate missing for {y}")
        elif pv[y]["value"] == 0:
            problems.append(f"poverty rate is 0 in {y} (log undefined)")
        if y not in iv:
            problems.append(f"income per capita missing for {y}")
        elif iv[y]["value"] <= 0:
            problems.append(f"income per capita is {iv[y]['value']:g} in {y} (log undefined)")
    if problems:
        raise ElasticityInputError(f"no elasticity for {name} ({code}) {y0}→{y1}: " + "; ".join(problems))
    p0, p1 = float(pv[y0]["value"]), float(pv[y1]["value"])
    n0, n1 = float(iv[y0]["value"]), float(iv[y1]["value"])
    if real:
        i0, i1 = float(chain[y0]), float(chain[y1])
        basis = price_basis_label(base_year)
    else:
        i0 = i1 = 100.0
        basis = "current prices (nominal; not deflated)"
    r0, r1 = n0 / (i0 / 100), n1 / (i1 / 100)
    dlp, dli = math.log(p1) - math.log(p0), math.log(r1) - math.log(r0)
    if dli == 0:
        raise ElasticityInputError(f"no elasticity for {name} ({code}) {y0}→{y1}: real income did not change "
                                   "(Δ ln income = 0)")
    used = pd.concat([pov[pov["year"].isin((y0, y1))], inc[inc["year"].isin((y0, y1))]])
    inputs = used[["variable", "year", "value", "unit", "measure", "status", "source", "source_url", "source_file",
                   "source_row"]].sort_values(["variable", "year"]).reset_index(drop=True)
    return ElasticityResult(code, name, y0, y1, dlp / dli, p0, p1, str(pv[y0]["measure"]), n0, n1, i0, i1, r0, r1,
                            dlp, dli, basis, weakest_status(used["status"]), inputs)


def poverty_growth_elasticity(panel: pd.DataFrame, code: object, y0: int, y1: int, *, real: bool = True,
                              base_year: int = 2010, cpi=None) -> ElasticityResult:
    """Δ ln poverty rate / Δ ln real income per capita of one province between two survey years.

    Parameters
    ----------
    panel : the long panel (``ntm.load_panel()`` or ``level="all"``).
    code : the province, any spelling or code of the 2008 geography.
    y0, y1 : the two survey years (income is published for 2010, 2012, 2014, 2016, 2023).
    real : deflate income with the national CPI chain (default). ``False`` uses nominal income
        and says so in ``price_basis``.
    base_year : base of the CPI chain (the elasticity does not depend on it).
    cpi : CPI input for :func:`cpi_chain`; default the panel's national CPI rows, else the shipped data.

    Raises
    ------
    MeasureBreakError  when the poverty ``measure`` differs between y0 and y1 (e.g. 2008→2010, 2016→2023).
    ElasticityInputError  when poverty or income is missing or zero in either year (naming which).
    CPICoverageError  when a year is outside the CPI chain (2023) and ``real=True``.
    """
    p = geo.lookup_province(code, 2008)
    y0, y1 = int(y0), int(y1)
    if y0 == y1:
        raise ValueError(f"y0 and y1 are both {y0}: an elasticity needs two different years")
    df = _rows(panel, [p.code], (y0, y1))
    chain = None
    if real:
        pov = df[df["variable"].isin(POVERTY_VARIABLES)].set_index("year")["measure"]
        if y0 in pov.index and y1 in pov.index and pov[y0] != pov[y1]:
            raise MeasureBreakError(p.code, y0, pov[y0], y1, pov[y1])
        chain = cpi_chain(_cpi_input(panel, cpi), base_year, [y0, y1])
    return _one(df, p.code, p.name_short, y0, y1, chain, real, base_year)


def poverty_growth_elasticities(panel: pd.DataFrame, y0: int, y1: int, *, real: bool = True, base_year: int = 2010,
                                cpi=None) -> pd.DataFrame:
    """The elasticity of every province of the panel between y0 and y1, one row per province.

    A measure break between the two years raises :class:`MeasureBreakError` (it concerns every
    province). A province with a missing or zero input gets ``elasticity`` NA and a ``note``
    saying which input; nothing is filled. Columns: code, name, region, y0, y1, elasticity,
    poverty0, poverty1, poverty_measure, income0_nominal, income1_nominal, price_index0,
    price_index1, income0_real, income1_real, dln_poverty, dln_income, price_basis, status, note.
    """
    y0, y1 = int(y0), int(y1)
    if y0 == y1:
        raise ValueError(f"y0 and y1 are both {y0}: an elasticity needs two different years")
    df = _rows(panel, None, (y0, y1))
    pov = df[df["variable"].isin(POVERTY_VARIABLES)]
    m0 = set(pov.loc[pov["year"] == y0, "measure"])
    m1 = set(pov.loc[pov["year"] == y1, "measure"])
    if m0 and m1 and m0 != m1:
        raise MeasureBreakError("all provinces", y0, ", ".join(sorted(m0)), y1, ", ".join(sorted(m1)))
    chain = cpi_chain(_cpi_input(panel, cpi), base_year, [y0, y1]) if real else None
    reg = geo.provinces_by_code(2008)
    codes = sorted(set(panel.loc[panel["level"].astype(str) == "province", "code"].astype(str)) & set(reg))
    by_code = dict(tuple(df.groupby("code")))
    empty = df.iloc[:0]
    rows = []
    for code in codes:
        p = reg[code]
        try:
            r = _one(by_code.get(code, empty), code, p.name_short, y0, y1, chain, real, base_year)
            d = r.to_frame().iloc[0].to_dict()
            d["note"] = ""
        except (ElasticityInputError, MeasureBreakError) as exc:
            d = {"code": code, "name": p.name_short, "y0": y0, "y1": y1, "elasticity": np.nan, "note": str(exc)}
        d["region"] = p.region
        rows.append(d)
    cols = ["code", "name", "region", "y0", "y1", "elasticity", "poverty0", "poverty1", "poverty_measure",
            "income0_nominal", "income1_nominal", "price_index0", "price_index1", "income0_real", "income1_real",
            "dln_poverty", "dln_income", "price_basis", "status", "note"]
    return pd.DataFrame(rows).reindex(columns=cols)
