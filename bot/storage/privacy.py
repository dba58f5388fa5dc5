"""Personal data: each feature says what it stores about a member and how to erase it.

``/mydata`` shows everything listed here and ``/forget`` erases it, so a feature that stores
a member's id must register itself (see ``handlers.tracking.register``).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import FlowState, Member

Describe = Callable[[AsyncSession, int], Awaitable[list[str]]]
Erase = Callable[[AsyncSession, int], Awaitable[int]]


@dataclass(frozen=True)
class PersonalData:
    """One kind of data kept about a member: how to show it and how to erase it."""

    name: str
    describe: Describe
    erase: Erase


async def describe_member(session: AsyncSession, user_id: int) -> list[str]:
    """The member row: when the bot first and last saw this id."""
    member = await session.scalar(select(Member).where(Member.id == user_id))
    if member is None:
        return []
    return [
        f"Telegram id {member.id}",
        f"first seen {member.first_seen:%Y-%m-%d %H:%M} UTC",
        f"last seen {member.last_seen:%Y-%m-%d %H:%M} UTC",
    ]


async def erase_member(session: AsyncSession, user_id: int) -> int:
    """Delete the member row."""
    result = await session.execute(delete(Member).where(Member.id == user_id))
    return int(getattr(result, "rowcount", 0) or 0)


MEMBER_DATA = PersonalData("member", describe_member, erase_member)

# How each kept flow field reads in /mydata (see bot.runtime.persistence.FLOW_KEYS).
FLOW_FIELDS = {
    "announce:": "an announcement draft you have not confirmed yet (its text and choices)",
    "tips:question": "a question the bot asked you and is waiting for you to answer",
}


async def describe_flows(session: AsyncSession, user_id: int) -> list[str]:
    """Flows in progress kept so a restart resumes them: which step, which draft or question."""
    rows = await session.scalars(select(FlowState).where(FlowState.user_id == user_id))
    lines = []
    for row in rows:
        if row.kind == "user":
            keys = json.loads(row.data)
            lines += [
                text
                for prefix, text in FLOW_FIELDS.items()
                if any(key.startswith(prefix) for key in keys)
            ]
        else:
            name = row.kind.partition(":")[2]
            lines.append(
                f"the step you are at in /{name}, updated {row.updated_at:%Y-%m-%d %H:%M} UTC"
            )
    return lines


async def erase_flows(session: AsyncSession, user_id: int) -> int:
    """Delete the member's flows in progress (the running bot also drops them from memory)."""
    result = await session.execute(delete(FlowState).where(FlowState.user_id == user_id))
    return int(getattr(result, "rowcount", 0) or 0)


FLOW_DATA = PersonalData("flows in progress", describe_flows, erase_flows)


async def describe_all(
    session: AsyncSession, kinds: list[PersonalData], user_id: int
) -> dict[str, list[str]]:
    """Everything stored about a member, by kind; kinds with nothing stored are left out."""
    found = {kind.name: await kind.describe(session, user_id) for kind in kinds}
    return {name: lines for name, lines in found.items() if lines}


async def erase_all(session: AsyncSession, kinds: list[PersonalData], user_id: int) -> int:
    """Erase everything stored about a member, in the caller's transaction; rows erased."""
    # Later kinds may refer to earlier ones (deliveries to subscriptions): erase in reverse.
    return sum([await kind.erase(session, user_id) for kind in reversed(kinds)])
