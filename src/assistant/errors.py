"""The assistant's exceptions; ``api.py`` maps each to one HTTP status."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from starlette.responses import JSONResponse


class AssistantError(Exception):
    """Base class for every error the assistant raises on purpose."""

    status_code = 500

    def headers(self) -> dict[str, str]:
        """Extra response headers this error carries."""
        return {}


class CorpusError(AssistantError):
    """A corpus file cannot be read as a document (the message names the file)."""

    status_code = 422


class IndexUnavailable(AssistantError):
    """The index on disk is missing, stale, corrupt or built for another model."""

    status_code = 503


class DocumentNotFound(AssistantError):
    """No document has the requested id."""

    status_code = 404


class InvalidQuestion(AssistantError):
    """The question is empty or too long after trimming."""

    status_code = 422


class NotAuthorised(AssistantError):
    """An admin route was called without the right admin token."""

    status_code = 401


class AdminDisabled(AssistantError):
    """Admin routes are off because no admin token is set."""

    status_code = 404


class SuggestionsError(AssistantError):
    """The suggested-questions file is missing or invalid (raised at start-up; the message names the file)."""

    status_code = 500


class AnswerNotFound(AssistantError):
    """Feedback names an answer id that was never given or has been pruned."""

    status_code = 404


class InvalidFeedback(AssistantError):
    """Feedback that breaks a limit set in the settings (e.g. a comment that is too long)."""

    status_code = 422


class StorageUnavailable(AssistantError):
    """The feedback database or the report's configuration cannot be used."""

    status_code = 503


class PayloadTooLarge(AssistantError):
    """The request body is larger than ``ASSISTANT_MAX_BODY_BYTES``."""

    status_code = 413


class BodyTimeout(AssistantError):
    """The request body did not arrive within ``ASSISTANT_BODY_TIMEOUT_SECONDS``."""

    status_code = 408


class RateLimited(AssistantError):
    """The client sent more questions than ``ASSISTANT_RATE_LIMIT`` allows."""

    status_code = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after

    def headers(self) -> dict[str, str]:
        """Tell the client when to try again (whole seconds)."""
        return {"Retry-After": str(self.retry_after)}


class ReloadFailed(AssistantError):
    """The new index build is unusable; the server keeps the one it has."""

    status_code = 409


def error_response(exc: AssistantError) -> JSONResponse:
    """The JSON reply for an error: ``{"error": <kind>, "message": ...}`` with its status and headers."""
    return JSONResponse(
        {"error": type(exc).__name__, "message": str(exc)}, status_code=exc.status_code, headers=exc.headers()
    )


class ErrorOut(BaseModel):
    """The body of every error reply."""

    error: str
    message: str


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for the given error statuses, for the routes that can answer them."""
    return {status: {"model": ErrorOut} for status in statuses}
