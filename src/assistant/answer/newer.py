"""When two documents say the same thing differently, the newer one answers (issue 11, item 3)."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from assistant.lang.kinds import find_kinds
from assistant.text import content_words, fold

# A question that names a year or a time gone by asks about that time, not about the latest state.
PAST_QUESTION_RE = re.compile(
    r"[12][0-9]{3}|去年|前年|上一?年|往年|原计划|原来|原先|原本|以前|之前|当时|过去|最初|起初|"
    r"\blast year\b|\boriginal(?:ly)?\b|\bused to\b|\bbefore\b|\bformer(?:ly)?\b",
    re.IGNORECASE,
)
# A clause of the newer document that reports the earlier state ("去年共培育150人") is not its new figure,
# unless it says what it changed to ("由原来的15天调整为20天").
PAST_CLAUSE_RE = re.compile(r"去年|前年|上一?年|往年|原计划|原来|原先|原本|此前|以往|过去|曾经")
CHANGED_RE = re.compile(r"(?:调整|改|变更|增加|提高|降低|减少|延长|缩短|放宽|扩大|增)(?:为|到|至)")
# "由原规划的12000个调整为15000个": what the original is called; a question that says that word
# ("规划了多少个格位") asks about the original.
ORIGINAL_RE = re.compile(r"原(?:来|先|本)?的?([\u4e00-\u9fff]{2})")
# A figure and the measure word after it ("20天", "60周岁", "1588号"): the first character names the measure.
FIGURE_RE = re.compile(r"[0-9０-９一二三四五六七八九十百千万两]+(?:[.,][0-9]+)?\s*(?:余|多|个)?\s*([\u4e00-\u9fff%％])")
# Two titles about one subject share a name this long (characters), besides years and the home district.
SUBJECT_CHARS = 4
YEAR_RE = re.compile(r"[0-9０-９]+\s*年?度?")


@dataclass(frozen=True)
class Said:
    """What a clause says, as compared across documents: its words (no figures), measures and kinds."""

    text: str
    words: frozenset[str]
    measures: frozenset[str]
    kinds: frozenset[str]

    @staticmethod
    def of(text: str) -> Said:
        """Read ``text`` (raw) for comparison."""
        folded = fold(text)
        kept = frozenset(w for w in content_words(text) if not any(c.isdigit() for c in w))
        return Said(folded, kept, frozenset(FIGURE_RE.findall(folded)), frozenset(m.kind for m in find_kinds(text)))


NUMBER = r"[0-9０-９一二三四五六七八九十百千万两]+(?:[.,][0-9]+)?\s*(?:余|多|个)?\s*"


def counts(text: str, unit: str | None) -> bool:
    """Whether folded ``text`` gives a figure in the measure word asked for (always, when none was asked)."""
    return unit is None or re.search(NUMBER + re.escape(unit), text) is not None


CLAUSE_RE = re.compile(r"[^，,；;。！？!?\n]+")


def giving(span: str, asked: Collection[str], unit: str | None) -> list[Said]:
    """The clauses of an answer ``span`` that give what was asked: the kind asked for (with none, a figure), in
    the measure word asked for ("条" of "改造多少条"), not the other clauses of its sentence ("总长度约18.6公里")."""
    out = []
    for match in CLAUSE_RE.finditer(span):
        said = Said.of(match.group())
        if (said.kinds & set(asked) if asked else said.measures) and counts(said.text, unit):
            out.append(said)
    return out


# A correction notice's sentence: the earlier notice's words quoted, then what they are corrected to
# ("原文“每张床位给予一次性建设补贴3000元”，更正为“每张床位一次性建设补贴标准为3500元”").
CORRECTION_RE = re.compile(r"“([^“”]{4,})”[^“”。]{0,12}?(?:更正为|更改为|修改为|订正为)[：:]?\s*“[^“”]+”")


def corrects(sentence: str, answer: str) -> bool:
    """Whether ``sentence`` corrects what ``answer`` says: it quotes words of the answer and gives what they are
    corrected to."""
    said = fold(answer)
    return any(fold(m.group(1)) in said for m in CORRECTION_RE.finditer(sentence))


def asks_past(question: str) -> bool:
    """Whether the question names a year or a past time, and so asks about what a document said then."""
    return PAST_QUESTION_RE.search(fold(question)) is not None


# A year a question names in digits ("2023年发通告的时候", "the 2024 notice"): the edition of that year is the
# one it asks about. Four digits before another Chinese word are a figure ("2000元", "1999号").
NAMED_YEAR_RE = re.compile(r"(?<![0-9.])((?:19|20)[0-9]{2})(?![0-9.])(?=年|[^\u4e00-\u9fff]|$)")


# A question about what was said before the current rule, without a year ("过渡期原来定到哪天", "以前是到哪天？",
# "What was the deadline originally?"): the edition before the one that answers. Not "10点以前", "开学之前" (before
# a time or an event), nor "去年" (a year, which ``named_years`` leaves to the reader of dates).
ASKS_BEFORE_RE = re.compile(
    r"原来|原先|原本|原计划|最初|起初|(?:^|[那这，,])(?:以前|之前)|(?:以前|之前)(?:是|的|定|说|规定)"
    r"|\boriginally\b|\bused to\b|\bformerly\b|\bpreviously\b",
    re.IGNORECASE,
)


def asks_before(question: str) -> bool:
    """Whether the question asks what an earlier rule said, without naming its year ("原来定到哪天")."""
    return ASKS_BEFORE_RE.search(fold(question)) is not None


def named_years(question: str) -> frozenset[int]:
    """The years a question names in digits ("2023年" -> 2023; not the "12345" of a hotline)."""
    return frozenset(int(y) for y in NAMED_YEAR_RE.findall(fold(question)))


def _longest_common(a: str, b: str) -> int:
    """Length of the longest run of characters ``a`` and ``b`` share."""
    best = 0
    previous = [0] * (len(b) + 1)
    for ca in a:
        row = [0] * (len(b) + 1)
        for j, cb in enumerate(b, start=1):
            if ca == cb:
                row[j] = previous[j - 1] + 1
                best = max(best, row[j])
        previous = row
    return best


def same_subject(title: str, other: str, home: str | None) -> bool:
    """Whether two documents' titles name one subject: a shared name of ``SUBJECT_CHARS`` or more characters
    once years and the home district are left out ("高素质农民培育" of the 2023 plan and the 2024 notice)."""

    def bare(text: str) -> str:
        text = YEAR_RE.sub(" ", fold(text))
        return text.replace(home, " ") if home else text

    return _longest_common(bare(title), bare(other)) >= SUBJECT_CHARS


def reports_past(clause: str, question: str) -> bool:
    """Whether a newer document's folded ``clause`` gives an earlier state rather than its own, or calls the
    earlier state by a word the folded ``question`` uses ("原规划" for "规划了多少")."""
    if PAST_CLAUSE_RE.search(clause) and not CHANGED_RE.search(clause):
        return True
    return any(m.group(1) in question for m in ORIGINAL_RE.finditer(clause))


def same_detail(old: Said, new: Said, asked: Collection[str], subject: Collection[str], unit: str | None = None) -> int:
    """How many words naming the detail ``new`` shares with ``old`` when both give it differently (0 when
    they do not say the same thing): the same kind asked for (or, with none, a figure), a figure in the same
    measure (the ``unit`` asked for, if any), and a word besides the ``subject`` words of their titles
    ("累计培训时间不少于15天" and "…20天")."""
    if new.text == old.text:
        return 0
    if asked and not (old.kinds & new.kinds & set(asked)):
        return 0
    # Without a kind asked for, only a figure that changed says the same thing differently ("18至55周岁" and
    # "放宽至60周岁"); two clauses naming the same classes may say different things of them.
    if not asked and not old.measures:
        return 0
    if old.measures and not old.measures & new.measures:
        return 0
    if not counts(new.text, unit):
        return 0
    said = {fold(t) for t in subject}
    shared = {w for w in old.words & new.words if not any(w in t or t in w for t in said)}
    return len(shared)
