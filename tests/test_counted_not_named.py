"""Which ones of a thing are not answered by how many there are; "Who is the contractor?" asks for a company."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer.decide import counted_not_named
from assistant.answer.question import analyse
from assistant.embedding import FakeEmbedder
from assistant.lang.kinds import question_ask
from assistant.service import Assistant
from assistant.settings import Settings
from conftest import write_doc

# (question, answering sentence, whether the sentence only counts the things asked which of)
COUNTED: list[tuple[str, str, bool]] = [
    ("哪些商场设了消费维权服务站", "全区已在23家大型商场、超市设立消费维权服务站，由服务站现场调解。", True),
    ("哪几个社区有助餐点", "目前已在12个社区建成助餐点，每天供应午餐。", True),
    ("哪些商场设了消费维权服务站", "已在百货大楼、泰华商场等3家商场设立服务站。", False),  # named, then counted
    ("哪几个社区有助餐点", "已在3个社区建成助餐点：东关社区、北苑社区、樱前社区。", False),  # counted, then listed
    ("哪些商场设了消费维权服务站", "消费者可以就近向服务站反映，由服务站现场调解。", False),  # no count at all
    ("有多少家商场设了服务站", "全区已在23家大型商场设立消费维权服务站。", False),  # how many is asked
    ("居家养老方面有哪些举措", "增加3处社区智慧养老服务站，增建2处社区食堂。", False),  # measures are no counted thing
]


@pytest.mark.parametrize(("question", "sentence", "expected"), COUNTED)
def test_counted_not_named(question: str, sentence: str, expected: bool) -> None:
    assert counted_not_named(analyse(question), sentence, sentence) is expected


def test_a_document_that_lists_them_elsewhere_answers() -> None:
    question = analyse("哪些商场设了消费维权服务站")
    sentence = "全区已在23家大型商场、超市设立消费维权服务站。"
    assert counted_not_named(question, sentence, sentence)
    assert not counted_not_named(question, sentence, sentence + "设立服务站的商场包括：泰华商场、百货大楼。")


@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("Who is the contractor for the heating pipe works?", "org"),
        ("Which construction company is doing the road works?", "org"),
        ("Who organises the job fair?", "who"),  # a body or a person, not a builder
        ("What does the contractor have to do at night?", None),
    ],
)
def test_a_contractor_is_asked_as_a_company(question: str, name: str | None) -> None:
    ask = question_ask(question)
    assert (ask.name if ask else None) == name


NOTICE = (
    "消费维权服务站建设情况\n\n"
    "全区已在23家大型商场、超市设立消费维权服务站，消费者可以就近向服务站反映，由服务站现场调解。\n"
)


@pytest.mark.parametrize(
    ("extra", "answered"),
    [
        ("", False),  # the notice counts the shopping centres, never names one
        ("设立服务站的商场包括：泰华商场、百货大楼、新华商厦等。\n", True),
    ],
)
def test_which_shops_is_not_answered_by_how_many(tmp_path: Path, extra: str, answered: bool) -> None:
    corpus = tmp_path / "corpus"
    write_doc(corpus, "notice", NOTICE + extra, title="消费维权服务站建设情况", published="2023-03-10")
    assistant = Assistant.open(Settings(corpus_dir=corpus, index_dir=tmp_path / "index"), FakeEmbedder())
    reply = assistant.ask("哪些商场设了消费维权服务站", top_k=3).answer
    assert reply.answered is answered
    # Where the document lists them, the choice of sentence is the span model's (here the count still leads).
    if not answered:
        assert "没有公布这项具体信息" in reply.text  # a list ask names no kind of detail
