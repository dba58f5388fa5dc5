"""Every language's content, each translation checked against English (the source).

A translation folder (``content/es/``) holds only what members read: texts, FAQ titles,
questions, answers and keywords, tips, link labels, posts and command descriptions. What does
not depend on the language (related topics, sections, shortcuts, tip topics, URLs, schedules)
is taken from English, so a translation cannot drift from it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from fluent.syntax import ast
from pydantic import Field

from bot.features.content import (
    ANSWER_LIMIT,
    ID_PATTERN,
    CommandsFile,
    Content,
    ContentError,
    FaqEntry,
    Link,
    Post,
    _parse,
    _Strict,
    check_commands,
    date_pattern_problems,
    duplicates,
    html_problems,
    load_source,
)
from bot.features.i18n import (
    LANGUAGE_PATTERN,
    SOURCE_LANGUAGE,
    Messages,
    messages_of,
    parse_resource,
    text_of,
    variables_of,
)
from bot.features.tips import TIP_ID_PATTERN, TIP_LIMIT, Tip, check_tips

# A number as a fact: "5,000", "5.000" and "5000" are the same number in any language.
NUMBER = re.compile(r"\d+(?:[.,\u00a0 ]\d{3})*")


class FaqTranslation(_Strict):
    """One FAQ entry in another language: the words only (related, section, command: English)."""

    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=2, max_length=40)
    question: str = Field(min_length=5)
    answer: str = Field(min_length=10, max_length=ANSWER_LIMIT)
    more: str | None = None
    keywords: tuple[str, ...] = Field(min_length=1)


class FaqTranslationFile(_Strict):
    """The whole of a translation's ``faq.yaml``."""

    source: str = Field(min_length=2)
    faq: tuple[FaqTranslation, ...] = Field(min_length=1)


class LinkTranslation(_Strict):
    """A link's label in another language; its URL is English's unless given."""

    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=2, max_length=40)
    description: str = ""
    url: str | None = None


class EmergencyTranslation(_Strict):
    """The emergency text and the crisis words in another language."""

    text: str = Field(min_length=10)
    directory_title: str = Field(min_length=2, max_length=40)
    crisis_words: tuple[str, ...] = Field(min_length=1)


class LinksTranslationFile(_Strict):
    """The whole of a translation's ``links.yaml``."""

    links: tuple[LinkTranslation, ...] = Field(min_length=1)
    emergency: EmergencyTranslation


class TipTranslation(_Strict):
    """A tip in another language (its topic and FAQ link are English's)."""

    id: str = Field(pattern=TIP_ID_PATTERN)
    text: str = Field(min_length=20, max_length=TIP_LIMIT)


class TipsTranslationFile(_Strict):
    """The whole of a translation's ``tips.yaml``."""

    tips: tuple[TipTranslation, ...] = Field(min_length=1)


class PostTranslation(_Strict):
    """A recurring post in another language (when, links and pin are English's)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]{0,39}$")
    title: str = Field(min_length=2, max_length=40)
    text: str = Field(min_length=5, max_length=3000)


class PostsTranslationFile(_Strict):
    """The whole of a translation's ``posts.yaml``."""

    posts: tuple[PostTranslation, ...] = ()


@dataclass(frozen=True)
class Catalog:
    """Every language's content; English is the source and the fallback."""

    source: Content
    languages: Mapping[str, Content]

    def get(self, language: str | None) -> Content:
        """The content in ``language``; English when that language is not shipped."""
        return self.languages.get(language or SOURCE_LANGUAGE, self.source)

    @property
    def codes(self) -> tuple[str, ...]:
        """The shipped languages, English first."""
        return tuple(self.languages)


def load_catalog(content_dir: Path, *, strict: bool = False) -> Catalog:
    """Load every language folder of ``content_dir``, each checked against English.

    Raises:
        ContentError: Listing every problem of every language, each naming file and entry.
    """
    problems: list[str] = []
    source = load_source(content_dir / SOURCE_LANGUAGE, problems, strict=strict)
    languages: dict[str, Content] = {SOURCE_LANGUAGE: source} if source is not None else {}
    for folder in language_folders(content_dir):
        if source is not None:
            languages[folder.name] = load_translation(folder, source, problems)
    if problems or source is None:
        raise ContentError(problems)
    return Catalog(source=source, languages=languages)


def language_folders(content_dir: Path) -> list[Path]:
    """Translation folders: each ``content/<code>/`` holding a ``texts.ftl``, but English."""
    if not content_dir.is_dir():
        return []
    return sorted(
        folder
        for folder in content_dir.iterdir()
        if folder.is_dir()
        and re.fullmatch(LANGUAGE_PATTERN, folder.name)
        and folder.name != SOURCE_LANGUAGE
        and (folder / "texts.ftl").exists()
    )


def load_translation(folder: Path, source: Content, problems: list[str]) -> Content:
    """One language's content over English; every difference from English is a problem."""
    language = folder.name
    messages = _messages(folder, language, source, problems)
    content = replace(source, language=language, messages=messages, warnings=())
    content = _with_commands(content, folder / "commands.yaml", problems)
    content = _with_faq(content, folder / "faq.yaml", problems)
    content = _with_links(content, folder / "links.yaml", problems)
    content = _with_tips(content, folder / "tips.yaml", problems)
    return _with_posts(content, folder / "posts.yaml", problems)


def compare_ids(path: Path, kind: str, english: Iterable[str], ids: Sequence[str]) -> list[str]:
    """Entries missing from a translation, extra in it, or twice in it, named by id."""
    english_ids, own = list(english), set(ids)
    problems = [
        f"{path}: {kind} {i!r}: missing (English has it)" for i in english_ids if i not in own
    ]
    known = set(english_ids)
    problems += [
        f"{path}: {kind} {i!r}: not in English (a typo in the id?)" for i in ids if i not in known
    ]
    return problems + [f"{path}: {kind} {i!r}: duplicate id" for i in duplicates(ids)]


def numbers_in(text: str) -> set[str]:
    """The numbers a text states, digit groupings removed: "$5,000" and "5.000 $" give 5000."""
    return {re.sub(r"\D", "", found) for found in NUMBER.findall(text)}


def _messages(folder: Path, language: str, source: Content, problems: list[str]) -> Messages:
    path = folder / "texts.ftl"
    text = path.read_text(encoding="utf-8")
    resource = parse_resource(text)
    parsed, syntax = messages_of(resource, text)
    problems += [f"{path}: {problem}" for problem in syntax]
    problems += check_translated_texts(parsed, source.messages.parsed, path)
    problems += date_pattern_problems(parsed, str(path), language)
    return Messages(language, resource, source.messages, parsed)


def check_translated_texts(
    messages: dict[str, ast.Message], english: dict[str, ast.Message], path: Path
) -> list[str]:
    """The same texts as English, with the same fields, in valid Telegram HTML."""
    problems = compare_ids(path, "text", english, list(messages))
    for key, message in messages.items():
        problems += [f"{path}: text {key!r}: {p}" for p in html_problems(text_of(message))]
        if key not in english:
            continue
        theirs, ours = variables_of(english[key]), variables_of(message)
        problems += [
            f"{path}: text {key!r}: {{ ${name} }} is missing (English uses it)"
            for name in sorted(theirs - ours)
        ]
        problems += [
            f"{path}: text {key!r}: uses {{ ${name} }}, which English does not"
            for name in sorted(ours - theirs)
        ]
    return problems


def _with_commands(content: Content, path: Path, problems: list[str]) -> Content:
    found = _parse(path, CommandsFile, problems)
    if found is None:
        return content
    problems += check_commands(found, str(path))
    for kind, english, own in (
        ("command", content.commands, found.commands),
        ("admin command", content.admin_commands, found.admin_commands),
    ):
        problems += compare_ids(path, kind, [c.command for c in english], [c.command for c in own])
    by_name = {c.command: c for c in (*found.commands, *found.admin_commands)}
    return replace(
        content,
        commands=tuple(by_name.get(c.command, c) for c in content.commands),
        admin_commands=tuple(by_name.get(c.command, c) for c in content.admin_commands),
    )


def _with_faq(content: Content, path: Path, problems: list[str]) -> Content:
    found = _parse(path, FaqTranslationFile, problems)
    if found is None:
        return content
    problems += compare_ids(path, "faq entry", content.faq_by_id, [e.id for e in found.faq])
    own = {entry.id: entry for entry in found.faq}
    faq = []
    for english in content.faq:
        translated = own.get(english.id)
        if translated is None:
            faq.append(english)
            continue
        problems += _number_problems(path, english, translated)
        faq.append(_merge(english, translated))
    return replace(
        content, faq=tuple(faq), faq_source=found.source, faq_by_id={e.id: e for e in faq}
    )


def _merge(english: FaqEntry, translated: FaqTranslation) -> FaqEntry:
    words = translated.model_dump()
    words["keywords"] = tuple(k.strip().lower() for k in translated.keywords)
    return english.model_copy(update=words)


def _number_problems(path: Path, english: FaqEntry, translated: FaqTranslation) -> list[str]:
    """Every number an English answer states must appear in the translation (facts kept)."""
    problems = []
    for part in ("answer", "more"):
        theirs = getattr(english, part) or ""
        ours = getattr(translated, part) or ""
        problems += [
            f"{path}: faq entry {english.id!r}: {part}: the number {n} of the English text"
            " is missing"
            for n in sorted(numbers_in(theirs) - numbers_in(ours))
        ]
    return problems


def _with_links(content: Content, path: Path, problems: list[str]) -> Content:
    found = _parse(path, LinksTranslationFile, problems)
    if found is None:
        return content
    problems += compare_ids(
        path, "link", [x.id for x in content.links], [x.id for x in found.links]
    )
    own = {link.id: link for link in found.links}
    links = tuple(_link(english, own.get(english.id)) for english in content.links)
    words = found.emergency.model_dump()
    words["crisis_words"] = tuple(w.strip().lower() for w in found.emergency.crisis_words)
    return replace(content, links=links, emergency=content.emergency.model_copy(update=words))


def _link(english: Link, translated: LinkTranslation | None) -> Link:
    if translated is None:
        return english
    words: dict[str, Any] = {"title": translated.title, "description": translated.description}
    if translated.url:
        words["url"] = translated.url
    return english.model_copy(update=words)


def _with_tips(content: Content, path: Path, problems: list[str]) -> Content:
    found = _parse(path, TipsTranslationFile, problems)
    if found is None:
        return content
    problems += compare_ids(path, "tip", [t.id for t in content.tips], [t.id for t in found.tips])
    own = {tip.id: tip for tip in found.tips}
    tips: list[Tip] = []
    for english in content.tips:
        translated = own.get(english.id)
        tips.append(
            english if translated is None else english.model_copy(update={"text": translated.text})
        )
    problems += check_tips(tips, None, str(path))
    return replace(content, tips=tuple(tips))


def _with_posts(content: Content, path: Path, problems: list[str]) -> Content:
    if not path.exists() and not content.posts:
        return content
    found = _parse(path, PostsTranslationFile, problems)
    if found is None:
        return content
    problems += compare_ids(
        path, "post", [p.id for p in content.posts], [p.id for p in found.posts]
    )
    own = {post.id: post for post in found.posts}
    posts: list[Post] = []
    for post in content.posts:
        translated = own.get(post.id)
        english = post
        if translated is not None:
            problems += [
                f"{path}: post {english.id!r}: text: {p}" for p in html_problems(translated.text)
            ]
            english = english.model_copy(
                update={"title": translated.title, "text": translated.text}
            )
        posts.append(english)
    return replace(content, posts=tuple(posts))
