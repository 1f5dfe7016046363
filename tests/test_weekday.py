"""A question asking which day of the week is not answered by a notice's sentence that gives hours without a day."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.lang.kinds import other_day
from assistant.text import fold
from conftest import open_dated

# (question, sentence, whether the sentence names no day when one is asked)
DAYS: list[tuple[str, str, bool]] = [
    ("太极拳班周几上课", "每门课程每周上课1次，上午课程9:00开始，下午课程14:30开始。", True),
    ("人才夜市一般礼拜几办", "人才夜市每周五晚上18:30至20:30举办。", False),
    ("人才夜事是星期几晚上，几点开始", "每周五18:30—21:00，共4场。", False),
    ("图书馆星期几开门", "开放时间：周一至周五9:00—17:00。", False),
    ("图书馆星期几开门", "图书馆每天9:00—17:00开放。", False),
    ("办事大厅周几有人", "工作日上午9:00至下午5:00。", False),
    ("招聘会是星期几", "招聘会定于9月20日举办。", False),  # a date falls on a day
    ("招聘会是星期几", "招聘会上午9:00开始。", True),
    ("What day of the week is the class?", "Classes start at 9:00.", True),
    ("What day of the week is the class?", "Classes are held on Thursdays.", False),
    # Not a weekday asked: nothing to compare.
    ("太极拳班几点上课", "上午课程9:00开始。", False),
    ("每周上几次课", "每周上课1次。", False),
]


@pytest.mark.parametrize(("question", "sentence", "expected"), DAYS)
def test_other_day(question: str, sentence: str, expected: bool) -> None:
    assert other_day(fold(question), fold(sentence)) is expected


CLASSES = (
    "老年大学秋季学期开设太极拳、书法、声乐等课程。\n"
    "每门课程每周上课1次，每次2课时，上午课程9:00开始，下午课程14:30开始。\n"
)


@pytest.mark.parametrize(
    ("body", "question", "unpublished"),
    [
        # Hours without a day: the day asked is not published.
        (CLASSES, "太极拳班周几上课", True),
        # The notice names the day.
        (CLASSES + "太极拳班每周四上午上课。\n", "太极拳班周几上课", False),
    ],
)
def test_a_notice_without_the_day_does_not_say_which_day(
    tmp_path: Path, body: str, question: str, unpublished: bool
) -> None:
    answer = open_dated(tmp_path, "classes", body, "老年大学秋季招生简章", "2022-08-20", True).ask(question).answer
    assert (answer.reason == "detail_not_published") is unpublished
    if not unpublished:
        assert "周四" in answer.text
