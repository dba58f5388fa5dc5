"""A local HTTP server for feed tests and the benchmark: 127.0.0.1, a free port, stops itself.

Routes answer with a status, a body and an optional delay; the feed route honours ETag and
Last-Modified like a real blog, and every request's headers are recorded.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape


@dataclass
class Route:
    """What one path answers."""

    body: bytes = b""
    status: int = 200
    content_type: str = "application/rss+xml; charset=utf-8"
    delay: float = 0.0
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class FeedServer:
    """The routes served and the requests received."""

    port: int = 0
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def url(self, path: str = "/feed.xml") -> str:
        """The address of a path on this server."""
        return f"http://127.0.0.1:{self.port}{path}"

    def serve(self, path: str, body: str | bytes, **options: object) -> None:
        """Serve ``body`` at ``path`` (options as in Route)."""
        data = body.encode() if isinstance(body, str) else body
        self.routes[path] = Route(body=data, **options)  # type: ignore[arg-type]

    def hits(self, path: str = "/feed.xml") -> int:
        """How many requests reached ``path``."""
        return sum(1 for p, _ in self.requests if p == path)


def _handler(server: FeedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            server.requests.append((self.path, dict(self.headers.items())))
            route = server.routes.get(self.path)
            if route is None:
                self.send_error(404)
                return
            if route.delay:
                time.sleep(route.delay)
            if self._not_modified(route):
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(len(route.body)))
            if route.etag:
                self.send_header("ETag", route.etag)
            if route.last_modified:
                self.send_header("Last-Modified", route.last_modified)
            self.end_headers()
            # The client may have given up already (the slow-server test).
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(route.body)

        def _not_modified(self, route: Route) -> bool:
            if route.status != 200:
                return False
            if route.etag and self.headers.get("If-None-Match") == route.etag:
                return True
            since = self.headers.get("If-Modified-Since")
            return bool(route.last_modified and since == route.last_modified)

        def log_message(self, format: str, *args: object) -> None:
            return

    return Handler


@contextmanager
def feed_server() -> Iterator[FeedServer]:
    """Run a server on 127.0.0.1 and a free port for the block."""
    state = FeedServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


# --- Feed documents ---------------------------------------------------------------------------

BASE = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Item:
    """One article of a test feed; ``n`` higher is newer."""

    n: int
    title: str = ""
    summary: str = ""

    @property
    def link(self) -> str:
        """The article's address."""
        return f"https://blog.example.org/posts/{self.n}"

    @property
    def when(self) -> datetime:
        """When it was published."""
        return BASE + timedelta(hours=self.n)

    @property
    def heading(self) -> str:
        """Its title."""
        return self.title or f"Article number {self.n}"

    @property
    def text(self) -> str:
        """Its summary (HTML)."""
        return self.summary or f"<p>Summary of article <b>{self.n}</b> &amp; more.</p>"


def items(*numbers: int) -> list[Item]:
    """Items by number."""
    return [Item(n) for n in numbers]


def rss(entries: list[Item]) -> str:
    """An RSS 2.0 document, newest first as blogs write them."""
    body = "".join(
        f"<item><title>{escape(i.heading)}</title><link>{i.link}</link>"
        f'<guid isPermaLink="false">post-{i.n}</guid>'
        f"<pubDate>{format_datetime(i.when)}</pubDate>"
        f"<description>{escape(i.text)}</description></item>"
        for i in sorted(entries, key=lambda i: -i.n)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        "<title>Fibro blog</title><link>https://blog.example.org/</link>"
        f"<description>Blog</description>{body}</channel></rss>"
    )


def atom(entries: list[Item]) -> str:
    """An Atom document, newest first."""
    body = "".join(
        f"<entry><title>{escape(i.heading)}</title>"
        f'<link href="{i.link}"/><id>urn:fibro:post:{i.n}</id>'
        f"<updated>{i.when.isoformat()}</updated>"
        f'<summary type="html">{escape(i.text)}</summary></entry>'
        for i in sorted(entries, key=lambda i: -i.n)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Fibro blog</title><id>urn:fibro:blog</id>"
        f"<updated>{BASE.isoformat()}</updated>{body}</feed>"
    )
