"""What every converter shares: the protocol, its result, its limits and its error."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from assistant.corpus import DateSource
from assistant.errors import CorpusError


class ConversionError(CorpusError):
    """A file that cannot be converted: the message names the file and says why."""


@dataclass(frozen=True)
class Limits:
    """How large a file may be, once read and once unpacked, and how many pages it may have."""

    max_bytes: int = 20 * 1024 * 1024
    max_pages: int = 500
    max_unpacked_bytes: int = 100 * 1024 * 1024


@dataclass(frozen=True)
class Converted:
    """A file as plain text, which citations point into, with the metadata found in it."""

    text: str
    format: str
    title: str | None = None
    published: str | None = None
    source: str | None = None
    # Whether ``published`` is the file's own metadata (a web page's meta tags or info line) or a date read from
    # its text (a PDF's or Word file's first lines).
    date_source: DateSource | None = None
    # Offset into ``text`` where each page starts (PDF); empty for formats without pages.
    page_starts: list[int] = field(default_factory=list)

    @property
    def pages(self) -> int:
        """Number of pages, 0 for formats without pages."""
        return len(self.page_starts)

    def page_at(self, offset: int) -> int | None:
        """The 1-based page that holds character ``offset``, or None without pages."""
        page = None
        for number, start in enumerate(self.page_starts, start=1):
            if start > offset:
                break
            page = number
        return page


class Converter(Protocol):
    """Turns one kind of file into text; adding a format is adding one module with one of these."""

    format: str
    suffixes: tuple[str, ...]
    media_types: tuple[str, ...]

    def sniff(self, data: bytes) -> bool:
        """Whether ``data`` looks like this format from its first bytes (a renamed file does not)."""
        ...

    def convert(self, name: str, data: bytes, limits: Limits) -> Converted:
        """The text and metadata of ``data``; raises ``ConversionError`` saying why it cannot."""
        ...


def clean_text(text: str) -> str:
    """Newlines as ``\\n``, no trailing spaces, at most one blank line in a row, no blank start or end."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    out: list[str] = []
    for line in lines:
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    return "\n".join(out).strip("\n").lstrip("\ufeff")


def human_size(n: int) -> str:
    """A byte count as people read it: ``6.0 kB``, ``20.0 MB``."""
    return f"{n / 1e6:.1f} MB" if n >= 1_000_000 else f"{n / 1e3:.1f} kB"


def one_line(value: str | None) -> str | None:
    """A metadata value on one line (front matter holds one line a key), or None when blank."""
    if value is None:
        return None
    folded = " ".join(value.split())
    return folded or None
