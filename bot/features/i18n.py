"""Languages: Fluent messages, choosing a member's language, dates in their words (Babel).

Each language is a folder of ``content/`` (``en``, ``es``, ``pt``...). Its sentences are a
Fluent file (https://projectfluent.org), which handles plurals and grammatical forms per
language; English is the source every other language is checked against, and the fallback.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime

from babel.core import Locale, UnknownLocaleError
from babel.dates import format_datetime
from fluent.runtime import FluentBundle
from fluent.runtime.types import fluent_number
from fluent.syntax import FluentParser, ast
from fluent.syntax.visitor import Visitor

SOURCE_LANGUAGE = "en"
LANGUAGE_PATTERN = r"^[a-z]{2,3}$"


class MessageError(Exception):
    """A message could not be formatted: it is missing, or a field it uses was not given."""


class Messages:
    """One language's Fluent messages, falling back to the source language's."""

    def __init__(
        self,
        language: str,
        source: str | ast.Resource,
        fallback: Messages | None = None,
        parsed: dict[str, ast.Message] | None = None,
    ) -> None:
        """Load the messages.

        Args:
            language: The language code, such as ``es`` (it picks the plural rules).
            source: The text of the language's ``texts.ftl``, or that text already parsed.
            fallback: Where a message this language lacks is taken from (English).
            parsed: The messages by id, when the caller has them (start-up parses once).
        """
        self.language = language
        self.fallback = fallback
        resource = parse_resource(source) if isinstance(source, str) else source
        self.parsed = parsed if parsed is not None else messages_of(resource, "")[0]
        # Without isolation marks: Telegram shows them as stray characters in some clients.
        self._bundle = FluentBundle([language], use_isolating=False)
        self._bundle.add_resource(resource)

    def has(self, key: str) -> bool:
        """True when this language (not its fallback) has the message ``key``."""
        return self._bundle.has_message(key)

    def format(self, key: str, fields: Mapping[str, object]) -> str:
        """The message ``key`` with its fields filled; whole numbers keep no digit grouping.

        Raises:
            MessageError: The message does not exist, or uses a field not given.
        """
        if not self._bundle.has_message(key):
            if self.fallback is None:
                raise MessageError(f"no message {key!r}")
            return self.fallback.format(key, fields)
        pattern = self._bundle.get_message(key).value
        if pattern is None:
            raise MessageError(f"message {key!r} has no value")
        args = {name: _arg(value) for name, value in fields.items()}
        text, errors = self._bundle.format_pattern(pattern, args)
        if errors:
            raise MessageError(f"message {key!r} in {self.language}: {errors[0]}")
        return str(text)


def _arg(value: object) -> object:
    """Fluent arguments: numbers stay numbers (for plurals) but print as ``1234``, not 1,234."""
    if isinstance(value, int) and not isinstance(value, bool):
        return fluent_number(value, useGrouping=False)
    return value if isinstance(value, (str, float)) else str(value)


# --- Checking a Fluent file -------------------------------------------------------------------


class _Variables(Visitor):
    """Collects the ``$variables`` a message uses, in every variant."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def visit_VariableReference(self, node: ast.VariableReference) -> None:  # noqa: N802
        """Note one variable."""
        self.names.add(node.id.name)


class _Text(Visitor):
    """The literal text of a message, taking the default variant of each choice."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def visit_TextElement(self, node: ast.TextElement) -> None:  # noqa: N802
        """Keep the text."""
        self.parts.append(node.value)

    def visit_SelectExpression(self, node: ast.SelectExpression) -> None:  # noqa: N802
        """Only the default variant, so a tag opened in one variant is checked once."""
        for variant in node.variants:
            if variant.default:
                self.visit(variant.value)


def parse_resource(source: str) -> ast.Resource:
    """Parse the text of a Fluent file (syntax errors become Junk entries)."""
    return FluentParser().parse(source)


def parse_messages(source: str) -> tuple[dict[str, ast.Message], list[str]]:
    """Parse a Fluent file: its messages by id, and its syntax errors as readable lines.

    Returns:
        ``({id: message}, ["line 12: expected ..."])``. Duplicate ids are errors too.
    """
    return messages_of(parse_resource(source), source)


def messages_of(resource: ast.Resource, source: str) -> tuple[dict[str, ast.Message], list[str]]:
    """A parsed Fluent file's messages by id, and its syntax errors (lines from ``source``)."""
    messages: dict[str, ast.Message] = {}
    problems: list[str] = []
    for entry in resource.body:
        if isinstance(entry, ast.Junk):
            for note in entry.annotations:
                line = source.count("\n", 0, note.span.start if note.span else 0) + 1
                problems.append(f"line {line}: {note.message}")
        elif isinstance(entry, ast.Message):
            if entry.id.name in messages:
                problems.append(f"message {entry.id.name!r}: defined twice")
            messages[entry.id.name] = entry
    return messages, problems


def variables_of(message: ast.Message) -> set[str]:
    """The names of the ``{ $fields }`` a message uses."""
    visitor = _Variables()
    visitor.visit(message)
    return visitor.names


def text_of(message: ast.Message) -> str:
    """The message's literal text (default variants), for checking its HTML and numbers."""
    visitor = _Text()
    if message.value is not None:
        visitor.visit(message.value)
    return "".join(visitor.parts)


# --- Choosing a language ----------------------------------------------------------------------


def language_of(code: str | None, available: Iterable[str]) -> str | None:
    """The shipped language for a Telegram ``language_code`` (IETF tag), or None.

    ``es-419`` and ``es`` give ``es``; ``pt-br`` and ``pt-BR`` give ``pt``.
    """
    if not code:
        return None
    primary = re.split(r"[-_]", code.strip().lower(), maxsplit=1)[0]
    return primary if primary in set(available) else None


def native_name(language: str) -> str:
    """The language's name in itself, for the /language buttons: ``Español``, ``Português``."""
    try:
        name = Locale.parse(language).get_display_name(language) or language
    except (UnknownLocaleError, ValueError):
        return language
    return name[:1].upper() + name[1:]


def format_moment(moment: datetime, pattern: str, language: str) -> str:
    """A date or time in the member's words with a CLDR pattern from their texts.

    Args:
        moment: An aware time, already in the member's zone.
        pattern: A CLDR pattern such as ``EEEE, d 'de' MMMM`` (Unicode TR35 date fields).
        language: The member's language, e.g. ``es`` for "jueves, 3 de diciembre".
    """
    return format_datetime(moment, pattern, tzinfo=moment.tzinfo, locale=language)
