"""The document routes: the corpus listing and one document's text, which citation offsets index into."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from assistant.deps import AssistantDep
from assistant.http_errors import error_responses

router = APIRouter(tags=["documents"])


class DocumentSummary(BaseModel):
    """A document in the corpus listing."""

    doc_id: str
    title: str
    published: str | None
    source: str | None
    chars: int


class DocumentOut(BaseModel):
    """A whole document; citation offsets index into ``text``."""

    doc_id: str
    title: str
    published: str | None
    source: str | None
    text: str


@router.get("/api/documents", response_model=list[DocumentSummary])
def documents(assistant: AssistantDep) -> list[DocumentSummary]:
    """List the indexed documents."""
    return [
        DocumentSummary(doc_id=d.doc_id, title=d.title, published=d.published, source=d.source, chars=len(d.text))
        for d in assistant.index.documents.values()
    ]


@router.get("/api/documents/{doc_id}", response_model=DocumentOut, responses=error_responses(404))
def document(doc_id: str, assistant: AssistantDep) -> DocumentOut:
    """One document's text and metadata; citation offsets index into its text."""
    d = assistant.document(doc_id)
    return DocumentOut(doc_id=d.doc_id, title=d.title, published=d.published, source=d.source, text=d.text)
