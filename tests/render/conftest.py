"""Shared by the render tests: one warm pool of two workers for the whole session (its kernels stay warm from test
to test: ``render(..., executor=render_pool)``), and a leak check that knows which kernels the pool may keep."""
import tempfile
import time

import pytest

from leaks import current, leaked
from ntm_analysis.render.executors import LocalExecutor


@pytest.fixture(scope="session")
def render_pool():
    """Two worker processes with warm kernels, serving every render test that passes it; closed at the end."""
    kernels, socks = current()
    with LocalExecutor(workers=2) as pool:
        yield pool
    # closed: its workers shut their kernels down on the way out, nothing is left behind
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(leaked(kernels, socks)):
        time.sleep(0.2)
    assert leaked(kernels, socks) == (set(), set()), "the closed pool left kernels or socket folders behind"


@pytest.fixture
def no_leaks(request):
    """Fails the test if it leaves a kernel process or a kernel socket folder behind (beyond the warm pool's)."""
    pool = request.getfixturevalue("render_pool") if "render_pool" in request.fixturenames else None
    kernels, socks = current()
    yield
    deadline = time.monotonic() + 15  # a kernel orphaned by a killed worker notices within a few seconds
    while time.monotonic() < deadline and any(leaked(kernels, socks, pool)):
        time.sleep(0.5)
    left_kernels, left_socks = leaked(kernels, socks, pool)
    assert left_kernels == set(), "kernel processes left running"
    assert left_socks == set(), f"kernel socket folders left in {tempfile.gettempdir()}"
