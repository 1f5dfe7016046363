"""A sentence naming no origin gives way to a clause of the same document that names where a person is from
(``span.origin``), in any document."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer.span import AnswerSpan, origin
from assistant.embedding import FakeEmbedder
from assistant.service import Assistant
from assistant.settings import Settings
from conftest import chosen, write_doc

BIOGRAPHY = (
    "袁彭年，字介眉，别号特邱，湖广公安人。明末清初政治人物。\n"
    "袁彭年为袁中道之子。万历四十四年考中进士，授礼科给事中。\n"
)
ACTOR = (
    "刘德一，原名刘德益，四川省资阳县人，已故著名演员。\n"
    "他在业余时间学习编剧，后自编自演了多部具有四川乡土气息的电视剧而出名。\n"
)
# No clause of it says where the person is from.
COACH = "戚务生退役后开始执教生涯。1983年成为中国国家队助理教练，辅佐曾雪麟。\n"


def _chosen(found: Assistant, question: str, said: str, margin: float) -> tuple[AnswerSpan, AnswerSpan]:
    """The sentence of the clause holding ``said`` as the chosen span, and what ``origin`` makes of it."""
    c = chosen(found, question, said)
    return c.span, origin(c.question, c.weights, c.span, c.others, c.model, margin=margin)


def _page(tmp_path: Path, body: str) -> Assistant:
    """The service (fake embedder) over one undated page, no notice."""
    corpus = tmp_path / "corpus"
    write_doc(corpus, "page", body, title=body[:3])
    return Assistant.open(Settings(corpus_dir=corpus, index_dir=tmp_path / "index"), FakeEmbedder())


@pytest.mark.parametrize(
    ("body", "question", "said", "answer"),
    [
        # The sentence that resembles the question names the father, not where the person is from.
        (BIOGRAPHY, "袁彭年是哪里人", "袁中道之子", "湖广公安人"),
        (ACTOR, "刘德一的籍贯在哪", "学习编剧", "四川省资阳县人"),
        # The chosen sentence already names the origin: it stays.
        (BIOGRAPHY, "袁彭年是哪里人", "湖广公安人", "湖广公安人"),
        # Not asked where the person is from: nothing to look for.
        (BIOGRAPHY, "袁彭年是谁的儿子", "袁中道之子", "袁中道之子"),
        # No clause of the document names an origin: the chosen sentence stays.
        (COACH, "戚务生是哪里人", "辅佐曾雪麟", "辅佐曾雪麟"),
    ],
)
def test_a_clause_naming_the_origin_answers_where_a_person_is_from(
    tmp_path: Path, body: str, question: str, said: str, answer: str
) -> None:
    chosen, result = _chosen(_page(tmp_path, body), question, said, margin=100.0)
    assert answer in result.text
    assert (result is chosen) == (answer in chosen.text)


def test_a_clause_naming_the_origin_scored_too_far_behind_does_not_answer(tmp_path: Path) -> None:
    chosen, result = _chosen(_page(tmp_path, BIOGRAPHY), "袁彭年是哪里人", "袁中道之子", margin=-100.0)
    assert result is chosen
