"""A member's language through the real application: Telegram's, their choice, the group's."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select
from telegram import Update
from telegram.ext import AIORateLimiter

from bot.app import AnyApp, build_application, start_offline, stop_offline
from bot.config import Settings
from bot.deps import app_deps
from bot.features.content import ContentError
from bot.runtime.fakeapi import GROUP_ID, FakeBotAPI
from bot.storage.models import Member, Subscription
from handlers.subscribe import delivery_job
from tests.conftest import TIPS_NOW
from tests.test_members import status_fields, welcome_now
from tests.test_tips_delivery import FakeContext
from tests.tg import MEMBER_ID, OTHER_MEMBER_ID, Driver, chat, only, texts, user


def spanish(app: AnyApp, api: FakeBotAPI, user_id: int = MEMBER_ID) -> Driver:
    """A member whose Telegram is in Latin American Spanish."""
    return Driver(app, api, user_id, "Ana", language_code="es-419")


def brazilian(app: AnyApp, api: FakeBotAPI, user_id: int = OTHER_MEMBER_ID) -> Driver:
    """A member whose Telegram is in Brazilian Portuguese."""
    return Driver(app, api, user_id, "Bia", language_code="pt-br")


async def member_row(app: AnyApp, user_id: int) -> Member | None:
    async with app_deps(app).transaction() as session:
        return await session.scalar(select(Member).where(Member.id == user_id))


# --- Telegram's language ---------------------------------------------------------------------


async def test_start_faq_and_a_button_in_spanish(app: AnyApp, api: FakeBotAPI) -> None:
    ana = spanish(app, api)
    welcome = only(await ana.send("/start"))
    assert welcome.text.startswith("Hola Ana, te damos la bienvenida")
    assert "Normas del grupo" in welcome.text
    assert [b["text"] for b in welcome.buttons] == [
        "📚 Preguntas y respuestas",
        "🔗 Enlaces de la comunidad",
    ]
    menu = only(await ana.press(welcome, "Preguntas y respuestas"))
    assert "Preguntas frecuentes de la comunidad" in menu.text
    answer = only(await ana.press(menu, "¿Qué es la fibromialgia?"))
    assert "La fibromialgia es una enfermedad de larga duración" in answer.text
    assert "no es consejo médico" in answer.text
    assert only(await ana.press(menu, "Siguiente")).text.endswith(
        "(página 2 de 3). Toca una para leer la respuesta."
    )
    cost = only(await ana.send("/faq cuanto cuesta"))
    assert "5.000 a 20.000 dólares" in cost.text
    assert "⬅️ Volver a los temas" in [b["text"] for b in answer.buttons]


async def test_a_portuguese_question_gets_a_portuguese_answer(
    app: AnyApp, api: FakeBotAPI
) -> None:
    bia = brazilian(app, api)
    answer = only(await bia.send("quanto custa o tratamento?"))
    assert "5.000 a 20.000 dólares" in answer.text
    assert "não é orientação médica" in answer.text


async def test_a_question_in_english_is_answered_in_the_member_s_language(
    app: AnyApp, api: FakeBotAPI
) -> None:
    answer = only(await spanish(app, api).send("/faq is it fda approved"))
    assert "No, todavía no" in answer.text


async def test_an_unshipped_language_gets_the_community_s(app: AnyApp, api: FakeBotAPI) -> None:
    french = Driver(app, api, MEMBER_ID, "Zoé", language_code="fr")
    assert only(await french.send("/start")).text.startswith("Hello Zoé")


async def test_crisis_words_lead_to_the_emergency_text_in_each_language(
    app: AnyApp, api: FakeBotAPI
) -> None:
    reply = only(await spanish(app, api).send("ya no puedo más, quiero morir"))
    assert "Siento mucho que estés pasando por esto" in reply.text
    assert "112" in reply.text
    assert reply.buttons[0]["text"] == "🆘 Buscar una línea de ayuda"
    reply = only(await brazilian(app, api).send("não aguento mais"))
    assert "Sinto muito que você esteja passando por isso" in reply.text
    # Someone in crisis may write in another language than their app's: still found.
    reply = only(await brazilian(app, api).send("I want to die"))
    assert "Sinto muito" in reply.text


# --- In the group ----------------------------------------------------------------------------


async def test_in_the_group_an_answer_is_in_the_asker_s_language(
    app: AnyApp, api: FakeBotAPI
) -> None:
    answer = only(await spanish(app, api).in_group().send("/faq es seguro"))
    assert int(answer.params["chat_id"]) == GROUP_ID
    assert "Depende mucho de dónde y cómo se haga" in answer.text


async def test_the_welcome_to_everyone_is_in_the_community_language(
    app: AnyApp, api: FakeBotAPI
) -> None:
    person = user(MEMBER_ID, "Ana", "es")
    change = {
        "chat": chat(GROUP_ID),
        "from": person,
        "date": int(time.time()),
        "old_chat_member": {"user": person} | status_fields("left"),
        "new_chat_member": {"user": person} | status_fields("member"),
    }
    update = Update.de_json({"update_id": 9001, "chat_member": change}, app.bot)
    ana = spanish(app, api)
    before = len(api.calls)
    await ana.process(update)
    await welcome_now(app)
    welcome = only(api.calls[before:])
    assert welcome.text.startswith("Welcome, Ana")


async def test_community_language_setting(settings: Settings, api: FakeBotAPI) -> None:
    application = build_application(
        settings.model_copy(update={"community_language": "pt"}),
        api,
        rate_limiter=AIORateLimiter(overall_max_rate=0, group_max_rate=0),
    )
    await start_offline(application)
    try:
        nobody = Driver(application, api, MEMBER_ID, "Kim")  # no language_code
        assert only(await nobody.send("/start")).text.startswith("Olá Kim")
    finally:
        await stop_offline(application)


# --- /language: the member's own choice, stored, shown, erased --------------------------------


async def test_language_choice_is_stored_shown_and_erased(app: AnyApp, api: FakeBotAPI) -> None:
    ana = spanish(app, api)
    asked = only(await ana.send("/language"))
    assert "Ahora te escribo en <b>Español</b>" in asked.text
    assert [b["text"] for b in asked.buttons] == [
        "English",
        "Español",
        "Português",
        "🔄 Como mi Telegram",
    ]
    done = only(await ana.press(asked, "Português"))
    assert done.text == "Pronto: a partir de agora escrevo para você em Português."
    assert (await member_row(app, MEMBER_ID)).language == "pt"
    assert "<b>O que eu posso fazer</b>" in only(await ana.send("/help")).text
    shown = only(await ana.send("/mydata"))
    assert "O que guardo sobre você" in shown.text
    assert "Idioma: Português (escolhido por você)" in shown.text
    asked = only(await ana.send("/forget"))
    assert "Isto apaga tudo" in asked.text
    erased = only(await ana.press(asked, "Sim, apagar tudo"))
    assert "tudo o que eu guardava sobre você foi apagado" in erased.text
    assert await member_row(app, MEMBER_ID) is None
    # Nothing stored any more: Telegram's language (Spanish) applies again.
    assert "Lo que puedo hacer" in only(await ana.send("/help")).text


async def test_as_my_telegram_forgets_the_choice(app: AnyApp, api: FakeBotAPI) -> None:
    ana = spanish(app, api)
    asked = only(await ana.send("/language"))
    only(await ana.press(asked, "English"))
    assert "What I can do" in only(await ana.send("/help")).text
    asked = only(await ana.send("/language"))
    done = only(await ana.press(asked, "As my Telegram"))
    assert "Hecho: seguiré el idioma de tu Telegram (ahora Español)" in done.text
    assert (await member_row(app, MEMBER_ID)).language is None


async def test_the_choice_survives_a_restart(
    settings: Settings, app: AnyApp, api: FakeBotAPI
) -> None:
    ana = spanish(app, api)
    only(await ana.press(only(await ana.send("/language")), "Português"))
    again = build_application(
        settings, api, rate_limiter=AIORateLimiter(overall_max_rate=0, group_max_rate=0)
    )
    await start_offline(again)
    try:
        assert "O que eu posso fazer" in only(await spanish(again, api).send("/help")).text
    finally:
        await stop_offline(again)


# --- Command menus and tips ------------------------------------------------------------------


async def test_the_command_menu_is_registered_per_language(
    settings: Settings, api: FakeBotAPI
) -> None:
    application = build_application(
        settings, api, rate_limiter=AIORateLimiter(overall_max_rate=0, group_max_rate=0)
    )
    await start_offline(application)
    await stop_offline(application)
    menus: dict[Any, dict[str, str]] = {}
    for call in api.calls:
        if call.method == "setMyCommands" and "scope" not in call.params:
            commands = call.params["commands"]
            menus[call.params.get("language_code")] = {
                c["command"]: c["description"] for c in commands
            }
    assert set(menus) == {None, "en", "es", "pt"}
    assert menus["es"]["language"] == "Elegir el idioma en que te escribo"
    assert menus["pt"]["tip"] == "A dica de hoje"
    assert menus[None] == menus["en"], "the default menu is the community's language"


async def test_daily_tips_arrive_in_the_subscriber_s_language(
    clocked: AnyApp, api: FakeBotAPI
) -> None:
    ana = spanish(clocked, api)
    first = only(await ana.send("/subscribe"))
    assert "Consejos diarios" in first.text
    second = only(await ana.press(first, "10:00"))
    done = only(await ana.press(second, "Europe/Madrid".replace("_", " ")))
    assert "Te has suscrito" in done.text
    bia = brazilian(clocked, api)
    only(
        await bia.press(
            only(await bia.press(only(await bia.send("/subscribe")), "10:00")), "Europe/Madrid"
        )
    )
    async with app_deps(clocked).transaction() as session:
        languages = dict(
            (await session.execute(select(Subscription.member_id, Subscription.language))).all()
        )
    assert languages == {MEMBER_ID: "es", OTHER_MEMBER_ID: "pt"}
    api.clear()
    app_deps(clocked).clock = lambda: datetime(2025, 6, 2, 8, 0, 30, tzinfo=UTC)  # 10:00 Madrid
    await delivery_job(FakeContext(clocked))  # type: ignore[arg-type]
    sent = {int(c.params["chat_id"]): c.text for c in api.sent()}
    assert sent[MEMBER_ID].startswith("🌱 <b>El consejo de hoy</b>")
    assert sent[OTHER_MEMBER_ID].startswith("🌱 <b>A dica de hoje</b>")
    catalog = app_deps(clocked).catalog
    assert catalog is not None
    from bot.features.tips import tip_of_day

    tip_id = tip_of_day(catalog.source.tips, TIPS_NOW.date()).id
    assert catalog.get("es").tip(tip_id).text in sent[MEMBER_ID].replace("&quot;", '"')
    assert catalog.get("pt").tip(tip_id).text in sent[OTHER_MEMBER_ID].replace("&quot;", '"')


async def test_dates_in_the_tips_settings_read_in_spanish(
    clocked: AnyApp, api: FakeBotAPI
) -> None:
    ana = spanish(clocked, api)
    only(
        await ana.press(
            only(await ana.press(only(await ana.send("/subscribe")), "09:00")), "Europe/Madrid"
        )
    )
    menu = only(await ana.send("/settings"))
    asked = only(await ana.press(menu, "Pausa por brote"))
    assert [b["text"] for b in asked.buttons] == ["3 días", "7 días", "14 días"]
    done = only(await ana.press(asked, "7 días"))
    assert "en pausa hasta el lunes, 9 de junio" in done.text
    assert texts(await ana.send("/settings"))[0].count("lunes, 9 de junio") == 1


async def test_a_community_language_without_a_folder_stops_the_bot_with_the_reason(
    settings: Settings, api: FakeBotAPI
) -> None:
    with pytest.raises(ContentError) as caught:
        build_application(settings.model_copy(update={"community_language": "fr"}), api)
    assert caught.value.problems == [
        "COMMUNITY_LANGUAGE=fr: no such content folder (shipped: en, es, pt)"
    ]
