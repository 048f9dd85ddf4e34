"""A model's summary in a page: its title, one paragraph per line of the summary, then its reading.

:meth:`ntm_analysis.models.ModelResult.summary` writes its lines one under another ("Observations: …",
"Standard errors: …", "Bootstrap: …"); Markdown joins consecutive lines into one paragraph, so shown as they are
they run together. :func:`paragraphs` separates them; :func:`model_markdown` is what a page shows for one model.
"""
from __future__ import annotations


def _kind(line: str) -> str:
    s = line.strip()
    if not s:
        return "blank"
    if s.startswith("|"):
        return "table"
    if s.startswith(("- ", "* ")):
        return "list"
    return "text"


def paragraphs(markdown: str) -> str:
    """``markdown`` with every line of text its own paragraph (a blank line between two text lines, and between
    text and a table or a list); the rows of a table and the items of a list stay together."""
    out: list[str] = []
    previous = "blank"
    for line in str(markdown).splitlines():
        kind = _kind(line)
        if kind != "blank" and previous != "blank" and (kind == "text" or kind != previous):
            out.append("")
        out.append(line)
        previous = kind
    return "\n".join(out)


def model_markdown(title: str, result, level: int = 3) -> str:
    """Markdown of one model: a heading ``title``, its summary one paragraph per line (:func:`paragraphs`), and
    its reading in a paragraph of its own."""
    return (f"{'#' * level} {title}\n\n{paragraphs(result.summary())}\n\n"
            f"**Reading.** {result.reading()}")
