"""Answer or decline, and why: the fitted decision over the best passage and its answer span."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from assistant.answer.model import EngineModel
from assistant.answer.question import Question
from assistant.answer.rank import Ranked, Weights
from assistant.answer.span import AnswerSpan, new_names, wrong_day
from assistant.lang.kinds import ORG_HEAD_RE, SHARE_UNIT, SHARED_UNITS, UNIT_FORMS, Kind, find_kinds, gives_share
from assistant.text import fold

Reason = Literal["answered", "not_covered", "detail_not_published", "out_of_scope"]


@dataclass(frozen=True)
class Decision:
    """Whether to answer, the reason, and the model's probabilities with the features they came from."""

    answer: bool
    reason: Reason
    confidence: float
    covered: float
    features: dict[str, float]


# What says whether a document is on the question's topic at all.
COVERED_FEATURES = (
    "top_dense",
    "top_cov",
    "top_cov_topic",
    "top_cov_focus",
    "top_doc_cov",
    "top_faq_cov",
    "unknown",
    "unknown_max",
    "terms",
    "en",
    "span_cos",
    "span_cov_sentence",
    "span_topic_context",
    "top_doc_cov_topic",
    "top_framed_cov_topic",
    "top_char_cov",
    "top_quote",
    "quote_missing",
)
# What says whether the passage on the topic gives the detail asked for, from the right place.
DETAIL_FEATURES = (
    "missing_kind",
    "missing_kind_passage",
    "kind_silent_document",
    "missing_kind_heard",
    "missing_kind_dated",
    "top_area_conflict",
    "top_area_foreign",
    "top_cov_topic",
    "span_topic_sentence",
    "span_topic_context",
    "span_kind_near",
    "span_section_conflict",
    "span_kind_topic",
    "span_unit_missing",
    "span_new_name",
    "span_name_silent",
)


NUMBER = r"[0-9０-９一二三四五六七八九十百千万两]+(?:[.,][0-9]+)?\s*(?:余|多|个)?\s*"
# A share: "三分之二", "60%".
SHARE = r"[0-9一二三四五六七八九十百]分之[0-9一二三四五六七八九十]|[0-9]\s*[%％]"


def counts_in(text: str, unit: str | None) -> bool:
    """Whether ``text`` gives a figure in the measure word asked for, or in another way documents write it
    ("300名" for 人, "3处" for 家), or a share of the people counted ("三分之二以上同意" for 多少人同意); always,
    when none was asked."""
    if unit is None:
        return True
    if unit == SHARE_UNIT:
        return gives_share(text)
    if unit in SHARED_UNITS and re.search(SHARE, text):
        return True
    return any(re.search(NUMBER + re.escape(form), text) for form in UNIT_FORMS.get(unit, (unit,)))


def new_name(question: Question, span: AnswerSpan | None) -> bool:
    """Whether the span names a place, person or organisation of the asked kind that neither the question nor
    its document's title names: "奎文区" in "奎文区污水处理厂…通水运行" is whose the notice is, not where."""
    if span is None:
        return False
    title = fold(span.title)
    return any(name not in title for name in new_names(question, fold(span.text)))


def decision_features(
    question: Question, weights: Weights, ranked: list[Ranked], span: AnswerSpan | None
) -> dict[str, float]:
    """What the decision reads: how well the best passage and its answer span fit the question."""
    top = ranked[0].features
    ask = question.ask
    detail = ask is not None and ask.detail
    span_kind = span.features["kind_sentence"] if span is not None else 0.0
    # Every passage of the leading document is a candidate: whether any gives the asked kind at all.
    lead = ranked[0].passage.chunk.doc_id
    heard = any(r.features["kind"] for r in ranked if r.passage.chunk.doc_id == lead)
    # The passage the answer span comes from: a section about a sibling of what was asked does not answer.
    home = next((r for r in ranked if span is not None and r.passage.chunk.chunk_id == span.chunk_id), ranked[0])
    span_topic = span.features["topic_context"] if span is not None else 0.0
    named = detail and new_name(question, span)
    values = {
        "span_section_conflict": home.features["section_conflict"],
        # A quoted name no candidate passage holds is not in the documents.
        "quote_missing": 1.0 if question.quotes and not any(r.features["quote"] for r in ranked) else 0.0,
        "span_kind_topic": span_kind * span_topic,
        "span_unit_missing": 1.0 if span is not None and not counts_in(span.text, question.unit) else 0.0,
        "span_new_name": 1.0 if named else 0.0,
        # A name where the kind patterns find nothing in the whole document: an encyclopaedia's "where" answer
        # ("分布于西太平洋区"), not a notice that gives addresses elsewhere but not for what was asked.
        "span_name_silent": 1.0 if named and not heard else 0.0,
        "unknown": weights.unknown,
        # One topic word no document uses at all ("公积金" of "住房公积金贷款"), however many others it shares.
        "unknown_max": weights.unknown_max,
        "terms": min(len(question.terms), 10) / 10.0,
        "en": 1.0 if question.language == "en" else 0.0,
        "no_ask": 1.0 if ask is None else 0.0,
        "missing_kind": 1.0 if detail and not span_kind else 0.0,
        "missing_kind_passage": 1.0 if detail and not top["kind"] else 0.0,
        # The kind detectors' silence is evidence only in a document where they find that kind elsewhere:
        # they know addresses and dates of notices, not every place name of an encyclopaedia.
        "kind_silent_document": 1.0 if detail and not heard else 0.0,
        "missing_kind_heard": 1.0 if detail and not span_kind and heard else 0.0,
        # The kind patterns are written for notices, which carry a date; an undated encyclopaedia page names
        # its companies and people in forms they do not know ("东日本旅客铁道").
        "missing_kind_dated": 1.0 if detail and not span_kind and span is not None and span.dated else 0.0,
        "span_cos": span.features["cos"] if span is not None else 0.0,
        "span_cov_sentence": span.features["cov_sentence"] if span is not None else 0.0,
        "span_topic_sentence": span.features["topic_sentence"] if span is not None else 0.0,
        "span_topic_context": span.features["topic_context"] if span is not None else 0.0,
        "span_kind_near": span.features["kind_near"] if span is not None else 0.0,
    }
    for name in (
        "dense",
        "cov",
        "cov_topic",
        "cov_focus",
        "doc_cov",
        "doc_cov_topic",
        "framed_cov_topic",
        "char_cov",
        "quote",
        "kind",
        "faq_cov",
        "area_conflict",
        "area_foreign",
    ):
        values[f"top_{name}"] = top[name]
    return values


PHONE_KINDS: frozenset[Kind] = frozenset({"phone"})
# The words by which a question asks for a number to call, not for a way of contact in general ("怎么联系").
PHONE_NUMBER_RE = re.compile(r"电话|热线|号码|手机号|座机|phone|hotline", re.IGNORECASE)


# The words by which a question asks whether the resident pays ("补办要钱吗", "收费吗"), not how much a sum is
# ("补多少钱" asks a subsidy's amount as well as a fee's).
ASKS_COST_RE = re.compile(r"要钱|要不要钱|花钱|交钱|掏钱|付费|收费|收钱|免费|自费")
# Money paid out to residents (a subsidy, an allowance, a reward): the other direction from a fee.
PAID_OUT_RE = re.compile(r"补贴|补助|津贴|奖励|奖金|奖补")
# Words by which a sentence states what residents pay or are spared paying.
FEE_RE = re.compile(r"费|收取|缴|交纳|付款|自付|不收|免收")


def answers_cost_with_payout(question: Question, sentence: str) -> bool:
    """Whether a question asking whether the resident pays is answered by a sentence naming only money paid out
    to residents ("号牌丢了补办要钱吗" by "以旧换新补贴标准为每辆200元"), which the question does not ask of."""
    text = fold(sentence)
    return (
        ASKS_COST_RE.search(question.folded) is not None
        and PAID_OUT_RE.search(question.folded) is None
        and PAID_OUT_RE.search(text) is not None
        and FEE_RE.search(text) is None
    )


# Words by which a sentence states a sum or that nothing is charged: what a "does it cost" question needs.
MONEY_RE = re.compile(r"费|钱|元|收取|缴|交纳|付款|自付|免收|不收|免费|收费")


def cost_unsaid(question: Question, sentence: str) -> bool:
    """Whether a yes-or-no question whose claim is that the resident pays ("征兵体检要交钱吗") is answered by a
    sentence naming no fee, sum or charge at all ("体检对象：…应征青年"): what it costs is not in it. "免费" as
    the thing's name ("老人免费体检要预约吗") is no claim of cost."""
    claimed = any(ASKS_COST_RE.search(word) for word in question.claim)
    return question.ask is None and claimed and MONEY_RE.search(fold(sentence)) is None


# "哪些商场", "哪几个小区": the cue of a question asking which ones of a thing, the thing's word right after it.
WHICH_ONES_RE = re.compile(r"哪些|哪几(?:个|家|处|所|座|条)?")
# A count of things ("23家", "12处"), not after a list it sums up ("泰华商场、百货大楼等3家"): how many, not which.
COUNTED = r"(?<!等)[0-9一二三四五六七八九十百千两]+\s*(?:余|多)?\s*(?:个|家|处|所|座|条|辆|名|位|项|批)"
# What lists the things counted ("3个社区：东关、北苑", "商场包括：…", "分别是…").
LISTED = r"[^。；\n]{0,6}?(?:[：:（(]|包括|分别是|分别为|如下)"


def counted_not_named(question: Question, sentence: str, document: str = "") -> bool:
    """Whether a question asking which ones of a thing ("哪些商场设了服务站") is answered by a sentence that only
    counts them ("已在23家大型商场、超市设立服务站"), in a document (its passages' text) that lists them nowhere:
    how many, not which."""
    found = WHICH_ONES_RE.search(question.folded)
    if found is None:
        return False
    after = question.folded[found.end() :]
    thing = next((term for term in question.terms if after.startswith(term)), None)
    if thing is None:
        return False
    counted = re.search(COUNTED + r"[\u4e00-\u9fff]{0,4}?" + re.escape(thing) + f"(?!{LISTED})", fold(sentence))
    return counted is not None and re.search(re.escape(thing) + LISTED, fold(document)) is None


def org_unnamed(question: Question, sentence: str, declared: bool) -> bool:
    """Whether a question naming the kind of body it asks for ("去哪个银行办", "哪个供水公司负责的") is answered by a
    notice's sentence without a name of that kind (…银行, …公司): the notice that says which one names it. An
    encyclopaedia's page names its companies in forms without the ending ("青空唱片" for 唱片公司), so only a notice's
    silence counts."""
    # "哪个/哪家" asks which one; "什么企业可以申请" asks which kind qualifies, answered by a class ("个体工商户").
    which = ORG_HEAD_RE.search(question.folded)
    if not declared or which is None or which.group(0).startswith(("什么", "啥")):
        return False
    text = fold(sentence)
    return not any(end in text for end in question.org_endings)


# A question naming the address it asks for ("地址在哪", "What is the address"), and what gives one in a notice: a door
# number ("北宫东街42号", "北海路5678号") or a floor, room or window ("二楼", "208室").
ASKS_ADDRESS_RE = re.compile(r"地址|\baddress", re.IGNORECASE)
ADDRESS_GIVEN_RE = re.compile(
    r"[0-9０-９]+\s*(?:-[0-9]+\s*)?号|[0-9一二三四五六七八九十]+\s*(?:楼|层|室)|[0-9]{3,4}室|号(?:楼|院)"
)


def address_unsaid(question: Question, sentence: str, declared: bool) -> bool:
    """Whether a question asks for an address by that word ("奎文门营业厅的地址在哪") and a notice's sentence names
    the place without one ("办理地点：…东风街营业厅、奎文门营业厅"): a notice that gives an address writes its street
    number or floor."""
    return declared and ASKS_ADDRESS_RE.search(question.folded) is not None and not ADDRESS_GIVEN_RE.search(sentence)


# A question asking which bus routes ("哪几路公交", "坐几路车", "乘哪路"), and a route as notices name one ("9路",
# "K1路", "W6路").
ASKS_ROUTE_RE = re.compile(r"(?:哪几|哪|几)路(?:公交|车|汽车|巴士|线)|哪几路|(?:坐|乘|搭)(?:哪|几)路")
ROUTE_GIVEN_RE = re.compile(r"[0-9A-Za-z]+\s*路(?!口)")


def route_unnamed(question: Question, sentence: str, declared: bool) -> bool:
    """Whether a question asks which bus routes ("哪几路公交要绕行") and a notice's sentence names none ("公交车线路
    绕行四平路…具体以公交公司公告为准"): the routes are not published there."""
    return declared and ASKS_ROUTE_RE.search(question.folded) is not None and not ROUTE_GIVEN_RE.search(sentence)


# A measure the resident states in a yes-or-no question ("我的车高2.1米能进吗"), by its unit's family: the sentence
# that decides it gives a limit in the same family ("车辆高度不超过2.05米").
MEASURE_FAMILIES: tuple[tuple[str, ...], ...] = (
    ("米", "厘米", "公分", "公里"),
    ("吨", "公斤", "千克", "斤", "克"),
    ("平方米", "平米"),
)
STATED_MEASURE_RE = re.compile(r"[0-9０-９]+(?:\.[0-9]+)?\s*(平方米|平米|厘米|公分|公里|米|吨|公斤|千克|斤)")


def measure_unsaid(question: Question, sentence: str, declared: bool) -> bool:
    """Whether a yes-or-no question states a measure ("车高2.1米", "货车5吨") and a notice's sentence gives no figure
    in that measure's unit ("定于2024年6月1日起正式投入使用"): whether the measure is allowed is not said there."""
    stated = STATED_MEASURE_RE.search(question.folded)
    if not declared or question.ask is not None or stated is None:
        return False
    family = next((units for units in MEASURE_FAMILIES if stated.group(1) in units), (stated.group(1),))
    text = fold(sentence)
    return not any(re.search(r"[0-9一二三四五六七八九十两]\s*(?:余|多)?\s*" + unit, text) for unit in family)


# A question asking the number of a body it names ("街道物业管理办公室的电话是多少", "服务中心电话多少"), not what
# to call about a matter ("路灯坏了打什么电话"), and a city-wide service hotline ("12345", "96100"), which is no
# body's own number.
OFFICE_PHONE_RE = re.compile(
    r"(?:办公室|中心|服务站|站|所|局|处|院|厅|委员会|居委会|村委会|部|食堂|公司)的?(?:联系|咨询|办公)?(?:电话|号码)"
)
HOTLINE_RE = re.compile(r"(?<![0-9])(?:123[0-9]{2}|96[0-9]{3,4})(?![0-9])")


def office_phone_unsaid(question: Question, sentence: str) -> bool:
    """Whether a question asks the number of a body it names and every number the sentence gives is a city-wide
    hotline ("也可拨打12345热线或向所在街道物业管理办公室投诉"): the body's own number is not published there."""
    if not asks_number(question) or OFFICE_PHONE_RE.search(question.folded) is None:
        return False
    phones = [m.text for m in find_kinds(sentence, PHONE_KINDS)]
    return bool(phones) and all(HOTLINE_RE.search(phone) for phone in phones)


# A question asking a person's name ("负责人叫什么名字", "是哪位老师"), and the words by which a notice reports a
# person it does not name ("区民政局有关负责人表示", "相关负责同志介绍").
ASKS_NAME_RE = re.compile(r"叫什么名字|叫啥名字|名字是什么|姓什么|姓啥|是哪位|\bwhat is (?:his|her|the) name\b")
UNNAMED_PERSON_RE = re.compile(r"(?:有关|相关)(?:部门)?负责(?:人|同志)|负责同志")
PERSON_KINDS: frozenset[Kind] = frozenset({"person"})


def person_unnamed(question: Question, sentence: str, declared: bool) -> bool:
    """Whether a question asks a person's name and a notice's sentence reports that person without one ("区民政局
    有关负责人表示…" for "民政局负责人叫什么名字"): a notice that names the person writes the name."""
    return (
        declared
        and ASKS_NAME_RE.search(question.folded) is not None
        and UNNAMED_PERSON_RE.search(sentence) is not None
        and not find_kinds(sentence, PERSON_KINDS)
    )


def asks_number(question: Question) -> bool:
    """Whether the question asks for a phone number by name ("电话是多少", "What is the hotline?")."""
    ask = question.ask
    return ask is not None and ask.name == "phone" and PHONE_NUMBER_RE.search(question.folded) is not None


def detail_unsaid(question: Question, span: AnswerSpan, ranked: list[Ranked], values: dict[str, float]) -> bool:
    """Whether the answer's sentence, on the topic, does not give the detail asked (each check below says how a
    document that gives it writes it)."""
    if question.ask is None and not span.features.get("claim_heard", 1.0):
        # A yes-or-no question whose passage on the topic never mentions what it asks to confirm ("调解员是律师吗"
        # answered by "人民调解委员会不再受理"): the documents do not say either way.
        return True
    if span.declared and not span.features.get("role_heard", 1.0):
        # "巷长是谁" answered by the notice's bureau: a notice that names whom it gives in that role says so; an
        # encyclopaedia's prose abbreviates it ("母卢靖妃" for "母亲是谁"), so only the silence of a document that
        # declares its date counts (a page whose text opens with a date, "1643年5月19日", is no notice).
        return True
    if span.declared and values["missing_kind"]:
        # A notice gives the detail asked in a form the kind patterns read ("地址：…", "时间：…"): a sentence of a
        # notice without one ("可通过供热企业营业厅…缴费" for "营业厅的地址在哪里") says something else of the topic.
        # An encyclopaedia's page, its date read from its text or absent, words its details in ways the patterns
        # do not know, so only a notice's silence counts.
        return True
    if wrong_day(question, span):
        # "周几上课" answered by a notice's "每周上课1次…上午课程9:00开始": its hours, not the day asked, which a
        # notice that gives it writes ("周四上午", "每周一至周五", a date).
        return True
    if asks_number(question) and not find_kinds(span.text, PHONE_KINDS):
        # A phone number is digits the patterns read in any document, dated or not: a sentence without one does not
        # give it ("婚姻登记处的电话是多少" answered by "结婚登记不收费。" of an undated FAQ).
        return True
    if office_phone_unsaid(question, span.text):
        # The hotline a notice tells residents to call is not the number of the office asked for.
        return True
    if answers_cost_with_payout(question, span.text):
        # A subsidy's amount says what residents receive, not whether they pay: the fee asked is not published.
        return True
    lead = [r.passage.chunk.text for r in ranked if r.passage.chunk.doc_id == span.doc_id]
    if span.declared and counted_not_named(question, span.text, "\n".join(lead)):
        # A notice that names the places or bodies it means lists them; one that counts them does not say which.
        return True
    if org_unnamed(question, span.text, span.declared):
        return True
    if address_unsaid(question, span.text, span.declared) or route_unnamed(question, span.text, span.declared):
        # An address is a street number or floor, a route a number: a notice that gives them writes them.
        return True
    if measure_unsaid(question, span.text, span.declared) or person_unnamed(question, span.text, span.declared):
        return True
    # Whether a thing is free is said with a fee, a sum or a "免费": a sentence without any says something else.
    return cost_unsaid(question, span.text)


def decide(
    question: Question, weights: Weights, ranked: list[Ranked], span: AnswerSpan | None, model: EngineModel
) -> Decision:
    """Answer when a document is on the topic and its passage gives the detail; otherwise say which is missing."""
    if question.instruction:
        return Decision(False, "out_of_scope", 0.0, 0.0, {})
    if not ranked or span is None:
        return Decision(False, "not_covered", 0.0, 0.0, {})
    values = decision_features(question, weights, ranked, span)
    covered = model.covered.probability(values)
    if covered < model.covered.threshold:
        return Decision(False, "not_covered", covered * model.answer.probability(values), covered, values)
    if detail_unsaid(question, span, ranked, values):
        return Decision(False, "detail_not_published", covered, covered, values)
    if question.ask is None or not question.ask.detail:
        # An open question ("what is being done about...") is answered by the passage on its topic.
        return Decision(True, "answered", covered, covered, values)
    detail = model.answer.probability(values)
    if detail < model.answer.threshold:
        return Decision(False, "detail_not_published", covered * detail, covered, values)
    return Decision(True, "answered", covered * detail, covered, values)
