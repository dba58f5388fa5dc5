"""Personal data: each feature says what it stores about a member and how to erase it.

``/mydata`` shows everything listed here and ``/forget`` erases it, so a feature that stores
a member's id must register itself (see ``handlers.tracking.register``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Member

# One line of /mydata: a text key (content/<language>/texts.ftl) and the fields it shows, so
# each member reads what is stored about them in their own language.
Fact = tuple[str, dict[str, object]]
Describe = Callable[[AsyncSession, int], Awaitable[list[Fact]]]
Erase = Callable[[AsyncSession, int], Awaitable[int]]


@dataclass(frozen=True)
class PersonalData:
    """One kind of data kept about a member: how to show it and how to erase it.

    ``name`` is the text key naming the kind (``data_kind_member``).
    """

    name: str
    describe: Describe
    erase: Erase


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


async def describe_all(
    session: AsyncSession, kinds: list[PersonalData], user_id: int
) -> dict[str, list[Fact]]:
    """Everything stored about a member, by kind; kinds with nothing stored are left out."""
    found = {kind.name: await kind.describe(session, user_id) for kind in kinds}
    return {name: lines for name, lines in found.items() if lines}


async def erase_all(session: AsyncSession, kinds: list[PersonalData], user_id: int) -> int:
    """Erase everything stored about a member, in the caller's transaction; rows erased."""
    # Later kinds may refer to earlier ones (deliveries to subscriptions): erase in reverse.
    return sum([await kind.erase(session, user_id) for kind in reversed(kinds)])
