"""``fibrobot doctor`` and ``/doctor``: check the set-up and say how to fix what is wrong.

Each check gives one line: ✓ or ✗, what it found, and the fix in one sentence. A failed
required check makes ``fibrobot doctor`` exit 1; warnings (marked "warning") do not.
The Bot API facts come from https://core.telegram.org/bots/api: ``getMe``
(``can_read_all_group_messages`` is False while privacy mode is on), ``getWebhookInfo``
(``url``, ``pending_update_count``, ``last_error_message``), ``getChat`` and
``getChatMember`` (an administrator's ``can_pin_messages``, ``can_delete_messages``,
``can_manage_topics``). Bots receive ``chat_member`` updates only where they are
administrators (Bot API, ChatMemberUpdated).
"""

from __future__ import annotations

import asyncio
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from telegram import Bot, ChatFullInfo, ChatMember, User
from telegram.constants import ChatMemberStatus
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    TelegramError,
)

from bot.config import Settings
from bot.features.community import community_chat_id
from bot.features.content import ContentError
from bot.features.feed import FeedError, fetch, parse
from bot.features.languages import load_catalog
from bot.runtime.lease import FileLease, Timing, lease_for
from bot.runtime.metrics import Role
from bot.storage import db

OK, FAIL, WARN = "ok", "fail", "warning"
# Updates waiting for the bot; more than this after a restart means it was down a while.
PENDING_WARNING = 100
DB_TIMEOUT = 10  # seconds to wait for a PostgreSQL server
FREE_ROLE = "active: no other process holds the role"
ADMIN_STATUSES = (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)


@dataclass(frozen=True)
class Check:
    """The result of one check: status (ok, fail or warning), what was found, the fix."""

    name: str
    status: str
    found: str
    fix: str = ""

    @property
    def line(self) -> str:
        """``✓ name: found`` or ``✗ name: found. Fix: ...``."""
        mark = "✓" if self.status == OK else "✗"
        warning = " (warning)" if self.status == WARN else ""
        fix = f" Fix: {self.fix}" if self.fix and self.status != OK else ""
        return f"{mark} {self.name}{warning}: {self.found}.{fix}"


def ok(name: str, found: str) -> Check:
    """A passed check."""
    return Check(name, OK, found)


def fail(name: str, found: str, fix: str) -> Check:
    """A failed required check."""
    return Check(name, FAIL, found, fix)


def warn(name: str, found: str, fix: str) -> Check:
    """Something to look at, which does not stop the bot."""
    return Check(name, WARN, found, fix)


def failed(checks: list[Check]) -> bool:
    """True when a required check failed (exit 1)."""
    return any(check.status == FAIL for check in checks)


@dataclass
class Doctor:
    """Runs every check against one set of settings and one Bot API client."""

    settings: Settings
    bot: Bot | None  # None: no token
    role: Role | None  # None: probe the lease (``fibrobot doctor``, another process)
    checks: list[Check] = field(default_factory=list)

    async def run(self) -> list[Check]:
        """Every check, in the order a volunteer would fix them."""
        me = await self._token()
        if me is not None and self.bot is not None:
            self.checks.append(privacy(me))
            self.checks.append(await webhook(self.bot, self.settings))
        group = await self._database()
        if me is not None and self.bot is not None:
            await self._group(self.bot, me, group)
            self._privacy_as_admin()
        self.checks.append(await asyncio.to_thread(content, self.settings))
        self.checks.append(await feed(self.settings))
        self.checks.append(time_zone(self.settings))
        self.checks.append(role(self.role) if self.role is not None else await self._probe())
        return self.checks

    async def _probe(self) -> Check:
        """The role a ``fibrobot run`` started now would take; unknown without a database."""
        if any(check.name == "database" and check.status == FAIL for check in self.checks):
            return warn(
                "role",
                "unknown: the role is held through the database, which is not usable",
                "fix the database first.",
            )
        return await probe_role(self.settings)

    def _privacy_as_admin(self) -> None:
        """Privacy mode does not hide anything from an administrator: then it is fine."""
        names = {check.name: index for index, check in enumerate(self.checks)}
        if "bot is admin" not in names or "privacy mode" not in names:
            return
        index = names["privacy mode"]
        is_admin = self.checks[names["bot is admin"]].status == OK
        if is_admin and self.checks[index].status == WARN:
            self.checks[index] = ok(
                "privacy mode", "on, but the bot is an admin of the group, so it sees all"
            )

    async def _token(self) -> User | None:
        if self.bot is None:
            self.checks.append(
                fail(
                    "token",
                    "TELEGRAM_BOT_TOKEN is not set",
                    "get a token from @BotFather and put it in .env.",
                )
            )
            return None
        check, me = await token(self.bot, self.settings)
        self.checks.append(check)
        return me

    async def _database(self) -> int | None:
        """Check the database; return the community group it knows (/setup), if any."""
        check, migrated = await asyncio.to_thread(database, self.settings.database_url)
        self.checks.append(check)
        if not migrated:
            return self.settings.community_chat_id
        return await stored_group(self.settings)

    async def _group(self, bot: Bot, me: User, chat_id: int | None) -> None:
        check, chat = await group(bot, chat_id)
        self.checks.append(check)
        if chat is not None:
            self.checks.extend(await rights(bot, me, chat))


# --- Telegram ---------------------------------------------------------------------------------


async def token(bot: Bot, settings: Settings) -> tuple[Check, User | None]:
    """getMe: the token is accepted and the Bot API is reachable."""
    try:
        me = await bot.get_me()
    except InvalidToken:
        return (
            fail(
                "token",
                "Telegram refused TELEGRAM_BOT_TOKEN",
                "copy the token again from @BotFather (/mybots, API Token) into .env.",
            ),
            None,
        )
    except (BadRequest, Forbidden) as exc:
        return fail("token", f"getMe failed: {exc.message}", "check TELEGRAM_API_URL."), None
    except NetworkError as exc:
        return (
            fail(
                "token",
                f"cannot reach the Bot API at {settings.telegram_api_url} ({exc.message})",
                "check the internet connection, a proxy or firewall, and TELEGRAM_API_URL.",
            ),
            None,
        )
    return ok("token", f"the bot is @{me.username} (id {me.id})"), me


def privacy(me: User) -> Check:
    """Privacy mode: on, the bot sees only commands in groups where it is not an admin."""
    if me.can_read_all_group_messages:
        return ok("privacy mode", "off: the bot can read the group's plain messages")
    return warn(
        "privacy mode",
        "on: unless it is an admin, the bot sees only commands in the group, not plain questions",
        "make the bot an admin of the group, or in @BotFather use /setprivacy, Disable.",
    )


async def webhook(bot: Bot, settings: Settings) -> Check:
    """getWebhookInfo: no webhook left over, no error, no pile of waiting updates."""
    try:
        info = await bot.get_webhook_info()
    except TelegramError as exc:
        return fail("webhook", f"getWebhookInfo failed: {exc.message}", "try again later.")
    expected = getattr(settings, "webhook_url", None)  # webhook mode (issue 8), when set
    if info.url and info.url != expected:
        host = make_url_host(info.url)
        return fail(
            "webhook",
            f"a webhook is set (to {host}), so Telegram gives updates to it, not to polling",
            "stop whatever set it, then `fibrobot run` removes it (deleteWebhook) at start.",
        )
    if info.last_error_message:
        return warn(
            "webhook",
            f"Telegram's last delivery error: {info.last_error_message}",
            "check that the webhook address is reachable from the internet.",
        )
    if info.pending_update_count > PENDING_WARNING:
        return warn(
            "webhook",
            f"{info.pending_update_count} updates are waiting for the bot",
            "start the bot; it will answer them (old button presses may have expired).",
        )
    mode = "webhook" if info.url else "polling"
    return ok("webhook", f"{mode} mode, {info.pending_update_count} update(s) waiting")


def make_url_host(url: str) -> str:
    """Only the host of a webhook URL: its path may hold a secret."""
    return url.split("://", 1)[-1].split("/", 1)[0] or "?"


async def group(bot: Bot, chat_id: int | None) -> tuple[Check, ChatFullInfo | None]:
    """getChat: the community group exists and the bot is in it."""
    name = "community group"
    if chat_id is None:
        return (
            fail(
                name,
                "no community group is set",
                "send /setup in the group, or set COMMUNITY_CHAT_ID.",
            ),
            None,
        )
    try:
        chat = await bot.get_chat(chat_id)
    except ChatMigrated as exc:
        return (
            fail(
                name,
                f"group {chat_id} became supergroup {exc.new_chat_id}",
                f"set COMMUNITY_CHAT_ID={exc.new_chat_id}.",
            ),
            None,
        )
    except (BadRequest, Forbidden) as exc:
        return (
            fail(
                name,
                f"chat {chat_id} is not reachable ({exc.message})",
                "check COMMUNITY_CHAT_ID (a supergroup's id starts with -100) and add the "
                "bot to the group.",
            ),
            None,
        )
    except NetworkError as exc:
        return fail(name, f"getChat failed: {exc.message}", "try again later."), None
    forum = ", a forum with topics" if chat.is_forum else ""
    return ok(name, f"{chat.title or chat.id} ({chat.type}{forum})"), chat


async def rights(bot: Bot, me: User, chat: ChatFullInfo) -> list[Check]:
    """GetChatMember of the bot: admin, can pin, can delete, can manage topics in a forum."""
    try:
        member = await bot.get_chat_member(chat.id, me.id)
    except TelegramError as exc:
        return [fail("bot is admin", f"getChatMember failed: {exc.message}", "try again later.")]
    is_admin = member.status in ADMIN_STATUSES
    checks = [admin(member, is_admin)]
    wanted = [
        ("can pin", "can_pin_messages", "pin announcements", "Pin messages"),
        ("can delete", "can_delete_messages", "delete welcomes later", "Delete messages"),
    ]
    if chat.is_forum:
        wanted.append(
            ("can manage topics", "can_manage_topics", "post in topics", "Manage topics")
        )
    for name, attribute, why, label in wanted:
        allowed = member.status == ChatMemberStatus.OWNER or bool(
            getattr(member, attribute, False)
        )
        checks.append(
            ok(name, "yes")
            if allowed
            else fail(name, f"no: the bot cannot {why}", f"give the bot the '{label}' right.")
        )
    return checks


def admin(member: ChatMember, is_admin: bool) -> Check:
    """The bot is an administrator, so Telegram sends it chat_member updates (joins, leaves)."""
    if is_admin:
        return ok("bot is admin", f"{member.status}: it sees members join and leave")
    return fail(
        "bot is admin",
        f"{member.status}: the bot never sees members join or leave, so nobody is welcomed",
        "in the group's settings, make the bot an administrator.",
    )


# --- Database, content, feed, time zone, role ---------------------------------------------------


def database(url: str) -> tuple[Check, bool]:
    """The database answers and its migration is our newest (Alembic current == head)."""
    name = "database"
    parsed = make_url(db.sync_url(url))
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        path = Path(str(parsed.database))
        if not path.exists():
            return missing_file(path), False
    heads = set(ScriptDirectory.from_config(db.alembic_config(url)).get_heads())
    # A server that does not answer should not keep the volunteer waiting for minutes.
    wait = {"connect_timeout": DB_TIMEOUT} if parsed.get_backend_name() == "postgresql" else {}
    engine = create_sync_engine(db.sync_url(url), connect_args=wait)
    try:
        with engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    except SQLAlchemyError as exc:
        return (
            fail(
                name,
                f"cannot open it ({type(getattr(exc, 'orig', None) or exc).__name__})",
                "check DATABASE_URL and that the database server is running.",
            ),
            False,
        )
    finally:
        engine.dispose()
    return migration_check(current, heads), current == heads


def missing_file(path: Path) -> Check:
    """No SQLite file yet: a warning when it can be made there, a failure when it cannot.

    Whether the folder (or its nearest existing parent, for ``db upgrade`` makes the
    missing ones) takes a new file is tried with a temporary file removed at once:
    permission bits alone do not tell (root, read-only mounts, ``/proc``).
    """
    base = path.parent
    while not base.exists() and base != base.parent:
        base = base.parent
    try:
        with tempfile.NamedTemporaryFile(dir=base, prefix=".fibrobot-doctor-"):
            pass
    except OSError as exc:
        where = f"its folder {path.parent}" if base == path.parent else f"the folder {base}"
        return fail(
            "database",
            f"no database file at {path}, and {where} cannot take one ({exc.strerror or exc})",
            "set DATABASE_URL to a file in a folder this user can write, "
            "e.g. sqlite:///data/fibrobot.db.",
        )
    folder = "" if base == path.parent else f" (and its folder {path.parent})"
    return warn(
        "database",
        f"no database file at {path} yet",
        f"`fibrobot db upgrade` creates it{folder} (the bot also does at start).",
    )


def migration_check(current: set[str], heads: set[str]) -> Check:
    """Compare the database's migration with the newest one this code knows."""
    name = "database"
    shown = ", ".join(sorted(current)) or "none"
    if current == heads:
        return ok(name, f"reachable, migrated to {shown} (the newest)")
    if not current:
        return warn(
            name,
            "reachable but empty (no migration applied)",
            "`fibrobot db upgrade` (the bot also migrates at start).",
        )
    known = current <= set(_all_revisions())
    if not known:
        return fail(
            name,
            f"at migration {shown}, which this version of FibroBot does not know",
            "run the newer FibroBot that made it, or restore a backup made by this version.",
        )
    return warn(
        name,
        f"at migration {shown}, older than {', '.join(sorted(heads))}",
        "`fibrobot db upgrade` (the bot also migrates at start).",
    )


def _all_revisions() -> list[str]:
    script = ScriptDirectory.from_config(db.alembic_config("sqlite://"))
    return [rev.revision for rev in script.walk_revisions()]


async def stored_group(settings: Settings) -> int | None:
    """The community group as the bot knows it: from /setup, else COMMUNITY_CHAT_ID."""
    engine = db.create_engine(settings.database_url)
    try:
        async with db.transaction(db.create_sessionmaker(engine)) as session:
            return await community_chat_id(session, settings)
    finally:
        await engine.dispose()


def content(settings: Settings) -> Check:
    """Every language's content files pass the strict check (no placeholder links)."""
    try:
        catalog = load_catalog(settings.content_dir, strict=True)
    except ContentError as exc:
        more = f" (and {len(exc.problems) - 1} more)" if len(exc.problems) > 1 else ""
        return fail(
            "content",
            f"{exc.problems[0]}{more}",
            "run `fibrobot content check --strict` and fix each entry it names.",
        )
    loaded, languages = catalog.source, ", ".join(catalog.codes)
    return ok(
        "content",
        f"{len(loaded.faq)} FAQ entries, {len(loaded.tips)} tips in {languages}, strict check",
    )


async def feed(settings: Settings) -> Check:
    """FEED_URL answers and parses as RSS or Atom (when set)."""
    url = settings.feed_url
    if url is None:
        return ok("blog feed", "FEED_URL is not set, so no blog posts (that is fine)")
    try:
        fetched = await fetch(url, None, None, settings.feed_timeout_seconds)
        articles = parse(fetched.body or b"")
    except FeedError as exc:
        return fail(
            "blog feed",
            f"{url} does not work: {exc}",
            "open FEED_URL in a browser; the blog's feed is often at /feed or /rss.xml.",
        )
    return ok("blog feed", f"{url} has {len(articles)} article(s)")


def time_zone(settings: Settings, now: datetime | None = None) -> Check:
    """TIMEZONE, with the local time now, so a wrong zone shows at a glance."""
    local = (now or datetime.now(UTC)).astimezone(settings.zone)
    found = f"{settings.timezone}, local time now {local:%Y-%m-%d %H:%M} (UTC{local:%z})"
    if "timezone" not in settings.model_fields_set:
        return warn(
            "time zone",
            f"{found}, the default",
            "set TIMEZONE to the community's zone (e.g. Europe/Madrid) for posts and tips.",
        )
    return ok("time zone", found)


def role(current: Role) -> Check:
    """Whether this process would be the active one (it sends) or on standby."""
    if current.is_active():
        return ok("role", "active: this process would send tips and posts")
    return warn(
        "role",
        "standby: another process is active and sends tips and posts",
        "nothing to do if that is intended; stop the other process to make this one active.",
    )


async def probe_role(settings: Settings) -> Check:
    """Whether another process holds the role, without disturbing it.

    Takes the lease without waiting (``Lease.try_acquire``, never blocking) and releases it
    at once, without clearing the holder's mark. A running bot keeps its lock, and a
    standby asking at that very moment only asks again a beat later. The SQLite lock file
    is not created when missing: then nobody holds it.
    """
    lease = lease_for(settings.database_url, Timing(settings.failover_seconds))
    if lease is None or (isinstance(lease, FileLease) and not lease.path.exists()):
        return ok("role", FREE_ROLE)
    try:
        free = await lease.try_acquire()
    finally:
        await lease.release()
    if free:
        return ok("role", FREE_ROLE)
    return warn(
        "role",
        "standby: another fibrobot process is active (this one would stand by)",
        "nothing to do if that is intended; stop the other process to make this one active.",
    )


def report(checks: list[Check]) -> str:
    """The report: one line per check, then a summary line."""
    failures = sum(check.status == FAIL for check in checks)
    warnings = sum(check.status == WARN for check in checks)
    summary = (
        f"{failures} problem(s) to fix, {warnings} warning(s)."
        if failures
        else f"All required checks passed, {warnings} warning(s)."
    )
    return "\n".join([*(check.line for check in checks), summary])
