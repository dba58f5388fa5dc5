"""Real feeds written by others, through the whole pipeline: what the group would see.

The files live outside the project (``../shared/realworld/feeds``, with SOURCES.md saying
what is odd about each) and are read from there, never copied. Each one is served on
127.0.0.1, read by a poll, planned, and every article posted through the fake Bot API.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from bot.app import AnyApp
from bot.config import PROJECT_DIR, Settings
from bot.deps import app_deps
from bot.features.feed import MAX_GATHERED, Article, article_html, gathered_html, parse, plan
from bot.features.text import escape
from bot.runtime.fakeapi import GROUP_ID, FakeBotAPI
from bot.storage.models import utcnow
from handlers.feed import POLL_JOB, poll_once, post
from tests.feedserver import FeedServer, feed_server

FEEDS = PROJECT_DIR.parent / "shared" / "realworld" / "feeds"
if not FEEDS.is_dir():
    pytest.skip(
        f"!!! real-world feeds NOT TESTED: {FEEDS} is absent (they are read from "
        "../shared/realworld/feeds beside the repository, never copied into it)",
        allow_module_level=True,
    )

SERVED_AS = "application/xml"  # what a static file server says: no charset
RELATIVE = "relative:"  # an expected link written relative, so resolved against the feed URL


@dataclass(frozen=True)
class Expect:
    """What a member sees of one feed: how many articles, and one as its author wrote it."""

    articles: int
    title: str
    link: str
    summary_start: str = ""


CORNUCOPIA = Expect(
    25,
    "Numerär är inte allt i strid",
    "http://cornucopia.cornubot.se/2017/03/numerar-ar-inte-allt-i-strid.html",
)
EXPECT = {
    "utdelningsseglaren-blogger-atom.xml": Expect(
        25,  # two posts share a title: both are kept
        "Köp & sälj i Seglarportföljen",
        "http://utdelningsseglaren.blogspot.com/2017/12/kop-salj-i-seglarportfoljen.html",
    ),
    "4fsod-blogger-atom.xml": Expect(
        25,
        "Special Feature: Jamie's Present",
        "http://4fsodonline.blogspot.com/2007/12/special-feature-jamies-present.html",
    ),
    "cornucopia-blogger-atom.xml": CORNUCOPIA,
    "cornucopia-blogger-rss.xml": CORNUCOPIA,
    "googletesting-blogger-feedburner-atom.xml": Expect(
        25,
        "Code Health: Providing Context with Commit Messages and Bug Reports",
        # feedburner:origLink, not the feedproxy.google.com redirect
        "http://testing.googleblog.com/2017/09/code-health-providing-context-with.html",
    ),
    "cyklistbloggen-wordpress-rss.xml": Expect(
        10,
        "”Vilka är de värsta cyklisterna tycker du?” – Svenska Dagbladet skriver om cykling idag.",
        "http://www.cyklistbloggen.se/2017/04/"
        "vilka-ar-de-varsta-cyklisterna-tycker-du-svenska-dagbladet-skriver-om-cykling-idag/",
    ),
    "hodlhodl-medium-rss.xml": Expect(
        10,
        "Update on Hodl Hodl: New payment type “Cryptocurrency”",
        "https://medium.com/@hodlhodl/update-on-hodl-hodl-new-payment-type-cryptocurrency-"
        "ca7b7ab94b2f?source=rss-b1f3d322dadf------2",
    ),
    "heated-substack-rss.xml": Expect(
        1,
        "A conversation about Keystone XL",
        "https://heated.world/p/a-conversation-about-keystone-xl",
    ),
    "unsplash-ghost-rss.xml": Expect(
        15,
        "The Color of Water",
        "https://unsplash.com/blog/the-color-of-water/",
        "It's time to reveal dirty water’s true colors.",
    ),
    "ibash-windows1251-rss.xml": Expect(
        50, "Цитата #17703", "http://ibash.org.ru/quote.php?id=17703"
    ),
    "cerclepsy-latin1-noprolog-rss.xml": Expect(
        9,  # the tenth item is empty: no title, no link, nothing to show
        "La criminalité liée surtout à... l'ennui ?",
        "https://le-cercle-psy.scienceshumaines.com/la-criminalite-liee-surtout-a-l-ennui_sh_39986",
        "« L'oisiveté est mère de tous les vices »",
    ),
    "donthitsave-bom-cr-rss.xml": Expect(
        10, "Skipping Around", "https://donthitsave.com/comic/2019/05/24/skipping-around"
    ),
    "nixos-noguid-samelink-rss.xml": Expect(
        99,  # no guid and one link for all: told apart by title and date, none lost
        "NixOS 18.09 released",
        "https://nixos.org/news.html",
    ),
    "lineageos-relative-xmlbase-atom.xml": Expect(
        10,
        "Changelog 16 - Smart Styles, Treble is trouble and Omfg Oreo",
        RELATIVE + "/Changelog-16/",
    ),
    "myanimelist-htmlentity-bozo-rss.xml": Expect(
        20,
        "Gen Urobuchi's 'Eisen Flügel' Light Novel Gets Anime Movie",
        "https://myanimelist.net/news/67543892?_location=rss",
        "The Aniplex Online Fest 2022 event announced an anime movie adaptation of "
        "Gen Urobuchi's Eisen Flügel light novel",
    ),
}


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with feed_server() as running:
        yield running


@pytest.fixture
def settings(settings: Settings, server: FeedServer) -> Settings:
    return settings.model_copy(update={"feed_url": server.url(), "feed_timeout_seconds": 5.0})


@pytest.fixture(autouse=True)
def no_background_poll(app: AnyApp) -> None:
    assert app.job_queue is not None
    for job in app.job_queue.get_jobs_by_name(POLL_JOB):
        job.schedule_removal()


def test_every_real_feed_has_its_expectations() -> None:
    assert sorted(p.name for p in FEEDS.glob("*.xml")) == sorted(EXPECT)


def expected_link(expect: Expect, server: FeedServer) -> str:
    if expect.link.startswith(RELATIVE):
        return server.url(expect.link.removeprefix(RELATIVE))
    return expect.link


def written_titles(path: Path) -> list[str]:
    """The plain-text titles as written in the file, read by the standard XML parser.

    An independent reading: only for files it can parse, and titles not marked as HTML.
    """
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError:
        return []
    atom = "{http://www.w3.org/2005/Atom}"
    titles = list(root.findall("./channel/item/title"))
    titles += [t for t in root.findall(f"{atom}entry/{atom}title") if t.get("type") != "html"]
    return [" ".join((t.text or "").split()) for t in titles if (t.text or "").strip()]


def leftovers(text: str) -> list[str]:
    """Character references left undecoded, or bytes decoded in the wrong encoding."""
    found = re.findall(r"&(?:#\d+|#x[0-9a-f]+|[a-z]+);", text, re.IGNORECASE)
    return found + [c for c in ("\ufffd", "Ã", "Ð\xa0") if c in text]


@pytest.mark.parametrize("name", sorted(EXPECT))
async def test_a_real_feed_reaches_the_group_as_its_author_wrote_it(
    app: AnyApp, api: FakeBotAPI, server: FeedServer, name: str
) -> None:
    body, expect = (FEEDS / name).read_bytes(), EXPECT[name]
    server.serve("/feed.xml", body, content_type=SERVED_AS)
    articles = parse(body, server.url(), SERVED_AS)
    assert len(articles) == expect.articles
    assert len({a.key for a in articles}) == len(articles), "each article its own key"
    assert [a.key for a in parse(body, server.url(), SERVED_AS)] == [a.key for a in articles]

    assert (await poll_once(app)).posted == 1, "a new feed: its newest article only"
    assert escape(articles[0].title) in api.sent()[-1].text
    app_deps(app).clock = lambda: utcnow() + timedelta(minutes=31)
    assert (await poll_once(app)).posted == 0, "the same feed again: every article recognised"

    [article] = [a for a in articles if a.title == expect.title][:1]
    assert article.link == expected_link(expect, server)
    assert article.summary.startswith(expect.summary_start)
    titles = {a.title for a in articles}
    missing = [t for t in written_titles(FEEDS / name) if t not in titles]
    assert missing == [], "titles not shown exactly as written"

    for each in articles:
        await check_posted(app, api, each)
    check_gathered(plan(articles, first_poll=False).gathered)


def check_gathered(articles: list[Article]) -> None:
    """Older new articles, listed in one message: each title exact, each linked."""
    text = gathered_html("<b>More</b>", [(a.title, a.link) for a in articles])
    for article in articles[-MAX_GATHERED:]:
        assert f'<a href="{html.escape(article.link)}">{escape(article.title)}</a>' in text


async def check_posted(app: AnyApp, api: FakeBotAPI, article: Article) -> None:
    """Post one article as the poll would; the member sees its exact title and its link."""
    api.clear()
    deps = app_deps(app)
    assert await post(app.bot, deps, GROUP_ID, article_html(deps.content, article), article.link)
    [call] = api.sent()
    assert f"<b>{escape(article.title)}</b>" in call.text
    assert leftovers(article.title + article.summary) == [], article.title
    assert re.match(r"https?://[^/\s]+", article.link), f"no absolute link: {article.title}"
    [button] = call.buttons
    assert button["url"] == article.link


def test_the_atom_and_rss_forms_of_a_blog_are_the_same_articles() -> None:
    atom = parse((FEEDS / "cornucopia-blogger-atom.xml").read_bytes(), "https://c.example/")
    rss = parse((FEEDS / "cornucopia-blogger-rss.xml").read_bytes(), "https://c.example/")
    assert {a.key for a in atom} == {a.key for a in rss}
    assert {a.link_key for a in atom} == {a.link_key for a in rss}
