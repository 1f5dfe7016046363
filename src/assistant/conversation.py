"""Follow-up questions: a question and the conversation before it become one standalone question.

No language model. A follow-up is recognised by its shape and by the document the previous turn was answered
from: a question with no subject of its own ("几点开始？"), with a pronoun ("它的地址在哪里？"), of the form
"那X呢？" / "what about X?", or whose own words all occur in that document ("一共提供多少个岗位？" after a
question about a job fair). It is completed from the previous turn's resolved question: the subject words it
lacks are put before it (or where its pronoun was), or, for "那X呢？", X takes the place of the previous
question's area, number or subject. A follow-up whose own words a heading of that document holds, or its title,
names a subject of its own and takes only the part of the previous subject the document is about. Any other
question starts a new topic and is answered alone. The server is
stateless: the client sends the earlier turns back, and they are resolved again in order.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import pairwise
from typing import Literal, Protocol

from assistant.answer.question import AREA_RE, LATEST_RE, Question, analyse, language
from assistant.lang.bilingual import glossary
from assistant.lang.kinds import KIND_LABELS, ORG_HEADS, QUANTITY_KINDS, Ask, find_kinds, question_ask
from assistant.lang.synonyms import synonym_groups
from assistant.text import (
    CJK_RUN_RE,
    QUESTION_WORDS,
    STOPWORDS,
    bound_modal,
    dictionary_word,
    fold,
    place_names,
    to_simplified,
    to_traditional,
    word_frequency,
    words,
)

HISTORY_MAX_TURNS = 6
ANSWER_MAX_CHARS = 2000
DOC_IDS_MAX = 10
# A turn's doc_ids are its citations' documents in order; the answer comes from the first. Only that one is
# read: the others are passages cited beside it, often from unrelated documents.
ANSWER_DOCUMENTS = 1

# alone: a new topic; carry: the previous subject added; replace: "那X呢？" swapped into the previous question;
# same: a question of its own on the previous answer's document (answered as typed, with the thread's area).
How = Literal["alone", "carry", "replace", "same"]
# A question longer than this names its own subject and is answered alone, and only this much of an earlier
# question is read for its subject: it is said first, and the cost of a request with a full history stays
# bounded (seven analyses of at most this many characters, not of 500).
RESOLVE_MAX_CHARS = 120
# A question this short with at most one word of its own ("周末开门吗？") is a follow-up whatever the word.
SHORT_FOLLOW_UP_CHARS = 8

# Words that say which detail is wanted, or how to get something, never what a question is about: a question
# made of these alone ("几点开始？", "要带什么材料？", "怎么报名？") needs its subject from the turn before.
GENERIC = frozenset(
    """
    时间 日期 时候 几点 几号 哪天 地点 地方 地址 位置 费用 价格 收费 学费 票价 多少钱 电话 号码 联系 材料 资料 证件
    手续 条件 要求 资格 标准 金额 数额 数量 人数 名额 对象 范围 流程 步骤 程序 方式 渠道 途径 办法 报名 申请 办理
    缴费 交费 参加 预约 登记 咨询 乘坐 开放 营业 开门 关门 持续 举行 举办 开始 结束 截止 需要 携带 准备 提交
    规定 年龄 多大 岁数 多久 多长 期限 每月 每年 每人 每次 每天 结果 情况 内容 具体 详细 一些 相关 安排 主要
    最多 最少 至少 最高 最低 可以 能够 必须 怎么办 清楚 介绍 一共 总共 其中 还有 另外 其他 那么 然后 之后 以后
    以前 之前 以往 过去 原来 当时 那时 那时候
    start starts begin begins end ends held hold holds place open opens close closes cost costs fee fees price
    long apply register sign need needs bring documents document materials time times date dates address location
    located phone number age ages requirement requirements eligible qualify required much many pay also else
    detail details more get got take 不能 不可以 无法 不会 不用 不要 能否 是否
    """.split()
)

# A part of a month or year, said without its number ("3月初" is cut as 3 / 月初).
PART_OF_PERIOD_RE = re.compile(r"[月年](?:初|底|末|中)|[上中下]旬")

# A follow-up asking about before ("以前是多少岁？", "那时候半价卡是多大？"): a time, not a subject.
PAST_RE = re.compile(r"以前|之前|以往|过去|原来|当时|那时")

# What a resident does about a subject. A question that asked where, when or how to do it ("高龄津贴到哪里申请？")
# makes a follow-up without a verb of its own ("要带什么材料？") about doing that: the subject is carried with it
# ("高龄津贴申请要带什么材料？"). Only what residents do: an event's own verbs ("举办", "开始") are not carried.
ACTIONS = ("申请", "报名", "办理", "缴费", "交费", "预约", "登记", "参加", "领取", "签约", "接种", "参保")
ACTION_END_RE = re.compile(rf"({'|'.join(ACTIONS)})[吗呢]?[?？!！。.\s]*$")

# A verb whose object is left out, after "can" or "must", ending the question ("还能领吗？", "可以办吗？"): it is the
# thread's subject that is received, applied for or paid.
OBJECT_VERBS = ("领取", "领", "申请", "办理", "办", "缴纳", "交", "报名", "参加", "享受", "打", "接种")
OBJECT_GAP_RE = re.compile(rf"(?:能|可以|可|要|得|会)(?P<verb>{'|'.join(OBJECT_VERBS)})[吗呢]?[?？!！。.\s]*$")

# An event a question asks the day, time or cause of, the verb it ends with ("防空警报哪天试鸣？", "…什么时候封顶？",
# "胜利街这次为啥停水？"): a follow-up asking a time ("几点开始？", "停到几点？") asks about it.
EVENT_END_RE = re.compile(
    r"(?:什么时候|什么时间|啥时候|何时|哪天|哪一天|几号|几时|为什么|为啥|为何)(?P<event>[\u4e00-\u9fff]{2})[吗呢了]?[?？!！。.\s]*$"
)
# The questions that ask when or at what time (lang/kinds.py), not how long.
WHEN_ASKS = frozenset({"when", "hours"})
# "Must", "can", "may" before a verb: jieba glues some pairs into one word ("要交").
MODALS = frozenset("要能可需得")
MODAL_VERBS = frozenset("交带办领去拿填报缴付")
# jieba's tag for verbs.
VERB_TAGS = frozenset({"v"})
# jieba's tag for common nouns: what an unpublished-detail follow-up names ("主持人", "物业公司").
NOUN_TAGS = frozenset({"n"})
# "Which one": the noun right after names the kind of thing asked for ("哪个车队", "哪家医院"); jieba tags some
# such nouns as places ("窗口").
WHICH_RE = re.compile(r"哪一?[个家些位所]")
WHICH_TAGS = frozenset({"n", "s", "nz"})
WHO_AFTER_TAGS = frozenset({"n", "v", "vn"})
# "Also" before a verb ("低保户也要交钱吗？", "小区里的也归你们管吗？"): the question asks what was said of the thread's
# subject about someone or something else; not 也许 ("maybe"), 也就是 ("that is").
ALSO_RE = re.compile(r"也(?!许|就是)(?=[\u4e00-\u9fff])")
# A question with "also" and at most this many words of its own is about the thread's subject.
ALSO_MAX_WORDS = 3
# Question words other than the yes-or-no 吗.
WH_RE = re.compile(r"什么|多少|哪|几|怎|谁|啥")
# "Is there …?" with nothing before 有 ("有停车场吗？", "有没有食堂？").
EXISTS_RE = re.compile(r"有(?:没有)?[\u4e00-\u9fffA-Za-z0-9]{1,8}?(?:吗|么|没有)?[?？!！。.\s]*")
# "Is there …?": 有 (or 有没有) before a noun that ends the question ("那里有停车场吗？", "有没有停车场？").
HAS_RE = re.compile(r"有(?:没有)?")
EXISTS_END_RE = re.compile(r"(?:吗|么|没有|不)?[?？!！。.\s]*$")
WHO_VERBS = frozenset({"负责", "主办", "承办", "组织", "牵头", "管理", "主管", "举办"})
# "What is X called?" ("主任叫什么名字？", "医生姓什么？"): X, right before, is a role whose holder's name is asked.
NAME_RE = re.compile(r"的?(?:(?:叫|姓)(?:什么|啥)(?:名字)?|名字(?:是|叫)?(?:什么|啥))")
# jieba's tags for a role named before "叫什么名字" ("主任" is a distinguishing word to it).
ROLE_TAGS = frozenset({"n", "b", "nr"})
# What may stand between the noun a detail is asked of and the question word ("租金" + "是" + "多少").
ASKED_NOUN_END_RE = re.compile(r"[的是有为]{0,2}$")
# The kinds of answer a "who" question asks for (lang/kinds.py).
WHO_KINDS = frozenset({"org", "person"})

# Pronouns and demonstratives that point back at the previous turn's subject (on folded, Simplified text).
# 应该 holds no 该; a leading "那" before a subject ("那32路的末班车几点？", "那条件是什么？") is "then", not "that";
# a measure word goes with its demonstrative ("这条线路": the route).
PRONOUN_RE = re.compile(
    r"[这那](?:个|些|里|儿|边|项|次|条(?!件)|家(?!庭|长|属|里)|所|位(?!置)|种|笔|批|期(?!间|限)|门(?!口)|天(?!气|然|津))"
    r"|上述|它们|它"
    r"|(?<!应)该(?=[\u4e00-\u9fff])|这(?![样么])"
)
# "there" in "is there parking?" points at nothing.
EN_PRONOUN_RE = re.compile(
    r"\b(?:it|its|they|them|their|(?<!\bis )(?<!\bare )there(?! is\b| are\b)|that|this|these|those)\b", re.IGNORECASE
)

# A leading "then" ("那要带什么？"), not the 那 of "at that time" ("那时候半价卡是多大？": the time is kept).
LEADING_THEN_RE = re.compile(r"^(?:那么|那(?!时|会儿|阵))")

# "那坊子区呢？", "那90岁的呢", "现在呢" (folded text); "what about Zhucheng?", "and for students?".
COMPARE_RE = re.compile(
    r"^(?:那么|那|还有|另外)?[,，\s]*(?:如果是|如果|要是|假如|若是|换成)?(?P<x>[^?？。]{1,20}?)(?:的情况|的话|的)?呢[?？!！。]*$"
)
EN_COMPARE_RE = re.compile(
    r"^(?:and|but|ok|okay|so)?[,\s]*(?:what|how) about (?P<x>.{1,60}?)[?.!\s]*$|^and (?P<y>.{1,60}?)[?.!\s]*$",
    re.IGNORECASE,
)
# "What about X, how many can I get?": another thing, with a question of its own about it after the comma.
EN_ABOUT_THEN_RE = re.compile(
    r"^(?:and|but|ok|okay|so)?[,\s]*(?:what|how) about (?P<x>[^,?]{1,60}?)\s*,\s*"
    r"(?P<q>(?:how|what|when|where|which|who|can|could|do|does|is|are|will)\b.{1,80}?)[?.!\s]*$",
    re.IGNORECASE,
)
# "How many" or "how much" right before its verb: the thing counted is left out ("how many can I get").
EN_COUNT_GAP_RE = re.compile(
    r"^how (?:many|much)\b(?=\s+(?:can|could|do|does|did|will|would|should|may|are|is)\b)", re.I
)
# "it" or "them" as the object of the resident's own verb ("What if I leave it outside the station?", "Can I renew
# them online?") stands for the thread's thing; not after a verb that takes a dummy "it" ("Do I find it …", "Can I
# make it …"), nor before "is"/"to" ("Do you think it is …").
EN_OBJECT_PRONOUN_RE = re.compile(
    r"\b(?:i|we|you)\s+(?!(?:am|is|are|was|were|do|does|did|will|can|could|would|should|must|have|has|had|make|"
    r"makes|take|takes|find|think|get)\b)[a-z]+\s+(?:it|them)\b(?!\s+(?:is|was|to|be|that)\b)",
    re.IGNORECASE,
)
# "Can I pay in cash instead?": "instead" with nothing after it stands for the thread's thing.
EN_INSTEAD_RE = re.compile(r"\binstead\s*[?.!]*$", re.IGNORECASE)
# "if it breaks down", "when it rains": a case, not a thing to compare.
EN_CONDITION_RE = re.compile(r"(?:if|when|in case)\s", re.IGNORECASE)
# A number with its unit ("90岁", "2023年", "19路", "W6路", "二档") can be swapped for another number with that unit.
NUMBER_RE = re.compile(
    r"(?P<n>[A-Za-z]*\d+(?:\.\d+)?|[一二三四五六七八九十百千两]+)\s*(?P<unit>周岁|岁|年|月|元|号|路|档|级|期|个|处)"
)
# Units that number things rather than count or date them: the route, the grade, the phase.
NAMING_UNITS = frozenset("路号档级期")
EN_WORD_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9'-]*")
SENTENCE_RE = re.compile(r"[^。！？；!?;\n]+")
# Words that make the word before them a group of people ("低保对象", "特困人员"), and the last characters of a
# word that names such a group itself ("残疾人", "老党员", "独居老人").
GROUP_HEADS = ("对象", "人员", "人群", "群体")
PEOPLE_ENDS = frozenset("人员者户童")
# Words for pupils and children ("大学生", "随迁子女"): people too, when compared (not 卫生).
PUPILS = ("学生", "考生", "子女")
# An item of a numbered list in a document: "6．葫芦丝：周四下午…", "（三）一、二级重度残疾人…".
LIST_ITEM_RE = re.compile(
    r"^[ \t]*[(（]?(?:\d+|[一二三四五六七八九十]+)[．.、)）]\s*(?P<item>[\u4e00-\u9fffA-Za-z0-9]+)", re.MULTILINE
)
# A row of a table in a document ("小学 | 17:30 | 作业辅导…"): its first cell names the row, as an item's name does.
TABLE_ROW_RE = re.compile(r"^[ \t]*(?P<item>[\u4e00-\u9fffA-Za-z0-9]+)[ \t]*\|", re.MULTILINE)
# A heading of a document: a question of a FAQ ("问:各学校的学区范围在哪里查看?"), or what a numbered section or
# list item is about ("五、应急供水安排", "(二)新学员现场报名:…"), up to its first mark (folded text).
HEADING_RE = re.compile(
    r"^[ \t]*(?:问[:：]|[(（]?(?:\d+|[一二三四五六七八九十]+)[．.、)）])\s*"
    r"(?P<heading>[^:：;；。，,！!\n]+)",
    re.MULTILINE,
)
# A Chinese abbreviation keeps its word's characters in order, dropping at most one between two of them.
ABBREVIATION_GAP = 1
# A question with more words of its own than this names enough to stand alone (and its words' spread in the
# corpus is not looked up, so that a long question costs little).
NAMELESS_MAX_WORDS = 4
# A question with a pronoun and at most this many words of its own is about the thread's subject.
PRONOUN_MAX_WORDS = 3
# A word at most this share of the corpus's documents use (or one document, in a corpus of a few) names a topic
# ("民办学校", "四价"); a commoner one ("计划", "老年人") or one no document uses ("坐车") does not.
TOPIC_SPREAD = 0.2
# A title spells out what its document is about: "城乡居民基本医疗保险" for "居民医保".
TITLE_ABBREVIATION_GAP = 2
# Question words inside "那X呢" make it a question of its own ("那什么时候开始呢？"), not a comparison.
ASKING_RE = re.compile(r"什么|多少|哪|几|怎|吗|谁|如何")


@dataclass(frozen=True)
class Spread:
    """How many of a corpus's documents use a word."""

    documents: int
    corpus: int

    @property
    def names_a_topic(self) -> bool:
        """Whether few documents use the word, so that it says which one a question is about."""
        return 0 < self.documents <= max(1.0, TOPIC_SPREAD * self.corpus)


class Documents(Protocol):
    """Where the resolver reads the documents an earlier answer came from (folded text), and how widely the
    corpus uses a word."""

    def folded(self, doc_id: str) -> str | None:
        """The folded text of a document, or None when there is no such document."""

    def spread(self, term: str) -> Spread:
        """How many of the corpus's documents hold ``term`` (folded)."""

    def holders(self, term: str) -> frozenset[str]:
        """The ids of the documents that hold ``term`` (folded)."""


@dataclass(frozen=True)
class FoldedTexts:
    """Documents from a mapping of doc_id to folded text (tests, and small corpora)."""

    texts: Mapping[str, str]

    def folded(self, doc_id: str) -> str | None:
        """The folded text of a document, or None."""
        return self.texts.get(doc_id)

    def spread(self, term: str) -> Spread:
        """How many of the texts hold ``term``."""
        return Spread(len(self.holders(term)), len(self.texts))

    def holders(self, term: str) -> frozenset[str]:
        """The ids of the texts that hold ``term``."""
        return frozenset(doc for doc, text in self.texts.items() if term in text)


@dataclass(frozen=True)
class Turn:
    """One earlier turn of a conversation, as the client sends it back."""

    question: str
    answer: str | None = None
    doc_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Resolved:
    """The standalone question to answer, and how the conversation was used to build it."""

    text: str
    how: How = "alone"
    # The previous turn's resolved question, when this one was built from it.
    follows: str | None = None
    # A noun this follow-up asks about that no document uses ("主持人" after a question on a job fair): the
    # documents cannot give it, so the service declines it as a detail not published.
    unpublished: str | None = None
    # The thread's subject as written ("第二人民医院新院区"), when this one was built from the conversation.
    head: str = ""


@dataclass(frozen=True)
class Context:
    """What a question is resolved against: the previous turn's resolved question, its subject words (a follow-up
    keeps the subject it was given, so that details asked on the way do not pile up) and its documents' texts."""

    question: Question
    subject: tuple[str, ...]
    texts: tuple[str, ...]
    # The subject as it was written: the run of subject words the question starts with ("65岁以上老人免费体检").
    head: str = ""
    documents: Documents | None = None
    # The subject a question of its own on the same document named ("留工培训补助每人多少钱？"): the thread keeps
    # its subject, but a pronoun whose noun only this holds ("这个补助") points here.
    recent: str = ""
    # What the question that gave the subject asked a resident to do ("申请"), or "".
    action: str = ""
    # The English noun phrase of the question that gave the subject ("the Weizhou Jingu project"), or "".
    phrase: str = ""
    # The event the question that gave the subject asked the day or time of ("试鸣" of "防空警报哪天试鸣？"), or "".
    event: str = ""

    def mentions_number(self, question: Question) -> bool:
        """Whether the previous answer's documents hold every number-with-unit the question names ("19路")."""
        return all(any(m.group() in text for text in self.texts) for m in NUMBER_RE.finditer(question.folded))

    def mentions(self, term: str) -> bool:
        """Whether one of the previous answer's documents holds ``term`` (a number only as a whole number), or a
        Chinese word it is short for ("社保" for 社会保险, "老人" for 老年人)."""
        if term.isdigit():
            whole = re.compile(rf"(?<!\d){term}(?!\d)")
            return any(whole.search(text) for text in self.texts)
        if any(term in text for text in self.texts):
            return True
        short_for = _abbreviation_re(term)
        return short_for is not None and any(short_for.search(text) for text in self.texts)

    def mentions_loosely(self, term: str) -> bool:
        """Whether the previous answer's documents hold ``term`` or say it another way: a resident's word for what
        the document writes otherwise ("免费" of 免收), a near-synonym of two characters or more (a one-character
        verb's group holds words too common to tell a thread by)."""
        if self.mentions(term):
            return True
        others = [w for w in synonym_groups().get(term, ()) if len(w) >= 2] if len(term) >= 2 else []
        return any(other in text for other in others for text in self.texts)

    def names_another_topic(self, term: str) -> bool:
        """Whether ``term``, absent from the previous answer's documents, is a word few other documents use: what
        a new topic is named by ("四价流感疫苗" after a school question). A word no document uses, or one many do
        ("计划", "老年人"), names no topic of its own."""
        if self.documents is None or self.mentions(term):
            return False
        return self.documents.spread(term).names_a_topic

    def held_better_elsewhere(self, terms: Sequence[str]) -> bool:
        """Whether another document holds more of ``terms`` than the previous answer's does: the question is about
        that one ("四价的多少钱？" after a question on beds), not a follow-up that uses a word of it by chance
        ("送餐上门要加钱吗？" after a canteen question: 要加 is in another notice's 要加强, 送餐 and 上门 are not)."""
        if self.documents is None:
            return False
        here = sum(self.mentions_loosely(t) for t in terms)
        held = Counter(doc for t in terms for doc in self.documents.holders(t))
        return max(held.values(), default=0) > here

    def topic(self, term: str) -> bool:
        """Whether ``term`` is what a previous answer's document is about: its title (first line) names it, or
        a longer form of it ("居民医保" for 城乡居民基本医疗保险)."""
        if len(term) < 2:
            return False
        spelled = re.compile(f".{{0,{TITLE_ABBREVIATION_GAP}}}".join(map(re.escape, term)))
        return any(spelled.search(text.split("\n", 1)[0]) for text in self.texts)

    def titled(self, term: str) -> bool:
        """Whether a previous answer's document title holds ``term`` (two characters or more) as written: what the
        document is about, named as it names it (not "老人" for its "老年人", a group it serves)."""
        return len(term) > 1 and any(term in text.split("\n", 1)[0] for text in self.texts)

    def title_phrase(self, noun: str) -> str:
        """The words of a previous answer's document title that end with ``noun`` ("十项措施" in "…出台十项措施助力…"),
        or "" when no title holds it; a document's first line is its title."""
        if len(noun) < 2:
            return ""
        for text in self.texts:
            tokens = words(text.split("\n", 1)[0], search=False)
            for i, token in enumerate(tokens):
                if token == noun:
                    before = tokens[i - 1] if i > 0 else ""
                    return before + noun if len(before) > 1 and before not in STOPWORDS else noun
        return ""

    def off_its_row(self, terms: Sequence[str], ask: Ask | None = None) -> bool:
        """Whether the subject names a row of a table of a previous answer's document ("金宝公园充电站 | 北海路2088号 |
        16个") and the table holds none of ``terms``, nor the row the kind of detail ``ask`` wants: a follow-up asking
        about something else ("服务费怎么收？") asks it of what the document is about, not of the row."""
        head = fold(self.head)
        if not terms or not head:
            return False
        for text in self.texts:
            names = [name for name in _table_rows(text) if name in head]
            if names:
                # A word of the table (its header's "快充桩" of "有几个快充桩？") asks a cell of the row.
                lines = [line for line in text.split("\n") if "|" in line]
                # So does a detail the row gives ("几点开门？" of "潍州路学校 | 篮球场 | 工作日 18:30—21:00").
                rows = [line for line in lines if (row := TABLE_ROW_RE.match(line)) and row.group("item") in names]
                kinds = ask.kinds if ask is not None else frozenset()
                given = bool(kinds) and any(find_kinds(row, kinds) for row in rows)
                return not given and not any(t in line for line in lines for t in terms)
        return False

    def says(self, text: str) -> bool:
        """Whether a previous answer's document holds ``text`` as written (two characters or more)."""
        return len(text) > 1 and any(text in t for t in self.texts)

    def outside_tables(self, term: str) -> bool:
        """Whether a previous answer's document says ``term`` on a line that is no table row, and no row is named
        by it ("初中" of "初中 | 18:00" is the row, wherever else the notice says it)."""
        for text in self.texts:
            if any(term in name for name in _table_rows(text)):
                return False
        return any(term in line for text in self.texts for line in text.split("\n") if "|" not in line)

    def heading_with(self, terms: Sequence[str]) -> str:
        """The first heading of a previous answer's document that holds all of ``terms``, or "" (or no terms)."""
        if not terms:
            return ""
        for text in self.texts:
            for match in HEADING_RE.finditer(text):
                if all(t in match.group("heading") for t in terms):
                    return match.group("heading")
        return ""

    def narrowed_to(self, terms: Sequence[str], asked: Sequence[str] = (), ask: Ask | None = None) -> Context:
        """The context for a follow-up whose own ``terms`` a heading of the thread's document holds ("学区范围" of
        "问:各学校的学区范围在哪里查看?"), or one of which the document's title names ("充电" of "…公共充电站…"):
        they name a subject of their own, so of the thread's subject only what the document is about (its title's
        words), its area and time, and the words of that heading are carried ("老年大学", not the course "太极拳"
        asked about before, before "新学员什么时候报名?"; nothing of "占位费" before "充电桩用什么扫码充电"). With no
        subject words of its own, the words it asks with (``asked``: "预约" of "要预约吗？") are what the table is
        checked for."""
        # One character ("办" of "在哪里办？") is in too many headings to say which one the follow-up is about.
        terms = [t for t in terms if len(t) > 1]
        row_terms = terms or [t for t in asked if len(t) > 1]
        heading = self.heading_with(terms)
        row = self.off_its_row(row_terms, ask)
        if not heading and not any(self.titled(t) for t in terms) and not row:
            return self
        head = fold(self.head)
        # A number written in digits with its unit says which one or when ("19路", "2021年", "4个"); with a unit that
        # numbers things, the noun after it is the thing so named ("19路公交车").
        numbers = [m for m in NUMBER_RE.finditer(head) if any(c.isdigit() for c in m.group("n"))]
        # An area is read on the subject, not word by word: jieba cuts "北苑街道" into "北苑" + "街道".
        areas = [m.span() for m in AREA_RE.finditer(head)]
        kept: list[tuple[int, int]] = []
        at = 0
        names_next = False
        previous: tuple[int, int] | None = None
        for w in words(head, search=False):
            start = head.find(w, at)
            at = start + len(w)
            number = next((m for m in numbers if start < m.end() and m.start() < at), None)
            area = any(start < b and a < at for a, b in areas)
            own = self.topic(w) or area or TIME_RE.fullmatch(w) or (len(w) > 1 and w in heading)
            # Off a table's row, a word of the subject the document says outside its tables stays: the row's cell
            # ("篮球场" of "北海学校 | 室外篮球场", which "田径场、篮球场免费开放" is said of), not the row's name.
            own = own or (row and len(w) > 1 and self.outside_tables(w))
            if number is not None or names_next or own:
                said = previous is not None and self.says(head[previous[0] : at])
                if said and previous is not None and not row and (not kept or kept[-1] != previous):
                    # The resident's name for the thing that the notice also uses ("种粮补贴", the notice's 俗称
                    # for its 耕地地力保护补贴): the word before the topic word goes with it (not off a row).
                    kept.append(previous)
                kept.append((start, at))
            previous = (start, at)
            names_next = number is not None and number.group("unit") in NAMING_UNITS
        # The subject as written from its first such word to its last: what stands between them qualifies them
        # ("65岁以上老人免费体检"); what comes before or after names something else (the course, the people).
        # Cut as typed (upper case, Traditional characters kept) when folding kept the length, as it nearly always does.
        written = self.head if len(self.head) == len(head) else head
        if not kept and heading and terms:
            # Nothing of the thread's subject goes with that heading: what the heading names before the follow-up's
            # words is its subject ("各学校" of "各学校的学区范围在哪里查看?" for "学区范围在哪里看？").
            before = heading[: min(heading.find(t) for t in terms)].removesuffix("的")
            named = tuple(subject_terms(analyse(before)))
            return replace(self, head=before if named else "", subject=named)
        narrowed = replace(self, head=written[kept[0][0] : kept[-1][1]] if kept else "")
        # Off a row, the one word left ("充电站") is said as the title says it ("公共充电站"): bare, another notice
        # that uses it too ("充电泊位") may answer a detail the thread's notice does not give.
        return replace(narrowed, head=_as_titled(narrowed)) if row else narrowed

    def sentences_with(self, terms: Sequence[str]) -> list[str]:
        """The sentences of the previous answer's documents that hold any of ``terms``."""
        return [s for text in self.texts for s in SENTENCE_RE.findall(text) if any(t in s for t in terms)]


@lru_cache(maxsize=4096)
def _abbreviation_re(term: str) -> re.Pattern[str] | None:
    """What a short Chinese word may stand for: its characters in order, at most one dropped between each two."""
    if not 2 <= len(term) <= 4 or not all("\u4e00" <= c <= "\u9fff" for c in term):
        return None
    return re.compile(f".{{0,{ABBREVIATION_GAP}}}".join(term))


def subject_terms(question: Question) -> list[str]:
    """The words that say what a question is about: its topic words less detail words and pronouns."""
    out = []
    for term in question.topic_terms:
        if term in GENERIC or term in STOPWORDS or term in QUESTION_WORDS or PRONOUN_RE.fullmatch(term):
            continue
        if ASKING_RE.search(term):
            continue  # a question word the word list lacks ("哪条", "几门")
        if len(term) > 1 and term[0] in MODALS and (term[1:] in MODAL_VERBS or term[1:] in GENERIC):
            continue  # "must" or "can" with a verb ("要交", "能办"): how, not what (not "能源")
        if len(term) == 2 and term[0] in MODAL_VERBS and term[1] in MODALS:
            continue  # a verb and the next "must" jieba joined ("3月初办要预约吗？"): not what either
        if bound_modal(term):
            continue  # a bound and the modal after it jieba joined ("最多能", "最少要"): how much, not what
        if PART_OF_PERIOD_RE.fullmatch(term):
            continue  # a part of a month or year ("月初", "年底"): when, not what
        if len(term) <= 4 and question_ask(term) is not None:
            continue  # a word that itself asks for a detail ("报名时间", "费用")
        if ONE_OF_RE.fullmatch(term):
            continue  # "one" or "each" with its measure word ("多少钱一个？", "每个多大？") names nothing
        out.append(term)
    return out


def _script(text: str, typed: str) -> str:
    """``text`` in the script of the question typed: Traditional when it was written in Traditional, Simplified when
    in Simplified (a subject carried from a turn in Traditional, "選舉", is written 选举)."""
    script = language(typed)
    if script == "zh-Hant":
        return to_traditional(text)
    return to_simplified(text) if script == "zh" else text


def _strip_end(text: str) -> str:
    return text.rstrip("?？!！。. ")


# A question word right after a word makes that word what is asked ("开设几门", "税收多少", "打造什么产业"),
# not the subject; "什么时候" and "什么地方" ask when or where, after the subject, as "几点", "几时", "几号" do
# ("东关街道社区卫生服务中心几点开门？": the centre is the subject, not 社区卫生 alone).
ASKED_RE = re.compile(
    r"[的了]?(?:多少|多大|多长|多高|多远|几(?![点时号])|(?:什么|啥)(?!时候|时间|地方)|哪些|哪个|哪家|哪几)"
)
# "When" and "how": the subject words after them are part of the subject ("什么时候开始接种流感疫苗").
ADVERBIAL_RE = re.compile(r"什么时候|什么时间|啥时候|何时|哪天|几时|怎么|怎样|如何")
TAIL_WORD_CHARS = 3
# "Like" for a "那X呢？" comparison: X and a run of the previous subject share this many characters, at least.
LIKE_MIN_CHARS = 2
TIME_RE = re.compile(r"\d{4}年度?|[上下]半年|全年|今年|去年|明年|本年度?")
# Words that say how an asked figure is meant ("计划总投资": planned, "累计完成": so far), not what it is of: they go
# with what was asked, and a follow-up asking about the figure now ("总建筑面积现在是多少？") must not be held to the
# plan.
FIGURE_SENSE = frozenset({"计划", "预计", "拟", "累计", "实际", "共计", "合计", "总计", "预期"})
HOURS_RE = re.compile(r"周末|工作日|节假日|假期|上午|下午|中午|晚上|夜间|白天|早上")
# "That" with a measure word, said between a place and a thing in it ("潍坊商场那个不动产服务点").
POINTER_GAP_RE = re.compile(r"[这那](?:个|家|所|处)")
# A thing not brought or forgotten ("没带简历", "忘带身份证"): "…呢？" asks what to do then, not the same question.
MISHAP_RE = re.compile(r"(?:没有?|忘了?|忘记了?)带")
# "What else", "in detail": no other thing to compare ("还有呢？", "具体呢？").
VAGUE = frozenset("还有 具体 详细 其他 其它 别的 然后 另外".split())
# Before and after an event ("扩建前", "改造以后"): a comparison of its two sides.
SIDES = "以前|以后|之前|之后|前|后"
SIDE_RE = re.compile(rf"(?P<event>[\u4e00-\u9fff]{{2,6}}?)(?P<side>{SIDES})")
# "One" or "each" with a measure word ("一个", "每座").
ONE_OF_RE = re.compile(r"[一每两单][个次份位张件处条座盏间套]")
# "How many" with its measure word, after "there are" or "did" ("有多少盏", "几个"): a count of the noun after it.
COUNT_RE = re.compile(r"(?:有|了|要|共|一共)?(?:多少|几)[个座盏处条家所项名位张台辆套间栋块门种批]?")
# jieba's tags for words that name a thing (a verb such as "要建" or "改造" names none).
THING_TAGS = frozenset({"n", "nz", "nt", "ns", "nr", "nrt", "l", "j", "ng", "vn"})
# Words that name a detail of a thing ("上课时间", "报名地点"), not a group or an extent of it ("对象", "范围").
DETAILS = frozenset(
    """
    时间 日期 地点 地址 位置 电话 号码 费用 价格 收费 学费 票价 材料 资料 证件 手续 条件 要求 标准 流程 步骤 方式 渠道
    """.split()
)
# A day of the week, a season, a time of day: what a comparison may ask the same question for ("周六呢？").
WHEN_RE = re.compile(
    r"(?:周|星期|礼拜)[一二三四五六日天末]|[春夏秋冬]季|寒假|暑假|节假日|工作日|上午|下午|中午|晚上|夜间|白天|早上|高峰期?|平峰期?"
)
# The whole of an area ("全区", "本市").
WHOLE_AREA_RE = re.compile(r"[全本][区市县省镇]")
# The last characters of names of places and facilities ("民俗文化园", "区体育馆"), which jieba may cut off alone.
PLACE_ENDS = frozenset("园馆场站院堂厅楼室店厂库港桥村镇")
STREET_ENDS = frozenset("街路巷")
# The end of a circumstance a question opens with, the thing asked about after it: something that has happened
# ("土地流转了，"), or what to do about it ("…去不了派出所怎么办身份证？").
CIRCUMSTANCE_RE = re.compile(r"了[，,]|(?:怎么办|咋办)(?=[\u4e00-\u9fff])")

# Characters that end the subject a question starts with: its verb or question word follows.
SUBJECT_BREAK = frozenset("是在有要将把被对从到向于为和与及或什多哪几怎吗谁如呢么")


def head_of(question: Question, subject: Sequence[str]) -> str:
    """The subject as written: the run of subject words the question starts with (the words and what joins
    them), less the words at its end that say what was asked ("开设" in "…开设几门课程", "2021年税收" in
    "…2021年税收多少"), and the compound subject words after "when" or "how" ("…什么时候开始接种流感疫苗")."""
    text = question.folded
    run = _run(text, subject, _after_circumstance(text, subject))
    whole = list(run)
    asked = False
    while len(run) > 1 and ASKED_RE.match(text[run[-1][2] :]):
        run.pop()
        asked = True
    # The year or period the asked word went with ("2021年税收多少"), not one that bounds the subject
    # ("大虞街道2021年有多少个重点项目").
    while asked and len(run) > 1 and (_qualifier(run[-1][0]) or run[-1][0] in FIGURE_SENSE):
        run.pop()
    # A time of day or week the subject ends with is what was asked about it ("…服务中心周末开门吗？"), not part
    # of what the thread is about.
    while len(run) > 1 and HOURS_RE.fullmatch(run[-1][0]):
        run.pop()
    if not run:
        return ""
    start, end = run[0][1], run[-1][2]
    if text[start:end][-1:].isdigit() and text[end : end + 1] == "年":
        end += 1
    elif text[end : end + 1] in STREET_ENDS and words(text[end:], search=False)[:1] == [text[end]]:
        # jieba cuts a street's name into the name and 街/路 ("胜利街" → 胜利 + 街) and the one-character word is
        # dropped; the street is the subject (not "路口", which jieba keeps whole).
        end += 1
    elif len(whole) > len(run) and whole[len(run)][1] - end == 1 and text[end] in PLACE_ENDS:
        # A place's last character between the subject's last word and the word dropped after it ends the
        # subject's noun (jieba cuts "民俗文化园门票" into 民俗文化 + 园 + 门票, and drops the one-character word); not
        # a character that goes with what was asked ("潍州金谷总投资", "房租能减免").
        end += 1
    if end - start > 1 and text[end - 1] in MODALS and modal_ends_head(run[-1][0], text[end:]):
        end -= 1  # jieba joins "can" to the noun before it ("服务点能办": 点能); it starts what is asked
    head = _without_pointers(question, run, start, end)
    counted = _counted(question, subject, run, whole[len(run)] if len(whole) > len(run) else None)
    if counted is not None:
        # "今年要建几个口袋公园？", "全区有多少盏路灯？": the words before the count name nothing but what is done,
        # where or when; the thing counted is what the question is about.
        kept = [(a, b) for term, a, b in run if _where_or_when(term)]
        head = "".join(_as_typed(question, a, b) for a, b in kept) + _as_typed(question, *counted)
        end = counted[1]
    after = ADVERBIAL_RE.search(text, end)
    # Only compound words there ("流感疫苗"): a short one is likelier the event asked about ("封顶", "开业").
    tail = _run(text, [t for t in subject if t not in head and len(t) >= TAIL_WORD_CHARS], after.end()) if after else []
    return head + (_as_typed(question, tail[0][1], tail[-1][2]) if tail else "")


def modal_ends_head(last: str, rest: str) -> bool:
    """Whether the modal the head's last word ends with starts what is asked of it: before a verb it governs
    ("服务点能办", "暖冬送福要招多少志愿者": 送福要, a word jieba's dictionary lacks, before the one-character 招); not
    a word of the dictionary ("重要", "技能")."""
    if rest[:1] in MODAL_VERBS:
        return True
    following = words(rest, search=False)[:1]
    return not dictionary_word(last) and bool(following) and len(following[0]) == 1 and _is_cjk(following[0])


def _after_circumstance(text: str, subject: Sequence[str]) -> int:
    """Where the question's subject is looked for: after a circumstance it opens with when subject words follow
    it ("土地流转了，种粮补贴给谁？" asks about the subsidy; "老人卧床去不了派出所怎么办身份证？" about the identity
    card), else its start ("网购的衣服不想要了，几天内可以退？" names nothing after the comma)."""
    opened = [m.end() for m in CIRCUMSTANCE_RE.finditer(text)]
    if not opened:
        return 0
    # A noun: after "身份证丢了，" the verb of "怎么补办" says what is done about the card, not another thing.
    nouns = set(place_names(text[opened[-1] :], NOUN_TAGS))
    return opened[-1] if any(t in nouns for t in subject) else 0


def _without_pointers(question: Question, run: Sequence[tuple[str, int, int]], start: int, end: int) -> str:
    """The subject from ``start`` to ``end`` as typed, less the "那个" said between its words: the thread's subject is
    the place's facility ("潍坊商场不动产服务点"), and a pronoun in it would read as pointing back again."""
    pieces = []
    at = start
    for (_, _, left), (_, right, _) in pairwise(run):
        if POINTER_GAP_RE.fullmatch(question.folded[left:right]):
            pieces.append(_as_typed(question, at, left))
            at = right
    return "".join(pieces) + _as_typed(question, at, end)


def _counted(
    question: Question,
    subject: Sequence[str],
    run: Sequence[tuple[str, int, int]],
    dropped: tuple[str, int, int] | None,
) -> tuple[int, int] | None:
    """Where the thing a question counts stands ("口袋公园" of "今年要建几个口袋公园？") when the subject words before
    the count name no thing (a verb, an area, a time: "要建", "全区"), or None. ``dropped`` is the word taken off
    the run as what was asked, when one was: a verb after the whole area ("全区建成了多少处健身步道？") says what
    was done, and the thing counted after it is the subject."""
    text = question.folded
    things = set(place_names(text, THING_TAGS))
    count = COUNT_RE.match(text, run[-1][2])
    whole_area = all(WHOLE_AREA_RE.fullmatch(t) or _qualifier(t) for t, _, _ in run)
    if count is None and dropped is not None and whole_area and dropped[0] not in things:
        count = COUNT_RE.match(text, dropped[2])
    if count is None:
        return None
    if any(term in things and not _where_or_when(term) for term, _, _ in run):
        return None
    after = _run(text, [t for t in subject if text.find(t, count.end()) >= 0], count.end())
    if not after or after[0][1] != count.end():
        return None
    # jieba may cut the noun's end into single characters it drops ("健身步道": 健身 + 步 + 道): the noun runs on to
    # the question's end when only such characters follow.
    rest = re.match(r"[\u4e00-\u9fff]*?(?=[吗呢]?[?？!！。.\s]*$)", text[after[-1][2] :])
    if rest is not None and rest.group() and not any(c in SUBJECT_BREAK for c in rest.group()):
        return after[0][1], after[-1][2] + len(rest.group())
    return after[0][1], after[-1][2]


def _where_or_when(term: str) -> bool:
    """Whether a subject word names an area or a time ("北苑街道", "全区", "2023年"), not a thing."""
    return _qualifier(term) or AREA_RE.fullmatch(term) is not None or WHOLE_AREA_RE.fullmatch(term) is not None


def _run(text: str, terms: Sequence[str], begin: int) -> list[tuple[str, int, int]]:
    """The run of ``terms`` (in order, joined by at most one character) that starts first after ``begin``."""
    run: list[tuple[str, int, int]] = []
    for term in terms:
        at = text.find(term, run[-1][2] if run else begin)
        if at < 0:
            continue
        gap = text[run[-1][2] : at] if run else ""
        # A year said between an area and its subject ("坊子区今年老人体检") joins them as one character does.
        # So does a spoken "那个" between a place and the facility in it ("潍坊商场那个不动产服务点").
        joined = (len(gap) <= 1 and not any(c in SUBJECT_BREAK for c in gap)) or POINTER_GAP_RE.fullmatch(
            gap
        ) is not None
        if run and not joined and TIME_RE.fullmatch(gap) is None:
            break
        run.append((term, at, at + len(term)))
    return run


def _as_typed(question: Question, start: int, end: int) -> str:
    """Characters of the folded question as typed (upper case kept) when folding kept the length, as it nearly
    always does."""
    return question.text[start:end] if len(question.text) == len(question.folded) else question.folded[start:end]


def _qualifier(term: str) -> bool:
    """A year or a period ("2021", "上半年"): it says when, and a follow-up may ask about another time."""
    return term.isdigit() or TIME_RE.fullmatch(term) is not None


def _missing_subject(context: Context, question: Question) -> str:
    """The previous subject, unless this question names all of it, with the previous 现在 when it had one."""
    head = context.head
    named = [t for t in context.subject if t in fold(head)]
    if not named or named[0] in question.folded:
        return ""  # the question names the subject itself ("诸城市的招聘会…" after a question about 诸城市)
    # A question naming its own number ("那32路的末班车几点？" after "19路公交车…") keeps it.
    own = NUMBER_RE.search(question.folded)
    if own is not None:
        head = re.sub(rf"(\d+|[一二三四五六七八九十百千两]+)\s*{own.group('unit')}", "", head)
    # ... and its own time ("全年目标是多少？" after "诸城市上半年城镇新增就业多少人？").
    if TIME_RE.search(question.folded):
        head = TIME_RE.sub("", head)
    latest = LATEST_RE.search(context.question.folded)
    # The previous question's 现在 or 已经 goes first, once: a subject that starts with it ("已经起诉") says it; not
    # into a question about before ("以前是多少岁？" after "现在多大年纪坐公交免费？").
    before = PAST_RE.search(question.folded) is not None
    if latest and not question.wants_latest and not before and head and latest.group() not in fold(head):
        head = latest.group() + head
    return head


def action_of(question: Question, head: str) -> str:
    """What the question asked how, where or when to do ("申请" of "高龄津贴到哪里申请？"): an action it ends with,
    unless its subject names one; "" otherwise ("新生儿怎么参加居民医保？" asks about the insurance)."""
    ends = ACTION_END_RE.search(question.folded)
    # A subject that names what is done already ("家庭医生签约在哪里办理？") needs no other verb.
    if ends is None or any(a in fold(head) for a in ACTIONS):
        return ""
    return ends.group(1)


def event_of(question: Question, head: str) -> str:
    """The event a question asked the day or time of, a verb it ends with ("试鸣" of "防空警报哪天试鸣？"), or ""."""
    ends = EVENT_END_RE.search(question.folded)
    # Not a word that only says when ("开始", "举办"): "几点到几点？" after "…什么时候开始？" needs no 开始.
    if ends is None or ends.group("event") in fold(head) or ends.group("event") in GENERIC:
        return ""
    if any(a in ends.group("event") for a in ACTIONS):
        return ""
    return ends.group("event")


def _carry(text: str, question: Question, context: Context) -> str:
    """The question with the previous subject put where its pronoun was, or before it."""
    subject = _script(_missing_subject(context, question), text)
    if not subject:
        return text
    # Positions in folded text are positions in the text when folding kept its length (it nearly always does).
    body = text if len(fold(text)) == len(text) else question.folded
    folded = fold(body)
    match = PRONOUN_RE.search(folded)
    if match is not None:
        end = match.end()
        # "这个基金" after "奎文创新引领基金…": the noun after the pronoun is already in the subject.
        held = next((n for n in (4, 3, 2) if len(folded) >= end + n and folded[end : end + n] in fold(subject)), 0)
        # "这个站" after "金宝公园充电站…": one character the subject ends with is the thing it names (not the first of
        # a word: "这个学校" after "老年大学…").
        one = folded[end : end + 1]
        word = any(len(t) > 1 and folded.startswith(t, end) for t in question.terms)
        if not held and one and _is_cjk(one) and one not in SUBJECT_BREAK and fold(subject).endswith(one) and not word:
            held = 1
        if not held:
            # "这些措施" after a question on one of the measures: the noun names the document, as its title does.
            noun = next((t for t in question.terms if folded.startswith(t, end)), "")
            named = context.recent if noun and noun in fold(context.recent) else context.title_phrase(noun)
            # "这个学校" after "老年大学…": the noun is the kind of thing a subject word is, whose last character
            # it starts with; the subject as far as that word.
            named = named or _subject_as_far_as(subject, noun)
            if named:
                return body[: match.start()] + _script(named, text) + body[end + len(noun) :]
        return body[: match.start()] + subject + body[end + held :]
    body = LEADING_THEN_RE.sub("", body)
    # "家庭医生签约" + "签约后…": the words they share are written once.
    overlap = next((n for n in range(min(len(subject), len(body)), 1, -1) if fold(subject).endswith(fold(body[:n]))), 0)
    # "保险峰汇产业园" + "园区的租金…": a noun that starts with the last character of the subject's last word names
    # that thing again (the park), as "这个学校" does after "老年大学"; it is written once.
    overlap = overlap or _kind_noun_length(subject, body, question)
    inside = _last_word_inside(subject, body, question) if not overlap else -1
    if inside > 0:
        # "负责体检的医生…" after "65岁以上老人免费体检…": the subject stands where the question names its last word.
        last = words(fold(subject), search=False)[-1]
        return body[:inside] + subject + body[inside + len(last) :]
    if context.action and not overlap and not any(a in question.folded for a in ACTIONS):
        # "要带什么材料？" after "高龄津贴到哪里申请？" asks about applying for it.
        subject += _script(context.action, text)
    elif context.event and not overlap and _asks_when_again(question, context.event):
        # "几点开始？" after "防空警报哪天试鸣？" asks the time of that event again.
        subject += _script(context.event, text)
    return subject + body[overlap:]


def _as_titled(context: Context) -> str:
    """The subject as the title of the document it was answered from names it, when the question named it by one
    word the title says with a word before it ("骨灰堂" → "公益性骨灰堂" of "奎文区公益性骨灰堂建设项目启动"): a
    follow-up carrying the bare word reads as less of that document's topic, and the engine may decline it."""
    head = context.head
    noun = fold(head)
    if len(noun) < 2 or len(words(noun, search=False)) != 1 or not _is_cjk(noun[:1]):
        return head
    for text in context.texts:
        title = text.split("\n", 1)[0]
        tokens = words(title, search=False)
        if noun not in tokens:
            continue
        # The words naming a kind of thing right before it in the title ("公益性"), not a verb ("出台"), 的, or an area
        # ("奎文区"): an area the question did not name would be swapped by a comparison ("那寒亭区的公墓呢？").
        # A distinguishing word ("公共" of "公共充电站", tagged b) names the kind as a noun does.
        things = set(place_names(title, THING_TAGS | {"b"}))
        at = tokens.index(noun)
        start = at
        while (
            start > 0
            and len(tokens[start - 1]) > 1
            and tokens[start - 1] in things
            and not _where_or_when(tokens[start - 1])
        ):
            start -= 1
        if start < at:
            return _script("".join(tokens[start : at + 1]), head)
    return head


def _asks_when_again(question: Question, event: str) -> bool:
    """Whether ``question`` asks when or at what time and names nothing of its own, nor ``event``: the time of the
    event asked about before ("几点开始？"), not of another thing ("认证时间是什么时候？")."""
    asks = question.ask is not None and question.ask.name in WHEN_ASKS
    # "钱什么时候到账？" after "…什么时候申报？" asks the time of an event of its own.
    own = EVENT_END_RE.search(question.folded)
    if own is not None and own.group("event") not in GENERIC:
        return False
    return asks and event not in question.folded and not subject_terms(question)


def _last_word_inside(subject: str, body: str, question: Question) -> int:
    """Where inside ``body`` (not at its start) the question names the subject's last word as a thing, what a
    word belongs to ("体检" in "负责体检的医生…" for "…免费体检") or what is done ("参加" + "招聘会"), or -1; not as
    what is asked of it ("停水" in "哪些小区停水？")."""
    head_words = words(fold(subject), search=False)
    last = head_words[-1] if len(head_words) > 1 else ""
    if len(last) < 2 or last not in question.terms:
        return -1
    folded = fold(body)
    at = folded.find(last, 1)
    if at < 0:
        return -1
    owned = folded.startswith("的", at + len(last))
    done = any(folded[:at].endswith(action) for action in ACTIONS)
    return at if owned or done else -1


# The last characters of a charge's name (学费, 票价, 押金, 房款).
CHARGE_ENDS = ("费", "价", "钱", "款", "金")


def _kind_noun_length(subject: str, body: str, question: Question) -> int:
    """The length of the noun ``body`` starts with when it is the kind of thing the subject's last word is ("园区"
    for "…产业园"), else 0."""
    head_words = words(fold(subject), search=False)
    last = head_words[-1] if head_words else ""
    noun = next((t for t in question.terms if fold(body).startswith(t)), "")
    kind = len(last) > 1 and len(noun) > 1 and noun[0] == last[-1] and noun not in fold(subject)
    # A charge (学费 after 开学, 园费 after 幼儿园) is what the question asks for, not the subject named again.
    return len(noun) if kind and not noun.endswith(CHARGE_ENDS) else 0


def _subject_as_far_as(subject: str, noun: str) -> str:
    """The subject up to its first word ending with the character ``noun`` starts with ("老年大学" of
    "老年大学秋季学期" for 学校), or "" when none does."""
    if len(noun) < 2:
        return ""
    for term in words(fold(subject), search=False):
        if len(term) > 1 and term[-1] == noun[0]:
            return subject[: fold(subject).find(term) + len(term)]
    return ""


def _swap(pattern: re.Pattern[str], previous: str, x: str, same_unit: bool) -> str | None:
    """The previous question with its area (or number of the same unit) replaced by the one ``x`` names."""
    new = pattern.search(x)
    if new is None:
        return None
    for old in pattern.finditer(previous):
        if not same_unit or old.group("unit") == new.group("unit"):
            return previous[: old.start()] + new.group() + previous[old.end() :]
    return None


def _compare(x: str, context: Context) -> str:
    """The previous question asked about ``x`` instead ("那坊子区呢？", "那90岁呢？", "那报名时间呢？")."""
    before = context.question
    prev = _strip_end(before.folded)
    swapped = _swap(AREA_RE, prev, x, False) or _swap(NUMBER_RE, prev, x, True)
    if swapped is not None:
        return swapped + "？"
    if x in VAGUE:
        # "还有呢？", "具体呢？": more of the same question, which is asked again.
        return prev + "？"
    if MISHAP_RE.match(x):
        # "没带简历呢？" after "…招聘会要带什么？": what to do when it was not brought, asked of the thread's subject;
        # read into the previous question it would ask again what to bring.
        return fold(context.head) + x + "怎么办？"
    # Another item of the list or table the document gives ("那葫芦丝呢？" after "…书法课在哪天上？": both start a
    # numbered line of the course list): X replaces the previous question's word that starts another item.
    sibling = _list_sibling(x, prev, context)
    if sibling is not None:
        return prev.replace(sibling, x, 1) + "？"
    sides = _other_side(x, prev) or _other_modifier(x, prev)
    if sides is not None:
        return sides + "？"
    if TIME_RE.fullmatch(x) and not LATEST_RE.fullmatch(x):
        # Another time ("去年呢？", "上半年呢？"): in place of the question's own time, or after its area.
        said = TIME_RE.search(prev)
        return (prev[: said.start()] + x + prev[said.end() :] if said else _after_area(prev, x)) + "？"
    if WHEN_RE.fullmatch(x):
        # Another day, season or time of day ("周六呢？", "冬季呢？"): in place of the question's own, or right after
        # its subject ("东关街道社区卫生服务中心" + "周六" + "几点开门").
        said = WHEN_RE.search(prev)
        if said is not None:
            return prev[: said.start()] + x + prev[said.end() :] + "？"
        return _after_head(prev, x, context) + "？"
    x_words = words(x, search=False)
    if len(x_words) > 1 and x_words[-1] in DETAILS and len(subject_terms(analyse(x))) <= 1:
        # A detail of the same subject, said with what it is of ("那上课时间呢？" after "…书法课学费多少？").
        return _missing_subject(context, analyse(x)) + x + "？"
    if LATEST_RE.search(x):
        # The later state of the same thing: a year the question named would hold it to the past.
        return x + re.sub(r"\d{4}年度?", "", prev) + "？"
    x_terms = subject_terms(analyse(x))
    if NUMBER_RE.search(x) or AREA_RE.search(x):
        # A group to ask the same question for ("90岁呢", "诸城市呢"), unless X also names a subject the documents
        # hold ("那三级残疾人呢？"), which is a subject to swap in.
        named = [t for t in x_terms if not t.isdigit() and not AREA_RE.search(t)]
        if not named or not context.sentences_with(named):
            return _after_area(prev, x) + "？"
    if not x_terms:
        # A detail of the same subject: "那报名时间呢？" after a question about the senior university.
        return _missing_subject(context, analyse(x)) + x + "？"
    # Another thing of the same kind ("晚餐呢？" after "…午餐几点供应？", "书法课" for "摄影课"): a word as long as
    # X that ends with the same character is the one X replaces.
    kin = next((t for t in context.subject if len(t) == len(x) and t[-1] == x[-1] and t != x and t in prev), None)
    if kin is not None:
        return prev.replace(kin, x, 1) + "？"
    # A thing like one the question named ("嵌入式养老服务驿站" for "社区智慧养老服务站"): X replaces the run of
    # subject words that shares most of its characters.
    like = _likest_run(prev, context.subject, x)
    if like is not None:
        return prev[: like[0]] + x + prev[like[1] :] + "？"
    if _names_people(x) and not any(_names_people(t) for t in context.subject):
        # A group the previous follow-up asked about ("学生呢？" after "…老人要买票吗？"): X is asked in its place.
        asked_for = next((t for t in subject_terms(before) if _names_people(t) and t != x and t in prev), None)
        if asked_for is not None:
            return prev.replace(asked_for, x, 1) + "？"
        # A group of people the question named none of ("老年人呢？" after "W6路票价多少？"): the same question for
        # them, the subject kept whole before them.
        return _after_head(prev, x, context) + "？"
    area_words = "".join(m.group() for m in AREA_RE.finditer(prev))
    if context.titled(x) and all("\n" in text for text in context.texts):
        # X is one of the things the document's title (its first line) names ("南下河市场" beside "潍州金谷"): it
        # replaces the run of title words the question named, which the topic rule below would keep.
        titled = [t for t in context.subject if t not in x and context.titled(t) and t not in area_words]
        run = _run(prev, titled, 0)
        if run:
            return prev[: run[0][1]] + x + prev[run[-1][2] :] + "？"
    # Another subject, same question ("那小微企业呢？" after "个人创业担保贷款额度最高多少？"): X replaces the
    # first subject word that names no area, and those that never share a sentence with X in the documents.
    # The document's own topic ("居民医保" throughout a notice on it) stays, as do words the documents never
    # use ("要交"), which say nothing of which subject they belong to.
    sentences = context.sentences_with(x_terms)
    rest = prev
    first = True
    place = -1
    for term in context.subject:
        if term in area_words or context.topic(term):
            continue
        if first or (context.mentions(term) and not any(term in s for s in sentences)):
            at = rest.find(term)
            if at >= 0:
                place = at if place < 0 else min(place, at)
                rest = rest[:at] + rest[at + len(term) :]
        first = False
    if len(rest) < 2 or place < 0:
        return _after_area(prev, x) + "？"
    # X where the first word it replaces stood ("老年大学的" + "太极拳" + "课学费是多少").
    after = rest[place:]
    head = next((h for h in GROUP_HEADS if after.startswith(h)), "")
    if head and x[-1] in PEOPLE_ENDS:
        # "低保对象" → "那三级残疾人呢？": X names its group of people whole; the replaced word's 对象 goes with it.
        after = after[len(head) :]
    return rest[:place] + x + after + "？"


def _names_people(term: str) -> bool:
    """Whether a word names a group of people ("老年人", "大学生", "低保对象")."""
    return term[-1:] in PEOPLE_ENDS or term.endswith(GROUP_HEADS) or term.endswith(PUPILS)


def _after_head(question: str, x: str, context: Context) -> str:
    """``x`` put right after the subject ``question`` starts with ("东关街道社区卫生服务中心" + "周六" + "几点开门"),
    or before it when it starts with none."""
    head = fold(context.head)
    at = question.find(head) + len(head) if head and head in question else 0
    return question[:at] + x + question[at:]


def _recase(text: str, typed: str) -> str:
    """``text`` (built from folded text) with the Latin words of ``typed`` in their typed case ("W6路", not "w6路")."""
    for word in set(re.findall(r"[A-Za-z][A-Za-z0-9]*", typed)):
        if word != word.lower():
            text = re.sub(rf"(?<![A-Za-z]){re.escape(word.lower())}(?![A-Za-z])", word, text)
    return text


def _other_side(x: str, question: str) -> str | None:
    """The question asked of the other side of an event ("扩建前呢？" after "…扩建后每天能处理多少污水？"): the word
    said before "before" or "after" in both, with X's side in place of the question's; None when not so."""
    side = SIDE_RE.fullmatch(x)
    if side is None:
        return None
    event = side.group("event")
    said = re.search(rf"{re.escape(event)}(?P<side>{SIDES})", question)
    if said is None or said.group("side") == side.group("side"):
        return None
    return question[: said.start("side")] + side.group("side") + question[said.end("side") :]


def _other_modifier(x: str, question: str) -> str | None:
    """The question asked of another kind of the thing it named ("全天月卡呢？" after "…夜间月卡多少钱？", "慢充桩呢？"
    after "…有几个快充桩？"): X ends with two or more characters of the question, and its words before them stand
    in place of as many characters before those; None when not so."""
    for shared in range(len(x) - 1, 1, -1):
        modifier, thing = x[:-shared], x[-shared:]
        at = question.find(thing)
        if at < 0:
            continue
        before = question[at - len(modifier) : at] if at >= len(modifier) else ""
        if not before or before == modifier or any(c in SUBJECT_BREAK or not _is_cjk(c) for c in before):
            return None
        if at - len(modifier) not in _word_starts(question):
            return None  # "北海学校" for "潍州路学校": the modifier replaced would start inside a word (潍州路)
        return question[: at - len(modifier)] + x + question[at + shared :]
    if len(x) == 2 and all(_is_cjk(c) for c in x):
        # Two characters, the last one shared ("首班呢？" after "…末班几点？", "三价呢？" after "四价…"): a word of the
        # question as jieba cuts it, one character before the shared one ("新生" inside "新生儿" is none).
        kin = next((w for w in words(question, search=False) if len(w) == 2 and w[1] == x[1] and w != x), None)
        if kin is not None and kin[0] not in SUBJECT_BREAK:
            return question.replace(kin, x, 1)
    return None


def _word_starts(text: str) -> set[int]:
    """Where the words of ``text`` start, as jieba cuts it."""
    starts = set()
    at = 0
    for w in words(text, search=False):
        found = text.find(w, at)
        if found >= 0:
            starts.add(found)
            at = found + len(w)
    return starts


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def _list_sibling(x: str, question: str, context: Context) -> str | None:
    """The word of ``question`` that starts an item of the same numbered list as ``x`` in a previous answer's
    document ("书法" for "葫芦丝" in "1．书法…" / "6．葫芦丝…"), or that names another row of its table ("小学" for
    "初中" in "小学 | 17:30" / "初中 | 18:00"), or None."""
    for text in context.texts:
        # An item's name: what it starts with, up to its first mark ("书法" of "书法(楷书):周一上午…").
        for names in ([m.group("item") for m in LIST_ITEM_RE.finditer(text)], _table_rows(text)):
            if x not in names:
                continue
            # The question may name it with more ("书法课"), or as words the item's name is cut into ("人民调解" +
            # "室" for "人民调解室"): the name as written in it, starting a word ("小学" is none of "中小学").
            starts = _word_starts(question)
            named = [n for n in names if len(n) > 1 and n != x and question.find(n) in starts]
            if named:
                return max(named, key=len)
    return None


def _table_rows(text: str) -> list[str]:
    """The names of the rows of the tables in ``text`` (their first cells), less each table's header row."""
    rows = []
    header = True
    for line in text.split("\n"):
        row = TABLE_ROW_RE.match(line)
        if row is not None and not header:
            rows.append(row.group("item"))
        header = "|" not in line
    return rows


def _likest_run(question: str, subject: Sequence[str], x: str) -> tuple[int, int] | None:
    """Where in ``question`` the run of subject words most like ``x`` stands: one that shares at least half of
    X's characters (and two or more), or None."""
    spans = sorted((at, at + len(t)) for t in subject if (at := question.find(t)) >= 0 and not AREA_RE.search(t))
    runs: list[tuple[int, int]] = []
    for start, end in spans:
        gap = question[runs[-1][1] : start] if runs else ""
        if runs and start - runs[-1][1] <= 1 and not any(c in SUBJECT_BREAK for c in gap):
            runs[-1] = (runs[-1][0], max(end, runs[-1][1]))
        else:
            runs.append((start, end))
    shared = [(len(set(x) & set(question[a:b])), (a, b)) for a, b in runs]
    best = max(shared, default=(0, (0, 0)))
    return best[1] if best[0] >= max(LIKE_MIN_CHARS, len(set(x)) / 2) else None


def _after_area(question: str, x: str) -> str:
    """``x`` put after the area ``question`` starts with ("奎文区" + "90岁" + "高龄津贴…"), or before it."""
    area = AREA_RE.match(question)
    return question[: area.end()] + x + question[area.end() :] if area else x + question


# English subjects are phrases: "the Spring Breeze job fair" of "Where is the Spring Breeze job fair held?". The
# phrase starts at the first "the"; a verb ending the question ("held", "open") is not part of it.
EN_PHRASE_RE = re.compile(r"\b(?:the|a|an)\s+(?P<phrase>[^?.!]+?)(?:\s+(?P<verb>[a-z]+))?\s*[?.!]*$", re.IGNORECASE)
EN_VERBS = frozenset("held hold open opened start started begin end close closed located run given paid due".split())
# An auxiliary right before the phrase: the phrase is its subject, the question's last word its verb.
EN_AUX_RE = re.compile(r"\b(?:do|does|did|will|would|can|could|should|may|might)\s+$", re.IGNORECASE)
# An auxiliary before a "the" later in the question: what comes before it ("How much of the price does …") is what
# was asked, and the phrase after it the subject.
EN_AUX_THE_RE = re.compile(r"\b(?:do|does|did|will|would|can|could|should|may|might)\s+(?=the\b)", re.IGNORECASE)
# "the payment period for the 2023 resident medical insurance": what was asked (the period) for the subject.
EN_OF_RE = re.compile(r"^[^?]+?\s+(?:of|for)\s+(?P<rest>the\s+.+|[a-z]+ \w*\d\w*)$", re.IGNORECASE)
# A charge asked of a place or thing ("the idle fee at public charging stations"): the charge is what was asked, as
# 多少 asks of the word before it in Chinese; the thing after it is what the thread is about (not an area after "in":
# "the bus fare in Kuiwen" is about the fare).
EN_CHARGE_RE = re.compile(
    r"^the\s+(?:[a-z-]+\s+){0,2}?(?:fee|fees|price|prices|fare|fares|charge|charges|cost|costs)\s+(?:at|of|for)\s+"
    r"(?P<rest>.+)$",
    re.IGNORECASE,
)
# A phrase of time ("the first half of the year") bounds a question; it is not what it is about.
EN_TIME_WORDS = frozenset("year years month months week weeks day days half quarter time period".split())
# What a plural pronoun stands for after "How many X did/are …?": X, and the name right after the verb, if any.
EN_PLURAL = frozenset({"they", "them", "these", "those", "their"})
EN_COUNTED_RE = re.compile(
    r"^(?i:how many) (?P<noun>[a-z][a-z -]*?) (?i:did|do|does|were|are|was|is|have|has|had|will|can|could)\b"
    r"(?: (?!The\b)(?P<owner>[A-Z][A-Za-z-]*))?"
)
EN_PREPOSITIONS = frozenset("in into to for at on of from with about".split())


def english_subject(question: str) -> str:
    """The noun phrase an English question is about ("the quadrivalent flu vaccine at the Dongguan community health
    centre"), less what it asked of it ("the payment period for" ...), or "" when it names none."""
    aux = list(EN_AUX_THE_RE.finditer(question))
    match = EN_PHRASE_RE.search(question, aux[-1].end() if aux else 0)
    if match is None:
        return ""
    phrase = "the " + match.group("phrase")
    verb = match.group("verb")
    # "How much does the tai chi class cost?": after "does" the phrase is what does it, and the last word its verb.
    acts = EN_AUX_RE.search(question[: match.start()]) is not None
    if verb is not None and verb.lower() not in EN_VERBS and not verb.lower().endswith("ing") and not acts:
        phrase += " " + verb
    # "When does the W6 bus start running?", "When will the project be completed?": the phrase ends before the
    # question's verb.
    tokens = phrase.split()
    # "the summer heat allowance per month": what follows "per" is the unit of the figure asked, not the thing.
    cut = next((i for i, w in enumerate(tokens) if i > 1 and w.lower() in EN_VERBS | {"be", "per"}), len(tokens))
    phrase = " ".join(tokens[:cut])
    asked = EN_OF_RE.match(phrase)
    if asked is not None:
        phrase = asked.group("rest")
    charge = EN_CHARGE_RE.match(phrase)
    if charge is not None:
        rest = charge.group("rest")
        phrase = rest if re.match(r"(?:the|a|an)\s", rest, re.IGNORECASE) else "the " + rest
    if {w.lower() for w in EN_WORD_RE.findall(phrase)} & EN_TIME_WORDS:
        return ""
    return phrase


def _resolve_en(text: str, context: Context) -> tuple[str, How]:
    """An English follow-up made standalone: the previous subject in place of its pronoun, or after it."""
    previous = context.question.text
    phrase = context.phrase
    about = EN_ABOUT_THEN_RE.match(text.strip())
    if about is not None:
        # The question after the comma, asked of X: X where the count leaves its thing out or where the pronoun is.
        x, own = about.group("x"), about.group("q")
        own = own[:1].upper() + own[1:]
        gap = EN_COUNT_GAP_RE.match(own)
        pronoun = EN_PRONOUN_RE.search(own)
        if gap is not None:
            return f"{own[: gap.end()]} {x}{own[gap.end() :]}?", "carry"
        if pronoun is not None:
            return f"{own[: pronoun.start()]}{x}{own[pronoun.end() :]}?", "carry"
    match = EN_COMPARE_RE.match(text.strip())
    condition = match.group("y") if match is not None else None
    if condition is not None and EN_CONDITION_RE.match(condition):
        # "And if it breaks down?" sets another case for the thread's thing, not another thing for its question.
        text, match = f"What {_strip_end(condition)}?", None
    if match is not None:
        x = match.group("x") or match.group("y")
        chinese = _glossed_whole(x) if language(previous) != "en" else ""
        if chinese:
            # "What about lunch?" after "住进去一个月多少钱？": the Chinese question's word swapped as "那午餐呢？"
            # swaps it; Chinese words in brackets after a Chinese question are not read as X.
            return resolve_one(f"那{chinese}呢？", context)
        if x.lower().startswith("the ") and phrase and phrase in previous and x.lower() != phrase.lower():
            # "What about the Nanxiahe market?" after "… of the Weizhou Jingu project?": another thing, same question.
            return previous.replace(phrase, x, 1), "replace"
        if x[:1].isupper() and phrase.startswith("the ") and phrase in previous:
            # "What about Hanting?" after "How much is the longevity allowance …?": Hanting's allowance.
            return previous.replace(phrase, f"{x}'s {phrase[4:]}", 1), "replace"
        if any(c.isdigit() for c in x) and any(c.isdigit() for c in phrase) and phrase in previous:
            # "What about route 19?" after "What is the fare for the W6 bus?": another numbered thing.
            return previous.replace(phrase, x, 1), "replace"
        group = _en_group(x, previous, phrase)
        if group is not None:
            # "And students?" after "How much do adults pay …?": another group of people, same question.
            return re.sub(rf"\b{group}\b", x, previous, count=1), "replace"
        return f"{_strip_end(previous)} ({x})?", "replace"
    question = analyse(text)
    own = subject_terms(question)
    pronoun = EN_PRONOUN_RE.search(text)
    # An English word the glossary does not know cannot be looked for in the (Chinese) documents.
    checkable = [t for t in own if not t.isascii()]
    # Counted as typed too: the glossary gives an English word several Chinese ones ("open": 开放, 营业, 开业…).
    typed = [w for w in EN_WORD_RE.findall(text) if _english_subject_word(w, "")]
    # A question of a few words the glossary knows none of ("Can kids arrive early in the morning?") cannot be
    # answered alone from the Chinese documents: it asks about the thread's subject.
    few = len(own) <= 2 or len(typed) <= 2 or (not checkable and len(typed) <= NAMELESS_MAX_WORDS)
    follows = not own or (few and (pronoun is not None or all(context.mentions(t) for t in checkable)))
    # "it" as the object of the resident's own verb, in a question of a few words as typed (the glossary gives one
    # word several Chinese ones), is the thread's thing.
    handled = EN_OBJECT_PRONOUN_RE.search(text) is not None and len(typed) <= NAMELESS_MAX_WORDS
    if (follows or handled) and language(previous) != "en":
        # After a Chinese turn the thread's subject is said in the English the glossary has for it ("e bike" for
        # 电动车): the engine reads an English question's words through that glossary, not Chinese mixed into it.
        said = english_words_for(context.subject)
        if not said:
            return text, "alone"
        # Beside the question, not in place of its pronoun: the glossed words name the thread's topic, not a phrase
        # that would read as the pronoun's thing ("Can I do it online?" is not "Can I do the e bike online?").
        return f"{_strip_end(text)} ({said})?", "carry"
    if not (follows or handled) or language(previous) != "en":
        instead = EN_INSTEAD_RE.search(text)
        if instead is not None and phrase and language(previous) == "en":
            return f"{text[: instead.start()]}instead of {phrase}?", "carry"
        return text, "alone"
    counted = EN_COUNTED_RE.match(previous) if pronoun is not None and pronoun.group().lower() in EN_PLURAL else None
    if pronoun is not None and counted is not None:
        # "How many of them got certificates?" after "How many eldercare workers did Zhucheng train …?": they are
        # what was counted, Zhucheng's when a name did it.
        owner = counted.group("owner")
        things = f"{owner}'s {counted.group('noun')}" if owner else f"the {counted.group('noun')}"
        # "… are there in the care home?": where they are goes with them.
        where = re.sub(r"^\s*there\b", "", previous[counted.end() :]).strip(" ?.!")
        if where.split(" ", 1)[0].lower() in EN_PREPOSITIONS:
            things += " " + where
        return text[: pronoun.start()] + things + text[pronoun.end() :], "carry"
    if phrase and (pronoun is None or pronoun.group().lower() in ("it", "its", "there", "that", "this")):
        if pronoun is not None:
            possessive = "'s" if pronoun.group().lower() == "its" else ""
            # "Can I charge my car there?": at the place, unless a preposition says how ("from there").
            before = text[: pronoun.start()].split()
            at = (
                "at "
                if pronoun.group().lower() == "there" and (not before or before[-1].lower() not in EN_PREPOSITIONS)
                else ""
            )
            return text[: pronoun.start()] + at + phrase + possessive + text[pronoun.end() :], "carry"
        body = _strip_end(text)
        joint = " " if body.split()[-1].lower() in EN_PREPOSITIONS else " for "
        return f"{body}{joint}{phrase}?", "carry"
    subject = " ".join(w for w in EN_WORD_RE.findall(previous) if _english_subject_word(w, text))
    if not subject:
        return text, "alone"
    if pronoun is not None:
        return text[: pronoun.start()] + subject + text[pronoun.end() :], "carry"
    return f"{_strip_end(text)} ({subject})?", "carry"


def _glossed_whole(x: str) -> str:
    """The Chinese word the hand glossary gives first for an English thing said whole ("lunch", "the weekend"),
    or "" when it has no entry for all of it ("someone without a local hukou")."""
    phrase = " ".join(re.sub(r"^(?:the|a|an)\s+", "", x.strip(), flags=re.IGNORECASE).lower().split())
    chinese = glossary().get(phrase, ())
    return chinese[0] if chinese else ""


@lru_cache(maxsize=1)
def _english_for_chinese() -> dict[str, str]:
    """Each Chinese word of the hand glossary and the English it is said by: the entry that lists it first, the
    shortest of those ("e bike" for 电动车)."""
    best: dict[str, tuple[int, int, str]] = {}
    for english, chinese in glossary().items():
        for rank, word in enumerate(chinese):
            key = (rank, len(english), english)
            if word not in best or key < best[word]:
                best[word] = key
    return {word: key[2] for word, key in best.items()}


# Words that say what kind of thing a subject is, not which one ("工程" of "潍州路北延工程"): said alone in English
# ("works") they point the engine at every project's sentences rather than the thread's.
CATEGORY_WORDS = frozenset("工程 项目 工作 活动 服务 事项 政策 通知 业务 事情 问题 情况".split())


def english_words_for(terms: Sequence[str]) -> str:
    """The Chinese subject words the hand glossary can say in English, said so, in order ("e bike" for 新买 电动车
    上牌), or "" when it knows none of them but words of a category (``CATEGORY_WORDS``)."""
    known = _english_for_chinese()
    said: list[str] = []
    for term in (t for t in terms if t not in CATEGORY_WORDS):
        english = known.get(term)
        if english is not None and english not in said:
            said.append(english)
    return " ".join(said)


def _en_group(x: str, previous: str, phrase: str) -> str | None:
    """The plural word of ``previous`` (outside its subject phrase) that a one-word plural ``x`` stands in for
    ("adults" for "students"), or None."""
    if not re.fullmatch(r"[a-z]{3,}s", x):
        return None
    outside = previous.replace(phrase, " ") if phrase else previous
    return next((w for w in EN_WORD_RE.findall(outside) if re.fullmatch(r"[a-z]{3,}s", w) and w != x), None)


def _english_subject_word(word: str, current: str) -> bool:
    low = word.lower()
    generic = low in STOPWORDS or low in GENERIC or low in QUESTION_WORDS or EN_PRONOUN_RE.fullmatch(low)
    return not generic and low not in current.lower()


def resolve_one(text: str, context: Context | None) -> tuple[str, How]:
    """``text`` as a standalone question, given the previous turn's context (None for a first question)."""
    if context is None or len(text) > RESOLVE_MAX_CHARS:
        return text, "alone"
    if language(text) == "en":
        return _resolve_en(text, context)
    question = analyse(text)
    before = context.question
    match = COMPARE_RE.match(question.folded)
    if match is not None and not ASKING_RE.search(match.group("x")) and language(before.text) == "en":
        # "冬天呢？" after an English question: its English words cannot be swapped for a Chinese one, so X is
        # asked with the same question, as "What about lunch?" is after a Chinese one.
        return f"{_strip_end(before.text)} ({match.group('x')})?", "replace"
    if match is not None and not ASKING_RE.search(match.group("x")):
        return _script(_recase(_compare(match.group("x"), context), before.text + text), text), "replace"
    own = subject_terms(question)
    repeated = _same_for_another_area(question, own, before)
    if repeated is not None:
        return _script(repeated, text), "replace"
    pronoun = PRONOUN_RE.search(question.folded) is not None
    # A question whose own words are all in the previous answer's document continues its topic; one of a word
    # or two also lacks its subject ("一共提供多少个岗位？"), a longer one names enough to stand alone.
    words = [t for t in own if not t.isdigit()]
    on_document = (
        bool(words)
        and all(context.mentions_loosely(t) or t in before.folded for t in words)
        and context.mentions_number(question)
    )
    # A short question's one word is a follow-up's detail ("周末开门吗？"), unless another document is about it.
    # A verb names what is done, not which thing ("每天几点上课？" after a question on a training course, though
    # another notice has 上课日); after a turn answered from no document there is no thread to do it in.
    verbs = set(place_names(question.folded, VERB_TAGS)) if context.texts else set()
    short = (
        len(own) <= 1
        and len(_strip_end(text)) <= SHORT_FOLLOW_UP_CHARS
        and not any(context.names_another_topic(t) for t in words if t not in verbs)
    )
    # "有停车场吗？": whether there is a thing, with nothing said before 有, is asked of the thread's subject.
    # Only a yes-or-no question about one thing: "有哪些小区停水？" asks which, and names a topic of its own.
    there = EXISTS_RE.fullmatch(question.folded) is not None and not WH_RE.search(question.folded) and len(own) <= 1
    # "低保户也要交钱吗？": "also" asks what was said of the thread's subject for another group or thing, unless a
    # word of it is what another document is about.
    also = (
        ALSO_RE.search(question.folded) is not None
        and len(own) <= ALSO_MAX_WORDS
        and not any(context.names_another_topic(t) for t in words)
    )
    follows = (
        not own
        or (pronoun and len(own) <= PRONOUN_MAX_WORDS)
        or short
        or there
        or also
        or (on_document and len(own) <= 2)
    )
    if follows or (not on_document and _nameless(words, question, context)):
        # A pronoun points at the thread's subject whatever the question's own words.
        narrowed = context if pronoun else context.narrowed_to(words, question.topic_terms, question.ask)
        carried = _carry(text, question, narrowed)
        return (carried, "carry") if carried != text else (text, "same")
    if on_document:
        return _object_gap(text, question, context) or _with_area(text, question, before), "same"
    return text, "alone"


def _object_gap(text: str, question: Question, context: Context) -> str | None:
    """A question of its own whose last verb lacks its object ("老人在外地住还能领吗？" after a question about the
    allowance), with the thread's subject as that object ("…还能领高龄津贴吗？"); None when it has one."""
    body = text if len(fold(text)) == len(text) else question.folded
    gap = OBJECT_GAP_RE.search(fold(body))
    subject = _script(_missing_subject(context, question), text) if gap else ""
    if gap is None or not subject:
        return None
    return body[: gap.end("verb")] + subject + body[gap.end("verb") :]


def _same_for_another_area(question: Question, own: Sequence[str], before: Question) -> str | None:
    """The previous question asked for another area when this one repeats it with its area changed and a word
    left out ("奎文区今年新建了几处？" after "诸城市今年新建了几处养老服务站？"), else None."""
    if not question.areas or not before.areas or question.areas & before.areas:
        return None
    named = [t for t in own if not AREA_RE.search(t)]
    previous = [t for t in subject_terms(before) if not AREA_RE.search(t)]
    if not named or not all(t in before.folded for t in named) or all(t in question.folded for t in previous):
        return None
    area = AREA_RE.search(question.folded)
    swapped = _swap(AREA_RE, _strip_end(before.folded), area.group(), False) if area else None
    return swapped + "？" if swapped else None


def _nameless(words: Sequence[str], question: Question, context: Context) -> bool:
    """Whether a few words of its own, one of them in the previous answer's document, name nothing another
    document is about ("全年计划新增多少张？", "老人可以免费打吗？"): the question still lacks its subject."""
    if not words or len(words) > NAMELESS_MAX_WORDS or context.documents is None or question.areas:
        return False
    return any(context.mentions_loosely(t) for t in words) and not context.held_better_elsewhere(words)


def _with_area(text: str, question: Question, before: Question) -> str:
    """A question on the previous subject's document, with the area the previous question named when it names
    none ("嵌入式养老服务驿站建几处？" after a question about 潍州路街道)."""
    # Only an area the previous question starts with: inside a run of characters the pattern may start too early.
    area = AREA_RE.match(before.folded) if not question.areas else None
    return _script(area.group(), text) + text if area else text


WHERE_ASKS = frozenset({"where", "address"})


def _asks_where_of_its_own(text: str) -> bool:
    """Whether a Chinese follow-up asks where a thing it names is ("东关的接种点在哪？"), not only where to do what
    the thread is about ("要去哪里申请？") or where it is, by a pronoun ("它在哪？")."""
    if language(text) == "en" or PRONOUN_RE.search(fold(text)) is not None:
        return False
    question = analyse(text)
    return question.ask is not None and question.ask.name in WHERE_ASKS and bool(subject_terms(question))


def _compares_a_circumstance(text: str) -> bool:
    """Whether a "那X呢？" follow-up's X is one verb, a circumstance for the thread's subject ("下雨呢？", "停电呢？"),
    not another thing, place or time to ask the same question of ("那坊子区呢？", "晚餐呢？")."""
    match = COMPARE_RE.match(fold(text))
    if match is None:
        return False
    x = match.group("x")
    return words(x, search=False) == [x] and place_names(x, VERB_TAGS) == [x]


def resolve(question: str, history: Sequence[Turn], documents: Documents | None = None) -> Resolved:
    """The standalone form of ``question`` after ``history`` (oldest first); each turn is resolved in order."""
    context: Context | None = None
    previous = None
    for turn in history[-HISTORY_MAX_TURNS:]:
        previous, how = resolve_one(turn.question.strip(), context)
        texts = [documents.folded(d) for d in turn.doc_ids[:ANSWER_DOCUMENTS]] if documents is not None else []
        analysed = analyse(previous[:RESOLVE_MAX_CHARS])
        recent = ""
        # A follow-up asking where a thing of its own is ("东关的接种点在哪？") leads the thread to that place: what is
        # asked next ("周末开吗？") is asked of it, so its subject is the resolved question's.
        led = how == "carry" and context is not None and _asks_where_of_its_own(turn.question.strip())
        # "下雨呢？" sets another circumstance for the thread's subject, not another subject: what is asked next
        # ("企业怎么报名？") is asked of the subject, without the rain.
        kept = how == "replace" and context is not None and _compares_a_circumstance(turn.question.strip())
        if (how in ("carry", "same") or kept) and context is not None and not led:
            # A follow-up keeps the subject it was given, so that the details asked on the way do not pile up.
            subject, head, action, phrase = context.subject, context.head, context.action, context.phrase
            event = context.event
            if how == "same":
                recent = head_of(analysed, subject_terms(analysed))
        else:
            subject = tuple(subject_terms(analysed))
            head = head_of(analysed, subject)
            action = action_of(analysed, head)
            event = event_of(analysed, head)
            phrase = english_subject(previous[:RESOLVE_MAX_CHARS])
        found = tuple(t for t in texts if t)
        if not found and how != "alone" and context is not None:
            # A follow-up that was declined is still on its thread's document: the next one is read against it.
            found = context.texts
        context = Context(analysed, subject, found, head, documents, recent, action, phrase, event)
        if how not in ("carry", "same"):
            context = replace(context, head=_as_titled(context))
    text, how = resolve_one(question, context)
    if how == "alone" or context is None:
        return Resolved(question)
    unpublished = unpublished_noun(analyse(question), context) if how in ("carry", "same") else None
    return Resolved(text, how, previous, unpublished, context.head)


def names_the_unpublished(resolved: Resolved, passage: str) -> bool:
    """Whether ``passage`` names both the thread's subject and the detail its document never names: another
    notice on the same thing gives it ("设置床位600张" of the hospital an earlier notice lists, where the thread's
    later notice only moves its date), so the follow-up is answered from it, not declined."""
    if resolved.unpublished is None or not resolved.head:
        return False
    text = fold(passage)
    named = synonym_groups().get(resolved.unpublished, frozenset()) | {resolved.unpublished}
    return fold(resolved.head) in text and any(word in text for word in named)


@dataclass(frozen=True)
class AskedNouns:
    """The nouns a question asks about: roles, where it asks who or which one ("主持人", "哪个车队"), and the noun
    a detail is asked of ("租金" in "园区的租金是多少？")."""

    roles: tuple[str, ...]
    details: tuple[str, ...]


def counts(ask: Ask) -> bool:
    """Whether ``ask`` asks how many or how much of a thing named after it ("多少空位"), not what a charge is
    ("收不收门票" is answered by "免费入场": the fee checks read the charge)."""
    return ask.name != "fee" and bool(ask.kinds & QUANTITY_KINDS)


def asked_nouns(question: Question) -> AskedNouns:
    """What ``question`` asks who or which of, and what it asks a detail of: the nouns next to its question word."""
    folded = question.folded
    # "哪个车队": the kind of thing one is picked from, right after the question word.
    which = [
        n
        for n in place_names(folded, WHICH_TAGS)
        if any(folded.startswith(n, m.end()) for m in WHICH_RE.finditer(folded))
    ]
    # "有停车场吗？": whether there is a thing, named right after 有 and right before the question's end.
    there = [
        n
        for n in place_names(folded, NOUN_TAGS)
        if any(
            folded.startswith(n, m.end()) and EXISTS_END_RE.match(folded, m.end() + len(n))
            for m in HAS_RE.finditer(folded)
        )
    ]
    # "主任叫什么名字？": the role whose holder is named.
    named = [
        n
        for n in place_names(folded, ROLE_TAGS)
        if any(folded[: m.start()].endswith(n) for m in NAME_RE.finditer(folded))
    ]
    ask = question.ask
    if ask is None:
        return AskedNouns(tuple(dict.fromkeys([*named, *which])), tuple(there))
    # The noun the question asks about ends right before its question word ("主持人是谁", "租金是多少"), or, for
    # "who", starts right after it; not one that only says which ("计划" in "全年计划新增多少张？").
    before = ASKED_NOUN_END_RE.sub("", folded[: ask.cue[0]])
    nouns = place_names(folded, NOUN_TAGS)
    asked = [n for n in nouns if before.endswith(n) and n not in which]
    if ask.kinds & WHO_KINDS:
        # After "who", a role or what that one does for a resident ("找谁复议"); not a verb that only
        # says who is asked for ("谁负责", "谁主办").
        after = [
            n for n in place_names(folded, WHO_AFTER_TAGS) if folded.startswith(n, ask.cue[1]) and n not in WHO_VERBS
        ]
        # Before "who", what that one does something about, a noun or a verb's noun ("工资谁发").
        about = [n for n in place_names(folded, WHO_AFTER_TAGS) if before.endswith(n) and n not in WHO_VERBS]
        return AskedNouns(tuple(dict.fromkeys([*asked, *about, *after, *named, *which])), ())
    # "还有多少空位": the noun right after a quantity's question word is what is counted (not "能用" of "什么时候
    # 能用上", a modal jieba glues onto a verb and tags as a noun); "末班车几点": a noun the question word is part
    # of (末班 of 末班车) is what the time is asked of.
    start, end = ask.cue
    counted = [n for n in nouns if counts(ask) and folded.startswith(n, end)]
    holding = [
        n
        for n in nouns
        if any(folded.startswith(n, i) and i + len(n) > end for i in range(max(0, start - len(n) + 1), start + 1))
    ]
    around = [n for n in (*counted, *holding) if n not in which]
    return AskedNouns(tuple(dict.fromkeys([*named, *which])), tuple(dict.fromkeys([*asked, *there, *around])))


# The kinds of answer the kind patterns check, as a question names them ("哪个学校", "什么单位", "哪家公司").
KIND_WORDS = frozenset({*ORG_HEADS, *(w for labels in KIND_LABELS.values() for w in labels)})
# Words for the document a question is asked of ("这篇文章", "本通知").
DOCUMENT_WORDS = frozenset("文章 本文 文件 通知 公告 新闻 报道".split())
# jieba's dictionary holds rare compounds that swallow the character before a common word ("货运费" of
# "退货运费", "篇文章" of "这篇文章", each seen 3 times): below this count, the common word is the noun.
RARE_WORD_FREQ = 10


def picked(folded: str, noun: str) -> bool:
    """Whether the (folded) question picks one of ``noun`` with a "which" word ("哪个学校")."""
    return any(folded.startswith(noun, m.end()) for m in WHICH_RE.finditer(folded))


def dictionary_noun(noun: str) -> str:
    """``noun``, or the well-known word it ends in when jieba knows ``noun`` itself only as a rare compound."""
    tail = noun[1:]
    if len(tail) >= 2 and word_frequency(noun) < RARE_WORD_FREQ <= word_frequency(tail):
        return tail
    return noun


def modifier(folded: str, noun: str) -> str:
    """The word of two characters or more right before ``noun`` in the (folded) question ("电脑" of "电脑摇号"), or ""
    when a particle, a question word or nothing stands there."""
    cut = words(folded, search=False)
    before = next((b for b, w in pairwise(cut) if w == noun), "")
    if len(before) < 2 or before in QUESTION_WORDS or before in STOPWORDS or before in GENERIC:
        return ""
    if not CJK_RUN_RE.fullmatch(before):
        return ""
    return before


# A word in Latin letters inside a Chinese question ("九价HPV", "TCT"): a name a notice writes as it is.
LATIN_WORD_RE = re.compile(r"(?<![a-z])[a-z]{2,}(?![a-z])")


def latin_words(question: Question) -> tuple[str, ...]:
    """The words of two Latin letters or more in a Chinese question ("hpv" of "能打九价HPV吗"); none of an
    English question, whose every word is Latin."""
    if question.language == "en":
        return ()
    return tuple(dict.fromkeys(LATIN_WORD_RE.findall(question.folded)))


def unpublished_noun(question: Question, context: Context) -> str | None:
    """The thing a follow-up asks about when the thread's document never names it, nor a near-synonym of it, or
    None: a document that never names a role ("主持人" of a job fair, "物业公司" of a fund) cannot say who holds
    it, nor which one ("哪个车队"), nor one that never names a price (a park's "租金") what it is."""
    if context.documents is None or question.language == "en" or not context.texts:
        return None
    # A name in Latin letters ("HPV", "TCT", "AED") has no paraphrase nor first character a notice shares: one that
    # never writes it says nothing of that thing, however well it covers the rest ("九价HPV" against a notice of
    # flu vaccines' prices).
    for word in latin_words(question):
        written = re.compile(rf"(?<![a-z]){word}(?![a-z])")
        if not any(written.search(text) for text in context.texts):
            return word
    asked = asked_nouns(question)
    groups = synonym_groups()
    for noun in (dictionary_noun(n) for n in (*asked.roles, *asked.details)):
        if noun in GENERIC or noun in QUESTION_WORDS or noun in context.head or context.mentions(noun):
            continue
        # A kind one is picked from that the answer's patterns check ("哪个学校": 行知中学, "哪个部门": …局), or the
        # document itself ("这篇文章是什么时候发布的"), is no thing the document could fail to name; a role is
        # ("管理公司是谁").
        if noun in DOCUMENT_WORDS or (noun in KIND_WORDS and picked(question.folded, noun)):
            continue
        # "免费打" (free + a verb) is a fragment of a question about what the document holds (免费): only a noun
        # whose first word is not in the thread's document either names a thing it does not ("物业公司").
        first = next((w for w in words(noun) if 1 < len(w) < len(noun) and noun.startswith(w)), "")
        if first and context.mentions(first):
            continue
        # A resident's own word for a detail the document gives mostly starts as the document's does (晚饭 for
        # 晚餐, 暖气费 for 供暖费): only a role, or a detail noun whose first character the document lacks, is a gap.
        if noun not in asked.roles and context.mentions(noun[0]):
            continue
        # "电脑摇号" of a notice that says "电脑随机录取": a word that says which kind of a detail, named by the
        # document though not what it is about, tells the document names that thing under its own word; the
        # document's topic before a noun ("基金租金") only says whose.
        kind = modifier(question.folded, noun)
        if noun not in asked.roles and kind and context.mentions(kind) and not context.topic(kind):
            continue
        if not any(context.mentions(word) for word in groups.get(noun, frozenset()) | {noun}):
            return noun
    return None
