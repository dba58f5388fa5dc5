"""How updates reach the bot: long polling, or Telegram's webhook; and ``fibrobot run``'s loop.

``start_updates`` / ``stop_updates`` start and stop taking updates for the active process:

- polling (no ``WEBHOOK_URL``): PTB's updater; starting it deletes any webhook first (PTB's
  ``Updater.start_polling`` calls ``deleteWebhook``), which is how going back to polling
  removes the webhook Telegram would otherwise keep posting to.
- webhook: ``setWebhook`` with the secret token, by the active process only. Stopping deletes
  nothing: a standby taking over serves the same URL, and Telegram keeps retrying meanwhile.

``role_of`` is the one place that says whether this process is the active one.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.config import Settings
from bot.deps import app_deps
from bot.runtime import webhook
from bot.runtime.metrics import Role, asgi_apps

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
    """This process's role, read in this one place: the metrics' role (issue 8 part 1 sets it).

    Until a lease sets one it is ``AlwaysActive``: a lone process is the active one.
    """
    return app_deps(application).metrics.role


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


async def stop_updates(application: AnyApp, settings: Settings) -> None:
    """Stop taking updates: stop polling; a webhook stays set for whoever takes over."""
    updater = application.updater
    if settings.webhook_url is None and updater is not None and updater.running:
        await updater.stop()
    endpoint = application.bot_data.get(ENDPOINT_KEY)
    if isinstance(endpoint, webhook.WebhookEndpoint):
        endpoint.secret = None  # POSTs now get 503 until updates start again


async def run(application: AnyApp, settings: Settings) -> None:
    """``fibrobot run``: serve (webhook mode), start the bot, take updates until SIGINT/SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    web = serving = None
    if settings.webhook_url is not None:
        web, serving = await start_server(application, settings)
    try:
        await application.initialize()
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        await start_updates(application, settings)
        await wait_for_stop(stop, serving)
    finally:
        await stop_all(application, settings)
        if web is not None and serving is not None:
            web.should_exit = True
            await serving


async def start_server(
    application: AnyApp, settings: Settings
) -> tuple[webhook.Server, asyncio.Task[None]]:
    """Start the web server (its /healthz answers from now on); OSError if it cannot listen."""
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


async def wait_for_stop(stop: asyncio.Event, serving: asyncio.Task[None] | None) -> None:
    """Until a stop signal, or the web server ended on its own."""
    waits: list[asyncio.Future[Any]] = [asyncio.ensure_future(stop.wait())]
    if serving is not None:
        waits.append(serving)
    await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    if serving is not None and serving.done() and not stop.is_set():
        log.error("Webhook: the web server stopped; stopping the bot")


async def stop_all(application: AnyApp, settings: Settings) -> None:
    """Stop taking updates, then the application, as ``run_polling`` does."""
    if application.running:
        await stop_updates(application, settings)
        await application.stop()
    await application.shutdown()
    if application.post_shutdown is not None:
        await application.post_shutdown(application)
