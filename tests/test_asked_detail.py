"""Whether an expression of an asked kind gives what the question asks: in its measure word, of its kind of body."""

from __future__ import annotations

import re

import pytest

from assistant.answer.question import analyse, asked_unit, claim_of, gives, language
from assistant.lang.kinds import (
    Kind,
    asked_org_endings,
    bare_sum,
    find_kinds,
    in_room,
    in_unit,
    other_part,
    other_period,
)
from assistant.text import fold

# (question, the measure word it counts in, or None)
UNITS: list[tuple[str, str | None]] = [
    ("骨灰堂的格位能用多少年？", "年"),
    ("背街小巷新装了多少盏路灯？", "盏"),
    ("带状疱疹疫苗一共要打几针？", "针"),
    ("议事会今年议定了多少件事？", "件"),
    ("全区有几处社区食堂？", "处"),
    ("申请要几天能办好？", "天"),
    ("孩子打预防针是每周哪几天？", None),  # which days, not how many
    ("停水范围是哪几条路围起来的？", None),
    ("总投资多少？", None),
    ("两癌免费筛查一共多少名额？", None),  # places, not people
    ("锦标降格为第几班赛事？", None),  # an ordinal, not a count
    ("每个项目请几位居民当监督员？", "位"),
    # A measure word that begins a noun is that noun, counted in another measure word.
    ("二院新院区有多少床位？", None),  # 床位600张
    ("养老院有几床？", "床"),
    ("全区有多少站点？", None),
    ("有几站能到？", "站"),
    ("项目涉及多少家庭？", None),  # 1260户
    ("有几家企业参加？", "家"),
    ("建了几处场馆？", "处"),
    ("学校有多少班级？", None),
    # English names its unit as a noun after "how many".
    ("How many days was the farmer training planned to last?", "天"),
    ("How many years can a niche be used?", "年"),
    ("How many people will the training take this year?", "人"),
    ("How many matters did the councils decide?", None),  # no unit noun
    ("How many multi-purpose sports courts has Kuiwen built?", None),
    ("How much does a day pass cost?", None),  # the noun is not after "how many"
    ("How long does the training last?", None),
    # A rate or share is counted in percent, fractions or 成.
    ("居民医保住院报销比例是多少", "%"),
    ("稳岗返还按什么比例返还？", "%"),
    ("低保边缘户资助占几成", "%"),
    ("What percentage of the bill is reimbursed?", "%"),
    ("低保边缘户资助多少？", None),  # an amount or a share: not said which
]


@pytest.mark.parametrize(("question", "unit"), UNITS)
def test_asked_unit(question: str, unit: str | None) -> None:
    assert asked_unit(fold(question)) == unit


# (kind, expression, measure word, whether the expression is a quantity in it)
IN_UNIT: list[tuple[Kind, str, str, bool]] = [
    ("figure", "20年", "年", True),
    ("count", "12处", "处", True),
    ("figure", "7日内", "天", True),  # a document writes days as 日
    ("count", "300名", "人", True),
    ("count", "2名", "位", True),  # people counted in either measure word
    ("figure", "一周", "天", True),  # a length of time in another unit of time
    ("figure", "3个工作日", "天", True),
    ("figure", "6个月", "年", True),
    ("count", "200户", "家", True),  # businesses counted as households
    ("count", "3处", "家", True),  # canteens and service points counted as sites
    ("count", "3件", "台", True),  # appliances counted by the piece ("空调能补几台": "最多可补贴3件")
    ("count", "3个", "台", False),
    ("figure", "三分之二", "人", True),  # a share of the people who agree answers how many do
    ("figure", "60%", "户", True),
    ("figure", "三分之二", "个", False),  # a share of things is no count of them
    ("figure", "60%", "元", False),
    ("figure", "3公里", "人", False),
    ("count", "67个", "件", False),  # 个 is no measure word of everything
    ("count", "5个", "盏", False),
    ("money", "免费", "元", True),  # a price asked in yuan may be none
    ("money", "2800万元", "元", True),
    ("age", "60周岁", "岁", True),
    ("date", "2024年5月", "年", False),  # a calendar year is no number of years
    ("figure", "30米", "盏", False),
    ("count", "12处", "座", False),
    ("count", "8000个", "元", False),
]


@pytest.mark.parametrize(("kind", "text", "unit", "expected"), IN_UNIT)
def test_in_unit(kind: Kind, text: str, unit: str, expected: bool) -> None:
    assert in_unit(kind, text, unit) is expected


# (question, endings an organisation's name must have to answer it)
ORG_ENDINGS: list[tuple[str, tuple[str, ...]]] = [
    ("骨灰堂是哪家公司施工的？", ("公司", "集团", "企业")),
    ("停车楼由什么公司管理？", ("公司", "集团", "企业")),
    ("Which company signed the smart parking project?", ("公司", "集团", "企业")),
    ("居民医保可以去哪几家合作银行缴费？", ("银行", "信用社")),
    ("奎文区哪家医院看病最好？", ("医院", "卫生院")),
    ("東風東街管網改造是哪個施工單位負責的？", ("公司", "集团", "企业")),  # a contractor is a company
    ("就业援助月是哪个部门搞的？", ()),  # a department of any kind
    ("这个项目的主办单位是什么？", ()),
    ("鸢都学堂项目是和谁合作的？", ()),
]


@pytest.mark.parametrize(("question", "endings"), ORG_ENDINGS)
def test_asked_org_endings(question: str, endings: tuple[str, ...]) -> None:
    assert asked_org_endings(fold(question)) == endings


# (question, a sentence of a document, whether an expression of the asked kinds in it gives the answer)
GIVES: list[tuple[str, str, bool]] = [
    # A quantity in the measure word counted in.
    ("骨灰堂的格位使用期限是多少年？", "格位使用期限为20年。", True),
    ("骨灰堂的格位能用多少年？", "骨灰堂主体工程已于2024年5月封顶。", False),
    ("背街小巷新装了多少盏路灯？", "共计更换LED节能灯5600盏。", True),
    ("背街小巷新装了多少盏路灯？", "每隔30米左右设置一盏路灯。", False),  # a distance; "一盏" is an article
    ("全区有几处社区食堂？", "全区已建成社区食堂16处。", True),
    ("受理以后多少天安排调解？", "当天受理登记，3个工作日内安排调解。", True),
    ("口袋公园有几座24小时开放？", "新建口袋公园12处，每处面积不少于400平方米。", False),
    ("停车一小时多少元？", "首30分钟内免费。", True),
    # A count that is no "when": the unit binds only quantity questions.
    ("截止2023年底改完了多少条小巷？", "截至2023年12月底，已完成背街小巷改造31条。", True),
    # An organisation of the kind named.
    ("骨灰堂是哪家公司施工的？", "记者从区民政局获悉，骨灰堂主体工程已封顶。", False),
    ("骨灰堂是哪家公司施工的？", "项目由潍坊城建集团有限公司承建。", True),
    ("Which company signed the smart parking project?", "与世界500强华润集团签约智慧停车项目。", True),
    ("就业援助月是哪个部门搞的？", "奎文区人社局组织开展就业援助月活动。", True),
    # A date in the part of the year asked about.
    ("下半年人大代表接待安排是啥时候？", "区人大常委会安排2024年上半年集中接待选民活动。", False),
    ("下半年人大代表接待安排是啥时候？", "2024年下半年集中接待定于9月12日。", True),
    ("上半年什么时候接待？", "定于3月12日集中接待。", True),  # a date naming no part of the year
    ("一季度什么时候开工？", "项目于三季度开工建设。", False),
    # A routine is not one dated event.
    ("联络站平时哪天有人值班？", "1月18日 | 东关街道人大代表联络站 | 和平路1020号", False),
    ("联络站平时哪天有人值班？", "时间：每月第三个周四上午接待选民。", True),
    # A sum of money by money, or a figure that is a bare sum; not a ratio of the same project.
    ("北海路供热管网改造投资多少？", "改造完成后，管网热损失预计降低15%。", False),
    ("北海路供热管网改造投资多少？", "项目总投资约1.2亿，年内完工。", True),
    ("北海路供热管网改造投资多少？", "项目总投资1.2亿元。", True),
    # A total is not given by a figure per unit.
    ("适老化改造总共安排了多少预算资金？", "按实际费用的50%给予补贴，每户最高补贴2,000元。", False),
    ("适老化改造总共安排了多少预算资金？", "全区共安排改造资金120万元，每户最高补贴2,000元。", True),
    ("每户最高补贴多少钱？", "每户最高补贴2,000元。", True),  # a figure per unit asked for
    # A day asked for by its number: a month, a span of months or an hour does not give it; a dated day does.
    ("公园二期几号开园？", "4月至10月每天6:00—22:00，11月至次年3月每天6:30—21:00。", False),
    ("公园二期几号开园？", "公园二期将于2025年10月1日正式向市民开放。", True),
    ("补贴申报到几号？", "申报截至6月底。", True),
    ("老年人免费体检几号开始？", "体检于3月开始。", False),
    # Not when the hour is asked beside the day, nor a day asked otherwise ("什么时候").
    ("招聘会几号几点开始？", "每天9:00—12:00。", True),
    ("公园二期什么时候开园？", "4月至10月每天6:00—22:00。", True),
    # Never what the question says itself.
    ("4个重点项目共有多少个？", "4个重点项目开工建设。", False),
]


@pytest.mark.parametrize(("question", "sentence", "expected"), GIVES)
def test_gives(question: str, sentence: str, expected: bool) -> None:
    analysed = analyse(question)
    assert analysed.ask is not None
    found = [m for m in find_kinds(sentence) if m.kind in analysed.ask.kinds]
    # Each expression is read with the words of its clause that lead to it.
    lead = [fold(re.split("[，,；;。]", sentence[: m.start])[-1]) for m in found]
    assert any(gives(analysed, m.kind, fold(m.text), before) for m, before in zip(found, lead, strict=True)) is expected


def test_an_expression_of_a_kind_not_asked_is_not_judged() -> None:
    question = analyse("骨灰堂的格位能用多少年？")
    # Only the asked kinds are bound by the unit: another kind passes through for other features to read.
    assert gives(question, "org", fold("区民政局"))
    assert not gives(question, "figure", fold("5600盏"))


# (question, a date or a sentence, whether it names another part of the year, day or week than the question names,
# and not that one)
PARTS: list[tuple[str, str, bool]] = [
    ("下半年接待安排是啥时候", "2024年上半年", True),
    ("下半年接待安排是啥时候", "2024年下半年", False),
    ("下半年接待安排是啥时候", "9月12日", False),
    ("今年什么时候接待", "2024年上半年", False),  # the question names no part
    ("二季度什么时候开工", "第一季度", True),
    ("冬季几点开灯", "夏季", True),
    ("冬天几点开灯", "冬季一般17:30开灯", False),  # either word of a part
    # Sentences whose detail is another part's: a night fee for a day fee, weekday hours for weekend ones.
    ("公共停车场白天包月多少钱", "周边居民可办理夜间包月，一类区域每月100元", True),
    ("公共停车场白天包月多少钱", "白天包月每月150元，夜间包月每月100元", False),
    ("公共停车场白天包月多少钱", "一类区域每月100元", False),  # no part named: not ruled out
    ("图书馆周末几点开门", "工作日9:00—17:00开放", True),
    # The meals of a day.
    ("社区食堂午餐几点供应", "晚餐：每周一至周六16:30—18:30，星期日不供应晚餐", True),
    ("社区食堂午饭几点开始", "晚餐：每周一至周六16:30—18:30", True),
    ("社区食堂午餐几点供应", "午餐：每日10:30—13:00", False),
    ("社区食堂午餐几点供应", "午餐10:30开始，晚餐16:30开始", False),
    ("社区食堂几点开门", "晚餐：每周一至周六16:30—18:30", False),  # the question names no meal
]


@pytest.mark.parametrize(("question", "text", "expected"), PARTS)
def test_other_part(question: str, text: str, expected: bool) -> None:
    assert other_part(fold(question), fold(text)) is expected


# (question, what a yes-or-no question asks to confirm: its last two content words; none for other questions)
CLAIMS: list[tuple[str, tuple[str, ...]]] = [
    ("奎文区选择树葬有补贴吗", ("树葬", "补贴")),
    ("北海路施工晚上也干活吗？", ("晚上", "干活")),
    ("征兵体检那天要空腹吗？", ("那天", "空腹")),
    ("养老驿站要建15到20个是吗", ("15", "20")),
    ("選擇樹葬有補貼嗎？", ("树葬", "补贴")),  # folded: Traditional as Simplified
    ("在奎文买了房能落户吗？孩子能一起迁过来吗", ("房能", "落户", "一起", "迁过来")),  # each part asked
    ("树葬有什么补贴？", ()),  # not yes-or-no
    ("吗啡是什么药？", ()),  # 吗 not at the end
    ("Is there a subsidy for tree burial?", ()),  # English questions are left to the other checks
    # An affirmative-negative verb in the last clause asks yes or no too: what follows it is the claim.
    ("招聘会那边好停车吗，有没有停车场", ("停车场",)),
    ("寒假有没有托管服务", ("托管", "服务")),
    ("拿了补贴的收割机能不能转手卖掉", ("转手", "卖掉")),
    ("有没有人知道在哪报名，几点开始", ()),  # the verb is not in the last clause
    ("没有户口能报名吗", ("户口", "报名")),  # 没有 alone is no affirmative-negative verb
]


@pytest.mark.parametrize(("question", "claim"), CLAIMS)
def test_claim_of(question: str, claim: tuple[str, ...]) -> None:
    assert claim_of(question, language(question)) == claim


# (an English question, the Chinese readings of what an "is there…" question asks to confirm)
ENGLISH_CLAIMS: list[tuple[str, tuple[str, ...]]] = [
    ("Is there parking at the flu vaccination sites?", ("停车",)),  # up to the preposition
    ("Is there parking there?", ("停车",)),
    ("Are there any free seats on the bus?", ("免费",)),  # an unglossed word ("seats") adds nothing
    ("Is there a fine for damaging it?", ()),  # nothing glossed: nothing to check
    ("How much is parking at the station?", ()),  # not a yes-or-no question
    ("Where is there parking?", ()),  # "there" not asked after is/are
]


@pytest.mark.parametrize(("question", "claim"), ENGLISH_CLAIMS)
def test_an_english_question_whether_something_exists_asks_to_confirm_it(question: str, claim: tuple[str, ...]) -> None:
    assert analyse(question).claim == claim


# (question, a place, whether it names the floor, room or window asked for)
ROOMS: list[tuple[str, str, bool]] = [
    ("调解室在几楼几号？", "大厅二楼201室", True),
    ("调解室在几楼？", "福寿东街2288号", False),  # a street number is no floor
    ("夜间门诊在几楼？", "东关街道社区卫生服务中心", False),
    ("夜间门诊在几楼？", "门诊楼三层", True),
    ("议事厅是几号房间？", "大厅三楼东侧", False),  # a floor does not number a room
    ("议事厅是几号房间？", "三楼305室", True),
    ("申请低保去几号窗口？", "4号窗口", True),
    ("申请低保去几号窗口？", "大厅二楼", False),
]


@pytest.mark.parametrize(("question", "place", "expected"), ROOMS)
def test_in_room(question: str, place: str, expected: bool) -> None:
    assert in_room(fold(question), fold(place)) is expected


# (question, a sentence, whether the sentence gives its detail for a special period while the usual state is asked)
PERIODS: list[tuple[str, str, bool]] = [
    ("福寿园公墓平时几点关门", "祭扫高峰期间，福寿园公墓开放时间延长至18:00。", True),
    ("福寿园公墓平时几点关门", "福寿园公墓每天7:00至17:00开放。", False),
    ("清明期间福寿园公墓开到几点", "祭扫高峰期间，福寿园公墓开放时间延长至18:00。", False),  # not the usual state
    ("停水期间临时供水点设在哪里", "停水期间，临时供水点设在福寿里小区北门。", False),
]


@pytest.mark.parametrize(("question", "sentence", "expected"), PERIODS)
def test_other_period(question: str, sentence: str, expected: bool) -> None:
    assert other_period(fold(question), fold(sentence)) is expected


# (figure, whether it is a bare sum of money)
SUMS: list[tuple[str, bool]] = [("60亿", True), ("1.2万", True), ("300万余", True), ("15%", False), ("13.2公里", False)]


@pytest.mark.parametrize(("text", "expected"), SUMS)
def test_bare_sum(text: str, expected: bool) -> None:
    assert bare_sum(text) is expected
