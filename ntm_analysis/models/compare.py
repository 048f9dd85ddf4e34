"""Several :class:`~ntm_analysis.models.results.ModelResult` side by side (like statsmodels'
``summary_col`` or pyfixest's ``etable``): one column per model, one row per term.

    from ntm_analysis.models import compare
    table = compare([fit1, fit2], names=["pooled", "with controls"])
    table.to_frame()      # DataFrame of text cells: "estimate (SE)" plus stars, then N, R², SE type
    table.to_markdown()   # | term | pooled | with controls |
    table.to_html()       # every cell and label HTML-escaped
    table.to_latex()      # tabular, special characters escaped
    table.numbers()       # the same, as numbers (model, term, estimate, std_error, p_value)

Stars follow the analytic p-value of each term: ``*`` p < 0.10, ``**`` p < 0.05, ``***`` p < 0.01
(pass ``stars=False`` for none); every rendering states the thresholds. A model fitted on synthetic
data has "SYNTHETIC" in its column label and in the ``data`` row, and every rendering starts with a
line naming it.
"""
from __future__ import annotations

import html
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ntm_analysis.models.results import ModelResult, _fmt

#: (threshold, mark): a term gets the mark of the smallest threshold its p-value is below.
STARS = ((0.01, "***"), (0.05, "**"), (0.10, "*"))
#: Rows under the terms, in order.
FOOTER = ["dependent", "N", "R²", "SE type", "data"]
SYNTHETIC_MARK = "SYNTHETIC"


def _stars(p: float) -> str:
    if p is None or not np.isfinite(p):
        return ""
    for thr, mark in STARS:
        if p < thr:
            return mark
    return ""


class Comparison:
    """Side-by-side table of several model results; build it with :func:`compare`."""

    def __init__(self, results: list[ModelResult], names: list[str], *, stars: bool = True, digits: int = 4):
        self.results = list(results)
        self.names = list(names)
        self.stars = bool(stars)
        self.digits = int(digits)

    # -- labels and notes ----------------------------------------------------------------------
    @property
    def columns(self) -> list[str]:
        """Column labels: the model names, with " — SYNTHETIC" for a synthetic-data fit."""
        return [f"{n} — {SYNTHETIC_MARK}" if r.synthetic else n for n, r in zip(self.names, self.results)]

    @property
    def terms(self) -> list[str]:
        """Every term of every model, in order of first appearance."""
        seen: dict[str, None] = {}
        for r in self.results:
            for t in r.coefs["term"]:
                seen.setdefault(str(t), None)
        return list(seen)

    def notes(self) -> list[str]:
        """Lines every rendering prints: synthetic warning first, then how to read the cells."""
        out = []
        syn = [n for n, r in zip(self.names, self.results) if r.synthetic]
        if syn:
            out.append(f"{SYNTHETIC_MARK} data (not real figures) in: {', '.join(syn)}")
        out.append("Cells: estimate (standard error)."
                   + (" Stars: * p < 0.10, ** p < 0.05, *** p < 0.01 (analytic p-values)." if self.stars else ""))
        return out

    # -- renderings ----------------------------------------------------------------------------
    def numbers(self) -> pd.DataFrame:
        """Long numeric frame: ``model, term, estimate, std_error, p_value, synthetic``."""
        rows = []
        for n, r in zip(self.names, self.results):
            for _, c in r.coefs.iterrows():
                rows.append({"model": n, "term": str(c["term"]), "estimate": float(c["estimate"]),
                             "std_error": float(c["std_error"]), "p_value": float(c["p_value"]),
                             "synthetic": bool(r.synthetic)})
        return pd.DataFrame(rows, columns=["model", "term", "estimate", "std_error", "p_value", "synthetic"])

    def to_frame(self) -> pd.DataFrame:
        """Terms × models of text cells ``"estimate (SE)"`` plus stars; then the :data:`FOOTER` rows.

        A term a model lacks is an empty cell. ``attrs`` holds ``synthetic`` (any model synthetic),
        ``notes`` and ``footer_rows``.
        """
        d = self.digits
        terms = self.terms
        data = {}
        for col, r in zip(self.columns, self.results):
            t = r.coefs.assign(term=r.coefs["term"].astype(str)).drop_duplicates("term").set_index("term")
            cells = []
            for term in terms:
                if term not in t.index:
                    cells.append("")
                    continue
                row = t.loc[term]
                cell = f"{_fmt(float(row['estimate']), d)} ({_fmt(float(row['std_error']), d)})"
                if self.stars:
                    cell += _stars(float(row["p_value"]))
                cells.append(cell)
            r2 = r.rsquared
            cells += [str(r.dependent), f"{r.nobs:,}",
                      _fmt(float(r2), 3) if r2 is not None and np.isfinite(r2) else "—",
                      str(r.se_type), SYNTHETIC_MARK if r.synthetic else "real"]
            data[col] = cells
        out = pd.DataFrame(data, index=pd.Index(terms + FOOTER, name="term"))
        out.attrs = {"synthetic": any(r.synthetic for r in self.results), "notes": self.notes(),
                     "footer_rows": list(FOOTER)}
        if out.attrs["synthetic"]:
            out.attrs["label"] = SYNTHETIC_MARK
        return out

    def to_markdown(self) -> str:
        """Markdown pipe table, preceded by the notes (synthetic warning first).

        ``\\``, ``|``, ``*`` and ``_`` are backslash-escaped, ``&`` and ``<`` written ``&amp;`` and
        ``&lt;``, so a term name can neither add a column nor become markup (stars read as ``\\*``).
        """
        f = self.to_frame()

        def cell(v) -> str:
            return (str(v).replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*")
                    .replace("_", "\\_").replace("&", "&amp;").replace("<", "&lt;").replace("\n", " "))

        lines = [*(cell(n) for n in self.notes()), ""]
        lines.append("| " + " | ".join(cell(c) for c in ["term", *f.columns]) + " |")
        lines.append("|" + "|".join(["---"] + ["---:"] * len(f.columns)) + "|")
        for term, row in f.iterrows():
            lines.append("| " + " | ".join(cell(v) for v in [term, *row.tolist()]) + " |")
        return "\n".join(lines)

    def to_html(self) -> str:
        """HTML table (``DataFrame.to_html(escape=True)``) with the notes as escaped paragraphs."""
        f = self.to_frame()
        notes = "".join(f'<p class="model-compare-note">{html.escape(n)}</p>\n' for n in self.notes())
        return notes + f.to_html(escape=True, classes="model-compare", border=0)

    def to_latex(self) -> str:
        """LaTeX ``tabular`` (booktabs rules) with every special character escaped; notes above it."""
        f = self.to_frame()
        lines = [_latex(n) + r" \\" for n in self.notes()]
        lines.append(r"\begin{tabular}{l" + "r" * len(f.columns) + "}")
        lines.append(r"\toprule")
        lines.append(" & ".join(_latex(c) for c in ["term", *f.columns]) + r" \\")
        lines.append(r"\midrule")
        for i, (term, row) in enumerate(f.iterrows()):
            if i == len(f) - len(FOOTER):
                lines.append(r"\midrule")
            lines.append(" & ".join(_latex(v) for v in [term, *row.tolist()]) + r" \\")
        lines.append(r"\bottomrule")
        lines.append(r"\end{tabular}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:  # notebooks
        return self.to_html()

    def __repr__(self) -> str:
        tag = " (SYNTHETIC in some)" if any(r.synthetic for r in self.results) else ""
        return f"<Comparison of {len(self.results)} models{tag}: {', '.join(self.names)}>"


_LATEX = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
          "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
          "<": r"$<$", ">": r"$>$", "²": r"$^2$", "—": "---", "–": "--"}


def _latex(v) -> str:
    return "".join(_LATEX.get(ch, ch) for ch in str(v))


def compare(results, names=None, *, stars: bool = True, digits: int = 4) -> Comparison:
    """Put several :class:`ModelResult` side by side.

    ``results``: a list of results, or a mapping name → result. ``names``: one distinct label per
    model (default ``"(1)"``, ``"(2)"``, …). Returns a :class:`Comparison` with ``to_frame()``,
    ``to_markdown()``, ``to_html()``, ``to_latex()`` and ``numbers()``.
    """
    if isinstance(results, Mapping):
        if names is not None:
            raise ValueError("give names either as the mapping's keys or as names=, not both")
        names = [str(k) for k in results]
        results = list(results.values())
    results = list(results)
    if not results:
        raise ValueError("compare needs at least one ModelResult")
    for i, r in enumerate(results):
        if not isinstance(r, ModelResult):
            raise TypeError(f"compare: item {i} is a {type(r).__name__}, expected a ModelResult")
    if names is None:
        names = [f"({i + 1})" for i in range(len(results))]
    names = [str(n) for n in names]
    if len(names) != len(results):
        raise ValueError(f"compare: {len(names)} name(s) for {len(results)} model(s)")
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise ValueError(f"compare: model names must be distinct; repeated: {dup}")
    return Comparison(results, names, stars=stars, digits=digits)
