"""Web pages, saved or fetched: the article's main text (trafilatura), title, date and issuing body."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from assistant.converters.base import ConversionError, Converted, Limits, clean_text, one_line
from assistant.corpus import DATE_RE, SOURCE_RE, DateSource

HTML_START_RE = re.compile(rb"<(?:!doctype\s+html|html|head|body|meta|title|div|p|article)\b", re.IGNORECASE)
# Meta tags that Chinese government CMSs write for every article, then the usual Open Graph and HTML ones.
TITLE_METAS = ("articletitle", "og:title", "title")
DATE_METAS = ("pubdate", "publishdate", "article:published_time", "dc.date", "date")
SOURCE_METAS = ("contentsource", "source", "author", "og:site_name", "sitename")
# The line under a government article's headline: "发布时间：2024-03-15 09:30 来源：奎文区民政局".
INFO_LINE_RE = re.compile(r"(?:发布(?:时间|日期)|来源|信息来源)\s*[:：]")
# A page whose main text is shorter than this is an app shell or an error page ("请启用JavaScript"), not a document.
MIN_MAIN_CHARS = 20
INFO_SOURCE_RE = re.compile(r"(?:信息)?来源\s*[:：]\s*([^\s·|：:]+)")


def _metas(tree: Any) -> dict[str, str]:
    """The page's meta tags by lower-cased name or property (the first of each)."""
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("name") or meta.get("property") or "").strip().lower()
        value = (meta.get("content") or "").strip()
        if key and value and key not in found:
            found[key] = value
    return found


def _date(value: str | None) -> str | None:
    if not value:
        return None
    match = DATE_RE.search(value)
    if not match:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups())).isoformat()
    except ValueError:
        return None


def _info_line(tree: Any) -> tuple[str | None, str | None]:
    """Date and issuing body from the page's "发布时间…来源…" line, wherever the template put it."""
    body = tree.find("body")
    text = body.text_content() if body is not None else ""
    published = source = None
    for line in text.splitlines():
        if not INFO_LINE_RE.search(line):
            continue
        published = published or _date(line)
        match = INFO_SOURCE_RE.search(line) or SOURCE_RE.search(line)
        source = source or (match.group(1) if match else None)
        if published and source:
            break
    return published, source


def _field(result: Any, name: str) -> str | None:
    """A field of trafilatura's result, which is an object or (in older modes) a dict, or None."""
    value = result.get(name) if isinstance(result, dict) else getattr(result, name, None)
    return value if isinstance(value, str) else None


class HtmlConverter:
    """HTML pages; navigation, breadcrumbs, share buttons, footers and scripts are left out by trafilatura."""

    format: str = "html"
    suffixes: tuple[str, ...] = (".html", ".htm", ".shtml", ".xhtml")
    media_types: tuple[str, ...] = ("text/html", "application/xhtml+xml")

    def sniff(self, data: bytes) -> bool:
        """An HTML page opens with a tag within its first kilobytes."""
        return b"\x00" not in data[:8192] and HTML_START_RE.search(data[:8192]) is not None

    def convert(self, name: str, data: bytes, limits: Limits) -> Converted:
        """The main text of the page and its metadata (meta tags first, then the visible info line)."""
        # Imported here: trafilatura is only needed when staff add a web page, not to start the server.
        import trafilatura

        tree = trafilatura.utils.load_html(data)
        if tree is None:
            raise ConversionError(f"{name}: not a readable HTML page")
        metas = _metas(tree)
        line_date, line_source = _info_line(tree)
        # Extraction prunes the tree it is given, so it gets the bytes and builds its own.
        result = trafilatura.bare_extraction(
            data,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_links=False,
            include_images=False,
            deduplicate=False,
            # The default falls back to the whole page for a short article (navigation, share and footer too);
            # favouring precision kept every paragraph of the test pages and no boilerplate (README, "Documents").
            favor_precision=True,
        )
        text = clean_text(_field(result, "text") or "")
        if len("".join(text.split())) < MIN_MAIN_CHARS:
            shown = f" ({text[:40]!r})" if text else ""
            raise ConversionError(f"{name}: no main text found in the page{shown}: only navigation, scripts or markup")
        title = next((one_line(metas[k]) for k in TITLE_METAS if metas.get(k)), None)
        if not title and tree.find(".//h1") is not None:
            title = one_line(tree.find(".//h1").text_content())
        title = title or one_line(_field(result, "title"))
        published = next((d for k in DATE_METAS if (d := _date(metas.get(k)))), None)
        published = published or line_date or _date(_field(result, "date"))
        source = next((one_line(metas[k]) for k in SOURCE_METAS[:2] if metas.get(k)), None)
        source = source or line_source or next((one_line(metas[k]) for k in SOURCE_METAS[2:] if metas.get(k)), None)
        # The page's meta tags and info line are its publisher's metadata, not a date its text happens to open with.
        date_source: DateSource | None = "declared" if published else None
        return Converted(
            text=text, format=self.format, title=title, published=published, source=source, date_source=date_source
        )
