"""The blog feed: fetch (ETag, Last-Modified, timeout), parse, recognise new articles, plan posts.

Everything here is plain Python the poll job (``handlers.feed``) calls. Data functions work in
the caller's session and never commit.
"""

from __future__ import annotations

import asyncio
import calendar
import hashlib
import html
import io
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

import feedparser
import httpx
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.features import cadence
from bot.features.content import Content, check_url
from bot.features.text import MESSAGE_LIMIT, escape
from bot.storage.models import FeedEntry, FeedState

MAX_SINGLE_POSTS = 3  # articles posted one by one per poll; more are gathered in one message
MAX_GATHERED = 10  # titles listed in a gathered message or digest
SUMMARY_LIMIT = 280  # characters: a few lines on a phone
TITLE_LIMIT = 200
MAX_FEED_BYTES = 5_000_000
MAX_BACKOFF = timedelta(hours=6)
# Characters kept as they are when a link is percent-encoded: URL syntax and existing escapes.
URL_SAFE = ":/?#[]@!$&'()*+,;=%~"
USER_AGENT = "FibroBot feed reader (+https://core.telegram.org/bots)"

POSTED, PENDING, SKIPPED = "posted", "pending", "skipped"


class FeedError(Exception):
    """The feed could not be fetched or read; the message says why, for the log."""


@dataclass(frozen=True)
class Article:
    """One feed entry, ready to post: text already plain (not yet escaped)."""

    key: str
    link_key: str | None
    title: str
    link: str
    summary: str
    published: datetime | None
    position: int  # place in the feed document, 0 first


@dataclass(frozen=True)
class Fetched:
    """What the server answered: a body, or ``body=None`` for 304 Not Modified."""

    body: bytes | None
    etag: str | None
    last_modified: str | None
    content_type: str | None = None  # its charset names the body's encoding


@dataclass(frozen=True)
class Plan:
    """What one poll posts: single articles (oldest first) and the rest gathered in one."""

    singles: list[Article]
    gathered: list[Article]
    skipped: list[Article]


# --- Fetching ------------------------------------------------------------------------------


def conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    """The request headers that let the server answer 304 when nothing changed."""
    headers = {"User-Agent": USER_AGENT, "Accept": "application/rss+xml, application/atom+xml"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


async def fetch(url: str, etag: str | None, last_modified: str | None, seconds: float) -> Fetched:
    """GET the feed within ``seconds`` overall; raise FeedError on any failure."""
    try:
        async with asyncio.timeout(seconds):
            return await _get(url, conditional_headers(etag, last_modified), seconds)
    except TimeoutError:
        raise FeedError(f"no answer within {seconds:g} s") from None
    except httpx.HTTPError as exc:
        raise FeedError(f"{type(exc).__name__}: {exc}") from None


async def _get(url: str, headers: dict[str, str], seconds: float) -> Fetched:
    async with (
        httpx.AsyncClient(timeout=seconds, follow_redirects=True, max_redirects=5) as client,
        client.stream("GET", url, headers=headers) as response,
    ):
        if response.status_code == httpx.codes.NOT_MODIFIED:
            return Fetched(None, None, None)
        if response.status_code != httpx.codes.OK:
            raise FeedError(f"HTTP {response.status_code}")
        body = await _read_limited(response)
        return Fetched(
            body,
            response.headers.get("ETag"),
            response.headers.get("Last-Modified"),
            response.headers.get("Content-Type"),
        )


async def _read_limited(response: httpx.Response) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > MAX_FEED_BYTES:
            raise FeedError(f"larger than {MAX_FEED_BYTES} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


# --- Parsing -------------------------------------------------------------------------------


# HTML elements that sit inside a line of text: their tags never separate two words.
INLINE_TAGS = frozenset((
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd",
    "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "tt", "u", "var",
    "wbr",
))  # fmt: skip


class _TextOnly(HTMLParser):
    """Collects the text of an HTML fragment, dropping tags, scripts and styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Hide what scripts and styles contain; keep paragraphs apart."""
        if tag in ("script", "style"):
            self._hidden += 1
        self._between(tag)

    def handle_endtag(self, tag: str) -> None:
        """End of a hidden block."""
        if tag in ("script", "style") and self._hidden:
            self._hidden -= 1
        self._between(tag)

    def _between(self, tag: str) -> None:
        # Blocks (paragraphs, line breaks, list items) part words; "the <b>3</b>rd" does not.
        if tag not in INLINE_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        """Keep visible text."""
        if not self._hidden:
            self.parts.append(data)


def plain_text(fragment: str) -> str:
    """The visible text of an HTML fragment, on one line, its character references decoded once.

    Only for HTML: the parser decodes ``&amp;lt;`` to the ``&lt;`` the author wrote, and a
    second decoding would turn it into ``<``.
    """
    parser = _TextOnly()
    parser.feed(fragment)
    parser.close()
    return one_line("".join(parser.parts))


def one_line(text: str) -> str:
    """``text`` with every run of white space (newlines, indentation) made one space."""
    return " ".join(text.split())


def text_of(value: str, content_type: str | None) -> str:
    """What a member reads of a feed field, given its type as feedparser reports it.

    Args:
        value: the field as feedparser gives it: already decoded from XML.
        content_type: ``text/plain`` (the author's characters, kept as they are),
            ``text/html`` or ``application/xhtml+xml`` (markup, reduced to its text).
            None is read as HTML, what RSS descriptions are.

    Returns:
        The text on one line, not escaped; escape it once when building a message.
    """
    if content_type == "text/plain":
        return one_line(value)
    return plain_text(value)


def shorten(text: str, limit: int) -> str:
    """Cut ``text`` to at most ``limit`` characters, at a word, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-–—") + "…"


def digest_key(value: str) -> str:
    """A fixed-length key for an entry id or link."""
    return hashlib.sha256(value.strip().encode()).hexdigest()


def _published(entry: Any) -> datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    return datetime.fromtimestamp(calendar.timegm(parsed), UTC)


def absolute_link(raw: object, base: str) -> str:
    """An entry's link made absolute against ``base``; "" unless it is a usable http(s) URL.

    feedparser already resolves links against ``xml:base`` and the feed's address; this also
    covers what it leaves relative, writes a non-ASCII host in punycode and percent-encodes
    spaces and non-ASCII characters, which Telegram's URL buttons refuse.
    """
    text = str(raw or "").strip()
    if not text:
        return ""
    parts = urlsplit(urljoin(base, text))
    try:
        host = parts.netloc.encode("idna").decode("ascii")  # blog.café.fr: punycode
    except UnicodeError:
        return ""
    link = quote(urlunsplit(parts._replace(netloc=host)), safe=URL_SAFE)
    return link if check_url(link) is None else ""


def article_link(entry: Any, base: str) -> str:
    """The article's own address: FeedBurner's ``origLink`` before its redirect, then the link."""
    for raw in (entry.get("feedburner_origlink"), entry.get("link")):
        link = absolute_link(raw, base)
        if link:
            return link
    return ""


def title_of(entry: Any, *, atom: bool) -> str:
    """The entry's title as its author wrote it.

    Atom says whether a title is text or HTML. RSS does not: feedparser guesses HTML when the
    title holds a closing tag or a character reference. There only the references are decoded
    (a twice-escaped ``What&amp;#8217;s``), and tags stay what the author typed: a title
    about ``<b> and </b>`` keeps them.
    """
    detail = entry.get("title_detail") or {}
    title, kind = str(entry.get("title") or ""), detail.get("type")
    if not atom and kind != "text/plain":
        return one_line(html.unescape(title))
    return text_of(title, kind)


def summary_of(entry: Any) -> str:
    """The entry's summary as text; cut from the full content when there is none (Medium)."""
    detail = entry.get("summary_detail")
    if detail and detail.get("value"):
        return text_of(str(detail["value"]), detail.get("type"))
    for content in entry.get("content") or []:
        if content.get("value"):
            return text_of(str(content["value"]), content.get("type"))
    return text_of(str(entry.get("summary") or ""), None)


@dataclass(frozen=True)
class _Entry:
    """What ``parse`` reads of one entry before choosing its keys."""

    ident: str
    link: str
    title: str
    summary: str
    published: datetime | None


def _read(entry: Any, base: str, atom: bool) -> _Entry:
    return _Entry(
        ident=str(entry.get("id") or "").strip(),
        link=article_link(entry, base),
        title=title_of(entry, atom=atom),
        summary=summary_of(entry),
        published=_published(entry),
    )


def _shared_link_key(entry: _Entry) -> str:
    """The key of an entry without id whose link other entries share: link, title and date.

    A news page lists several items under one title ("progress report"); dates tell them apart.
    """
    told_apart = entry.published.isoformat() if entry.published else entry.summary
    return f"{entry.link}\n{entry.title}\n{told_apart}"


def to_article(entry: _Entry, position: int, shared_links: set[str]) -> Article | None:
    """An entry as an Article; None when nothing recognises it (no id, no link) or shows it.

    The key is the entry's id; without one, its link; and when several entries of the feed
    share that link (a news page), the link with the title and date. A shared link is no article's
    own address, so it does not recognise an article either (``link_key`` None).
    """
    shared = entry.link in shared_links
    if entry.ident:
        key = entry.ident
    elif entry.link:
        key = _shared_link_key(entry) if shared else entry.link
    else:
        return None
    title = entry.title or entry.link or shorten(entry.summary, TITLE_LIMIT)
    if not title:
        return None
    return Article(
        key=digest_key(key),
        link_key=digest_key(entry.link) if entry.link and not shared else None,
        title=shorten(title, TITLE_LIMIT),
        link=entry.link,
        summary=shorten(entry.summary, SUMMARY_LIMIT),
        published=entry.published,
        position=position,
    )


def parse(body: bytes, url: str = "", content_type: str | None = None) -> list[Article]:
    """The articles of an RSS or Atom document, newest first.

    Args:
        body: the document's bytes, in any encoding its XML declaration, a BOM or
            ``content_type`` names (feedparser decodes it).
        url: the feed's address; relative links are resolved against it (and ``xml:base``).
        content_type: the HTTP Content-Type header, whose charset the encoding follows.

    Raises:
        FeedError: the document is not a readable feed.
    """
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    # A stream, never bytes: feedparser opens bytes naming a local path as a file.
    # Links inside the HTML are never shown (only its text is): not worth resolving.
    parsed = feedparser.parse(
        io.BytesIO(body), response_headers=headers, resolve_relative_uris=False
    )
    atom = str(parsed.get("version") or "").startswith("atom")
    entries = [_read(entry, url, atom) for entry in parsed.entries]
    counts = Counter(e.link for e in entries if e.link and not e.ident)
    shared = {link for link, n in counts.items() if n > 1}
    articles: dict[str, Article] = {}
    for position, entry in enumerate(entries):
        article = to_article(entry, position, shared)
        if article is not None and article.key not in articles:
            articles[article.key] = article
    # feedparser reads what it can of a damaged feed; with nothing usable, it is broken.
    if not articles and (parsed.bozo or not parsed.version):
        what = "malformed feed" if parsed.version else "not an RSS or Atom feed"
        reason = parsed.get("bozo_exception")
        raise FeedError(f"{what}: {reason}" if reason else what)
    return newest_first(list(articles.values()))


def newest_first(articles: list[Article]) -> list[Article]:
    """Order by publication time when every entry has one, else keep the feed's order."""
    if all(a.published is not None for a in articles):
        return sorted(articles, key=lambda a: (a.published, -a.position), reverse=True)
    return sorted(articles, key=lambda a: a.position)


# --- Remembering ---------------------------------------------------------------------------


async def feed_state(session: AsyncSession, url: str) -> FeedState:
    """The state row of a feed, created (not committed) on first use."""
    state = await session.scalar(select(FeedState).where(FeedState.url == url))
    if state is None:
        state = FeedState(url=url, failures=0)
        session.add(state)
        await session.flush()
    return state


async def has_history(session: AsyncSession, state: FeedState) -> bool:
    """True once any article of this feed has been remembered."""
    found = await session.scalar(
        select(FeedEntry.id).where(FeedEntry.feed_id == state.id).limit(1)
    )
    return found is not None


async def unseen(
    session: AsyncSession, state: FeedState, articles: list[Article]
) -> list[Article]:
    """The articles not remembered yet, by entry id or by link; order kept."""
    if not articles:
        return []
    keys = [a.key for a in articles]
    links = [a.link_key for a in articles if a.link_key]
    rows = await session.execute(
        select(FeedEntry.entry_key, FeedEntry.link_key).where(
            FeedEntry.feed_id == state.id,
            or_(FeedEntry.entry_key.in_(keys), FeedEntry.link_key.in_(links)),
        )
    )
    seen_keys: set[str] = set()
    for entry_key, link_key in rows:
        seen_keys.update(key for key in (entry_key, link_key) if key)
    return [a for a in articles if a.key not in seen_keys and a.link_key not in seen_keys]


def remember(
    session: AsyncSession, state: FeedState, articles: list[Article], status: str, now: datetime
) -> None:
    """Remember articles with a status (posted, pending for the digest, or skipped)."""
    for article in articles:
        session.add(
            FeedEntry(
                feed_id=state.id,
                entry_key=article.key,
                link_key=article.link_key,
                status=status,
                title=article.title[:300],
                link=article.link[:1000],
                seen_at=now,
                posted_at=now if status == POSTED else None,
            )
        )


async def pending(session: AsyncSession, state: FeedState) -> list[FeedEntry]:
    """Articles waiting for the daily digest, oldest first."""
    rows = await session.scalars(
        select(FeedEntry)
        .where(FeedEntry.feed_id == state.id, FeedEntry.status == PENDING)
        .order_by(FeedEntry.id)
    )
    return list(rows)


# --- Deciding ------------------------------------------------------------------------------


def plan(new: list[Article], *, first_poll: bool) -> Plan:
    """Choose what to post from the new articles (given newest first).

    A new feed posts only its newest article. Otherwise the newest three are posted one by
    one and any older ones are gathered into one message.
    """
    if first_poll:
        return Plan(singles=new[:1], gathered=[], skipped=new[1:])
    singles = list(reversed(new[:MAX_SINGLE_POSTS]))
    gathered = list(reversed(new[MAX_SINGLE_POSTS:]))
    return Plan(singles=singles, gathered=gathered, skipped=[])


def backoff(failures: int, poll: timedelta) -> timedelta:
    """How long to wait after ``failures`` failures in a row: doubling, at most six hours."""
    if failures <= 0:
        return poll
    return min(poll * 2 ** min(failures, 16), max(MAX_BACKOFF, poll))


def is_due(state: FeedState, now: datetime, tick: timedelta) -> bool:
    """True when a poll job that runs every ``tick`` should read the feed at ``now``.

    Never polled, or its next time comes before the job's next run (see bot.features.cadence).
    """
    return cadence.is_due(state.next_poll_at, now, tick)


def record_success(
    state: FeedState, fetched: Fetched | None, began: datetime, poll: timedelta
) -> None:
    """A poll that began at ``began`` worked: keep the new validators, come back ``poll`` later.

    Counted from when the poll began, not when it ended, so a slow fetch does not shift
    every later poll.
    """
    if fetched is not None and fetched.body is not None:
        state.etag, state.last_modified = fetched.etag, fetched.last_modified
    state.failures = 0
    state.last_polled_at = began
    state.next_poll_at = began + poll


def record_failure(state: FeedState, began: datetime, poll: timedelta) -> timedelta:
    """A poll that began at ``began`` failed: count it and wait longer; returns the wait."""
    state.failures += 1
    state.last_polled_at = began
    wait = backoff(state.failures, poll)
    state.next_poll_at = began + wait
    return wait


# --- Writing -------------------------------------------------------------------------------


def article_html(content: Content, article: Article) -> str:
    """The post of one article: its escaped title and summary in the content's template."""
    text = content.text(
        "feed_article", title=escape(article.title), summary=escape(article.summary)
    )
    return text.rstrip()  # a video-only post has no summary: no blank lines after the title


def gathered_html(header: str, items: list[tuple[str, str]]) -> str:
    """A list of titles linking to the blog, newest last, under ``header``; long lists are cut.

    At most MAX_GATHERED titles, and never more than one Telegram message.
    """
    lines = []
    for title, link in items[-MAX_GATHERED:]:
        label = escape(title or link)
        lines.append(f'• <a href="{html.escape(link)}">{label}</a>' if link else f"• {label}")
    while lines and len("\n".join([header, *lines])) > MESSAGE_LIMIT:
        lines.pop(0)
    return "\n".join([header, *lines])
