"""Splitting documents into sentences, clauses and bounded passages with exact offsets.

Passages follow the document's structure (:mod:`assistant.structure`): a question stays with its answer,
a heading with what it heads, a table's rows with their table; what a passage is about but does not
itself say (its headings, its question, its table's header) is kept as its ``context``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

# Span lives in its own module so that structure can use it; callers keep importing it from here.
from assistant.spans import Span as Span
from assistant.structure import Block, parse

# Recorded in the index manifest: an index cut by another version of the chunker is stale.
CHUNKER_VERSION = 2

# A sentence ends at a full stop, question or exclamation mark, semicolon or a line break;
# closing quotes and brackets right after the mark belong to the sentence they close.
SENTENCE_END_RE = re.compile(r"[。！？；!?;…]+[”’」』）)】〕\"']*|\n+")
# A passage that ends like this closes a sentence (a heading does not).
CLOSED_RE = re.compile(r"[。！？；!?;…][”’」』）)】〕\"']*$")
# Clauses inside a sentence: commas (Chinese and the ASCII ones this corpus also uses) and colons,
# but not an ASCII comma or colon between digits ("1,000", "08:45").
OPENERS = frozenset("“‘「『《〈（(【〔")
CLOSERS = frozenset("”’」』》〉）)】〕")
CLAUSE_END_RE = re.compile(r"(?:[，：]|(?<!\d)[,:]|[,:](?!\d))[”’」』）)】\"']*")
# For answers, a semicolon parts clauses of one sentence ("中小微企业返还90%；大型企业返还50%。").
FULL_SENTENCE_END_RE = re.compile(r"[。！？!?…]+[”’」』）)】〕\"']*|\n+")
CLAUSE_OR_SEMICOLON_END_RE = re.compile(r"(?:[，：；;]|(?<!\d)[,:]|[,:](?!\d))[”’」』）)】\"']*")


@dataclass(frozen=True)
class Chunk:
    """A passage of a document: ``document.text[start:end] == text``."""

    chunk_id: int
    doc_id: str
    start: int
    end: int
    text: str
    # What the passage is about but lies outside it: the headings above it, the question its answer
    # answers, its table's header row. Indexed with the passage; citations keep to ``start``/``end``.
    context: str = ""


def _split(text: str, pattern: re.Pattern[str], offset: int = 0, within_quotes: bool = True) -> Iterator[Span]:
    """Cut ``text`` after each match of ``pattern``; spans are trimmed of white space.

    With ``within_quotes`` false, a match inside paired quotes or brackets does not cut: the comma in
    “创建二线城市,奎文怎么干” belongs to the name.
    """
    depth = _quote_depth(text) if not within_quotes else None
    start = 0
    for match in pattern.finditer(text):
        if depth is not None and depth[match.start()] > 0:
            continue
        yield from _trimmed(text, start, match.end(), offset)
        start = match.end()
    yield from _trimmed(text, start, len(text), offset)


def _quote_depth(text: str) -> list[int]:
    """How many quotes or brackets are open at each position of ``text``."""
    depth, open_now = [], 0
    for char in text:
        if char in CLOSERS and open_now:
            open_now -= 1
        depth.append(open_now)
        if char in OPENERS:
            open_now += 1
    return depth


def _trimmed(text: str, start: int, end: int, offset: int) -> Iterator[Span]:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        lead = len(piece) - len(piece.lstrip())
        s = start + lead
        yield Span(offset + s, offset + s + len(stripped), stripped)


def sentences(text: str, offset: int = 0, semicolons: bool = True) -> list[Span]:
    """Sentences of ``text``, ending at 。！？ and line breaks, and at ； with ``semicolons``."""
    return list(_split(text, SENTENCE_END_RE if semicolons else FULL_SENTENCE_END_RE, offset))


def clauses(text: str, offset: int = 0, semicolons: bool = False) -> list[Span]:
    """Clauses of a sentence, split at commas and colons, and at ； with ``semicolons`` (lists joined by 、 stay
    whole)."""
    pattern = CLAUSE_OR_SEMICOLON_END_RE if semicolons else CLAUSE_END_RE
    return list(_split(text, pattern, offset, within_quotes=False))


def _bounded(span: Span, size: int) -> Iterator[Span]:
    """Pieces of ``span`` no longer than ``size``: whole clauses where possible."""
    if span.end - span.start <= size:
        yield span
        return
    parts = clauses(span.text, span.start)
    if len(parts) == 1:
        for s in range(span.start, span.end, size):
            piece = span.text[s - span.start : s - span.start + size]
            yield from _trimmed(piece, 0, len(piece), s)
        return
    yield from _pack(parts, size)


def _pack(parts: list[Span], size: int) -> Iterator[Span]:
    """Greedily join consecutive spans while the joined span stays within ``size``."""
    pieces = [p for part in parts for p in _bounded(part, size)]
    current: Span | None = None
    for piece in pieces:
        if current is not None and piece.end - current.start <= size:
            current = Span(current.start, piece.end, "")
            continue
        if current is not None:
            yield current
        current = piece
    if current is not None:
        yield current


# Numbered items at most this long share passages with their neighbours; longer ones stand alone.
SHORT_ITEM = 60
# A heading joins the first passage of what it heads when this much room is left beside it.
MIN_BESIDE_HEADING = 10
# Kinds of unit whose lines always share passages while they fit.
COHESIVE = frozenset({"pair", "table", "fields", "signoff"})

UnitKind = Literal["pair", "table", "fields", "items", "text", "signoff"]
# Blocks of these kinds, one after another under one heading, form one unit.
RUN_UNITS: dict[str, UnitKind] = {"label_value": "fields", "item": "items", "signoff": "signoff"}


@dataclass
class _Unit:
    """Blocks that are passaged together: ``lead`` (headings, a short introduction) opens the first passage."""

    kind: UnitKind
    body: list[int]
    lead: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class _Piece:
    span: Span
    block: int


def _is_intro(block: Block, size: int) -> bool:
    """A short paragraph that hands over to what follows ("…如下：") opens the next passage."""
    return block.kind == "paragraph" and len(block.text) <= size // 2 and CLOSED_RE.search(block.text) is None


def _run(blocks: list[Block], i: int) -> int:
    """End of the run of blocks of ``blocks[i]``'s kind under the same heading, starting at ``i``."""
    j = i + 1
    while j < len(blocks) and blocks[j].kind == blocks[i].kind and blocks[j].heading == blocks[i].heading:
        j += 1
    return j


def _units(blocks: list[Block], size: int) -> list[_Unit]:
    """Group blocks into units; every block lands in exactly one unit, in order."""
    units: list[_Unit] = []
    lead: list[int] = []

    def flush_intro() -> None:
        # An introduction followed by a heading or another introduction introduces nothing here.
        if lead and blocks[lead[-1]].kind == "paragraph":
            units.append(_Unit("text", [lead[-1]], lead[:-1]))
            lead.clear()

    i, n = 0, len(blocks)
    while i < n:
        block = blocks[i]
        kind = block.kind
        if kind in ("title", "heading"):
            flush_intro()
            lead.append(i)
            i += 1
            continue
        if _is_intro(block, size) and i + 1 < n and blocks[i + 1].kind not in ("title", "heading", "signoff"):
            flush_intro()
            lead.append(i)
            i += 1
            continue
        if kind == "question":
            j = i + 1
            while j < n and (
                (blocks[j].kind == "answer" and blocks[j].pair == i) or (blocks[j].kind == "item" and j > i + 1)
            ):
                j += 1
            unit = _Unit("pair", list(range(i, j)))
        elif kind == "answer":
            j = i + 1
            while j < n and blocks[j].kind in ("answer", "item") and blocks[j].pair == block.pair:
                j += 1
            unit = _Unit("pair", list(range(i, j)))
        elif kind == "table_header":
            j = i + 1
            while j < n and blocks[j].kind == "table_row" and blocks[j].pair == i:
                j += 1
            unit = _Unit("table", list(range(i, j)))
        elif kind in ("label_value", "item", "signoff"):
            j = _run(blocks, i)
            unit = _Unit(RUN_UNITS[kind], list(range(i, j)))
        else:
            j = i + 1
            unit = _Unit("text", [i])
        unit.lead = lead
        lead = []
        units.append(unit)
        i = j
    flush_intro()
    if lead:
        units.append(_Unit("text", lead))
    return units


def _joinable(unit: _Unit, blocks: list[Block], a: int, b: int) -> bool:
    """Whether a passage may run on from block ``a`` into the next block ``b`` of the same unit."""
    if a == b or unit.kind in COHESIVE:
        return True
    first, second = blocks[a].text, blocks[b].text
    return CLOSED_RE.search(first) is None or (len(first) <= SHORT_ITEM and len(second) <= SHORT_ITEM)


def _pieces(blocks: list[Block], indices: list[int], size: int) -> list[_Piece]:
    return [
        _Piece(piece, i)
        for i in indices
        for sentence in sentences(blocks[i].text, blocks[i].start)
        for piece in _bounded(sentence, size)
    ]


def _passages(unit: _Unit, blocks: list[Block], size: int) -> list[list[_Piece]]:
    """The unit cut into passages: runs of pieces, each run spanning at most ``size`` characters."""
    pieces = _pieces(blocks, unit.body, size)
    passages: list[list[_Piece]] = []
    current: list[_Piece] = []
    if unit.lead:
        lead = _pieces(blocks, unit.lead, size)
        start, end = lead[0].span.start, lead[-1].span.end
        room = size - (pieces[0].span.start - start) if pieces else 0
        if end - start > size - MIN_BESIDE_HEADING or room < MIN_BESIDE_HEADING:
            # Too long to open a passage: the lead's own passages, as an unstructured paragraph would have.
            for i in unit.lead:
                passages.extend(_passages(_Unit("text", [i]), blocks, size))
        else:
            current = lead
            if pieces[0].span.end - start > size:
                # Packed pieces carry no text of their own: take it from their block.
                block, span = blocks[pieces[0].block], pieces[0].span
                whole = Span(span.start, span.end, block.text[span.start - block.start : span.end - block.start])
                split = [_Piece(s, pieces[0].block) for s in _bounded(whole, room)]
                pieces = split + pieces[1:]
    for piece in pieces:
        if current:
            last = current[-1]
            fits = piece.span.end - current[0].span.start <= size
            if fits and (last.block in unit.lead or _joinable(unit, blocks, last.block, piece.block)):
                current.append(piece)
                continue
            passages.append(current)
        current = [piece]
    if current:
        passages.append(current)
    return passages


def _context(unit: _Unit, blocks: list[Block], inside: set[int]) -> str:
    """What the passage holding blocks ``inside`` of ``unit`` is about, from outside it."""
    if unit.kind == "signoff":
        return ""
    first = blocks[unit.body[0]] if unit.body else blocks[unit.lead[0]]
    chain: list[int] = []
    heading = first.heading
    while heading is not None:
        chain.append(heading)
        heading = blocks[heading].heading
    parts = [i for i in reversed(chain) if blocks[i].kind != "title"]
    if unit.kind in ("table", "fields", "items"):
        # "…如下表：" says what the rows or items are; a greeting over a paragraph says nothing of it.
        parts += [i for i in unit.lead if blocks[i].kind not in ("title", "heading")]
    if unit.kind == "pair":
        question = unit.body[0] if first.kind == "question" else first.pair
        if question is not None:
            parts.append(question)
    elif unit.kind == "table":
        parts.append(unit.body[0])
    seen: set[int] = set()
    texts = []
    for i in parts:
        if i not in inside and i not in seen:
            seen.add(i)
            texts.append(blocks[i].text)
    return "\n".join(texts)


def chunk_text(doc_id: str, text: str, size: int, first_id: int = 0) -> list[Chunk]:
    """Passages of whole sentences, each at most ``size`` characters, with exact offsets.

    A passage follows the document's structure: it never holds parts of two question–answer pairs,
    rows of two tables, or a heading without what the heading opens; a question stays with its answer,
    and a table's rows, a section's label–value lines, a list's short items share passages, while they
    fit. A passage does not run across any other paragraph break.
    """
    blocks = parse(text)
    chunks: list[Chunk] = []
    for unit in _units(blocks, size):
        for passage in _passages(unit, blocks, size):
            start, end = passage[0].span.start, passage[-1].span.end
            inside = {piece.block for piece in passage}
            chunks.append(
                Chunk(first_id + len(chunks), doc_id, start, end, text[start:end], _context(unit, blocks, inside))
            )
    return chunks
