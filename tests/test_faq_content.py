"""The real content/faq.yaml and content/links.yaml: valid, complete, and honest."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.features.content import (
    ANSWER_LIMIT,
    FaqEntry,
    FaqFile,
    LinksFile,
    check_faq,
    check_links,
    is_placeholder,
)

CONTENT = Path(__file__).resolve().parent.parent / "content" / "en"
SOURCE = Path("/work/shared/source/stem-cells-and-fibromyalgia.txt")

REQUIRED_IDS = (
    "what-is-fibromyalgia",
    "why-hard-to-treat",
    "what-are-stem-cells",
    "stem-cell-types",
    "how-could-help",
    "neuroinflammation",
    "immune-system",
    "mitochondria",
    "tissue-repair",
    "early-research",
    "delivery-methods",
    "benefits",
    "risks",
    "vs-traditional-treatments",
)
# The article's own six questions, and the shortcut commands three of them have.
ARTICLE_FAQ = {
    "approval": "approval",
    "results-duration": None,
    "safety": "safety",
    "cure": None,
    "candidate": None,
    "cost": "cost",
}


@pytest.fixture(scope="module")
def faq() -> FaqFile:
    return FaqFile.model_validate(yaml.safe_load((CONTENT / "faq.yaml").read_text("utf-8")))


@pytest.fixture(scope="module")
def by_id(faq: FaqFile) -> dict[str, FaqEntry]:
    return {entry.id: entry for entry in faq.faq}


@pytest.fixture(scope="module")
def links() -> LinksFile:
    return LinksFile.model_validate(yaml.safe_load((CONTENT / "links.yaml").read_text("utf-8")))


def text_of(entry: FaqEntry) -> str:
    return f"{entry.answer} {entry.more or ''}".lower()


def test_faq_passes_the_checks(faq: FaqFile) -> None:
    assert check_faq(faq, "content/faq.yaml") == []


def test_source_names_the_article_and_the_blog(faq: FaqFile) -> None:
    assert "stem cells and fibromyalgia" in faq.source.lower()
    assert "blog" in faq.source.lower()


@pytest.mark.parametrize("faq_id", [*REQUIRED_IDS, *ARTICLE_FAQ])
def test_required_entry_exists(by_id: dict[str, FaqEntry], faq_id: str) -> None:
    assert faq_id in by_id


@pytest.mark.parametrize(("faq_id", "command"), ARTICLE_FAQ.items())
def test_article_faq_commands(by_id: dict[str, FaqEntry], faq_id: str, command: str) -> None:
    assert by_id[faq_id].command == command


def test_answers_fit_a_phone_and_entries_are_complete(faq: FaqFile) -> None:
    for entry in faq.faq:
        assert len(entry.answer) <= ANSWER_LIMIT, entry.id
        assert len(entry.title) <= 40, entry.id
        assert entry.related, entry.id
        assert len(entry.keywords) >= 5, entry.id
        assert entry.section.strip(), entry.id


def test_answers_are_plain_text_without_their_own_disclaimer(faq: FaqFile) -> None:
    for entry in faq.faq:
        text = text_of(entry)
        assert not re.search(r"<[a-z/]", text), entry.id
        assert "medical advice" not in text, entry.id


def test_everyday_misspellings_are_keywords(by_id: dict[str, FaqEntry]) -> None:
    assert {"fibro", "fibromialgia"} <= set(by_id["what-is-fibromyalgia"].keywords)
    assert {"stemcell", "stem cels"} <= set(by_id["what-are-stem-cells"].keywords)
    assert {"price", "how much", "insurance"} <= set(by_id["cost"].keywords)
    assert {"fda", "aproved"} <= set(by_id["approval"].keywords)


# --- The article's cautions are kept --------------------------------------------------------


def test_approval_says_not_approved_and_experimental(by_id: dict[str, FaqEntry]) -> None:
    answer = by_id["approval"].answer.lower()
    assert answer.startswith("no")
    assert "not been approved" in answer
    assert "fda" in answer
    assert "experimental" in answer


def test_cost_names_the_range_and_insurance(by_id: dict[str, FaqEntry]) -> None:
    answer = by_id["cost"].answer.lower()
    assert "$5,000 to $20,000" in answer
    assert "more" in answer
    assert "insurance usually does not cover" in answer
    assert "experimental" in answer


def test_risks_keep_every_limitation(by_id: dict[str, FaqEntry]) -> None:
    answer = by_id["risks"].answer.lower()
    for caution in ("cost", "insurance", "regulation", "oversight", "not everyone responds"):
        assert caution in answer, caution
    assert "side effects" in answer
    assert "rare complications" in answer
    assert "more clinical trials are needed" in answer


def test_cure_says_there_is_no_cure(by_id: dict[str, FaqEntry]) -> None:
    answer = by_id["cure"].answer.lower()
    assert answer.startswith("no")
    assert "no cure" in answer
    assert "not a cure" in answer


def test_safety_mentions_regulation_and_side_effects(by_id: dict[str, FaqEntry]) -> None:
    answer = by_id["safety"].answer.lower()
    assert "poorly regulated" in answer
    assert "side effects" in answer
    assert "complications" in answer


def test_candidate_needs_a_specialist(by_id: dict[str, FaqEntry]) -> None:
    answer = by_id["candidate"].answer.lower()
    assert "severe" in answer
    assert "specialist" in answer


def test_results_vary(by_id: dict[str, FaqEntry]) -> None:
    assert "differ" in by_id["results-duration"].answer.lower()
    assert "fade" in by_id["results-duration"].answer.lower()


def test_hopes_are_not_promises(by_id: dict[str, FaqEntry]) -> None:
    assert "not promises" in by_id["benefits"].answer.lower()
    assert "not proof" in by_id["early-research"].answer.lower()
    assert "large trials" in by_id["early-research"].answer.lower()
    comparison = text_of(by_id["vs-traditional-treatments"])
    assert "experimental" in comparison
    assert "not approved" in comparison
    assert "not yet known" in by_id["immune-system"].answer.lower()
    for faq_id in ("how-could-help", "neuroinflammation", "mitochondria", "tissue-repair"):
        assert re.search(
            r"(not|none of this has) (a |been )?(proven|shown)", text_of(by_id[faq_id])
        )


def test_no_answer_promises_what_the_article_does_not(faq: FaqFile) -> None:
    for entry in faq.faq:
        text = text_of(entry)
        for claim in ("guaranteed", "will cure", "cures fibromyalgia", "is approved", "100%"):
            assert claim not in text, (entry.id, claim)


@pytest.mark.skipif(not SOURCE.exists(), reason="the source article is not on this machine")
def test_no_sentence_is_copied_from_the_article(faq: FaqFile) -> None:
    source = " ".join(SOURCE.read_text("utf-8").lower().replace("’", "'").split())
    for entry in faq.faq:
        words = text_of(entry).replace("’", "'").split()
        # No run of eight words in a row appears in the article.
        for start in range(len(words) - 7):
            run = " ".join(words[start : start + 8])
            assert run not in source, (entry.id, run)


# --- links.yaml ---------------------------------------------------------------------------


def test_links_have_the_three_community_links(links: LinksFile) -> None:
    assert [link.id for link in links.links] == ["blog", "whatsapp", "store"]


def test_links_pass_the_checks_and_warn_about_the_placeholders(links: LinksFile) -> None:
    problems, warnings = check_links(links, "content/links.yaml")
    assert problems == []
    assert len(warnings) == 3
    for link_id in ("blog", "whatsapp", "store"):
        assert any(f"link {link_id!r}" in warning for warning in warnings)
    assert all(is_placeholder(link.url) for link in links.links)


def test_placeholders_are_marked_for_the_admin() -> None:
    text = (CONTENT / "links.yaml").read_text("utf-8")
    assert text.count("# PLACEHOLDER") == 3
    urls = [line for line in text.splitlines() if line.strip().startswith("url:")]
    assert len(urls) == 3
    assert all("https://example.org/replace-me/" in line for line in urls)


def test_emergency_gives_numbers_and_a_real_helpline_directory(links: LinksFile) -> None:
    emergency = links.emergency
    for number in ("112", "911", "999"):
        assert number in emergency.text
    assert "emergency" in emergency.text.lower()
    assert "cannot help" in emergency.text.lower()
    assert emergency.directory_url == "https://findahelpline.com"
    assert not is_placeholder(emergency.directory_url)
