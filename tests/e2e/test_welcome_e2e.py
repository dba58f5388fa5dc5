"""A wave of joins end to end: 30 people joining within two seconds get one welcome, and the
next welcome replaces it (the real `fibrobot run`, its JobQueue on the real clock).

Joins come as chat_member updates injected through the compat proxy, since the emulator cannot
make them. The gathering window is the default (WELCOME_GATHER_SECONDS=5).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import GROUP, running_bot
from e2e_harness import E2E, GROUP_CHAT_ID, wait_until

pytestmark = pytest.mark.e2e

RULES = "Our group rules"


@pytest.fixture(scope="module")
def e2e(tmp_path_factory: pytest.TempPathFactory) -> Iterator[E2E]:
    with running_bot(tmp_path_factory.mktemp("e2e-welcome")) as env:
        yield env


def join(env: E2E, user_id: int, first_name: str) -> None:
    person = {"id": user_id, "is_bot": False, "first_name": first_name}
    env.inject(
        {
            "chat_member": {
                "chat": GROUP,
                "from": person,
                "date": int(time.time()),
                "old_chat_member": {"user": person, "status": "left"},
                "new_chat_member": {"user": person, "status": "member"},
            }
        }
    )


def welcomes(env: E2E) -> list[Any]:
    """The welcomes the bot sent to the group, oldest first (proxy journal)."""
    return [
        call
        for call in env.proxy.find_calls("sendMessage")
        if str(call.params.get("chat_id")) == str(GROUP_CHAT_ID)
        and RULES in str(call.params.get("text"))
    ]


def test_thirty_joins_get_one_welcome_and_the_next_replaces_it(e2e: E2E) -> None:
    started = time.monotonic()
    for i, name in enumerate(["Ana", "Ben", *(f"Raid{i}" for i in range(28))]):
        join(e2e, 3_000_000 + i, name)
    assert time.monotonic() - started < 2, "the joins came within two seconds"
    [first] = wait_until(lambda: welcomes(e2e), 20.0, "the welcome for the wave")
    assert str(first.params["text"]).startswith("Welcome, Ana, Ben and 28 others")
    # The window is over and nothing else is waiting: no second welcome for the same wave.
    assert e2e.proxy.find_calls("deleteMessage") == []
    join(e2e, 3_000_100, "Cy")
    second = wait_until(lambda: welcomes(e2e)[1:], 20.0, "the welcome for Cy")[0]
    assert str(second.params["text"]).startswith("Welcome, Cy")
    [deleted] = wait_until(
        lambda: e2e.proxy.find_calls("deleteMessage"), 10.0, "the old welcome deleted"
    )
    assert int(deleted.params["message_id"]) == first.response["result"]["message_id"]
    assert len(welcomes(e2e)) == 2
