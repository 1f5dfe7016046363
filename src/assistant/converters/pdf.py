"""PDF with a text layer: text in reading order, page starts kept, running headers and footers dropped."""

from __future__ import annotations

import io
import math
import re
from collections import Counter

from assistant.converters.base import ConversionError, Converted, Limits, clean_text, one_line
from assistant.corpus import infer_published, infer_source, infer_title

# Lines this near a page's top or bottom are where running headers and footers sit.
EDGE_LINES = 2
# A line at the edge of at least this share of pages (and of two pages at least) is a running header or footer.
RUNNING_SHARE = 0.6
PAGE_NUMBER_RE = re.compile(
    r"^\s*(?:[-–—]\s*)?(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*[/／]\s*(?:共\s*)?\d{1,4}\s*页?)?(?:\s*[-–—])?\s*$"
    r"|^\s*(?:page\s*)?\d{1,4}\s*(?:of\s*\d{1,4})?\s*$",
    re.IGNORECASE,
)
DIGITS_RE = re.compile(r"\d+")
# A line ending so is the end of a sentence or a heading, not a line the page's width broke.
SENTENCE_END = tuple("。！？：；…!?:;）)」』”")
# A line opening so starts an item of its own ("一、", "（二）", "3.", "第五条"), never the rest of a sentence.
ITEM_START_RE = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．]\D|第[一二三四五六七八九十百\d]+[条章节])"
)
# A line with a field of its own ("来源：…", "联系电话：…") is a line of its own, however long.
FIELD_LINE_RE = re.compile(r"(?:发布|来源|日期|时间|电话|地址|联系人|文号|印发)\s*[:：]")
# Titles that PDF makers write when the author gave none.
JUNK_TITLES = frozenset({"untitled", "无标题", "(anonymous)", "anonymous"})
WORD_TITLE_PREFIX = "Microsoft Word - "
# Fewer visible characters than this, across the whole file, means there is no text layer to speak of.
MIN_TEXT_CHARS = 20


def _edge_key(line: str) -> str:
    """A line with its numbers blanked, so 'page 3' and 'page 4' of a running footer compare equal."""
    return DIGITS_RE.sub("#", "".join(line.split()))


def running_lines(pages: list[list[str]]) -> set[str]:
    """Keys of lines that sit at the top or bottom of most pages: running headers and footers."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        counts.update({_edge_key(line) for line in lines[:EDGE_LINES] + lines[-EDGE_LINES:]})
    needed = max(2, math.ceil(RUNNING_SHARE * len(pages)))
    return {key for key, count in counts.items() if count >= needed and key}


def strip_page(lines: list[str], running: set[str]) -> list[str]:
    """A page's lines without its running header, running footer and page number."""
    edge = set(range(min(EDGE_LINES, len(lines)))) | set(range(max(0, len(lines) - EDGE_LINES), len(lines)))
    return [
        line
        for i, line in enumerate(lines)
        if not (i in edge and (_edge_key(line) in running or PAGE_NUMBER_RE.match(line)))
    ]


def _joins_without_space(left: str, right: str) -> bool:
    return not (left[-1:].isascii() and left[-1:].isalnum() and right[:1].isascii() and right[:1].isalnum())


def reflow(lines: list[str]) -> str:
    """Join lines that the page's width broke (a full line not ending a sentence) back into paragraphs."""
    if not lines:
        return ""
    full = max(len(line) for line in lines)
    out: list[str] = []
    last = 0  # length of the line before, as the page set it
    for line in lines:
        broken = bool(out) and last >= 0.8 * full and not out[-1].endswith(SENTENCE_END)
        broken = broken and not FIELD_LINE_RE.search(out[-1])
        if broken and not ITEM_START_RE.match(line):
            out[-1] += ("" if _joins_without_space(out[-1], line) else " ") + line
        else:
            out.append(line)
        last = len(line)
    return "\n".join(out)


def metadata_title(value: str | None) -> str | None:
    """The document-information title, unless it is a placeholder a PDF maker wrote."""
    title = one_line(value)
    if title and title.startswith(WORD_TITLE_PREFIX):
        title = one_line(title.removeprefix(WORD_TITLE_PREFIX).rsplit(".", 1)[0])
    return None if title is None or title.lower() in JUNK_TITLES else title


class PdfConverter:
    """PDF files with a text layer; a scan without one is refused by name."""

    format: str = "pdf"
    suffixes: tuple[str, ...] = (".pdf",)
    media_types: tuple[str, ...] = ("application/pdf",)

    def sniff(self, data: bytes) -> bool:
        """A PDF starts with ``%PDF-`` (readers allow it within the first kilobyte)."""
        return b"%PDF-" in data[:1024]

    def convert(self, name: str, data: bytes, limits: Limits) -> Converted:
        """The text of every page, headers and footers dropped, with where each page starts."""
        # Imported here: pypdf is only needed when staff add a PDF, not to start the server.
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError

        try:
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise ConversionError(f"{name}: the PDF is password-protected")
            count = len(reader.pages)
            if count > limits.max_pages:
                raise ConversionError(f"{name}: {count} pages, more than the limit of {limits.max_pages}")
            pages: list[list[str]] = []
            total = 0
            for page in reader.pages:
                text = page.extract_text() or ""
                total += len(text)
                if total > limits.max_unpacked_bytes:
                    raise ConversionError(
                        f"{name}: its text runs past the limit of {limits.max_unpacked_bytes} characters"
                    )
                pages.append([" ".join(line.split()) for line in text.splitlines() if line.strip()])
            info = reader.metadata
            meta_title = metadata_title(info.title if info is not None else None)
        except ConversionError:
            raise
        except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
            raise ConversionError(f"{name}: not a readable PDF ({type(exc).__name__}: {exc})") from None
        if count == 0:
            raise ConversionError(f"{name}: the PDF has no pages")
        visible = sum(len(line.replace(" ", "")) for lines in pages for line in lines)
        if visible < MIN_TEXT_CHARS:
            raise ConversionError(
                f"{name}: a scanned PDF ({count} pages with no text layer); it needs OCR before it can be indexed"
            )
        running = running_lines(pages)
        starts: list[int] = []
        parts: list[str] = []
        offset = 0
        for lines in pages:
            starts.append(offset)
            page_text = clean_text(reflow(strip_page(lines, running)))
            parts.append(page_text)
            offset += len(page_text) + 1  # the newline that joins pages
        text = "\n".join(parts)
        title = meta_title or infer_title(text)
        published = infer_published(text)
        return Converted(
            text=text,
            format=self.format,
            title=title,
            published=published,
            source=infer_source(text),
            date_source="inferred" if published else None,
            page_starts=starts,
        )
