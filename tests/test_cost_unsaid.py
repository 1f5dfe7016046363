"""Whether the resident pays is not answered by a sentence that names no fee, sum or charge."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer.decide import cost_unsaid
from assistant.answer.question import analyse
from assistant.embedding import FakeEmbedder
from assistant.service import Assistant
from assistant.settings import Settings
from conftest import write_doc

# (question, answering sentence, whether the sentence leaves the cost unsaid)
COST: list[tuple[str, str, bool]] = [
    ("徵兵體檢要交錢嗎", "体检对象：已在全国征兵网完成报名、经街道初审合格的应征青年", True),
    ("参加培训要花钱吗", "培训地点设在区农业技术推广站，累计培训时间不少于15天。", True),
    # "收费吗" asks for the fee by name: the fee ask's own check (the kind missing) reads it.
    ("参加培训要收费吗", "培训地点设在区农业技术推广站，累计培训时间不少于15天。", False),
    ("征兵体检要交钱吗", "体检费用由区征兵办公室承担。", False),  # a fee named
    ("参加培训要收费吗", "学员免交培训费、食宿费。", False),
    ("停车要钱吗", "首30分钟内免费；超过30分钟的，每小时2元。", False),
    ("调解收费吗", "人民调解不收取任何费用。", False),
    ("老人免费体检要预约吗", "体检时间：每周一至周五上午7:30—9:30。", False),  # 免费 names the check-up
    ("老人免费体检早上几点到几点", "体检时间：每周一至周五上午7:30—9:30。", False),  # an ask, no yes-or-no
    ("体检要空腹吗", "体检对象：辖区内年满65周岁的常住居民。", False),  # no cost asked
]


@pytest.mark.parametrize(("question", "sentence", "expected"), COST)
def test_cost_unsaid(question: str, sentence: str, expected: bool) -> None:
    assert cost_unsaid(analyse(question), sentence) is expected


NOTICE = (
    "应征青年体检通知\n\n"
    "体检对象：已在全国征兵网完成报名、经街道初审合格的应征青年\n"
    "体检时间：2024年8月20日至8月22日，每天7:30开始\n"
    "体检地点：潍坊市征兵体检站（奎文区健康东街2136号）\n"
)


@pytest.mark.parametrize(
    ("extra", "answered"),
    [
        ("", False),  # the notice says who is examined, when and where, never what it costs
        ("体检费用由区征兵办公室统一承担，应征青年不交任何费用。\n", True),
    ],
)
def test_a_cost_question_is_not_answered_by_a_sentence_without_a_fee(
    tmp_path: Path, extra: str, answered: bool
) -> None:
    corpus = tmp_path / "corpus"
    write_doc(corpus, "notice", NOTICE + extra, title="应征青年体检通知", published="2024-07-29")
    assistant = Assistant.open(Settings(corpus_dir=corpus, index_dir=tmp_path / "index"), FakeEmbedder())
    reply = assistant.ask("征兵体检要交钱吗", top_k=3).answer
    assert reply.answered is answered
    if answered:
        assert "费" in reply.text
