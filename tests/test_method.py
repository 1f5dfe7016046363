"""A "how" question asks the way an action is done: a notice that never names the action does not say how."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer.question import analyse
from conftest import open_dated

# (question, the action it asks the way of)
METHODS: list[tuple[str, str]] = [
    ("污水厂公众开放日怎么报名", "报名"),
    ("家庭农场怎么注册登记", "注册"),
    ("去学校操场锻炼怎么预约", "预约"),
    ("如何申请低保", "申请"),
    ("种粮补贴的钱怎么发下来", ""),  # a verb of one character (发) is said in too many ways
    ("北海路修管子公交车怎么绕", ""),
    ("学费怎么交", ""),  # a way to pay is a fee question's
    ("学生门票怎么优惠", ""),  # what the discount is, not a way to do something
    ("不按时清雪会怎么处罚", ""),  # what the fine is
    ("超时停车怎么收费", ""),
    ("优惠券怎么领取", "领取"),  # the way to get it: an action
    ("违章怎么申诉", "申诉"),
    ("小区环境怎么样", ""),  # no action
    ("办理流程是什么", ""),  # the way itself is named, not an action
    ("How do I register for the open day?", ""),  # English questions are left to the other checks
]


@pytest.mark.parametrize(("question", "method"), METHODS)
def test_method(question: str, method: str) -> None:
    assert analyse(question).method == method


PLANT = (
    "奎文区污水处理厂扩建工程通水运行\n"
    "10月16日，奎文区污水处理厂扩建工程正式通水运行。扩建后，污水处理厂日处理能力由10万吨提高到15万吨。\n"
    "据介绍，污水处理厂每年“世界环境日”前后举办公众开放日，市民可以进厂参观。\n"
    "参观请提前通过“奎文环保”公众号预约。\n"
)


@pytest.mark.parametrize(
    ("question", "declared", "unpublished"),
    [
        # The notice never says 报名 (nor a near-synonym): it says when the open day is, not how to sign up.
        ("污水厂公众开放日怎么报名", True, True),
        # It says 预约.
        ("污水厂公众开放日怎么预约参观", True, False),
        # A page whose date is only read from its text is no notice: its prose is left to the model.
        ("污水厂公众开放日怎么报名", False, False),
    ],
)
def test_a_way_is_given_only_by_a_notice_that_names_the_action(
    tmp_path: Path, question: str, declared: bool, unpublished: bool
) -> None:
    answer = (
        open_dated(tmp_path, "plant", PLANT, "奎文区污水处理厂扩建工程通水运行", "2023-10-17", declared)
        .ask(question)
        .answer
    )
    assert (answer.reason == "detail_not_published") is unpublished
