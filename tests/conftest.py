import os

import matplotlib

matplotlib.use("Agg")
os.environ.setdefault("MPLBACKEND", "Agg")


# --- headless Chromium (tests/browser.py) --------------------------------------------------------------------
import pytest  # noqa: E402


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the whole session (installed with apt when missing; never skipped).

    Killed, with all its child processes, when the session ends.
    """
    import browser  # noqa: PLC0415  (tests/browser.py)

    try:
        binary = browser.ensure_chromium()
    except browser.ChromiumUnavailable as exc:
        pytest.fail(f"headless Chromium is required for the browser tests: {exc}", pytrace=False)
    instance = browser.Chromium(binary)
    try:
        yield instance
    finally:
        instance.close()
