"""/announce (a guided flow with buttons), /scheduled, /cancel, /pause and /resume. Admins only."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, cast

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.deps import Context, Deps, get_deps
from bot.features import announcements as ann
from bot.features.admins import admin_only, community_id
from bot.features.content import Content
from bot.features.text import escape
from bot.features.when import When, WhenError, next_run, parse_when
from bot.storage.models import Announcement, PostState
from handlers.common import flow, is_private, reply

TEXT, WHEN, PIN, TOPIC, CONFIRM = range(5)
EDIT_CHOOSE, EDIT_CONTENT, EDIT_TIME = range(5, 8)
EDIT_CB = "annedit:"
MEDIA = filters.PHOTO | filters.VIDEO | filters.Document.ALL
CB = "ann:"
TIMEOUT_SECONDS = 15 * 60
TOPIC_LINK = re.compile(r"^(?:https?://)?t\.me/(?:c/)?\w+/(\d+)(?:/\d+)?/?$")


# --- The draft -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    """An announcement being put together, step by step."""

    text_html: str = ""
    media: ann.Media | None = None
    when: When | None = None
    when_text: str = ""
    pin: bool = False
    thread_id: int | None = None

    def to_json(self) -> dict[str, Any]:
        """The draft as JSON, as the flow keeps it in the database (bot.runtime.persistence)."""
        when = self.when
        return {
            "text_html": self.text_html,
            "media": None if self.media is None else [self.media.kind, self.media.file_id],
            "when": None
            if when is None
            else [when.kind, when.at.isoformat() if when.at else None, when.cron],
            "when_text": self.when_text,
            "pin": self.pin,
            "thread_id": self.thread_id,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Draft:
        """A draft back from ``to_json``."""
        when, media = data.get("when"), data.get("media")
        return cls(
            text_html=str(data.get("text_html", "")),
            media=None if media is None else ann.Media(media[0], media[1]),
            when=None
            if when is None
            else When(when[0], datetime.fromisoformat(when[1]) if when[1] else None, when[2]),
            when_text=str(data.get("when_text", "")),
            pin=bool(data.get("pin")),
            thread_id=data.get("thread_id"),
        )


def draft_key(update: Update) -> str:
    """Where this chat's draft lives in the admin's user_data (a flow key, kept on restart)."""
    chat = update.effective_chat
    return f"announce:{chat.id if chat else 0}"


def get_draft(update: Update, context: Context) -> Draft:
    """The draft of this admin in this chat."""
    stored = (context.user_data or {}).get(draft_key(update))
    return Draft.from_json(stored) if isinstance(stored, dict) else Draft()


def put_draft(update: Update, context: Context, draft: Draft | None) -> None:
    """Keep (or drop, with None) the draft of this admin in this chat."""
    if context.user_data is None:
        return
    if draft is None:
        context.user_data.pop(draft_key(update), None)
    else:
        context.user_data[draft_key(update)] = draft.to_json()


# --- What admins read ----------------------------------------------------------------------


def buttons(content: Content, *pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    """One row per button (text key, callback suffix), and Cancel last."""
    rows = [
        [InlineKeyboardButton(content.text(key), callback_data=CB + data)] for key, data in pairs
    ]
    rows.append([InlineKeyboardButton(content.text("button_cancel"), callback_data=CB + "cancel")])
    return InlineKeyboardMarkup(rows)


def when_label(deps: Deps, when: When, phrase: str, now: datetime) -> str:
    """How a "when" reads back to the admin, in the community zone."""
    zone = deps.settings.zone
    if when.kind == "now":
        return deps.content.text("when_now")
    if when.kind == "once" and when.at is not None:
        return ann.show_time(when.at, zone)
    upcoming = next_run(when.cron or "", zone, now)
    shown = ann.show_time(upcoming, zone) if upcoming else "-"
    return deps.content.text("when_repeat", phrase=escape(phrase), next=shown)


def when_error(content: Content, error: WhenError, zone: str) -> str:
    """What was wrong with a "when", with what was typed in the hint, and the forms that work."""
    typed = {name: escape(value) for name, value in error.fields.items()}
    return f"{content.text(error.reason, zone=zone, **typed)}\n\n{content.text('when_forms')}"


def parse_topic(text: str) -> int | None:
    """A forum topic from its number or a t.me link to it."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    match = TOPIC_LINK.match(text)
    return int(match.group(1)) if match else None


def confirm_text(deps: Deps, draft: Draft, now: datetime) -> str:
    """The summary shown above the Confirm button."""
    content = deps.content
    when = draft.when or When("now")
    return content.text(
        "announce_confirm",
        when=when_label(deps, when, draft.when_text, now),
        pin=content.text("pin_yes" if draft.pin else "pin_no"),
        topic=draft.thread_id if draft.thread_id else content.text("topic_none"),
    )


# --- The /announce flow --------------------------------------------------------------------


@admin_only
async def start(update: Update, context: Context) -> int:
    """/announce: ask for the text."""
    deps = get_deps(context)
    if await community_id(deps) is None:
        await reply(update, deps.content.text("announce_no_community"))
        return ConversationHandler.END
    put_draft(update, context, Draft())
    text = deps.content.text("announce_ask_text")
    if not is_private(update):
        text += "\n\n" + deps.content.text("announce_group_reply")
    await reply(update, text, buttons(deps.content))
    return TEXT


async def got_text(update: Update, context: Context) -> int:
    """The text: keep its formatting as HTML, show a preview, ask when."""
    deps = get_deps(context)
    message = cast(Message, update.effective_message)
    put_draft(update, context, replace(get_draft(update, context), text_html=message.text_html))
    await message.reply_text(message.text_html)
    prompt = f"{deps.content.text('announce_preview')}\n\n{deps.content.text('when_forms')}"
    await reply(update, prompt, buttons(deps.content, ("button_now", "now")))
    return WHEN


def media_in(message: Message) -> ann.Media | None:
    """The photo (largest size), document or video of a message, by file_id."""
    if message.photo:
        return ann.Media("photo", message.photo[-1].file_id)
    if message.video:
        return ann.Media("video", message.video.file_id)
    if message.document:
        return ann.Media("document", message.document.file_id)
    return None


async def show_preview(
    update: Update, context: Context, text_html: str, media: ann.Media | None
) -> None:
    """Send the admin the post exactly as the group will get it (caption limit included)."""
    chat_id = cast(Message, update.effective_message).chat_id
    await ann.send_post(context.bot, chat_id, text_html, None, media)


async def got_media(update: Update, context: Context) -> int:
    """A photo, document or video with its caption: keep both, show a preview, ask when."""
    deps = get_deps(context)
    message = cast(Message, update.effective_message)
    text_html = message.caption_html or ""
    draft = replace(get_draft(update, context), text_html=text_html, media=media_in(message))
    put_draft(update, context, draft)
    await show_preview(update, context, text_html, draft.media)
    prompt = f"{deps.content.text('announce_preview')}\n\n{deps.content.text('when_forms')}"
    await reply(update, prompt, buttons(deps.content, ("button_now", "now")))
    return WHEN


async def not_text(update: Update, context: Context) -> None:
    """Something other than text where the text was expected."""
    await reply(update, get_deps(context).content.text("announce_not_text"))


async def got_when(update: Update, context: Context) -> int | None:
    """A typed "when": read it, or say what forms work and wait for another."""
    deps = get_deps(context)
    phrase = cast(Message, update.effective_message).text or ""
    try:
        when = parse_when(phrase, deps.clock(), deps.settings.zone)
    except WhenError as error:
        await reply(update, when_error(deps.content, error, deps.settings.timezone))
        return None
    return await ask_pin(update, context, when, phrase.strip())


async def when_now(update: Update, context: Context) -> int:
    """The Now button."""
    await cast(CallbackQuery, update.callback_query).answer()
    return await ask_pin(update, context, When("now"), "now")


async def ask_pin(update: Update, context: Context, when: When, phrase: str) -> int:
    """Keep the "when"; ask whether to pin."""
    deps = get_deps(context)
    draft = replace(get_draft(update, context), when=when, when_text=phrase)
    put_draft(update, context, draft)
    label = when_label(deps, when, phrase, deps.clock())
    markup = buttons(deps.content, ("button_pin", "pin:1"), ("button_no_pin", "pin:0"))
    await reply(update, deps.content.text("announce_ask_pin", when=label), markup)
    return PIN


async def got_pin(update: Update, context: Context) -> int:
    """Pin or not; then the topic when the group has topics, else the summary."""
    deps = get_deps(context)
    query = cast(CallbackQuery, update.callback_query)
    await query.answer()
    draft = replace(get_draft(update, context), pin=query.data == CB + "pin:1")
    put_draft(update, context, draft)
    if await is_forum(context, deps):
        markup = buttons(deps.content, ("button_no_topic", "topic:none"))
        await reply(update, deps.content.text("announce_ask_topic"), markup)
        return TOPIC
    return await ask_confirm(update, context)


async def is_forum(context: Context, deps: Deps) -> bool:
    """True when the community group has forum topics."""
    chat_id = await community_id(deps)
    if chat_id is None:
        return False
    try:
        chat = await context.bot.get_chat(chat_id)
    except TelegramError:
        return False
    return bool(chat.is_forum)


async def got_topic(update: Update, context: Context) -> int | None:
    """A topic number or link."""
    deps = get_deps(context)
    topic = parse_topic(cast(Message, update.effective_message).text or "")
    if topic is None:
        await reply(update, deps.content.text("announce_bad_topic"))
        return None
    put_draft(update, context, replace(get_draft(update, context), thread_id=topic))
    return await ask_confirm(update, context)


async def no_topic(update: Update, context: Context) -> int:
    """The No topic button."""
    await cast(CallbackQuery, update.callback_query).answer()
    put_draft(update, context, replace(get_draft(update, context), thread_id=None))
    return await ask_confirm(update, context)


async def ask_confirm(update: Update, context: Context) -> int:
    """Show the summary with Confirm and Cancel."""
    deps = get_deps(context)
    text = confirm_text(deps, get_draft(update, context), deps.clock())
    await reply(update, text, buttons(deps.content, ("button_confirm", "ok")))
    return CONFIRM


@admin_only
async def confirm(update: Update, context: Context) -> int:
    """Confirm: store the announcement; post it now or line up its job."""
    deps = get_deps(context)
    query = cast(CallbackQuery, update.callback_query)
    await query.answer()
    draft = get_draft(update, context)
    put_draft(update, context, None)
    if not draft.text_html and draft.media is None:  # erased by /forget halfway through
        await reply(update, deps.content.text("announce_cancelled_draft"))
        return ConversationHandler.END
    text = await store_and_schedule(context, deps, draft, user_id(update))
    await reply(update, text)
    return ConversationHandler.END


def user_id(update: Update) -> int | None:
    """Who acted: the admin, or the group itself for an anonymous admin."""
    message = update.effective_message
    if message is not None and message.sender_chat is not None:
        return message.sender_chat.id
    return update.effective_user.id if update.effective_user else None


async def store_and_schedule(context: Context, deps: Deps, draft: Draft, who: int | None) -> str:
    """Store the draft; post it at once or schedule it; the admin's confirmation text."""
    now, when = deps.clock(), draft.when or When("now")
    chosen = ann.Draft(
        draft.text_html, when, draft.when_text, draft.pin, draft.thread_id, draft.media
    )
    async with deps.transaction() as session:
        chat_id = await ann.community_chat_id(session, deps.settings)
        if chat_id is None:
            return deps.content.text("announce_no_community")
        row = await ann.create_announcement(session, chosen, chat_id, who, now)
    if when.kind == "now":
        await ann.deliver_announcement(context.application, row.id, now)
        return deps.content.text("announce_posted", id=row.id)
    ann.schedule(context.application, row, deps.settings.zone)
    return deps.content.text("announce_scheduled", id=row.id, next=next_label(deps, row, now))


def next_label(deps: Deps, row: Announcement, now: datetime) -> str:
    """The next run of an announcement, in the community zone."""
    zone = deps.settings.zone
    upcoming = row.run_at if row.kind == "once" else next_run(row.cron or "", zone, now)
    return ann.show_time(upcoming, zone) if upcoming else "-"


async def cancel_draft(update: Update, context: Context) -> int:
    """Cancel (button or /cancel): drop the draft; /cancel <id> also cancels that post."""
    put_draft(update, context, None)
    if update.callback_query is not None:
        await update.callback_query.answer()
    if context.args:
        await cancel_command(update, context)
    else:
        await reply(update, get_deps(context).content.text("announce_cancelled_draft"))
    return ConversationHandler.END


async def timed_out(update: Update, context: Context) -> None:
    """The draft was left alone for 15 minutes."""
    put_draft(update, context, None)
    if update.effective_chat is not None:
        text = get_deps(context).content.text("announce_timeout")
        await context.bot.send_message(update.effective_chat.id, text)


async def stale_button(update: Update, context: Context) -> None:
    """A flow button pressed after the flow ended, or by someone else."""
    text = get_deps(context).content.text("announce_stale_button")
    await cast(CallbackQuery, update.callback_query).answer(text, show_alert=True)


# --- /scheduled, /cancel, /pause, /resume --------------------------------------------------


def announcement_line(deps: Deps, row: Announcement, now: datetime) -> str:
    """One announcement in /scheduled."""
    content, zone = deps.content, deps.settings.zone
    when = ann.show_time(row.run_at, zone) if row.kind == "once" and row.run_at else row.when_text
    flags = flag_text(content, paused=row.status == ann.PAUSED, pinned=row.pin)
    return content.text(
        "scheduled_line",
        id=row.id,
        when=escape(when),
        next=next_label(deps, row, now),
        flags=flags,
        preview=media_mark(row) + ann.preview(row.text_html),
    )


def media_mark(row: Announcement) -> str:
    """``[photo] `` before a post's glimpse in /scheduled when it carries media."""
    return f"[{row.media_kind}] " if row.media_kind else ""


def flag_text(content: Content, *, paused: bool, pinned: bool) -> str:
    """The marks after a line of /scheduled: paused, pinned."""
    flags = [
        content.text(key) for key, on in (("flag_paused", paused), ("flag_pinned", pinned)) if on
    ]
    return "".join(f" · {flag}" for flag in flags)


def post_lines(deps: Deps, states: dict[str, PostState], now: datetime) -> list[str]:
    """The content posts in /scheduled."""
    content, lines = deps.content, []
    for post in content.posts:
        paused = states[post.id].paused
        lines.append(
            content.text(
                "scheduled_post_line",
                id=post.id,
                title=escape(post.title),
                when=escape(post.when),
                next=post_next(deps, post.when, now),
                flags=flag_text(content, paused=paused, pinned=post.pin),
            )
        )
    return lines


async def listing(deps: Deps, now: datetime) -> str:
    """The /scheduled text: announcements, then content posts, with next runs."""
    async with deps.transaction() as session:
        rows = await ann.upcoming(session)
        states = await ann.post_states(session, deps.content.posts)
    lines = [announcement_line(deps, row, now) for row in rows] + post_lines(deps, states, now)
    if not lines:
        return deps.content.text("scheduled_empty")
    header = deps.content.text("scheduled_header", zone=escape(deps.settings.timezone))
    return "\n\n".join([header, *lines, deps.content.text("scheduled_footer")])


@admin_only
async def scheduled_command(update: Update, context: Context) -> None:
    """/scheduled: upcoming posts with ids and next run times."""
    deps = get_deps(context)
    await reply(update, await listing(deps, deps.clock()))


def target_of(args: list[str] | None) -> str | None:
    """The id an admin typed after /cancel, /pause or /resume (``12``, ``#12``, ``resources``)."""
    if not args:
        return None
    return args[0].strip().lstrip("#").lower() or None


async def manage(context: Context, action: str, target: str, who: int | None) -> str:
    """Cancel, pause or resume an announcement or a content post; the reply text."""
    deps = get_deps(context)
    if not target.isdigit():
        return await manage_post(deps, context, action, target, who)
    async with deps.transaction() as session:
        row = await session.get(Announcement, int(target))
        refused = refusal(deps, row, action, target)
        if refused is not None:
            return refused
        text = await change_announcement(deps, session, row, action, who)
    if row is not None and row.status == ann.SCHEDULED:
        ann.schedule(context.application, row, deps.settings.zone)
    elif row is not None:
        ann.unschedule(context.application, ann.job_name(row.id))
    return text or ""


def refusal(deps: Deps, row: Announcement | None, action: str, target: str) -> str | None:
    """Why an action cannot apply to an announcement, or None when it can."""
    content = deps.content
    if row is None:
        return content.text("manage_unknown", id=escape(target))
    if row.status not in (ann.SCHEDULED, ann.PAUSED):
        return content.text("manage_done", id=row.id)
    if action == "pause" and row.status == ann.PAUSED:
        return content.text("already_paused", id=row.id)
    if action == "resume" and row.status == ann.SCHEDULED:
        return content.text("not_paused", id=row.id)
    if action == "resume" and row.kind == "once" and row.run_at and row.run_at <= deps.clock():
        return content.text("resume_past", id=row.id)
    return None


ACTIONS = {
    "cancel": (ann.CANCELLED, "cancelled"),
    "pause": (ann.PAUSED, "paused"),
    "resume": (ann.SCHEDULED, "resumed"),
}


async def change_announcement(
    deps: Deps, session: AsyncSession, row: Announcement | None, action: str, who: int | None
) -> str | None:
    """Apply one action to a stored announcement (caller's session); the reply text."""
    if row is None:
        return None
    row.status, done = ACTIONS[action]
    await ann.record(session, f"#{row.id}", done, who)
    if action == "resume":
        return deps.content.text("resumed", id=row.id, next=next_label(deps, row, deps.clock()))
    return deps.content.text(done, id=row.id)


async def manage_post(
    deps: Deps, context: Context, action: str, post_id: str, who: int | None
) -> str:
    """Pause or resume a content post (they are cancelled by editing posts.yaml)."""
    content, now = deps.content, deps.clock()
    post = next((p for p in content.posts if p.id == post_id), None)
    if post is None:
        return content.text("manage_unknown", id=escape(post_id))
    if action == "cancel":
        return content.text("cancel_content_post", id=post.id)
    async with deps.transaction() as session:
        paused = (await ann.post_states(session, content.posts))[post.id].paused
        if paused == (action == "pause"):
            return content.text("already_paused" if paused else "not_paused", id=post.id)
        await ann.set_post_paused(session, post.id, action == "pause", who, now)
    if action == "pause":
        ann.unschedule(context.application, ann.post_job_name(post.id))
        return content.text("paused", id=post.id)
    ann.schedule_post(context.application, post, deps.settings.zone, now)
    return content.text("resumed", id=post.id, next=post_next(deps, post.when, now))


def post_next(deps: Deps, phrase: str, now: datetime) -> str:
    """The next run of a content post, in the community zone."""
    zone = deps.settings.zone
    upcoming = next_run(parse_when(phrase, now, zone).cron or "", zone, now)
    return ann.show_time(upcoming, zone) if upcoming else "-"


def manager(action: str) -> Any:
    """The handler of /cancel, /pause or /resume."""

    @admin_only
    async def command(update: Update, context: Context) -> None:
        target = target_of(context.args)
        if target is None:
            usage = get_deps(context).content.text("manage_usage", command=action)
            await reply(update, usage)
            return
        await reply(update, await manage(context, action, target, user_id(update)))

    command.__name__ = f"{action}_command"
    return command


cancel_command = manager("cancel")


# --- Registration --------------------------------------------------------------------------


def conversation() -> ConversationHandler[Any]:
    """The /announce flow: per chat and per user, Cancel at every step, a 15-minute timeout."""
    typed = filters.TEXT & ~filters.COMMAND
    cancel = CallbackQueryHandler(cancel_draft, pattern=f"^{CB}cancel$")
    return flow(
        "announce",
        CommandHandler("announce", start),
        {
            TEXT: [
                MessageHandler(typed, got_text),
                MessageHandler(MEDIA, got_media),
                MessageHandler(~filters.COMMAND, not_text),
            ],
            WHEN: [
                MessageHandler(typed, got_when),
                CallbackQueryHandler(when_now, f"^{CB}now$"),
            ],
            PIN: [CallbackQueryHandler(got_pin, pattern=f"^{CB}pin:[01]$")],
            TOPIC: [
                MessageHandler(typed, got_topic),
                CallbackQueryHandler(no_topic, pattern=f"^{CB}topic:none$"),
            ],
            CONFIRM: [CallbackQueryHandler(confirm, pattern=f"^{CB}ok$")],
            ConversationHandler.TIMEOUT: [TypeHandler(Update, timed_out)],
        },
        [cancel, CommandHandler("cancel", cancel_draft)],
        TIMEOUT_SECONDS,
        # The step survives a restart or a takeover (bot.runtime.persistence).
        persistent=True,
    )


def register(application: Application[Any, Any, Any, Any, Any, Any], deps: Deps) -> None:
    """/announce, /scheduled, /cancel, /pause, /resume; jobs rebuilt at start-up."""
    application.add_handler(conversation())
    application.add_handler(CallbackQueryHandler(stale_button, pattern=f"^{CB}"))
    application.add_handler(CommandHandler("scheduled", scheduled_command))
    application.add_handler(CommandHandler("cancel", cancel_command))
    application.add_handler(CommandHandler("pause", manager("pause")))
    application.add_handler(CommandHandler("resume", manager("resume")))

    async def restore(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
        await ann.restore_jobs(app)

    deps.on_startup.append(restore)
