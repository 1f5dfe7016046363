"""A question that asks for a phone number by name is answered only by a sentence that gives one."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer.decide import asks_number
from assistant.answer.question import analyse
from assistant.embedding import FakeEmbedder
from assistant.service import Assistant
from assistant.settings import Settings
from conftest import write_doc

# (question, whether it asks for a number to call by name)
ASKS: list[tuple[str, bool]] = [
    ("婚姻登记处的电话是多少", True),
    ("流感疫苗咨询热线多少", True),
    ("What is the hotline for the tax settlement?", True),
    ("怎么联系婚姻登记处", False),  # a way of contact, which an address or an account may give
    ("婚姻登记处在哪", False),
    ("结婚登记收费吗", False),
]


@pytest.mark.parametrize(("question", "expected"), ASKS)
def test_asks_number(question: str, expected: bool) -> None:
    assert asks_number(analyse(question)) is expected


FAQ = (
    "婚姻登记常见问题解答\n"
    "问：办理结婚登记收费吗？\n答：结婚登记不收费。登记处可免费提供颁证仪式。\n"
    "问：需要预约吗？\n答：建议通过微信公众号提前预约，每天上午、下午各放号40个。\n"
)


@pytest.mark.parametrize(
    ("extra", "answered"),
    [
        ("", False),  # an undated FAQ with no number: "结婚登记不收费。" does not give the phone
        ("问：婚姻登记处电话是多少？\n答：婚姻登记处联系电话0536-8881234。\n", True),
    ],
)
def test_a_phone_question_is_answered_only_with_a_number(tmp_path: Path, extra: str, answered: bool) -> None:
    corpus = tmp_path / "corpus"
    write_doc(corpus, "faq", FAQ + extra, title="婚姻登记常见问题解答")
    assistant = Assistant.open(Settings(corpus_dir=corpus, index_dir=tmp_path / "index"), FakeEmbedder())
    reply = assistant.ask("婚姻登记处的电话是多少", top_k=3).answer
    assert reply.answered is answered
    if answered:
        assert "0536-8881234" in reply.text
