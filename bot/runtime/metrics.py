"""Prometheus metrics: what the bot handles and sends, Telegram's errors, tips, job lateness.

One registry per application (tests build many). The counts are taken in a few central
places rather than in every feature:

- updates handled, by type: a ``TypeHandler`` in its own group that runs before all others;
- handler errors: the error handler (``bot.runtime.errors``);
- messages sent, by kind, and Telegram errors, by kind: ``MeteredLimiter``, which wraps the
  rate limiter every Bot API call goes through, so each attempt Telegram refuses is seen
  (a 429 retried by ``AIORateLimiter`` counts each time). The kind of message comes from
  ``bot.features.sending``;
- tips due, sent, missed, retried (``count_tips``, from the tips job's report);
- how late the tips job and scheduled posts run: an APScheduler listener on job submission
  (``watch_jobs``);
- whether this process is active: a gauge read from a ``Role`` when scraped.

Served at ``/metrics`` (with ``/healthz``) on ``METRICS_PORT`` while polling
(``MetricsServer``), or mounted on the webhook server (``asgi_apps``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Coroutine, Iterable
from datetime import UTC, datetime
from socketserver import ThreadingMixIn
from typing import Any, Protocol
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from apscheduler.events import EVENT_JOB_ADDED, EVENT_JOB_SUBMITTED
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    make_asgi_app,
    make_wsgi_app,
)
from telegram import Update
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import BaseRateLimiter, TypeHandler

from bot.features.sending import KINDS, current_kind

log = logging.getLogger(__name__)

# Bot API methods that put a message in a chat (https://core.telegram.org/bots/api).
SEND_METHODS = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendMediaGroup",
        "sendAnimation",
        "sendVideo",
        "sendAudio",
        "sendVoice",
        "sendSticker",
        "sendPoll",
        "copyMessage",
        "forwardMessage",
    }
)
ERROR_KINDS = ("429", "403", "400", "401", "network", "other")
TIP_OUTCOMES = ("due", "sent", "missed", "retried", "blocked", "failed")
# The tips job's report keys (bot.features.delivery.Report) -> our outcomes.
TIP_REPORT_KEYS = {
    "claimed": ("due",),
    "missed": ("due", "missed"),
    "sent": ("sent",),
    "retry": ("retried",),
    "blocked": ("blocked",),
    "failed": ("failed",),
}
# Seconds: a job on time runs within a second; a flood or a blocked loop makes it minutes late.
LATENESS_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900, 3600)
JOB_LABELS = (
    ("tips-delivery", "tips"),
    ("announcement:", "announcement"),
    ("post:", "post"),
    ("feed", "feed"),
)


class Role(Protocol):
    """Whether this process is the one that sends (the lease of issue 8 provides one)."""

    def is_active(self) -> bool:
        """True when this process would send tips and posts, False on standby."""
        ...


class AlwaysActive:
    """The role of a lone process: always active."""

    def is_active(self) -> bool:
        """Always True."""
        return True


def error_kind(exc: BaseException) -> str:
    """Telegram's error as a metric label: 429, 403, 400, 401, network or other."""
    if isinstance(exc, RetryAfter):
        return "429"
    if isinstance(exc, Forbidden):
        return "403"
    if isinstance(exc, InvalidToken):
        return "401"
    if isinstance(exc, (BadRequest, ChatMigrated)):
        return "400"  # BadRequest is a NetworkError in PTB: test it first
    if isinstance(exc, NetworkError):
        return "network"  # TimedOut included
    return "other"


def update_type(update: object) -> str:
    """The kind of an update: ``message``, ``callback_query``, ``chat_member``..."""
    if not isinstance(update, Update):
        return "other"
    for name in Update.ALL_TYPES:
        if getattr(update, name, None) is not None:
            return str(name)
    return "other"


def job_label(name: str | None) -> str | None:
    """The lateness label of a job name; None for jobs whose lateness is not measured."""
    for prefix, label in JOB_LABELS:
        if name and name.startswith(prefix):
            return label
    return None


class Metrics:
    """The bot's Prometheus metrics, in a registry of their own."""

    def __init__(self, role: Role | None = None) -> None:
        self.role: Role = role or AlwaysActive()
        self.registry = CollectorRegistry()
        self.updates = self._counter("updates", "Updates handled, by type.", "type")
        self.handler_errors = self._counter(
            "handler_errors", "Errors raised by handlers and jobs.", "expected"
        )
        self.messages_sent = self._counter("messages_sent", "Messages sent, by kind.", "kind")
        self.telegram_errors = self._counter(
            "telegram_errors", "Errors answered by the Bot API, by kind.", "kind"
        )
        self.tips = self._counter("tips", "Daily tips, by outcome.", "outcome")
        self.lateness = Histogram(
            "fibrobot_job_lateness_seconds",
            "How late a scheduled job started (tips job, announcements, posts, feed).",
            ["job"],
            buckets=LATENESS_BUCKETS,
            registry=self.registry,
        )
        self.active = Gauge(
            "fibrobot_active",
            "1 when this process is active, 0 on standby.",
            registry=self.registry,
        )
        self.active.set_function(lambda: 1.0 if self.role.is_active() else 0.0)
        self._job_names: dict[str, str] = {}
        self._show_zeros()

    def _counter(self, name: str, doc: str, label: str) -> Counter:
        return Counter(f"fibrobot_{name}", doc, [label], registry=self.registry)

    def _show_zeros(self) -> None:
        """Known label values appear at 0 from the start, so a dashboard sees the series."""
        for kind in KINDS:
            self.messages_sent.labels(kind)
        for kind in ERROR_KINDS:
            self.telegram_errors.labels(kind)
        for outcome in TIP_OUTCOMES:
            self.tips.labels(outcome)
        for expected in ("true", "false"):
            self.handler_errors.labels(expected)

    # --- Counting ----------------------------------------------------------------------------

    def update_handler(self) -> TypeHandler[Update, Any, None]:
        """A handler counting every update; register it in a group before all others."""

        async def count(update: Update, _context: object) -> None:
            self.updates.labels(update_type(update)).inc()

        return TypeHandler(Update, count)

    def count_error(self, *, expected: bool) -> None:
        """One error reached the error handler."""
        self.handler_errors.labels("true" if expected else "false").inc()

    def count_tips(self, counts: dict[str, int]) -> None:
        """Add one run of the tips job (``bot.features.delivery.Report.counts``)."""
        for key, n in counts.items():
            for outcome in TIP_REPORT_KEYS.get(key, ()):
                self.tips.labels(outcome).inc(n)

    def watch_jobs(self, scheduler: Any) -> None:
        """Measure how late the scheduler starts the jobs named in ``JOB_LABELS``."""
        scheduler.add_listener(lambda event: self._job_added(scheduler, event), EVENT_JOB_ADDED)
        scheduler.add_listener(
            lambda event: self._job_submitted(scheduler, event), EVENT_JOB_SUBMITTED
        )
        for job in scheduler.get_jobs():
            self._remember(job.id, job.name)

    def _remember(self, job_id: str, name: str | None) -> None:
        label = job_label(name)
        if label is not None:
            self._job_names[job_id] = label

    def _job_added(self, scheduler: Any, event: Any) -> None:
        job = scheduler.get_job(event.job_id)
        if job is not None:
            self._remember(job.id, job.name)

    def _job_submitted(self, scheduler: Any, event: Any) -> None:
        label = self._job_names.get(event.job_id)
        if scheduler.get_job(event.job_id) is None:  # a one-off job, removed once submitted
            self._job_names.pop(event.job_id, None)
        if label is None or not event.scheduled_run_times:
            return
        late = datetime.now(UTC) - min(event.scheduled_run_times)
        self.lateness.labels(label).observe(max(late.total_seconds(), 0.0))


Callback = Callable[..., Coroutine[Any, Any, Any]]


class MeteredLimiter(BaseRateLimiter[Any]):
    """Wraps the rate limiter every Bot API call goes through, to count what Telegram says."""

    def __init__(self, inner: BaseRateLimiter[Any], metrics: Metrics) -> None:
        self.inner = inner
        self.metrics = metrics

    async def initialize(self) -> None:
        """Start the wrapped limiter."""
        await self.inner.initialize()

    async def shutdown(self) -> None:
        """Stop the wrapped limiter."""
        await self.inner.shutdown()

    async def process_request(  # noqa: PLR0917 (signature fixed by PTB)
        self,
        callback: Callback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Any,
    ) -> Any:
        """Pass the call to the wrapped limiter; count each attempt's answer."""
        kind = current_kind()

        async def counted(*call_args: Any, **call_kwargs: Any) -> Any:
            try:
                result = await callback(*call_args, **call_kwargs)
            except TelegramError as exc:
                self.metrics.telegram_errors.labels(error_kind(exc)).inc()
                raise
            if endpoint in SEND_METHODS:
                self.metrics.messages_sent.labels(kind).inc()
            return result

        return await self.inner.process_request(
            counted, args, kwargs, endpoint, data, rate_limit_args
        )


# --- Serving ---------------------------------------------------------------------------------

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def wsgi_app(metrics: Metrics, healthy: Callable[[], bool]) -> WsgiApp:
    """``/metrics`` (Prometheus text format) and ``/healthz`` (200 running, 503 not)."""
    scrape = make_wsgi_app(metrics.registry)

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/metrics":
            return scrape(environ, start_response)
        if path == "/healthz":
            ok = healthy()
            status = "200 OK" if ok else "503 Service Unavailable"
            start_response(status, [("Content-Type", "text/plain; charset=utf-8")])
            return [b"ok\n" if ok else b"not running\n"]
        start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
        return [b"not found: try /metrics or /healthz\n"]

    return app


def asgi_apps(metrics: Metrics, healthy: Callable[[], bool]) -> dict[str, Any]:
    """ASGI apps to mount on the webhook server: ``{"/metrics": ..., "/healthz": ...}``."""

    async def healthz(scope: dict[str, Any], receive: Any, send: Any) -> None:
        ok = healthy()
        headers = [(b"content-type", b"text/plain; charset=utf-8")]
        await send(
            {"type": "http.response.start", "status": 200 if ok else 503, "headers": headers}
        )
        await send({"type": "http.response.body", "body": b"ok\n" if ok else b"not running\n"})

    return {"/metrics": make_asgi_app(metrics.registry), "/healthz": healthz}


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Scrapes every few seconds would flood the log: stay quiet."""


class MetricsServer:
    """``/metrics`` and ``/healthz`` over HTTP in a background thread (polling mode)."""

    def __init__(self, app: WsgiApp, listen: str, port: int) -> None:
        self._server = make_server(
            listen, port, app, server_class=_ThreadingServer, handler_class=_QuietHandler
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="metrics", daemon=True
        )

    @property
    def port(self) -> int:
        """The port it listens on (useful when asked for port 0)."""
        return int(self._server.server_address[1])

    def start(self) -> MetricsServer:
        """Start serving."""
        self._thread.start()
        log.info("Metrics on http://%s:%s/metrics", self._server.server_address[0], self.port)
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._server.shutdown()
        self._server.server_close()
