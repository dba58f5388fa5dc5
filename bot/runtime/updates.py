"""How updates reach the bot: long polling, or Telegram's webhook (``bot.runtime.lifecycle``).

``start_updates`` / ``stop_updates`` start and stop taking updates for the active process:

- polling (no ``WEBHOOK_URL``): PTB's updater; starting it deletes any webhook first (PTB's
  ``Updater.start_polling`` calls ``deleteWebhook``), which is how going back to polling
  removes the webhook Telegram would otherwise keep posting to.
- webhook: ``setWebhook`` with the secret token, by the active process only. Stopping deletes
  nothing: a standby taking over serves the same URL, and Telegram keeps retrying meanwhile.

The webhook's web server runs for the whole life of the process (``start_server``), standby
included, so ``/healthz`` answers and ``/readyz`` says 503 until the process is active.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.config import Settings
from bot.deps import app_deps
from bot.runtime import webhook
from bot.runtime.lease import Role
from bot.runtime.metrics import asgi_apps

log = logging.getLogger(__name__)

AnyApp = Application[Any, Any, Any, Any, Any, Any]

# Updates the bot asks Telegram for; chat_member is needed to see members join and leave.
ALLOWED_UPDATES = [
    Update.MESSAGE,
    Update.EDITED_MESSAGE,
    Update.CALLBACK_QUERY,
    Update.CHAT_MEMBER,
    Update.MY_CHAT_MEMBER,
]
ENDPOINT_KEY = "webhook_endpoint"


def role_of(application: AnyApp) -> Role:
    """This process's role (bot.runtime.lease), read in this one place here."""
    return app_deps(application).role


async def start_updates(application: AnyApp, settings: Settings) -> None:
    """Start taking updates: start polling, or (active process only) set the webhook."""
    if settings.webhook_url is None:
        updater = application.updater
        if updater is not None and not updater.running:
            await updater.start_polling(allowed_updates=ALLOWED_UPDATES)
        return
    if not role_of(application).is_active():
        log.info("Webhook: standing by; the active process sets the webhook")
        return
    secret = await webhook.webhook_secret(app_deps(application))
    endpoint = application.bot_data.get(ENDPOINT_KEY)
    if isinstance(endpoint, webhook.WebhookEndpoint):
        endpoint.secret = secret
    await application.bot.set_webhook(
        settings.webhook_url, secret_token=secret, allowed_updates=ALLOWED_UPDATES
    )
    log.info(
        "Webhook set; serving updates on %s:%s", settings.webhook_listen, settings.webhook_port
    )


async def stop_updates(
    application: AnyApp, settings: Settings, *, confirm_last: bool = True
) -> None:
    """Stop taking updates: stop polling; a webhook stays set for whoever takes over.

    When polling, the updates already fetched are still handled by ``Application.stop``.
    ``confirm_last=False`` (the role is lost) skips PTB's final getUpdates that marks the
    last fetched updates read: it would end the new active process's long poll with 409
    Conflict. Those few updates come again to the new active process instead.
    """
    updater = application.updater
    if settings.webhook_url is None and updater is not None and updater.running:
        if not confirm_last:
            # PTB keeps that last call in a private attribute; None means "skip it".
            setattr(updater, "_Updater__polling_cleanup_cb", None)  # noqa: B010
        await updater.stop()
    endpoint = application.bot_data.get(ENDPOINT_KEY)
    if isinstance(endpoint, webhook.WebhookEndpoint):
        endpoint.secret = None  # POSTs now get 503 until updates start again


async def start_server(
    application: AnyApp, settings: Settings
) -> tuple[webhook.Server, asyncio.Task[None]] | None:
    """In webhook mode, start the web server (/healthz answers from now on); else None.

    Raises:
        OSError: it cannot listen on WEBHOOK_LISTEN:WEBHOOK_PORT (the message says which).
    """
    if settings.webhook_url is None:
        return None
    # Asked on every request: the role changes when this process takes over or steps down.
    endpoint = webhook.WebhookEndpoint(
        application, app_deps(application), lambda: role_of(application).is_active()
    )
    application.bot_data[ENDPOINT_KEY] = endpoint
    sock = webhook.listening_socket(settings)
    # Issue 9's /metrics on the same port (its /healthz is ours here: the process lives).
    metrics = asgi_apps(app_deps(application).metrics, lambda: True)["/metrics"]
    extra = [webhook.asgi_route("/metrics", metrics)]
    web = webhook.server(settings, webhook.asgi_app(endpoint, settings.webhook_path, extra))
    # The socket already listens: connections wait in its backlog until uvicorn accepts them.
    return web, asyncio.create_task(web.serve(sockets=[sock]))


async def stop_server(server: tuple[webhook.Server, asyncio.Task[None]] | None) -> None:
    """Stop the web server ``start_server`` started (None: there is none, polling)."""
    if server is not None:
        web, serving = server
        web.should_exit = True
        await serving
