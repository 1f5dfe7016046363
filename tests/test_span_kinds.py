"""A span's expressions found by bisection over the passage's kind starts: the same set as a scan of all of them."""

from __future__ import annotations

import pytest

from assistant.answer.passages import PassageView, TextView
from assistant.answer.question import Question, analyse, gives
from assistant.answer.span import (
    _kinds_within,
    _labelled,
    _lead,
    announced,
    edition_year,
    field_label,
    other_charge,
    pieces,
)
from assistant.chunking import Chunk
from assistant.lang.kinds import WHEN_KINDS, Kind, find_kinds, labelled_as
from assistant.spans import Span
from assistant.structure import parse
from assistant.text import fold

TEXT = (
    "2025年3月1日起，潍州路街道新建4个社区食堂，总投资60亿元，电话0536-1234567；"
    "60岁以上老人每餐补贴3元，地址：潍州路88号，开放时间8:00至20:00。"
)


def scanned(passage: PassageView, span: Span, asked: Question | None) -> set[str]:
    """What ``_kinds_within`` answered before: every expression tested."""
    base, text = passage.chunk.start, passage.chunk.text
    return {
        m.kind
        for m in passage.kinds
        if span.start <= base + m.start
        and base + m.end <= span.end
        and (asked is None or gives(asked, m.kind, fold(text[m.start : m.end]), _lead(text, m.start)))
    }


def test_every_span_finds_the_kinds_a_full_scan_finds() -> None:
    base = 500  # the passage's offset in its document: spans are in document offsets
    chunk = Chunk(0, "doc", base, base + len(TEXT), TEXT)
    passage = PassageView(chunk, TextView.of(TEXT), tuple(find_kinds(TEXT)), ())
    assert len(passage.kinds) >= 6 and passage.kind_starts == sorted(passage.kind_starts)
    found_any = 0
    for asked in (None, analyse("新建4个社区食堂要多少钱"), analyse("新建了多少处社区食堂"), analyse("一共补贴多少钱")):
        for start in range(base - 3, base + len(TEXT) + 3):
            for end in range(start, base + len(TEXT) + 4, 3):
                span = Span(start, end, "")
                expected = scanned(passage, span, asked)
                assert _kinds_within(passage, span, asked) == expected, (start, end, asked)
                found_any += bool(expected)
    assert found_any > 1000  # most spans hold an expression: the comparison is not of empty sets


def within(text: str, question: str) -> set[str]:
    """The kinds ``_kinds_within`` finds in the whole of a one-passage ``text`` for ``question``."""
    chunk = Chunk(0, "doc", 0, len(text), text)
    passage = PassageView(chunk, TextView.of(text), tuple(find_kinds(text)), ())
    return _kinds_within(passage, Span(0, len(text), text), analyse(question))


def test_an_organisation_that_only_starts_a_places_name_is_no_body_that_acts() -> None:
    # "东关街道" of "东关街道人大代表联络站" says where the station is, not whose staff a deputy is.
    assert "org" not in within("1月18日 | 东关街道人大代表联络站 | 和平路1020号 | 刘海燕", "刘海燕是哪个单位的？")
    assert "org" in within("接待工作由东关街道负责。", "接待工作由哪个单位负责？")
    # A place that is an organisation too keeps both.
    assert "org" in within("请到东关街道社区卫生服务中心办理。", "由哪个单位办理？")


def labelled(text: str, question: str) -> bool:
    """Whether the last line of a one-passage ``text`` is read as a value of the kind ``question`` asks."""
    chunk = Chunk(0, "doc", 0, len(text), text)
    passage = PassageView(chunk, TextView.of(text), tuple(find_kinds(text)), tuple(parse(text)))
    start = text.rindex("\n") + 1
    return _labelled(passage, Span(start, len(text), text[start:]), analyse(question))


# (text, question, whether the last line is a value of the asked kind by its label)
LABELLED = [
    # The label names the kind: a place no pattern knows is one ("户籍所在村（社区）村委会").
    ("三、申报\n申报地点：户籍所在村（社区）村委会", "种粮补贴去哪申报？", True),
    ("三、申报\n办理地点：各社区居委会", "在哪里办理？", True),
    ("一、联系\n咨询电话：请拨打所在社区电话", "咨询电话是多少？", True),
    # A numbered item written as a field is one too; a numbered item without a label is not.
    ("申报须知\n三、申报地点：户籍所在村（社区）村委会", "种粮补贴去哪申报？", True),
    ("申报须知\n三、到户籍所在村（社区）村委会申报", "种粮补贴去哪申报？", False),
    ("申报须知\n（一）申报时间：4月15日至5月10日", "去哪申报？", False),
    # A label of another kind, or none.
    ("三、申报\n申报时间：4月15日至5月10日", "去哪申报？", False),
    ("三、申报\n服务内容：作业辅导、阅读", "在哪里办理？", False),
    ("三、申报\n村委会负责审核。", "去哪申报？", False),
    # What the question asks of the kind still holds: a floor is no room number.
    ("三、议事厅\n地点：大厅三楼东侧", "议事厅是几号房间？", False),
    # Quantities are left to their patterns, which know every form.
    ("二、标准\n补贴标准：按实际面积核定", "补贴多少钱？", False),
    # No ask: nothing to label.
    ("三、申报\n申报地点：户籍所在村（社区）村委会", "介绍一下种粮补贴", False),
]


@pytest.mark.parametrize(("text", "question", "expected"), LABELLED)
def test_a_labels_kind_makes_its_value_one(text: str, question: str, expected: bool) -> None:
    assert labelled(text, question) == expected


@pytest.mark.parametrize(
    ("label", "kinds", "expected"),
    [
        ("申报地点：", ("place",), True),
        ("咨询电话", ("phone",), True),
        ("收费标准：", ("money",), True),
        ("地点说明：", ("place",), False),
        ("申报时间：", ("place",), False),
        ("服务内容：", ("place", "phone"), False),
    ],
)
def test_labelled_as_reads_the_labels_last_word(label: str, kinds: tuple[Kind, ...], expected: bool) -> None:
    assert labelled_as(label, kinds) == expected


# (clause, the document's title, question, whether the clause's bare year names its subject's edition)
EDITIONS = [
    (
        "现将2024年耕地地力保护补贴发放工作通知如下。",
        "关于做好2024年耕地地力保护补贴发放工作的通知",
        "种粮补贴啥时候申报？",
        True,
    ),
    ("我区将开展2025年全国1%人口抽样调查。", "关于开展2025年全国1%人口抽样调查入户登记的公告", "什么时候登记？", True),
    ("全区2024年补贴面积共计3.2万亩。", "关于做好2024年耕地地力保护补贴发放工作的通知", "什么时候到账？", True),
    # The event's name in quotation marks after the year, as the title names it.
    ("现举办2025年“金秋招聘月”专场招聘会。", "2025年“金秋招聘月”奎文区专场招聘会公告", "招聘会是哪天？", True),
    ('现举办2025年"金秋招聘月"专场招聘会。', '2025年"金秋招聘月"奎文区专场招聘会公告', "招聘会是哪天？", True),
    ("定于2025年“五一”假期开放。", "2025年“金秋招聘月”奎文区专场招聘会公告", "哪天开放？", False),
    # A year that says when ("2023年竣工"), or one the title does not name so.
    ("项目计划2023年竣工交付。", "关于做好2024年耕地地力保护补贴发放工作的通知", "什么时候竣工？", False),
    ("项目计划2024年竣工交付。", "2024年重点项目进展", "什么时候竣工？", False),
    ("2024年，全区新建食堂12处。", "2024年社区食堂建设进展", "什么时候新建的？", False),
    # A span of years the title gives its subject ("2025—2026年度…取暖补贴"): which season, not when it is paid.
    (
        "决定联合开展2025—2026年度困难群众冬季取暖补贴发放工作。",
        "关于发放2025—2026年度困难群众冬季取暖补贴的联合通知",
        "取暖补贴什么时候发？",
        True,
    ),
    ("供暖时间为2025—2026年度采暖季。", "关于发放2025—2026年度困难群众冬季取暖补贴的联合通知", "什么时候供暖？", False),
    # A year asked for: the edition's year answers it.
    (
        "现将2024年耕地地力保护补贴发放工作通知如下。",
        "关于做好2024年耕地地力保护补贴发放工作的通知",
        "这是哪一年的补贴？",
        False,
    ),
    # A full date is never an edition's year.
    ("2024年4月15日耕地地力保护补贴开始申报。", "2024年4月15日耕地地力保护补贴开始申报", "什么时候申报？", False),
]


@pytest.mark.parametrize(("clause", "title", "question", "expected"), EDITIONS)
def test_a_year_the_title_gives_its_subject_is_no_when(clause: str, title: str, question: str, expected: bool) -> None:
    found = [m for m in find_kinds(clause) if m.kind in WHEN_KINDS]
    assert found
    asked = analyse(question)
    editions = [edition_year(clause, m.start, m.end, fold(title), asked) for m in found]
    assert any(editions) == expected
    chunk = Chunk(0, "doc", 0, len(clause), clause)
    passage = PassageView(chunk, TextView.of(clause), tuple(find_kinds(clause)), ())
    whole = Span(0, len(clause), clause)
    assert bool(_kinds_within(passage, whole, asked, fold(title)) & WHEN_KINDS) == (not expected)


# (text, the clauses that may answer): a clause that hands over to the lines after it answers nothing.
HANDOVERS = [
    ("根据有关文件要求，现将补贴发放工作通知如下。", ["根据有关文件要求，"]),
    ("区内景区推出以下惠民措施：", []),
    ("现将安排公布如下：", []),
    ("课后服务于放学后开始，结束时间如下：", ["课后服务于放学后开始，"]),
    # Not a hand-over: "以下" of an age or a height, "如下" inside a clause.
    ("6周岁以下儿童免票。", ["6周岁以下儿童免票。"]),
    ("身高1.2米（含）以下儿童免票。", ["身高1.2米（含）以下儿童免票。"]),
    ("按如下标准收费，每人40元。", ["按如下标准收费，", "每人40元。"]),
    # What it announces follows in the same sentence: the clause leads to it.
    ("其与新词有以下的不同：流行语大多有其寿命。", ["其与新词有以下的不同：", "流行语大多有其寿命。"]),
]


@pytest.mark.parametrize(("text", "expected"), HANDOVERS)
def test_a_clause_that_hands_over_answers_nothing(text: str, expected: list[str]) -> None:
    chunk = Chunk(0, "doc", 0, len(text), text)
    passage = PassageView(chunk, TextView.of(text), tuple(find_kinds(text)), tuple(parse(text)))
    assert [p.clause.text for p in pieces(passage)] == expected


# (question, a sentence read with its headings, whether its prices are another thing's)
CHARGES = [
    ("民俗文化园停车费多少？", "景区惠民措施\n民俗文化园门票由60元降至30元。", True),
    ("送餐上门的配送费多少钱？", "社区食堂\n午餐每份12元。", True),
    # The charge's purpose is said, in the sentence or its headings.
    ("民俗文化园停车费多少？", "停车收费\n小型车每小时2元。", False),
    ("居民供暖费多少钱？", "供暖费由每平方米22元调整为23.5元。", False),
    # No charge named by its purpose, or no money asked.
    ("学校足球场租一场多少钱？", "足球场按场次收费，每场200元。", False),
    ("学费多少？", "每学期收费300元。", False),
    # A two-character charge is given by a sentence that makes a charge, not by a sum of another kind...
    ("实验小学东校区学费多少？", "奎文实验小学东校区：总投资2.8亿元，9月1日开学投用。", True),
    ("小区电费多少钱？", "小区改造总投资300万元，惠及居民1200户。", True),
    # ... and a word that charges or waives names no charge ("收费", "免费").
    ("游泳馆收费多少？", "游泳馆每人每次30元。", False),
    ("游泳馆免费吗？", "游泳馆每人每次30元。", False),
    ("停车费什么时候开始收？", "自5月1日起施行。", False),
    # A rent or deposit is named without 费: a sentence about it says 租 or 押金.
    ("写字楼的租金一平米多少钱", "潍州金谷项目总投资21亿元，由2栋超高层写字楼组成。", True),
    ("国企门面房租一个月多少钱", "对承租经营用房的个体工商户，2022年减免3个月租金。", False),
    ("公租房押金多少", "公租房租金每平方米每月5元。", True),
    # A pass bought for a period is named where its price is given, not by the place's parking fee.
    ("公园年卡多少钱一张", "交通\n北门停车场首2小时免费，超过2小时每小时收费2元。", True),
    ("公园年卡多少钱一张", "公园年卡每张100元，当年有效。", False),
    ("公交月卡多少钱", "乘车月卡每张60元，每月可乘坐90次。", False),
    ("公租房押金多少", "入住时须缴纳押金500元。", False),
]


@pytest.mark.parametrize(("question", "context", "expected"), CHARGES)
def test_a_charge_named_by_its_purpose_is_given_only_where_that_is_said(
    question: str, context: str, expected: bool
) -> None:
    assert other_charge(analyse(question), fold(context)) == expected


def test_a_date_inside_a_title_in_book_title_marks_is_part_of_its_name() -> None:
    listed = "列入《山东省2024—2026年农机购置与应用补贴机具补贴额一览表》的机具，主要包括拖拉机。"
    assert not within(listed, "拖拉机买了多久之内要申请补贴？") & {"period", "date", "figure"}
    # The title itself still answers "which list", and a date outside the marks still says when.
    assert "work" in within(listed, "列入哪个一览表？")
    dated = "自2024年起，列入《补贴机具一览表》的机具可申请补贴。"
    assert "date" in within(dated, "什么时候可以申请补贴？")
    said = "购机后12个月内提交申请。"
    assert within(said, "拖拉机买了多久之内要申请补贴？") & {"period", "date", "figure"}


# (the passage's last line, a clause of it, the label the clause is read with)
FIELD_LABELS = [
    ("施工时间：2024年6月10日至2024年9月20日。", "2024年6月10日至2024年9月20日。", "施工时间"),
    ("一、施工时间：2024年6月10日至2024年9月20日。", "2024年6月10日至2024年9月20日。", "施工时间"),
    ("收费标准：首30分钟内免费；超过30分钟的，每小时2元", "每小时2元", "收费标准"),
    # The label itself, a numbered item without a label, a paragraph: no label to read a clause with.
    ("一、施工时间：2024年6月10日至2024年9月20日。", "一、施工时间：", ""),
    ("二、分南北两段施工，先南后北。", "先南后北。", ""),
    ("施工期间北海路该路段由双向六车道缩减为双向两车道，禁止大型货车通行。", "禁止大型货车通行。", ""),
]


@pytest.mark.parametrize(("line", "clause", "label"), FIELD_LABELS)
def test_a_fields_value_is_read_with_its_label(line: str, clause: str, label: str) -> None:
    text = f"北海路供热管网改造的通告\n{line}"
    chunk = Chunk(0, "doc", 0, len(text), text)
    passage = PassageView(chunk, TextView.of(text), tuple(find_kinds(text)), tuple(parse(text)))
    start = text.rindex(clause)
    assert field_label(passage, Span(start, start + len(clause), clause)) == label


SURVEY = "人口抽样调查入户登记的公告\n标准时点：2025年11月1日零时\n登记时间：2025年11月1日至15日\n培训时间：10月20日\n"


# (a clause of the survey notice, the question, whether its label announces the detail asked)
ANNOUNCED = [
    ("2025年11月1日至15日", "人口抽样调查什么时候入户登记", True),
    ("2025年11月1日至15日", "什么时候登记？", True),
    # Another label: one naming no kind, one whose other words the question does not say; another kind asked.
    ("2025年11月1日零时", "人口抽样调查什么时候入户登记", False),
    ("10月20日", "人口抽样调查什么时候入户登记", False),
    ("2025年11月1日至15日", "在哪里登记？", False),
    ("2025年11月1日至15日", "介绍一下人口抽样调查", False),
]


@pytest.mark.parametrize(("clause", "question", "expected"), ANNOUNCED)
def test_a_label_announces_the_detail_asked(clause: str, question: str, expected: bool) -> None:
    chunk = Chunk(0, "doc", 0, len(SURVEY), SURVEY)
    passage = PassageView(chunk, TextView.of(SURVEY), tuple(find_kinds(SURVEY)), tuple(parse(SURVEY)))
    start = SURVEY.index(clause)
    assert announced(analyse(question), passage, Span(start, start + len(clause), clause)) == expected
