"""Question analysis, done once per question: folded text, words, focus, kind, language, intent."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from assistant.bounds import bounded_terms
from assistant.lang.bilingual import MIN_NAME_LETTERS, Lexicon, Reading, english_readings, words_of
from assistant.lang.kinds import (
    KIND_LABELS,
    ORG_HEADS,
    QUANTITY_KINDS,
    SHARE_UNIT,
    WHEN_KINDS,
    Ask,
    Kind,
    asked_org_endings,
    bare_sum,
    find_kinds,
    fold_same_length,
    in_room,
    in_unit,
    other_part,
    question_ask,
)
from assistant.lang.synonyms import synonym_groups
from assistant.text import (
    CJK_RUN_RE,
    STOPWORDS,
    bigrams,
    content_words,
    fold,
    has_cjk,
    is_question_word,
    is_traditional,
    lone_pairs,
    misspelt_function_word,
    nouns,
    place_names,
    unjoined_runs,
    words,
)

# No index, no lexicon: the hand glossary alone (unit tests, the conversation resolver).
NO_LEXICON = Lexicon()

Language = Literal["zh", "zh-Hant", "en"]

# Requests to change the assistant's behaviour are not questions about the documents.
INSTRUCTION_RE = re.compile(
    r"忽略.{0,12}(?:指令|提示|规则|设定|要求)|系统提示|提示词|越狱|ignore (?:all|any|the|your|previous|prior|above)"
    r"|system prompt|jailbreak|disregard (?:all|previous|the)",
    re.IGNORECASE,
)
# A question about the present state prefers the newest document that answers it.
LATEST_RE = re.compile(
    r"现在|目前|最新|如今|今年|当前|眼下|至今|已经|已有|\bnow\b|currently|\bcurrent\b|latest|so far|to date|this year",
    re.IGNORECASE,
)
# Administrative areas a question or document may name: "诸城市", "坊子区", "潍州路街道".
# The stem takes no function characters: "了几处社区" names no area.
AREA_RE = re.compile(
    r"((?:(?![了几处的在有是和与及对为将把被从到向于这那哪什么多少怎个些号日点时月年])[\u4e00-\u9fff]){2,4}?)"
    r"(?:区|市|县|街道)(?![\u4e00-\u9fff]{0,1}(?:场|委|政府|级|民|内|域|块|长))"
)


@dataclass(frozen=True)
class Question:
    """A question, analysed once: every later stage reads these fields instead of re-splitting the text."""

    text: str
    folded: str
    language: Language
    terms: tuple[str, ...]
    focus: frozenset[str]
    ask: Ask | None
    wants_latest: bool
    instruction: bool
    areas: frozenset[str]
    quotes: tuple[str, ...] = ()
    unit: str | None = None
    bigrams: frozenset[str] = frozenset()
    ids: frozenset[str] = frozenset()
    # An English question's words and phrases as the corpus's words (``terms`` lists them all, one by one).
    readings: tuple[Reading, ...] = ()
    # The endings of the organisations' names that answer it, when it names a kind ("哪家公司": 公司, 集团...).
    org_endings: tuple[str, ...] = ()
    # A yes-or-no question's last words, what it asks to have confirmed ("律师" of "调解员是律师吗").
    claim: tuple[str, ...] = ()
    # The charges it names by what they are for ("停车费", "配送费"): a price of another thing does not answer it.
    fees: tuple[str, ...] = ()
    # The role a "who" or "which body" question asks the holder of ("巷长" of "每条小巷的巷长是谁").
    roles: tuple[str, ...] = ()
    # The action a "how" question asks the way of ("报名" of "开放日怎么报名"), or "".
    method: str = ""

    @property
    def matched(self) -> tuple[str, ...]:
        """The terms the texts' coverage counts: an English word's several corpus words are one term."""
        return tuple(one_of(r.words) for r in self.readings) if self.readings else self.terms

    @property
    def matched_topic(self) -> tuple[str, ...]:
        """The topic terms the texts' coverage counts: ``matched`` less an English ask's own verbs, as the
        Chinese question words are left out of ``topic_terms``."""
        if not self.readings:
            return self.topic_terms
        if self.ask is None:
            return self.matched
        return tuple(one_of(r.words) for r in self.readings if not r.asks) or self.matched

    @property
    def topic_terms(self) -> tuple[str, ...]:
        """The content words other than those that only say what kind of answer is wanted."""
        if self.ask is None:
            return self.terms
        if self.readings:
            # An English ask's own verbs ("start", "bring") say which detail is wanted, as a cue does; "What
            # should I bring?" has no topic of its own (a follow-up's subject is the previous question's).
            asked = {w for r in self.readings if r.asks for w in r.words}
            return tuple(t for t in self.terms if t not in asked)
        lo, hi = self.ask.cue
        if lo >= hi:
            return self.terms
        # A word the question word sits in or on says what is asked, not about what: "咨询电话" in
        # "老年大学的咨询电话是多少" (the cue is "电话"), as "电话" alone would.
        # The cue's offsets are the raw text's, which fold_same_length keeps.
        folded = fold_same_length(self.text)
        return tuple(t for t in self.terms if not _overlaps(folded, t, lo, hi)) or self.terms


# A question asking for a total ("一共", "总共", "总投资"): a figure per household or person ("每户最高补贴2,000元")
# is not one.
TOTAL_RE = re.compile(r"总共|一共|总计|合计|共计|总数|总额|总量|总投资|总面积|总长")
# A question asking for a deadline or a day of the month ("啥时候截止申报", "几号开始", "What is the deadline?"): a
# year alone does not give one ("2025年全区计划建设…500张" names the plan's year, not when applications close).
# "哪天" is left out: "2025年“五一”" answers it, the holiday's name being the day.
ASKS_DAY_RE = re.compile(r"截止|截至|几号|几月几|\bdeadline\b", re.IGNORECASE)
YEAR_ALONE_RE = re.compile(r"(?:19|20)[0-9]{2}\s*年?度?")
# A day asked for by its number ("几号开园", "几月几日"), with no hour asked beside it ("几号几点"): a month, a span
# of months or a time of day does not give it ("4月至10月每天6:00—22:00" is when a park is open, not the day it
# opens); a date with its day ("10月1日"), the end or a third of a month ("月底", "中旬") or a festival does.
DAY_NUMBER_ASKED_RE = re.compile(r"几号(?!楼|线|房|窗|门|院|厅|室)|几月几")
HOUR_ASKED_RE = re.compile(r"几点|几时|什么时间")
DAY_GIVEN_RE = re.compile(r"[0-9一二三四五六七八九十两]\s*[日号]|月底|月末|月初|[上中下]旬|节")


def gives(question: Question, kind: Kind, folded: str, lead: str = "") -> bool:
    """Whether an expression of ``kind`` (its folded text, after the folded ``lead`` of its clause) can give what
    the question asks: not words the question says itself ("4个" of "4个重点项目的总投资是多少"); of an asked
    kind, not a figure per unit for a total ("一共": not "每户最高补贴2,000元"), a quantity in the measure word it
    counts in ("多少年": not "2024年5月"), an organisation of the kind it names ("哪家公司": not "…局"), a date in
    the part of the year it names ("下半年": not "2024年上半年") and a place with the floor or room asked ("在几楼":
    not "福寿东街2288号")."""
    if folded in question.folded:
        return False
    ask = question.ask
    if ask is None or kind not in ask.kinds:
        return True
    if kind in QUANTITY_KINDS and "每" in lead and TOTAL_RE.search(question.folded):
        return False
    if question.unit is not None and ask.kinds & QUANTITY_KINDS:
        return in_unit(kind, folded, question.unit)
    if kind == "org" and question.org_endings:
        return any(ending in folded for ending in question.org_endings)
    if kind in WHEN_KINDS:
        if YEAR_ALONE_RE.fullmatch(folded) and ASKS_DAY_RE.search(question.folded):
            return False
        if (
            DAY_NUMBER_ASKED_RE.search(question.folded)
            and not HOUR_ASKED_RE.search(question.folded)
            and not DAY_GIVEN_RE.search(folded)
        ):
            return False
        return not other_part(question.folded, folded)
    if ask.name == "room":
        return in_room(question.folded, folded)
    if ask.name == "sum" and kind == "figure":
        return bare_sum(folded)
    return True


# Joins the words a term may be met by into one term (see ``one_of``): no question word holds it.
ONE_OF = "|"


def one_of(choices: Sequence[str]) -> str:
    """One term met by any of ``choices`` (the term itself when there is one choice)."""
    return ONE_OF.join(choices)


def choices(term: str) -> tuple[str, ...]:
    """The words that meet ``term``: those ``one_of`` joined, or the term itself."""
    return tuple(term.split(ONE_OF)) if ONE_OF in term else (term,)


def _overlaps(folded: str, term: str, lo: int, hi: int) -> bool:
    """Whether an occurrence of ``term`` in the folded question overlaps the span ``[lo, hi)``."""
    at = folded.find(term)
    while at >= 0:
        if at < hi and at + len(term) > lo:
            return True
        at = folded.find(term, at + 1)
    return False


def language(text: str) -> Language:
    """``zh``, ``zh-Hant`` or ``en`` (no Chinese characters)."""
    if not has_cjk(text):
        return "en"
    return "zh-Hant" if is_traditional(text) else "zh"


# Words ending in an area suffix that name no area: "全区" (the whole district), "社区", "小区", "片区", "学区"
# (a school's catchment), "街区", "郊区"; a site's parts ("新院区" of a hospital, "病区", "展区", "营区", "矿区",
# "库区"); markets ("人才夜市", "商场超市", "门市").
NOT_AREAS = frozenset(
    a + s for a in "全本我该各辖每社小园景校厂片市学街郊院病展营矿库" for s in ("区", "市", "县")
) | frozenset("超市 夜市 门市 集市 早市 菜市 股市 都市 上市 闹市 黑市".split())
# "城区" is the town area ("主城区", "中心城区") unless a name precedes it: "潍城区" is a district.
GENERIC_TOWN_RE = re.compile(r"(?:^|主|老|新|旧|中心|市|全|东|西|南|北|中|该|本|各|我|辖)城$")


def _names_area(stem: str, suffix: str) -> bool:
    if stem[-1] + suffix[0] in NOT_AREAS:
        return False
    # "城市" is a city in general ("高品质城市", "二线城市") unless a two-character name ends in 城: "诸城市".
    if suffix == "市" and stem[-1] == "城" and len(stem) != 2:
        return False
    return not (suffix == "区" and GENERIC_TOWN_RE.search(stem))


def areas(folded: str) -> frozenset[str]:
    """Stems of the administrative areas named in folded text ("诸城" for 诸城市)."""
    named = [
        (m.group(1), folded[m.end() : m.end() + 1] == "区" and folded[m.end(1) : m.end()] == "市")
        for m in AREA_RE.finditer(folded)
        if _names_area(m.group(1), folded[m.end(1) : m.end()])
    ]
    # "市区" is a city's urban area: the words before it name a city only where the text names that city otherwise
    # too ("寿光市区" in a notice of 寿光市), not in "乘坐市区公交车".
    plain = {stem for stem, urban in named if not urban}
    return frozenset(stem for stem, urban in named if not urban or any(same_area(stem, p) for p in plain))


ORG_KINDS: frozenset[Kind] = frozenset({"org"})


def issued_by_agency(source: str | None) -> bool:
    """Whether a document's credited source is a public body ("奎文区残疾人联合会", "潍坊市公安局奎文分局"): its
    document is a notice, dated or not, not an encyclopaedia's page or an unattributed news copy."""
    if not source:
        return False
    folded = fold(source)
    return bool(areas(folded)) or bool(find_kinds(folded, ORG_KINDS))


# A name is one run of Chinese characters; a longer run is a sentence, whose areas need not be nested.
NAME_CHARS = 24


def parent_cities(folded: str, home: str) -> frozenset[str]:
    """The cities a name in folded text places the home district in ("潍坊" of "潍坊市公安局奎文分局" or
    "潍坊市奎文区" for home 奎文): a notice of that city is the home district's too, not another area's."""
    found: set[str] = set()
    for run in CJK_RUN_RE.finditer(folded):
        name = run.group()
        at = name.find(home)
        if at <= 0 or len(name) > NAME_CHARS:
            continue
        before = name[:at]
        found |= {a for a in areas(before) if f"{a}市" in before and not same_area(a, home)}
    return frozenset(found)


def area_in(area: str, folded: str) -> bool:
    """Whether folded text names the area: its stem, or the stem's tail (the pattern may take a word before it)."""
    return any(area[i:] in folded for i in range(max(len(area) - 1, 1)))


def same_area(a: str, b: str) -> bool:
    """Whether two stems name one area ("请问诸城" and "诸城")."""
    return a.endswith(b) or b.endswith(a)


# Words that qualify the question rather than name what it asks about ("最新", "一共", "具体").
MODIFIERS = frozenset("具体 一共 总共 大概 大约 大致 主要 一般 通常 到底 究竟 请问 分别".split())


def _modifier(token: str) -> bool:
    return token in MODIFIERS or LATEST_RE.fullmatch(token) is not None


def _focusable(token: str) -> bool:
    return token not in STOPWORDS and len(token) > 1 and not is_question_word(token)


# The measure word a count question asks in ("新增了多少张" asks for 张, not for 处): a figure in another unit
# answers another question. 个 and 项 go with anything, so they are not listed. "哪几天" asks which days, not
# how many; "多少名额" counts places, in any measure word.
# A measure word that begins a noun is that noun, counted in another word: "多少床位" (床位600张), "几个站点",
# "多少家庭" (1260户), "几处场馆".
UNIT_RE = re.compile(
    r"(?:多少|(?<![哪第])几)(平方米|公里|小时|分钟|周岁|张|处|家(?!庭)|名(?![额单称字])|人|户|次|所|座|条|辆|栋|套|台|间"
    r"|位|岁|元|亩|床(?!位)|支|场(?![馆所地])|门|级|期|天|年|趟|班(?![级车])|站(?!点)|盏|件|棵|株|届|轮|针|剂)"
)


# An English count names its unit as a noun ("How many days…"): the corpus's measure word for it. Only nouns
# that are a unit in any sentence; "how many matters" counts in 件 or 项 or none.
ENGLISH_UNITS = {
    "day": "天",
    "days": "天",
    "year": "年",
    "years": "年",
    "hour": "小时",
    "hours": "小时",
    "minute": "分钟",
    "minutes": "分钟",
    "people": "人",
    "persons": "人",
    "households": "户",
    "times": "次",
    "mu": "亩",
}
ENGLISH_UNIT_RE = re.compile(r"\bhow\s+(?:many|much)\s+([a-z]+)\b")


# A question asking for a rate or share: "报销比例是多少", "占几成", "what percentage".
SHARE_ASK_RE = re.compile(r"比例|比率|百分比|百分之几|几成|多少成|\bwhat (?:percentage|proportion|share)\b")


def asked_unit(folded: str) -> str | None:
    """The measure word the question counts in, if it names one (``SHARE_UNIT`` for a rate or share)."""
    if SHARE_ASK_RE.search(folded):
        return SHARE_UNIT
    found = UNIT_RE.search(folded)
    if found:
        return found.group(1)
    english = ENGLISH_UNIT_RE.search(folded)
    return ENGLISH_UNITS.get(english.group(1)) if english else None


# A name the resident quotes is matched whole ("“四园区一广场”指的是哪些？").
QUOTED_RE = re.compile(r"[“「『《\"]([^”」』》\"]{2,30})[”」』》\"]")


def quoted(folded: str) -> tuple[str, ...]:
    """The phrases the question puts in quotes or title marks."""
    return tuple(m.group(1).strip() for m in QUOTED_RE.finditer(folded) if m.group(1).strip())


def focus_words(folded: str) -> frozenset[str]:
    """The content words next to the question word: what the question asks about ("总投资" in "总投资多少")."""
    tokens = [t for t in words(folded, search=False) if not _modifier(t)]
    for i, token in enumerate(tokens):
        if is_question_word(token):
            left = next((t for t in reversed(tokens[:i]) if _focusable(t)), None)
            after = tokens[i + 1 :]
            # "啥时侯": the question word's misspelt other half is no focus.
            if after and misspelt_function_word(after[0], token):
                after = after[1:]
            right = next((t for t in after if _focusable(t)), None)
            return frozenset(t for t in (left, right) if t)
    return frozenset()


def english_focus(found: Sequence[Reading], focus: frozenset[str]) -> frozenset[str]:
    """An English question's focus as the corpus's words: the readings of its focus words, each one term."""
    stems = {w.removesuffix("'s") for w in focus}
    return frozenset(one_of(r.words) for r in found if stems & {w.removesuffix("'s") for w in r.source})


# A Chinese yes-or-no question ends in 吗: "施工期间会停水吗", "养老驿站要建15到20个是吗"; one may ask two
# ("买了房能落户吗？孩子能一起迁过来吗").
YES_NO_RE = re.compile(r"([^？?！!。]*)吗\s*(?:[？?！!。]|$)")
# The words of a yes-or-no question that say what it asks to confirm: its last two.
CLAIM_WORDS = 2


# A Chinese yes-or-no question also asks by an affirmative-negative verb in its last clause, without 吗: "有没有停车场",
# "能不能转手卖掉"; what follows the verb is what it asks to confirm.
A_NOT_A_RE = re.compile(r"(?:有没有|是不是|能不能|会不会|可不可以|要不要)([^，,？?！!。；;]*)[？?！!。]*$")


def claim_of(text: str, lang: Language) -> tuple[str, ...]:
    """The last content words of each of a Chinese question's yes-or-no parts ("树葬", "补贴" of "选择树葬有补贴吗"),
    when it ends in one, or of what its last clause's affirmative-negative verb asks ("停车场" of "有没有停车场");
    else none."""
    folded = fold(text).rstrip()
    if lang == "en":
        return ()
    if not re.search(r"吗[？?！!。]*$", folded):
        asked = A_NOT_A_RE.search(folded)
        return tuple(content_words(asked.group(1))[-CLAIM_WORDS:]) if asked else ()
    return tuple(dict.fromkeys(w for m in YES_NO_RE.finditer(folded) for w in content_words(m.group(1))[-CLAIM_WORDS:]))


# An English question whether something exists asks to confirm what follows "there", up to a preposition, as
# "有没有停车场" does: "parking" of "Is there parking at the flu vaccination sites?".
THERE_IS_RE = re.compile(
    r"^\s*(?:is|are)\s+there\s+(?:any\s+|an?\s+|some\s+)?(.*?)"
    r"(?=\s+(?:at|in|on|for|to|near|of|by|with|from|during|when|if|that|which|there)\b|\s*[?.!]|\s*$)",
    re.IGNORECASE,
)


def english_claim(text: str, found: Sequence[Reading]) -> tuple[str, ...]:
    """The corpus's words for what an English "is there…" question asks to confirm; none where the words it
    names have no Chinese reading (an unglossed word says nothing of whether a sentence mentions it)."""
    asked = THERE_IS_RE.match(text)
    if not asked:
        return ()
    named = {w.lower() for w in asked.group(1).split()}
    return tuple(
        dict.fromkeys(
            w for r in found if named & {s.lower() for s in r.source} for w in r.words if CJK_RUN_RE.fullmatch(w)
        )
    )


# The kinds a "who" or "which body" question asks for: a person or an organisation.
HOLDER_KINDS: frozenset[Kind] = frozenset({"org", "person"})


def role_words(folded: str, focus: frozenset[str], ask: Ask | None) -> tuple[str, ...]:
    """The nouns beside a "who" or "which body" question's question word that name a role ("巷长", "主持人",
    "餐饮公司"), not the kind the kind patterns check already ("部门", "单位", "公司"), nor an adverb ("直接")."""
    if ask is None or not ask.kinds or not ask.kinds <= HOLDER_KINDS:
        return ()
    kind_words = {w for kind in ask.kinds for w in KIND_LABELS.get(kind, ())} | set(ORG_HEADS)
    tagged = nouns(folded)
    return tuple(sorted(w for w in focus if w in tagged and w not in kind_words))


# The question words that ask the way an action is done, right before it ("怎么报名"); "流程", "手续" name the way
# itself and are followed by no action.
METHOD_CUES = frozenset({"怎么", "如何", "怎样"})
# jieba's tags for verbs, verbal nouns among them ("报名", "注册", "预约").
VERB_TAGS = frozenset({"v", "vn"})


# Verbs of what one gets or suffers, not of what one does: "怎么优惠" asks what the discount is ("学生凭学生证半价"),
# "怎么处罚" what the fine is ("处以200元以上1000元以下罚款"); a notice gives them without the verb.
OUTCOME_VERBS = frozenset(
    {"优惠", "处罚", "惩罚", "罚款", "收费", "计费", "补贴", "补助", "补偿", "奖励", "减免", "计算"}
)


def method_of(folded: str, ask: Ask | None) -> str:
    """The verb right after a (folded) "how" question's 怎么/如何/怎样 ("报名" of "开放日怎么报名"), or "": a verb
    of one character (发, 去, 绕) is said in too many ways to look for, and one of an outcome (优惠, 处罚) asks what
    it is, not a way."""
    if ask is None or ask.name != "how" or folded[ask.cue[0] : ask.cue[1]] not in METHOD_CUES:
        return ""
    rest = folded[ask.cue[1] :]
    first = next(iter(words(rest, search=False)), "")
    if first in OUTCOME_VERBS:
        return ""
    return first if len(first) >= 2 and first in place_names(rest, VERB_TAGS) else ""


# Charges named by what they are for without 费, a rent or a deposit ("写字楼租金", "房租", "押金"), with what a
# sentence about them says ("减免3个月租金" for 房租; not "总投资21亿元").
RENT_WORDS = {"租金": "租", "房租": "租", "押金": "押金"}
# A pass bought for a period ("公园年卡多少钱一张"): its price is given only where the pass is named, not by the
# place's parking fee.
PASS_WORDS = {"年卡": "年卡", "月卡": "月卡", "季卡": "季卡", "周卡": "周卡", "次卡": "次卡"}


# The first characters of two-character words on 费 that charge, waive or spend, naming no charge ("收费", "免费",
# "缴费", "消费", "经费"); the others name one by what it is for ("学费", "车费", "电费").
FEE_VERB_CHARS = frozenset("收免缴交付花消自公浪经")


def charge_stem(fee: str) -> str:
    """What a sentence about the named charge says: "停车" of "停车费", "租" of "房租", "年卡" of "年卡"; of a
    two-character charge ("学费"), only that a charge is made ("每学期收费300元"): its one character says too little
    ("学" of 开学)."""
    if fee in RENT_WORDS or fee in PASS_WORDS:
        return RENT_WORDS.get(fee) or PASS_WORDS[fee]
    return fee[:-1] if len(fee) >= 3 else "费"


def named_fees(folded: str) -> tuple[str, ...]:
    """The words of a (folded) question that name a charge by what it is for: "停车费", "供暖费", "学费", "租金",
    not "收费"."""
    return tuple(
        dict.fromkeys(
            w
            for w in words(folded, search=False)
            if (len(w) >= 2 and w.endswith("费") and has_cjk(w[:-1]) and (len(w) >= 3 or w[0] not in FEE_VERB_CHARS))
            or w in RENT_WORDS
            or w in PASS_WORDS
        )
    )


def _nowhere(text: str) -> bool:
    return False


def terms_of(
    text: str, lang: Language, lexicon: Lexicon = NO_LEXICON, written: Callable[[str], bool] = _nowhere
) -> tuple[str, ...]:
    """The question's content words; an English word or phrase the glossary or the lexicon knows stands for
    the corpus's Chinese words for it. A name jieba cut into lone characters counts whole where the corpus
    (``written``) writes it."""
    if lang != "en":
        folded = fold(text)
        found = content_words(text)
        found += [run for run in unjoined_runs(folded) if written(run)]
        # Two common characters jieba left apart ("月卡"), where the corpus writes them together.
        found += [pair for pair in lone_pairs(folded) if written(pair)]
        # A one-character verb counts where its written synonyms can match it ("带" for 携带).
        groups = synonym_groups()
        verbs = [w for w in words(folded, search=False) if len(w) == 1 and w in groups]
        return tuple(dict.fromkeys([*found, *verbs]))
    return words_of(english_readings(text, lexicon))


# Numbered things a notice tells apart: bus routes, metro lines, buildings, phases ("W6路", "32路", "3号楼").
# The number (with its letters) that starts a numbered thing's name ("w6" of "w6路").
ID_NUMBER = r"[a-z]?[0-9]+[a-z]?"
ID_NUMBER_RE = re.compile(ID_NUMBER)
ID_RE = re.compile(rf"(?<![0-9a-z]){ID_NUMBER}(?:路|号线|号楼|号院|栋|期)")


def identifiers(folded: str) -> frozenset[str]:
    """The numbered things folded text names ("w6路", "32路")."""
    return frozenset(ID_RE.findall(folded))


def other_identifier(question: Question, folded: str) -> bool:
    """Whether folded text names numbered things but none the question names ("32路" where "W6路" was asked)."""
    if not question.ids:
        return False
    found = identifiers(folded)
    return bool(found) and not found & question.ids


def whole_identifiers(terms: tuple[str, ...], ids: frozenset[str]) -> tuple[str, ...]:
    """The terms with a numbered thing's number read as the whole name: "19路", not the "19" of "19:00"."""
    whole = {}
    for name in ids:
        number = ID_NUMBER_RE.match(name)
        if number:
            whole[number.group(0)] = name
    return tuple(dict.fromkeys(whole.get(t, t) for t in terms))


def wording(folded: str) -> frozenset[str]:
    """The question's pairs of adjacent Chinese characters, less question words: the wording a clause may repeat."""
    return frozenset(p for p in bigrams(folded) if p not in STOPWORDS and not is_question_word(p))


def _unspelled(latin: str) -> str | None:
    return None


def spelled_names(found: Sequence[Reading], spelled: Callable[[str], str | None]) -> tuple[Reading, ...]:
    """The readings with a word nothing translated read, where the corpus writes a name spelled so in pinyin,
    as that name too ("nanxiahe" as 南下河 or itself)."""
    out = []
    for reading in found:
        word = reading.words[0] if len(reading.words) == 1 else ""
        name = spelled(word) if len(word) >= MIN_NAME_LETTERS and word.isascii() and word.isalpha() else None
        out.append(replace(reading, words=(name, word)) if name else reading)
    return tuple(out)


def analyse(
    text: str,
    lexicon: Lexicon = NO_LEXICON,
    written: Callable[[str], bool] = _nowhere,
    spelled: Callable[[str], str | None] = _unspelled,
) -> Question:
    """Analyse a trimmed question; ``lexicon`` (the index's) maps English words to the corpus's words,
    ``written`` tells whether the corpus writes a string and ``spelled`` which name it writes for a pinyin
    spelling."""
    folded = fold(text)
    lang = language(text)
    ids = identifiers(folded)
    ask = question_ask(text)
    # Matching costs grow with the words: bounded.
    found = spelled_names(english_readings(text, lexicon), spelled) if lang == "en" else ()
    listed = words_of(found) if found else terms_of(text, lang, lexicon, written)
    terms = bounded_terms(whole_identifiers(listed, ids))
    return Question(
        text=text,
        folded=folded,
        language=lang,
        terms=terms,
        focus=english_focus(found, focus_words(folded)) if found else focus_words(folded),
        ask=ask,
        wants_latest=LATEST_RE.search(folded) is not None,
        instruction=INSTRUCTION_RE.search(folded) is not None,
        areas=areas("，".join(words_of(found))) if found else areas(folded),
        quotes=quoted(folded),
        unit=asked_unit(folded),
        bigrams=wording(folded),
        ids=ids,
        readings=bounded_terms(found),
        org_endings=asked_org_endings(folded),
        claim=english_claim(text, found) if found else claim_of(text, lang),
        fees=named_fees(folded),
        roles=() if found else role_words(folded, focus_words(folded), ask),
        method="" if found else method_of(folded, ask),
    )
