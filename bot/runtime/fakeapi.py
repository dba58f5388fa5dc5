"""An in-process fake Bot API: a PTB ``BaseRequest`` that records calls and answers them.

The offline console and the handler tests swap the network for this, the pattern of PTB's
own test suite (an offline request). It keeps the messages it "sent" so that edits, buttons
and replies behave as they would against Telegram (an edit that changes nothing is refused with
"message is not modified", as Telegram does), and it can be told to fail a method the way
Telegram fails (blocked user, flood control, server error, migrated group).
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.request import BaseRequest, RequestData

BOT_ID = 700000001
BOT_USERNAME = "FibroHelperBot"
ADMIN_ID = 1000
GROUP_ID = -1001234567890
# Telegram's words when an edit would leave the message as it is.
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are"
    " exactly the same as a current content and reply markup of the message"
)

# What getChatMember answers for the bot in a group: an administrator with these rights.
BOT_ADMIN_RIGHTS = {
    "can_be_edited": False,
    "is_anonymous": False,
    "can_manage_chat": True,
    "can_delete_messages": True,
    "can_manage_video_chats": False,
    "can_restrict_members": True,
    "can_promote_members": False,
    "can_change_info": False,
    "can_invite_users": True,
    "can_post_stories": False,
    "can_edit_stories": False,
    "can_delete_stories": False,
    "can_pin_messages": True,
    "can_manage_topics": True,
}


@dataclass
class ApiCall:
    """One Bot API call the bot made."""

    method: str
    params: dict[str, Any]
    result: Any = None
    files: dict[str, bytes] = field(default_factory=dict)  # uploads (sendPhoto...), by part

    @property
    def text(self) -> str:
        """The text or caption the call carried, or an empty string."""
        return str(self.params.get("text") or self.params.get("caption") or "")

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """Every inline button of the call, row by row, flattened."""
        markup = self.params.get("reply_markup") or {}
        if isinstance(markup, str):
            markup = json.loads(markup)
        return [button for row in markup.get("inline_keyboard", []) for button in row]


@dataclass
class StoredMessage:
    """A message as the fake server keeps it, to answer edits."""

    chat_id: int
    message_id: int
    text: str
    reply_markup: dict[str, Any] | None = None


Responder = Callable[[dict[str, Any]], tuple[int, dict[str, Any]] | None]


@dataclass
class FakeBotAPI(BaseRequest):
    """Records every call and answers like the Bot API would."""

    calls: list[ApiCall] = field(default_factory=list)
    messages: dict[tuple[int, int], StoredMessage] = field(default_factory=dict)
    on_call: Callable[[ApiCall], None] | None = None
    admins: set[int] = field(default_factory=lambda: {ADMIN_ID})
    forums: set[int] = field(default_factory=set)  # chats with forum topics (is_forum)
    # The bot's membership in groups (getChatMember of the bot): status and rights.
    bot_member: dict[str, Any] = field(
        default_factory=lambda: {"status": "administrator", **BOT_ADMIN_RIGHTS}
    )
    _responders: dict[str, list[Responder]] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def read_timeout(self) -> float | None:
        """No network, so no timeout."""
        return None

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    def fail(
        self, method: str, status: int, description: str, times: int = 1, **extra: Any
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail as Telegram would."""
        body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if extra:
            body["parameters"] = extra
        remaining = [times]

        def responder(_params: dict[str, Any]) -> tuple[int, dict[str, Any]] | None:
            if remaining[0] <= 0:
                return None
            remaining[0] -= 1
            return status, body

        self._responders.setdefault(method, []).append(responder)

    def respond(self, method: str, responder: Responder) -> None:
        """Answer ``method`` with a custom function (return None to fall through)."""
        self._responders.setdefault(method, []).append(responder)

    def sent(self, method: str = "sendMessage") -> list[ApiCall]:
        """The calls made of one method, oldest first."""
        return [call for call in self.calls if call.method == method]

    def clear(self) -> None:
        """Forget the recorded calls (stored messages stay, so buttons keep working)."""
        self.calls.clear()

    async def do_request(  # noqa: PLR0917 (signature fixed by PTB)
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Answer one call from the bot."""
        api_method = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        call = ApiCall(api_method, params, files=_uploads(request_data))
        for responder in self._responders.get(api_method, []):
            answer = responder(params)
            if answer is not None:
                self.calls.append(call)
                return answer[0], json.dumps(answer[1]).encode()
        self.calls.append(call)
        refusal = self._refusal(api_method, params)
        if refusal is not None:
            return 400, json.dumps(refusal).encode()
        call.result = self._result(api_method, params)
        if self.on_call is not None:
            self.on_call(call)
        return 200, json.dumps({"ok": True, "result": call.result}).encode()

    def _refusal(self, method: str, params: dict[str, Any]) -> dict[str, Any] | None:
        """Telegram's answer to an edit that changes nothing (a button pressed twice)."""
        if method != "editMessageText" or "message_id" not in params:
            return None
        stored = self.messages.get((int(params.get("chat_id", 0)), int(params["message_id"])))
        if stored is None or stored.text != params.get("text", ""):
            return None
        if _markup(stored.reply_markup) != _markup(params.get("reply_markup")):
            return None
        return {"ok": False, "error_code": 400, "description": NOT_MODIFIED}

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        handler = getattr(self, f"_api_{method}", None)
        return handler(params) if handler is not None else True

    # Bot API methods the bot uses, answered with the fields PTB needs.

    def _api_getMe(self, _params: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "FibroBot",
            "username": BOT_USERNAME,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    def _api_getUpdates(self, _params: dict[str, Any]) -> list[Any]:  # noqa: N802
        return []

    def _message(self, params: dict[str, Any], **extra: Any) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        message_id = next(self._ids)
        markup = params.get("reply_markup")
        self.messages[(chat_id, message_id)] = StoredMessage(
            chat_id, message_id, str(params.get("text", "")), markup
        )
        message: dict[str, Any] = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": _chat(chat_id),
            "from": self._api_getMe({}),
            **extra,
        }
        if "text" in params:
            message["text"] = params["text"]
        if markup:
            message["reply_markup"] = markup
        if params.get("message_thread_id"):
            message["message_thread_id"] = int(params["message_thread_id"])
        return message

    def _api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        return self._message(params)

    def _api_sendPhoto(self, params: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        photo = [{"file_id": "photo", "file_unique_id": "p", "width": 800, "height": 400}]
        return self._message(params, photo=photo, caption=params.get("caption", ""))

    def _api_sendDocument(self, params: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        document = {"file_id": str(params["document"]), "file_unique_id": "d"}
        return self._message(params, document=document, caption=params.get("caption", ""))

    def _api_sendVideo(self, params: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        video = {"file_id": str(params["video"]), "file_unique_id": "v", "width": 640}
        video |= {"height": 360, "duration": 5}
        return self._message(params, video=video, caption=params.get("caption", ""))

    def _api_copyMessage(self, params: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        chat_id, message_id = int(params["chat_id"]), next(self._ids)
        caption = str(params.get("caption", ""))
        self.messages[(chat_id, message_id)] = StoredMessage(chat_id, message_id, caption)
        return {"message_id": message_id}

    def _api_createForumTopic(self, params: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        return {
            "message_thread_id": next(self._ids),
            "name": params["name"],
            "icon_color": 7322096,
        }

    def _api_editMessageText(self, params: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        key = (int(params["chat_id"]), int(params["message_id"]))
        stored = self.messages.get(key)
        if stored is not None:
            stored.text = str(params.get("text", ""))
            stored.reply_markup = params.get("reply_markup")
        message = {
            "message_id": key[1],
            "date": int(time.time()),
            "edit_date": int(time.time()),
            "chat": _chat(key[0]),
            "text": params.get("text", ""),
        }
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        return message

    def _api_getChat(self, params: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        chat_id = int(params["chat_id"])
        forum = {"is_forum": True} if chat_id in self.forums else {}
        return {**_chat(chat_id), **forum, "accent_color_id": 0, "max_reaction_count": 11}

    def _api_getChatAdministrators(self, params: dict[str, Any]) -> list[dict[str, Any]]:  # noqa: N802
        return [
            {
                "status": "creator",
                "user": {"id": user_id, "is_bot": False, "first_name": "Admin"},
                "is_anonymous": False,
            }
            for user_id in sorted(self.admins)
        ]

    def _api_getMyCommands(self, _params: dict[str, Any]) -> list[Any]:  # noqa: N802
        return []

    def _api_getWebhookInfo(self, _params: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        return {"url": "", "has_custom_certificate": False, "pending_update_count": 0}

    def _api_getChatMember(self, params: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        user_id = int(params["user_id"])
        if user_id == BOT_ID:
            return {"user": self._api_getMe({}), **self.bot_member}
        person = {"id": user_id, "is_bot": False, "first_name": "Member"}
        if user_id in self.admins:
            return {"user": person, "status": "creator", "is_anonymous": False}
        return {"user": person, "status": "member"}


def _uploads(request_data: RequestData | None) -> dict[str, bytes]:
    """The bytes of the files a call uploads (photos), by multipart part name."""
    if request_data is None or not request_data.contains_files:
        return {}
    parts = request_data.multipart_data.items()
    return {name: part[1] for name, part in parts if isinstance(part[1], bytes)}


def _markup(markup: Any) -> Any:
    """An inline keyboard as data, whether PTB sent it as JSON text or as a dict."""
    return json.loads(markup) if isinstance(markup, str) else (markup or None)


def _chat(chat_id: int) -> dict[str, Any]:
    if chat_id < 0:
        return {"id": chat_id, "type": "supergroup", "title": "Fibro community"}
    return {"id": chat_id, "type": "private", "first_name": "Member"}
