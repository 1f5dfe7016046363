"""The question route: ``POST /api/ask`` and its request and response schemas."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field, StrictInt, field_validator
from starlette.background import BackgroundTask

from assistant.clients import client_address
from assistant.conversation import ANSWER_MAX_CHARS, HISTORY_MAX_TURNS, Turn
from assistant.corpus import DATE_SOURCE_DOC, DateSource
from assistant.deps import QuestionDep
from assistant.feedback_guard import GuardedFeedbackStore
from assistant.http_errors import error_responses
from assistant.metrics import Metrics
from assistant.service import AskResult, Assistant
from assistant.settings import Settings

router = APIRouter()

QUESTION_MAX_CHARS = Settings.model_fields["question_max_chars"].default


def _question_text(value: str) -> str:
    """A trimmed, non-empty question that is valid Unicode (its length limit is the assistant's to check)."""
    value = value.strip()
    if not value:
        raise ValueError("must not be empty or only white space")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        # JSON can spell a lone UTF-16 surrogate ("\\ud800"); it is not a character and no text holds it.
        raise ValueError("must be valid Unicode text (it holds an unpaired surrogate)") from None
    return value


class HistoryTurn(BaseModel):
    """One earlier turn of the conversation, as the client shows it."""

    question: str = Field(
        description=f"The question as it was typed, 1 to {QUESTION_MAX_CHARS} characters after trimming",
        json_schema_extra={"minLength": 1, "maxLength": QUESTION_MAX_CHARS, "pattern": r"[^\s\x1c-\x1f\x85]"},
    )
    answer: str | None = Field(default=None, max_length=ANSWER_MAX_CHARS, description="The answer it got")
    doc_ids: list[str] | None = Field(
        default=None, max_length=10, description="The documents it was answered from (its citations' doc_id)"
    )

    @field_validator("question")
    @classmethod
    def _trimmed(cls, value: str) -> str:
        return _question_text(value)

    def turn(self) -> Turn:
        """The service's form of this turn."""
        return Turn(self.question, self.answer, tuple(self.doc_ids or ()))


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
    history: list[HistoryTurn] = Field(
        default_factory=list,
        max_length=HISTORY_MAX_TURNS,
        description=f"Up to {HISTORY_MAX_TURNS} previous turns of the conversation, oldest first; a follow-up "
        "question is answered as the standalone question it stands for",
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
        return _question_text(value)


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
    date_source: DateSource | None = Field(default=None, description=DATE_SOURCE_DOC)


class AnswerSpanOut(BaseModel):
    """Where one fragment of the answer lies: ``document.text[start:end]``, inside the first citation."""

    doc_id: str
    start: int
    end: int


class AskResponse(BaseModel):
    """An answer with its citations; ``[n]`` markers in ``answer`` refer to ``citations[n-1]``."""

    id: str = Field(description="This answer's id (a UUID), for POST /api/feedback")
    question: str
    resolved_question: str = Field(
        description="The standalone question that was answered: a follow-up completed from the history, "
        "else the question itself"
    )
    answer: str
    answered: bool
    reason: Literal["answered", "not_covered", "detail_not_published", "out_of_scope"] = Field(
        description="answered; not_covered (no document is on this topic); detail_not_published (the topic is "
        "covered but not the detail asked for); out_of_scope (an instruction rather than a question)"
    )
    answer_spans: list[AnswerSpanOut] = Field(description="The answer's fragments in their document, one per fragment")
    as_of: str | None = Field(description="Publication date of the document the answer comes from")
    citations: list[CitationOut]
    took_ms: float


@dataclass(frozen=True)
class Answered:
    """The question route's reply, and what storing the question afterwards needs."""

    content: bytes
    result: AskResult
    answer_id: str


def _answer(body: AskRequest, assistant: Assistant, metrics: Metrics, feedback: GuardedFeedbackStore) -> Answered:
    """The route's work, in the question's turn of the event loop: answer, count, and the reply's JSON."""
    result = assistant.ask(body.question, body.top_k, [t.turn() for t in body.history])
    answer = result.answer
    metrics.observe_answer(answer.answered)
    # The id is the stored row's, chosen now: the question is stored once the reply is on its way.
    answer_id = str(uuid.uuid4())
    feedback.expect(answer_id)
    reply = AskResponse(
        id=answer_id,
        question=result.question,
        resolved_question=result.resolved_question or result.question,
        answer=answer.text,
        answered=answer.answered,
        reason=answer.reason,
        answer_spans=[AnswerSpanOut(**vars(f)) for f in answer.spans],
        as_of=answer.as_of,
        citations=[CitationOut(**vars(c)) for c in answer.citations],
        took_ms=round(result.took_ms, 3),
    )
    # Serialised here, once, by the model's own (compiled) serialiser rather than validated again by FastAPI.
    return Answered(reply.model_dump_json().encode(), result, answer_id)


@router.post("/api/ask", response_model=AskResponse, tags=["questions"], responses=error_responses(413, 429, 503))
async def ask(body: AskRequest, request: Request, app: QuestionDep) -> Response:
    """Answer a question from the published documents, with citations."""
    client = client_address(request.scope, app.settings.client_ip_header)
    # On the event loop, in a turn of its own: /healthz and new connections are answered between questions.
    done = await app.threads.answer(_answer, body, app.assistant, app.metrics, app.feedback)
    # Handed to the writer thread once the reply is sent: neither this request nor the next question on the
    # connection waits for the database. A vote that arrives before the row waits for it (``expect``).
    store = BackgroundTask(_store_later, app.feedback, done, client)
    return Response(done.content, media_type="application/json", background=store)


async def _store_later(feedback: GuardedFeedbackStore, done: Answered, client: str | None) -> None:
    # async, so that Starlette calls it on the loop rather than on its thread pool (a trip per request).
    feedback.record_later(done.result, client, done.answer_id)
