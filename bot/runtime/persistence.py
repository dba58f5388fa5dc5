"""Flows in progress kept in the database through PTB's persistence interface.

``FlowPersistence`` is a ``telegram.ext.BasePersistence`` on SQLAlchemy that stores only what a
flow needs to resume after a restart or a takeover: the step of every persistent
``ConversationHandler`` and the ``user_data`` keys a flow registered (``FLOW_KEYS``: the
announcement draft, the question a member is asked). Bot data, chat data and callback data are
not stored (``store_data`` says so), and any other ``user_data`` key stays in memory.

Rows live in ``flow_states`` (see ``bot.storage.models.FlowState``); ``bot.storage.privacy``
shows and erases a member's rows for ``/mydata`` and ``/forget``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from copy import deepcopy
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import (
    Application,
    BasePersistence,
    CallbackContext,
    ConversationHandler,
    PersistenceInput,
)
from telegram.ext._utils.types import CDCData, ConversationDict, ConversationKey

from bot.storage.models import FlowState

log = logging.getLogger(__name__)

# user_data keys (by prefix) that belong to a flow and are kept; nothing else is stored.
FLOW_KEYS = ("announce:", "tips:question")
USER_KIND = "user"
CONVERSATION_KIND = "conversation:"
# PTB writes changes at least this often (seconds); handlers.flows also writes at once.
UPDATE_INTERVAL = 5.0

UserData = dict[str, Any]
Transaction = Callable[[], Any]  # an async context manager giving an AsyncSession
Opener = Callable[[], Awaitable[Transaction]]


def flow_part(data: UserData) -> UserData:
    """The keys of a member's ``user_data`` that a flow registered (``FLOW_KEYS``)."""
    return {key: value for key, value in data.items() if key.startswith(FLOW_KEYS)}


def conversation_user(key: ConversationKey) -> int | None:
    """The member of a conversation key: its last part for per-user conversations.

    Keys are ``(chat_id, user_id)`` for per-chat, per-user conversations (``/announce``), so the
    last part is the member. Other shapes have no member and are kept without one.
    """
    if len(key) == 2 and isinstance(key[-1], int):  # (chat, user)
        return key[-1]
    return None


def _key(text_key: str) -> ConversationKey:
    """A conversation key back from its stored JSON form."""
    return tuple(json.loads(text_key))


class FlowPersistence(BasePersistence[UserData, dict[Any, Any], dict[Any, Any]]):
    """Conversation steps and flow fields in ``flow_states``, written only when they change.

    Args:
        open_transaction: Awaited once before the first read; returns a factory of database
            transactions (``Deps.transaction``). Reading starts before ``post_init``, so the
            opener also creates and migrates the database when nobody has yet.
        is_active: Whether this process holds the role (bot.runtime.lease). A standby reads
            nothing (flows change until it takes over, then ``load_flows`` reads them) and
            writes nothing (the active process owns the data).
        update_interval: Seconds between PTB's background writes (see ``UPDATE_INTERVAL``).
    """

    def __init__(
        self,
        open_transaction: Opener,
        is_active: Callable[[], bool] = lambda: True,
        update_interval: float = UPDATE_INTERVAL,
    ) -> None:
        super().__init__(
            store_data=PersistenceInput(
                bot_data=False, chat_data=False, user_data=True, callback_data=False
            ),
            update_interval=update_interval,
        )
        self._open = open_transaction
        self._is_active = is_active
        self._transaction: Transaction | None = None
        # What the database holds, so unchanged data costs no write (most updates change none).
        self._users: dict[int, UserData] = {}
        self._conversations: dict[str, dict[str, object]] = {}

    async def _tx(self) -> Transaction:
        if self._transaction is None:
            self._transaction = await self._open()
        return self._transaction

    async def _rows(self, kind: str) -> list[FlowState]:
        async with (await self._tx())() as session:
            return list(await session.scalars(select(FlowState).where(FlowState.kind == kind)))

    def has_flow(self, user_id: int) -> bool:
        """True when the database holds flow fields of this member."""
        return user_id in self._users

    # --- Reading at start-up ---------------------------------------------------------------

    async def get_user_data(self) -> dict[int, UserData]:
        """Every member's flow fields, by user id (none on a standby)."""
        if not self._is_active():
            return {}
        rows = await self._rows(USER_KIND)
        self._users = {int(row.key): json.loads(row.data) for row in rows}
        return deepcopy(self._users)

    async def get_conversations(self, name: str) -> ConversationDict:
        """The step of every conversation of the handler ``name`` (none on a standby)."""
        if not self._is_active():
            return {}
        rows = await self._rows(CONVERSATION_KIND + name)
        stored = {row.key: json.loads(row.data) for row in rows}
        self._conversations[name] = stored
        return {_key(key): state for key, state in stored.items()}

    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:
        """Not stored (``store_data.chat_data`` is False)."""
        return {}

    async def get_bot_data(self) -> dict[Any, Any]:
        """Not stored (``store_data.bot_data`` is False)."""
        return {}

    async def get_callback_data(self) -> CDCData | None:
        """Not stored (``store_data.callback_data`` is False)."""
        return None

    # --- Writing changes -------------------------------------------------------------------

    async def update_user_data(self, user_id: int, data: UserData) -> None:
        """Keep this member's flow fields; delete the row when no flow is left."""
        kept = flow_part(data)
        if kept == self._users.get(user_id, {}) or not self._is_active():
            return
        async with (await self._tx())() as session:
            await self._put(session, USER_KIND, str(user_id), user_id, kept or None)
        if kept:
            self._users[user_id] = kept
        else:
            self._users.pop(user_id, None)

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        """Keep (or, with None, delete) the step of one conversation."""
        text_key = json.dumps(list(key))
        stored = self._conversations.setdefault(name, {})
        unchanged = stored.get(text_key) == new_state
        if (
            unchanged and (new_state is not None or text_key not in stored)
        ) or not self._is_active():
            return
        async with (await self._tx())() as session:
            kind = CONVERSATION_KIND + name
            await self._put(session, kind, text_key, conversation_user(key), new_state)
        if new_state is None:
            stored.pop(text_key, None)
        else:
            stored[text_key] = new_state

    @staticmethod
    async def _put(
        session: AsyncSession, kind: str, key: str, user_id: int | None, value: object | None
    ) -> None:
        row = await session.get(FlowState, (kind, key))
        if value is None:
            if row is not None:
                await session.delete(row)
        elif row is None:
            session.add(FlowState(kind=kind, key=key, user_id=user_id, data=json.dumps(value)))
        else:
            row.data = json.dumps(value)

    async def drop_user_data(self, user_id: int) -> None:
        """Delete this member's flow fields."""
        await self.forget(user_id)

    async def forget(self, user_id: int) -> None:
        """Delete every flow row of this member (``/forget``), and what is known of them."""
        if not self._is_active():
            return
        self._users.pop(user_id, None)
        for stored in self._conversations.values():
            for text_key in [k for k in stored if conversation_user(_key(k)) == user_id]:
                stored.pop(text_key)
        async with (await self._tx())() as session:
            await session.execute(delete(FlowState).where(FlowState.user_id == user_id))

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None:
        """Not stored."""

    async def update_bot_data(self, data: dict[Any, Any]) -> None:
        """Not stored."""

    async def update_callback_data(self, data: CDCData) -> None:
        """Not stored."""

    async def drop_chat_data(self, chat_id: int) -> None:
        """Nothing stored per chat."""

    async def refresh_user_data(self, user_id: int, user_data: UserData) -> None:
        """This process holds the truth while it is active: nothing to refresh."""

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[Any, Any]) -> None:
        """Nothing stored per chat."""

    async def refresh_bot_data(self, bot_data: dict[Any, Any]) -> None:
        """Nothing stored for the bot."""

    async def flush(self) -> None:
        """Every write is committed when it is made: nothing is pending."""


async def write_flows_now(update: object, context: CallbackContext[Any, Any, Any, Any]) -> None:
    """After every other handler: write a flow that changed now, not at the next interval.

    PTB writes persistence in the background every ``update_interval`` seconds; a flow step
    an admin just saw must survive a ``kill -9`` right after it, so a member's flow is written
    as soon as the update that changed it is handled. Updates that touch no flow cost nothing.
    """
    application = context.application
    persistence = application.persistence
    user = update.effective_user if isinstance(update, Update) else None
    if not isinstance(persistence, FlowPersistence) or user is None:
        return
    if flow_part(application.user_data.get(user.id) or {}) or persistence.has_flow(user.id):
        application.mark_data_for_update_persistence(user_ids=user.id)
        await application.update_persistence()


async def load_flows(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """When this process takes the role: read the flows in progress, as ``initialize`` would.

    PTB reads persistence only in ``Application.initialize``, which a standby runs at start,
    long before it may take over (and then reads nothing). This reads the flows as the last
    active process left them, through the same PTB steps ``initialize`` takes.
    """
    persistence = application.persistence
    if not isinstance(persistence, FlowPersistence):
        return
    for user_id, data in (await persistence.get_user_data()).items():
        application.user_data[user_id].update(data)
    for group in application.handlers.values():
        for handler in group:
            if isinstance(handler, ConversationHandler) and handler.persistent:
                # PTB's own loader (as in initialize): it also hands the handler's new
                # conversation dict to update_persistence.
                await application._add_ch_to_persistence(handler)
