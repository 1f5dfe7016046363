"""The layout of a document: title, headings, numbered items, question–answer pairs, fields, tables, sign-off.

A document is read line by line; every non-blank line becomes one block (a line holding both a question
and its answer becomes two), with exact offsets into the text. Each line is looked at a bounded number of
times, so parsing is linear in the length of the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from assistant.spans import Span

BlockKind = Literal[
    "title",
    "heading",
    "item",
    "question",
    "answer",
    "label_value",
    "table_header",
    "table_row",
    "signoff",
    "paragraph",
]

CN_DIGITS = "一二三四五六七八九十百零〇两"
# Longest line read as a title or an unnumbered heading; longer unclosed lines are paragraphs.
TITLE_MAX = 80
HEADING_MAX = 40
# Longest label of a label–value line ("咨询电话：", "主办单位：").
LABEL_MAX = 8
# Longest line of a sign-off (issuing body), and how many such lines sit above its date.
SIGNOFF_MAX = 30
SIGNOFF_BODY_LINES = 2

# Numbering that opens a heading or an item, with the depth of the heading it opens (smaller is higher).
NUMBERING: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(rf"第[{CN_DIGITS}\d]+[章编篇]|第[{CN_DIGITS}\d]+部分"), 1),
    (re.compile(rf"第[{CN_DIGITS}\d]+节"), 2),
    (re.compile(rf"[{CN_DIGITS}]+[、．.]"), 3),
    (re.compile(rf"[（(][{CN_DIGITS}]+[）)]"), 4),
    (re.compile(rf"第[{CN_DIGITS}\d]+条"), 5),
    (re.compile(r"\d{1,3}(?:[.．]\d{1,3})+\s+|\d{1,3}[、．.](?![\d%])"), 6),
    (re.compile(r"[（(]\d{1,3}[）)]"), 7),
    (re.compile(r"[①-⑳]"), 8),
    (re.compile(rf"[{CN_DIGITS}]{{1,3}}是(?=\S)"), 8),
)
UNNUMBERED_DEPTH = 3
TITLE_DEPTH = 0

QUESTION_RE = re.compile(r"\s*(?:问|問|Q\d{0,3}|Question)\s*[：:]\s*", re.IGNORECASE)
ANSWER_RE = re.compile(r"(?:答|答复|回答|A\d{0,3}|Answer)\s*[：:]\s*", re.IGNORECASE)
# "问：…？答：…" on one line: the answer marker after the question's mark (or a space, "Q: … A: …").
INLINE_ANSWER_RE = re.compile(r"(?<=[？?\s])(?:答|A\d{0,3}|Answer)\s*[：:]\s*", re.IGNORECASE)
LABEL_RE = re.compile(rf"([^：:，,。；;！？!?\s“”\"《》（）()]{{1,{LABEL_MAX}}}?)\s*([：:])\s*")
# A label that is somebody speaking introduces a quotation, not a field ("主任说：").
# Labels of fields that notices fill in; another short unclosed "name：phrase" line standing alone above a
# paragraph is a subheading ("潍州金谷：主体结构全面封顶"), not a field.
FIELD_LABEL_RE = re.compile(
    r"(?:时间|日期|时段|期限|地点|地址|位置|电话|热线|手机|邮箱|网址|人|方式|渠道|对象|条件|标准|费用|价|金额|范围|事项|要求|"
    r"材料|单位|站点|线路|走向|内容|备注|说明|来源|名额|年龄|岗位|待遇|薪酬|流程|依据)$"
)
SPEECH_RE = re.compile(r"(?:说|道|称|表示|指出|认为|强调|介绍|坦言|提到)$")
TABLE_SPLIT_RE = re.compile(r"\s+\|\s+|\t+")
DATE_LINE_RE = re.compile(
    r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|[〇零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日"
)
ORG_RE = re.compile(r"(?:局|委|办|办公室|中心|政府|办事处|公司|大学|学校|学院|医院|部|厅|处|院|会|站|所|社区|街道)$")
# A line that ends like this is a finished sentence or hands over to what follows: not a heading.
OPEN_END = tuple("。！？；!?;…：:，,、")
SENTENCE_MARKS = frozenset("。！？；!?;")


@dataclass(frozen=True)
class Block:
    """One structural piece of a document: ``text[start:end] == block.text``."""

    kind: BlockKind
    start: int
    end: int
    text: str
    label: Span | None
    value: Span | None
    heading: int | None
    pair: int | None


@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    text: str


def _lines(text: str) -> list[_Line]:
    """Non-blank lines of ``text``, trimmed, with exact offsets."""
    found: list[_Line] = []
    start = 0
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        piece = text[start:end]
        stripped = piece.strip()
        if stripped:
            s = start + len(piece) - len(piece.lstrip())
            found.append(_Line(s, s + len(stripped), stripped))
        start = end + 1
    return found


def _sub_line(line: _Line, a: int, b: int) -> _Line:
    """The trimmed piece ``line.text[a:b]`` as a line of its own (the caller knows it is not blank)."""
    span = _span(line, a, b)
    assert span is not None
    return _Line(span.start, span.end, span.text)


def _span(line: _Line, a: int, b: int) -> Span | None:
    """The trimmed piece ``line.text[a:b]`` as a span of the document, or None when it is blank."""
    piece = line.text[a:b]
    stripped = piece.strip()
    if not stripped:
        return None
    s = line.start + a + len(piece) - len(piece.lstrip())
    return Span(s, s + len(stripped), stripped)


def _block(kind: BlockKind, line: _Line, label: Span | None = None, value: Span | None = None) -> Block:
    return Block(kind, line.start, line.end, line.text, label, value, None, None)


def _numbering(text: str) -> tuple[int, int] | None:
    """Length and heading depth of the numbering that opens ``text``, if any."""
    for pattern, depth in NUMBERING:
        match = pattern.match(text)
        if match and match.end() < len(text):
            return match.end(), depth
    return None


def item_depth(text: str) -> int | None:
    """The heading depth of the numbering that opens ``text`` ("二、…", "3. …"), if it is a numbered item."""
    found = _numbering(text.lstrip())
    return found[1] if found else None


def _is_closed(text: str) -> bool:
    return text.endswith(OPEN_END) or any(c in SENTENCE_MARKS for c in text)


def _table_cells(text: str) -> int:
    """How many columns a table line has (0 when it is no table line)."""
    if text.startswith("|") and text.count("|") >= 3:
        return text.count("|") - 1
    cells = [c for c in TABLE_SPLIT_RE.split(text) if c.strip()]
    return len(cells) if len(cells) >= 2 and TABLE_SPLIT_RE.search(text) else 0


def _label_value(line: _Line) -> Block | None:
    match = LABEL_RE.match(line.text)
    if not match or match.end() >= len(line.text):
        return None
    label = match.group(1)
    ascii_colon = match.group(2) == ":"
    if SPEECH_RE.search(label) or label.isdigit() or (ascii_colon and label[-1].isdigit()):
        return None
    return _block("label_value", line, _span(line, 0, match.start(2)), _span(line, match.end(), len(line.text)))


@dataclass(frozen=True)
class Field:
    """The label and value of a line that names what it gives ("施工时间：2024年6月10日至…")."""

    label: Span
    value: Span


def field_of(block: Block) -> Field | None:
    """The label and value of a label–value line, or of a numbered item written as one ("一、施工时间：…"):
    the numbering orders the line, the label still says what its value is."""
    if block.kind == "label_value" and block.label is not None and block.value is not None:
        return Field(block.label, block.value)
    if block.kind != "item" or block.value is None:
        return None
    rest = block.value
    found = _label_value(_Line(rest.start, rest.end, rest.text))
    if found is None or found.label is None or found.value is None:
        return None
    return Field(found.label, found.value)


def _classify(line: _Line) -> tuple[list[Block], int | None]:
    """The blocks of one line, and the heading depth when the line is a heading."""
    text = line.text
    numbering = _numbering(text)
    after_number = numbering[0] if numbering else 0
    question = QUESTION_RE.match(text, after_number)
    if question:
        number = _span(line, 0, after_number) if after_number else None
        inline = INLINE_ANSWER_RE.search(text, question.end())
        asked = _sub_line(line, 0, inline.start()) if inline else line
        blocks = [_block("question", asked, number, _span(asked, question.end(), len(asked.text)))]
        if inline:
            told = _sub_line(line, inline.start(), len(text))
            blocks.append(_block("answer", told, None, _span(told, inline.end() - inline.start(), len(told.text))))
        return blocks, None
    answer = ANSWER_RE.match(text)
    if answer:
        return [_block("answer", line, None, _span(line, answer.end(), len(text)))], None
    if _table_cells(text):
        return [_block("table_row", line)], None
    if numbering:
        length, depth = numbering
        value = _span(line, length, len(text))
        rest = value.text if value else ""
        if len(rest) <= HEADING_MAX and not _is_closed(rest) and "：" not in rest and ":" not in rest:
            return [_block("heading", line, _span(line, 0, length), value)], depth
        return [_block("item", line, _span(line, 0, length), value)], None
    field = _label_value(line)
    if field:
        return [field], None
    if len(text) <= HEADING_MAX and not _is_closed(text):
        return [_block("heading", line)], UNNUMBERED_DEPTH
    return [_block("paragraph", line)], None


def _signoff_start(blocks: list[Block]) -> int:
    """Index of the first block of the closing sign-off (issuing body, date), or ``len(blocks)``."""
    n = len(blocks)
    if n < 2:
        return n
    last = blocks[-1]
    short = [
        b.kind in ("heading", "paragraph") and len(b.text) <= SIGNOFF_MAX and not _is_closed(b.text) for b in blocks
    ]
    if DATE_LINE_RE.fullmatch(last.text):
        first = n - 1
        while first - 1 > 0 and n - 1 - (first - 1) <= SIGNOFF_BODY_LINES and short[first - 1]:
            first -= 1
        return first
    if short[-1] and ORG_RE.search(last.text):
        return n - 1
    return n


def _subheading(before: Block, block: Block, after: Block) -> bool:
    """Whether a label–value line is rather a subheading: alone, short, unclosed, over a paragraph."""
    return (
        block.kind == "label_value"
        and block.label is not None
        and FIELD_LABEL_RE.search(block.label.text) is None
        and len(block.text) <= HEADING_MAX
        and not _is_closed(block.text)
        and before.kind != "label_value"
        and after.kind == "paragraph"
    )


def parse(text: str) -> list[Block]:
    """The document's blocks in order, covering every non-blank line."""
    blocks: list[Block] = []
    depths: list[int | None] = []
    for line in _lines(text):
        found, depth = _classify(line)
        blocks.extend(found)
        depths.extend([depth] * len(found))
    for i in range(1, len(blocks) - 1):
        if _subheading(blocks[i - 1], blocks[i], blocks[i + 1]):
            blocks[i] = replace(blocks[i], kind="heading", label=None, value=None)
            depths[i] = UNNUMBERED_DEPTH
    first = blocks[0] if blocks else None
    if first and first.kind in ("heading", "paragraph") and len(first.text) <= TITLE_MAX and not _is_closed(first.text):
        blocks[0] = replace(first, kind="title", label=None, value=None)
        depths[0] = TITLE_DEPTH
    signoff = _signoff_start(blocks)
    for i in range(signoff, len(blocks)):
        blocks[i] = replace(blocks[i], kind="signoff", label=None, value=None)
        depths[i] = None
    return _link(blocks, depths)


def _asks(block: Block) -> bool:
    """Whether an unmarked line reads as a question (so that a following "答：" answers it)."""
    return block.kind in ("paragraph", "item") and block.text.endswith(("？", "?"))


def _link(blocks: list[Block], depths: list[int | None]) -> list[Block]:
    """Fill in each block's heading and pair; a line asked right before an answer becomes its question."""
    linked: list[Block] = []
    stack: list[tuple[int, int]] = []  # (depth, index) of the open headings
    question: int | None = None  # the question whose answer is being read
    answered = False
    header: int | None = None  # the header of the table being read
    for i, block in enumerate(blocks):
        depth = depths[i]
        if block.kind in ("title", "heading") and depth is not None:
            while stack and stack[-1][0] >= depth:
                stack.pop()
            linked.append(replace(block, heading=stack[-1][1] if stack else None))
            stack.append((depth, i))
            question, header = None, None
            continue
        # A sign-off closes the whole document, not its last section.
        under = stack[-1][1] if stack and block.kind != "signoff" else None
        kind, pair = block.kind, None
        if kind == "answer" and blocks[i - 1 : i] and _asks(blocks[i - 1]):
            # "一、到哪里申请？" followed by "答：": the line before is the question.
            previous = linked[-1]
            if question is not None and linked[question].pair == i - 1:
                linked[question] = replace(linked[question], pair=None)
            value = previous.value if previous.kind == "item" else Span(previous.start, previous.end, previous.text)
            linked[-1] = replace(previous, kind="question", value=value, pair=None)
            question = None
        if kind == "answer" and question is None and linked and linked[-1].kind == "question":
            question, answered = i - 1, False
        if kind == "question":
            question, answered = i, False
        elif kind == "answer" and question is not None:
            pair = question
            if not answered:
                linked[question] = replace(linked[question], pair=i)
                answered = True
        elif kind == "paragraph" and question is not None:
            # Further paragraphs of an answer (or an answer given without "答：") belong to the pair.
            kind, pair = "answer", question
            if not answered:
                linked[question] = replace(linked[question], pair=i)
                answered = True
        elif kind not in ("item", "answer"):
            question = None
        if kind == "table_row" and header is None and not (i + 1 < len(blocks) and blocks[i + 1].kind == "table_row"):
            kind = "paragraph"  # one line with a bar in it is no table
        if kind == "table_row":
            if header is None:
                kind, header = "table_header", i
            else:
                pair = header
        else:
            header = None
        linked.append(replace(block, kind=kind, heading=under, pair=pair))
    return linked
