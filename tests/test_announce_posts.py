"""content/posts.yaml: recurring community posts are checked when the content loads."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from bot.features.content import ContentError, load_content
from tests.conftest import CONTENT_DIR


def test_shipped_posts_load() -> None:
    posts = load_content(CONTENT_DIR).posts
    assert [p.id for p in posts] == ["resources"]
    assert posts[0].links


def test_posts_file_problems_are_named(tmp_path: Path) -> None:
    folder = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, folder)
    posts = [
        {"id": "weekly", "title": "Weekly", "when": "every monday 10:00", "text": "<b>Hi"},
        {"id": "weekly", "title": "Again", "when": "tomorrow 10:00", "text": "Hello all"},
        {"id": "odd", "title": "Odd", "when": "every funday 9:00", "text": "Hello all"},
    ]
    (folder / "en" / "posts.yaml").write_text(yaml.safe_dump({"posts": posts}), encoding="utf-8")
    try:
        load_content(folder)
    except ContentError as exc:
        problems = "\n".join(exc.problems)
    else:
        raise AssertionError("a broken posts.yaml loaded")
    assert "post 'weekly': duplicate id" in problems
    assert "post 'weekly': text:" in problems
    assert "must repeat, like 'every monday 10:00'" in problems
    assert "post 'odd': when 'every funday 9:00': when_day_unknown" in problems


def test_without_a_posts_file_there_are_no_posts(tmp_path: Path) -> None:
    folder = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, folder)
    (folder / "en" / "posts.yaml").unlink()
    assert load_content(folder).posts == ()
