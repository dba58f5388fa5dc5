"""Feed entries as real blogs write them, in small documents of our own, one per kind of fault.

Each document is served on 127.0.0.1 and read by a poll: the test looks at the message and the
button the group gets. The real feeds these kinds were found in are tested in
test_feed_realworld.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.app import AnyApp
from bot.config import Settings
from bot.deps import app_deps
from bot.features.feed import parse
from bot.runtime.fakeapi import GROUP_ID, FakeBotAPI
from bot.storage.models import utcnow
from handlers.feed import POLL_JOB, poll_once
from tests.feedserver import FeedServer, feed_server
from tests.tg import only

FEEDBURNER = "http://rssnamespace.org/feedburner/ext/1.0"


@pytest.fixture
def blog() -> Iterator[FeedServer]:
    with feed_server() as running:
        yield running


@pytest.fixture
def settings(settings: Settings, blog: FeedServer) -> Settings:
    return settings.model_copy(update={"feed_url": blog.url(), "feed_timeout_seconds": 2.0})


@pytest.fixture(autouse=True)
def no_background_poll(app: AnyApp) -> None:
    assert app.job_queue is not None
    for job in app.job_queue.get_jobs_by_name(POLL_JOB):
        job.schedule_removal()


def rss_doc(items: str, prolog: str = '<?xml version="1.0" encoding="utf-8"?>') -> str:
    return (
        f'{prolog}<rss version="2.0"><channel><title>Blog</title>'
        f"<link>https://blog.example.org/</link><description>d</description>{items}"
        "</channel></rss>"
    )


def atom_doc(entries: str, base: str = "") -> str:
    at = f' xml:base="{base}"' if base else ""
    return (
        f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"'
        f' xmlns:feedburner="{FEEDBURNER}"{at}><title>Blog</title><id>urn:blog</id>'
        f"<updated>2026-01-01T00:00:00Z</updated>{entries}</feed>"
    )


async def first_post(app: AnyApp, api: FakeBotAPI) -> tuple[str, str | None]:
    """Poll once; the text of the one post in the group and its button's URL (or None)."""
    assert (await poll_once(app)).status == "ok"
    post = only(api.sent())
    assert int(post.params["chat_id"]) == GROUP_ID
    buttons = post.buttons
    return post.text, (buttons[0]["url"] if buttons else None)


# --- Titles and summaries: the author's characters, escaped once ------------------------


@pytest.mark.parametrize(
    "document",
    [
        rss_doc(
            "<item><title>I &lt;3 &lt;b&gt; &amp; co</title><guid>1</guid>"
            "<link>https://blog.example.org/1</link><description>x</description></item>"
        ),
        atom_doc(
            '<entry><title type="text">I &lt;3 &lt;b&gt; &amp; co</title><id>1</id>'
            '<link href="https://blog.example.org/1"/><updated>2026-01-01T00:00:00Z</updated>'
            "</entry>"
        ),
    ],
    ids=["rss", "atom-text"],
)
async def test_a_plain_text_title_shows_every_character_the_author_wrote(
    app: AnyApp, api: FakeBotAPI, blog: FeedServer, document: str
) -> None:
    blog.serve("/feed.xml", document)
    text, _ = await first_post(app, api)
    assert "<b>I &lt;3 &lt;b&gt; &amp; co</b>" in text, "the <b> was lost"


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("Why &lt;b&gt; and &lt;/b&gt; are not semantic", "Why &lt;b&gt; and &lt;/b&gt; are"),
        ("What&amp;#8217;s new", "What’s new"),  # escaped twice by the blog: decoded
    ],
    ids=["tags-as-text", "twice-escaped"],
)
async def test_an_rss_title_that_looks_like_html_keeps_its_tags_as_text(
    app: AnyApp, api: FakeBotAPI, blog: FeedServer, written: str, shown: str
) -> None:
    blog.serve(
        "/feed.xml",
        rss_doc(f"<item><title>{written}</title><link>https://b.example/1</link></item>"),
    )
    text, _ = await first_post(app, api)
    assert f"<b>{shown}" in text


async def test_html_titles_and_summaries_are_decoded_once(
    app: AnyApp, api: FakeBotAPI, blog: FeedServer
) -> None:
    # Atom type="html": the markup is escaped once in the XML; "&amp;amp;lt;" is the
    # author's visible "&lt;".
    blog.serve(
        "/feed.xml",
        atom_doc(
            '<entry><title type="html">Fish &amp;amp; &lt;i&gt;chips&lt;/i&gt; '
            "&amp;amp;lt;3</title><id>1</id>"
            '<link href="https://blog.example.org/1"/><updated>2026-01-01T00:00:00Z</updated>'
            '<summary type="html">&lt;p&gt;Type &amp;amp;lt;br&amp;amp;gt; for a new '
            "line&lt;/p&gt;</summary></entry>"
        ),
    )
    text, _ = await first_post(app, api)
    assert "<b>Fish &amp; chips &amp;lt;3</b>" in text
    assert "Type &amp;lt;br&amp;gt; for a new line" in text


async def test_a_plain_text_summary_keeps_what_looks_like_a_tag(
    app: AnyApp, api: FakeBotAPI, blog: FeedServer
) -> None:
    blog.serve(
        "/feed.xml",
        atom_doc(
            '<entry><title>T</title><id>1</id><link href="https://blog.example.org/1"/>'
            '<updated>2026-01-01T00:00:00Z</updated><summary type="text">Pain &lt;i&gt; '
            "index &lt; 3</summary></entry>"
        ),
    )
    text, _ = await first_post(app, api)
    assert "Pain &lt;i&gt; index &lt; 3" in text


async def test_an_undeclared_html_entity_is_read_as_the_letter(
    app: AnyApp, api: FakeBotAPI, blog: FeedServer
) -> None:
    blog.serve(
        "/feed.xml",
        rss_doc(
            "<item><title>Fl&uuml;gel</title><guid>1</guid><link>https://blog.example.org/1</link>"
            "<description>Eisen Fl&uuml;gel</description></item>",
            prolog="",
        ),
    )
    text, _ = await first_post(app, api)
    assert "<b>Flügel</b>" in text
    assert "Eisen Flügel" in text


# --- Links: absolute, the article's own ---------------------------------------------------


async def test_a_relative_link_is_resolved_against_the_feed_url(
    app: AnyApp, api: FakeBotAPI, blog: FeedServer
) -> None:
    blog.serve(
        "/feed.xml",
        rss_doc("<item><title>T</title><link>/posts/2</link><description>x</description></item>"),
    )
    _, button = await first_post(app, api)
    assert button == blog.url("/posts/2")


async def test_a_relative_xml_base_is_resolved_then_the_entry_link_against_it(
    app: AnyApp, api: FakeBotAPI, blog: FeedServer
) -> None:
    blog.serve(
        "/feed.xml",
        atom_doc(
            '<entry xml:base="/Changelog-16/"><title>T</title><id>/Changelog-16</id>'
            '<link href="./"/><updated>2026-01-01T00:00:00Z</updated></entry>',
            base="/",
        ),
    )
    _, button = await first_post(app, api)
    assert button == blog.url("/Changelog-16/")


async def test_feedburner_orig_link_is_preferred_to_its_redirect(
    app: AnyApp, api: FakeBotAPI, blog: FeedServer
) -> None:
    blog.serve(
        "/feed.xml",
        atom_doc(
            "<entry><title>T</title><id>tag:blog,1</id><updated>2026-01-01T00:00:00Z</updated>"
            '<link rel="alternate" href="http://feedproxy.google.com/~r/blog/~3/x/post-7"/>'
            "<feedburner:origLink>https://blog.example.org/2026/01/post-7.html"
            "</feedburner:origLink></entry>"
        ),
    )
    _, button = await first_post(app, api)
    assert button == "https://blog.example.org/2026/01/post-7.html"


@pytest.mark.parametrize(
    ("written", "button"),
    [
        ("https://blog.example.org/artículo 1", "https://blog.example.org/art%C3%ADculo%201"),
        (
            "https://blog.café.fr/fatigue?q=sueño",
            "https://blog.xn--caf-dma.fr/fatigue?q=sue%C3%B1o",
        ),
    ],
    ids=["path", "host"],
)
async def test_a_link_with_spaces_or_accents_is_encoded_not_dropped(
    app: AnyApp, api: FakeBotAPI, blog: FeedServer, written: str, button: str
) -> None:
    blog.serve(
        "/feed.xml",
        rss_doc(
            f"<item><title>T</title><link>{written}</link><description>x</description></item>"
        ),
    )
    assert (await first_post(app, api))[1] == button


# --- Recognising entries without guid ------------------------------------------------------


def news_item(n: int, day: int) -> str:
    return (
        f"<item><title>News {n}</title><link>https://blog.example.org/news.html</link>"
        f"<pubDate>Mon, {day:02d} Nov 2026 09:00:00 GMT</pubDate><description>x</description>"
        "</item>"
    )


async def test_entries_without_guid_sharing_one_link_are_each_posted_once(
    app: AnyApp, api: FakeBotAPI, blog: FeedServer
) -> None:
    blog.serve("/feed.xml", rss_doc(news_item(2, 2) + news_item(1, 1)))
    text, button = await first_post(app, api)
    assert "News 2" in text
    assert button == "https://blog.example.org/news.html"
    blog.serve("/feed.xml", rss_doc(news_item(3, 3) + news_item(2, 2) + news_item(1, 1)))
    deps = app_deps(app)
    deps.clock = lambda: utcnow() + timedelta(minutes=31)
    api.clear()
    assert (await poll_once(app)).posted == 1, "the new item of the news page"
    assert "News 3" in only(api.sent()).text
    api.clear()
    deps.clock = lambda: utcnow() + timedelta(minutes=62)
    assert (await poll_once(app)).posted == 0, "and never again"


# --- Encodings ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "content_type", "title"),
    [
        # Latin-1 bytes, no XML declaration: the charset is only in the HTTP header.
        (rss_doc("<item><title>Été à Paris</title><guid>1</guid></item>", "").encode("latin-1"),
         "application/rss+xml; charset=ISO-8859-1", "Été à Paris"),
        # KOI8-R, no declaration: guessing would give windows-1252 mojibake.
        (rss_doc("<item><title>Боль и сон</title><guid>1</guid></item>", "").encode("koi8-r"),
         "text/xml; charset=koi8-r", "Боль и сон"),
        # windows-1251 declared in the prolog, served without a charset.
        (rss_doc("<item><title>Боль и сон</title><guid>1</guid></item>",
                 '<?xml version="1.0" encoding="windows-1251"?>').encode("cp1251"),
         "application/xml", "Боль и сон"),
        # UTF-8 with a byte order mark.
        (b"\xef\xbb\xbf" + rss_doc("<item><title>Été</title><guid>1</guid></item>").encode(),
         "application/rss+xml", "Été"),
    ],
    ids=["latin1-header", "koi8r-header", "cp1251-prolog", "utf8-bom"],
)  # fmt: skip
async def test_the_encoding_is_read_from_the_header_the_prolog_or_the_bom(
    app: AnyApp, api: FakeBotAPI, blog: FeedServer, *, body: bytes, content_type: str, title: str
) -> None:
    blog.serve("/feed.xml", body, content_type=content_type)
    text, _ = await first_post(app, api)
    assert f"<b>{title}</b>" in text


# --- A body is data, never a path ----------------------------------------------------------


async def test_a_body_naming_a_local_file_is_not_read_from_disk(
    app: AnyApp, api: FakeBotAPI, blog: FeedServer, tmp_path: Path
) -> None:
    local = tmp_path / "local.xml"
    local.write_text(
        rss_doc("<item><title>Local file</title><link>https://x.example/</link></item>")
    )
    blog.serve("/feed.xml", str(local))
    assert (await poll_once(app)).status == "failed", "not a feed"
    assert api.sent() == []


def test_an_entry_with_nothing_to_show_is_left_out_and_one_without_title_is_named() -> None:
    document = rss_doc(
        '<item><guid isPermaLink="false">empty</guid><title></title>'
        "<description></description></item>"
        '<item><guid isPermaLink="false">no-title</guid>'
        "<description>&lt;p&gt;Only a summary&lt;/p&gt;</description></item>"
    )
    [article] = parse(document.encode(), "https://blog.example.org/feed.xml")
    assert article.title == "Only a summary", "never an empty bold title"
