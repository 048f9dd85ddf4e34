"""A figure's source as a reader reads it: the publisher and its table in the report's language
("Tổng cục Thống kê (GSO), Niên giám thống kê 2023: …"), from ``sources.yml`` beside this module.

The data keep each row's source as collected (``source``: the table's title and, often, the intermediate copy the
figures came through, such as a GitHub repository). A report's body shows :func:`citation` instead; the
intermediate copies are listed in the provenance footer only (:func:`footer_rows`, from ``data/provenance.yml``).
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

import yaml

SOURCES_FILE = Path(__file__).with_name("sources.yml")
LANGS = ("en", "vi")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", str(text).strip())


@lru_cache(maxsize=1)
def _read() -> tuple[dict, dict]:
    """(publishers by id, entries by (file, source)), checked: every entry names a known publisher and has a title
    in every language."""
    with open(SOURCES_FILE, encoding="utf-8") as fh:
        spec = yaml.safe_load(fh)
    publishers = spec["publishers"]
    entries = {}
    for i, e in enumerate(spec["sources"], start=1):
        where = f"{SOURCES_FILE.name}: source {i} ({e.get('file')!r})"
        if e.get("publisher") not in publishers:
            raise ValueError(f"{where}: publisher {e.get('publisher')!r}; expected one of {sorted(publishers)}")
        missing = [lang for lang in LANGS if not (e.get("title") or {}).get(lang)]
        if missing:
            raise ValueError(f"{where}: no title in {missing}")
        key = (e["file"], _nfc(e["source"]))
        if key in entries:
            raise ValueError(f"{where}: listed twice")
        entries[key] = e
    return publishers, entries


def publisher_name(publisher: str, lang: str, **fields) -> str:
    """A publisher's name in ``lang`` ("Tổng cục Thống kê (GSO)"; ``province`` takes ``name=``)."""
    publishers, _ = _read()
    if publisher not in publishers:
        raise KeyError(f"{SOURCES_FILE.name}: no publisher {publisher!r}; expected one of {sorted(publishers)}")
    return publishers[publisher][lang].format(**fields)


def entry(source_file: str, source: str) -> dict | None:
    """The entry of ``sources.yml`` for one source of one data file (None when it is not listed)."""
    _, entries = _read()
    return entries.get((str(source_file), _nfc(source)))


def citation(source_file: str, source: str, lang: str) -> str:
    """The publisher and table of a source in ``lang``: "Tổng cục Thống kê (GSO), Niên giám thống kê 2023: …";
    a source ``sources.yml`` does not list is returned as the data write it."""
    e = entry(source_file, source)
    if e is None:
        return str(source)
    return f"{publisher_name(e['publisher'], lang)}, {e['title'][lang]}"


def is_listed(source_file: str, source: str) -> bool:
    return entry(source_file, source) is not None


def footer_rows(pairs, lang: str, data_dir=None) -> list[tuple[str, str, str]]:
    """For the provenance footer: each (file, source) of ``pairs`` as (citation in ``lang``, the source as the data
    write it, the intermediate copy of its file as ``data/provenance.yml`` records it), in the order given, once
    each."""
    from ntm_analysis.data.sources import provenance  # noqa: PLC0415

    records = provenance(data_dir).get("files", {})
    out = []
    for source_file, source in dict.fromkeys((str(f), str(s)) for f, s in pairs):
        copy = (records.get(source_file) or {}).get("intermediary") or ""
        out.append((citation(source_file, source, lang), source, str(copy)))
    return out
