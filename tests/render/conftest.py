"""Shared by the render tests: a leak check that knows which kernels the session's warm pool may keep (the pool,
``render_pool``, is in tests/conftest.py: the golden reports and the browser tests render on it too)."""
import tempfile
import time

import pytest

from leaks import current, leaked


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
