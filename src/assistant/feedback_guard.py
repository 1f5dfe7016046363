"""The feedback store as the server holds it: the server starts and answers without it, and picks it up again.

A database that cannot be opened (read-only, missing folder, server down) makes the store *unavailable*:
questions are still answered (and not stored), votes and the report get 503, ``/readyz`` and ``/metrics``
say so, and opening is tried again every ``ASSISTANT_FEEDBACK_RETRY_SECONDS``.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from assistant.deferred import DeferredWriter
from assistant.errors import AnswerNotFound, AssistantError, StorageUnavailable
from assistant.feedback import FeedbackStore, StoredQuestion, utcnow
from assistant.service import AskResult
from assistant.settings import Settings

log = logging.getLogger(__name__)

Opener = Callable[[Settings], FeedbackStore]

# How long a vote waits for the answer it is on to be stored (the question route stores after replying).
PENDING_WAIT_SECONDS = 5.0
# Another worker stores its answers up to a gathering interval after replying (deferred.GATHER_SECONDS): a vote
# on an id this worker does not know is tried again for this long, every OTHER_WORKER_STEP_SECONDS, before 404.
OTHER_WORKER_GRACE_SECONDS = 0.3
OTHER_WORKER_STEP_SECONDS = 0.05


@dataclass(frozen=True)
class AskedQuestion:
    """A question whose reply went out, to be stored by the writer thread as it was when it was asked."""

    result: AskResult
    client: str | None
    answer_id: str
    asked_at: dt.datetime


class GuardedFeedbackStore:
    """Holds a :class:`FeedbackStore` when one can be opened, and tries again now and then when not."""

    def __init__(
        self,
        settings: Settings,
        opener: Opener = FeedbackStore.open,
        on_change: Callable[[bool], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
        on_stored: Callable[[str], None] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self._sleep = sleep
        self._on_stored = on_stored
        self._opener = opener
        self._on_change = on_change or (lambda _up: None)
        self._clock = clock
        self._lock = threading.Lock()
        self._store: FeedbackStore | None = None
        self._next_try = 0.0
        # Once closed (the server is stopping), a late caller such as a background thread must not reopen it.
        self._closed = False
        self.problem: str | None = None
        # Answers whose reply went out before their question was stored (``expect``), each set once stored.
        self._pending: dict[str, threading.Event] = {}
        # Stores the questions whose replies went out (``record_later``), in order, on a thread of its own.
        self._writer: DeferredWriter[AskedQuestion] = DeferredWriter(self._record_asked, "question-writer")
        self.current()

    def current(self) -> FeedbackStore | None:
        """The open store, opening it first if it is closed and a try is due; ``None`` while unavailable."""
        if self._store is not None or self._clock() < self._next_try:
            return self._store
        with self._lock:
            if self._store is None and self._clock() >= self._next_try and not self._closed:
                self._open()
        return self._store

    def _open(self) -> None:
        try:
            self._store = self._opener(self.settings)
            self._store.on_stored = self._on_stored
        except (AssistantError, OSError) as exc:
            self._next_try = self._clock() + self.settings.feedback_retry_seconds
            if self.problem is None:
                log.error("feedback store unavailable, answering without it: %s", exc, extra={"event": "storage"})
            self.problem = str(exc)
            self._on_change(False)
            return
        if self.problem is not None:
            log.info("feedback store available again", extra={"event": "storage"})
        self.problem = None
        self._on_change(True)

    @property
    def available(self) -> bool:
        """Whether the store is open and its last write worked."""
        store = self.current()
        return store is not None and store.writable

    def status(self) -> str:
        """``ok``, or ``unavailable: <why>`` (for /readyz)."""
        store = self.current()
        if store is None:
            return f"unavailable: {self.problem}"
        return "ok" if store.writable else "unavailable: the last write failed"

    def _required(self) -> FeedbackStore:
        store = self.current()
        if store is None:
            raise StorageUnavailable(f"the feedback database is unavailable: {self.problem}")
        return store

    def expect(self, answer_id: str) -> None:
        """Note that ``answer_id`` will be stored shortly (its reply goes out first): a vote on it waits for it."""
        self._pending[answer_id] = threading.Event()

    def record(
        self,
        result: AskResult,
        client: str | None,
        answer_id: str | None = None,
        asked_at: dt.datetime | None = None,
    ) -> str:
        """Store a question if the store is available; the answer gets an id either way (``answer_id`` if given)."""
        try:
            store = self.current()
            if store is None:
                return answer_id or str(uuid.uuid4())
            was = store.writable
            answer_id = store.record(result, client, asked_at=asked_at, answer_id=answer_id)
            if store.writable != was:
                self._on_change(store.writable)
            return answer_id
        finally:
            pending = self._pending.pop(answer_id, None) if answer_id is not None else None
            if pending is not None:
                pending.set()

    def record_later(self, result: AskResult, client: str | None, answer_id: str) -> None:
        """Store a question on the writer thread, asked now, its reply sent already; ``flush`` waits for it."""
        if answer_id not in self._pending:
            self.expect(answer_id)
        self._writer.submit(AskedQuestion(result, client, answer_id, utcnow()))

    def _record_asked(self, asked: AskedQuestion) -> None:
        self.record(asked.result, asked.client, asked.answer_id, asked.asked_at)

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until the questions handed to ``record_later`` so far are stored; ``False`` on ``timeout`` s."""
        return self._writer.flush(timeout)

    def vote(self, answer_id: str, helpful: bool, comment: str | None = None) -> None:
        """Store a vote (503 while the store is unavailable); one on an answer still being stored waits for it."""
        pending = self._pending.get(answer_id)
        if pending is not None:
            pending.wait(PENDING_WAIT_SECONDS)
        deadline = self._clock() + OTHER_WORKER_GRACE_SECONDS
        while True:
            store = self._required()
            was = store.writable
            try:
                store.vote(answer_id, helpful, comment)
                return
            except AnswerNotFound:
                # Answered by another worker whose writer has not stored it yet, or unknown: wait a little.
                if pending is not None or self._clock() >= deadline:
                    raise
                self._sleep(OTHER_WORKER_STEP_SECONDS)
            finally:
                if store.writable != was:
                    self._on_change(store.writable)

    def prune(self) -> int:
        """Delete rows past the retention period (503 while unavailable)."""
        return self._required().prune()

    def questions(self, since: dt.datetime | None = None) -> list[StoredQuestion]:
        """Stored questions since ``since`` (503 while unavailable), those already replied to included."""
        self._writer.flush(PENDING_WAIT_SECONDS)
        return self._required().questions(since)

    def gist_vectors(self, keys: Sequence[str]) -> dict[str, bytes]:
        """Stored report vectors of these keys (503 while unavailable)."""
        return self._required().gist_vectors(keys)

    def put_gist_vectors(self, vectors: Mapping[str, bytes]) -> None:
        """Store report vectors if the store is available (they can be made again)."""
        store = self.current()
        if store is not None:
            store.put_gist_vectors(vectors)

    def close(self) -> None:
        """Store the questions still queued, then close the store if it is open, for good."""
        self._writer.close()
        with self._lock:
            self._closed = True
            if self._store is not None:
                self._store.close()
                self._store = None
