"""The assistant's exceptions: domain errors only (``http_errors.py`` maps each class to an HTTP status)."""

from __future__ import annotations


class AssistantError(Exception):
    """Base class for every error the assistant raises on purpose."""


class CorpusError(AssistantError):
    """A corpus file cannot be read as a document (the message names the file)."""


class IndexUnavailable(AssistantError):
    """The index on disk is missing, stale, corrupt or built for another model."""


class DocumentNotFound(AssistantError):
    """No document has the requested id."""


class InvalidQuestion(AssistantError):
    """The question is empty or too long after trimming."""


class NotAuthorised(AssistantError):
    """An admin route was called without the right admin token."""


class AdminDisabled(AssistantError):
    """Admin routes are off because no admin token is set."""


class SuggestionsError(AssistantError):
    """The suggested-questions file is missing or invalid (raised at start-up; the message names the file)."""


class AnswerNotFound(AssistantError):
    """Feedback names an answer id that was never given or has been pruned."""


class InvalidFeedback(AssistantError):
    """Feedback that breaks a limit set in the settings (e.g. a comment that is too long)."""


class StorageUnavailable(AssistantError):
    """The feedback database or the report's configuration cannot be used."""


class PayloadTooLarge(AssistantError):
    """The request body is larger than ``ASSISTANT_MAX_BODY_BYTES``."""


class BodyTimeout(AssistantError):
    """The request body did not arrive within ``ASSISTANT_BODY_TIMEOUT_SECONDS``."""


class RateLimited(AssistantError):
    """The client sent more questions than ``ASSISTANT_RATE_LIMIT`` allows."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after  # whole seconds until the client may ask again


class ReloadFailed(AssistantError):
    """The new index build is unusable; the server keeps the one it has."""
