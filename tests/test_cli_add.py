"""``assistant add`` and ``assistant remove``: convert into the corpus, print what was extracted, reindex."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from assistant.cli import cli
from assistant.converters import ConversionError
from assistant.corpus import load_corpus
from assistant.embedding import FakeEmbedder
from assistant.fetch import fetch
from assistant.index import load_index
from assistant.library import read_record
from assistant.settings import Settings
from docgen import DocxSpec, PdfSpec, cjk_font, make_cms_page, make_docx, make_pdf, script_page

needs_font = pytest.mark.skipif(cjk_font() is None, reason="no CJK font on this machine (fonts-wqy-microhei)")
NOTICE = [
    "为进一步做好冬季供暖保障工作，奎文区住房和城乡建设局决定开展供暖设施安全检查。",
    "居民发现暖气不热，可以拨打供暖服务热线0536-8888123反映，供热企业须在24小时内上门处理。",
]
PAGES = [
    ["关于冬季供暖收费的通知", "发布日期：2025-10-20 来源：奎文区住房和城乡建设局", "居民供暖费按每平方米22元收取。"],
    ["缴费时间为11月1日至15日。"],
]


@pytest.fixture
def runner(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("ASSISTANT_MODEL", FakeEmbedder.name)
    return CliRunner(
        env={"ASSISTANT_CORPUS_DIR": str(settings.corpus_dir), "ASSISTANT_INDEX_DIR": str(settings.index_dir)}
    )


@needs_font
def test_add_prints_what_it_extracted_and_reindexes(runner: CliRunner, settings: Settings, tmp_path: Path) -> None:
    pdf = tmp_path / "heating.pdf"
    pdf.write_bytes(make_pdf(PdfSpec(pages=PAGES)))
    word = tmp_path / "allowance.docx"
    word.write_bytes(make_docx(DocxSpec("高龄津贴发放办法", [("发放标准", ["按季度发放。"])])))
    result = runner.invoke(cli, ["add", str(pdf), str(word)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("added heating-")
    assert "(pdf): title 关于冬季供暖收费的通知; date 2025-10-20; source 奎文区住房和城乡建设局;" in lines[0]
    assert lines[0].endswith("characters; 2 pages")
    assert "(docx): title 高龄津贴发放办法; date -; source -;" in lines[1] and lines[1].endswith("; - pages")
    assert lines[2].startswith("indexed 5 documents")
    index = load_index(settings, FakeEmbedder())
    assert any(d.title == "关于冬季供暖收费的通知" for d in index.documents.values())

    heating = next(d.doc_id for d in index.documents.values() if d.title == "关于冬季供暖收费的通知")
    result = runner.invoke(cli, ["remove", heating])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].startswith("indexed 4 documents")
    assert heating not in load_index(settings, FakeEmbedder()).documents


def test_add_skips_a_bad_file_by_name_and_keeps_the_rest(runner: CliRunner, settings: Settings, tmp_path: Path) -> None:
    good = tmp_path / "guide.md"
    good.write_text("办事指南\n带身份证到窗口办理。\n", encoding="utf-8")
    bad = tmp_path / "notice.pdf"
    bad.write_bytes(b"MZ" + b"\0" * 100)
    result = runner.invoke(cli, ["add", str(bad), str(good), str(tmp_path / "missing.docx")])
    assert result.exit_code == 1
    assert f"skipped {bad}: notice.pdf: not a pdf file, whatever its name says (a Windows executable)" in result.output
    assert f"skipped {tmp_path / 'missing.docx'}: " in result.output and "no such file" in result.output
    assert "added guide-" in result.output
    assert len(load_corpus(settings.corpus_dir)[0]) == 4


def test_add_with_nothing_convertible_does_not_reindex(runner: CliRunner, settings: Settings, tmp_path: Path) -> None:
    bad = tmp_path / "empty.docx"
    bad.write_bytes(b"")
    result = runner.invoke(cli, ["add", "--no-index", str(bad)])
    assert result.exit_code == 1
    assert "empty.docx: the file is empty" in result.output
    assert not settings.index_dir.exists()


def test_add_over_the_size_limit_is_refused_before_reading(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSISTANT_CONVERT_MAX_BYTES", "2048")
    big = tmp_path / "big.txt"
    big.write_text("很长的文件。\n" * 400, encoding="utf-8")
    result = runner.invoke(cli, ["add", str(big)])
    assert result.exit_code == 1
    assert "big.txt: 7.6 kB, more than the limit of 2.0 kB" in result.output


def test_remove_of_an_unknown_document_fails(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["remove", "no-such-doc"])
    assert result.exit_code != 0
    assert "no document 'no-such-doc'" in str(result.exception) + result.output


@pytest.fixture
def cms_site(tmp_path: Path) -> Iterator[str]:
    """A local web server with a CMS-shaped article at /tzgg/notice and a page of only scripts."""
    site = tmp_path / "site"
    (site / "tzgg").mkdir(parents=True)
    page = make_cms_page("关于开展供暖设施安全检查的通知", "2025-10-28", "奎文区住房和城乡建设局", NOTICE)
    (site / "tzgg" / "notice").write_bytes(page.html.encode("utf-8"))
    (site / "app.html").write_text(script_page(), encoding="utf-8")

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(site), **kwargs)

        def guess_type(self, path: Any) -> str:
            # A CMS serves articles without a suffix; the media type says what they are.
            return "text/html; charset=utf-8"

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.integration
def test_add_by_url_takes_the_article_of_a_cms_page(runner: CliRunner, settings: Settings, cms_site: str) -> None:
    result = runner.invoke(cli, ["add", "--no-index", f"{cms_site}/tzgg/notice", f"{cms_site}/app.html"])
    assert result.exit_code == 1
    assert "title 关于开展供暖设施安全检查的通知; date 2025-10-28; source 奎文区住房和城乡建设局;" in result.output
    assert f"skipped {cms_site}/app.html: app.html: no main text found" in result.output
    added = [d for d in load_corpus(settings.corpus_dir)[0] if d.title == "关于开展供暖设施安全检查的通知"]
    assert len(added) == 1 and added[0].doc_id.startswith("notice-")
    assert all(p in added[0].text for p in NOTICE) and "分享到" not in added[0].text
    record = read_record(settings.corpus_dir, added[0].doc_id)
    assert record is not None and record.origin == f"{cms_site}/tzgg/notice" and record.original_file.endswith(".html")
    missing = runner.invoke(cli, ["add", f"{cms_site}/nothing-here.pdf"])
    assert missing.exit_code == 1 and "the server answered 404" in missing.output
    with pytest.raises(ConversionError, match=r"notice: .*more than the limit of 1\.0 kB"):
        fetch(f"{cms_site}/tzgg/notice", max_bytes=1000, timeout=5)
    with pytest.raises(ConversionError, match="only http and https"):
        fetch("file:///etc/passwd", max_bytes=1000, timeout=5)
