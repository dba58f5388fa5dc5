"""The ``fibrobot`` command: run, console, database and content tools.

Errors a person can fix (a bad setting, a broken content file, no token) print a clear
message and exit non-zero, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from alembic.util import CommandError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from telegram.error import InvalidToken, NetworkError

from bot.config import ConfigError, Settings, load_settings
from bot.features.content import Content, ContentError
from bot.features.languages import load_catalog
from bot.runtime.logs import JsonFormatter
from bot.storage import db

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

NO_TOKEN_HELP = """TELEGRAM_BOT_TOKEN is not set, so FibroBot cannot connect to Telegram.
  - Get a token from @BotFather, then put it in .env (copy .env.example) or the environment.
  - Or try the bot offline first, with no token: `fibrobot console` (or `make run`)."""  # noqa: S105

if TYPE_CHECKING:
    from bot.runtime.doctor import Check
    from bot.storage.backup import Snapshot

log = logging.getLogger("bot.cli")


class RedactingFormatter(logging.Formatter):
    """Removes the bot token from every log line, tracebacks included."""

    def __init__(self, fmt: str, secret: str | None) -> None:
        super().__init__(fmt)
        self.secret = secret

    def format(self, record: logging.LogRecord) -> str:
        """Format, then blank out the token wherever it appears."""
        text = super().format(record)
        return text.replace(self.secret, "[token]") if self.secret else text


class StartupNetworkFilter(logging.Filter):
    """PTB logs a full traceback when it cannot reach the Bot API at start; we say it plainly."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Drop PTB's bootstrap traceback: `cmd_run` prints one clear line instead."""
        return not (
            record.name.startswith("telegram")
            and "Bootstrap" in record.getMessage()
            and record.exc_info
        )


def setup_logging(settings: Settings) -> None:
    """Log to standard error; keep chatty libraries quiet and the token out."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        JsonFormatter(settings.token)
        if settings.log_format == "json"
        else RedactingFormatter(LOG_FORMAT, settings.token)
    )
    handler.addFilter(StartupNetworkFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level)
    # httpx logs every request URL, and the URL holds the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # PTB logs whole updates and Bot API answers at DEBUG: members' words and names. Message
    # text is never logged, so even LOG_LEVEL=DEBUG stops PTB at INFO.
    logging.getLogger("telegram").setLevel(max(logging.INFO, root.level))


def fail(message: str, code: int) -> int:
    """Print a message for a person and return the exit code."""
    print(f"fibrobot: {message}", file=sys.stderr)
    return code


def cmd_run(settings: Settings, _args: argparse.Namespace) -> int:
    """Stand by, or take updates (polling or webhook) and run jobs while holding the role."""
    if settings.token is None:
        return fail(NO_TOKEN_HELP, EXIT_USAGE)
    # Imported here: keeps `--help` fast.
    from bot.app import build_application  # noqa: PLC0415
    from bot.runtime.lease import Timing, lease_for  # noqa: PLC0415
    from bot.runtime.lifecycle import Lifecycle, SoleLease  # noqa: PLC0415

    application = build_application(settings)
    timing = Timing(settings.failover_seconds)
    lease = lease_for(settings.database_url, timing) or SoleLease()
    try:
        asyncio.run(Lifecycle(application, lease, timing).serve())
    except InvalidToken:
        return fail("the Bot API refused TELEGRAM_BOT_TOKEN; check it with @BotFather", EXIT_USAGE)
    except NetworkError as exc:
        return fail(
            f"cannot reach the Bot API at {settings.telegram_api_url} ({exc})", EXIT_FAILED
        )
    except OSError as exc:  # the webhook's port is taken, or the address is not ours
        return fail(f"webhook: {exc}", EXIT_FAILED)
    return EXIT_OK


def cmd_console(settings: Settings, args: argparse.Namespace) -> int:
    """The offline console, on a throwaway database unless ``--database-url`` names one."""
    from bot.runtime.console import Console  # noqa: PLC0415

    chosen = getattr(args, "database_url", None)
    if chosen is not None:
        try:
            settings = load_settings(database_url=chosen)
        except ConfigError as exc:
            return fail(f"--database-url: {exc}".replace("DATABASE_URL: ", ""), EXIT_USAGE)
        if _live(settings.database_url):
            return fail(
                "--database-url: a running bot uses this database, and the console would run "
                "its jobs (tips, posts) on real members; choose another database",
                EXIT_USAGE,
            )
    # The terminal is the bot's screen here: only warnings and errors go to the log.
    logging.getLogger().setLevel(max(logging.WARNING, logging.getLevelName(settings.log_level)))
    console = Console(settings, own_database=chosen is None)
    print(
        f"{console.banner()}\nTo connect to Telegram, set TELEGRAM_BOT_TOKEN (see .env.example)"
        " and run `fibrobot run`.",
        file=sys.stderr,
    )
    asyncio.run(console.run())
    return EXIT_OK


def _live(url: str) -> bool:
    """True when a running bot holds this SQLite database (its ``.in-use`` lock)."""
    from bot.storage import backup  # noqa: PLC0415

    path = db.sqlite_path(url)
    return path is not None and backup.in_use(path)


def cmd_start(settings: Settings, args: argparse.Namespace) -> int:
    """With a token, run for real; without one, the offline console."""
    return (cmd_run if settings.token else cmd_console)(settings, args)


def cmd_stats(settings: Settings, args: argparse.Namespace) -> int:
    """Print the community statistics, as /stats shows them to admins."""
    from bot.features.stats import plain  # noqa: PLC0415

    db.require_existing(settings.database_url)
    content = load_catalog(settings.content_dir).get(settings.community_language)
    text, png = asyncio.run(_stats(settings, content, chart=args.chart is not None))
    print(plain(text))
    if args.chart is not None and png is not None:
        args.chart.write_bytes(png)
        print(f"chart written to {args.chart}")
    return EXIT_OK


async def _stats(settings: Settings, content: Content, *, chart: bool) -> tuple[str, bytes | None]:
    from bot.features import stats  # noqa: PLC0415
    from bot.storage.models import utcnow  # noqa: PLC0415

    db.upgrade(settings.database_url)  # an existing database only: checked by cmd_stats
    engine = db.create_engine(settings.database_url)
    try:
        async with db.transaction(db.create_sessionmaker(engine)) as session:
            report = await stats.build_report(session, utcnow(), settings.zone)
    finally:
        await engine.dispose()
    png = stats.render_chart(content, report) if chart else None
    return stats.report_text(content, report, settings.zone), png


def cmd_db(settings: Settings, args: argparse.Namespace) -> int:
    """Apply or undo database migrations; back up or restore an SQLite database."""
    if args.db_command == "backup":
        db.require_existing(settings.database_url)
    if args.db_command in ("backup", "restore"):
        return cmd_backup(settings, args)
    if args.db_command == "upgrade":
        db.upgrade(settings.database_url, args.revision)
    else:
        db.downgrade(settings.database_url, args.revision)
    print(f"database {args.db_command}d to {args.revision}")
    return EXIT_OK


def cmd_doctor(settings: Settings, _args: argparse.Namespace) -> int:
    """Check the set-up; one line per check; exit 1 when a required check fails."""
    from bot.runtime import doctor  # noqa: PLC0415

    checks = asyncio.run(_doctor(settings))
    print(doctor.report(checks))
    return EXIT_FAILED if doctor.failed(checks) else EXIT_OK


async def _doctor(settings: Settings) -> list[Check]:
    from telegram import Bot  # noqa: PLC0415

    from bot.runtime.doctor import Doctor  # noqa: PLC0415

    token = settings.token
    api = settings.telegram_api_url
    bot = Bot(token, base_url=f"{api}/bot", base_file_url=f"{api}/file/bot") if token else None
    try:
        # No role given: the doctor probes the lease a `fibrobot run` would take.
        return await Doctor(settings, bot, None).run()
    finally:
        if bot is not None:
            await bot.request.shutdown()


def cmd_backup(settings: Settings, args: argparse.Namespace) -> int:
    """``db backup FILE`` / ``db restore FILE``: exit 2 on PostgreSQL, 1 when refused."""
    from bot.storage import backup  # noqa: PLC0415

    try:
        if args.db_command == "backup":
            copied = backup.backup(settings.database_url, args.file)
            print(f"backed up to {args.file}: {describe(copied)}; integrity check ok")
        else:
            done = backup.restore(settings.database_url, args.file)
            kept = f"; the previous database is kept as {done.kept}" if done.kept else ""
            print(f"restored from {args.file}: {describe(done.snapshot)}{kept}")
    except backup.NotSqliteError as exc:
        return fail(str(exc), EXIT_USAGE)
    except backup.BackupError as exc:
        return fail(f"{args.db_command} refused: {exc}", EXIT_FAILED)
    return EXIT_OK


def describe(snapshot: Snapshot) -> str:
    """Rows per table, the migration and the open deliveries, in one line."""
    rows = ", ".join(f"{table} {n}" for table, n in snapshot.counts.items() if n)
    return (
        f"migration {snapshot.revision}, rows: {rows or 'none'}, "
        f"{snapshot.open_deliveries} tip(s) being sent"
    )


def cmd_content_check(settings: Settings, args: argparse.Namespace) -> int:
    """Check every content file; exit 1 on errors."""
    try:
        catalog = load_catalog(settings.content_dir, strict=args.strict)
    except ContentError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return EXIT_FAILED
    content = catalog.source
    for warning in content.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(
        f"content OK: {len(content.faq)} FAQ entries, {len(content.links)} links,"
        f" {len(content.tips)} tips; languages {', '.join(catalog.codes)}"
    )
    return EXIT_OK


def cmd_subscribers(settings: Settings, args: argparse.Namespace) -> int:
    """Daily-tip subscriptions by status and today's deliveries; or the log as CSV."""
    from bot.features.tips_report import export_log, print_counts  # noqa: PLC0415

    db.require_existing(settings.database_url)
    db.upgrade(settings.database_url)
    if args.csv:
        rows = export_log(settings, args.csv)
        print(f"wrote {rows} subscription event(s) to {args.csv}")
    else:
        print_counts(settings)
    return EXIT_OK


def shown_url(args: argparse.Namespace, settings: Settings) -> str:
    """The database the command used (``--database-url`` or DATABASE_URL), password hidden."""
    url = getattr(args, "database_url", None) or settings.database_url
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(DATABASE_URL)"


def reason(exc: DBAPIError, args: argparse.Namespace, settings: Settings) -> str:
    """The driver's own first line (e.g. "connection refused"), never the password."""
    lines = str(exc.orig).strip().splitlines() or [type(exc.orig).__name__]
    url = getattr(args, "database_url", None) or settings.database_url
    try:
        password = make_url(url).password
    except ArgumentError:
        password = None
    return lines[0].replace(str(password), "***") if password else lines[0]


Command = Callable[[Settings, argparse.Namespace], int]


def parser() -> argparse.ArgumentParser:
    """The command line."""
    top = argparse.ArgumentParser(prog="fibrobot", description="FibroBot, the community helper.")
    top.set_defaults(func=cmd_start)
    sub = top.add_subparsers(dest="command")
    sub.add_parser("run", help="connect to the Bot API (needs TELEGRAM_BOT_TOKEN)").set_defaults(
        func=cmd_run
    )
    console = sub.add_parser("console", help="try the bot offline in this terminal")
    console.add_argument(
        "--database-url",
        metavar="URL",
        help="keep console play in this database (default: a throwaway one, never DATABASE_URL)",
    )
    console.set_defaults(func=cmd_console)
    db_parser = sub.add_parser("db", help="database migrations")
    db_sub = db_parser.add_subparsers(dest="db_command", required=True)
    up = db_sub.add_parser("upgrade", help="apply migrations (default: all)")
    up.add_argument("revision", nargs="?", default="head")
    down = db_sub.add_parser("downgrade", help="undo migrations down to a revision")
    down.add_argument("revision")
    backup = db_sub.add_parser("backup", help="copy the running SQLite database safely")
    backup.add_argument("file", type=Path, metavar="FILE")
    restore = db_sub.add_parser("restore", help="replace the database with a backup (bot stopped)")
    restore.add_argument("file", type=Path, metavar="FILE")
    db_parser.set_defaults(func=cmd_db)
    stats = sub.add_parser("stats", help="print the community statistics (as /stats does)")
    stats.add_argument("--chart", type=Path, metavar="FILE.png", help="also save the chart")
    stats.set_defaults(func=cmd_stats)
    content = sub.add_parser("content", help="content files")
    content_sub = content.add_subparsers(dest="content_command", required=True)
    check = content_sub.add_parser("check", help="check the content files")
    check.add_argument("--strict", action="store_true", help="placeholder links are errors")
    check.set_defaults(func=cmd_content_check)
    sub.add_parser(
        "doctor", help="check the set-up (token, group, rights, database...) and say how to fix it"
    ).set_defaults(func=cmd_doctor)
    subscribers = sub.add_parser(
        "subscribers", help="daily-tip subscriptions and today's deliveries"
    )
    subscribers.add_argument(
        "--csv", metavar="FILE", help="export the subscription log (ids only) to FILE"
    )
    subscribers.set_defaults(func=cmd_subscribers)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``fibrobot`` command."""
    args = parser().parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as exc:
        return fail(f"configuration error:\n{exc}", EXIT_USAGE)
    setup_logging(settings)
    func: Command = args.func
    try:
        return func(settings, args)
    except (ContentError, DBAPIError, CommandError, OSError, db.NoDatabase) as exc:
        message, code = explain(exc, args, settings)
        return fail(message, code)
    except KeyboardInterrupt:
        return EXIT_OK


def explain(exc: Exception, args: argparse.Namespace, settings: Settings) -> tuple[str, int]:
    """One line (content errors: one per problem) for what failed, and the exit code.

    A failed operation exits 1 (an unreachable database, a folder that cannot be made, a
    missing database); bad input exits 2 (an unknown migration revision).
    """
    if isinstance(exc, ContentError):
        problems = "\n".join(f"  {p}" for p in exc.problems)
        return f"the content files have errors:\n{problems}", EXIT_FAILED
    if isinstance(exc, DBAPIError):
        why = reason(exc, args, settings)
        return f"cannot use the database {shown_url(args, settings)}: {why}", EXIT_FAILED
    if isinstance(exc, CommandError):  # only `db upgrade/downgrade REVISION` reach Alembic
        return f"db {args.db_command} {args.revision}: {exc}", EXIT_USAGE
    if isinstance(exc, OSError):
        return f"cannot use {exc.filename or 'a file'}: {exc.strerror or exc}", EXIT_FAILED
    return (
        f"no database at {exc} (run `fibrobot db upgrade` or start the bot first)",
        EXIT_FAILED,
    )


if __name__ == "__main__":
    sys.exit(main())
