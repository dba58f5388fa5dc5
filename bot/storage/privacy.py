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

# One line of /mydata: a text key (content/<language>/texts.ftl) and the fields it shows, so
# each member reads what is stored about them in their own language.
Fact = tuple[str, dict[str, object]]
Describe = Callable[[AsyncSession, int], Awaitable[list[Fact]]]
Erase = Callable[[AsyncSession, int], Awaitable[int]]
AfterErase = Callable[[int], Awaitable[None]]


@dataclass(frozen=True)
class PersonalData:
    """One kind of data kept about a member: how to show it and how to erase it.

    ``name`` is the text key naming the kind (``data_kind_member``).
    ``after_erase`` (optional) runs once the erase is committed, for work outside the
    database such as closing the member's forum topic (never inside the transaction).
    """

    name: str
    describe: Describe
    erase: Erase
    after_erase: AfterErase | None = None


async def describe_member(session: AsyncSession, user_id: int) -> list[Fact]:
    """The member row: when the bot first and last saw this id, and their language choice."""
    member = await session.scalar(select(Member).where(Member.id == user_id))
    if member is None:
        return []
    facts: list[Fact] = [
        ("data_member_id", {"id": str(member.id)}),
        ("data_first_seen", {"when": f"{member.first_seen:%Y-%m-%d %H:%M} UTC"}),
        ("data_last_seen", {"when": f"{member.last_seen:%Y-%m-%d %H:%M} UTC"}),
    ]
    if member.language is not None:
        facts.append(("privacy_language", {"language": member.language}))
    return facts


async def erase_member(session: AsyncSession, user_id: int) -> int:
    """Delete the member row."""
    result = await session.execute(delete(Member).where(Member.id == user_id))
    return int(getattr(result, "rowcount", 0) or 0)


MEMBER_DATA = PersonalData("data_kind_member", describe_member, erase_member)

# How each kept flow field reads in /mydata (see bot.runtime.persistence.FLOW_KEYS): the text
# key of the line, in the member's language.
FLOW_FIELDS = {
    "announce:": "data_flow_draft",
    "tips:question": "data_flow_question",
}


async def describe_flows(session: AsyncSession, user_id: int) -> list[Fact]:
    """Flows in progress kept so a restart resumes them: which step, which draft or question."""
    rows = await session.scalars(select(FlowState).where(FlowState.user_id == user_id))
    lines: list[Fact] = []
    for row in rows:
        if row.kind == "user":
            keys = json.loads(row.data)
            lines += [
                (text, {})
                for prefix, text in FLOW_FIELDS.items()
                if any(key.startswith(prefix) for key in keys)
            ]
        else:
            name = row.kind.partition(":")[2]
            when = f"{row.updated_at:%Y-%m-%d %H:%M} UTC"
            lines.append(("data_flow_step", {"command": name, "when": when}))
    return lines


async def erase_flows(session: AsyncSession, user_id: int) -> int:
    """Delete the member's flows in progress (the running bot also drops them from memory)."""
    result = await session.execute(delete(FlowState).where(FlowState.user_id == user_id))
    return int(getattr(result, "rowcount", 0) or 0)


FLOW_DATA = PersonalData("data_kind_flows", describe_flows, erase_flows)


async def describe_ask(session: AsyncSession, member_id: int) -> list[Fact]:
    """What /mydata shows of a member's conversations with the admins."""
    lines: list[Fact] = []
    thread = await session.get(AskThread, member_id)
    if thread is not None:
        opened = f"{thread.opened_at:%Y-%m-%d %H:%M} UTC"
        closed = f"{thread.closed_at:%Y-%m-%d %H:%M} UTC" if thread.closed_at else ""
        lines.append(("data_ask_thread", {"opened": opened, "closed": closed or "no"}))
    count = await session.scalar(
        select(func.count(AskMessage.id)).where(AskMessage.member_id == member_id)
    )
    if count:
        lines.append(("data_ask_messages", {"count": count}))
    blocked = await session.get(AskBlock, member_id)
    if blocked is not None:
        lines.append(("data_ask_blocked", {"since": f"{blocked.blocked_at:%Y-%m-%d %H:%M} UTC"}))
    return lines


async def erase_ask(session: AsyncSession, member_id: int) -> int:
    """Delete the member's conversation, relayed message ids and block; rows erased."""
    erased = 0
    for model in (AskMessage, AskThread, AskBlock):
        result = await session.execute(delete(model).where(model.member_id == member_id))
        erased += int(getattr(result, "rowcount", 0) or 0)
    return erased


# /ask: handlers.ask registers this (wrapped so that /forget also closes the member's topic).
ASK_DATA = PersonalData("data_kind_ask", describe_ask, erase_ask)


async def describe_all(
    session: AsyncSession, kinds: list[PersonalData], user_id: int
) -> dict[str, list[Fact]]:
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
