"""The one factory that builds the bot: builder chain, handlers, start-up and shut-down."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    Defaults,
    TypeHandler,
)
from telegram.request import BaseRequest

import handlers
from bot.config import Settings
from bot.deps import Deps, app_deps
from bot.features.content import Content, ContentError
from bot.features.languages import Catalog, load_catalog
from bot.features.matching import matcher_of
from bot.runtime.commands import set_menus
from bot.runtime.errors import error_handler
from bot.runtime.lease import FencedRateLimiter, Role
from bot.runtime.metrics import MeteredLimiter, Metrics, MetricsServer, wsgi_app
from bot.runtime.persistence import FlowPersistence, write_flows_now
from bot.storage.backup import InUse

log = logging.getLogger(__name__)

# A token is required to build a bot; offline runs (console, tests) use this one.
OFFLINE_TOKEN = "123456789:offline-console-token"  # noqa: S105

# After every feature's group (handlers use -2 to 0): see write_flows_now.
FLOWS_GROUP = 100

AnyApp = Application[Any, Any, Any, Any, Any, Any]


def build_application(
    settings: Settings,
    request: BaseRequest | None = None,
    *,
    content: Content | None = None,
    catalog: Catalog | None = None,
    rate_limiter: AIORateLimiter | None = None,
) -> AnyApp:
    """Build the application; ``request`` swaps the network for a fake (tests, console).

    ``content`` (one language only) or ``catalog`` (every language) replace the content
    folder, for tests. Raises ContentError when COMMUNITY_LANGUAGE has no content folder.
    """
    if catalog is None:
        catalog = (
            Catalog(source=content, languages={content.language: content})
            if content is not None
            else load_catalog(settings.content_dir)
        )
    content = community_content(catalog, settings)
    role = Role()
    api = settings.telegram_api_url
    metrics = Metrics(role)
    # The fence: a process that is not (or no longer) active sends nothing.
    limiter = rate_limiter or FencedRateLimiter(
        role, overall_max_rate=settings.tips_rate_limit, max_retries=3
    )
    builder = (
        ApplicationBuilder()
        .token(settings.token or OFFLINE_TOKEN)
        .base_url(f"{api}/bot")
        .base_file_url(f"{api}/file/bot")
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                tzinfo=settings.zone,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        # Every Bot API call passes here: the metrics count messages and Telegram's errors.
        .rate_limiter(MeteredLimiter(limiter, metrics))
        .persistence(
            FlowPersistence(
                lambda: app_deps(application).open_database(),
                lambda: app_deps(application).role.is_active(),  # noqa: PLW0108 (built below)
            )
        )
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    application = builder.build()
    deps = Deps(
        settings=settings,
        content=content,
        matcher=matcher_of(catalog),
        catalog=catalog,
        metrics=metrics,
        role=role,
    )
    application.bot_data["deps"] = deps
    # Group -3 runs before every other group: count each update, then let it through.
    application.add_handler(metrics.update_handler(), group=-3)
    handlers.register_all(application, deps)
    # Last of all: a flow step an update changed is written at once (survives a kill -9).
    application.add_handler(TypeHandler(Update, write_flows_now), group=FLOWS_GROUP)
    application.add_error_handler(error_handler)
    return application


def community_content(catalog: Catalog, settings: Settings) -> Content:
    """The content in COMMUNITY_LANGUAGE, which must be one of the content folders."""
    if settings.community_language not in catalog.languages:
        shipped = ", ".join(catalog.codes)
        raise ContentError(
            [
                f"COMMUNITY_LANGUAGE={settings.community_language}: no such content folder"
                f" (shipped: {shipped})"
            ]
        )
    return catalog.get(settings.community_language)


async def _post_init(application: AnyApp) -> None:
    """Migrate and open the database, register the command menu, rebuild scheduled jobs."""
    deps = app_deps(application)
    # Marks the database as used by a running bot, so `fibrobot db restore` refuses.
    application.bot_data["in_use"] = await asyncio.to_thread(InUse, deps.settings.database_url)
    # Usually opened already: the persistence reads flows in progress before post_init.
    await deps.open_database()
    await set_menus(application.bot, deps)
    for hook in deps.on_startup:
        await hook(application)
    if application.job_queue is not None:
        deps.metrics.watch_jobs(application.job_queue.scheduler)
    start_metrics_server(application)
    log.info("FibroBot ready as @%s", application.bot.username)


def start_metrics_server(application: AnyApp) -> None:
    """Serve /metrics and /healthz on METRICS_PORT (polling mode); 0 leaves them off."""
    deps = app_deps(application)
    port = deps.settings.metrics_port
    if port:
        app = wsgi_app(deps.metrics, lambda: application.running)
        server = MetricsServer(app, deps.settings.metrics_listen, port).start()
        application.bot_data["metrics_server"] = server


async def _post_shutdown(application: AnyApp) -> None:
    """Close the database."""
    deps = app_deps(application)
    server = application.bot_data.pop("metrics_server", None)
    if isinstance(server, MetricsServer):
        server.stop()
    if deps.engine is not None:
        await deps.engine.dispose()
        deps.engine = None
    in_use = application.bot_data.pop("in_use", None)
    if isinstance(in_use, InUse):
        in_use.release()


async def start_offline(application: AnyApp) -> None:
    """Start without polling (console, tests): what ``run_polling`` does around its loop."""
    await application.initialize()
    await _post_init(application)
    await application.start()


async def stop_offline(application: AnyApp) -> None:
    """Stop what ``start_offline`` started."""
    await application.stop()
    await application.shutdown()
    await _post_shutdown(application)
