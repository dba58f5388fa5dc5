"""The offline console: /ask reaches the admins and a console admin answers; :inline."""

from __future__ import annotations

import io

from bot.app import start_offline, stop_offline
from bot.config import Settings
from bot.runtime.console import CONSOLE_ADMIN_CHAT, Console
from tests.tg import MEMBER_ID


async def run_lines(settings: Settings, *lines: str) -> tuple[Console, str]:
    out = io.StringIO()
    console = Console(settings, out)
    await start_offline(console.app)
    try:
        for line in lines:
            await console.handle_line(line)
    finally:
        await stop_offline(console.app)
    return console, out.getvalue()


async def test_a_console_admin_answers_an_ask(settings: Settings) -> None:
    console, shown = await run_lines(
        settings, "/ask", "Is pacing ok for me?", ":answer Yes, gently. Rest counts."
    )
    copies = console.api.sent("copyMessage")
    assert [int(c.params["chat_id"]) for c in copies] == [CONSOLE_ADMIN_CHAT, MEMBER_ID]
    assert "the admins' chat" in shown
    assert "Is pacing ok for me?" in shown
    assert shown.rstrip().endswith("Yes, gently. Rest counts.")


async def test_answer_before_any_ask_explains_itself(settings: Settings) -> None:
    console, shown = await run_lines(settings, ":answer hello")
    assert not console.api.sent("copyMessage")
    assert "nothing to answer yet" in shown


async def test_inline_shows_the_results_of_a_query(settings: Settings) -> None:
    console, shown = await run_lines(settings, ":inline cost")
    assert console.api.sent("answerInlineQuery")
    assert "inline results (1):" in shown
    assert "1. How much does it cost?" in shown
