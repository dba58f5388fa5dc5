"""What every handler and job needs, built once in ``build_application`` and passed down."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from telegram import Update, User
from telegram.ext import Application, CallbackContext

from bot.config import Settings
from bot.features.content import Content
from bot.features.i18n import language_of
from bot.runtime.lease import Role, RoleLost
from bot.runtime.metrics import Metrics
from bot.storage import db
from bot.storage.db import transaction
from bot.storage.models import utcnow
from bot.storage.privacy import FLOW_DATA, MEMBER_DATA, PersonalData

if TYPE_CHECKING:
    from bot.features.languages import Catalog
    from bot.features.matching import CatalogMatcher

Context = CallbackContext[Any, Any, Any, Any]
DeepLink = Callable[[Update, Context, str], Awaitable[None]]
Hook = Callable[[Application[Any, Any, Any, Any, Any, Any]], Awaitable[None]]


@dataclass
class Deps:
    """Settings, content, matcher and database sessions of one running bot."""

    settings: Settings
    content: Content
    matcher: CatalogMatcher
    engine: AsyncEngine | None = None
    sessions: async_sessionmaker[AsyncSession] | None = None
    # Deep-link payload prefixes (``/start faq-cost``) to the feature that opens them.
    deep_links: dict[str, DeepLink] = field(default_factory=dict)
    # Features that rebuild jobs or warm caches at start-up, after the database is ready.
    on_startup: list[Hook] = field(default_factory=list)
    # What the bot stores about members, for /mydata and /forget (see bot.storage.privacy).
    personal_data: list[PersonalData] = field(default_factory=lambda: [MEMBER_DATA, FLOW_DATA])
    # The time; tests replace it to move the clock instead of waiting.
    clock: Callable[[], datetime] = utcnow
    # Prometheus metrics of this application (bot.runtime.metrics); its role says active.
    metrics: Metrics = field(default_factory=Metrics)
    # Active or standing by (bot.runtime.lease); active unless `fibrobot run` says otherwise.
    role: Role = field(default_factory=Role)
    # Every language's content (``content`` above is the community's language).
    catalog: Catalog | None = None
    # Members' own language choices (/language) read from the database, by Telegram id:
    # None means "no choice, follow Telegram". Filled by handlers.tracking, kept current by
    # /language and /forget.
    chosen_languages: dict[int, str | None] = field(default_factory=dict)
    # The language Telegram last reported for each member, in memory only (never stored):
    # for messages to a member that no update of theirs carries (an admin's /ask answer).
    telegram_languages: dict[int, str] = field(default_factory=dict)

    def content_in(self, language: str | None) -> Content:
        """The content in ``language``; the community's when it is not shipped or None."""
        if self.catalog is None or language is None or language not in self.catalog.languages:
            return self.content
        return self.catalog.get(language)

    def language_of(self, user: User | None) -> str:
        """A member's language: their choice, else Telegram's, else the community's."""
        if user is not None and (chosen := self.chosen_languages.get(user.id)) is not None:
            return self.content_in(chosen).language
        codes = self.catalog.codes if self.catalog is not None else (self.content.language,)
        if user is not None and (telegram := language_of(user.language_code, codes)):
            self.telegram_languages[user.id] = telegram
            return telegram
        return self.content.language

    def content_of_member(self, member_id: int) -> Content:
        """The content in a member's language when no update of theirs is at hand."""
        if (chosen := self.chosen_languages.get(member_id)) is not None:
            return self.content_in(chosen)
        return self.content_in(self.telegram_languages.get(member_id))

    def crisis_words(self) -> tuple[str, ...]:
        """The crisis words of every shipped language: someone in crisis may use any of them."""
        if self.catalog is None:
            return self.content.emergency.crisis_words
        languages = self.catalog.languages.values()
        return tuple(dict.fromkeys(w for c in languages for w in c.emergency.crisis_words))

    def content_for(self, update: object) -> Content:
        """The content in the language of the member behind an update.

        For private replies and answers to one member in the group; posts to everyone use
        ``content`` (COMMUNITY_LANGUAGE) instead.
        """
        user = update.effective_user if isinstance(update, Update) else None
        return self.content_in(self.language_of(user))

    async def open_database(self) -> Callable[[], AbstractAsyncContextManager[AsyncSession]]:
        """Migrate and open the database once (the first caller does it); ``transaction``."""
        if self.engine is None:
            url = self.settings.database_url
            await asyncio.to_thread(db.upgrade, url)
            self.engine = db.create_engine(url)
            self.sessions = db.create_sessionmaker(self.engine)
        return self.transaction

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One database unit of work for this update or job.

        Raises:
            RoleLost: this process gave up its role; the next active one owns the data now.
        """
        if not self.role.is_active():
            raise RoleLost("database")
        async with self.outcome_transaction() as session:
            yield session

    @asynccontextmanager
    async def outcome_transaction(self) -> AsyncIterator[AsyncSession]:
        """A unit of work that records what already happened, even after the role was lost.

        Only for the outcome of work begun while active, such as marking a post that Telegram
        has just accepted as sent: without it, the next active process would find the post
        still ``sending`` and post it again. Never for starting new work.
        """
        if self.sessions is None:
            raise RuntimeError("the database is not ready: post_init has not run")
        async with transaction(self.sessions) as session:
            yield session


def get_deps(context: Context) -> Deps:
    """The bot's dependencies from a callback's context."""
    return cast(Deps, context.bot_data["deps"])


def app_deps(application: Application[Any, Any, Any, Any, Any, Any]) -> Deps:
    """The bot's dependencies from the application."""
    return cast(Deps, application.bot_data["deps"])
