"""FibroBot end to end: members talk to the real `fibrobot run` through the emulator.

Each test also checks (conftest.bot_logged_no_error) that the bot logged no error.
Labels and titles come from content/*.yaml, read the way an editor wrote them, so
content edits do not break these tests; what is asserted is what a member notices.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from e2e_harness import REPO_ROOT, BotMessage, ChatClient

from tests.content_texts import raw_texts

pytestmark = pytest.mark.e2e

CONTENT = REPO_ROOT / "content" / "en"
MENU_PAGE_SIZE = 8  # handlers/faq.py PAGE_SIZE: topics per menu page


def _load(name: str) -> Any:
    path: Path = CONTENT / name
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _plain(html_text: str) -> str:
    """Content texts are HTML; members see them without tags."""
    return re.sub(r"<[^>]+>", "", html_text).replace("&lt;", "<").replace("&amp;", "&")


TEXTS: dict[str, str] = raw_texts()
COMMANDS: list[dict[str, str]] = _load("commands.yaml")["commands"]


def faq_entries() -> list[dict[str, Any]]:
    return list(_load("faq.yaml")["faq"])


def faq_entry(entry_id: str) -> dict[str, Any]:
    for entry in faq_entries():
        if entry["id"] == entry_id:
            return entry
    raise AssertionError(f"content/faq.yaml has no entry {entry_id!r}")


def links() -> list[dict[str, Any]]:
    return list(_load("links.yaml")["links"])


def text_start(key: str) -> str:
    """The fixed opening words of a texts.yaml entry, before any {field}."""
    return _plain(TEXTS[key]).split("{")[0].strip()


# A price range: two amounts (5,000 / 12.500 / 5k) and a currency sign or word.
AMOUNT = re.compile(r"\d[\d.,\s]*\d\s*k?|\d+\s*k", re.IGNORECASE)
CURRENCY = re.compile(r"[$€£]|\b(USD|EUR|GBP|dollars?|euros?|pounds?)\b", re.IGNORECASE)


def mentions_price_range(text: str) -> bool:
    return len(AMOUNT.findall(text)) >= 2 and CURRENCY.search(text) is not None


def is_cost_answer(message: BotMessage) -> bool:
    return faq_entry("cost")["question"] in message.text


def disclaimer() -> str:
    return " ".join(TEXTS["disclaimer"].split())


# --------------------------------------------------------------------------- /start
def test_start_welcomes_the_member_with_the_main_buttons(member: ChatClient) -> None:
    reply = member.ask("/start")
    assert "Mia" in reply.text, "the welcome greets the member by first name"
    assert text_start("welcome") in reply.text
    assert "/faq" in reply.text, "the welcome tells how to ask a question"
    assert disclaimer() in " ".join(reply.text.split()), "health disclaimer missing"
    assert reply.button_texts == [TEXTS["button_faq"], TEXTS["button_links"]]
    assert not reply.quotes, "no quoting in a private chat"


def test_welcome_buttons_open_the_menu_in_place_and_the_links(member: ChatClient) -> None:
    welcome = member.ask("/start")
    member.press(TEXTS["button_faq"])
    menu = member.wait_for_edit(welcome.message_id)
    assert text_start("faq_menu") in menu.text
    assert faq_entries()[0]["title"] in menu.button_texts

    member.send("/start")
    welcome = member.wait_for_reply()
    member.press(TEXTS["button_links"])
    assert member.callback_answer() is not None, "the button press is answered"
    links_message = member.wait_for_reply(lambda m: not m.edited)
    assert text_start("links_intro") in links_message.text


# ---------------------------------------------------------------------------- /help
def test_help_lists_the_member_commands(member: ChatClient) -> None:
    reply = member.ask("/help")
    assert text_start("help") in reply.text
    for command in COMMANDS:
        assert f"/{command['command']}" in reply.text
        assert command["description"] in reply.text


# ----------------------------------------------------------------------------- /faq
def test_faq_menu_lists_the_topics(member: ChatClient) -> None:
    reply = member.ask("/faq")
    assert text_start("faq_menu") in reply.text
    entries = faq_entries()
    first_page = [e["title"] for e in entries[:MENU_PAGE_SIZE]]
    assert reply.button_texts[: len(first_page)] == first_page
    if len(entries) > MENU_PAGE_SIZE:
        assert TEXTS["button_next"] in reply.button_texts


def test_topic_button_shows_the_answer_in_the_same_message_and_back(
    member: ChatClient,
) -> None:
    menu = member.ask("/faq")
    cost = faq_entry("cost")
    if cost["title"] not in menu.button_texts:  # on a later page: page forward
        for _ in range(len(faq_entries()) // MENU_PAGE_SIZE):
            member.press(TEXTS["button_next"], menu)
            menu = member.wait_for_edit(menu.message_id)
            if cost["title"] in menu.button_texts:
                break

    member.press(cost["title"], menu)
    member.callback_answer()  # the spinner on the button stops
    answer = member.wait_for_edit(menu.message_id)
    assert [m.message_id for m in member.changes()] == [menu.message_id], (
        "the answer replaces the menu; no new message"
    )
    assert is_cost_answer(answer), answer
    assert mentions_price_range(answer.text), f"the cost answer gives no price range: {answer}"
    assert disclaimer() in " ".join(answer.text.split())
    assert TEXTS["button_back"] in answer.button_texts
    assert TEXTS["button_read_more"] not in answer.button_texts, "private: already in full"

    member.press(TEXTS["button_back"], answer)
    back = member.wait_for_edit(menu.message_id)
    assert text_start("faq_menu") in back.text
    assert cost["title"] in back.button_texts, "Back returns to the page the topic is on"


def test_pressing_a_topic_twice_is_harmless(member: ChatClient) -> None:
    menu = member.ask("/faq")
    title = menu.button_texts[0]
    member.press(title, menu)
    answer = member.wait_for_edit(menu.message_id)

    member.press(title, menu)  # the same (now stale) button again, as an impatient tap
    member.callback_answer()
    refused = member.wait_for_call("editMessageText")
    assert refused.status == 400, "the emulator (compat GAP 4c) refuses a no-op edit"
    member.expect_silence(0.5)  # and the bot swallows it: no error, no new message
    assert member.env.bot_messages(member.chat["id"])[menu.message_id].text == answer.text


def test_group_answer_is_short_with_a_link_to_the_full_answer_in_private(
    group_member: ChatClient, member: ChatClient
) -> None:
    long_entry = next(e for e in faq_entries() if e.get("more"))
    more_start = " ".join(_plain(long_entry["more"]).split())[:60]
    reply = group_member.ask(f"/faq {long_entry['question']}")
    assert long_entry["question"] in reply.text, reply
    assert more_start not in " ".join(reply.text.split()), "the group gets the short answer"
    link = reply.button(TEXTS["button_read_more"])["url"]
    assert link.startswith("https://t.me/")
    assert link.endswith(f"?start=faq-{long_entry['id']}")

    full = member.ask("/start " + link.split("?start=")[1])  # following the link
    assert long_entry["question"] in full.text
    assert more_start in " ".join(full.text.split()), "in private the answer is in full"


def test_faq_question_in_the_group_gets_the_short_cost_answer(
    group_member: ChatClient,
) -> None:
    reply = group_member.ask("/faq how much does it cost")
    assert is_cost_answer(reply), reply
    assert mentions_price_range(reply.text), f"the cost answer gives no price range: {reply}"
    assert reply.quotes, "in the group the bot quotes the question it answers"
    cost = faq_entry("cost")
    if cost.get("more"):
        read_more = reply.button(TEXTS["button_read_more"])
        assert read_more.get("url", "").endswith("?start=faq-cost")
        assert _plain(cost["more"]).split("\n")[0][:40] not in reply.text, "group: short"


def test_faq_question_in_private_gets_the_full_cost_answer(member: ChatClient) -> None:
    reply = member.ask("/faq how much does it cost")
    assert is_cost_answer(reply), reply
    assert mentions_price_range(reply.text)
    assert TEXTS["button_read_more"] not in reply.button_texts


def test_faq_question_without_match_offers_the_menu(member: ChatClient) -> None:
    reply = member.ask("/faq zebra xylophone quantum")
    assert text_start("faq_no_match") in reply.text
    assert faq_entries()[0]["title"] in reply.button_texts


def test_deep_link_opens_the_cost_answer(member: ChatClient) -> None:
    reply = member.ask("/start faq-cost")
    assert is_cost_answer(reply), reply
    assert mentions_price_range(reply.text)
    assert text_start("welcome") not in reply.text, "a deep link skips the welcome"


# --------------------------------------------------------------------------- /links
def test_links_lists_the_community_links_with_buttons(member: ChatClient) -> None:
    reply = member.ask("/links")
    assert text_start("links_intro") in reply.text
    for link in links():
        assert link["title"] in reply.text
        assert reply.button(link["title"])["url"] == link["url"]
    assert reply.button(TEXTS["button_emergency"]).get("url", "").startswith("https://")


# ------------------------------------------------------------------ unknown command
def test_unknown_command_in_private_points_to_help(member: ChatClient) -> None:
    reply = member.ask("/frobnicate")
    assert "/frobnicate" in reply.text
    assert "/help" in reply.text
    assert len(reply.text) < 200, "a short pointer, not a wall of text"


def test_unknown_command_in_the_group_gets_silence(group_member: ChatClient) -> None:
    group_member.send("/frobnicate")
    group_member.expect_silence(1.0)
