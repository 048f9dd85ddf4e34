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
def golden(tmp_path_factory):
    """The reports of :data:`GOLDEN`, rendered with one ``render(..., workers=2)`` call for the whole session."""
    from ntm_analysis.render import render  # noqa: PLC0415
    from ntm_analysis.report.params import ReportParams  # noqa: PLC0415

    params = {name: ReportParams(province=p, vintage=v, lang=lang).validate() for name, (p, v, lang) in GOLDEN.items()}
    out = tmp_path_factory.mktemp("golden")
    summary = render(list(params.values()), output=out, workers=2, progress=False)
    assert summary.exit_code == 0 and not summary.failed, summary.failed
    return Golden(out, params)
