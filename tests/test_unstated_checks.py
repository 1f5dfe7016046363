"""Details a notice does not give: a sentence without the kind asked, a name in Latin letters it never writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer.decide import decide
from assistant.answer.model import EngineModel, LinearModel, packaged_model
from assistant.answer.question import analyse
from assistant.conversation import Context, FoldedTexts, latin_words, unpublished_noun
from assistant.text import fold
from conftest import open_dated

# (question, its words in Latin letters)
LATIN: list[tuple[str, tuple[str, ...]]] = [
    ("东关社区卫生服务中心能打九价HPV吗？", ("hpv",)),
    ("宫颈癌筛查是做TCT还是HPV检测", ("tct", "hpv")),
    ("區政務服務中心的AED放在哪", ("aed",)),
    ("网上能办户口迁入吗，用哪个APP", ("app",)),
    ("W6路几点收车", ()),  # a line's number, one letter
    ("社区食堂几点开门？", ()),
    ("Where is the AED?", ()),  # an English question's words are all Latin
]


@pytest.mark.parametrize(("question", "words"), LATIN)
def test_latin_words(question: str, words: tuple[str, ...]) -> None:
    assert latin_words(analyse(question)) == words


SCREENING = (
    "2024年两癌筛查工作通知\n筛查时间：2024年4月8日至6月28日。\n"
    "宫颈癌筛查需避开月经期，携带本人身份证。AED培训另行通知。\n"
)


@pytest.mark.parametrize(
    ("question", "unpublished"),
    [
        # A name in Latin letters the notice never writes is a thing it says nothing of.
        ("宫颈癌筛查是做TCT还是HPV检测", "tct"),
        ("两癌筛查能打九价HPV吗", "hpv"),
        # One it writes, in whatever case, is named.
        ("筛查点的aed在哪", None),
        ("宫颈癌筛查要带身份证吗", None),
    ],
)
def test_a_latin_name_the_notice_never_writes_is_unpublished(question: str, unpublished: str | None) -> None:
    text = fold(SCREENING)
    context = Context(analyse(question), (), (text,), documents=FoldedTexts({"screening": text}))
    assert unpublished_noun(analyse(question), context) == unpublished


HEATING = "供热缴费须知\n缴费方式\n可通过供热企业营业厅、微信公众号、银行代收网点缴纳采暖费。\n"
HEATING_ADDRESS = "供热缴费须知\n营业厅\n营业厅地址：奎文区胜利东街188号。\n"


def always_answering() -> EngineModel:
    """The packaged model with decision models that always answer: only the rules can decline."""
    base = packaged_model()
    return EngineModel(
        base.version, base.rank, base.span, LinearModel.prior({}, bias=5.0), LinearModel.prior({}, bias=5.0), base.fit
    )


@pytest.mark.parametrize(
    ("body", "declared", "reason"),
    [
        # A notice's sentence without an address does not give the address asked for.
        (HEATING, True, "detail_not_published"),
        # One with it does.
        (HEATING_ADDRESS, True, "answered"),
        # A page whose date is read from its text words its places in ways the patterns do not know: the model
        # decides.
        (HEATING, False, "answered"),
    ],
)
def test_a_notices_sentence_without_the_kind_asked_does_not_answer(
    tmp_path: Path, body: str, declared: bool, reason: str
) -> None:
    assistant = open_dated(tmp_path, "heating", body, "供热缴费须知", "2023-10-01", declared)
    question = "供热公司营业厅的地址在哪里？"
    trace = assistant.engine.trace(question, assistant.retriever.retrieve(question), 3)
    decision = decide(trace.question, trace.weights, trace.ranked, trace.span, always_answering())
    assert decision.reason == reason
