"""Word (.docx): paragraphs, headings and tables, a table row as one line "列名：值；列名：值"."""

from __future__ import annotations

import io
import zipfile
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.table import Table

from assistant.converters.base import ConversionError, Converted, Limits, clean_text, human_size, one_line
from assistant.corpus import infer_published, infer_source, infer_title

MAIN_PART = "word/document.xml"
TITLE_STYLES = frozenset({"title", "heading 1", "标题", "标题 1"})


def check_archive(name: str, data: bytes, limits: Limits) -> None:
    """Refuse a zip that is no Word file or that unpacks past the limit (a zip bomb) before anything reads it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ConversionError(f"{name}: not a readable .docx ({exc})") from None
    # Declared sizes bound what zipfile will inflate, so their sum bounds the whole unpacking.
    unpacked = sum(m.file_size for m in members)
    if unpacked > limits.max_unpacked_bytes:
        raise ConversionError(
            f"{name}: unpacks to {human_size(unpacked)}, more than the limit of "
            f"{human_size(limits.max_unpacked_bytes)} (a zip bomb?)"
        )
    if MAIN_PART not in {m.filename for m in members}:
        raise ConversionError(f"{name}: a zip archive but not a Word document (no {MAIN_PART})")


def table_lines(table: Table) -> list[str]:
    """Each body row as "列名：值；列名：值" under the first row's headings; a table of one row as plain cells."""
    rows: list[list[str]] = []
    for row in table.rows:
        cells: list[str] = []
        seen: list[object] = []
        for cell in row.cells:
            # A merged cell is listed once per grid column it spans; it is one value.
            if any(cell._tc is other for other in seen):
                continue
            seen.append(cell._tc)
            cells.append(" ".join(cell.text.split()))
        if any(cells):
            rows.append(cells)
    if len(rows) < 2:
        return ["；".join(c for c in row if c) for row in rows]
    header, body = rows[0], rows[1:]
    lines = []
    for row in body:
        pairs = [
            f"{header[i]}：{value}" if i < len(header) and header[i] else value for i, value in enumerate(row) if value
        ]
        lines.append("；".join(pairs))
    return lines


class DocxConverter:
    """Word 2007+ documents; the older binary .doc is not read."""

    format: str = "docx"
    suffixes: tuple[str, ...] = (".docx",)
    media_types: tuple[str, ...] = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",)

    def sniff(self, data: bytes) -> bool:
        """A .docx is a zip archive."""
        return data[:4] == b"PK\x03\x04"

    def convert(self, name: str, data: bytes, limits: Limits) -> Converted:
        """Paragraphs and headings in order, each table row on its own line."""
        # Imported here: python-docx is only needed when staff add a Word file, not to start the server.
        import docx
        from docx.text.paragraph import Paragraph

        check_archive(name, data, limits)
        try:
            document: WordDocument = docx.Document(io.BytesIO(data))
            # Style ids read off each paragraph: python-docx's Paragraph.style looks the default style up
            # anew for every paragraph, which made a 1,400-paragraph file take 5 s.
            title_ids = {s.style_id for s in document.styles if (s.name or "").lower() in TITLE_STYLES}
            lines: list[str] = []
            styled_title: str | None = None
            for block in document.iter_inner_content():
                if isinstance(block, Paragraph):
                    text = " ".join(block.text.split())
                    if text and styled_title is None and block._p.style in title_ids:
                        styled_title = text
                    lines.append(text)
                else:
                    lines.extend(table_lines(block))
            core_title = one_line(document.core_properties.title)
        except ConversionError:
            raise
        except (KeyError, ValueError, TypeError, AttributeError, zipfile.BadZipFile) as exc:
            raise ConversionError(f"{name}: not a readable .docx ({type(exc).__name__}: {exc})") from None
        text = clean_text("\n".join(lines))
        if len(text) > limits.max_unpacked_bytes:
            raise ConversionError(f"{name}: its text runs past the limit of {limits.max_unpacked_bytes} characters")
        published = infer_published(text)
        return Converted(
            text=text,
            format=self.format,
            title=core_title or styled_title or infer_title(text),
            published=published,
            source=infer_source(text),
            date_source="inferred" if published else None,
        )
