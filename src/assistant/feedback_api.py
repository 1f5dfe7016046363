"""Routes for residents' votes on answers and for the operators' content-gap report."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field, StrictBool, StrictStr

from assistant.deps import AdminDep, AssistantDep, FeedbackDep, SettingsDep
from assistant.report import Report, build_report

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
    responses={404: {"description": "No stored answer has this id"}},
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
        503: {"description": "The topics file cannot be read"},
    },
)
def report(assistant: AssistantDep, store: FeedbackDep, settings: SettingsDep, since: dt.date | None = None) -> Report:
    """The content-gap report over the questions asked since ``since`` (YYYY-MM-DD; default: all stored)."""
    return build_report(store, assistant.embedder, settings, since)
