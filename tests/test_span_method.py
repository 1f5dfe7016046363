"""A "how" question's sentence that never writes the action asked gives way to a clause of the same notice that
does (``span.by_method``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer.span import AnswerSpan, by_method, lacks_method
from assistant.service import Assistant
from conftest import chosen, open_dated

VACCINE = (
    "本中心自10月10日起开始接种流感疫苗，接种时间为周一至周五下午。\n"
    "6个月至8岁首次接种流感疫苗的儿童需接种2剂，两剂间隔4周以上。\n"
    "接种实行预约制，家长须提前通过“奎文健康”微信公众号预约接种日期和时段。\n"
)
DEVICES = (
    "本区户籍残疾人可免费适配轮椅、助行器等辅助器具。\n"
    "申请方式：本人或家属携带残疾人证，到户籍所在社区残协专职委员处填写申请表。\n"
    "评估通过后20个工作日内配发到户。\n"
)


def _chosen(found: Assistant, question: str, said: str, margin: float = 100.0) -> tuple[AnswerSpan, AnswerSpan]:
    """The sentence holding ``said`` as the chosen span, and what ``by_method`` makes of it."""
    c = chosen(found, question, said)
    return c.span, by_method(c.question, c.weights, c.span, c.others, c.model, margin=margin)


@pytest.mark.parametrize(
    ("body", "question", "said", "answer"),
    [
        # A dose count does not say how to book; the sentence that writes 预约 does.
        (VACCINE, "孩子打流感疫苗怎么预约", "需接种2剂", "微信公众号预约"),
        # The way to apply is the sentence that writes 申请, not the one on who qualifies.
        (DEVICES, "残疾人轮椅怎么申请", "免费适配", "申请方式"),
        # The chosen sentence writes the action: it stays.
        (VACCINE, "孩子打流感疫苗怎么预约", "接种实行预约制", "接种实行预约制"),
        # No sentence of the notice writes the action asked (报名): nothing replaces the chosen one.
        (VACCINE, "孩子打流感疫苗怎么报名", "需接种2剂", "需接种2剂"),
        # No action named (a one-character verb, 打): nothing to look for.
        (VACCINE, "孩子流感疫苗怎么打", "需接种2剂", "需接种2剂"),
        # A question that is no "how" question: nothing to look for.
        (VACCINE, "儿童流感疫苗要打几剂", "需接种2剂", "需接种2剂"),
    ],
)
def test_a_notices_sentence_naming_the_action_answers_how(
    tmp_path: Path, body: str, question: str, said: str, answer: str
) -> None:
    found = open_dated(tmp_path, "notice", body, "通知", "2025-03-01", declared=True)
    chosen, result = _chosen(found, question, said)
    assert answer in result.text
    assert (result is chosen) == (answer in chosen.text)


def test_only_a_notices_sentence_is_replaced(tmp_path: Path) -> None:
    # An encyclopaedia's page (its date read from its first line) words a way without naming the action.
    found = open_dated(tmp_path, "page", VACCINE, "流感疫苗", "2025-03-01", declared=False)
    question = "孩子打流感疫苗怎么预约"
    chosen, result = _chosen(found, question, "需接种2剂")
    assert not lacks_method(found.engine.trace(question, found.retriever.retrieve(question), 3).question, chosen)
    assert result is chosen


def test_a_rival_scored_too_far_behind_does_not_answer(tmp_path: Path) -> None:
    found = open_dated(tmp_path, "notice", VACCINE, "通知", "2025-03-01", declared=True)
    chosen, result = _chosen(found, "孩子打流感疫苗怎么预约", "需接种2剂", margin=-100.0)
    assert result is chosen
