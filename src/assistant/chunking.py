"""Splitting documents into sentences, clauses and bounded passages with exact offsets."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Span:
    """A piece of a text with its exact ``[start, end)`` offsets."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Chunk:
    """A passage of a document: ``document.text[start:end] == text``."""

    chunk_id: int
    doc_id: str
    start: int
    end: int
    text: str


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


def sentences(text: str, offset: int = 0) -> list[Span]:
    """Sentences of ``text``, ending at 。！？； and line breaks."""
    return list(_split(text, SENTENCE_END_RE, offset))


def clauses(text: str, offset: int = 0) -> list[Span]:
    """Clauses of a sentence, split at commas and colons (lists joined by 、 stay whole)."""
    return list(_split(text, CLAUSE_END_RE, offset, within_quotes=False))


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


def chunk_text(doc_id: str, text: str, size: int, first_id: int = 0) -> list[Chunk]:
    """Passages of whole sentences, each at most ``size`` characters, with exact offsets.

    A passage does not run across a paragraph break, except that a heading (a line with no
    closing punctuation) stays with the paragraph it introduces.
    """
    spans: list[Span] = []
    current: Span | None = None
    for sentence in sentences(text):
        for piece in _bounded(sentence, size):
            if current is not None:
                new_paragraph = "\n" in text[current.end : piece.start]
                closed = CLOSED_RE.search(text, current.start, current.end) is not None
                if piece.end - current.start <= size and not (new_paragraph and closed):
                    current = Span(current.start, piece.end, "")
                    continue
                spans.append(current)
            current = piece
    if current is not None:
        spans.append(current)
    return [
        Chunk(first_id + n, doc_id, span.start, span.end, text[span.start : span.end]) for n, span in enumerate(spans)
    ]
