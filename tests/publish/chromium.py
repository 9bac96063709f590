"""Headless Chromium driven over the DevTools protocol on a pipe, for tests and screenshots.

Chromium is started with ``--remote-debugging-pipe``: it reads protocol messages
(JSON, each ended by a NUL byte) on fd 3 and writes answers and events on fd 4.
No port, no WebSocket library, nothing but the standard library. Every host
but 127.0.0.1 resolves to nothing (``--host-resolver-rules``), so a page that
tried to reach another host would fail, and the ``Network`` events say it tried.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

FLAGS = ["--headless", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-extensions",
         "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
         '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1', "--remote-debugging-pipe"]


def chromium_binary() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


class ChromiumError(RuntimeError):
    pass


def _high(fd: int) -> int:
    """``fd`` moved to a number of 10 or more."""
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
    os.close(fd)
    return moved


class Chromium:
    """One headless browser with one page; ``call`` sends a protocol command to that page."""

    def __init__(self, binary: str, *, timeout: float = 30.0):
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="repofolio-chromium-")
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        # Out of the way of 3 and 4, so the shell's moves below cannot overwrite each other.
        to_browser_r, from_browser_w = (_high(to_browser_r), _high(from_browser_w))
        flags = [*FLAGS, f"--user-data-dir={self.profile}"]
        if os.geteuid() == 0:
            flags.append("--no-sandbox")  # Chromium refuses to start as root otherwise
        # A small Python trampoline moves the pipe ends to the fd numbers Chromium expects
        # (3 and 4) and becomes Chromium (sh's dash cannot name fds above 9).
        trampoline = (f"import os, sys; os.dup2({to_browser_r}, 3); "
                      f"os.dup2({from_browser_w}, 4); os.execv(sys.argv[1], sys.argv[1:])")
        self.process = subprocess.Popen(
            [sys.executable, "-c", trampoline, binary, *flags, "about:blank"],
            pass_fds=(to_browser_r, from_browser_w), stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._ids = iter(range(1, 1 << 30))
        self._answers: dict[int, dict] = {}
        self._arrived = threading.Condition()
        self.events: queue.Queue[dict] = queue.Queue()
        self.seen_events: list[dict] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.session: str | None = None
        target = self.call("Target.createTarget", {"url": "about:blank"}, browser=True)
        self.session = self.call("Target.attachToTarget", {"targetId": target["targetId"],
                                                           "flatten": True},
                                 browser=True)["sessionId"]
        for domain in ("Page", "Network", "Log", "Runtime"):
            self.call(f"{domain}.enable")

    # -- protocol -------------------------------------------------------------------------

    def _read(self) -> None:
        buffer = b""
        with os.fdopen(self._from_browser, "rb", buffering=0) as pipe:
            while chunk := pipe.read(65536):
                buffer += chunk
                while b"\0" in buffer:
                    raw, buffer = buffer.split(b"\0", 1)
                    message = json.loads(raw)
                    if "id" in message:
                        with self._arrived:
                            self._answers[message["id"]] = message
                            self._arrived.notify_all()
                    else:
                        self.seen_events.append(message)
                        self.events.put(message)

    def call(self, method: str, params: dict | None = None, *, browser: bool = False) -> dict:
        number = next(self._ids)
        message: dict[str, Any] = {"id": number, "method": method, "params": params or {}}
        if not browser and self.session:
            message["sessionId"] = self.session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        with self._arrived:
            while number not in self._answers:
                left = deadline - time.monotonic()
                if left <= 0 or self.process.poll() is not None:
                    raise ChromiumError(f"no answer to {method}")
                self._arrived.wait(min(left, 0.5))
            answer = self._answers.pop(number)
        if "error" in answer:
            raise ChromiumError(f"{method}: {answer['error']}")
        return answer.get("result", {})

    def wait_for_event(self, method: str) -> dict:
        deadline = time.monotonic() + self.timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise ChromiumError(f"no {method} event")
            try:
                event = self.events.get(timeout=min(left, 0.5))
            except queue.Empty:
                continue
            if event.get("method") == method:
                return event

    # -- what tests use -------------------------------------------------------------------

    def viewport(self, width: int, height: int, *, dark: bool = False) -> None:
        self.call("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})
        self.call("Emulation.setEmulatedMedia", {"features": [
            {"name": "prefers-color-scheme", "value": "dark" if dark else "light"}]})

    def open(self, url: str) -> None:
        while not self.events.empty():  # forget the previous page's events
            self.events.get_nowait()
        self.call("Page.navigate", {"url": url})
        self.wait_for_event("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression, run by the test (not by the page)."""
        result = self.call("Runtime.evaluate", {"expression": expression,
                                                "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            raise ChromiumError(f"{expression!r}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def click(self, x: float, y: float) -> None:
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y,
                                                   "button": "left", "clickCount": 1})

    def press(self, key: str, code: int, *, shift: bool = False) -> None:
        for kind in ("rawKeyDown", "keyUp"):
            self.call("Input.dispatchKeyEvent", {"type": kind, "key": key, "code": key,
                                                 "windowsVirtualKeyCode": code,
                                                 "modifiers": 8 if shift else 0})

    def requested_urls(self) -> list[str]:
        return [e["params"]["request"]["url"] for e in self.seen_events
                if e.get("method") == "Network.requestWillBeSent"]

    def log_entries(self) -> list[dict]:
        return [e["params"]["entry"] for e in self.seen_events
                if e.get("method") == "Log.entryAdded"]

    def screenshot(self, path: Path, *, full_page: bool = False) -> None:
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            size = self.evaluate("[document.documentElement.scrollWidth,"
                                 " document.documentElement.scrollHeight]")
            params.update(captureBeyondViewport=True, clip={
                "x": 0, "y": 0, "width": size[0], "height": size[1], "scale": 1})
        data = self.call("Page.captureScreenshot", params)["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        try:
            self.call("Browser.close", browser=True)
        except (ChromiumError, OSError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, 9)
            self.process.wait()
        os.close(self._to_browser)
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> "Chromium":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
