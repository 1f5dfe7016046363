"""The answer span within its sentence: a second clause scored nearly as well, and the cause of a "why"."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer.passages import row_key, table_caption, table_head
from assistant.answer.question import analyse
from assistant.answer.span import (
    Candidate,
    Piece,
    Scored,
    clause_rows,
    grow,
    partner,
    with_cause,
)
from assistant.chunking import Span, clauses
from assistant.embedding import FakeEmbedder
from assistant.service import Assistant
from assistant.settings import Settings
from assistant.structure import parse
from conftest import write_doc


def one_document(tmp_path: Path, text: str, title: str) -> Assistant:
    corpus = tmp_path / "corpus"
    write_doc(corpus, "doc", text, title=title)
    return Assistant.open(Settings(corpus_dir=corpus, index_dir=tmp_path / "index"), FakeEmbedder())


def _candidates(found: Assistant, question: str) -> tuple[list[Candidate], list[dict[str, float]]]:
    retrieval = found.retriever.retrieve(question)
    trace = found.engine.trace(question, retrieval, 3)
    candidates = found.engine.span_candidates(trace.ranked, retrieval)
    return candidates, clause_rows(trace.question, trace.weights, candidates[0])


def test_a_clause_scored_nearly_as_well_in_the_same_sentence_answers_with_the_best(tmp_path: Path) -> None:
    text = (
        "宝马7系是由宝马汽车生产的一个豪华轿车系列，也是宝马最顶级的系列车型，车身采用铝合金与碳纤维混合结构，"
        "配备八速自动变速箱和多项智能驾驶辅助系统，历代车型均在德国丁格芬工厂组装，"
        "主要客群为金字塔顶层人士，一部份国家做为元首座车。\n"
    )
    found = one_document(tmp_path, text, "宝马7系")
    candidates, rows = _candidates(found, "宝马7系的主要客群是哪些？")
    candidate = candidates[0]
    pieces: list[Piece] = candidate.found
    first = next(i for i, p in enumerate(pieces) if "豪华轿车" in p.clause.text)
    buyers = next(i for i, p in enumerate(pieces) if "客群" in p.clause.text)
    margins = {first: 3.0, buyers: 2.5}
    scored = [Scored(candidate, i, row, False, margins.get(i, 0.0)) for i, row in enumerate(rows)]
    best = scored[first]
    # Within the margin: the span runs from the best clause to it, within the sentence.
    assert partner(best, scored, margin=1.0) == buyers
    question = analyse("宝马7系的主要客群是哪些？")
    fragments = grow(question, candidate.passage, pieces, first, buyers)
    assert "金字塔顶层人士" in "".join(f.text for f in fragments)
    assert all(f.end <= pieces[first].sentence.end for f in fragments)
    # Beyond it, no partner: the best clause with its next one, as before.
    assert partner(best, scored, margin=0.25) is None
    assert "金字塔" not in "".join(f.text for f in grow(question, candidate.passage, pieces, first))


def _pieces(sentence: str) -> list[Piece]:
    whole = Span(0, len(sentence), sentence)
    return [Piece(whole, c) for c in clauses(sentence, 0, semicolons=True)]


@pytest.mark.parametrize(
    ("sentence", "best", "answer"),
    [
        # Back to the nearest clause that gives a cause.
        (
            "2009年8月，由于桥上交通压力过大，以及桥下空间不足，检测机构将该桥鉴定为危桥，因此引起争议。",
            "检测机构将该桥鉴定为危桥，",
            "由于桥上交通压力过大，以及桥下空间不足，检测机构将该桥鉴定为危桥，",
        ),
        # A consequence drawn from what precedes it: back to the sentence's start.
        (
            "受地形影响，风速变化大，易出现狭管效应，故背风坡地带不适宜设立飞机场，当地另建机场。",
            "故背风坡地带不适宜设立飞机场，",
            "受地形影响，风速变化大，易出现狭管效应，故背风坡地带不适宜设立飞机场，",
        ),
        # A consequence drawn in the clause's middle ("大环道因此在…分拆").
        (
            "到了2020年，为建设地铁站，东风街因此封闭施工，车辆绕行。",
            "东风街因此封闭施工，",
            "到了2020年，为建设地铁站，东风街因此封闭施工，",
        ),
        # A cause that follows.
        (
            "东风东街今日停止供水，因为管网抢修，预计18时恢复。",
            "东风东街今日停止供水，",
            "东风东街今日停止供水，因为管网抢修，",
        ),
        # Neither: the clause alone.
        ("社区食堂暂停营业，恢复时间另行通知。", "社区食堂暂停营业，", "社区食堂暂停营业，"),
    ],
)
def test_a_why_answer_reaches_the_cause_within_its_sentence(sentence: str, best: str, answer: str) -> None:
    found = _pieces(sentence)
    same = list(range(len(found)))
    at = next(i for i, p in enumerate(found) if p.clause.text == best)
    lo, hi = with_cause(found, same, at, at)
    assert sentence[found[lo].clause.start : found[hi].clause.end] == answer


def test_a_table_row_is_read_with_its_header(tmp_path: Path) -> None:
    text = (
        "三、个人缴费标准\n"
        "2023年度居民医保个人缴费标准如下表：\n"
        "参保类别 | 个人缴费标准 | 说明\n"
        "成年居民（一档） | 380元/人·年 | 年度最高支付限额20万元\n"
        "成年居民（二档） | 580元/人·年 | 年度最高支付限额30万元\n"
    )
    found = one_document(tmp_path, text, "居民医保缴费通告")
    candidates, rows = _candidates(found, "居民医保一档个人缴费标准是多少？")
    by_text = {p.clause.text: row for p, row in zip(candidates[0].found, rows, strict=True)}
    one = next(row for t, row in by_text.items() if t.startswith("成年居民（一档）"))
    two = next(row for t, row in by_text.items() if t.startswith("成年居民（二档）"))
    assert two["cov_sentence"] > two["cov"]
    # The header's "个人缴费标准" counts for the row's sentence: more than the row's own words would.
    assert one["cov_sentence"] > one["cov"]
    # The caption introduces the rows and answers nothing, as a question heading answers nothing.
    assert not any("如下表" in t for t in by_text)
    # The question names the row "成年居民（一档）" by a word its caption and header lack: the other rows are
    # about other things, as another route's number is.
    assert (one["other_id"], two["other_id"]) == (0.0, 1.0)


@pytest.mark.parametrize(
    ("caption", "answering", "introducing"),
    [
        # The paragraph before a table says things of its own, then introduces the table: only its last sentence
        # is the caption.
        (
            "其他人群自愿自费接种，四价疫苗每剂次128元。接种点及时间如下：",
            ["其他人群自愿自费接种，", "四价疫苗每剂次128元。"],
            ["接种点及时间如下："],
        ),
        ("接种点及时间如下表：", [], ["接种点及时间如下表："]),
    ],
)
def test_only_the_sentence_that_introduces_a_table_is_its_caption(
    tmp_path: Path, caption: str, answering: list[str], introducing: list[str]
) -> None:
    rows = "接种点 | 地址 | 接种时间\n东关街道社区卫生服务中心 | 福寿东街1066号 | 周一至周五\n"
    text = f"流感疫苗接种服务安排\n{caption}\n{rows}"
    found = one_document(tmp_path, text, "流感疫苗接种服务安排")
    candidates, _ = _candidates(found, "四价流感疫苗多少钱一针？")
    said = {p.clause.text for c in candidates for p in c.found}
    assert all(a in said for a in answering)
    assert not any(i in t for i in introducing for t in said)


@pytest.mark.parametrize(
    ("text", "answering", "silent"),
    [
        # The sign-off says whose the notice is and when: it answers nothing of what the notice says.
        (
            "关于办理老年人优待乘车卡的通知\n办理时需携带本人身份证原件，到潍坊公交集团东风街营业厅办理。\n"
            "潍坊公交集团\n2023年3月15日\n",
            ["到潍坊公交集团东风街营业厅办理。"],
            ["潍坊公交集团", "2023年3月15日"],
        ),
        # A last line that is no sign-off still speaks.
        (
            "关于办理老年人优待乘车卡的通知\n办理时需携带本人身份证原件。\n办理地点在潍坊公交集团东风街营业厅。\n",
            ["办理地点在潍坊公交集团东风街营业厅。"],
            [],
        ),
    ],
)
def test_a_notices_sign_off_answers_nothing(tmp_path: Path, text: str, answering: list[str], silent: list[str]) -> None:
    found = one_document(tmp_path, text, "关于办理老年人优待乘车卡的通知")
    candidates, _ = _candidates(found, "老年公交卡在哪里办理？")
    said = {p.clause.text.strip() for c in candidates for p in c.found}
    assert all(any(a in t for t in said) for a in answering)
    assert not any(t == x for x in silent for t in said)


TABLE = (
    "三、个人缴费标准\n"
    "2023年度居民医保个人缴费标准如下表（各级财政另按每人每年610元给予补助）：\n"
    "参保类别 | 个人缴费标准 | 说明\n"
    "成年居民（一档） | 380元/人·年 | 年度最高支付限额20万元\n"
    "成年居民（二档） | 580元/人·年 | 住院报销比例比一档提高5个百分点\n"
    "在校大学生 | 380元/人·年 | 只设一档，由所在高校统一组织\n"
)


@pytest.mark.parametrize(
    ("question", "own"),
    [
        ("居民医保一档个人缴费标准是多少？", {"成年居民（一档）"}),
        ("在校大学生交多少钱？", {"在校大学生"}),
        ("成年居民缴费标准是多少？", {"成年居民（一档）", "成年居民（二档）"}),
        # Words only the caption or the header say name no row: every row stays a candidate.
        ("2023年度居民医保个人缴费标准是多少？", {"成年居民（一档）", "成年居民（二档）", "在校大学生"}),
    ],
)
def test_a_question_that_names_a_rows_key_is_answered_from_that_row(
    tmp_path: Path, question: str, own: set[str]
) -> None:
    found = one_document(tmp_path, TABLE, "居民医保缴费通告")
    keys = {"成年居民（一档）", "成年居民（二档）", "在校大学生"}
    seen: set[str] = set()
    retrieval = found.retriever.retrieve(question)
    trace = found.engine.trace(question, retrieval, 3)
    for candidate in found.engine.span_candidates(trace.ranked, retrieval):
        rows = clause_rows(trace.question, trace.weights, candidate)
        for piece, row in zip(candidate.found, rows, strict=True):
            key = next((k for k in keys if piece.sentence.text.startswith(k)), None)
            if key is not None:
                seen.add(key)
                assert row["other_id"] == (0.0 if key in own else 1.0), (key, row["other_id"])
    assert seen == keys


def test_the_clauses_between_the_subject_and_the_answer_join_while_few(tmp_path: Path) -> None:
    """The sentence's first clause names the subject; up to ``GAP_CLAUSES`` clauses between it and the chosen
    ones join too (one fragment, no ellipsis), a longer gap leaves the ellipsis."""
    text = (
        "自2008年5月中国汶川大地震后，香港《南华早报》采用「quake lake」（地震湖）一词后，"
        "该词语普遍被世界各地的英文媒体采用，然而，不少媒体在借用此词语时仍然加上引号，以说明该字为新造字。\n"
    )
    found = one_document(tmp_path, text, "堰塞湖")
    question = "哪个媒体采用地震湖一词后，该词普遍被英文媒体采用？"
    candidates, _ = _candidates(found, question)
    candidate = candidates[0]
    pieces = candidate.found
    spread = next(i for i, p in enumerate(pieces) if p.clause.text.startswith("该词语普遍"))
    fragments = grow(analyse(question), candidate.passage, pieces, spread)
    assert len(fragments) == 1
    assert "《南华早报》" in fragments[0].text
    assert fragments[0].text.startswith("自2008年5月")
    # Three clauses between: the subject, then the answer, apart.
    last = next(i for i, p in enumerate(pieces) if p.clause.text.startswith("以说明"))
    apart = grow(analyse(question), candidate.passage, pieces, last)
    assert len(apart) == 2
    assert apart[0].text.startswith("自2008年5月")


@pytest.mark.parametrize(
    ("sentence", "lead", "clause"),
    [
        # A time said before a comma is the time of the clause after it.
        (
            "7月15日，项目主体结构全面封顶，目前正在进行幕墙安装和机电设备施工，现场有600余名工人分两班作业。",
            "7月15日，",
            "项目主体结构全面封顶，",
        ),
        (
            "11月16日6:00—8:00，在福寿里小区北门设置临时供水点。",
            "11月16日6:00—8:00，",
            "在福寿里小区北门设置临时供水点。",
        ),
        ("2021年，4个项目实际完成固定资产投资13.6亿元。", "2021年，", "4个项目实际完成固定资产投资13.6亿元。"),
    ],
)
def test_a_time_said_before_a_comma_dates_the_clause_after_it(
    tmp_path: Path, sentence: str, lead: str, clause: str
) -> None:
    found = one_document(tmp_path, sentence + "\n", "重点项目进展")
    question = "项目什么时候封顶？"
    candidates, rows = _candidates(found, question)
    pieces = candidates[0].found
    at = next(i for i, p in enumerate(pieces) if p.clause.text == clause)
    assert pieces[at].lead is not None and pieces[at].lead.text == lead
    assert rows[at]["kind"] == 1.0  # the lead's time counts for the clause
    fragments = grow(analyse(question), candidates[0].passage, pieces, at)
    assert fragments[0].text.startswith(lead.rstrip("，"))


@pytest.mark.parametrize(
    "sentence",
    [
        # Not a time alone: the clause says more than when, or nothing follows the time.
        "自7月15日起项目开工，目前正在进行幕墙安装。",
        "项目于7月15日全面封顶，目前正在进行幕墙安装。",
        "项目计划完成时间：2023年10月",
    ],
)
def test_a_clause_that_says_more_than_a_time_dates_nothing(tmp_path: Path, sentence: str) -> None:
    found = one_document(tmp_path, sentence + "\n", "重点项目进展")
    candidates, _ = _candidates(found, "项目什么时候封顶？")
    assert [p.lead for p in candidates[0].found if sentence.startswith(p.sentence.text[:4])] == [None, None]


def test_a_tables_caption_and_header_say_what_its_rows_cells_are() -> None:
    blocks = parse(TABLE)
    header = next(i for i, b in enumerate(blocks) if b.kind == "table_header")
    caption = table_caption(blocks, header)
    assert caption is not None and caption.text.endswith("如下表（各级财政另按每人每年610元给予补助）：")
    assert table_head(blocks, header) == f"{caption.text}\n参保类别 | 个人缴费标准 | 说明"
    assert [row_key(b) for b in blocks if b.pair == header] == ["成年居民（一档）", "成年居民（二档）", "在校大学生"]
    # A line that does not hand over to the table ("：") is no caption.
    plain = parse(TABLE.replace("（各级财政另按每人每年610元给予补助）：", "。"))
    at = next(i for i, b in enumerate(plain) if b.kind == "table_header")
    assert table_caption(plain, at) is None
    assert table_head(plain, at) == "参保类别 | 个人缴费标准 | 说明"


FAQ = (
    "问：物业服务不到位，能不能拒交物业费？\n"
    "答：不能以此为由拒交。业主可向物业服务企业提出整改要求，也可拨打12345热线投诉。\n"
    "问：房子买了还没入住，物业费要交吗？\n"
    "答：要交。已竣工验收并交付的房屋，自交付之日起计收物业费。\n"
    "问：物业费怎么算？\n"
    "答：按建筑面积计算。一级服务每月每平方米1.2元。\n"
    "问：物业费能用微信交吗？\n"
    "答：可以到物业服务中心窗口缴纳。现金和银行卡均可。\n"
    "物业费可以按季度缴纳。逾期不交的，物业服务企业可依法催缴。\n"
)


@pytest.mark.parametrize(
    ("question", "best", "opening", "verdict"),
    [
        # A yes-or-no question answered by a later sentence: the answer's yes or no comes first.
        ("物业服务差可以拒交物业费吗？", "业主可向物业服务企业", "不能以此为由拒交。", True),
        ("物业服务不到位，能不能拒交物业费？", "也可拨打12345热线投诉", "不能以此为由拒交。", True),
        ("没入住物业费要交吗？", "已竣工验收并交付的房屋", "要交。", True),
        ("没入住物业费能少交吗？", "已竣工验收并交付的房屋", "要交。", False),  # the FAQ's yes, not to what is asked
        ("物业服务差物业费可以不交吗？", "业主可向物业服务企业", "不能以此为由拒交。", False),  # 不交 is not 拒交
        # Not a yes-or-no question: the clause alone.
        ("一级服务物业费怎么算？", "一级服务每月每平方米", "按建筑面积计算", False),
        # The answer's opening names neither the asked thing nor is a bare yes: no verdict of it.
        ("物业费能用银行卡交吗？", "现金和银行卡均可", "可以到物业服务中心窗口缴纳", False),
        # Not in an answer: a paragraph's first sentence is no verdict.
        ("逾期不交物业费会被催缴吗？", "物业服务企业可依法催缴", "物业费可以按季度缴纳", False),
    ],
)
def test_a_yes_or_no_question_gets_the_verdict_its_faq_answer_opens_with(
    tmp_path: Path, question: str, best: str, opening: str, verdict: bool
) -> None:
    found = one_document(tmp_path, FAQ, "物业费常见问题")
    retrieval = found.retriever.retrieve(question)
    trace = found.engine.trace(question, retrieval, 3)
    candidate = next(
        c for c in found.engine.span_candidates(trace.ranked, retrieval) if any(best in p.clause.text for p in c.found)
    )
    index = next(i for i, p in enumerate(candidate.found) if best in p.clause.text)
    text = "".join(f.text for f in grow(trace.question, candidate.passage, candidate.found, index))
    assert best in text
    assert text.startswith(opening) == verdict
    assert (opening in text) == verdict
