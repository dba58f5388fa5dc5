"""A member whose Telegram is in Spanish (or Portuguese) goes through the bot in that language.

The real `fibrobot run` against the emulator, on a test clock so the daily tip "at 10:00"
arrives in seconds: /start, /faq, a topic button, /subscribe, the tip, /mydata and /forget,
each message in the member's language, and no error in the bot's log.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from e2e_harness import (
    ADMIN_USER_ID,
    E2E,
    REPO_ROOT,
    BotProcess,
    ChatClient,
    Stack,
    bot_env,
    emulator_stack,
    error_lines,
    wait_until,
)

from bot.features.languages import load_catalog
from bot.features.tips import tip_of_day

pytestmark = pytest.mark.e2e

CONTENT_DIR = REPO_ROOT / "content"
DAY = date(2025, 6, 2)
TEN = datetime(2025, 6, 2, 10, 0, tzinfo=UTC)
SPANISH = {
    "id": 2000201, "is_bot": False, "first_name": "Lucía", "username": "lucia_e2e",
    "language_code": "es-419",
}  # fmt: skip
BRAZILIAN = {
    "id": 2000202, "is_bot": False, "first_name": "João", "username": "joao_e2e",
    "language_code": "pt-br",
}  # fmt: skip


@dataclass(frozen=True)
class Words:
    """What each step says in one language."""

    language: str
    welcome: str
    faq_button: str
    menu: str
    topic: str
    answer: str
    disclaimer: str
    ask_time: str
    subscribed: str
    tip_header: str
    mydata: str
    forget_asked: str
    forget_button: str
    forgotten: str


JOURNEYS = [
    Words(
        "es", "Hola Lucía, te damos la bienvenida", "📚 Preguntas y respuestas",
        "Preguntas frecuentes de la comunidad", "¿Qué es la fibromialgia?",
        "La fibromialgia es una enfermedad de larga duración", "no es consejo médico",
        "¿A qué hora te gustaría recibirla?",
        "Te has suscrito. Tu primer consejo llega hoy a las 10:00.", "El consejo de hoy",
        "Lo que guardo sobre ti", "Esto borra todo lo que guardo sobre ti", "Sí, borrar todo",
        "todo lo que guardaba sobre ti está borrado",
    ),
    Words(
        "pt", "Olá João, seja bem-vindo(a)", "📚 Perguntas e respostas",
        "Perguntas frequentes da comunidade", "O que é fibromialgia?",
        "A fibromialgia é uma condição de longa duração", "não é orientação médica",
        "Em que horário você gostaria de receber?",
        "Inscrição feita. Sua primeira dica chega hoje às 10:00.", "A dica de hoje",
        "O que guardo sobre você", "Isto apaga tudo o que guardo sobre você", "Sim, apagar tudo",
        "tudo o que eu guardava sobre você foi apagado",
    ),
]  # fmt: skip


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with emulator_stack(tmp_path_factory.mktemp("languages-e2e")) as running:
        yield running


@dataclass
class Running:
    """One running bot and its database."""

    env: E2E
    db: Path


@pytest.fixture
def bot(stack: Stack, request: pytest.FixtureRequest) -> Iterator[Running]:
    """A fresh bot on a test clock: 10:00 comes about 30 s of real time after it starts."""
    name = request.node.name.replace("[", "-").replace("]", "")
    env = bot_env(
        api_url=stack.proxy.url, db_path=stack.folder / f"{name}.db", content_dir=CONTENT_DIR,
        admin_ids=[ADMIN_USER_ID],
    )  # fmt: skip
    env.update(
        TEST_CLOCK_START=(TEN - timedelta(minutes=10)).isoformat(),
        TEST_CLOCK_SPEED="20",
        TIPS_JOB_INTERVAL="1",
    )
    mark = len(stack.proxy.calls)
    process = BotProcess(env, stack.folder / f"{name}.log", cwd=stack.folder)
    try:
        wait_until(
            lambda: bool(stack.proxy.find_calls("getUpdates", mark)), 30, "the bot's getUpdates"
        )
        yield Running(
            E2E(emulator=stack.emulator, proxy=stack.proxy, bot=process),
            stack.folder / f"{name}.db",
        )
        code = process.stop(timeout=10)
        errors = error_lines(process.log_text())
        assert code == 0, f"the bot did not exit 0 on SIGTERM:\n{process.log_tail()}"
        assert not errors, "the bot logged errors:\n" + "\n".join(errors)
    finally:
        process.stop(timeout=5)


def rows(db_path: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db_path, timeout=10) as connection:
        return connection.execute(sql).fetchall()


def test_the_command_menu_is_registered_in_each_language(bot: Running) -> None:
    menus = {
        call.params.get("language_code"): call.params["commands"]
        for call in bot.env.proxy.find_calls("setMyCommands")
        if "scope" not in call.params
    }
    assert {"es", "pt"} <= set(menus)
    commands = menus["es"]
    commands = json.loads(commands) if isinstance(commands, str) else commands
    spanish = {c["command"]: c["description"] for c in commands}
    assert spanish["start"] == "Bienvenida y menú principal"


@pytest.mark.parametrize("words", JOURNEYS, ids=lambda w: w.language)
def test_a_member_goes_through_the_bot_in_their_language(bot: Running, words: Words) -> None:
    user = SPANISH if words.language == "es" else BRAZILIAN
    member: ChatClient = bot.env.client(user)

    welcome = member.ask("/start")
    assert welcome.text.startswith(words.welcome)
    assert words.disclaimer in welcome.text
    menu = member.ask("/faq")
    assert words.menu in menu.text
    member.press(words.topic, menu)
    answer = member.wait_for_edit(menu.message_id)
    assert words.answer in answer.text
    assert words.disclaimer in answer.text

    asked = member.ask("/subscribe")
    assert words.ask_time in asked.text
    member.press("10:00", asked)
    zones = member.wait_for_edit(asked.message_id)
    member.press("UTC", zones)
    done = member.wait_for_edit(asked.message_id)
    assert words.subscribed in done.text

    catalog = load_catalog(CONTENT_DIR)
    tip_id = tip_of_day(catalog.source.tips, DAY).id
    opening = catalog.get(words.language).tip(tip_id).text[:40]  # type: ignore[union-attr]
    tip = member.wait_for_reply(lambda m: opening in m.text, timeout=60)
    assert words.tip_header in tip.text

    shown = member.ask("/mydata")
    assert words.mydata in shown.text
    asked = member.ask("/forget")
    assert words.forget_asked in asked.text
    member.press(words.forget_button, asked)
    assert words.forgotten in member.wait_for_edit(asked.message_id).text
    member_id = user["id"]
    assert rows(bot.db, f"SELECT id FROM members WHERE id = {member_id}") == []
    assert rows(bot.db, "SELECT language FROM subscriptions") == []
