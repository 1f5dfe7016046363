"""A "who" or "which body" question asks for the holder of a role: a notice that never names the role does not say."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer.question import analyse
from assistant.conversation import Context, FoldedTexts, dictionary_noun, modifier, picked, unpublished_noun
from assistant.service import Assistant
from assistant.text import fold
from conftest import open_dated

# (question, the roles it asks the holder of)
ROLES: list[tuple[str, tuple[str, ...]]] = [
    ("奎文区每条小巷的巷长是谁", ("巷长",)),
    ("春风行动招聘会的主持人是谁？", ("主持人",)),
    ("潍州金谷项目的物业公司是哪家？", ("物业公司",)),
    ("社区食堂是哪家餐饮公司在运营？", ("食堂", "餐饮公司")),
    ("就业援助月是哪个部门搞的？", ("援助",)),  # 部门 is the kind the org patterns check, not a role
    ("人才夜市是哪個單位主辦的？", ("夜市",)),  # nor 单位
    ("奎文创新引领基金的管理公司是谁？", ()),  # jieba cuts 管理/公司: 公司 is a kind
    ("適老化改造的補貼錢是直接給誰的？", ()),  # an adverb names no role
    ("高龄津贴审批不通过可以找谁复议？", ()),  # verbs neither
    ("社区食堂几点开门？", ()),  # not a "who" question
    ("Who hosts the spring job fair?", ()),  # English questions are left to the other checks
]


@pytest.mark.parametrize(("question", "roles"), ROLES)
def test_roles(question: str, roles: tuple[str, ...]) -> None:
    assert analyse(question).roles == roles


ALLEYS = (
    "奎文区2023年背街小巷改造提升实施方案\n"
    "一、组织实施\n本次改造由奎文区住房和城乡建设局负责组织实施，各街道办事处配合做好群众工作。\n"
    "二、改造内容\n破损路面铣刨重铺，人行道更换透水砖，每隔30米设置一盏路灯。\n"
)


@pytest.fixture
def alleys(tmp_path: Path) -> Assistant:
    """The service (fake embedder) over one notice, its date declared, naming the body that carries the works out."""
    return open_dated(tmp_path, "alleys", ALLEYS, "奎文区2023年背街小巷改造提升实施方案", "2023-03-06", True)


@pytest.fixture
def alleys_page(tmp_path: Path) -> Assistant:
    """The same text as a page whose date is only read from its first line."""
    return open_dated(tmp_path, "alleys", ALLEYS, "奎文区2023年背街小巷改造提升实施方案", "2023-03-06", False)


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("背街小巷改造由哪个部门负责组织实施", "住房和城乡建设局"),
        ("背街小巷改造谁负责组织实施", "住房和城乡建设局"),
        # A role the notice never names: its bureau is not the answer.
        ("背街小巷改造的巷长是谁", None),
        ("背街小巷改造的监理公司是哪家", None),
    ],
)
def test_a_holder_is_answered_only_where_its_role_is_named(alleys: Assistant, question: str, says: str | None) -> None:
    answer = alleys.ask(question).answer
    if says is None:
        assert not answer.answered
    else:
        assert answer.answered
        assert says in answer.text


@pytest.mark.parametrize("question", ["背街小巷改造的巷长是谁", "背街小巷改造的监理公司是哪家"])
def test_a_page_that_declares_no_date_is_not_held_to_naming_the_role(alleys_page: Assistant, question: str) -> None:
    # An encyclopaedia's prose need not name the role it answers ("母卢靖妃" for "母亲是谁"), and a date its text
    # opens with does not make it a notice.
    answer = alleys_page.ask(question).answer
    assert answer.reason != "detail_not_published"
    assert not answer.answered or "住房和城乡建设局" in answer.text


PARK = "科创产业园一期建设进展\n科创产业园一期已经完成主体施工，预计明年投入使用。园区规划入驻企业60家。\n"


@pytest.fixture
def park(tmp_path: Path) -> Assistant:
    """The service (fake embedder) over one notice on a business park, its date declared."""
    return open_dated(tmp_path, "park", PARK, "科创产业园一期建设进展", "2024-05-10", True)


@pytest.fixture
def park_page(tmp_path: Path) -> Assistant:
    """The same text as a page whose date is only read from its first line."""
    return open_dated(tmp_path, "park", PARK, "科创产业园一期建设进展", "2024-05-10", False)


@pytest.mark.parametrize(
    ("question", "declined"),
    [
        # A thing the notice never names, asked alone: the nearest passage is about something else.
        ("科创产业园一期有停车场吗？", True),
        ("科创产业园一期的班车是哪个车队的？", True),
        # What a number counts, named after its question word.
        ("科创产业园一期还有多少空位？", True),
        # A thing it names.
        ("科创产业园一期规划入驻多少家企业？", False),
    ],
)
def test_a_question_alone_about_a_thing_its_notice_never_names_is_declined(
    park: Assistant, question: str, declined: bool
) -> None:
    answer = park.ask(question).answer
    assert answer.answered is not declined
    if declined:
        assert answer.reason == "detail_not_published"


@pytest.mark.parametrize(
    "question", ["科创产业园一期有停车场吗？", "科创产业园一期还有多少空位？", "科创产业园一期规划入驻多少家企业？"]
)
def test_a_question_alone_is_not_held_to_the_noun_test_by_a_page_that_declares_no_date(
    park_page: Assistant, question: str
) -> None:
    assert park_page.ask(question).answer.reason != "detail_not_published"


# (a noun jieba cut from a question, the noun the document is searched for)
DICTIONARY_WORDS: list[tuple[str, str]] = [
    ("货运费", "运费"),  # "退货运费": a rare compound that swallowed 退货's last character
    ("篇文章", "文章"),  # "这篇文章"
    ("物业公司", "物业公司"),
    ("停车场", "停车场"),
    ("学校", "学校"),
]


@pytest.mark.parametrize(("noun", "word"), DICTIONARY_WORDS)
def test_dictionary_noun(noun: str, word: str) -> None:
    assert dictionary_noun(noun) == word


# (question, noun, whether the question picks one of the noun with a "which" word)
PICKED: list[tuple[str, str, bool]] = [
    ("社区工作者笔试在哪个学校考", "学校", True),
    ("就业援助月是哪个部门搞的", "部门", True),
    ("这个基金的管理公司是谁", "公司", False),  # a role, not a kind picked from
    ("学校几点放学", "学校", False),
]


@pytest.mark.parametrize(("question", "noun", "expected"), PICKED)
def test_picked(question: str, noun: str, expected: bool) -> None:
    assert picked(fold(question), noun) is expected


# (question, noun, the word right before it that says which kind of it, or "")
MODIFIERS: list[tuple[str, str, str]] = [
    ("民办学校电脑摇号是哪天", "摇号", "电脑"),
    ("民办学校摇号是哪天", "摇号", "民办学校"),
    ("民办学校的摇号是哪天", "摇号", ""),  # a particle says whose
    ("生态葬位还有多少空位", "空位", ""),  # a question word
    ("摇号是哪天", "摇号", ""),  # nothing before it
]


@pytest.mark.parametrize(("question", "noun", "expected"), MODIFIERS)
def test_modifier(question: str, noun: str, expected: str) -> None:
    assert modifier(fold(question), noun) == expected


ADMISSIONS = "民办学校招生安排\n民办学校报名人数超过招生计划的，由电脑随机录取，录取时间为7月20日。\n"


@pytest.fixture
def admissions(tmp_path: Path) -> Assistant:
    """The service (fake embedder) over one notice on private-school admission by computer lottery, date declared."""
    return open_dated(tmp_path, "admissions", ADMISSIONS, "民办学校招生安排", "2024-06-01", True)


@pytest.mark.parametrize(
    ("question", "unpublished"),
    [
        # The resident's 摇号 for the notice's 随机录取: 电脑, which says which kind, is the notice's word.
        ("民办学校电脑摇号是哪天", None),
        # Without it, or with a word the notice never uses, or the notice's topic (which only says whose), the
        # notice names no 摇号.
        ("民办学校的摇号是哪天", "摇号"),
        ("民办学校网上摇号是哪天", "摇号"),
        ("民办学校摇号是哪天", "摇号"),
    ],
)
def test_a_word_the_notice_uses_for_the_kind_of_an_unnamed_detail_readmits_it(
    question: str, unpublished: str | None
) -> None:
    text = fold(ADMISSIONS)
    context = Context(analyse(question), (), (text,), documents=FoldedTexts({"admissions": text}))
    assert unpublished_noun(analyse(question), context) == unpublished


@pytest.mark.parametrize(("question", "declined"), [("民办学校电脑摇号是哪天", False), ("民办学校的摇号是哪天", True)])
def test_a_notice_answers_a_detail_named_in_the_residents_words(
    admissions: Assistant, question: str, declined: bool
) -> None:
    answer = admissions.ask(question).answer
    assert answer.answered is not declined
    assert (answer.reason == "detail_not_published") is declined
