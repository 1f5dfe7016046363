"""Converters on real files the tests make: PDF, Word, a CMS-like web page, text; and bad files refused by name."""

from __future__ import annotations

import pytest

from assistant.converters import ConversionError, Limits, convert, converter_for
from assistant.converters.pdf import reflow, running_lines
from docgen import (
    DocxSpec,
    PdfSpec,
    cjk_font,
    make_cms_page,
    make_docx,
    make_pdf,
    make_scanned_pdf,
    make_zip_bomb,
    script_page,
)

LIMITS = Limits()
needs_font = pytest.mark.skipif(cjk_font() is None, reason="no CJK font on this machine (fonts-wqy-microhei)")

HEATING_PAGES = [
    [
        "关于2025年冬季供暖收费的通知",
        "发布日期：2025-10-20 来源：奎文区住房和城乡建设局",
        "一、居民供暖费按建筑面积每平方米22元收取。",
        "二、低保家庭可以申请供暖费减免。",
    ],
    [
        "三、缴费时间为11月1日至11月15日。",
        "四、逾期未缴的，供热单位不得停止供暖。",
        "咨询电话：0536-8888123。",
    ],
    ["五、本通知自发布之日起施行。"],
]


@needs_font
def test_pdf_keeps_page_starts_and_drops_running_header_and_footer() -> None:
    pdf = make_pdf(PdfSpec(pages=HEATING_PAGES, title="关于2025年冬季供暖收费的通知"))
    out = convert("heating.pdf", pdf, LIMITS)
    assert out.format == "pdf"
    assert out.title == "关于2025年冬季供暖收费的通知"
    assert out.published == "2025-10-20"
    assert out.date_source == "inferred"  # read from the text's first lines, not the file's metadata
    assert out.source == "奎文区住房和城乡建设局"
    assert "奎文区人民政府办公室文件" not in out.text
    assert "—" not in out.text
    assert out.pages == 3
    for number, lines in enumerate(HEATING_PAGES, start=1):
        for line in lines:
            at = out.text.find(line)
            assert at >= 0, line
            assert out.page_at(at) == number
    # Reading order: the pages' lines come in the order they were printed.
    positions = [out.text.find(line) for lines in HEATING_PAGES for line in lines]
    assert positions == sorted(positions)


def test_running_lines_need_most_pages_and_ignore_page_numbers() -> None:
    pages = [["区政府文件", f"第{i}页开头", "中间的正文", f"第{i}页结尾。", f"- {i} -"] for i in range(1, 6)]
    pages[2] = ["另一页的开头", "中间", "正文", "- 3 -"]
    # "第#页开头" sits at the edge of 4 of 5 pages too: a line that differs only in its numbers is running.
    assert running_lines(pages) == {"区政府文件", "-#-", "第#页开头", "第#页结尾。"}
    assert running_lines([["只有一页", "正文"]]) == set()


def test_reflow_joins_lines_the_page_width_broke_but_not_sentences() -> None:
    lines = ["居民供暖费按建筑面积每平方米二十二元收取低保家庭", "可以申请减免。", "二、缴费时间为十一月。"]
    assert reflow(lines) == "居民供暖费按建筑面积每平方米二十二元收取低保家庭可以申请减免。\n二、缴费时间为十一月。"
    assert reflow(["The heating fee is charged by floor area and families", "on benefits pay less."]) == (
        "The heating fee is charged by floor area and families on benefits pay less."
    )


def test_scanned_pdf_is_reported_as_such() -> None:
    with pytest.raises(ConversionError, match=r"scan\.pdf: a scanned PDF \(2 pages with no text layer\)"):
        convert("scan.pdf", make_scanned_pdf(2), LIMITS)


@needs_font
def test_pdf_over_the_page_limit_is_refused() -> None:
    pdf = make_pdf(PdfSpec(pages=[["第一页正文。"], ["第二页正文。"], ["第三页正文。"]]))
    with pytest.raises(ConversionError, match="3 pages, more than the limit of 2"):
        convert("long.pdf", pdf, Limits(max_pages=2))


def test_renamed_executable_is_refused_with_what_it_is() -> None:
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200 + b"This program cannot be run in DOS mode."
    with pytest.raises(ConversionError, match=r"notice\.pdf: not a pdf file, whatever its name says \(a Windows exe"):
        convert("notice.pdf", exe, LIMITS)


def test_truncated_pdf_is_refused_as_unreadable() -> None:
    with pytest.raises(ConversionError, match=r"broken\.pdf: (not a readable PDF|the PDF has no pages)"):
        convert("broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n", LIMITS)


WELFARE = DocxSpec(
    title="奎文区2025年高龄津贴发放办法",
    sections=[
        ("一、发放对象", ["户籍在奎文区、年满80周岁的老年人。"]),
        ("二、发放标准", ["按年龄段分档发放，每季度发放一次。"]),
    ],
    table=[["年龄段", "每月标准", "发放方式"], ["80至89周岁", "100元", "社保卡"], ["90至99周岁", "200元", "社保卡"]],
)


def test_docx_keeps_headings_paragraphs_and_table_rows_as_lines() -> None:
    out = convert("allowance.docx", make_docx(WELFARE), LIMITS)
    assert out.format == "docx"
    assert out.title == "奎文区2025年高龄津贴发放办法"
    lines = out.text.splitlines()
    assert lines[:5] == [
        "奎文区2025年高龄津贴发放办法",
        "一、发放对象",
        "户籍在奎文区、年满80周岁的老年人。",
        "二、发放标准",
        "按年龄段分档发放，每季度发放一次。",
    ]
    assert "年龄段：80至89周岁；每月标准：100元；发放方式：社保卡" in lines
    assert "年龄段：90至99周岁；每月标准：200元；发放方式：社保卡" in lines
    assert out.pages == 0


def test_docx_zip_bomb_is_refused_before_it_is_unpacked() -> None:
    with pytest.raises(ConversionError, match=r"bomb\.docx: unpacks to 125\.8 MB, more than the limit of 104\.9 MB"):
        convert("bomb.docx", make_zip_bomb(120), LIMITS)


def test_zip_that_is_not_a_word_file_is_refused() -> None:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(ConversionError, match=r"not a Word document \(no word/document.xml\)"):
        convert("fake.docx", buffer.getvalue(), LIMITS)


NOTICE = [
    "为进一步做好冬季供暖保障工作，奎文区住房和城乡建设局决定开展供暖设施安全检查。",
    "检查时间为2025年11月1日至11月30日，检查范围覆盖全区各供热企业和老旧小区。",
    "居民发现暖气不热，可以拨打供暖服务热线0536-8888123反映，供热企业须在24小时内上门处理。",
    "对检查中发现的问题，责令限期整改，整改不到位的依法依规处理。",
]


def test_html_keeps_the_article_and_its_metadata_without_the_template() -> None:
    page = make_cms_page("关于开展供暖设施安全检查的通知", "2025-10-28", "奎文区住房和城乡建设局", NOTICE)
    out = convert("notice.html", page.html.encode("utf-8"), LIMITS)
    assert out.format == "html"
    assert out.title == page.title
    assert out.published == "2025-10-28"
    assert out.date_source == "declared"  # the page's meta tags
    assert out.source == "奎文区住房和城乡建设局"
    for paragraph in page.main:
        assert paragraph in out.text
    leaked = [b for b in page.boilerplate if b in out.text]
    assert leaked == []


def test_html_date_and_source_from_the_info_line_when_meta_tags_are_missing() -> None:
    page = make_cms_page("关于开展供暖设施安全检查的通知", "2025-10-28", "奎文区住房和城乡建设局", NOTICE)
    html = "\n".join(line for line in page.html.splitlines() if "PubDate" not in line and "ContentSource" not in line)
    out = convert("notice.html", html.encode("utf-8"), LIMITS)
    assert (out.published, out.source, out.date_source) == ("2025-10-28", "奎文区住房和城乡建设局", "declared")


def test_html_of_only_scripts_is_refused() -> None:
    with pytest.raises(ConversionError, match=r"app\.html: no main text found"):
        convert("app.html", script_page().encode("utf-8"), LIMITS)


def test_text_keeps_front_matter_metadata() -> None:
    raw = "---\ntitle: 办事指南\npublished: 2024-01-02\nsource: 区政务服务中心\n---\n第一行。\n第二行。\n"
    out = convert("guide.md", raw.encode("utf-8"), LIMITS)
    assert (out.title, out.published, out.source, out.text) == (
        "办事指南",
        "2024-01-02",
        "区政务服务中心",
        "第一行。\n第二行。",
    )


@pytest.mark.parametrize(
    ("name", "data", "limits", "message"),
    [
        ("empty.pdf", b"", LIMITS, r"empty\.pdf: the file is empty"),
        ("blank.txt", b"  \n\n", LIMITS, r"blank\.txt: the file is empty"),
        ("big.txt", "字".encode() * 2000, Limits(max_bytes=4096), r"big\.txt: 6\.0 kB, more than the limit of 4\.1 kB"),
        ("sheet.xlsx", b"PK\x03\x04rest", LIMITS, r"sheet\.xlsx: unsupported format \.xlsx; supported: \.pdf"),
        ("old.docx", b"\xd0\xcf\x11\xe0" + b"\0" * 100, LIMITS, r"old\.docx: not a docx file.*old Office file"),
        ("latin1.txt", "café".encode("latin-1"), LIMITS, r"latin1\.txt: not UTF-8 text"),
    ],
)
def test_bad_files_get_a_clear_error_naming_them(name: str, data: bytes, limits: Limits, message: str) -> None:
    with pytest.raises(ConversionError, match=message):
        convert(name, data, limits)


def test_converter_by_media_type_when_the_name_has_no_suffix() -> None:
    assert converter_for("article", "text/html; charset=utf-8").format == "html"
    assert converter_for("download", "application/pdf").format == "pdf"
