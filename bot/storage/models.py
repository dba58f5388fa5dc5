"""SQLAlchemy 2 typed models. Store only what a feature needs: ids, times, states."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    Time,
    TypeDecorator,
    UniqueConstraint,
    true,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime on every database (SQLite forgets the zone otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Refuse naive times; store UTC."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use an aware one")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Give back an aware UTC time."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Base of every table."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime()}  # noqa: RUF012


class Chat(Base):
    """A chat the bot has seen: its id and type, never its title or messages."""

    __tablename__ = "chats"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    type: Mapped[str] = mapped_column(String(16))
    first_seen: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(default=utcnow)


class Member(Base):
    """A member the bot has seen: Telegram id and when. No names, no message text.

    ``language`` is the member's own choice (/language), None to follow Telegram's. All of it
    is personal data: /mydata shows it and /forget erases it (bot.storage.privacy).
    """

    __tablename__ = "members"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    first_seen: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(default=utcnow)
    language: Mapped[str | None] = mapped_column(String(8))


class FaqUsage(Base):
    """One FAQ answer shown, for anonymous counts: topic, kind of chat, time. No user id."""

    __tablename__ = "faq_usage"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    topic_id: Mapped[str] = mapped_column(String(40), index=True)
    chat_type: Mapped[str] = mapped_column(String(16))
    used_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class Community(Base):
    """The community: its group, and whether newcomers get a welcome.

    ``chat_id`` is the group an admin set with /setup (it wins over COMMUNITY_CHAT_ID); empty,
    the setting decides. Nothing here concerns a member.
    """

    __tablename__ = "community"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False, default=1)
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    welcome_enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    set_by: Mapped[int | None] = mapped_column(BigInteger)
    set_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- Announcements


class Announcement(Base):
    """A post an admin lined up for the community group: once, or repeating by a crontab line.

    ``status``: scheduled, paused, sent, missed, failed or cancelled. ``last_run`` is the
    occurrence last claimed, so a restart never posts the same occurrence twice.
    """

    __tablename__ = "announcements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    thread_id: Mapped[int | None] = mapped_column(BigInteger)
    text_html: Mapped[str] = mapped_column(Text)
    # A photo, document or video sent with the text, by Telegram's file_id (reused each time).
    media_kind: Mapped[str | None] = mapped_column(String(8))
    media_file_id: Mapped[str | None] = mapped_column(String(255))
    pin: Mapped[bool] = mapped_column(Boolean, default=False)
    kind: Mapped[str] = mapped_column(String(8))
    run_at: Mapped[datetime | None] = mapped_column()
    cron: Mapped[str | None] = mapped_column(String(120))
    when_text: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(12), index=True)
    last_run: Mapped[datetime | None] = mapped_column()
    created_by: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PostState(Base):
    """Whether a recurring post from content/posts.yaml is paused, and its last occurrence."""

    __tablename__ = "post_states"

    post_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    last_run: Mapped[datetime | None] = mapped_column()
    updated_by: Mapped[int | None] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ScheduleChange(Base):
    """Who changed a schedule, what and when (None: the bot itself). Never the post's text."""

    __tablename__ = "schedule_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    target: Mapped[str] = mapped_column(String(48), index=True)
    action: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int | None] = mapped_column(BigInteger)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    detail: Mapped[str] = mapped_column(String(200), default="")


# --- Community: feed and members


class FeedState(Base):
    """One polled feed: its validators (ETag, Last-Modified) and when to poll it next."""

    __tablename__ = "feed_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    url: Mapped[str] = mapped_column(String(1000), unique=True)
    etag: Mapped[str | None] = mapped_column(String(300))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    next_poll_at: Mapped[datetime | None]
    last_polled_at: Mapped[datetime | None]


class FeedEntry(Base):
    """An article the bot has seen in a feed: posted, pending for the digest, or skipped."""

    __tablename__ = "feed_entries"
    __table_args__ = (UniqueConstraint("feed_id", "entry_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("feed_state.id", ondelete="CASCADE"))
    # SHA-256 of the entry id (or link when it has none), and of the link: either recognises it.
    entry_key: Mapped[str] = mapped_column(String(64))
    link_key: Mapped[str | None] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(300), default="")
    link: Mapped[str] = mapped_column(String(1000), default="")
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    posted_at: Mapped[datetime | None]


class MemberEvent(Base):
    """A member joined or left the community group: their Telegram id and the time, only."""

    __tablename__ = "member_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(BigInteger, index=True)
    kind: Mapped[str] = mapped_column(String(8))
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class WelcomeMessage(Base):
    """A group welcome the bot posted and has not deleted yet, so a restart still tidies it.

    It goes at ``delete_at`` (WELCOME_DELETE_MINUTES), or, when that is empty, when the next
    welcome replaces it. Only chat and message ids: never the names it greeted.
    """

    __tablename__ = "welcome_messages"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    message_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    delete_at: Mapped[datetime | None]


# --- Daily tips ------------------------------------------------------------------------------


class Subscription(Base):
    """A member's daily tip: the local time and zone they chose, and when the next one is due.

    ``language`` is the language the tips come in (the member's when they subscribed or last
    chose one). Shown by /mydata and erased by /forget with the rest (bot.storage.privacy).
    """

    __tablename__ = "subscriptions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    member_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    status: Mapped[str] = mapped_column(String(8))  # active, paused, ended
    local_time: Mapped[time] = mapped_column(Time)
    time_zone: Mapped[str] = mapped_column(String(64))
    # The delivery job reads only this index: rows due now, never the whole table.
    next_due_utc: Mapped[datetime | None] = mapped_column(index=True)
    paused_until: Mapped[datetime | None]
    language: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SubscriptionEvent(Base):
    """Append-only log of subscription changes. The member id is blanked by /forget."""

    __tablename__ = "subscription_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    member_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    kind: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(24))  # the command, or "system"
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class TipDelivery(Base):
    """One member's tip for one local date: claimed, then sent (or missed, blocked, failed)."""

    __tablename__ = "tip_deliveries"
    # The guard of exactly-once delivery: a second claim of the same day cannot be inserted.
    __table_args__ = (UniqueConstraint("subscription_id", "local_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("subscriptions.id", ondelete="CASCADE")
    )
    local_date: Mapped[date] = mapped_column(Date)
    tip_id: Mapped[str] = mapped_column(String(40))
    # sending, sent, retry, missed, blocked, failed
    status: Mapped[str] = mapped_column(String(8))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    due_at: Mapped[datetime] = mapped_column(index=True)
    sent_at: Mapped[datetime | None]
    # Set only while a retry is waiting, so the job finds retries through this index.
    retry_at: Mapped[datetime | None] = mapped_column(index=True)


# --- /ask: members writing to the admins -----------------------------------------------------


class AskThread(Base):
    """Where a member's /ask conversation lives in ADMIN_CHAT_ID: a forum topic or a header.

    Ids and times only, never names or text. Personal data: registered in
    ``bot.storage.privacy`` (ASK_DATA), so /mydata shows it and /forget erases it.
    """

    __tablename__ = "ask_threads"

    member_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    topic_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    header_message_id: Mapped[int | None] = mapped_column(BigInteger)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column()


class AskMessage(Base):
    """One message relayed between a member and the admins: ids and time, never its content.

    ``direction`` is ``in`` (member to admins; counts towards ASK_LIMIT_PER_HOUR) or ``out``.
    ``admin_message_id`` is the message in the admins' chat that a reply can point to.
    Personal data: registered in ``bot.storage.privacy`` (ASK_DATA).
    """

    __tablename__ = "ask_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    member_id: Mapped[int] = mapped_column(BigInteger, index=True)
    admin_chat_id: Mapped[int] = mapped_column(BigInteger)
    admin_message_id: Mapped[int] = mapped_column(BigInteger)
    direction: Mapped[str] = mapped_column(String(3))
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class AskBlock(Base):
    """A member the admins blocked from /ask: who blocked, when, and when they were told.

    Personal data: registered in ``bot.storage.privacy`` (ASK_DATA).
    """

    __tablename__ = "ask_blocks"

    member_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    blocked_by: Mapped[int | None] = mapped_column(BigInteger)
    blocked_at: Mapped[datetime] = mapped_column(default=utcnow)
    told_at: Mapped[datetime | None] = mapped_column()


class RoleLease(Base):
    """The last heartbeat of the process holding the role (bot.runtime.lease), PostgreSQL only.

    One row (id 1). The role itself is an advisory lock; this row tells a process that has
    just taken it how recently the previous holder was alive, so it waits only as long as
    that holder may still be stopping. ``holder`` names a process (``fibrobot:<pid>``);
    nothing here concerns a member.
    """

    __tablename__ = "role_lease"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    holder: Mapped[str | None] = mapped_column(String(40))
    heartbeat_at: Mapped[datetime | None]


# --- Running: flows in progress and the webhook secret ---------------------------------------


class FlowState(Base):
    """A flow in progress, so a restart or a takeover resumes it at the same step.

    ``kind`` is ``conversation:<name>`` (``data`` is the step, ``key`` the conversation key) or
    ``user`` (``data`` holds the flow's own fields: an announcement draft's text, the question a
    member is asked). Personal data: registered in ``bot.storage.privacy`` (``FLOW_DATA``), so
    ``/mydata`` shows it and ``/forget`` erases it.
    """

    __tablename__ = "flow_states"

    kind: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    data: Mapped[str] = mapped_column(Text)  # JSON
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class BotSecret(Base):
    """A value the bot generates once and every process shares (the webhook's secret token)."""

    __tablename__ = "bot_secrets"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(256))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
