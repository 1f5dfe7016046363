"""Operations routes: readiness, Prometheus metrics, and the admin reload of the index."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel

from assistant.deps import AdminDep, MetricsDep, ReloaderDep
from assistant.errors import IndexUnavailable
from assistant.metrics import CONTENT_TYPE
from assistant.service import Assistant

router = APIRouter(tags=["operations"])


class ErrorOut(BaseModel):
    """The body of every error reply."""

    error: str
    message: str


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for the given error statuses."""
    return {status: {"model": ErrorOut} for status in statuses}


class Readiness(BaseModel):
    """The server can answer: model and index loaded."""

    status: str
    build: str
    documents: int
    chunks: int


class Reloaded(BaseModel):
    """What a reload did."""

    status: str
    build: str
    documents: int
    chunks: int


@router.get("/readyz", response_model=Readiness, responses=error_responses(503))
def readyz(request: Request) -> Readiness:
    """Ready to answer questions (model and index loaded), else 503."""
    assistant: Assistant | None = getattr(request.app.state, "assistant", None)
    if assistant is None or not getattr(request.app.state, "ready", False):
        raise IndexUnavailable("not ready: the model and index are not loaded")
    manifest = assistant.index.manifest
    return Readiness(
        status="ready", build=assistant.index.path.name, documents=manifest.documents, chunks=manifest.chunks
    )


@router.get("/metrics", response_class=Response, responses={200: {"content": {CONTENT_TYPE: {}}}})
def metrics(metrics: MetricsDep) -> Response:
    """Prometheus metrics: requests and latency by route and status, answers, index size and build time."""
    return Response(metrics.render(), media_type=CONTENT_TYPE)


@router.post(
    "/api/admin/reload",
    response_model=Reloaded,
    dependencies=[AdminDep],
    responses=error_responses(401, 404, 409),
)
def reload_index(reloader: ReloaderDep) -> Reloaded:
    """Serve the index build ``CURRENT`` names now (409 and the old index kept when it fails its checks)."""
    outcome = reloader.reload()
    return Reloaded(status=outcome.status, build=outcome.build, documents=outcome.documents, chunks=outcome.chunks)
