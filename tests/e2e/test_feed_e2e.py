"""The blog feed end to end: the real bot reads a blog served on 127.0.0.1 at its cadence.

The bot runs with FEED_POLL_SECONDS (tests only) so one interval is seconds, not minutes;
the job, the stored next poll and the comparison between them are the production ones.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator

import pytest
from conftest import running_bot
from e2e_harness import E2E, GROUP_CHAT_ID, REPO_ROOT, BotMessage, wait_until

sys.path.insert(0, str(REPO_ROOT))
from tests.content_texts import raw_texts
from tests.feedserver import FeedServer, Item, feed_server, items, rss

pytestmark = pytest.mark.e2e

INTERVAL = 5.0  # seconds between two reads of the feed
LEEWAY = 3.0  # seconds to fetch, post and reach the emulator, even on a loaded machine
TEXTS = raw_texts()


@pytest.fixture(scope="module")
def blog() -> Iterator[FeedServer]:
    """The community blog: one article online before the bot starts."""
    with feed_server() as server:
        server.serve("/feed.xml", rss(items(1)))
        yield server


@pytest.fixture(scope="module")
def e2e(tmp_path_factory: pytest.TempPathFactory, blog: FeedServer) -> Iterator[E2E]:
    """The usual emulator + proxy + `fibrobot run`, reading ``blog`` every INTERVAL seconds."""
    extra = {
        "FEED_URL": blog.url(),
        "FEED_POLL_SECONDS": str(INTERVAL),
        "FEED_TIMEOUT_SECONDS": "3",
    }
    with running_bot(tmp_path_factory.mktemp("e2e-feed"), extra) as env:
        yield env


def group_messages(env: E2E, needle: str) -> list[BotMessage]:
    return [m for m in env.bot_messages(GROUP_CHAT_ID).values() if needle in m.text]


def next_poll(blog: FeedServer) -> float:
    """Wait for the bot's next read of the feed; when it came (monotonic seconds)."""
    seen = blog.hits()
    wait_until(lambda: blog.hits() > seen, 3 * INTERVAL, "the bot's next read of the feed")
    return time.monotonic()


def test_an_article_published_just_after_a_poll_is_posted_within_one_interval(
    e2e: E2E, blog: FeedServer
) -> None:
    wait_until(lambda: group_messages(e2e, Item(1).heading), 15.0, "the first article")
    for n in (2, 3):  # twice: the cadence holds poll after poll, not every other one
        next_poll(blog)
        time.sleep(0.2)  # that read is answered: the article appears just after it
        blog.serve("/feed.xml", rss(items(*range(1, n + 1))))
        published = time.monotonic()
        [post] = wait_until(
            lambda n=n: group_messages(e2e, Item(n).heading),
            3 * INTERVAL,
            f"article {n} in the group",
        )
        delay = time.monotonic() - published
        print(f"\ne2e feed cadence: article {n} posted {delay:.1f} s after it was published")
        assert delay <= INTERVAL + LEEWAY, (
            f"posted {delay:.1f} s later; the feed is read every {INTERVAL:g} s"
        )
        assert post.buttons == [{"text": TEXTS["button_read_blog"], "url": Item(n).link}]
    assert len(group_messages(e2e, Item(2).heading)) == 1, "posted once"
