"""A minimal Bot API over HTTP on 127.0.0.1, for tests and benchmarks of the real process.

It answers getMe, getUpdates (empty, after a short wait, as long polling would) and any
other method with ``true``, and notes when each method was first called.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from bot.runtime.fakeapi import FakeBotAPI


class _Handler(BaseHTTPRequestHandler):
    server: LocalBotAPI

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        method = self.path.rsplit("/", 1)[-1]
        self.server.note(method)
        result: Any = True
        if method == "getMe":
            result = FakeBotAPI()._api_getMe({})
        elif method == "getUpdates":
            time.sleep(self.server.poll_wait)
            result = []
        body = json.dumps({"ok": True, "result": result}).encode()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the bot was stopped mid-poll, as the start-up benchmark does on purpose

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


class LocalBotAPI(ThreadingHTTPServer):
    """The server; use as a context manager."""

    daemon_threads = True

    def __init__(self, poll_wait: float = 0.2) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.poll_wait = poll_wait
        self.first_call: dict[str, float] = {}
        self.counts: dict[str, int] = {}
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        """The base URL to give as TELEGRAM_API_URL."""
        return f"http://127.0.0.1:{self.server_address[1]}"

    def note(self, method: str) -> None:
        """Remember a call."""
        with self._lock:
            self.first_call.setdefault(method, time.monotonic())
            self.counts[method] = self.counts.get(method, 0) + 1

    def wait_for(self, method: str, timeout: float) -> float | None:
        """Wait until ``method`` is first called; its monotonic time, or None."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if method in self.first_call:
                return self.first_call[method]
            time.sleep(0.01)
        return None

    def __enter__(self) -> LocalBotAPI:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()
