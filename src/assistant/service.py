"""The assistant as one object: a loaded index, the model, and the ask operation."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

from assistant.answer import Answer, Engine
from assistant.answer.engine import Trace
from assistant.answer.render import declined
from assistant.bounds import head_and_tail
from assistant.conversation import (
    ANSWER_MAX_CHARS,
    HISTORY_MAX_TURNS,
    Context,
    Resolved,
    Spread,
    Turn,
    names_the_unpublished,
    resolve,
    unpublished_noun,
)
from assistant.corpus import Document
from assistant.embedding import Embedder
from assistant.errors import DocumentNotFound, IndexUnavailable, InvalidQuestion
from assistant.index import Index, build_index, check_fresh, load_index
from assistant.retrieval import HybridRetriever, Retriever
from assistant.settings import Settings
from assistant.text import bigrams, fold

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AskResult:
    """An answer with the time taken, split by stage (ms)."""

    question: str
    answer: Answer
    took_ms: float
    timings: dict[str, float]
    # The standalone question that was answered: a follow-up completed from the conversation, else the question.
    resolved_question: str | None = None


class Assistant:
    """Answers questions from one index; built once per process."""

    def __init__(self, settings: Settings, embedder: Embedder, index: Index) -> None:
        self.settings = settings
        self.embedder = embedder
        self.index = index
        self.retriever: Retriever = HybridRetriever(index, embedder, settings)
        self.engine = Engine(index, embedder, settings)
        # Folded document texts, for telling whether a follow-up's words are in the previous answer's documents.
        self._folded: dict[str, str] = {}

    @classmethod
    def open(cls, settings: Settings, embedder: Embedder) -> Assistant:
        """Load the index, rebuilding it first when allowed and it is missing, stale or unusable."""
        try:
            index = load_index(settings, embedder)
            check_fresh(settings, index.manifest)
        except IndexUnavailable as exc:
            if not settings.auto_index:
                raise
            log.warning("rebuilding the index: %s", exc)
            build_index(settings, embedder)
            index = load_index(settings, embedder)
        return cls(settings, embedder, index)

    def warm_up(self) -> None:
        """Answer one question so that lazily loaded resources (word lists, converters) load now."""
        first = next(iter(self.index.documents.values()))
        self.ask(first.title)

    def ask(self, question: str, top_k: int | None = None, history: Sequence[Turn] = ()) -> AskResult:
        """Answer one question with at most ``top_k`` citations; a follow-up is completed from ``history``."""
        started = time.perf_counter()
        question = self._checked(question, "question")
        self._check_history(history)
        resolved = resolve(question, history, self)
        k = top_k or self.settings.top_k
        # The model's and the matching's costs grow with the text: an over-long question is read as its
        # head and tail, so that no question costs many normal ones (see bounds.py).
        view = head_and_tail(resolved.text)
        retrieval = self.retriever.retrieve(view)
        clock = time.perf_counter()
        trace = self.engine.trace(view, retrieval, k)
        answer = trace.answer
        unpublished = self.unpublished(resolved, trace)
        if unpublished is not None and answer.answered:
            # A follow-up about a thing no document names: the nearest passage is about something else.
            decision = replace(trace.decision, answer=False, reason="detail_not_published")
            answer = declined(trace.question, decision, answer.citations, self.settings.hotline)
        timings = dict(retrieval.timings, answer=(time.perf_counter() - clock) * 1000.0)
        took = (time.perf_counter() - started) * 1000.0
        return AskResult(question, answer, took, timings, resolved.text)

    def unpublished(self, resolved: Resolved, trace: Trace) -> str | None:
        """The thing the question asks about that the answering notice never names, if any (then it is declined)."""
        answer = trace.answer
        first = answer.citations[0] if answer.answered and answer.citations else None
        if resolved.unpublished is not None:
            return None if first is not None and names_the_unpublished(resolved, first.text) else resolved.unpublished
        if resolved.how != "alone" or first is None or first.date_source != "declared":
            return None
        # A question of its own is held to the same test against the notice that answers it; an encyclopaedia's
        # page, whose date if any is read from its text, names what it gives in words of its own ("分布于…" for
        # "哪些地区"), a notice (its date declared) in the resident's.
        text = self.folded(first.doc_id)
        if text is None:
            return None
        return unpublished_noun(trace.question, Context(trace.question, (), (text,), documents=self))

    def _checked(self, question: str, field: str) -> str:
        """A trimmed question within the length limit (InvalidQuestion naming ``field`` otherwise)."""
        question = question.strip()
        if not question:
            raise InvalidQuestion(f"{field}: must not be empty")
        if len(question) > self.settings.question_max_chars:
            raise InvalidQuestion(f"{field}: must be at most {self.settings.question_max_chars} characters")
        return question

    def _check_history(self, history: Sequence[Turn]) -> None:
        """The limits of ``POST /api/ask``'s history, for every caller (the API, the CLI, the eval)."""
        if len(history) > HISTORY_MAX_TURNS:
            raise InvalidQuestion(f"history: must hold at most {HISTORY_MAX_TURNS} turns")
        for i, turn in enumerate(history):
            self._checked(turn.question, f"history.{i}.question")
            if turn.answer is not None and len(turn.answer) > ANSWER_MAX_CHARS:
                raise InvalidQuestion(f"history.{i}.answer: must be at most {ANSWER_MAX_CHARS} characters")

    def folded(self, doc_id: str) -> str | None:
        """A document's folded text (kept once made), or None for an unknown id; the resolver's ``Documents``."""
        if doc_id not in self._folded:
            document = self.index.documents.get(doc_id)
            if document is None:
                return None
            self._folded[doc_id] = fold(document.text)
        return self._folded[doc_id]

    def spread(self, term: str) -> Spread:
        """How many documents' passages hold ``term`` (folded); the resolver's ``Documents``."""
        return Spread(len(self.holders(term)), len(self.index.documents))

    def holders(self, term: str) -> frozenset[str]:
        """The ids of the documents whose passages hold ``term`` (folded); the resolver's ``Documents``."""
        lexical = self.index.lexical
        if term in lexical.vocabulary:
            rows = lexical.rows_with(term)
        else:
            # A word the index never cut out: the passages that hold all of its character pairs.
            pairs = [lexical.rows_with("#" + pair) for pair in bigrams(term)]
            rows = frozenset.intersection(*pairs) if pairs else frozenset()
        return frozenset(self.index.chunks[row].doc_id for row in rows)

    def document(self, doc_id: str) -> Document:
        """One document by id."""
        try:
            return self.index.documents[doc_id]
        except KeyError:
            raise DocumentNotFound(f"no document with id {doc_id!r}") from None
