"""The HTTP API: an app factory whose lifespan loads the model and the index once."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, StrictInt, field_validator
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.apidocs import mount_docs
from assistant.clients import client_address
from assistant.deps import AssistantDep, FeedbackDep, MetricsDep
from assistant.embedding import Embedder, load_embedder
from assistant.errors import AssistantError, IndexUnavailable, error_response, error_responses
from assistant.feedback_api import router as feedback_router
from assistant.feedback_guard import GuardedFeedbackStore
from assistant.logs import configure_logging
from assistant.metrics import Metrics
from assistant.middleware import add_middleware
from assistant.ops import router as ops_router
from assistant.reload import IndexReloader
from assistant.service import Assistant
from assistant.settings import Settings
from assistant.web import mount_web

log = logging.getLogger(__name__)


QUESTION_MAX_CHARS = Settings.model_fields["question_max_chars"].default


class AskRequest(BaseModel):
    """A resident's question."""

    question: str = Field(
        description=f"The question, 1 to {QUESTION_MAX_CHARS} characters after trimming (ASSISTANT_QUESTION_MAX_CHARS)",
        # Documented for clients and schema-driven tests; enforced after trimming, against the setting. The
        # pattern asks for a character that str.strip() keeps (regex \s leaves out \x1c-\x1f and \x85).
        json_schema_extra={"minLength": 1, "maxLength": QUESTION_MAX_CHARS, "pattern": r"[^\s\x1c-\x1f\x85]"},
    )
    top_k: StrictInt | None = Field(
        default=None, ge=1, le=10, description="How many passages to cite (default: the ASSISTANT_TOP_K setting)"
    )

    @field_validator("top_k", mode="before")
    @classmethod
    def _integral(cls, value: object) -> object:
        # JSON has one number type: 3.0 is the integer 3 (JSON Schema agrees); 2.5, "3" and true are not.
        return int(value) if isinstance(value, float) and value.is_integer() else value

    @field_validator("question")
    @classmethod
    def _trimmed(cls, value: str) -> str:
        # The length limit is a setting, checked by the assistant itself (InvalidQuestion, 422).
        value = value.strip()
        if not value:
            raise ValueError("must not be empty or only white space")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            # JSON can spell a lone UTF-16 surrogate ("\\ud800"); it is not a character and no text holds it.
            raise ValueError("must be valid Unicode text (it holds an unpaired surrogate)") from None
        return value


class CitationOut(BaseModel):
    """A cited passage; ``text == document.text[start:end]``."""

    n: int
    doc_id: str
    title: str
    published: str | None
    text: str
    start: int
    end: int
    score: float


class AskResponse(BaseModel):
    """An answer with its citations; ``[n]`` markers in ``answer`` refer to ``citations[n-1]``."""

    id: str = Field(description="This answer's id (a UUID), for POST /api/feedback")
    question: str
    answer: str
    answered: bool
    citations: list[CitationOut]
    took_ms: float


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


class Health(BaseModel):
    """Liveness with the size of the loaded index."""

    status: str
    documents: int
    chunks: int


def _field_message(errors: list[dict[str, Any]]) -> str:
    """One line naming each invalid field, e.g. ``question: must not be empty``."""
    parts = []
    for error in errors:
        loc = [str(p) for p in error.get("loc", ())]
        if error.get("type") == "json_invalid":
            # The location of a JSON syntax error is a character offset, not a field.
            parts.append(f"body: {error.get('msg')} at character {loc[-1] if len(loc) > 1 else 0}")
            continue
        field = ".".join(p for p in loc if p != "body")
        parts.append(f"{field or 'body'}: {error.get('msg')}")
    return "; ".join(parts)


def unparsable_body(cause: ValueError | RecursionError) -> str:
    """Why a JSON body could not be parsed at all (it is 422 like any other invalid body)."""
    if isinstance(cause, UnicodeDecodeError):
        return f"body: not valid JSON: the body must be UTF-8 ({cause.reason})"
    if isinstance(cause, RecursionError):
        return "body: not valid JSON: nested too deeply"
    # Python refuses to read integers of more than 4,300 digits (a guard against quadratic conversion).
    return f"body: not valid JSON: {cause}"


def create_app(settings: Settings | None = None, embedder: Embedder | None = None) -> FastAPI:
    """Build the app; the model and index load once, when the lifespan starts."""
    settings = settings or Settings()
    metrics = Metrics(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        model = embedder or load_embedder(settings)
        try:
            assistant = Assistant.open(settings, model)
        except IndexUnavailable as exc:
            log.error("cannot start: %s", exc, extra={"event": "startup", "outcome": "refused"})
            raise
        assistant.warm_up()
        app.state.assistant = assistant
        metrics.set_index(assistant.index)
        reloader = app.state.reloader = IndexReloader(settings, app.state, metrics)
        log.info(
            "index loaded: %s", assistant.index.manifest, extra={"event": "startup", "build": assistant.index.path.name}
        )
        watcher = asyncio.create_task(reloader.watch()) if settings.index_watch_seconds > 0 else None
        # The server starts and answers without the feedback store; it is tried again now and then.
        app.state.feedback = GuardedFeedbackStore(settings, on_change=metrics.set_feedback_up)
        app.state.ready = True
        try:
            yield
        finally:
            app.state.ready = False
            app.state.feedback.close()
            if watcher is not None:
                watcher.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await watcher

    app = FastAPI(
        title="Kuiwen Civic Assistant",
        description="Answers questions from Kuiwen district's published documents, citing the exact passages.",
        version="0.1.0",
        lifespan=lifespan,
        # /docs is served from shipped assets by apidocs (FastAPI's pages load a CDN, blocked by the CSP).
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.metrics = metrics

    @app.exception_handler(AssistantError)
    async def assistant_error(request: Request, exc: AssistantError) -> JSONResponse:
        return error_response(exc)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        # Starlette's own refusals (unknown route, wrong method, unreadable body) in the same JSON shape.
        if exc.status_code == 400 and isinstance(exc.__cause__, ValueError | RecursionError):
            message = unparsable_body(exc.__cause__)
            return JSONResponse({"error": "ValidationError", "message": message}, status_code=422)
        kind = HTTPStatus(exc.status_code).phrase.replace(" ", "")
        return JSONResponse(
            {"error": kind, "message": str(exc.detail)}, status_code=exc.status_code, headers=exc.headers
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [dict(e) for e in exc.errors()]
        detail = [{"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")} for e in errors]
        return JSONResponse(
            {"error": "ValidationError", "message": _field_message(errors), "detail": detail}, status_code=422
        )

    @app.post("/api/ask", response_model=AskResponse, tags=["questions"], responses=error_responses(413, 429, 503))
    def ask(
        body: AskRequest, request: Request, assistant: AssistantDep, metrics: MetricsDep, feedback: FeedbackDep
    ) -> AskResponse:
        """Answer a question from the published documents, with citations."""
        result = assistant.ask(body.question, body.top_k)
        answer = result.answer
        metrics.observe_answer(answer.answered)
        answer_id = feedback.record(result, client_address(request.scope, settings.client_ip_header))
        return AskResponse(
            id=answer_id,
            question=result.question,
            answer=answer.text,
            answered=answer.answered,
            citations=[CitationOut(**vars(c)) for c in answer.citations],
            took_ms=round(result.took_ms, 3),
        )

    @app.get("/api/documents", response_model=list[DocumentSummary], tags=["documents"])
    def documents(assistant: AssistantDep) -> list[DocumentSummary]:
        """List the indexed documents."""
        return [
            DocumentSummary(doc_id=d.doc_id, title=d.title, published=d.published, source=d.source, chars=len(d.text))
            for d in assistant.index.documents.values()
        ]

    @app.get("/api/documents/{doc_id}", response_model=DocumentOut, tags=["documents"], responses=error_responses(404))
    def document(doc_id: str, assistant: AssistantDep) -> DocumentOut:
        """One document's text and metadata; citation offsets index into its text."""
        d = assistant.document(doc_id)
        return DocumentOut(doc_id=d.doc_id, title=d.title, published=d.published, source=d.source, text=d.text)

    @app.get("/healthz", response_model=Health, tags=["operations"])
    def healthz(assistant: AssistantDep) -> Health:
        """Alive, with the loaded index's size."""
        return Health(status="ok", documents=len(assistant.index.documents), chunks=len(assistant.index.chunks))

    app.include_router(feedback_router)
    app.include_router(ops_router)
    mount_web(app, settings)
    mount_docs(app)
    add_middleware(app, settings, metrics)
    return app


def app_from_env() -> FastAPI:
    """App factory for ``uvicorn --factory``: settings come from the environment, logs are JSON lines."""
    settings = Settings()
    configure_logging(settings)
    return create_app(settings)
