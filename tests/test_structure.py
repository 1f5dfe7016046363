"""Document structure: each block kind on positive and negative lines, FAQ forms, exact offsets on real documents."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.corpus import load_document
from assistant.structure import Block, field_of, parse
from conftest import DOCS_CORPUS, SHARED, require_shared

MULTIDOC = SHARED / "eval" / "multidoc" / "corpus"
# Collected even when ../shared is absent: the one None case then skips with the reason.
MULTIDOC_FILES: list[Path | None] = [*sorted(MULTIDOC.glob("*.txt"))] or [None]
DOCS_FILES = sorted(DOCS_CORPUS.glob("**/*.txt"))

# A line placed between a title line and a closing paragraph, so that it is neither the title nor a sign-off.
TITLE = "奎文区2022年某项工作通知"
TAIL = "特此通知，请相互转告。"


def middle(line: str) -> Block:
    """The block(s) that ``line`` becomes inside a document; asserts it is one block."""
    text = f"{TITLE}\n{line}\n{TAIL}"
    blocks = parse(text)
    assert blocks[0].kind == "title" and blocks[-1].text == TAIL
    inner = blocks[1:-1]
    assert len(inner) == 1, inner
    return inner[0]


def assert_exact(text: str, blocks: list[Block]) -> None:
    """Every block, label and value is exact, blocks are in order, and together they hold every non-blank line."""
    previous = 0
    for block in blocks:
        assert text[block.start : block.end] == block.text and block.text == block.text.strip()
        assert block.start >= previous
        previous = block.end
        for span in (block.label, block.value):
            if span is not None:
                assert text[span.start : span.end] == span.text
                assert block.start <= span.start <= span.end <= block.end
    assert "".join("".join(b.text for b in blocks).split()) == "".join(text.split())


@pytest.mark.parametrize(
    ("line", "kind", "label", "value"),
    [
        # headings: numbered and short, or short without closing punctuation
        ("一、参保范围", "heading", "一、", "参保范围"),
        ("（二）报名方式", "heading", "（二）", "报名方式"),
        ("第三章 法律责任", "heading", "第三章", "法律责任"),
        ("对标“二线城市”,开展一场“头脑风暴”", "heading", None, None),
        # numbered items: the number, then the item's text
        ("一、减免房屋租金。对承租国有经营用房的小微企业减免3个月租金。", "item", "一、", "减免房屋租金。"),
        ("（一）具有本区户籍的城乡居民；", "item", "（一）", "具有本区户籍的城乡居民；"),
        ("1．书法（楷书）：周一上午，学费300元/学期", "item", "1．", "书法（楷书）：周一上午"),
        ("2、携带身份证原件。", "item", "2、", "携带身份证原件。"),
        ("（3）近期一寸免冠照片2张。", "item", "（3）", "近期一寸免冠照片2张。"),
        ("①户口簿；", "item", "①", "户口簿；"),
        ("一是加强组织领导，压实工作责任。", "item", "一是", "加强组织领导"),
        ("第五条 本办法自发布之日起施行，由区民政局负责解释。", "item", "第五条", "本办法自发布之日起施行"),
        # label–value lines
        ("时间：2022年2月12日上午9:00", "label_value", "时间", "2022年2月12日上午9:00"),
        ("地点：奎文区健康东街1388号。", "label_value", "地点", "奎文区健康东街1388号。"),
        ("主办单位：奎文区人力资源和社会保障局", "label_value", "主办单位", "奎文区人力资源和社会保障局"),
        ("咨询电话:12345", "label_value", "咨询电话", "12345"),
        ("联系人：王老师", "label_value", "联系人", "王老师"),
        ("报名方式：关注微信公众号在线报名。", "label_value", "报名方式", "关注微信公众号在线报名。"),
        # paragraphs: long, closed, a quotation, a clock time, a label longer than a field's
        ("本次招聘会共组织区内外68家用人单位参会，提供就业岗位2,350个。", "paragraph", None, None),
        ("主任说：“年内完工，届时向社会开放。”", "paragraph", None, None),
        ("上午9:00开始，下午14:30结束，全天开放，欢迎参加。", "paragraph", None, None),
        ("区发展和改革局负责同志介绍：下一步将继续推进项目建设。", "paragraph", None, None),
        ("1.5亿元专项资金已经全部拨付到位，惠及企业120家。", "paragraph", None, None),
        ("2022年奎文区新增就业4,860人，完成年度目标任务的62%。", "paragraph", None, None),
    ],
)
def test_line_kinds(line: str, kind: str, label: str | None, value: str | None) -> None:
    block = middle(line)
    assert block.kind == kind
    assert (block.label.text if block.label else None) == label
    if value is None:
        assert block.value is None or kind == "heading"
    else:
        assert block.value is not None and block.value.text.startswith(value)


@pytest.mark.parametrize(
    ("text", "questions", "answers"),
    [
        ("问：在哪里报名？\n答：在区政务服务中心报名。", ["在哪里报名？"], ["在区政务服务中心报名。"]),
        ("四、问：到哪里申请？\n答：到户籍所在街道申请。", ["到哪里申请？"], ["到户籍所在街道申请。"]),
        ("問：幾點開門？\n答：上午九點開門。", ["幾點開門？"], ["上午九點開門。"]),
        ("Q: Where do I apply?\nA: At the service centre.", ["Where do I apply?"], ["At the service centre."]),
        ("Q1：费用多少？\nA1：每人200元。", ["费用多少？"], ["每人200元。"]),
        ("问：需要带什么？答：带身份证。", ["需要带什么？"], ["带身份证。"]),
        ("问: 何时截止? 答: 3月31日。", ["何时截止?"], ["3月31日。"]),
        ("1. 老人怎么领补贴？\n答：由社区统一发放。", ["老人怎么领补贴？"], ["由社区统一发放。"]),
        ("到哪里领取？\n答复：到街道便民服务中心领取。", ["到哪里领取？"], ["到街道便民服务中心领取。"]),
    ],
)
def test_question_and_answer_forms(text: str, questions: list[str], answers: list[str]) -> None:
    blocks = parse(text)
    assert_exact(text, blocks)
    asked = [b for b in blocks if b.kind == "question"]
    told = [b for b in blocks if b.kind == "answer"]
    assert [b.value.text if b.value else None for b in asked] == questions
    assert [b.value.text if b.value else None for b in told] == answers
    for question in asked:
        assert question.pair is not None and blocks[question.pair].kind == "answer"
        assert blocks[question.pair].pair == blocks.index(question)


def test_answer_runs_over_several_paragraphs_until_the_next_question() -> None:
    text = "\n".join(
        [
            "问：怎样申请？",
            "答：先在网上登记。",
            "登记后五个工作日内审核。",
            "1. 审核通过的发放补贴。",
            "问：多少钱？",
            "答：每月200元。",
        ]
    )
    blocks = parse(text)
    kinds = [b.kind for b in blocks]
    assert kinds == ["question", "answer", "answer", "item", "question", "answer"]
    assert blocks[1].pair == 0 and blocks[2].pair == 0 and blocks[5].pair == 4
    assert blocks[0].pair == 1 and blocks[4].pair == 5


def test_a_question_heading_without_answer_marker_is_answered_by_the_next_paragraph() -> None:
    blocks = parse("问：到哪里申请？\n到户籍所在社区申请，携带身份证。")
    assert [b.kind for b in blocks] == ["question", "answer"]
    assert blocks[0].pair == 1 and blocks[1].pair == 0


def test_a_question_mark_alone_does_not_make_a_question() -> None:
    blocks = parse(f"{TITLE}\n为什么要开展这项工作？\n因为群众需要。")
    assert "question" not in [b.kind for b in blocks]


def test_tables_header_first_rows_point_at_their_header() -> None:
    text = (
        "一、缴费标准\n类别 | 标准\n成年居民 | 380元\n学生 | 380元\n说明文字。\n二、渠道\n渠道\t方式\n微信\t公众号缴费"
    )
    blocks = parse(text)
    assert_exact(text, blocks)
    kinds = [b.kind for b in blocks]
    first = ["title", "table_header", "table_row", "table_row", "paragraph"]
    assert kinds == [*first, "heading", "table_header", "table_row"]
    assert [b.pair for b in blocks if b.kind == "table_row"] == [1, 1, 6]
    assert blocks[2].label is None and blocks[2].value is None


@pytest.mark.parametrize(
    "line",
    ["A | B 一行带竖线的说明，下面没有别的行。", "a|b", "学费 300元/学期", "|只有一格|"],
)
def test_lines_that_are_not_table_rows(line: str) -> None:
    assert middle(line).kind not in ("table_header", "table_row")


def test_headings_nest_by_numbering_and_blocks_sit_under_the_nearest() -> None:
    lines = ["通知标题", "一、总体要求", "（一）工作目标", "到年底建成10处。", "（二）工作原则", "坚持就近便民。"]
    text = "\n".join([*lines, "二、保障措施", "加强组织领导。"])
    blocks = parse(text)
    by_text = {b.text: i for i, b in enumerate(blocks)}
    assert blocks[0].kind == "title"
    assert blocks[by_text["一、总体要求"]].heading == 0
    assert blocks[by_text["（一）工作目标"]].heading == by_text["一、总体要求"]
    assert blocks[by_text["到年底建成10处。"]].heading == by_text["（一）工作目标"]
    assert blocks[by_text["（二）工作原则"]].heading == by_text["一、总体要求"]
    assert blocks[by_text["二、保障措施"]].heading == 0
    assert blocks[by_text["加强组织领导。"]].heading == by_text["二、保障措施"]


@pytest.mark.parametrize(
    ("ending", "signoff"),
    [
        ("奎文区人力资源和社会保障局\n2022年2月7日", ["奎文区人力资源和社会保障局", "2022年2月7日"]),
        ("奎文区民政局\n奎文区财政局\n2022-03-01", ["奎文区民政局", "奎文区财政局", "2022-03-01"]),
        ("奎文区供水服务中心", ["奎文区供水服务中心"]),
        ("二〇二二年二月七日", ["二〇二二年二月七日"]),
        ("欢迎广大居民积极参与。", []),
        ("联系电话：12345", []),
    ],
)
def test_signoff_at_the_end(ending: str, signoff: list[str]) -> None:
    text = f"{TITLE}\n一、工作安排\n今年将新建3处社区食堂，年底前投入使用。\n{ending}"
    blocks = parse(text)
    assert [b.text for b in blocks if b.kind == "signoff"] == signoff
    assert all(b.heading is None for b in blocks if b.kind == "signoff")


def test_title_is_the_first_short_unfinished_line_only() -> None:
    assert parse("关于东风东街临时停水的通知\n正文。")[0].kind == "title"
    assert parse("今年新建社区食堂3处，均已投入使用。\n正文。")[0].kind == "paragraph"
    assert parse("问：在哪里报名？\n答：网上报名。")[0].kind == "question"


def test_a_name_colon_phrase_over_a_paragraph_is_a_subheading_but_a_field_is_not() -> None:
    text = "标题\n潍州金谷：主体结构全面封顶\n项目总投资21亿元，7月15日主体封顶。\n咨询电话：12345\n欢迎来电咨询。"
    kinds = {b.text: b.kind for b in parse(text)}
    assert kinds["潍州金谷：主体结构全面封顶"] == "heading"
    assert kinds["咨询电话：12345"] == "label_value"


def test_white_space_and_blank_lines_keep_offsets_exact() -> None:
    text = "\n  标题  \r\n\n\u3000问：几点？  答：九点。\n\n\t时间：\u30002022年3月1日 \n"
    blocks = parse(text)
    assert_exact(text, blocks)
    assert [b.kind for b in blocks] == ["title", "question", "answer", "label_value"]


def test_empty_and_blank_documents_have_no_blocks() -> None:
    assert parse("") == []
    assert parse(" \n\n\t") == []


LINES = st.sampled_from(
    [
        "问：在哪里？",
        "答：在这里。",
        "Q: why? A: because.",
        "一、总则",
        "（一）目标明确；",
        "1．书法：周一上午",
        "时间：3月1日",
        "类别 | 标准 | 说明",
        "a\tb",
        "普通的一段话，说完了。",
        "没有句号的短行",
        "2022年2月7日",
        "奎文区民政局",
        "",
        "   ",
        "问：",
        "答：",
        "①",
    ]
)


@settings(max_examples=300, database=None, deadline=None)
@given(lines=st.lists(LINES, max_size=30), noise=st.text(alphabet="问答：:？?|\t 一、（）1.。\n", max_size=60))
def test_generated_documents_parse_exactly(lines: list[str], noise: str) -> None:
    text = "\n".join(lines) + noise
    blocks = parse(text)
    assert_exact(text, blocks)
    for i, block in enumerate(blocks):
        if block.heading is not None:
            assert blocks[block.heading].kind in ("title", "heading") and block.heading < i
        if block.kind == "question" and block.pair is not None:
            assert blocks[block.pair].kind == "answer" and blocks[block.pair].pair == i
        if block.kind == "answer" and block.pair is not None:
            assert blocks[block.pair].kind == "question"
        if block.kind == "table_row":
            assert block.pair is not None and blocks[block.pair].kind == "table_header"


def assert_under_title(blocks: list[Block]) -> None:
    """Every block but the sign-off sits, through its headings, under the title."""
    for block in blocks[1:]:
        root = block.heading
        while root is not None and blocks[root].heading is not None:
            root = blocks[root].heading
        assert root == 0 or block.kind == "signoff", block


@pytest.mark.parametrize("path", MULTIDOC_FILES, ids=lambda p: p.stem if p else "absent")
def test_multidoc_documents_parse_with_exact_offsets(path: Path | None) -> None:
    if path is None:
        require_shared()
        pytest.skip(f"{MULTIDOC} holds no documents")
    doc = load_document(path)
    blocks = parse(doc.text)
    assert_exact(doc.text, blocks)
    assert blocks[0].kind == "title"
    assert_under_title(blocks)
    lines = [line.strip() for line in doc.text.splitlines() if line.strip()]
    # Every 问 line is a question paired with its 答 line; every " | " line is in a table.
    assert sum(b.kind == "question" for b in blocks) == sum(line.startswith("问：") for line in lines)
    assert all(b.pair is not None for b in blocks if b.kind in ("question", "answer", "table_row"))
    assert sum(b.kind in ("table_header", "table_row") for b in blocks) == sum(" | " in line for line in lines)
    # A document that ends with a date is signed off: the date and the body above it.
    if lines[-1].endswith("日") and lines[-1][:4].isdigit():
        assert [b.kind for b in blocks[-2:]] == ["signoff", "signoff"]
    else:
        assert "signoff" not in [b.kind for b in blocks]


@pytest.mark.parametrize("path", DOCS_FILES, ids=lambda p: p.stem)
def test_docs_corpus_documents_parse_with_exact_offsets(path: Path) -> None:
    doc = load_document(path)
    blocks = parse(doc.text)
    assert_exact(doc.text, blocks)
    assert blocks[0].kind == "title"
    assert_under_title(blocks)


@pytest.mark.parametrize(
    ("line", "label", "value"),
    [
        # a field, numbered or not: the label says what the value is
        ("施工时间：2024年6月10日至2024年9月20日。", "施工时间", "2024年6月10日至2024年9月20日。"),
        ("一、施工时间：2024年6月10日至2024年9月20日。", "施工时间", "2024年6月10日至2024年9月20日。"),
        ("（二）办理地点：区政务服务中心2楼", "办理地点", "区政务服务中心2楼"),
        ("3. 咨询电话：0536-8888888", "咨询电话", "0536-8888888"),
        # no field: a plain item, a heading, a paragraph, an item whose colon hands over to a list, speech
        ("2、携带身份证原件。", None, None),
        ("1．书法（楷书）：周一上午，学费300元/学期", None, None),
        ("二、交通组织", None, None),
        ("本次招聘会共组织区内外68家用人单位参会，提供就业岗位2,350个。", None, None),
        ("一、申请条件：", None, None),
        ("1. 主任表示：年内完工。", None, None),
    ],
)
def test_field_of_numbered_and_plain_label_lines(line: str, label: str | None, value: str | None) -> None:
    found = field_of(middle(line))
    assert (found.label.text if found else None) == label
    assert (found.value.text if found else None) == value
