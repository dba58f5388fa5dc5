"""Members joining and leaving the community group, and the welcome that greets them.

The change, the log row and the privacy hooks; the welcome's wording, its on/off switch and
the welcomes still in the group (which the next one replaces).

Only the member's Telegram id, the kind of change and the time are stored: never a name. The
names a welcome greets live in memory for the few seconds of its gathering window only.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import ChatMember, ChatMemberUpdated
from telegram.constants import ChatMemberStatus

from bot.features import announcements
from bot.features.content import Content
from bot.features.text import escape
from bot.storage.models import Community, MemberEvent, WelcomeMessage, utcnow
from bot.storage.privacy import Fact, PersonalData

JOIN, LEAVE = "join", "leave"
# A welcome names at most three people (beyond that: "Ana, Ben and 28 others"), each name cut
# to this many characters, so a raid of long spam names still gives a short message.
NAME_LIMIT = 32
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


# --- The welcome ---------------------------------------------------------------------------


def short_name(first_name: str) -> str:
    """A newcomer's first name for the welcome: cut to NAME_LIMIT characters, HTML-escaped."""
    name = first_name.strip() or "?"
    if len(name) > NAME_LIMIT:
        name = name[: NAME_LIMIT - 1].rstrip() + "…"
    return escape(name)


def greeted_names(content: Content, first_names: list[str]) -> str:
    """The names a welcome greets, in the wording of ``content/texts.yaml``.

    Args:
        content: the texts (``welcome_names_two``, ``_three`` and ``_more``).
        first_names: the newcomers' first names, oldest join first; at least one.

    Returns:
        HTML: "Ana", "Ana and Ben", "Ana, Ben and Cy", or "Ana, Ben and 28 others" (never
        "1 others": up to three people are all named).
    """
    names = [short_name(name) for name in first_names]
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return content.text("welcome_names_two", first=names[0], second=names[1])
    if len(names) == 3:
        return content.text("welcome_names_three", first=names[0], second=names[1], third=names[2])
    return content.text(
        "welcome_names_more", first=names[0], second=names[1], others=len(names) - 2
    )


async def welcomes_on(session: AsyncSession) -> bool:
    """Whether newcomers get a welcome (on until an admin turns it off with /welcome off)."""
    enabled = await session.scalar(select(Community.welcome_enabled).where(Community.id == 1))
    return enabled is not False


async def switch_welcomes(session: AsyncSession, enabled: bool, by: int | None) -> None:
    """Turn welcomes on or off, kept with the community; log who did it (caller's transaction).

    The community row may not exist yet when COMMUNITY_CHAT_ID names the group: it is made
    without a group, so the setting still decides which group it is.
    """
    row = await session.get(Community, 1)
    if row is None:
        session.add(Community(id=1, chat_id=None, welcome_enabled=enabled, set_at=utcnow()))
    else:
        row.welcome_enabled = enabled
    await announcements.record(session, "welcome", "on" if enabled else "off", by)


def remember_welcome(
    session: AsyncSession, chat_id: int, message_id: int, delete_at: datetime | None
) -> None:
    """Remember a posted welcome: to delete at ``delete_at``, or when the next one replaces it."""
    session.add(WelcomeMessage(chat_id=chat_id, message_id=message_id, delete_at=delete_at))


async def forget_welcome(session: AsyncSession, chat_id: int, message_id: int) -> None:
    """The welcome is gone (or cannot be deleted): stop tracking it."""
    await session.execute(
        delete(WelcomeMessage).where(
            WelcomeMessage.chat_id == chat_id, WelcomeMessage.message_id == message_id
        )
    )


async def delete_later(session: AsyncSession, chat_id: int, message_id: int, at: datetime) -> None:
    """Telegram could not delete a welcome yet: remember to try again at ``at``."""
    await session.execute(
        update(WelcomeMessage)
        .where(WelcomeMessage.chat_id == chat_id, WelcomeMessage.message_id == message_id)
        .values(delete_at=at)
    )


async def welcomes_to_delete(session: AsyncSession) -> list[WelcomeMessage]:
    """Every welcome with a time to be deleted at, soonest first."""
    return list(
        await session.scalars(
            select(WelcomeMessage)
            .where(WelcomeMessage.delete_at.is_not(None))
            .order_by(WelcomeMessage.delete_at)
        )
    )


async def posted_welcomes(session: AsyncSession, chat_id: int) -> list[WelcomeMessage]:
    """The welcomes still in a chat, which the next welcome replaces."""
    query = select(WelcomeMessage).where(WelcomeMessage.chat_id == chat_id)
    return list(await session.scalars(query.order_by(WelcomeMessage.message_id)))
