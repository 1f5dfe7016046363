"""Operations routes: readiness, Prometheus metrics, and the admin reload of the index."""

from __future__ import annotations

import os

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from assistant.deps import AdminDep, AssistantDep, MetricsDep, MetricsTokenDep, ReloaderDep
from assistant.errors import IndexUnavailable
from assistant.http_errors import error_responses
from assistant.metrics import CONTENT_TYPE
from assistant.service import Assistant

router = APIRouter(tags=["operations"])


class IndexState(BaseModel):
    """The index build being served: ``ready`` (readiness), or what a reload did (``swapped``, ``unchanged``)."""

    status: str
    build: str
    documents: int
    chunks: int


class Readiness(IndexState):
    """Ready, the build served, and whether the feedback store works (questions are answered either way)."""

    feedback: str = Field(description="'ok', or 'unavailable: <why>' while questions are answered without storing")


@router.get("/readyz", response_model=Readiness, responses=error_responses(503))
def readyz(request: Request) -> Readiness:
    """Ready to answer questions (model and index loaded), else 503."""
    assistant: Assistant | None = getattr(request.app.state, "assistant", None)
    if assistant is None or not getattr(request.app.state, "ready", False):
        raise IndexUnavailable("not ready: the model and index are not loaded")
    manifest = assistant.index.manifest
    feedback = getattr(request.app.state, "feedback", None)
    return Readiness(
        status="ready",
        build=assistant.index.path.name,
        documents=manifest.documents,
        chunks=manifest.chunks,
        feedback=feedback.status() if feedback is not None else "unavailable: not opened yet",
    )


@router.get(
    "/metrics",
    response_class=Response,
    dependencies=[MetricsTokenDep],
    responses={200: {"content": {CONTENT_TYPE: {}}}, **error_responses(401)},
)
def metrics(metrics: MetricsDep) -> Response:
    """Prometheus metrics: requests, latency, answers, index size; needs the bearer token when one is set."""
    return Response(metrics.render(), media_type=CONTENT_TYPE)


@router.post(
    "/api/admin/reload",
    response_model=IndexState,
    dependencies=[AdminDep],
    responses=error_responses(401, 404, 409),
)
def reload_index(reloader: ReloaderDep) -> IndexState:
    """Serve the index build ``CURRENT`` names now (409 and the old index kept when it fails its checks)."""
    outcome = reloader.reload()
    return IndexState(status=outcome.status, build=outcome.build, documents=outcome.documents, chunks=outcome.chunks)


class Health(BaseModel):
    """Liveness with the size of the loaded index."""

    status: str
    documents: int
    chunks: int
    worker: int = Field(description="the process id of the worker that answered (`serve --workers N`)")


@router.get("/healthz", response_model=Health)
async def healthz(assistant: AssistantDep) -> Health:
    """Alive, with the loaded index's size and the answering worker's process id."""
    # Answered on the event loop: a liveness probe must not queue for a thread behind the questions under
    # way (they hold the GIL in turns; each thread hop waits for it again).
    return Health(
        status="ok", documents=len(assistant.index.documents), chunks=len(assistant.index.chunks), worker=os.getpid()
    )
