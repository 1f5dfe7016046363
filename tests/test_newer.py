"""When documents disagree about the same thing, the newer one answers (issue 11, item 3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer.newer import (
    Said,
    asks_before,
    asks_past,
    giving,
    named_years,
    reports_past,
    same_detail,
    same_subject,
)
from assistant.embedding import FakeEmbedder
from assistant.service import Assistant
from assistant.settings import Settings
from assistant.text import fold
from conftest import write_doc

# (older clause, newer clause, kinds asked, the titles' words, whether they give one detail differently)
DETAIL: list[tuple[str, str, frozenset[str], tuple[str, ...], bool]] = [
    # The same label, the same measure, another figure.
    ("累计培训时间不少于15天", "一、累计培训时间不少于20天。", frozenset({"figure"}), ("培训",), True),
    ("报名截至2023年6月15日", "报名截至2024年6月28日", frozenset({"date"}), ("培训", "报名"), True),
    ("今年计划培育高素质农民150人", "今年培育规模扩大至220人", frozenset({"count", "figure"}), ("培训",), True),
    ("项目规划安放骨灰格位12000个", "项目安放骨灰格位调整为15000个", frozenset({"count", "figure"}), ("格位",), True),
    # No kind asked: a figure of the same measure that changed.
    ("报名条件为年龄18至55周岁", "二、报名年龄放宽至60周岁", frozenset(), ("报名", "培训"), True),
    # The same text says nothing new.
    ("累计培训时间不少于15天", "累计培训时间不少于15天", frozenset({"figure"}), ("培训",), False),
    # Another measure: a date is not the number of days.
    ("累计培训时间不少于15天", "报名截至2024年6月28日", frozenset({"figure"}), ("培训",), False),
    # Nothing but the question's own words in common: another detail of the same subject.
    ("培训时间不少于15天", "培训共分3个班", frozenset({"figure"}), ("培训",), False),
    # Nothing but the subject in common.
    ("高素质农民培育150人", "高素质农民培育220人", frozenset({"count"}), ("高素质", "农民", "培育"), False),
    # No kind asked and no figure: naming the same classes is not saying the same of them.
    (
        "经营管理型班次主要面向家庭农场主",
        "在经营管理型、专业生产型两个班次的基础上",
        frozenset(),
        ("高素质", "农民", "培育"),
        False,
    ),
    # The newer clause lacks the kind asked for.
    ("报名截至2023年6月15日", "报名请到所在街道服务站", frozenset({"date"}), ("报名",), False),
]


@pytest.mark.parametrize(("old", "new", "asked", "subject", "same"), DETAIL)
def test_same_detail_needs_the_kind_the_measure_and_a_naming_word(
    old: str, new: str, asked: frozenset[str], subject: tuple[str, ...], same: bool
) -> None:
    assert (same_detail(Said.of(old), Said.of(new), asked, subject) > 0) is same


def test_another_measure_than_the_one_asked_is_not_the_same_detail() -> None:
    old, new = Said.of("计划改造背街小巷42条，总长度约18.6公里"), Said.of("完成路面铺设约13.2公里")
    assert same_detail(old, new, frozenset({"count", "figure"}), ("背街", "小巷"))
    assert not same_detail(old, new, frozenset({"count", "figure"}), ("背街", "小巷"), unit="条")


@pytest.mark.parametrize(
    ("span", "asked", "unit", "given"),
    [
        # Only the clause in the measure asked for gives the answer.
        ("2023年计划改造背街小巷42条，总长度约18.6公里。", frozenset({"count"}), "条", ["2023年计划改造背街小巷42条"]),
        ("2023年计划改造背街小巷42条，总长度约18.6公里。", frozenset({"figure"}), "公里", ["总长度约18.6公里"]),
        # The clause with the kind asked for, not the one after it.
        ("报名截至2023年6月15日，考核合格的颁发结业证书。", frozenset({"date"}), None, ["报名截至2023年6月15日"]),
        # No kind asked: the clauses that hold a figure.
        ("报名条件为年龄18至55周岁；在本区从事农业生产。", frozenset(), None, ["报名条件为年龄18至55周岁"]),
        ("学员免交培训费、食宿费。", frozenset(), None, []),
    ],
)
def test_the_clauses_of_a_span_that_give_what_was_asked(
    span: str, asked: frozenset[str], unit: str | None, given: list[str]
) -> None:
    assert [s.text for s in giving(span, asked, unit)] == [fold(g) for g in given]


@pytest.mark.parametrize(
    ("title", "other", "same"),
    [
        ("奎文区2023年高素质农民培育工作启动", "2024年高素质农民培育开始报名 规模扩大、班次增加", True),
        ("奎文区公益性骨灰堂建设项目启动", "区公益性骨灰堂主体完工 格位数量调整", True),
        ("奎文区社区食堂（长者助餐点）运营公告", "奎文区新增4处社区食堂 老年人助餐价格2月1日起调整", True),
        # Only the district and the year in common.
        ("奎文区2023年高素质农民培育工作启动", "奎文区2023年背街小巷改造提升实施方案", False),
        ("奎文区高龄津贴政策问答", "奎文区居家养老上门服务常见问题解答", False),
    ],
)
def test_same_subject_is_a_shared_name_beyond_district_and_year(title: str, other: str, same: bool) -> None:
    assert same_subject(title, other, "奎文区") is same


@pytest.mark.parametrize(
    ("question", "past"),
    [
        ("2023年高素质农民培育原计划培训多少人", True),
        ("去年培训了多少人", True),
        ("How many days was the 2023 farmer training planned to last?", True),
        ("以前的培训地点在哪", True),
        ("农民培训在哪上课", False),
        ("新型农民培训现在要上多少天课", False),
        ("How long is the farmer training?", False),
    ],
)
def test_a_question_naming_a_past_time_asks_about_it(question: str, past: bool) -> None:
    assert asks_past(question) is past


@pytest.mark.parametrize(
    ("clause", "question", "past"),
    [
        ("去年共培育150人，结业率96%", "今年招多少人", True),
        ("由原规划的12000个调整为15000个", "骨灰堂规划了多少个格位", True),
        # A change said with its earlier value is the newer figure.
        ("由原来的15天调整为20天", "培训要上多少天", False),
        ("由原规划的12000个调整为15000个", "骨灰堂有多少个格位", False),
        ("今年培育规模扩大至220人", "今年招多少人", False),
    ],
)
def test_a_clause_reporting_the_earlier_state_is_not_the_newer_answer(clause: str, question: str, past: bool) -> None:
    assert reports_past(fold(clause), fold(question)) is past


PLAN = (
    "奎文区2023年高素质农民培育工作启动\n"
    "今年计划培育高素质农民150人。培训采取分段式，累计培训时间不少于15天。\n"
    "培训将邀请农业院校专家和本地种植能手授课。\n"
    "实训基地建筑面积2000平方米，培训经费300万元。\n"
)
NOTICE = (
    "2024年高素质农民培育开始报名\n"
    "今年培训有以下调整：\n一、累计培训时间不少于20天。\n二、报名年龄放宽至60周岁。\n三、培训经费增加到360万元。\n"
    "本通知与2023年的安排不一致的，以本通知为准。\n"
)


@pytest.fixture
def training(tmp_path: Path) -> Assistant:
    """The service (fake embedder) over a 2023 plan and the 2024 notice that supersedes part of it."""
    corpus = tmp_path / "corpus"
    write_doc(corpus, "plan", PLAN, title="奎文区2023年高素质农民培育工作启动", published="2023-05-22")
    write_doc(corpus, "notice", NOTICE, title="2024年高素质农民培育开始报名", published="2024-06-03")
    return Assistant.open(Settings(corpus_dir=corpus, index_dir=tmp_path / "index"), FakeEmbedder())


@pytest.mark.parametrize(
    ("question", "doc_id", "says"),
    [
        # Both say it: the newer notice answers, as of its date.
        ("高素质农民培训累计培训时间不少于多少天", "notice", "20天"),
        # Only the older plan says it: it still answers.
        ("高素质农民培训由谁授课", "plan", "专家"),
        ("高素质农民培训经费多少钱", "notice", "360万元"),
        # Another figure of the older sentence than the one the newer notice changes.
        ("高素质农民培训建筑面积多少", "plan", "2000平方米"),
        # A question about the earlier year is answered by the earlier document.
        ("2023年高素质农民培训累计培训时间不少于多少天", "plan", "15天"),
    ],
)
def test_the_newer_document_answers_what_both_say(training: Assistant, question: str, doc_id: str, says: str) -> None:
    answer = training.ask(question).answer
    assert answer.answered
    assert answer.citations[0].doc_id == doc_id
    assert says in answer.text
    assert answer.as_of == answer.citations[0].published


@pytest.mark.parametrize(
    ("question", "years"),
    [
        ("2023年发通告的时候，临时号牌过渡期原来定到哪天", {2023}),
        ("What did the 2024 notice say about the deadline?", {2024}),
        ("2023年和2024年的补贴一样吗", {2023, 2024}),
        # A past time said in words, a hotline, a house number or a price names no year.
        ("去年的过渡期到哪天", set()),
        ("打12345能问吗", set()),
        ("樱前街699号几点开门", set()),
        ("补贴是2000元吗", set()),
    ],
)
def test_a_question_names_a_year_in_digits(question: str, years: set[int]) -> None:
    assert named_years(question) == years


OLD_PLATES = (
    "关于电动自行车登记上牌的通告\n"
    "1. 电动自行车应当自购买之日起30日内办理登记。\n"
    "2. 不符合新国标的电动自行车可申领临时号牌，临时号牌过渡期至2024年12月31日。\n"
    "3. 办理地点：车管服务站。\n"
)
NEW_PLATES = (
    "关于调整电动自行车临时号牌过渡期的通告\n"
    "原通告中临时号牌过渡期的规定，自本通告发布之日起作如下调整：\n"
    "一、临时号牌过渡期延长至2026年6月30日。\n"
    "二、新购电动自行车可由销售门店代办登记。\n"
)


@pytest.fixture
def plates(tmp_path: Path) -> Assistant:
    """The service (fake embedder) over a 2023 notice and the 2025 notice whose title names the detail it changes."""
    corpus = tmp_path / "corpus"
    write_doc(corpus, "old", OLD_PLATES, title="关于电动自行车登记上牌的通告", published="2023-04-10")
    write_doc(corpus, "new", NEW_PLATES, title="关于调整电动自行车临时号牌过渡期的通告", published="2025-01-05")
    return Assistant.open(Settings(corpus_dir=corpus, index_dir=tmp_path / "index"), FakeEmbedder())


@pytest.mark.parametrize(
    ("question", "doc_id", "says"),
    [
        # The year the older notice was published in is named: its own deadline answers.
        ("2023年发通告的时候，临时号牌过渡期原来定到哪天", "old", "2024年12月31日"),
        ("2023年的通告里临时号牌过渡期到哪天", "old", "2024年12月31日"),
        # What it was before, without a year: the earlier edition's deadline.
        ("电动车临时号牌过渡期原来定到哪天", "old", "2024年12月31日"),
        ("临时号牌过渡期以前是到哪天？", "old", "2024年12月31日"),
        # No year, or the newer notice's year: the newer deadline.
        ("电动车临时号牌过渡期到哪天", "new", "2026年6月30日"),
        ("2025年的通告里临时号牌过渡期到哪天", "new", "2026年6月30日"),
    ],
)
def test_a_question_naming_the_older_notices_year_is_answered_by_it(
    plates: Assistant, question: str, doc_id: str, says: str
) -> None:
    answer = plates.ask(question).answer
    assert answer.answered
    assert answer.citations[0].doc_id == doc_id
    assert says in answer.text


@pytest.mark.parametrize(
    ("question", "before"),
    [
        ("临时号牌过渡期原来定到哪天", True),
        ("以前是到哪天？", True),
        ("那之前的补贴是多少？", True),
        ("补贴标准最初是多少", True),
        ("What was the deadline originally?", True),
        ("What was the fee formerly?", True),
        # Before a time or an event, a year, or no past at all: not an earlier rule.
        ("10点以前能办吗", False),
        ("开学之前要交吗", False),
        ("去年的过渡期到哪天", False),
        ("Can I register before 5 pm?", False),
        ("临时号牌过渡期到哪天", False),
    ],
)
def test_a_question_asks_what_an_earlier_rule_said(question: str, before: bool) -> None:
    assert asks_before(question) == before
