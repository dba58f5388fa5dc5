"""/ask: members write to the admins privately. The data side, without Telegram.

What is stored is ids and times only: which forum topic (or header message) in the admins'
chat belongs to which member, the id of every message relayed (so an admin's reply finds
its member, and the hourly limit can be counted), and the block list. Never names, never
text. Data functions take the caller's session and never commit.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import AskBlock, AskMessage, AskThread

IN, OUT = "in", "out"
# createForumTopic: "Topic name, 1-128 characters" (Bot API).
TOPIC_NAME_LIMIT = 128
WINDOW = timedelta(hours=1)
# Relayed message ids are kept this long: enough for an admin to reply to an old message,
# and for the hourly limit; then they go (the topic or header mapping stays until /forget).
KEEP_MESSAGES = timedelta(days=30)


def short_id(member_id: int) -> str:
    """A short code that tells members apart in topic names without showing their id."""
    return hashlib.sha256(str(member_id).encode()).hexdigest()[:6]


def topic_name(first_name: str, member_id: int) -> str:
    """A forum topic's name: the member's first name and a short id, at most 128 characters."""
    tag = f" · #{short_id(member_id)}"
    name = " ".join(first_name.split()) or "Member"
    return name[: TOPIC_NAME_LIMIT - len(tag)] + tag


async def thread_of(session: AsyncSession, member_id: int) -> AskThread | None:
    """The member's conversation with the admins, open or closed."""
    return await session.get(AskThread, member_id)


async def open_thread(
    session: AsyncSession,
    member_id: int,
    chat_id: int,
    *,
    topic_id: int | None,
    header_id: int | None,
    now: datetime,
) -> AskThread:
    """Start (or restart) a member's conversation in a new topic or under a new header."""
    thread = await session.get(AskThread, member_id)
    if thread is None:
        thread = AskThread(member_id=member_id)
        session.add(thread)
    thread.chat_id, thread.topic_id, thread.header_message_id = chat_id, topic_id, header_id
    thread.opened_at, thread.closed_at = now, None
    await session.flush()
    return thread


async def close_thread(session: AsyncSession, member_id: int, now: datetime) -> AskThread | None:
    """Mark a conversation closed; the member's next message opens it again."""
    thread = await session.get(AskThread, member_id)
    if thread is not None:
        thread.closed_at = now
    return thread


async def member_of_topic(session: AsyncSession, chat_id: int, topic_id: int) -> int | None:
    """The member whose conversation is this forum topic."""
    query = select(AskThread.member_id).where(
        AskThread.chat_id == chat_id, AskThread.topic_id == topic_id
    )
    return await session.scalar(query)


async def member_of_message(session: AsyncSession, chat_id: int, message_id: int) -> int | None:
    """The member behind a message in the admins' chat (a relayed message or a header)."""
    relayed = select(AskMessage.member_id).where(
        AskMessage.admin_chat_id == chat_id, AskMessage.admin_message_id == message_id
    )
    found = await session.scalar(relayed.limit(1))
    if found is not None:
        return int(found)
    header = select(AskThread.member_id).where(
        AskThread.chat_id == chat_id, AskThread.header_message_id == message_id
    )
    return await session.scalar(header)


async def record_message(
    session: AsyncSession,
    member_id: int,
    where: tuple[int, int],
    *,
    direction: str,
    now: datetime,
) -> None:
    """Remember one relayed message (``where``: admins' chat id, message id), and when."""
    chat_id, message_id = where
    session.add(
        AskMessage(
            member_id=member_id,
            admin_chat_id=chat_id,
            admin_message_id=message_id,
            direction=direction,
            at=now,
        )
    )


async def sent_last_hour(session: AsyncSession, member_id: int, now: datetime) -> int:
    """How many messages the member sent the admins in the hour before ``now``."""
    query = select(func.count(AskMessage.id)).where(
        AskMessage.member_id == member_id,
        AskMessage.direction == IN,
        AskMessage.at > now - WINDOW,
    )
    return int(await session.scalar(query) or 0)


async def block(session: AsyncSession, member_id: int, by: int | None, now: datetime) -> bool:
    """Block a member from /ask; False when they already were."""
    if await session.get(AskBlock, member_id) is not None:
        return False
    session.add(AskBlock(member_id=member_id, blocked_by=by, blocked_at=now))
    await session.flush()
    return True


async def unblock(session: AsyncSession, member_id: int) -> bool:
    """Lift a block; False when the member was not blocked."""
    result = await session.execute(delete(AskBlock).where(AskBlock.member_id == member_id))
    return bool(getattr(result, "rowcount", 0))


async def blocked_needs_note(
    session: AsyncSession, member_id: int, now: datetime
) -> tuple[bool, bool]:
    """(blocked, tell them now): a blocked member is told once, then the bot stays quiet."""
    row = await session.get(AskBlock, member_id)
    if row is None:
        return False, False
    if row.told_at is not None:
        return True, False
    row.told_at = now
    return True, True


async def prune_messages(session: AsyncSession, now: datetime) -> int:
    """Forget relayed message ids older than KEEP_MESSAGES; how many went."""
    result = await session.execute(delete(AskMessage).where(AskMessage.at < now - KEEP_MESSAGES))
    return int(getattr(result, "rowcount", 0) or 0)
