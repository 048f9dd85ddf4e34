"""What one province report reads, loaded once from its validated parameters: :class:`ReportContext`."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ntm_analysis.data.variables import INCOME, POPULATION, POVERTY_LINE, POVERTY_MULTI
from ntm_analysis.data import geo
from ntm_analysis.data.boundaries import BOUNDARY_FILES
from ntm_analysis.data.datapoints import NTM_NATIONAL_FILE
from ntm_analysis.data.ntm_provincial import NTM_REPORTS_FILE, load_ntm_reports
from ntm_analysis.data.panel import PANEL_FILES, REGISTRY_FILES, load_panel
from ntm_analysis.data.transfers import TRANSFERS_FILE
from ntm_analysis.indicators import aggregate_to_2025
from ntm_analysis.report.params import ReportParams

#: Data files (relative to the data folder) a report reads: their checksums key the render cache.
DATA_FILES = sorted([f"raw/{f}" for f in PANEL_FILES + REGISTRY_FILES]
                    + [f"raw/{NTM_REPORTS_FILE}", f"raw/{NTM_NATIONAL_FILE}", f"raw/{TRANSFERS_FILE}",
                       "provenance.yml"]
                    + [f"raw/{f}" for f in BOUNDARY_FILES.values()])
#: Base year of income at constant prices.
REAL_BASE_YEAR = 2010
#: The figures of the key-figures and 2025 aggregate tables (population-weighted means; population summed).
FIGURES = (INCOME, POVERTY_LINE, POVERTY_MULTI, POPULATION)
#: Fewer reported NTM rows than this and the report adds the national context.
FEW_NTM_ROWS = 4


@dataclass
class ReportContext:
    """Everything one report reads, loaded once from validated :class:`ReportParams`.

    ``members`` are the 2008 provinces the report covers: the province itself for the 2008 geography, the
    constituents of a 2025 province otherwise. ``panel`` is the tidy panel (all levels) within
    ``year_start``–``year_end``; ``ntm`` the members' own NTM reports. ``aggregate`` holds the 2025 aggregate of a
    merged province, gaps included (``value`` NA with the reason in ``note``). ``user`` holds the members' rows of
    the researcher's own tables (:attr:`ReportParams.user_files`: ``ntm render --with`` and ``<data_dir>/user/``)
    as resource measures of their own (``user:resources_total``, …; rows of
    :func:`ntm_analysis.analyses.resources.resource_measures`), empty when there is none.
    """

    params: ReportParams
    place: geo.Province
    members: list[geo.Province]
    panel: pd.DataFrame
    ntm: pd.DataFrame
    aggregate: pd.DataFrame = field(default_factory=pd.DataFrame)
    user: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Results computed once per report (rows by variable, aggregate records, the model, …).
    _memo: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def load(cls, params: ReportParams) -> "ReportContext":
        params = params.validate()
        place = params.place
        members = geo.constituents(place.code) if place.vintage == 2025 else [place]
        panel = load_panel(level="all", data_dir=params.data_dir)
        panel = panel[panel["year"].between(params.year_start, params.year_end)].reset_index(drop=True)
        codes = [m.code for m in members]
        ntm = load_ntm_reports(data_dir=params.data_dir)
        ntm = ntm[ntm["province_code"].isin(codes)].reset_index(drop=True)
        agg = pd.DataFrame()
        if place.vintage == 2025 and len(members) > 1:
            agg = aggregate_to_2025(panel, variables=list(FIGURES))
            agg = agg[agg["code"] == place.code].reset_index(drop=True)
        return cls(params=params, place=place, members=members, panel=panel, ntm=ntm, aggregate=agg,
                   user=user_rows(params, codes))

    @property
    def lang(self) -> str:
        return self.params.lang

    @property
    def codes(self) -> list[str]:
        return [m.code for m in self.members]

    @property
    def regions(self) -> list[str]:
        return sorted({m.region for m in self.members})

    @property
    def has_aggregate(self) -> bool:
        """True for a 2025 province formed from several 2008 provinces (its figures are aggregates)."""
        return self.place.vintage == 2025 and len(self.members) > 1

    @property
    def needs_national_context(self) -> bool:
        """True when the members reported fewer than :data:`FEW_NTM_ROWS` NTM figures."""
        return len(self.ntm) < FEW_NTM_ROWS

    def series(self, variable: str, level: str = "province", codes: list[str] | None = None) -> pd.DataFrame:
        """Rows of one variable for the members (level "province"), their regions, the nation, or the
        2025 aggregate (level "aggregate": gaps dropped, empty for the 2008 geography)."""
        if level == "aggregate":
            df = self.aggregate
            if not len(df):
                return df
            df = df[(df["variable"] == variable) & df["value"].notna()]
            return df.sort_values("year").reset_index(drop=True)
        df = self.rows_of(variable)
        df = df[df["level"] == level]
        if codes is None:
            codes = self.codes if level == "province" else self.regions if level == "region" else ["VN"]
        df = df[df["code"].isin(codes)]
        return df.sort_values(["code", "year"]).reset_index(drop=True)

    def rows_of(self, variable: str) -> pd.DataFrame:
        """Every panel row of one variable (all levels), selected once per report."""
        key = ("rows", variable)
        if key not in self._memo:
            self._memo[key] = self.panel[self.panel["variable"] == variable]
        return self._memo[key]

    def memo(self, key, compute):
        """``compute()`` once per report under ``key``."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]


def user_rows(params: ReportParams, codes: list[str], files: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The rows of ``codes`` (2008 provinces) in the researcher's own tables of ``params`` as resource measures
    (empty, with the columns, when there is no user table). A table with problems raises
    :class:`ntm_analysis.analyses.user_resources.UserTableError` (its check report)."""
    from ntm_analysis.analyses.resource_measures import COLUMNS, resource_measures  # noqa: PLC0415
    from ntm_analysis.analyses.user_resources import USER_PREFIX  # noqa: PLC0415

    files = params.user_files if files is None else files
    if not files:
        return pd.DataFrame(columns=COLUMNS)
    rm = resource_measures(params.data_dir, extra=list(files))
    return rm[rm["measure"].str.startswith(USER_PREFIX) & rm["code"].isin(codes)].reset_index(drop=True)


def place_label(m: geo.Province) -> str:
    """A constituent's label: "Lào Cai (10)"."""
    return f"{m.name_short} ({m.code})"


def region_name(region: str, lang: str) -> str:
    """A GSO region's name in ``lang`` (Vietnamese names from :data:`ntm_analysis.data.geo.REGIONS`)."""
    return geo.REGIONS.get(region, region) if lang == "vi" else region
