"""Personal data: each feature says what it stores about a member and how to erase it.

``/mydata`` shows everything listed here and ``/forget`` erases it, so a feature that stores
a member's id must register itself (see ``handlers.tracking.register``).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import AskBlock, AskMessage, AskThread, FlowState, Member

Describe = Callable[[AsyncSession, int], Awaitable[list[str]]]
Erase = Callable[[AsyncSession, int], Awaitable[int]]
AfterErase = Callable[[int], Awaitable[None]]


@dataclass(frozen=True)
class PersonalData:
    """One kind of data kept about a member: how to show it and how to erase it.

    ``after_erase`` (optional) runs once the erase is committed, for work outside the
    database such as closing the member's forum topic (never inside the transaction).
    """

    name: str
    describe: Describe
    erase: Erase
    after_erase: AfterErase | None = None


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


async def describe_ask(session: AsyncSession, member_id: int) -> list[str]:
    """What /mydata shows of a member's conversations with the admins."""
    lines = []
    thread = await session.get(AskThread, member_id)
    if thread is not None:
        state = f", closed {thread.closed_at:%Y-%m-%d %H:%M} UTC" if thread.closed_at else ""
        lines.append(
            f"a conversation with the admins, opened {thread.opened_at:%Y-%m-%d %H:%M} UTC{state}"
        )
    count = await session.scalar(
        select(func.count(AskMessage.id)).where(AskMessage.member_id == member_id)
    )
    if count:
        lines.append(f"the ids and times of {count} message(s) passed on (never their content)")
    blocked = await session.get(AskBlock, member_id)
    if blocked is not None:
        lines.append(f"blocked from /ask since {blocked.blocked_at:%Y-%m-%d %H:%M} UTC")
    return lines


async def erase_ask(session: AsyncSession, member_id: int) -> int:
    """Delete the member's conversation, relayed message ids and block; rows erased."""
    erased = 0
    for model in (AskMessage, AskThread, AskBlock):
        result = await session.execute(delete(model).where(model.member_id == member_id))
        erased += int(getattr(result, "rowcount", 0) or 0)
    return erased


# /ask: handlers.ask registers this (wrapped so that /forget also closes the member's topic).
ASK_DATA = PersonalData("messages to the admins", describe_ask, erase_ask)


async def describe_all(
    session: AsyncSession, kinds: list[PersonalData], user_id: int
) -> dict[str, list[str]]:
    """Everything stored about a member, by kind; kinds with nothing stored are left out."""
    found = {kind.name: await kind.describe(session, user_id) for kind in kinds}
    return {name: lines for name, lines in found.items() if lines}


async def after_erase_all(kinds: list[PersonalData], user_id: int) -> None:
    """Run each kind's ``after_erase``, after the erase was committed."""
    for kind in kinds:
        if kind.after_erase is not None:
            await kind.after_erase(user_id)


async def erase_all(session: AsyncSession, kinds: list[PersonalData], user_id: int) -> int:
    """Erase everything stored about a member, in the caller's transaction; rows erased."""
    # Later kinds may refer to earlier ones (deliveries to subscriptions): erase in reverse.
    return sum([await kind.erase(session, user_id) for kind in reversed(kinds)])
