"""The shipped texts as tests read them: a Fluent message's words, its fields as ``{name}``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from fluent.syntax import FluentParser, ast

CONTENT = Path(__file__).resolve().parent.parent / "content"


def _pattern(pattern: ast.Pattern | None) -> str:
    parts = []
    for element in pattern.elements if pattern is not None else []:
        if isinstance(element, ast.TextElement):
            parts.append(element.value)
        elif isinstance(element.expression, ast.VariableReference):
            parts.append("{" + element.expression.id.name + "}")
        elif isinstance(element.expression, ast.SelectExpression):
            default = next(v for v in element.expression.variants if v.default)
            parts.append(_pattern(default.value))
        elif isinstance(element.expression, ast.StringLiteral):
            parts.append(element.expression.parse()["value"])
    return "".join(parts)


def raw_texts(language: str = "en") -> dict[str, str]:
    """Every text of ``content/<language>/texts.ftl``, fields left as ``{name}``."""
    source = (CONTENT / language / "texts.ftl").read_text(encoding="utf-8")
    resource = FluentParser().parse(source)
    return {
        entry.id.name: _pattern(entry.value)
        for entry in resource.body
        if isinstance(entry, ast.Message)
    }


def content_yaml(language: str, name: str) -> Any:
    """One YAML file of a language folder, as data."""
    return yaml.safe_load((CONTENT / language / name).read_text(encoding="utf-8"))
