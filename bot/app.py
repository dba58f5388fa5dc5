"""The one factory that builds the bot: builder chain, handlers, start-up and shut-down."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram import (
    LinkPreviewOptions,
)
from telegram.constants import ParseMode
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, Defaults
from telegram.request import BaseRequest

import handlers
from bot.config import Settings
from bot.deps import Deps, app_deps
from bot.features.content import Content, ContentError
from bot.features.languages import Catalog, load_catalog
from bot.features.matching import matcher_of
from bot.runtime.commands import set_menus
from bot.runtime.errors import error_handler
from bot.storage import db

log = logging.getLogger(__name__)

# A token is required to build a bot; offline runs (console, tests) use this one.
OFFLINE_TOKEN = "123456789:offline-console-token"  # noqa: S105

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
    api = settings.telegram_api_url
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
        .rate_limiter(
            rate_limiter
            or AIORateLimiter(overall_max_rate=settings.tips_rate_limit, max_retries=3)
        )
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    application = builder.build()
    deps = Deps(settings=settings, content=content, matcher=matcher_of(catalog), catalog=catalog)
    application.bot_data["deps"] = deps
    handlers.register_all(application, deps)
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
    url = deps.settings.database_url
    await asyncio.to_thread(db.upgrade, url)
    deps.engine = db.create_engine(url)
    deps.sessions = db.create_sessionmaker(deps.engine)
    await set_menus(application.bot, deps)
    for hook in deps.on_startup:
        await hook(application)
    log.info("FibroBot ready as @%s", application.bot.username)


async def _post_shutdown(application: AnyApp) -> None:
    """Close the database."""
    deps = app_deps(application)
    if deps.engine is not None:
        await deps.engine.dispose()
        deps.engine = None


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
