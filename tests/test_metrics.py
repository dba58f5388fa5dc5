"""Metrics: a scenario on the real application, then a scrape of /metrics over HTTP."""

from __future__ import annotations

import asyncio
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.app import AnyApp
from bot.deps import app_deps
from bot.features import announcements as ann
from bot.runtime.fakeapi import GROUP_ID, FakeBotAPI
from bot.runtime.metrics import Metrics, MetricsServer, asgi_apps, wsgi_app
from handlers import feed as feed_handlers
from tests.announce_util import NOW, add_at, use_clock
from tests.test_members import membership, welcome_now
from tests.test_tips_delivery import T0, Clock, add_subscribers, run_job
from tests.tg import Driver, pin_clock

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape_url(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


@pytest.fixture
def server(app: AnyApp) -> Iterator[MetricsServer]:
    """/metrics and /healthz of the application under test, on a free loopback port."""
    served = MetricsServer(
        wsgi_app(app_deps(app).metrics, lambda: app.running), "127.0.0.1", 0
    ).start()
    yield served
    served.stop()


async def scrape(server: MetricsServer) -> Samples:
    """GET /metrics and parse it as Prometheus would."""
    status, body = await asyncio.to_thread(scrape_url, f"http://127.0.0.1:{server.port}/metrics")
    assert status == 200
    samples: Samples = {}
    for family in text_string_to_metric_families(body):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


async def test_updates_answers_and_telegram_errors_are_counted(
    member: Driver, api: FakeBotAPI, server: MetricsServer
) -> None:
    before = await scrape(server)
    assert value(before, "fibrobot_updates_total", type="message") == 0
    assert value(before, "fibrobot_active") == 1
    calls = await member.send("/faq cost")
    await member.press(next(c for c in calls if c.method == "sendMessage"), "")
    api.fail("sendMessage", 403, "Forbidden: bot was blocked by the user")
    await member.send("/links")
    api.fail("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    await member.send("/help")
    after = await scrape(server)
    assert value(after, "fibrobot_updates_total", type="message") == 3
    assert value(after, "fibrobot_updates_total", type="callback_query") == 1
    sent = len([c for c in api.calls if c.method == "sendMessage" and c.result])
    assert value(after, "fibrobot_messages_sent_total", kind="answer") == sent
    assert value(after, "fibrobot_telegram_errors_total", kind="403") == 1
    assert value(after, "fibrobot_telegram_errors_total", kind="429") == 1
    # Both reached the error handler as expected Telegram events, not bugs.
    assert value(after, "fibrobot_handler_errors_total", expected="true") == 2
    assert value(after, "fibrobot_handler_errors_total", expected="false") == 0


async def test_a_handler_bug_is_counted_as_unexpected(
    member: Driver, api: FakeBotAPI, server: MetricsServer
) -> None:
    api.fail("sendMessage", 400, "Bad Request: can't parse entities")
    await member.send("/links")
    after = await scrape(server)
    assert value(after, "fibrobot_handler_errors_total", expected="false") == 1
    assert value(after, "fibrobot_telegram_errors_total", kind="400") == 1


async def test_tips_and_welcomes_are_counted_by_kind(
    app: AnyApp, api: FakeBotAPI, server: MetricsServer
) -> None:
    clock = pin_clock(app, Clock(T0 - timedelta(hours=1)))
    await add_subscribers(app, clock, 2001, 2002, 2003)
    clock.now = T0
    api.fail("sendMessage", 403, "Forbidden: bot was blocked by the user")
    await run_job(app)
    await app.process_update(membership(app, "left", "member", 3001))
    await welcome_now(app)  # the welcome goes out when its gathering window ends
    after = await scrape(server)
    assert value(after, "fibrobot_tips_total", outcome="due") == 3
    assert value(after, "fibrobot_tips_total", outcome="sent") == 2
    assert value(after, "fibrobot_tips_total", outcome="blocked") == 1
    assert value(after, "fibrobot_messages_sent_total", kind="tip") == 2
    assert value(after, "fibrobot_messages_sent_total", kind="welcome") == 1
    assert value(after, "fibrobot_messages_sent_total", kind="answer") == 0
    assert value(after, "fibrobot_updates_total", type="chat_member") == 1


async def test_lateness_of_scheduled_posts_is_measured(app: AnyApp, server: MetricsServer) -> None:
    ran = asyncio.Event()

    async def job(_context: object) -> None:
        ran.set()

    assert app.job_queue is not None
    app.job_queue.run_once(job, when=0.05, name="announcement:999")
    await asyncio.wait_for(ran.wait(), 5)
    after = await scrape(server)
    assert value(after, "fibrobot_job_lateness_seconds_count", job="announcement") == 1
    # On an idle test machine the job starts well within the largest bucket.
    assert value(after, "fibrobot_job_lateness_seconds_bucket", job="announcement", le="60.0") == 1


class Standby:
    def is_active(self) -> bool:
        return False


async def test_active_gauge_reads_the_role_and_healthz_follows_the_app(
    app: AnyApp, server: MetricsServer
) -> None:
    app_deps(app).metrics.role = Standby()
    assert value(await scrape(server), "fibrobot_active") == 0
    base = f"http://127.0.0.1:{server.port}"
    assert await asyncio.to_thread(scrape_url, f"{base}/healthz") == (200, "ok\n")
    assert (await asyncio.to_thread(scrape_url, f"{base}/nothing"))[0] == 404


def test_healthz_says_503_when_the_bot_is_not_running() -> None:
    served = MetricsServer(wsgi_app(Metrics(), lambda: False), "127.0.0.1", 0).start()
    try:
        status, _ = scrape_url(f"http://127.0.0.1:{served.port}/healthz")
    finally:
        served.stop()
    assert status == 503


async def test_announcements_blog_posts_and_admin_notes_are_counted_by_kind(
    app: AnyApp, api: FakeBotAPI, server: MetricsServer
) -> None:
    use_clock(app)
    posted = await add_at(app, NOW)
    refused = await add_at(app, NOW)
    context = SimpleNamespace(application=app, job=SimpleNamespace(data=posted.id))
    await ann.announcement_job(context)  # type: ignore[arg-type]
    api.fail("sendMessage", 403, "Forbidden: bot was kicked from the supergroup chat")
    context.job.data = refused.id
    await ann.announcement_job(context)  # type: ignore[arg-type]
    await feed_handlers.post(app.bot, app_deps(app), GROUP_ID, "New on the blog", "https://b.x/1")
    after = await scrape(server)
    assert value(after, "fibrobot_messages_sent_total", kind="announcement") == 1
    assert value(after, "fibrobot_messages_sent_total", kind="admin_note") == 1  # the refusal
    assert value(after, "fibrobot_messages_sent_total", kind="blog_post") == 1
    assert value(after, "fibrobot_messages_sent_total", kind="answer") == 0
    assert value(after, "fibrobot_telegram_errors_total", kind="403") == 1


async def test_the_webhook_server_gets_the_same_metrics_as_asgi_apps(app: AnyApp) -> None:
    apps = asgi_apps(app_deps(app).metrics, lambda: app.running)
    app_deps(app).metrics.updates.labels("message").inc()

    async def call(path: str) -> tuple[int, bytes]:
        sent: list[dict[str, Any]] = []

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        scope = {"type": "http", "method": "GET", "path": path, "query_string": b"", "headers": []}
        await apps[path](scope, receive, send)
        return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])

    status, body = await call("/metrics")
    assert status == 200
    assert b'fibrobot_updates_total{type="message"} 1.0' in body
    assert await call("/healthz") == (200, b"ok\n")
