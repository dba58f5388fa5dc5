"""LOG_FORMAT=json: one JSON object per line, ids only, never message text or the token."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from bot.cli import setup_logging
from bot.config import Settings, load_settings
from tests.tg import Driver

TOKEN = "123456789:AAH-secret-token-for-the-log-test"
QUESTION = "my private pain question about sleep"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return load_settings(
        **{
            **settings.model_dump(),
            "telegram_bot_token": TOKEN,
            "log_format": "json",
            "log_level": "DEBUG",
        }
    )


@pytest.fixture
def captured(settings: Settings) -> Iterator[io.StringIO]:
    """The root logger as `fibrobot run` sets it up, writing into a buffer."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    setup_logging(settings)
    stream = io.StringIO()
    root.handlers[0].setStream(stream)  # type: ignore[attr-defined]
    yield stream
    root.handlers[:], _ = saved[0], root.setLevel(saved[1])


def test_settings_accept_json_in_any_case() -> None:
    assert load_settings(log_format="JSON").log_format == "json"


async def test_json_lines_carry_ids_not_text_or_token(
    member: Driver, captured: io.StringIO
) -> None:
    await member.send(QUESTION)
    await member.send("/unknowncommand")
    log = logging.getLogger("bot.test")
    log.info("update %s from chat %s", 42, member.user_id, extra={"chat_id": member.user_id})
    try:
        raise RuntimeError(f"httpx could not reach https://api.telegram.org/bot{TOKEN}/getMe")
    except RuntimeError:
        log.exception("network trouble")
    lines = captured.getvalue().splitlines()
    assert any(e for e in lines if "telegram" in e), "PTB logged nothing at DEBUG"
    assert lines, "nothing was logged"
    entries = [json.loads(line) for line in lines]  # every line is one JSON object
    assert all({"time", "level", "logger", "message"} <= entry.keys() for entry in entries)
    ours = next(e for e in entries if e["logger"] == "bot.test" and e["level"] == "INFO")
    assert ours["message"] == f"update 42 from chat {member.user_id}"
    assert ours["chat_id"] == member.user_id
    failure = next(e for e in entries if e["message"] == "network trouble")
    assert "RuntimeError" in failure["exc"]
    assert "[token]" in failure["exc"]
    everything = captured.getvalue()
    assert TOKEN not in everything
    assert TOKEN.split(":")[1] not in everything
    assert QUESTION not in everything


def test_debug_level_keeps_ptb_at_info(captured: io.StringIO) -> None:
    # PTB logs whole updates and Bot API answers at DEBUG, with members' words in them.
    logging.getLogger("telegram.ext.Application").debug("Processing update %s", QUESTION)
    logging.getLogger("telegram.ext.ExtBot").debug("Call to getUpdates returned %s", QUESTION)
    logging.getLogger("telegram.ext.Application").info("Application started")
    logging.getLogger("bot.test").debug("our own debug line")
    everything = captured.getvalue()
    assert QUESTION not in everything
    assert "Application started" in everything
    assert "our own debug line" in everything, "LOG_LEVEL=DEBUG still shows our own lines"
