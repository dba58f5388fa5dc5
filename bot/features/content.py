"""Content files (FAQ, links, texts) parsed into pydantic models and checked.

Everything a member reads lives in ``content/`` so that community admins can edit it
without touching Python. A bad edit fails loudly, naming the file, the entry and the problem.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import yaml
from fluent.syntax import ast
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from bot.features.i18n import (
    SOURCE_LANGUAGE,
    Messages,
    format_moment,
    messages_of,
    parse_resource,
    text_of,
    variables_of,
)
from bot.features.tips import Tip, TipsFile, check_tips
from bot.features.when import WhenError, parse_when

ANSWER_LIMIT = 700
ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,39}$"
COMMAND_PATTERN = r"^[a-z][a-z0-9_]{0,31}$"
PLACEHOLDER_HOSTS = ("example.org", "example.com", "example.net")

M = TypeVar("M", bound=BaseModel)


class ContentError(Exception):
    """Raised when content files cannot be loaded; carries every problem found."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class FaqEntry(_Strict):
    """One question the community asks, with a short answer and the words members use."""

    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=2, max_length=40, description="Short button label")
    question: str = Field(min_length=5)
    answer: str = Field(min_length=10, max_length=ANSWER_LIMIT)
    more: str | None = None
    keywords: tuple[str, ...] = Field(min_length=1)
    related: tuple[str, ...] = ()
    section: str = Field(min_length=2, description="Section of the source article")
    command: str | None = Field(default=None, pattern=COMMAND_PATTERN)

    @field_validator("keywords")
    @classmethod
    def _keywords_not_blank(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if any(not k.strip() for k in value):
            raise ValueError("a keyword is empty")
        return tuple(k.strip().lower() for k in value)


class FaqFile(_Strict):
    """The whole of ``faq.yaml``."""

    source: str = Field(min_length=2, description="Where the answers come from")
    faq: tuple[FaqEntry, ...] = Field(min_length=1)


class Link(_Strict):
    """A community link (blog, WhatsApp community, store...)."""

    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=2, max_length=40)
    url: str
    description: str = ""


class Emergency(_Strict):
    """What to do in an emergency: always shown with the links."""

    text: str = Field(min_length=10)
    directory_title: str = Field(min_length=2, max_length=40)
    directory_url: str
    # Words that tell the bot someone may be in crisis: it answers with the text above and
    # the helpline button instead of an FAQ search.
    crisis_words: tuple[str, ...] = ()

    @field_validator("crisis_words")
    @classmethod
    def _lower(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(word.strip().lower() for word in value if word.strip())


class LinksFile(_Strict):
    """The whole of ``links.yaml``."""

    links: tuple[Link, ...] = Field(min_length=1)
    emergency: Emergency


class Command(_Strict):
    """A command shown in /help and in Telegram's command menu."""

    command: str = Field(pattern=COMMAND_PATTERN)
    description: str = Field(min_length=3, max_length=256)


class Post(_Strict):
    """A recurring community post defined in content, such as the weekly resources post."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]{0,39}$", description="Starts with a letter")
    title: str = Field(min_length=2, max_length=40)
    when: str = Field(min_length=5, description="A repeat, e.g. every monday 10:00")
    text: str = Field(min_length=5, max_length=3000)
    links: bool = Field(default=False, description="Add the links from links.yaml")
    pin: bool = False


class PostsFile(_Strict):
    """The whole of ``posts.yaml``."""

    posts: tuple[Post, ...] = ()


class CommandsFile(_Strict):
    """The whole of ``commands.yaml``: the command menu for members, and for admins."""

    commands: tuple[Command, ...] = Field(min_length=1)
    admin_commands: tuple[Command, ...] = ()


@dataclass(frozen=True)
class Content:
    """All content of one language, validated and indexed."""

    faq: tuple[FaqEntry, ...]
    faq_source: str
    links: tuple[Link, ...]
    emergency: Emergency
    messages: Messages
    commands: tuple[Command, ...]
    warnings: tuple[str, ...] = ()
    posts: tuple[Post, ...] = ()
    admin_commands: tuple[Command, ...] = ()
    faq_by_id: Mapping[str, FaqEntry] = field(default_factory=dict)
    tips: tuple[Tip, ...] = ()
    language: str = SOURCE_LANGUAGE

    def text(self, key: str, **fields: object) -> str:
        """Return the text ``key`` in this language with its template fields filled.

        Raises:
            MessageError: No such text, or a field it uses is not given (a bug).
        """
        return self.messages.format(key, fields)

    def faq_entry(self, faq_id: str) -> FaqEntry | None:
        """Return the FAQ entry with this id, if there is one."""
        return self.faq_by_id.get(faq_id)

    def tip(self, tip_id: str) -> Tip | None:
        """Return the tip with this id, if there is one."""
        return next((tip for tip in self.tips if tip.id == tip_id), None)

    def moment(self, when: datetime) -> str:
        """A local time as this language writes it: "jueves, 3 de diciembre, 10:00"."""
        return format_moment(when, self.text("format_moment"), self.language)

    def day(self, when: datetime) -> str:
        """A local date as this language writes it: "jueves, 3 de diciembre"."""
        return format_moment(when, self.text("format_day"), self.language)


# Template fields each text may use, filled by the code that sends it. A text that uses a
# field not listed here would fail at run time, so the check catches it first.
TEXT_FIELDS: dict[str, frozenset[str]] = {
    "welcome": frozenset({"first_name", "bot_name"}),
    "help": frozenset({"commands"}),
    "disclaimer": frozenset(),
    "faq_menu": frozenset({"page", "pages"}),
    "faq_no_match": frozenset({"query"}),
    "faq_did_you_mean": frozenset({"query"}),
    "faq_unknown_topic": frozenset(),
    "faq_free_text_hint": frozenset(),
    "faq_no_answer_private": frozenset(),
    "faq_read_more_private": frozenset(),
    "links_intro": frozenset(),
    "crisis": frozenset(),
    "unknown_command": frozenset({"command"}),
    "error_apology": frozenset(),
    "error_admin_note": frozenset({"error", "update_id"}),
    "admin_only": frozenset(),
    "button_back": frozenset(),
    "button_menu": frozenset(),
    "button_related": frozenset({"title"}),
    "button_faq": frozenset(),
    "button_links": frozenset(),
    "button_next": frozenset(),
    "button_prev": frozenset(),
    "button_read_more": frozenset(),
    "button_emergency": frozenset(),
    # Inline mode (handlers/inline.py).
    "button_open_in_bot": frozenset(),
    "inline_no_match_title": frozenset(),
    "inline_no_match_description": frozenset(),
    "inline_no_match_text": frozenset({"query", "bot"}),
    "inline_crisis_title": frozenset(),
    # /ask (handlers/ask.py).
    "button_ask": frozenset(),
    "ask_prompt": frozenset(),
    "ask_sent": frozenset(),
    "ask_done": frozenset(),
    "ask_in_private": frozenset(),
    "ask_unavailable": frozenset(),
    "ask_limit": frozenset({"limit"}),
    "ask_blocked": frozenset(),
    "ask_not_supported": frozenset(),
    "ask_failed": frozenset(),
    "ask_media_hint": frozenset(),
    "ask_admin_not_copied": frozenset({"error"}),
    "ask_admin_header": frozenset({"name", "short_id"}),
    "ask_admin_topic_intro": frozenset({"name", "short_id"}),
    "ask_admin_crisis": frozenset(),
    "ask_admin_undelivered": frozenset(),
    "ask_admin_unknown_reply": frozenset(),
    "ask_admin_which": frozenset(),
    "ask_admin_closed": frozenset(),
    "ask_admin_blocked": frozenset(),
    "ask_admin_already_blocked": frozenset(),
    "ask_admin_unblocked": frozenset(),
    "ask_admin_not_blocked": frozenset(),
    "ask_admin_forgotten": frozenset(),
    "ask_admin_sign_on": frozenset(),
    "ask_admin_sign_off": frozenset(),
    "ask_signature": frozenset({"name"}),
    "ask_member_closed": frozenset(),
    # Announcements and recurring posts (handlers/announce.py, bot/features/announcements.py).
    "when_forms": frozenset(),
    "when_unknown": frozenset(),
    "when_no_time": frozenset({"example"}),
    "when_no_day": frozenset({"time"}),
    "when_bare_hour": frozenset({"hour"}),
    "when_day_unknown": frozenset({"word"}),
    "when_span_unit": frozenset({"number"}),
    "when_span_and_time": frozenset({"span"}),
    "when_span_long": frozenset(),
    "when_biweekly": frozenset(),
    "when_step_no_day": frozenset({"step"}),
    "when_step_unit": frozenset(),
    "when_step_range": frozenset(),
    "when_start_unknown": frozenset({"start"}),
    "when_ambiguous": frozenset(),
    "when_bad_cron": frozenset(),
    "when_too_often": frozenset(),
    "announce_ask_text": frozenset(),
    "announce_group_reply": frozenset(),
    "announce_no_community": frozenset(),
    "announce_not_text": frozenset(),
    "announce_cancelled_draft": frozenset(),
    "announce_timeout": frozenset(),
    "announce_stale_button": frozenset(),
    "announce_ask_topic": frozenset(),
    "announce_bad_topic": frozenset(),
    "button_now": frozenset(),
    "button_cancel": frozenset(),
    "button_pin": frozenset(),
    "button_no_pin": frozenset(),
    "button_no_topic": frozenset(),
    "button_confirm": frozenset(),
    "pin_yes": frozenset(),
    "pin_no": frozenset(),
    "topic_none": frozenset(),
    "when_now": frozenset(),
    "scheduled_empty": frozenset(),
    "scheduled_footer": frozenset(),
    "manage_usage": frozenset({"command"}),
    "when_past": frozenset({"zone", "when"}),
    "announce_too_long": frozenset({"length"}),
    "announce_preview": frozenset(),
    "announce_media_gone": frozenset({"id"}),
    "edit_usage": frozenset(),
    "edit_ask": frozenset({"id"}),
    "button_edit_content": frozenset(),
    "button_edit_time": frozenset(),
    "edit_ask_content": frozenset(),
    "edit_ask_time": frozenset(),
    "edit_done": frozenset({"id", "next"}),
    "edit_cancelled": frozenset(),
    "announce_ask_pin": frozenset({"when"}),
    "announce_confirm": frozenset({"when", "pin", "topic"}),
    "announce_posted": frozenset({"id"}),
    "announce_scheduled": frozenset({"id", "next"}),
    "when_repeat": frozenset({"phrase", "next"}),
    "scheduled_header": frozenset({"zone"}),
    "scheduled_line": frozenset({"id", "when", "next", "flags", "preview"}),
    "scheduled_post_line": frozenset({"id", "title", "when", "next", "flags"}),
    "flag_paused": frozenset(),
    "flag_pinned": frozenset(),
    "manage_unknown": frozenset({"id"}),
    "manage_done": frozenset({"id"}),
    "cancelled": frozenset({"id"}),
    "cancel_content_post": frozenset({"id"}),
    "paused": frozenset({"id"}),
    "resumed": frozenset({"id", "next"}),
    "already_paused": frozenset({"id"}),
    "not_paused": frozenset({"id"}),
    "resume_past": frozenset({"id"}),
    "announce_missed": frozenset({"id", "due", "grace"}),
    "announce_failed": frozenset({"id", "error"}),
    "announce_pin_failed": frozenset({"id"}),
    "setup_done": frozenset({"moved"}),
    "setup_private": frozenset(),
    "setup_already": frozenset(),
    # --- Community: rules, group welcome, blog feed, admin help and /stats
    "rules": frozenset(),
    "group_welcome": frozenset({"names"}),
    "welcome_names_two": frozenset({"first", "second"}),
    "welcome_names_three": frozenset({"first", "second", "third"}),
    "welcome_names_more": frozenset({"first", "second", "others"}),
    "welcome_on": frozenset(),
    "welcome_off": frozenset(),
    "welcome_usage": frozenset(),
    "button_subscribe": frozenset(),
    "feed_article": frozenset({"title", "summary"}),
    "button_read_blog": frozenset(),
    "feed_more": frozenset({"count"}),
    "feed_digest": frozenset({"count"}),
    "admin_help": frozenset({"commands"}),
    "stats_report": frozenset(
        {
            "date",
            "joined_7",
            "joined_30",
            "left_7",
            "left_30",
            "subscribers",
            "tips",
            "announcements",
            "top_faq",
        }
    ),
    "stats_subscribers": frozenset({"count", "change"}),
    "stats_pair": frozenset({"week", "month"}),
    "stats_faq_line": frozenset({"title", "count"}),
    "stats_no_faq": frozenset(),
    "stats_chart_title": frozenset(),
    "stats_chart_joined": frozenset(),
    "stats_chart_left": frozenset(),
    "stats_chart_faq": frozenset(),
    "stats_chart_caption": frozenset(),
    "doctor_private_only": frozenset(),
    "doctor_header": frozenset(),
    # Daily tips
    "tips_ask_time": frozenset(),
    "tips_ask_zone": frozenset({"time"}),
    "tips_ask_new_time": frozenset(),
    "tips_ask_new_zone": frozenset(),
    "tips_pick_zone": frozenset({"place"}),
    "tips_bad_time": frozenset({"text"}),
    "tips_bad_zone": frozenset({"text"}),
    "tips_use_buttons": frozenset(),
    "tips_subscribed": frozenset({"when", "time", "zone"}),
    "tips_already": frozenset({"when", "time", "zone"}),
    "tips_settings": frozenset({"time", "zone", "status"}),
    "tips_status_active": frozenset({"when"}),
    "tips_status_paused": frozenset({"until"}),
    "tips_not_subscribed": frozenset(),
    "tips_changed": frozenset({"when", "time", "zone", "until"}),
    "tips_ask_pause": frozenset(),
    "tips_paused": frozenset({"when", "time", "zone", "until"}),
    "tips_resumed": frozenset({"when", "time", "zone", "until"}),
    "tips_ask_unsubscribe": frozenset(),
    "tips_unsubscribed": frozenset({"when", "time", "zone", "until"}),
    "tips_kept": frozenset({"when", "time", "zone", "until"}),
    "tips_private_only": frozenset(),
    "tips_in_private": frozenset(),
    "tips_today": frozenset({"tip"}),
    "tips_none": frozenset(),
    "tips_when_today": frozenset({"time"}),
    "tips_when_tomorrow": frozenset({"time"}),
    "tips_when_date": frozenset({"date", "time"}),
    "button_open_private": frozenset(),
    "button_tip_subscribe": frozenset(),
    "button_tip_faq": frozenset({"title"}),
    "button_time": frozenset({"time"}),
    "button_default_time": frozenset({"time", "zone"}),
    "button_zone": frozenset({"zone"}),
    "button_community_zone": frozenset({"zone"}),
    "button_tips_settings": frozenset(),
    "button_change_time": frozenset(),
    "button_change_zone": frozenset(),
    "button_pause": frozenset(),
    "button_pause_days": frozenset({"days"}),
    "button_resume": frozenset(),
    "button_unsubscribe": frozenset(),
    "button_confirm_unsubscribe": frozenset(),
    "button_keep": frozenset(),
    # Your data
    "privacy_mydata": frozenset({"data"}),
    "privacy_nothing": frozenset(),
    "privacy_ask_forget": frozenset({"kinds"}),
    "privacy_forgotten": frozenset(),
    "privacy_kept": frozenset(),
    "button_forget": frozenset(),
    "button_keep_data": frozenset(),
    "privacy_language": frozenset({"language"}),
    # /mydata's lines: each kind of data, then what is stored (bot.storage.privacy).
    "data_kind_member": frozenset(),
    "data_kind_tips": frozenset(),
    "data_kind_events": frozenset(),
    "data_member_id": frozenset({"id"}),
    "data_first_seen": frozenset({"when"}),
    "data_last_seen": frozenset({"when"}),
    "data_tips_status": frozenset({"status", "time", "zone"}),
    "data_tips_paused": frozenset({"until"}),
    "data_tips_next": frozenset({"when"}),
    "data_tips_since": frozenset({"date"}),
    "data_tips_language": frozenset({"language"}),
    "data_tips_records": frozenset({"count"}),
    "data_tips_log": frozenset({"count"}),
    "data_events": frozenset({"kind", "count", "last"}),
    "data_kind_ask": frozenset(),
    "data_kind_flows": frozenset(),
    "data_flow_draft": frozenset(),
    "data_flow_question": frozenset(),
    "data_flow_step": frozenset({"command", "when"}),
    "data_ask_thread": frozenset({"opened", "closed"}),
    "data_ask_messages": frozenset({"count"}),
    "data_ask_blocked": frozenset({"since"}),
    # Languages (/language) and how dates read: CLDR patterns for Babel, not sentences.
    "language_ask": frozenset({"language"}),
    "language_set": frozenset({"language"}),
    "language_auto": frozenset({"language"}),
    "button_language_auto": frozenset(),
    "format_day": frozenset(),
    "format_moment": frozenset(),
}


def load_content(content_dir: Path, *, strict: bool = False) -> Content:
    """Load and check the source language's content (``content_dir/en``).

    Raises:
        ContentError: Listing every problem, each naming the file and the entry.
    """
    problems: list[str] = []
    source = load_source(content_dir / SOURCE_LANGUAGE, problems, strict=strict)
    if problems or source is None:
        raise ContentError(problems)
    return source


def load_source(folder: Path, problems: list[str], *, strict: bool = False) -> Content | None:
    """The English content: the source of every other language; None (and problems) if broken."""
    faq_file = _parse(folder / "faq.yaml", FaqFile, problems)
    links_file = _parse(folder / "links.yaml", LinksFile, problems)
    commands_file = _parse(folder / "commands.yaml", CommandsFile, problems)
    messages = load_messages(folder, SOURCE_LANGUAGE, None, problems, check=check_source_texts)
    warnings: list[str] = []
    if faq_file is not None:
        problems += check_faq(faq_file, str(folder / "faq.yaml"))
    if links_file is not None:
        link_problems, link_warnings = check_links(links_file, str(folder / "links.yaml"))
        problems += link_problems
        (problems if strict else warnings).extend(link_warnings)
    if commands_file is not None:
        problems += check_commands(commands_file, str(folder / "commands.yaml"))
    posts = load_posts(folder / "posts.yaml", problems)
    tips = _load_tips(folder / "tips.yaml", faq_file, problems)
    if faq_file is None or links_file is None or commands_file is None or messages is None:
        return None
    return Content(
        faq=faq_file.faq,
        faq_source=faq_file.source,
        links=links_file.links,
        emergency=links_file.emergency,
        messages=messages,
        commands=commands_file.commands,
        warnings=tuple(warnings),
        posts=posts,
        admin_commands=commands_file.admin_commands,
        faq_by_id={entry.id: entry for entry in faq_file.faq},
        tips=tips,
    )


TextCheck = Callable[[dict[str, ast.Message], str], list[str]]


def load_messages(
    folder: Path, language: str, fallback: Messages | None, problems: list[str], check: TextCheck
) -> Messages | None:
    """A language's ``texts.ftl``, parsed and checked; None (and problems) when unreadable."""
    path = folder / "texts.ftl"
    try:
        source = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.append(f"{path}: file not found")
        return None
    resource = parse_resource(source)
    parsed, syntax = messages_of(resource, source)
    problems += [f"{path}: {problem}" for problem in syntax]
    problems += check(parsed, str(path))
    problems += date_pattern_problems(parsed, str(path), language)
    return Messages(language, resource, fallback, parsed)


def load_posts(path: Path, problems: list[str]) -> tuple[Post, ...]:
    """The recurring posts of ``posts.yaml`` (optional file), each with a readable repeat."""
    if not path.exists():
        return ()
    posts_file = _parse(path, PostsFile, problems)
    if posts_file is None:
        return ()
    problems += check_posts(posts_file, str(path))
    return posts_file.posts


def check_posts(posts_file: PostsFile, path: str) -> list[str]:
    """Unique ids, and a ``when`` that is a repeat the scheduler understands."""
    ids = (post.id for post in posts_file.posts)
    problems = [f"{path}: post {d!r}: duplicate id" for d in duplicates(ids)]
    now = datetime.now(UTC)
    for post in posts_file.posts:
        problems += [f"{path}: post {post.id!r}: text: {p}" for p in html_problems(post.text)]
        try:
            when = parse_when(post.when, now, ZoneInfo("UTC"))
        except WhenError as exc:
            problems.append(f"{path}: post {post.id!r}: when {post.when!r}: {exc.reason}")
            continue
        if when.kind != "repeat":
            problems.append(
                f"{path}: post {post.id!r}: when {post.when!r} must repeat,"
                " like 'every monday 10:00'"
            )
        elif when.floating:  # read again at every start, it would count from a new week
            problems.append(
                f"{path}: post {post.id!r}: when {post.when!r} needs a start date,"
                " like 'every 2 weeks on monday 10:00 from 2026-12-07'"
            )
    return problems


def _load_tips(path: Path, faq_file: FaqFile | None, problems: list[str]) -> tuple[Tip, ...]:
    """The daily tips, checked against the FAQ ids; none when the file is absent."""
    if not path.exists():
        return ()
    tips_file = _parse(path, TipsFile, problems)
    if tips_file is None:
        return ()
    faq_ids = [e.id for e in faq_file.faq] if faq_file is not None else None
    problems += check_tips(tips_file.tips, faq_ids, str(path))
    return tips_file.tips


def read_yaml(path: Path, problems: list[str]) -> Any:
    """Read a YAML file, adding a problem (not raising) when it is missing or malformed."""
    try:
        with path.open(encoding="utf-8") as handle:
            # libyaml's loader when PyYAML has it: start-up reads every language's files.
            return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
    except FileNotFoundError:
        problems.append(f"{path}: file not found")
    except yaml.YAMLError as exc:
        problems.append(f"{path}: not valid YAML: {exc}")
    return None


def _parse(path: Path, model: type[M], problems: list[str]) -> M | None:
    raw = read_yaml(path, problems)
    if raw is None:
        if path.exists() and not problems:
            problems.append(f"{path}: file is empty")
        return None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems.extend(describe_validation_error(str(path), raw, exc))
        return None


def describe_validation_error(path: str, raw: Any, exc: ValidationError) -> list[str]:
    """Turn pydantic errors into lines naming the file, the entry and the problem."""
    lines = []
    for error in exc.errors():
        loc = error["loc"]
        where = _entry_name(raw, loc)
        field_name = ".".join(str(part) for part in loc[2:]) if where else _loc(loc)
        message = error["msg"]
        if error["type"] == "string_too_long":
            value = error.get("input")
            length = len(value) if isinstance(value, str) else "?"
            limit = (error.get("ctx") or {}).get("max_length")
            message = f"is {length} characters, the limit is {limit}"
        lines.append(f"{path}: {where or 'top level'}: {field_name or 'value'}: {message}")
    return lines


def _loc(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc)


def _entry_name(raw: Any, loc: tuple[int | str, ...]) -> str | None:
    """Name a list entry by its id when it has one: ``entry 'cost' (#5)``."""
    if len(loc) < 2 or not isinstance(loc[1], int) or not isinstance(raw, dict):
        return None
    items = raw.get(str(loc[0]))
    if not isinstance(items, list) or loc[1] >= len(items):
        return None
    item = items[loc[1]]
    entry_id = item.get("id") if isinstance(item, dict) else None
    number = loc[1] + 1
    return f"{loc[0]} entry {entry_id!r} (#{number})" if entry_id else f"{loc[0]} entry #{number}"


def duplicates(ids: Iterable[str]) -> list[str]:
    """Return the ids that occur more than once, in order of first repeat."""
    seen: set[str] = set()
    repeated: list[str] = []
    for item in ids:
        if item in seen and item not in repeated:
            repeated.append(item)
        seen.add(item)
    return repeated


# Tags Telegram's HTML parse mode accepts (https://core.telegram.org/bots/api#html-style).
TELEGRAM_TAGS = frozenset(
    {
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "a",
        "code",
        "pre",
        "tg-spoiler",
        "span",
        "blockquote",
        "tg-emoji",
    }
)


class _TagChecker(HTMLParser):
    """Finds tags Telegram would refuse, and tags left open or closed twice."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TELEGRAM_TAGS:
            self.problems.append(f"<{tag}> is not a tag Telegram accepts")
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> closes a tag that is not open")
        else:
            self.open.pop()


def html_problems(text: str) -> list[str]:
    """What Telegram would reject in a text sent with the HTML parse mode."""
    checker = _TagChecker()
    checker.feed(text)
    checker.close()
    return checker.problems + [f"<{tag}> is never closed" for tag in checker.open]


def check_faq(faq_file: FaqFile, path: str) -> list[str]:
    """Cross-entry checks: unique ids and commands, related ids that exist."""
    problems = [
        f"{path}: faq entry {d!r}: duplicate id" for d in duplicates(e.id for e in faq_file.faq)
    ]
    commands = [e.command for e in faq_file.faq if e.command]
    problems += [f"{path}: faq command /{c}: used by two entries" for c in duplicates(commands)]
    builtin = {"start", "help", "faq", "links"}
    problems += [
        f"{path}: faq entry {e.id!r}: command /{e.command} is one of the bot's own commands"
        for e in faq_file.faq
        if e.command in builtin
    ]
    known = {entry.id for entry in faq_file.faq}
    for entry in faq_file.faq:
        for related in entry.related:
            if related not in known:
                problems.append(
                    f"{path}: faq entry {entry.id!r}: related id {related!r} does not exist"
                )
            elif related == entry.id:
                problems.append(f"{path}: faq entry {entry.id!r}: is related to itself")
    return problems


def check_url(url: str) -> str | None:
    """Return what is wrong with a URL a member would open, or None when it is fine."""
    parsed = urlparse(url)
    if parsed.scheme not in ("https", "http") or not parsed.netloc or " " in url:
        return f"malformed URL {url!r} (it must start with https:// and name a site)"
    return None


def is_placeholder(url: str) -> bool:
    """True for the example addresses shipped in links.yaml, which an admin must replace."""
    host = (urlparse(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in PLACEHOLDER_HOSTS)


def check_links(links_file: LinksFile, path: str) -> tuple[list[str], list[str]]:
    """Return (problems, warnings): malformed URLs are problems, placeholders warnings."""
    problems = [
        f"{path}: link {d!r}: duplicate id" for d in duplicates(x.id for x in links_file.links)
    ]
    warnings = []
    named = [(f"link {x.id!r}", x.url) for x in links_file.links]
    named.append(("emergency directory_url", links_file.emergency.directory_url))
    for name, url in named:
        if (problem := check_url(url)) is not None:
            problems.append(f"{path}: {name}: {problem}")
        elif is_placeholder(url):
            warnings.append(
                f"{path}: {name}: {url} is a placeholder; replace it before going live"
            )
    return problems, warnings


def check_source_texts(messages: dict[str, ast.Message], path: str) -> list[str]:
    """Every text the code needs exists in English, and uses only fields the code fills."""
    problems = [f"{path}: text {k!r}: missing" for k in TEXT_FIELDS if k not in messages]
    for key, message in messages.items():
        allowed = TEXT_FIELDS.get(key)
        if allowed is None:
            problems.append(f"{path}: text {key!r}: not used by the bot (a typo in the key?)")
            continue
        problems += [f"{path}: text {key!r}: {p}" for p in html_problems(text_of(message))]
        for name in sorted(variables_of(message) - allowed):
            fills = ", ".join(sorted(allowed)) or "none"
            problems.append(
                f"{path}: text {key!r}: uses {{ ${name} }} but nothing fills it"
                f" (available: {fills})"
            )
    return problems


DATE_PATTERNS = ("format_day", "format_moment")
# The CLDR fields a date pattern may use: weekday, day, month, year, hour, minute.
DATE_FIELDS = frozenset("EcdMLyHhmak")


def date_pattern_problems(messages: dict[str, ast.Message], path: str, language: str) -> list[str]:
    """Date patterns Babel reads as meant: words in 'quotes', only date and time fields."""
    problems = []
    sample = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
    for key in DATE_PATTERNS:
        if key not in messages:
            continue
        pattern = text_of(messages[key])
        unquoted = re.sub(r"'[^']*'", "", pattern)
        if unquoted.count("'") or (
            odd := sorted(set(re.findall(r"[A-Za-z]", unquoted)) - DATE_FIELDS)
        ):
            letters = "".join(odd) if not unquoted.count("'") else "'"
            problems.append(
                f"{path}: text {key!r}: {letters!r} is not a date field; put words in 'quotes'"
            )
            continue
        try:
            format_moment(sample, pattern, language)
        except (ValueError, KeyError, AttributeError) as exc:
            problems.append(f"{path}: text {key!r}: not a date pattern Babel reads ({exc})")
    return problems


def check_commands(commands_file: CommandsFile, path: str) -> list[str]:
    """No command listed twice."""
    problems = [
        f"{path}: command /{c}: listed twice"
        for c in duplicates(c.command for c in commands_file.commands)
    ]
    problems += [
        f"{path}: admin command /{c}: listed twice"
        for c in duplicates(c.command for c in commands_file.admin_commands)
    ]
    return problems
