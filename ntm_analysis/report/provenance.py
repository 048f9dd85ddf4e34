"""The provenance footer of a report: data checksums, the report's input digest, package versions, git commit,
parameters and the render time; and the volatile values two renders of the same inputs may differ in."""
from __future__ import annotations

import datetime as _dt
import json
import platform
import re
import subprocess
from functools import lru_cache

import markupsafe

from ntm_analysis import __version__, i18n, paths

Markup = markupsafe.Markup
escape = markupsafe.escape

#: Values in a report that change from one render to the next although the inputs do not.
#: Each is written as ``<span class="ntm-volatile" data-volatile="NAME">…</span>``; the
#: renderer's determinism check (and anyone diffing two reports) masks exactly these.
VOLATILE_FIELDS = {"rendered_at": "date and time the report was rendered (UTC)",
                   "data_file_checksum": "SHA-256 of a whole data file when the report was rendered: it changes "
                                       "when another province's figure in the same file changes, while the "
                                       "report's own input digest (which decides re-rendering) does not"}
VOLATILE_CLASS = "ntm-volatile"
#: The class of the footer's element: what a reader (or a test) sets apart from the report's body. The intermediate
#: copies of the data (repositories, scraped exports) are named only inside it.
FOOTER_CLASS = "ntm-provenance"


@lru_cache(maxsize=1)
def git_commit() -> str:
    """The repository's commit (``"unknown"`` outside a git checkout)."""
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=paths.PROJECT_DIR, capture_output=True, text=True,
                             timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip() if out.returncode == 0 and out.stdout.strip() else "unknown"


def versions(lang: str = "en") -> dict[str, str]:
    """Versions of Python and the packages a report depends on."""
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

    out = {"python": platform.python_version(), "ntm_analysis": __version__}
    for name in ("pandas", "numpy", "matplotlib", "seaborn", "statsmodels", "papermill", "nbconvert"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = i18n.t("not_installed", lang)
    return out


def volatile(name: str, value: str) -> Markup:
    """Wrap a volatile value (see :data:`VOLATILE_FIELDS`) so it can be masked when comparing renders."""
    if name not in VOLATILE_FIELDS:
        raise KeyError(f"{name!r} is not a declared volatile field; declare it in VOLATILE_FIELDS")
    return Markup('<span class="{}" data-volatile="{}">{}</span>').format(VOLATILE_CLASS, name, value)


_VOLATILE_SPAN = re.compile(r'<span class="ntm-volatile" data-volatile="([A-Za-z0-9_]+)">(.*?)</span>', re.S)


def mask_volatile(text: str) -> tuple[str, set[str]]:
    """``text`` with every volatile value replaced by its name, and the set of names found.

    Two renders of the same inputs give the same masked HTML.
    """
    found: set[str] = set()

    def repl(m: re.Match) -> str:
        found.add(m.group(1))
        return f'<span class="{VOLATILE_CLASS}" data-volatile="{m.group(1)}">{m.group(1)}</span>'

    return _VOLATILE_SPAN.sub(repl, text), found


def _text_table(uuid: str, head: list[str], rows: list[tuple[Markup, ...]]) -> Markup:
    """A table of already-safe text cells laid out by pandas' ``Styler`` like the report's tables: every cell
    left-aligned (text), the table's id outranking the notebook theme's right-aligned cells."""
    import pandas as pd  # noqa: PLC0415
    from pandas.io.formats.style import Styler  # noqa: PLC0415

    frame = pd.DataFrame([[str(c) for c in r] for r in rows], columns=[str(escape(h)) for h in head])
    styler = (Styler(frame, uuid=uuid, cell_ids=False).hide(axis="index")
              .set_table_attributes('class="ntm-table"')
              .set_table_styles([{"selector": "td", "props": "text-align: left;"},
                                 {"selector": "th", "props": "text-align: left;"}]))
    return Markup(styler.to_html())


def _pairs(uuid: str, head: tuple[str, str], rows: list[tuple[Markup, Markup]]) -> Markup:
    """A two-column table of already-safe text cells."""
    return _text_table(uuid, list(head), rows)


def copies(ctx) -> Markup:
    """The sources of the figures a report shows (income, poverty, population, CPI), each as the report cites it
    (publisher and table), as the data record it, and the intermediate copy it came through (a repository, a
    scraped export: named here only, never in the report's body)."""
    from ntm_analysis.data.variables import CPI_VARIABLE  # noqa: PLC0415
    from ntm_analysis.report.context import FIGURES  # noqa: PLC0415
    from ntm_analysis.report.sources import footer_rows  # noqa: PLC0415

    lang = ctx.lang
    rows = ctx.panel[ctx.panel["variable"].isin([*FIGURES, CPI_VARIABLE])
                     & (ctx.panel["code"].isin(ctx.codes) | (ctx.panel["level"] != "province"))]
    pairs = sorted(set(zip(rows["source_file"].astype(str), rows["source"].astype(str))))
    rows = [(escape(cited), Markup("<code>{}: {}</code>").format(f, raw), Markup("<code>{}</code>").format(copy or "—"))
            for f, (cited, raw, copy) in zip((p[0] for p in pairs), footer_rows(pairs, lang, ctx.params.data_dir))]
    head = [i18n.t(k, lang) for k in ("col_cited_as", "col_source_collected", "col_copy")]
    return Markup("<p>{}</p>{}").format(i18n.t("source_copies_intro", lang), _text_table("ntm_source_copies", head, rows))


def footer(ctx, now: _dt.datetime | None = None) -> Markup:
    """Footer: data checksums, the input digest, package versions, git commit, parameters and the render time."""
    from ntm_analysis.data.sources import checksums  # noqa: PLC0415
    from ntm_analysis.report.inputs import context_files, input_digest  # noqa: PLC0415

    lang = ctx.lang
    code = Markup("<code>{}</code>").format
    sums = checksums(context_files(ctx.params.data_dir), ctx.params.data_dir)
    data = _pairs("ntm_data_files", (i18n.t("col_file", lang), "SHA-256"),
                  [(code(f), code(volatile("data_file_checksum", v))) for f, v in sums.items()])
    digest = i18n.html("input_digest", lang, digest=code(input_digest(ctx.params)))
    vers = versions(lang)
    soft = _pairs("ntm_software", (i18n.t("col_package", lang), i18n.t("col_version", lang)),
                  [(code(k), code(v)) for k, v in vers.items()])
    params = json.dumps(ctx.params.to_notebook_parameters(), ensure_ascii=False, indent=1, sort_keys=True)
    now = now or _dt.datetime.now(_dt.timezone.utc)
    when = now.strftime("%Y-%m-%d %H:%M UTC") if lang == "en" else now.strftime("%H:%M UTC %d/%m/%Y")
    rendered = i18n.html("rendered_at", lang, time=volatile("rendered_at", when), commit=code(git_commit()))
    return Markup('<div class="{}">{}</div>').format(FOOTER_CLASS, Markup("").join([
        Markup("<p>{}</p>").format(rendered),
        Markup("<h4>{}</h4>").format(i18n.t("source_copies", lang)), copies(ctx),
        Markup("<h4>{}</h4>").format(i18n.t("parameters", lang)), Markup('<pre class="ntm-params">{}</pre>').format(params),
        Markup("<h4>{}</h4>").format(i18n.t("data_files", lang)), Markup("<p>{}</p>").format(digest), data,
        Markup("<h4>{}</h4>").format(i18n.t("software", lang)), soft,
    ]))
