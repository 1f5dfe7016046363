"""Whether the resident pays is not answered by the amount of a subsidy the document pays out."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer.decide import answers_cost_with_payout
from assistant.answer.question import analyse
from assistant.embedding import FakeEmbedder
from assistant.service import Assistant
from assistant.settings import Settings
from conftest import write_doc

# (question, answering sentence, whether it answers a cost with money paid out)
PAYOUT: list[tuple[str, str, bool]] = [
    ("坊子区电动车号牌丢了补办要钱吗", "坊子区以旧换新补贴标准为每辆200元。", True),
    ("參加培訓要收費嗎", "考核合格的学员每人发放培训补助500元。", True),
    ("补办号牌要钱吗", "号牌遗失的，可持身份证补领，每副收取工本费10元。", False),  # a fee stated
    ("补办号牌要钱吗", "以旧换新补贴每辆300元，补领号牌免收工本费。", False),  # the fee spared is stated
    ("坊子区电动车以旧换新补多少钱", "坊子区以旧换新补贴标准为每辆200元。", False),  # the amount asked, not a cost
    ("以旧换新补贴要交钱吗", "以旧换新补贴标准为每辆200元。", False),  # the question asks of the subsidy itself
    ("高温费每月多少钱", "发放标准：每人每月300元。", False),  # no cost asked, no payout named
    ("停车要钱吗", "首30分钟内免费；超过30分钟的，每小时2元。", False),
]


@pytest.mark.parametrize(("question", "sentence", "expected"), PAYOUT)
def test_answers_cost_with_payout(question: str, sentence: str, expected: bool) -> None:
    assert answers_cost_with_payout(analyse(question), sentence) is expected


NOTICE = (
    "坊子区电动车号牌办理工作启动\n\n"
    "坊子区电动车号牌办理工作近日启动，临时号牌过渡期截至2025年12月31日。"
    "坊子区在8个街道设立上牌服务点，周六上午照常办公。坊子区电动车以旧换新补贴标准为每辆200元。\n"
)


@pytest.mark.parametrize(
    ("extra", "answered"),
    [
        ("", False),  # the notice says what residents receive, never what a replacement costs
        ("号牌丢了的，可持身份证到上牌服务点补办，每副收取工本费10元。\n", True),
    ],
)
def test_a_cost_question_is_not_answered_by_a_subsidy(tmp_path: Path, extra: str, answered: bool) -> None:
    corpus = tmp_path / "corpus"
    write_doc(corpus, "notice", NOTICE + extra, title="坊子区电动车号牌办理工作启动", published="2025-03-18")
    assistant = Assistant.open(Settings(corpus_dir=corpus, index_dir=tmp_path / "index"), FakeEmbedder())
    reply = assistant.ask("电动车号牌丢了补办要钱吗", top_k=3).answer
    assert reply.answered is answered
    if answered:
        assert "10元" in reply.text
