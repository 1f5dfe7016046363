"""Follow-up questions: the resolver (history + question -> standalone question), and history through the API."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.answer.question import analyse
from assistant.api import create_app
from assistant.conversation import (
    FoldedTexts,
    Resolved,
    Spread,
    Turn,
    asked_nouns,
    english_subject,
    english_words_for,
    head_of,
    modal_ends_head,
    names_the_unpublished,
    resolve,
    subject_terms,
)
from assistant.dbschema import head_revision
from assistant.embedding import FakeEmbedder
from assistant.feedback import FeedbackStore
from assistant.service import Assistant
from assistant.settings import Settings
from assistant.text import bound_modal, fold

# Two small documents, as the previous answers' documents (folded, as the service reads them).
JOB_FAIR = (
    "春风行动招聘会2月12日上午9:00开始，地点在人力资源市场。共68家用人单位参会，提供岗位2350个。请携带身份证和简历。"
)
UNIVERSITY = "老年大学秋季学期开设8门课程。摄影：学费300元。太极拳：学费260元。新学员9月5日起报名。"
DOCS = FoldedTexts({"fair": fold(JOB_FAIR), "uni": fold(UNIVERSITY)})
SEED_DOCS = FoldedTexts({"seed": fold("潍州路街道增加3处社区智慧养老服务站,配套建设15至20处嵌入式养老服务驿站。")})


def after(*turns: tuple[str, str | None]) -> list[Turn]:
    """History of questions, each answered from the document named beside it (None: declined, no document)."""
    return [Turn(q, "……", (doc,) if doc else ()) for q, doc in turns]


@pytest.mark.parametrize(
    ("history", "question", "expected"),
    [
        # Ellipsis: no subject of its own.
        ([("春风行动招聘会在哪里举办？", "fair")], "几点开始？", "春风行动招聘会几点开始？"),
        ([("春风行动招聘会在哪里举办？", "fair")], "要带什么材料？", "春风行动招聘会要带什么材料？"),
        # A pronoun, and the noun after it that the subject already holds.
        ([("春风行动招聘会在哪里举办？", "fair")], "这个招聘会有多少家单位参加？", "春风行动招聘会有多少家单位参加？"),
        # A demonstrative with its measure word.
        ([("春风行动招聘会在哪里举办？", "fair")], "这家招聘会有多少家单位参加？", "春风行动招聘会有多少家单位参加？"),
        # Words that are all in the previous answer's document, but no subject.
        ([("春风行动招聘会在哪里举办？", "fair")], "一共提供多少个岗位？", "春风行动招聘会一共提供多少个岗位？"),
        # The question names the subject's last word as a thing: the subject stands there, said once.
        ([("春风行动招聘会在哪里举办？", "fair")], "参加招聘会要带什么？", "参加春风行动招聘会要带什么？"),
        ([("春风行动招聘会在哪里举办？", "fair")], "负责招聘会的单位是哪家？", "负责春风行动招聘会的单位是哪家？"),
        # The subject is carried along a chain, not the details asked on the way.
        ([("春风行动招聘会在哪里举办？", "fair"), ("几点开始？", "fair")], "要带什么？", "春风行动招聘会要带什么？"),
        # Comparisons: an area, a number with its unit, another subject, a later time.
        ([("奎文区新建了几处养老服务站？", "fair")], "那诸城市呢？", "诸城市新建了几处养老服务站？"),
        # The same question said again for another area, its object left out.
        ([("诸城市今年新建了几处养老服务站？", "fair")], "奎文区今年新建了几处？", "奎文区今年新建了几处养老服务站？"),
        ([("19路公交车末班车几点？", None)], "那32路呢？", "32路公交车末班车几点？"),
        ([("W6路公交车末班车几点？", None)], "那19路呢？", "19路公交车末班车几点？"),  # the route's letter goes too
        ([("老年大学的摄影课学费是多少？", "uni")], "那太极拳呢？", "老年大学的太极拳学费是多少？"),
        ([("2021年潍州金谷总投资多少？", None)], "现在呢？", "现在潍州金谷总投资多少？"),
        ([("社区食堂午餐几点供应？", None)], "晚餐呢？", "社区食堂晚餐几点供应？"),
        ([("奎文区高龄津贴每月多少钱？", None)], "那90岁呢？", "奎文区90岁高龄津贴每月多少钱？"),
        # Traditional characters stay Traditional.
        ([("老年大學的攝影課學費是多少？", "uni")], "那太極拳呢？", "老年大學的太極拳學費是多少？"),
        # English.
        (
            [("Where is the Spring Breeze job fair held?", "fair")],
            "When does it start?",
            "When does the Spring Breeze job fair start?",
        ),
    ],
)
def test_follow_up_is_made_standalone(history: list[tuple[str, str | None]], question: str, expected: str) -> None:
    resolved = resolve(question, after(*history), DOCS)
    assert resolved.text == expected
    assert resolved.how in ("carry", "replace")


@pytest.mark.parametrize(
    ("history", "question"),
    [
        # A new self-contained topic is answered alone, even right after another.
        ([("春风行动招聘会在哪里举办？", "fair")], "老年大学秋季学期开设几门课程？"),
        ([("老年大学秋季学期开设几门课程？", "uni")], "W6路公交车票价多少？"),
        # Another area with a question of its own, not the previous one said again.
        ([("奎文区新建了几处养老服务站？", "fair")], "诸城市有多少家养老院？"),
        ([("Where is the Spring Breeze job fair held?", "fair")], "When will bus route 19 return to its route?"),
        # A first question has nothing to follow.
        ([], "几点开始？"),
        # A long question names its own subject (and is not analysed against the history).
        ([("春风行动招聘会在哪里举办？", "fair")], "那" + "几点开始" * 30 + "呢？"),
    ],
)
def test_new_topic_is_answered_alone(history: list[tuple[str, str | None]], question: str) -> None:
    resolved = resolve(question, after(*history), DOCS)
    assert resolved.text == question and resolved.how == "alone" and resolved.follows is None


@pytest.mark.parametrize(
    ("previous", "question", "expected"),
    [
        # Something not brought or forgotten: what to do then, asked of the thread's subject.
        ("春风行动招聘会要带什么？", "没带简历呢？", "春风行动招聘会没带简历怎么办？"),
        ("春风行动招聘会要带什么？", "忘带身份证呢？", "春风行动招聘会忘带身份证怎么办？"),
        ("春風行動招聘會要帶什麼？", "沒帶簡歷呢？", "春風行動招聘會沒帶簡歷怎麼辦？"),
        # Not a mishap: the same question for another thing, time or group.
        ("19路公交车末班车几点？", "那32路呢？", "32路公交车末班车几点？"),
        ("社区食堂午餐几点供应？", "晚餐呢？", "社区食堂晚餐几点供应？"),
        ("春风行动招聘会要带什么？", "没有本地户口呢？", None),
        ("春风行动招聘会要带什么？", "带孩子呢？", None),
    ],
)
def test_a_thing_not_brought_asks_what_to_do(previous: str, question: str, expected: str | None) -> None:
    resolved = resolve(question, after((previous, "fair")), DOCS)
    if expected is None:
        assert "怎么办" not in resolved.text
    else:
        assert resolved.text == expected


@pytest.mark.parametrize(
    ("head", "unpublished", "passage", "named"),
    [
        # Another notice's line on the same thing gives the detail the thread's notice never names.
        ("第二人民医院新院区", "床位", "3. 奎文区第二人民医院新院区：总投资9.2亿元，设置床位600张。", True),
        # Not the thread's subject: another hospital's beds.
        ("第二人民医院新院区", "床位", "潍城区中医院新院区总投资7.6亿元，设置床位500张。", False),
        # The subject without the detail.
        ("第二人民医院新院区", "床位", "奎文区第二人民医院新院区主体结构已于9月中旬封顶。", False),
        # No thread subject to hold it to.
        ("", "床位", "设置床位600张。", False),
    ],
)
def test_a_detail_named_with_the_thread_subject_elsewhere(
    head: str, unpublished: str, passage: str, named: bool
) -> None:
    resolved = Resolved("第二人民医院新院区有多少张床位？", "carry", "……", unpublished, head)
    assert names_the_unpublished(resolved, passage) is named
    assert not names_the_unpublished(Resolved("有多少张床位？", "carry", "……", None, head), passage)


def test_a_longer_question_on_the_same_document_keeps_its_words() -> None:
    resolved = resolve("摄影和太极拳的新学员学费是多少？", after(("老年大学秋季学期开设几门课程？", "uni")), DOCS)
    assert resolved.text == "摄影和太极拳的新学员学费是多少？" and resolved.how == "same"


def test_a_question_on_the_same_document_keeps_the_area_of_the_thread() -> None:
    resolved = resolve(
        "嵌入式养老服务驿站建几处？", after(("潍州路街道新建几处社区智慧养老服务站？", "seed")), SEED_DOCS
    )
    assert resolved.text == "潍州路街道嵌入式养老服务驿站建几处？" and resolved.how == "same"


def test_only_the_answer_s_own_document_counts_not_the_others_cited_beside_it() -> None:
    history = [Turn("老年大学秋季学期开设几门课程？", "……", ("uni", "fair"))]
    assert resolve("春风行动招聘会提供多少个岗位？", history, DOCS).how == "alone"


def test_only_the_last_six_turns_are_read() -> None:
    history = after(("春风行动招聘会在哪里举办？", "fair"), *[("老年大学秋季学期开设几门课程？", "uni")] * 6)
    assert resolve("几点开始？", history, DOCS).text == "老年大学秋季学期几点开始？"


# A few documents, each titled on its first line, for what the corpus's other documents say about a word.
NOTICES = {
    "school": "义务教育招生入学政策问答\n随迁子女：父母在本区连续缴纳社会保险满1年的，可以申请入学。报名计划另行公布。",
    "beds": "诸城市养老服务工作通报\n上半年新增家庭养老床位300张。全年新增500张。",
    "clinic": (
        "东关街道社区卫生服务中心接种安排\n10月10日起接种流感疫苗。三价流感疫苗每剂58元。"
        "年满70周岁的老年人可免费接种三价流感疫苗。四价流感疫苗每剂128元。"
    ),
    "measures": (
        "奎文区出台十项措施助力小微企业纾困发展\n减免房屋租金3个月。按每名职工500元发放一次性留工培训补助。"
        "《措施》有效期至2022年12月31日。"
    ),
    "insurance": (
        "关于做好城乡居民基本医疗保险参保缴费工作的通告\n低保对象按一档标准资助280元，个人只需缴纳100元；"
        "三、四级残疾人个人缴费每人定额资助180元。居民医保计划按年度缴费。"
    ),
    "stations": "潍州路街道养老服务设施计划\n增加3处社区智慧养老服务站，配套建设15至20处嵌入式养老服务驿站。",
    "uni": UNIVERSITY,
    "parks": "重点项目建设进展\n2021年保险峰汇产业园实现税收1.12亿元，园区入驻企业42家。计划年底完工。",
    "campus": "重点项目进展通报\n实验小学东校区已于8月25日竣工，9月1日如期开学，首批招收学生1100名。",
}
CORPUS = FoldedTexts({doc: fold(text) for doc, text in NOTICES.items()})


@pytest.mark.parametrize(
    ("history", "question", "expected"),
    [
        # A word short for one the document uses (社保: 社会保险) is on the document: the subject is carried.
        ([("非本区户籍的随迁子女怎样入学？", "school")], "社保要交满多久？", "本区户籍的随迁子女社保要交满多久？"),
        # Words of its own that no other single document is about (计划 is in most): still a follow-up.
        (
            [("诸城市家庭养老床位上半年新增多少张？", "beds")],
            "全年计划新增多少张？",
            "诸城市家庭养老床位全年计划新增多少张？",
        ),
        # The subject leaves out what was asked (税收多少) and the year that went with it.
        ([("保险峰汇产业园2021年税收多少？", "parks")], "入驻了多少家企业？", "保险峰汇产业园入驻了多少家企业？"),
        # A time of the follow-up's own replaces the subject's (全年, not 上半年).
        ([("诸城市上半年城镇新增就业多少人？", "beds")], "全年目标是多少？", "诸城市城镇新增全年目标是多少？"),
        # A year that bounds the subject stays in it.
        ([("大虞街道2021年有多少个重点项目？", None)], "总投资多少？", "大虞街道2021年总投资多少？"),
        # ... and takes the compound noun after "when" (接种流感疫苗).
        (
            [("东关街道社区卫生服务中心什么时候开始接种流感疫苗？", "clinic")],
            "老人可以免费打吗？",
            "东关街道社区卫生服务中心流感疫苗老人可以免费打吗？",
        ),
        # A question of its own on the same document gives the thread its subject: 这个补助 is the last one named.
        (
            [("小微企业房租最多减免几个月？", "measures"), ("留工培训补助每人多少钱？", "measures")],
            "这个补助去哪个窗口申请？",
            "留工培训补助去哪个窗口申请？",
        ),
        # A noun naming the kind of thing the subject is (园区 for 产业园) is the subject again, written once...
        ([("保险峰汇产业园2021年税收多少？", "parks")], "园区的租金是多少？", "保险峰汇产业园的租金是多少？"),
        # ... but not one that merely starts like the subject's last word ends (学费 after 学期).
        ([("老年大学秋季学期开设几门课程？", "uni")], "学费怎么交？", "老年大学秋季学期学费怎么交？"),
        # ... nor a charge that starts like it (学费 after 开学): what the follow-up asks for, kept.
        ([("实验小学东校区开学了吗？", "campus")], "学费多少？", "实验小学东校区开学学费多少？"),
        # A pronoun's noun that the subject lacks but the document's title has: the title's words for it.
        ([("小微企业房租最多减免几个月？", "measures")], "这些措施有效期到什么时候？", "十项措施有效期到什么时候？"),
        # A pronoun's noun that is the kind of thing a subject word is (学校 for 老年大学): the subject that far.
        ([("老年大学秋季学期开设几门课程？", "uni")], "这个学校的校长是谁？", "老年大学的校长是谁？"),
        # 那X呢: X takes the place of the likest run of subject words...
        (
            [("潍州路街道要增加几处社区智慧养老服务站？", "stations")],
            "嵌入式养老服务驿站呢？",
            "潍州路街道要增加几处嵌入式养老服务驿站？",
        ),
        # ... or of the first subject word, keeping the document's topic (居民医保, as its title spells it out).
        (
            [("低保对象参加居民医保个人要交多少？", "insurance")],
            "那三级残疾人呢？",
            "三级残疾人参加居民医保个人要交多少？",
        ),
    ],
)
def test_follow_up_resolved_with_the_corpus(
    history: list[tuple[str, str | None]], question: str, expected: str
) -> None:
    resolved = resolve(question, after(*history), CORPUS)
    assert resolved.text == expected
    assert resolved.how in ("carry", "replace")


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("老年大学秋季学期开设几门课程？", "老年大学秋季学期"),  # not what was asked (开设几门)
        ("保险峰汇产业园2021年税收多少？", "保险峰汇产业园"),  # nor the year that went with it
        ("东风东街停水期间哪条路要封闭？", "东风东街停水期间"),  # nor a question word jieba glued (哪条)
        ("东关街道社区卫生服务中心什么时候开始接种流感疫苗？", "东关街道社区卫生服务中心流感疫苗"),
        # How the asked figure is meant (planned, so far) goes with what was asked, and the year then with it...
        ("潍州金谷等4个龙头项目计划总投资多少？", "潍州金谷等4个龙头项目"),
        ("诸城市家庭养老床位上半年累计新增多少张？", "诸城市家庭养老床位"),
        # ... but a year that bounds the subject stays, and a plan not asked a figure of is not cut.
        ("2021年潍州金谷等4个龙头项目计划总投资多少？", "2021年潍州金谷等4个龙头项目"),
        ("潍州金谷项目计划什么时候竣工？", "潍州金谷项目计划"),
        # The verb of what was asked goes with it after 了 as after 的, and 啥 asks as 什么 does...
        ("坊子区背街小巷新装了多少盏路灯", "坊子区背街小巷"),
        ("北苑街道理清了什么发展思路？", "北苑街道"),
        ("背街小巷人行道换成啥砖", "背街小巷人行道"),
        # ... but 啥时候 asks when, after the subject, as 什么时候 does.
        ("梨园社区议事厅啥时候开会", "梨园社区议事厅"),
        # A street's 街/路, which jieba cuts off as a word of its own, is part of its name...
        ("胜利街这次为啥停水？", "胜利街"),
        ("文化路为啥封路？", "文化路"),
        # ... not the start of a word jieba keeps whole, nor a name it never cut.
        ("胜利路口几点停水？", "胜利路口"),
        ("胜利街道几点停水？", "胜利街道"),
        ("新华路怎么走？", "新华路"),
    ],
)
def test_the_subject_a_question_gives_its_follow_ups(question: str, subject: str) -> None:
    analysed = analyse(question)
    assert head_of(analysed, subject_terms(analysed)) == subject


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # "Also" asks what was said of the thread's subject for someone else, whose words no document uses...
        ("低保户也要交钱吗？", "春风行动招聘会低保户也要交钱吗？"),
        # ... not when a word of it is what another document is about ("太极拳"), nor in 也许 ("maybe").
        ("太极拳也要交钱吗？", "太极拳也要交钱吗？"),
        ("也许明天开始？", "也许明天开始？"),
    ],
)
def test_also_asks_about_the_threads_subject(question: str, expected: str) -> None:
    assert resolve(question, after(("春风行动招聘会在哪里举办？", "fair")), DOCS).text == expected


def test_a_word_one_other_document_is_about_starts_a_new_topic() -> None:
    # 四价 is on the clinic's notice only: the question is about that, not the beds it follows.
    resolved = resolve("四价的多少钱？", after(("诸城市家庭养老床位上半年新增多少张？", "beds")), CORPUS)
    assert resolved.how == "alone" and resolved.text == "四价的多少钱？"
    # The same words after a question on the clinic's notice are a follow-up.
    follow = resolve("四价的多少钱？", after(("东关街道社区卫生服务中心什么时候开始接种流感疫苗？", "clinic")), CORPUS)
    assert follow.how == "carry" and follow.text.startswith("东关街道社区卫生服务中心")


def test_a_verb_another_document_uses_names_no_topic_of_its_own() -> None:
    notices = FoldedTexts(
        {
            "training": fold("高素质农民培训通知\n培训地点设在南苑路1588号，学员免交培训费。\n"),
            "school": fold("课后服务通知\n课后服务于每个上课日下午放学后开始。\n"),
            "fitness": fold("全民健身月活动\n区体育中心每周二免费提供体质监测。\n"),
        }
    )
    # 上课 is on the school notice only, but a verb says what is done, not which thing: a follow-up.
    resolved = resolve("每天几点上课？", after(("高素质农民培训在哪里？", "training")), notices)
    assert resolved.how == "carry" and resolved.text == "高素质农民培训每天几点上课？"
    # After a turn answered from no document there is no thread to do it in: a question of its own.
    assert resolve("每天几点上课？", after(("高素质农民培训在哪里？", None)), notices).how == "alone"
    # A noun one other document is about still starts a new topic.
    assert resolve("体质几点？", after(("高素质农民培训在哪里？", "training")), notices).how == "alone"


def test_whether_there_is_a_thing_is_asked_of_the_thread() -> None:
    garage = FoldedTexts(
        {
            "clinic": fold("东关街道社区卫生服务中心门诊安排\n门诊时间8:00—17:00。\n"),
            "garage": fold("鸢飞路立体停车楼公告\n停车场共6层。\n"),
            "park": fold("口袋公园建设\n新建口袋公园12处。\n"),
        }
    )
    history = after(("东关街道社区卫生服务中心在哪？", "clinic"))
    # 停车场 is the car park notice's word, but "有停车场吗？" says nothing before 有: it asks about the clinic, whose
    # notice never names one.
    resolved = resolve("有停车场吗？", history, garage)
    assert resolved.text == "东关街道社区卫生服务中心有停车场吗？" and resolved.unpublished == "停车场"
    # A question that names where ("哪里有") is its own, as is one asking which ("有哪些…").
    assert resolve("哪里有停车场？", history, garage).how == "alone"
    assert resolve("有哪些停车场？", history, garage).how == "alone"


def test_a_word_few_documents_use_names_a_topic() -> None:
    assert CORPUS.spread("计划") == Spread(4, 9)  # school, insurance, stations, parks
    assert not CORPUS.spread("计划").names_a_topic
    assert CORPUS.spread("四价") == Spread(1, 9) and CORPUS.spread("四价").names_a_topic
    assert CORPUS.spread("坐车") == Spread(0, 9) and not CORPUS.spread("坐车").names_a_topic
    # In a corpus of a few documents, a word one of them uses still names it.
    assert Spread(1, 3).names_a_topic and not Spread(2, 3).names_a_topic


ALLOWANCE = FoldedTexts(
    {
        **CORPUS.texts,
        "allowance": fold(
            "高龄津贴政策问答\n由老年人本人到社区居委会提出申请，区民政局审批。需带身份证、户口簿。"
            "问：多长时间能审批下来？答：5个工作日。"
        ),
    }
)


@pytest.mark.parametrize(
    ("history", "question", "expected"),
    [
        # A question that asked where to do something: its follow-up without a verb asks about doing that.
        ([("高龄津贴到哪里申请？", "allowance")], "要带什么材料？", "高龄津贴申请要带什么材料？"),
        # ... and its follow-ups after that too, when the follow-up before was declined (no document).
        (
            [("高龄津贴到哪里申请？", "allowance"), ("要带什么材料？", None)],
            "多久能批下来？",
            "高龄津贴申请多久能批下来？",
        ),
        # Not a verb inside the question: that one asked about the insurance, not about joining it.
        ([("新生儿怎么参加居民医保？", "insurance")], "有等待期吗？", "新生儿有等待期吗？"),
        # Nor when the subject names what is done already (签约).
        ([("家庭医生签约在哪里办理？", None)], "要收费吗？", "家庭医生签约要收费吗？"),
        # Nor when the follow-up has a verb of its own.
        ([("高龄津贴到哪里申请？", "allowance")], "怎么办理？", "高龄津贴怎么办理？"),
    ],
)
def test_the_action_asked_about_is_carried_with_the_subject(
    history: list[tuple[str, str | None]], question: str, expected: str
) -> None:
    resolved = resolve(question, after(*history), ALLOWANCE)
    assert resolved.text == expected and resolved.how == "carry"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # A follow-up asking a time again asks about the event whose day was asked...
        ("几点开始？", "防空警报试鸣几点开始？"),
        # ... one asking anything else is about the subject, not the event.
        ("要躲起来吗？", "防空警报要躲起来吗？"),
        ("持续多长时间？", "防空警报持续多长时间？"),
        # ... and one naming a thing of its own asks when that happens.
        ("演练时间是什么时候？", "防空警报演练时间是什么时候？"),
        # ... or of an event of its own ("到账", not the 试鸣 asked before).
        ("钱什么时候到账？", "防空警报钱什么时候到账？"),
        # An event that only says when ("开始") is the time asked again.
        ("什么时候开始？", "防空警报试鸣什么时候开始？"),
    ],
)
def test_the_event_whose_day_was_asked_goes_with_a_time_asked_again(question: str, expected: str) -> None:
    notice = "关于防空警报试鸣的通告\n定于9月18日试鸣，试鸣时间10:00至10:23，学校同时开展演练。\n"
    sirens = FoldedTexts({"sirens": fold(notice)})
    assert resolve(question, after(("防空警报哪天试鸣？", "sirens")), sirens).text == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # A time asked after a question on why something happens asks about that event...
        ("停到几点？", "胜利街停水停到几点？"),
        ("几点开始？", "胜利街停水几点开始？"),
        # ... anything else is asked of the subject alone (or, naming a thing the notice does, alone).
        ("要提前储水吗？", "要提前储水吗？"),
        ("停多久？", "胜利街停多久？"),
    ],
)
def test_the_event_whose_cause_was_asked_goes_with_a_time_asked_after_it(question: str, expected: str) -> None:
    notice = "停水通知\n停水原因：胜利街供水管道维修。停水时间：8月12日22:00至8月13日6:00，届时恢复供水。\n"
    water = FoldedTexts({"water": fold(notice)})
    assert resolve(question, after(("胜利街这次为啥停水？", "water")), water).text == expected


def test_a_declined_follow_up_keeps_its_thread_s_document() -> None:
    # 批下来 is in the allowance notice only: after a declined follow-up it is still that notice's word...
    history = after(("高龄津贴到哪里申请？", "allowance"), ("要带什么材料？", None))
    assert resolve("多久能批下来？", history, ALLOWANCE).how == "carry"
    # ... but a declined question that started a new topic has no document to lend its follow-up.
    history = after(("老年大学秋季学期开设几门课程？", "uni"), ("高龄津贴到哪里申请？", None))
    assert resolve("多久能批下来？", history, ALLOWANCE).how == "alone"


def test_a_word_of_another_document_by_chance_does_not_start_a_new_topic() -> None:
    canteens = FoldedTexts(
        {
            "canteen": fold("社区食堂运营公告\n午餐10:30供应。可预约送餐上门，每份加收配送费2元。"),
            "care": fold("居家养老服务问答\n助餐：送餐上门。助洁：上门打扫卫生。"),
            "plan": fold("养老工作通知\n要加强动态管理。"),
        }
    )
    # 要加 is only in another notice's 要加强; 送餐 and 上门 are in the canteen's: a follow-up on the canteen.
    resolved = resolve("送餐上门要加钱吗？", after(("社区食堂午餐多少钱？", "canteen")), canteens)
    assert resolved.text == "社区食堂送餐上门要加钱吗？" and resolved.how == "carry"
    # A document that holds more of the question's words than the previous answer's is what it is about.
    assert resolve("助洁要上门打扫卫生吗？", after(("社区食堂午餐几点供应？", "canteen")), canteens).how == "alone"


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("Where is the Spring Breeze job fair held?", "the Spring Breeze job fair"),  # not the verb asked about
        (
            "How much is the quadrivalent flu vaccine at the Dongguan community health centre?",
            "the quadrivalent flu vaccine at the Dongguan community health centre",
        ),
        # A charge is what was asked of the place it is charged at, as a payment period is of its scheme...
        ("How much is the idle fee at public charging stations?", "the public charging stations"),
        ("What is the entrance fee for the Folk Culture Park?", "the Folk Culture Park"),
        # ... not a charge in an area, nor a charge named alone.
        ("How much is the bus fare in Kuiwen?", "the bus fare in Kuiwen"),
        ("How much is the fee?", "the fee"),
        # Not what was asked of it (the payment period), nor a time that bounds it.
        ("When is the payment period for the 2023 resident medical insurance?", "the 2023 resident medical insurance"),
        ("How many eldercare workers did Zhucheng train in the first half of the year?", ""),
        ("When will bus route 19 return to its original route?", ""),
        # The phrase ends before the question's own verbs.
        ("When does the W6 bus start running?", "the W6 bus"),
        ("When will the Weizhou Jingu project be completed?", "the Weizhou Jingu project"),
        # After "does" the phrase is what does it: its last word is the question's verb...
        ("How much does the tai chi class cost?", "the tai chi class"),
        ("How many jobs does the Spring Breeze job fair offer?", "the Spring Breeze job fair"),
        # ... not after "can I": there the phrase is what is done to.
        ("Where can I buy the bus card?", "the bus card"),
        # What was asked before the auxiliary ("of the price") is not the subject; the phrase after it is.
        ("How much of the price does the farm machinery subsidy cover?", "the farm machinery subsidy"),
        ("Which part of the cost will the district subsidy pay?", "the district subsidy"),
        # An auxiliary before no "the" leaves the first phrase as it was.
        ("Where can I see the bus timetable?", "the bus timetable"),
        # What follows "per" is the unit of the figure asked, not part of the thing...
        ("How much is the summer heat allowance per month?", "the summer heat allowance"),
        ("How much is the fee per square metre?", "the fee"),
        # ... and a time the phrase names is still no phrase of its own.
        ("How much is paid in the first month?", ""),
    ],
)
def test_the_phrase_an_english_question_is_about(question: str, subject: str) -> None:
    assert english_subject(question) == subject


@pytest.mark.parametrize(
    ("previous", "question", "expected"),
    [
        # The phrase where the pronoun was, or after the question.
        (
            "How much is the quadrivalent flu vaccine at the Dongguan community health centre?",
            "When can I get it?",
            "When can I get the quadrivalent flu vaccine at the Dongguan community health centre?",
        ),
        (
            "Where is the Spring Breeze job fair held?",
            "What should I bring?",
            "What should I bring for the Spring Breeze job fair?",
        ),
        (
            "When is the payment period for the 2023 resident medical insurance?",
            "How much do students pay?",
            "How much do students pay for the 2023 resident medical insurance?",
        ),
        # "What about X" with a question of its own after it: that question, asked of X.
        (
            "Is there a subsidy for buying a new mobile phone?",
            "What about air conditioners, how many can I get subsidised?",
            "How many air conditioners can I get subsidised?",
        ),
        (
            "When does the Kuiwen library open?",
            "What about the city museum, when does it close?",
            "When does the city museum close?",
        ),
        # ... without a count's gap or a pronoun for X, X goes with the previous question as before.
        (
            "What is the fare for the W6 bus?",
            "What about route 19, is the fare the same?",
            "What is the fare for route 19, is the fare the same?",
        ),
        # A name compared: the same question about its own.
        (
            "How much is the longevity allowance for people aged 100 and over?",
            "What about Hanting?",
            "How much is Hanting's longevity allowance for people aged 100 and over?",
        ),
        # Another thing named with "the": it takes the phrase's place.
        (
            "What is the total investment of the Weizhou Jingu project?",
            "What about the Nanxiahe market?",
            "What is the total investment of the Nanxiahe market?",
        ),
        # Another numbered thing for the numbered phrase; another group of people for the group.
        ("What is the fare for the W6 bus?", "What about route 19?", "What is the fare for route 19?"),
        (
            "How much do adults pay for the resident medical insurance?",
            "And students?",
            "How much do students pay for the resident medical insurance?",
        ),
        # "there" is at the place, unless a preposition says how; a word the glossary gives several Chinese words
        # for ("open") is still one word of the follow-up's own.
        (
            "Where is the Yuanfei Road parking garage?",
            "Can I charge my car there?",
            "Can I charge my car at the Yuanfei Road parking garage?",
        ),
        (
            "Where is the Spring Breeze job fair held?",
            "Which buses go from there?",
            "Which buses go from the Spring Breeze job fair?",
        ),
        (
            "Where is the Yuanfei Road parking garage?",
            "Is it open at night?",
            "Is the Yuanfei Road parking garage open at night?",
        ),
    ],
)
def test_an_english_follow_up_takes_the_previous_subject_phrase(previous: str, question: str, expected: str) -> None:
    # The previous answer's document holds what the follow-up names (学生, for "students").
    documents = FoldedTexts({"notice": fold("城乡居民医保缴费通告\n在校学生每人每年380元。")})
    assert resolve(question, after((previous, "notice")), documents).text == expected


@pytest.mark.parametrize(
    ("previous", "question", "expected"),
    [
        # A Chinese "X呢" after an English question: X goes with the same question, not spliced into its words.
        (
            "What are the opening hours of Yuhe Ecological Park in summer?",
            "冬天呢？",
            "What are the opening hours of Yuhe Ecological Park in summer (冬天)?",
        ),
        ("What is the fare for the W6 bus?", "那19路呢？", "What is the fare for the W6 bus (19路)?"),
        # After a Chinese question the comparison is made in its words as before.
        ("老年人体检什么时候开始？", "那坊子区呢？", "坊子区老年人体检什么时候开始？"),
    ],
)
def test_a_chinese_comparison_after_an_english_question_keeps_its_words(
    previous: str, question: str, expected: str
) -> None:
    documents = FoldedTexts({"notice": fold("虞河生态公园开园公告\n11月至次年3月每天6:30—21:00。")})
    assert resolve(question, after((previous, "notice")), documents).text == expected


def test_an_english_thread_keeps_the_phrase_it_started_with() -> None:
    documents = FoldedTexts({"project": fold("潍州金谷项目位于奎文区，总投资30亿元，计划2023年竣工。")})
    history = after(("Where is the Weizhou Jingu project located?", "project"), ("How much does it cost?", "project"))
    resolved = resolve("When will it be completed?", history, documents)
    # Not "the Weizhou Jingu project cost", the phrase of the question before.
    assert resolved.text == "When will the Weizhou Jingu project be completed?"


@pytest.mark.parametrize(
    ("previous", "question", "expected"),
    [
        # "Them" are what was counted: Zhucheng's, when the name did it, not a heap of the question's words.
        (
            "How many eldercare workers did Zhucheng train in the first half of the year?",
            "How many of them got certificates?",
            "How many of Zhucheng's eldercare workers got certificates?",
        ),
        # ... with where they are.
        (
            "How many beds are there in the care home?",
            "How many of them are free?",
            "How many of the beds in the care home are free?",
        ),
    ],
)
def test_an_english_plural_pronoun_is_what_was_counted(previous: str, question: str, expected: str) -> None:
    documents = FoldedTexts(
        {"care": fold("诸城市上半年培训养老护理员420人，其中312人取得证书；养老院床位200张，其中残疾人床位20张。")}
    )
    assert resolve(question, after((previous, "care")), documents).text == expected


def test_an_english_thread_goes_on_with_the_thing_compared() -> None:
    documents = FoldedTexts({"bus": fold("W6路票价1元，首班6:30。19路首班6:00。")})
    history = after(("What is the fare for the W6 bus?", "bus"), ("What about route 19?", "bus"))
    assert resolve("When does it start?", history, documents).text == "When does route 19 start?"


def test_there_in_is_there_points_at_nothing() -> None:
    history = after(("Where is the Spring Breeze job fair held?", "fair"))
    assert not resolve("Is there parking?", history, DOCS).text.startswith("Is the Spring Breeze")
    # "there" as a place does point back.
    assert "the Spring Breeze job fair" in resolve("How do I get there?", history, DOCS).text


def test_a_subject_word_the_question_asks_something_of_is_not_replaced() -> None:
    # "停水" ends the question as what is asked of the streets, not as a thing: the subject goes first.
    docs = FoldedTexts({"water": fold("东风东街停水期间，福寿里等小区停水。")})
    resolved = resolve("哪些小区停水？", after(("东风东街停水是哪天？", "water")), docs)
    assert resolved.text.startswith("东风东街停水")


# An allowance notice that says it is still paid to those living elsewhere.
ALLOWANCE_ABROAD = "高龄津贴由区民政局审批，每月发放。老人在外地居住的，仍能领取津贴，每年须认证一次。"
ALLOWANCE_DOCS = FoldedTexts({"allowance": fold(ALLOWANCE_ABROAD)})


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # Its own words are all in the document, but what is received is left out: the thread's subject.
        ("老人在外地住还能领吗？", "老人在外地住还能领高龄津贴吗？"),
        ("老人在外地住還能領嗎？", "老人在外地住還能領高齡津貼嗎？"),
        # The verb has its object.
        ("老人在外地住还能领津贴吗？", "老人在外地住还能领津贴吗？"),
    ],
)
def test_a_verb_without_its_object_gets_the_threads_subject(question: str, expected: str) -> None:
    resolved = resolve(question, after(("高龄津贴每月发多少？", "allowance")), ALLOWANCE_DOCS)
    assert resolved.how == "same"
    assert resolved.text == expected


SUBSIDY_DOCS = FoldedTexts(
    {
        "subsidy": fold(
            "关于2023年度城乡居民基本医疗保险参保资助的通知\n"
            "低保对象个人只需缴纳100元。三、四级残疾人每人定额资助180元。特困人员全额资助。"
        )
    }
)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # X names its own group of people: the replaced word's 对象 goes with it.
        ("那三级残疾人呢？", "三级残疾人参加居民医保要交多少？"),
        ("那特困人员呢？", "特困人员参加居民医保要交多少？"),
        # X only says which: the group word stays.
        ("那残疾呢？", "残疾对象参加居民医保要交多少？"),
    ],
)
def test_a_group_of_people_compared_replaces_the_group_whole(question: str, expected: str) -> None:
    resolved = resolve(question, after(("低保对象参加居民医保个人要交多少？", "subsidy")), SUBSIDY_DOCS)
    assert resolved.text == expected


@pytest.mark.parametrize(
    ("question", "head"),
    [
        # What was asked of it ("how old") and a time of the week it was asked for are not the subject.
        ("老年大学招收多大年龄的学员？", "老年大学"),
        ("东关街道社区卫生服务中心周末开门吗？", "东关街道社区卫生服务中心"),
        # "几点", "几时", "几号" ask when, after the subject: the word before them is not what was asked...
        ("东关街道社区卫生服务中心几点开门？", "东关街道社区卫生服务中心"),
        ("社区食堂午餐几点供应？", "社区食堂午餐"),
        # ... as "几门" asks what (above): 开设 went with it.
        # Before a count, words that name no thing (a verb, the whole area): the thing counted is the subject...
        ("今年要建几个口袋公园？", "口袋公园"),
        ("今年改造多少座公厕？", "公厕"),
        ("全区有多少盏路灯？", "全区路灯"),
        # ... also after the verb taken off as what was asked, when only the whole area or a time is before it; the
        # noun runs on over the characters jieba cut off alone (健身 + 步 + 道).
        ("全区建成了多少处健身步道？", "全区健身步道"),
        ("本市新增了多少家企业？", "本市企业"),
        # ... but not after a subject that names a thing, nor when the count does not follow it.
        ("坊子区背街小巷新装了多少盏路灯", "坊子区背街小巷"),
        ("老年大学秋季学期开设几门课程？", "老年大学秋季学期"),
        ("诸城市上半年新建了几处社区智慧养老服务站？", "诸城市"),
        ("诸城市新增了多少家企业？", "诸城市"),
        # One character jieba cut off between the subject and what was asked ends the subject's noun ("园")...
        ("国庆期间民俗文化园门票多少钱？", "国庆期间民俗文化园"),
        # ... but a 的 joining them belongs to neither, nor a character that goes with what was asked.
        ("社区食堂的午餐多少钱？", "社区食堂"),
        ("潍州金谷总投资多少？", "潍州金谷"),
        ("小微企业房租能减免几个月？", "小微企业房租"),
        # A year between an area and its subject joins them; another word between them does not.
        ("坊子区今年老人体检新加了什么项目？", "坊子区今年老人体检"),
        ("坊子区这次老人体检新加了什么项目？", "坊子区"),
        # A spoken "那个" between a place and the facility in it joins them, and is left out of the subject...
        ("潍坊商场那个不动产服务点能办什么？", "潍坊商场不动产服务点"),
        ("东关街道那家社区食堂几点开门？", "东关街道社区食堂"),
        # ... and a "can" jieba joined to the noun before it starts what is asked ("服务点能办": 点能).
        ("潍坊商场不动产服务点能办什么？", "潍坊商场不动产服务点"),
        # A circumstance the question opens with is not its subject: the thing named after it is...
        ("土地流轉了，種糧補貼給誰？", "種糧補貼"),
        ("房子卖了，公积金怎么提取？", "公积金"),
        ("老人卧床去不了派出所怎么办身份证？", "身份证"),
        # ... unless nothing is named after it, or only what is done ("补办"), or nothing separates it.
        ("网购的衣服不想要了，几天内可以退？", "网购的衣服"),
        ("身份证丢了，怎么补办？", "身份证"),
        ("本人去不了怎么办？", "本人去不了"),
        ("下雪了商户门口谁扫？", "下雪了商户门口"),
    ],
)
def test_the_subject_a_question_starts_with(question: str, head: str) -> None:
    analysed = analyse(question)
    assert head_of(analysed, subject_terms(analysed)) == head


def test_another_item_of_the_documents_list_replaces_its_sibling() -> None:
    courses = FoldedTexts({"uni": fold("老年大学秋季课程\n1．书法（楷书）：周一上午\n2．葫芦丝：周四下午\n")})
    history = after(("老年大学书法课在哪天上？", "uni"))
    assert resolve("那葫芦丝呢？", history, courses).text == "老年大学葫芦丝课在哪天上？"
    # "If it is X" compares X.
    assert resolve("那如果是葫芦丝呢？", history, courses).text == "老年大学葫芦丝课在哪天上？"


TABLES = FoldedTexts(
    {
        "school": fold(
            "课后服务通知\n学段 | 结束时间\n小学 | 17:30\n初中 | 18:00\n每生每学期收费300元。\n"
            "学校 | 开放时间\n潍州路学校 | 工作日\n北海学校 | 周六\n"
        )
    }
)


@pytest.mark.parametrize(
    ("previous", "question", "expected"),
    [
        # X names another row of the document's table: it replaces the row the question named.
        ("小学课后服务几点结束？", "那初中呢？", "初中课后服务几点结束？"),
        ("潍州路学校的篮球场什么时候开放？", "那北海学校呢？", "北海学校的篮球场什么时候开放？"),
    ],
)
def test_another_row_of_the_documents_table_replaces_its_sibling(previous: str, question: str, expected: str) -> None:
    assert resolve(question, after((previous, "school")), TABLES).text == expected


@pytest.mark.parametrize(
    ("previous", "question", "not_expected"),
    [
        # A row's name inside a word of the question ("小学" of "中小学") is not that row...
        ("中小学课后服务几点结束？", "那初中呢？", "中初中课后服务几点结束？"),
        # ... and a table's header ("学校") is no row.
        ("学校的篮球场什么时候开放？", "那北海学校呢？", "北海学校的篮球场什么时候开放？"),
    ],
)
def test_what_is_no_row_of_the_table_is_not_replaced_as_one(previous: str, question: str, not_expected: str) -> None:
    assert resolve(question, after((previous, "school")), TABLES).text != not_expected


def test_another_kind_compared_replaces_a_whole_word_only() -> None:
    # 北海学校 ends like 潍州路学校, but 州路 is no word of the question: the comparison does not cut 潍州路.
    resolved = resolve("那北海学校呢？", after(("潍州路学校的篮球场什么时候开放？", None)), DOCS)
    assert "潍北海" not in resolved.text


def test_two_characters_compared_swap_only_a_whole_word() -> None:
    # 新生 is no word of "新生儿…" (jieba keeps 新生儿 whole): 学生 does not make it 学生儿.
    assert "学生儿" not in resolve("学生呢？", after(("新生儿怎么参加居民医保？", None)), DOCS).text


def test_a_list_item_named_as_several_words_is_the_sibling_replaced() -> None:
    # jieba cuts 人民调解室 into 人民调解 + 室: the item is found as written in the question, not word by word.
    hall = FoldedTexts(
        {"hall": fold("便民服务大厅办事指南\n一、人民调解室\n地点：二楼201室\n二、消费维权联络点\n地点：一楼3号窗口\n")}
    )
    history = after(("梨园街道便民服务大厅人民调解室在几楼？", "hall"))
    assert resolve("那消费维权联络点呢？", history, hall).text == "梨园街道便民服务大厅消费维权联络点在几楼？"
    assert (
        resolve("那消费维权联络点呢？", after(("人民调解室几点开门？", "hall")), hall).text
        == "消费维权联络点几点开门？"
    )
    # X that is no item of the list does not replace one.
    assert (
        resolve("那一楼呢？", after(("二楼的人民调解室几点开门？", "hall")), hall).text == "一楼的人民调解室几点开门？"
    )


# Documents with headings: a prospectus's numbered sections and list items, a FAQ's questions, a notice's sections.
HEADED = FoldedTexts(
    {
        "uni": fold(
            "奎文区老年大学秋季学期招生简章\n二、开设课程及学费\n1．摄影：周二下午，学费300元/学期\n"
            "2．太极拳：周四上午，学费260元/学期\n四、报名时间和方式\n（一）老学员续报：9月1日至9月2日\n"
            "（二）新学员现场报名：9月5日至9月9日\n"
        ),
        "faq": fold(
            "义务教育学校招生入学政策问答\n问：本区户籍的儿童报名需要准备哪些材料？\n答：需要准备户口簿。\n"
            "问：租房居住的本区户籍家庭怎样报名？\n答：凭住房租赁合同报名。\n"
            "问：各学校的学区范围在哪里查看？\n答：在“奎文教育发布”微信公众号公布。\n"
            "问：录取结果什么时候公布？\n答：7月底前公布。\n"
        ),
        "bus": fold(
            "关于调整公交线路的通知\n一、临时绕行\n19路公交车改经健康街绕行，沿线乘客请注意。\n"
            "二、恢复原线路\n施工结束后于12月1日恢复原线路。\n"
        ),
        "charging": fold("奎文区公共充电站分布及收费标准公告\n充满后超时占位的，收取占位费。充电桩扫码充电。\n"),
        "mediation": fold("奎文区人民调解服务指南\n已经进入诉讼的纠纷不再受理。人民调解不收取任何费用。\n"),
        "checkup": fold("社区卫生服务中心开展老年人免费体检\n65岁以上老年人免费体检，由家庭医生团队负责。\n"),
        "flu": fold("东关街道社区卫生服务中心秋季流感疫苗接种通知\n65岁以上老年人可免费接种。\n"),
        "grain": fold(
            "关于做好2024年耕地地力保护补贴发放工作的通知\n现将耕地地力保护补贴（俗称“种粮补贴”）发放事项通知如下。\n"
            "三、申报与公示\n申报时间：2024年4月15日至5月10日\n"
        ),
    }
)


@pytest.mark.parametrize(
    ("history", "question", "expected"),
    [
        # Own words a list item heads (新学员): the course asked about before is not carried, the school (the title's
        # topic) is.
        (
            [("老年大学的摄影课学费是多少？", "uni"), ("那太极拳呢？", "uni")],
            "新学员什么时候报名？",
            "老年大学新学员什么时候报名？",
        ),
        # Own words a FAQ question heads (学区): the group of people the thread asked for is not carried; what the
        # heading names before them is (各学校), as the subject...
        ([("本区户籍的儿童报名需要准备哪些材料？", "faq")], "学区范围在哪里看？", "各学校学区范围在哪里看？"),
        # ... when it names anything: a heading that starts with them gives none.
        ([("本区户籍的儿童报名需要准备哪些材料？", "faq")], "录取结果在哪里看？", "录取结果在哪里看？"),
        # ... save the words that heading shares with it (本区户籍).
        ([("本区户籍的儿童报名需要准备哪些材料？", "faq")], "租房住的怎么报名？", "本区户籍租房住的怎么报名？"),
        # A route named by its number stays: it is which thing the section is about.
        ([("19路公交车怎么绕行？", "bus")], "什么时候恢复原线路？", "19路公交车什么时候恢复原线路？"),
        # Own words no heading holds (上课): the whole subject is carried, as before.
        ([("老年大学的摄影课学费是多少？", "uni")], "周几上课？", "老年大学的摄影课周几上课？"),
        # Own words the document's title holds as written (充电, 人民调解) name what it is about: the detail or the
        # case asked about before is not carried.
        ([("占位费咋收", "charging")], "充电桩用什么扫码充电", "充电桩用什么扫码充电"),
        ([("已经起诉到法院的纠纷还能找调解委员会吗", "mediation")], "找人民调解要花钱吗", "找人民调解要花钱吗"),
        # ... but not a group of people the title spells otherwise (老人 for its 老年人): the subject is carried.
        (
            [("东关街道社区卫生服务中心什么时候开始接种流感疫苗？", "flu")],
            "老人可以免费打吗？",
            "东关街道社区卫生服务中心流感疫苗老人可以免费打吗？",
        ),
        # Only the words of the subject before the first and after the last of the document's are left out: those
        # between qualify them (以上, 免费).
        (
            [("65岁以上老人免费体检是什么时间？", "checkup")],
            "负责体检的医生叫什么名字？",
            "负责65岁以上老人免费体检的医生叫什么名字？",
        ),
        # The resident's name for the thing, which the notice also uses (its 俗称 种粮补贴), stays whole with the
        # title's word; a word before it the notice does not say with it goes (小麦补贴).
        ([("种粮补贴每亩补多少钱？", "grain")], "什么时候申报？", "种粮补贴什么时候申报？"),
        ([("小麦补贴每亩补多少钱？", "grain")], "什么时候申报？", "补贴什么时候申报？"),
        # A pronoun points at the thread's subject, whatever heading its other words are in.
        (
            [("老年大学的摄影课学费是多少？", "uni")],
            "它的新学员什么时候报名？",
            "老年大学的摄影课的新学员什么时候报名？",
        ),
    ],
)
def test_own_words_a_heading_holds_carry_only_the_documents_topic(
    history: list[tuple[str, str | None]], question: str, expected: str
) -> None:
    assert resolve(question, after(*history), HEADED).text == expected


@pytest.mark.parametrize(
    ("history", "question", "expected"),
    [
        # The previous question's "already" is said once, when its subject starts with it...
        ([("已经起诉到法院的纠纷还能调解吗", "mediation")], "要花钱吗", "已经起诉要花钱吗"),
        # ... and put before a subject that lacks it.
        ([("目前保险峰汇产业园有多少家企业？", None)], "占地多少？", "目前保险峰汇产业园占地多少？"),
    ],
)
def test_the_previous_latest_word_is_carried_once(
    history: list[tuple[str, str | None]], question: str, expected: str
) -> None:
    assert resolve(question, after(*history), HEADED).text == expected


def test_an_area_cut_into_words_stays_when_a_heading_narrows_the_subject() -> None:
    # 代表 and 接待 are the title's words, so only the document's topic and the area are carried; jieba cuts the
    # area (北苑 + 街道), which is kept whole.
    schedule = FoldedTexts(
        {"deputies": fold("人大代表联络站接待选民安排\n5月16日 | 北苑街道人大代表联络站 | 郑春梅\n")}
    )
    history = after(("北苑街道人大代表联络站地址在哪？", "deputies"))
    assert resolve("哪几位代表接待？", history, schedule).text == "北苑街道人大代表联络站哪几位代表接待？"


@pytest.mark.parametrize(
    ("previous", "question", "expected"),
    [
        # The other side of an event: "before" for "after", the event and its subject kept.
        ("污水处理厂扩建后每天能处理多少污水？", "扩建前呢？", "污水处理厂扩建前每天能处理多少污水？"),
        ("背街小巷改造以前路面积水吗？", "改造以后呢？", "背街小巷改造以后路面积水吗？"),
    ],
)
def test_the_other_side_of_an_event_is_compared(previous: str, question: str, expected: str) -> None:
    assert resolve(question, after((previous, None)), DOCS).text == expected


@pytest.mark.parametrize(
    ("previous", "question", "expected"),
    [
        # Another time: in place of the question's own, or after its area (not a subject word replaced).
        ("清明节免费祭扫专线几点发车？", "去年呢？", "去年清明节免费祭扫专线几点发车？"),
        ("诸城市上半年新增就业多少人？", "下半年呢？", "诸城市下半年新增就业多少人？"),
        ("奎文区今年新建几处养老服务站？", "明年呢？", "奎文区明年新建几处养老服务站？"),
        # Another day or time of day: in place of the question's own, or right after its subject.
        ("东关街道社区卫生服务中心几点开门？", "周六呢？", "东关街道社区卫生服务中心周六几点开门？"),
        ("东关街道社区卫生服务中心周六几点开门？", "周日呢？", "东关街道社区卫生服务中心周日几点开门？"),
        # A detail of the same subject, said with what it is of: added to the subject, not replacing a word of it.
        ("老年大学书法课学费多少？", "那上课时间呢？", "老年大学书法课上课时间？"),
        # ... not a group of people (对象 names who, not a detail): that replaces the group.
        ("低保对象参加居民医保个人要交多少？", "那特困人员呢？", "特困人员参加居民医保个人要交多少？"),
        # Another kind of the thing named: X's modifier in place of the question's ("夜间" → "全天")...
        ("鸢飞路立体停车楼夜间月卡多少钱？", "全天月卡呢？", "鸢飞路立体停车楼全天月卡多少钱？"),
        ("金宝公园充电站有几个快充桩？", "慢充桩呢？", "金宝公园充电站有几个慢充桩？"),
        # Two characters, the second shared with a word of the question ("末班" → "首班")...
        ("19路公交车末班几点？", "首班呢？", "19路公交车首班几点？"),
        # "What else" names nothing to compare: the question is asked again.
        ("老年大学书法课学费多少？", "还有呢？", "老年大学书法课学费多少？"),
        # ... not when the characters before the shared ones are no modifier of it ("几门": X goes after them).
        ("老年大学秋季学期开设几门课程？", "那其他课程呢？", "老年大学秋季学期开设几门其他课程？"),
    ],
)
def test_another_time_or_kind_compared(previous: str, question: str, expected: str) -> None:
    assert resolve(question, after((previous, None)), DOCS).text == expected


@pytest.mark.parametrize(
    ("previous", "question", "expected"),
    [
        # A demonstrative with one character the subject ends with (站 of 充电站): the thing, said once...
        ("金宝公园充电站在哪？", "这个站是谁运营的？", "金宝公园充电站是谁运营的？"),
        # ... not a character the subject does not end with.
        ("金宝公园充电站在哪？", "这个点是谁运营的？", "金宝公园充电站点是谁运营的？"),
        # ... nor the first character of a word ("学校" after "…大学"): that is the kind of thing, as before.
        ("老年大学在哪里报名？", "这个学校有午饭吗？", "老年大学有午饭吗？"),
        # "那边", "那天", "这门" point back as "那里", "这个" do ("那天" is the day of it: the subject alone).
        ("老年大学在哪里报名？", "那边几点下班？", "老年大学几点下班？"),
        ("春风行动招聘会在哪？", "那天几点开始？", "春风行动招聘会几点开始？"),
        # ... but "那门口" and "这天气" are no pronouns with a measure word.
        ("春风行动招聘会在哪？", "这天气能去吗？", "春风行动招聘会天气能去吗？"),
        # "One" or "each" with its measure word names nothing: the subject is carried.
        ("寒亭区公益性公墓有多少个墓穴？", "多少钱一个？", "寒亭区公益性公墓多少钱一个？"),
    ],
)
def test_a_thing_said_by_a_character_or_a_count(previous: str, question: str, expected: str) -> None:
    documents = FoldedTexts(
        {
            "stations": fold("公共充电站分布\n金宝公园充电站 | 北海路2088号 | 16个\n"),
            "cemetery": fold("寒亭区公益性公墓建成投用\n建有墓穴8000个，每个不高于3000元。\n"),
            "other": fold("另一个通知\n每一个人都可以参加。\n"),
        }
    )
    doc = "stations" if "充电站" in previous else "cemetery" if "公墓" in previous else "other"
    assert resolve(question, after((previous, doc)), documents).text == expected


@pytest.mark.parametrize(
    ("previous", "expected"),
    [
        # A group of people the question named none of: after its subject, in the case the subject was typed in...
        ("W6路票价多少？", "W6路老年人票价多少？"),
        # ... but one the question named is replaced.
        ("W6路学生票价多少？", "W6路老年人票价多少？"),
    ],
)
def test_a_group_of_people_compared_goes_after_the_subject(previous: str, expected: str) -> None:
    buses = FoldedTexts(
        {"bus": fold("关于开通W6路社区微循环公交的通告\nW6路票价1元，65周岁以上老年人免费，学生半价。\n")}
    )
    assert resolve("老年人呢？", after((previous, "bus")), buses).text == expected


def test_a_group_of_people_compared_replaces_the_one_a_follow_up_asked_about() -> None:
    buses = FoldedTexts(
        {"bus": fold("关于开通W6路社区微循环公交的通告\nW6路票价1元，65周岁以上老年人免费，学生半价。\n")}
    )
    history = after(("W6路票价多少？", "bus"), ("学生要买票吗？", "bus"))
    assert resolve("老年人呢？", history, buses).text == "W6路老年人要买票吗？"
    # A follow-up that asked about no group: the group goes after the subject.
    history = after(("W6路票价多少？", "bus"), ("要买票吗？", "bus"))
    assert resolve("老年人呢？", history, buses).text == "W6路老年人要买票吗？"


def test_a_group_of_people_the_title_names_is_no_other_thing_of_it() -> None:
    # 老年人 is in the clinic notice's title, but a group of people is asked for, not another thing the title names;
    # 卫生 (of 社区卫生) names no people.
    clinic = FoldedTexts(
        {"clinic": fold("东关街道社区卫生服务中心预防接种及老年人健康体检安排\n门诊时间8:00—17:00。\n")}
    )
    history = after(("东关街道社区卫生服务中心几点开门？", "clinic"))
    assert resolve("老年人呢？", history, clinic).text == "东关街道社区卫生服务中心老年人几点开门？"


def test_another_thing_the_title_names_replaces_the_one_asked_about() -> None:
    projects = FoldedTexts(
        {
            "projects": fold(
                "潍州金谷主体封顶 南下河市场一期开业\n潍州金谷总投资30亿元。南下河市场总投资5亿元。配套写字楼2栋。\n"
            )
        }
    )
    history = after(("潍州金谷总投资多少？", "projects"))
    assert resolve("南下河市场呢？", history, projects).text == "南下河市场总投资多少？"
    # A thing the title does not name is compared as before: the title's topic stays.
    assert "潍州金谷" in resolve("那写字楼呢？", history, projects).text


def test_a_side_the_previous_question_does_not_name_is_no_side_swap() -> None:
    # No "after" of 扩建 to swap: X goes in as another comparison would put it, the subject not lost.
    resolved = resolve("扩建前呢？", after(("污水处理厂每天能处理多少污水？", None)), DOCS)
    assert "污水" in resolved.text and "扩建前" in resolved.text


def test_a_modal_word_is_not_a_subject() -> None:
    analysed = analyse("不能到现场的求职者在哪里看岗位？")
    assert "不能" not in subject_terms(analysed)
    # "Must" glued to its verb ("要交") says how, not what; "能源" is a thing.
    assert subject_terms(analyse("要交什么材料？")) == []
    assert "能源" in subject_terms(analyse("能源补贴多少钱？"))
    assert head_of(analysed, subject_terms(analysed)) == "现场的求职者"


@pytest.mark.parametrize(
    ("question", "unpublished"),
    [
        ("这个招聘会的主持人是谁？", "主持人"),  # a role no document names: who holds it is not published
        ("它的物业公司是哪家？", "物业公司"),
        ("这个招聘会的用人单位是哪家？", None),  # a role the document names (用人单位)
        ("主持人几点到？", "主持人"),  # the time of a role the document never names
        ("岗位几点开放？", None),  # a detail of a thing it names
        ("招聘会主任叫什么名字？", "主任"),  # the name of a role it never names
        ("招聘会的简历叫什么名字？", None),  # ... not of a thing it names
        ("这个招聘会的工资谁发？", "工资"),  # who does something about a thing it never names
        ("这个招聘会的岗位谁提供？", None),  # ... not a thing it names
    ],
)
def test_a_who_follow_up_about_a_role_no_document_names(question: str, unpublished: str | None) -> None:
    assert resolve(question, after(("春风行动招聘会在哪里举办？", "fair")), DOCS).unpublished == unpublished


# A fund and a park: the park's notice names a property company and a rent, the fund's names neither.
FUND = "奎文创新引领基金总规模3亿元，由区财政出资设立。"
PARK = "保险峰汇产业园入驻企业42家，由园区物业公司统一管理。"
CANTEEN = "社区食堂午餐10:30开始供应，晚餐17:00开始供应。"
THREAD_DOCS = FoldedTexts(
    {
        "fund": fold(FUND),
        "park": fold(PARK),
        "canteen": fold(CANTEEN),
        "fair": fold(JOB_FAIR),
        "allowance": fold(ALLOWANCE_ABROAD),
    }
)


@pytest.mark.parametrize(
    ("history", "question", "unpublished"),
    [
        # A role another document names but the thread's does not: the thread's document cannot say who holds it.
        (("奎文创新引领基金规模多大？", "fund"), "这个基金的物业公司是哪家？", "物业公司"),
        (("保险峰汇产业园入驻了多少家企业？", "park"), "它的物业公司是哪家？", None),
        # Which one of a kind of thing the thread's document never names ("哪个车队"), though nobody is asked for.
        (("保险峰汇产业园入驻了多少家企业？", "park"), "它的班车是哪个车队的？", "车队"),
        (("保险峰汇产业园入驻了多少家企业？", "park"), "哪家企业规模最大？", None),
        # The noun a detail is asked of, when the thread's document has no word like it.
        (("奎文创新引领基金规模多大？", "fund"), "这个基金的租金是多少？", "租金"),
        # ... not a noun that only says which ("计划"), nor a resident's word for the document's (晚饭 for 晚餐).
        (("奎文创新引领基金规模多大？", "fund"), "全年计划出资多少？", None),
        (("社区食堂午餐几点开始？", "canteen"), "晚饭几点供应？", None),
        # What "who" is asked to do for a resident, when the document never names it (复议), not how to apply.
        (("高龄津贴每月发多少？", "allowance"), "审批不通过可以找谁复议？", "复议"),
        (("高龄津贴每月发多少？", "allowance"), "可以找谁申请？", None),
        (("高龄津贴每月发多少？", "allowance"), "由谁负责？", None),
        # Whether there is a thing the thread's document never names (停车场): not published; one it names is not.
        (("奎文创新引领基金规模多大？", "fund"), "那里有停车场吗？", "停车场"),
        (("保险峰汇产业园入驻了多少家企业？", "park"), "有物业公司吗？", None),
        # A thread whose answer was declined has no document to tell a gap by.
        (("奎文创新引领基金规模多大？", None), "这个基金的物业公司是哪家？", None),
    ],
)
def test_a_follow_up_about_a_thing_the_threads_document_never_names(
    history: tuple[str, str | None], question: str, unpublished: str | None
) -> None:
    resolved = resolve(question, after(history), THREAD_DOCS)
    assert resolved.how in ("carry", "same")
    assert resolved.unpublished == unpublished


@pytest.mark.parametrize(
    ("question", "roles", "details"),
    [
        ("这个招聘会的主持人是谁？", ("主持人",), ()),
        ("它的司机是哪个车队的？", ("车队",), ()),  # which one: 司机 only says whose
        ("园区的租金是多少？", (), ("租金",)),
        ("全年计划新增多少张？", (), ()),  # 计划 is not what the number is of
        ("几点开始？", (), ()),
        # Whether there is a thing: the noun after 有 that ends the question...
        ("那里有停车场吗？", (), ("停车场",)),
        ("有没有停车场？", (), ("停车场",)),
        # ... not one said before more words.
        ("有停车场可以停吗？", (), ()),
        # "What is X called?": X is a role whose holder's name is asked...
        ("农机服务中心主任叫什么名字？", ("主任",), ()),
        ("医生姓什么？", ("医生",), ()),
        ("叫什么名字？", (), ()),
        # ... and before "who", what that one does something about, a verb's noun too ("工资谁发"); not a verb that
        # only says who ("谁负责").
        ("课后服务老师的工资谁发？", ("工资",), ()),
        ("报名谁负责？", ("报名",), ()),
        # What a number counts, named right after its question word: a document that never names it gives no count.
        ("有多少个停车场？", (), ("停车场",)),
        ("寒亭公墓的生态葬位还有多少空位", (), ("空位",)),
        # A noun the question word is part of (末班 of 末班车): what the time is asked of.
        ("祭扫专线回来的末班车几点", (), ("末班车",)),
        # Not a charge's name after a fee question (the fee checks read it), nor a modal jieba tags as a noun
        # after a "when" question (能用 of 能用上).
        ("去人才夜市找工作要先报名吗？收不收门票", (), ()),
        ("骨灰堂什么时候能用上？", (), ("骨灰堂",)),
        ("停车场开放时间是什么", (), ("停车场",)),
    ],
)
def test_the_nouns_a_question_asks_about(question: str, roles: tuple[str, ...], details: tuple[str, ...]) -> None:
    asked = asked_nouns(analyse(question))
    assert (asked.roles, asked.details) == (roles, details)


# ---- through the API (fake model, the small corpus of conftest) ----


def post(client: TestClient, question: str, history: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    reply = client.post("/api/ask", json={"question": question, "history": history or []})
    assert reply.status_code == 200, reply.text
    body: dict[str, Any] = reply.json()
    return body


def turn_of(body: dict[str, Any]) -> dict[str, Any]:
    """A turn of history as the widget builds it from a reply."""
    doc_ids = list(dict.fromkeys(c["doc_id"] for c in body["citations"]))
    return {"question": body["question"], "answer": body["answer"], "doc_ids": doc_ids}


def test_reply_gives_the_resolved_question(client: TestClient) -> None:
    first = post(client, "东关街道春季招聘会提供多少个岗位？")
    assert first["resolved_question"] == first["question"]
    follow = post(client, "要带什么材料？", [turn_of(first)])
    assert follow["question"] == "要带什么材料？"
    assert follow["resolved_question"].endswith("要带什么材料？")
    assert "招聘会" in follow["resolved_question"]


def test_the_service_spread_counts_documents_through_the_index(settings: Settings) -> None:
    assistant = Assistant.open(settings, FakeEmbedder())
    documents = len(assistant.index.documents)
    # A passage is indexed with its document's title: a word of the title is the document's too.
    texts = {doc_id: fold(d.title + d.text) for doc_id, d in assistant.index.documents.items()}
    for word in ("养老", "重点项目", "招聘会", "岗位"):
        expected = sum(word in text for text in texts.values())
        assert expected > 0 and assistant.spread(word) == Spread(expected, documents), word
    assert assistant.spread("从未出现的词") == Spread(0, documents)


def test_history_changes_the_answer_of_a_follow_up(client: TestClient) -> None:
    first = post(client, "东关片区今年共有几个重点项目？")
    alone = post(client, "新开工的有几个？")
    follow = post(client, "新开工的有几个？", [turn_of(first)])
    assert follow["resolved_question"] != alone["resolved_question"]
    assert follow["answered"] and follow["citations"][0]["doc_id"] == "projects"


LONG = "养" * 501


@pytest.mark.parametrize(
    ("history", "field"),
    [
        ([{"question": "养老"}] * 7, "history"),
        ([{"question": ""}], "history.0.question"),
        ([{"question": "  "}], "history.0.question"),
        ([{"question": LONG}], "history.0.question"),
        ([{"question": "养老", "answer": "养" * 2001}], "history.0.answer"),
        ([{"question": "养老", "doc_ids": ["a"] * 11}], "history.0.doc_ids"),
        ([{"answer": "养老"}], "history.0.question"),
        ("养老", "history"),
    ],
)
def test_invalid_history_is_422_naming_the_field(client: TestClient, history: object, field: str) -> None:
    reply = client.post("/api/ask", json={"question": "养老", "history": history})
    assert reply.status_code == 422, reply.text
    assert reply.json()["message"].startswith(f"{field}:"), reply.json()


def test_history_at_its_limits_is_accepted(client: TestClient, settings: Settings) -> None:
    turn = {"question": "养" * settings.question_max_chars, "answer": "养" * 2000, "doc_ids": ["x"] * 10}
    assert client.post("/api/ask", json={"question": "养老", "history": [turn] * 6}).status_code == 200


def test_stored_question_records_the_resolved_form(settings: Settings, tmp_path: Path) -> None:
    config = settings.model_copy(update={"database_url": f"sqlite:///{tmp_path / 'fb.db'}"})
    with TestClient(create_app(config, embedder=FakeEmbedder())) as client:
        first = post(client, "东关街道春季招聘会提供多少个岗位？")
        follow = post(client, "要带什么材料？", [turn_of(first)])
    store = FeedbackStore.open(config)
    try:
        rows = {r.id: r for r in store.questions()}
    finally:
        store.close()
    assert rows[first["id"]].resolved_question is None and rows[first["id"]].meant == first["question"]
    stored = rows[follow["id"]]
    assert stored.question == "要带什么材料？"
    assert stored.resolved_question == follow["resolved_question"] == stored.meant


def test_an_old_database_gets_the_resolved_question_column(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE questions (id VARCHAR(36) PRIMARY KEY, asked_at DATETIME NOT NULL, question TEXT NOT NULL, "
            "answered BOOLEAN NOT NULL, reason VARCHAR(20) NOT NULL, answer TEXT NOT NULL, top_score FLOAT, "
            "support FLOAT NOT NULL, cited TEXT NOT NULL, latency_ms FLOAT NOT NULL, client VARCHAR(64) NOT NULL)"
        )
        db.execute(
            "INSERT INTO questions VALUES ('q1', '2026-11-01 10:00:00', '养老', 1, 'answered', 'a', 0.5, 0.5, "
            "'[]', 1.0, 'c')"
        )
        db.execute(
            "CREATE TABLE votes (question_id VARCHAR(36) PRIMARY KEY REFERENCES questions (id) ON DELETE CASCADE, "
            "helpful BOOLEAN NOT NULL, comment TEXT, voted_at DATETIME NOT NULL)"
        )
        db.execute("CREATE TABLE meta (key VARCHAR(64) PRIMARY KEY, value TEXT NOT NULL)")
        db.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    config = settings.model_copy(update={"database_url": f"sqlite:///{path}"})
    store = FeedbackStore.open(config)
    try:
        [row] = store.questions()
    finally:
        store.close()
    assert row.question == row.meant == "养老" and row.resolved_question is None
    with sqlite3.connect(path) as db:
        columns = {row[1] for row in db.execute("PRAGMA table_info(questions)")}
        assert "resolved_question" in columns
        assert db.execute("SELECT version_num FROM alembic_version").fetchone() == (head_revision(),)


def test_cli_ask_reads_a_history_file(settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from assistant.cli import cli

    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(settings.corpus_dir))
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(settings.index_dir))
    monkeypatch.setenv("ASSISTANT_MODEL", "fake")
    history = tmp_path / "history.json"
    history.write_text(json.dumps([{"question": "东关街道春季招聘会提供多少个岗位？"}]), encoding="utf-8")
    result = CliRunner().invoke(cli, ["ask", "要带什么材料？", "--history", str(history), "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["question"] == "要带什么材料？" and "招聘会" in body["resolved_question"]

    history.write_text('{"question": "not a list"}', encoding="utf-8")
    refused = CliRunner().invoke(cli, ["ask", "要带什么材料？", "--history", str(history)])
    assert refused.exit_code == 2 and "JSON list" in refused.output


def test_cli_chat_keeps_the_conversation(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from assistant.cli import cli

    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(settings.corpus_dir))
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(settings.index_dir))
    monkeypatch.setenv("ASSISTANT_MODEL", "fake")
    result = CliRunner().invoke(cli, ["chat"], input="东关街道春季招聘会提供多少个岗位？\n要带什么材料？\n\n")
    assert result.exit_code == 0, result.output
    understood = [line for line in result.stdout.splitlines() if line.startswith("理解为")]
    assert len(understood) == 1 and "招聘会" in understood[0] and understood[0].endswith("要带什么材料？")


def test_a_follow_up_about_an_unpublished_role_is_declined_citing_the_thread(settings: Settings) -> None:
    assistant = Assistant.open(settings, FakeEmbedder())
    first = assistant.ask("科创产业园一期什么时候投入使用？")
    history = [Turn(first.question, first.answer.text, tuple(c.doc_id for c in first.answer.citations))]
    follow = assistant.ask("它的物业公司是哪家？", history=history)
    assert follow.resolved_question is not None and follow.resolved_question.startswith("科创产业园一期")
    assert not follow.answer.answered and follow.answer.reason == "detail_not_published"
    assert follow.answer.citations and follow.answer.citations[0].doc_id == "projects"


def test_a_which_one_follow_up_about_a_kind_the_thread_never_names_says_it_is_not_published(settings: Settings) -> None:
    assistant = Assistant.open(settings, FakeEmbedder())
    first = assistant.ask("科创产业园一期什么时候投入使用？")
    history = [Turn(first.question, first.answer.text, tuple(c.doc_id for c in first.answer.citations))]
    follow = assistant.ask("它的班车是哪个车队的？", history=history)
    assert not follow.answer.answered and follow.answer.reason == "detail_not_published"
    # No question word names the kind of detail: the reply still says the documents do not give it.
    assert "没有公布这项具体信息" in follow.answer.text
    assert follow.answer.citations and follow.answer.citations[0].doc_id == "projects"


TITLED = FoldedTexts(
    {
        "plan": fold("奎文区公益性骨灰堂建设项目启动\n骨灰堂建成后，每个格位不高于3800元；低保对象免费。\n"),
        "canteen": fold("社区食堂开业\n社区食堂午餐10元。\n"),
        "fair": fold("春风行动招聘会举办\n招聘会在人才市场举办。\n"),
        "measures": fold("我区出台措施助力企业\n措施有效期到年底。\n"),
    }
)


@pytest.mark.parametrize(
    ("previous", "question", "expected"),
    [
        # A subject of one word that the document's title says with a word before it is carried as the title says it.
        (("骨灰堂的格位多少钱一个？", "plan"), "低保户也要交钱吗？", "公益性骨灰堂低保户也要交钱吗？"),
        (("骨灰堂在哪里？", "plan"), "什么时候建成？", "公益性骨灰堂什么时候建成？"),
        # Not a subject of more words, nor a word the title says alone or not at all.
        (("社区食堂的午餐多少钱？", "canteen"), "几点开门？", "社区食堂几点开门？"),
        (("招聘会在哪里举办？", "fair"), "几点开始？", "春风行动招聘会几点开始？"),
        (("措施在哪里公布？", "measures"), "有效期多久？", "措施有效期多久？"),
        (("格位多少钱一个？", "plan"), "要交钱吗？", "格位要交钱吗？"),
    ],
)
def test_a_one_word_subject_is_carried_as_its_documents_title_names_it(
    previous: tuple[str, str], question: str, expected: str
) -> None:
    assert resolve(question, after(previous), TITLED).text == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # A few words, none the glossary knows: the question cannot be answered alone and asks about the thread.
        ("Can kids arrive early in the morning?", "Can kids arrive early in the morning for the after-school service?"),
        # Not a question with more words of its own, nor one naming a thing (the park) the notice does not hold.
        (
            "Can kids arrive early on rainy winter mornings?",
            "Can kids arrive early on rainy winter mornings?",
        ),
        ("Can I bring my dog to the park?", "Can I bring my dog to the park?"),
    ],
)
def test_an_english_question_the_glossary_knows_no_word_of_is_a_follow_up(question: str, expected: str) -> None:
    documents = FoldedTexts({"school": fold("课后服务通知\n每生每学期收费300元。"), "park": fold("口袋公园建设\n公园")})
    history = after(("How much does the after-school service cost?", "school"))
    assert resolve(question, history, documents).text == expected


STATIONS = FoldedTexts(
    {
        "ev": fold(
            "奎文区公共充电站分布公告\n站点 | 地址 | 快充桩\n人民广场充电站 | 胜利东街1300号 | 12个\n"
            "金宝公园充电站 | 北海路2088号 | 16个\n充电服务费每千瓦时不超过0.8元。\n"
        )
    }
)


@pytest.mark.parametrize(
    ("previous", "question", "expected"),
    [
        # The subject names a row of the document's table, and the follow-up asks what the table does not hold: it
        # is asked of what the document is about (its title's 公共充电站), not of the row.
        ("金宝公园充电站在哪？", "服务费怎么收？", "公共充电站服务费怎么收？"),
        # A word of the table (a column's name) asks a cell of the row; a subject that names no row is kept whole.
        ("金宝公园充电站在哪？", "有几个快充桩？", "金宝公园充电站有几个快充桩？"),
        ("公共充电站在哪？", "服务费怎么收？", "公共充电站服务费怎么收？"),
    ],
)
def test_a_follow_up_off_the_subjects_table_row_is_asked_of_the_document(
    previous: str, question: str, expected: str
) -> None:
    assert resolve(question, after((previous, "ev")), STATIONS).text == expected


VENUES = FoldedTexts(
    {
        "venues": fold(
            "关于学校体育场地设施向社会开放的公告\n学校 | 开放场地 | 开放时间\n"
            "潍州路学校 | 田径场、篮球场 | 工作日 18:30—21:00\n北海学校 | 室外篮球场 | 周六、周日 8:00—11:00\n"
            "一、开放期间实行实名预约，居民通过小程序提前一天预约。\n二、田径场、篮球场免费开放。\n"
        ),
        "after": fold("课后服务通知\n学段 | 结束时间\n小学 | 17:30\n初中 | 18:00\n小学、初中每生每学期收费300元。\n"),
    }
)


@pytest.mark.parametrize(
    ("previous", "question", "expected", "document"),
    [
        # No word of its own: the words it asks with are what the table lacks, so it is asked of the notice's topic,
        # with the row's cell the notice also says outside its table (篮球场), not the row's name (北海学校).
        ("北海学校的篮球场什么时候开放？", "要预约吗？", "学校的篮球场要预约吗？", "venues"),
        ("北海学校的篮球场什么时候开放？", "要收费吗？", "学校的篮球场要收费吗？", "venues"),
        # A detail the row gives (a time) keeps the row, though the table has no word of the question.
        ("北海学校的篮球场什么时候开放？", "几点开门？", "北海学校的篮球场几点开门？", "venues"),
        # The row's name is kept off the row even where the notice says it elsewhere ("小学、初中…").
        ("初中课后服务几点结束？", "一学期多少钱？", "课后服务一学期多少钱？", "after"),
    ],
)
def test_a_follow_up_with_no_word_of_its_own_off_the_row_is_asked_of_the_document(
    previous: str, question: str, expected: str, document: str
) -> None:
    assert resolve(question, after((previous, document)), VENUES).text == expected


def test_off_a_row_the_one_word_left_is_said_as_the_title_says_it() -> None:
    table = "站点 | 地址\n金宝公园充电站 | 北海路2088号\n充电服务费每千瓦时0.8元。\n"
    stations = FoldedTexts({"ev": fold("奎文区公共充电站分布公告\n" + table)})
    # "公共" (a distinguishing word) names the kind: bare, 充电站 is another notice's 充电泊位 too.
    assert resolve("服务费怎么收？", after(("金宝公园充电站在哪？", "ev")), stations).text == "公共充电站服务费怎么收？"
    # A subject the title does not say with such a word before it is carried as it was.
    plain = FoldedTexts({"ev": fold("奎文区充电站分布公告\n" + table)})
    assert resolve("服务费怎么收？", after(("金宝公园充电站在哪？", "ev")), plain).text == "充电站服务费怎么收？"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # "以前" is when, not what (though another notice says 以前): the thread's subject, without its 现在.
        ("以前是多少岁？", "公交免费以前是多少岁？"),
        ("之前是多少岁？", "公交免费之前是多少岁？"),
        # Without a word of before, the previous 现在 is kept.
        ("半价是多少岁？", "现在公交免费半价是多少岁？"),
        # "那时候" is "at that time": its 那 is kept (not a leading "then", which goes).
        ("那时候半价是多少岁？", "公交免费那时候半价是多少岁？"),
        ("那时半价是多少岁？", "公交免费那时半价是多少岁？"),
        ("那半价是多少岁？", "现在公交免费半价是多少岁？"),
    ],
)
def test_a_follow_up_about_before_is_about_the_threads_subject_then(question: str, expected: str) -> None:
    documents = FoldedTexts(
        {
            "bus": fold("老年人优待乘车\n免费乘车年龄由70周岁调整为65周岁，60至64周岁半价乘坐公交。"),
            "bike": fold("公共自行车升级\n以前办卡要跑营业厅，现在手机一扫就走。"),
        }
    )
    assert resolve(question, after(("现在多大年纪坐公交免费？", "bus")), documents).text == expected


@pytest.mark.parametrize(
    ("question", "dropped", "kept"),
    [
        # A part of a month and a verb jieba joined to the next "must" say when and how, not what.
        ("3月初办要预约吗？", ["月初", "办要"], []),
        ("下旬还开放吗？", ["下旬"], []),
        ("月底的义诊在哪？", ["月底"], ["义诊"]),
        # Not a word that only starts with such characters.
        ("初中要预约吗？", [], ["初中"]),
        ("社保卡办要带啥？", [], ["社保卡"]),
    ],
)
def test_a_part_of_a_month_or_a_verb_with_must_is_no_subject(
    question: str, dropped: list[str], kept: list[str]
) -> None:
    terms = subject_terms(analyse(question))
    assert set(kept) <= set(terms) and not set(dropped) & set(terms)


def test_a_follow_up_at_a_time_of_month_takes_the_threads_subject() -> None:
    documents = FoldedTexts({"tax": fold("个税汇算开始\n3月1日至20日需预约办理，3月21日后无需预约。")})
    resolved = resolve("3月初办要预约吗？", after(("个税汇算退税多久到账？", "tax")), documents)
    assert resolved.how == "carry" and "汇算" in resolved.text


BIKES = FoldedTexts(
    {
        "bike": fold(
            "公共自行车升级\n还车时须将车辆推入站点锁止器。车辆在站点外停放的，系统将持续计费。车辆故障可一键报修。"
        ),
        "hospital": fold("区人民医院停车场\n就诊车辆停车免费2小时。"),
    }
)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # "it" as the object of the resident's own verb is the thread's thing (named with "a": "a public bike"),
        # though the question names a place of its own.
        ("What if I leave it outside the station?", "What if I leave the public bike outside the station?"),
        ("Can I lock it at any station?", "Can I lock the public bike at any station?"),
        # "And if …?" is another case for the thread's thing, not another thing for the last question.
        ("And if it breaks down?", "What if the public bike breaks down?"),
        # Not a dummy "it" before "is", nor a question naming more of its own.
        ("Do you think it is safe to cycle at night?", "Do you think it is safe to cycle at night?"),
        ("Is it free to park at the hospital?", "Is it free to park at the hospital?"),
        (
            "Can I park it at the hospital car park for two hours free?",
            "Can I park it at the hospital car park for two hours free?",
        ),
    ],
)
def test_an_english_object_pronoun_is_the_threads_thing(question: str, expected: str) -> None:
    assert resolve(question, after(("How do I return a public bike?", "bike")), BIKES).text == expected


def test_and_about_another_thing_still_asks_the_last_question_of_it() -> None:
    history = after(("How much is the resident medical insurance for adults?", "bike"))
    resolved = resolve("And students?", history, BIKES)
    assert resolved.how == "replace" and resolved.text.startswith("How much is the resident medical insurance")


HEAT = FoldedTexts(
    {
        "heat": fold("高温津贴发放通知\n发放标准：每人每月200元\n计发方式：不能以发放防暑饮料等物品代替"),
        "bike": fold("公共自行车升级\n还车时须将车辆推入站点锁止器。"),
    }
)


@pytest.mark.parametrize(
    ("previous", "question", "expected"),
    [
        # "instead" with nothing after it stands for the thread's thing, though the question names things of its own.
        (
            "How much is the summer heat allowance per month?",
            "Can my employer give me cold drinks instead?",
            "Can my employer give me cold drinks instead of the summer heat allowance?",
        ),
        # Not when the question says instead of what, nor after a Chinese question (no English phrase to carry).
        (
            "How much is the summer heat allowance per month?",
            "Can my employer give me cold drinks instead of a bonus?",
            "Can my employer give me cold drinks instead of a bonus?",
        ),
        (
            "高温津贴每月发多少？",
            "Can my employer give me cold drinks instead?",
            "Can my employer give me cold drinks instead?",
        ),
    ],
)
def test_an_english_instead_is_instead_of_the_threads_thing(previous: str, question: str, expected: str) -> None:
    assert resolve(question, after((previous, "heat")), HEAT).text == expected


SERVICES = FoldedTexts(
    {
        "school": fold("课后服务通知\n每生每学期收费300元，家庭经济困难学生、残疾学生免收。家长在开学后第一周报名。"),
        "boat": fold("游船通知\n游船票价每人40元，一名成人购票可免费携带一名儿童。学生凭证乘船，校车不得停靠码头。"),
        "flu": fold(
            "流感疫苗接种通知\n三价疫苗每剂次58元。\n接种点 | 地址 | 时间\n"
            "东关街道社区卫生服务中心 | 福寿东街1066号 | 周一至周五8:00—11:30\n"
            "梨园街道社区卫生服务中心 | 潍州路489号 | 周一至周六8:00—16:00\n"
        ),
    }
)


def test_a_residents_word_for_what_the_thread_s_document_writes_otherwise_keeps_the_thread() -> None:
    history = after(("课后服务怎么报名？", "school"))
    # 免费 is the notice's 免收: both words are the after-school notice's, though the boat notice says 免费.
    resolved = resolve("哪些学生可以免费？", history, SERVICES)
    assert resolved.how == "carry" and resolved.text.startswith("课后服务")
    # A word the notice does not say in any form, which another notice holds with the rest: another topic.
    assert resolve("哪些学生可以坐校车？", history, SERVICES).how == "alone"


@pytest.mark.parametrize(
    ("asked", "question", "names"),
    [
        # A follow-up asking where a thing it names is leads the thread to that place...
        ("东关的接种点在哪？", "周末开吗？", "东关"),
        ("东关的接种点地址是什么？", "周末开吗？", "东关"),
        # ... not one asking where to do what the thread is about, nor one asking something else of its own thing.
        ("要去哪里打？", "周末开吗？", ""),
        ("东关的接种点几点开门？", "周末开吗？", ""),
    ],
)
def test_a_follow_up_asking_where_its_own_thing_is_leads_the_thread_there(
    asked: str, question: str, names: str
) -> None:
    history = after(("流感疫苗自费的多少钱？", "flu"), (asked, "flu"))
    resolved = resolve(question, history, SERVICES)
    assert ("东关" in resolved.text) == bool(names)


EBIKE = FoldedTexts(
    {
        "ebike": fold("电动车登记上牌\n新购电动车由销售门店代办登记。办理登记需携带车主身份证、购车发票和车辆合格证。"),
        "water": fold("胜利街停水通知\n因管网维修，胜利街周边8月13日6:00前停水。"),
    }
)


@pytest.mark.parametrize(
    ("previous", "question", "expected"),
    [
        # An English follow-up after a Chinese turn: the subject in the English the glossary has for it.
        ("新买的电动车在哪上牌？", "What documents do I need to bring?", "What documents do I need to bring (e bike)?"),
        ("新买的电动车在哪上牌？", "How long does it take?", "How long does it take (e bike)?"),
        # A question of its own (a switch) stays as asked...
        ("新买的电动车在哪上牌？", "Until when is the water cut off around Shengli Street?", None),
        # ... and so does a follow-up whose thread the glossary cannot say in English.
        ("物业服务差，可以不交吗？", "What documents do I need to bring?", None),
    ],
)
def test_an_english_follow_up_after_a_chinese_turn(previous: str, question: str, expected: str | None) -> None:
    resolved = resolve(question, after((previous, "ebike")), EBIKE)
    assert resolved.text == (expected or question)
    assert resolved.how == ("carry" if expected else "alone")


@pytest.mark.parametrize(
    ("terms", "said"),
    [
        (["新买", "电动车", "上牌"], "e bike"),  # the words the glossary knows, no others
        (["电动自行车", "电动车"], "e bike"),  # said once
        (["物业", "不交"], ""),
        # A category word ("works" for 工程) says what kind of thing the subject is, not which one.
        (["潍州路", "北延", "工程"], ""),
        (["电动车", "项目"], "e bike"),
    ],
)
def test_english_words_for_chinese_subject_words(terms: list[str], said: str) -> None:
    assert english_words_for(terms) == said


NIGHT_FAIR = FoldedTexts(
    {
        "night": fold("人才夜市\n人才夜市每周五晚上在北广场举办，遇雨雪天气暂停。企业需提前5个工作日报名。"),
        "fangzi": fold("坊子区人才夜市每周六举办。"),
        "bus": fold("公交线路\n19路票价2元。"),
        "uni": fold("老年大学\n太极拳课每周二上课。"),
    }
)


@pytest.mark.parametrize(
    ("compared", "question", "expected"),
    [
        # A circumstance ("下雨呢？": if it rains) is not the thread's subject: the next question is asked of the fair.
        ("下雨呢？", "企业想去摆摊咋报名？", "人才夜市企业想去摆摊咋报名？"),
        ("停电呢？", "在哪举办？", "人才夜市在哪举办？"),
        # Another area is: the next question is asked of it.
        ("那坊子区呢？", "在哪举办？", "坊子区在哪举办？"),
    ],
)
def test_a_compared_circumstance_does_not_become_the_threads_subject(
    compared: str, question: str, expected: str
) -> None:
    history = after(("人才夜市礼拜几有？", "night"), (compared, "night"))
    assert resolve(question, history, NIGHT_FAIR).text == expected


HOMECARE = FoldedTexts(
    {
        "care": fold("潍城区颐康苑\n长期入住的失能老人每月收费3200元起。老年食堂面向周边居民开放，午餐每份10元。"),
        "vote": fold("社区选举问答\n选举那天不在家，可以书面委托近亲属代为投票，每位选民接受委托投票不得超过3人。"),
        "help": fold("暖冬送福志愿者招募\n全区招募志愿者300名。服务期间为志愿者提供午餐。"),
    }
)


@pytest.mark.parametrize(
    ("word", "bound"),
    [
        # A bound jieba glued onto the modal after it asks how much, of nothing.
        ("最多能", True),
        ("最少要", True),
        ("最长可", True),
        # Not a bound alone, one glued onto a verb (which it carries), nor a word that only starts with a modal.
        ("最多", False),
        ("最多收", False),
        ("能源", False),
        ("最好", False),
    ],
)
def test_a_bound_glued_onto_a_modal(word: str, bound: bool) -> None:
    assert bound_modal(word) is bound


@pytest.mark.parametrize(
    ("previous", "question", "carried"),
    [
        # "最多能" names nothing: the follow-up has no words of its own and asks of the thread's subject.
        ("选举那天不在家怎么投票？", "一个人最多能替几个人投？", True),
        # A question naming its own thing stays alone, bound or not.
        ("选举那天不在家怎么投票？", "住房公积金贷款最多能贷多少？", False),
    ],
)
def test_a_bound_and_its_modal_are_not_a_follow_up_s_subject(previous: str, question: str, carried: bool) -> None:
    resolved = resolve(question, after((previous, "vote")), HOMECARE)
    assert (resolved.how == "carry") is carried
    assert ("选举" in resolved.text) is carried


@pytest.mark.parametrize(
    ("last", "rest", "ends"),
    [
        # A modal jieba glued onto the head's last word, before the verb it governs, starts what is asked.
        ("送福要", "招多少志愿者？", True),
        ("点能", "办社保卡吗？", True),
        # Not a word of jieba's dictionary ("技能"), nor before a word of two characters or more.
        ("技能", "学多久？", False),
        ("送福要", "志愿者多少？", False),
    ],
)
def test_a_modal_glued_onto_the_head_s_last_word(last: str, rest: str, ends: bool) -> None:
    assert modal_ends_head(last, rest) is ends


def test_the_head_leaves_out_a_modal_glued_onto_it() -> None:
    resolved = resolve("管饭吗？", after(("暖冬送福要招多少志愿者？", "help")), HOMECARE)
    assert resolved.text == "暖冬送福管饭吗？"


@pytest.mark.parametrize(
    ("question", "chinese"),
    [
        # "What about X?" after a Chinese turn, X a thing the glossary says whole: asked as "那X呢？" is.
        ("What about lunch?", "那午餐呢？"),
        ("What about the lunch?", "那午餐呢？"),
        # X the glossary does not say whole keeps the English X beside the Chinese question.
        ("What about someone without a local hukou?", None),
    ],
)
def test_what_about_x_after_a_chinese_turn(question: str, chinese: str | None) -> None:
    history = after(("潍城区颐康苑在哪个街道？", "care"), ("住进去一个月多少钱？", "care"))
    resolved = resolve(question, history, HOMECARE)
    if chinese is None:
        assert resolved.text.endswith("(someone without a local hukou)?")
    else:
        assert resolved.text == resolve(chinese, history, HOMECARE).text
        assert "lunch" not in resolved.text and "午餐" in resolved.text


@pytest.mark.parametrize(
    ("previous", "question", "written"),
    [
        # A subject carried from a turn in Traditional is written in the script of the question typed...
        ("選舉那天不在家怎麼投票？", "一个人最多能替几个人投？", "选举"),
        # ... and one from a turn in Simplified into a question in Traditional, as before.
        ("选举那天不在家怎么投票？", "一個人最多能替幾個人投？", "選舉"),
    ],
)
def test_a_carried_subject_is_written_in_the_script_of_the_question(previous: str, question: str, written: str) -> None:
    resolved = resolve(question, after((previous, "vote")), HOMECARE)
    assert resolved.how == "carry" and written in resolved.text
