"""The minute job that sends the daily tips: claim what is due, send, record each outcome.

Exactly once, through crashes and restarts:

1. **Claim**, in one transaction: take the subscriptions due now from the ``next_due_utc``
   index (``FOR UPDATE SKIP LOCKED`` on PostgreSQL), insert one ``tip_deliveries`` row per
   subscription and local date with status ``sending`` (the unique constraint on
   ``(subscription_id, local_date)`` refuses a second claim of the same day), and move
   ``next_due_utc`` to the next local date. Commit.
2. **Send** the claimed batch through PTB's ``AIORateLimiter`` (which retries RetryAfter).
3. **Record** each outcome in one transaction: ``sent``, ``blocked`` (the subscription ends
   with a ``blocked`` event), ``retry`` (network error or 5xx: tried again with backoff) or
   ``failed`` (gave up, logged).

A ``kill -9`` between 1 and 3 leaves rows in ``sending``. At start-up they are the only
messages whose fate is unknown, and they are sent again (at-least-once for them; nothing is
ever lost). The next batch is claimed while the current one is sent, so at most two batches
are in ``sending`` and at most one of them was on the wire: a crash duplicates at most one
batch, which is one second of messages at the rate limit (at most 100). One bot process per
database.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot, InlineKeyboardMarkup
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.warnings import PTBDeprecationWarning

from bot.features import cadence
from bot.features import subscriptions as subs
from bot.features.tips import Tip, tip_of_day
from bot.storage.models import Subscription, TipDelivery

log = logging.getLogger(__name__)

SENDING, SENT, RETRY, MISSED, BLOCKED, FAILED = (
    "sending", "sent", "retry", "missed", "blocked", "failed",
)  # fmt: skip
JOB_NAME = "tips-delivery"
# Safety bound on one run: batches per run (a run ends as soon as nothing is due).
MAX_BATCHES = 100_000

# A tip as a message in a language (None: the community's).
Compose = Callable[[Tip, str | None], tuple[str, InlineKeyboardMarkup | None]]


@dataclass(frozen=True)
class Policy:
    """How the job delivers: batch size, lateness allowed, retries."""

    grace: timedelta = timedelta(hours=3)
    batch: int = 30
    max_attempts: int = 6
    first_backoff: timedelta = timedelta(minutes=1)
    max_backoff: timedelta = timedelta(minutes=30)
    # How often the job runs: what falls due before its next run is taken now (see cadence).
    tick: timedelta = timedelta(minutes=1)

    def backoff(self, attempts: int) -> timedelta:
        """Wait before the next attempt: 1, 2, 4... minutes, capped."""
        return min(self.first_backoff * 2 ** max(attempts - 1, 0), self.max_backoff)


@dataclass(frozen=True)
class Claim:
    """One tip claimed for sending."""

    delivery_id: int
    member_id: int
    tip_id: str
    local_date: date
    attempts: int
    due_at: datetime
    language: str | None = None  # the subscription's; None: the community's


@dataclass(frozen=True)
class Outcome:
    """What happened when one claimed tip was sent."""

    claim: Claim
    status: str  # sent, blocked, retry, failed
    retry_after: float | None = None


@dataclass
class Report:
    """Counts of one job run, for the log and the tests."""

    counts: dict[str, int] = field(default_factory=dict)
    taken: int = 0  # rows the last claim took, sent or not (missed, given up)

    def add(self, status: str, n: int = 1) -> None:
        """Count ``n`` deliveries ending in ``status``."""
        self.counts[status] = self.counts.get(status, 0) + n


# --- Claim ----------------------------------------------------------------------------------


def _insert(session: AsyncSession) -> Any:
    dialect = session.get_bind().dialect.name
    return pg_insert if dialect == "postgresql" else sqlite_insert


async def claim_due(
    session: AsyncSession, tips: Sequence[Tip], now: datetime, policy: Policy, report: Report
) -> list[Claim]:
    """Claim the subscriptions due now (at most one batch); advance their next due moment."""
    rows = await session.execute(
        select(
            Subscription.id,
            Subscription.member_id,
            Subscription.status,
            Subscription.local_time,
            Subscription.time_zone,
            Subscription.next_due_utc,
            Subscription.language,
        )
        .where(Subscription.next_due_utc <= cadence.due_by(now, policy.tick))
        .order_by(Subscription.next_due_utc)
        .limit(policy.batch)
        .with_for_update(skip_locked=True)
    )
    values, advances, by_sub = [], [], {}
    tip_ids = TipIds(tips)
    for row in rows.all():
        report.taken += 1
        planned: dict[str, Any] | None
        if row.status == subs.ACTIVE:
            planned, next_due = plan(row, tip_ids, now, policy)
            advances.append({"id": row.id, "next_due_utc": next_due})
        else:  # rare: a pause that ran out, or a subscription that ended
            planned = await _plan_inactive(session, row.id, tip_ids, now, policy)
        if planned is not None:
            values.append(planned)
            by_sub[row.id] = (row.member_id, row.language)
    if advances:
        await session.execute(update(Subscription), advances)  # by primary key, executemany
    if not values:
        return []
    # One cached statement, executed for many rows (insertmanyvalues), not one per batch.
    inserted = await session.execute(
        _insert(session)(TipDelivery)
        .on_conflict_do_nothing(index_elements=["subscription_id", "local_date"])
        .returning(
            TipDelivery.id,
            TipDelivery.subscription_id,
            TipDelivery.tip_id,
            TipDelivery.local_date,
            TipDelivery.status,
            TipDelivery.due_at,
        ),
        values,
    )
    claims = []
    for row in inserted.all():
        report.add("claimed" if row.status == SENDING else row.status)
        if row.status == SENDING:
            member, language = by_sub[row.subscription_id]
            claims.append(
                Claim(row.id, member, row.tip_id, row.local_date, 1, row.due_at, language)
            )
    return claims


class TipIds:
    """The tip of the day by date, remembered for one claim (a batch shares a date or two)."""

    def __init__(self, tips: Sequence[Tip]) -> None:
        self.tips = tips
        self.by_day: dict[date, str] = {}

    def of(self, day: date) -> str:
        """The id of the tip of ``day``."""
        if day not in self.by_day:
            self.by_day[day] = tip_of_day(self.tips, day).id
        return self.by_day[day]


def plan(
    sub: Any, tip_ids: TipIds, now: datetime, policy: Policy
) -> tuple[dict[str, Any], datetime]:
    """The delivery row of a due subscription, and its next due moment (the next local date)."""
    due = sub.next_due_utc
    day = subs.local_date(due, sub.time_zone)
    next_due, _ = subs.next_due(
        sub.local_time, sub.time_zone, now, not_before=day + timedelta(days=1)
    )
    late = now - due > policy.grace
    row = {
        "subscription_id": sub.id,
        "local_date": day,
        "tip_id": tip_ids.of(day),
        "status": MISSED if late else SENDING,
        "attempts": 0 if late else 1,
        "due_at": due,
    }
    return row, next_due


async def _plan_inactive(
    session: AsyncSession, sub_id: int, tip_ids: TipIds, now: datetime, policy: Policy
) -> dict[str, Any] | None:
    """A due subscription that is paused or ended: skip it, or resume it when the pause is over."""
    sub = await session.get(Subscription, sub_id)
    assert sub is not None  # locked by the claim
    if sub.status == subs.ENDED:
        sub.next_due_utc = None
        return None
    if sub.paused_until is not None and sub.paused_until > now:
        await subs.reschedule(session, sub, now)
        return None
    # The pause ran out: the flare-up pause ends by itself.
    sub.status, sub.paused_until, sub.updated_at = subs.ACTIVE, None, now
    subs.log_event(session, sub.member_id, subs.RESUMED, subs.SYSTEM, now)
    row, sub.next_due_utc = plan(sub, tip_ids, now, policy)
    return row


async def claim_retries(
    session: AsyncSession, now: datetime, policy: Policy, report: Report
) -> list[Claim]:
    """Claim deliveries whose retry time has come; give up on those too late or tried enough."""
    rows = await session.execute(
        select(TipDelivery, Subscription.member_id, Subscription.status, Subscription.language)
        .join(Subscription, Subscription.id == TipDelivery.subscription_id)
        .where(TipDelivery.retry_at <= cadence.due_by(now, policy.tick))
        .order_by(TipDelivery.retry_at)
        .limit(policy.batch)
        .with_for_update(skip_locked=True, of=TipDelivery)
    )
    claims = []
    for delivery, member_id, status, language in rows:
        report.taken += 1
        delivery.retry_at = None
        if status != subs.ACTIVE or now - delivery.due_at > policy.grace:
            # Unsubscribed or paused since, or a retry would come at an unexpected hour.
            delivery.status = MISSED if status != subs.ACTIVE else FAILED
            log.warning("Tip delivery %s given up: %s", delivery.id, delivery.status)
            report.add(delivery.status)
            continue
        delivery.status, delivery.attempts = SENDING, delivery.attempts + 1
        claims.append(
            Claim(
                delivery.id,
                member_id,
                delivery.tip_id,
                delivery.local_date,
                delivery.attempts,
                delivery.due_at,
                language,
            )
        )
    return claims


async def recover_interrupted(session: AsyncSession, now: datetime) -> int:
    """At start-up: rows left in ``sending`` by a crash are sent again; how many there were."""
    result = await session.execute(
        update(TipDelivery).where(TipDelivery.status == SENDING).values(status=RETRY, retry_at=now)
    )
    return int(getattr(result, "rowcount", 0) or 0)


# --- Send -----------------------------------------------------------------------------------


def find_tip(tips: Sequence[Tip], claim: Claim) -> Tip:
    """The claimed tip; today's tip if it was removed from the content since the claim."""
    found = next((tip for tip in tips if tip.id == claim.tip_id), None)
    return found if found is not None else tip_of_day(tips, claim.local_date)


async def send_one(bot: Bot, claim: Claim, tips: Sequence[Tip], compose: Compose) -> Outcome:
    """Send one tip; Telegram's expected errors become outcomes, never exceptions."""
    text, markup = compose(find_tip(tips, claim), claim.language)
    try:
        await bot.send_message(claim.member_id, text, reply_markup=markup)
    except (Forbidden, ChatMigrated, RetryAfter, NetworkError) as exc:
        return outcome_of_error(claim, exc)
    return Outcome(claim, SENT)


def outcome_of_error(claim: Claim, exc: TelegramError) -> Outcome:
    """What a Telegram error means for one tip (BadRequest and TimedOut are NetworkErrors)."""
    if isinstance(exc, Forbidden):
        return Outcome(claim, BLOCKED)  # blocked, or the account is deactivated
    if isinstance(exc, RetryAfter):
        # Still flooded after the rate limiter's own retries: try again later.
        with warnings.catch_warnings():  # PTB 22 warns that it will become a timedelta
            warnings.simplefilter("ignore", PTBDeprecationWarning)
            retry_after = exc.retry_after
        seconds = (
            retry_after.total_seconds() if isinstance(retry_after, timedelta) else retry_after
        )
        return Outcome(claim, RETRY, float(seconds))
    if isinstance(exc, BadRequest) and "chat not found" in str(exc).lower():
        return Outcome(claim, BLOCKED)  # the account is gone
    if isinstance(exc, (BadRequest, ChatMigrated)):
        # Tips go to private chats, which never migrate; a refused message is our bug.
        log.error("Tip delivery %s refused: %s", claim.delivery_id, type(exc).__name__)
        return Outcome(claim, FAILED)
    log.warning("Tip delivery %s: %s; will retry", claim.delivery_id, exc)
    return Outcome(claim, RETRY)  # network errors, timeouts and 5xx answers


# --- Record ---------------------------------------------------------------------------------


async def record_outcomes(
    session: AsyncSession, outcomes: Sequence[Outcome], now: datetime, policy: Policy
) -> None:
    """Write what happened to each claimed tip, in the caller's transaction."""
    sent = [o.claim.delivery_id for o in outcomes if o.status == SENT]
    if sent:
        await session.execute(
            update(TipDelivery)
            .where(TipDelivery.id.in_(sent))
            .values(status=SENT, sent_at=now, retry_at=None)
        )
    for outcome in outcomes:
        if outcome.status == BLOCKED:
            await _blocked(session, outcome.claim, now)
        elif outcome.status == RETRY:
            await _retry(session, outcome, now, policy)
        elif outcome.status == FAILED:
            await _set(session, outcome.claim.delivery_id, status=FAILED, retry_at=None)


async def _set(session: AsyncSession, delivery_id: int, **values: Any) -> None:
    await session.execute(update(TipDelivery).where(TipDelivery.id == delivery_id).values(values))


async def _blocked(session: AsyncSession, claim: Claim, now: datetime) -> None:
    """The member blocked the bot or the account is gone: end the subscription."""
    await _set(session, claim.delivery_id, status=BLOCKED, retry_at=None)
    sub = await subs.get_subscription(session, claim.member_id)
    if sub is not None and sub.status != subs.ENDED:
        await subs.end(session, sub, subs.BLOCKED, now, subs.SYSTEM)
        log.info("Subscription %s ended: the member blocked the bot", sub.id)


async def _retry(session: AsyncSession, outcome: Outcome, now: datetime, policy: Policy) -> None:
    """Schedule another attempt with backoff, or give up when tried enough or too late."""
    claim = outcome.claim
    wait = policy.backoff(claim.attempts)
    if outcome.retry_after is not None:
        wait = max(wait, timedelta(seconds=outcome.retry_after))
    if claim.attempts >= policy.max_attempts or now + wait - claim.due_at > policy.grace:
        log.warning("Tip delivery %s failed after %s attempts", claim.delivery_id, claim.attempts)
        await _set(session, claim.delivery_id, status=FAILED, retry_at=None)
        return
    await _set(session, claim.delivery_id, status=RETRY, retry_at=now + wait)


# --- The job --------------------------------------------------------------------------------


async def deliver_due(
    *,
    transaction: Callable[[], AbstractAsyncContextManager[AsyncSession]],
    clock: Callable[[], datetime],
    bot: Bot,
    tips: Sequence[Tip],
    compose: Compose,
    policy: Policy,
    keep_going: Callable[[], bool] = lambda: True,
) -> Report:
    """Send every tip due now, batch by batch: claim, send, record.

    The database work stays off the sending path: while one batch is on the wire, the batch
    before it is recorded and then the next one is claimed, so the wire never waits for the
    database. At most two batches are ever in ``sending``: the one on the wire and either the
    one just sent (until it is recorded) or the next one claimed (after). ``keep_going`` is
    asked before each claim: a shutdown waits for the batches already claimed.
    """
    report = Report()

    async def claim() -> list[Claim] | None:
        if not keep_going():
            return None
        return await claim_batch(transaction, clock(), tips, policy, report)

    async def record(outcomes: Sequence[Outcome]) -> None:
        if not outcomes:
            return
        async with transaction() as session:
            await record_outcomes(session, outcomes, clock(), policy)
        for outcome in outcomes:
            report.add(outcome.status)

    batch = await claim()
    sent: Sequence[Outcome] = ()  # on the wire before, not recorded yet
    for _ in range(MAX_BATCHES):
        if batch is None:
            break
        sending = asyncio.gather(*(send_one(bot, c, tips, compose) for c in batch))
        try:
            await record(sent)
            sent = ()
            batch = await claim()
        except BaseException:
            await record([*sent, *await sending])  # what went out is never left unrecorded
            raise
        sent = await sending
    await record(sent)
    return report


async def claim_batch(
    transaction: Callable[[], AbstractAsyncContextManager[AsyncSession]],
    now: datetime,
    tips: Sequence[Tip],
    policy: Policy,
    report: Report,
) -> list[Claim] | None:
    """Claim retries and due tips in one transaction; None when nothing was due any more."""
    report.taken = 0
    async with transaction() as session:
        claims = await claim_retries(session, now, policy, report)
        claims += await claim_due(session, tips, now, policy, report)
    return claims if report.taken else None
