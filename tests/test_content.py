"""Content loading and checking: every kind of bad edit is named, with file and entry."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from fluent.syntax import FluentParser, FluentSerializer, ast

from bot.cli import main
from bot.features.content import ContentError, load_content
from tests.conftest import CONTENT_DIR


def entry(entry_id: str, **changes: Any) -> dict[str, Any]:
    base = {
        "id": entry_id,
        "title": f"About {entry_id}",
        "question": f"What about {entry_id}?",
        "answer": f"A short answer about {entry_id}.",
        "keywords": [entry_id],
        "section": "FAQ",
    }
    return base | changes


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    """A small, valid content folder (English only) the tests break one way at a time."""
    folder = tmp_path / "content" / "en"
    folder.mkdir(parents=True)
    shutil.copy(CONTENT_DIR / "en" / "texts.ftl", folder / "texts.ftl")
    shutil.copy(CONTENT_DIR / "en" / "commands.yaml", folder / "commands.yaml")
    write(
        folder,
        "faq.yaml",
        {"source": "test", "faq": [entry("cost", related=["safety"]), entry("safety")]},
    )
    links = {
        "links": [{"id": "blog", "title": "Blog", "url": "https://blog.real-site.org/"}],
        "emergency": {
            "text": "Call your local emergency number.",
            "directory_title": "Helplines",
            "directory_url": "https://findahelpline.com",
        },
    }
    write(folder, "links.yaml", links)
    return folder.parent


def write(folder: Path, name: str, data: Any) -> None:
    (folder / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def set_text(texts: Path, key: str, value: str | None) -> None:
    """Replace (or, with None, remove) one message of a Fluent file; add it when new."""
    resource = FluentParser().parse(texts.read_text(encoding="utf-8"))
    new = FluentParser().parse(f"{key} = {value}\n").body if value is not None else []
    body = [e for e in resource.body if not (isinstance(e, ast.Message) and e.id.name == key)]
    resource.body = body + list(new)
    texts.write_text(FluentSerializer().serialize(resource), encoding="utf-8")


def problems_of(folder: Path, *, strict: bool = False) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_content(folder, strict=strict)
    return caught.value.problems


def edit(folder: Path, name: str, change: Any, language: str = "en") -> None:
    data = yaml.safe_load((folder / language / name).read_text(encoding="utf-8"))
    change(data)
    write(folder / language, name, data)


def test_valid_content_loads(content_dir: Path) -> None:
    content = load_content(content_dir)
    assert [e.id for e in content.faq] == ["cost", "safety"]
    assert content.faq_entry("cost") is not None
    assert content.warnings == ()


def test_shipped_content_passes_with_only_placeholder_warnings() -> None:
    content = load_content(CONTENT_DIR)
    assert content.warnings, "the shipped links are placeholders and should be flagged"
    assert all("placeholder" in w for w in content.warnings)


def test_strict_turns_placeholders_into_errors() -> None:
    problems = problems_of(CONTENT_DIR, strict=True)
    assert problems
    assert all("placeholder" in p for p in problems)


def test_duplicate_ids_are_named(content_dir: Path) -> None:
    edit(content_dir, "faq.yaml", lambda d: d["faq"].append(entry("cost")))
    assert any("faq.yaml: faq entry 'cost': duplicate id" in p for p in problems_of(content_dir))


def test_related_id_that_does_not_exist(content_dir: Path) -> None:
    edit(content_dir, "faq.yaml", lambda d: d["faq"][1].update(related=["approval"]))
    problems = problems_of(content_dir)
    assert any("'safety': related id 'approval' does not exist" in p for p in problems)


def test_answer_over_the_limit_names_entry_and_length(content_dir: Path) -> None:
    edit(content_dir, "faq.yaml", lambda d: d["faq"][1].update(answer="x" * 701))
    problems = problems_of(content_dir)
    assert any(
        "faq.yaml: faq entry 'safety' (#2): answer: is 701 characters, the limit is 700" in p
        for p in problems
    ), problems


def test_missing_field_is_named(content_dir: Path) -> None:
    edit(content_dir, "faq.yaml", lambda d: d["faq"][0].pop("keywords"))
    assert any(
        "entry 'cost' (#1): keywords: Field required" in p for p in problems_of(content_dir)
    )


def test_template_field_nothing_fills(content_dir: Path) -> None:
    set_text(content_dir / "en" / "texts.ftl", "welcome", "Hi { $nickname }")
    problems = problems_of(content_dir)
    assert any("text 'welcome': uses { $nickname } but nothing fills it" in p for p in problems)


def test_missing_text_and_unknown_text(content_dir: Path) -> None:
    set_text(content_dir / "en" / "texts.ftl", "help", None)
    set_text(content_dir / "en" / "texts.ftl", "helo", "typo")
    problems = problems_of(content_dir)
    assert any("texts.ftl: text 'help': missing" in p for p in problems)
    assert any("texts.ftl: text 'helo': not used by the bot" in p for p in problems)


def test_broken_template_braces_name_the_line(content_dir: Path) -> None:
    texts = content_dir / "en" / "texts.ftl"
    texts.write_text(texts.read_text(encoding="utf-8") + "welcome = Hi { $first_name\n")
    assert any("texts.ftl: line " in p for p in problems_of(content_dir))


def test_plural_forms_follow_the_language(content_dir: Path) -> None:
    content = load_content(content_dir)
    assert content.text("button_pause_days", days=1) == "1 day"
    assert content.text("button_pause_days", days=3) == "3 days"


@pytest.mark.parametrize("url", ["not a url", "ftp://files.org/x", "https://", "www.blog.org"])
def test_malformed_urls(content_dir: Path, url: str) -> None:
    edit(content_dir, "links.yaml", lambda d: d["links"][0].update(url=url))
    assert any("link 'blog': malformed URL" in p for p in problems_of(content_dir))


def test_placeholder_link_is_a_warning_then_strict_error(content_dir: Path) -> None:
    edit(content_dir, "links.yaml", lambda d: d["links"][0].update(url="https://example.org/x"))
    assert "placeholder" in load_content(content_dir).warnings[0]
    assert any("placeholder" in p for p in problems_of(content_dir, strict=True))


def test_yaml_syntax_error_names_the_file(content_dir: Path) -> None:
    (content_dir / "en" / "faq.yaml").write_text("faq: [unclosed\n", encoding="utf-8")
    problems = problems_of(content_dir)
    assert any("faq.yaml: not valid YAML" in p for p in problems)


def test_missing_file(content_dir: Path) -> None:
    (content_dir / "en" / "links.yaml").unlink()
    assert any("links.yaml: file not found" in p for p in problems_of(content_dir))


def test_content_check_command(
    content_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CONTENT_DIR", str(content_dir))
    assert main(["content", "check"]) == 0
    assert "content OK: 2 FAQ entries" in capsys.readouterr().out
    edit(content_dir, "faq.yaml", lambda d: d["faq"].append(entry("cost")))
    assert main(["content", "check"]) == 1
    assert "error:" in capsys.readouterr().err


def test_content_check_strict_on_shipped_content(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CONTENT_DIR", str(CONTENT_DIR))
    assert main(["content", "check"]) == 0
    assert "warning:" in capsys.readouterr().err
    assert main(["content", "check", "--strict"]) == 1


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("<b>Hello { $first_name }", "<b> is never closed"),
        ("<h1>Hello</h1>", "<h1> is not a tag Telegram accepts"),
        ("Hello</i>", "</i> closes a tag that is not open"),
    ],
)
def test_text_with_html_telegram_would_refuse(content_dir: Path, text: str, says: str) -> None:
    set_text(content_dir / "en" / "texts.ftl", "welcome", text)
    assert any(f"text 'welcome': {says}" in p for p in problems_of(content_dir))


def test_faq_command_that_shadows_a_bot_command(content_dir: Path) -> None:
    edit(content_dir, "faq.yaml", lambda d: d["faq"][0].update(command="help"))
    assert any(
        "command /help is one of the bot's own commands" in p for p in problems_of(content_dir)
    )
