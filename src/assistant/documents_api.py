"""The document routes: the corpus listing and one document's text, which citation offsets index into."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field

from assistant.corpus import DATE_SOURCE_DOC, DateSource
from assistant.deps import AssistantDep, SettingsDep
from assistant.errors import DocumentNotFound
from assistant.http_errors import error_responses
from assistant.library import original_path, read_record

router = APIRouter(tags=["documents"])


class DocumentSummary(BaseModel):
    """A document in the corpus listing."""

    doc_id: str
    title: str
    published: str | None
    source: str | None
    chars: int
    date_source: DateSource | None = Field(default=None, description=DATE_SOURCE_DOC)


class DocumentOut(BaseModel):
    """A whole document; citation offsets index into ``text``."""

    doc_id: str
    title: str
    published: str | None
    source: str | None
    text: str
    date_source: DateSource | None = Field(default=None, description=DATE_SOURCE_DOC)
    format: str = Field(default="text", description="What it was converted from: pdf, docx, html or text")
    page_starts: list[int] = Field(
        default_factory=list, description="Offset into text where each page starts (PDF); page n starts at [n-1]"
    )
    original_url: str | None = Field(default=None, description="Where the file as published can be downloaded")


@router.get("/api/documents", response_model=list[DocumentSummary])
def documents(assistant: AssistantDep) -> list[DocumentSummary]:
    """List the indexed documents."""
    return [
        DocumentSummary(
            doc_id=d.doc_id,
            title=d.title,
            published=d.published,
            source=d.source,
            chars=len(d.text),
            date_source=d.date_source,
        )
        for d in assistant.index.documents.values()
    ]


@router.get("/api/documents/{doc_id}", response_model=DocumentOut, responses=error_responses(404))
def document(doc_id: str, assistant: AssistantDep, settings: SettingsDep) -> DocumentOut:
    """One document's text and metadata; citation offsets index into its text."""
    d = assistant.document(doc_id)
    record = read_record(settings.corpus_dir, d.doc_id)
    # A record written for other text (the corpus changed, the index not yet) would give wrong pages.
    if record is not None and record.chars != len(d.text):
        record = None
    return DocumentOut(
        doc_id=d.doc_id,
        title=d.title,
        published=d.published,
        source=d.source,
        text=d.text,
        date_source=d.date_source,
        format=record.format if record else "text",
        page_starts=record.page_starts if record else [],
        original_url=f"/api/documents/{d.doc_id}/original" if record else None,
    )


@router.get(
    "/api/documents/{doc_id}/original",
    response_class=FileResponse,
    responses={200: {"content": {"application/octet-stream": {}}}, **error_responses(404)},
)
def original(doc_id: str, assistant: AssistantDep, settings: SettingsDep) -> FileResponse:
    """The document's file as it was published (PDF, Word, web page), as an attachment."""
    d = assistant.document(doc_id)
    record = read_record(settings.corpus_dir, d.doc_id)
    path = original_path(settings.corpus_dir, d.doc_id)
    if record is None or path is None:
        raise DocumentNotFound(f"document {doc_id!r} has no original file (it was written as text)")
    # An attachment, never rendered here: a published HTML page must not run in this origin.
    return FileResponse(path, filename=record.original_name, media_type="application/octet-stream")
