"""The HTTP face of the assistant's errors: one status per error class, and the JSON body of every error reply."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from starlette.responses import JSONResponse

from assistant.errors import (
    AdminDisabled,
    AnswerNotFound,
    AssistantError,
    BodyTimeout,
    CorpusError,
    DocumentNotFound,
    IndexUnavailable,
    InvalidFeedback,
    InvalidQuestion,
    NotAuthorised,
    PayloadTooLarge,
    RateLimited,
    ReloadFailed,
    StorageUnavailable,
    SuggestionsError,
)

# A subclass not listed takes the status of its nearest listed ancestor; AssistantError itself is a 500.
STATUSES: dict[type[AssistantError], int] = {
    AssistantError: 500,
    CorpusError: 422,
    IndexUnavailable: 503,
    DocumentNotFound: 404,
    InvalidQuestion: 422,
    NotAuthorised: 401,
    AdminDisabled: 404,  # as if the admin routes did not exist
    SuggestionsError: 500,
    AnswerNotFound: 404,
    InvalidFeedback: 422,
    StorageUnavailable: 503,
    PayloadTooLarge: 413,
    BodyTimeout: 408,
    RateLimited: 429,
    ReloadFailed: 409,
}


def status_of(exc: AssistantError) -> int:
    """The HTTP status of an error: that of its class, or of the nearest ancestor that has one."""
    for cls in type(exc).__mro__:
        if cls in STATUSES:
            return STATUSES[cls]
    return 500


def headers_of(exc: AssistantError) -> dict[str, str]:
    """Response headers an error calls for: ``Retry-After`` when rate limited, the scheme to use when not authorised."""
    if isinstance(exc, RateLimited):
        return {"Retry-After": str(exc.retry_after)}
    if isinstance(exc, NotAuthorised):
        return {"WWW-Authenticate": "Bearer"}  # RFC 9110: a 401 names the scheme that would be accepted
    return {}


def error_response(exc: AssistantError) -> JSONResponse:
    """The JSON reply for an error: ``{"error": <kind>, "message": ...}`` with its status and headers."""
    return JSONResponse(
        {"error": type(exc).__name__, "message": str(exc)}, status_code=status_of(exc), headers=headers_of(exc)
    )


class ErrorOut(BaseModel):
    """The body of every error reply."""

    error: str
    message: str


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for the given error statuses, for the routes that can answer them."""
    return {status: {"model": ErrorOut} for status in statuses}
