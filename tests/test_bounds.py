"""Bounds on per-question work: the model reads a bounded view of an over-long question, the engine weighs few words.

Counts, not milliseconds: each test fails on code that hands the whole question to the model or the engine.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence

from assistant.answer.question import analyse, language, terms_of
from assistant.bounds import EMBED_MAX_CHARS, GAP, MAX_TERMS, bounded_terms, head_and_tail
from assistant.embedding import FakeEmbedder, Vectors
from assistant.service import Assistant
from assistant.settings import Settings
from conftest import require_shared

PLACE_CHARS = "省市区县镇乡村路街"


class RecordingEmbedder(FakeEmbedder):
    """The fake model, keeping the texts it embeds."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Embed and keep."""
        self.texts.extend(texts)
        return super().encode(texts)


def test_a_text_that_fits_is_read_whole() -> None:
    text = "东关街道要新建几处老年食堂？"
    assert head_and_tail(text) == text
    assert head_and_tail("新" * EMBED_MAX_CHARS) == "新" * EMBED_MAX_CHARS


def test_an_over_long_text_is_read_as_its_head_and_tail() -> None:
    context = "我家住在东关街道，" * 40
    text = "请问：" + context + "老年食堂在哪里？"
    view = head_and_tail(text)
    assert len(view) == EMBED_MAX_CHARS + len(GAP)
    assert view.startswith("请问：我家住在东关街道") and view.endswith("老年食堂在哪里？")


def test_the_first_and_last_words_are_kept() -> None:
    terms = tuple(f"词{i}" for i in range(50))
    kept = bounded_terms(terms)
    assert len(kept) == MAX_TERMS and kept[0] == "词0" and kept[-1] == "词49"
    assert bounded_terms(terms[:MAX_TERMS]) == terms[:MAX_TERMS]


def test_the_model_reads_a_bounded_view_of_a_500_character_question(settings: Settings) -> None:
    embedder = RecordingEmbedder()
    assistant = Assistant.open(settings, embedder)
    question = "".join(random.Random(16).choices([chr(c) for c in range(0x4E00, 0x9FA5)], k=500))
    embedder.texts.clear()
    result = assistant.ask(question)
    # The question's own embedding is the first text; the rest are clauses of the documents.
    assert len(embedder.texts[0]) <= EMBED_MAX_CHARS + len(GAP)
    assert result.question == question  # stored and echoed whole


def test_the_engine_weighs_a_bounded_number_of_words() -> None:
    # 500 place-name suffixes make about 80 distinct words, each matched against every candidate passage.
    question = "".join(random.Random(16).choices(PLACE_CHARS, k=500))
    assert len(analyse(question).terms) == MAX_TERMS


def test_no_question_of_the_evaluation_sets_is_cut() -> None:
    shared = require_shared() / "eval"
    files = [shared / "dev.jsonl", shared / "multidoc" / "questions.jsonl"]
    questions = [json.loads(line)["question"] for path in files if path.exists() for line in path.open()]
    assert questions
    for question in questions:
        assert head_and_tail(question) == question
        assert len(terms_of(question, language(question))) <= MAX_TERMS, question
