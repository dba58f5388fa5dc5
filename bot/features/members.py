"""Members joining and leaving the community group: the change, the log row, the privacy hooks.

Only the member's Telegram id, the kind of change and the time are stored: never a name.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import ChatMember, ChatMemberUpdated
from telegram.constants import ChatMemberStatus

from bot.storage.models import MemberEvent, WelcomeMessage
from bot.storage.privacy import Fact, PersonalData

JOIN, LEAVE = "join", "leave"
PRESENT = (ChatMemberStatus.MEMBER, ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)


def is_present(member: ChatMember) -> bool:
    """True when this status means the person is in the group (restricted members count)."""
    if member.status == ChatMemberStatus.RESTRICTED:
        return bool(getattr(member, "is_member", False))
    return member.status in PRESENT


def membership_change(change: ChatMemberUpdated) -> str | None:
    """JOIN or LEAVE when someone came in or went out; None for other changes (rights...)."""
    was, now = is_present(change.old_chat_member), is_present(change.new_chat_member)
    if was == now:
        return None
    return JOIN if now else LEAVE


def record_event(session: AsyncSession, user_id: int, kind: str, at: datetime) -> None:
    """Log a join or leave (in the caller's transaction)."""
    session.add(MemberEvent(user_id=user_id, kind=kind, at=at))


async def describe_events(session: AsyncSession, user_id: int) -> list[Fact]:
    """For /mydata: how many joins and leaves are logged, and the last one."""
    rows = await session.execute(
        select(MemberEvent.kind, func.count(), func.max(MemberEvent.at))
        .where(MemberEvent.user_id == user_id)
        .group_by(MemberEvent.kind)
        .order_by(MemberEvent.kind)
    )
    return [
        ("data_events", {"kind": kind, "count": count, "last": f"{last:%Y-%m-%d %H:%M} UTC"})
        for kind, count, last in rows
    ]


async def erase_events(session: AsyncSession, user_id: int) -> int:
    """For /forget: delete the member's join and leave rows."""
    result = await session.execute(delete(MemberEvent).where(MemberEvent.user_id == user_id))
    return int(getattr(result, "rowcount", 0) or 0)


MEMBER_EVENTS = PersonalData("data_kind_events", describe_events, erase_events)


def remember_welcome(
    session: AsyncSession, chat_id: int, message_id: int, delete_at: datetime
) -> None:
    """Remember a welcome to delete later, so a restart still deletes it."""
    session.add(WelcomeMessage(chat_id=chat_id, message_id=message_id, delete_at=delete_at))


async def forget_welcome(session: AsyncSession, chat_id: int, message_id: int) -> None:
    """The welcome is gone (or cannot be deleted): stop tracking it."""
    await session.execute(
        delete(WelcomeMessage).where(
            WelcomeMessage.chat_id == chat_id, WelcomeMessage.message_id == message_id
        )
    )


async def welcomes_to_delete(session: AsyncSession) -> list[WelcomeMessage]:
    """Every welcome still waiting to be deleted."""
    return list(await session.scalars(select(WelcomeMessage).order_by(WelcomeMessage.delete_at)))
