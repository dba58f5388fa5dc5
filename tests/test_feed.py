"""Blog updates against RSS and Atom served by a local HTTP server: what the group sees."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.app import AnyApp
from bot.config import Settings
from bot.deps import app_deps
from bot.features.community import community_chat_id
from bot.features.feed import SUMMARY_LIMIT, gathered_html, parse, plain_text, shorten
from bot.features.text import MESSAGE_LIMIT
from bot.runtime.fakeapi import GROUP_ID, FakeBotAPI
from bot.storage.models import FeedEntry, FeedState, utcnow
from handlers.feed import POLL_JOB, poll_once, post_digest
from tests.feedserver import FeedServer, Item, atom, feed_server, items, rss
from tests.tg import Driver, only, pin_clock

TIMEOUT = 0.5


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with feed_server() as running:
        yield running


@pytest.fixture
def settings(settings: Settings, server: FeedServer) -> Settings:
    """The usual test settings, polling the local feed with a short timeout."""
    return settings.model_copy(update={"feed_url": server.url(), "feed_timeout_seconds": TIMEOUT})


@pytest.fixture(autouse=True)
def background_poll(app: AnyApp) -> list[Any]:
    """Stop the app's own poll job, so it never polls at the same time as a test."""
    assert app.job_queue is not None
    jobs = list(app.job_queue.get_jobs_by_name(POLL_JOB))
    for job in jobs:
        job.schedule_removal()
    return jobs


class Clock:
    """A clock the test moves forward instead of waiting."""

    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime:
        return self.now

    def later(self, minutes: float) -> None:
        self.now += timedelta(minutes=minutes)


@pytest.fixture
def clock(app: AnyApp) -> Clock:
    return pin_clock(app, Clock())


def posts(api: FakeBotAPI) -> list[str]:
    return [c.text for c in api.sent() if int(c.params["chat_id"]) == GROUP_ID]


async def rows(app: AnyApp, *where: object) -> int:
    async with app_deps(app).transaction() as session:
        query = select(func.count()).select_from(FeedEntry).where(*where)
        return int(await session.scalar(query) or 0)


async def state(app: AnyApp) -> FeedState:
    async with app_deps(app).transaction() as session:
        found = await session.scalar(select(FeedState))
        assert found is not None
        return found


@pytest.mark.parametrize("document", [rss, atom], ids=["rss", "atom"])
async def test_first_poll_posts_only_the_newest_article(
    app: AnyApp, api: FakeBotAPI, server: FeedServer, clock: Clock, document: object
) -> None:
    server.serve("/feed.xml", document(items(1, 2, 3, 4, 5)))  # type: ignore[operator]
    result = await poll_once(app)
    assert result.status == "ok"
    post = only(api.calls)
    assert int(post.params["chat_id"]) == GROUP_ID
    assert "<b>Article number 5</b>" in post.text
    assert "Summary of article 5 &amp; more." in post.text, "HTML stripped, then escaped"
    assert "<p>" not in post.text
    [button] = post.buttons
    assert button["text"] == "📖 Read on the blog"
    assert button["url"] == Item(5).link
    assert await rows(app) == 5, "the older ones are remembered, so never posted later"
    assert await rows(app, FeedEntry.status == "posted") == 1


async def test_new_articles_are_posted_once_oldest_first_and_never_twice(
    app: AnyApp, api: FakeBotAPI, server: FeedServer, clock: Clock
) -> None:
    server.serve("/feed.xml", atom(items(1, 2)))
    await poll_once(app)
    server.serve("/feed.xml", atom(items(1, 2, 3, 4)))
    clock.later(30)
    api.clear()
    assert (await poll_once(app)).posted == 2
    assert [t.split("\n")[0] for t in posts(api)] == [
        "📰 <b>Article number 3</b>",
        "📰 <b>Article number 4</b>",
    ]
    api.clear()
    clock.later(30)
    await poll_once(app)
    assert posts(api) == [], "the same feed again posts nothing"


async def test_a_restart_neither_reposts_nor_refetches(
    app: AnyApp, api: FakeBotAPI, server: FeedServer, settings: Settings
) -> None:
    from bot.app import build_application, start_offline, stop_offline

    server.serve("/feed.xml", rss(items(1, 2)))
    await poll_once(app)
    second = build_application(settings, api)
    await start_offline(second)
    assert second.job_queue is not None
    for job in second.job_queue.get_jobs_by_name(POLL_JOB):
        job.schedule_removal()
    try:
        api.clear()
        assert (await poll_once(second)).status == "not-due", "polled minutes ago"
        assert server.hits() == 1
        app_deps(second).clock = lambda: utcnow() + timedelta(minutes=31)
        await poll_once(second)
        assert posts(api) == []
    finally:
        await stop_offline(second)


async def test_more_than_three_new_articles_are_gathered_in_one_message(
    app: AnyApp, api: FakeBotAPI, server: FeedServer, clock: Clock
) -> None:
    server.serve("/feed.xml", rss(items(1)))
    await poll_once(app)
    server.serve("/feed.xml", rss(items(*range(1, 9))))
    clock.later(30)
    api.clear()
    await poll_once(app)
    sent = posts(api)
    assert len(sent) == 4, "three articles, then one message for the rest"
    gathered = sent[0]
    assert "More new on the blog" in gathered
    assert "(4)" in gathered
    for n in (2, 3, 4, 5):
        assert f'<a href="{Item(n).link}">Article number {n}</a>' in gathered
    assert ["Article number 6" in sent[1], "Article number 8" in sent[3]] == [True, True]
    assert await rows(app, FeedEntry.status == "posted") == 8


async def test_an_article_is_recognised_by_its_link_when_its_id_changes(
    app: AnyApp, api: FakeBotAPI, server: FeedServer, clock: Clock
) -> None:
    server.serve("/feed.xml", rss(items(1)))
    await poll_once(app)
    same_link = rss(items(1)).replace("post-1</guid>", "renamed-1</guid>")
    server.serve("/feed.xml", same_link)
    clock.later(30)
    api.clear()
    await poll_once(app)
    assert posts(api) == []


async def test_etag_and_last_modified_are_sent_back_and_304_posts_nothing(
    app: AnyApp, api: FakeBotAPI, server: FeedServer, clock: Clock
) -> None:
    stamp = "Sun, 01 Nov 2026 09:00:00 GMT"
    server.serve("/feed.xml", rss(items(1)), etag='"v1"', last_modified=stamp)
    await poll_once(app)
    clock.later(30)
    api.clear()
    assert (await poll_once(app)).status == "not-modified"
    headers = server.requests[-1][1]
    assert headers["If-None-Match"] == '"v1"'
    assert headers["If-Modified-Since"] == stamp
    assert api.calls == []
    remembered = await state(app)
    assert (remembered.etag, remembered.last_modified) == ('"v1"', stamp)


async def test_the_feed_is_not_fetched_before_it_is_due(
    app: AnyApp, server: FeedServer, clock: Clock
) -> None:
    server.serve("/feed.xml", rss(items(1)))
    await poll_once(app)
    clock.later(29)
    assert (await poll_once(app)).status == "not-due"
    assert server.hits() == 1


BROKEN = {
    "malformed": {"body": "<rss><channel><item><title>Oops"},
    "not-a-feed": {"body": "<html><body>Maintenance</body></html>", "content_type": "text/html"},
    "404": {"body": "gone", "status": 404},
    "500": {"body": "oops", "status": 500},
}


@pytest.mark.parametrize("problem", list(BROKEN))
async def test_a_broken_feed_is_logged_retried_with_backoff_and_never_floods(
    server: FeedServer,
    clock: Clock,
    member: Driver,
    caplog: pytest.LogCaptureFixture,
    problem: str,
) -> None:
    app, api = member.app, member.api
    server.serve("/feed.xml", **BROKEN[problem])  # type: ignore[arg-type]
    with caplog.at_level(logging.WARNING, logger="handlers.feed"):
        assert (await poll_once(app)).status == "failed"
    assert "could not be read" in caplog.text
    assert api.calls == [], "nothing reaches the group or the admins"
    first = await state(app)
    assert first.failures == 1
    assert first.next_poll_at == clock.now + timedelta(minutes=60)
    clock.later(60)
    await poll_once(app)
    assert (await state(app)).next_poll_at == clock.now + timedelta(minutes=120)
    assert server.hits() == 2, "retried, less and less often"
    assert await member.send("/help"), "the bot still answers"
    api.clear()
    server.serve("/feed.xml", rss(items(1, 2)))
    clock.later(120)
    assert (await poll_once(app)).posted == 1
    assert (await state(app)).failures == 0


async def test_a_slow_feed_times_out_instead_of_hanging(
    app: AnyApp, api: FakeBotAPI, server: FeedServer, clock: Clock
) -> None:
    server.serve("/feed.xml", rss(items(1)), delay=TIMEOUT + 1.0)
    started = time.monotonic()
    assert (await poll_once(app)).status == "failed"
    assert time.monotonic() - started < TIMEOUT + 0.5
    assert api.calls == []


async def test_an_unreachable_feed_is_a_failure_not_a_crash(
    app: AnyApp, settings: Settings, clock: Clock
) -> None:
    with feed_server() as gone:
        url = gone.url()
    deps = app_deps(app)
    deps.settings = settings.model_copy(update={"feed_url": url})
    assert (await poll_once(app)).status == "failed"


async def test_when_telegram_refuses_the_article_waits_for_the_next_poll(
    app: AnyApp, api: FakeBotAPI, server: FeedServer, clock: Clock
) -> None:
    server.serve("/feed.xml", rss(items(1)), etag='"v1"')
    api.fail("sendMessage", 403, "Forbidden: bot was kicked from the supergroup chat")
    assert (await poll_once(app)).posted == 0
    assert await rows(app) == 0
    clock.later(30)
    api.clear()
    await poll_once(app)
    assert len(posts(api)) == 1, "posted once Telegram accepts it"
    assert "If-None-Match" not in server.requests[-1][1], "the failed poll kept no ETag"


async def test_a_group_turned_supergroup_gets_the_article_and_is_followed(
    app: AnyApp, api: FakeBotAPI, server: FeedServer, clock: Clock
) -> None:
    supergroup = -100777
    server.serve("/feed.xml", rss(items(1)))
    api.fail(
        "sendMessage",
        400,
        "Bad Request: group chat was upgraded to a supergroup chat",
        migrate_to_chat_id=supergroup,
    )
    assert (await poll_once(app)).posted == 1
    assert int(api.sent()[-1].params["chat_id"]) == supergroup
    async with app_deps(app).transaction() as session:
        assert await community_chat_id(session, app_deps(app).settings) == supergroup


async def test_posts_go_to_the_configured_topic(
    app: AnyApp, api: FakeBotAPI, server: FeedServer, settings: Settings
) -> None:
    app_deps(app).settings = settings.model_copy(update={"feed_message_thread_id": 42})
    server.serve("/feed.xml", rss(items(1)))
    await poll_once(app)
    assert only(api.calls).params["message_thread_id"] == 42


async def test_digest_mode_gathers_new_articles_into_one_daily_message(
    app: AnyApp, api: FakeBotAPI, server: FeedServer, settings: Settings, clock: Clock
) -> None:
    app_deps(app).settings = settings.model_copy(update={"feed_digest": True})
    server.serve("/feed.xml", rss(items(1)))
    await poll_once(app)
    server.serve("/feed.xml", rss(items(1, 2, 3)))
    clock.later(30)
    await poll_once(app)
    assert api.calls == [], "nothing is posted before the digest"
    assert await post_digest(app) == 3
    digest = only(api.calls)
    assert "New on the blog today" in digest.text
    assert all(f"Article number {n}" in digest.text for n in (1, 2, 3))
    api.clear()
    assert await post_digest(app) == 0
    assert api.calls == []


def test_the_poll_job_is_scheduled_at_start_up(background_poll: list[Any]) -> None:
    assert [job.name for job in background_poll] == [POLL_JOB]


def test_summaries_are_plain_short_and_safe() -> None:
    fragment = "<p>Hello <script>alert(1)</script><b>pain</b> &lt;3 &amp; rest.</p>" + "x " * 400
    text = shorten(plain_text(fragment), SUMMARY_LIMIT)
    assert text.startswith("Hello pain <3 & rest.")
    assert "alert" not in text
    assert len(text) <= SUMMARY_LIMIT
    assert text.endswith("…")


def test_inline_tags_do_not_split_words_and_blocks_do() -> None:
    fragment = '<p>the <b>3</b>rd <a href="/x">page</a>.</p><p>Next<br>line</p>'
    assert plain_text(fragment) == "the 3rd page. Next line"


def test_a_gathered_message_always_fits_one_telegram_message() -> None:
    long_link = "https://blog.example.org/" + "a" * 900
    text = gathered_html("<b>More</b>", [(f"Title {n}", long_link) for n in range(10)])
    assert len(text) <= MESSAGE_LIMIT
    assert text.startswith("<b>More</b>\n")
    assert text.endswith("Title 9</a>"), "the newest titles are kept"


def test_an_entry_without_a_title_is_named_by_its_link() -> None:
    document = rss(items(1)).replace("<title>Article number 1</title>", "<title></title>")
    [article] = parse(document.encode())
    assert article.title == Item(1).link


async def test_an_unexpected_error_is_raised_once_then_backed_off(
    app: AnyApp, server: FeedServer, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object) -> list[Any]:
        raise RuntimeError("a bug")

    monkeypatch.setattr("bot.features.feed.parse", broken)
    server.serve("/feed.xml", rss(items(1)))
    with pytest.raises(RuntimeError):
        await poll_once(app)
    clock.later(1)
    assert (await poll_once(app)).status == "not-due", "not retried every minute"
    assert (await state(app)).failures == 1


def test_feed_settings_are_checked_with_a_clear_message() -> None:
    from bot.config import ConfigError, load_settings

    with pytest.raises(ConfigError, match="FEED_URL: must be the http"):
        load_settings(feed_url="ftp://blog.example.org/feed")
    with pytest.raises(ConfigError, match="FEED_POLL_MINUTES"):
        load_settings(feed_poll_minutes=0)
    assert load_settings(feed_url=" ", feed_message_thread_id="").feed_url is None
