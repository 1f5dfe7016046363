"""The answer composer's language rules: question kinds, focus words and word coverage."""

from __future__ import annotations

import pytest

from assistant.answer import coverage, focus_words, question_type


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("社区食堂的联系电话是多少？", "phone"),
        ("Who should I call about eldercare?", "phone"),
        ("人才夜市在什么地方举办？", "venue"),
        ("民营企业招聘月在哪个场馆举办？", "venue"),
        ("参加商圈招聘需要交费吗？", "fee"),
        ("社区食堂几点开饭？", "hours"),
        ("区人社局办了哪些线下招聘会？", "list"),
        ("这篇文章是什么时候发布的？", "when"),
        ("广三铁路在哪年建成？", "when"),
        ("南下河市场在哪里？", "place"),
        ("Where is the talent night market held?", "venue"),
        ("潍州金谷等4个重点项目总投资多少？", "count"),
        ("How many community canteens will be built?", "count"),
        ("鸢都学堂项目是和谁合作的？", "who"),
        ("What is the recruitment brand called?", None),
        ("对就业困难的群体有什么帮扶？", None),
    ],
)
def test_question_kind(question: str, kind: str | None) -> None:
    found = question_type(question)
    assert (found.name if found else None) == kind


def test_focus_is_the_word_next_to_the_question_word() -> None:
    assert "投资" in focus_words("潍州金谷等4个重点项目总投资多少？")
    assert "占地" in focus_words("潍州金谷项目占地多少亩？")
    assert focus_words("有没有网上找工作的渠道？") == set()


def test_coverage_matches_whole_words_not_substrings_of_other_words() -> None:
    # "新建" is inside "创新建设" only as a substring; it is not one of its words.
    assert coverage(["新建"], [1.0], "创新建设小区") == 0.0
    assert coverage(["新建"], [1.0], "新建学校") == 1.0
    assert coverage(["食堂", "新建"], [3.0, 1.0], "增建2处社区食堂") == pytest.approx(0.75)
    # Longer words are specific enough to match inside others.
    assert coverage(["重点项目"], [1.0], "16个重点项目正加快建设") == 1.0


def test_coverage_folds_traditional_characters() -> None:
    assert coverage(["养老"], [1.0], "居家養老服務") == 1.0
