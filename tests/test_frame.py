"""The question's frame (the words around its question word) and the answer span's second clause."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer.decide import slot_filled
from assistant.answer.frame import Frame, fill, frame_of
from assistant.answer.question import analyse
from assistant.answer.span import AnswerSpan, Candidate, Piece, Scored, clause_rows, grow, partner, with_cause
from assistant.chunking import Span, clauses
from assistant.embedding import FakeEmbedder
from assistant.service import Assistant
from assistant.settings import Settings
from conftest import write_doc


@pytest.mark.parametrize(
    ("question", "frame"),
    [
        ("武穴酥糖一般只在什么时候生产销售？", Frame("一般只在", "生产销售")),
        # The measure word goes with the question word: the answer says it ("18趟").
        ("客运方面，固始站现有多少趟列车停车办客？", Frame("始站现有", "列车停车", number=True)),
        # A copula is written 为 as often as 是: it is left out of the frame.
        ("宝马7系的主要客群是哪些？", Frame("主要客群", "")),
        ("是谁宣布提供新球队所需的申请费用？", Frame("", "宣布提供")),
        # Four characters a side at most: enough to place the answer, few enough to survive rewording.
        ("东关街道社区食堂在哪里？", Frame("区食堂在", "")),
    ],
)
def test_a_questions_frame_is_the_words_next_to_its_question_word(question: str, frame: Frame) -> None:
    assert frame_of(question) == frame


def test_a_question_without_a_question_word_or_words_around_it_has_no_frame() -> None:
    assert frame_of("介绍一下社区食堂") is None
    assert frame_of("谁？") is None


@pytest.mark.parametrize(
    ("question", "text", "filled", "both"),
    [
        ("武穴酥糖一般只在什么时候生产销售？", "武穴酥糖一般只在春节时期生产销售，其他时间买不到。", "春节时期", True),
        ("客运方面，固始站现有多少趟列车停车办客？", "客运方面，现有18趟列车停车办客。", "18趟", True),
        ("1948年敷岛在哪里被拆解？", "1948年敷岛在佐世保海军工厂被拆解。", "佐世保海军工厂", True),
        ("人才夜市在哪里举办？", "人才夜市在潍州金谷广场举办，届时将有百家企业参加。", "潍州金谷广场", True),
        # One side only: up to the clause's edge.
        ("当惹雍错位于哪里？", "当惹雍错是一个咸水湖，位于中国西藏尼玛县，冈底斯山脉中段。", "中国西藏尼玛县", False),
        ("宝马7系的主要客群是哪些？", "也是宝马最顶级系列车型，主要客群为金字塔顶层人士，", "为金字塔顶层人士", False),
        ("是谁宣布提供申请费用？", "截止之际，商人Terry Serepisos宣布提供申请费用。", "商人Terry Serepisos", False),
    ],
)
def test_a_sentence_fills_the_frame_with_what_stands_where_the_question_word_does(
    question: str, text: str, filled: str, both: bool
) -> None:
    frame = frame_of(question)
    assert frame is not None
    found = fill(frame, text)
    assert found is not None and text[found.start : found.end] == filled and found.both is both


@pytest.mark.parametrize(
    ("question", "text"),
    [
        # The words of the question, but not around anything: nothing fills the frame.
        ("人才夜市具体哪天举办？", "人才夜市将于近期举办，欢迎求职者参加。"),
        ("社区食堂的电话是多少？", "社区食堂的营业时间为每天11:00至13:00。"),
        # A number asked, words given: "安放骨灰" is not how many.
        ("骨灰堂现在规划多少个格位？", "项目规划安放骨灰格位，同时建设守灵厅。"),
        # What follows a comma does not stand where the question word does.
        ("余蔚是哪国国王？", "余蔚，是十六国时期的扶余国国王。"),
        # Both sides, but in two sentences: no answer lies between them.
        ("人才夜市在哪里举办？", "人才夜市在筹备中。下周举办。"),
    ],
)
def test_a_sentence_that_does_not_answer_fills_no_frame(question: str, text: str) -> None:
    frame = frame_of(question)
    assert frame is not None and fill(frame, text) is None


def _span(text: str) -> AnswerSpan:
    return AnswerSpan("doc", 0, (Span(0, len(text), text),), {}, 0.0)


def test_the_decision_reads_whether_the_answer_fills_the_frame() -> None:
    where = analyse("1948年敷岛在哪里被拆解？")
    assert slot_filled(where, _span("1948年敷岛在佐世保海军工厂被拆解。")) == 1.0
    assert slot_filled(analyse("当惹雍错位于哪里？"), _span("当惹雍错是咸水湖，位于中国西藏尼玛县。")) == 0.5
    assert slot_filled(where, _span("敷岛是日本海军的战列舰。")) == 0.0
    assert slot_filled(where, None) == 0.0
    # Words put in another order fill nothing: the frame is a cue, not a parse.
    assert slot_filled(analyse("开封府在什么时候升为京畿路？"), _span("崇宁五年又将开封府升为京畿路。")) == 0.0


def one_document(tmp_path: Path, text: str, title: str) -> Assistant:
    corpus = tmp_path / "corpus"
    write_doc(corpus, "doc", text, title=title)
    return Assistant.open(Settings(corpus_dir=corpus, index_dir=tmp_path / "index"), FakeEmbedder())


def _candidates(found: Assistant, question: str) -> tuple[list[Candidate], list[dict[str, float]]]:
    retrieval = found.retriever.retrieve(question)
    trace = found.engine.trace(question, retrieval, 3)
    candidates = found.engine.span_candidates(trace.ranked, retrieval)
    return candidates, clause_rows(trace.question, trace.weights, candidates[0])


def test_the_clause_that_fills_the_frame_is_marked(tmp_path: Path) -> None:
    text = (
        "重阳节敬老活动将于10月23日上午举行，地点设在东关街道社区服务中心三楼多功能厅，"
        "届时将为辖区80岁以上老人送上慰问品。\n"
    )
    found = one_document(tmp_path, text, "东关街道重阳节敬老活动")
    candidates, rows = _candidates(found, "重阳节敬老活动地点设在哪里？")
    by_clause = {p.clause.text: r for p, r in zip(candidates[0].found, rows, strict=True)}
    venue = next(r for t, r in by_clause.items() if "多功能厅" in t)
    gifts = next(r for t, r in by_clause.items() if "慰问品" in t)
    assert venue["slot"] == 0.5 and gifts["slot"] == 0.0


def test_a_clause_scored_nearly_as_well_in_the_same_sentence_answers_with_the_best(tmp_path: Path) -> None:
    text = (
        "宝马7系是由宝马汽车生产的一个豪华轿车系列，也是宝马最顶级的系列车型，车身采用铝合金与碳纤维混合结构，"
        "配备八速自动变速箱和多项智能驾驶辅助系统，历代车型均在德国丁格芬工厂组装，"
        "主要客群为金字塔顶层人士，一部份国家做为元首座车。\n"
    )
    found = one_document(tmp_path, text, "宝马7系")
    candidates, rows = _candidates(found, "宝马7系的主要客群是哪些？")
    candidate = candidates[0]
    pieces: list[Piece] = candidate.found
    first = next(i for i, p in enumerate(pieces) if "豪华轿车" in p.clause.text)
    buyers = next(i for i, p in enumerate(pieces) if "客群" in p.clause.text)
    margins = {first: 3.0, buyers: 2.5}
    scored = [Scored(candidate, i, row, False, margins.get(i, 0.0)) for i, row in enumerate(rows)]
    best = scored[first]
    # Within the margin: the span runs from the best clause to it, within the sentence.
    assert partner(best, scored, margin=1.0) == buyers
    question = analyse("宝马7系的主要客群是哪些？")
    fragments = grow(question, candidate.passage, pieces, first, buyers)
    assert "金字塔顶层人士" in "".join(f.text for f in fragments)
    assert all(f.end <= pieces[first].sentence.end for f in fragments)
    # Beyond it, no partner: the best clause with its next one, as before.
    assert partner(best, scored, margin=0.25) is None
    assert "金字塔" not in "".join(f.text for f in grow(question, candidate.passage, pieces, first))


def _pieces(sentence: str) -> list[Piece]:
    whole = Span(0, len(sentence), sentence)
    return [Piece(whole, c) for c in clauses(sentence, 0, semicolons=True)]


@pytest.mark.parametrize(
    ("sentence", "best", "answer"),
    [
        # Back to the nearest clause that gives a cause.
        (
            "2009年8月，由于桥上交通压力过大，以及桥下空间不足，检测机构将该桥鉴定为危桥，因此引起争议。",
            "检测机构将该桥鉴定为危桥，",
            "由于桥上交通压力过大，以及桥下空间不足，检测机构将该桥鉴定为危桥，",
        ),
        # A consequence drawn from what precedes it: back to the sentence's start.
        (
            "受地形影响，风速变化大，易出现狭管效应，故背风坡地带不适宜设立飞机场，当地另建机场。",
            "故背风坡地带不适宜设立飞机场，",
            "受地形影响，风速变化大，易出现狭管效应，故背风坡地带不适宜设立飞机场，",
        ),
        # A cause that follows.
        (
            "东风东街今日停止供水，因为管网抢修，预计18时恢复。",
            "东风东街今日停止供水，",
            "东风东街今日停止供水，因为管网抢修，",
        ),
        # Neither: the clause alone.
        ("社区食堂暂停营业，恢复时间另行通知。", "社区食堂暂停营业，", "社区食堂暂停营业，"),
    ],
)
def test_a_why_answer_reaches_the_cause_within_its_sentence(sentence: str, best: str, answer: str) -> None:
    found = _pieces(sentence)
    same = list(range(len(found)))
    at = next(i for i, p in enumerate(found) if p.clause.text == best)
    lo, hi = with_cause(found, same, at, at)
    assert sentence[found[lo].clause.start : found[hi].clause.end] == answer
