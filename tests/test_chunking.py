"""Sentences, clauses and bounded passages: exact offsets, nothing lost, sizes respected."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.chunking import Chunk, Span, chunk_text, clauses, sentences
from assistant.corpus import load_document
from conftest import DOCS_CORPUS, SEED_ID

SENTENCE_MARKS = tuple("。！？；")


def non_space(text: str) -> str:
    return "".join(text.split())


def assert_spans_exact(text: str, spans: list[Span]) -> None:
    """Spans are exact, trimmed, in order, non-overlapping, and together hold every non-space character."""
    previous_end = 0
    for span in spans:
        assert text[span.start : span.end] == span.text
        assert span.text and span.text == span.text.strip()
        assert span.start >= previous_end
        previous_end = span.end
    assert non_space("".join(s.text for s in spans)) == non_space(text)


def assert_chunks_valid(text: str, chunks: list[Chunk], size: int, doc_id: str = "doc") -> None:
    """Every invariant a passage list promises for ``text`` cut at ``size``."""
    assert_spans_exact(text, [Span(c.start, c.end, c.text) for c in chunks])
    assert [c.chunk_id for c in chunks] == list(range(len(chunks)))
    for chunk in chunks:
        assert chunk.doc_id == doc_id
        assert len(chunk.text) <= size
        # A passage runs across a line break only after a heading, never after a finished sentence.
        for position, char in enumerate(chunk.text):
            if char == "\n":
                assert not chunk.text[:position].rstrip().endswith(SENTENCE_MARKS), chunk.text


CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
PUNCTUATION = st.sampled_from([*"。！？；，,、：“”「」（）", "\n", "\n\n", " ", "  ", "\u3000"])
DIGITS = st.characters(min_codepoint=ord("0"), max_codepoint=ord("9"))
ASCII_WORDS = st.sampled_from(["USE", "faiss", "a", "BM25", "2021-05-31"])
CHINESE_ISH = st.lists(st.one_of(CJK, CJK, CJK, CJK, PUNCTUATION, DIGITS, ASCII_WORDS), max_size=400).map("".join)


@settings(max_examples=300, database=None, deadline=None)
@given(text=CHINESE_ISH, size=st.integers(min_value=20, max_value=400))
def test_chunks_of_generated_text_are_exact_bounded_and_complete(text: str, size: int) -> None:
    assert_chunks_valid(text, chunk_text("doc", text, size), size)


@settings(max_examples=200, database=None, deadline=None)
@given(text=CHINESE_ISH)
def test_sentences_and_clauses_of_generated_text_are_exact(text: str) -> None:
    found = sentences(text)
    assert_spans_exact(text, found)
    for sentence in found:
        assert_spans_exact(sentence.text, clauses(sentence.text))
        assert all(text[c.start : c.end] == c.text for c in clauses(sentence.text, sentence.start))


def test_sentences_end_at_each_mark_and_line_break() -> None:
    text = "第一句。第二句！第三句？第四句；第五行\n第六行"
    assert [s.text for s in sentences(text)] == ["第一句。", "第二句！", "第三句？", "第四句；", "第五行", "第六行"]


def test_closing_quote_belongs_to_the_sentence_it_closes() -> None:
    text = "他说：“明天开会。”大家都同意。"
    assert [s.text for s in sentences(text)] == ["他说：“明天开会。”", "大家都同意。"]


def test_sentence_offsets_shift_with_the_offset_argument() -> None:
    text = "前言。正文。"
    shifted = sentences(text, offset=100)
    assert [(s.start, s.end) for s in shifted] == [(s.start + 100, s.end + 100) for s in sentences(text)]


def test_clauses_split_at_chinese_and_ascii_commas_and_colons() -> None:
    text = "新建食堂，增设驿站,扩大服务：覆盖全区"
    assert [c.text for c in clauses(text)] == ["新建食堂，", "增设驿站,", "扩大服务：", "覆盖全区"]


def test_clauses_keep_enumerations_joined_by_the_enumeration_comma() -> None:
    text = "助浴、助洁、助餐服务"
    assert [c.text for c in clauses(text)] == [text]


def test_short_text_is_one_chunk() -> None:
    text = "街道新建4处老年食堂。"
    chunks = chunk_text("doc", text, 120)
    assert [(c.start, c.end, c.text) for c in chunks] == [(0, len(text), text)]


def test_long_sentence_is_cut_at_clauses_within_the_size() -> None:
    clause = "街道将新建一处社区老年食堂，"
    text = clause * 10 + "全部年内完工。"
    chunks = chunk_text("doc", text, 40)
    assert len(chunks) > 1
    assert_chunks_valid(text, chunks, 40)
    # Cut at clause ends: every passage but the last ends with the clause's comma.
    assert all(c.text.endswith("，") for c in chunks[:-1])


def test_sentence_without_punctuation_is_cut_hard_at_the_size() -> None:
    text = "养" * 50
    chunks = chunk_text("doc", text, 20)
    assert [len(c.text) for c in chunks] == [20, 20, 10]
    assert_chunks_valid(text, chunks, 20)


def test_finished_paragraphs_are_separate_passages() -> None:
    text = "第一段说养老。\n第二段说就业。"
    assert [c.text for c in chunk_text("doc", text, 120)] == ["第一段说养老。", "第二段说就业。"]


def test_heading_stays_with_the_paragraph_it_introduces() -> None:
    text = "对标先进，提升品质\n街道新建4处老年食堂。"
    assert [c.text for c in chunk_text("doc", text, 120)] == [text]


def test_first_id_numbers_chunks_from_there() -> None:
    chunks = chunk_text("doc", "一段。\n二段。\n三段。", 120, first_id=7)
    assert [c.chunk_id for c in chunks] == [7, 8, 9]


def test_paragraph_ending_in_a_quoted_sentence_is_not_a_heading() -> None:
    text = "主任说：“年内完工。”\n第二段说就业。"
    assert [c.text for c in chunk_text("doc", text, 120)] == ["主任说：“年内完工。”", "第二段说就业。"]


@pytest.mark.parametrize("size", [20, 60, 120, 400])
def test_seed_article_chunks_with_exact_offsets(size: int) -> None:
    doc = load_document(DOCS_CORPUS / f"{SEED_ID}.txt")
    chunks = chunk_text(doc.doc_id, doc.text, size)
    assert chunks
    assert_chunks_valid(doc.text, chunks, size, doc_id=doc.doc_id)


def test_a_comma_inside_quotes_does_not_split_a_clause() -> None:
    text = "在全区开展“创建二线城市,奎文怎么干”大讨论活动,以思想大解放推动改革"
    assert [c.text for c in clauses(text)] == ["在全区开展“创建二线城市,奎文怎么干”大讨论活动,", "以思想大解放推动改革"]
