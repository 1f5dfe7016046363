"""Adding converted files to the corpus and removing them: what is written, what the loader reads back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.converters import ConversionError, Limits
from assistant.corpus import ORIGINALS_DIR, corpus_checksum, corpus_files, load_corpus
from assistant.embedding import FakeEmbedder
from assistant.errors import CorpusError, DocumentNotFound
from assistant.library import add_file, make_doc_id, original_path, read_record, remove_document
from assistant.settings import Settings
from docgen import DocxSpec, PdfSpec, cjk_font, make_docx, make_pdf, make_zip_bomb

LIMITS = Limits()
needs_font = pytest.mark.skipif(cjk_font() is None, reason="no CJK font on this machine (fonts-wqy-microhei)")
PAGES = [["关于冬季供暖收费的通知", "居民供暖费按每平方米22元收取。"], ["缴费时间为11月1日至15日。"]]
DOCX = DocxSpec("高龄津贴发放办法", [("发放标准", ["按季度发放。"])], [["年龄段", "标准"], ["80至89周岁", "100元"]])


def listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@needs_font
def test_added_pdf_is_a_corpus_document_with_its_original_and_record(corpus_dir: Path) -> None:
    pdf = make_pdf(PdfSpec(pages=PAGES))
    added = add_file(corpus_dir, "供暖通知 heating.pdf", pdf, LIMITS, origin="/tmp/heating.pdf")
    doc_id = added.document.doc_id
    assert doc_id == make_doc_id("供暖通知 heating.pdf", pdf)
    assert doc_id.startswith("heating-")
    documents, errors = load_corpus(corpus_dir)
    assert errors == []
    loaded = {d.doc_id: d for d in documents}[doc_id]
    assert loaded == added.document
    assert loaded.title == "关于冬季供暖收费的通知"
    # Citations into the loaded text land on the page the record says.
    record = read_record(corpus_dir, doc_id)
    assert record is not None and record == added.record
    assert record.pages == 2 and record.format == "pdf" and record.bytes == len(pdf)
    second = loaded.text.find("缴费时间")
    assert record.page_starts[1] <= second and record.page_starts[0] < record.page_starts[1]
    original = original_path(corpus_dir, doc_id)
    assert original is not None and original.read_bytes() == pdf and original.suffix == ".pdf"
    assert original.parent.name == ORIGINALS_DIR


@needs_font
@pytest.mark.parametrize(("first_line", "date_source"), [("发布日期：2025-10-20", "inferred"), ("", None)])
def test_a_date_read_from_an_added_files_text_stays_inferred(
    corpus_dir: Path, first_line: str, date_source: str | None
) -> None:
    # A converted PDF's date is the one its first lines hold: written to its front matter, it is still not
    # declared, so reloading the corpus does not make the file a notice.
    pages = [[first_line, *PAGES[0]] if first_line else PAGES[0], PAGES[1]]
    added = add_file(corpus_dir, "heating.pdf", make_pdf(PdfSpec(pages=pages)), LIMITS)
    loaded = {d.doc_id: d for d in load_corpus(corpus_dir)[0]}[added.document.doc_id]
    assert (loaded.published is not None, loaded.date_source) == (date_source is not None, date_source)
    assert not loaded.declared


def test_originals_are_never_read_as_documents(corpus_dir: Path) -> None:
    before = corpus_checksum(corpus_files(corpus_dir), corpus_dir)
    added = add_file(corpus_dir, "guide.txt", "办事指南\n带身份证到窗口办理。\n".encode(), LIMITS)
    # The original of a text file is a .txt too, but under _originals/: one document, not two.
    assert (corpus_dir / ORIGINALS_DIR / f"{added.document.doc_id}.txt").is_file()
    documents, _ = load_corpus(corpus_dir)
    assert [d.doc_id for d in documents].count(added.document.doc_id) == 1
    assert len(documents) == 4
    assert corpus_checksum(corpus_files(corpus_dir), corpus_dir) != before


@pytest.mark.parametrize(
    ("name", "data"),
    [("bomb.docx", make_zip_bomb(120)), ("empty.pdf", b""), ("setup.pdf", b"MZ" + b"\0" * 64)],
)
def test_a_bad_file_changes_nothing(corpus_dir: Path, name: str, data: bytes) -> None:
    before = listing(corpus_dir)
    with pytest.raises(ConversionError, match=name.replace(".", r"\.")):
        add_file(corpus_dir, name, data, LIMITS)
    assert listing(corpus_dir) == before


def test_an_id_already_in_the_corpus_is_refused(corpus_dir: Path) -> None:
    data = make_docx(DOCX)
    with pytest.raises(CorpusError, match="already has a document 'eldercare'"):
        add_file(corpus_dir, "allowance.docx", data, LIMITS, doc_id="eldercare")
    add_file(corpus_dir, "allowance.docx", data, LIMITS)
    with pytest.raises(CorpusError, match="already has a document"):
        add_file(corpus_dir, "allowance.docx", data, LIMITS)


def test_remove_takes_the_text_the_original_and_the_record(corpus_dir: Path) -> None:
    added = add_file(corpus_dir, "allowance.docx", make_docx(DOCX), LIMITS)
    doc_id = added.document.doc_id
    removed = remove_document(corpus_dir, doc_id)
    assert sorted(p.name for p in removed) == sorted([f"{doc_id}.txt", f"{doc_id}.docx", f"{doc_id}.json"])
    assert doc_id not in {d.doc_id for d in load_corpus(corpus_dir)[0]}
    assert not list((corpus_dir / ORIGINALS_DIR).iterdir())
    # A document written by hand has no original; removing it removes its text.
    assert [p.name for p in remove_document(corpus_dir, "jobs")] == ["jobs.txt"]
    with pytest.raises(DocumentNotFound):
        remove_document(corpus_dir, "jobs")
    with pytest.raises(DocumentNotFound):
        remove_document(corpus_dir, "../etc/passwd")


def test_record_is_json_with_the_conversion_facts(corpus_dir: Path) -> None:
    added = add_file(corpus_dir, "allowance.docx", make_docx(DOCX), LIMITS, origin="https://example.invalid/a.docx")
    raw = json.loads((corpus_dir / ORIGINALS_DIR / f"{added.document.doc_id}.json").read_text(encoding="utf-8"))
    assert raw["format"] == "docx" and raw["origin"] == "https://example.invalid/a.docx"
    assert raw["chars"] == len(added.document.text) and raw["page_starts"] == []
    assert "年龄段：80至89周岁；标准：100元" in added.document.text


@needs_font
def test_document_route_gives_format_pages_and_the_original(settings: Settings, tmp_path: Path) -> None:
    pdf = make_pdf(PdfSpec(pages=PAGES))
    added = add_file(settings.corpus_dir, "heating.pdf", pdf, LIMITS)
    doc_id = added.document.doc_id
    with TestClient(create_app(settings, embedder=FakeEmbedder())) as client:
        body = client.get(f"/api/documents/{doc_id}").json()
        assert body["format"] == "pdf"
        assert body["page_starts"] == added.record.page_starts and len(body["page_starts"]) == 2
        assert body["text"] == added.document.text
        assert body["original_url"] == f"/api/documents/{doc_id}/original"
        original = client.get(body["original_url"])
        assert original.status_code == 200 and original.content == pdf
        assert original.headers["content-type"] == "application/octet-stream"
        assert 'filename="heating.pdf"' in original.headers["content-disposition"]
        # A document written as text has no original.
        hand = client.get("/api/documents/eldercare").json()
        assert (hand["format"], hand["page_starts"], hand["original_url"]) == ("text", [], None)
        assert client.get("/api/documents/eldercare/original").status_code == 404
