"""The corpus as staff change it: add a converted file (its original kept beside it), remove a document.

An added document is three files: ``<doc_id>.txt`` (front matter and the converted text, which the corpus
loader reads and citations point into), and under ``_originals/`` the file as it came and a JSON record of
its conversion (format, size, pages and where each page starts). The ``.txt`` is written last and removed
first, so the corpus never holds a document without its original.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePath

from assistant.converters import Converted, Limits, convert, converter_for
from assistant.corpus import DOC_ID_RE, DOCUMENT_SUFFIX, ORIGINALS_DIR, Document, load_document
from assistant.errors import CorpusError, DocumentNotFound
from assistant.index import write_atomic
from assistant.settings import Settings

RECORD_SUFFIX = ".json"
SLUG_RE = re.compile(r"[^A-Za-z0-9._-]+")
# Characters of the file name kept in a generated id (the rest is a digest of the content).
SLUG_CHARS = 40


@dataclass(frozen=True)
class Record:
    """How a document came into the corpus: from what, as what, how big, and where its pages start."""

    doc_id: str
    format: str
    original_name: str
    original_file: str
    origin: str | None
    bytes: int
    chars: int
    page_starts: list[int] = field(default_factory=list)
    added_at: str = ""
    convert_seconds: float = 0.0

    @property
    def pages(self) -> int:
        """Number of pages (0 for formats without pages)."""
        return len(self.page_starts)


@dataclass(frozen=True)
class Added:
    """A document added to the corpus, as the loader reads it back, with its record."""

    document: Document
    record: Record


def limits_from(settings: Settings) -> Limits:
    """The conversion limits the settings give."""
    return Limits(
        max_bytes=settings.convert_max_bytes,
        max_pages=settings.convert_max_pages,
        max_unpacked_bytes=settings.convert_max_unpacked_bytes,
    )


def make_doc_id(name: str, data: bytes) -> str:
    """An id from the file name's Latin letters and digits and a digest of the content, e.g. ``notice-3fa2b1c0``."""
    stem = SLUG_RE.sub("-", PurePath(name).stem).strip("-._")[:SLUG_CHARS].strip("-._")
    digest = hashlib.sha256(data).hexdigest()[:8]
    return f"{stem}-{digest}" if stem else f"doc-{digest}"


def originals_dir(corpus_dir: Path) -> Path:
    """The folder of originals and conversion records."""
    return corpus_dir / ORIGINALS_DIR


def _front_matter(converted: Converted, title: str) -> str:
    # A date read from the file's text stays marked so: it says when the text opens, not that it was published then.
    inferred = "inferred" if converted.published and converted.date_source == "inferred" else None
    meta = {"title": title, "published": converted.published, "source": converted.source, "date_source": inferred}
    return "---\n" + "".join(f"{k}: {v}\n" for k, v in meta.items() if v) + "---\n"


def read_record(corpus_dir: Path, doc_id: str) -> Record | None:
    """The conversion record of ``doc_id``, or None for a document written by hand."""
    path = originals_dir(corpus_dir) / f"{doc_id}{RECORD_SUFFIX}"
    if not DOC_ID_RE.match(doc_id) or not path.is_file():
        return None
    try:
        return Record(**json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def original_path(corpus_dir: Path, doc_id: str) -> Path | None:
    """The original file of ``doc_id``, or None when it has none."""
    record = read_record(corpus_dir, doc_id)
    if record is None:
        return None
    path = originals_dir(corpus_dir) / record.original_file
    return path if path.is_file() else None


def add_file(
    corpus_dir: Path,
    name: str,
    data: bytes,
    limits: Limits,
    *,
    doc_id: str | None = None,
    origin: str | None = None,
    media_type: str | None = None,
) -> Added:
    """Convert one file into the corpus; raises ``ConversionError`` or ``CorpusError`` and then writes nothing."""
    started = time.perf_counter()
    converted = convert(name, data, limits, media_type)
    seconds = time.perf_counter() - started
    doc_id = doc_id or make_doc_id(name, data)
    if not DOC_ID_RE.match(doc_id):
        raise CorpusError(f"{doc_id!r}: a document id is letters, digits, '.', '_' or '-' (at most 128)")
    text_path = corpus_dir / f"{doc_id}{DOCUMENT_SUFFIX}"
    if text_path.exists():
        raise CorpusError(f"{name}: the corpus already has a document {doc_id!r} (remove it first)")
    title = converted.title or PurePath(name).stem
    suffix = PurePath(name).suffix.lower()
    if suffix not in converter_for(name, media_type).suffixes:
        suffix = converter_for(name, media_type).suffixes[0]
    record = Record(
        doc_id=doc_id,
        format=converted.format,
        original_name=PurePath(name).name,
        original_file=f"{doc_id}{suffix}",
        origin=origin,
        bytes=len(data),
        chars=len(converted.text),
        page_starts=list(converted.page_starts),
        added_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        convert_seconds=round(seconds, 4),
    )
    folder = originals_dir(corpus_dir)
    write_atomic(folder / record.original_file, data)
    write_atomic(folder / f"{doc_id}{RECORD_SUFFIX}", json.dumps(asdict(record), ensure_ascii=False).encode())
    write_atomic(text_path, (_front_matter(converted, title) + converted.text).encode("utf-8"))
    try:
        document = load_document(text_path)
        # Citations index into the text the loader reads, so it must be the converted text to the character.
        if document.text != converted.text:
            raise CorpusError(f"{name}: the corpus would read back other text than was converted")
    except CorpusError:
        remove_document(corpus_dir, doc_id)
        raise
    return Added(document=document, record=record)


def remove_document(corpus_dir: Path, doc_id: str) -> list[Path]:
    """Remove a document's text, original and record; returns the files removed."""
    if not DOC_ID_RE.match(doc_id):
        raise DocumentNotFound(f"no document {doc_id!r}")
    text_path = corpus_dir / f"{doc_id}{DOCUMENT_SUFFIX}"
    # A document written by hand may sit in a sub-folder; its id is its file name's stem.
    candidates = [text_path] if text_path.is_file() else sorted(corpus_dir.rglob(f"{doc_id}{DOCUMENT_SUFFIX}"))
    candidates = [p for p in candidates if ORIGINALS_DIR not in p.relative_to(corpus_dir).parts]
    if not candidates:
        raise DocumentNotFound(f"no document {doc_id!r} in {corpus_dir}")
    original = original_path(corpus_dir, doc_id)
    removed: list[Path] = []
    for path in [*candidates, original, originals_dir(corpus_dir) / f"{doc_id}{RECORD_SUFFIX}"]:
        if path is not None and path.is_file():
            path.unlink()
            removed.append(path)
    return removed
