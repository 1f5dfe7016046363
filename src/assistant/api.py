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
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.admin_web import mount_admin
from assistant.apidocs import mount_docs
from assistant.documents_api import router as documents_router
from assistant.embedding import Embedder, load_embedder
from assistant.errors import AssistantError, IndexUnavailable
from assistant.feedback_api import router as feedback_router
from assistant.feedback_guard import GuardedFeedbackStore
from assistant.heap import freeze_loaded, thaw
from assistant.http_errors import error_response
from assistant.logs import configure_logging
from assistant.metrics import Metrics
from assistant.middleware import add_middleware
from assistant.ops import router as ops_router
from assistant.question_thread import QuestionThreads
from assistant.questions_api import router as questions_router
from assistant.reload import IndexReloader
from assistant.report_gists import GistIndexer, StoredGists
from assistant.service import Assistant
from assistant.settings import Settings
from assistant.web import mount_web

log = logging.getLogger(__name__)


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
        # Each stored question's report vector is made in the background, so that reports only read them.
        indexer = app.state.gist_indexer = GistIndexer(model)
        app.state.feedback = GuardedFeedbackStore(settings, on_change=metrics.set_feedback_up, on_stored=indexer.submit)
        indexer.start(StoredGists(app.state.feedback, model.name, model.dimension))
        app.state.question_threads = QuestionThreads()
        # Only app.state holds the index from here: a reload's swap frees it (this frame lives as long as the app).
        del assistant
        # Loaded for good: out of the collector's full collections (heap.py).
        freeze_loaded()
        app.state.ready = True
        try:
            yield
        finally:
            app.state.ready = False
            thaw()
            # The questions still queued are written first (their replies are sent): no row is lost on a clean stop.
            app.state.feedback.flush()
            indexer.stop()
            app.state.feedback.close()
            app.state.access_log_writer.close()
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

    app.include_router(questions_router)
    app.include_router(documents_router)
    app.include_router(feedback_router)
    app.include_router(ops_router)
    mount_web(app, settings)
    mount_docs(app)
    mount_admin(app, settings)
    add_middleware(app, settings, metrics)
    return app


def app_from_env() -> FastAPI:
    """App factory for ``uvicorn --factory``: settings come from the environment, logs are JSON lines."""
    settings = Settings()
    configure_logging(settings)
    return create_app(settings)
