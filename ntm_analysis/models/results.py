"""The tidy result object shared by every estimator in :mod:`ntm_analysis.models`.

A :class:`ModelResult` holds a per-term table (estimate, standard error, confidence interval,
p-value and, where a bootstrap was run, its p-value and interval), the sample used, how the
standard errors were computed, and notes on everything dropped on the way. It never prints:
:meth:`ModelResult.summary` and :meth:`ModelResult.reading` return text.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

TERM_COLUMNS = ["term", "estimate", "std_error", "ci_low", "ci_high", "p_value"]
BOOT_COLUMNS = ["boot_p_value", "boot_ci_low", "boot_ci_high"]


def is_synthetic(data: pd.DataFrame) -> bool:
    """True when a frame was built from synthetic data (``attrs`` flag or ``synthetic`` column)."""
    if bool(getattr(data, "attrs", {}).get("synthetic", False)):
        return True
    if isinstance(data, pd.DataFrame) and "synthetic" in data.columns:
        col = data["synthetic"]
        return bool(col.fillna(False).astype(bool).any())
    return False


def require_columns(data: pd.DataFrame, columns, *, what: str = "data") -> None:
    """Raise a ``KeyError`` naming every column of ``columns`` that ``data`` lacks."""
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"{what} must be a pandas DataFrame, got {type(data).__name__}")
    wanted = [c for c in columns if c is not None]
    missing = [c for c in dict.fromkeys(wanted) if c not in data.columns]
    if missing:
        have = ", ".join(map(str, data.columns[:30]))
        raise KeyError(
            f"{what} is missing column(s) {', '.join(map(repr, missing))}; "
            f"expected them among the columns of the frame, which has: {have}"
        )


def require_numeric(data: pd.DataFrame, columns, *, what: str = "data") -> None:
    """Raise a ``TypeError`` naming a column that is not numeric, with its first bad row and value."""
    for c in columns:
        s = data[c]
        if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
            continue
        conv = pd.to_numeric(s, errors="coerce")
        bad = s[conv.isna() & s.notna()]
        if len(bad):
            row, val = bad.index[0], bad.iloc[0]
            row = row.item() if isinstance(row, np.generic) else row
            raise TypeError(f"{what}: column {c!r} must be numeric (dtype {s.dtype}); "
                            f"row {row!r} has value {val!r}, expected a number")
        raise TypeError(f"{what}: column {c!r} must be numeric, got dtype {s.dtype}")


def _fmt(v: float, digits: int = 4) -> str:
    if v is None or (isinstance(v, float) and not np.isfinite(v)):
        return "—"
    a = abs(v)
    if a != 0 and (a < 1e-3 or a >= 1e5):
        return f"{v:.{digits - 1}e}"
    return f"{v:.{digits}f}"


@dataclass(frozen=True)
class ModelResult:
    """Tidy result of one model fit (like a statsmodels results object, but plain data).

    Attributes
    ----------
    estimator : str
        What was fitted, e.g. ``"two-way fixed effects (within), OLS"``.
    dependent : str
        The outcome variable.
    coefs : pandas.DataFrame
        One row per term: ``term, estimate, std_error, ci_low, ci_high, p_value`` and, when a
        bootstrap was run, ``boot_p_value, boot_ci_low, boot_ci_high``.
    n_obs, n_clusters, n_units : int or None
        Observations used, clusters (None when not clustered) and units (entities) used.
    se_type : str
        How the standard errors were computed, with the small-sample correction.
    bootstrap : str or None
        Which bootstrap produced the ``boot_*`` columns (kind, weights, draws, seed).
    notes : list of str
        Dropped units and rows and why, singletons removed, convergence, caveats.
    synthetic : bool
        True when fitted on synthetic data; :meth:`summary` then starts with "SYNTHETIC".
    conf_level : float
        Level of the confidence intervals.
    vcov : pandas.DataFrame or None
        Covariance matrix of the estimates, where one exists.
    extra : dict
        Model-specific outputs (e.g. convergence speed, the by-year dispersion table,
        the event-time table, the unit-level sample).
    ci_reference : {"t", "normal"} or None
        The reference distribution of the intervals and p-values (None: not recorded, so
        :meth:`conf_int` cannot recompute another level).
    ci_df : float or None
        Degrees of freedom of the t reference (None with the normal).
    rsquared : float or None
        R² of the fitted equation where one is defined, else None.
    resid, fitted : pandas.Series or None
        Residuals and fitted values of the fitted equation, indexed like the estimation sample,
        where the estimator has them, else None.
    sample : pandas.DataFrame or None
        The units the estimate rests on, one row each, with what a reader needs to judge them
        (for ``resources_association``: code, name, x, y, weight, qualifier, scope, confidence,
        source_url); None where the estimator does not set it.
    excluded : pandas.DataFrame or None
        Every other unit of the population the sample was drawn from (for ``resources_association``:
        the other provinces of the 63, columns code, name, reason); None where not set.

    Which estimators fill ``rsquared``/``resid``/``fitted``: ``beta_convergence`` (the OLS of
    growth on initial level; index: unit), ``mediation`` and ``resources_link`` (the outcome
    equation y ~ x + m [+ controls]; index: the rows, or units, used), ``panel_fe`` (within R², as
    linearmodels' ``PanelOLS.rsquared``; ``resid`` = y − Xβ − fixed effects, ``fitted`` = y − resid,
    index: the rows of ``data`` used). ``sigma_convergence`` (two trend fits) and ``event_study``
    (imputation) leave them None.

    statsmodels-style accessors: :attr:`params`, :attr:`std_errors`, :attr:`pvalues`, :attr:`nobs`,
    :meth:`conf_int`; several results side by side: :func:`ntm_analysis.models.compare`.
    """

    estimator: str
    dependent: str
    coefs: pd.DataFrame
    n_obs: int
    se_type: str
    n_clusters: int | None = None
    n_units: int | None = None
    bootstrap: str | None = None
    notes: list[str] = field(default_factory=list)
    synthetic: bool = False
    conf_level: float = 0.95
    vcov: pd.DataFrame | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    reading_text: str = ""
    ci_reference: str | None = None
    ci_df: float | None = None
    rsquared: float | None = None
    resid: pd.Series | None = field(default=None, repr=False)
    fitted: pd.Series | None = field(default=None, repr=False)
    sample: pd.DataFrame | None = field(default=None, repr=False)
    excluded: pd.DataFrame | None = field(default=None, repr=False)

    # -- accessors -------------------------------------------------------------------------
    def table(self) -> pd.DataFrame:
        """Per-term table as a new DataFrame (one row per term)."""
        cols = TERM_COLUMNS + [c for c in BOOT_COLUMNS if c in self.coefs.columns]
        out = self.coefs[[c for c in cols if c in self.coefs.columns]].copy()
        out.attrs = {"synthetic": self.synthetic, "estimator": self.estimator}
        if self.synthetic:
            out.attrs["label"] = "SYNTHETIC"
        return out

    @property
    def params(self) -> pd.Series:
        """Estimates indexed by term."""
        return self.coefs.set_index("term")["estimate"]

    @property
    def std_errors(self) -> pd.Series:
        """Standard errors indexed by term."""
        return self.coefs.set_index("term")["std_error"]

    @property
    def pvalues(self) -> pd.Series:
        """p-values indexed by term (NaN where the term has none, e.g. derived quantities)."""
        return self.coefs.set_index("term")["p_value"].rename("p_value")

    @property
    def nobs(self) -> int:
        """Number of observations used (``n_obs``), as statsmodels' ``nobs``."""
        return int(self.n_obs)

    def conf_int(self, alpha: float = 0.05) -> pd.DataFrame:
        """Confidence intervals as statsmodels gives them: indexed by term, columns ``[0, 1]``.

        At the stored level (``alpha == 1 - conf_level``) the stored ``ci_low``/``ci_high``. Another
        ``alpha`` is recomputed as estimate ± q·SE with the reference distribution the result used
        (``ci_reference``, with ``ci_df`` for the t); terms whose stored interval is not of that form
        (e.g. mapped intervals of derived quantities) get NaN. ``ValueError`` when the result does
        not record its reference distribution.
        """
        if not (isinstance(alpha, (int, float)) and 0 < alpha < 1):
            raise ValueError(f"alpha must be a number strictly between 0 and 1, got {alpha!r}")
        t = self.coefs.set_index("term")
        if abs((1 - alpha) - self.conf_level) < 1e-12:
            out = pd.DataFrame({0: t["ci_low"].to_numpy(dtype=float), 1: t["ci_high"].to_numpy(dtype=float)},
                               index=t.index)
            return out
        dist = self._reference()
        est = t["estimate"].to_numpy(dtype=float)
        se = t["std_error"].to_numpy(dtype=float)
        q_stored = dist.ppf(0.5 + self.conf_level / 2)
        with np.errstate(invalid="ignore"):
            symmetric = (np.isclose(t["ci_low"].to_numpy(dtype=float), est - q_stored * se, rtol=1e-6, atol=1e-12)
                         & np.isclose(t["ci_high"].to_numpy(dtype=float), est + q_stored * se, rtol=1e-6, atol=1e-12))
        q = dist.ppf(1 - alpha / 2)
        lo = np.where(symmetric, est - q * se, np.nan)
        hi = np.where(symmetric, est + q * se, np.nan)
        return pd.DataFrame({0: lo, 1: hi}, index=t.index)

    def _reference(self):
        from scipy import stats

        if self.ci_reference == "normal":
            return stats.norm
        if self.ci_reference == "t" and self.ci_df is not None:
            return stats.t(self.ci_df)
        raise ValueError(
            f"this result ({self.estimator!r}) does not record the reference distribution of its "
            f"intervals (ci_reference={self.ci_reference!r}, ci_df={self.ci_df!r}), so only its stored "
            f"{self.conf_level:.0%} interval is available: call conf_int(alpha={1 - self.conf_level:.6g})")

    def term(self, name: str) -> pd.Series:
        """The row of one term; ``KeyError`` naming the available terms otherwise."""
        t = self.coefs.set_index("term")
        if name not in t.index:
            raise KeyError(f"no term {name!r}; terms are {list(t.index)}")
        return t.loc[name]

    def summary(self) -> str:
        """Readable Markdown: header, per-term table, sample and notes. Starts "SYNTHETIC" if so."""
        lines = []
        head = f"{self.estimator} — dependent variable: {self.dependent}"
        if self.synthetic:
            head = "SYNTHETIC data (not real figures) — " + head
        lines.append(head)
        lines.append("")
        level = int(round(self.conf_level * 100))
        boot = "boot_p_value" in self.coefs.columns
        hdr = ["term", "estimate", "std. error", f"{level}% CI", "p-value"]
        if boot:
            hdr += ["bootstrap p", f"bootstrap {level}% CI"]
        lines.append("| " + " | ".join(hdr) + " |")
        lines.append("|" + "|".join(["---"] * len(hdr)) + "|")
        for _, r in self.coefs.iterrows():
            cells = [str(r["term"]), _fmt(r["estimate"]), _fmt(r["std_error"]),
                     f"[{_fmt(r['ci_low'])}, {_fmt(r['ci_high'])}]", _fmt(r["p_value"], 3)]
            if boot:
                cells += [_fmt(r.get("boot_p_value", np.nan), 3),
                          f"[{_fmt(r.get('boot_ci_low', np.nan))}, {_fmt(r.get('boot_ci_high', np.nan))}]"]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
        sample = f"Observations: {self.n_obs:,}"
        if self.n_units is not None:
            sample += f"; units: {self.n_units:,}"
        if self.n_clusters is not None:
            sample += f"; clusters: {self.n_clusters:,}"
        lines.append(sample)
        lines.append(f"Standard errors: {self.se_type}")
        if self.bootstrap:
            lines.append(f"Bootstrap: {self.bootstrap}")
        for n in self.notes:
            lines.append(f"- {n}")
        return "\n".join(lines)

    def reading(self) -> str:
        """One plain-language sentence on the main result."""
        text = self.reading_text or self._default_reading()
        return ("SYNTHETIC data: " + text) if self.synthetic else text

    def _default_reading(self) -> str:
        r = self.coefs.iloc[0]
        level = int(round(self.conf_level * 100))
        return (f"{r['term']}: estimate {_fmt(r['estimate'])} "
                f"({level}% CI {_fmt(r['ci_low'])} to {_fmt(r['ci_high'])}, p = {_fmt(r['p_value'], 3)}), "
                f"from {self.n_obs:,} observations.")

    def __repr__(self) -> str:  # short, so notebooks show something useful
        tag = "SYNTHETIC " if self.synthetic else ""
        return (f"<{tag}ModelResult {self.estimator!r}: {self.dependent} on "
                f"{', '.join(map(str, self.coefs['term']))}; n_obs={self.n_obs}>")


def make_coefs(terms, estimate, std_error, *, df_resid: float | None, conf_level: float = 0.95,
               boot: dict | None = None) -> pd.DataFrame:
    """Build the per-term table; t distribution with ``df_resid`` d.o.f. (normal when None)."""
    from scipy import stats

    est = np.asarray(estimate, dtype=float)
    se = np.asarray(std_error, dtype=float)
    dist = stats.norm if df_resid is None else stats.t(df_resid)
    q = dist.ppf(0.5 + conf_level / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        tstat = est / se
    p = 2 * dist.sf(np.abs(tstat))
    out = pd.DataFrame({
        "term": list(terms), "estimate": est, "std_error": se,
        "ci_low": est - q * se, "ci_high": est + q * se, "p_value": p,
    })
    if boot:
        for c in BOOT_COLUMNS:
            out[c] = np.asarray(boot.get(c, [np.nan] * len(out)), dtype=float)
    out.attrs["ci_reference"] = "normal" if df_resid is None else "t"
    out.attrs["ci_df"] = None if df_resid is None else float(df_resid)
    return out


def reference_of(coefs: pd.DataFrame) -> dict:
    """``ci_reference``/``ci_df`` keyword arguments for :class:`ModelResult`, from a :func:`make_coefs` table."""
    return {"ci_reference": coefs.attrs.get("ci_reference"), "ci_df": coefs.attrs.get("ci_df")}
