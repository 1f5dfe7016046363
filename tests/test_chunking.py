"""Sentences, clauses and bounded passages: exact offsets, nothing lost, sizes respected."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.chunking import Chunk, Span, chunk_text, clauses, sentences
from assistant.corpus import load_document
from assistant.structure import parse
from conftest import DOCS_CORPUS, SEED_ID, SHARED, require_shared

SENTENCE_MARKS = tuple("。！？；")
QA = ("question", "answer")
TABLE = ("table_header", "table_row")
RUN_ON = ("answer", "item", "table_row", "label_value", "signoff")
MULTIDOC = SHARED / "eval" / "multidoc" / "corpus"


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
    blocks = parse(text)
    for chunk in chunks:
        assert chunk.doc_id == doc_id
        assert len(chunk.text) <= size
        inside = [i for i, b in enumerate(blocks) if b.start < chunk.end and chunk.start < b.end]
        # Parts of one question–answer pair at most, rows of one table at most.
        pairs = {i if blocks[i].kind == "question" else blocks[i].pair for i in inside if blocks[i].kind in QA}
        assert len(pairs) <= 1, chunk.text
        tables = {i if blocks[i].kind == "table_header" else blocks[i].pair for i in inside if blocks[i].kind in TABLE}
        assert len(tables) <= 1, chunk.text
        # After a finished sentence, a passage runs on into a new line only within a pair, a table,
        # a run of label–value lines, a list or a sign-off: never into another paragraph or heading.
        for a, b in itertools.pairwise(inside):
            if blocks[a].text.rstrip().endswith(SENTENCE_MARKS) and "\n" in text[blocks[a].end : blocks[b].start]:
                assert blocks[b].kind in RUN_ON, chunk.text


def assert_headings_head_something(text: str, chunks: list[Chunk]) -> None:
    """No passage ends with a heading, except at the end of the document."""
    blocks = parse(text)
    for chunk in chunks[:-1]:
        last = max(i for i, b in enumerate(blocks) if b.start < chunk.end)
        assert blocks[last].kind not in ("title", "heading"), chunk.text


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


FAQ = (
    "政策问答\n"
    "问：今年小学一年级招收哪些孩子？\n"
    "答：招收2015年9月1日至2016年8月31日出生的适龄儿童。\n"
    "四、问：到哪里报名？\n"
    "答：登录报名平台网上报名，全程网上办理，家长不需要到学校现场报名。"
    "材料审核结果在提交后5个工作日内反馈，审核未通过的可在截止前修改后重新提交。\n"
    "审核通过后，学校会以短信方式通知家长。\n"
    "问：录取结果什么时候公布？答：8月10日前公布。"
)


def pair_of(text: str, chunk: Chunk) -> set[int]:
    blocks = parse(text)
    return {
        i if b.kind == "question" else b.pair
        for i, b in enumerate(blocks)
        if b.kind in QA and b.start < chunk.end and chunk.start < b.end and (b.pair is not None or b.kind == "question")
    }


def test_a_question_and_its_answer_share_a_passage_when_they_fit() -> None:
    chunks = chunk_text("doc", FAQ, 120)
    assert_chunks_valid(FAQ, chunks, 120)
    first = next(c for c in chunks if "招收哪些孩子" in c.text)
    assert "招收2015年9月1日" in first.text
    inline = next(c for c in chunks if "录取结果" in c.text)
    assert inline.text == "问：录取结果什么时候公布？答：8月10日前公布。"


def test_a_long_answer_splits_at_sentences_and_each_part_records_its_question() -> None:
    chunks = chunk_text("doc", FAQ, 80)
    assert_chunks_valid(FAQ, chunks, 80)
    parts = [c for c in chunks if pair_of(FAQ, c) == pair_of(FAQ, next(c for c in chunks if "到哪里报名" in c.text))]
    assert len(parts) >= 2
    assert "四、问：到哪里报名？" in parts[0].text
    for part in parts[1:]:
        assert "四、问：到哪里报名？" in part.context
        assert part.text.endswith("。")


def test_no_passage_holds_parts_of_two_pairs_at_any_size() -> None:
    for size in (20, 40, 60, 80, 120, 200, 400):
        chunks = chunk_text("doc", FAQ, size)
        assert_chunks_valid(FAQ, chunks, size)
        assert all(len(pair_of(FAQ, c)) <= 1 for c in chunks)


TABLES = (
    "缴费通告\n三、个人缴费标准\n"
    "缴费标准如下表：\n"
    "参保类别 | 个人缴费标准 | 说明\n"
    "成年居民（一档） | 380元/人·年 | 年度最高支付限额20万元\n"
    "成年居民（二档） | 580元/人·年 | 住院报销比例提高5个百分点\n"
    "中小学生 | 380元/人·年 | 只设一档\n"
    "在校大学生 | 380元/人·年 | 只设一档\n"
    "成年居民可在一档、二档中自主选择。\n"
    "渠道 | 办理方式\n"
    "微信缴费 | 关注公众号缴费\n"
    "银行柜台 | 持身份证到网点缴纳"
)


def test_table_rows_group_into_passages_with_the_header_as_context() -> None:
    chunks = chunk_text("doc", TABLES, 80)
    assert_chunks_valid(TABLES, chunks, 80)
    rows = [c for c in chunks if "380元" in c.text or "580元" in c.text]
    # Grouped: fewer passages than rows, and each later passage names the header it sits under.
    assert len(rows) < 4
    assert "参保类别 | 个人缴费标准 | 说明" in rows[0].text
    for later in rows[1:]:
        assert "参保类别 | 个人缴费标准 | 说明" in later.context
        assert "三、个人缴费标准" in later.context and "缴费标准如下表：" in later.context
    second = [c for c in chunks if "微信缴费" in c.text or "银行柜台" in c.text]
    assert all("380元" not in c.text for c in second)


def test_label_value_lines_of_one_section_stay_together() -> None:
    fields = ["体检对象：年满65周岁的常住居民。", "体检时间：10月17日至11月30日。", "体检地点：中心二楼。"]
    text = "\n".join(["五、老年人免费健康体检", *fields, "六、家庭医生签约", "基础服务包免费。"])
    chunks = chunk_text("doc", text, 120)
    assert_chunks_valid(text, chunks, 120)
    assert chunks[0].text == text[: text.index("\n六、")]
    assert chunks[1].text == "六、家庭医生签约\n基础服务包免费。"


def test_paragraphs_under_a_heading_record_it_as_context() -> None:
    text = "通知\n一、参保范围\n本区户籍居民均可参保，学生由学校统一组织。\n已参加职工医保的人员不得重复参保。"
    chunks = chunk_text("doc", text, 120)
    assert_chunks_valid(text, chunks, 120)
    assert [c.context for c in chunks] == ["", "一、参保范围"]
    assert chunks[0].text.startswith("通知\n一、参保范围\n本区户籍居民")


def test_a_heading_too_long_for_its_first_sentence_takes_a_clause_of_it() -> None:
    heading = "对标先进，统筹增强民生福祉"
    text = f"{heading}\n" + "街道新建一处社区老年食堂，" * 8 + "年内完工。"
    chunks = chunk_text("doc", text, 40)
    assert_chunks_valid(text, chunks, 40)
    assert chunks[0].text.startswith(heading) and len(chunks[0].text) > len(heading)
    assert all(c.context == "" for c in chunks)  # the heading heads the title-less document's first block only


def multidoc_files() -> list[Path | None]:
    return [*sorted(MULTIDOC.glob("*.txt"))] or [None]


@pytest.mark.parametrize("size", [60, 120, 400])
@pytest.mark.parametrize("path", [*sorted(DOCS_CORPUS.glob("**/*.txt")), *multidoc_files()], ids=str)
def test_corpus_documents_chunk_by_structure_with_exact_offsets(path: Path | None, size: int) -> None:
    if path is None:
        require_shared()
        pytest.skip(f"{MULTIDOC} holds no documents")
    doc = load_document(path)
    chunks = chunk_text(doc.doc_id, doc.text, size)
    assert_chunks_valid(doc.text, chunks, size, doc_id=doc.doc_id)
    assert_headings_head_something(doc.text, chunks)
    assert all(doc.text[c.start : c.end] == c.text for c in chunks)
    for chunk in chunks:
        # Context is what lies outside the passage: never a line the passage itself holds.
        for line in chunk.context.splitlines():
            assert line.strip() and line not in chunk.text


STRUCTURED_LINES = st.sampled_from(
    [
        "问：在哪里报名？",
        "答：在区政务服务中心报名，" * 3 + "全程免费。",
        "一、总则",
        "（一）目标明确；",
        "1．书法：周一上午，学费300元",
        "时间：3月1日上午9:00",
        "类别 | 标准 | 说明",
        "成年居民 | 380元 | 一档",
        "街道新建一处社区老年食堂，" * 6 + "年内完工。",
        "没有句号的短行",
        "现将有关事项通知如下：",
        "2022年2月7日",
        "奎文区民政局",
        "",
    ]
)


@settings(max_examples=200, database=None, deadline=None)
@given(lines=st.lists(STRUCTURED_LINES, max_size=20), size=st.integers(min_value=20, max_value=200))
def test_chunks_of_generated_structured_text_are_exact_bounded_and_complete(lines: list[str], size: int) -> None:
    text = "\n".join(lines)
    assert_chunks_valid(text, chunk_text("doc", text, size), size)
