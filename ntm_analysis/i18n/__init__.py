"""Languages of the reports: English (default) and Vietnamese.

* :func:`fmt_number` writes numbers the way each language reads them:
  English ``1,387.5``; Vietnamese ``1.387,5`` (dot thousands, decimal comma).
* :func:`t` looks up a report string by key; every visible string of a report
  lives in :data:`MESSAGES`, so a test can check that a Vietnamese report has
  no English left in it.
* :func:`check_font_covers` tells whether a font has a glyph for every
  character of a text (Vietnamese needs Latin Extended Additional).
"""
from __future__ import annotations

import math
import os
import re
import string
from functools import lru_cache
from pathlib import Path

import yaml

LANGS = ("en", "vi")


def _check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, got {lang!r}")
    return lang


def fmt_number(value: object, lang: str = "en", decimals: int = 0, missing: str | None = None) -> str:
    """Format a number with thousands separators in the reader's convention.

    >>> fmt_number(1387.25, "en", 1), fmt_number(1387.25, "vi", 1)
    ('1,387.2', '1.387,2')

    Missing values (None, NaN) become ``missing`` (default: an em dash in English,
    "không có số liệu" is too long for tables, so also an em dash in Vietnamese).
    """
    _check_lang(lang)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—" if missing is None else missing
    try:
        import pandas as pd  # noqa: PLC0415

        if pd.isna(value):
            return "—" if missing is None else missing
    except (TypeError, ValueError, ImportError):
        pass
    s = f"{float(value):,.{decimals}f}"
    if lang == "vi":
        s = s.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return s


def fmt_percent(value: object, lang: str = "en", decimals: int = 1) -> str:
    """A percentage with its sign: ``40.0 %`` / ``40,0 %`` (thin space before %, as both styles allow)."""
    s = fmt_number(value, lang, decimals)
    return s if s == "—" else f"{s} %"


CATALOG_FILE = Path(__file__).resolve().parent / "catalog.yml"
#: What a message is: plain text, Markdown or an HTML template (decides how it and its fields are escaped).
KINDS = ("text", "markdown", "html")


class CatalogError(ValueError):
    """The catalog file is malformed: the message names the key and what is wrong."""


class _UniqueKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """A YAML loader that refuses a key repeated in one mapping (YAML itself would keep the last silently)."""

    def construct_mapping(self, node, deep=False):
        seen = {}
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise CatalogError(f"{CATALOG_FILE.name}, line {key_node.start_mark.line + 1}: key {key!r} repeated "
                                   f"(first at line {seen[key]}); every key must be unique")
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


def load_catalog(path: str | os.PathLike = CATALOG_FILE) -> dict:
    """The catalog as a dict (messages, units, labels, as_of), checked: unique keys, both languages, a known kind,
    the same ``{fields}`` in both languages."""
    with open(path, encoding="utf-8") as fh:
        cat = yaml.load(fh, Loader=_UniqueKeyLoader)  # noqa: S506 (a safe loader)
    for key, m in cat["messages"].items():
        if m.get("kind") not in KINDS:
            raise CatalogError(f"{Path(path).name}: message {key!r} has kind {m.get('kind')!r}; expected one of {KINDS}")
        missing = [lang for lang in LANGS if not isinstance(m.get(lang), str)]
        if missing:
            raise CatalogError(f"{Path(path).name}: message {key!r} has no text in {', '.join(missing)}")
        fields = {lang: {f for _, f, _, _ in string.Formatter().parse(m[lang]) if f} for lang in LANGS}
        if fields["en"] != fields["vi"]:  # a field a translation leaves out is written {field:.0}
            raise CatalogError(f"{Path(path).name}: message {key!r} has fields {sorted(fields['en'])} in en but "
                               f"{sorted(fields['vi'])} in vi; both languages take the same fields")
    for key, c in (cat.get("columns") or {}).items():
        for lang in LANGS:
            if not (isinstance(c.get(lang), list) and len(c[lang]) == 2 and all(isinstance(x, str) for x in c[lang])):
                raise CatalogError(f"{Path(path).name}: column {key!r} needs [header, description] in {lang}")
    for key, c in (cat.get("tables") or {}).items():
        bad = [lang for lang in LANGS if not isinstance(c.get(lang), str) or not 0 < len(c[lang]) <= 31]
        if bad:
            raise CatalogError(f"{Path(path).name}: table {key!r} needs a title of 1 to 31 characters in "
                               f"{', '.join(bad)} (it is the workbook's sheet name)")
    return cat


_CATALOG = load_catalog()
#: Every visible string of the reports, by key: ``{key: {"en": …, "vi": …}}`` (read from catalog.yml).
MESSAGES: dict[str, dict[str, str]] = {k: {lang: m[lang] for lang in LANGS} for k, m in _CATALOG["messages"].items()}
#: The kind of each message (see :data:`KINDS`).
MESSAGE_KINDS: dict[str, str] = {k: m["kind"] for k, m in _CATALOG["messages"].items()}
#: Units of the data (as the data writes them) in each language; units not listed are shown as they are.
UNITS: dict[str, dict[str, str]] = _CATALOG["units"]
#: Labels of the data's codes (status, measures, qualifiers, confidence, NTM indicators) in each language.
LABELS: dict[str, dict[str, dict[str, str]]] = _CATALOG["labels"]
#: The national NTM snapshots' free-text dates, in Vietnamese (dates written YYYY-MM[-DD] are converted by rule).
AS_OF_VI: dict[str, str] = {k: v["vi"] for k, v in _CATALOG["as_of"].items()}
#: Report table columns: ``{id: {lang: [header, description]}}`` (what each column is: report/columns.yml).
COLUMNS: dict[str, dict[str, list[str]]] = _CATALOG.get("columns") or {}
#: Report table titles: ``{id: {lang: title}}``.
TABLES: dict[str, dict[str, str]] = _CATALOG.get("tables") or {}


def column(column_id: str, lang: str = "en", **fields: object) -> tuple[str, str] | None:
    """The header and description of a report table's column in ``lang`` (``{fields}`` filled in), or None for a
    column the catalog does not know (one a researcher added in the notebook)."""
    _check_lang(lang)
    c = COLUMNS.get(column_id)
    if c is None:
        return None
    head, desc = c[lang]
    return (head.format(**fields), desc.format(**fields)) if fields else (head, desc)


def table_title(table_id: str, lang: str = "en") -> str:
    """The title of a report table in ``lang`` (its id for a table the catalog does not know)."""
    _check_lang(lang)
    return TABLES.get(table_id, {}).get(lang, table_id)


def unit(text: object, lang: str = "en") -> str:
    """A unit of the data in ``lang`` (units not in :data:`UNITS` are returned unchanged)."""
    _check_lang(lang)
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    return UNITS.get(str(text), {}).get(lang, str(text))


def label(kind: str, code: object, lang: str = "en") -> str:
    """The label of a data code (``kind``: status, measure, qualifier, confidence, indicator) in ``lang``.

    Codes without a label are returned unchanged.
    """
    _check_lang(lang)
    if code is None or (isinstance(code, float) and math.isnan(code)):
        return ""
    return LABELS[kind].get(str(code), {}).get(lang, str(code))


_DATE = re.compile(r"\b(\d{4})-(\d{2})(?:-(\d{2}))?\b")


def date(text: object, lang: str = "en") -> str:
    """Dates inside ``text`` in the reader's order: ``2019-11`` stays in English, is ``11/2019`` in Vietnamese
    (``2023-06-30`` → ``30/06/2023``)."""
    _check_lang(lang)
    s = "" if text is None else str(text)
    if lang == "en":
        return s
    return _DATE.sub(lambda m: f"{m.group(3)}/{m.group(2)}/{m.group(1)}" if m.group(3)
                     else f"{m.group(2)}/{m.group(1)}", s)


def period(text: object, lang: str = "en") -> str:
    """An NTM period label ("2011–2015", "as of 2019-11", "2016–2019-06") in ``lang``."""
    _check_lang(lang)
    s = "" if text is None else str(text).strip()
    if lang == "en":
        return s
    if s in ("as of", ""):
        return t("as_of_unknown", lang)
    if s.startswith("as of "):
        return t("as_of", lang, date=date(s[len("as of "):], lang))
    return date(s, lang)


def as_of(text: object, lang: str = "en") -> str:
    """A national NTM snapshot's date ("2019-09", "2020-12 (estimate)", …) in ``lang``."""
    _check_lang(lang)
    s = "" if text is None else str(text)
    if lang == "en":
        return s
    return AS_OF_VI.get(s, date(s, lang))


def _template(key: str, lang: str) -> str:
    _check_lang(lang)
    try:
        return MESSAGES[key][lang]
    except KeyError:
        raise KeyError(f"no report string {key!r} (lang {lang!r}); add it to ntm_analysis/i18n/catalog.yml") from None


def kind(key: str) -> str:
    """The kind of message ``key``: "text", "markdown" or "html"."""
    _template(key, "en")
    return MESSAGE_KINDS[key]


def t(key: str, lang: str = "en", **fields: object) -> str:
    """The report string ``key`` in ``lang``, with ``{fields}`` filled in as they are (no escaping: for plain text
    destinations such as figure labels, CSV and XLSX; use :func:`html` or :func:`markdown` for a page)."""
    text = _template(key, lang)
    return text.format(**fields) if fields else text


def html(key: str, lang: str = "en", **fields: object) -> "markupsafe.Markup":
    """Message ``key`` as HTML, escaped by its kind: a "text" message is escaped whole; an "html" message is a
    trusted template whose fields are escaped (a field that is already :class:`markupsafe.Markup` is kept).
    A "markdown" message has no HTML form here: show it with :func:`markdown`."""
    import markupsafe  # noqa: PLC0415 (Jinja's own escaping library)

    k = kind(key)
    text = _template(key, lang)
    if k == "markdown":
        raise TypeError(f"message {key!r} is Markdown; display it with i18n.markdown(), not i18n.html()")
    template = markupsafe.escape(text) if k == "text" else markupsafe.Markup(text)
    return template.format(**fields) if fields else template




def md_escape(value: object) -> str:
    """Data-derived text for a Markdown page: HTML special characters escaped and Markdown's own marks
    backslash-escaped, so a name is shown as written and never formats or runs anything."""
    import html as _html  # noqa: PLC0415

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return re.sub(r"([\\`*_\[\]#|])", r"\\\1", _html.escape(str(value), quote=True))


class MarkdownText(str):
    """A string that is already Markdown (its data-derived parts escaped): :func:`markdown` keeps it as it is."""


def markdown(key: str, lang: str = "en", **fields: object) -> MarkdownText:
    """Message ``key`` as Markdown: a "markdown" message with its fields escaped (:func:`md_escape`, except
    :class:`MarkdownText` fields); a "text" message escaped whole. An "html" message is refused."""
    k = kind(key)
    if k == "html":
        raise TypeError(f"message {key!r} is HTML; display it with i18n.html(), not i18n.markdown()")
    text = _template(key, lang)
    if k == "text":
        return MarkdownText(md_escape(text.format(**fields) if fields else text))
    safe = {n: v if isinstance(v, MarkdownText) else md_escape(v) for n, v in fields.items()}
    return MarkdownText(text.format(**safe) if safe else text)


@lru_cache(maxsize=16)
def _charmap(font_path: str) -> frozenset[int]:
    from matplotlib.ft2font import FT2Font  # noqa: PLC0415

    return frozenset(FT2Font(font_path).get_charmap())


def check_font_covers(text: str, font_path: str | None = None) -> list[str]:
    """Characters of ``text`` the font has no glyph for (empty list: the font renders it all).

    ``font_path`` defaults to the font matplotlib resolves for its current ``font.family``.
    """
    if font_path is None:
        from matplotlib import font_manager  # noqa: PLC0415

        font_path = font_manager.findfont(font_manager.FontProperties())
    have = _charmap(font_path)
    return sorted({ch for ch in text if not ch.isspace() and ord(ch) not in have})
