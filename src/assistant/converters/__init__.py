"""Files as the district publishes them (web pages, PDF, Word, text) turned into the corpus's text."""

from __future__ import annotations

from pathlib import PurePath

from assistant.converters.base import ConversionError, Converted, Converter, Limits, human_size
from assistant.converters.docx import DocxConverter
from assistant.converters.html import HtmlConverter
from assistant.converters.pdf import PdfConverter
from assistant.converters.text import TextConverter

__all__ = ["CONVERTERS", "ConversionError", "Converted", "Converter", "Limits", "convert", "converter_for"]

CONVERTERS: tuple[Converter, ...] = (PdfConverter(), DocxConverter(), HtmlConverter(), TextConverter())

# What a file really is, by its first bytes, for the error when its name says otherwise.
MAGIC = (
    (b"MZ", "a Windows executable"),
    (b"\x7fELF", "a Linux executable"),
    (b"PK\x03\x04", "a zip archive"),
    (b"%PDF-", "a PDF"),
    (b"\xd0\xcf\x11\xe0", "an old Office file (.doc/.xls), which is not read: save it as .docx"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
)


def supported_suffixes() -> list[str]:
    """Every file name ending a converter reads."""
    return [suffix for converter in CONVERTERS for suffix in converter.suffixes]


def converter_for(name: str, media_type: str | None = None) -> Converter:
    """The converter for a file, by its name's suffix, else by its media type (a URL without a suffix)."""
    suffix = PurePath(name).suffix.lower()
    for converter in CONVERTERS:
        if suffix in converter.suffixes:
            return converter
    kind = (media_type or "").split(";")[0].strip().lower()
    for converter in CONVERTERS:
        if kind in converter.media_types:
            return converter
    raise ConversionError(
        f"{name}: unsupported format {suffix or kind or '(no suffix)'}; supported: {', '.join(supported_suffixes())}"
    )


def describe(data: bytes) -> str:
    """What the first bytes of ``data`` say it is."""
    for magic, what in MAGIC:
        if data.startswith(magic):
            return what
    return f"it starts with {data[:8]!r}"


def convert(name: str, data: bytes, limits: Limits, media_type: str | None = None) -> Converted:
    """Convert one file; anything wrong raises ``ConversionError`` naming the file and the reason."""
    if len(data) > limits.max_bytes:
        raise ConversionError(f"{name}: {human_size(len(data))}, more than the limit of {human_size(limits.max_bytes)}")
    if not data.strip():
        raise ConversionError(f"{name}: the file is empty")
    converter = converter_for(name, media_type)
    if not converter.sniff(data):
        raise ConversionError(f"{name}: not a {converter.format} file, whatever its name says ({describe(data)})")
    converted = converter.convert(name, data, limits)
    if not converted.text.strip():
        raise ConversionError(f"{name}: no text in it")
    return converted
