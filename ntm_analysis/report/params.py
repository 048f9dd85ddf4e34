"""The parameters of a province report: one typed contract for the notebook, the CLI and the outputs.

:class:`ReportParams` is the single place where a report's parameters are
named, typed, documented and checked:

* the notebook ``notebooks/province_report.ipynb`` has a ``parameters`` cell
  whose defaults equal :meth:`ReportParams.defaults` (a test checks it);
* ``ntm render`` builds its options and help from :data:`FIELD_HELP` and
  validates every province with :meth:`ReportParams.validate` before any
  kernel starts;
* every output (executed notebook, HTML report, manifest) carries
  :meth:`ReportParams.metadata`.

>>> p = ReportParams(province="Dak Nong").validate()
>>> p.province, p.to_notebook_parameters()["vintage"]
('67', 2008)
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields, replace

from ntm_analysis.data import geo
from ntm_analysis.data.geo import VINTAGES
from ntm_analysis.data.names import shown
from ntm_analysis.i18n import LANGS

PRICE_BASES = ("nominal", "real")
#: Years a report may cover: the published series run from 1995 (population) to 2025 (NTM reports).
YEAR_MIN, YEAR_MAX = 1995, 2025

#: Help text of every parameter (the CLI's help and the notebook's documentation use it).
FIELD_HELP = {
    "province": "province, any spelling or its GSO code (\"Lào Cai\", \"lao-cai\", \"10\"); stored as the code",
    "vintage": "geography: 2008 (63 provinces, every published series) or 2025 (34 provinces from 1 July 2025)",
    "price_basis": "income at current prices (nominal) or constant prices deflated by the national CPI (real)",
    "year_start": f"first year shown ({YEAR_MIN}–{YEAR_MAX})",
    "year_end": f"last year shown ({YEAR_MIN}–{YEAR_MAX})",
    "data_dir": "data folder with the layout of the shipped data/ (default: $NTM_DATA_DIR or the repository's data/)",
    "lang": "language of the report text: en (default) or vi",
    "show_code": "keep the code cells in the HTML report (hidden by default)",
    "user_tables": ("a researcher's own CSV/XLSX table (resources, communes meeting the standard) shown in the NTM "
                    "and resources sections, marked as the user's; checked first (a table with problems stops "
                    "the render); every readable table in <data_dir>/user/ is used too"),
}


class ParameterError(ValueError):
    """A report parameter is invalid; the message names the parameter, the value and what is expected.

    ``suggestions`` lists close province names when the province was not found.
    """

    def __init__(self, name: str, value: object, expected: str, suggestions: list[str] | None = None):
        self.name, self.value, self.expected = name, value, expected
        self.suggestions = list(suggestions or [])
        msg = f"parameter {name}={shown(value)}: {expected}"
        if self.suggestions:
            msg += ". Did you mean: " + ", ".join(self.suggestions) + "?"
        super().__init__(msg)


@dataclass(frozen=True)
class ReportParams:
    """Parameters of one province report (see :data:`FIELD_HELP`).

    Construct with any province spelling, then call :meth:`validate` to get the
    normalised parameters (province as its code string, e.g. ``"01"``).
    """

    province: str = "10"
    vintage: int = 2008
    price_basis: str = "nominal"
    year_start: int = 2006
    year_end: int = 2023
    data_dir: str | None = None
    lang: str = "en"
    show_code: bool = False
    #: Paths of the researcher's own tables (``ntm render --with``), absolute after :meth:`validate`.
    user_tables: tuple = ()

    def __post_init__(self):
        if isinstance(self.user_tables, list):  # a notebook's or a JSON round trip's list: the same parameters
            object.__setattr__(self, "user_tables", tuple(self.user_tables))

    # -- contract ---------------------------------------------------------------------------------
    @classmethod
    def defaults(cls) -> dict:
        """The default parameters as a JSON-safe dict (the notebook's ``parameters`` cell holds these)."""
        return cls().to_notebook_parameters()

    @classmethod
    def field_names(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    @classmethod
    def from_dict(cls, values: dict) -> "ReportParams":
        """Parameters from a dict (e.g. a notebook's parameters); unknown keys are an error."""
        unknown = sorted(set(values) - set(cls.field_names()))
        if unknown:
            raise ParameterError(unknown[0], values[unknown[0]],
                                 "is not a report parameter; known: " + ", ".join(cls.field_names()))
        return cls(**values)

    def validate(self) -> "ReportParams":
        """Check every parameter and return the normalised parameters.

        Raises :class:`ParameterError` at once (before any kernel starts) naming the
        parameter, its value and what was expected; an unknown province comes with
        the closest names.
        """
        vintage = self.vintage
        if isinstance(vintage, bool) or not isinstance(vintage, (int, str)):
            raise ParameterError("vintage", vintage, "expected 2008 or 2025")
        try:
            vintage = int(vintage)
        except ValueError:
            raise ParameterError("vintage", self.vintage, "expected 2008 or 2025") from None
        if vintage not in VINTAGES:
            raise ParameterError("vintage", self.vintage, "expected 2008 or 2025")
        if isinstance(self.province, bool) or not isinstance(self.province, (str, int)):
            raise ParameterError("province", self.province, "expected a province name or code")
        try:
            province = geo.lookup_province(self.province, vintage)
        except geo.ProvinceNotFound as exc:
            expected = f"no province of the {vintage} geography matches"
            if exc.hint:
                expected += f" ({exc.hint})"
            raise ParameterError("province", self.province, expected, exc.suggestions) from exc
        if self.price_basis not in PRICE_BASES:
            raise ParameterError("price_basis", self.price_basis, "expected " + " or ".join(PRICE_BASES))
        years = {}
        for name in ("year_start", "year_end"):
            value = getattr(self, name)
            if isinstance(value, bool):
                raise ParameterError(name, value, f"expected a year {YEAR_MIN}–{YEAR_MAX}")
            try:
                year = int(value)
            except (TypeError, ValueError):
                raise ParameterError(name, value, f"expected a year {YEAR_MIN}–{YEAR_MAX}") from None
            if year != value and str(year) != str(value).strip() or not YEAR_MIN <= year <= YEAR_MAX:
                raise ParameterError(name, value, f"expected a year {YEAR_MIN}–{YEAR_MAX}")
            years[name] = year
        if years["year_start"] > years["year_end"]:
            raise ParameterError("year_start", self.year_start, f"must not be after year_end={self.year_end}")
        data_dir = self.data_dir
        if data_dir is not None:
            data_dir = os.fspath(data_dir)
            if not isinstance(data_dir, str) or not os.path.isdir(data_dir):
                raise ParameterError("data_dir", self.data_dir, "expected an existing data folder or None")
        if self.lang not in LANGS:
            raise ParameterError("lang", self.lang, "expected " + " or ".join(LANGS))
        if not isinstance(self.show_code, bool):
            raise ParameterError("show_code", self.show_code, "expected true or false")
        tables = self.user_tables
        if isinstance(tables, (str, os.PathLike)) or not isinstance(tables, (list, tuple)):
            raise ParameterError("user_tables", tables, "expected a list of CSV/XLSX file paths")
        user_tables = []
        for t in tables:
            if not isinstance(t, (str, os.PathLike)) or not os.path.isfile(t):
                raise ParameterError("user_tables", t, "expected an existing CSV/XLSX file")
            t = os.path.abspath(os.fspath(t))
            if t not in user_tables:
                user_tables.append(t)
        return replace(self, province=province.code, vintage=vintage, year_start=years["year_start"],
                       year_end=years["year_end"], data_dir=data_dir, user_tables=tuple(user_tables))

    # -- views ------------------------------------------------------------------------------------
    @property
    def user_files(self) -> tuple[str, ...]:
        """Every user table the report reads: :attr:`user_tables`, then each readable table of
        ``<data_dir>/user/`` (:func:`ntm_analysis.analyses.user_resources.user_folder_files`), as absolute paths."""
        from ntm_analysis.analyses.user_resources import user_folder_files  # noqa: PLC0415

        out = [os.path.abspath(os.fspath(t)) for t in self.user_tables]
        out += [str(p.resolve()) for p in user_folder_files(self.data_dir) if str(p.resolve()) not in out]
        return tuple(out)

    @property
    def place(self) -> geo.Province:
        """The :class:`~ntm_analysis.data.geo.Province` these parameters name (validate first)."""
        return geo.lookup_province(self.province, self.vintage)

    @property
    def variant(self) -> str:
        """What sets this report apart from its province's default one, as a short tag ("" for the defaults):
        the language, price basis and year range when they differ, e.g. ``"vi"``, ``"real"``,
        ``"vi-real-2010-2016"``. ``show_code``, ``data_dir`` and ``user_tables`` do not make a new report: they
        re-render it."""
        d = ReportParams()
        parts = []
        if self.lang != d.lang:
            parts.append(str(self.lang))
        if self.price_basis != d.price_basis:
            parts.append(str(self.price_basis))
        if (self.year_start, self.year_end) != (d.year_start, d.year_end):
            parts.append(f"{self.year_start}-{self.year_end}")
        return "-".join(parts)

    @property
    def key(self) -> str:
        """A stable identifier of the report: ``"<vintage>/<code>"``, then ``"/<variant>"`` when not the default."""
        return f"{self.vintage}/{self.province}" + (f"/{self.variant}" if self.variant else "")

    @property
    def stem(self) -> str:
        """File name stem of the report's outputs: the province's slug, then ``".<variant>"`` when not the default
        (``lao-cai``, ``lao-cai.vi``, ``lao-cai.vi-real``). Validate first."""
        return self.place.slug + (f".{self.variant}" if self.variant else "")

    def to_notebook_parameters(self) -> dict:
        """Plain JSON-safe dict of the parameters (what papermill injects into the notebook)."""
        out = asdict(self)
        out["user_tables"] = [os.fspath(t) for t in self.user_tables]
        json.dumps(out)  # raises early if a value is not JSON-safe
        return out

    def fingerprint_json(self) -> str:
        """Canonical JSON of the parameters (sorted keys): part of the render cache key."""
        return json.dumps(self.to_notebook_parameters(), sort_keys=True, ensure_ascii=False)

    def metadata(self) -> dict:
        """What every output of this report records: parameters, the province's names and package version."""
        from ntm_analysis import __version__  # noqa: PLC0415

        p = self.place
        return {
            "parameters": self.to_notebook_parameters(),
            "province_code": p.code, "province_name": p.name, "province_name_short": p.name_short,
            "province_name_en": p.name_en, "slug": p.slug, "region": p.region, "vintage": p.vintage,
            "constituents": list(p.constituents), "package_version": __version__,
            "variant": self.variant, "stem": self.stem,
        }
