"""Session-wide test fixtures and hooks: headless Chromium, one warm render pool for every test that renders, the
golden reports rendered once on it, and the background jobs of tests/background.py."""
import os
import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
os.environ.setdefault("MPLBACKEND", "Agg")
# Copies of the data folder under the temporary folder (data_copy and the like) are edited on purpose: they are not
# checked against their provenance.yml checksums (ntm_analysis.data.cache.UNSEALED_ENV); the shipped data/ always is,
# and tests/data/test_integrity.py checks copies with the variable unset. Strict CSV parsing applies everywhere.
import tempfile  # noqa: E402

os.environ.setdefault("NTM_UNSEALED_DATA", tempfile.gettempdir())


# --- headless Chromium (tests/browser.py) --------------------------------------------------------------------
import pytest  # noqa: E402

import background  # noqa: E402  (tests/background.py)


# --- background jobs (tests/background.py): started when collection ends, stopped when the session ends ---------
@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    items[:] = background.last(items)  # the tests that wait for a job run last: it ran meanwhile


def pytest_collection_finish(session):
    if not session.config.option.collectonly:
        background.start_for(session.items)


def pytest_sessionfinish(session):
    background.stop_all()


@pytest.fixture
def data_copy(tmp_path):
    """A private copy of the shipped data folder (without its cache), for tests that edit a file: the shipped
    ``data/`` is never edited."""
    import shutil  # noqa: PLC0415

    from ntm_analysis import paths  # noqa: PLC0415

    dest = tmp_path / "data"
    shutil.copytree(paths.data_dir(), dest, ignore=shutil.ignore_patterns(".cache"))
    return dest


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the whole session (``make setup`` installs it; missing: a failure, never a skip).

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


# --- one warm render pool for the session ----------------------------------------------------------------------
@pytest.fixture(scope="session")
def render_pool():
    """Two worker processes with warm kernels, serving every test that renders (``render(..., executor=render_pool)``:
    the render tests, the golden reports, the browser tests' hostile data), so kernels start and import once per
    session; closed at the end, leaving no kernel or socket folder behind. A report rendered on it equals a cold
    papermill render (tests/render/test_render_real.py: the reset between reports is complete)."""
    from ntm_analysis.render.executors import LocalExecutor  # noqa: PLC0415

    sys.path.insert(0, str(Path(__file__).parent / "render"))  # tests/render/leaks.py, also when only tests/report runs
    from leaks import current, leaked  # noqa: PLC0415

    kernels, socks = current()
    with LocalExecutor(workers=2) as pool:
        yield pool
    # closed: its workers shut their kernels down on the way out, nothing is left behind
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(leaked(kernels, socks)):
        time.sleep(0.2)
    assert leaked(kernels, socks) == (set(), set()), "the closed pool left kernels or socket folders behind"


# --- golden outputs: a few reports rendered once per session, read by every test that only inspects them ---------
GOLDEN = {  # name -> (province, vintage, lang): both geographies, both languages, with and without a seed article
    "lao-cai": ("Lào Cai", 2008, "en"),
    "lao-cai.vi": ("Lào Cai", 2008, "vi"),
    "ha-giang": ("Hà Giang", 2008, "en"),
    "lao-cai-2025.vi": ("Lào Cai", 2025, "vi"),
    "lam-dong-2025": ("Lâm Đồng", 2025, "en"),
}


class Golden:
    """The session's rendered reports: ``out`` (the output folder), ``params[name]``, ``html(name)`` (the report's
    text), ``report(name)`` / ``downloads(name)`` / ``notebook(name)`` (paths). Read only: copy before changing."""

    def __init__(self, out, params):
        self.out, self.params = out, params

    def _base(self, name):
        from ntm_analysis.report.spec import vintage_dir  # noqa: PLC0415

        return vintage_dir(self.out, self.params[name].vintage)

    def report(self, name):
        return self._base(name) / "reports" / f"{self.params[name].stem}.html"

    def html(self, name) -> str:
        return self.report(name).read_text(encoding="utf-8")

    def downloads(self, name):
        return self._base(name) / "downloads"

    def notebook(self, name):
        return self._base(name) / "notebooks" / f"{self.params[name].stem}.ipynb"


@pytest.fixture(scope="session")
def golden(tmp_path_factory, render_pool):
    """The reports of :data:`GOLDEN`, rendered with one ``render()`` call on the session's warm pool."""
    from ntm_analysis.render import render  # noqa: PLC0415
    from ntm_analysis.report.params import ReportParams  # noqa: PLC0415

    params = {name: ReportParams(province=p, vintage=v, lang=lang).validate() for name, (p, v, lang) in GOLDEN.items()}
    out = tmp_path_factory.mktemp("golden")
    summary = render(list(params.values()), output=out, executor=render_pool, progress=False)
    assert summary.exit_code == 0 and not summary.failed, summary.failed
    return Golden(out, params)
