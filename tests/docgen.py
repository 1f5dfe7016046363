"""Test files made by code: PDFs (reportlab, a CJK font of the machine), .docx (python-docx), CMS-like HTML."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

CJK_FONTS = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
)
FONT_NAME = "TestCJK"


def cjk_font() -> Path | None:
    """A font on this machine that has Chinese characters, or None."""
    return next((p for p in CJK_FONTS if p.is_file()), None)


@dataclass(frozen=True)
class PdfSpec:
    """Pages of body lines, and the running header and footer printed on every page (``{page}`` numbered)."""

    pages: list[list[str]]
    header: str | None = "奎文区人民政府办公室文件"
    footer: str | None = "— {page} —"
    title: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


def make_pdf(spec: PdfSpec) -> bytes:
    """A PDF with a text layer in a CJK font, one line of text per body line."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    font = cjk_font()
    if font is None:
        raise RuntimeError("no CJK font on this machine (apt-get install fonts-wqy-microhei)")
    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(font), subfontIndex=0))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    if spec.title:
        pdf.setTitle(spec.title)
    width, height = A4
    for number, lines in enumerate(spec.pages, start=1):
        pdf.setFont(FONT_NAME, 9)
        if spec.header:
            pdf.drawCentredString(width / 2, height - 40, spec.header)
        if spec.footer:
            pdf.drawCentredString(width / 2, 30, spec.footer.format(page=number))
        pdf.setFont(FONT_NAME, 12)
        y = height - 90
        for line in lines:
            pdf.drawString(60, y, line)
            y -= 20
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def make_scanned_pdf(pages: int = 2) -> bytes:
    """A PDF whose pages are pictures only (what a scanner makes): no text layer."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for _ in range(pages):
        for row in range(40):
            pdf.rect(60, 780 - row * 18, 400 - (row % 7) * 30, 8, fill=1, stroke=0)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


@dataclass(frozen=True)
class DocxSpec:
    """A Word file: a title, headings with paragraphs, and a table (first row the column names)."""

    title: str
    sections: list[tuple[str, list[str]]]
    table: list[list[str]] = field(default_factory=list)


def make_docx(spec: DocxSpec) -> bytes:
    """A .docx with a Title paragraph, Heading 1 sections and one table at the end."""
    import docx

    document = docx.Document()
    document.add_paragraph(spec.title, style="Title")
    for heading, paragraphs in spec.sections:
        document.add_heading(heading, level=1)
        for paragraph in paragraphs:
            document.add_paragraph(paragraph)
    if spec.table:
        table = document.add_table(rows=len(spec.table), cols=len(spec.table[0]))
        for r, row in enumerate(spec.table):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_zip_bomb(unpacked_mb: int = 120) -> bytes:
    """A .docx-shaped zip whose one part inflates to ``unpacked_mb`` MB of zeros (about 0.1% of that packed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            block = b"\0" * (1 << 20)
            for _ in range(unpacked_mb):
                part.write(block)
    return buffer.getvalue()


@dataclass(frozen=True)
class CmsPage:
    """A government CMS article page and what of it is the article (main) and what is the template (boilerplate)."""

    html: str
    title: str
    published: str
    source: str
    main: list[str]
    boilerplate: list[str]


GOV_TEMPLATE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>{title}_奎文区人民政府</title>
<meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="{published} 09:30">
<meta name="ContentSource" content="{source}">
<script>var _hmt = _hmt || []; window.trackPage('奎文统计脚本');</script>
<style>.nav{{color:red}}</style>
</head><body>
<div class="top"><a href="/">无障碍浏览</a> <a href="/old">长者模式</a> <a href="/en">English</a></div>
<div class="nav"><ul>
<li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li><li><a href="/zwfw">政务服务</a></li>
<li><a href="/hdjl">互动交流</a></li><li><a href="/zjkw">走进奎文</a></li></ul></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a>
&gt; <a href="/tzgg">通知公告</a></div>
<div class="article">
<h1>{title}</h1>
<div class="info">发布时间：{published} 09:30　来源：{source}　浏览次数：<span id="hits">1024</span>
<a href="javascript:print()">【打印本页】</a> <a href="javascript:close()">【关闭窗口】</a></div>
<div class="content" id="zoom">
{paragraphs}
</div>
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a></div>
</div>
<div class="related"><h3>相关链接</h3><ul>
<li><a href="/a1">奎文区2023年民生实事项目完成情况通报</a></li>
<li><a href="/a2">关于开展冬季供暖安全检查的通知</a></li></ul></div>
<div class="footer"><p>主办单位：奎文区人民政府办公室　地址：潍坊市奎文区胜利东街</p>
<p>网站标识码：3707050001　鲁ICP备05012345号　鲁公网安备37070502000123号</p></div>
<script>document.getElementById('hits').innerText = loadHits('统计代码不应出现');</script>
</body></html>
"""

GOV_BOILERPLATE = [
    "无障碍浏览",
    "长者模式",
    "政务服务",
    "互动交流",
    "当前位置",
    "浏览次数",
    "打印本页",
    "关闭窗口",
    "分享到",
    "相关链接",
    "民生实事项目完成情况通报",
    "冬季供暖安全检查",
    "主办单位",
    "网站标识码",
    "鲁ICP备",
    "奎文统计脚本",
    "统计代码不应出现",
]


def make_cms_page(title: str, published: str, source: str, paragraphs: list[str]) -> CmsPage:
    """An article as a district government site prints it: navigation, breadcrumbs, info line, share, footer."""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    html = GOV_TEMPLATE.format(title=title, published=published, source=source, paragraphs=body)
    return CmsPage(html, title, published, source, paragraphs, GOV_BOILERPLATE)


def script_page() -> str:
    """A page that is all scripts and navigation, with no article text."""
    scripts = "\n".join(f"<script>var x{i} = '脚本里的文字{i}'; console.log(x{i});</script>" for i in range(50))
    return (
        "<!DOCTYPE html><html><head><title>加载中</title>"
        + scripts
        + '</head><body><div id="app"></div><noscript>请启用JavaScript</noscript>'
        + scripts
        + "</body></html>"
    )
