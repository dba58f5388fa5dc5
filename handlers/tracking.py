"""Records the chats and members the bot sees: Telegram ids and times, nothing else."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import Application, TypeHandler

from bot.deps import Context, Deps, get_deps
from bot.storage.models import Base, Chat, Member, utcnow

# Write "last seen" at most this often per id, so a chatty group is not a write per message.
REFRESH_SECONDS = 600.0


class SeenCache:
    """Remembers when each id was last written, to skip needless writes."""

    def __init__(self) -> None:
        self._written: dict[tuple[str, int], float] = {}

    def due(self, kind: str, ident: int) -> bool:
        """True when this id has not been written in the last REFRESH_SECONDS."""
        now = time.monotonic()
        last = self._written.get((kind, ident))
        if last is not None and now - last < REFRESH_SECONDS:
            return False
        self._written[(kind, ident)] = now
        return True

    def forget(self, kind: str, ident: int) -> None:
        """Drop an id, e.g. after its data was erased."""
        self._written.pop((kind, ident), None)


async def upsert_seen(session: AsyncSession, model: type[Base], values: dict[str, Any]) -> None:
    """Insert a row, or move its ``last_seen`` forward when it exists."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    now = utcnow()
    statement = insert(model).values(first_seen=now, last_seen=now, **values)
    update = {"last_seen": now} | {k: v for k, v in values.items() if k != "id"}
    await session.execute(statement.on_conflict_do_update(index_elements=["id"], set_=update))


async def track(update: Update, context: Context) -> None:
    """Record the chat and the member behind an update; know the member's language choice."""
    cache: SeenCache = context.bot_data.setdefault("seen_cache", SeenCache())
    chat, user = update.effective_chat, update.effective_user
    if user is not None and not user.is_bot:
        await remember_language(get_deps(context), user.id)
    rows: list[tuple[type[Base], dict[str, Any]]] = []
    if chat is not None and cache.due("chat", chat.id):
        rows.append((Chat, {"id": chat.id, "type": chat.type}))
    if user is not None and not user.is_bot and cache.due("member", user.id):
        rows.append((Member, {"id": user.id}))
    if not rows:
        return
    async with get_deps(context).transaction() as session:
        for model, values in rows:
            await upsert_seen(session, model, values)


async def remember_language(deps: Deps, user_id: int) -> None:
    """Read a member's language choice once per process; /language and /forget keep it."""
    if user_id in deps.chosen_languages:
        return
    async with deps.transaction() as session:
        chosen = await session.scalar(select(Member.language).where(Member.id == user_id))
    deps.chosen_languages[user_id] = chosen


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Track every update before any feature handles it."""
    application.add_handler(TypeHandler(Update, track), group=-1)
