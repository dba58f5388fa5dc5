"""Community features end to end: blog posts, the group welcome, /stats, the admins' menu.

The bot (`fibrobot run`) here also polls a blog feed served on 127.0.0.1, so this module
starts its own emulator + proxy + bot (the `e2e` fixture below adds FEED_URL to the usual
environment). Joins come as chat_member updates injected through the compat proxy, since
the emulator cannot make them.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import GROUP, running_bot
from e2e_harness import (
    E2E,
    GROUP_CHAT_ID,
    REPO_ROOT,
    BotMessage,
    ChatClient,
    wait_until,
)

sys.path.insert(0, str(REPO_ROOT))
from tests.content_texts import content_yaml, raw_texts
from tests.feedserver import FeedServer, Item, feed_server, items, rss

pytestmark = pytest.mark.e2e

TEXTS: dict[str, str] = raw_texts()
ADMIN_COMMANDS = content_yaml("en", "commands.yaml")["admin_commands"]


def plain(html_text: str) -> str:
    """A texts.yaml entry as the member reads it."""
    return re.sub(r"<[^>]+>", "", html_text).replace("&lt;", "<").replace("&amp;", "&")


def opening(key: str) -> str:
    """The fixed first words of a text, before any {field}."""
    return plain(TEXTS[key]).split("{")[0].strip()


@pytest.fixture(scope="module")
def blog() -> Iterator[FeedServer]:
    """The community blog: two articles are online before the bot starts."""
    with feed_server() as server:
        server.serve("/feed.xml", rss(items(1, 2)))
        yield server


@pytest.fixture(scope="module")
def e2e(tmp_path_factory: pytest.TempPathFactory, blog: FeedServer) -> Iterator[E2E]:
    """The usual emulator + proxy + `fibrobot run`, with FEED_URL pointing at ``blog``."""
    extra = {"FEED_URL": blog.url(), "FEED_TIMEOUT_SECONDS": "3"}
    with running_bot(tmp_path_factory.mktemp("e2e-community"), extra) as env:
        yield env


def group_messages(env: E2E, needle: str) -> list[BotMessage]:
    return [m for m in env.bot_messages(GROUP_CHAT_ID).values() if needle in m.text]


# ------------------------------------------------------------------------------ the blog
def test_the_newest_blog_article_is_posted_to_the_group(e2e: E2E, blog: FeedServer) -> None:
    [post] = wait_until(
        lambda: group_messages(e2e, Item(2).heading), 15.0, "the blog post in the group"
    )
    assert "Summary of article 2 & more." in post.text
    assert post.buttons == [{"text": TEXTS["button_read_blog"], "url": Item(2).link}]
    assert group_messages(e2e, Item(1).heading) == [], "a new feed posts only its newest"
    assert blog.hits() == 1


# --------------------------------------------------------------------------- the welcome
def test_a_newcomer_gets_the_welcome_with_the_rules(e2e: E2E) -> None:
    person = {"id": 2000042, "is_bot": False, "first_name": "Lou"}
    e2e.inject(
        {
            "chat_member": {
                "chat": GROUP,
                "from": person,
                "date": int(time.time()),
                "old_chat_member": {"user": person, "status": "left"},
                "new_chat_member": {"user": person, "status": "member"},
            }
        }
    )
    [welcome] = wait_until(lambda: group_messages(e2e, "Lou"), 10.0, "the group welcome")
    assert opening("group_welcome") in welcome.text
    assert opening("rules") in welcome.text
    urls = [b["url"] for b in welcome.buttons]
    assert [u.rsplit("?", 1)[1] for u in urls] == ["start=faq", "start=subscribe"]
    assert all(u.startswith("https://t.me/") for u in urls)


# ----------------------------------------------------------------------------- /stats
def test_an_admin_gets_the_statistics_and_the_chart(admin: ChatClient) -> None:
    reply = admin.ask("/stats", timeout=10.0)
    assert opening("stats_report") in reply.text
    assert "Joined: 1 in 7 days" in reply.text, "the newcomer above is counted"
    photo = admin.wait_for_call("sendPhoto", timeout=15.0)
    # The emulator cannot take uploads; the journal shows the PNG went out as a file.
    assert photo.params.get("_unparsed_body") == "multipart/form-data"


def test_a_member_is_refused_stats(member: ChatClient) -> None:
    reply = member.ask("/stats")
    assert reply.text == plain(TEXTS["admin_only"])


# ------------------------------------------------------------------ admin help and menu
def test_help_shows_an_admin_their_commands(admin: ChatClient, member: ChatClient) -> None:
    text = admin.ask("/help").text
    assert all(f"/{c['command']}" in text for c in ADMIN_COMMANDS)
    assert "/stats" not in member.ask("/help").text


def test_admin_commands_are_registered_with_the_administrators_scope(e2e: E2E) -> None:
    scopes: dict[str, Any] = {}
    for call in e2e.proxy.find_calls("setMyCommands"):
        scope = json.loads(call.params.get("scope") or '{"type": "default"}')
        scopes[scope["type"]] = (scope, json.loads(call.params["commands"]))
    scope, commands = scopes["chat_administrators"]
    assert scope["chat_id"] == GROUP_CHAT_ID
    assert {c["command"] for c in ADMIN_COMMANDS} <= {c["command"] for c in commands}
    assert "stats" not in {c["command"] for c in scopes["default"][1]}


def test_nothing_was_posted_twice(e2e: E2E) -> None:
    assert len(group_messages(e2e, Item(2).heading)) == 1
