"""Kinds of expression (dates, places, fees, phone numbers...) in a text, and the kind a question asks for.

Matching runs on a character-for-character folded copy of the text (full-width to half-width, Traditional to
Simplified, lower case, one character in, one character out), so the patterns are written once, in Simplified
half-width form, and every offset found is an offset into the raw text. Every pattern either starts at a run
boundary (a look-behind on the run's own characters) or is bounded in length, so matching stays linear in the
length of the text. No word segmentation is used.

Decisions on borderline expressions (each has a row in tests/test_kinds.py):
- A year with digits ("2021年") is a date; a relative one ("今年", "明年") and a festival alone ("春节") are not:
  neither says when, so neither answers a "when" question.
- A weekday or a recurring day ("每周三", "周一至周五", "工作日", "每月第一个星期六") is a ``schedule``, not a date.
- Round-the-clock hours ("全天24小时", "24小时开放", "全天候") are a ``schedule``: they answer "几点关门"; a length
  of hours ("24小时内办结", "连续运行24小时") is none.
- A deadline counted from an event ("受理后20个工作日内", "7日内") is a ``period`` as well as a figure: it answers
  "什么时候到账" at the latest; "3月30日内" is a date.
- A lone "一" before a measure word ("一个", "一批") is an article, not a count; ordinals ("第一") are never counts.
- Durations ("3个月", "10小时") are figures, not counts.
- Short hotline numbers (12345...) are phones only with a hotline word or a dialling verb next to them.
- Where a thing is found, lives or comes from is a place when a verb says so ("发现于尼日", "居住在库页岛东边").
- District, city and country names are not places: places are addresses, venues and service points; a category
  after a count ("新建2处社区食堂") or a category word ("老旧小区") is not a place either.
- "免费" / "免收学费" are money: they answer "how much does it cost".
- Matches of different kinds may overlap: a period contains its dates, "…便民服务中心" is a place and an org.
- A title in book-title marks ("《喜爱夜蒲3》", "《潍坊市养老服务条例》") is a ``work``: it answers "which film / book".
  In corner brackets only where its clause calls it a work ("「东坡家事」…之作品"): they also quote any phrase.
- An organisation is also the maker or runner of a thing named by its role: "由索尼电脑娱乐发售", "制作公司为…";
  only after verbs of making, running or leading ("由社区志愿者值守" names none).
- "编号/型号…是多少" asks for an identifier (``code``, no kind), not a figure.
- "是哪里人/哪国人/籍贯" asks for an ``origin``: the head of a clause that says where a person is from ("湖广公安人",
  "古巴田径运动员", "祖籍范阳", "生于福冈县…"); a group or role ending in 人 ("等人", "负责人", "诗人") is none.
- "什么颜色" asks for a ``colour`` ("淡绿色", "粉红色", "透明"); "特色", "角色", "景色" are no colours.
- "哪个国家/哪个省/哪个城市" asks for a ``region`` by its name ("英国", "辽宁省") or an address: the place patterns
  leave district, city and country names out.
- A person is also named by kinship or authorship: "孙亮之妻", "司马伷三子", "吴沃尧所著"; a bare 子 or 女 needs
  之 or an ordinal ("独生子女" is no one).
- "第几/第多少/排第几/哪一话" asks for an ``ordinal`` ("第12届", "第三"), which no count answers; the count
  patterns still refuse ordinals.
- "又叫什么/被称为什么/别名" asks for an ``alias``, introduced by 又名, 俗称, 亦称, 简称, 原名…; "被称为什么" is not
  "为什么", and "名列前茅", "称赞" introduce no name. Not a detail: a passage that names none is still answered.
- A stage reached ("已于6月28日开业运营", "全面封顶", "正在进行幕墙安装") is a ``status``; a plan ("计划2023年建成")
  is not: it answers "建好了没" only with a date, which is a ``date``.
- A request to describe a topic ("介绍一下奎文区的养老服务") asks for no particular kind: ``question_ask`` returns
  None and the engine answers by relevance alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache
from typing import Generic, Literal, TypeVar, get_args

import opencc

Kind = Literal[
    "date",
    "time",
    "period",
    "schedule",
    "place",
    "money",
    "figure",
    "count",
    "phone",
    "web",
    "org",
    "person",
    "documents",
    "age",
    "work",
    "status",
    "colour",
    "origin",
    "alias",
    "region",
    "ordinal",
    "exempt",
]
KINDS: tuple[Kind, ...] = get_args(Kind)
KIND_ORDER = {kind: i for i, kind in enumerate(KINDS)}

# ---------------------------------------------------------------------------------------------------------------
# Question words, as data. Checked in this order; the first ask with a matching cue is the question's ask, so a
# specific cue ("几点", "多少钱", "需要哪些材料") is listed before the general one it contains ("几", "多少", "哪些").
# Patterns are written for folded text (Simplified, half-width, lower case).
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AskRule:
    """One kind of question: its cues in Chinese and English, and what answers it."""

    name: str
    zh: tuple[str, ...]
    en: tuple[str, ...]
    kinds: frozenset[Kind]
    label_zh: str
    label_en: str
    detail: bool
    # The English cues name the thing asked about as much as the ask ("subsidy"): they count only when no other
    # question word ("where", "how often") or yes-or-no verb ("does", "can") leads the question.
    en_led: bool = False


# What leads an English question that asks something else than its detail nouns say: "Where can I apply for the
# subsidy?", "Does the subsidy cover grab bars?", "From when is the allowance paid?". "What" and "how much"
# are the nouns' own question words.
# 为什么 or 为何 opening a Chinese question (not "被称为什么", which asks a name).
WHY_LEAD_RE = re.compile(r"^\W*(?P<cue>为什么|为何)")
OTHER_LEAD_RE = re.compile(
    r"^\W*(?:(?:from|since|until|till|by|at|on|in|for|to) )?(?:"
    r"(?:do|does|did|can|could|is|are|was|were|will|would|should|shall|may|must|has|have|had)\b"
    r"|(?:where|when|who|whom|whose|why|which)\b"
    # "How many" asks a count of the things it names ("How many air conditioners can one person get the subsidy
    # for?"), not the subsidy's sum, unless it counts money ("how many yuan").
    r"|how (?!much\b|many (?:yuan|rmb|dollars)\b))"
)


WHEN_KINDS: frozenset[Kind] = frozenset({"date", "period", "schedule", "time"})
PLACE_KINDS: frozenset[Kind] = frozenset({"place"})

# Words a heading or a field label uses to announce an answer of a kind ("二、举办地点", "咨询电话：").
KIND_LABELS: dict[Kind, tuple[str, ...]] = {
    "date": ("时间", "日期", "期限", "截止"),
    "time": ("时间", "时段", "开放", "营业"),
    "period": ("时间", "期限", "期间", "周期"),
    "schedule": ("时间", "安排", "班次"),
    "place": ("地点", "地址", "位置", "场所", "场地", "网点", "站点", "地方"),
    "money": ("费用", "收费", "价格", "标准", "金额", "票价", "学费"),
    "figure": ("数量", "规模", "面积", "人数"),
    "count": ("数量", "名额", "人数"),
    "phone": ("电话", "热线", "联系方式", "咨询"),
    "web": ("网址", "网站", "公众号", "平台", "网上"),
    "org": ("单位", "部门", "主办", "承办", "机构"),
    "person": ("联系人", "负责人"),
    "documents": ("材料", "证件", "携带", "资料", "证明"),
    "age": ("年龄", "条件", "对象"),
    "work": ("作品", "著作", "代表作", "书名"),
    "status": ("进展", "进度", "建设情况"),
    "colour": ("颜色", "色彩"),
    "origin": ("籍贯", "国籍", "祖籍", "出生地"),
    "alias": ("别称", "别名", "又称", "简称"),
    "region": ("国家", "省份", "所属", "隶属"),
    "ordinal": ("排名", "名次", "届次"),
    "exempt": ("免申",),
}


def labelled_as(label: str, kinds: Collection[Kind]) -> bool:
    """Whether a field label (folded, "申报地点：") ends in a word naming one of the kinds: its value is one."""
    label = label.rstrip(":： ")
    return any(label.endswith(word) for kind in kinds for word in KIND_LABELS[kind])


def label_qualifier(label: str, kinds: Collection[Kind]) -> str | None:
    """What a field label (folded) says besides the kind its last word names ("登记" of "登记时间："), or None
    when its last word names none of ``kinds``."""
    label = label.rstrip(":： ")
    words = tuple(w for kind in kinds for w in KIND_LABELS[kind])
    if not label.endswith(words):
        return None
    # Every word of the kind at the end goes: "咨询电话" says nothing but the kind.
    while label.endswith(words):
        label = label[: len(label) - max(len(w) for w in words if label.endswith(w))]
    return label


def labels_kind(text: str, kinds: Collection[Kind]) -> bool:
    """Whether a heading or label (folded text) announces an answer of one of the kinds."""
    return any(word in text for kind in kinds for word in KIND_LABELS[kind])


# Kinds that are a quantity in a measure word: a question counting in one ("多少年", "几盏") is answered by a
# quantity in it, not by another ("30米" for "多少盏") nor by a date that holds the word ("2024年5月").
QUANTITY_KINDS: frozenset[Kind] = frozenset({"count", "figure", "money", "age"})
# A length of time asked in one unit may be given in another ("几天" answered by "一周", "3个工作日").
DURATION_FORMS = ("年", "月", "周", "星期", "天", "日", "小时", "分钟")
# The other ways a document writes a measure word ("7日内" for 天, "300名" for 人, "200户商户" for 家).
UNIT_FORMS: dict[str, tuple[str, ...]] = {
    "天": DURATION_FORMS,
    "年": DURATION_FORMS,
    "小时": DURATION_FORMS,
    "分钟": DURATION_FORMS,
    "人": ("人", "名", "位"),
    "名": ("名", "人", "位"),
    "位": ("位", "名", "人"),
    "家": ("家", "户", "处"),
    "户": ("户", "家"),
    # Appliances and devices counted by the machine or by the piece ("空调能补几台": "最多可补贴3件").
    "台": ("台", "件"),
    "周岁": ("岁",),
    "岁": ("岁",),
}


# Measure words of people and households: a share of them ("三分之二以上同意", "60%的居民") answers how many
# agree, vote or qualify when a document gives no head count.
SHARED_UNITS = frozenset({"人", "名", "位", "户"})
SHARE_RE = re.compile(r"分之|%")


# What a question asking for a rate or share counts in ("报销比例是多少", "占几成"): a percentage, a fraction or 成.
SHARE_UNIT = "%"
# A share as documents write it: "70%", "三分之二", "五成", a change in points ("提高5个百分点"), or whole or half
# ("全额资助", "减半收取").
SHARE_FORM_RE = re.compile(
    r"[0-9０-９]\s*[%％]|[0-9一二三四五六七八九十百]分之[0-9一二三四五六七八九十]|[0-9一二三四五六七八九十]成"
    r"|[0-9一二三四五六七八九十]\s*个?百分点|全额|一半|减半|半价"
)


def gives_share(text: str) -> bool:
    """Whether ``text`` gives a share: a percentage, a fraction, 成, points, whole or half ("3个月" gives none)."""
    return SHARE_FORM_RE.search(text) is not None


def in_unit(kind: Kind, text: str, unit: str) -> bool:
    """Whether an expression of ``kind`` (folded ``text``) is a quantity in the measure word ``unit``."""
    if kind not in QUANTITY_KINDS:
        return False
    if unit == SHARE_UNIT:
        return gives_share(text)
    if unit == "元":
        # A price is in yuan or free ("免费", "不收费").
        return kind == "money"
    if kind == "figure" and unit in SHARED_UNITS and SHARE_RE.search(text):
        return True
    return any(form in text for form in UNIT_FORMS.get(unit, (unit,)))


# A floor, room or window in a place ("二楼201室", "3号窗口", "5号楼"): what "在几楼", "几号房间" ask for, which a
# street address ("福寿东街2288号") does not give.
ROOM_RE = re.compile(r"[0-9一二三四五六七八九十]+\s*(?:楼|层|室|号(?:楼|窗口?|房间?|门|院|厅))|[0-9]{3,4}室")
# A room or window asked by its number ("几号房间", "几室", "几号窗口") is not given by a floor ("三楼东侧").
NUMBERED_ROOM_RE = re.compile(r"几号(房间?|窗口?)|几(室)")
NUMBERED_ROOM_FORMS = {"房": r"[0-9]+\s*(?:室|号房)", "房间": r"[0-9]+\s*(?:室|号房)", "室": r"[0-9]+\s*(?:室|号房)"}
WINDOW_FORM = r"[0-9一二三四五六七八九十]+\s*号?窗口"


def in_room(asked: str, text: str) -> bool:
    """Whether a place (folded ``text``) names the floor, room or window the question (folded ``asked``) asks for."""
    numbered = NUMBERED_ROOM_RE.search(asked)
    if numbered is None:
        return ROOM_RE.search(text) is not None
    word = numbered.group(1) or numbered.group(2)
    form = WINDOW_FORM if word.startswith("窗") else NUMBERED_ROOM_FORMS[word]
    return re.search(form, text) is not None


# A sum written without its 元 ("总投资60亿", "1.2万"): the only figure that gives a sum of money.
BARE_SUM_RE = re.compile(r"[0-9][0-9.,]*\s*(?:万亿|亿|万|千)(?:余|多)?")


def bare_sum(text: str) -> bool:
    """Whether a figure (folded text) is a number of ten thousands or hundred millions and nothing else."""
    return BARE_SUM_RE.fullmatch(text) is not None


# Parts of a year, a day or a week that exclude each other, each part with its words: a date in the first half
# does not say when in the second ("2024年上半年" for "下半年…是啥时候"), a night fee is no day fee ("夜间包月…100元"
# for "白天包月多少钱").
EXCLUSIVE_PARTS: tuple[tuple[tuple[str, ...], ...], ...] = (
    (("上半年",), ("下半年",)),
    (("一季度",), ("二季度",), ("三季度",), ("四季度",)),
    (("春季", "春天"), ("夏季", "夏天"), ("秋季", "秋天"), ("冬季", "冬天")),
    (("白天",), ("夜间", "晚上", "夜晚", "夜里")),
    (("工作日",), ("周末", "双休日", "节假日")),
    # The meals of a day: dinner hours are not lunch hours ("晚餐：16:30—18:30" for "午餐几点供应").
    (("早餐", "早饭"), ("午餐", "午饭"), ("晚餐", "晚饭")),
)


def other_part(asked: str, text: str) -> bool:
    """Whether folded ``text`` names a part of the year, day or week other than the one the question (folded
    ``asked``) names, and not that one."""
    for parts in EXCLUSIVE_PARTS:
        named = [part for part in parts if any(word in asked for word in part)]
        if not named or any(word in text for part in named for word in part):
            continue
        if any(word in text for part in parts for word in part):
            return True
    return False


# A question asking which day of the week ("太极拳班周几上课", "星期几开放"), and what gives one: a weekday or a
# run of them ("周四上午", "周一至周五"), working days or weekends, every day, or a date (a date falls on a day).
WEEKDAY_ASKED_RE = re.compile(r"(?:星期|礼拜|周)几|\bwhat day of the week\b|\bwhich (?:day of the week|weekdays?)\b")
WEEKDAY_GIVEN_RE = re.compile(
    r"(?:星期|礼拜|周)[一二三四五六日天末]|工作日|双休日|节假日|每天|每日|天天|全年|常年"
    r"|[0-9一二三四五六七八九十]+\s*[日号]|\b(?:mon|tues|wednes|thurs|fri|satur|sun)days?\b|\bweekends?\b|\bdaily\b"
)


def other_day(asked: str, text: str) -> bool:
    """Whether the question (folded ``asked``) asks which day of the week and folded ``text`` names none: "每周上课
    1次…上午课程9:00开始" gives the hours of a class, not its day."""
    return WEEKDAY_ASKED_RE.search(asked) is not None and WEEKDAY_GIVEN_RE.search(text) is None


# A special period a sentence's detail holds for ("祭扫高峰期间…开放时间延长至18:00", "春节期间").
PERIOD_RE = re.compile(r"[\u4e00-\u9fff]{2}期间")
# Words of a question asking for the usual state, which a special period's detail does not give.
ROUTINE_RE = re.compile(r"平时|平常|平日|日常")


def other_period(asked: str, text: str) -> bool:
    """Whether folded ``text`` gives its detail for a special period when the question (folded ``asked``) asks for
    the usual state ("平时几点关门"). Two special periods are not compared: "清明期间" is a "祭扫高峰期间"."""
    return ROUTINE_RE.search(asked) is not None and PERIOD_RE.search(text) is not None


# The end of a period asked ("补贴到什么时候", "报名截止日期", "until when") and its start ("从哪天开始"): a sentence
# that gives only the other end of the period is the wrong instance of the date asked ("自2025年1月20日起继续实施"
# does not say until when).
END_ASKED_RE = re.compile(
    r"到什么时[候间]|到何时|到哪一?天|到几[号月]|截止|截至|什么时[候间]结束|何时结束|哪一?天结束|几号结束|持续到"
    r"|until when|deadline|\bends?\b|\blast until\b"
)
START_ASKED_RE = re.compile(
    r"从什么时[候间]|从何时|从哪一?天|什么时[候间]开始|何时开始|哪一?天开始|几号开始|什么时[候间]起|何时起"
    r"|since when|\bstarts?\b|\bbegins?\b"
)
# A date that closes a period ("延长至2025年12月31日", "到年底", "3月31日截止", "8:00-17:00") and one that opens it
# ("自2025年1月20日起", "从3月1日开始", "1月20日起").
END_GIVEN_RE = re.compile(
    r"(?:至|(?<![达收得遇想])到|截[止至])\s*(?:[0-9]|[今本明次]?年[底末]|月[底末]|[一二三四五六七八九十]{1,3}月)"
    r"|[0-9日号底末]\s*(?:止|为止|结束|截止|[以之]?前)|[0-9]\s*[—–～~]\s*[0-9]|:[0-9]{2}\s*-\s*[0-9]"
    r"|\b(?:until|through|by)\s+[a-z0-9]|\bto\s+[0-9]"
)
START_GIVEN_RE = re.compile(
    r"(?:自|从)\s*[0-9]|[0-9]\s*[日号月年]\s*(?:起|开始)|[0-9日号]\s*(?:至|到|[—–～~])\s*[0-9]|:[0-9]{2}\s*-\s*[0-9]"
    r"|\b(?:since|from|starting)\s+[a-z0-9]"
)

P = TypeVar("P", bound=str)


@dataclass(frozen=True)
class Opposed(Generic[P]):
    """Two parts of a detail a question may ask one of (a period's start or end; the count planned or done),
    each with how a question asks it and how a text gives it."""

    first: P
    second: P
    first_asked: re.Pattern[str]
    second_asked: re.Pattern[str]
    first_given: re.Pattern[str]
    second_given: re.Pattern[str]

    def asked(self, asked: str) -> P | None:
        """Which part a (folded) question asks, when it asks one of them only."""
        first = self.first_asked.search(asked) is not None
        if first == (self.second_asked.search(asked) is not None):
            return None
        return self.first if first else self.second

    def given(self, text: str) -> frozenset[P]:
        """The parts (folded) ``text`` gives."""
        parts = (self.first, self.first_given), (self.second, self.second_given)
        return frozenset(part for part, pattern in parts if pattern.search(text))

    def other(self, asked: str, text: str) -> bool:
        """Whether (folded) ``text`` gives only the other part than the one the question asks."""
        part = self.asked(asked)
        given = self.given(text)
        return part is not None and bool(given) and part not in given

    def gives(self, asked: str, text: str) -> bool:
        """Whether (folded) ``text`` gives the part the question asks (any text does when it asks none)."""
        part = self.asked(asked)
        return part is None or part in self.given(text)


PeriodPart = Literal["start", "end"]
PERIOD_PARTS: Opposed[PeriodPart] = Opposed("end", "start", END_ASKED_RE, START_ASKED_RE, END_GIVEN_RE, START_GIVEN_RE)


# Whether a count asked is the one planned ("计划改造多少条") or the one done ("完成了多少条"), and what a sentence
# says of its counts: "已完成背街小巷改造31条" is not the plan, "纳入改造计划，改造总数…58条" not what is done.
PLANNED_ASKED_RE = re.compile(r"计划|预计|规划|打算|拟|目标|\bplan(?:ned|s)?\b|\bexpected\b|\bwill\b")
DONE_ASKED_RE = re.compile(r"已经?|完成|建成|竣工|完工|[改建修装]完|[改建修装]好|\b(?:completed|finished|done|built)\b")
PLANNED_GIVEN_RE = re.compile(r"计划|预计|规划|拟|目标|\bplan(?:ned|s)?\b|\bexpected\b")
DONE_GIVEN_RE = re.compile(r"已经?|完成|建成|竣工|完工|\b(?:completed|finished|built)\b")

Stage = Literal["planned", "done"]
STAGES: Opposed[Stage] = Opposed("planned", "done", PLANNED_ASKED_RE, DONE_ASKED_RE, PLANNED_GIVEN_RE, DONE_GIVEN_RE)


# A charge a sentence rules out by its name ("不收取滞纳费用"), which is the sum of that charge only.
RULED_OUT_CHARGE_RE = re.compile(r"收取([\u4e00-\u9fff]{1,4}?)(?:费用|费|金)")
GENERIC_CHARGES = frozenset({"任何", "其他", "相关", "另外", "额外"})


def ruled_out_charge(asked: str, text: str) -> bool:
    """Whether every sum (folded) ``text`` gives is a charge it rules out by a name the question does not say: "不
    收取滞纳费用" does not say what renewing costs."""
    money: tuple[Kind, ...] = ("money",)
    sums = find_kinds(text, money)
    names = [RULED_OUT_CHARGE_RE.search(m.text) for m in sums]
    return bool(sums) and all(
        n is not None and n.group(1) not in GENERIC_CHARGES and n.group(1) not in asked for n in names
    )


YEAR_NAMED_RE = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})\s*年")


def earlier_years(text: str, than: str) -> bool:
    """Whether every year (folded) ``text`` names precedes every year ``than`` names: a period's end named before
    its start is another period's ("2024年…已于2024年12月31日结束" is not the end of the period begun in 2025)."""
    years = [int(y) for y in YEAR_NAMED_RE.findall(text)]
    others = [int(y) for y in YEAR_NAMED_RE.findall(than)]
    return bool(years) and bool(others) and max(years) < min(others)


# The kind of organisation a question names with its question word ("哪家公司", "什么医院", "哪几家合作银行",
# "which company"), and the endings of the names of that kind: a bureau does not answer "哪家公司施工的".
# "哪个部门", "什么单位" name no particular kind.
ORG_HEADS: dict[str, tuple[str, ...]] = {
    "公司": ("公司", "集团", "企业"),
    # Who builds: a contractor is a company ("哪个施工单位负责的").
    "施工单位": ("公司", "集团", "企业"),
    "承建单位": ("公司", "集团", "企业"),
    "企业": ("公司", "集团", "企业", "厂"),
    "医院": ("医院", "卫生院"),
    "银行": ("银行", "信用社"),
    "学校": ("学校", "小学", "中学", "大学", "学院", "幼儿园"),
}
ORG_HEADS_EN = {"compan": "公司", "bank": "银行", "hospital": "医院", "school": "学校"}
ORG_HEAD_RE = re.compile(
    r"(?:哪|什么|啥)[^，,。？?\s]{0,4}?(" + "|".join(ORG_HEADS) + ")"
    r"|\b(?:which|what)\s+(" + "|".join(ORG_HEADS_EN) + r")(?:y|ies|s)?\b"
)


def asked_org_endings(folded: str) -> tuple[str, ...]:
    """The endings an organisation's name must have to answer the question (folded), if it names a kind."""
    found = ORG_HEAD_RE.search(folded)
    if found is None:
        return ()
    head = found.group(1) or ORG_HEADS_EN[found.group(2)]
    return ORG_HEADS[head]


# "How long is the road?" asks its length, not how long something takes: a thing that has a length.
LENGTH_OF = (
    r"(?:is|are|was) (?:the|this|that|it|a) ?(?:new )?(?:\w+ )?(?:road|street|avenue|route|river|bridge|trail|path|"
    r"walkway|greenway|track|pipeline|pipe|tunnel|section|canal|wall|line|runway)s?\b"
    # "How long is the section closed?" asks for how long it stays so.
    r"(?! (?:closed|open|shut|blocked|under|going|being|out|off|in use))"
)
ASK_RULES: tuple[AskRule, ...] = (
    AskRule(
        "phone",
        ("电话", "热线", "联系方式", "手机号", "座机", "号码是多少", "怎么联系", "如何联系", "咨询方式"),
        # Not an emergency call button or bell: a device in the home, not a number to call.
        (
            r"\bphone",
            "telephone",
            "hotline",
            r"\bcall\b(?! (?:button|bell|device|alarm|system|pendant)s?\b)",
            "contact number",
        ),
        frozenset({"phone"}),
        "联系电话",
        "a phone number",
        True,
    ),
    AskRule(
        "web",
        ("网址", "邮箱", "网站", "网页", "公众号", "小程序", "电子邮件", "链接"),
        # Not "online": "what online recruitment services are offered" asks about services, not an address.
        ("website", "web site", "e-?mail", "url", "web address", r"apply online\b", r"register online\b"),
        frozenset({"web"}),
        "网址或邮箱",
        "a website or e-mail address",
        True,
    ),
    AskRule(
        "hours",
        (
            "几点",
            "营业时间",
            "开放时间",
            "办公时间",
            "上班时间",
            "服务时间",
            "门诊时间",
            "接种时间",
            "开饭",
            "几时开",
            "开门",
            "关门",
            "首班",
            "末班",
        ),
        # Not a length of hours ("free for 2 hours", "after 2 hours"): that is a duration the question names.
        ("what time", "opening hours", "office hours", r"(?<![0-9] )hours\b", r"when .{0,20}\b(?:open|close)"),
        frozenset({"time", "schedule"}),
        "开放时间",
        "opening hours",
        True,
    ),
    AskRule(
        "documents",
        (
            "带什么",
            "带哪些",
            "要带",
            "需带",
            "携带什么",
            "携带哪些",
            "(?:需要|准备|提供|提交)(?:哪些|什么)(?:材料|证件|资料|手续)",
            "(?:什么|哪些)(?:材料|证件|资料|手续)",
            "材料有哪些",
        ),
        # Not "bring in" or "bring about": what a project earns or causes ("How much tax did the park bring in?").
        (
            "what documents",
            "which documents",
            "documents",
            "paperwork",
            r"bring(?!\s+(?:in|about|back|forward)\b)",
            "papers",
        ),
        frozenset({"documents"}),
        "所需材料",
        "the documents to bring",
        True,
    ),
    AskRule(
        "age",
        (
            "多大(?:年纪|年龄|岁数)",
            "(?:孩子|儿童|老人|小孩|人|女的|男的|女方|男方|男|女)多大",
            "年龄",
            "年纪",
            "几岁",
            "多少岁",
            "岁数",
            "满多少",
        ),
        ("how old", r"(?<!old-)(?<!old )\bages?\b", r"\bold enough\b"),
        frozenset({"age"}),
        "年龄要求",
        "an age",
        True,
    ),
    # How to pay, not how much: "学费怎么交" is answered by "可使用现金或扫码支付", so it comes before the fee cues
    # ("学费") it contains.
    AskRule(
        "how_pay",
        ("(?:怎么|怎样|如何|咋|用什么方式|通过什么方式|以什么方式)(?:交|缴|付|缴纳|交纳|支付|缴费|交费|付款|付费)",),
        (r"\bhow (?:do|can|should|to|does|could)\b(?: \w+){0,3} pay\b", r"\bways? to pay\b", r"payment methods?"),
        frozenset(),
        "",
        "",
        False,
    ),
    # Whether a cost is reimbursed or waived, not how much it is: "医疗费用能报销吗？" is answered by "…不予报销",
    # so it comes before the fee cues ("费用") it contains.
    AskRule(
        "covered",
        ("(?:能|可以|可|能否|是否|会|给|不给)(?:报销|报|减免|退还?)(?:吗|呢|不)?[?？!！。]*$",),
        (r"\b(?:is|are|can|will)\b.{0,40}\b(?:reimbursed|refunded|waived)\b",),
        frozenset(),
        "",
        "",
        False,
    ),
    AskRule(
        "fee",
        (
            "多少钱",
            "收费",
            "费用",
            "价格",
            "价钱",
            "票价",
            "学费",
            "免费吗",
            "要钱",
            "花多少",
            "(?:要|需|得|用)[交缴付]费",
            "[交缴付]费吗",
            "几块钱",
            "收不收",
            "收钱",
            "要不要钱",
            "(?:交|缴|付|花)多少",
        ),
        (
            r"\bfees?\b",
            r"\bcosts?\b",
            r"\bprices?\b",
            r"\bcharge",
            # Paying itself ("do I pay?", "pay for parking"), not paying a named thing ("pay rent", "pay income tax").
            r"\bpay\b(?=\W*$|\s+(?:for|to)\b)",
            r"\bfree\b(?=\W*$)",
            r"\bfor free\b",
            r"free of charge",
        ),
        frozenset({"money"}),
        "收费标准",
        "fees or prices",
        True,
    ),
    AskRule(
        "sum",
        # A sum of money by its name ("总投资多少", "租金是多少"): only money answers ("60亿元", or "60亿" without
        # its 元: see ``bare_sum``), not "降低15%" or "1.2万户" of the same project; its growth ("投资增长多少")
        # is a ratio, asked below.
        (
            "(?:投资|资金|金额|贷款|租金|押金|工资|薪资|奖金|经费|造价|预算|罚款|罚金)"
            "(?:(?!增|降|涨|提高|减少|比)[^，,。？?]){0,6}(?P<cue>多少)(?![个处家项名人所座条次户位间张辆门班种批平公米岁天年])",
            # The sum named after the question word: "安排了多少预算资金".
            "多少(?=[^，,。？?]{0,3}(?:资金|经费|投资|预算))",
        ),
        (r"how much money", r"\binvestment\b", r"\bsalary\b", r"\bwages?\b"),
        frozenset({"money", "figure"}),
        "具体金额",
        "an amount",
        True,
    ),
    AskRule(
        "amount",
        # A sum asked by what it is ("总投资是多少", "收入多少算困难"): money or a ratio; a count does not answer.
        # The cue is "多少" alone: the sum's name ("税收", "总投资") is what the question is about.
        (
            "(?:投资|资金|金额|贷款|额度|补贴|津贴|补助|奖金|奖励|租金|押金|工资|薪资|收入|税收|营业额)"
            "[^，,。？?]{0,6}(?P<cue>多少)(?![个处家项名人所座条次户位间张辆门班种批平公米岁天年])",
        ),
        (r"\bsubsid(?:y|ies)\b", r"\ballowance\b"),
        frozenset({"money", "figure"}),
        "具体金额",
        "an amount",
        True,
        en_led=True,
    ),
    AskRule(
        "work",
        # A title asked for ("在哪部影片中", "有什么著作"): before "where", whose "在哪" it contains.
        (
            "哪一?(?:部(?!门|分|位)|本|首|篇)",
            "什么(?:作品|著作|电影|影片|电视剧|剧集|剧|小说|歌曲|专辑|书(?!记)|节目|杂志|期刊|报纸|刊物|诗|法典)",
            "(?:作品|著作|电影|影片|小说|歌曲|专辑|书名|节目|主打歌|代表作)(?:是|叫|名为|名叫)?(?:什么|哪)",
        ),
        (
            r"which (?:book|film|movie|song|album|novel|work|show|series|play|poem|magazine|newspaper)",
            r"what (?:book|film|movie|song|album|novel|poem|magazine|newspaper)",
            r"\btitle of\b",
        ),
        frozenset({"work"}),
        "作品名称",
        "a title",
        True,
    ),
    # Where a person is from ("是哪里人", "哪国人", "籍贯在哪"): an encyclopaedia answers "湖广公安人",
    # "古巴田径运动员", names the patterns for addresses do not know. Before "where", whose "哪里" it contains.
    AskRule(
        "origin",
        (
            # The person is the question's end: "哪里人多" asks where it is crowded.
            r"(?:哪|哪里|哪儿|哪一?国|哪个国家|什么地方|何地|何处|何方)(?:的)?人(?=[?？。!！,，\s]|$|呢|啊|吗)",
            "籍贯",
            "国籍(?:是|为)?(?:哪|什么|何)",
            "(?:什么|哪[个一]?)国籍",
            "祖籍",
            "出生(?:在|于)?(?:哪|什么地方|何处|何地)",
        ),
        (r"where (?:is|was|are|were) \w+(?: \w+){0,3} (?:from|born)\b", r"\bnationality\b", r"\bhometown\b"),
        frozenset({"origin"}),
        "籍贯",
        "where they are from",
        True,
    ),
    # A colour asked for ("是什么颜色", "颜色是什么"): "体淡绿色", "粉红色或红色".
    AskRule(
        "colour",
        ("什么颜色", "(?:颜色|色彩)(?:是|为|呈|有)?(?:什么|怎样|如何|哪)", "什么色(?!彩)", "何色", "哪种颜色"),
        (r"what colou?rs?\b", r"which colou?rs?\b"),
        frozenset({"colour"}),
        "颜色",
        "its colour",
        True,
    ),
    # Another name asked for ("又叫什么", "还可以叫什么语", "被称为什么"): "又名扬子陆块", "俗称梅窝河". Before "why",
    # whose "为什么" "被称为什么" holds, and before "how", "list".
    AskRule(
        "alias",
        (
            "(?:又|还|也|亦|另|或|俗|别|通|常)(?:可以|可|被|能)?(?:叫|称|名|称作|称为|叫做|叫作)(?:做|作|为)?(?:什么|啥|何)",
            "(?<!为何)被(?:称|叫)(?:为|作|做)(?:什么|啥)",
            "(?:别称|别名|俗称|俗名|简称|又名|又称)(?:是|为|有|叫)?(?:什么|哪|啥)",
        ),
        (
            r"what (?:else )?is \w+(?: \w+){0,3} (?:also|otherwise) (?:called|known as)\b",
            r"\bother names?\b",
            r"\balias\b",
        ),
        frozenset({"alias"}),
        "别称",
        "its other name",
        False,
    ),
    AskRule(
        "venue",
        (
            "(?:在|于)(?:哪[里儿个]?|那[里儿]|什么地方|何处|何地).{0,6}举[办行]",
            "举[办行]的?(?:地点|地方|场所|场地)",
            # A bare 场地 asks where only when it is what is asked, not the thing a yes-or-no question names
            # ("孩子能自己进学校体育场地锻炼吗": whether, not where).
            "(?:场地|场馆|会场)(?![^，,。？?]*吗)",
        ),
        (r"\bvenue", r"where\b.{0,30}\b(?:held|hosted|take place|takes place)"),
        PLACE_KINDS,
        "举办地点",
        "the venue",
        True,
    ),
    # A floor, room or window: before "when", whose "几号" it contains ("在几楼几号", "几号房间", "几号窗口").
    # A street address does not say it (see ``in_room``).
    AskRule(
        "room",
        # Not the stories of a building ("几层楼的老房子可以加装电梯").
        ("几楼(?!的)", "几层(?!楼|以上|以下|的)", "哪一?层", "几室", "几号(?:房间?|楼|窗口?|门|院|厅)"),
        (r"\b(?:which|what) (?:floor|room|window)\b", r"\broom number\b"),
        PLACE_KINDS,
        "具体楼层或房间",
        "the floor or room",
        True,
    ),
    AskRule(
        "address",
        ("地址", "门牌", "具体位置"),
        (r"\baddress",),
        PLACE_KINDS,
        "具体地址",
        "an address",
        True,
    ),
    # A routine asked for ("平时哪天有人值班", "平常什么时候开放"): the days or hours it keeps, which one dated
    # event ("1月18日") does not give.
    AskRule(
        "routine",
        (
            "(?:平时|平常|平日|日常)[^，,。？?]{0,8}?(?P<cue>哪一?天|哪几天|星期几|周几|礼拜几|什么时候|啥时候?|何时"
            "|什么时间)",
        ),
        (r"\b(?:usually|normally|regularly)\b.{0,20}\bwhen\b|\bwhen\b.{0,30}\b(?:usually|normally|regularly)\b",),
        frozenset({"schedule", "time"}),
        "具体时间",
        "the usual days or hours",
        True,
    ),
    AskRule(
        "when",
        (
            "什么时候",
            "啥时候?",
            "何时",
            "哪天",
            "哪一天",
            "哪几天",
            "星期几",
            "周几",
            "礼拜几",
            "几号",
            "几月",
            "什么时间",
            "哪年",
            "哪一年",
            "日期",
            "截止",
            # Not "时间是多久", which asks how long.
            "时间[是为](?!多久|多长|多少(?:天|小时|分钟|年|个?月))",
            "(?:报名|缴费|登记|举办|开始|结束|办理|申请)时间",
        ),
        (
            r"\bwhen\b",
            "what date",
            "what day",
            "which day",
            "what year",
            "deadline",
            # "几月" in English: "Which months is it paid for?" asks when, not for a list.
            r"\b(?:which|what) (?:months?|years?)\b",
        ),
        WHEN_KINDS,
        "具体时间",
        "a date",
        True,
    ),
    AskRule(
        "status",
        # How far a project has got ("改造完了没", "建到什么程度了", "开业了吗"): a stage reached answers it.
        (
            "(?:完|好|成|通|开)了(?:没|吗|没有)",
            "(?:完成|建成|完工|竣工|开业|开通|通车|封顶|投用|投入使用|营业)了(?:吗|没|没有)",
            "(?:建|修|施工|进行)到(?:什么|哪个|哪一步|哪)",
            "什么程度",
            "进展",
            "进度",
        ),
        (r"\bprogress\b", r"\b(?:finished|completed|built) yet\b", r"\bopen(?:ed)? yet\b", r"how far along"),
        frozenset({"status"}),
        "进展情况",
        "its progress",
        True,
    ),
    # Where to look something up: a website or an official account answers as well as an office does
    # ("学区范围在哪里看" is answered by "在“奎文教育发布”微信公众号公布"); "在哪里看病" asks for a clinic.
    AskRule(
        "lookup",
        ("(?:哪[里儿]?|什么地方|何处)(?:能|可以|可)?(?:查看|查询|查到|看到|下载|公布|发布|看(?![病诊医牙]))",),
        (r"where (?:can|do|should) (?:i|we|you|one) (?:find|check|look|see|download)\b",),
        frozenset({"web", "place"}),
        "查询途径",
        "where to look it up",
        True,
    ),
    # Where to complain or report: a hotline is the usual channel ("消费投诉有哪些渠道？答：可以拨打12315热线…"), as
    # well as an office, the body one complains to ("可向奎文区劳动保障监察大队投诉") or a website.
    AskRule(
        "complain",
        ("(?P<cue>(?:在|去|到|找)?(?:哪[里儿]?|什么地方|何处))(?=(?:能|可以|可|才能|进行)?(?:投诉|举报))",),
        (r"where (?:can|do|should|to) (?:i |we |you )?(?:complain|report)\b",),
        frozenset({"web", "place", "phone", "org"}),
        "投诉渠道",
        "where to complain",
        True,
    ),
    # Where to apply, sign up or book: an online channel answers as well as an office does ("课后服务在哪报名" is
    # answered by "家长通过“奎文教育”微信公众号…报名"). The cue is the question word alone: the verb says what about.
    AskRule(
        "apply",
        (
            "(?P<cue>(?:在|去|到)?(?:哪[里儿]?|什么地方|何处))(?=(?:能|可以|可|才能|进行)?"
            "(?:报名|申请|申报|提交|预约|办理|登记|缴费|交费|购票|买票|挂号|充值|约(?![有为合占计])))",
        ),
        (r"where (?:can|do|should|to) (?:i |we |you )?(?:apply|register|sign up|enrol|enroll|submit|book)\b",),
        frozenset({"web", "place", "exempt"}),
        "办理地点或途径",
        "where or how to apply",
        True,
    ),
    # Which country, province or city ("属于哪个国家", "位于哪个省", "发行于哪个城市"): answered by its name
    # ("英国", "辽宁省", "重庆市"), which the place patterns leave out, as well as by an address.
    AskRule(
        "region",
        ("哪一?个?(?:国家|城市|省份|省|地区|国(?![人籍])|州|郡|县)",),
        (r"which (?:country|province|city|state|county)\b", r"what (?:country|province|city|state|county)\b"),
        frozenset({"place", "region"}),
        "所在地区",
        "which country or city",
        True,
    ),
    AskRule(
        "where",
        # "在哪些领域" asks for a list, not a place.
        (
            # A bare 办 right after "在哪" is part of the ask ("人才夜市在哪儿办"): where it is held, as "在哪儿举办"
            # is, not a topic word the answer must repeat (not "办理", "办公"). "去哪办" is an errand whose 办 stays
            # a word: "办公证去哪里办" names what is done with it, which a notice must name too.
            "在哪[里儿]?办(?![理公事])",
            # Nor "在哪一战中", "在哪场比赛": which event, not where.
            "在哪(?![些几]|一?[场次战届期])",
            "哪里",
            "哪儿",
            # "从哪发车", "去哪办": not "到哪一天", "去哪个部门"; the cue is "哪" alone, as "哪里" is.
            "(?<=[从去到往])哪(?![些几个位家天年月日一])",
            "哪一?(?:座)?岛",
            "(?:在|去|到)那[里儿]",
            "(?:什么|啥)地方",
            # Places listed where something is set up ("建在哪些地方", "设在哪些商场"): where, though "在哪些领域"
            # is a list, and so is "在哪些地方设有站台" (an encyclopaedia lists cities, which are no places).
            "(?:设|建|位于|分布|停)在哪(?:些|几个?)",
            "何处",
            "何地",
            "地点",
            # Not a spot chosen, changed or kept ("怎么预约选位置", "能换位置吗"): that asks how, not where.
            "(?<![选挑换调占抢留订])位置",
        ),
        (r"\bwhere\b", r"\blocation\b", r"\blocated\b"),
        PLACE_KINDS,
        "具体地点",
        "a place",
        True,
    ),
    # Which body or company: notices name their organisers, operators and builders with the forms the org
    # patterns know (…局, …中心, …有限公司), so a passage on the topic without one does not say.
    AskRule(
        "org",
        (
            "哪个部门",
            "哪几?家",
            "哪个单位",
            "什么单位",
            "哪个机构",
            "什么机构",
            "哪个公司",
            "什么公司",
            "(?:主办|承办|组织|负责|发布)(?:单位|部门|机构)",
        ),
        # "which banks" as "哪几家银行": the establishments a notice names.
        (
            r"which (?:organi[sz]ations?|departments?|compan(?:y|ies)|agenc(?:y|ies)|offices?|bod(?:y|ies)|banks?)\b",
            # "Who is the contractor?" asks for the company that builds, as "哪个施工单位" does.
            r"\bwho (?:is|are|was|were) the (?:main )?contractors?\b",
            r"\bwhich (?:contractors?|construction compan(?:y|ies))\b",
        ),
        frozenset({"org"}),
        "负责单位",
        "the organisation",
        True,
    ),
    # Who, of a person or a body: an encyclopaedia's answer is a name the patterns do not know.
    AskRule(
        "who",
        ("谁", "哪个街道"),
        (r"\bwho\b", r"\bwhom\b"),
        frozenset({"org", "person"}),
        "负责单位",
        "the organisation",
        False,
    ),
    # An identifier asked for ("编号是多少": "L2", "G11") is no figure: the kind patterns do not know codes, so
    # the engine answers by relevance rather than declining a passage without a figure.
    AskRule(
        "code",
        ("(?:编号|代号|代码|编码|型号|番号|序号)(?:是|为)?(?:多少|什么)",),
        (),
        frozenset(),
        "",
        "",
        False,
    ),
    # Which one in order ("第几张", "第多少届", "排第几", "哪一话"): an ordinal answers it ("第12届", "第三"), which a
    # count is not. Before "how many", whose "几张" it contains.
    AskRule(
        "ordinal",
        ("第(?:几|多少)", "排(?:名|行)?(?:第)?(?:几|多少)(?!个|人|名|家)", "哪一(?:话|集|回|章|卷|季|期|届)"),
        (r"\bwhich (?:episode|chapter|volume|season|edition)\b", r"\bwhat (?:rank|place|position) in\b"),
        frozenset({"ordinal", "count"}),
        "排序",
        "which one in order",
        True,
    ),
    AskRule(
        "how_many",
        (
            # The measure words a count is written in (COUNT_UNIT): "空调能补几台" is answered by "最多可补贴3件".
            "多少(?:个|处|家|项|名|人|所|座|条|次|户|位|间|张|辆|门|班|种|批|针|剂|台|件|套|盏|棵|株|本|场|栋|只)",
            "(?<!哪)几(?:个|处|家|项|名|所|座|条|次|户|位|间|张|辆|门|班|种|批|级|类|期|层楼|针|剂|台|件|套|盏|棵|株|本|场|栋|只)",
            "数量",
        ),
        # "How many days" asks how long, as "多少天" does.
        (r"how many(?! (?:working )?(?:days|weeks|months|years)\b)", r"number of"),
        frozenset({"count", "figure"}),
        "具体数量",
        "a number",
        True,
    ),
    # How often: "几分钟一趟", "多久一班", "发车间隔" are answered by "每20分钟一班" (before "多久" of a duration).
    AskRule(
        "interval",
        ("(?:几|多少)(?:分钟|小时|天)一(?:趟|班|次|辆)", "多久一(?:趟|班|次|辆)", "间隔(?:多少|多久|多长|几)"),
        (r"how often", r"how frequent"),
        frozenset({"figure", "schedule"}),
        "间隔时间",
        "how often",
        True,
    ),
    # How long something takes: a duration ("30日内", "5个工作日") or the day it ends by ("3月底前").
    AskRule(
        "duration",
        (
            "多久",
            "多长时间",
            "多少时间",
            "多长期限",
            "多少天",
            "多少个工作日",
            "多少个月",
            "多少年(?![前来级度])",
            # "几天内能退", "有效期几年": not "哪几天" (which days), "几年级", "几年前".
            "(?<!哪)几(?:天|个月|个?工作日|年(?![前来级度]))",
        ),
        (rf"how long(?! {LENGTH_OF})", r"how many (?:working )?(?:days|weeks|months|years)\b"),
        frozenset({"figure", "date", "period"}),
        "具体时限",
        "how long it takes",
        True,
    ),
    AskRule(
        "how_much",
        # Not an area a sum is computed by ("按建筑面积算还是按套内面积算"): that asks which one, not how large.
        ("多少", "多大", "多高", "多长", "多远", "规模", "总投资", "(?<!按)(?<!按.)(?<!按..)面积", "比例", "比率"),
        (
            r"how much",
            r"how (?:big|large|far|high)",
            rf"how long {LENGTH_OF}",
            r"\bamount\b",
            r"\btotal\b",
            r"\brate\b",
            r"percentage",
        ),
        frozenset({"money", "figure", "count"}),
        "具体数额",
        "a figure",
        True,
    ),
    AskRule(
        "list",
        ("哪些", "哪几", "有哪", "都有什么", "包括什么", "包括哪"),
        (r"\bwhich\b", r"what are", r"\blist\b", r"what (?:\w+ )?(?:services|events|projects|measures|courses)"),
        frozenset(),
        "",
        "",
        False,
    ),
    AskRule(
        "why",
        ("为什么", "为何", "原因", "何故"),
        (r"\bwhy\b", r"\breason"),
        frozenset(),
        "",
        "",
        False,
    ),
    AskRule(
        "how",
        # "有没有网上找工作的渠道": the channel or way is what is asked, not what the question is about.
        # 咋 is the spoken 怎么 ("合作医疗在手机上咋交").
        ("怎么", "如何", "怎样", "咋", "流程", "步骤", "手续", "程序", "渠道", "途径"),
        (r"\bhow (?:to|do|can|should|does|is|are)\b", r"\bprocedure", r"\bsteps?\b", r"\bprocess\b"),
        frozenset(),
        "",
        "",
        False,
    ),
)

# ---------------------------------------------------------------------------------------------------------------
# Building blocks of the expression patterns (folded text).
# ---------------------------------------------------------------------------------------------------------------

CJK = r"[\u4e00-\u9fff]"
CN_DIGIT = "零〇一二两三四五六七八九"
CN_NUMERAL = CN_DIGIT + "十百千万亿"
FUNCTION_CHARS = (
    "在于位的和与及至到由从向经沿为是将对以把被等了同跟给让这那其各该本有请凭持携带即并或每可已能也都还均需须应因、"
)
# Two-character verbs that end a name and may come right before one.
NAME_VERBS = (
    "联合|会同|负责|组织|开展|举办|定于|印发|发布|召开|协调|走访|设在|位于|包括|前往|来到|打造|推进|推动|加快|实施|设立|建成"
    "|新建|扩建|增建|开通|依托|通过|经过|联系|咨询|拨打|签约|牵手|携手|安排|统筹|提高|遵守|按照|根据|依据|参加|参与"
    "|进入|进行|办理|申请|今年|明年|去年|当年|今后|部分"
)
# A name starts after a non-Chinese character, a particle or one of those verbs, never inside a word: so
# "3处社区食堂" names no place (neither "处社区食堂" nor "区食堂").
# A ranking's "500强" ends a phrase before the name it describes ("世界500强华润集团").
NAME_BOUNDARY = rf"(?:(?<![0-9\u4e00-\u9fff])|(?<=[{FUNCTION_CHARS}])|(?<={NAME_VERBS})|(?<=[0-9]强))"
# Words that make a category, not a name: "社区食堂", "老旧小区", "公办学校" name no particular place.
GENERIC_WORDS = (
    "社区|居民|老旧|养老|智慧|嵌入式|服务|综合|全区|全市|辖区|相关|示范|高层|城乡|农村|城市|基层|爱心|长者|老年|便民|日间"
    "|公共|公办|民办|各类|全日制|区内|区属|本区|所在|录取|对口"
)
# Nor does a name start with a count ("一所学校") or a category word; nor after "各" or "每(个)": "各街道办事处",
# "每个社区服务站" are every one of a category, no particular one.
NAME_START = (
    rf"{NAME_BOUNDARY}(?<!各)(?<!每)(?<!每个)"
    rf"(?:(?![{FUNCTION_CHARS}]|{NAME_VERBS}|{GENERIC_WORDS}|[{CN_NUMERAL}][个所家处项名座批种类次]){CJK})"
)
# Characters inside a name; verbs end it, and so does "和" unless a bureau follows ("人力资源和社会保障局").
NAME_INNER = (
    rf"(?:(?![和的与及至到由从向为是将对以把被了在请凭每各可、]|{NAME_VERBS}){CJK}"
    rf"|和(?={CJK}{{1,6}}(?:局|委员会|委|部|厅)))"
)
# Inside a place name "和" joins two places ("产业园和金融广场"), so it ends the name.
PLACE_INNER = rf"(?:(?![和等的与及至到由从向为是将对以把被了在请凭每各可、]|{NAME_VERBS}){CJK})"


def _name(low: int, high: int, inner: str = NAME_INNER) -> str:
    """A name of ``low`` to ``high`` characters (greedy: the longest that ends in the suffix after it)."""
    return f"{NAME_START}{inner}{{{low - 1},{high - 1}}}"


# An Arabic number starts at the start of its run, so a run of digits is scanned once, not once per digit.
ARABIC = r"(?<![0-9])(?<![0-9][.,])[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?"
# A Chinese number has a digit in it ("千家万户" is no count) and is not a lone "一" (an article: "一个").
CHINESE = rf"(?<![{CN_NUMERAL}第])(?=[{CN_NUMERAL}]*[{CN_DIGIT}十])(?!一(?![{CN_NUMERAL}]))[{CN_NUMERAL}]+"
# A number, maybe approximate ("300余", "1.1万", "100多"), not an ordinal ("第3").
NUMBER = rf"(?<!第)(?:{ARABIC}(?:\s*[万亿])?|{CHINESE})(?:余|多)?"
RANGE_SEP = r"\s*[-—–~至到]\s*"

YEAR = (
    rf"(?:(?:(?<![0-9])[12][0-9]{{3}}|(?<![{CN_NUMERAL}])[〇零一二三四五六七八九]{{4}})\s*年"
    # A year of three digits ("965年", "前108年") unless it is a span of years ("300年历史", "100年来").
    r"|(?<![0-9.,])[1-9][0-9]{2}\s*年(?!代|历史|来|间|以上|以来|左右|多|内|的)"
    rf"|[{CN_NUMERAL}0-9]{{1,3}}\s*世纪(?:[初末中]|[上下]半叶)?)"
)
MONTH = r"(?:(?<![0-9])(?:1[0-2]|0?[1-9])|(?<![一二三四五六七八九十])(?:十[一二]?|[一二三四五六七八九]))\s*月"
DAY_NUMBER = (
    r"(?:(?<![0-9])(?:[12][0-9]|3[01]|0?[1-9])"
    r"|(?<![一二三四五六七八九十])(?:三十一?|二?十[一二三四五六七八九]?|[一二三四五六七八九]))"
)
WEEKDAY = r"[一二三四五六日天]"
WEEK = r"(?:星期|礼拜|周)"
DAY_SUFFIX = r"(?:起|前|后|以前|以后|之前|之后|以来|当天)?"
WEEKDAY_NOTE = rf"(?:\s*\(?{WEEK}{WEEKDAY}\)?)?"
ISO_MD = "(?:1[0-2]|0?[1-9])"
ISO_D = "(?:[12][0-9]|3[01]|0?[1-9])"
# A calendar date: with a day, a month, or a four-digit year ("2021年" alone is a year; "年轻" is not).
FULL_DATE = (
    rf"(?:{YEAR}\s*)?{MONTH}\s*{DAY_NUMBER}\s*[日号]"
    rf"|(?<![0-9])[12][0-9]{{3}}(?:-{ISO_MD}-|/{ISO_MD}/|\.{ISO_MD}\.){ISO_D}(?![0-9])"
)
DATE = (
    rf"(?:{FULL_DATE}){WEEKDAY_NOTE}{DAY_SUFFIX}"
    rf"|(?:{YEAR}\s*)?{MONTH}(?:份|[上中下]旬|初|底|末|中)?{DAY_SUFFIX}(?![0-9]*\s*[日号])"
    rf"|{YEAR}(?:度|[上下]半年|初|底|末|内)?{DAY_SUFFIX}(?!级)"
    rf"|(?<![0-9月])(?:[12][0-9]|3[01]|[1-9])日(?!内|以内)"
)
HOUR = (
    r"(?:(?<![0-9])(?:[01]?[0-9]|2[0-4])"
    r"|(?<![一二三四五六七八九十两])(?:二十[一二三四]?|十[一二]?|[一二两三四五六七八九]))"
)
# "每晚" is a schedule word; its 晚 does not start a time.
DAYPART = r"(?<!每)(?:上午|下午|中午|晚上|早上|凌晨|傍晚|夜间|早|晚)"
CLOCK = r"(?<![0-9])(?:[01]?[0-9]|2[0-4]):[0-5][0-9](?![0-9])"
# "9点" needs a part of day or minutes to be a time ("提出3点意见" is not one); "9时" does not.
TIME_POINT = (
    rf"(?:{DAYPART}\s*)?{CLOCK}"
    rf"|{DAYPART}\s*{HOUR}\s*[时点](?:\s*[0-5]?[0-9]\s*分|半|整)?"
    rf"|{HOUR}\s*点(?:\s*[0-5]?[0-9]\s*分|半|整|钟)"
    rf"|{HOUR}\s*时(?:\s*[0-5]?[0-9]\s*分|半|整)?(?![间期代候尚刻常段效])"
)
TIME = rf"(?:{TIME_POINT})(?:{RANGE_SEP}(?:{TIME_POINT}))?"
DATE_TIME = rf"(?:{FULL_DATE}){WEEKDAY_NOTE}(?:\s*(?:{TIME_POINT}))?"
PERIOD = (
    rf"(?:{DATE_TIME}){RANGE_SEP}(?:次年|翌年|同年|当年|下一年|下年)?"
    rf"(?:{DATE_TIME}|{MONTH}\s*{DAY_NUMBER}\s*[日号]|{DAY_NUMBER}\s*[日号]|{MONTH}){WEEKDAY_NOTE}(?:期间|之间|止)?"
    rf"|(?:{YEAR}\s*)?{MONTH}{RANGE_SEP}(?:次年|翌年)?(?:{YEAR}\s*)?{MONTH}(?:底|末|初)?"
    rf"|(?:{YEAR}\s*)?(?<![0-9])(?:1[0-2]|[1-9])\s*至\s*{MONTH}"
    rf"|(?<![0-9])[12][0-9]{{3}}(?:年)?{RANGE_SEP}[12][0-9]{{3}}\s*年度?"
    # A deadline counted from an event ("受理申请后20个工作日内", "3日内"): when it happens, at the latest; not a day
    # of the month ("3月30日内"). A wait counted the same way ("体检结果在15个工作日后可查询") says when, too.
    r"|(?<![0-9.月])(?:[0-9]+|[一二三四五六七八九十两]+)\s*个?(?:工作日|自然日|日|天|周|个月)(?:以内|之内|内|以后|之后|后)"
)
SCHEDULE = (
    rf"每月第[一二三四1-4]个?{WEEK}{WEEKDAY}"
    rf"|每月第[一二三四1-4]周"
    rf"|每月(?:(?<![0-9])(?:[12][0-9]|3[01]|[1-9])|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])[日号]"
    rf"|每月(?:初|底|末|[上中下]旬)"
    rf"|每?{WEEK}{WEEKDAY}{RANGE_SEP}{WEEK}?{WEEKDAY}"
    rf"|每?{WEEK}{WEEKDAY}(?:\s*[、,和及]\s*{WEEK}?{WEEKDAY})*(?![次回遍个])"
    r"|(?<![0-9个])工作日|法定节假日|节假日|双休日|周末"
    # Round-the-clock hours ("开放时间：全天24小时", "24小时营业") answer "几点关门"; "24小时内办结" is a duration.
    r"|全天(?:候|(?:24|二十四)小时)|(?<![0-9])(?:24|二十四)小时(?=开放|营业|服务|值班|值守|运营|通行|不打烊|不间断)"
)

PLACE_SUFFIX = (
    r"便民服务中心|政务服务中心|党群服务中心|社区卫生服务中心|卫生服务中心|综合服务中心|服务大厅|办事大厅|服务站|服务点|服务驿站"
    r"|社区居委会|居委会|村委会|街道办事处|办事处|招聘大厅|大厅|会议室|礼堂|体育馆|体育场|文化馆|图书馆|博物馆|活动中心"
    r"|人力资源市场|会展中心|文化中心|广场|大厦|公园|宾馆|酒店|剧院|小区|家园|新村|社区食堂|食堂|接种点|取水点|供水点|联络站"
)
ROAD = rf"{_name(1, 6, PLACE_INNER)}(?:路|大街|街|大道|巷|胡同)"
FLOOR = (
    r"(?:[0-9一二三四五六七八九十]+楼|[0-9]+层|[0-9]+室|[0-9]+号窗口|[0-9]+号楼"
    r"|[东西南北]侧|[东西南北]门|一楼大厅|大厅)"
)
SIDE = r"(?:东|西|南|北|东北|西北|东南|西南)(?:侧|角|门|口|面)"
AFTER_FOUND = (
    "(?:"
    + "|".join(
        f"(?<={verb})"
        for verb in (
            "分布于 分布在 发现于 发现在 出土于 居住在 居住于 栖息于 栖息在 生活在 生活于"
            " 起源于 起源自 发源于 发源自 原产于 产于 迁往 移居 定居于 定居在 葬于 流入 注入"
        ).split()
    )
    + ")"
)
AFTER_LOCATING = r"(?:(?<=位于)|(?<=地处)|(?<=坐落于)|(?<=坐落在)|(?<=建在)|(?<=设在))"
# The offices a resident goes to in their own community or street.
OWN_OFFICE = r"居委会|村委会|居民委员会|村民委员会|办事处|便民服务中心|党群服务中心|服务中心|服务站|派出所"
PLACE = (
    rf"(?:{_name(2, 10, PLACE_INNER)}(?:区|市|县|镇)\s*)?{ROAD}\s*[0-9]+(?:-[0-9]+)?号(?:院)?"
    rf"(?:{PLACE_INNER}{{0,10}}?(?:{PLACE_SUFFIX}))?{FLOOR}*"
    rf"|{ROAD}(?:与|和){ROAD}(?:交叉口|交会处|交汇处|路口|交口)(?:{SIDE})?"
    rf"|{ROAD}\s*\(?{ROAD}(?:至|到|—|-){ROAD}段\)?"
    rf"|{_name(2, 12, PLACE_INNER)}(?:{PLACE_SUFFIX}){FLOOR}*(?:{SIDE})?"
    rf"|{_name(2, 10, PLACE_INNER)}{SIDE}"
    # A room, after the label that names its building ("地点：大厅二楼201室").
    rf"|(?:{PLACE_SUFFIX})?[0-9一二三四五六七八九十]+(?:楼|层)[0-9]+(?:室|号)|(?<![0-9])[0-9]{{3,4}}室"
    # A company's counter named by its street ("到潍坊公交集团东风街营业厅办理"), a service point of its own; not
    # a company's counters in general ("可通过供热企业营业厅缴费").
    rf"|{_name(2, 14, PLACE_INNER)}(?:路|大街|街|大道)(?:营业厅|营业部)"
    # A service window of a hall ("到4号窗口办理"), a service point of its own.
    r"|(?<![0-9])[0-9]{1,2}号窗口"
    # A desk one goes to, named by what is done there ("到中心一楼家庭医生签约服务台办理"): its name may hold a verb.
    rf"|(?<=到){CJK}{{1,14}}?(?:服务台|咨询台)"
    # A desk on a floor of a hall ("大厅一楼总服务台设有失物招领处"): the floor says where it is, without a verb before.
    rf"|(?:{PLACE_SUFFIX})?[0-9一二三四五六七八九十]+(?:楼|层){CJK}{{0,6}}?(?:服务台|咨询台)"
    # Where a thing is found, lives or comes from, right after the verb that says so: "化石发现于中国黑龙江省",
    # "居住在库页岛东边", "起源自屯门区九迳山一带", "被迁往洛阳"; an encyclopaedia names such places without a suffix.
    rf"|{AFTER_FOUND}(?![0-9{CN_NUMERAL}今该此其这那])[^，,。；;：:（()）\n的]{{2,14}}?(?=[，,。；;：:（()）\n的]|$)"
    # The resident's own office, to go to ("到所在社区居委会提交申请", "到户籍所在地村委会登记"): which one is
    # the asker's own, so it says where.
    rf"|(?<=到)(?:(?:所在|户籍所在地|居住地|当地)的?(?:社区|村|镇|街道|乡镇)?|社区|村|街道)(?:{OWN_OFFICE})"
    # An area named right after a verb of location: "项目位于廿里堡街道南部", "该站位于岩手县奥州市".
    rf"|{AFTER_LOCATING}(?![全本该我各此])(?:{PLACE_INNER}){{1,9}}?(?:街道|社区|镇|乡|村|区|市|县|省)(?![委长级民内])"
)

MONEY_UNIT = r"(?:万亿|亿|万|千)?\s*(?:元|块钱|美元|港元|欧元)(?!化|素|宵|旦|结构|论|件|器)"
PER = r"(?:/(?:[人年月天日次剂份节课时位户]|学期|课时|小时|平方米)(?:·[人年月天次])?)?"
MONEY = (
    rf"(?:{NUMBER}{RANGE_SEP})?{NUMBER}\s*{MONEY_UNIT}{PER}"
    r"|免费|免收(?:学费|费用)?|不收(?:取)?(?:任何)?(?:费用|学费)|不收费"
    # A charge ruled out names its sum as none: "不得收取滞纳金", "不收取管理费", "不再另行收取服务费".
    r"|不(?:得|再|予)?(?:另行)?收取[\u4e00-\u9fff]{0,4}?(?:费用|费|金)"
)
FIGURE_UNIT = (
    r"万平方米|平方米|平方公里|平方千米|公顷|亩|公里|千米|厘米|毫米|米|吨|公斤|千克|千瓦时|千瓦|度电|立方米|个百分点|百分点|%|倍|成"
    r"|英寸|英吋|英尺|英里|秒|℃|°c|公分|公尺|公升|公克|公亩|毫升|毫克|海里|英亩|光年|马力|千卡"
    r"|个月|个工作日|工作日|小时|分钟|天|周(?![一二三四五六日天岁年])"
    # Weights, sizes and bearings an encyclopaedia gives ("100克", "1360立方英呎", "300MB", "北纬40 °15 ′").
    r"|立方英尺|立方英呎|英呎|克(?![服隆拉里罗])|[kmgt]b\b|°"
    # Areas and volumes in symbols ("46,600m²" folds to "46,600m2").
    r"|(?:k|c)?m[23](?![0-9a-z])"
)
FIGURE = (
    rf"(?:{NUMBER}{RANGE_SEP})?{NUMBER}\s*(?:{FIGURE_UNIT})"
    rf"|百分之[{CN_NUMERAL}点]+"
    # A share written as a fraction: "三分之二以上同意", "1/3" is left out (a date or a route looks the same).
    rf"|(?<![{CN_NUMERAL}0-9])(?:[{CN_NUMERAL}]{{1,4}}|[0-9]{{1,4}})分之(?:[{CN_NUMERAL}点]{{1,6}}|[0-9][0-9.]{{0,5}})"
    # A duration of one: "为期一个月" (a lone "一" is otherwise an article, not a number).
    rf"|(?<![{CN_NUMERAL}第])一(?:个多?月|个工作日|个?小时|分钟|个?星期|周(?![一二三四五六日天岁年])|天)"
    r"|(?<![0-9])(?<![0-9][.,])[0-9]{1,2}\s*年(?![0-9级度底初末])"
    # Days counted, not a day of the month: "生效之日起30日内", "十五日以内" (never "3月30日").
    rf"|(?<![0-9{CN_NUMERAL}月])(?:[0-9]+|[{CN_NUMERAL}]+)\s*日(?:内|以内|之内)"
    rf"|(?<![0-9])(?<![0-9][.,])[0-9]+(?:\.[0-9]+)?\s*[万亿](?![0-9元块美港欧平个处家项名人所座条件位户套台辆张次])"
)
COUNT_UNIT = (
    r"个(?!月|百分点|小时|工作日|多月)|处|家|项|名|人次|人|所|座|条|件|批|类|种|位|户|套|台|辆|张|场|门|班|栋|间|支"
    r"|部|本|届|次(?![年日])|级|层|轮|组|队"
    r"|枚|只|头|盏|匹|颗|粒|册|卷|首|篇|幅|架|艘|株|棵|针|剂|对(?![于象接外话比照待应])"
    r"|趟|页|步(?![行骤伐])|话(?![题剧语])"
    # Points of a reward scheme ("100积分可兑换…").
    r"|积分"
)
# "二次供水" is a second time, not two of anything.
COUNT = rf"(?!二次)(?:{NUMBER}{RANGE_SEP})?{NUMBER}\s*(?:{COUNT_UNIT})(?!{CJK}?岁)"

# The national public-service hotlines are all 123xx (12349 for eldercare, 12385 for the disabled...), so the
# whole range is listed rather than the few a set happened to show; they still need a hotline word beside them.
HOTLINE = r"(?:123[0-9]{2}|96\d{3,4})"
PHONE = (
    r"(?<![0-9-])(?:\(0[0-9]{2,3}\)|0[0-9]{2,3}\s*[-—–]?\s*)[0-9]{7,8}(?![0-9])"
    r"|(?<![0-9])1[3-9][0-9](?:[- ]?[0-9]{4}){2}(?![0-9])"
    r"|(?<![0-9])400-?[0-9]{3}-?[0-9]{4}(?![0-9])"
    rf"|(?<![0-9])(?<![0-9][.,]){HOTLINE}(?=\s*[{CJK[1:-1]}]{{0,10}}热线)(?:\s*[{CJK[1:-1]}]{{0,10}}?热线)"
    rf"|(?<=拨打|致电|电话|热线|咨询|联系)[:\s]*(?P<m>{HOTLINE}|(?<![0-9])[0-9]{{7,8}})(?![0-9])"
)
WEB = (
    r"https?://[a-z0-9][^\s,，。;；、)）\]\"'“”<>]*"
    r"|(?<![a-z0-9._%+-])[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+"
    r"|(?<![a-z0-9.-])www\.[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:/[^\s,，。;；、)）]*)?"
    r"|(?<![a-z0-9.@-])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:gov\.cn|com\.cn|org\.cn|edu\.cn|cn|com|org|net)(?![a-z0-9])"
    r"|“[^”\n]{2,20}”(?:微信公众号|公众号|小程序|app|客户端|网站|网页端|平台)"
    # A system, platform or app named in quotes ("“山东省农机购置与应用补贴办理服务系统”"), or a phone app.
    r"|“[^”\n]{2,30}(?:系统|平台|app|客户端|网)”|手机app(?![a-z])"
)

ORG_SUFFIX = (
    r"人民政府|委员会|有限责任公司|股份有限公司|有限公司|集团|(?<![格布全结开大当时战飞骗僵残终棋定])局"
    r"|(?<![以为人民核重市城])中心(?!城|区|地带|位置|任务|工作|环节|思想)"
    r"|卫生院|医院|护理院|养老院|敬老院|学校|小学|中学|大学|学院|幼儿园|街道(?!办事处|路)|街道办事处|居委会|村委会|政府"
    r"|办公室|银行|协会|商会|研究院|研究所|管理处|服务站|派出所"
    # A law-enforcement or inspection unit ("劳动保障监察大队", "交警支队"), not a production team's place.
    r"|(?<=[监执法察警防务])(?:大队|支队|中队)"
    # A ministry or department ("海军部", "宣传部", "教育厅"), not a part ("内部", "全部", "西部", "俱乐部").
    r"|(?<![内全东西南北中局干外头腹背底顶上下总分本各乐大小细胸面尾])(?:部|厅)(?![门分署位队件长落族首])"
)
# A qualifier in brackets may stand before the suffix: "香港电视广播(国际)有限公司".
# The start of a clause: after a clause's or a sentence's end, or the text's start.
CLAUSE_HEAD = r"(?:(?<=[，,。；;：:\n])|^)\s*"
# Who made, ran, led or acted on a thing, named by its role rather than by a suffix the patterns know:
# "由索尼电脑娱乐发售", "由Pony Canyon发行", "受到美国高盛公司收购", "被《明报》揭发", "制作公司为Millennium
# Kitchen". The verbs are those of making a product or a work, of running or leading it, and of acting on it
# (收购, 揭发); "由社区负责", "被评为" are left to the suffixes.
AGENT_VERB = (
    r"发行|发售|制作|开发|出品|出版|经营|运营|营运|研发|推出|生产|制造|设计|建造|兴建|率领|执导|创作|创办|创立|提出"
    r"|编写|编著|编撰|撰写|主编|绘制|收购|并购|揭发|报道|曝光"
)
AGENT = (
    rf"(?:(?<=由)|(?<=被)|(?<=受到))(?![于此其该])[^，,。；;：:由被\n]{{2,20}}(?<!所)(?=(?:所|共同)?(?:{AGENT_VERB}))"
    rf"|(?:制作|发行|开发|经营|运营|营运|出版)(?:公司|商|社)(?:为|是)\s*(?P<m>[^，,。；;：:\n]{{2,30}}?)(?=[，,。；;\n]|$)"
)
ORG = rf"{_name(2, 14)}(?:\({CJK}{{1,6}}\))?(?:{ORG_SUFFIX})|{AGENT}"
SURNAME = (
    "(?:欧阳|司马|诸葛|上官|[王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤])"
)
TITLE = (
    r"(?:书记|副书记|区长|副区长|市长|副市长|主任|副主任|局长|副局长|校长|院长|经理|董事长|处长|科长|部长|主席|站长|所长"
    r"|老师|医生|医师|护士长|同志|先生|女士)"
)
PERSON_START = r"(?:(?<!" + CJK + r")|(?<=[由在与和及向对请经据是为了给找让系问见访称、]))(?!向同志)"
# Particles a name starts or ends at.
NAME_EDGE = "由是为和与及的在被对向给将把从于、，,（("
PERSON = (
    rf"{PERSON_START}{SURNAME}{CJK}{{0,2}}?{TITLE}"
    rf"|{TITLE}{SURNAME}{CJK}{{1,2}}?(?=表示|说|指出|强调|介绍|带队|出席|参加|主持|讲话|负责|一行|等|[,，。、;；:：(（\s])"
    # A transliterated name, its parts joined by a middle dot ("约翰·白朗", "苏珊·茨万吉拉伊"), between
    # particles: "由约翰·白朗在1904年设计".
    rf"|(?:(?<!{CJK})|(?<=[{NAME_EDGE}]))(?![{CN_NUMERAL}])(?:(?![{NAME_EDGE}]){CJK}){{1,6}}?"
    rf"(?:·(?![{CN_NUMERAL}]){CJK}{{1,8}}?)+"
    rf"(?=[{NAME_EDGE}。；;)）\s]|认为|表示|说|指出|等|$|[^\u4e00-\u9fff·])"
)
DOC_NOUN = (
    r"(?:居民身份证|身份证|户口簿|户口本|居住证|结婚证|离婚证|出生医学证明|出生证明|毕业证书?|学历证书|学位证书|资格证书?"
    r"|证书|证明|证件|照片|相片|复印件|申请表|登记表|审批表|社保卡|医保卡|银行卡|存折|驾驶证|营业执照|预防接种证|接种证"
    r"|房产证|不动产权证书?|购房合同|租赁合同|租房合同|简历|护照|发票|病历|体检报告|退休证|残疾证|老年证|材料"
    r"|截图|录取通知书|通知书|准考证|学生证|工作证|健康证|委托书|报名表|回执|户籍证明)"
)
DOC_TAIL = rf"(?:原件|复印件|及复印件|原件及复印件|正本|副本|[0-9{CN_DIGIT}十]+(?:份|张|寸|本))*"
DOC_PREFIX = r"(?:(?![请携带持凭提交供准备出示须需要和或及与哪些什么、的])" + CJK + ")"
DOC_ITEM = rf"{DOC_PREFIX}{{0,8}}?{DOC_NOUN}{DOC_TAIL}"
DOC_SEP = r"(?:\s*[、,，和及或与]\s*|以及)"
DOC_CUE = r"(?:携带|带好|带上|带齐|须带|需带|提供|提交|准备|备齐|出示|凭|持)"
DOCUMENTS = rf"{DOC_CUE}\s*{DOC_ITEM}(?:{DOC_SEP}{DOC_ITEM})*|{DOC_ITEM}(?:{DOC_SEP}{DOC_ITEM})+"
# An age has at most three digits or four numerals ("一百零五"); bounded, so a long run of numerals is cheap.
AGE_NUMBER = rf"(?:(?<![0-9])[0-9]{{1,3}}(?![0-9])|(?<![{CN_NUMERAL}])[{CN_NUMERAL}]{{1,4}})"
AGE_BOUND = r"(?:及以上|及以下|以上|以下|以内|之间|周岁以上|周岁以下)?"
AGE = (
    rf"(?:(?:年满|未满|满|年龄在|年龄)\s*)?(?:{AGE_NUMBER}\s*(?:周岁|岁)?{RANGE_SEP})?{AGE_NUMBER}\s*(?:周岁|岁)"
    rf"(?!月|末|首|数){AGE_BOUND}"
    # That no age limit applies answers "多大年龄 / 有年龄限制吗" as a bound would: "均不受婚龄、年龄限制".
    r"|不受[\u4e00-\u9fff、]{0,6}?年龄限制|年龄不限|不限年龄"
)

# A stage a project has reached: "已于6月28日开业运营", "主体结构全面封顶", "正在进行幕墙安装".
STAGE = r"建成|完工|竣工|开业|封顶|投入使用|投用|通车|开通|交付使用|交付|启用|落地|开工"
# That nothing need be applied for ("资助对象无需个人申请", "免申即享", "自动发放"): the answer to where or how to
# apply when there is no such place.
EXEMPT = (
    r"(?:无需|无须|不需要?|不用|免于)(?:本人|个人|另行|再|单独)?(?:申请|申报|办理|报名)"
    r"|免申即享|自动(?:发放|享受|纳入|续保|参保)"
)
STATUS = (
    rf"(?:已经|已于[^，,。；;\n]{{0,12}}?|已|全面|基本|顺利|正式)\s*(?:{STAGE})"
    r"|正在(?:进行|建设|施工|推进|安装)"
)

# A title in book-title marks: a work, a law or a policy document ("《喜爱夜蒲3》", "《潍坊市养老服务条例》").
# Traditional texts mark a title with corner brackets, which also quote any phrase ("「春风行动」招聘品牌"): a
# bracketed phrase is a title only where its clause calls it a work ("「东坡家事」则为其最后拍摄之作品") or a verb
# of making or performing one comes just before it ("主演「…」").
WORK_NOUN = r"作品|剧集|电视剧|连续剧|电影|影片|专辑|歌曲|单曲|小说|节目|著作|一书|一剧|一片|一曲|一诗|一文"
WORK_VERB = r"(?<=主演|出演|演出|拍摄|执导|导演|演唱|主唱|发行|推出|出版|著有|编写|创作)"
CORNER = r"「[^「」\n]{1,20}」|『[^『』\n]{1,20}』"
WORK = (
    r"《[^《》\n]{1,40}》"
    rf"|(?:{CORNER})(?=[^，,。；;！？!?\n「『]{{0,12}}?(?:{WORK_NOUN}))"
    rf"|{WORK_VERB}\s*(?:{CORNER})"
)

# A colour: "淡绿色", "银白色", "粉红色", "深褐色", "透明"; never "特色", "角色", "出色" (their first character is no
# colour's).
COLOUR_HUE = "红橙黄绿青蓝紫黑白灰褐棕粉赭橘金银"
COLOUR = rf"(?:[深浅淡暗亮鲜艳纯乳墨翠]?[{COLOUR_HUE}]{{1,3}}色(?!彩|情|调|素|谱|系)|(?<![不半])透明(?!度|化|性))"
# Occupations a biography's first clause names after the nationality: "古巴田径运动员", "葡萄牙足球运动员".
SPORT = (
    r"足球|篮球|田径|网球|排球|棒球|乒乓球|羽毛球|游泳|体操|拳击|赛车|高尔夫球?|冰球|桌球|斯诺克|举重|击剑|柔道|摔跤|射击"
    r"|自行车|滑雪|滑冰|速滑|跳水|赛艇|橄榄球|曲棍球|手球|板球"
)
OCCUPATION = (
    r"运动员|球员|演员|歌手|作家|诗人|画家|导演|政治家|外交官|军事家|将领|科学家|物理学家|化学家|数学家|天文学家|生物学家"
    r"|学者|哲学家|历史学家|经济学家|音乐家|作曲家|歌唱家|艺术家|建筑师|企业家|商人|模特儿?|主持人|记者|律师|教练|骑师|车手"
    r"|棋手|漫画家|小说家|编剧|制片人|配音员|声优|艺人|舞蹈家|指挥家|钢琴家|发明家|探险家|设计师|摄影师|传教士|政治人物|官员"
)
# Where a person is from, at the head of its clause: "湖广公安人", "会稽句章（今浙江省宁波市）人", "古巴田径运动员",
# "国籍是英国", "籍贯为四川资阳", "生于福冈县福冈市小姓町". A group ending in 人 is no origin: "尚可喜等人",
# "著名诗人", "一名商人".
ORIGIN_STOP = f"的了在向等是为被把将与和及对从到给让个名位些多这那其该并而后年月日做当像施救能不因{CN_NUMERAL}"
ORIGIN_CHAR = rf"(?:(?![{ORIGIN_STOP}])[\u4e00-\u9fff（）()·])"
# A group or a role that ends in 人 ("诗人", "负责人", "世人", "继承人") is no origin.
ROLE_BEFORE_REN = "诗商军艺工老男女主家本成华夫恩族友犯病猎客世承选证责系请托护理"
ORIGIN = (
    rf"{CLAUSE_HEAD}(?:祖籍|原籍)?{ORIGIN_CHAR}{{2,20}}?(?<![{ROLE_BEFORE_REN}])人(?=[，,。；;）)（(]|$)"
    rf"|{CLAUSE_HEAD}(?:是|为)?(?:一名|一位)?(?!著名|知名|资深|青年|年轻){ORIGIN_CHAR}{{2,8}}?"
    rf"(?:籍|裔)?(?:职业|女|男|著名|知名)?(?:{SPORT})?(?:{OCCUPATION})(?=[，,。；;）)]|$)"
    rf"|(?:国籍|籍贯|祖籍|原籍)[：:]?\s*(?:是|为)?\s*{ORIGIN_CHAR}{{2,16}}?(?=[，,。；;）)人]|$)"
    rf"|(?<![0-9])(?:出生|生)(?:于|在)(?![0-9{CN_NUMERAL}]){ORIGIN_CHAR}{{2,16}}?(?=[，,。；;）)]|$)"
)
# Another name, after the word that introduces it: "又名扬子陆块、华南陆块", "俗称梅窝河", "也被称为喇嘛教",
# "简称FIPS代码"; up to the end of the clause, with a gloss in brackets ("亦称塔科马山（Mount Tacoma）").
ALIAS = (
    r"(?:又|亦|也|或|另|俗|简|别|统|通|古|旧|原|现|今|常)(?:被)?(?:称|名|叫|译)(?![赞得职霸心列次好之道颂])(?:为|作|做|是)?"
    r"(?![为作做是的])(?:[^，,。；;：:（）()\n]|（[^（）\n]{0,30}）|\([^()\n]{0,30}\)){1,30}?(?=[，,。；;：:）)\n]|$)"
)
# A country, a province, a city or a county by its name: "英国", "辽宁省凤城市", "中国重庆市" ("加拿大温哥华" is not
# one: no suffix). Never the words that only end like one: "全国", "各省", "高品质城市", "国际", "国家"; so a city
# whose name ends in 城 ("诸城市") is missed.
REGION = (
    rf"(?:{_name(2, 10, PLACE_INNER)}(?:自治区|特别行政区|省|(?<!城)市|州|郡|县)(?![委长级民道界区域场])"
    rf"|(?:{_name(2, 10, PLACE_INNER)}"
    # A country of one character and 国 ("英国", "泰国"), not a word that ends like one ("全国", "出国").
    rf"|{NAME_START}(?<![全我本外两各他邻该祖万爱回出建立开治报强大小王]))国(?![际家内外务立营产会委长级民道界区域场]))"
)
# A person named by kinship or authorship, the way a biography answers "谁的妻子", "由谁所生", "作者是谁": "吴废帝孙亮
# 之妻", "琅邪王司马伷三子", "由仁穆王后所生", "清吴沃尧所著的小说". A bare 子 or 女 needs 之 ("独生子女" is no one).
KIN = (
    r"之(?:妻子?|丈夫|夫|儿子|女儿|子|女|母亲|父亲|母|父|孙子|孙女|孙|兄|弟|姐|妹)"
    r"|(?:长|次|三|四|五|六|幼|嫡长|庶|第[一二三四五六七八九十]{1,3})(?:子|女)"
)
RELATIVE = (
    rf"(?:{CLAUSE_HEAD}|(?<=[为是乃]))(?:{ORIGIN_CHAR}){{2,12}}?(?:{KIN})(?=[，,。；;]|$)"
    rf"|(?<=由){ORIGIN_CHAR}{{2,12}}?(?=所生)"
    rf"|(?:{CLAUSE_HEAD}|(?<=[为是乃]))(?:{ORIGIN_CHAR}){{2,12}}?(?=所(?:著|作|写|编|撰|绘|创作|设计|导演))"
)
# An ordinal: "第12届", "第三", "HOSO第8话", "第十八张" (never a count: "第3" says which, not how many).
ORDINAL = (
    rf"(?<![0-9{CN_NUMERAL}])第\s*(?:[0-9]+|[{CN_NUMERAL}]+)"
    rf"(?:\s*(?:{COUNT_UNIT}|号|集|回|章|卷|季|期|名|位|大))?"
)

PATTERNS: dict[Kind, str] = {
    "date": DATE,
    "time": TIME,
    "period": PERIOD,
    "schedule": SCHEDULE,
    "place": PLACE,
    "money": MONEY,
    "figure": FIGURE,
    "count": COUNT,
    "phone": PHONE,
    "web": WEB,
    "org": ORG,
    "person": f"{PERSON}|{RELATIVE}",
    "documents": DOCUMENTS,
    "age": AGE,
    "work": WORK,
    "status": STATUS,
    "colour": COLOUR,
    "origin": ORIGIN,
    "alias": ALIAS,
    "region": REGION,
    "ordinal": ORDINAL,
    "exempt": EXEMPT,
}
COMPILED: dict[Kind, re.Pattern[str]] = {kind: re.compile(p) for kind, p in PATTERNS.items()}
ASK_PATTERNS: tuple[tuple[AskRule, re.Pattern[str]], ...] = tuple(
    (rule, re.compile("|".join(f"(?:{cue})" for cue in (*rule.zh, *rule.en)))) for rule in ASK_RULES
)

# A rule's Chinese cues alone, for an English question led by another question word.
EN_LED_ZH_PATTERNS: dict[str, re.Pattern[str]] = {
    rule.name: re.compile("|".join(f"(?:{cue})" for cue in rule.zh)) for rule in ASK_RULES if rule.en_led
}


@dataclass(frozen=True)
class KindMatch:
    """An expression of one kind: ``text[start:end] == match text`` in the raw text searched."""

    kind: Kind
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Ask:
    """What kind of answer a question asks for."""

    name: str
    kinds: frozenset[Kind]
    label_zh: str
    label_en: str
    detail: bool
    cue: tuple[int, int]


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@cache
def _fold_char(char: str) -> str:
    """One character folded to one character: NFKC, Traditional to Simplified, lower case (else left as is)."""
    out = unicodedata.normalize("NFKC", char)
    if len(out) != 1:
        return char
    simplified: str = _t2s().convert(out)
    if len(simplified) == 1:
        out = simplified
    lower = out.lower()
    return lower if len(lower) == 1 else out


def fold_same_length(text: str) -> str:
    """``text`` folded for matching with offsets kept: character i of the result is character i of ``text``."""
    return "".join(map(_fold_char, text))


def _span(match: re.Match[str]) -> tuple[int, int]:
    return match.span("m") if "m" in match.re.groupindex and match.group("m") else match.span()


def find_kinds(text: str, kinds: Collection[Kind] | None = None) -> list[KindMatch]:
    """Expressions of the given kinds (all kinds if None) in text, in order of position."""
    folded = fold_same_length(text)
    wanted = KINDS if kinds is None else tuple(k for k in KINDS if k in kinds)
    found: list[KindMatch] = []
    for kind in wanted:
        for match in COMPILED[kind].finditer(folded):
            start, end = _span(match)
            # Trim spaces a pattern's optional parts let in at either end.
            while start < end and folded[start].isspace():
                start += 1
            while end > start and folded[end - 1].isspace():
                end -= 1
            if start < end:
                found.append(KindMatch(kind, start, end, text[start:end]))
    return sorted(found, key=lambda m: (m.start, -m.end, KIND_ORDER[m.kind]))


def has_kind(text: str, kinds: Collection[Kind]) -> bool:
    """Whether text contains an expression of any of the given kinds."""
    folded = fold_same_length(text)
    return any(COMPILED[k].search(folded) for k in KINDS if k in kinds)


# A resident's yes-or-no question that states an age ("我妈今年82了，还能报老年大学吗", "孩子都7岁了能…吗") asks
# whether that age is allowed: the answer is the age limit, when the question asks nothing else.
STATED_AGE_RE = re.compile(r"(?:今年|已经|已|都|快|满)(?P<cue>[0-9]{1,3}(?:周岁|岁)?了)")


# The age a question states of the one it asks for ("我妈68岁", "82岁独居老人", "孩子都7岁了"): a number of years
# that bounds nothing ("60岁以上的老人" names a group, not a person).
QUESTION_AGE_RE = re.compile(
    r"(?<![0-9.至到~—–-])(?P<age>[0-9]{1,3})(?:周岁|岁)(?!以上|以下|以内|及|至|到|之间|[0-9~—–-])"
)
# An age range a document names ("60至79周岁", "80周岁及以上", "未满14周岁", "65岁以下"); a bare age ("70岁老人")
# bounds nothing.
AGE_RANGE_RE = re.compile(
    r"(?P<cue>年满|未满|不满|满)?(?:(?P<low>[0-9]{1,3})(?:周岁|岁)?\s*[至到~—–-]\s*(?P<high>[0-9]{1,3})|(?P<one>[0-9]{1,3}))"
    r"\s*(?:周岁|岁)(?P<bound>及以上|及以下|以上|以下|以内)?"
)
NO_AGE_LIMIT = 200


@dataclass(frozen=True)
class AgeRange:
    """The ages, both ends included, a document's expression covers."""

    low: int
    high: int


def stated_age(question: str) -> int | None:
    """The age the question states of the person it asks for, if any."""
    found = QUESTION_AGE_RE.search(fold_same_length(question))
    return int(found.group("age")) if found else None


def age_ranges(text: str) -> list[AgeRange]:
    """The age ranges ``text`` names, each with both ends ("80周岁及以上" -> 80 to no limit)."""
    ranges: list[AgeRange] = []
    for m in AGE_RANGE_RE.finditer(fold_same_length(text)):
        cue, bound = m.group("cue") or "", m.group("bound") or ""
        if m.group("low"):
            ranges.append(AgeRange(int(m.group("low")), int(m.group("high"))))
            continue
        age = int(m.group("one"))
        if cue in ("未满", "不满"):
            ranges.append(AgeRange(0, age - 1))
        elif bound in ("及以下", "以下", "以内"):
            ranges.append(AgeRange(0, age))
        elif cue or bound:
            ranges.append(AgeRange(age, NO_AGE_LIMIT))
    return ranges


def excludes_age(text: str, age: int) -> bool:
    """Whether ``text`` names ages, none of which include ``age`` (the 80-and-over price for a 68-year-old)."""
    ranges = age_ranges(text)
    return bool(ranges) and not any(r.low <= age <= r.high for r in ranges)


def question_ask(question: str) -> Ask | None:
    """The kind of answer question asks for (Simplified, Traditional Chinese or English), if recognised."""
    folded = fold_same_length(question)
    # A question that opens with 为什么 asks why, whatever detail words its subject holds after it ("为什么年龄幼小的
    # 永昌大君被认为是最大的威胁" asks no age, "为什么要交物业费" no fee).
    lead = WHY_LEAD_RE.match(folded)
    if lead:
        why = next(rule for rule, _ in ASK_PATTERNS if rule.name == "why")
        return Ask(why.name, why.kinds, why.label_zh, why.label_en, why.detail, lead.span("cue"))
    led = OTHER_LEAD_RE.match(folded) is not None
    for rule, pattern in ASK_PATTERNS:
        if led and rule.en_led:
            pattern = EN_LED_ZH_PATTERNS[rule.name]
        match = pattern.search(folded)
        if match:
            cue = match.span("cue") if "cue" in pattern.groupindex and match.group("cue") else match.span()
            return Ask(rule.name, rule.kinds, rule.label_zh, rule.label_en, rule.detail, cue)
    stated = STATED_AGE_RE.search(folded)
    if stated and re.search(r"吗[？?！!。]*\s*$", folded):
        age = next(rule for rule, _ in ASK_PATTERNS if rule.name == "age")
        return Ask(age.name, age.kinds, age.label_zh, age.label_en, age.detail, stated.span("cue"))
    return None
