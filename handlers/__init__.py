"""Every feature registers its handlers here, in one place, in an order that matters."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application

from bot.deps import Deps
from handlers import faq, help, links, start, tracking, unknown

AnyApp = Application[Any, Any, Any, Any, Any, Any]


def register_all(application: AnyApp, deps: Deps) -> None:
    """Register every feature's handlers."""
    # Group -1 sees every update first: it records chats and members (ids and times only).
    tracking.register(application)
    start.register(application, deps)
    help.register(application)
    faq.register(application, deps)
    links.register(application)
    # Note: order matters! The catch-all for unknown commands must come after every
    # feature's commands, or it would answer them first.
    unknown.register(application)
