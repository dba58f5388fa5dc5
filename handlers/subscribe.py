"""Daily tips: /subscribe, /tip, /settings, /unsubscribe, the ``subscribe`` deep link, the job.

Every choice is a button whose data carries all it needs, so an old message's buttons still
work after a restart. Members may also type a time or a zone when asked; the bot remembers for
a while what it asked each member (``Waiting``) and answers typed text only then.
"""

from __future__ import annotations

import logging
import time as monotonic_time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any, cast

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    JobQueue,
    MessageHandler,
    filters,
)

from bot.deps import Context, Deps, app_deps, get_deps
from bot.features import subscriptions as subs
from bot.features.content import Content
from bot.features.delivery import JOB_NAME, Policy, deliver_due, recover_interrupted
from bot.features.sending import TIP, sending
from bot.features.text import escape, fits_callback
from bot.features.tips import Tip, tip_of_day
from bot.storage.models import Subscription
from handlers.common import bot_link, is_private, reply
from handlers.faq import DEEP_LINK_PREFIX as FAQ_LINK
from handlers.faq import edit

log = logging.getLogger(__name__)

PREFIX = "tips:"
DEEP_LINK = "subscribe"
SETTINGS_LINK = "subscribe-settings"
COMMON_TIMES = ("07:00", "08:00", "09:00", "10:00", "12:00", "15:00", "18:00", "20:00")
COMMON_ZONES = (
    "Europe/London", "Europe/Madrid", "America/New_York", "America/Chicago",
    "America/Los_Angeles", "America/Mexico_City", "America/Bogota", "UTC",
)  # fmt: skip
WAIT_SECONDS = 3600.0  # how long a question stays open for a typed answer
QUESTION = "tips:question"  # the user_data key of the open question (bot.runtime.persistence)

AnyApp = Application[Any, Any, Any, Any, Any, Any]
TypedAnswer = Callable[[Update, Context, str, str], Awaitable[None]]


# --- Questions waiting for a typed answer ---------------------------------------------------


@dataclass
class Waiting:
    """What the bot last asked each member in private, so typed text can answer it.

    The question lives in the member's ``user_data`` under ``QUESTION``, a flow key that
    ``bot.runtime.persistence`` keeps in the database: a restart still reads the answer. Its
    expiry is wall-clock time (seconds since the epoch), so it means the same after a restart.
    """

    answers: dict[str, TypedAnswer] = field(default_factory=dict)
    users: Mapping[int, dict[Any, Any]] = field(default_factory=dict)

    def attach(self, application: AnyApp) -> None:
        """Keep questions in the application's ``user_data``."""
        self.users = application.user_data

    def ask(self, user_id: int, kind: str, extra: str = "") -> None:
        """Remember a question (``kind`` names the function that reads the answer)."""
        self.users[user_id][QUESTION] = [kind, extra, monotonic_time.time() + WAIT_SECONDS]

    def question(self, user_id: int) -> tuple[str, str] | None:
        """The open question for this member, if any."""
        data = self.users.get(user_id)
        found = data.get(QUESTION) if data else None
        if data is None or found is None:
            return None
        if found[2] < monotonic_time.time():
            data.pop(QUESTION, None)
            return None
        return str(found[0]), str(found[1])

    def done(self, user_id: int) -> None:
        """The question was answered."""
        data = self.users.get(user_id)
        if data is not None:
            data.pop(QUESTION, None)


class AwaitingAnswer(filters.MessageFilter):
    """Private text from a member the bot asked a question."""

    def __init__(self, waiting: Waiting) -> None:
        super().__init__(name="AwaitingAnswer")
        self.waiting = waiting

    def filter(self, message: Message) -> bool:
        """True when this member has an open question."""
        user = message.from_user
        return user is not None and self.waiting.question(user.id) is not None


def waiting_of(context: Context) -> Waiting:
    """The application's open questions."""
    return cast(Waiting, context.bot_data["tips_waiting"])


def user_id_of(update: Update) -> int:
    """The id of the member behind an update."""
    return update.effective_user.id if update.effective_user else 0


# --- What members read ----------------------------------------------------------------------


def tip_message(content: Content, tip: Tip, username: str) -> tuple[str, InlineKeyboardMarkup]:
    """The tip as a message; a button opens the related FAQ answer as a new message."""
    text = content.text("tips_today", tip=escape(tip.text))
    rows = []
    entry = content.faq_entry(tip.faq) if tip.faq else None
    if entry is not None:
        url = f"https://t.me/{username}?start={FAQ_LINK}{entry.id}"
        label = content.text("button_tip_faq", title=entry.title)
        rows.append([InlineKeyboardButton(label, url=url)])
    return text, InlineKeyboardMarkup(rows)


def when_text(content: Content, due: datetime, zone_name: str, now: datetime) -> str:
    """A due moment as the member reads it: ``today at 10:00``, ``on Tuesday 3 June at...``."""
    zone = subs.zone_info(zone_name)
    local = due.astimezone(zone)
    days = (local.date() - now.astimezone(zone).date()).days
    at = f"{local:%H:%M}"
    if days == 0:
        return content.text("tips_when_today", time=at)
    if days == 1:
        return content.text("tips_when_tomorrow", time=at)
    return content.text("tips_when_date", date=content.day(local), time=at)


def day_text(content: Content, moment: datetime, zone_name: str) -> str:
    """A date as the member reads it, in their language: "Friday, June 6"."""
    return content.day(moment.astimezone(subs.zone_info(zone_name)))


def zone_label(zone_name: str) -> str:
    """A zone name as the member reads it."""
    return zone_name.replace("_", " ")


def sub_fields(content: Content, sub: Subscription, now: datetime) -> dict[str, str]:
    """The fields texts about a subscription use: when, time, zone."""
    when = ""
    if sub.next_due_utc is not None:
        when = when_text(content, sub.next_due_utc, sub.time_zone, now)
    return {"when": when, "time": f"{sub.local_time:%H:%M}", "zone": zone_label(sub.time_zone)}


def rows_of(buttons: list[InlineKeyboardButton], width: int) -> list[list[InlineKeyboardButton]]:
    """Buttons laid out ``width`` to a row."""
    return [buttons[i : i + width] for i in range(0, len(buttons), width)]


def time_markup(content: Content, action: str) -> InlineKeyboardMarkup:
    """The common times as buttons; ``action`` is ``st`` (subscribing) or ``t`` (settings)."""
    buttons = [
        InlineKeyboardButton(
            content.text("button_time", time=t),
            callback_data=f"{PREFIX}{action}:{t.replace(':', '')}",
        )
        for t in COMMON_TIMES
    ]
    return InlineKeyboardMarkup(rows_of(buttons, 4))


def zone_markup(
    content: Content, community: str, prefix: str, choices: tuple[str, ...] = ()
) -> InlineKeyboardMarkup:
    """Time zones as buttons: the community's first, then common ones (or ``choices``)."""
    names = list(choices) if choices else [community, *(z for z in COMMON_ZONES if z != community)]
    buttons = []
    for name in names[:8]:
        key = "button_community_zone" if name == community else "button_zone"
        data = f"{prefix}{name}"
        if fits_callback(data):
            label = content.text(key, zone=zone_label(name))
            buttons.append(InlineKeyboardButton(label, callback_data=data))
    return InlineKeyboardMarkup(rows_of(buttons, 2))


def settings_view(
    content: Content, sub: Subscription, now: datetime
) -> tuple[str, InlineKeyboardMarkup]:
    """The /settings message for a live subscription, with its buttons."""
    fields = sub_fields(content, sub, now)
    if sub.status == subs.PAUSED and sub.paused_until is not None:
        status = content.text(
            "tips_status_paused", until=day_text(content, sub.paused_until, sub.time_zone)
        )
        first = [
            InlineKeyboardButton(content.text("button_resume"), callback_data=f"{PREFIX}resume")
        ]
    else:
        status = content.text("tips_status_active", when=fields["when"])
        first = [
            InlineKeyboardButton(content.text("button_pause"), callback_data=f"{PREFIX}pause")
        ]
    rows = [
        first,
        [
            InlineKeyboardButton(
                content.text("button_change_time"), callback_data=f"{PREFIX}time"
            ),
            InlineKeyboardButton(
                content.text("button_change_zone"), callback_data=f"{PREFIX}zone"
            ),
        ],
        [InlineKeyboardButton(content.text("button_unsubscribe"), callback_data=f"{PREFIX}unsub")],
    ]
    text = content.text("tips_settings", time=fields["time"], zone=fields["zone"], status=status)
    return text, InlineKeyboardMarkup(rows)


def pause_markup(content: Content) -> InlineKeyboardMarkup:
    """The flare-up pause lengths."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    content.text("button_pause_days", days=days), callback_data=f"{PREFIX}p:{days}"
                )
                for days in subs.PAUSE_DAYS
            ]
        ]
    )


def unsubscribe_markup(content: Content) -> InlineKeyboardMarkup:
    """Confirm or keep."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    content.text("button_confirm_unsubscribe"), callback_data=f"{PREFIX}unsub!"
                ),
                InlineKeyboardButton(content.text("button_keep"), callback_data=f"{PREFIX}keep"),
            ]
        ]
    )


def private_button(content: Content, context: Context, payload: str) -> InlineKeyboardMarkup:
    """One button opening the private chat with ``/start payload``."""
    url = bot_link(context, payload)
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(content.text("button_open_private"), url=url)]]
    )


# --- Steps of the conversation --------------------------------------------------------------


async def ask_time(update: Update, context: Context, *, editing: bool = False) -> None:
    """Subscribing, step 1: the time (or one tap for the default, 10:00 community time)."""
    deps = get_deps(context)
    content, community = deps.content_for(update), deps.settings.timezone
    waiting_of(context).ask(user_id_of(update), "sub_time")
    default = f"{subs.DEFAULT_TIME:%H:%M}"
    label = content.text("button_default_time", time=default, zone=zone_label(community))
    data = f"{PREFIX}sz:{subs.DEFAULT_TIME:%H%M}:{community}"
    markup = time_markup(content, "st")
    if fits_callback(data):
        rows = [*markup.inline_keyboard, [InlineKeyboardButton(label, callback_data=data)]]
        markup = InlineKeyboardMarkup(rows)
    await show(update, content.text("tips_ask_time"), markup, editing)


async def ask_zone(update: Update, context: Context, at: time, *, editing: bool) -> None:
    """Subscribing, step 2: the zone (the chosen time rides along in the buttons)."""
    deps = get_deps(context)
    hhmm = f"{at:%H%M}"
    waiting_of(context).ask(user_id_of(update), "sub_zone", hhmm)
    markup = zone_markup(deps.content_for(update), deps.settings.timezone, f"{PREFIX}sz:{hhmm}:")
    text = deps.content_for(update).text("tips_ask_zone", time=f"{at:%H:%M}")
    await show(update, text, markup, editing)


async def show(
    update: Update, text: str, markup: InlineKeyboardMarkup | None, editing: bool
) -> None:
    """Edit the message a button sits on, or reply with a new one."""
    if editing and update.callback_query is not None:
        await edit(update.callback_query, text, markup or InlineKeyboardMarkup([]))
    else:
        await reply(update, text, markup)


async def finish_subscribe(
    update: Update, context: Context, at: time, zone: str, *, editing: bool
) -> None:
    """Subscribing, done: store it, log it, confirm the next delivery in local time."""
    deps = get_deps(context)
    now = deps.clock()
    async with deps.transaction() as session:
        content = deps.content_for(update)
        sub = await subs.subscribe(
            session,
            user_id_of(update),
            at,
            zone,
            now=now,
            source="/subscribe",
            language=content.language,
        )
        fields = sub_fields(content, sub, now)
    waiting_of(context).done(user_id_of(update))
    await show(update, content.text("tips_subscribed", **fields), None, editing)


async def live_subscription(deps: Deps, user_id: int) -> Subscription | None:
    """The member's subscription unless it ended."""
    async with deps.transaction() as session:
        sub = await subs.get_subscription(session, user_id)
    return sub if sub is not None and sub.status != subs.ENDED else None


async def show_settings(update: Update, context: Context, *, editing: bool = False) -> None:
    """The settings menu, or a pointer to /subscribe."""
    deps = get_deps(context)
    sub = await live_subscription(deps, user_id_of(update))
    if sub is None:
        waiting_of(context).done(user_id_of(update))
        await show(update, deps.content_for(update).text("tips_not_subscribed"), None, editing)
        return
    waiting_of(context).ask(user_id_of(update), "menu")
    text, markup = settings_view(deps.content_for(update), sub, deps.clock())
    await show(update, text, markup, editing)


Change = Callable[[Any, Subscription, datetime], Awaitable[None]]


async def change(
    update: Update, context: Context, key: str, apply: Change, *, editing: bool
) -> None:
    """Apply a settings change to a live subscription and confirm it with ``key``'s text."""
    deps = get_deps(context)
    now = deps.clock()
    waiting_of(context).done(user_id_of(update))
    async with deps.transaction() as session:
        sub = await subs.get_subscription(session, user_id_of(update))
        if sub is None or sub.status == subs.ENDED:
            text = deps.content_for(update).text("tips_not_subscribed")
        else:
            await apply(session, sub, now)
            text = confirmation(deps.content_for(update), key, sub, now)
    await show(update, text, None, editing)


def confirmation(content: Content, key: str, sub: Subscription, now: datetime) -> str:
    """The text confirming a change: the next tip, or the end of the pause."""
    until = (
        day_text(content, sub.paused_until, sub.time_zone) if sub.paused_until is not None else ""
    )
    return content.text(key, until=until, **sub_fields(content, sub, now))


async def set_time(update: Update, context: Context, at: time, *, editing: bool) -> None:
    """Settings: a new time."""

    async def apply(session: Any, sub: Subscription, now: datetime) -> None:
        await subs.change_time(session, sub, at, now, "/settings")

    await change(update, context, "tips_changed", apply, editing=editing)


async def set_zone(update: Update, context: Context, zone: str, *, editing: bool) -> None:
    """Settings: a new zone."""

    async def apply(session: Any, sub: Subscription, now: datetime) -> None:
        await subs.change_zone(session, sub, zone, now, "/settings")

    await change(update, context, "tips_changed", apply, editing=editing)


# --- Commands -------------------------------------------------------------------------------


async def subscribe_command(update: Update, context: Context) -> None:
    """/subscribe: in private, ask time and zone; in the group, a button to the private chat."""
    deps = get_deps(context)
    if not is_private(update):
        markup = private_button(deps.content_for(update), context, DEEP_LINK)
        await reply(update, deps.content_for(update).text("tips_in_private"), markup)
        return
    sub = await live_subscription(deps, user_id_of(update))
    if sub is not None:
        fields = sub_fields(deps.content_for(update), sub, deps.clock())
        _, markup = settings_view(deps.content_for(update), sub, deps.clock())
        waiting_of(context).ask(user_id_of(update), "menu")
        await reply(update, deps.content_for(update).text("tips_already", **fields), markup)
        return
    await ask_time(update, context)


async def open_deep_link(update: Update, context: Context, payload: str) -> None:
    """``/start subscribe`` (from the group's button) and ``/start subscribe-settings``."""
    if payload == SETTINGS_LINK:
        await show_settings(update, context)
    else:
        await subscribe_command(update, context)


async def tip_command(update: Update, context: Context) -> None:
    """/tip: today's tip, for anyone (the member's own date when they chose a zone)."""
    deps = get_deps(context)
    if not deps.content_for(update).tips:
        await reply(update, deps.content_for(update).text("tips_none"))
        return
    sub = await live_subscription(deps, user_id_of(update)) if is_private(update) else None
    zone = sub.time_zone if sub is not None else deps.settings.timezone
    today = deps.clock().astimezone(subs.zone_info(zone)).date()
    text, markup = tip_message(
        deps.content_for(update),
        tip_of_day(deps.content_for(update).tips, today),
        bot_name(context),
    )
    if sub is None:
        label = deps.content_for(update).text("button_tip_subscribe")
        button = (
            InlineKeyboardButton(label, callback_data=f"{PREFIX}start")
            if is_private(update)
            else InlineKeyboardButton(label, url=bot_link(context, DEEP_LINK))
        )
        markup = InlineKeyboardMarkup([*markup.inline_keyboard, [button]])
    await reply(update, text, markup)


def bot_name(context: Context) -> str:
    """The bot's username, for t.me links."""
    return context.bot.username or ""


async def private_only(update: Update, context: Context, payload: str) -> bool:
    """In the group, point to the private chat and return True."""
    if is_private(update):
        return False
    content = get_deps(context).content_for(update)
    await reply(
        update, content.text("tips_private_only"), private_button(content, context, payload)
    )
    return True


async def settings_command(update: Update, context: Context) -> None:
    """/settings: time, zone, pause, resume, unsubscribe."""
    if not await private_only(update, context, SETTINGS_LINK):
        await show_settings(update, context)


async def unsubscribe_command(update: Update, context: Context) -> None:
    """/unsubscribe: one tap to confirm."""
    if await private_only(update, context, SETTINGS_LINK):
        return
    deps = get_deps(context)
    if await live_subscription(deps, user_id_of(update)) is None:
        await reply(update, deps.content_for(update).text("tips_not_subscribed"))
        return
    waiting_of(context).ask(user_id_of(update), "unsub")
    await reply(
        update,
        deps.content_for(update).text("tips_ask_unsubscribe"),
        unsubscribe_markup(deps.content_for(update)),
    )


# --- Buttons --------------------------------------------------------------------------------


def hhmm(value: str) -> time | None:
    """A time from button data such as ``0930``."""
    return subs.parse_time(f"{value[:2]}:{value[2:]}") if len(value) == 4 else None


async def pause_for(update: Update, context: Context, days: int, *, editing: bool) -> None:
    """Settings: a flare-up pause."""
    if days not in subs.PAUSE_DAYS:
        await show_settings(update, context, editing=editing)
        return

    async def apply(session: Any, sub: Subscription, now: datetime) -> None:
        await subs.pause(session, sub, days, now, "/settings")

    await change(update, context, "tips_paused", apply, editing=editing)


async def resume_now(update: Update, context: Context) -> None:
    """Settings: resume."""

    async def apply(session: Any, sub: Subscription, now: datetime) -> None:
        if sub.status == subs.PAUSED:
            await subs.resume(session, sub, now, "/settings")

    await change(update, context, "tips_resumed", apply, editing=True)


async def stop(update: Update, context: Context) -> None:
    """Unsubscribe, confirmed: a warm goodbye and nothing else."""

    async def apply(session: Any, sub: Subscription, now: datetime) -> None:
        await subs.end(session, sub, subs.UNSUBSCRIBED, now, "/unsubscribe")

    await change(update, context, "tips_unsubscribed", apply, editing=True)


async def keep(update: Update, context: Context) -> None:
    """Unsubscribe, cancelled."""

    async def apply(session: Any, sub: Subscription, now: datetime) -> None:
        """Nothing changes."""

    await change(update, context, "tips_kept", apply, editing=True)


async def ask(
    update: Update, context: Context, kind: str, key: str, markup: InlineKeyboardMarkup
) -> None:
    """Ask a question in the settings (editing the menu) and wait for the answer."""
    waiting_of(context).ask(user_id_of(update), kind)
    await show(update, get_deps(context).content_for(update).text(key), markup, True)


Action = Callable[[Update, Context, str], Awaitable[None]]


async def chose_time(update: Update, context: Context, rest: str) -> None:
    """Subscribing: a time button (``st:0930``)."""
    at = hhmm(rest)
    if at is None:
        await ask_time(update, context, editing=True)
    else:
        await ask_zone(update, context, at, editing=True)


async def chose_zone(update: Update, context: Context, rest: str) -> None:
    """Subscribing: a zone button (``sz:0930:Europe/Madrid``)."""
    at, zone = hhmm(rest[:4]), rest[5:]
    if at is None or not subs.is_valid_zone(zone):
        await ask_time(update, context, editing=True)
    else:
        await finish_subscribe(update, context, at, zone, editing=True)


async def new_time(update: Update, context: Context, rest: str) -> None:
    """Settings: a time button (``t:0930``)."""
    at = hhmm(rest)
    if at is None:
        await show_settings(update, context, editing=True)
    else:
        await set_time(update, context, at, editing=True)


async def new_zone(update: Update, context: Context, rest: str) -> None:
    """Settings: a zone button (``z:Europe/Madrid``)."""
    if subs.is_valid_zone(rest):
        await set_zone(update, context, rest, editing=True)
    else:
        await show_settings(update, context, editing=True)


async def ask_new_time(update: Update, context: Context, _rest: str) -> None:
    """Settings: which time?"""
    markup = time_markup(get_deps(context).content_for(update), "t")
    await ask(update, context, "time", "tips_ask_new_time", markup)


async def ask_new_zone(update: Update, context: Context, _rest: str) -> None:
    """Settings: which zone?"""
    deps = get_deps(context)
    markup = zone_markup(deps.content_for(update), deps.settings.timezone, f"{PREFIX}z:")
    await ask(update, context, "zone", "tips_ask_new_zone", markup)


async def ask_pause(update: Update, context: Context, _rest: str) -> None:
    """Settings: how long a pause?"""
    await ask(
        update,
        context,
        "pause",
        "tips_ask_pause",
        pause_markup(get_deps(context).content_for(update)),
    )


async def ask_unsubscribe(update: Update, context: Context, _rest: str) -> None:
    """Settings: stop the tips?"""
    markup = unsubscribe_markup(get_deps(context).content_for(update))
    await ask(update, context, "unsub", "tips_ask_unsubscribe", markup)


ACTIONS: dict[str, Action] = {
    "start": lambda update, context, _rest: ask_time(update, context),
    "menu": lambda update, context, _rest: show_settings(update, context, editing=True),
    "st": chose_time,
    "sz": chose_zone,
    "t": new_time,
    "z": new_zone,
    "time": ask_new_time,
    "zone": ask_new_zone,
    "pause": ask_pause,
    "p": lambda u, c, rest: pause_for(u, c, int(rest) if rest.isdigit() else 0, editing=True),
    "resume": lambda update, context, _rest: resume_now(update, context),
    "unsub": ask_unsubscribe,
    "unsub!": lambda update, context, _rest: stop(update, context),
    "keep": lambda update, context, _rest: keep(update, context),
}


async def button(update: Update, context: Context) -> None:
    """Every daily-tips button; an unknown one (from an older version) opens the settings."""
    query = cast(CallbackQuery, update.callback_query)
    await query.answer()
    action, _, rest = cast(str, query.data).removeprefix(PREFIX).partition(":")
    handler = ACTIONS.get(action)
    if handler is None:
        await show_settings(update, context, editing=True)
    else:
        await handler(update, context, rest)


# --- Typed answers --------------------------------------------------------------------------


async def typed(update: Update, context: Context) -> None:
    """Text typed while a question is open: read it as the answer."""
    waiting = waiting_of(context)
    question = waiting.question(user_id_of(update))
    if question is None:
        return
    kind, extra = question
    text = (cast(Message, update.effective_message).text or "").strip()
    await waiting.answers[kind](update, context, text, extra)


def shown(text: str) -> str:
    """What the member typed, safe and short enough to quote back."""
    return escape(text[:40])


async def typed_time(update: Update, context: Context, text: str, kind: str) -> None:
    """A typed time, while subscribing (``st``) or in the settings (``t``)."""
    content = get_deps(context).content_for(update)
    at = subs.parse_time(text)
    if at is None:
        await reply(
            update, content.text("tips_bad_time", text=shown(text)), time_markup(content, kind)
        )
    elif kind == "st":
        await ask_zone(update, context, at, editing=False)
    else:
        await set_time(update, context, at, editing=False)


async def typed_zone(update: Update, context: Context, text: str, at: time | None) -> None:
    """A typed zone, while subscribing (``at`` is the chosen time) or in the settings."""
    deps = get_deps(context)
    content = deps.content_for(update)
    prefix = f"{PREFIX}sz:{at:%H%M}:" if at is not None else f"{PREFIX}z:"
    answer = subs.parse_zone(text)
    if answer.zone is not None and at is not None:
        await finish_subscribe(update, context, at, answer.zone, editing=False)
    elif answer.zone is not None:
        await set_zone(update, context, answer.zone, editing=False)
    elif answer.choices:
        markup = zone_markup(content, deps.settings.timezone, prefix, answer.choices)
        await reply(update, content.text("tips_pick_zone", place=shown(text)), markup)
    else:
        markup = zone_markup(content, deps.settings.timezone, prefix)
        await reply(update, content.text("tips_bad_zone", text=shown(text)), markup)


async def typed_instead_of_button(update: Update, context: Context, kind: str) -> None:
    """Text where a button was expected: a short hint and the same choices again."""
    deps = get_deps(context)
    content = deps.content_for(update)
    if kind == "menu":
        sub = await live_subscription(deps, user_id_of(update))
        if sub is None:
            await reply(update, content.text("tips_not_subscribed"))
            return
        _, markup = settings_view(content, sub, deps.clock())
    else:
        markup = pause_markup(content) if kind == "pause" else unsubscribe_markup(content)
    await reply(update, content.text("tips_use_buttons"), markup)


def typed_answers() -> dict[str, TypedAnswer]:
    """The function reading the answer to each kind of question."""

    async def sub_time(update: Update, context: Context, text: str, _extra: str) -> None:
        await typed_time(update, context, text, "st")

    async def new_time(update: Update, context: Context, text: str, _extra: str) -> None:
        await typed_time(update, context, text, "t")

    async def sub_zone(update: Update, context: Context, text: str, extra: str) -> None:
        await typed_zone(update, context, text, hhmm(extra) or subs.DEFAULT_TIME)

    async def new_zone(update: Update, context: Context, text: str, _extra: str) -> None:
        await typed_zone(update, context, text, None)

    def buttons(kind: str) -> TypedAnswer:
        async def answer(update: Update, context: Context, _text: str, _extra: str) -> None:
            await typed_instead_of_button(update, context, kind)

        return answer

    answers = {"sub_time": sub_time, "time": new_time, "sub_zone": sub_zone, "zone": new_zone}
    return answers | {kind: buttons(kind) for kind in ("menu", "pause", "unsub")}


# --- The delivery job -----------------------------------------------------------------------


def policy_of(deps: Deps) -> Policy:
    """The delivery policy from the settings: a batch is one second of messages, at most 100."""
    settings = deps.settings
    return Policy(
        grace=timedelta(hours=settings.tips_missed_grace_hours),
        batch=max(10, min(100, int(settings.tips_rate_limit))),
        tick=timedelta(seconds=settings.tips_job_interval),
    )


async def delivery_job(context: Context) -> None:
    """The minute job: send every tip that is due."""
    deps = get_deps(context)
    content, username = deps.content, bot_name(context)

    composed: dict[tuple[str, str | None], tuple[str, InlineKeyboardMarkup]] = {}

    def compose(tip: Tip, language: str | None) -> tuple[str, InlineKeyboardMarkup | None]:
        # A run sends one or two tips to everyone, in a few languages: compose each once.
        # The tip of the day is the same tip (by id) in every language.
        if (tip.id, language) not in composed:
            local = deps.content_in(language)
            composed[tip.id, language] = tip_message(local, local.tip(tip.id) or tip, username)
        return composed[tip.id, language]

    with sending(TIP):
        report = await deliver_due(
            transaction=deps.transaction,
            clock=deps.clock,
            bot=context.bot,
            tips=content.tips,
            compose=compose,
            policy=policy_of(deps),
            # A process that lost its role stops claiming: the next active one sends the rest.
            keep_going=lambda: context.application.running and deps.role.is_active(),
        )
    deps.metrics.count_tips(report.counts)
    if report.counts:
        log.info("Daily tips: %s", report.counts)


async def start_delivery(application: AnyApp) -> None:
    """At start-up: resend what a crash interrupted, then run the job on the minute."""
    deps = app_deps(application)
    async with deps.transaction() as session:
        interrupted = await recover_interrupted(session, deps.clock())
    if interrupted:
        log.warning("%s tip(s) were being sent when the bot stopped; sending again", interrupted)
    interval = deps.settings.tips_job_interval
    job_queue = cast(JobQueue[Any], application.job_queue)
    job_queue.run_repeating(
        delivery_job,
        interval=interval,
        first=interval - monotonic_time.time() % interval,  # on the minute
        name=JOB_NAME,
        job_kwargs={"max_instances": 1, "coalesce": True, "misfire_grace_time": int(interval)},
    )


def scaled_clock(start: datetime, speed: float) -> Callable[[], datetime]:
    """A clock for tests: starts at ``start`` and runs ``speed`` times faster than real time."""
    began = monotonic_time.monotonic()

    def clock() -> datetime:
        return start + timedelta(seconds=(monotonic_time.monotonic() - began) * speed)

    return clock


def register(application: AnyApp, deps: Deps) -> None:
    """Daily-tip commands, buttons, typed answers, the deep link and the delivery job."""
    waiting = Waiting(answers=typed_answers())
    waiting.attach(application)
    application.bot_data["tips_waiting"] = waiting
    for command, callback in (
        ("subscribe", subscribe_command),
        ("tip", tip_command),
        ("settings", settings_command),
        ("unsubscribe", unsubscribe_command),
    ):
        application.add_handler(CommandHandler(command, callback))
    application.add_handler(CallbackQueryHandler(button, pattern=f"^{PREFIX}"))
    application.add_handler(
        MessageHandler(
            filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND & AwaitingAnswer(waiting),
            typed,
        )
    )
    deps.deep_links[DEEP_LINK] = open_deep_link
    deps.on_startup.append(start_delivery)
    if deps.settings.test_clock_start is not None:
        log.warning("TEST_CLOCK_START is set: the bot's clock is a test clock, not real time")
        deps.clock = scaled_clock(deps.settings.test_clock_start, deps.settings.test_clock_speed)
