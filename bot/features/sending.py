"""Which kind of message the bot is sending now, for the metrics (answer, tip, welcome...).

The code that sends a kind of message wraps the sending in ``with sending("tip"):``; the
Bot API layer (``bot.runtime.metrics``) reads the kind when a message goes out, so the count
lives in one place. A context variable follows each asyncio task (``asyncio.gather`` copies
it into the tasks it starts), so parallel sends keep their own kind.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

ANSWER, TIP, ANNOUNCEMENT, BLOG_POST, WELCOME, ADMIN_NOTE = (
    "answer", "tip", "announcement", "blog_post", "welcome", "admin_note",
)  # fmt: skip
KINDS = (ANSWER, TIP, ANNOUNCEMENT, BLOG_POST, WELCOME, ADMIN_NOTE)

# Replies to members are the default: handlers answer what a member asked.
_kind: ContextVar[str] = ContextVar("sending_kind", default=ANSWER)


@contextmanager
def sending(kind: str) -> Iterator[None]:
    """Count the messages sent inside the block as ``kind`` (one of ``KINDS``)."""
    token = _kind.set(kind)
    try:
        yield
    finally:
        _kind.reset(token)


def current_kind() -> str:
    """The kind of the messages being sent now."""
    return _kind.get()
