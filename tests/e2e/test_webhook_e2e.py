"""Webhook mode end to end: the real `fibrobot run` with WEBHOOK_URL set.

The tests post real updates to the bot's webhook on 127.0.0.1 (httpx), with and without the
secret token; the bot's own calls go to the emulator through the compat proxy, where the
tests read the replies, as in the polling tests.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import GROUP, MEMBER, running_bot
from e2e_harness import (
    ADMIN_USER_ID,
    E2E,
    REPO_ROOT,
    BotMessage,
    BotProcess,
    ChatClient,
    bot_env,
    error_lines,
    free_port,
    wait_until,
)

SECRET = "e2e-webhook-secret_0123456789"
PATH = "/tg-hook"
_ids = itertools.count(700_000)


@pytest.fixture(scope="module")
def e2e(tmp_path_factory: pytest.TempPathFactory) -> Iterator[E2E]:
    """The bot in webhook mode, its web server on a free loopback port."""
    port = free_port()
    env = {
        "WEBHOOK_URL": f"https://bot.example.org{PATH}",
        "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_LISTEN": "127.0.0.1",
        "WEBHOOK_PORT": str(port),
    }
    tmp = tmp_path_factory.mktemp("webhook")
    with running_bot(tmp, env, ready="setWebhook") as running:
        running.users["webhook"] = {"url": f"http://127.0.0.1:{port}", "tmp": tmp, "env": env}
        yield running


def base_url(e2e: E2E) -> str:
    return str(e2e.users["webhook"]["url"])


class WebhookClient(ChatClient):
    """A member whose updates reach the bot through its webhook, as Telegram posts them."""

    secret: str | None = SECRET

    def post(self, update: dict[str, Any], secret: str | None = SECRET) -> int:
        """POST one update (``update_id`` added); the HTTP status the bot answered."""
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        body = {"update_id": next(_ids), **update}
        answer = httpx.post(f"{base_url(self.env)}{PATH}", json=body, headers=headers, timeout=5)
        return answer.status_code

    def send(self, text: str) -> None:
        """A message from this member, posted with the right secret."""
        self._mark()
        assert self.post({"message": self.message(text)}) == 200

    def message(self, text: str) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": next(_ids),
            "date": int(time.time()),
            "chat": self.chat,
            "from": self.user,
            "text": text,
        }
        if text.startswith("/"):
            length = len(text.split(maxsplit=1)[0])
            message["entities"] = [{"offset": 0, "length": length, "type": "bot_command"}]
        return message

    def press(self, label_or_data: str, message: BotMessage | None = None) -> None:
        """Press a button on the bot's latest message with buttons."""
        if message is None:
            message = [m for m in self.env.bot_messages(self.chat["id"]).values() if m.buttons][-1]
        button = message.button(label_or_data)
        self._mark()
        shown = {
            "message_id": message.message_id,
            "date": int(time.time()),
            "chat": self.chat,
            "from": self.env.proxy.bot_user,
            "text": message.text,
        }
        query = {
            "id": str(next(_ids)),
            "from": self.user,
            "chat_instance": f"ci{self.chat['id']}",
            "data": button["callback_data"],
            "message": shown,
        }
        assert self.post({"callback_query": query}) == 200


@pytest.fixture
def member(e2e: E2E) -> WebhookClient:
    e2e.client(MEMBER)  # registers the user and chat with the proxy
    chat = {"id": MEMBER["id"], "type": "private", "first_name": MEMBER["first_name"]}
    return WebhookClient(e2e, MEMBER, chat)


def test_the_webhook_was_set_with_the_secret(e2e: E2E) -> None:
    (call,) = e2e.proxy.find_calls("setWebhook")
    assert call.params["url"] == f"https://bot.example.org{PATH}"
    assert call.params["secret_token"] == SECRET
    assert not e2e.proxy.find_calls("getUpdates"), "a webhook bot does not poll"


def test_faq_through_the_webhook(member: WebhookClient) -> None:
    reply = member.ask("/faq how much does it cost")
    assert "cost" in reply.text.lower()


def test_a_button_through_the_webhook(member: WebhookClient) -> None:
    menu = member.ask("/faq")
    assert menu.buttons
    member.press(menu.buttons[0]["callback_data"], menu)
    answered = member.callback_answer()
    assert answered["callback_query_id"]
    shown = member.wait_for_reply()
    assert shown.text != menu.text


def test_a_join_through_the_webhook(e2e: E2E, member: WebhookClient) -> None:
    person = {"id": 2000077, "is_bot": False, "first_name": "Rae"}
    change = {
        "chat": GROUP,
        "from": person,
        "date": int(time.time()),
        "old_chat_member": {"user": person, "status": "left"},
        "new_chat_member": {"user": person, "status": "member"},
    }
    assert member.post({"chat_member": change}) == 200

    def welcome() -> list[BotMessage]:
        return [m for m in e2e.bot_messages(GROUP["id"]).values() if "Rae" in m.text]

    [message] = wait_until(welcome, 10.0, "the group welcome")
    assert "Welcome" in message.text


@pytest.mark.parametrize("secret", [None, "wrong"])
def test_without_the_secret_403_and_the_bot_says_nothing(
    e2e: E2E, member: WebhookClient, secret: str | None
) -> None:
    member._mark()
    assert member.post({"message": member.message("/links")}, secret) == 403
    assert member.post({"message": member.message("/help")}) == 200
    # Updates are handled in order: a reply to /links would come before this one.
    reply = member.wait_for_reply()
    assert "/faq" in reply.text
    assert len(member.changes()) == 1


def test_malformed_and_oversized_bodies_are_refused(e2e: E2E) -> None:
    url, headers = f"{base_url(e2e)}{PATH}", {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    assert httpx.post(url, content=b"{oops", headers=headers).status_code == 400
    big = b'{"update_id": 1, "x": "' + b"x" * (1024 * 1024) + b'"}'
    assert httpx.post(url, content=big, headers=headers).status_code == 413


def test_healthz_and_readyz(e2e: E2E) -> None:
    assert httpx.get(f"{base_url(e2e)}/healthz").status_code == 200
    assert httpx.get(f"{base_url(e2e)}/readyz").status_code == 200


def test_a_second_process_stands_by_alive_not_ready_and_sets_no_webhook(e2e: E2E) -> None:
    tmp: Path = e2e.users["webhook"]["tmp"]
    port = free_port()
    env = bot_env(
        api_url=e2e.proxy.url,
        db_path=tmp / "e2e.db",
        content_dir=REPO_ROOT / "content",
        admin_ids=[ADMIN_USER_ID],
    )
    env.update(e2e.users["webhook"]["env"], WEBHOOK_PORT=str(port))
    standby = BotProcess(env, tmp / "standby.log", cwd=tmp)
    try:
        wait_until(lambda: "Standing by" in standby.log_text(), 30.0, "the second process")
        url = f"http://127.0.0.1:{port}"
        assert httpx.get(f"{url}/healthz").status_code == 200
        assert httpx.get(f"{url}/readyz").status_code == 503
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        update = {"update_id": next(_ids), "message": {"text": "/faq"}}
        assert httpx.post(f"{url}{PATH}", json=update, headers=headers).status_code == 503
        assert len(e2e.proxy.find_calls("setWebhook")) == 1, "only the active process sets it"
        assert httpx.get(f"{base_url(e2e)}/readyz").status_code == 200
    finally:
        code = standby.stop(timeout=10)
    assert code == 0
    assert error_lines(standby.log_text()) == []
