"""The answer span: the clause or clauses of one sentence (one 答 block, one list item) that answer.

A sentence here ends at 。！？ or a line break: its ；-parted parts are clauses of it, as they are for a reader.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from assistant.answer.model import LinearModel
from assistant.answer.passages import SECTION_KEYS, PassageView, Table, TextView, row_key
from assistant.answer.question import Question, charge_stem, gives, other_identifier
from assistant.answer.rank import KEY_BLOCKS, Weights
from assistant.chunking import Span, clauses, sentences
from assistant.lang.kinds import (
    PERIOD_PARTS,
    QUANTITY_KINDS,
    STAGES,
    WHEN_KINDS,
    earlier_years,
    excludes_age,
    label_qualifier,
    labelled_as,
    other_day,
    other_part,
    other_period,
    ruled_out_charge,
    stated_age,
)
from assistant.structure import Block, field_of, item_depth
from assistant.text import CJK_RUN_RE, fold, place_names

# A sentence this short is answered whole; a longer one by the clauses that answer.
WHOLE_SENTENCE_CHARS = 80
# The next clause of the sentence joins while the answer stays this short.
NEXT_CLAUSE_MAX_CHARS = 90
# The longest answer, in characters (the evaluation's limit is 200 after removing white space).
MAX_ANSWER_CHARS = 160
# At most this many clauses between the sentence's first clause and the answer join them (else an ellipsis).
GAP_CLAUSES = 2
# A label that only introduces a block ("答：", "A:").
LEAD_LABEL_RE = re.compile(r"^(?:答|回答|A)\s*[:：]\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Piece:
    """A clause that may answer, with the sentence it belongs to."""

    sentence: Span
    clause: Span
    lead: Span | None = None  # a clause before it that only says when ("7月15日，"): its time is this clause's


@dataclass(frozen=True)
class AnswerSpan:
    """The answer's offsets in its document: one or two fragments of one sentence."""

    doc_id: str
    chunk_id: int
    fragments: tuple[Span, ...]
    features: dict[str, float]
    score: float
    dated: bool = False  # its document carries a publication date: declared, or labelled so in its first lines
    title: str = ""  # its document's title
    declared: bool = False  # its document declares its publication date: a notice, not an encyclopaedia's page

    @property
    def text(self) -> str:
        """The fragments, joined by an ellipsis where a gap lies between them."""
        return "……".join(f.text for f in self.fragments)


def pieces(passage: PassageView) -> list[Piece]:
    """The passage's clauses that can answer: not a question heading, not a bare label."""
    chunk = passage.chunk
    # A question heading is the key to its answer, and a table's caption to its rows: neither answers.
    # Nor does a notice's sign-off (issuing body, date): it says whose the notice is and when, not what it says
    # ("潍坊公交集团" is no answer to where a card is issued).
    keys: list[Block | Span] = [b for b in passage.blocks if b.kind in KEY_BLOCKS or b.kind == "signoff"]
    keys += [introduction(c) for c in passage.captions]
    # A numbered item's run-in head names the item's subject as a heading does: it is read with the item's
    # sentences (run_in_head), and answers nothing itself.
    keys += [Span(b.start, head.end, "") for b in passage.blocks if (head := run_in(b)) is not None]
    times = [(chunk.start + m.start, chunk.start + m.end) for m in passage.kinds if m.kind in WHEN_KINDS]
    out: list[Piece] = []
    for sentence in sentences(chunk.text, chunk.start, semicolons=False):
        if any(k.start <= sentence.start and sentence.end <= k.end for k in keys):
            continue
        lead = LEAD_LABEL_RE.match(sentence.text)
        if lead:
            sentence = Span(sentence.start + lead.end(), sentence.end, sentence.text[lead.end() :])
            if not sentence.text:
                continue
        parts = clauses(sentence.text, sentence.start, semicolons=True)
        leads = _time_leads(times, parts)
        # A sentence's last clause that hands over to the lines after it ("现将…通知如下。", "推出以下惠民措施：")
        # says what comes, as a table's caption does: it answers nothing. Within a sentence ("有以下的不同：流行语…")
        # what it announces follows in the sentence, and the clause leads to it.
        out.extend(
            Piece(sentence, clause, lead)
            for clause, lead in zip(parts, leads, strict=True)
            if not (clause is parts[-1] and HANDOVER_RE.search(clause.text))
        )
    return out


def introduction(caption: Block) -> Span:
    """The sentence of a table's caption that introduces the table, its last ("接种点及时间如下："): the
    sentences before it in the paragraph say what they say ("…四价疫苗每剂次128元。接种点及时间如下：")."""
    found = sentences(caption.text, caption.start, semicolons=False)
    return found[-1] if found else Span(caption.start, caption.end, caption.text)


# The end of a clause that announces the lines after it: "…通知如下。", "…公布如下：", "…推出以下惠民措施：".
HANDOVER_RE = re.compile(r"(?:如下|以下[^，,。；;：:]{0,10}[：:])\s*[。：:]?\s*$")


# Said before a comma, a time alone is the time of the clause after it: "7月15日，项目主体结构全面封顶" answers
# when the 主体 was 封顶, and neither clause alone does.
CLAUSE_TAIL_RE = re.compile(r"[\s,，:：;；]*$")


def _covered(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Whether ``spans`` (sorted by start) cover ``[start, end)`` end to end: "11月16日" then "6:00—8:00"."""
    reached = start
    for lo, hi in spans:
        if lo <= reached < hi:
            reached = hi
    return reached >= end > start


def _time_leads(times: list[tuple[int, int]], parts: list[Span]) -> list[Span | None]:
    """For each clause of a sentence, the clause before it when that one is only time expressions (``times``:
    document offsets, sorted by start)."""
    leads: list[Span | None] = [None]
    for before in parts[:-1]:
        tail = CLAUSE_TAIL_RE.search(before.text)
        said = before.end - (len(tail.group()) if tail else 0)
        leads.append(before if _covered(before.start, said, times) else None)
    return leads


# Passages whose clauses compete for the answer: the best-ranked few.
SPAN_PASSAGES = 3
# A ranking gap (log-odds) beyond this counts as this.
GAP_CAP = 8.0


# A bare year ("2024年", "2024年度") or span of years ("2025—2026年度"), and a question that asks for one ("哪一年").
BARE_YEAR_RE = re.compile(r"(?:[12][0-9]{3}\s*[—–-]\s*)?[12][0-9]{3}\s*年度?")
ASKS_YEAR_RE = re.compile(r"哪一?年|什么年份|哪个年份|哪年度|which year|what year")
# Quotation marks that open an event's name ("2025年“金秋招聘月”"), as written or folded.
EDITION_QUOTES = "\"'“‘「『《"


def edition_year(text: str, start: int, end: int, title: str, question: Question | None) -> bool:
    """Whether the bare year ``text[start:end]`` names which edition of its document's subject a clause speaks of,
    as the (folded) ``title`` does ("现将2024年耕地地力保护补贴…", "全区2024年补贴面积…" under
    "关于做好2024年耕地地力保护补贴发放工作的通知"): it says which, not when, unless the question asks for a year."""
    year = fold(text[start:end])
    if not title or not BARE_YEAR_RE.fullmatch(year):
        return False
    if question is not None and ASKS_YEAR_RE.search(question.folded):
        return False
    # An event's name in quotation marks after its year ("2025年“金秋招聘月”专场招聘会") is what the year is of too.
    after = fold(text[end : end + 4]).lstrip(EDITION_QUOTES)[:2]
    # The title names the year and what the year is of: "2024年补贴面积" under "…2024年耕地地力保护补贴…".
    return CJK_RUN_RE.fullmatch(after) is not None and len(after) == 2 and year in title and after in title


def _kinds_within(passage: PassageView, span: Span, question: Question | None = None, title: str = "") -> set[str]:
    """The kinds of the passage's expressions that lie inside ``span`` (document offsets), less those that cannot
    give what ``question`` asks (see ``gives``): "4个" of "4个重点项目的总建筑面积是多少" answers nothing; nor the
    year of the document's subject as its (folded) ``title`` names it (see ``edition_year``)."""
    base = passage.chunk.start
    text = passage.chunk.text
    # The expressions are in order of start, and each ends after it starts: only those from the first that
    # starts inside the span to the last that starts before its end can lie inside it.
    starts = passage.kind_starts
    first = bisect_left(starts, span.start - base)
    inside = passage.kinds[first : bisect_left(starts, span.end - base, first)]
    # An organisation named only as the start of a place's name is where the place is, not a body that acts:
    # "东关街道" of "东关街道人大代表联络站" (a place found from the same start ends further, and comes first).
    places = {m.start: m.end for m in reversed(inside) if m.kind == "place"}
    # A date or figure inside a title in book-title marks is part of its name ("《山东省2024—2026年…一览表》").
    titles = [(m.start, m.end) for m in inside if m.kind == "work"]
    return {
        m.kind
        for m in inside
        if base + m.end <= span.end
        and not (m.kind != "work" and any(a < m.start and m.end < b for a, b in titles))
        and not (m.kind == "org" and places.get(m.start, m.end) > m.end)
        and (question is None or gives(question, m.kind, fold(text[m.start : m.end]), _lead(text, m.start)))
        and not (m.kind in WHEN_KINDS and edition_year(text, m.start, m.end, title, question))
    }


def other_charge(question: Question, context: str) -> bool:
    """Whether a money question names a charge by what it is for ("停车费") and a sentence, read with its headings
    (folded ``context``), says nothing of that: its prices are another thing's."""
    ask = question.ask
    if ask is None or "money" not in ask.kinds or not question.fees:
        return False
    return not any(charge_stem(fee) in context for fee in question.fees)


# A price asked per unit of what is sold ("每平米多少钱", "一吨水多少钱"), and the ways a notice writes each unit.
PER_UNIT_RE = re.compile(r"(?:每|一)个?(平米|平方米|平方|㎡|吨|立方米|立方)")
PRICE_UNIT_FORMS: dict[str, tuple[str, ...]] = {
    "平米": ("平米", "平方米", "平方", "㎡", "m2", "m²"),
    "吨": ("吨",),
    "立方米": ("立方米", "立方", "方", "m3", "m³"),
}
PRICE_UNIT_OF = {"平方米": "平米", "平方": "平米", "㎡": "平米", "立方": "立方米"}


def other_unit(question: Question, context: str) -> bool:
    """Whether a money question asks a price per unit ("安置房每平米多少钱") and a sentence, read with its headings
    (folded ``context``), names no price in that unit: its sums are per something else ("每户每月1500元")."""
    ask = question.ask
    found = PER_UNIT_RE.search(question.folded)
    if ask is None or "money" not in ask.kinds or found is None:
        return False
    unit = PRICE_UNIT_OF.get(found.group(1), found.group(1))
    return not any(form in context for form in PRICE_UNIT_FORMS[unit])


def field_label(passage: PassageView, clause: Span) -> str:
    """The label of the field whose value ``clause`` (document offsets) lies in, or "": "2024年6月10日至…" of
    "施工时间：2024年6月10日至…" is the 施工时间, which the clause alone never says."""
    for block in passage.blocks:
        field = field_of(block)
        if field is not None and field.value.start <= clause.start and clause.end <= field.value.end:
            return field.label.text
    return ""


def announced(question: Question, passage: PassageView, clause: Span) -> bool:
    """Whether ``clause`` lies in the value of a field whose label names the asked kind and nothing the question
    does not say ("登记时间：" for "什么时候入户登记", "地点：" for "在哪"; not "培训时间：" for "报名截止到哪天")."""
    ask = question.ask
    label = field_label(passage, clause)
    if ask is None or not label:
        return False
    qualifier = label_qualifier(fold(label), ask.kinds)
    return qualifier is not None and qualifier in question.folded


# What a field label says besides its kind that still names the notice's own event, not one detail of it: "活动时间："
# of a job fair's notice is the fair's time, "举办地点：" its place.
OWN_QUALIFIERS = frozenset({"", "活动", "举办", "举行", "具体"})


def own_field(question: Question, passage: PassageView, clause: Span) -> bool:
    """Whether ``clause`` lies in the value of a field whose label names the asked kind and no other thing than
    the notice's own event or what the question says ("活动时间：" for "金秋招聘会是哪天")."""
    ask = question.ask
    label = field_label(passage, clause)
    if ask is None or not label:
        return False
    qualifier = label_qualifier(fold(label), ask.kinds)
    return qualifier is not None and (qualifier in OWN_QUALIFIERS or qualifier in question.folded)


def _labelled(passage: PassageView, span: Span, question: Question) -> bool:
    """Whether ``span`` (document offsets) lies in the value of a label–value line whose label names the asked
    kind ("申报地点：户籍所在村（社区）村委会"): the label says what the value is, in forms no pattern knows."""
    ask = question.ask
    if ask is None:
        return False
    for block in passage.blocks:
        field = field_of(block)
        if field is None or field.value.end <= field.value.start:
            continue
        label, value = field.label, field.value
        if span.start < value.end and span.end > value.start:
            # Not a quantity nor a time (their patterns know every form: "公示时间：不少于7天" gives no date), and
            # what the question asks of the kind still holds ("几号房间" is not given by "地点：大厅三楼东侧").
            folded = fold(value.text)
            kinds = [k for k in ask.kinds - QUANTITY_KINDS - WHEN_KINDS if labelled_as(fold(label.text), (k,))]
            return any(gives(question, k, folded) for k in kinds)
    return False


# What ends the words that lead to an expression within its clause.
CLAUSE_BREAKS = "，,；;。！？!?\n"


def _lead(text: str, start: int) -> str:
    """The folded words of ``text`` from the start of its clause to ``start``: what the expression there is of."""
    begin = max(text.rfind(mark, 0, start) for mark in CLAUSE_BREAKS) + 1
    return fold(text[begin:start])


# An expression this close to a word of the question answers that word ("总投资60亿元").
NEAR_CHARS = 6


def _kind_near(passage: PassageView, clause: Span, terms: tuple[str, ...], question: Question) -> bool:
    """Whether an expression of the asked kinds in the clause that can answer sits within ``NEAR_CHARS`` of a
    question word."""
    if question.ask is None:
        return False
    kinds = question.ask.kinds
    folded = TextView.of(clause.text).folded
    spots = [(i, i + len(t)) for t in terms if len(t) > 1 for i in [folded.find(t)] if i >= 0]
    base = passage.chunk.start
    text = passage.chunk.text
    for m in passage.kinds:
        lo, hi = base + m.start - clause.start, base + m.end - clause.start
        inside = m.kind in kinds and lo >= 0 and hi <= len(clause.text)
        near = inside and any(lo - e <= NEAR_CHARS and s - hi <= NEAR_CHARS for s, e in spots)
        if near and gives(question, m.kind, fold(text[m.start : m.end]), _lead(text, m.start)):
            return True
    return False


# jieba's part-of-speech tag for the names that answer each kind: a place name ("东京", "西太平洋区"), also where a
# person is from ("出生于东京"), a person's, an organisation's. The kind patterns know addresses and venues; an
# encyclopaedia answers "where" and "who" with a name.
NAME_TAG_OF_KIND = {"place": "ns", "origin": "ns", "person": "nr", "org": "nt"}


def asked_name_tags(question: Question) -> frozenset[str]:
    """The part-of-speech tags of the names that answer the question's kind (none for other kinds)."""
    if question.ask is None:
        return frozenset()
    return frozenset(tag for kind, tag in NAME_TAG_OF_KIND.items() if kind in question.ask.kinds)


def new_names(question: Question, text: str) -> tuple[str, ...]:
    """Names of the asked kind in folded ``text`` that the question does not name."""
    tags = asked_name_tags(question)
    if not tags:
        return ()
    return tuple(name for name in place_names(text, tags) if name not in question.folded)


def _clause_features(
    question: Question,
    weights: Weights,
    passage: PassageView,
    piece: Piece,
    cosine: float,
    index_in_sentence: int,
    candidate: Candidate,
    names: tuple[str, ...],
) -> dict[str, float]:
    text = piece.clause.text
    # A field's value is read with its label, which names what it gives (the words of the question it answers).
    label = field_label(passage, piece.clause)
    view = TextView.of(f"{label}：{text}" if label else text)
    # A table row is read with its table's caption and header: "380元/人·年" is a 个人缴费标准 because its column
    # says so.
    row = _row_of(passage, piece.sentence)
    header = row.table.head if row is not None else ""
    sentence_view = TextView.of(f"{header}\n{piece.sentence.text}" if header else piece.sentence.text)
    ask = question.ask
    # A sentence about another part of the day or year than the one asked gives its detail for that part ("夜间包月，
    # 每月100元" for "白天包月多少钱"), and one about a special period for that period ("祭扫高峰期间…延长至18:00"
    # for "平时几点关门").
    sentence_folded = TextView.of(piece.sentence.text).folded
    elsewhen = other_part(question.folded, sentence_folded) or other_period(question.folded, sentence_folded)
    dated = Span(piece.lead.start, piece.clause.end, "") if piece.lead is not None else piece.clause
    # The sentence read with its document's title and its section's heading, which name its subject: the
    # headings above the passage, and the last one inside it before the sentence.
    heading = _last_before(passage, SECTION_KEYS, piece.sentence.start)
    head = run_in_head(passage, piece.sentence.start)
    in_context = TextView.of(f"{candidate.subject}\n{heading}\n{head}\n{header}\n{piece.sentence.text}")
    # A charge named by what it is for ("停车费") is given only by a sentence about that ("门票…30元" is another's).
    elsewhen = elsewhen or other_charge(question, in_context.folded) or other_unit(question, in_context.folded)
    labelled = not elsewhen and _labelled(passage, piece.clause, question)
    title = fold(candidate.title)
    has_kind = (
        1.0
        if ask is not None and not elsewhen and (labelled or _kinds_within(passage, dated, question, title) & ask.kinds)
        else 0.0
    )
    sentence_kind = (
        1.0
        if ask is not None
        and not elsewhen
        and (labelled or _kinds_within(passage, piece.sentence, question, title) & ask.kinds)
        else 0.0
    )
    focus = tuple(question.focus) or weights.topic
    focus_cov = view.coverage(focus, tuple(1.0 for _ in focus))
    return {
        "cos": cosine,
        "cov": view.coverage(weights.terms, weights.terms_w),
        "cov_sentence": sentence_view.coverage(weights.terms, weights.terms_w),
        "topic_sentence": sentence_view.coverage(weights.topic, weights.topic_w),
        "topic_context": in_context.coverage(weights.topic, weights.topic_w),
        "focus": focus_cov,
        # The question's own wording, character pair by pair: "总投资" asked, "总投资60亿元" beats "固定资产投资".
        "bigrams": sum(1 for b in question.bigrams if b in view.folded) / len(question.bigrams)
        if question.bigrams
        else 0.0,
        # Characters of the question's words, for a word the clause abbreviates ("谥号" asked, "谥文通" said).
        "chars": view.characters(weights.terms),
        "kind_focus": has_kind * focus_cov,
        "kind_near": 1.0 if has_kind and _kind_near(passage, piece.clause, focus, question) else 0.0,
        "kind": has_kind,
        "kind_sentence": sentence_kind,
        # Whether the sentence, read with its headings, says anything of what a yes-or-no question asks to confirm.
        "claim_heard": 1.0 if not question.claim or any(in_context.match(t) > 0 for t in question.claim) else 0.0,
        # Whether the sentence, read with its headings, names the role a "who" question asks the holder of: a
        # notice names whom it gives in a role ("主办单位：…", "由…运营"), so "奎文区住房和城乡建设局" does not
        # answer "巷长是谁" from a passage that never says 巷长.
        "role_heard": 1.0 if all(in_context.match(t) > 0 for t in question.roles) else 0.0,
        # A name of the kind asked that the question lacks: "分布于西太平洋区" answers "分布在什么地方".
        "name": 1.0 if any(n in view.folded for n in names) else 0.0,
        "no_ask": 1.0 if ask is None else 0.0,
        "first": 1.0 if index_in_sentence == 0 else 0.0,
        "length": min(len(text), 120) / 60.0,
        "other_id": 1.0
        if other_identifier(question, sentence_view.folded) or (row is not None and other_row(question, row))
        else 0.0,
        "passage_rank": candidate.rank,
        # How far the ranking put the passage behind the best one, and whether it sits under a sibling's heading.
        "passage_gap": min(candidate.gap, GAP_CAP) / GAP_CAP,
        "passage_section_conflict": candidate.section_conflict,
    }


@dataclass(frozen=True)
class Candidate:
    """A passage whose clauses compete for the answer, with its clauses, their cosines and its rank."""

    passage: PassageView
    found: list[Piece]
    cosines: npt.NDArray[np.float32]
    rank: int
    subject: str = ""  # the document's title and the passage's headings
    gap: float = 0.0  # the best passage's ranking log-odds less this one's
    section_conflict: float = 0.0
    dated: bool = False  # its document carries a publication date: declared, or labelled so in its first lines
    title: str = ""  # its document's title
    declared: bool = False  # its document declares that date (front matter)


def clause_rows(question: Question, weights: Weights, candidate: Candidate) -> list[dict[str, float]]:
    """The clause model's features for every clause of one candidate passage."""
    rows = []
    position = 0
    found = candidate.found
    # Tagged once per passage (and cached by its text), then looked up clause by clause.
    names = new_names(question, candidate.passage.view.folded)
    for i, piece in enumerate(found):
        position = 0 if i == 0 or found[i - 1].sentence != piece.sentence else position + 1
        rows.append(
            _clause_features(
                question,
                weights,
                candidate.passage,
                piece,
                float(candidate.cosines[i]),
                position,
                candidate,
                names,
            )
        )
    return rows


@dataclass(frozen=True)
class TableRow:
    """A table row a sentence lies in, with its table."""

    row: Block
    table: Table


def _row_of(passage: PassageView, sentence: Span) -> TableRow | None:
    """The table row ``sentence`` lies in, with its table, if it lies in one."""
    row = next((b for b in passage.blocks if b.kind == "table_row" and b.start <= sentence.start < b.end), None)
    if row is None or row.pair is None:
        return None
    table = next((t for t in passage.tables if t.header == row.pair), None)
    return TableRow(row, table) if table is not None else None


def _names_key(question: Question, key: str, head: str) -> bool:
    """Whether the question names a row's key by a word its table's caption and header do not say."""
    folded, said = fold(key), fold(head)
    return any(len(t) > 1 and t in folded and t not in said for t in question.terms)


def other_row(question: Question, found: TableRow) -> bool:
    """Whether a table row is about another thing than the row the question names: "一档" asked, the row keyed
    "在校大学生" found (its price may be the same, but it is not what was asked)."""
    table = found.table
    named = {k for k in table.keys if _names_key(question, k, table.head)}
    return bool(named) and row_key(found.row) not in named


# A numbered item's run-in head ("1. 潍州路北延工程。全长3.2公里，…"): a short phrase closed by a full stop, without
# figures or inner punctuation, that names what the item's further sentences speak of, as a heading would.
RUN_IN_MAX = 20
RUN_IN_STOP_RE = re.compile(r"[\d０-９，,、：:；;（）()“”\"？?！!]")
# What a rule or a report says, not a name: "携犬入园须牵绳。", "已全部完工。", "不得占用。" are sentences.
RUN_IN_VERB_RE = re.compile(r"[须应要请勿得可能将已是有在把被让使]|禁止|不")


def run_in(block: Block) -> Span | None:
    """The run-in head of a numbered item (with its full stop), if it has one."""
    value = block.value
    if block.kind != "item" or value is None:
        return None
    stop = value.text.find("。")
    head = value.text[:stop]
    if not 0 < stop <= RUN_IN_MAX or stop + 1 >= len(value.text):
        return None
    if RUN_IN_STOP_RE.search(head) or RUN_IN_VERB_RE.search(head):
        return None
    return Span(value.start, value.start + stop + 1, value.text[: stop + 1])


def run_in_head(passage: PassageView, position: int) -> str:
    """The run-in head of the numbered item holding ``position`` (document offset), when the position lies after
    it; "" otherwise."""
    for block in passage.blocks:
        head = run_in(block) if block.start <= position < block.end else None
        if head is not None and head.end <= position:
            return head.text[:-1]
    return ""


def _last_before(passage: PassageView, kinds: frozenset[str], position: int) -> str:
    """The text of the passage's last block of ``kinds`` that ends by ``position`` (document offset), if any."""
    return next((b.text for b in reversed(passage.blocks) if b.kind in kinds and b.end <= position), "")


# A second clause of the best clause's sentence scored within this margin (log-odds) of it answers with it: the
# clause that repeats the question and the one that gives the detail often score alike ("宝马7系是…豪华轿车系列，
# …主要客群为金字塔顶层人士"), and neither alone answers.
PARTNER_MARGIN = 1.0
# A field's value whose label names the asked detail answers instead of a better-scored clause this close.
ANNOUNCED_MARGIN = 2.0


@dataclass(frozen=True)
class Scored:
    """A clause of a candidate passage with its clause-model margin."""

    candidate: Candidate
    index: int
    row: dict[str, float]
    other_id: bool
    margin: float
    other_age: bool = False  # the clause names ages, none of them the one the question states


def partner(best: Scored, scored: list[Scored], margin: float = PARTNER_MARGIN) -> int | None:
    """The best-scored other clause of the best clause's sentence within ``margin`` of it, if any."""
    sentence = best.candidate.found[best.index].sentence
    rivals = [
        s
        for s in scored
        if s.candidate is best.candidate
        and s.index != best.index
        and s.other_id == best.other_id
        and s.candidate.found[s.index].sentence == sentence
        and s.margin >= best.margin - margin
    ]
    return max(rivals, key=lambda s: s.margin).index if rivals else None


def asker_age(question: Question) -> int | None:
    """The age the question states of whom it asks for, when it asks something else than an age: asked "我58岁了
    还能报名吗", the age limit that leaves 58 out is the answer; asked a price, the other ages' price is not."""
    if question.ask is None or "age" in question.ask.kinds:
        return None
    return stated_age(question.text)


def answer_from(
    question: Question, best: Scored, rivals: list[Scored], row: dict[str, float] | None = None
) -> AnswerSpan:
    """The answer span of clause ``best`` (grown with its partner among ``rivals``), with ``row`` as its features
    when given."""
    candidate = best.candidate
    return AnswerSpan(
        candidate.passage.chunk.doc_id,
        candidate.passage.chunk.chunk_id,
        grow(question, candidate.passage, candidate.found, best.index, partner(best, rivals)),
        best.row if row is None else row,
        best.margin,
        candidate.dated,
        candidate.title,
        candidate.declared,
    )


def choose(question: Question, weights: Weights, candidates: list[Candidate], model: LinearModel) -> AnswerSpan | None:
    """The best clause of the leading passages by the fitted clause model, grown within its sentence."""
    age = asker_age(question)
    scored = [
        Scored(
            candidate,
            i,
            row,
            bool(row["other_id"]),
            model.margin(row),
            age is not None and excludes_age(candidate.found[i].clause.text, age),
        )
        for candidate in candidates
        for i, row in enumerate(clause_rows(question, weights, candidate))
    ]
    if not scored:
        return None
    # Never another numbered route's or building's detail for the one asked ("32路" when "W6路" was),
    # while a clause that does not name another one is there, as never another district's figure; nor the
    # detail of other ages than the one the question states ("我妈68岁" against "80周岁及以上…每份4元").
    best = max(scored, key=lambda s: (not s.other_id, not s.other_age, s.margin))
    # A field whose label names the detail asked is what the document gives for it: its value, when it holds
    # the asked kind, is hard to beat by a clause that only resembles the question ("标准时点：…" against
    # "登记时间：…" for "什么时候入户登记").
    if not best.other_id and not announced(question, best.candidate.passage, best.candidate.found[best.index].clause):
        named = [
            s
            for s in scored
            if not s.other_id
            and s.row["kind"]
            and s.margin >= best.margin - ANNOUNCED_MARGIN
            and announced(question, s.candidate.passage, s.candidate.found[s.index].clause)
        ]
        best = max(named, key=lambda s: s.margin, default=best)
    return answer_from(question, best, scored)


# The kinds whose expressions the patterns read in every form a notice writes them (a date, an amount, a count, a
# place, a phone, a list of documents): a sentence holding none of them gives no such detail, whatever it shares
# with the question.
TYPED_KINDS: frozenset[str] = WHEN_KINDS | QUANTITY_KINDS | frozenset({"place", "phone", "documents"})
# A clause of the same document that holds the asked kind next to the question's subject answers instead of a
# better-scored sentence that holds none, when it scores within this margin (log-odds) of it.
TYPED_MARGIN = 4.0
# What a sentence shares with the question through its subject, which the sentence going on from another takes
# from that one.
CONTEXT_FEATURES = ("cos", "cov_sentence", "topic_sentence", "topic_context")


def lacks_kind(question: Question, span: AnswerSpan) -> bool:
    """Whether a question asks a typed kind (``TYPED_KINDS``) and no clause of the answer's sentence, from a notice,
    holds it. Only a notice's silence counts: the kind patterns read the forms notices write; an encyclopaedia's
    page names places and figures in forms they do not know ("是马达加斯加特有的一种哺乳动物")."""
    ask = question.ask
    return ask is not None and bool(ask.kinds & TYPED_KINDS) and span.declared and not span.features["kind_sentence"]


def _wrong_instance(
    question: Question, span: AnswerSpan, kinds: frozenset[str], test: Callable[[str, str], bool]
) -> bool:
    """Whether a question asks one of ``kinds`` and the answer's text, from a notice, gives the wrong instance of it
    by ``test`` (on the folded question and text)."""
    ask = question.ask
    return ask is not None and bool(ask.kinds & kinds) and span.declared and test(question.folded, fold(span.text))


def wrong_end(question: Question, span: AnswerSpan) -> bool:
    """Whether a question asks one end of a period (its start or its end) and the answer's text, from a notice,
    gives a date for the other end only: "自2025年1月20日起继续实施" does not say "补贴到什么时候"."""
    return _wrong_instance(question, span, WHEN_KINDS, PERIOD_PARTS.other)


def wrong_stage(question: Question, span: AnswerSpan) -> bool:
    """Whether a question asks a count planned (or done) and the answer's sentence, from a notice, speaks only of
    what is done (or planned): "已完成背街小巷改造31条" does not say how many are "计划改造"."""
    return _wrong_instance(question, span, frozenset({"count", "figure"}), STAGES.other)


def wrong_charge(question: Question, span: AnswerSpan) -> bool:
    """Whether a question asks a sum and the answer's sentence, from a notice, gives only a charge it rules out by
    another name ("不收取滞纳费用" for "换新要交多少钱")."""
    return _wrong_instance(question, span, frozenset({"money"}), ruled_out_charge)


def wrong_day(question: Question, span: AnswerSpan) -> bool:
    """Whether a question asks which day of the week and the answer's text, from a notice, gives its times without
    a day ("每周上课1次…上午课程9:00开始" for "太极拳班周几上课")."""
    return _wrong_instance(question, span, WHEN_KINDS, other_day)


def _next(candidate: Candidate, index: int, span: AnswerSpan, end: int) -> bool:
    """Whether clause ``index`` of ``candidate`` lies in the sentence right after ``span`` (ending at ``end``)."""
    if candidate.passage.chunk.chunk_id != span.chunk_id:
        return False
    following = [p.sentence.start for p in candidate.found if p.sentence.start >= end]
    return bool(following) and candidate.found[index].sentence.start == min(following)


def repairable(question: Question, span: AnswerSpan) -> bool:
    """Whether ``typed`` may put another clause of the document in place of ``span``: the kind asked is missing
    from its sentence, or is there as the wrong instance (the other end of a period, the other stage, a charge
    ruled out), and the sentence is not about another part of the year or day than the one asked."""
    wrong = (
        wrong_end(question, span)
        or wrong_stage(question, span)
        or wrong_charge(question, span)
        or wrong_day(question, span)
    )
    # The chosen sentence names another part of the year or day than the one asked ("上半年…接待" for "下半年"):
    # the document's details are of that part, whichever clause gives them.
    return (lacks_kind(question, span) or wrong) and not other_part(question.folded, fold(span.text))


def typed(
    question: Question,
    weights: Weights,
    span: AnswerSpan,
    candidates: list[Candidate],
    model: LinearModel,
    margin: float = TYPED_MARGIN,
) -> AnswerSpan:
    """The clause of ``span``'s document (``candidates``: its passages, any rank) that gives the asked kind next
    to a word of the question's subject, when the sentence chosen holds no expression of that kind: the clause
    that resembles the question (a notice's opening, "现将…有关事项") does not answer "什么时候" or "要带什么", a
    later passage's date or list of documents does. Likewise when it holds the wrong instance of the kind: the
    other end of a period, the other stage (planned or done), a charge it rules out."""
    end_wrong, stage_wrong = wrong_end(question, span), wrong_stage(question, span)
    charge_wrong, day_wrong = wrong_charge(question, span), wrong_day(question, span)
    wrong = end_wrong or stage_wrong or charge_wrong or day_wrong
    if not repairable(question, span):
        return span
    age = asker_age(question)
    end = span.fragments[-1].end
    rivals = [
        Scored(candidate, i, row, bool(row["other_id"]), model.margin(row))
        for candidate in candidates
        for i, row in enumerate(clause_rows(question, weights, candidate))
        # It holds the kind and is about what is asked: it names the subject next to the kind, or as much of it
        # with its headings as the chosen sentence, or it is the sentence that goes on from the chosen one ("…也可
        # 办理过户。买卖双方须本人到场，携带身份证、不动产权证书…"). Never another thing's ("32路" for "W6路")
        # nor another age's.
        if row["kind"]
        # A clause giving the other end of the period names the subject in its sentence ("三、活动时间延长至…，
        # 补贴资金用完即止").
        and (
            row["cov"] > 0
            or (wrong and row["cov_sentence"] > 0)
            # A notice's field giving the kind for its own event ("活动时间：2025年9月20日") names no word of the
            # question; its headings and title do.
            or own_field(question, candidate.passage, candidate.found[i].clause)
        )
        and (
            row["kind_near"]
            or row["topic_context"] >= span.features["topic_context"]
            or _next(candidate, i, span, end)
            # In place of a sentence giving the wrong instance of the kind, one naming the subject in its own
            # sentence as much ("有效期满换领的工本费为20元" for "不收取滞纳费用").
            or (wrong and row["topic_sentence"] >= span.features["topic_sentence"])
        )
        and not row["other_id"]
        and not (age is not None and excludes_age(candidate.found[i].clause.text, age))
        # A passage the ranking left behind the leading ones is often about another item of a long document (a
        # news piece's other project): its clause must name the subject as much as the chosen sentence does.
        and (candidate.rank < SPAN_PASSAGES or row["topic_sentence"] >= span.features["topic_sentence"])
        # In place of a sentence giving the other end of the period, a clause giving the end asked, of the same
        # period: not an end named before the years the chosen sentence names (the previous round's).
        and not (
            end_wrong
            and (
                not PERIOD_PARTS.gives(question.folded, fold(candidate.found[i].clause.text))
                or earlier_years(fold(candidate.found[i].clause.text), fold(span.text))
            )
        )
        # In place of a sentence on what is done, one whose sentence speaks of the plan (and the reverse).
        and not (stage_wrong and not STAGES.gives(question.folded, fold(candidate.found[i].sentence.text)))
        and not (charge_wrong and ruled_out_charge(question.folded, fold(candidate.found[i].clause.text)))
        # In place of a sentence giving hours without a day, a clause naming the day.
        and not (day_wrong and other_day(question.folded, fold(candidate.found[i].clause.text)))
    ]
    # A sentence giving the other end of the period does not answer at all, so its score is no bar: the clause
    # model need only favour the rival.
    rivals = [s for s in rivals if s.margin >= (0.0 if wrong else span.score - margin)]
    if not rivals:
        return span
    # Of several, the one that names most of the question: "申报时间为…" before "补贴资金将于6月底前发放" for
    # "什么时候申报", which the clause model scores alike.
    best = max(rivals, key=lambda s: (s.row["cov"], s.margin))
    row = best.row
    if not row["kind_near"] and row["topic_context"] < span.features["topic_context"]:
        # The sentence that goes on from the chosen one is read with it: what that one names is its subject too.
        row = row | {k: max(row[k], span.features[k]) for k in CONTEXT_FEATURES}
    return answer_from(question, best, rivals, row)


def origin_unnamed(question: Question, span: AnswerSpan) -> bool:
    """Whether a question asks where a person is from and the answer's sentence names no origin."""
    ask = question.ask
    return ask is not None and ask.name == "origin" and not span.features["kind_sentence"]


def origin(
    question: Question,
    weights: Weights,
    span: AnswerSpan,
    candidates: list[Candidate],
    model: LinearModel,
    margin: float = TYPED_MARGIN,
) -> AnswerSpan:
    """The clause of ``span``'s document (``candidates``) that names where a person is from, when the question asks
    it ("是哪里人", "籍贯") and the sentence chosen names no origin: "袁彭年为袁中道之子" resembles "袁彭年是哪里人"
    and does not answer it, "湖广公安人" does. Unlike ``typed`` in any document: the origin patterns read the forms
    every kind of text writes ("X人" after a place, "出生于X", "籍贯：X"), so a sentence without one names none."""
    if not origin_unnamed(question, span):
        return span
    rivals = [
        Scored(candidate, i, row, bool(row["other_id"]), model.margin(row))
        for candidate in candidates
        for i, row in enumerate(clause_rows(question, weights, candidate))
        if row["kind"] and not row["other_id"]
    ]
    rivals = [s for s in rivals if s.margin >= span.score - margin]
    if not rivals:
        return span
    best = max(rivals, key=lambda s: s.margin)
    return answer_from(question, best, rivals)


def lacks_method(question: Question, span: AnswerSpan) -> bool:
    """Whether a "how" question names its action (``Question.method``, "预约" of "怎么预约") and the answer's
    text, from a notice, does not write that word: "需接种2剂" says how many doses, not how to book."""
    return bool(question.method) and span.declared and TextView.of(span.text).match(question.method) < 1.0


def by_method(
    question: Question,
    weights: Weights,
    span: AnswerSpan,
    candidates: list[Candidate],
    model: LinearModel,
    margin: float = TYPED_MARGIN,
) -> AnswerSpan:
    """The clause of ``span``'s document (``candidates``: its passages, any rank) whose sentence names the action a
    "how" question asks about, when the sentence chosen does not: a notice says how to do a thing where it names
    the doing ("家长须提前通过…公众号预约接种日期" for "怎么预约", "申请方式：…" for "怎么申请"). Nothing changes
    when no such clause names the question's subject within ``margin`` of the chosen one."""
    if not lacks_method(question, span):
        return span
    age = asker_age(question)
    rivals = [
        Scored(candidate, i, row, bool(row["other_id"]), model.margin(row))
        for candidate in candidates
        for i, row in enumerate(clause_rows(question, weights, candidate))
        if row["cov"] > 0
        and not row["other_id"]
        and TextView.of(candidate.found[i].sentence.text).match(question.method) == 1.0
        and not (age is not None and excludes_age(candidate.found[i].clause.text, age))
        # A passage the ranking left behind the leading ones is often about another item of a long document: its
        # clause must name the subject as much as the chosen sentence does.
        and (candidate.rank < SPAN_PASSAGES or row["topic_sentence"] >= span.features["topic_sentence"])
    ]
    rivals = [s for s in rivals if s.margin >= span.score - margin]
    if not rivals:
        return span
    best = max(rivals, key=lambda s: (s.row["cov"], s.margin))
    return answer_from(question, best, rivals)


def unwritten_subject(
    question: Question, weights: Weights, span: AnswerSpan, title: TextView, body: TextView
) -> tuple[str, ...]:
    """The question's subject words that the answer's sentence, from a notice asked a typed kind, does not write
    while another sentence of its document does (and its title does not): "补领" of "号牌补领多久能拿到" against
    "新购电动自行车…7个工作日内领取号牌", "手机" of "买新手机最多补多少" against "其中空调每人最多可补贴3件" —
    the sentence gives the kind for another item of the notice."""
    ask = question.ask
    # Only a numbered item of a notice's list is read as one item of several: a sentence of running text leaves
    # out words its paragraph or heading says.
    if ask is None or not ask.kinds & TYPED_KINDS or not span.declared or item_depth(span.text) is None:
        return ()
    said = TextView.of(span.text)
    # A word the notice writes in part ("手机" of "新手机") counts as written.
    return tuple(word for word in weights.topic if body.match(word) and not title.match(word) and not said.match(word))


def written_subject(weights: Weights, span: AnswerSpan) -> tuple[str, ...]:
    """The question's subject words ``span``'s text writes as they are and its document's title does not."""
    said, title = TextView.of(span.text), TextView.of(span.title)
    return tuple(w for w in weights.topic if said.match(w) == 1.0 and not title.match(w))


def by_subject(
    question: Question,
    weights: Weights,
    span: AnswerSpan,
    candidates: list[Candidate],
    model: LinearModel,
    unwritten: tuple[str, ...],
    margin: float = TYPED_MARGIN,
) -> AnswerSpan:
    """The clause of ``span``'s document (``candidates``) holding the asked kind whose sentence writes the subject
    words ``unwritten`` (``unwritten_subject``) the chosen sentence leaves out, within ``margin`` of it: a notice's
    detail for the item asked, not another item's. Nothing changes when no such clause is there."""
    if not unwritten:
        return span
    age = asker_age(question)
    # What the chosen sentence writes of the question's subject the rival must write too: one trading "能效" for
    # "冰箱" ("1. 补贴品类：冰箱、洗衣机…共8类家电") names another part of the question only.
    named = written_subject(weights, span)
    rivals = [
        Scored(candidate, i, row, bool(row["other_id"]), model.margin(row))
        for candidate in candidates
        for i, row in enumerate(clause_rows(question, weights, candidate))
        if row["kind"]
        and not row["other_id"]
        and all(TextView.of(candidate.found[i].sentence.text).match(w) > 0 for w in unwritten)
        and all(TextView.of(candidate.found[i].sentence.text).match(w) == 1.0 for w in named)
        # Another item of the same list ("二、…空调…" and "四、购买手机…").
        and item_depth(candidate.found[i].sentence.text) == item_depth(span.text)
        and not (age is not None and excludes_age(candidate.found[i].clause.text, age))
        and (candidate.rank < SPAN_PASSAGES or row["topic_sentence"] >= span.features["topic_sentence"])
    ]
    rivals = [s for s in rivals if s.margin >= span.score - margin]
    if not rivals:
        return span
    best = max(rivals, key=lambda s: (s.row["cov"], s.margin))
    return answer_from(question, best, rivals)


def other_item(weights: Weights, span: AnswerSpan, candidates: list[Candidate], unwritten: tuple[str, ...]) -> bool:
    """Whether a numbered item of the same list as ``span``'s sentence, in ``candidates`` (its document's
    passages), writes the subject words ``unwritten`` that sentence leaves out: the notice gives the asked
    detail for another item only ("二、新购电动自行车…7个工作日内领取号牌" and "五、号牌遗失…可申请补领" for
    "号牌补领多久能拿到")."""
    depth = item_depth(span.text)
    if not unwritten or depth is None:
        return False
    named = written_subject(weights, span)
    # The sibling writes the words as they are (a near word, "最多可补贴" for "最多补", names no item) and what
    # the chosen sentence writes of the question too.
    return any(
        item_depth(piece.sentence.text) == depth
        and all(TextView.of(piece.sentence.text).match(w) == 1.0 for w in (*unwritten, *named))
        for candidate in candidates
        for piece in candidate.found
    )


# A clause that gives a cause ("由于桥上交通压力过大", "但因停工不能…"), and one that draws a consequence from what
# precedes it ("因此她被指是…", "故背风坡地带不适宜…"): a "why" question repeats the consequence and is answered
# by the cause.
CAUSE_RE = re.compile(r"^(?:正|但|而|又|也|主要|这是)?(?:由于|因为|鉴于|因(?![此而素子为]))")
CONSEQUENCE_RE = re.compile(r"^(?:.{0,8}?(?:因此|所以|因而|从而|于是)|故(?![事乡居意障])|以致|致使|遂)")


def with_cause(found: list[Piece], same: list[int], lo: int, hi: int) -> tuple[int, int]:
    """Clauses ``lo`` to ``hi`` widened within their sentence to the cause of what they say: back to the nearest
    clause that gives a cause, or to the sentence's start when they draw a consequence; forward to a cause that
    follows them ("…停止供水，因为管网抢修")."""

    def width(a: int, b: int) -> int:
        return found[b].clause.end - found[a].clause.start

    def opens(j: int, pattern: re.Pattern[str]) -> bool:
        return pattern.match(found[j].clause.text.lstrip()) is not None

    if hi + 1 in same and opens(hi + 1, CAUSE_RE) and width(lo, hi + 1) <= MAX_ANSWER_CHARS:
        return lo, hi + 1
    before = [j for j in same if j <= lo]
    cause = next((j for j in reversed(before) if opens(j, CAUSE_RE)), None)
    if cause is None and any(opens(j, CONSEQUENCE_RE) for j in range(lo, hi + 1)):
        cause = before[0]
    if cause is not None and width(cause, hi) <= MAX_ANSWER_CHARS:
        return cause, hi
    return lo, hi


# The opening of a question-and-answer pair's answer that says yes or no ("答：不能以此为由拒交。", "要交。").
VERDICT_RE = re.compile(r"^(?:不|没|无需|免|可以|可|能|要|需要|须|必须|会|是|有)")


def verdict(question: Question, passage: PassageView, found: list[Piece], sentence: Span) -> Span | None:
    """The yes or no that opens the answer ``sentence`` belongs to, when a yes-or-no question is answered by a
    later sentence of it ("物业服务差可以拒交物业费吗" by "业主可向…投诉" after "不能以此为由拒交。")."""
    if not question.claim:
        return None
    block = next((b for b in passage.blocks if b.kind == "answer" and b.start <= sentence.start < b.end), None)
    if block is None:
        return None
    first = next((p.sentence for p in found if block.start <= p.sentence.start < block.end), None)
    if first is None or first.start >= sentence.start:
        return None
    said = first.text.rstrip("。！!；; ")
    if not VERDICT_RE.match(said):
        return None
    # It must say the yes or no of what the question asks to confirm ("拒交"): a bare "要交。" answers the FAQ's
    # own question, which may not be the resident's ("能少交吗" is not answered by "要交").
    return first if any(w in said for w in question.claim) else None


def grow(
    question: Question, passage: PassageView, found: list[Piece], best: int, also: int | None = None
) -> tuple[Span, ...]:
    """The best clause grown within its sentence (``within``), after the yes or no its answer opens with when a
    yes-or-no question is answered by a later sentence of an FAQ answer."""
    spans = within(question, passage, found, best, also)
    said = verdict(question, passage, found, found[best].sentence)
    if said is None or len(spans) > 1 or said.end > spans[0].start:
        return spans
    chunk = passage.chunk
    joined = chunk.text[said.start - chunk.start : spans[0].end - chunk.start]
    if len(joined) <= MAX_ANSWER_CHARS and not joined[len(said.text) : len(joined) - len(spans[0].text)].strip():
        return (Span(said.start, spans[0].end, joined),)
    if len(said.text) + len(spans[0].text) <= MAX_ANSWER_CHARS:
        return (said, spans[0])
    return spans


def within(
    question: Question, passage: PassageView, found: list[Piece], best: int, also: int | None = None
) -> tuple[Span, ...]:
    """The best clause with what it needs from its own sentence: the whole sentence if short, else neighbours
    (and the clauses up to ``also``, a clause of the same sentence that scored nearly as well)."""
    sentence = found[best].sentence
    if len(sentence.text) <= WHOLE_SENTENCE_CHARS:
        return (sentence,)
    same = [j for j, p in enumerate(found) if p.sentence == sentence]
    lo = hi = best
    ask = question.ask

    def holds_kind(a: int, b: int) -> bool:
        whole = Span(found[a].clause.start, found[b].clause.end, "")
        return ask is None or bool(_kinds_within(passage, whole, question) & ask.kinds)

    def width(a: int, b: int) -> int:
        return found[b].clause.end - found[a].clause.start

    # The detail asked for may sit in another clause of the sentence than the words that best match
    # ("总投资60亿元,总建筑面积84万平方米的潍州金谷…项目"): take the nearest clause that gives it next to the
    # question's focus, with what lies between.
    focus = tuple(question.focus)
    if ask is not None and ask.detail and focus:

        def gives_near(j: int) -> bool:
            return _kind_near(passage, found[j].clause, focus, question)

        if not gives_near(best):
            near = sorted((j for j in same if gives_near(j)), key=lambda j: abs(j - best))
            if near and width(min(near[0], best), max(near[0], best)) <= MAX_ANSWER_CHARS:
                lo, hi = min(near[0], best), max(near[0], best)
    if found[lo].lead is not None and lo - 1 in same and width(lo - 1, hi) <= MAX_ANSWER_CHARS:
        lo -= 1  # the time said before the clause
    held = best
    if also is not None and width(min(lo, also), max(hi, also)) <= MAX_ANSWER_CHARS:
        lo, hi = min(lo, also), max(hi, also)
        held = hi
    # The clause that restates the question is often followed by the one that gives the detail.
    while not holds_kind(lo, hi) and hi + 1 in same and width(lo, hi + 1) <= MAX_ANSWER_CHARS:
        hi += 1
    if not holds_kind(lo, hi):
        hi = held
    if ask is not None and ask.name == "why":
        lo, hi = with_cause(found, same, lo, hi)
    # A clause too short to stand alone takes the next one of its sentence, and the next clause
    # of the sentence often completes what the best one starts.
    while width(lo, hi) < 20 and hi + 1 in same and width(lo, hi + 1) <= MAX_ANSWER_CHARS:
        hi += 1
    if hi + 1 in same and width(lo, hi + 1) <= NEXT_CLAUSE_MAX_CHARS:
        hi += 1
    start, end = found[lo].clause.start, found[hi].clause.end
    text = sentence.text[start - sentence.start : end - sentence.start].rstrip("，,；;：: ")
    span = Span(start, start + len(text), text)
    first = found[same[0]].clause
    if lo != same[0] and len(first.text) + len(text) <= MAX_ANSWER_CHARS:
        # The sentence's first clause usually names its subject ("潍州路街道…").
        first_text = first.text.rstrip("，,；;：: ")
        joined = sentence.text[first.start - sentence.start : end - sentence.start].rstrip("，,；;：: ")
        # The clauses between join too while they are few and the whole stays short: a skipped clause often
        # holds what the question asks ("自2008年…后，香港《南华早报》采用…一词后，该词语普遍被…采用").
        gap = lo - same[0] - 1
        if gap == 0 or (gap <= GAP_CLAUSES and len(joined) <= MAX_ANSWER_CHARS):
            return (Span(first.start, first.start + len(joined), joined),)
        return (Span(first.start, first.start + len(first_text), first_text), span)
    return (span,)
