"""Webhook mode: the ASGI app Telegram posts updates to, and the server that runs it.

PTB's documented custom-webhook pattern (``examples/customwebhookbot/starlettebot.py``): a
Starlette app turns each POST into an ``Update`` and puts it on ``application.update_queue``;
the application, started without an updater, processes the queue as it does when polling.
uvicorn serves the app on ``WEBHOOK_LISTEN:WEBHOOK_PORT``, usually behind a reverse proxy.

Routes (``routes``; more are passed in ``extra``: ``bot.runtime.updates`` adds issue 9's
``/metrics`` there):

- ``POST <path of WEBHOOK_URL>``: an update. Refused before it reaches any handler: 403 without
  the right ``X-Telegram-Bot-Api-Secret-Token``, 413 for a body over ``MAX_BODY_BYTES``
  (judged from ``Content-Length`` or while reading, never read whole), 400 for a body that is
  not an update, 503 on a standby (Telegram retries; the load balancer should not send it).
- ``GET /healthz``: 200 while the process lives.
- ``GET /readyz``: 200 on the active process with its database reachable, 503 otherwise.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import secrets
import socket
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from ipaddress import ip_address
from typing import Any

import uvicorn
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route
from telegram import Update
from telegram.ext import Application

from bot.config import Settings
from bot.deps import Deps
from bot.storage.models import BotSecret

log = logging.getLogger(__name__)

# Telegram's updates are far smaller; anything over 1 MB is not from Telegram.
MAX_BODY_BYTES = 1024 * 1024
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 (a header's name)
SECRET_NAME = "webhook"  # noqa: S105 (the row's name in bot_secrets)
BACKLOG = 2048  # uvicorn's default

AnyApp = Application[Any, Any, Any, Any, Any, Any]
IsActive = Callable[[], bool]


class BodyTooLargeError(Exception):
    """The request body is over ``MAX_BODY_BYTES``."""


@dataclass
class WebhookEndpoint:
    """What the routes need: the application, its dependencies, the role and the secret.

    ``secret`` stays None until ``start_updates`` has read it; until then every POST gets 503.
    """

    application: AnyApp
    deps: Deps
    is_active: IsActive
    secret: str | None = None

    async def receive(self, request: Request) -> Response:
        """One POST from Telegram: check, parse, queue; see the module docstring for answers."""
        if self.secret is None or not self.is_active():
            return PlainTextResponse("standing by", status_code=503)
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            log.warning("Webhook: refused a request without the right secret token")
            return PlainTextResponse("forbidden", status_code=403)
        try:
            body = await read_limited(request, MAX_BODY_BYTES)
        except BodyTooLargeError:
            log.warning("Webhook: refused a body over %s bytes", MAX_BODY_BYTES)
            return PlainTextResponse("body too large", status_code=413)
        update = self.parse(body)
        if update is None:
            return PlainTextResponse("not an update", status_code=400)
        await self.application.update_queue.put(update)
        return Response(status_code=200)

    def parse(self, body: bytes) -> Update | None:
        """The update in a body, or None (logged with no content) when it is not one."""
        try:
            data = json.loads(body)
            if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
                raise ValueError("no update_id")
            return Update.de_json(data, self.application.bot)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            log.warning("Webhook: refused a malformed body (%s)", type(exc).__name__)
            return None

    async def healthz(self, _request: Request) -> Response:
        """Alive."""
        return PlainTextResponse("ok")

    async def readyz(self, _request: Request) -> Response:
        """Ready: the active process, with its database answering."""
        if not self.is_active():
            return PlainTextResponse("standing by", status_code=503)
        if not await database_answers(self.deps):
            return PlainTextResponse("database unreachable", status_code=503)
        return PlainTextResponse("ready")


async def read_limited(request: Request, limit: int) -> bytes:
    """The body, refusing (BodyTooLargeError) past ``limit`` bytes without reading the rest."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLargeError
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLargeError
        chunks.append(chunk)
    return b"".join(chunks)


async def database_answers(deps: Deps) -> bool:
    """True when the database answers ``SELECT 1`` within 2 seconds."""
    if deps.sessions is None:
        return False
    try:
        async with asyncio.timeout(2), deps.transaction() as session:
            await session.execute(text("SELECT 1"))
    except (SQLAlchemyError, OSError, TimeoutError):
        return False
    return True


class _Asgi:
    """An ASGI app as a route's endpoint (Starlette would call a bare function with a Request)."""

    def __init__(self, app: Callable[..., Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """Hand the request to the app."""
        await self.app(scope, receive, send)


def asgi_route(path: str, app: Callable[..., Awaitable[None]]) -> Route:
    """A route to another ASGI app at exactly ``path`` (a Mount would redirect to ``path/``)."""
    return Route(path, _Asgi(app))


def routes(endpoint: WebhookEndpoint, path: str, extra: Sequence[BaseRoute] = ()) -> list[Route]:
    """The routes of the web server; ``extra`` adds more (issue 9: ``/metrics``)."""
    return [
        Route(path, endpoint.receive, methods=["POST"]),
        Route("/healthz", endpoint.healthz, methods=["GET"]),
        Route("/readyz", endpoint.readyz, methods=["GET"]),
        *extra,  # type: ignore[list-item]
    ]


def asgi_app(endpoint: WebhookEndpoint, path: str, extra: Sequence[BaseRoute] = ()) -> Starlette:
    """The ASGI app serving ``routes``."""
    return Starlette(routes=routes(endpoint, path, extra))


async def webhook_secret(deps: Deps) -> str:
    """WEBHOOK_SECRET, or the one generated once and stored in the database.

    Every process sharing the database gets the same secret: the first one stores it, and a
    process that loses the race to insert it reads the winner's.
    """
    configured = deps.settings.webhook_secret
    if configured is not None:
        return configured.get_secret_value()
    for _ in range(2):
        try:
            async with deps.transaction() as session:
                row = await session.get(BotSecret, SECRET_NAME)
                if row is not None:
                    return row.value
                # 43 characters of A-Z a-z 0-9 _ -, as setWebhook's secret_token allows.
                value = secrets.token_urlsafe(32)
                session.add(BotSecret(name=SECRET_NAME, value=value))
            log.info("Webhook: generated a secret token and stored it in the database")
            return value
        except IntegrityError:
            continue  # another process stored one at the same moment: read it
    raise RuntimeError("could not store or read the webhook secret")


class Server(uvicorn.Server):
    """uvicorn, leaving SIGINT and SIGTERM to ``fibrobot run`` (it stops the bot first)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        """Install no signal handlers."""
        yield


def server(settings: Settings, app: Starlette) -> Server:
    """The uvicorn server on ``WEBHOOK_LISTEN:WEBHOOK_PORT`` (its access log off: ids only)."""
    config = uvicorn.Config(
        app,
        host=settings.webhook_listen,
        port=settings.webhook_port,
        access_log=False,
        log_level="warning",
        lifespan="off",
        use_colors=False,
    )
    return Server(config)


def listening_socket(settings: Settings) -> socket.socket:
    """A socket bound to ``WEBHOOK_LISTEN:WEBHOOK_PORT``; OSError names the address when taken.

    Bound here rather than by uvicorn, which would exit the process on a taken port.
    """
    host, port = settings.webhook_listen, settings.webhook_port
    family = socket.AF_INET6 if ip_address(host).version == 6 else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise OSError(f"cannot listen on {host}:{port} ({exc.strerror})") from None
    sock.listen(BACKLOG)
    return sock
