"""A report table built once: :class:`ReportTable` (a tidy frame of numbers and codes with column ids) and what
each column is (:data:`COLUMNS`, read from ``columns.yml``; headers and descriptions from the i18n catalog).

The same object is shown in the report (:mod:`ntm_analysis.report.display`) and written to the downloads
(:meth:`ReportTable.record` → :mod:`ntm_analysis.report.downloads`): numbers stay numbers, codes stay codes until
a renderer labels them in the report's language.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from ntm_analysis import i18n

COLUMNS_FILE = Path(__file__).with_name("columns.yml")
KINDS = ("number", "integer", "year", "text", "code", "unit", "bool", "source", "quote", "url")


@lru_cache(maxsize=1)
def _spec() -> dict:
    with open(COLUMNS_FILE, encoding="utf-8") as fh:
        spec = yaml.safe_load(fh)
    for cid, c in spec["columns"].items():
        if c.get("kind") not in KINDS:
            raise ValueError(f"{COLUMNS_FILE.name}: column {cid!r} has kind {c.get('kind')!r}; expected one of {KINDS}")
        if cid not in i18n.COLUMNS:
            raise ValueError(f"{COLUMNS_FILE.name}: column {cid!r} has no header in ntm_analysis/i18n/catalog.yml "
                             f"(section columns:)")
    return spec


def spec_of(column_id: str) -> dict:
    """What columns.yml says of a column (a prefix entry such as ``member_`` covers ``member_10``); ``{}`` for a
    column it does not know (shown as text)."""
    cols = _spec()["columns"]
    if column_id in cols:
        return cols[column_id]
    for key, c in cols.items():
        if c.get("prefix") and column_id.startswith(key):
            return {**c, "_id": key}
    return {}


def variable_decimals(variable: object) -> int | None:
    return _spec()["variables"].get(str(variable))


def _datasets() -> dict[str, str]:
    """The data a report table may read, by the id columns.yml uses → the file (relative to ``data/``), whose name
    the data layer defines once."""
    from ntm_analysis.data import datapoints, ntm_provincial, panel  # noqa: PLC0415

    return {"income": f"raw/{panel.INCOME_FILE}", "poverty": f"raw/{panel.POVERTY_FILE}",
            "population": f"raw/{panel.POPULATION_FILE}", "cpi": f"raw/{panel.CPI_FILE}",
            "ntm_reports": f"raw/{ntm_provincial.NTM_REPORTS_FILE}",
            "ntm_national": f"raw/{datapoints.NTM_NATIONAL_FILE}", "seed_facts": ntm_provincial.SEED_FACTS_FILE}


def table_files(table_id: str) -> list[str]:
    """The data files (relative to ``data/``) a table reads (columns.yml names them by dataset id)."""
    files = _datasets()
    out = []
    for dataset in _spec()["tables"].get(table_id, []):
        if dataset not in files:
            raise ValueError(f"{COLUMNS_FILE.name}: table {table_id!r} reads {dataset!r}; expected one of "
                             f"{sorted(files)}")
        out.append(files[dataset])
    return out


def is_missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    try:
        return bool(pd.isna(value)) if not isinstance(value, (list, tuple, dict)) else False
    except (TypeError, ValueError):
        return False


def as_of_written(value: float) -> int:
    """The decimals a figure was written with (50.79 → 2)."""
    text = f"{float(value):g}"
    return len(text.split(".")[1]) if "." in text else 0


@dataclass
class ReportTable:
    """One table of a report: ``frame`` has column ids as columns (numbers as numbers, codes as codes).

    ``hidden`` columns are downloaded but not shown in the report (a column a researcher adds is shown);
    ``fields`` fills ``{placeholders}`` of a column's header (``{"member_10": {"place": "Lào Cai (10)"}}``);
    ``labels`` overrides a code column's label kind; ``files`` are the data files the table reads (default: the
    table's entry in columns.yml); ``empty`` is the catalog message the report shows when there is no row.
    """

    id: str
    frame: pd.DataFrame
    lang: str = "en"
    hidden: set[str] = field(default_factory=set)
    fields: dict[str, dict] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    files: list[str] | None = None
    empty: str | None = None

    @property
    def title(self) -> str:
        return i18n.table_title(self.id, self.lang)

    @property
    def csv_name(self) -> str:
        return f"{self.id}.csv"

    @property
    def data_files(self) -> list[str]:
        return list(self.files) if self.files is not None else table_files(self.id)

    def copy(self, frame: pd.DataFrame | None = None) -> "ReportTable":
        """The same table with another frame (a researcher's edit of the rows or columns)."""
        return ReportTable(self.id, self.frame.copy() if frame is None else frame, self.lang, set(self.hidden),
                           dict(self.fields), dict(self.labels), self.files, self.empty)

    # --- what a column is ----------------------------------------------------------------------------------
    def kind(self, col: str) -> str:
        return spec_of(col).get("kind", "text")

    def label_kind(self, col: str) -> str | None:
        return self.labels.get(col) or spec_of(col).get("label")

    def header(self, col: str) -> tuple[str, str]:
        """Header and description of a column in the table's language (the id itself for an unknown column)."""
        s = spec_of(col)
        key = s.get("_id", col)
        got = i18n.column(key, self.lang, **self.fields.get(col, {}))
        return got if got is not None else (col, "")

    def shown_header(self, col: str) -> str:
        """The header a report shows (``report_header`` in columns.yml: "Figure" over the variable's label)."""
        other = spec_of(col).get("report_header")
        return i18n.column(other, self.lang)[0] if other else self.header(col)[0]

    def decimals(self, col: str, row: pd.Series | dict) -> int:
        s = spec_of(col)
        dec = s.get("decimals", 0)
        if dec == "variable":
            variable = row.get("variable") if hasattr(row, "get") else None
            d = variable_decimals(variable)
            if d is None:  # a figure with no set precision (a province's NTM report): as written, whole or 2
                value = row[col]
                return 0 if is_missing(value) or float(value).is_integer() else 2
            if s.get("add") and str(variable) not in s.get("add_except", []):
                d += int(s["add"])
            return d
        value = row[col]
        if dec == "auto":
            return 0 if float(value).is_integer() else 2
        if dec == "as_written":
            return as_of_written(value)
        return int(dec)

    def shown_columns(self) -> list[str]:
        """The columns a report shows, in order: every column but the hidden ones and the URLs another column
        links to."""
        # a URL is folded into the column that links to it only when that column is shown (the NTM table hides
        # its quotes: its source links must stay a column of their own)
        linked = {spec_of(c).get("url_column") for c in self.frame.columns
                  if c not in self.hidden and spec_of(c).get("url_column")}
        return [c for c in self.frame.columns if c not in self.hidden
                and not (self.kind(c) == "url" and c in linked)]

    # --- the downloads --------------------------------------------------------------------------------------
    def download_columns(self) -> list[tuple[str, str]]:
        """(column id in the download, column of the frame it comes from): a code column downloaded "both" is
        followed by ``<id>_label``."""
        out = []
        for c in self.frame.columns:
            out.append((c, c))
            if self.kind(c) == "code" and spec_of(c).get("download") == "both":
                out.append((f"{c}_label", c))
        return out

    def _download_value(self, out_id: str, col: str, value: object) -> object:
        kind = self.kind(col)
        if isinstance(value, (list, tuple)):
            return "; ".join(dict.fromkeys(str(v) for v in value if not is_missing(v) and str(v)))
        if is_missing(value):
            return None
        if kind == "code" and (out_id != col or spec_of(col).get("download", "label") == "label"):
            return i18n.label(self.label_kind(col), value, self.lang)
        if kind == "unit":
            return i18n.unit(value, self.lang)
        if kind in ("number",):
            return float(value)
        if kind in ("integer", "year"):
            return int(value)
        if kind == "bool":
            return bool(value)
        if hasattr(value, "item"):
            value = value.item()
        return value if isinstance(value, (int, float, bool)) else str(value)

    def _unit_note(self, col: str) -> str:
        u = spec_of(col).get("unit")
        if u is None:
            return ""
        if isinstance(u, str):
            return i18n.unit(u, self.lang)
        if "message" in u:
            return i18n.t(u["message"], self.lang, base=self.fields.get(col, {}).get("base", ""))
        other = u["column"]
        if other not in self.frame.columns:
            return ""
        kind = self.kind(other)
        values = [i18n.unit(v, self.lang) if kind == "unit" else str(v) for v in self.frame[other]
                  if not is_missing(v) and str(v)]
        return i18n.t("note_see_unit", self.lang, col=self.header(other)[0],
                      units="; ".join(dict.fromkeys(values)) or "—")

    def _source_note(self, col: str) -> str:
        s = spec_of(col)
        files = "; ".join(f"data/{f}" for f in self.data_files)
        if not s:
            return i18n.t("note_added", self.lang)
        src = s.get("source", "files")
        if src == "label":
            return i18n.t("note_label", self.lang)
        if isinstance(src, dict) and "message" in src:
            return i18n.t(src["message"], self.lang, files=files, col=self.header("value")[0])
        if isinstance(src, dict) and "column" in src:
            other = src["column"]
            if other in self.frame.columns:
                names = []
                for v in self.frame[other]:
                    names += [str(x) for x in (v if isinstance(v, (list, tuple)) else [v]) if not is_missing(x)
                              and str(x)]
                joined = "; ".join(dict.fromkeys(names))
                return f"{joined} ({files})" if joined and files else joined or files
        return files

    def record(self) -> dict:
        """The table as plain data for the downloads (JSON: what the notebook glues for
        :func:`ntm_analysis.report.publish.after_run`): id, title, csv file, and per column its header,
        description, unit and source in the report's language; rows of plain values (gaps are None)."""
        cols = self.download_columns()
        meta = []
        for out_id, col in cols:
            if out_id != col:
                head, desc = i18n.column(out_id, self.lang) or (f"{self.header(col)[0]} (label)", "")
                meta.append({"id": out_id, "header": head, "description": desc, "unit": "",
                             "source": i18n.t("note_label", self.lang)})
            else:
                head, desc = self.header(col)
                meta.append({"id": out_id, "header": head, "description": desc, "unit": self._unit_note(col),
                             "source": self._source_note(col)})
        rows = [[self._download_value(out_id, col, r[col]) for out_id, col in cols]
                for r in self.frame.to_dict("records")]
        return {"id": self.id, "title": self.title[:31], "csv": self.csv_name, "columns": meta, "rows": rows}
