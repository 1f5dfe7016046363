"""Which end of a period a question asks, and a sentence giving only the other end gives way (``span.typed``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.lang.kinds import (
    PERIOD_PARTS,
    STAGES,
    earlier_years,
    ruled_out_charge,
)
from assistant.text import fold
from conftest import open_dated
from test_span_typed import _chosen


@pytest.mark.parametrize(
    ("question", "part"),
    [
        ("家电以旧换新今年补贴到什么时候", "end"),
        ("报名截止日期是哪天", "end"),
        ("体检哪天结束", "end"),
        ("Until when can I apply?", "end"),
        ("老年人体检从哪天开始", "start"),
        ("什么时候开始报名", "start"),
        ("When does registration start?", "start"),
        # Neither end, or both: no part to test.
        ("体检是什么时候", None),
        ("报名从什么时候开始到什么时候结束", None),
        ("补贴标准是多少", None),
    ],
)
def test_the_end_of_a_period_a_question_asks(question: str, part: str | None) -> None:
    assert PERIOD_PARTS.asked(fold(question)) == part


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("自2025年1月20日起继续实施家电以旧换新补贴", {"start"}),
        ("从3月1日开始受理", {"start"}),
        ("活动时间延长至2025年12月31日", {"end"}),
        ("报名于5月20日截止", {"end"}),
        ("请于6月30日前提交材料", {"end"}),
        ("体检时间为2025年4月1日至6月30日", {"start", "end"}),
        ("开放时间8:00-17:00", {"start", "end"}),
        ("活动时间：2024-09-01", set()),
        # A date of no period, and a figure reached (达到), give neither end.
        ("公告发布于2025年1月22日", set()),
        ("参保人数达到3万人", set()),
    ],
)
def test_the_ends_of_a_period_a_text_gives(text: str, parts: set[str]) -> None:
    assert PERIOD_PARTS.given(fold(text)) == parts


@pytest.mark.parametrize(
    ("question", "text", "other"),
    [
        ("补贴到什么时候", "自2025年1月20日起继续实施补贴", True),
        ("补贴从哪天开始", "活动时间延长至2025年12月31日", True),
        ("补贴到什么时候", "活动时间延长至2025年12月31日", False),
        ("补贴从哪天开始", "自2025年1月20日起继续实施补贴", False),
        ("补贴到什么时候", "活动时间为1月20日至12月31日", False),
        # No end asked, or no end given: nothing is the other end.
        ("补贴是什么时候", "自2025年1月20日起继续实施补贴", False),
        ("补贴到什么时候", "补贴资金用完即止", False),
    ],
)
def test_a_text_giving_only_the_other_end(question: str, text: str, other: bool) -> None:
    assert PERIOD_PARTS.other(fold(question), fold(text)) is other


@pytest.mark.parametrize(
    ("text", "than", "earlier"),
    [
        ("2024年补贴活动已于2024年12月31日结束", "自2025年1月20日起继续实施", True),
        ("活动时间延长至2025年12月31日", "自2025年1月20日起继续实施", False),
        ("活动时间延长至12月31日", "自2025年1月20日起继续实施", False),
    ],
)
def test_an_end_named_before_the_start_is_another_periods(text: str, than: str, earlier: bool) -> None:
    assert earlier_years(fold(text), fold(than)) is earlier


TRADE_IN = (
    "关于2025年继续实施家电以旧换新补贴的公告\n"
    "我区2024年家电以旧换新补贴活动已于2024年12月31日结束。"
    "根据上级部署，自2025年1月20日起继续实施家电以旧换新补贴，原公告内容调整如下：\n"
    "一、补贴品类新增微波炉、净水器共10类。\n"
    "二、家电以旧换新补贴活动时间延长至2025年12月31日，补贴资金用完即止。\n"
)


@pytest.mark.parametrize(
    ("question", "said", "answer"),
    [
        # The start given, the end asked: the clause giving the end of the same period answers, not the previous
        # round's end (2024).
        ("家电以旧换新补贴到什么时候", "自2025年1月20日起", "2025年12月31日"),
        # The start asked and given: it stays.
        ("家电以旧换新补贴从哪天开始", "自2025年1月20日起", "自2025年1月20日起"),
    ],
)
def test_a_sentence_giving_the_other_end_gives_way(tmp_path: Path, question: str, said: str, answer: str) -> None:
    found = open_dated(tmp_path, "notice", TRADE_IN, "公告", "2025-01-22", declared=True)
    chosen, result = _chosen(found, question, said)
    assert answer in result.text
    assert (result is chosen) == (answer in chosen.text)
    assert "2024年12月31日" not in result.text


@pytest.mark.parametrize(
    ("question", "stage"),
    [
        ("现在背街小巷计划改造多少条", "planned"),
        ("2023年高素质农民培育原计划培训多少人", "planned"),
        ("How many days was the training planned to last?", "planned"),
        ("截止2023年底改完了多少条小巷", "done"),
        ("全区建成了多少处社区健身广场", "done"),
        ("How many sports courts has Kuiwen built?", "done"),
        # Neither, or both: no stage to test.
        ("背街小巷改造多少条", None),
        ("How many canteens will be built?", None),
        ("计划改造的小巷已完成多少条", None),
    ],
)
def test_the_stage_a_question_asks(question: str, stage: str | None) -> None:
    assert STAGES.asked(fold(question)) == stage


@pytest.mark.parametrize(
    ("question", "text", "other"),
    [
        ("计划改造多少条", "截至2023年12月底，已完成背街小巷改造31条", True),
        ("完成了多少条", "2023年计划改造背街小巷42条", True),
        ("计划改造多少条", "2023年计划改造背街小巷42条", False),
        ("完成了多少条", "截至2023年12月底，已完成背街小巷改造31条", False),
        # A sentence on both stages, or on neither, is not the other stage only.
        ("计划改造多少条", "计划改造42条，已完成31条", False),
        ("计划改造多少条", "改造总数由42条调整为58条", False),
        ("背街小巷改造多少条", "已完成背街小巷改造31条", False),
    ],
)
def test_a_text_on_the_other_stage_only(question: str, text: str, other: bool) -> None:
    assert STAGES.other(fold(question), fold(text)) is other


ALLEYS = (
    "背街小巷改造完成过半\n"
    "截至2023年12月底，奎文区已完成背街小巷改造31条，其余11条转入2024年继续施工。\n"
    "区里将潍州路以东16条背街小巷纳入改造计划，背街小巷改造总数由42条调整为58条。\n"
    "背街小巷改造现在已完成立面整治12条。\n"
)


@pytest.mark.parametrize(
    ("question", "said", "answer"),
    [
        # What is done given, the plan asked: the sentence on the plan answers, not another on what is done.
        ("背街小巷现在计划改造多少条", "已完成背街小巷改造31条", "58条"),
        # What is done given and asked: it stays.
        ("背街小巷已经完成改造多少条", "已完成背街小巷改造31条", "31条"),
    ],
)
def test_a_sentence_on_the_other_stage_gives_way(tmp_path: Path, question: str, said: str, answer: str) -> None:
    found = open_dated(tmp_path, "notice", ALLEYS, "通知", "2024-01-15", declared=True)
    chosen, result = _chosen(found, question, said)
    assert answer in result.text
    assert (result is chosen) == (answer in chosen.text)


@pytest.mark.parametrize(
    ("question", "text", "other"),
    [
        ("身份证到期换新的要交多少钱", "过期后也可以换领，不收取滞纳费用", True),
        ("物业费怎么收", "业主逾期缴纳的，不得收取滞纳金", True),
        # The charge ruled out is the one asked, or any charge, or the sentence gives a sum besides it.
        ("身份证换新有滞纳费用吗", "过期后也可以换领，不收取滞纳费用", False),
        ("换新要交多少钱", "换领不收取任何费用", False),
        ("换新要交多少钱", "工本费20元，不收取滞纳费用", False),
        ("换新要交多少钱", "有效期满换领的工本费为20元", False),
        ("换新要交多少钱", "有效期满前3个月内即可申请换领", False),
    ],
)
def test_a_text_whose_only_sum_is_another_charge_ruled_out(question: str, text: str, other: bool) -> None:
    assert ruled_out_charge(fold(question), fold(text)) is other


ID_CARD = (
    "问：身份证快到期了，提前多久可以去换？\n"
    "答：有效期满前3个月内即可申请换领，过期后也可以换领，不收取滞纳费用。\n"
    "问：身份证丢了怎么补办？\n"
    "答：本人携带户口簿到户籍窗口申请补领，补领工本费40元；有效期满换领的工本费为20元。\n"
)


@pytest.mark.parametrize(
    ("question", "said", "answer"),
    [
        # A late fee ruled out, the renewal's price asked: the sentence giving the price answers.
        ("身份证到期换新的要交多少钱", "不收取滞纳费用", "20元"),
        # The late fee asked: the sentence ruling it out answers.
        ("身份证过期换领要交滞纳费用吗", "不收取滞纳费用", "不收取滞纳费用"),
    ],
)
def test_a_sentence_ruling_out_another_charge_gives_way(tmp_path: Path, question: str, said: str, answer: str) -> None:
    found = open_dated(tmp_path, "notice", ID_CARD, "常见问题", "2025-03-01", declared=True)
    chosen, result = _chosen(found, question, said)
    assert answer in result.text
    assert (result is chosen) == (answer in chosen.text)
