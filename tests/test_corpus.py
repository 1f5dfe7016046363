"""Loading documents: errors that name the file, metadata from front matter or the first lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.corpus import (
    HEADER_LINES,
    Document,
    corpus_checksum,
    corpus_files,
    infer_published,
    infer_source,
    infer_title,
    labels_publication,
    load_corpus,
    load_document,
)
from assistant.errors import CorpusError
from conftest import DOCS_CORPUS, SEED_ID, require_shared, write_doc

GOOD_BODY = "东关街道新建4处老年食堂。\n食堂为辖区老人提供助餐服务。\n"

BAD_FILES: dict[str, bytes] = {
    "gbk": "东关街道新建老年食堂。".encode("gbk"),
    "empty": b"",
    "blank": b" \n\t \r\n",
    "unclosed": "---\ntitle: 养老服务\n东关街道新建老年食堂。\n".encode(),
    "unknown_key": "---\nauthor: 张三\n---\n东关街道新建老年食堂。\n".encode(),
    "bad_date": "---\npublished: 2024-02-30\n---\n东关街道新建老年食堂。\n".encode(),
    "front_matter_only": "---\ntitle: 养老服务\n---\n".encode(),
    "bad_date_source": "---\npublished: 2024-02-03\ndate_source: guessed\n---\n东关街道新建老年食堂。\n".encode(),
    "date_source_without_date": "---\ndate_source: inferred\n---\n东关街道新建老年食堂。\n".encode(),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_raises_an_error_naming_it(tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.txt"
    path.write_bytes(BAD_FILES[name])
    with pytest.raises(CorpusError) as excinfo:
        load_document(path)
    assert str(path) in str(excinfo.value)


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("gbk", "UTF-8"),
        ("empty", "empty"),
        ("blank", "empty"),
        ("unclosed", "never closed"),
        ("unknown_key", "line 2"),
        ("bad_date", "2024-02-30"),
    ],
)
def test_error_message_says_what_is_wrong(tmp_path: Path, name: str, words: str) -> None:
    path = tmp_path / f"{name}.txt"
    path.write_bytes(BAD_FILES[name])
    with pytest.raises(CorpusError, match=words):
        load_document(path)


def test_bad_files_are_reported_and_the_rest_of_the_corpus_loads(tmp_path: Path) -> None:
    for name, data in BAD_FILES.items():
        (tmp_path / f"{name}.txt").write_bytes(data)
    write_doc(tmp_path, "good_a", GOOD_BODY, title="养老服务")
    write_doc(tmp_path, "good_b", GOOD_BODY)

    documents, errors = load_corpus(tmp_path)

    assert [d.doc_id for d in documents] == ["good_a", "good_b"]
    reported = sorted(name for name in BAD_FILES if any(f"{name}.txt" in str(e) for e in errors))
    assert reported == sorted(BAD_FILES)
    assert len(errors) == len(BAD_FILES)


def test_file_name_that_is_not_a_valid_id_is_reported(tmp_path: Path) -> None:
    path = write_doc(tmp_path, "养老 通知", GOOD_BODY)
    documents, errors = load_corpus(tmp_path)
    assert documents == []
    assert len(errors) == 1 and str(path) in str(errors[0])


def test_duplicate_document_id_in_a_subfolder_is_reported(tmp_path: Path) -> None:
    paths = {write_doc(tmp_path, "notice", GOOD_BODY), write_doc(tmp_path / "archive", "notice", GOOD_BODY)}
    documents, errors = load_corpus(tmp_path)
    assert [d.doc_id for d in documents] == ["notice"]
    assert len(errors) == 1
    assert sum(str(path) in str(errors[0]) for path in paths) == 1


def test_missing_corpus_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="does not exist"):
        corpus_files(tmp_path / "nowhere")


NOISY_HEADER = (
    "\n"
    "  东关街道 养老服务 工作通知  \n"
    "阅读 · 发布日期 2024-03-05 10:20 · 来源：东关街道民政办 | 打印\n"
    "街道将新建4处老年食堂，年底前建成6个日间照料中心。\n"
)


def test_metadata_is_inferred_from_noisy_first_lines(tmp_path: Path) -> None:
    doc = load_document(write_doc(tmp_path, "notice", NOISY_HEADER))
    assert doc.title == "东关街道养老服务工作通知"
    assert doc.published == "2024-03-05"
    assert doc.source == "东关街道民政办"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("发布日期 2024-03-05 10:20", "2024-03-05"),
        ("发布时间：2023/11/2", "2023-11-02"),
        ("日期: 2022年7月9日", "2022-07-09"),
        ("2021.5.31 奎文区", "2021-05-31"),
    ],
)
def test_published_date_formats(line: str, expected: str) -> None:
    assert infer_published(f"标题\n{line}\n正文。") == expected


def test_impossible_date_in_the_header_is_not_a_publication_date() -> None:
    assert infer_published("标题\n发布日期 2024-02-30\n正文。") is None


def test_date_beyond_the_first_lines_is_not_a_publication_date() -> None:
    body = "标题\n" + "正文。\n" * (HEADER_LINES - 1) + "发布日期 2024-03-05\n"
    assert infer_published(body) is None
    assert infer_published("标题\n" + "正文。\n" * (HEADER_LINES - 2) + "发布日期 2024-03-05\n") == "2024-03-05"


def test_title_is_the_first_non_empty_line_without_white_space() -> None:
    assert infer_title("\n \n 东关 街道\t通知 \n正文。") == "东关街道通知"
    assert infer_source("标题\n正文，没有来源。") is None


def test_front_matter_overrides_inferred_metadata(tmp_path: Path) -> None:
    path = write_doc(tmp_path, "notice", NOISY_HEADER, title="养老服务方案", published="2024-04-01", source="区民政局")
    doc = load_document(path)
    assert (doc.title, doc.published, doc.source) == ("养老服务方案", "2024-04-01", "区民政局")


# Where a document's date comes from: a notice's front matter declares it; a date its text opens with is inferred,
# and an encyclopaedia page's first line (a battle's date) is such a date; a page with neither has none.
DATE_SOURCES = [
    ("declared notice", "---\ntitle: 停车场开放通知\npublished: 2024-04-01\n---\n停车场4月起开放。\n", "declared"),
    (
        "front matter over the first line",
        "---\npublished: 2024-04-01\n---\n标题\n发布日期 2023-01-02\n正文。\n",
        "declared",
    ),
    (
        "encyclopaedia page",
        "---\ntitle: 罗克鲁瓦战役\nsource: CC BY-SA\n---\n罗克鲁瓦战役（1643年5月19日）是三十年战争中的战役。\n",
        "inferred",
    ),
    ("dated line, no front matter", "标题\n发布日期 2021-05-31 08:45\n正文。\n", "inferred"),
    ("undated page", "---\ntitle: 鸢尾\n---\n鸢尾是多年生草本植物。\n", None),
    # A converted file's front matter keeps a date read from its text marked as such.
    ("front matter marked inferred", "---\npublished: 2025-10-20\ndate_source: inferred\n---\n正文。\n", "inferred"),
    ("front matter marked declared", "---\npublished: 2025-10-20\ndate_source: declared\n---\n正文。\n", "declared"),
]


@pytest.mark.parametrize(("case", "raw", "source"), DATE_SOURCES, ids=[c[0] for c in DATE_SOURCES])
def test_date_source_tells_a_declared_date_from_one_read_in_the_text(
    tmp_path: Path, case: str, raw: str, source: str | None
) -> None:
    path = tmp_path / "doc.txt"
    path.write_text(raw, encoding="utf-8")
    doc = load_document(path)
    assert doc.date_source == source
    assert (doc.published is not None) == (source is not None)
    assert doc.declared == (source == "declared")


def test_a_document_built_without_a_date_source_declares_no_date() -> None:
    doc = Document(doc_id="d", title="标题", published="2024-04-01", source=None, text="正文。")
    assert not doc.declared


def test_document_text_excludes_the_front_matter(tmp_path: Path) -> None:
    doc = load_document(write_doc(tmp_path, "notice", GOOD_BODY, title="养老服务", published="2024-04-01"))
    assert doc.text == GOOD_BODY
    assert doc.doc_id == "notice"


def test_crlf_and_cr_line_ends_are_normalised(tmp_path: Path) -> None:
    path = tmp_path / "windows.txt"
    path.write_bytes("---\r\ntitle: 养老服务\r\n---\r\n第一行。\r\n第二行。\r第三行。\r\n".encode())
    doc = load_document(path)
    assert doc.title == "养老服务"
    assert doc.text == "第一行。\n第二行。\n第三行。\n"


def test_byte_order_mark_is_not_part_of_the_text(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeff".encode() + GOOD_BODY.encode())
    assert load_document(path).text == GOOD_BODY


def test_seed_document_metadata() -> None:
    doc = load_document(DOCS_CORPUS / f"{SEED_ID}.txt")
    assert doc.doc_id == SEED_ID
    assert doc.published == "2021-05-31"
    assert doc.date_source == "inferred"  # its "发布日期" line, not front matter
    assert doc.source and SEED_ID in doc.source
    assert doc.title.startswith("在潍坊加速迈入")
    assert not doc.text.startswith("---")


def test_seed_document_text_is_the_shared_article() -> None:
    seed = require_shared() / "seed" / f"{SEED_ID}.txt"
    doc = load_document(DOCS_CORPUS / f"{SEED_ID}.txt")
    assert doc.text == seed.read_text(encoding="utf-8")


def test_corpus_checksum_changes_with_content_and_names(tmp_path: Path) -> None:
    write_doc(tmp_path, "a", GOOD_BODY)
    before = corpus_checksum(corpus_files(tmp_path), tmp_path)
    assert corpus_checksum(corpus_files(tmp_path), tmp_path) == before
    write_doc(tmp_path, "a", GOOD_BODY + "补充一句。")
    edited = corpus_checksum(corpus_files(tmp_path), tmp_path)
    (tmp_path / "a.txt").rename(tmp_path / "b.txt")
    renamed = corpus_checksum(corpus_files(tmp_path), tmp_path)
    assert len({before, edited, renamed}) == 3


# (a first line of a document, whether it gives a date labelled as the document's publication date)
PUBLICATION_LINES: list[tuple[str, bool]] = [
    ("阅读 · 发布日期 2021-05-31 08:45 · 潍坊网站建设", True),
    ("发布时间：2024年3月1日", True),
    ("日期：2024-01-05", True),
    ("印发日期 2023.12.20", True),
    ("2007年10月1日试播，随后江西电视台加入。", False),  # an event's date
    ("罗克鲁瓦战役发生于1643年5月19日。", False),
    ("活动时间：2024年5月1日", False),  # when the event is, not when the text was published
    ("活动日期：2024年5月1日", False),
    ("发布日期待定", False),  # no date
]


@pytest.mark.parametrize(("line", "expected"), PUBLICATION_LINES)
def test_labels_publication(line: str, expected: bool) -> None:
    assert labels_publication(f"标题\n{line}\n正文。\n") is expected
