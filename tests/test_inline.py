"""Inline mode through the real application: ``@bot cost`` in any chat offers FAQ answers."""

from __future__ import annotations

import itertools
import json
from typing import Any

from telegram import Update

from bot.app import AnyApp
from bot.deps import app_deps
from bot.runtime.fakeapi import BOT_USERNAME, FakeBotAPI
from handlers.inline import CACHE_SECONDS
from tests.tg import MEMBER_ID, Driver, only, user

_ids = itertools.count(70_000)
DISCLAIMER = "not medical advice"


async def inline(member: Driver, query: str, language_code: str | None = None) -> dict[str, Any]:
    """Type ``@bot <query>``: the parameters of the bot's answerInlineQuery."""
    update = Update.de_json(
        {
            "update_id": next(_ids),
            "inline_query": {
                "id": str(next(_ids)),
                "from": user(MEMBER_ID, "Sam", language_code),
                "query": query,
                "offset": "",
                "chat_type": "supergroup",
            },
        },
        member.app.bot,
    )
    answer = only(await member.process(update), "answerInlineQuery")
    params = dict(answer.params)
    if isinstance(params["results"], str):
        params["results"] = json.loads(params["results"])
    return params


def ids(params: dict[str, Any]) -> list[str]:
    return [r["id"] for r in params["results"]]


def url_of(result: dict[str, Any]) -> str:
    return str(result["reply_markup"]["inline_keyboard"][0][0]["url"])


async def test_cost_offers_the_cost_answer_with_disclaimer_and_a_deep_link(
    member: Driver, app: AnyApp
) -> None:
    params = await inline(member, "cost")
    best = app_deps(app).matcher.match("cost").best
    assert best is not None
    first = params["results"][0]
    assert first["id"] == f"faq:{best.id}"
    assert first["title"] == best.title
    text = first["input_message_content"]["message_text"]
    assert best.question in text
    assert DISCLAIMER in text
    assert url_of(first) == f"https://t.me/{BOT_USERNAME}?start=faq-{best.id}"
    assert params["cache_time"] == CACHE_SECONDS
    # Results follow the member's language, so Telegram must not share them between people.
    assert params.get("is_personal") is True


async def test_results_come_in_the_member_s_language(member: Driver) -> None:
    params = await inline(member, "cuánto cuesta", "es-419")
    first = params["results"][0]
    assert first["title"] == "¿Cuánto cuesta?"
    assert "no es consejo médico" in first["input_message_content"]["message_text"]
    assert first["reply_markup"]["inline_keyboard"][0][0]["text"] == "💬 Abrir en el bot"
    crisis = await inline(member, "quero morrer", "pt-br")
    assert crisis["results"][0]["title"] == "🆘 Se você está em crise, aqui tem ajuda"


async def test_typos_find_what_faq_finds(member: Driver, app: AnyApp) -> None:
    query = "is it covered by insurence"
    best = app_deps(app).matcher.match(query).best
    assert best is not None
    assert ids(await inline(member, query))[0] == f"faq:{best.id}"
    faq_reply = only(await member.send(f"/faq {query}"))
    assert best.question in faq_reply.text, "the same answer as /faq"


async def test_an_empty_query_offers_the_most_read_topics(member: Driver, app: AnyApp) -> None:
    content = app_deps(app).content
    default = await inline(member, "")
    assert ids(default) == [f"faq:{e.id}" for e in content.faq[:5]], "nothing read yet"
    for question in ("/faq cost", "/faq cost", "/faq is it saef"):
        await member.send(question)
    cost = app_deps(app).matcher.match("cost").best
    safe = app_deps(app).matcher.match("is it safe").best
    assert cost is not None
    assert safe is not None
    assert ids(await inline(member, ""))[:2] == [f"faq:{cost.id}", f"faq:{safe.id}"]


async def test_nonsense_gets_one_result_that_opens_the_bot(member: Driver) -> None:
    params = await inline(member, "zzqx blorp")
    [result] = params["results"]
    assert result["id"] == "none"
    assert f"@{BOT_USERNAME}" in result["input_message_content"]["message_text"]
    assert "zzqx blorp" in result["input_message_content"]["message_text"]
    assert url_of(result).endswith("?start=faq")


async def test_crisis_words_put_the_emergency_text_first(member: Driver, app: AnyApp) -> None:
    params = await inline(member, "i want to die")
    first = params["results"][0]
    assert first["id"] == "crisis"
    emergency = app_deps(app).content.emergency
    assert first["reply_markup"]["inline_keyboard"][0][0]["url"] == emergency.directory_url


async def test_every_result_fits_telegrams_limits(member: Driver, api: FakeBotAPI) -> None:
    for query in ("", "cost", "stem", "zzz", "safe"):
        results = (await inline(member, query))["results"]
        # answerInlineQuery: at most 50 results; result ids 1-64 bytes; texts 1-4096 characters.
        assert 0 < len(results) <= 50
        assert len(set(ids({"results": results}))) == len(results)
        for result in results:
            assert 0 < len(result["id"].encode()) <= 64
            assert 0 < len(result["input_message_content"]["message_text"]) <= 4096
