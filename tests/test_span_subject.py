"""A notice's sentence that gives the asked kind for another item than the one the question names gives way to a
clause of the same notice whose sentence names it (``span.by_subject``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer.span import TYPED_MARGIN, AnswerSpan, by_subject, other_item
from assistant.service import Assistant
from assistant.structure import item_depth
from conftest import chosen, open_dated

TRADE_IN = (
    "一、补贴品类在原8类的基础上新增微波炉、净水器，共12类。\n"
    "二、补贴标准不变；每位消费者每类产品限补贴1件，其中空调每人最多可补贴3件。\n"
    "四、购买手机、平板电脑、智能手表的，按销售价格的15%补贴，每件最高补贴500元。\n"
)
# The same details in running text: no list of items, so nothing is read as another item's.
TRADE_IN_PROSE = (
    "补贴品类在原8类的基础上新增微波炉、净水器，共12类。\n"
    "补贴标准不变；每位消费者每类产品限补贴1件，其中空调每人最多可补贴3件。\n"
    "购买手机、平板电脑、智能手表的，按销售价格的15%补贴，每件最高补贴500元。\n"
)
PLATES = (
    "二、新购电动自行车可由销售门店代办登记，车主购车时现场拍照采集信息，7个工作日内领取号牌。\n"
    "三、车主也可通过App预约，到各街道便民登记点办理。\n"
    "五、电动自行车号牌遗失或损坏的，可在App申请补领，补领号牌收取工本费10元。\n"
)
# A list of what the subsidy covers names every item; the item asked is not the one it gives a sum for.
CATEGORIES = (
    "1. 补贴品类：冰箱、洗衣机、电视机、空调共4类家电。\n"
    "2. 补贴标准：购买2级能效产品的，按销售价格的15%给予补贴；购买1级能效产品的，按销售价格的20%给予补贴。\n"
)


def _chosen(
    found: Assistant, question: str, said: str, margin: float = TYPED_MARGIN
) -> tuple[AnswerSpan, AnswerSpan, tuple[str, ...]]:
    """The sentence holding ``said`` as the chosen span, what ``by_subject`` makes of it, and the words it lacks."""
    c = chosen(found, question, said)
    unwritten = found.engine.unwritten(c.question, c.weights, c.span)
    return c.span, by_subject(c.question, c.weights, c.span, c.others, c.model, unwritten, margin=margin), unwritten


@pytest.mark.parametrize(
    ("body", "question", "said", "answer"),
    [
        # The air conditioners' limit is not the phones' subsidy: the sentence naming 手机 with a sum answers.
        (TRADE_IN, "买新手机有补贴吗，最多补多少", "空调每人最多", "每件最高补贴500元"),
        # The new bike's wait is not the replacement plate's fee: the sentence naming 补领 with a sum answers.
        (PLATES, "号牌补领要交多少钱", "7个工作日内", "工本费10元"),
        # The chosen sentence names the item asked: it stays.
        (TRADE_IN, "空调最多能补贴几件", "空调每人最多", "空调每人最多"),
        (PLATES, "新购电动自行车多久能领到号牌", "7个工作日内", "7个工作日内"),
        # The sentence naming 冰箱 does not name 能效, which the chosen one does: it stays.
        (CATEGORIES, "买一级能效的冰箱能补多少", "20%", "20%"),
        # The item asked is in no sentence of the notice (电视): nothing to look for.
        (TRADE_IN, "买电视最多补多少", "空调每人最多", "空调每人最多"),
        # Running text, not a list of items: the chosen sentence stays.
        (TRADE_IN_PROSE, "买新手机有补贴吗，最多补多少", "空调每人最多", "空调每人最多"),
        # Not a typed kind (a "how" question): nothing to look for.
        (PLATES, "号牌补领怎么办理", "7个工作日内", "7个工作日内"),
    ],
)
def test_a_notices_sentence_naming_the_item_asked_answers(
    tmp_path: Path, body: str, question: str, said: str, answer: str
) -> None:
    found = open_dated(tmp_path, "notice", body, "以旧换新和电动自行车登记通告", "2025-03-01", declared=True)
    chosen, result, _ = _chosen(found, question, said)
    assert answer in result.text
    assert (result is chosen) == (answer in chosen.text)


def test_the_sentence_naming_the_item_without_the_kind_does_not_answer(tmp_path: Path) -> None:
    # "补领" is written only where no time is given: the chosen sentence stays (the decision judges it).
    found = open_dated(tmp_path, "notice", PLATES, "以旧换新和电动自行车登记通告", "2025-03-01", declared=True)
    chosen, result, unwritten = _chosen(found, "号牌补领多久能拿到", "7个工作日内")
    assert "补领" in unwritten
    assert result is chosen


def test_only_a_notices_sentence_is_replaced(tmp_path: Path) -> None:
    found = open_dated(tmp_path, "page", TRADE_IN, "以旧换新", "2025-03-01", declared=False)
    chosen, result, unwritten = _chosen(found, "买新手机有补贴吗，最多补多少", "空调每人最多")
    assert unwritten == ()
    assert result is chosen


def test_a_rival_scored_too_far_behind_does_not_answer(tmp_path: Path) -> None:
    found = open_dated(tmp_path, "notice", TRADE_IN, "以旧换新", "2025-03-01", declared=True)
    chosen, result, unwritten = _chosen(found, "买新手机有补贴吗，最多补多少", "空调每人最多", margin=-100.0)
    assert unwritten
    assert result is chosen


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ("二、新购电动自行车可由销售门店代办登记", 3),
        ("五、电动自行车号牌遗失或损坏的，可申请补领", 3),
        ("3. 办理时需携带本人身份证原件", 6),
        ("（一）补贴对象", 4),
        # Running text, a date, a figure: no numbered item.
        ("新购电动自行车可由销售门店代办登记", None),
        ("2025年1月1日起施行", None),
        ("3.5万元补贴已发放", None),
    ],
)
def test_item_depth(text: str, depth: int | None) -> None:
    assert item_depth(text) == depth


@pytest.mark.parametrize(
    ("body", "question", "said", "other"),
    [
        # The list's item on replacement plates gives no time: the new bike's time is another item's.
        (PLATES, "号牌补领多久能拿到", "7个工作日内", True),
        # The chosen item names what is asked.
        (PLATES, "新购电动自行车多久能领到号牌", "7个工作日内", False),
        # The sibling naming 冰箱 does not name 能效, which the chosen item does: no other item's detail.
        (CATEGORIES, "买一级能效的冰箱能补多少", "20%", False),
        # Running text: no list.
        (TRADE_IN_PROSE, "买新手机有补贴吗，最多补多少", "空调每人最多", False),
    ],
)
def test_a_list_item_for_another_item_is_found(
    tmp_path: Path, body: str, question: str, said: str, other: bool
) -> None:
    found = open_dated(tmp_path, "notice", body, "以旧换新和电动自行车登记通告", "2025-03-01", declared=True)
    chosen, result, unwritten = _chosen(found, question, said)
    retrieval = found.retriever.retrieve(question)
    trace = found.engine.trace(question, retrieval, 3)
    others = found.engine.document_candidates(trace.ranked, result, retrieval)
    assert other_item(trace.weights, result, others, unwritten) is other
    if other:
        assert result is chosen
