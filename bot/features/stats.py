"""Community statistics for admins: small queries into one report, as text and as a chart."""

from __future__ import annotations

import html
import io
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.features import delivery
from bot.features import subscriptions as subs
from bot.features.content import Content
from bot.features.members import JOIN, LEAVE
from bot.features.text import escape
from bot.storage.models import (
    FaqUsage,
    MemberEvent,
    ScheduleChange,
    Subscription,
    SubscriptionEvent,
    TipDelivery,
)

DAYS = 30
TOP_FAQ = 5


@dataclass(frozen=True)
class Day:
    """One day of the chart, in the community's time zone."""

    day: date
    joined: int
    left: int
    faq: int


@dataclass(frozen=True)
class StatsReport:
    """Everything /stats and `fibrobot stats` show."""

    generated_at: datetime
    joined_7: int
    joined_30: int
    left_7: int
    left_30: int
    subscribers: int
    subscribers_change_30: int
    tips_7: int
    tips_30: int
    announcements_7: int
    announcements_30: int
    top_faq: list[tuple[str, int]]
    days: list[Day]


# --- Queries on this branch's tables -------------------------------------------------------


async def count_events(session: AsyncSession, kind: str, since: datetime) -> int:
    """How many joins (or leaves) were logged since ``since``."""
    query = select(func.count()).where(MemberEvent.kind == kind, MemberEvent.at >= since)
    return int(await session.scalar(query) or 0)


async def top_faq_topics(
    session: AsyncSession, since: datetime, limit: int = TOP_FAQ
) -> list[tuple[str, int]]:
    """The most read FAQ topics since ``since``, most read first."""
    count = func.count().label("uses")
    rows = await session.execute(
        select(FaqUsage.topic_id, count)
        .where(FaqUsage.used_at >= since)
        .group_by(FaqUsage.topic_id)
        .order_by(count.desc(), FaqUsage.topic_id)
        .limit(limit)
    )
    return [(topic, int(uses)) for topic, uses in rows]


async def daily_counts(
    session: AsyncSession, now: datetime, zone: ZoneInfo, days: int = DAYS
) -> list[Day]:
    """Joins, leaves and FAQ answers per local day, for the last ``days`` days."""
    today = now.astimezone(zone).date()
    first = today - timedelta(days=days - 1)
    since = datetime.combine(first, datetime.min.time(), zone)
    events = await session.execute(
        select(MemberEvent.kind, MemberEvent.at).where(MemberEvent.at >= since)
    )
    per_kind: dict[str, Counter[date]] = {JOIN: Counter(), LEAVE: Counter()}
    for kind, at in events:
        per_kind.setdefault(kind, Counter())[at.astimezone(zone).date()] += 1
    faq = Counter(
        used.astimezone(zone).date()
        for used in await session.scalars(
            select(FaqUsage.used_at).where(FaqUsage.used_at >= since)
        )
    )
    return [
        Day(d, per_kind[JOIN][d], per_kind[LEAVE][d], faq[d])
        for d in (first + timedelta(days=n) for n in range(days))
    ]


# --- Queries for the tips feature (branch tips): wired by the lead after merging ----------


async def active_subscribers(session: AsyncSession) -> int:
    """Members whose daily tips are on now (paused ones included: they resume by themselves)."""
    query = select(func.count()).where(Subscription.status.in_((subs.ACTIVE, subs.PAUSED)))
    return int(await session.scalar(query) or 0)


async def subscribers_change(session: AsyncSession, since: datetime) -> int:
    """New subscriptions minus endings (unsubscribed, blocked, erased) since ``since``.

    Counted from the append-only event log, so a member who unsubscribed and then erased
    their data counts as two endings: the figure is a close estimate, not a ledger.
    """
    rows = await session.execute(
        select(SubscriptionEvent.kind, func.count())
        .where(SubscriptionEvent.at >= since)
        .group_by(SubscriptionEvent.kind)
    )
    counts = {kind: int(count) for kind, count in rows}
    endings = (subs.UNSUBSCRIBED, subs.BLOCKED, subs.FORGOTTEN)
    return counts.get(subs.SUBSCRIBED, 0) - sum(counts.get(kind, 0) for kind in endings)


async def tips_delivered(session: AsyncSession, since: datetime) -> int:
    """Tips Telegram accepted since ``since``."""
    query = select(func.count()).where(
        TipDelivery.status == delivery.SENT, TipDelivery.sent_at >= since
    )
    return int(await session.scalar(query) or 0)


async def announcements_posted(session: AsyncSession, since: datetime) -> int:
    """Announcements posted since ``since``: occurrences sent, less those Telegram refused.

    bot.features.announcements logs "sent" when it claims an occurrence (before sending) and
    "failed" when Telegram then refuses it; recurring posts from posts.yaml are not logged.
    """
    rows = await session.execute(
        select(ScheduleChange.action, func.count())
        .where(
            ScheduleChange.at >= since,
            ScheduleChange.target.startswith("#"),
            ScheduleChange.action.in_(("sent", "failed")),
        )
        .group_by(ScheduleChange.action)
    )
    counts = {action: int(count) for action, count in rows}
    return max(0, counts.get("sent", 0) - counts.get("failed", 0))


# --- The report ----------------------------------------------------------------------------


async def build_report(session: AsyncSession, now: datetime, zone: ZoneInfo) -> StatsReport:
    """Every figure of the report, read in the caller's session."""
    week, month = now - timedelta(days=7), now - timedelta(days=DAYS)
    return StatsReport(
        generated_at=now,
        joined_7=await count_events(session, JOIN, week),
        joined_30=await count_events(session, JOIN, month),
        left_7=await count_events(session, LEAVE, week),
        left_30=await count_events(session, LEAVE, month),
        subscribers=await active_subscribers(session),
        subscribers_change_30=await subscribers_change(session, month),
        tips_7=await tips_delivered(session, week),
        tips_30=await tips_delivered(session, month),
        announcements_7=await announcements_posted(session, week),
        announcements_30=await announcements_posted(session, month),
        top_faq=await top_faq_topics(session, month),
        days=await daily_counts(session, now, zone),
    )


def pair(content: Content, week: int, month: int) -> str:
    """Figures for 7 and 30 days."""
    return content.text("stats_pair", week=week, month=month)


def subscribers_line(content: Content, report: StatsReport) -> str:
    """Subscribers now and their change over 30 days."""
    change = f"{report.subscribers_change_30:+d}"
    return content.text("stats_subscribers", count=report.subscribers, change=change)


def faq_lines(content: Content, report: StatsReport) -> str:
    """The top FAQ topics, by their titles."""
    if not report.top_faq:
        return content.text("stats_no_faq")
    lines = []
    for topic, uses in report.top_faq:
        entry = content.faq_entry(topic)
        title = escape(entry.title if entry else topic)
        lines.append(content.text("stats_faq_line", title=title, count=uses))
    return "\n".join(lines)


def report_text(content: Content, report: StatsReport, zone: ZoneInfo) -> str:
    """The report as an HTML message."""
    return content.text(
        "stats_report",
        date=f"{report.generated_at.astimezone(zone):%Y-%m-%d %H:%M}",
        joined_7=report.joined_7,
        joined_30=report.joined_30,
        left_7=report.left_7,
        left_30=report.left_30,
        subscribers=subscribers_line(content, report),
        tips=pair(content, report.tips_7, report.tips_30),
        announcements=pair(content, report.announcements_7, report.announcements_30),
        top_faq=faq_lines(content, report),
    )


def plain(text: str) -> str:
    """An HTML message as plain text for the terminal."""
    return html.unescape(re.sub(r"<[^>]+>", "", text))


# --- The chart -----------------------------------------------------------------------------


def render_chart(content: Content, report: StatsReport) -> bytes:
    """A PNG of the last 30 days: joins and leaves as bars, FAQ answers as a line."""
    # Imported here: matplotlib is slow to import and only /stats needs it. The Figure API
    # with the Agg canvas keeps no global state, so it is safe in a worker thread.
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: PLC0415
    from matplotlib.figure import Figure  # noqa: PLC0415
    from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: PLC0415

    fig = Figure(figsize=(8, 4), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.add_subplot()
    x = list(range(len(report.days)))
    joined = [d.joined for d in report.days]
    left = [-d.left for d in report.days]
    axes.bar(x, joined, color="#6a8caf", label=content.text("stats_chart_joined"))
    axes.bar(x, left, color="#c9a0a0", label=content.text("stats_chart_left"))
    axes.axhline(0, color="#888888", linewidth=0.8)
    # At least one person each way, so a quiet month shows whole numbers, not 0.045.
    axes.set_ylim(min(-1, *left) * 1.1, max(1, *joined) * 1.1)
    axes.set_xticks(x[::5], [f"{d.day:%d %b}" for d in report.days[::5]])
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    # Leaves are drawn below the line; their ticks still read as counts.
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: f"{abs(value):g}"))
    faq_axes = axes.twinx()
    faq_line = [d.faq for d in report.days]
    faq_axes.plot(x, faq_line, color="#8e6fb5", marker=".", label=content.text("stats_chart_faq"))
    faq_axes.set_ylim(0, max(1, *faq_line) * 1.1)
    faq_axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_title(content.text("stats_chart_title"))
    fig.legend(loc="outside lower center", ncols=3, frameon=False, fontsize="small")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()
