"""Members talking to the real application: what they see, what is stored, what is not."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select

from bot.app import AnyApp
from bot.deps import app_deps
from bot.features.text import fits_callback
from bot.runtime.fakeapi import BOT_USERNAME, GROUP_ID, FakeBotAPI
from bot.storage.models import Chat, FaqUsage, Member
from handlers.faq import PAGE_SIZE
from tests.tg import MEMBER_ID, Driver, only, texts

DISCLAIMER = "not medical advice"


def explode(*_args: object, **_kwargs: object) -> object:
    """A stand-in for bot code with a bug in it."""
    raise RuntimeError("broken on purpose")


async def count(app: AnyApp, model: type, *where: object) -> int:
    async with app_deps(app).transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(model).where(*where)))


async def test_start_welcomes_with_disclaimer_and_buttons(member: Driver) -> None:
    reply = only(await member.send("/start"))
    assert "Hello Sam" in reply.text
    assert DISCLAIMER in reply.text
    labels = [b["text"] for b in reply.buttons]
    assert any("Questions" in label for label in labels)
    assert any("links" in label.lower() for label in labels)


async def test_start_escapes_the_members_name(app: AnyApp, api: FakeBotAPI) -> None:
    reply = only(await Driver(app, api, first_name="<b>Eve & co</b>").send("/start"))
    assert "&lt;b&gt;Eve &amp; co&lt;/b&gt;" in reply.text


async def test_help_lists_member_commands(member: Driver) -> None:
    reply = only(await member.send("/help"))
    for command in ("/start", "/faq", "/links", "/help", "/cost"):
        assert command in reply.text


async def test_faq_menu_is_paged_and_buttons_fit_telegram(member: Driver, app: AnyApp) -> None:
    menu = only(await member.send("/faq"))
    topics = [b for b in menu.buttons if b["callback_data"].startswith("faq:a:")]
    assert len(topics) == PAGE_SIZE
    assert all(fits_callback(b["callback_data"]) for b in menu.buttons)
    page2 = only(await member.press(menu, "Next"))
    assert page2.method == "editMessageText"
    assert page2.params["message_id"] == menu.result["message_id"]
    assert "page 2" in page2.text
    total = len(app_deps(app).content.faq)
    seen = len(topics)
    current = page2
    while any("Next" in b["text"] for b in current.buttons):
        seen += sum(1 for b in current.buttons if b["callback_data"].startswith("faq:a:"))
        current = only(await member.press(current, "Next"))
    seen += sum(1 for b in current.buttons if b["callback_data"].startswith("faq:a:"))
    assert seen == total, "every topic is reachable from the menu"


async def test_topic_button_edits_the_menu_into_the_answer_then_back(
    member: Driver, app: AnyApp
) -> None:
    menu = only(await member.send("/faq"))
    answer = only(await member.press(menu, "What is fibromyalgia"))
    assert answer.method == "editMessageText"
    assert answer.params["message_id"] == menu.result["message_id"]
    assert "central" in answer.text.lower()
    assert DISCLAIMER in answer.text
    assert any("↪️" in b["text"] for b in answer.buttons), "related topics are offered"
    back = only(await member.press(answer, "Back"))
    assert back.method == "editMessageText"
    assert "Questions members often ask" in back.text
    assert await count(app, FaqUsage, FaqUsage.topic_id == "what-is-fibromyalgia") == 1


async def test_related_button_opens_the_related_answer(member: Driver) -> None:
    answer = only(await member.send("/faq cost"))
    related = next(b for b in answer.buttons if b["text"].startswith("↪️"))
    shown = only(await member.press_data(answer, related["callback_data"]))
    assert shown.method == "editMessageText"
    assert shown.text != answer.text


@pytest.mark.parametrize(
    ("query", "must_say"),
    [
        ("how much does it cost", "$5,000"),
        ("fda", "not"),
        ("is it safe", "clinic"),
        ("can stem cells cure fibro", "cure"),
    ],
)
async def test_faq_words_in_private_answer_in_full(
    member: Driver, query: str, must_say: str
) -> None:
    reply = only(await member.send(f"/faq {query}"))
    assert must_say in reply.text
    assert reply.text.rstrip().endswith("</i>")
    assert DISCLAIMER in reply.text.split("\n\n")[-1]


async def test_every_answer_ends_with_the_disclaimer(member: Driver, app: AnyApp) -> None:
    for entry in app_deps(app).content.faq:
        reply = only(await member.send(f"/start faq-{entry.id}"))
        assert DISCLAIMER in reply.text.split("\n\n")[-1], entry.id


async def test_group_answer_quotes_the_asker_and_offers_private_reading(member: Driver) -> None:
    group = member.in_group()
    reply = only(await group.send(f"/faq@{BOT_USERNAME} how much does it cost"))
    assert reply.params["chat_id"] == GROUP_ID
    assert "reply_parameters" in reply.params, "group answers reply to the asker"
    assert "$5,000" in reply.text


async def test_group_answer_with_longer_text_links_to_private(member: Driver, app: AnyApp) -> None:
    entry = next(e for e in app_deps(app).content.faq if e.more)
    reply = only(await member.in_group().send(f"/faq {entry.question}"))
    urls = [b.get("url", "") for b in reply.buttons]
    assert f"https://t.me/{BOT_USERNAME}?start=faq-{entry.id}" in urls
    private = only(await member.send(f"/start faq-{entry.id}"))
    assert len(private.text) > len(reply.text), "the private answer has the longer text"


async def test_command_for_another_bot_is_ignored_in_group(member: Driver) -> None:
    assert texts(await member.in_group().send("/faq@SomeOtherBot cost")) == []


async def test_nonsense_gets_a_kind_no_match_and_the_menu(member: Driver) -> None:
    reply = only(await member.send("/faq asdfgh qwerty"))
    assert "couldn't find" in reply.text
    assert any(b["callback_data"].startswith("faq:a:") for b in reply.buttons)


async def test_no_match_escapes_what_the_member_typed(member: Driver) -> None:
    reply = only(await member.send("/faq <script>zzqx</script>"))
    assert "<script>" not in reply.text
    assert "&lt;script&gt;" in reply.text


async def test_ambiguous_question_offers_the_close_topics(member: Driver) -> None:
    reply = only(await member.send("/faq pros and cons"))
    assert "more than one topic" in reply.text
    offered = {b["callback_data"] for b in reply.buttons}
    assert {"faq:a:benefits", "faq:a:risks"} <= offered
    assert "faq:m:0" in offered, "and the whole menu"


async def test_deep_link_opens_the_answer(member: Driver) -> None:
    reply = only(await member.send("/start faq-cost"))
    assert "$5,000" in reply.text


async def test_deep_link_to_a_removed_topic_shows_the_menu(member: Driver) -> None:
    reply = only(await member.send("/start faq-no-such-topic"))
    assert "isn't in the FAQ" in reply.text
    assert reply.buttons


async def test_shortcut_command(member: Driver) -> None:
    assert "$5,000" in only(await member.send("/cost")).text


async def test_links_are_url_buttons_with_a_helpline(member: Driver) -> None:
    reply = only(await member.send("/links"))
    urls = [b["url"] for b in reply.buttons]
    assert any("whatsapp" in u for u in urls)
    assert "https://findahelpline.com" in urls
    assert "emergency" in reply.text.lower()


async def test_links_button_under_the_welcome(member: Driver) -> None:
    welcome = only(await member.send("/start"))
    links = only(await member.press(welcome, "links"))
    assert "https://findahelpline.com" in [b["url"] for b in links.buttons]


async def test_unknown_command_private_gets_a_pointer(member: Driver) -> None:
    reply = only(await member.send("/frobnicate"))
    assert "/frobnicate" in reply.text
    assert "/help" in reply.text


async def test_unknown_command_in_group_is_silent(member: Driver) -> None:
    assert texts(await member.in_group().send("/frobnicate")) == []


async def test_pressing_the_same_button_twice_is_harmless(member: Driver, api: FakeBotAPI) -> None:
    menu = only(await member.send("/faq"))
    await member.press(menu, "What is fibromyalgia")
    api.fail("editMessageText", 400, "Bad Request: message is not modified")
    calls = await member.press(menu, "What is fibromyalgia")
    assert [c.method for c in calls].count("sendMessage") == 0, "no apology for a double tap"


async def test_command_menu_registered_at_start_up(settings, api: FakeBotAPI) -> None:
    from bot.app import build_application, start_offline, stop_offline

    application = build_application(settings, api)
    await start_offline(application)
    await stop_offline(application)
    registered = api.sent("setMyCommands")[0].params["commands"]
    names = [c["command"] for c in registered]
    assert names[:4] == ["start", "faq", "links", "help"]
    assert "cost" in names


async def test_members_and_chats_recorded_without_names(member: Driver, app: AnyApp) -> None:
    await member.send("/start")
    await member.in_group().send("/faq cost")
    assert await count(app, Member, Member.id == MEMBER_ID) == 1
    assert await count(app, Chat) == 2
    async with app_deps(app).transaction() as session:
        usage = (await session.scalars(select(FaqUsage))).all()
    assert [(u.topic_id, u.chat_type) for u in usage] == [("cost", "supergroup")]


async def test_handler_error_apologises_and_logs_ids_not_text(
    member: Driver, app: AnyApp, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:

    monkeypatch.setattr(app_deps(app).matcher, "match", explode)
    with caplog.at_level(logging.ERROR):
        calls = await member.send("/faq my private symptoms")
    assert any("Sorry, something went wrong" in t for t in texts(calls))
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "update_id" in logged
    assert "private symptoms" not in logged
    # The admins hear about it too (ADMIN_USER_IDS in the test settings).
    assert any("hit an error (RuntimeError)" in t for t in texts(calls))


async def test_blocked_member_is_a_warning_not_a_crash(
    member: Driver, api: FakeBotAPI, caplog: pytest.LogCaptureFixture
) -> None:
    api.fail("sendMessage", 403, "Forbidden: bot was blocked by the user")
    with caplog.at_level(logging.WARNING):
        await member.send("/help")
    assert any("Forbidden" in r.getMessage() for r in caplog.records)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "What I can do" in only(await member.send("/help")).text


async def test_flood_control_is_retried_by_the_rate_limiter(settings, api: FakeBotAPI) -> None:
    from telegram.ext import AIORateLimiter

    from bot.app import build_application, start_offline, stop_offline

    application = build_application(settings, api, rate_limiter=AIORateLimiter(max_retries=2))
    await start_offline(application)
    try:
        api.fail("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
        calls = await Driver(application, api).send("/help")
    finally:
        await stop_offline(application)
    sends = [c for c in calls if c.method == "sendMessage"]
    assert len(sends) == 2, "one refused by flood control, then the retry"
    assert "What I can do" in sends[-1].text


async def test_network_failure_is_logged_as_a_warning(
    member: Driver, api: FakeBotAPI, caplog: pytest.LogCaptureFixture
) -> None:
    api.fail("sendMessage", 502, "Bad Gateway")
    with caplog.at_level(logging.WARNING):
        await member.send("/links")
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_bad_request_is_an_error_the_admins_hear_about(
    member: Driver,
    api: FakeBotAPI,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # BadRequest is a NetworkError in PTB, but it means our message was wrong, not the network.
    api.fail("sendMessage", 400, "Bad Request: can't parse entities: unclosed tag")
    with caplog.at_level(logging.WARNING):
        calls = await member.send("/help")
    assert [r for r in caplog.records if r.levelno >= logging.ERROR], "logged as an error"
    assert any("Sorry, something went wrong" in t for t in texts(calls)), "the member hears"
    assert any("hit an error (BadRequest)" in t for t in texts(calls)), "the admins hear"


async def test_an_expired_button_press_is_only_a_warning(
    member: Driver, api: FakeBotAPI, caplog: pytest.LogCaptureFixture
) -> None:
    menu = only(await member.send("/faq"))
    api.fail("answerCallbackQuery", 400, "Bad Request: query is too old and response timeout")
    with caplog.at_level(logging.WARNING):
        calls = await member.press(menu, "Next")
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert [c.method for c in calls].count("sendMessage") == 0, "no apology for an old button"


@pytest.mark.parametrize(
    "words",
    ["i want to die", "I don’t want to live, I'm thinking about suicide", "I might hurt myself"],
)
async def test_a_member_in_crisis_gets_the_helpline_not_the_faq(
    member: Driver, words: str
) -> None:
    for driver in (member, member.in_group()):
        reply = only(await driver.send(f"/faq {words}"))
        assert "emergency number" in reply.text
        assert [b["url"] for b in reply.buttons] == ["https://findahelpline.com"]
        assert "couldn't find" not in reply.text


@pytest.mark.parametrize(
    "words",
    [
        "I don't want to live anymore",
        "I don’t want to be here anymore",
        "I overdosed on my pills",
        "nobody would miss me",
        "sucidal thoughts again",
        "quiero morir",  # another language than the member's
    ],
)
async def test_crisis_as_members_put_it_typed_in_private_gets_the_helpline(
    member: Driver, words: str
) -> None:
    reply = only(await member.send(words))
    assert [b["url"] for b in reply.buttons] == ["https://findahelpline.com"]


@pytest.mark.parametrize("words", ["how much does it cost", "die cast", "pain at night"])
def test_crisis_words_match_whole_words_only(app: AnyApp, words: str) -> None:
    from bot.features.safety import mentions_crisis

    assert not mentions_crisis(words, app_deps(app).content.emergency.crisis_words)


async def test_an_error_behind_a_button_stops_its_spinner_with_the_apology(
    member: Driver, app: AnyApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    menu = only(await member.send("/faq"))

    monkeypatch.setattr("handlers.faq.menu", explode)
    calls = await member.press(menu, "Next")
    answers = [c for c in calls if c.method == "answerCallbackQuery"]
    assert any("Sorry, something went wrong" in str(c.params.get("text")) for c in answers)


async def test_the_apology_in_the_group_replies_to_the_member(
    member: Driver, app: AnyApp, monkeypatch: pytest.MonkeyPatch
) -> None:

    monkeypatch.setattr(app_deps(app).matcher, "match", explode)
    calls = await member.in_group().send("/faq cost")
    apology = next(c for c in calls if "Sorry, something went wrong" in c.text)
    assert "reply_parameters" in apology.params


async def test_apology_goes_to_the_chat_when_the_button_was_answered_already(
    member: Driver, api: FakeBotAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    menu = only(await member.send("/faq"))

    monkeypatch.setattr("handlers.faq.menu", explode)
    api.respond(
        "answerCallbackQuery",
        lambda params: (
            (
                400,
                {
                    "ok": False,
                    "error_code": 400,
                    "description": "Bad Request: query is too old and response timeout expired",
                },
            )
            if params.get("text")
            else None
        ),
    )
    calls = await member.press(menu, "Next")
    assert any("Sorry, something went wrong" in t for t in texts(calls, "sendMessage"))


async def test_a_question_typed_in_private_without_faq_is_answered(member: Driver) -> None:
    reply = only(await member.send("how much does it cost?"))
    assert "$5,000" in reply.text
    assert DISCLAIMER in reply.text


async def test_crisis_words_typed_in_private_get_the_helpline(member: Driver) -> None:
    reply = only(await member.send("i want to die"))
    assert [b["url"] for b in reply.buttons] == ["https://findahelpline.com"]


async def test_crisis_words_at_the_end_of_a_long_message_get_the_helpline(
    member: Driver,
) -> None:
    story = "I have had such a hard week with pain and fog and nobody understands me. " * 6
    reply = only(await member.send(story + "I want to die"))
    assert [b["url"] for b in reply.buttons] == ["https://findahelpline.com"]


async def test_plain_text_in_the_group_is_left_alone(member: Driver) -> None:
    assert texts(await member.in_group().send("how much does it cost?")) == []


@pytest.mark.parametrize(
    "question", ["should I stop taking my pregabalin", "what dose of magnesium should I take?"]
)
async def test_a_question_the_faq_cannot_answer_is_told_so_and_pointed_to_a_doctor(
    member: Driver, question: str
) -> None:
    reply = only(await member.send(question))
    assert "I can't advise on your own medicines" in reply.text
    assert "Hello" not in reply.text


async def test_a_greeting_in_private_gets_a_short_pointer_not_the_menu(member: Driver) -> None:
    reply = only(await member.send("hello"))
    assert "/faq" in reply.text
    assert reply.buttons == []
