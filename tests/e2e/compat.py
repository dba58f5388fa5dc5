"""A small HTTP proxy between the bot (PTB 22) and the telegram-test-api emulator.

The bot is started with ``TELEGRAM_API_URL=http://127.0.0.1:<proxy port>`` and calls
``POST /bot<token>/<method>`` here. Most calls are forwarded to the emulator; the
answers are repaired where telegram-test-api 4.2.1 differs from the real Bot API in a
way PTB 22 (or the tests) cannot live with. Every fix below names the gap it covers
(``GAP n``); the gaps were checked against the emulator's source in
``node_modules/telegram-test-api/lib`` and by running a PTB 22 bot against it.

The proxy also keeps a journal of every Bot API call (method, parameters, answer) so
tests can see things the emulator does not store, such as the text of
``answerCallbackQuery``.

PTB encodes parameters as ``application/x-www-form-urlencoded`` (every value a string,
nested objects JSON-encoded) unless it uploads files (then ``multipart/form-data``).
The proxy reads urlencoded and JSON bodies and forwards them re-encoded as urlencoded,
which the emulator's express app parses.
"""

from __future__ import annotations

import contextlib
import json
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# Longest time one getUpdates call is held open (GAP 3). Short, so the bot's own
# shutdown (which waits for the running getUpdates) stays quick.
MAX_LONG_POLL_SECONDS = 1.0
POLL_STEP_SECONDS = 0.03

# Methods the emulator does not know (it answers HTTP 500 "API method ... is not
# supported") and whose real answer is simply ``true`` (GAP 5). The call is only
# recorded in the journal.
TRUE_METHODS = frozenset(
    {
        "setMyCommands",
        "deleteMyCommands",
        "setMyDescription",
        "setMyShortDescription",
        "setMyName",
        "setChatMenuButton",
        "setMyDefaultAdministratorRights",
        "sendChatAction",
        "setMessageReaction",
        "pinChatMessage",
        "unpinChatMessage",
        "unpinAllChatMessages",
        "banChatMember",
        "unbanChatMember",
        "restrictChatMember",
        "approveChatJoinRequest",
        "declineChatJoinRequest",
        "leaveChat",
        # GAP 11: forum topics are not emulated; closing and reopening answer true.
        "closeForumTopic",
        "reopenForumTopic",
    }
)

# GAP 10: the emulator knows only sendMessage. Media sends and copies are stored through its
# sendMessage (so clients see them, with these fields) and answered as the real API would.
MEDIA_FIELDS = ("photo", "document", "video", "voice", "audio", "animation")
MEDIA_SENDS = frozenset({"sendPhoto", "sendDocument", "sendVideo", "sendVoice"})
COPIED_FIELDS = ("text", "entities", "caption", "caption_entities", *MEDIA_FIELDS)

ADMIN_RIGHTS = {
    "can_be_edited": False,
    "is_anonymous": False,
    "can_manage_chat": True,
    "can_delete_messages": True,
    "can_manage_video_chats": True,
    "can_restrict_members": True,
    "can_promote_members": False,
    "can_change_info": True,
    "can_invite_users": True,
    "can_post_stories": False,
    "can_edit_stories": False,
    "can_delete_stories": False,
    "can_pin_messages": True,
}


Result = tuple[int, Any]  # HTTP status, JSON answer


@dataclass
class Call:
    """One Bot API call made by the bot, as seen by the proxy."""

    method: str
    params: dict[str, Any]
    status: int
    response: dict[str, Any]
    at: float = field(default_factory=time.monotonic)

    @property
    def ok(self) -> bool:
        return bool(self.response.get("ok"))


def _decode(value: str) -> Any:
    """PTB sends nested objects (reply_markup, entities...) as JSON strings."""
    try:
        return json.loads(value)
    except (TypeError, ValueError):
        return value


def _keyboard(markup: Any) -> Any:
    """The inline keyboard of a reply_markup (JSON string or dict); [] when none."""
    decoded = _decode(markup) if isinstance(markup, str) else markup
    if not isinstance(decoded, dict):
        return []
    return decoded.get("inline_keyboard") or []


def _file(file_id: str, **extra: int) -> dict[str, Any]:
    """A sent file as the real API describes it (sizes made up; only the id matters)."""
    return {"file_id": file_id, "file_unique_id": f"u{abs(hash(file_id)) % 10**8}", **extra}


def _bad_request(what: str) -> Result:
    return 400, {"ok": False, "error_code": 400, "description": f"Bad Request: {what}"}


class Server(ThreadingHTTPServer):
    """A broadcast opens up to 100 connections at once: a deeper backlog than the default 5,
    so none is reset (the bot would see ReadError and retry a tip minutes later)."""

    request_queue_size = 256

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A bot killed with ``kill -9`` drops its connections: not worth a traceback."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class CompatProxy:
    """Bot API front for the emulator; see the module docstring."""

    def __init__(self, emulator_url: str, port: int = 0) -> None:
        self.emulator_url = emulator_url.rstrip("/")
        self.calls: list[Call] = []
        self.chats: dict[int, dict[str, Any]] = {}
        self.users: dict[int, dict[str, Any]] = {}
        self.admin_ids: set[int] = set()
        self.bot_user: dict[str, Any] | None = None
        # The bot's membership in every registered group (getChatMember of the bot, GAP 6);
        # tests make it a plain member, or take rights away, for the doctor.
        self.bot_member: dict[str, Any] = {"status": "administrator", **ADMIN_RIGHTS}
        self.webhook_url = ""  # set by setWebhook, for getWebhookInfo (GAP 8)
        self._cond = threading.Condition()
        self._pending: dict[str, list[dict[str, Any]]] = {}  # token -> updates not confirmed
        self._next_update_id = 1
        self._sent_dates: dict[tuple[int, int], int] = {}  # (chat, message) -> date (s)
        self._poll_lock = threading.Lock()
        self._pollers: dict[str, int] = {}  # token -> the getUpdates call now being served
        self.conflicts = 0  # getUpdates calls answered 409 (GAP 13)
        # Members' messages as the bot received them, so copyMessage can copy them (GAP 10).
        self._user_messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._next_topic_id = 1000
        self._inline_queries: set[str] = set()  # ids of the inline queries injected (GAP 12)
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # httpx keeps connections alive

            def do_POST(self) -> None:
                proxy._handle(self)

            def do_GET(self) -> None:
                proxy._handle(self)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # the journal is the log

        self._server = Server(("127.0.0.1", port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # ----------------------------------------------------------------- lifecycle
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> CompatProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # ----------------------------------------------------------- test-side setup
    def register_chat(self, chat: dict[str, Any]) -> None:
        """Tell the proxy a chat's real shape (the emulator calls every chat private)."""
        self.chats[int(chat["id"])] = chat

    def register_user(self, user: dict[str, Any], *, admin: bool = False) -> None:
        self.users[int(user["id"])] = user
        if admin:
            self.admin_ids.add(int(user["id"]))

    # ------------------------------------------------------------ test-side reads
    def find_calls(self, method: str, since: int = 0) -> list[Call]:
        with self._cond:
            return [c for c in self.calls[since:] if c.method == method]

    def wait_for_call(self, method: str, since: int = 0, timeout: float = 10.0) -> Call:
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for call in self.calls[since:]:
                    if call.method == method:
                        return call
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"the bot made no {method} call within {timeout}s")
                self._cond.wait(left)

    # ------------------------------------------------------------------ plumbing
    def _handle(self, req: BaseHTTPRequestHandler) -> None:
        length = int(req.headers.get("Content-Length") or 0)
        body = req.rfile.read(length) if length else b""
        path = urllib.parse.urlsplit(req.path)
        params: dict[str, Any] = dict(urllib.parse.parse_qsl(path.query))
        ctype = (req.headers.get("Content-Type") or "").split(";")[0].strip()
        if ctype == "application/json" and body:
            params.update(
                {
                    k: v if isinstance(v, str) else json.dumps(v)
                    for k, v in json.loads(body).items()
                }
            )
        elif ctype == "application/x-www-form-urlencoded":
            params.update(urllib.parse.parse_qsl(body.decode(), keep_blank_values=True))
        elif body:
            # multipart (file uploads): the emulator cannot parse it either.
            params["_unparsed_body"] = ctype
        parts = path.path.strip("/").split("/")
        if len(parts) != 2 or not parts[0].startswith("bot"):
            status, answer = 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        else:
            token, method = parts[0][3:], parts[1]
            try:
                status, answer = self._dispatch(token, method, params)
            except Exception as exc:  # noqa: BLE001 - report it, never hang the bot
                status, answer = (
                    500,
                    {
                        "ok": False,
                        "error_code": 500,
                        "description": f"compat proxy error in {method}: {exc!r}",
                    },
                )
            with self._cond:
                self.calls.append(Call(method, params, status, answer))
                self._cond.notify_all()
        data = json.dumps(answer).encode()
        req.send_response(status)
        req.send_header("Content-Type", "application/json")
        req.send_header("Content-Length", str(len(data)))
        req.end_headers()
        # The bot may hang up while shutting down; then there is nobody to answer.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            req.wfile.write(data)

    def _emulator(self, path: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        data = urllib.parse.urlencode(params).encode()
        request = urllib.request.Request(
            self.emulator_url + path,
            data=data,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as resp:
                return resp.status, json.loads(resp.read() or b"null")
        except urllib.error.HTTPError as err:
            payload = err.read()
            try:
                return err.code, json.loads(payload)
            except ValueError:
                return err.code, {"message": payload.decode(errors="replace")}

    def _forward(self, token: str, method: str, params: dict[str, Any]) -> tuple[int, Any]:
        status, answer = self._emulator(f"/bot{token}/{method}", params)
        if status >= 300 or not isinstance(answer, dict) or "ok" not in answer:
            # The emulator answers errors as HTTP 500 {"message": ...}; the real API
            # uses {"ok": false, "error_code", "description"}.
            desc = answer.get("message") if isinstance(answer, dict) else str(answer)
            return status, {"ok": False, "error_code": status, "description": desc}
        return status, answer

    @staticmethod
    def _ok(result: Any) -> tuple[int, dict[str, Any]]:
        return 200, {"ok": True, "result": result}

    def _chat(self, chat_id: int) -> dict[str, Any]:
        if chat_id in self.chats:
            return dict(self.chats[chat_id])
        if chat_id < 0:
            return {"id": chat_id, "type": "supergroup", "title": f"Group {chat_id}"}
        user = self.users.get(chat_id, {})
        return {"id": chat_id, "type": "private", "first_name": user.get("first_name", "User")}

    def _user(self, user_id: int) -> dict[str, Any]:
        if self.bot_user and user_id == self.bot_user["id"]:
            return self.bot_user
        return self.users.get(user_id, {"id": user_id, "is_bot": False, "first_name": "User"})

    def _message(
        self, message_id: int, chat_id: int, params: dict[str, Any], edited: bool = False
    ) -> dict[str, Any]:
        """The Message the real API would return for a send/edit with these params."""
        now = int(time.time())
        key = (chat_id, message_id)
        date = self._sent_dates.setdefault(key, now)
        msg: dict[str, Any] = {"message_id": message_id, "date": date, "chat": self._chat(chat_id)}
        if self.bot_user:
            msg["from"] = self.bot_user
        if "text" in params:
            msg["text"] = params["text"]
        markup = _decode(params.get("reply_markup", ""))
        if isinstance(markup, dict) and markup.get("inline_keyboard"):
            msg["reply_markup"] = markup
        if edited:
            msg["edit_date"] = now
        return msg

    # ------------------------------------------------------------------- methods
    def _dispatch(self, token: str, method: str, params: dict[str, Any]) -> Result:
        handler = getattr(self, f"_m_{method}", None)
        if handler is not None:
            result: Result = handler(token, method, params)
            return result
        if method in TRUE_METHODS:
            return self._ok(True)  # GAP 5: see TRUE_METHODS
        if method in MEDIA_SENDS:
            return self._store(token, int(params["chat_id"]), params)  # GAP 10
        if method == "deleteMessage":
            return self._forward(token, method, params)  # the emulator does this right
        # Anything else would get the emulator's HTTP 500; say clearly what is missing
        # so the bot logs it and the e2e "no error logged" check points here.
        return 400, {
            "ok": False,
            "error_code": 400,
            "description": f"Bad Request: {method} is emulated by neither telegram-test-api "
            "nor tests/e2e/compat.py",
        }

    def _m_getMe(self, token: str, method: str, params: dict[str, Any]) -> Result:
        status, answer = self._forward(token, method, params)
        if answer.get("ok"):
            # GAP 1: getMe lacks `is_bot`, a required field of telegram.User, so PTB's
            # Bot.initialize() dies with a TypeError.
            answer["result"] = {"is_bot": True, **answer["result"]}
            self.bot_user = answer["result"]
        return status, answer

    def _m_getUpdates(self, token: str, method: str, params: dict[str, Any]) -> Result:
        return self._get_updates(token, params)  # GAP 3, below

    def _m_setWebhook(self, token: str, method: str, params: dict[str, Any]) -> Result:
        # GAP 14: with a webhook set, the emulator posts members' updates to it itself,
        # without the secret token (it has no secret_token), so the bot rightly refuses them.
        # The call is journaled and not forwarded; webhook tests post updates themselves.
        self.webhook_url = str(params.get("url", ""))  # GAP 8: for getWebhookInfo
        return self._ok(True)

    def _m_getWebhookInfo(self, token: str, method: str, params: dict[str, Any]) -> Result:
        # GAP 8: not emulated (HTTP 500). Answer what Telegram would: the URL set with
        # setWebhook (empty after deleteWebhook) and the updates waiting for the bot.
        with self._poll_lock:
            self._drain(token)
            waiting = len(self._pending.get(token, []))
        return self._ok(
            {
                "url": self.webhook_url,
                "has_custom_certificate": False,
                "pending_update_count": waiting,
            }
        )

    def _m_getChat(self, token: str, method: str, params: dict[str, Any]) -> Result:
        # GAP 9: not emulated (HTTP 500). Registered chats and users are answered with the
        # fields PTB's ChatFullInfo requires; any other chat is "chat not found", as
        # Telegram says for a wrong id or a group the bot is not in.
        chat_id = int(params["chat_id"])
        if chat_id not in self.chats and chat_id not in self.users:
            return _bad_request("chat not found")
        return self._ok({**self._chat(chat_id), "accent_color_id": 0, "max_reaction_count": 11})

    def _m_deleteWebhook(self, token: str, method: str, params: dict[str, Any]) -> Result:
        self.webhook_url = ""  # GAP 8
        status, answer = self._forward(token, method, params)
        if answer.get("ok") and params.get("drop_pending_updates") in ("true", "True"):
            # GAP 3b: the emulator ignores drop_pending_updates.
            with self._poll_lock:
                self._drain(token)
                self._pending[token] = []
        return status, answer

    def _m_sendMessage(self, token: str, method: str, params: dict[str, Any]) -> Result:
        status, answer = self._forward(token, method, params)
        if answer.get("ok"):
            # GAP 2: the result's `date` is in milliseconds (PTB needs seconds and
            # crashes: "year 58865 is out of range"), its chat is always "private", it
            # has no `from`, and it echoes request parameters such as
            # `link_preview_options` as raw JSON strings, which PTB fails to parse.
            # Answer the Message the real API would send instead.
            message_id = int(answer["result"]["message_id"])
            answer["result"] = self._message(message_id, int(params["chat_id"]), params)
        return status, answer

    def _m_editMessageText(self, token: str, method: str, params: dict[str, Any]) -> Result:
        if "inline_message_id" in params:
            return self._ok(True)
        # GAP 4a: Telegram removes the inline keyboard when an edit carries no
        # reply_markup; the emulator merges the edit into the stored message and would
        # keep showing the old buttons.
        markup = _decode(params.get("reply_markup", ""))
        if not (isinstance(markup, dict) and "inline_keyboard" in markup):
            params = {**params, "reply_markup": json.dumps({"inline_keyboard": []})}
        mid, cid = int(params["message_id"]), int(params["chat_id"])
        stored = self._current(token, cid, mid)
        # GAP 4c: the emulator accepts any edit; Telegram refuses edits of unknown
        # messages and edits that change nothing (a button pressed twice), and bots
        # must handle both.
        if stored is None:
            return _bad_request("message to edit not found")
        if stored.get("text") == params.get("text", stored.get("text")) and _keyboard(
            stored.get("reply_markup")
        ) == _keyboard(params["reply_markup"]):
            return _bad_request(
                "message is not modified: specified new message content and reply markup "
                "are exactly the same as a current content and reply markup of the message"
            )
        status, answer = self._forward(token, method, params)
        if answer.get("ok"):
            # GAP 4b: the emulator answers `result: null`; the real API returns the
            # edited Message, which PTB parses (Message.de_json(None) raises).
            answer["result"] = self._message(mid, cid, {**stored, **params}, edited=True)
        return status, answer

    def _m_editMessageReplyMarkup(self, token: str, method: str, params: dict[str, Any]) -> Result:
        return self._m_editMessageText(token, method, params)  # same gaps 4a-4c

    def _m_answerCallbackQuery(self, token: str, method: str, params: dict[str, Any]) -> Result:
        status, answer = self._forward(token, method, params)
        if answer.get("ok"):
            answer["result"] = True  # real API: true (emulator: null)
        return status, answer

    def _store(self, token: str, chat_id: int, fields: dict[str, Any]) -> Result:
        """Keep a message through the emulator's sendMessage; answer the real Message (GAP 10)."""
        flat = {k: v if isinstance(v, str) else json.dumps(v) for k, v in fields.items()}
        status, answer = self._forward(token, "sendMessage", {**flat, "chat_id": str(chat_id)})
        if not answer.get("ok"):
            return status, answer
        message_id = int(answer["result"]["message_id"])
        message = self._message(message_id, chat_id, flat)
        for key in ("caption", *MEDIA_FIELDS):
            if key in fields:
                message[key] = _decode(flat[key]) if key != "caption" else flat[key]
        if "photo" in message and isinstance(message["photo"], str):
            message["photo"] = [_file(message["photo"], width=800, height=600)]
        for key in ("document", "video", "voice", "audio", "animation"):
            if isinstance(message.get(key), str):
                message[key] = _file(message[key], width=640, height=360, duration=5)
        return self._ok(message)

    def _m_copyMessage(self, token: str, method: str, params: dict[str, Any]) -> Result:
        # GAP 10: not emulated. Copy the member's message (as received) or the bot's own.
        source = (int(params["from_chat_id"]), int(params["message_id"]))
        original = self._user_messages.get(source) or self._current(token, *source)
        if original is None:
            return _bad_request("message to copy not found")
        fields = {k: _decode(original[k]) for k in COPIED_FIELDS if k in original}
        for key in ("caption", "parse_mode", "message_thread_id", "reply_parameters"):
            if key in params:
                fields[key] = params[key]
        status, answer = self._store(token, int(params["chat_id"]), fields)
        if answer.get("ok"):
            answer["result"] = {"message_id": answer["result"]["message_id"]}
        return status, answer

    def _m_answerInlineQuery(self, token: str, method: str, params: dict[str, Any]) -> Result:
        # GAP 12: the emulator has no inline mode. Tests inject inline_query updates; the
        # answer is checked as Telegram checks it, then recorded in the journal.
        if params.get("inline_query_id") not in self._inline_queries:
            return _bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        results = _decode(params.get("results", "[]"))
        if not isinstance(results, list) or len(results) > 50:
            return _bad_request("RESULTS_TOO_MUCH")
        result_ids = [str(r.get("id", "")) for r in results]
        if len(set(result_ids)) != len(result_ids) or not all(
            0 < len(i.encode()) <= 64 for i in result_ids
        ):
            return _bad_request("RESULT_ID_INVALID")
        return self._ok(True)

    def _m_createForumTopic(self, token: str, method: str, params: dict[str, Any]) -> Result:
        # GAP 11: not emulated. Topics exist only in forum chats the tests registered.
        if not self._chat(int(params["chat_id"])).get("is_forum"):
            return _bad_request("the chat is not a forum")
        self._next_topic_id += 1
        topic = {"message_thread_id": self._next_topic_id, "name": params["name"]}
        return self._ok({**topic, "icon_color": 7322096})

    def _m_getMyCommands(self, token: str, method: str, params: dict[str, Any]) -> Result:
        return self._ok([])  # GAP 5: not emulated (HTTP 500)

    def _m_getChatAdministrators(self, token: str, method: str, params: dict[str, Any]) -> Result:
        # GAP 6: not emulated (HTTP 500). Answer from the users the tests registered as
        # admins, plus the bot itself (a community bot is an admin of its group).
        admins = [
            {"status": "administrator", "user": self._user(uid), **ADMIN_RIGHTS}
            for uid in sorted(self.admin_ids)
        ]
        if self.bot_user:
            admins.append({"status": "administrator", "user": self.bot_user, **ADMIN_RIGHTS})
        return self._ok(admins)

    def _m_getChatMember(self, token: str, method: str, params: dict[str, Any]) -> Result:
        # GAP 6: not emulated (HTTP 500). Registered admins are administrators, the bot
        # is what `bot_member` says (an administrator by default), registered users
        # members, anyone else has left.
        uid = int(params["user_id"])
        if self.bot_user and uid == self.bot_user["id"]:
            return self._ok({"user": self._user(uid), **self.bot_member})
        if uid in self.admin_ids:
            return self._ok({"status": "administrator", "user": self._user(uid), **ADMIN_RIGHTS})
        return self._ok(
            {"status": "member" if uid in self.users else "left", "user": self._user(uid)}
        )

    def _current(self, token: str, chat_id: int, message_id: int) -> dict[str, Any] | None:
        """The emulator's stored copy of one bot message (after edits)."""
        status, answer = self._emulator("/getUpdatesHistory", {"token": token})
        if status != 200:
            return None
        for item in answer.get("result") or []:
            msg = item.get("message") or {}
            if (
                "chat_id" in msg
                and int(item.get("messageId", -1)) == message_id
                and str(msg["chat_id"]) == str(chat_id)
            ):
                return {
                    k: (json.dumps(v) if isinstance(v, dict | list) else v) for k, v in msg.items()
                }
        return None

    # ---------------------------------------------------------------- getUpdates
    def _drain(self, token: str) -> None:
        """Move new updates from the emulator into our pending list."""
        status, answer = self._emulator(f"/bot{token}/getUpdates", {})
        if status != 200 or not answer.get("ok"):
            return
        pending = self._pending.setdefault(token, [])
        for update in answer["result"]:
            cq = update.get("callback_query")
            if cq is not None and "chat_instance" not in cq:
                # GAP 7: callback queries lack `chat_instance`, a required field of
                # telegram.CallbackQuery; Telegram derives it from the chat.
                chat_id = (cq.get("message") or {}).get("chat", {}).get("id", 0)
                cq["chat_instance"] = f"ci{chat_id}"
            self._remember(update)
            self._queue(pending, update)

    def _remember(self, update: dict[str, Any]) -> None:
        """Keep a member's message so that copyMessage can copy it (GAP 10)."""
        message = update.get("message")
        if isinstance(message, dict) and "chat" in message:
            self._user_messages[(int(message["chat"]["id"]), int(message["message_id"]))] = message

    def _queue(self, pending: list[dict[str, Any]], update: dict[str, Any]) -> None:
        # The proxy numbers the updates it hands out itself, so that updates injected
        # by tests (inject_update) and the emulator's own never share an update_id.
        update["update_id"] = self._next_update_id
        self._next_update_id += 1
        pending.append(update)

    def inject_update(self, token: str, update: dict[str, Any]) -> None:
        """Deliver an update the emulator cannot produce (chat_member, edited_message...).

        ``update`` is the Bot API Update without ``update_id``.
        """
        with self._poll_lock:
            self._remember(update)
            if "inline_query" in update:
                self._inline_queries.add(str(update["inline_query"]["id"]))
            self._queue(self._pending.setdefault(token, []), dict(update))

    def _get_updates(self, token: str, params: dict[str, Any]) -> Result:
        # GAP 3: the emulator ignores `offset`, `limit` and `timeout`: it returns each
        # update once (marking it read) and answers at once. Updates lost in transit
        # would never come back, and PTB would spin on empty answers. Keep the updates
        # here until the bot confirms them with a higher offset, honour `limit`, and
        # hold the request open (up to MAX_LONG_POLL_SECONDS) while nothing is new.
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        wait = min(float(params.get("timeout") or 0), MAX_LONG_POLL_SECONDS)
        deadline = time.monotonic() + wait
        with self._poll_lock:
            ticket = self._pollers[token] = self._pollers.get(token, 0) + 1
        while True:
            with self._poll_lock:
                if self._pollers[token] != ticket:
                    # GAP 13: two bot processes polling one token. Telegram ends the older
                    # getUpdates with 409 Conflict; the emulator serves both.
                    self.conflicts += 1
                    return 409, {
                        "ok": False,
                        "error_code": 409,
                        "description": "Conflict: terminated by other getUpdates request; "
                        "make sure that only one bot instance is running",
                    }
                self._drain(token)
                pending = [u for u in self._pending.get(token, []) if u["update_id"] >= offset]
                self._pending[token] = pending
            if pending or time.monotonic() >= deadline:
                return self._ok(pending[:limit])
            time.sleep(POLL_STEP_SECONDS)
