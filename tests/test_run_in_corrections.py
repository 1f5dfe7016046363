"""A numbered item's run-in head names its subject; a price per unit is given only in that unit; a correction
notice's quoted words and what they are corrected to supersede the earlier notice's sentence."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer.newer import corrects
from assistant.answer.question import analyse, gives
from assistant.answer.span import other_unit, run_in
from assistant.embedding import FakeEmbedder
from assistant.service import Assistant
from assistant.settings import Settings
from assistant.structure import parse
from assistant.text import fold
from conftest import write_doc

# (a numbered item's line, its run-in head or None)
RUN_IN: list[tuple[str, str | None]] = [
    ("1. 潍州路北延工程。全长3.2公里，按双向六车道建设。", "潍州路北延工程。"),
    ("3. 奎文区实验中学北校区。总建筑面积4.6万平方米，规划48个教学班。", "奎文区实验中学北校区。"),
    ("（二）东苑片区棚户区改造项目。涉及居民1260户，已签约1180户。", "东苑片区棚户区改造项目。"),
    # A first sentence with a figure, a rule's verb or inner punctuation is a sentence of the item, not its name.
    ("1. 申请人须年满18周岁。须提供身份证原件。", None),
    ("2. 携犬入园须牵绳。并及时清理犬只粪便。", None),
    ("1. 请勿在湖区游泳、垂钓。请勿在园内烧烤。", None),
    ("2. 补助条件：与招用人员签订1年以上劳动合同。并足额缴纳社会保险。", None),
    ("4. 主体工程已全部完工。绿化正在施工。", None),
    # One sentence only: nothing follows for it to name; a long first sentence is no head.
    ("5. 虞河生态公园二期已于10月1日建成开园，新增绿地面积18万平方米。", None),
    ("1. 按照全区统一部署推进老旧小区改造和城市更新综合整治提升工作。详见附件。", None),
]


@pytest.mark.parametrize(("line", "head"), RUN_IN)
def test_a_numbered_items_run_in_head_is_a_short_name_before_its_sentences(line: str, head: str | None) -> None:
    blocks = [b for b in parse("标题\n\n" + line + "\n") if b.kind == "item"]
    assert len(blocks) == 1
    found = run_in(blocks[0])
    assert (found.text if found is not None else None) == head


def test_headings_and_paragraphs_have_no_run_in_head() -> None:
    blocks = parse("通报\n\n一、建设规模\n今年全区安排城建重点工程26项。截至10月底完成投资48.5亿元。\n")
    assert [run_in(b) for b in blocks] == [None, None, None]


# (question, the sentence read with its headings, whether its sums are per another thing than the unit asked)
UNITS: list[tuple[str, str, bool]] = [
    ("东苑片区安置房每平米多少钱", "安置房计划2027年6月交付，被征收居民按每户每月1500元领取临时安置费。", True),
    ("东苑片区安置房每平米多少钱", "安置房销售均价为每平方米6800元。", False),
    ("安置房一平方多少钱", "安置房价格为6800元/㎡。", False),
    ("一吨水多少钱", "居民生活用水价格为每吨3.2元。", False),
    ("一吨水多少钱", "污水处理费每户每月5元。", True),
    ("天然气每立方米多少钱", "居民用气价格为每方3.05元。", False),
    # No unit asked, or no sum asked: nothing to rule out.
    ("东苑棚改过渡费一个月给多少", "被征收居民按每户每月1500元领取临时安置费。", False),
    ("安置房每平米能住几个人", "安置房共建设14栋。", False),
]


@pytest.mark.parametrize(("question", "context", "other"), UNITS)
def test_a_price_asked_per_unit_is_given_only_in_that_unit(question: str, context: str, other: bool) -> None:
    assert other_unit(analyse(question), fold(context)) is other


CORRECTION = "原文“每张床位给予一次性建设补贴3000元”，更正为“每张床位一次性建设补贴标准为3500元”。"
# (a later notice's sentence, the earlier answer, whether the sentence corrects words of the answer)
CORRECTS: list[tuple[str, str, bool]] = [
    (CORRECTION, "1. 适老化改造：…每张床位给予一次性建设补贴3000元，由区民政局直接拨付。", True),
    ("将“报名截止时间为6月30日”更改为“报名截止时间为7月15日”。", "报名截止时间为6月30日。", True),
    # Another sentence of the earlier notice: the correction leaves it as it was.
    (CORRECTION, "区财政按每张床位每月200元给予运营补贴，连续补贴12个月。", False),
    # Quoting without correcting, or a correction of a name too short to tell.
    ("公告指出“每张床位给予一次性建设补贴3000元”。", "每张床位给予一次性建设补贴3000元。", False),
    ("“公告”更正为“通知”。", "现将有关事项公告如下。", False),
]


@pytest.mark.parametrize(("sentence", "answer", "corrected"), CORRECTS)
def test_a_correction_quotes_the_words_it_corrects(sentence: str, answer: str, corrected: bool) -> None:
    assert corrects(sentence, answer) is corrected


NOTICE = (
    "关于开展2025年家庭养老床位建设申报工作的公告\n\n"
    "一、申报对象\n户籍在本区、年满60周岁的失能、半失能老年人。\n\n"
    "二、补贴标准\n1. 适老化改造：安装扶手、铺设防滑地面，每张床位给予一次性建设补贴3000元，由区民政局直接拨付。\n"
    "2. 上门照护：区财政按每张床位每月200元给予运营补贴，连续补贴12个月。\n"
)
FIX = (
    "关于《关于开展2025年家庭养老床位建设申报工作的公告》的更正公告\n\n"
    "我局发布的公告中，第二条第1项所列一次性建设补贴标准有误，现更正如下：\n\n"
    + CORRECTION
    + "\n\n原公告其他内容不变。\n"
)


@pytest.fixture
def beds(tmp_path: Path) -> Assistant:
    """The service (fake embedder) over a notice and the later notice that corrects one of its figures."""
    corpus = tmp_path / "corpus"
    write_doc(corpus, "notice", NOTICE, title="关于开展2025年家庭养老床位建设申报工作的公告", published="2025-05-06")
    write_doc(
        corpus,
        "fix",
        FIX,
        title="关于《关于开展2025年家庭养老床位建设申报工作的公告》的更正公告",
        published="2025-05-09",
    )
    return Assistant.open(Settings(corpus_dir=corpus, index_dir=tmp_path / "index"), FakeEmbedder())


@pytest.mark.parametrize(
    ("question", "doc_id", "says"),
    [
        # The corrected figure answers, from the correction.
        ("家庭养老床位改造补贴多少钱一张", "fix", "3500元"),
        # What the correction leaves alone is still the notice's.
        ("家庭养老床位运营补贴每月多少", "notice", "200元"),
    ],
)
def test_a_correction_notice_answers_the_figure_it_corrects(
    beds: Assistant, question: str, doc_id: str, says: str
) -> None:
    answer = beds.ask(question).answer
    assert answer.answered
    assert answer.citations[0].doc_id == doc_id
    assert says in answer.text


# (question, a date expression of an answer, whether it can give what is asked)
DAYS: list[tuple[str, str, bool]] = [
    # A deadline or a day asked: a year alone names the plan's year, not the day.
    ("家庭养老床位啥时候截止申报", "2025年", False),
    ("家庭养老床位啥时候截止申报", "2025年6月30日", True),
    ("几号开始报名", "2026年", False),
    ("What is the deadline to apply?", "2025", False),
    # A year asked, or when a thing is done: a year may answer.
    ("哪一年开始实施", "2025年", True),
    ("实验中学北校区什么时候建成", "2026年", True),
]


@pytest.mark.parametrize(("question", "said", "gives_it"), DAYS)
def test_a_day_asked_is_not_given_by_a_year_alone(question: str, said: str, gives_it: bool) -> None:
    assert gives(analyse(question), "date", fold(said)) is gives_it
