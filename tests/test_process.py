"""The real `fibrobot` process: the offline console, and `run` against a local Bot API."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import CONTENT_DIR
from tests.http_api import LocalBotAPI

FIBROBOT = str(Path(sys.executable).with_name("fibrobot"))
TOKEN = "123456789:AAH-process-test-SECRET-token_xyz"


def env(tmp_path: Path, **extra: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    return clean | {
        "DATABASE_URL": f"sqlite:///{tmp_path}/bot.storage.db",
        "CONTENT_DIR": str(CONTENT_DIR),
        "TIMEZONE": "UTC",
        **extra,
    }


def fibrobot(
    tmp_path: Path, *args: str, stdin: str = "", **settings: str
) -> subprocess.CompletedProcess[str]:
    """Run the command once in a fresh folder, with these settings."""
    return subprocess.run(
        [FIBROBOT, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env(tmp_path, **settings),
        cwd=tmp_path,
        timeout=60,
        check=False,
    )


def console(tmp_path: Path, lines: str) -> subprocess.CompletedProcess[str]:
    return fibrobot(tmp_path, stdin=lines)


def test_console_answers_piped_questions_and_exits(tmp_path: Path) -> None:
    result = console(tmp_path, "/faq cost\n")
    assert result.returncode == 0, result.stderr
    assert "$5,000" in result.stdout
    assert "not medical advice" in result.stdout
    assert "TELEGRAM_BOT_TOKEN" in result.stderr, "it says how to connect for real"
    assert "Traceback" not in result.stderr


def test_console_numbers_buttons_and_presses_them(tmp_path: Path) -> None:
    result = console(tmp_path, "/faq\n1\n")
    assert result.returncode == 0, result.stderr
    assert "[1] " in result.stdout
    assert "bot (edited):" in result.stdout
    assert "Back to topics" in result.stdout


def test_console_switches_to_the_group_and_follows_deep_links(tmp_path: Path) -> None:
    result = console(tmp_path, ":group\n/frobnicate\n/faq how could stem cells help\n")
    assert result.returncode == 0, result.stderr
    assert "I don't know the command" not in result.stdout, "silent in the group"
    assert "(now in the community group, as a member)" in result.stdout


def test_console_switches_language(tmp_path: Path) -> None:
    result = console(tmp_path, ":lang es\n/faq cuanto cuesta\n:lang pt\n/help\n:lang xx\n")
    assert result.returncode == 0, result.stderr
    assert "(your Telegram is now in es" in result.stdout
    assert "5.000 a 20.000 dólares" in result.stdout
    assert "no es consejo médico" in result.stdout
    assert "O que eu posso fazer" in result.stdout
    assert "(languages: en, es, pt" in result.stdout


def test_run_without_token_exits_2(tmp_path: Path) -> None:
    result = fibrobot(tmp_path, "run")
    assert result.returncode == 2
    assert "TELEGRAM_BOT_TOKEN is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_setting_exits_2_without_traceback(tmp_path: Path) -> None:
    result = fibrobot(tmp_path, "run", TIMEZONE="Nowhere/Land", TELEGRAM_BOT_TOKEN=TOKEN)
    assert result.returncode == 2
    assert "TIMEZONE" in result.stderr
    assert "Traceback" not in result.stderr


def test_run_polls_the_configured_api_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    with LocalBotAPI() as server:
        process = subprocess.Popen(
            [FIBROBOT, "run"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=tmp_path,
            env=env(
                tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_URL=server.url, LOG_LEVEL="DEBUG"
            ),
        )
        try:
            assert server.wait_for("getUpdates", timeout=30) is not None
            assert "setMyCommands" in server.first_call
            time.sleep(0.3)
            process.send_signal(signal.SIGTERM)
            out, err = process.communicate(timeout=20)
        finally:
            if process.poll() is None:
                process.kill()
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert "SECRET" not in err + out, "the token never reaches the log, even at DEBUG"


def test_run_against_an_unreachable_api_fails_clearly(tmp_path: Path) -> None:
    result = fibrobot(
        tmp_path, "run", TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_URL="http://127.0.0.1:9"
    )
    assert result.returncode == 1
    assert "cannot reach the Bot API" in result.stderr
    assert "Traceback" not in result.stderr
    assert "SECRET" not in result.stderr


@pytest.mark.parametrize("args", [["db", "upgrade"], ["content", "check"]])
def test_admin_commands_work_from_a_fresh_folder(tmp_path: Path, args: list[str]) -> None:
    result = fibrobot(tmp_path, *args)
    assert result.returncode == 0, result.stderr
