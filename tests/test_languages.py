"""Languages as folders: every translation checked against English, plurals, dates, choice."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml

from bot.cli import main
from bot.features.content import ContentError
from bot.features.i18n import language_of, native_name
from bot.features.languages import load_catalog, numbers_in
from bot.features.tips import tip_of_day
from tests.conftest import CONTENT_DIR

TRANSLATIONS = ("es", "pt")


@pytest.fixture(scope="module")
def catalog() -> Any:
    return load_catalog(CONTENT_DIR)


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    """A copy of the shipped content, to break one translation at a time."""
    folder = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, folder)
    return folder


def edit(folder: Path, language: str, name: str, change: Any) -> None:
    path = folder / language / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def replace_text(folder: Path, language: str, old: str, new: str) -> None:
    path = folder / language / "texts.ftl"
    source = path.read_text(encoding="utf-8")
    assert old in source
    path.write_text(source.replace(old, new, 1), encoding="utf-8")


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_catalog(folder)
    return caught.value.problems


def entry(data: dict[str, Any], entry_id: str) -> dict[str, Any]:
    return next(e for e in data["faq"] if e["id"] == entry_id)


# --- The shipped languages --------------------------------------------------------------------


def test_every_shipped_language_loads_complete(catalog: Any) -> None:
    assert catalog.codes == ("en", "es", "pt")
    english = catalog.source
    for code in TRANSLATIONS:
        content = catalog.get(code)
        assert [e.id for e in content.faq] == [e.id for e in english.faq]
        assert [t.id for t in content.tips] == [t.id for t in english.tips]
        assert [c.command for c in content.commands] == [c.command for c in english.commands]
        # Translated, not the English fallback: titles, answers, tips and texts all differ.
        assert all(
            ours.answer != theirs.answer
            for ours, theirs in zip(content.faq, english.faq, strict=True)
        )
        assert sum(
            o.text != t.text for o, t in zip(content.tips, english.tips, strict=True)
        ) == len(english.tips)
        assert content.text("welcome", first_name="A", bot_name="B") != english.text(
            "welcome", first_name="A", bot_name="B"
        )
        assert content.emergency.crisis_words != english.emergency.crisis_words


def test_an_unknown_language_falls_back_to_english(catalog: Any) -> None:
    assert catalog.get("fr") is catalog.source
    assert catalog.get(None) is catalog.source


@pytest.mark.parametrize(
    ("language", "facts"),
    [
        ("es", {"approval": ["FDA", "experimentales"], "cost": ["5.000", "20.000", "más"]}),
        ("pt", {"approval": ["FDA", "experimentais"], "cost": ["5.000", "20.000", "mais"]}),
    ],
)
def test_translations_keep_the_cautions(catalog: Any, language: str, facts: Any) -> None:
    content = catalog.get(language)
    for entry_id, words in facts.items():
        answer = content.faq_entry(entry_id).answer
        assert all(word in answer for word in words), (entry_id, answer)
    stem_cells = content.faq_entry("what-are-stem-cells").answer
    assert "experimental" in stem_cells
    assert "aprobado" in stem_cells or "aprovado" in stem_cells
    risks = content.faq_entry("risks").answer
    assert "supervisión" in risks or "supervisão" in risks  # weak regulation


def test_numbers_are_the_same_number_whatever_the_grouping() -> None:
    assert numbers_in("about $5,000 to $20,000") == {"5000", "20000"}
    assert numbers_in("unos 5.000 a 20.000 dólares") == {"5000", "20000"}


# --- content check: each problem names the file and the entry -------------------------------


def test_a_missing_translation_names_the_file_and_the_id(content_dir: Path) -> None:
    edit(content_dir, "es", "faq.yaml", lambda d: d["faq"].pop(0))
    edit(content_dir, "pt", "tips.yaml", lambda d: d["tips"].pop(0))
    problems = problems_of(content_dir)
    assert any(
        "es/faq.yaml: faq entry 'what-is-fibromyalgia': missing (English has it)" in p
        for p in problems
    ), problems
    assert any("pt/tips.yaml: tip 'pacing-spoon-budget': missing" in p for p in problems)


def test_an_extra_translation_names_the_file_and_the_id(content_dir: Path) -> None:
    def add(data: dict[str, Any]) -> None:
        data["faq"].append(dict(entry(data, "cost"), id="costs"))

    edit(content_dir, "es", "faq.yaml", add)
    problems = problems_of(content_dir)
    assert any("es/faq.yaml: faq entry 'costs': not in English" in p for p in problems)


def test_a_missing_or_extra_text_is_named(content_dir: Path) -> None:
    replace_text(content_dir, "pt", "button_keep = Não, manter\n", "button_kep = Não, manter\n")
    problems = problems_of(content_dir)
    assert any("pt/texts.ftl: text 'button_keep': missing (English has it)" in p for p in problems)
    assert any("pt/texts.ftl: text 'button_kep': not in English" in p for p in problems)


def test_template_fields_must_match_english(content_dir: Path) -> None:
    replace_text(content_dir, "es", "Hola { $first_name },", "Hola { $nombre },")
    problems = problems_of(content_dir)
    assert any(
        "es/texts.ftl: text 'welcome': { $first_name } is missing (English uses it)" in p
        for p in problems
    ), problems
    assert any("text 'welcome': uses { $nombre }, which English does not" in p for p in problems)


def test_a_number_of_the_english_answer_must_stay(content_dir: Path) -> None:
    def drop(data: dict[str, Any]) -> None:
        cost = entry(data, "cost")
        cost["answer"] = cost["answer"].replace("20.000", "muchos")

    edit(content_dir, "es", "faq.yaml", drop)
    problems = problems_of(content_dir)
    assert any(
        "es/faq.yaml: faq entry 'cost': answer: the number 20000 of the English text is missing"
        in p
        for p in problems
    ), problems


def test_limits_and_html_apply_to_translations(content_dir: Path) -> None:
    def long_title(data: dict[str, Any]) -> None:
        entry(data, "cost")["title"] = "x" * 41
        entry(data, "safety")["answer"] = "y" * 701

    edit(content_dir, "pt", "faq.yaml", long_title)
    replace_text(content_dir, "es", "<b>Lo que puedo hacer</b>", "<b>Lo que puedo hacer")
    problems = problems_of(content_dir)
    assert any(
        "pt/faq.yaml" in p and "title: is 41 characters, the limit is 40" in p for p in problems
    )
    assert any("pt/faq.yaml" in p and "answer: is 701 characters" in p for p in problems)
    assert any("es/texts.ftl: text 'help': <b> is never closed" in p for p in problems)


def test_a_word_left_unquoted_in_a_date_pattern_is_named(content_dir: Path) -> None:
    replace_text(
        content_dir, "es", "format_day = EEEE, d 'de' MMMM", "format_day = EEEE, d de MMMM"
    )
    problems = problems_of(content_dir)
    assert any(
        "es/texts.ftl: text 'format_day': 'e' is not a date field; put words in 'quotes'" in p
        for p in problems
    ), problems


def test_content_check_names_every_language(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], content_dir: Path
) -> None:
    monkeypatch.setenv("CONTENT_DIR", str(content_dir))
    assert main(["content", "check"]) == 0
    assert "languages en, es, pt" in capsys.readouterr().out
    edit(content_dir, "es", "faq.yaml", lambda d: d["faq"].pop())
    assert main(["content", "check"]) == 1
    assert "es/faq.yaml: faq entry 'outlook': missing" in capsys.readouterr().err


def test_adding_a_language_is_adding_a_folder(content_dir: Path) -> None:
    # A new language starts as a copy of a translation; the check then holds it to English.
    shutil.copytree(content_dir / "es", content_dir / "fr")
    assert load_catalog(content_dir).codes == ("en", "es", "fr", "pt")


# --- Plurals and dates ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "one", "three"),
    [("en", "1 day", "3 days"), ("es", "1 día", "3 días"), ("pt", "1 dia", "3 dias")],
)
def test_plurals_follow_each_language(catalog: Any, language: str, one: str, three: str) -> None:
    content = catalog.get(language)
    assert content.text("button_pause_days", days=1) == one
    assert content.text("button_pause_days", days=3) == three


def test_minutes_plural_in_an_admin_note(catalog: Any) -> None:
    english = catalog.get("en").text("announce_missed", id=4, due="x", grace=1)
    assert "longer than a minute" in english
    spanish = catalog.get("es").text("announce_missed", id=4, due="x", grace=90)
    assert "más de 90 minutos" in spanish


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Thursday, December 3, 10:00"),
        ("es", "jueves, 3 de diciembre, 10:00"),
        ("pt", "quinta-feira, 3 de dezembro, 10:00"),
    ],
)
def test_dates_read_in_each_language(catalog: Any, language: str, expected: str) -> None:
    moment = datetime(2026, 12, 3, 10, 0, tzinfo=ZoneInfo("Europe/Madrid"))
    assert catalog.get(language).moment(moment) == expected


def test_ids_in_texts_keep_no_digit_grouping(catalog: Any) -> None:
    assert "#12345" in catalog.get("es").text("announce_posted", id=12345)


# --- Choosing a language ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("es", "es"),
        ("es-419", "es"),
        ("es-ES", "es"),
        ("pt-br", "pt"),
        ("pt-BR", "pt"),
        ("pt", "pt"),
        ("en-GB", "en"),
        ("fr", None),
        ("", None),
        (None, None),
    ],
)
def test_telegram_language_codes(code: str | None, expected: str | None) -> None:
    assert language_of(code, ("en", "es", "pt")) == expected


def test_language_buttons_use_each_language_s_own_name() -> None:
    assert [native_name(c) for c in ("en", "es", "pt")] == ["English", "Español", "Português"]


def test_the_tip_of_the_day_is_the_same_tip_in_every_language(catalog: Any) -> None:
    for offset in range(30):
        day = date(2026, 1, 1).fromordinal(date(2026, 1, 1).toordinal() + offset)
        ids = {tip_of_day(catalog.get(code).tips, day).id for code in catalog.codes}
        assert len(ids) == 1
