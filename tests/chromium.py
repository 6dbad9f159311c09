"""Headless Chromium driven through the DevTools protocol over a pipe, with the standard library only.

``--remote-debugging-pipe`` makes Chromium read protocol messages (JSON, each ending in a NUL
byte) on its file descriptor 3 and write on 4: no port is opened, so nothing else on the machine
can talk to it. ``Page`` loads a URL and records what a test asks about: console messages,
uncaught exceptions, log errors and every network request.
"""

from __future__ import annotations

import base64
import json
import os
import queue
import shutil
import struct
import subprocess
import tempfile
import threading
import time
import zlib
from pathlib import Path

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--hide-scrollbars",
    "--mute-audio",
]
TIMEOUT = 30.0


def chromium() -> str | None:
    """The Chromium (or Chrome) on PATH, or None."""
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


class Browser:
    """One headless Chromium; ``open(url)`` gives a ``Page`` in a fresh tab."""

    def __init__(self, exe: str):
        self.profile = tempfile.mkdtemp(prefix="chromium-profile-")
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()

        def wire() -> None:  # in the child: its fd 3 reads our messages, fd 4 writes its own
            a, b = os.dup(to_child_r), os.dup(from_child_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.proc = subprocess.Popen(
            [exe, *FLAGS, "--remote-debugging-pipe", f"--user-data-dir={self.profile}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(3, 4),
            preexec_fn=wire,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self._out = os.fdopen(to_child_w, "wb", buffering=0)
        self._in = os.fdopen(from_child_r, "rb", buffering=0)
        self._next = 0
        self._messages: queue.Queue = queue.Queue()
        self.events: list[dict] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        buf = b""
        while True:
            chunk = self._in.read(65536)
            if not chunk:
                self._messages.put(None)
                return
            buf += chunk
            while b"\0" in buf:
                raw, buf = buf.split(b"\0", 1)
                self._messages.put(json.loads(raw))

    def call(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self._next += 1
        msg: dict = {"id": self._next, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        self._out.write(json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            m = self._messages.get(timeout=max(0.1, deadline - time.monotonic()))
            if m is None:
                raise RuntimeError("Chromium closed the pipe")
            if m.get("id") == self._next:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            self.events.append(m)

    def wait_for(self, method: str, session: str) -> dict:
        for e in self.events:
            if e.get("method") == method and e.get("sessionId") == session:
                return e
        deadline = time.monotonic() + TIMEOUT
        while True:
            m = self._messages.get(timeout=max(0.1, deadline - time.monotonic()))
            if m is None:
                raise RuntimeError("Chromium closed the pipe")
            self.events.append(m)
            if m.get("method") == method and m.get("sessionId") == session:
                return m

    def open(self, url: str, width: int = 1280, height: int = 900) -> Page:
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Network", "Log"):
            self.call(f"{domain}.enable", session=session)
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
            session,
        )
        start = len(self.events)
        self.call("Page.navigate", {"url": url}, session)
        self.wait_for("Page.loadEventFired", session)
        self.call("Runtime.evaluate", {"expression": "1", "awaitPromise": True}, session)  # settle
        return Page(self, session, start)

    def close(self) -> None:
        try:
            self.call("Browser.close")
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


class Page:
    def __init__(self, browser: Browser, session: str, start: int):
        self.b, self.session, self.start = browser, session, start

    def _events(self, method: str) -> list[dict]:
        return [
            e["params"]
            for e in self.b.events[self.start :]
            if e.get("sessionId") == self.session and e.get("method") == method
        ]

    def evaluate(self, expression: str):
        r = self.b.call("Runtime.evaluate", {"expression": expression, "returnByValue": True}, self.session)
        if "exceptionDetails" in r:
            raise RuntimeError(r["exceptionDetails"])
        return r["result"].get("value")

    def requests(self) -> list[str]:
        """The URL of every request the page made (its own document included)."""
        return [p["request"]["url"] for p in self._events("Network.requestWillBeSent")]

    def problems(self) -> list[str]:
        """Console errors and warnings, uncaught exceptions and error log entries (CSP violations too)."""
        out = [
            f"console.{p['type']}: {' '.join(str(a.get('value', a.get('description', ''))) for a in p['args'])}"
            for p in self._events("Runtime.consoleAPICalled")
            if p["type"] in ("error", "warning", "assert")
        ]
        out += [f"exception: {p['exceptionDetails']}" for p in self._events("Runtime.exceptionThrown")]
        out += [
            f"log {p['entry']['level']}: {p['entry']['text']}"
            for p in self._events("Log.entryAdded")
            if p["entry"]["level"] in ("error", "warning")
        ]
        return out

    def screenshot(self, scale: float = 1.0, full: bool = True) -> bytes:
        """A PNG of the page (its whole length when ``full``), at ``scale``."""
        metrics = self.b.call("Page.getLayoutMetrics", session=self.session)
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        view = metrics.get("cssLayoutViewport") or metrics["layoutViewport"]
        height = size["height"] if full else view["clientHeight"]
        clip = {"x": 0, "y": 0, "width": view["clientWidth"], "height": height, "scale": scale}
        r = self.b.call(
            "Page.captureScreenshot",
            {"format": "png", "clip": clip, "captureBeyondViewport": full},
            self.session,
        )
        return base64.b64decode(r["data"])


# ---------------------------------------------------------------------------- PNG pixels


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """(width, height, rows of RGB(A) bytes) of an 8-bit PNG, unfiltered."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    width = height = depth = colour = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    assert depth == 8 and colour in (2, 6), (depth, colour)
    bpp = 4 if colour == 6 else 3
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        if f == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif f == 2:
            for i in range(stride):
                line[i] = (line[i] + prev[i]) & 255
        elif f == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
        elif f == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b, c = prev[i], prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, rows


def ink(data: bytes) -> tuple[float, int]:
    """(share of pixels unlike the most common colour, distinct colours) of a PNG: 0 and 1 when blank."""
    width, height, rows = png_pixels(data)
    bpp = len(rows[0]) // width if rows else 3
    counts: dict[bytes, int] = {}
    for row in rows:
        for x in range(0, len(row), bpp):
            px = row[x : x + 3]
            counts[px] = counts.get(px, 0) + 1
    total = width * height
    return (1 - max(counts.values()) / total) if total else 0.0, len(counts)


def file_url(path: Path) -> str:
    return path.resolve().as_uri()
