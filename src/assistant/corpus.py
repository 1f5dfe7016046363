"""Documents on disk: a text file per document, with optional front matter for metadata."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from assistant.errors import CorpusError

FRONT_MATTER_FENCE = "---"
METADATA_KEYS = ("title", "published", "source", "date_source")
DOCUMENT_SUFFIX = ".txt"
# Where added files keep their original (PDF, Word, web page) and a record of their conversion; never indexed.
ORIGINALS_DIR = "_originals"
# How far into a document to look for a headline and a publication date.
HEADER_LINES = 5
DATE_RE = re.compile(r"(?:发布(?:日期|时间)|日期|时间)?\s*[:：]?\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
SOURCE_RE = re.compile(r"来源\s*[:：]\s*([^\s·|]+)")
DOC_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
# Where a document's publication date comes from: ``declared`` by whoever published it (front matter, which the
# operator writes or reviews before publishing), or ``inferred`` from a date in its first lines, which may be any
# date the text opens with (an encyclopaedia page's "1643年5月19日"), not when it was published.
DateSource = Literal["declared", "inferred"]
DATE_SOURCE_DOC = (
    "Where the publication date comes from: declared (the document's metadata) or inferred (a date in its first "
    "lines, which may not be when it was published); null when it has no date"
)


@dataclass(frozen=True)
class Document:
    """A published document; citation offsets index into ``text``."""

    doc_id: str
    title: str
    published: str | None
    source: str | None
    text: str
    # None when the document has no date; a document built without saying where its date came from is not taken
    # to be a notice that declares one.
    date_source: DateSource | None = None

    @property
    def declared(self) -> bool:
        """Whether the document declares its publication date: a notice, not a page whose text opens with a date."""
        return self.published is not None and self.date_source == "declared"


def _parse_front_matter(raw: str, path: Path) -> tuple[dict[str, str], str]:
    """Split ``raw`` into (metadata, body); a file without front matter is all body."""
    if not raw.startswith(FRONT_MATTER_FENCE + "\n"):
        return {}, raw
    end = raw.find("\n" + FRONT_MATTER_FENCE + "\n", len(FRONT_MATTER_FENCE))
    if end < 0:
        raise CorpusError(f"{path}: front matter opened with '---' but never closed")
    meta: dict[str, str] = {}
    for number, line in enumerate(raw[len(FRONT_MATTER_FENCE) + 1 : end].splitlines(), start=2):
        if not line.strip():
            continue
        key, sep, value = line.partition(":")
        key = key.strip().lower()
        if not sep or key not in METADATA_KEYS:
            raise CorpusError(
                f"{path}: line {number} of the front matter is not 'key: value' "
                f"with a key among {', '.join(METADATA_KEYS)}"
            )
        meta[key] = value.strip()
    return meta, raw[end + len(FRONT_MATTER_FENCE) + 2 :]


def _check_date(value: str, path: Path) -> str:
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise CorpusError(f"{path}: published must be a date YYYY-MM-DD, got {value!r}") from None


def _header_lines(body: str) -> list[str]:
    return [line.strip() for line in body.splitlines()[:HEADER_LINES] if line.strip()]


def infer_title(body: str) -> str | None:
    """The headline: the first non-empty line, with whitespace folded."""
    lines = _header_lines(body)
    return re.sub(r"\s+", "", lines[0]) if lines else None


def infer_published(body: str) -> str | None:
    """A publication date found in the document's first lines, as YYYY-MM-DD."""
    for line in _header_lines(body):
        match = DATE_RE.search(line)
        if match:
            try:
                return dt.date(*(int(part) for part in match.groups())).isoformat()
            except ValueError:
                continue
    return None


# A date the text labels as when it was published ("发布日期 2021-05-31", "发布时间：2024年3月1日", "日期：…"), not a
# date the text opens with because something happened then ("1643年5月19日，罗克鲁瓦战役…"), nor an event's
# ("活动日期：…").
PUBLICATION_LABEL_RE = re.compile(
    r"(?:(?:发布|发表|印发|成文|更新)(?:日期|时间)\s*[:：]?|(?<![\u4e00-\u9fff])日期\s*[:：])"
    r"\s*\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}"
)


def labels_publication(body: str) -> bool:
    """Whether the document's first lines give a date labelled as its publication date."""
    return any(PUBLICATION_LABEL_RE.search(line) for line in _header_lines(body))


def infer_source(body: str) -> str | None:
    """A '来源：…' credit found in the document's first lines."""
    for line in _header_lines(body):
        match = SOURCE_RE.search(line)
        if match:
            return match.group(1)
    return None


def _date_source(value: str | None, given: str | None, path: Path) -> DateSource:
    """Where a document's date comes from: a front-matter date is declared unless the front matter says it was
    read from the text ("date_source: inferred", as a converted PDF's does); a date found in the text is inferred."""
    if not value:
        return "declared" if given else "inferred"
    if value not in ("declared", "inferred") or not given:
        raise CorpusError(f"{path}: date_source must be 'declared' or 'inferred', beside a published date")
    return "declared" if value == "declared" else "inferred"


def parse_document(doc_id: str, raw: str, path: Path) -> Document:
    """Build a document from a file's text; metadata missing from front matter is inferred."""
    if not DOC_ID_RE.match(doc_id):
        raise CorpusError(f"{path}: file name must be letters, digits, '.', '_' or '-' (it is the document id)")
    meta, body = _parse_front_matter(raw, path)
    if not body.strip():
        raise CorpusError(f"{path}: document is empty")
    title = meta.get("title") or infer_title(body)
    if not title:
        raise CorpusError(f"{path}: no title in front matter and none in the first lines")
    given = _check_date(meta["published"], path) if meta.get("published") else None
    published = given or infer_published(body)
    date_source = _date_source(meta.get("date_source"), given, path) if published or meta.get("date_source") else None
    source = meta.get("source") or infer_source(body)
    return Document(doc_id=doc_id, title=title, published=published, source=source, text=body, date_source=date_source)


def corpus_files(corpus_dir: Path) -> list[Path]:
    """The document files of a corpus folder, in a stable order."""
    if not corpus_dir.is_dir():
        raise CorpusError(f"{corpus_dir}: corpus folder does not exist")
    return sorted(
        p
        for p in corpus_dir.rglob("*" + DOCUMENT_SUFFIX)
        if p.is_file() and ORIGINALS_DIR not in p.relative_to(corpus_dir).parts
    )


def load_document(path: Path) -> Document:
    """Read one document file; any problem raises ``CorpusError`` naming the file."""
    data = path.read_bytes()
    if not data.strip():
        raise CorpusError(f"{path}: file is empty")
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CorpusError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    # Offsets must be stable across platforms, so newlines are normalised once, here.
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    return parse_document(path.stem, raw, path)


def load_corpus(corpus_dir: Path) -> tuple[list[Document], list[CorpusError]]:
    """Load every document; a bad file is reported and skipped, never fatal."""
    documents: list[Document] = []
    errors: list[CorpusError] = []
    seen: set[str] = set()
    for path in corpus_files(corpus_dir):
        try:
            doc = load_document(path)
            if doc.doc_id in seen:
                raise CorpusError(f"{path}: another file already has the document id {doc.doc_id!r}")
        except CorpusError as exc:
            errors.append(exc)
            continue
        seen.add(doc.doc_id)
        documents.append(doc)
    return documents, errors


def corpus_checksum(paths: Iterable[Path], root: Path) -> str:
    """A SHA-256 over the names and bytes of the corpus files, to tell a stale index."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()
