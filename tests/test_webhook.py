"""Webhook mode: real updates posted over HTTP (httpx to 127.0.0.1) to the bot's web server.

The real application runs on the recording fake Bot API; uvicorn serves the webhook on a free
loopback port, as ``fibrobot run`` does with WEBHOOK_URL set.
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import select

from bot.app import AnyApp
from bot.config import Settings
from bot.deps import app_deps
from bot.runtime import updates
from bot.runtime.fakeapi import ApiCall, FakeBotAPI
from bot.runtime.webhook import MAX_BODY_BYTES, SECRET_HEADER
from bot.storage import db
from bot.storage.models import BotSecret
from tests.test_members import membership
from tests.tg import Driver

SECRET = "s3cret-token_for-tests"
PATH = "/telegram"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def webhook_settings(settings: Settings, secret: str | None = SECRET) -> Settings:
    return settings.model_copy(
        update={
            "webhook_url": f"https://bot.example.org{PATH}",
            "webhook_secret": SecretStr(secret) if secret else None,
            "webhook_listen": "127.0.0.1",
            "webhook_port": free_port(),
            "welcome_gather_seconds": 0.2,  # a wave of joins gets one welcome, soon
        }
    )


@dataclass
class Served:
    """The application behind its webhook server, and an HTTP client to talk to it."""

    app: AnyApp
    api: FakeBotAPI
    http: httpx.AsyncClient
    driver: Driver

    async def post(self, payload: Any, secret: str | None = SECRET, **kw: Any) -> httpx.Response:
        headers = {SECRET_HEADER: secret} if secret is not None else {}
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        headers["Content-Type"] = "application/json"
        return await self.http.post(PATH, content=kw.pop("content", body), headers=headers, **kw)

    async def wait_for(self, check: Callable[[], Any]) -> Any:
        """Poll ``check`` until it is truthy (the queue is processed in the background)."""
        async with asyncio.timeout(5):
            while not (found := check()):  # noqa: ASYNC110 (the fake API has no event)
                await asyncio.sleep(0.01)
        return found

    async def reply_to(self, payload: dict[str, Any]) -> ApiCall:
        """Post an update with the right secret; the first message the bot sends after it."""
        before = len(self.api.calls)
        assert (await self.post(payload)).status_code == 200
        return await self.wait_for(lambda: next(iter(messages(self.api.calls[before:])), None))


def messages(calls: list[ApiCall]) -> list[ApiCall]:
    return [c for c in calls if c.method in ("sendMessage", "editMessageText")]


@pytest.fixture
async def served(app: AnyApp, api: FakeBotAPI, settings: Settings) -> AsyncIterator[Served]:
    """The started application serving its webhook (set, with the secret) on 127.0.0.1."""
    hooked = webhook_settings(settings)
    app_deps(app).settings = hooked
    web, serving = await updates.start_server(app, hooked)
    await updates.start_updates(app, hooked)
    base = f"http://127.0.0.1:{hooked.webhook_port}"
    async with httpx.AsyncClient(base_url=base, timeout=10) as http:
        yield Served(app, api, http, Driver(app, api))
    await updates.stop_updates(app, hooked)
    web.should_exit = True
    await serving


def as_json(update: Any) -> dict[str, Any]:
    return dict(update.to_dict())


async def test_the_webhook_is_set_with_the_secret_token(served: Served) -> None:
    (call,) = served.api.sent("setWebhook")
    assert call.params["url"] == f"https://bot.example.org{PATH}"
    assert call.params["secret_token"] == SECRET
    assert "chat_member" in call.params["allowed_updates"]


async def test_faq_through_the_webhook(served: Served) -> None:
    answer = await served.reply_to(
        as_json(served.driver.message_update("/faq how much does it cost"))
    )
    assert "cost" in answer.text.lower()
    assert answer.params["chat_id"] == served.driver.user_id


async def test_a_button_through_the_webhook(served: Served) -> None:
    menu = await served.reply_to(as_json(served.driver.message_update("/faq")))
    data = menu.buttons[0]["callback_data"]
    before = len(served.api.calls)
    press = press_update(served, menu, data)
    assert (await served.post(press)).status_code == 200
    answered = await served.wait_for(lambda: served.api.sent("answerCallbackQuery"))
    assert answered[0].params["callback_query_id"] == press["callback_query"]["id"]
    shown = await served.wait_for(lambda: messages(served.api.calls[before:]))
    assert shown[0].text != menu.text


def press_update(served: Served, call: ApiCall, data: str) -> dict[str, Any]:
    """A callback query pressing ``data`` on the message ``call`` sent."""
    chat_id = int(call.params["chat_id"])
    return {
        "update_id": 900001,
        "callback_query": {
            "id": "cq-webhook-1",
            "from": {"id": served.driver.user_id, "is_bot": False, "first_name": "Sam"},
            "chat_instance": str(chat_id),
            "data": data,
            "message": {
                "message_id": int(call.result["message_id"]),
                "date": 1,
                "chat": {"id": chat_id, "type": "private", "first_name": "Sam"},
                "from": {"id": served.app.bot.id, "is_bot": True, "first_name": "FibroBot"},
                "text": call.text,
            },
        },
    }


async def test_a_join_through_the_webhook(served: Served) -> None:
    welcome = await served.reply_to(as_json(membership(served.app, "left", "member")))
    assert "Welcome, Sam" in welcome.text


@pytest.mark.parametrize("secret", [None, "", "wrong-secret", SECRET.upper(), SECRET + "x"])
async def test_without_the_right_secret_403_and_nothing_is_processed(
    served: Served, secret: str | None
) -> None:
    refused = await served.post(as_json(served.driver.message_update("/faq cost")), secret)
    assert refused.status_code == 403
    # Updates are handled in order: the next good update's reply is the first message sent.
    answer = await served.reply_to(as_json(served.driver.message_update("/links")))
    assert "blog" in answer.text.lower()
    assert len(messages(served.api.calls)) == 1


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"[1, 2]", b'{"message": {}}', b'{"update_id": "7"}', b"", b"\xff\xfe"],
)
async def test_a_malformed_body_gets_400_and_reaches_no_handler(
    served: Served, body: bytes
) -> None:
    assert (await served.post(body)).status_code == 400
    answer = await served.reply_to(as_json(served.driver.message_update("/links")))
    assert "blog" in answer.text.lower()
    assert len(messages(served.api.calls)) == 1


async def test_a_body_over_1_mb_is_refused_with_413(served: Served) -> None:
    update = as_json(served.driver.message_update("/faq cost"))
    update["message"]["padding"] = "x" * MAX_BODY_BYTES
    assert (await served.post(update)).status_code == 413

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: judged while reading
        yield b'{"update_id": 5, "padding": "'
        for _ in range(MAX_BODY_BYTES // 65536 + 1):
            yield b"x" * 65536
        yield b'"}'

    assert (await served.post(b"", content=chunks())).status_code == 413
    answer = await served.reply_to(as_json(served.driver.message_update("/links")))
    assert "blog" in answer.text.lower()
    assert len(messages(served.api.calls)) == 1


async def test_healthz_and_readyz_on_the_active_process(served: Served) -> None:
    assert (await served.http.get("/healthz")).status_code == 200
    assert (await served.http.get("/readyz")).status_code == 200


async def test_a_standby_is_alive_not_ready_and_processes_nothing(served: Served) -> None:
    app_deps(served.app).role.set_active(False)
    assert (await served.http.get("/healthz")).status_code == 200
    assert (await served.http.get("/readyz")).status_code == 503
    refused = await served.post(as_json(served.driver.message_update("/faq cost")))
    assert refused.status_code == 503
    app_deps(served.app).role.set_active(True)
    answer = await served.reply_to(as_json(served.driver.message_update("/links")))
    assert "blog" in answer.text.lower()
    assert len(messages(served.api.calls)) == 1


async def test_readyz_is_503_when_the_database_is_unreachable(
    served: Served, tmp_path: Any
) -> None:
    deps = app_deps(served.app)
    sessions = deps.sessions
    broken = db.create_engine(f"sqlite:///{tmp_path}/gone/x.db")
    (tmp_path / "gone").rmdir()
    try:
        deps.sessions = db.create_sessionmaker(broken)
        assert (await served.http.get("/readyz")).status_code == 503
    finally:
        deps.sessions = sessions
        await broken.dispose()
    assert (await served.http.get("/readyz")).status_code == 200


async def test_a_standby_does_not_set_the_webhook(
    app: AnyApp, api: FakeBotAPI, settings: Settings
) -> None:
    app_deps(app).role.set_active(False)
    await updates.start_updates(app, webhook_settings(settings))
    assert api.sent("setWebhook") == []


async def test_without_webhook_secret_one_is_generated_once_and_shared(
    app: AnyApp, api: FakeBotAPI, settings: Settings
) -> None:
    hooked = webhook_settings(settings, secret=None)
    app_deps(app).settings = hooked
    await updates.start_updates(app, hooked)
    await updates.start_updates(app, hooked)  # a restart, or the standby taking over
    first, second = (call.params["secret_token"] for call in api.sent("setWebhook"))
    assert first == second
    assert re.fullmatch(r"[A-Za-z0-9_-]{32,256}", first)
    async with app_deps(app).transaction() as session:
        stored = list(await session.scalars(select(BotSecret.value)))
    assert stored == [first]


async def test_polling_deletes_the_webhook(
    app: AnyApp, api: FakeBotAPI, settings: Settings
) -> None:
    await updates.start_updates(app, settings)
    try:
        assert api.sent("deleteWebhook")
        assert app.updater is not None
        assert app.updater.running
    finally:
        await updates.stop_updates(app, settings)
    assert not app.updater.running


async def test_metrics_are_served_on_the_webhook_port(served: Served) -> None:
    await served.reply_to(as_json(served.driver.message_update("/links")))
    scraped = await served.http.get("/metrics")
    assert scraped.status_code == 200
    assert 'fibrobot_updates_total{type="message"} 1.0' in scraped.text
