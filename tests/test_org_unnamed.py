"""Which bank or company is not answered by a notice's sentence that names none of that kind."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer.decide import org_unnamed
from assistant.answer.question import analyse
from assistant.embedding import FakeEmbedder
from assistant.service import Assistant
from assistant.settings import Settings
from conftest import write_doc

# (question, answering sentence, whether the sentence is a dated notice's, whether it leaves the body unnamed)
ORG: list[tuple[str, str, bool, bool]] = [
    ("创业担保贷款要去哪个银行办", "个人创业担保贷款额度最高20万元，按规定给予财政贴息。", True, True),
    ("这次停水是哪个供水公司负责的", "因胜利街供水管道改造施工，需暂停部分区域供水。", True, True),
    ("東風東街管網改造是哪個施工單位負責的", "因东风东街管网改造工程施工需要，决定实行交通管制。", True, True),
    ("创业担保贷款要去哪个银行办", "可到农商银行各营业网点申请创业担保贷款。", True, False),  # a bank named
    ("这次停水是哪个供水公司负责的", "施工单位：潍坊水务集团。", True, False),  # 集团 is a company's name
    ("矢井田瞳属于哪个唱片公司", "所属的唱片公司是青空唱片。", False, False),  # an encyclopaedia's page, undated
    ("什么企业可以申请补贴", "个体工商户和小微企业均可申请。", True, False),  # which kind qualifies, no name asked
    ("去哪个窗口办", "请到大厅3号窗口办理。", True, False),  # a counter is no body of a kind
]


@pytest.mark.parametrize(("question", "sentence", "declared", "expected"), ORG)
def test_org_unnamed(question: str, sentence: str, declared: bool, expected: bool) -> None:
    assert org_unnamed(analyse(question), sentence, declared) is expected


NOTICE = (
    "创业担保贷款政策问答\n\n"
    "符合条件的个人创业担保贷款额度最高20万元，小微企业创业担保贷款额度最高300万元，按规定给予财政贴息。\n"
)


@pytest.mark.parametrize(
    ("extra", "answered"),
    [
        ("", False),  # the notice says how much, never at which bank
        ("申请人可到农商银行各营业网点提交创业担保贷款申请。\n", True),
    ],
)
def test_which_bank_is_not_answered_by_a_notice_without_one(tmp_path: Path, extra: str, answered: bool) -> None:
    corpus = tmp_path / "corpus"
    write_doc(corpus, "notice", NOTICE + extra, title="创业担保贷款政策问答", published="2022-05-16")
    assistant = Assistant.open(Settings(corpus_dir=corpus, index_dir=tmp_path / "index"), FakeEmbedder())
    reply = assistant.ask("创业担保贷款要去哪个银行办", top_k=3).answer
    assert reply.answered is answered
    if answered:
        assert "农商银行" in reply.text
