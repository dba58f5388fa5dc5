"""Announcements with a photo, a document or a video, and /edit, through the real app.

The clock is pinned at NOW (the JobQueue paused); deliveries are called as the job would.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.app import AnyApp
from bot.deps import app_deps
from bot.features import announcements as ann
from bot.runtime.fakeapi import ADMIN_ID, GROUP_ID, ApiCall, FakeBotAPI
from tests.announce_util import NOW, changes, get, message_update, use_clock
from tests.tg import MEMBER_ID, Driver, only, texts, user

BOLD = [{"type": "bold", "offset": 0, "length": 6}]
MEDIA: dict[str, Any] = {
    "photo": [{"file_id": "PHOTO-1", "file_unique_id": "p1", "width": 800, "height": 600}],
    "document": {"file_id": "DOC-1", "file_unique_id": "d1", "file_name": "flyer.pdf"},
    "video": {
        "file_id": "VIDEO-1",
        "file_unique_id": "v1",
        "width": 640,
        "height": 360,
        "duration": 9,
    },
}
SEND = {"photo": "sendPhoto", "document": "sendDocument", "video": "sendVideo"}
FILE_ID = {"photo": "PHOTO-1", "document": "DOC-1", "video": "VIDEO-1"}


def admin(app: AnyApp, api: FakeBotAPI) -> Driver:
    return Driver(app, api, user_id=ADMIN_ID, first_name="Ada")


def media_message(app: AnyApp, kind: str, caption: str, entities: Any = BOLD) -> Any:
    fields: dict[str, Any] = {kind: MEDIA[kind], "from": user(ADMIN_ID, "Ada")}
    if caption:
        fields |= {"caption": caption, "caption_entities": entities}
    return message_update(app, ADMIN_ID, **fields)


def to_group(calls: list[ApiCall]) -> list[ApiCall]:
    return [c for c in calls if int(c.params.get("chat_id", 0)) == GROUP_ID]


async def announce(
    app: AnyApp, api: FakeBotAPI, kind: str, caption: str, when: str | None, *, pin: bool = False
) -> tuple[list[ApiCall], list[ApiCall]]:
    """The /announce flow with media: (the calls the media caused, the calls of Confirm)."""
    use_clock(app)
    driver = admin(app, api)
    await driver.send("/announce")
    shown = await driver.process(media_message(app, kind, caption))
    prompt = shown[-1]
    pin_question = (
        only(await driver.press(prompt, "Now")) if when is None else only(await driver.send(when))
    )
    summary = only(await driver.press(pin_question, "Pin it" if pin else "Don't pin"))
    return shown, await driver.press(summary, "Confirm")


@pytest.mark.parametrize("kind", ["photo", "document", "video"])
async def test_each_kind_of_media_is_previewed_then_posted_now_with_its_caption(
    app: AnyApp, api: FakeBotAPI, kind: str
) -> None:
    shown, confirmed = await announce(app, api, kind, "Friday meet-up at 18:00", None)
    preview = shown[0]
    assert preview.method == SEND[kind]
    assert int(preview.params["chat_id"]) == ADMIN_ID
    assert preview.params[kind] == FILE_ID[kind]
    assert preview.params["caption"] == "<b>Friday</b> meet-up at 18:00"
    [posted] = to_group(confirmed)
    assert posted.method == SEND[kind]
    assert (posted.params[kind], posted.params["caption"]) == (
        preview.params[kind],
        preview.params["caption"],
    ), "the preview shows exactly what goes out"
    assert posted.params["parse_mode"] == "HTML"
    row = await get(app, 1)
    assert (row.media_kind, row.media_file_id, row.status) == (kind, FILE_ID[kind], ann.SENT)


async def test_a_caption_over_1024_characters_goes_on_in_a_second_message(
    app: AnyApp, api: FakeBotAPI
) -> None:
    long_text = "Friday " + "gentle stretching together, " * 40
    assert len(long_text) > ann.CAPTION_LIMIT
    shown, confirmed = await announce(app, api, "photo", long_text.strip(), None, pin=True)
    preview = [c for c in shown if int(c.params.get("chat_id", 0)) == ADMIN_ID][:2]
    assert [c.method for c in preview] == ["sendPhoto", "sendMessage"]
    assert "caption" not in preview[0].params
    assert preview[1].text.startswith("<b>Friday</b> gentle")
    posted = [c for c in to_group(confirmed) if c.method.startswith("send")]
    assert [c.method for c in posted] == ["sendPhoto", "sendMessage"]
    assert posted[1].text == preview[1].text
    pinned = only(api.calls, "pinChatMessage")
    assert pinned.params["message_id"] == posted[0].result["message_id"], "the photo is pinned"


async def test_a_caption_of_exactly_1024_characters_stays_a_caption(
    app: AnyApp, api: FakeBotAPI
) -> None:
    text = "A" * ann.CAPTION_LIMIT
    _, confirmed = await announce(app, api, "photo", text, None)
    assert [c.method for c in to_group(confirmed)] == ["sendPhoto"]


async def test_a_scheduled_photo_goes_out_at_its_time_by_file_id(
    app: AnyApp, api: FakeBotAPI
) -> None:
    _, confirmed = await announce(app, api, "photo", "Flyer for Friday", "tomorrow 9:00")
    assert not to_group(confirmed)
    listing = only(await admin(app, api).send("/scheduled"))
    assert "[photo] Flyer for Friday" in listing.text
    row = await get(app, 1)
    assert row.run_at is not None
    api.clear()
    assert await ann.deliver_announcement(app, 1, row.run_at) == "sent"
    [posted] = to_group(api.calls)
    assert (posted.method, posted.params["photo"]) == ("sendPhoto", "PHOTO-1")


async def test_a_recurring_post_reuses_its_media_each_time(app: AnyApp, api: FakeBotAPI) -> None:
    await announce(app, api, "document", "This week's plan", "every monday 18:00")
    api.clear()
    monday = NOW.replace(day=30, hour=18)  # Mon 30 Nov 2026, 18:00 UTC
    for week in range(2):
        moment = monday + timedelta(weeks=week)
        assert await ann.deliver_announcement(app, 1, moment) == "sent"
    posted = to_group(api.calls)
    assert [(c.method, c.params["document"]) for c in posted] == [("sendDocument", "DOC-1")] * 2


async def test_a_file_telegram_no_longer_has_is_reported_to_the_admins(
    app: AnyApp, api: FakeBotAPI
) -> None:
    await announce(app, api, "photo", "Flyer", "tomorrow 9:00")
    row = await get(app, 1)
    api.fail("sendPhoto", 400, "Bad Request: wrong file identifier/HTTP URL specified")
    api.clear()
    assert row.run_at is not None
    assert await ann.deliver_announcement(app, 1, row.run_at) == "failed"
    note = only(api.calls, "sendMessage")
    assert int(note.params["chat_id"]) == ADMIN_ID
    assert note.text == app_deps(app).content.text("announce_media_gone", id=1)
    assert (await get(app, 1)).status == ann.FAILED


# --- /edit ---------------------------------------------------------------------------------


async def scheduled_text_post(app: AnyApp, api: FakeBotAPI) -> Driver:
    """An admin and their post #1: "Friday meet-up", tomorrow 9:00."""
    use_clock(app)
    driver = admin(app, api)
    await driver.send("/announce")
    await driver.send("Friday meet-up")
    await driver.send("tomorrow 9:00")
    summary = only(await driver.press(api.calls[-1], "Don't pin"))
    await driver.press(summary, "Confirm")
    return driver


async def test_edit_replaces_the_text_with_a_photo_and_caption_in_place(
    app: AnyApp, api: FakeBotAPI
) -> None:
    driver = await scheduled_text_post(app, api)
    question = only(await driver.send("/edit 1"))
    asked = only(await driver.press(question, "Text or picture"))
    assert "new text" in asked.text
    done = await driver.process(media_message(app, "photo", "Friday: bring water"))
    preview = done[0]
    assert (preview.method, preview.params["caption"]) == (
        "sendPhoto",
        "<b>Friday</b>: bring water",
    )
    assert "#1 changed" in texts(done)[-1]
    row = await get(app, 1)
    assert (row.media_kind, row.text_html) == ("photo", "<b>Friday</b>: bring water")
    assert await changes(app, "#1") == [("created", ADMIN_ID), ("edited", ADMIN_ID)]
    api.clear()
    assert row.run_at is not None
    await ann.deliver_announcement(app, 1, row.run_at)
    [posted] = to_group(api.calls)
    assert (posted.method, posted.params["caption"]) == ("sendPhoto", "<b>Friday</b>: bring water")


async def test_edit_a_new_text_keeps_the_picture(app: AnyApp, api: FakeBotAPI) -> None:
    await announce(app, api, "photo", "Old words", "tomorrow 9:00")
    driver = admin(app, api)
    await driver.press(only(await driver.send("/edit 1")), "Text or picture")
    await driver.send("New words")
    row = await get(app, 1)
    assert (row.media_file_id, row.text_html) == ("PHOTO-1", "New words")


async def test_edit_moves_the_time_and_the_job(app: AnyApp, api: FakeBotAPI) -> None:
    driver = await scheduled_text_post(app, api)
    await driver.press(only(await driver.send("/edit 1")), "Time")
    hint = only(await driver.send("whenever")).text
    assert hint.endswith(app_deps(app).content.text("when_forms")), "a hint, and the flow waits"
    done = texts(await driver.send("every friday 18:00"))
    assert "Next: Fri 27 Nov 2026, 18:00" in done[-1]
    row = await get(app, 1)
    assert (row.kind, row.cron, row.run_at) == ("repeat", "0 18 * * fri", None)
    # The job was moved, not duplicated.
    assert app.job_queue is not None
    [job] = [j for j in app.job_queue.jobs() if j.name == ann.job_name(1)]
    assert "fri" in str(job.job.trigger)
    log = await changes(app, "#1")
    assert log[-1] == ("edited", ADMIN_ID)


async def test_edit_refuses_unknown_or_finished_posts_and_non_admins(
    app: AnyApp, api: FakeBotAPI
) -> None:
    driver = await scheduled_text_post(app, api)
    assert "/edit 12" in only(await driver.send("/edit")).text
    unknown = only(await driver.send("/edit 99")).text
    assert unknown == app_deps(app).content.text("manage_unknown", id="99")
    await driver.send("/cancel 1")
    assert only(await driver.send("/edit 1")).text == app_deps(app).content.text(
        "manage_done", id=1
    )
    member = Driver(app, api, user_id=MEMBER_ID)
    refusal = only(await member.send("/edit 1"))
    assert refusal.text == app_deps(app).content.text("admin_only")


async def test_edit_cancel_changes_nothing(app: AnyApp, api: FakeBotAPI) -> None:
    driver = await scheduled_text_post(app, api)
    question = only(await driver.send("/edit 1"))
    assert only(await driver.press(question, "Cancel")).text == app_deps(app).content.text(
        "edit_cancelled"
    )
    assert (await get(app, 1)).text_html == "Friday meet-up"
    assert await changes(app, "#1") == [("created", ADMIN_ID)]
