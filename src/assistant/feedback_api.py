"""Routes for residents' votes on answers and for the operators' content-gap report."""

from __future__ import annotations

import datetime as dt

import anyio
from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field, StrictBool, StrictStr

from assistant.deps import AdminDep, AssistantDep, FeedbackDep, SettingsDep
from assistant.report import Report, ReportJob
from assistant.report_gists import StoredGists

CLIENT_CLOSED = 499  # nginx's status for a request whose client went away before the reply

router = APIRouter()


class FeedbackRequest(BaseModel):
    """A resident's vote on one answer."""

    id: StrictStr = Field(description="The answer's id, from the POST /api/ask response")
    helpful: StrictBool = Field(description="Whether the answer helped")
    comment: StrictStr | None = Field(
        default=None, description="Optional comment, at most 500 characters (ASSISTANT_FEEDBACK_COMMENT_MAX_CHARS)"
    )


@router.post(
    "/api/feedback",
    status_code=204,
    response_class=Response,
    tags=["feedback"],
    responses={
        404: {"description": "No stored answer has this id"},
        429: {"description": "Too many votes from this client"},
        503: {"description": "The feedback store is unavailable"},
    },
)
def feedback(body: FeedbackRequest, store: FeedbackDep) -> Response:
    """Vote on an answer; a second vote on the same answer replaces the first."""
    store.vote(body.id, body.helpful, body.comment)
    return Response(status_code=204)


@router.get(
    "/api/admin/report",
    response_model=Report,
    dependencies=[AdminDep],
    tags=["admin"],
    responses={
        401: {"description": "Wrong or missing admin token"},
        404: {"description": "Admin routes are off (no ASSISTANT_ADMIN_TOKEN)"},
        503: {"description": "The topics file cannot be read, or the feedback store is unavailable"},
    },
)
async def report(
    request: Request, assistant: AssistantDep, store: FeedbackDep, settings: SettingsDep, since: dt.date | None = None
) -> Report | Response:
    """The content-gap report over the questions asked since ``since`` (YYYY-MM-DD; default: all stored)."""
    # Built in bounded steps off the event loop, so that it stops soon after its client leaves or the server
    # stops. The wordings' vectors were mostly made when the questions were stored; those it makes are kept
    # beside them, so the next report starts from there.
    model = assistant.embedder
    gists = StoredGists(store, model.name, model.dimension)
    job = await anyio.to_thread.run_sync(ReportJob, store, model, settings, since, gists)
    while not job.done:
        if await request.is_disconnected():
            return Response(status_code=CLIENT_CLOSED)
        await anyio.to_thread.run_sync(job.step)
    return await anyio.to_thread.run_sync(job.finish)
