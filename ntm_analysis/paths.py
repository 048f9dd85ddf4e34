"""Where the project's data lives.

The shipped data is the repository's ``data/`` folder. Set the environment
variable ``NTM_DATA_DIR`` (or pass ``data_dir=`` to the loaders) to point the
library at a copy of your own with the same layout.
"""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent


def data_dir(override: str | os.PathLike | None = None) -> Path:
    """The data folder: ``override`` if given, else ``$NTM_DATA_DIR``, else ``<repo>/data``."""
    if override is not None:
        return Path(override)
    env = os.environ.get("NTM_DATA_DIR")
    return Path(env) if env else PROJECT_DIR / "data"


def raw_dir(override: str | os.PathLike | None = None) -> Path:
    """``data/raw``: immutable copies of published figures."""
    return data_dir(override) / "raw"
