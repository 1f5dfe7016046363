"""A sentence without the kind asked gives way to a clause of the same notice that holds it (``span.typed``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer.span import AnswerSpan, lacks_kind, repairable, typed
from assistant.service import Assistant
from conftest import chosen, open_dated

TRANSFER = (
    "二手房转移登记实行带押过户，房屋有贷款未还清的也可办理过户。"
    "买卖双方须本人到场，携带身份证、不动产权证书和网签合同。\n"
    "新建商品房首次登记后，开发企业应在90日内为购房人办理转移登记。\n"
)
RECEPTION = (
    "区人大常委会安排2024年上半年各人大代表联络站集中接待选民活动，现将安排公布如下。"
    "接待时间为各接待日上午9:00—11:30。\n"
)
BUS = "福寿园祭扫专线\n终点：奎文区福寿园公墓\n发车时间：每天6:30—15:00，每20分钟一班\n"
GRAIN = (
    "近日，昌乐县耕地地力保护补贴申报工作全面展开。\n"
    "申报时间为4月20日至5月20日，由种地农民向所在村委会申报，经镇审核后上报。补贴资金将于6月底前发放。\n"
)
CHECKUP = (
    "奎文区老年人免费健康体检工作即将开始，现将有关事项通知如下。\n"
    "体检时间为2025年4月1日至6月30日，节假日不安排体检。\n"
    "65岁以上老年人可携带身份证到社区卫生服务中心体检。\n"
)

FAIR = (
    '为帮助劳动者实现就业，现举办2025年"金秋招聘月"专场招聘会。\n'
    "活动时间：2025年9月20日（星期六）9:00—12:00\n"
    "活动地点：奎文区人力资源市场一楼大厅\n"
)
# A field of another thing's time ("培训时间：") than the notice's own event.
TRAINING = '为帮助劳动者实现就业，现举办2025年"金秋招聘月"专场招聘会。\n岗前培训时间：2025年10月8日\n'


def _chosen(found: Assistant, question: str, said: str) -> tuple[AnswerSpan, AnswerSpan]:
    """The clause holding ``said`` as the chosen span, and what ``typed`` makes of it (any margin)."""
    c = chosen(found, question, said)
    return c.span, typed(c.question, c.weights, c.span, c.others, c.model, margin=100.0)


@pytest.mark.parametrize(
    ("body", "question", "said", "answer"),
    [
        # The sentence that goes on from the one naming the subject gives the documents asked.
        (TRANSFER, "二手房过户要带哪些材料", "带押过户", "携带身份证"),
        # A notice's opening ("现将有关事项通知如下") gives no date; its later sentence does.
        (CHECKUP, "老年人免费体检几号开始", "即将开始", "2025年4月1日"),
        # Of two clauses holding a date, the one that names what is asked of it (申报, not 发放).
        (GRAIN, "昌乐县补贴的申报时间是什么时候", "全面展开", "申报时间为"),
        # Where the chosen sentence already holds the kind asked, it stays.
        (CHECKUP, "老年人体检到几号结束", "体检时间为", "体检时间为"),
        # No typed kind asked (a yes-or-no question): nothing to look for.
        (TRANSFER, "二手房有贷款能过户吗", "带押过户", "带押过户"),
        # The notice is of another half of the year than the one asked: none of its times answers.
        (RECEPTION, "下半年人大代表接待是什么时候", "上半年", "上半年"),
        # Asked of the place at the end of the route, the route's departure hours: a clause that shares no word of
        # the question does not answer it, whatever its headings share.
        (BUS, "福寿园公墓平时几点关门", "终点", "终点"),
    ],
)
def test_a_notices_clause_holding_the_asked_kind_answers_instead_of_one_without(
    tmp_path: Path, body: str, question: str, said: str, answer: str
) -> None:
    found = open_dated(tmp_path, "notice", body, "通知", "2025-03-01", declared=True)
    chosen, result = _chosen(found, question, said)
    assert answer in result.text
    assert (result is chosen) == (answer in chosen.text)
    # The engine reads the document's other passages only for a span ``repairable`` accepts.
    analysed = found.engine.trace(question, found.retriever.retrieve(question), 3).question
    assert repairable(analysed, chosen) or result is chosen


@pytest.mark.parametrize(
    ("body", "question", "said", "expected"),
    [
        (CHECKUP, "老年人免费体检几号开始", "即将开始", True),
        # The sentence holds the kind asked, both ends of the period.
        (CHECKUP, "老年人体检到几号结束", "体检时间为", False),
        # No typed kind asked.
        (TRANSFER, "二手房有贷款能过户吗", "带押过户", False),
        # Another half of the year than the one asked.
        (RECEPTION, "下半年人大代表接待是什么时候", "上半年", False),
    ],
)
def test_only_a_sentence_without_the_asked_kind_is_repairable(
    tmp_path: Path, body: str, question: str, said: str, expected: bool
) -> None:
    found = open_dated(tmp_path, "notice", body, "通知", "2025-03-01", declared=True)
    chosen, _ = _chosen(found, question, said)
    analysed = found.engine.trace(question, found.retriever.retrieve(question), 3).question
    assert repairable(analysed, chosen) is expected


def test_only_a_notices_silence_on_the_kind_counts(tmp_path: Path) -> None:
    # An encyclopaedia's page (its date read from its first line) names details in forms no pattern knows.
    found = open_dated(tmp_path, "page", TRANSFER, "二手房", "2025-03-01", declared=False)
    question = "二手房过户要带哪些材料"
    chosen, result = _chosen(found, question, "带押过户")
    assert not lacks_kind(found.engine.trace(question, found.retriever.retrieve(question), 3).question, chosen)
    assert result is chosen


def test_a_rival_scored_too_far_behind_does_not_answer(tmp_path: Path) -> None:
    found = open_dated(tmp_path, "notice", TRANSFER, "通知", "2025-03-01", declared=True)
    question = "二手房过户要带哪些材料"
    retrieval = found.retriever.retrieve(question)
    trace = found.engine.trace(question, retrieval, 3)
    chosen, _ = _chosen(found, question, "带押过户")
    others = found.engine.document_candidates(trace.ranked, chosen, retrieval)
    assert typed(trace.question, trace.weights, chosen, others, found.engine.model.span, margin=-100.0) is chosen


@pytest.mark.parametrize(
    ("body", "answer"),
    [
        # A field giving the notice's own event's time ("活动时间：") names no word of the question; the notice's
        # title does: it answers.
        (FAIR, "2025年9月20日"),
        # A field of another thing's time ("岗前培训时间：") does not.
        (TRAINING, "现举办"),
    ],
)
def test_a_field_of_the_notices_own_event_answers(tmp_path: Path, body: str, answer: str) -> None:
    found = open_dated(tmp_path, "notice", body, '2025年"金秋招聘月"专场招聘会公告', "2025-09-01", declared=True)
    chosen, result = _chosen(found, "金秋招聘会是哪天", "现举办")
    assert answer in result.text
    assert (result is chosen) == (answer in chosen.text)
