"""What one province report reads from the data, as a digest: the key of incremental rendering.

Every report reads the same data files, so file checksums alone would
re-render all 63 reports after any fix to one province's figure. A report's
*input digest* is a SHA-256 over exactly the rows it shows or derives from:

* panel rows of its province (the constituents, for a 2025 province), of their
  GSO regions, of the nation, and of former provinces (Hà Tây), in its years;
* its provinces' ranks among all provinces (income, poverty on each measure),
  computed with :func:`ntm_analysis.indicators.rank_within` exactly as the
  report does: another province's change that moves this one's rank changes
  this digest, one that does not leaves it alone;
* its provinces' own NTM report rows, and the national NTM progress rows;
* what every report's model and case-study sections read beyond its own rows
  (:func:`ntm_analysis.analyses.inputs.shared_inputs`: every province's income
  and poverty and the CPI, since the cross-province model and each residual
  depend on all of them; the seed articles' figures);
* the whole file, by checksum, of every other data file the report reads
  (:data:`ntm_analysis.report.context.DATA_FILES`: registries, provenance, …);
* its provinces' rows of the researcher's own tables (:attr:`ReportParams.user_files`: ``ntm render --with`` and
  the data folder's ``user/``), as the report shows them (:func:`ntm_analysis.report.context.user_rows`): a
  changed cell of a user table changes the digests of exactly the reports of the provinces whose rows it is in.

The digest is recomputed only when a data file's checksum changed since the
last render (see :func:`ntm_analysis.render.jobs.known_digests`); a no-op re-render reads no
data at all. Each report shows its digest in its provenance footer.

What every digest of one data version shares (the whole-file part, the shared inputs, the
rows of every level with their row hashes, the ranks) is built once per data version: a
:func:`ntm_analysis.data.cache.memo` keyed by the checksums of the files it reads
(:func:`context_files`) and the code of this module and what it imports.
"""
from __future__ import annotations

import hashlib
from types import MappingProxyType
from typing import Iterable, Mapping

import pandas as pd

from ntm_analysis.report.params import ReportParams


def _sliced_files() -> set[str]:
    """Data files whose rows are hashed slice by slice (every other data file counts whole).

    ``provenance.yml`` reaches a report only through the panel's rows (their access dates), so
    its changes show in the slices too.
    """
    from ntm_analysis.data.ntm_provincial import NTM_REPORTS_FILE  # noqa: PLC0415
    from ntm_analysis.data.panel import PANEL_FILES  # noqa: PLC0415
    from ntm_analysis.data.datapoints import NTM_NATIONAL_FILE  # noqa: PLC0415

    return ({f"raw/{f}" for f in PANEL_FILES} | {f"raw/{NTM_REPORTS_FILE}", f"raw/{NTM_NATIONAL_FILE}"}
            | {"provenance.yml"})


def _row_hashes(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with a ``_h`` column: a 64-bit hash of each row's values (computed once per data version)."""
    df = df.reset_index(drop=True)
    text = df.astype("string").fillna("<NA>")
    return df.assign(_h=pd.util.hash_pandas_object(text, index=False).to_numpy())


def _hash_frame(h, name: str, df: pd.DataFrame) -> None:
    """Feed a slice of a frame prepared by :func:`_row_hashes` (its columns and row hashes) into ``h``."""
    h.update(f"\0{name}\0{len(df)}\0".encode())
    h.update("\0".join(map(str, df.columns)).encode())
    if len(df):
        h.update(df["_h"].to_numpy().tobytes())


def _all_ranks(data_dir: str | None) -> pd.DataFrame:
    """The ranks every report derives from all provinces, exactly as it computes them (the same cached table)."""
    from ntm_analysis.analyses.ranks import cached_rank_table  # noqa: PLC0415

    r = cached_rank_table(data_dir)
    if r.empty:
        return r
    return r[["code", "year", "variable", "value", "status", "rank_region", "n_region", "rank_nation", "n_nation"]]


def _all_ranks_2025(data_dir: str | None) -> pd.DataFrame:
    """The ranks of the 34 provinces of 2025 (on their aggregates, weights named), row-hashed; computed only when a
    2025-geography report is digested."""
    from ntm_analysis.analyses.ranks import cached_rank_table_2025  # noqa: PLC0415
    from ntm_analysis.data import cache  # noqa: PLC0415

    def build() -> pd.DataFrame:
        r = cached_rank_table_2025(data_dir)
        if r.empty:
            return r
        return _row_hashes(r[["code", "year", "variable", "value", "status", "rank_nation", "n_nation",
                              "weight_variable", "weight_year"]])
    return cache.memo("digest_ranks_2025", context_files(data_dir), build, data_dir, copy=False)


def context_files(data_dir: str | None = None) -> list[str]:
    """The data files the shared part of the digests reads: the report's data files
    (:data:`ntm_analysis.report.context.DATA_FILES`) and the seed articles' figures when the data folder has them."""
    from ntm_analysis.analyses.seed_cases import SEED_FILE  # noqa: PLC0415
    from ntm_analysis import paths  # noqa: PLC0415
    from ntm_analysis.report.context import DATA_FILES  # noqa: PLC0415

    return sorted(DATA_FILES) + ([SEED_FILE] if (paths.data_dir(data_dir) / SEED_FILE).exists() else [])


def user_folder_files(data_dir: str | None = None) -> list[str]:
    """Every readable table of the data folder's ``user/`` (relative to the data folder, e.g. ``user/my.xlsx``)."""
    from ntm_analysis import paths  # noqa: PLC0415
    from ntm_analysis.analyses.user_resources import user_folder_files as files  # noqa: PLC0415

    base = paths.data_dir(data_dir)
    return [p.relative_to(base).as_posix() for p in files(data_dir)]


def _user_rows(files: tuple[str, ...], data_dir: str | None) -> pd.DataFrame:
    """Every province's rows of the user tables ``files`` as the reports show them, with row hashes."""
    from ntm_analysis.analyses.resource_measures import COLUMNS  # noqa: PLC0415
    from ntm_analysis.report.context import user_rows  # noqa: PLC0415

    if not files:
        return pd.DataFrame(columns=COLUMNS).assign(_h=[])
    from ntm_analysis.data import geo  # noqa: PLC0415

    params = ReportParams(data_dir=data_dir)
    rows = user_rows(params, [p.code for p in geo.provinces(2008)], files=files)
    rows = rows.drop(columns=["source_file"])  # the path is in the parameters; a moved file with equal rows is equal
    return _row_hashes(rows) if len(rows) else rows.assign(_h=[])


def _context(data_dir: str | None) -> Mapping:
    """What every digest of one data version shares, built once per data version (:func:`context_files`).

    Shared by every caller (a read-only mapping): ``base`` is a hash object to be ``.copy()``-ed before it is
    fed, and the frames are only read."""
    from ntm_analysis.data import cache  # noqa: PLC0415

    return cache.memo("digest_context", context_files(data_dir), lambda: _build_context(data_dir), data_dir,
                      copy=False)


def _build_context(data_dir: str | None) -> Mapping:
    from ntm_analysis.analyses.inputs import shared_inputs  # noqa: PLC0415
    from ntm_analysis.data.datapoints import load_ntm_national  # noqa: PLC0415
    from ntm_analysis.data.ntm_provincial import load_ntm_reports  # noqa: PLC0415
    from ntm_analysis.data.panel import load_panel  # noqa: PLC0415
    from ntm_analysis.data.sources import checksums  # noqa: PLC0415
    from ntm_analysis.report.context import DATA_FILES  # noqa: PLC0415

    sums = checksums(DATA_FILES, data_dir)
    panel = load_panel(level="all", data_dir=data_dir)
    whole = {f: s for f, s in sums.items() if f not in _sliced_files()}
    base = hashlib.sha256()
    base.update(repr(sorted(whole.items())).encode())
    ranks = _all_ranks(data_dir)
    for name, frame in sorted(shared_inputs(data_dir).items()):  # the model and the seed case studies
        _hash_frame(base, name, _row_hashes(frame) if len(frame) else frame.assign(_h=[]))
    panel = _row_hashes(panel)
    _hash_frame(base, "ntm_national", _row_hashes(load_ntm_national(data_dir=data_dir)))
    _hash_frame(base, "former", panel[~panel["level"].isin(["province", "region", "national"])])
    by_level = {lvl: df for lvl, df in panel.groupby("level", sort=False)}
    return MappingProxyType({"base": base, "ranks": _row_hashes(ranks) if len(ranks) else ranks,
                             "ntm": _row_hashes(load_ntm_reports(data_dir=data_dir)),
                             **{k: by_level.get(k, panel.iloc[:0]) for k in ("province", "region", "national")}})


def input_digests(params: Iterable[ReportParams], data_dir: str | None = None) -> dict[str, str]:
    """The input digest of each report (keyed by :attr:`ReportParams.key`), all reading ``data_dir``."""
    from ntm_analysis.data import geo  # noqa: PLC0415

    params = [p.validate() for p in params]
    if any(p.data_dir != data_dir for p in params):
        raise ValueError("input_digests: every report must read the same data_dir")
    if not params:
        return {}
    c = _context(data_dir)
    prov, region, nation, ranks, ntm = c["province"], c["region"], c["national"], c["ranks"], c["ntm"]
    users: dict[tuple, pd.DataFrame] = {}
    out = {}
    for p in params:
        members = geo.constituents(p.place.code) if p.vintage == 2025 else [p.place]
        codes = sorted(m.code for m in members)
        regions = sorted({m.region for m in members})
        h = c["base"].copy()
        h.update(p.fingerprint_json().encode())

        def years(df: pd.DataFrame) -> pd.DataFrame:
            return df[df["year"].between(p.year_start, p.year_end)]

        _hash_frame(h, "province", years(prov[prov["code"].isin(codes)]))
        _hash_frame(h, "region", years(region[region["code"].isin(regions)]))
        _hash_frame(h, "national", years(nation))
        _hash_frame(h, "ranks", years(ranks[ranks["code"].isin(codes)]) if len(ranks) else ranks)
        _hash_frame(h, "ntm", ntm[ntm["province_code"].isin(codes)])
        if p.vintage == 2025:  # its rank among the 34, and the weights of its aggregates (2022 weighs 2023)
            from ntm_analysis.data.variables import POPULATION  # noqa: PLC0415
            from ntm_analysis.indicators.aggregate import LATEST_WEIGHT_VARIABLE  # noqa: PLC0415
            r25 = _all_ranks_2025(data_dir)
            _hash_frame(h, "ranks_2025", years(r25[r25["code"] == p.place.code]) if len(r25) else r25)
            _hash_frame(h, "weights", prov[prov["code"].isin(codes) & prov["variable"].astype(str).isin(
                [POPULATION, LATEST_WEIGHT_VARIABLE])])
        files = p.user_files
        if files:  # no user table: the digest is what it was before user tables existed
            if files not in users:
                users[files] = _user_rows(files, data_dir)
            u = users[files]
            _hash_frame(h, "user", u[u["code"].isin(codes)])
        out[p.key] = h.hexdigest()
    return out


def input_digest(params: ReportParams) -> str:
    """The input digest of one report (what its provenance footer shows)."""
    params = params.validate()
    return input_digests([params], params.data_dir)[params.key]
