"""Headless Chromium for tests, driven through the DevTools protocol over a pipe.

* :func:`ensure_chromium` finds the ``chromium`` binary (``make setup`` installs Debian's package); when it is
  missing it raises :class:`ChromiumUnavailable` saying to run ``make setup`` (the fixture turns it into a test
  failure, never a skip).
* :class:`Chromium` starts one headless browser with ``--remote-debugging-pipe``: the DevTools protocol runs over
  two inherited file descriptors (3 and 4), so no TCP port is opened and no websocket library is needed. Host
  names do not resolve (``--host-resolver-rules``), so pages can load only ``file://``, ``data:`` and loopback.
  Every call has a timeout; :meth:`Chromium.close` (also run at interpreter exit) kills the browser's whole
  process group, so no renderer or zygote outlives it.
* :class:`Page` is one tab: console errors, uncaught exceptions and error log entries are collected from the moment
  the tab opens; every request the page makes is recorded; helpers evaluate JavaScript, check that every ``<img>``
  decoded and take a screenshot (:func:`screenshot_problems` says whether a PNG looks blank).
"""
from __future__ import annotations

import base64
import fcntl
import io
import itertools
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import weakref
from pathlib import Path

CANDIDATES = ("chromium", "/usr/bin/chromium", "chromium-browser")
COMMAND_TIMEOUT = 30.0
LOAD_TIMEOUT = 60.0
#: URL schemes a test page may load; anything else is a network request.
LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:", "chrome-error:", "devtools:")

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--remote-debugging-pipe",
    "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-default-apps",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-breakpad",
    "--disable-crash-reporter", "--disable-domain-reliability", "--disable-client-side-phishing-detection",
    "--metrics-recording-only", "--no-pings", "--mute-audio", "--hide-scrollbars", "--password-store=basic",
    "--use-mock-keychain", "--disable-features=Translate,MediaRouter,OptimizationHints,AutofillServerCommunication",
    # nothing but loopback: every other host name fails to resolve
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1",
    "--allow-file-access-from-files", "--window-size=1280,900", "--force-device-scale-factor=1",
    "--lang=en-US",
]


class ChromiumUnavailable(RuntimeError):
    """Chromium is not installed (``make setup`` installs it)."""


class DevToolsError(RuntimeError):
    """A DevTools command failed, timed out, or the browser went away."""


def find_chromium() -> str | None:
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


def ensure_chromium() -> str:
    """Path of the ``chromium`` binary; :class:`ChromiumUnavailable` (telling to run ``make setup``) when it is not
    installed. Installing it is the Makefile's job (``make setup`` and ``make test`` do), never the test session's."""
    path = find_chromium()
    if path:
        return path
    raise ChromiumUnavailable(f"no Chromium found on PATH (looked for {', '.join(CANDIDATES)}): run `make setup` "
                              f"(it installs Debian's chromium package), or install Chromium yourself")


def chromium_version(binary: str) -> str:
    out = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=60, check=False)
    return (out.stdout or out.stderr).strip()


def _high_fd(fd: int) -> int:
    """A close-on-exec duplicate of ``fd`` numbered 10 or above (so the child's dup2 onto 3 and 4 never clobbers
    one of the pipe ends), closing ``fd``."""
    new = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return new


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def group_processes(pgid: int) -> list[int]:
    """Live (non-zombie) processes of process group ``pgid``, from /proc."""
    pids = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[2]) == pgid and fields[0] != "Z":
            pids.append(int(entry.name))
    return pids


class Chromium:
    """One headless Chromium process (and its children), controlled over ``--remote-debugging-pipe``."""

    def __init__(self, binary: str, *, timeout: float = COMMAND_TIMEOUT, extra_flags: list[str] | None = None):
        self.binary, self.timeout = binary, timeout
        self.profile = tempfile.mkdtemp(prefix="ntm-chromium-")
        to_child_r, to_child_w = (_high_fd(fd) for fd in os.pipe())
        from_child_r, from_child_w = (_high_fd(fd) for fd in os.pipe())

        def child_fds():  # runs in the child between fork and exec: Chromium reads fd 3 and writes fd 4
            os.dup2(to_child_r, 3)
            os.dup2(from_child_w, 4)

        self._ids = itertools.count(1)
        self._lock = threading.Condition()
        self._replies: dict[int, dict] = {}
        self._events: list[dict] = []
        self._closed = False
        self.stderr_path = Path(self.profile) / "chromium-stderr.log"
        try:
            with open(self.stderr_path, "wb") as err:
                self.proc = subprocess.Popen(
                    [binary, *FLAGS, *(extra_flags or []), f"--user-data-dir={self.profile}", "about:blank"],
                    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err, pass_fds=(3, 4),
                    preexec_fn=child_fds, start_new_session=True)
        finally:
            os.close(to_child_r)
            os.close(from_child_w)
        self.pgid = self.proc.pid  # start_new_session: the browser leads its own process group
        self._write_fd, self._read_fd = to_child_w, from_child_r
        self._reader = threading.Thread(target=self._read_loop, name="chromium-devtools", daemon=True)
        self._reader.start()
        # runs on close(), on garbage collection and at interpreter exit, whichever comes first
        self._finalizer = weakref.finalize(self, _kill_group, self.proc, self.pgid, self.profile)
        try:
            self.version = self.send("Browser.getVersion")["product"]
        except Exception:
            self.close()
            raise

    # -- protocol ---------------------------------------------------------------------------------
    def _read_loop(self) -> None:
        buf = b""
        try:
            while True:
                chunk = os.read(self._read_fd, 1 << 20)
                if not chunk:
                    break
                buf += chunk
                while b"\0" in buf:
                    raw, buf = buf.split(b"\0", 1)
                    msg = json.loads(raw)
                    with self._lock:
                        if "id" in msg:
                            self._replies[msg["id"]] = msg
                        else:
                            self._events.append(msg)
                        self._lock.notify_all()
        except OSError:
            pass
        finally:
            with self._lock:
                self._closed = True
                self._lock.notify_all()

    def send(self, method: str, params: dict | None = None, session: str | None = None,
             timeout: float | None = None) -> dict:
        """Send one DevTools command and wait for its result (raises :class:`DevToolsError`)."""
        msg_id = next(self._ids)
        msg = {"id": msg_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        data = json.dumps(msg).encode() + b"\0"
        if self._closed:
            raise DevToolsError(f"{method}: the browser has exited ({self._stderr_tail()})")
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(self._write_fd, view):]
        except OSError as exc:
            raise DevToolsError(f"{method}: cannot write to the browser ({exc})") from exc
        deadline = time.monotonic() + (timeout or self.timeout)
        with self._lock:
            while msg_id not in self._replies:
                left = deadline - time.monotonic()
                if self._closed:
                    raise DevToolsError(f"{method}: the browser exited ({self._stderr_tail()})")
                if left <= 0:
                    raise DevToolsError(f"{method}: no reply within {timeout or self.timeout:.0f} s")
                self._lock.wait(left)
            reply = self._replies.pop(msg_id)
        if "error" in reply:
            raise DevToolsError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def events(self, session: str | None = None) -> list[dict]:
        with self._lock:
            return [e for e in self._events if e.get("sessionId") == session]

    def wait_event(self, method: str, session: str, after: int, timeout: float) -> dict:
        """The first event ``method`` of ``session`` among the events received after index ``after``."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                for e in self._events[after:]:
                    if e.get("method") == method and e.get("sessionId") == session:
                        return e
                left = deadline - time.monotonic()
                if self._closed:
                    raise DevToolsError(f"waiting for {method}: the browser exited ({self._stderr_tail()})")
                if left <= 0:
                    raise DevToolsError(f"no {method} within {timeout:.0f} s")
                self._lock.wait(left)

    def event_count(self) -> int:
        with self._lock:
            return len(self._events)

    def _stderr_tail(self) -> str:
        try:
            return self.stderr_path.read_text(errors="replace")[-1500:].strip() or "no stderr"
        except OSError:
            return "no stderr"

    # -- pages and lifetime -----------------------------------------------------------------------
    def new_page(self, width: int = 1280, height: int = 900) -> "Page":
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, target, session)
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable", session=session)
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}, session=session)
        return page

    def open(self, url: str, timeout: float = LOAD_TIMEOUT) -> "Page":
        """A new tab showing ``url`` (loaded: the ``load`` event fired)."""
        page = self.new_page()
        try:
            page.goto(url, timeout=timeout)
        except Exception:
            page.close()
            raise
        return page

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None and not self._closed

    def close(self) -> None:
        """End the browser: ask politely, then kill its whole process group; remove its profile folder."""
        if self.proc.poll() is None and not self._closed:
            try:
                self.send("Browser.close", timeout=5)
            except DevToolsError:
                pass
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
        self._finalizer()
        for fd in (self._write_fd, self._read_fd):
            try:
                os.close(fd)
            except OSError:
                pass
        self._reader.join(timeout=5)

    def __enter__(self) -> "Chromium":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _kill_group(proc: subprocess.Popen, pgid: int, profile: str) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if not _group_alive(pgid):
            break
        try:
            os.killpg(pgid, sig)
        except (ProcessLookupError, PermissionError):
            break
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and group_processes(pgid):
            time.sleep(0.05)
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass
    shutil.rmtree(profile, ignore_errors=True)


def _remote_object_text(obj: dict) -> str:
    if "value" in obj:
        return str(obj["value"])
    return obj.get("description") or obj.get("unserializableValue") or obj.get("type", "")


class Page:
    """One tab of a :class:`Chromium` (a flat DevTools session)."""

    def __init__(self, browser: Chromium, target: str, session: str):
        self.browser, self.target, self.session = browser, target, session
        self.url = "about:blank"

    def goto(self, url: str, timeout: float = LOAD_TIMEOUT) -> None:
        mark = self.browser.event_count()
        reply = self.browser.send("Page.navigate", {"url": url}, session=self.session)
        if reply.get("errorText"):
            raise DevToolsError(f"cannot open {url}: {reply['errorText']}")
        self.browser.wait_event("Page.loadEventFired", self.session, mark, timeout)
        self.url = url

    def evaluate(self, expression: str, timeout: float | None = None):
        """The value of a JavaScript expression (promises awaited); a thrown exception raises DevToolsError."""
        reply = self.browser.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                       "awaitPromise": True, "userGesture": True},
                                  session=self.session, timeout=timeout)
        if "exceptionDetails" in reply:
            d = reply["exceptionDetails"]
            raise DevToolsError(f"JavaScript error: {_remote_object_text(d.get('exception', {})) or d.get('text')}")
        return reply["result"].get("value")

    def _events(self, method: str) -> list[dict]:
        return [e["params"] for e in self.browser.events(self.session) if e.get("method") == method]

    def console_errors(self) -> list[str]:
        """console.error/assert calls, uncaught exceptions and error entries of the browser's log (failed loads,
        blocked requests, CSP violations), as text."""
        out = []
        for p in self._events("Runtime.consoleAPICalled"):
            if p["type"] in ("error", "assert"):
                out.append(f"console.{p['type']}: " + " ".join(_remote_object_text(a) for a in p.get("args", [])))
        for p in self._events("Runtime.exceptionThrown"):
            d = p["exceptionDetails"]
            out.append("uncaught: " + (_remote_object_text(d.get("exception", {})) or d.get("text", "")))
        for p in self._events("Log.entryAdded"):
            e = p["entry"]
            if e.get("level") == "error":
                out.append(f"log ({e.get('source')}): {e.get('text')} {e.get('url', '')}".strip())
        return out

    def requests(self) -> list[str]:
        """Every URL the page asked for, in order."""
        return [p["request"]["url"] for p in self._events("Network.requestWillBeSent")]

    def network_requests(self) -> list[str]:
        """Requests that are not local (``file:``, ``data:``, ...): should be empty for our pages."""
        return [u for u in self.requests() if not u.startswith(LOCAL_SCHEMES)]

    def images(self, timeout: float = 20.0) -> list[dict]:
        """Every ``<img>``: src (first 60 characters), complete, natural size and whether ``decode()`` succeeded."""
        return self.evaluate("""
            Promise.all(Array.from(document.images, img => img.decode().then(() => true, () => false)
              .then(decoded => ({src: (img.getAttribute('src') || '').slice(0, 60), complete: img.complete,
                                 naturalWidth: img.naturalWidth, naturalHeight: img.naturalHeight, decoded}))))
        """, timeout=timeout)

    def undecoded_images(self) -> list[dict]:
        """Images that did not load and decode (``complete && naturalWidth > 0`` and ``decode()`` fulfilled)."""
        return [i for i in self.images()
                if not (i["complete"] and i["naturalWidth"] > 0 and i["naturalHeight"] > 0 and i["decoded"])]

    def screenshot(self, full_page: bool = False) -> bytes:
        """A PNG of the viewport (or of the whole page)."""
        params = {"format": "png"}
        if full_page:
            params["captureBeyondViewport"] = True
            size = self.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
            params["clip"] = {"x": 0, "y": 0, "width": size[0], "height": min(size[1], 16000), "scale": 1}
        return base64.b64decode(self.browser.send("Page.captureScreenshot", params, session=self.session)["data"])

    def type_into(self, selector: str, text: str) -> None:
        """Set an input's value and dispatch ``input`` (as typing would)."""
        self.evaluate(f"""(() => {{ const el = document.querySelector({json.dumps(selector)});
            if (!el) throw new Error('no element ' + {json.dumps(selector)});
            el.focus(); el.value = {json.dumps(text)};
            el.dispatchEvent(new Event('input', {{bubbles: true}})); }})()""")

    def close(self) -> None:
        if self.browser.alive:
            try:
                self.browser.send("Target.closeTarget", {"targetId": self.target}, timeout=10)
            except DevToolsError:
                pass

    def __enter__(self) -> "Page":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def screenshot_problems(png: bytes, min_colours: int = 16, min_nonbackground: float = 0.01) -> list[str]:
    """Why a screenshot looks blank (empty list when it does not): not a PNG, fewer than ``min_colours`` distinct
    colours, or less than ``min_nonbackground`` of its pixels differ from the most common colour."""
    from PIL import Image  # noqa: PLC0415

    try:
        img = Image.open(io.BytesIO(png)).convert("RGB")
    except Exception as exc:  # noqa: BLE001
        return [f"not an image: {exc}"]
    w, h = img.size
    colours = img.getcolors(maxcolors=w * h)
    problems = []
    if len(colours) < min_colours:
        problems.append(f"only {len(colours)} distinct colour(s)")
    background = max(colours)[0]
    share = 1 - background / (w * h)
    if share < min_nonbackground:
        problems.append(f"only {share:.2%} of the pixels differ from the background")
    return problems
