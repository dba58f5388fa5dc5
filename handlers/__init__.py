"""Every feature registers its handlers here, in one place, in an order that matters."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, ChatMemberHandler

from bot.deps import Deps
from bot.features.admins import refresh_on_member_change
from handlers import (
    announce,
    announce_edit,
    ask,
    doctor,
    faq,
    feed,
    help,
    inline,
    language,
    links,
    members,
    privacy,
    setup,
    start,
    stats,
    subscribe,
    tracking,
    unknown,
)

AnyApp = Application[Any, Any, Any, Any, Any, Any]


def register_all(application: AnyApp, deps: Deps) -> None:
    """Register every feature's handlers."""
    # Group -1 sees every update first: it records chats and members (ids and times only).
    tracking.register(application)
    # Group -2 (only one handler runs per group): a change of someone's rights empties the
    # admin cache before any feature checks who is an admin.
    application.add_handler(
        ChatMemberHandler(refresh_on_member_change, ChatMemberHandler.CHAT_MEMBER), group=-2
    )
    start.register(application, deps)
    help.register(application)
    faq.register(application, deps)
    links.register(application)
    inline.register(application)
    language.register(application)
    setup.register(application)
    announce.register(application, deps)
    announce_edit.register(application)
    feed.register(application, deps)
    # After announce, whose flow may run in the admins' chat too: /ask's admin side.
    ask.register(application, deps)
    # After faq: its "faq-<topic>" deep links are checked before the welcome's plain "faq".
    members.register(application, deps)
    stats.register(application)
    doctor.register(application)
    # A member writing to the admins: their messages go there, not to the tips' typed
    # answers or the FAQ below.
    ask.register_member_messages(application)
    # Daily tips, then /mydata and /forget (which use the tips' open questions).
    subscribe.register(application, deps)
    privacy.register(application, deps)
    # Note: order matters! The catch-all for unknown commands must come after every
    # feature's commands, or it would answer them first.
    unknown.register(application)
    # Last: plain text in private is a question for the FAQ, unless a flow above (a typed
    # time for tips, an announcement's text) was waiting for it.
    faq.register_private_text(application)
