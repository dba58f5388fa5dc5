"""FAQ matching in Spanish and Portuguese: accents, stop words, misspellings, other languages."""

from __future__ import annotations

from typing import Any

import pytest

from bot.features.languages import load_catalog
from bot.features.matching import CatalogMatcher, matcher_of, normalise
from bot.features.safety import mentions_crisis
from tests.conftest import CONTENT_DIR

SPANISH = [
    ("¿está aprobado en España?", "approval"),
    ("cuánto cuesta en México", "cost"),
    ("es más barato en el extranjero", "cost"),
    ("me duele todo el cuerpo", "what-is-fibromyalgia"),
    ("no puedo concentrarme", "what-is-fibromyalgia"),
    ("me puede empeorar", "risks"),
    ("cuánto cuesta", "cost"),
    ("cuanto cuesta", "cost"),
    ("cuanto cuesta el tratamiento", "cost"),
    ("precio de las celulas madre", "cost"),
    ("es muy caro?", "cost"),
    ("lo cubre el seguro médico", "cost"),
    ("cuanto vale la terapia", "cost"),
    ("presio del tratamiento", "cost"),
    ("es seguro?", "safety"),
    ("es seguro el tratamiento con celulas madre", "safety"),
    ("efectos secundarios", "safety"),
    ("tiene efectos secundarios", "safety"),
    ("está aprobado por la fda", "approval"),
    ("esta aprobado", "approval"),
    ("es legal", "approval"),
    ("aprovado por la fda", "approval"),
    ("se puede curar la fibromialgia", "cure"),
    ("tiene cura", "cure"),
    ("las celulas madre curan la fibromialgia?", "cure"),
    ("quien puede hacerse el tratamiento", "candidate"),
    ("soy candidata?", "candidate"),
    ("cuanto duran los resultados", "results-duration"),
    ("cuánto tiempo dura el efecto", "results-duration"),
    ("qué es la fibromialgia", "what-is-fibromyalgia"),
    ("que es fibromialgia", "what-is-fibromyalgia"),
    ("fibromalgia", "what-is-fibromyalgia"),
    ("niebla mental", "what-is-fibromyalgia"),
    ("que son las celulas madre", "what-are-stem-cells"),
    ("selulas madre", "what-are-stem-cells"),
    ("tipos de celulas madre", "stem-cell-types"),
    ("células mesenquimales", "stem-cell-types"),
    ("de donde salen las celulas", "stem-cell-types"),
    ("como funciona", "how-could-help"),
    ("cómo se administra", "delivery-methods"),
    ("inyeccion intravenosa", "delivery-methods"),
    ("cuantas sesiones necesito", "delivery-methods"),
    ("que dicen los estudios", "early-research"),
    ("hay ensayos clinicos", "early-research"),
    ("riesgos", "risks"),
    ("cuales son los riesgos", "risks"),
    ("es peligroso", "risks"),
    ("beneficios", "benefits"),
    ("que puedo esperar", "benefits"),
    ("comparado con los medicamentos", "vs-traditional-treatments"),
    ("mejor que las pastillas", "vs-traditional-treatments"),
    ("sistema inmune", "immune-system"),
    ("autoinmune", "immune-system"),
    ("fatiga y cansancio", "mitochondria"),
    ("mitocondrias", "mitochondria"),
    ("inflamacion del cerebro", "neuroinflammation"),
    ("microglia", "neuroinflammation"),
    ("dolor muscular", "tissue-repair"),
    ("por que es tan dificil de tratar", "why-hard-to-treat"),
    ("nada me funciona", "why-hard-to-treat"),
    ("vale la pena", "outlook"),
]

PORTUGUESE = [
    ("é aprovado na Espanha?", "approval"),
    ("quanto custa no México", "cost"),
    ("mais barato no exterior", "cost"),
    ("dói tudo", "what-is-fibromyalgia"),
    ("pode piorar", "risks"),
    ("quanto custa", "cost"),
    ("quanto custa o tratamento", "cost"),
    ("preço das células-tronco", "cost"),
    ("é muito caro?", "cost"),
    ("o plano de saúde cobre", "cost"),
    ("preso do tratamento", "cost"),
    ("é seguro?", "safety"),
    ("o tratamento é seguro", "safety"),
    ("efeitos colaterais", "safety"),
    ("tem efeito colateral", "safety"),
    ("é aprovado pela fda", "approval"),
    ("é aprovado pela anvisa", "approval"),
    ("é legal", "approval"),
    ("tem cura", "cure"),
    ("células-tronco curam fibromialgia?", "cure"),
    ("quem pode fazer o tratamento", "candidate"),
    ("sou candidata?", "candidate"),
    ("quanto tempo duram os resultados", "results-duration"),
    ("quanto tempo dura o efeito", "results-duration"),
    ("o que é fibromialgia", "what-is-fibromyalgia"),
    ("fibromalgia", "what-is-fibromyalgia"),
    ("névoa mental", "what-is-fibromyalgia"),
    ("o que são células-tronco", "what-are-stem-cells"),
    ("celulas tronco", "what-are-stem-cells"),
    ("selulas tronco", "what-are-stem-cells"),
    ("tipos de células-tronco", "stem-cell-types"),
    ("células mesenquimais", "stem-cell-types"),
    ("de onde vem as celulas", "stem-cell-types"),
    ("como funciona", "how-could-help"),
    ("como é aplicado", "delivery-methods"),
    ("injeção na veia", "delivery-methods"),
    ("quantas sessões preciso", "delivery-methods"),
    ("o que dizem os estudos", "early-research"),
    ("tem ensaios clínicos", "early-research"),
    ("riscos", "risks"),
    ("quais são os riscos", "risks"),
    ("é perigoso", "risks"),
    ("benefícios", "benefits"),
    ("o que posso esperar", "benefits"),
    ("comparado com os remédios", "vs-traditional-treatments"),
    ("melhor que remedio", "vs-traditional-treatments"),
    ("sistema imunológico", "immune-system"),
    ("autoimune", "immune-system"),
    ("fadiga e cansaço", "mitochondria"),
    ("mitocôndrias", "mitochondria"),
    ("inflamação no cérebro", "neuroinflammation"),
    ("micróglia", "neuroinflammation"),
    ("dor muscular", "tissue-repair"),
    ("por que é tão difícil de tratar", "why-hard-to-treat"),
    ("nada funciona", "why-hard-to-treat"),
    ("vale a pena", "outlook"),
]

NONSENSE = {
    "es": [
        "receta de pizza",
        "qué tiempo hace mañana",
        "asdfgh qwerty",
        "me gusta el fútbol",
        "dónde está la estación de tren",
        "bitcoin precio hoy",
        "hola buenos días",
        "gracias",
        "canción de cumpleaños",
        "el perro de mi vecina ladra mucho",
    ],
    "pt": [
        "receita de bolo",
        "como está o tempo amanhã",
        "asdfgh qwerty",
        "eu gosto de futebol",
        "onde fica a estação de trem",
        "bitcoin hoje",
        "oi bom dia",
        "obrigada",
        "música de aniversário",
        "o cachorro do vizinho late muito",
    ],
    "en": [
        "pizza recipe",
        "what is the weather tomorrow",
        "asdfgh qwerty",
        "i like football",
        "where is the train station",
        "bitcoin today",
        "hello good morning",
        "thanks",
        "birthday song",
        "my neighbour's dog barks a lot",
    ],
}

CRISIS = {
    "es": [
        "ya no puedo más, quiero morir",
        "pienso en el suicidio",
        "me quiero matar",
        "QUIERO MORIRME",
        "no puedo mas",
        "pienso en quitarme la vida",
    ],
    "pt": [
        "não aguento mais, quero morrer",
        "penso em suicídio",
        "quero me matar",
        "nao aguento mais",
        "penso em suicidio",
        "quero tirar a minha vida",
    ],
    "en": ["i want to die", "thinking about suicide"],
}


@pytest.fixture(scope="module")
def catalog() -> Any:
    return load_catalog(CONTENT_DIR)


@pytest.fixture(scope="module")
def matcher(catalog: Any) -> CatalogMatcher:
    return matcher_of(catalog)


def test_at_least_forty_phrasings_per_new_language() -> None:
    assert len(SPANISH) >= 40
    assert len(PORTUGUESE) >= 40


@pytest.mark.parametrize(("query", "expected"), SPANISH)
def test_spanish_phrasings_reach_their_topic(
    matcher: CatalogMatcher, catalog: Any, query: str, expected: str
) -> None:
    found = matcher.match(query, "es").best
    assert found is not None, query
    assert found is catalog.get("es").faq_entry(expected), "the answer in the member's language"


@pytest.mark.parametrize(("query", "expected"), PORTUGUESE)
def test_portuguese_phrasings_reach_their_topic(
    matcher: CatalogMatcher, catalog: Any, query: str, expected: str
) -> None:
    found = matcher.match(query, "pt").best
    assert found is not None, query
    assert found is catalog.get("pt").faq_entry(expected), "the answer in the member's language"


@pytest.mark.parametrize(
    ("language", "query"), [(lang, q) for lang, qs in NONSENSE.items() for q in qs]
)
def test_nonsense_gets_no_match(matcher: CatalogMatcher, language: str, query: str) -> None:
    assert matcher.match(query, language).status == "none"


@pytest.mark.parametrize(
    ("with_accents", "without", "language"),
    [
        ("cuánto cuesta", "cuanto cuesta", "es"),
        ("¿está aprobado?", "esta aprobado", "es"),
        ("células mesenquimales", "celulas mesenquimales", "es"),
        ("preço", "preco", "pt"),
        ("é seguro?", "e seguro", "pt"),
        ("mitocôndrias", "mitocondrias", "pt"),
    ],
)
def test_accents_do_not_matter(
    matcher: CatalogMatcher, with_accents: str, without: str, language: str
) -> None:
    accented, plain = matcher.match(with_accents, language), matcher.match(without, language)
    assert accented.best is not None
    assert plain.best is accented.best


def test_stop_words_are_the_language_s() -> None:
    assert normalise("¿Cuánto cuesta el tratamiento para la fibromialgia?", "es") == [
        "costo",
        "tratamiento",
        "fibromialgia",
    ]
    assert normalise("O que é a fibromialgia?", "pt") == ["fibromialgia"]


@pytest.mark.parametrize(
    ("query", "language", "expected"),
    [
        ("how much does it cost", "es", "cost"),
        ("is it fda approved", "pt", "approval"),
        ("cuánto cuesta", "pt", "cost"),
        ("quanto custa", "es", "cost"),
        ("es seguro", "en", "safety"),
        ("tem cura", "en", "cure"),
    ],
)
def test_a_clear_question_in_another_language_is_answered_in_the_member_s(
    matcher: CatalogMatcher, catalog: Any, query: str, language: str, expected: str
) -> None:
    found = matcher.match(query, language).best
    assert found is not None
    assert found is catalog.get(language).faq_entry(expected)


@pytest.mark.parametrize(("language", "text"), [(k, t) for k, ts in CRISIS.items() for t in ts])
def test_crisis_words_in_each_language(catalog: Any, language: str, text: str) -> None:
    assert mentions_crisis(text, catalog.get(language).emergency.crisis_words)


def test_plain_questions_are_not_crisis(catalog: Any) -> None:
    for language, queries in (("es", SPANISH), ("pt", PORTUGUESE)):
        words = catalog.get(language).emergency.crisis_words
        assert not any(mentions_crisis(q, words) for q, _ in queries)
