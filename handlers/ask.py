"""/ask: a member writes to the admins privately; an admin's reply reaches them from the bot.

Messages go to ADMIN_CHAT_ID: in a forum supergroup, one topic per member (the pattern of
MasterGroosha/telegram-feedback-bot-topics); in a plain group, under a header message that
admins reply to. Messages are copied (copyMessage), so formatting, photos and voice come
through as sent and the admin's name is not shown unless the admin turns on /sign.
Only ids and times are stored (see ``bot.features.ask``).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    MessageId,
    ReplyParameters,
    Update,
    User,
)
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.deps import Context, Deps, get_deps
from bot.features import ask
from bot.features.safety import mentions_crisis
from bot.features.text import escape
from bot.storage.models import AskThread
from bot.storage.privacy import ASK_DATA, PersonalData
from handlers.common import bot_link, is_private, reply
from handlers.links import crisis_message

log = logging.getLogger(__name__)

OPEN = "ask:open"
DEEP_LINK = "ask"
# How long after /ask (or the admins' last answer) a member's messages go to the admins.
WINDOW_SECONDS = 30 * 60
# Telegram's words when a forum topic was deleted, or the chat has no topics.
THREAD_GONE = ("message thread not found", "topic_deleted", "topic deleted")
# Telegram's words when the member can no longer be written to.
MEMBER_GONE = ("chat not found", "user is deactivated", "bot was blocked")
NOT_A_FORUM = ("not a forum", "chat_not_forum", "forum", "not enough rights")


# --- Who is writing to the admins now -------------------------------------------------------


@dataclass
class Asking:
    """Members whose next messages go to the admins, until a deadline (monotonic seconds)."""

    until: dict[int, float] = field(default_factory=dict)

    def open(self, member_id: int) -> None:
        """Their messages go to the admins for the next WINDOW_SECONDS."""
        self.until[member_id] = time.monotonic() + WINDOW_SECONDS

    def is_open(self, member_id: int) -> bool:
        """True while the member is writing to the admins."""
        if self.until.get(member_id, 0.0) > time.monotonic():
            return True
        self.until.pop(member_id, None)
        return False

    def close(self, member_id: int) -> None:
        """Their messages are FAQ questions again."""
        self.until.pop(member_id, None)


class IsAsking(filters.MessageFilter):
    """A private message from a member who is writing to the admins."""

    def __init__(self, asking: Asking) -> None:
        super().__init__(name="IsAsking")
        self.asking = asking

    def filter(self, message: Message) -> bool:
        """True while the sender's /ask is open."""
        user = message.from_user
        return user is not None and self.asking.is_open(user.id)


def asking_of(context: Context) -> Asking:
    """The application's open /ask windows."""
    return cast(Asking, context.bot_data["ask_asking"])


@dataclass(frozen=True)
class Place:
    """Where a member's conversation lives in the admins' chat."""

    chat_id: int
    topic_id: int | None = None
    header_id: int | None = None

    def send_kwargs(self) -> dict[str, Any]:
        """Parameters that put a message in the topic, or under the header."""
        if self.topic_id is not None:
            return {"message_thread_id": self.topic_id}
        if self.header_id is not None:
            return {
                "reply_parameters": ReplyParameters(
                    self.header_id, allow_sending_without_reply=True
                )
            }
        return {}


# --- The member's side ----------------------------------------------------------------------


def ask_button(update: Update, context: Context) -> InlineKeyboardButton | None:
    """The "Ask the admins" button: opens /ask here in private, the private chat from a group."""
    deps = get_deps(context)
    if deps.settings.admin_chat_id is None:
        return None
    label = deps.content_for(update).text("button_ask")
    if is_private(update):
        return InlineKeyboardButton(label, callback_data=OPEN)
    return InlineKeyboardButton(label, url=bot_link(context, DEEP_LINK))


def with_ask_button(
    update: Update, context: Context, markup: InlineKeyboardMarkup | None
) -> InlineKeyboardMarkup | None:
    """``markup`` with the "Ask the admins" button added as the last row (when /ask is set up)."""
    button = ask_button(update, context)
    if button is None:
        return markup
    rows = list(markup.inline_keyboard) if markup else []
    return InlineKeyboardMarkup([*rows, [button]])


async def ask_command(update: Update, context: Context) -> None:
    """/ask: in private, the next messages go to the admins; in a group, a link to private."""
    deps = get_deps(context)
    if deps.settings.admin_chat_id is None:
        await reply(update, deps.content_for(update).text("ask_unavailable"))
        return
    if not is_private(update):
        button = InlineKeyboardButton(
            deps.content_for(update).text("button_ask"), url=bot_link(context, DEEP_LINK)
        )
        await reply(
            update,
            deps.content_for(update).text("ask_in_private"),
            InlineKeyboardMarkup([[button]]),
        )
        return
    asking_of(context).open(member_id_of(update))
    await reply(update, deps.content_for(update).text("ask_prompt"))


async def open_button(update: Update, context: Context) -> None:
    """The "Ask the admins" button under a "no match" reply."""
    await cast(CallbackQuery, update.callback_query).answer()
    await ask_command(update, context)


async def open_deep_link(update: Update, context: Context, _payload: str) -> None:
    """``/start ask`` from the button in the group."""
    await ask_command(update, context)


async def done_command(update: Update, context: Context) -> None:
    """/done: the member has finished writing to the admins."""
    asking_of(context).close(member_id_of(update))
    await reply(update, get_deps(context).content_for(update).text("ask_done"))


async def media_hint(update: Update, context: Context) -> None:
    """A photo or voice message sent without /ask: offer to pass it to the admins."""
    button = ask_button(update, context)
    if button is not None:
        text = get_deps(context).content_for(update).text("ask_media_hint")
        await reply(update, text, InlineKeyboardMarkup([[button]]))


def member_id_of(update: Update) -> int:
    """The member behind an update."""
    return cast(User, update.effective_user).id


def can_relay(message: Message) -> bool:
    """Text, a photo or a voice message: what /ask passes on."""
    return bool(message.text or message.photo or message.voice)


async def member_message(update: Update, context: Context) -> None:
    """A member's message while /ask is open: pass it on, or say why not."""
    deps = get_deps(context)
    message = cast(Message, update.effective_message)
    if not can_relay(message):
        await reply(update, deps.content_for(update).text("ask_not_supported"))
        return
    await relay_to_admins(update, context, message)


@dataclass(frozen=True)
class Gate:
    """What the database says about a member who writes: blocked, over the limit, where."""

    blocked: bool
    tell_blocked: bool
    sent_last_hour: int
    place: Place | None
    closed: bool


async def gate(deps: Deps, member_id: int) -> Gate:
    """Read the member's block, hourly count and conversation, in one transaction."""
    now, chat_id = deps.clock(), cast(int, deps.settings.admin_chat_id)
    async with deps.transaction() as session:
        blocked, tell = await ask.blocked_needs_note(session, member_id, now)
        count = await ask.sent_last_hour(session, member_id, now)
        thread = await ask.thread_of(session, member_id)
        place = place_of(thread) if thread is not None and thread.chat_id == chat_id else None
        closed = thread is not None and thread.closed_at is not None
    return Gate(blocked, tell, count, place, closed)


def place_of(thread: AskThread) -> Place:
    """The place of a stored conversation."""
    return Place(thread.chat_id, thread.topic_id, thread.header_message_id)


async def relay_to_admins(update: Update, context: Context, message: Message) -> None:
    """Crisis help first; then blocked, over the limit (unless in crisis), or the copy, thanks."""
    deps, member = get_deps(context), cast(User, update.effective_user)
    state = await gate(deps, member.id)
    crisis = mentions_crisis(message.text or message.caption or "", deps.crisis_words())
    if crisis:  # help comes first, whatever else holds
        await reply(update, *crisis_message(deps.content_for(update)))
    if state.blocked:
        asking_of(context).close(member.id)
        if state.tell_blocked:
            await reply(update, deps.content_for(update).text("ask_blocked"))
        return
    limit = deps.settings.ask_limit_per_hour
    if state.sent_last_hour >= limit and not crisis:  # a crisis reaches the admins anyway
        await reply(update, deps.content_for(update).text("ask_limit", limit=limit))
        return
    try:
        place = await usable_place(context, state, member)
        copied = await copy_in(context, place, message, member, crisis=crisis)
    except TelegramError as exc:
        log.warning("Could not pass a message to the admins: %s", type(exc).__name__)
        await reply(update, deps.content_for(update).text("ask_failed"))
        return
    async with deps.transaction() as session:
        where = (copied[0].chat_id, copied[1].message_id)
        await ask.record_message(session, member.id, where, direction=ask.IN, now=deps.clock())
    asking_of(context).open(member.id)
    await reply(update, deps.content_for(update).text("ask_sent"))


async def usable_place(context: Context, state: Gate, member: User) -> Place:
    """The member's open conversation; a closed one reopened; or a new topic or header."""
    if state.place is None:
        return await new_place(context, member)
    if state.closed:
        return await reopen(context, state.place, member)
    return state.place


async def reopen(context: Context, place: Place, member: User) -> Place:
    """Reopen a closed topic (a new one if it is gone); a plain group gets a new header."""
    if place.topic_id is None:
        return await new_place(context, member)
    try:
        await context.bot.reopen_forum_topic(place.chat_id, place.topic_id)
    except BadRequest as exc:
        if "not_modified" not in exc.message.lower():
            return await new_place(context, member)
    deps = get_deps(context)
    async with deps.transaction() as session:
        await ask.open_thread(
            session,
            member.id,
            place.chat_id,
            topic_id=place.topic_id,
            header_id=None,
            now=deps.clock(),
        )
    return place


async def copy_in(
    context: Context, place: Place, message: Message, member: User, *, crisis: bool
) -> tuple[Place, MessageId]:
    """Copy the message into the conversation; a deleted topic is replaced once."""
    try:
        return place, await copy_to_place(context, place, message, crisis=crisis)
    except BadRequest as exc:
        if place.topic_id is None or not any(w in exc.message.lower() for w in THREAD_GONE):
            raise
        log.info("A member's topic was deleted by an admin; opening a new one")
        place = await new_place(context, member)
        return place, await copy_to_place(context, place, message, crisis=crisis)


async def copy_to_place(
    context: Context, place: Place, message: Message, *, crisis: bool
) -> MessageId:
    """The crisis mark when needed, then the member's message, as sent."""
    if crisis:
        text = get_deps(context).content.text("ask_admin_crisis")
        await context.bot.send_message(place.chat_id, text, **place.send_kwargs())
    return await message.copy(place.chat_id, **place.send_kwargs())


async def new_place(context: Context, member: User) -> Place:
    """A new topic named after the member (forum) or a header message (plain group)."""
    deps = get_deps(context)
    chat_id = cast(int, deps.settings.admin_chat_id)
    fields = {"name": escape(member.first_name), "short_id": ask.short_id(member.id)}
    topic_id = await create_topic(context, chat_id, member)
    if topic_id is not None:
        intro = deps.content.text("ask_admin_topic_intro", **fields)
        await context.bot.send_message(chat_id, intro, message_thread_id=topic_id)
        header_id = None
    else:
        header = await context.bot.send_message(
            chat_id, deps.content.text("ask_admin_header", **fields)
        )
        header_id = header.message_id
    async with deps.transaction() as session:
        await ask.open_thread(
            session, member.id, chat_id, topic_id=topic_id, header_id=header_id, now=deps.clock()
        )
    return Place(chat_id, topic_id, header_id)


async def create_topic(context: Context, chat_id: int, member: User) -> int | None:
    """A forum topic for the member, or None when the admins' chat has no topics."""
    forums: dict[int, bool] = context.bot_data.setdefault("ask_forums", {})
    if chat_id not in forums:
        try:
            forums[chat_id] = bool((await context.bot.get_chat(chat_id)).is_forum)
        except BadRequest:
            forums[chat_id] = False
    if not forums[chat_id]:
        return None
    try:
        topic = await context.bot.create_forum_topic(
            chat_id, ask.topic_name(member.first_name, member.id)
        )
    except BadRequest as exc:
        if not any(words in exc.message.lower() for words in NOT_A_FORUM):
            raise
        # Topics turned off, or the bot may not manage them: messages still arrive, under
        # headers, until the next start.
        log.warning("No forum topic in the admins' chat (%s); using header messages", exc.message)
        forums[chat_id] = False
        return None
    return topic.message_thread_id


# --- The admins' side -----------------------------------------------------------------------


async def member_for(deps: Deps, message: Message) -> int | None:
    """The member an admin's message answers: by its topic, or the message it replies to."""
    async with deps.transaction() as session:
        if message.is_topic_message and message.message_thread_id is not None:
            found = await ask.member_of_topic(session, message.chat_id, message.message_thread_id)
            if found is not None:
                return found
        replied = message.reply_to_message
        if replied is not None:
            return await ask.member_of_message(session, message.chat_id, replied.message_id)
    return None


async def admin_message(update: Update, context: Context) -> None:
    """An admin writes in a member's topic or replies to their message: it reaches the member."""
    deps = get_deps(context)
    message = cast(Message, update.effective_message)
    member_id = await member_for(deps, message)
    if member_id is not None:
        await relay_to_member(context, message, member_id)
        return
    if is_reply_to_the_bot(message, context.bot.id):
        # An answer meant for a member that cannot be placed: say so rather than drop it.
        await message.reply_text(deps.content.text("ask_admin_unknown_reply"))


def is_reply_to_the_bot(message: Message, bot_id: int) -> bool:
    """True when the message replies to one of the bot's own messages (not a topic's start)."""
    replied = message.reply_to_message
    if replied is None or replied.from_user is None or replied.forum_topic_created:
        return False
    return replied.from_user.id == bot_id


async def relay_to_member(context: Context, message: Message, member_id: int) -> None:
    """Copy the admin's message to the member (signed when the admin chose to)."""
    deps = get_deps(context)
    try:
        sent = await send_to_member(context, message, member_id)
    except (Forbidden, BadRequest) as exc:
        log.warning("An admin's answer was not delivered: %s", type(exc).__name__)
        await message.reply_text(undelivered_text(deps, exc))
        return
    async with deps.transaction() as session:
        where = (message.chat_id, message.message_id)
        await ask.record_message(session, member_id, where, direction=ask.OUT, now=deps.clock())
    log.info("An admin's answer reached member %s as message %s", member_id, sent.message_id)
    # The member can answer back without typing /ask again.
    asking_of(context).open(member_id)


def undelivered_text(deps: Deps, exc: TelegramError) -> str:
    """Why an answer did not reach the member, for the admin: gone, or Telegram's words."""
    if isinstance(exc, Forbidden) or any(w in exc.message.lower() for w in MEMBER_GONE):
        return deps.content.text("ask_admin_undelivered")
    return deps.content.text("ask_admin_not_copied", error=escape(exc.message))


CAPTIONED = ("photo", "video", "voice", "audio", "document", "animation")


async def send_to_member(context: Context, message: Message, member_id: int) -> MessageId:
    """A copy of the admin's message; with /sign on, their first name is added under it."""
    signed = bool((context.user_data or {}).get("ask_sign"))
    user = message.from_user
    if not signed or user is None:
        return await message.copy(member_id)
    content = get_deps(context).content_of_member(member_id)
    signature = content.text("ask_signature", name=escape(user.first_name))
    if message.text:
        sent = await context.bot.send_message(member_id, f"{message.text_html}\n\n{signature}")
        return MessageId(sent.message_id)
    if any(getattr(message, kind) for kind in CAPTIONED):
        caption = f"{message.caption_html}\n\n{signature}" if message.caption else signature
        return await message.copy(member_id, caption=caption)
    copied = await message.copy(member_id)
    await context.bot.send_message(member_id, signature)
    return copied


async def sign_command(update: Update, context: Context) -> None:
    """/sign: an admin's answers show their first name, or stop showing it."""
    if context.user_data is None:
        return
    signed = not context.user_data.get("ask_sign", False)
    context.user_data["ask_sign"] = signed
    key = "ask_admin_sign_on" if signed else "ask_admin_sign_off"
    await cast(Message, update.effective_message).reply_text(get_deps(context).content.text(key))


async def admin_command_target(update: Update, context: Context) -> int | None:
    """The member a /close, /block or /unblock is about; tells the admin when it is unclear."""
    deps = get_deps(context)
    message = cast(Message, update.effective_message)
    member_id = await member_for(deps, message)
    if member_id is None:
        await message.reply_text(deps.content.text("ask_admin_which"))
    return member_id


async def close_command(update: Update, context: Context) -> None:
    """/close: end the conversation (the topic is closed); the member is told kindly."""
    deps = get_deps(context)
    member_id = await admin_command_target(update, context)
    if member_id is None:
        return
    async with deps.transaction() as session:
        thread = await ask.close_thread(session, member_id, deps.clock())
        place = place_of(thread) if thread is not None else None
    message = cast(Message, update.effective_message)
    await message.reply_text(deps.content.text("ask_admin_closed"))
    if place is not None and place.topic_id is not None:
        await close_topic(context, place)
    asking_of(context).close(member_id)
    try:
        closed = deps.content_of_member(member_id).text("ask_member_closed")
        await context.bot.send_message(member_id, closed)
    except Forbidden:
        log.info("Member %s has blocked the bot; not told of the close", member_id)


async def close_topic(context: Context, place: Place) -> None:
    """Close a forum topic; one already closed or deleted is fine."""
    try:
        await context.bot.close_forum_topic(place.chat_id, cast(int, place.topic_id))
    except BadRequest as exc:
        log.info("Topic not closed: %s", exc.message)


async def block_command(update: Update, context: Context) -> None:
    """/block: the member's messages stop reaching the admins (they are told once)."""
    deps = get_deps(context)
    member_id = await admin_command_target(update, context)
    if member_id is None:
        return
    who = update.effective_user.id if update.effective_user else None
    async with deps.transaction() as session:
        done = await ask.block(session, member_id, who, deps.clock())
    key = "ask_admin_blocked" if done else "ask_admin_already_blocked"
    await cast(Message, update.effective_message).reply_text(deps.content.text(key))


async def unblock_command(update: Update, context: Context) -> None:
    """/unblock: the member can write to the admins again."""
    deps = get_deps(context)
    member_id = await admin_command_target(update, context)
    if member_id is None:
        return
    async with deps.transaction() as session:
        done = await ask.unblock(session, member_id)
    key = "ask_admin_unblocked" if done else "ask_admin_not_blocked"
    await cast(Message, update.effective_message).reply_text(deps.content.text(key))


# --- /forget -------------------------------------------------------------------------------


def forget_and_close(application: Application[Any, Any, Any, Any, Any, Any]) -> PersonalData:
    """The /ask data for /mydata and /forget; after /forget the member's topic is closed."""
    # Where each member's conversation was, between the erase and the closing after it.
    places: dict[int, Place] = {}

    async def erase(session: AsyncSession, member_id: int) -> int:
        thread = await ask.thread_of(session, member_id)
        if thread is not None:
            places[member_id] = place_of(thread)
        return await ASK_DATA.erase(session, member_id)

    async def close(member_id: int) -> None:
        place = places.pop(member_id, None)
        if place is not None:
            await tell_forgotten(application, place)

    return PersonalData(ASK_DATA.name, ASK_DATA.describe, erase, close)


async def tell_forgotten(
    application: Application[Any, Any, Any, Any, Any, Any], place: Place
) -> None:
    """Tell the admins in the conversation that it is erased, and close its topic."""
    deps = cast(Deps, application.bot_data["deps"])
    bot = application.bot
    try:
        text = deps.content.text("ask_admin_forgotten")
        await bot.send_message(place.chat_id, text, **place.send_kwargs())
        if place.topic_id is not None:
            await bot.close_forum_topic(place.chat_id, place.topic_id)
    except TelegramError as exc:
        log.warning("Could not close a forgotten member's topic: %s", type(exc).__name__)


# --- Housekeeping --------------------------------------------------------------------------


PRUNE_EVERY_SECONDS = 24 * 3600
PRUNE_JOB = "ask:prune"


async def prune_job(context: Context) -> None:
    """Daily: forget relayed message ids older than 30 days (ids and times only)."""
    deps = get_deps(context)
    async with deps.transaction() as session:
        gone = await ask.prune_messages(session, deps.clock())
    if gone:
        log.info("Forgot %s old /ask message id(s)", gone)


async def start_pruning(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Once the database is ready: prune five minutes after start, then daily."""
    queue = application.job_queue
    if queue is None:
        return
    for job in queue.get_jobs_by_name(PRUNE_JOB):
        job.schedule_removal()
    queue.run_repeating(
        prune_job, PRUNE_EVERY_SECONDS, first=300, name=PRUNE_JOB, job_kwargs={"coalesce": True}
    )


# --- Registration --------------------------------------------------------------------------


def register(application: Application[Any, Any, Any, Any, Any, Any], deps: Deps) -> None:
    """/ask, /done and the button for members; the admins' chat; /ask data for /forget."""
    asking = Asking()
    application.bot_data["ask_asking"] = asking
    application.add_handler(CommandHandler("ask", ask_command))
    application.add_handler(CommandHandler("done", done_command, filters.ChatType.PRIVATE))
    application.add_handler(CallbackQueryHandler(open_button, pattern=f"^{OPEN}$"))
    deps.deep_links[DEEP_LINK] = open_deep_link
    deps.personal_data.append(forget_and_close(application))
    deps.on_startup.append(start_pruning)
    admin_chat = deps.settings.admin_chat_id
    if admin_chat is not None:
        in_admin_chat = filters.Chat(admin_chat)
        for name, callback in (
            ("sign", sign_command),
            ("close", close_command),
            ("block", block_command),
            ("unblock", unblock_command),
        ):
            application.add_handler(CommandHandler(name, callback, in_admin_chat))
        application.add_handler(
            MessageHandler(
                in_admin_chat & ~filters.COMMAND & ~filters.StatusUpdate.ALL, admin_message
            )
        )


def register_member_messages(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """A member's private messages while /ask is open; before the typed-answer flows and FAQ."""
    asking = cast(Asking, application.bot_data["ask_asking"])
    private = filters.ChatType.PRIVATE & ~filters.COMMAND
    application.add_handler(MessageHandler(private & IsAsking(asking), member_message))
    # A photo or voice message outside /ask: the bot cannot read it, the admins can.
    application.add_handler(MessageHandler(private & (filters.PHOTO | filters.VOICE), media_hint))
