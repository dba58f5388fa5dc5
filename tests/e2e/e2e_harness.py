"""Processes and the member-side client for the FibroBot end-to-end tests.

Pieces (all on 127.0.0.1):

    test (ChatClient) --HTTP--> telegram-test-api emulator (node, emulator.js)
                                     ^
    bot (`fibrobot run`) --HTTP--> compat.CompatProxy --HTTP--+

The tests play members and admins through the emulator's client routes
(``/sendMessage``, ``/sendCallback``, ``/getUpdatesHistory``); the bot talks to the
emulator through the compat proxy, whose journal also shows what the emulator keeps
nowhere (``answerCallbackQuery`` texts, ``setMyCommands``...).
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from compat import Call, CompatProxy

E2E_DIR = Path(__file__).resolve().parent
REPO_ROOT = E2E_DIR.parent.parent
EMULATOR_JS = E2E_DIR / "emulator.js"
EMULATOR_PKG = E2E_DIR / "node_modules" / "telegram-test-api" / "package.json"
INSTALL_HINT = "npm ci --prefix tests/e2e --no-audit --no-fund"

BOT_TOKEN = "123456:ABC-test"
GROUP_CHAT_ID = -1001234567890
GROUP_TITLE = "Fibro Friends (e2e)"
ADMIN_USER_ID = 1000001

# `%(asctime)s %(levelname)s %(name)s: %(message)s`, asctime like 2025-01-02 03:04:05,678
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")
ERROR_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ (ERROR|CRITICAL) ")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(check: Callable[[], Any], timeout: float, what: str, step: float = 0.05) -> Any:
    """Poll ``check`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise TimeoutError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(step)


def post_json(url: str, payload: dict[str, Any], timeout: float = 5.0) -> Any:
    request = urllib.request.Request(
        url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as resp:
        return json.loads(resp.read())


def missing_node_tools() -> list[str]:
    return [tool for tool in ("node", "npm") if shutil.which(tool) is None]


def node_tools_problem() -> str | None:
    """A loud reason to skip, when node or npm is missing."""
    missing = missing_node_tools()
    if missing:
        return (
            f"!!! E2E TESTS SKIPPED: {' and '.join(missing)} not found on PATH. Install "
            f"Node.js 20+ and run `{INSTALL_HINT}` to run the end-to-end tests. !!!"
        )
    return None


def require_emulator() -> None:
    """Skip loudly without node/npm (fail instead under FIBROBOT_REQUIRE_E2E=1); fail
    when the emulator package is not installed."""
    reason = node_tools_problem()
    if reason:
        if os.environ.get("FIBROBOT_REQUIRE_E2E"):  # CI / `make test`: never skip
            pytest.fail(reason.replace("SKIPPED", "CANNOT RUN") + " (FIBROBOT_REQUIRE_E2E)")
        warnings.warn(reason, stacklevel=2)
        pytest.skip(reason)
    if not EMULATOR_PKG.exists():
        pytest.fail(
            f"telegram-test-api is missing from tests/e2e/node_modules: run `{INSTALL_HINT}`"
        )


# --------------------------------------------------------------------- processes
class Emulator:
    """telegram-test-api started by ``node emulator.js <port>``."""

    def __init__(self, log_path: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self._log = log_path.open("wb")
        self.proc = subprocess.Popen(
            ["node", str(EMULATOR_JS), str(self.port)],
            stdin=subprocess.PIPE,  # the emulator exits when this pipe closes
            stdout=subprocess.PIPE,
            stderr=self._log,
            cwd=E2E_DIR,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()  # {"ready": true, ...} or EOF on failure
        if b'"ready":true' not in line:
            self.stop()
            raise RuntimeError(
                f"the emulator did not start: {line!r}\n{log_path.read_text(errors='replace')}"
            )

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream:
                stream.close()
        self._log.close()


@dataclass
class Stack:
    """An emulator and its compat proxy, shared by the bot processes of one test module."""

    emulator: Emulator
    proxy: CompatProxy
    folder: Path


@contextmanager
def emulator_stack(folder: Path) -> Iterator[Stack]:
    """Start the emulator and its proxy (logs in ``folder``); stop both afterwards."""
    require_emulator()
    emulator = Emulator(folder / "emulator.log")
    proxy = CompatProxy(emulator.url).start()
    try:
        yield Stack(emulator, proxy, folder)
    finally:
        proxy.stop()
        emulator.stop()


def fibrobot_executable() -> Path:
    return Path(sys.executable).parent / "fibrobot"


class BotProcess:
    """The real bot, ``<venv>/bin/fibrobot run``, with its output in ``log_path``."""

    def __init__(self, env: dict[str, str], log_path: Path, cwd: Path) -> None:
        exe = fibrobot_executable()
        if not exe.exists():
            raise RuntimeError(
                f"{exe} not found: install the bot into this venv (pip install -e '.[dev]')"
            )
        self.log_path = log_path
        self._log = log_path.open("wb")
        self.proc = subprocess.Popen(
            [str(exe), "run"], env=env, cwd=cwd, stdout=self._log, stderr=subprocess.STDOUT
        )

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    def stop(self, timeout: float = 10.0) -> int | None:
        """SIGTERM, then wait; returns the exit code (None if it had to be killed)."""
        code: int | None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
            code = None
        self._log.close()
        return code


def bot_env(
    *, api_url: str, db_path: Path, content_dir: Path, admin_ids: list[int]
) -> dict[str, str]:
    """A clean environment: nothing from the developer's shell (tokens, DATABASE_URL)."""
    env = {
        k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
    }
    env.update(
        TELEGRAM_BOT_TOKEN=BOT_TOKEN,
        TELEGRAM_API_URL=api_url,
        DATABASE_URL=f"sqlite:///{db_path}",
        CONTENT_DIR=str(content_dir),
        COMMUNITY_CHAT_ID=str(GROUP_CHAT_ID),
        ADMIN_USER_IDS=",".join(str(i) for i in admin_ids),
        TIMEZONE="UTC",
        LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
        # A short failover keeps start-up quick: a new process waits a third of it (the
        # fence, bot.runtime.lease) before it takes updates.
        FAILOVER_SECONDS="3",
    )
    return env


def error_lines(text: str) -> list[str]:
    """ERROR/CRITICAL records and tracebacks (with their continuation lines) in a log."""
    found: list[str] = []
    flagged = False
    for line in text.splitlines():
        if LOG_LINE.match(line):  # a new record starts
            flagged = bool(ERROR_LINE.match(line)) or "Traceback" in line
        elif "Traceback" in line:
            flagged = True
        if flagged:
            found.append(line)
    return found


# --------------------------------------------------------------- member's view
_TAG = re.compile(r"<[^>]+>")


@dataclass
class BotMessage:
    """One message of the bot as the emulator stores it (edits applied)."""

    message_id: int
    chat_id: int
    raw_text: str
    parse_mode: str | None
    keyboard: list[list[dict[str, Any]]]
    raw: dict[str, Any] = field(default_factory=dict)  # the sendMessage/edit parameters
    edited: bool = False  # True when returned because an existing message changed

    @property
    def text(self) -> str:
        """The text a member reads: HTML tags dropped and entities unescaped."""
        if (self.parse_mode or "").upper() == "HTML":
            return html.unescape(_TAG.sub("", self.raw_text))
        if (self.parse_mode or "").upper() == "MARKDOWNV2":
            return re.sub(r"\\(.)", r"\1", self.raw_text)
        return self.raw_text

    @property
    def buttons(self) -> list[dict[str, Any]]:
        return [button for row in self.keyboard for button in row]

    @property
    def quotes(self) -> bool:
        """True when the bot sent this as a reply quoting a member's message."""
        return bool(self.raw.get("reply_parameters") or self.raw.get("reply_to_message_id"))

    @property
    def button_texts(self) -> list[str]:
        return [b.get("text", "") for b in self.buttons]

    def button(self, label_or_data: str) -> dict[str, Any]:
        for b in self.buttons:
            if label_or_data in (b.get("text"), b.get("callback_data")):
                return b
        lowered = label_or_data.lower()
        matches = [b for b in self.buttons if lowered in b.get("text", "").lower()]
        if len(matches) == 1:
            return matches[0]
        raise AssertionError(
            f"no single button {label_or_data!r} on message {self.message_id}; "
            f"buttons: {[(b.get('text'), b.get('callback_data') or b.get('url')) for b in self.buttons]}"  # noqa: E501
        )

    def __str__(self) -> str:
        edited = " (edited)" if self.edited else ""
        return f"#{self.message_id}{edited}: {self.text!r} {self.button_texts}"


@dataclass
class E2E:
    """Everything one test module shares: emulator, proxy, bot."""

    emulator: Emulator
    proxy: CompatProxy
    bot: BotProcess
    users: dict[str, dict[str, Any]] = field(default_factory=dict)

    def history(self) -> list[dict[str, Any]]:
        answer = post_json(f"{self.emulator.url}/getUpdatesHistory", {"token": BOT_TOKEN})
        return list(answer.get("result") or [])

    def bot_messages(self, chat_id: int) -> dict[int, BotMessage]:
        out: dict[int, BotMessage] = {}
        for item in self.history():
            msg = item.get("message") or {}
            if "chat_id" not in msg or str(msg["chat_id"]) != str(chat_id):
                continue  # a user's update, or another chat
            markup = msg.get("reply_markup")
            if isinstance(markup, str):
                markup = json.loads(markup)
            out[int(item["messageId"])] = BotMessage(
                message_id=int(item["messageId"]),
                chat_id=chat_id,
                raw_text=str(msg.get("text", "")),
                parse_mode=msg.get("parse_mode"),
                keyboard=(markup or {}).get("inline_keyboard") or [],
                raw=msg,
            )
        return out

    def inject(self, update: dict[str, Any]) -> None:
        """Deliver a raw Bot API update (no update_id) the emulator cannot produce."""
        self.proxy.inject_update(BOT_TOKEN, update)

    def log_mark(self) -> int:
        return len(self.bot.log_text())

    def errors_since(self, mark: int) -> list[str]:
        return error_lines(self.bot.log_text()[mark:])

    def client(self, user: dict[str, Any], chat: dict[str, Any] | None = None) -> ChatClient:
        """A member ``user`` talking in ``chat`` (default: their private chat)."""
        self.proxy.register_user(user, admin=user["id"] == ADMIN_USER_ID)
        if chat is None:
            chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
            if "username" in user:
                chat["username"] = user["username"]
        self.proxy.register_chat(chat)
        return ChatClient(self, user, chat)


class ChatClient:
    """A member in one chat: ``send`` text, ``press`` buttons, read the bot's replies."""

    def __init__(self, env: E2E, user: dict[str, Any], chat: dict[str, Any]) -> None:
        self.env = env
        self.user = user
        self.chat = chat
        self._seen: dict[int, tuple[str, str]] = {}
        self._calls_mark = 0
        self.last: BotMessage | None = None
        self.last_inline: dict[str, Any] = {}
        self._mark()

    @staticmethod
    def _state(m: BotMessage) -> tuple[str, str]:
        return m.raw_text, json.dumps(m.keyboard, sort_keys=True)

    def _mark(self) -> None:
        """Remember the chat as it is now; replies are whatever changes after this."""
        self._seen = {
            mid: self._state(m) for mid, m in self.env.bot_messages(self.chat["id"]).items()
        }
        self._calls_mark = len(self.env.proxy.calls)

    def changes(self) -> list[BotMessage]:
        """Bot messages in this chat that are new or edited since the last action."""
        out = []
        for mid, m in sorted(self.env.bot_messages(self.chat["id"]).items()):
            if mid not in self._seen:
                out.append(m)
            elif self._seen[mid] != self._state(m):
                m.edited = True
                out.append(m)
        return out

    # ------------------------------------------------------------------ actions
    def send(self, text: str | None, **extra: Any) -> None:
        """Send ``text`` as this user; a leading /command gets its bot_command entity.

        ``extra`` adds Message fields the client cannot otherwise set (a ``photo``, a
        ``voice``, ``message_thread_id``, ``reply_to_message``...); the emulator passes
        them through to the bot. ``text`` None sends no text (a photo alone).
        """
        self._mark()
        message: dict[str, Any] = {
            "botToken": BOT_TOKEN,
            "from": self.user,
            "chat": self.chat,
            "date": int(time.time()),
            **extra,
        }
        if text is not None:
            message["text"] = text
        if text is not None and text.startswith("/"):
            length = len(text.split(maxsplit=1)[0])
            message["entities"] = [{"offset": 0, "length": length, "type": "bot_command"}]
        post_json(f"{self.env.emulator.url}/sendMessage", message)

    def press(self, label_or_data: str, message: BotMessage | None = None) -> None:
        """Press an inline button (by its text or callback_data) on ``message``.

        Default message: the latest bot message in this chat that has buttons.
        """
        if message is None:
            with_buttons = [
                m for m in self.env.bot_messages(self.chat["id"]).values() if m.buttons
            ]
            assert with_buttons, f"no bot message with buttons in chat {self.chat['id']}"
            message = with_buttons[-1]
        button = message.button(label_or_data)
        assert "callback_data" in button, f"button {button} is not a callback button"
        self._mark()
        shown: dict[str, Any] = {
            "message_id": message.message_id,
            "date": int(time.time()),
            "chat": self.chat,
            "text": message.text,
            "reply_markup": {"inline_keyboard": message.keyboard},
        }
        if self.env.proxy.bot_user:
            shown["from"] = self.env.proxy.bot_user
        post_json(
            f"{self.env.emulator.url}/sendCallback",
            {
                "botToken": BOT_TOKEN,
                "from": self.user,
                "message": shown,
                "data": button["callback_data"],
                "date": int(time.time()),
            },
        )

    def inline(self, query: str, timeout: float = 5.0) -> list[dict[str, Any]]:
        """Type ``@bot <query>`` in this chat: the results the bot answered (GAP 12)."""
        self._mark()
        query_id = f"iq{time.monotonic_ns()}"
        chat_type = "sender" if self.chat["type"] == "private" else self.chat["type"]
        self.env.inject(
            {
                "inline_query": {
                    "id": query_id,
                    "from": self.user,
                    "query": query,
                    "offset": "",
                    "chat_type": chat_type,
                }
            }
        )

        def answered() -> Call | None:
            calls = self.env.proxy.find_calls("answerInlineQuery", self._calls_mark)
            return next((c for c in calls if c.params.get("inline_query_id") == query_id), None)

        call = wait_until(answered, timeout, "the bot's answerInlineQuery")
        assert call.ok, f"Telegram would refuse this answer: {call.response}"
        self.last_inline = call.params
        return list(json.loads(call.params["results"]))

    # ------------------------------------------------------------------ reading
    def wait_for_reply(
        self, predicate: Callable[[BotMessage], bool] | None = None, timeout: float = 5.0
    ) -> BotMessage:
        """The first new or edited bot message in this chat since the last action."""

        def check() -> BotMessage | None:
            for m in self.changes():
                if predicate is None or predicate(m):
                    return m
            return None

        try:
            reply = wait_until(check, timeout, "the bot's reply", step=0.05)
        except TimeoutError:
            got = "\n  ".join(str(m) for m in self.changes()) or "(nothing)"
            raise AssertionError(
                f"{self.user['first_name']} in chat {self.chat['id']} got no matching reply "
                f"within {timeout}s. Changes seen:\n  {got}\nBot log tail:\n"
                f"{self.env.bot.log_tail()}"
            ) from None
        self.last = reply
        return reply

    def ask(self, text: str, timeout: float = 5.0) -> BotMessage:
        self.send(text)
        return self.wait_for_reply(timeout=timeout)

    def wait_for_edit(self, message_id: int, timeout: float = 5.0) -> BotMessage:
        return self.wait_for_reply(lambda m: m.message_id == message_id and m.edited, timeout)

    def callback_answer(self, timeout: float = 5.0) -> dict[str, Any]:
        """Parameters of the bot's answerCallbackQuery after the last press()."""
        return self.wait_for_call("answerCallbackQuery", timeout).params

    def wait_for_call(self, method: str, timeout: float = 5.0) -> Call:
        """The bot's first ``method`` Bot API call since the last action (and its answer)."""
        return self.env.proxy.wait_for_call(method, self._calls_mark, timeout)

    def expect_silence(self, seconds: float = 1.0) -> None:
        """Assert the bot fetched the last update and then said nothing here."""
        mark = self._calls_mark
        wait_until(
            lambda: any(
                c.method == "getUpdates" and c.response.get("result")
                for c in self.env.proxy.calls[mark:]
            ),
            5.0,
            "the bot to fetch the update",
        )
        time.sleep(seconds)
        changes = self.changes()
        assert not changes, (
            f"expected silence in chat {self.chat['id']}, got: {[str(m) for m in changes]}"
        )
