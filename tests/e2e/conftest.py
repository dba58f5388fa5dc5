"""Fixtures for the FibroBot end-to-end tests (see e2e_harness.py for the pieces).

One emulator + compat proxy + bot per test module (``e2e``); per test, fresh clients
(``member``, ``admin``, ``group_member``, ``group_admin``) and a check that the bot
logged no error while the test ran.

Setup once: ``npm ci --prefix tests/e2e --no-audit --no-fund``.
Run: ``.venv/bin/pytest -m e2e tests/e2e``.
"""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from compat import CompatProxy
from e2e_harness import (
    ADMIN_USER_ID,
    E2E,
    EMULATOR_PKG,
    GROUP_CHAT_ID,
    GROUP_TITLE,
    INSTALL_HINT,
    REPO_ROOT,
    BotProcess,
    ChatClient,
    Emulator,
    bot_env,
    node_tools_problem,
    require_emulator,
    wait_until,
)

MEMBER = {"id": 2000001, "is_bot": False, "first_name": "Mia", "username": "mia_e2e"}
OTHER_MEMBER = {"id": 2000002, "is_bot": False, "first_name": "Noor", "username": "noor_e2e"}
ADMIN = {"id": ADMIN_USER_ID, "is_bot": False, "first_name": "Ada", "username": "ada_admin"}
GROUP = {"id": GROUP_CHAT_ID, "type": "supergroup", "title": GROUP_TITLE}

BOT_START_TIMEOUT = 30.0
BOT_STOP_TIMEOUT = 5.0


def pytest_report_header(config: pytest.Config) -> list[str]:
    reason = node_tools_problem()
    if reason:
        return [reason]
    if not EMULATOR_PKG.exists():
        return [f"e2e: telegram-test-api is not installed; run `{INSTALL_HINT}`"]
    version = json.loads(EMULATOR_PKG.read_text())["version"]
    node = subprocess.run(
        ["node", "--version"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return [f"e2e: node {node}, telegram-test-api {version}"]


@contextmanager
def running_bot(
    tmp: Path, extra_env: dict[str, str] | None = None, ready: str = "getUpdates"
) -> Iterator[E2E]:
    """Emulator, compat proxy and the real bot (`fibrobot run`) with ``extra_env`` settings.

    The bot is up at its first ``ready`` call: ``getUpdates`` when polling, ``setWebhook``
    in webhook mode.
    """
    require_emulator()
    emulator = Emulator(tmp / "emulator.log")
    proxy = CompatProxy(emulator.url).start()
    bot: BotProcess | None = None
    try:
        proxy.register_chat(GROUP)
        for user in (MEMBER, OTHER_MEMBER, ADMIN):
            proxy.register_user(user, admin=user["id"] == ADMIN_USER_ID)
        env = bot_env(
            api_url=proxy.url,
            db_path=tmp / "e2e.db",
            content_dir=REPO_ROOT / "content",
            admin_ids=[ADMIN_USER_ID],
        )
        env.update(extra_env or {})
        started = time.monotonic()
        bot = BotProcess(env, tmp / "bot.log", cwd=tmp)

        def polling() -> bool:
            if bot is not None and bot.proc.poll() is not None:
                raise AssertionError(
                    f"the bot exited with {bot.proc.returncode} before polling:\n{bot.log_tail()}"
                )
            return bool(proxy.find_calls(ready))

        try:
            wait_until(polling, BOT_START_TIMEOUT, f"the bot's first {ready}")
        except TimeoutError:
            raise AssertionError(
                f"the bot did not start polling within {BOT_START_TIMEOUT}s:\n{bot.log_tail()}"
            ) from None
        print(f"\ne2e: bot polling after {time.monotonic() - started:.1f}s; log: {bot.log_path}")
        yield E2E(emulator=emulator, proxy=proxy, bot=bot)

        stopping = time.monotonic()
        code = bot.stop(timeout=BOT_STOP_TIMEOUT)
        assert code == 0, (
            f"the bot did not exit 0 within {BOT_STOP_TIMEOUT}s of SIGTERM "
            f"(exit code {code}):\n{bot.log_tail()}"
        )
        print(f"\ne2e: bot stopped in {time.monotonic() - stopping:.1f}s")
    finally:
        if bot is not None:
            bot.stop(timeout=5)
        proxy.stop()
        emulator.stop()


@pytest.fixture(scope="module")
def e2e(tmp_path_factory: pytest.TempPathFactory) -> Iterator[E2E]:
    """Emulator, compat proxy and the real bot, for one test module."""
    with running_bot(tmp_path_factory.mktemp("e2e")) as env:
        yield env


@pytest.fixture(autouse=True)
def bot_logged_no_error(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail the test if the bot logged ERROR/CRITICAL or a traceback while it ran."""
    if "e2e" not in request.fixturenames:
        yield
        return
    env: E2E = request.getfixturevalue("e2e")
    mark = env.log_mark()
    yield
    time.sleep(0.2)  # let a failing handler finish logging
    errors = env.errors_since(mark)
    if errors:
        pytest.fail("the bot logged errors during this test:\n" + "\n".join(errors))


def _client(env: E2E, user: dict[str, Any], chat: dict[str, Any] | None = None) -> ChatClient:
    return env.client(user, chat)


@pytest.fixture
def member(e2e: E2E) -> ChatClient:
    """Mia, a member, in her private chat with the bot."""
    return _client(e2e, MEMBER)


@pytest.fixture
def admin(e2e: E2E) -> ChatClient:
    """Ada, an admin (in ADMIN_USER_IDS), in her private chat with the bot."""
    return _client(e2e, ADMIN)


@pytest.fixture
def group_member(e2e: E2E) -> ChatClient:
    """Noor, a member, writing in the community group (COMMUNITY_CHAT_ID)."""
    return _client(e2e, OTHER_MEMBER, GROUP)


@pytest.fixture
def group_admin(e2e: E2E) -> ChatClient:
    """Ada, an admin, writing in the community group."""
    return _client(e2e, ADMIN, GROUP)
