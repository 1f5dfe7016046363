"""Plain text and Markdown, read as the corpus reads a ``.txt`` file (front matter included)."""

from __future__ import annotations

from pathlib import Path

from assistant.converters.base import ConversionError, Converted, Limits, clean_text
from assistant.corpus import parse_document
from assistant.errors import CorpusError

# Bytes that never occur in UTF-8 text but open common binaries (a renamed file is refused, not indexed).
BINARY_MARKERS = (b"\x00",)


class TextConverter:
    """UTF-8 plain text or Markdown; the text is kept as written."""

    format: str = "text"
    suffixes: tuple[str, ...] = (".txt", ".md", ".markdown", ".text")
    media_types: tuple[str, ...] = ("text/plain", "text/markdown")

    def sniff(self, data: bytes) -> bool:
        """Text has no NUL bytes in its first kilobytes."""
        return not any(marker in data[:8192] for marker in BINARY_MARKERS)

    def convert(self, name: str, data: bytes, limits: Limits) -> Converted:
        """The file's text; its front matter, if any, gives the metadata."""
        try:
            raw = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ConversionError(f"{name}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
        if len(raw) > limits.max_unpacked_bytes:
            raise ConversionError(f"{name}: text longer than {limits.max_unpacked_bytes} characters")
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
        try:
            # The stem is a stand-in id here: the document id is chosen when the text is added to the corpus.
            doc = parse_document("text", raw, Path(name))
        except CorpusError as exc:
            raise ConversionError(str(exc)) from None
        return Converted(
            text=clean_text(doc.text),
            format=self.format,
            title=doc.title,
            published=doc.published,
            source=doc.source,
            date_source=doc.date_source,
        )
