"""pytest plugin: every test under ``tests/<layer>/`` gets the marker ``<layer>``, so ``pytest -m "data or intake"``
runs those layers only. Loaded with ``-p layer_markers`` (``addopts`` in pyproject.toml, ``tests`` on
``pythonpath``); the markers are registered there too (``--strict-markers``)."""
from pathlib import Path

import pytest

#: The layer folders of tests/ (each a marker of the same name).
LAYERS = ("data", "intake", "indicators", "models", "analyses", "report", "render", "site", "notebooks", "i18n")
TESTS = Path(__file__).resolve().parent


def layer_of(path: Path) -> str | None:
    """The layer folder of a test file under tests/, or None (a file directly in tests/, or outside it)."""
    try:
        parts = Path(path).resolve().relative_to(TESTS).parts
    except ValueError:
        return None
    return parts[0] if len(parts) > 1 and parts[0] in LAYERS else None


def pytest_collection_modifyitems(items):
    for item in items:
        layer = layer_of(item.path)
        if layer is not None:
            item.add_marker(getattr(pytest.mark, layer))
