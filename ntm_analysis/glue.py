"""Named values recorded in a notebook's outputs, read back from the executed notebook.

A notebook calls :func:`glue` for each value a reader, a test or the renderer needs by name (an elasticity, a
table of numbers, the index summary): the value is written as a display output of its own MIME type, invisible in
the HTML report, and :func:`read_glue` returns every glued value of an executed notebook as a dict, without running
anything (the same idea as scrapbook's ``glue``/``read_notebook``).

Values must be JSON-serialisable (numbers, strings, booleans, lists, dicts, None); NumPy scalars and arrays, pandas
Series (a dict by index) and DataFrames (a list of row dicts) are turned into those. NaN, infinities and pandas' NA
are written as None: a gap stays a gap.
"""
from __future__ import annotations

import json
import math
from typing import Any, Mapping

#: The MIME type of a glued value's output.
MIME_TYPE = "application/vnd.ntm.glue+json"


def _plain(value: Any) -> Any:
    """``value`` as JSON types: NumPy scalars as Python numbers, arrays as lists, a DataFrame as a list of row dicts,
    a Series as a dict, NaN/inf/NA as None (JSON has none of them)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "columns") and hasattr(value, "to_dict"):  # pandas DataFrame
        return [_plain(r) for r in value.to_dict("records")]
    if hasattr(value, "index") and hasattr(value, "to_dict") and not isinstance(value, (str, bytes)):  # Series
        return _plain(value.to_dict())
    if type(value).__name__ in ("NAType", "NaTType"):  # pandas.NA, pandas.NaT
        return None
    if hasattr(value, "tolist") and getattr(value, "ndim", 0) > 0:  # NumPy array
        return _plain(value.tolist())
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # NumPy scalar
        try:
            value = value.item()
        except (TypeError, ValueError):
            pass
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def payload(name: str, value: Any) -> dict:
    """The output bundle of one glued value (checked to be JSON now, not when the notebook is saved)."""
    if not isinstance(name, str) or not name:
        raise ValueError(f"glue: the name must be a non-empty string, got {name!r}")
    data = {"name": name, "value": _plain(value)}
    json.dumps(data, allow_nan=False)  # raises TypeError/ValueError naming what cannot be stored
    return {MIME_TYPE: data}


def glue(name: str, value: Any) -> None:
    """Record ``value`` under ``name`` in the running notebook's outputs (no visible output)."""
    from IPython.display import display  # noqa: PLC0415

    display(payload(name, value), raw=True)


def read_glue(nb: Any) -> dict[str, Any]:
    """Every value glued in an executed notebook (a notebook node, a dict, or a path to an ``.ipynb``), by name;
    a name glued twice keeps its last value."""
    if isinstance(nb, (str, bytes)) or hasattr(nb, "__fspath__"):
        with open(nb, encoding="utf-8") as fh:
            nb = json.load(fh)
    out: dict[str, Any] = {}
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) or []:
            data = (output.get("data") or {}).get(MIME_TYPE)
            if data is None:
                continue
            if isinstance(data, str):  # some writers store JSON outputs as text
                data = json.loads(data)
            out[data["name"]] = data["value"]
    return out
