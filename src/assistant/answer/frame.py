"""The question's frame: the words either side of its question word, which an answering sentence repeats
around the answer ("武穴酥糖一般只在[什么时候]生产销售" is answered by "武穴酥糖一般只在[春节时期]生产销售").

The kind patterns know dates, places and figures as a notice writes them; a frame filled by the words the
question leaves open answers whatever the expression is ("扶余国", "江户时代", "18趟").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.lang.kinds import fold_same_length

# The question word and the measure word or noun it takes ("多少趟", "哪国", "几层"): the answer stands in its
# place, so the frame is what lies around all of it.
QUESTION_WORD_RE = re.compile(
    r"什么(?:时候|时间|地方|样的?)?|多少[\u4e00-\u9fff]?|几[\u4e00-\u9fff]?|哪(?:一|几)?[\u4e00-\u9fff]?"
    r"|谁|何时|何地|何处|啥(?:时候|地方)?"
)
# Punctuation and particles that end a question and frame nothing.
EDGE_RE = re.compile(r"^[\s,，:：;；、]+|[\s?？!！。.,，呢吗啊呀]+$")
# The words of each side kept for matching: enough to place the answer, few enough to survive rewording.
SIDE_CHARS = 4
# The shortest side that counts as matched.
MIN_SIDE_CHARS = 2
# The longest stretch of a sentence that fills a frame.
MAX_FILL_CHARS = 40
# Punctuation an answer never starts with.
PAUSE = ",，:：、;；"
# What never fills a frame: a sentence boundary.
BREAK_RE = re.compile(r"[。！？!?；;\n]")


# A question word that asks for a number, and what a figure is written with.
NUMBER_WORD_RE = re.compile(r"多少|几")
NUMERAL_RE = re.compile(r"[0-9零〇一二两三四五六七八九十百千万亿]")


@dataclass(frozen=True)
class Frame:
    """The question's words just before and just after its question word (folded; either may be empty), and
    whether that word asks for a number."""

    left: str
    right: str
    number: bool = False


@dataclass(frozen=True)
class Fill:
    """Where a text fills a frame: ``[start, end)`` in that text, and whether both sides matched."""

    start: int
    end: int
    both: bool


@lru_cache(maxsize=1024)
def frame_of(question: str) -> Frame | None:
    """The frame of ``question`` around its first question word, or None when it has none."""
    folded = fold_same_length(question)
    found = QUESTION_WORD_RE.search(folded)
    if found is None:
        return None
    left = EDGE_RE.sub("", folded[: found.start()])
    right = EDGE_RE.sub("", folded[found.end() :])
    # Only the words next to the question word: a comma before them starts another clause of the question.
    # A copula before the question word is written 为, 乃 or 即 as often as 是 ("主要客群是哪些": "主要客群为…").
    left = re.split(r"[,，:：;；]", left)[-1].removesuffix("是")[-SIDE_CHARS:]
    right = re.split(r"[,，:：;；]", right)[0][:SIDE_CHARS]
    if len(left) < MIN_SIDE_CHARS and len(right) < MIN_SIDE_CHARS:
        return None
    return Frame(left, right, NUMBER_WORD_RE.match(found.group()) is not None)


def _spots(text: str, side: str, from_end: bool) -> list[tuple[int, int]]:
    """Where the longest matching part of ``side`` next to the question word occurs in ``text``."""
    for size in range(len(side), MIN_SIDE_CHARS - 1, -1):
        part = side[-size:] if from_end else side[:size]
        spots = [(m.start(), m.start() + size) for m in re.finditer(re.escape(part), text)]
        if spots:
            return spots
    return []


def fill(frame: Frame, text: str) -> Fill | None:
    """Where ``text`` (raw; folded here) says something in the place of the question word, if it does: a
    figure, when the question word asks for a number ("规划安放骨灰格位" does not fill "规划多少个格位")."""
    found = _fill(frame, fold_same_length(text))
    if found is None or (frame.number and not NUMERAL_RE.search(text, found.start, found.end)):
        return None
    return found


def _fill(frame: Frame, folded: str) -> Fill | None:
    lefts = _spots(folded, frame.left, True) if len(frame.left) >= MIN_SIDE_CHARS else []
    rights = _spots(folded, frame.right, False) if len(frame.right) >= MIN_SIDE_CHARS else []
    for _, end in lefts:
        for start, _ in rights:
            # The answer stands where the question word does, not after a comma ("余蔚，是…扶余国国王").
            if (
                end < start <= end + MAX_FILL_CHARS
                and not BREAK_RE.search(folded, end, start)
                and folded[end] not in PAUSE
            ):
                return Fill(end, start, True)
    # A question that starts or ends with its question word has one side: the answer is next to it
    # ("谁宣布提供…" → "…商人Terry Serepisos宣布提供…"), up to the clause's edge.
    if not lefts and len(frame.left) < MIN_SIDE_CHARS and rights:
        start = rights[0][0]
        edge = max((m.end() for m in re.finditer(r"[,，:：、。；;]", folded[:start])), default=0)
        if edge < start:
            return Fill(max(edge, start - MAX_FILL_CHARS), start, False)
        return None
    if not rights and len(frame.right) < MIN_SIDE_CHARS and lefts:
        end = lefts[0][1]
        boundary = re.search(r"[,，:：;；。！？!?\n]", folded[end:])
        stop = end + boundary.start() if boundary else len(folded)
        if stop > end:
            return Fill(end, min(stop, end + MAX_FILL_CHARS), False)
    return None
