"""The community group: which chat it is, and following it when it becomes a supergroup."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.storage.models import Chat, Community, utcnow

log = logging.getLogger(__name__)


async def community_chat_id(session: AsyncSession, settings: Settings) -> int | None:
    """The group set by an admin with /setup, else COMMUNITY_CHAT_ID, else None."""
    stored = await session.scalar(select(Community.chat_id).where(Community.id == 1))
    return stored if stored is not None else settings.community_chat_id


async def set_community_chat(session: AsyncSession, chat_id: int, set_by: int | None) -> None:
    """Remember the community group (in the caller's transaction)."""
    row = await session.get(Community, 1)
    if row is None:
        session.add(Community(id=1, chat_id=chat_id, set_by=set_by, set_at=utcnow()))
    else:
        row.chat_id, row.set_by, row.set_at = chat_id, set_by, utcnow()


async def follow_migration(session: AsyncSession, settings: Settings, old: int, new: int) -> bool:
    """A group became a supergroup with a new id: move the community to it.

    Returns True when the migrated group was the community. Features that store chat ids
    (schedules, feeds) follow it in their own code, in the same transaction.
    """
    chat = await session.get(Chat, old)
    if chat is not None and await session.get(Chat, new) is None:
        chat.id = new
        chat.type = "supergroup"
    if await community_chat_id(session, settings) != old:
        return False
    await set_community_chat(session, new, set_by=None)
    log.info("The community group moved from %s to %s", old, new)
    return True
