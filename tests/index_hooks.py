"""Extra-HTML hooks for tests/render/test_index_pages.py (the engine imports them by name)."""
import markupsafe


def extra(lang, rows, output):
    return "".join(markupsafe.Markup('<p id="hook">{}: {} → {}</p>').format(lang, r["key"], r["href"]) for r in rows)


def broken(lang, rows, output):
    raise RuntimeError("no map today <b>")


#: Calls of :func:`recording` (lang, keys and data folders of its rows, output).
CALLS = []


def recording(lang, rows, output):
    CALLS.append((lang, [r["key"] for r in rows], [r["metadata"]["parameters"]["data_dir"] for r in rows], output))
    return "<p>drawn</p>"
