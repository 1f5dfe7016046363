"""The assistant's exceptions; ``api.py`` maps each to one HTTP status."""

from __future__ import annotations


class AssistantError(Exception):
    """Base class for every error the assistant raises on purpose."""

    status_code = 500


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
