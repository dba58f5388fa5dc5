"""The offline console: the real application, with the network replaced by a fake Bot API.

Lines typed (or piped) on standard input become messages from a member; every message the
bot sends is printed. Inline buttons are numbered: typing the number presses the button.
Lines starting with ``:`` steer the console (``:help`` lists them).

The console is a playground: its fake group is the community group (so ``:admin`` can try
every admin command at once), and it keeps its data in a throwaway database of its own,
never in the real bot's ``DATABASE_URL``, unless the user chooses one
(``fibrobot console --database-url URL``).
"""

from __future__ import annotations

import asyncio
import html
import itertools
import json
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from typing import Any, TextIO, cast
from urllib.parse import parse_qs, urlparse

from sqlalchemy.engine import make_url
from telegram import Message, Update
from telegram.ext import AIORateLimiter

from bot.app import AnyApp, build_application, start_offline, stop_offline
from bot.config import Settings
from bot.deps import app_deps
from bot.features.community import community_chat_id
from bot.runtime.fakeapi import ADMIN_ID, BOT_USERNAME, GROUP_ID, ApiCall, FakeBotAPI
from handlers.members import GATHER_JOB

MEMBER_ID = 1001
# The admins' chat for /ask when ADMIN_CHAT_ID is not set: a plain group in the fake API.
CONSOLE_ADMIN_CHAT = -1000000000042
MEDIA = {"sendPhoto": "a picture", "sendDocument": "a file", "sendVideo": "a video"}
CONSOLE_HELP = """Console commands:
  :private   talk to the bot in a private chat (the default)
  :group     talk in the community group
  :member    act as an ordinary member (the default)
  :admin     act as a community admin (try /announce, /scheduled, /stats, /setup, /welcome)
  :join Ana Ben   people join the community group (one welcome for a wave of joins)
  :lang es   make your Telegram's language Spanish (en, es, pt...; /language overrides it)
  :answer T  as an admin, answer the last /ask message with the text T
  :inline Q  the inline results of @bot Q, as Telegram would list them
  :quit      leave (so does Ctrl-D, or the end of piped input)
Anything else is sent to the bot as a message, e.g. /faq cost
Type the number shown next to a button to press it."""


@dataclass
class Button:
    """A numbered inline button on a message the bot sent."""

    chat_id: int
    message_id: int
    text: str
    callback_data: str | None
    url: str | None


@dataclass
class ConsoleState:
    """Who is talking, where, and the buttons on screen."""

    private: bool = True
    admin: bool = False
    language_code: str = "en"  # the Telegram app's language of whoever types
    buttons: dict[int, Button] = field(default_factory=dict)
    button_numbers: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    update_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    message_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(10_000))
    newcomer_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(5_000))
    # /ask: what was typed (to show copies), and the last copy in the admins' chat.
    typed: dict[int, str] = field(default_factory=dict)
    last_ask_copy: int | None = None


def plain(text: str) -> str:
    """HTML as a terminal shows it: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", text))


class Console:
    """Drives the application from lines of text and prints what the bot sends."""

    def __init__(
        self, settings: Settings, out: TextIO = sys.stdout, *, own_database: bool = True
    ) -> None:
        """Build the bot on a fake Bot API.

        Args:
            settings: the bot's settings; the console keeps its own copy (see ``own_settings``).
            out: where the bot's messages are printed.
            own_database: True (the default) keeps console play in a throwaway SQLite file,
                deleted by ``run`` at the end; False uses ``settings.database_url`` as given.
        """
        self.out = out
        self.state = ConsoleState()
        self._scratch = (
            tempfile.TemporaryDirectory(prefix="fibrobot-console-") if own_database else None
        )
        self.settings = own_settings(settings, self._scratch.name if self._scratch else None)
        self.group_id = self.settings.community_chat_id or GROUP_ID
        self.admin_chat_id = self.settings.admin_chat_id
        self.api = FakeBotAPI(on_call=self._show)
        # No flood limits to respect offline.
        limiter = AIORateLimiter(overall_max_rate=0, group_max_rate=0)
        self.app: AnyApp = build_application(self.settings, self.api, rate_limiter=limiter)

    def banner(self) -> str:
        """What the console is, and where its data goes (never a password)."""
        if self._scratch is not None:
            where = (
                "Console play goes to a throwaway database of its own, deleted when you leave; "
                "the bot's DATABASE_URL is never touched "
                "(`fibrobot console --database-url URL` to keep it elsewhere)."
            )
        else:
            shown = make_url(self.settings.database_url).render_as_string(hide_password=True)
            where = (
                f"Console play goes to the database you chose: {shown}. Its jobs (tips, posts) "
                "run against it too, so never choose a live bot's database."
            )
        return (
            "FibroBot offline console: nothing is sent to Telegram. The console's group is "
            f"the community group, and :admin makes you its admin. {where}"
        )

    @property
    def user_id(self) -> int:
        """The id of whoever is typing now."""
        return ADMIN_ID if self.state.admin else MEMBER_ID

    @property
    def chat_id(self) -> int:
        """The chat the console is typing in now."""
        return self.user_id if self.state.private else self.group_id

    def _user(self) -> dict[str, Any]:
        name = "Alex (admin)" if self.state.admin else "Sam"
        return {
            "id": self.user_id,
            "is_bot": False,
            "first_name": name,
            "language_code": self.state.language_code,
        }

    def _chat(self) -> dict[str, Any]:
        if self.state.private:
            return {
                "id": self.chat_id,
                "type": "private",
                "first_name": self._user()["first_name"],
            }
        return {"id": self.chat_id, "type": "supergroup", "title": "Fibro community"}

    def where(self) -> str:
        """A short label of the current chat and role."""
        place = "private chat" if self.state.private else "community group"
        return f"{place}, as {'an admin' if self.state.admin else 'a member'}"

    # --- Output -----------------------------------------------------------------------

    def _show(self, call: ApiCall) -> None:
        if call.method == "deleteMessage":
            self._print(f"\n(bot deleted its message {call.params['message_id']})")
            return
        if call.method == "copyMessage":
            self._show_copy(call)
            return
        if call.method == "answerInlineQuery":
            self._show_inline(call)
            return
        if call.method not in MEDIA and call.method not in ("sendMessage", "editMessageText"):
            if call.method == "answerCallbackQuery" and call.params.get("text"):
                self._print(f"  (notice) {call.params['text']}")
            return
        label = "bot (edited)" if call.method == "editMessageText" else "bot"
        chat = int(call.params["chat_id"])
        where = "" if chat == self.chat_id else f" → chat {chat}"
        self._print(f"\n{label}{where}:")
        if call.method in MEDIA:
            self._print(f"  [{MEDIA[call.method]}]")
        for line in plain(call.text).splitlines():
            self._print(f"  {line}")
        self._number_buttons(call, chat, int(call.result["message_id"]))

    def _show_copy(self, call: ApiCall) -> None:
        chat = int(call.params["chat_id"])
        if chat == self.admin_chat_id:
            self.state.last_ask_copy = int(call.result["message_id"])
            where = "the admins' chat (:answer <text> to reply)"
        else:
            where = "you" if chat == self.chat_id else f"chat {chat}"
        typed = self.state.typed.get(int(call.params["message_id"]), "")
        self._print(f"\nbot → {where}, a copy of:")
        self._print(f"  {typed}" if typed else "  [a message]")

    def _show_inline(self, call: ApiCall) -> None:
        results = call.params.get("results") or []
        if isinstance(results, str):
            results = json.loads(results)
        self._print(f"\ninline results ({len(results)}):")
        for number, result in enumerate(results, 1):
            self._print(f"  {number}. {result.get('title', '')}")
            if result.get("description"):
                self._print(f"     {result['description']}")

    def _number_buttons(self, call: ApiCall, chat_id: int, message_id: int) -> None:
        for button in call.buttons:
            number = next(self.state.button_numbers)
            self.state.buttons[number] = Button(
                chat_id, message_id, button["text"], button.get("callback_data"), button.get("url")
            )
            target = f" ({button['url']})" if button.get("url") else ""
            self._print(f"  [{number}] {button['text']}{target}")

    def _print(self, line: str) -> None:
        print(line, file=self.out, flush=True)

    # --- Input ------------------------------------------------------------------------

    async def handle_line(self, line: str) -> bool:
        """Act on one line; False when the console should stop."""
        line = line.strip()
        if not line:
            return True
        if line.startswith(":"):
            return await self._with_argument(line) or self._console_command(line)
        if line.isdigit() and int(line) in self.state.buttons:
            await self._press(self.state.buttons[int(line)])
            return True
        await self.app.process_update(self._message_update(line))
        return True

    async def _with_argument(self, line: str) -> bool:
        """``:join``, ``:inline`` and ``:answer`` take the rest of the line; False otherwise."""
        word, _, rest = line.partition(" ")
        actions = {":join": self._join, ":inline": self._inline, ":answer": self._answer}
        action = actions.get(word.lower())
        if action is None:
            return False
        await action(rest.strip())
        return True

    def _console_command(self, line: str) -> bool:
        command = line[1:].strip().lower()
        if command in ("quit", "exit", "q"):
            return False
        if command in ("private", "group"):
            self.state.private = command == "private"
        elif command in ("admin", "member"):
            self.state.admin = command == "admin"
        elif command.startswith("lang"):
            return self._language(command.removeprefix("lang").strip())
        else:
            self._print(CONSOLE_HELP)
            return True
        self._print(f"(now in the {self.where()})")
        return True

    def _language(self, code: str) -> bool:
        """``:lang es``: the language Telegram reports for whoever types."""
        catalog = app_deps(self.app).catalog
        shipped = catalog.codes if catalog is not None else ("en",)
        if code not in shipped:
            self._print(f"(languages: {', '.join(shipped)}; e.g. :lang es)")
            return True
        self.state.language_code = code
        self._print(f"(your Telegram is now in {code}; /language would override it)")
        return True

    async def _join(self, names: str) -> None:
        """Made-up people join the community group, as Telegram reports it (chat_member)."""
        group = {"id": self.group_id, "type": "supergroup", "title": "Fibro community"}
        for name in names.split() or ["Newcomer"]:
            person = {"id": next(self.state.newcomer_ids), "is_bot": False, "first_name": name}
            change = {
                "chat": group,
                "from": person,
                "date": int(time.time()),
                "old_chat_member": {"user": person, "status": "left"},
                "new_chat_member": {"user": person, "status": "member"},
            }
            data = {"update_id": next(self.state.update_ids), "chat_member": change}
            await self.app.process_update(Update.de_json(data, self.app.bot))
        window = self.settings.welcome_gather_seconds
        self._print(f"(joined the community group; the welcome follows within {window:g} s)")

    async def _welcome_now(self) -> None:
        """At the end of piped input: end the welcome's gathering window instead of losing it."""
        if self.app.job_queue is None:
            return
        for job in self.app.job_queue.jobs():
            if (job.name or "").startswith(GATHER_JOB):
                job.schedule_removal()
                await job.run(self.app)

    async def _inline(self, query: str) -> None:
        """The member types ``@bot <query>`` in the current chat."""
        chat_type = "sender" if self.state.private else "supergroup"
        inline = {"id": str(next(self.state.update_ids)), "from": self._user(), "query": query}
        inline |= {"offset": "", "chat_type": chat_type}
        data = {"update_id": next(self.state.update_ids), "inline_query": inline}
        await self.app.process_update(Update.de_json(data, self.app.bot))

    async def _answer(self, text: str) -> None:
        """An admin's reply, in the admins' chat, to the last message /ask passed on."""
        if self.state.last_ask_copy is None or not text:
            self._print("(nothing to answer yet: as a member, /ask then write a message)")
            return
        update = self._message_update(text)
        message = cast(Message, update.message).to_dict()
        chat = {"id": self.admin_chat_id, "type": "supergroup", "title": "Admins"}
        message["chat"] = chat
        message["from"] = {"id": ADMIN_ID, "is_bot": False, "first_name": "Alex (admin)"}
        message["reply_to_message"] = {
            "message_id": self.state.last_ask_copy,
            "date": int(time.time()),
            "chat": chat,
            "from": {"id": self.app.bot.id, "is_bot": True, "first_name": "FibroBot"},
        }
        data = {"update_id": next(self.state.update_ids), "message": message}
        await self.app.process_update(Update.de_json(data, self.app.bot))

    def _message_update(self, text: str) -> Update:
        message_id = next(self.state.message_ids)
        self.state.typed[message_id] = text
        message: dict[str, Any] = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": self._chat(),
            "from": self._user(),
            "text": text,
        }
        if text.startswith("/"):
            length = len(text.split(maxsplit=1)[0])
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        data = {"update_id": next(self.state.update_ids), "message": message}
        return Update.de_json(data, self.app.bot)

    async def _press(self, button: Button) -> None:
        if button.url:
            await self._open_url(button.url)
            return
        stored = self.api.messages.get((button.chat_id, button.message_id))
        chat = (
            {"id": button.chat_id, "type": "private", "first_name": "Member"}
            if button.chat_id > 0
            else {"id": button.chat_id, "type": "supergroup", "title": "Fibro community"}
        )
        message = {
            "message_id": button.message_id,
            "date": int(time.time()),
            "chat": chat,
            "from": {"id": self.app.bot.id, "is_bot": True, "first_name": "FibroBot"},
            "text": stored.text if stored else "",
        }
        if stored and stored.reply_markup:
            message["reply_markup"] = stored.reply_markup
        query = {
            "id": str(next(self.state.update_ids)),
            "from": self._user(),
            "chat_instance": str(button.chat_id),
            "data": button.callback_data,
            "message": message,
        }
        data = {"update_id": next(self.state.update_ids), "callback_query": query}
        await self.app.process_update(Update.de_json(data, self.app.bot))

    async def _open_url(self, url: str) -> None:
        parsed = urlparse(url)
        payload = parse_qs(parsed.query).get("start", [None])[0]
        if parsed.netloc == "t.me" and parsed.path.strip("/") == BOT_USERNAME and payload:
            # A deep link into the bot: Telegram would open the private chat and send /start.
            self.state.private = True
            self._print(f"(opening the private chat: /start {payload})")
            await self.app.process_update(self._message_update(f"/start {payload}"))
        else:
            self._print(f"(this button opens {url} in a browser)")

    async def start(self) -> None:
        """Start the bot; with a chosen database, type in the community group it knows."""
        await start_offline(self.app)
        async with app_deps(self.app).transaction() as session:
            self.group_id = await community_chat_id(session, self.settings) or self.group_id

    async def stop(self) -> None:
        """Stop the bot and delete the throwaway database."""
        try:
            await stop_offline(self.app)
        finally:
            if self._scratch is not None:
                self._scratch.cleanup()

    async def run(self, stream: TextIO = sys.stdin) -> None:
        """Run until the input ends or :quit."""
        await self.start()
        try:
            interactive = stream.isatty()
            if interactive:
                self._print(CONSOLE_HELP)
            while True:
                if interactive:
                    print(f"\n[{self.where()}] > ", end="", file=self.out, flush=True)
                line = await asyncio.to_thread(stream.readline)
                if not line or not await self.handle_line(line):
                    break
            await self._welcome_now()
        finally:
            await self.stop()


def own_settings(settings: Settings, scratch_dir: str | None) -> Settings:
    """The console's copy of the settings: its fake groups are the community and admins' chats.

    Args:
        settings: the bot's settings (from the environment and ``.env``).
        scratch_dir: a folder for a throwaway SQLite database, or None to keep
            ``settings.database_url`` (the user chose it with ``--database-url``).
    """
    update: dict[str, Any] = {
        "community_chat_id": settings.community_chat_id or GROUP_ID,
        "admin_chat_id": settings.admin_chat_id or CONSOLE_ADMIN_CHAT,
    }
    if scratch_dir is not None:
        update["database_url"] = f"sqlite:///{scratch_dir}/console.db"
    return settings.model_copy(update=update)
