"""The report's vectors kept in the feedback database and made when a question is stored, not when the report runs.

Embedding a wording for the report costs two model calls; made at report time, 10,000 stored wordings
took minutes. A server embeds each stored question's wording in the background instead (in batches, once
per wording), and the report reads the vectors back; what was missed (a full queue, a question stored by
another process before this code) the report embeds in its bounded steps and keeps too.
"""

from __future__ import annotations

import hashlib
import logging
import queue
import threading
import time
from collections.abc import Mapping, Sequence
from typing import Protocol

import numpy as np
from sqlalchemy.exc import SQLAlchemyError

from assistant.embedding import Embedder, Vectors
from assistant.errors import StorageUnavailable
from assistant.report import GIST_MAX_CHARS, embed_gists, folded_wording_key
from assistant.text import fold

log = logging.getLogger(__name__)

# Part of every key: a change to how a wording's vector is made (gist_texts) must change this.
GIST_RECIPE = f"gist-v1-{GIST_MAX_CHARS}"
# Questions waiting to be embedded; beyond, new ones are left for the report (each costs it a few ms).
QUEUE_SIZE = 10_000
# Wordings embedded together: batches cost the model about a third of single texts, and a small batch
# (a few hundred ms at most) is what shutdown waits for.
BATCH = 32
# After a question arrives, how long the worker waits for more to fill its batch.
GATHER_SECONDS = 0.5
# How often an idle worker checks whether it should stop.
IDLE_SECONDS = 1.0
# How long stopping waits for the batch under way.
STOP_SECONDS = 2.0


class GistSource(Protocol):
    """Where the vectors are kept: the feedback store."""

    def gist_vectors(self, keys: Sequence[str]) -> dict[str, bytes]:
        """Stored vectors of those keys that have one."""
        ...

    def put_gist_vectors(self, vectors: Mapping[str, bytes]) -> None:
        """Store vectors."""
        ...


def stored_key(model: str, wording: str) -> str:
    """The database key of a wording's vector: a hash of the model, the recipe and the wording."""
    return hashlib.sha256(f"{model}\n{GIST_RECIPE}\n{wording}".encode()).hexdigest()


class StoredGists:
    """The report's :class:`~assistant.report.Gists` kept in the feedback database (half precision)."""

    def __init__(self, source: GistSource, model: str, dimension: int) -> None:
        self.source = source
        self.model = model
        self.dimension = dimension

    def get_many(self, keys: Sequence[str]) -> dict[str, Vectors]:
        """The stored vectors of those wording keys that have one."""
        hashed = {stored_key(self.model, key): key for key in keys}
        found: dict[str, Vectors] = {}
        for digest, blob in self.source.gist_vectors(list(hashed)).items():
            vector = np.frombuffer(blob, dtype=np.float16)
            if vector.size == self.dimension:  # anything else was not made by this model: made again
                found[hashed[digest]] = vector.astype(np.float32)
        return found

    def put_many(self, vectors: Mapping[str, Vectors]) -> None:
        """Store vectors by wording key; a database that cannot take them is logged, not raised."""
        rows = {stored_key(self.model, key): v.astype(np.float16).tobytes() for key, v in vectors.items()}
        try:
            self.source.put_gist_vectors(rows)
        except (StorageUnavailable, SQLAlchemyError):
            # The report and the answers go on without them: a later report embeds those wordings again.
            log.exception("could not store %d report vectors", len(rows))


class GistIndexer:
    """Embeds the wordings of stored questions in the background, in batches, each wording once."""

    def __init__(self, embedder: Embedder, queue_size: int = QUEUE_SIZE) -> None:
        self.embedder = embedder
        self._queue: queue.Queue[str] = queue.Queue(maxsize=queue_size)
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        # Questions queued and not yet through a batch, for wait_idle().
        self._unfinished = 0
        self._idle = threading.Condition()
        self.embedded = 0
        self.dropped = 0

    def submit(self, question: str) -> None:
        """Queue a stored question; never blocks (a full queue leaves it to the report)."""
        with self._idle:
            try:
                self._queue.put_nowait(question)
            except queue.Full:
                self.dropped += 1
                return
            self._unfinished += 1

    def wait_idle(self, timeout: float) -> bool:
        """Wait until every queued question has been through a batch; ``False`` if ``timeout`` s passed first."""
        with self._idle:
            return self._idle.wait_for(lambda: self._unfinished == 0, timeout)

    def _take(self, wait: float, gather: float) -> list[str]:
        """Up to a batch of queued questions: the first within ``wait`` s, more within ``gather`` s of it."""
        questions: list[str] = []
        try:
            questions.append(self._queue.get(timeout=wait) if wait > 0 else self._queue.get_nowait())
            deadline = time.monotonic() + gather
            while len(questions) < BATCH:
                left = deadline - time.monotonic()
                questions.append(self._queue.get(timeout=left) if left > 0 else self._queue.get_nowait())
        except queue.Empty:
            pass
        return questions

    def run_batch(self, gists: StoredGists, wait: float = 0.0, gather: float = 0.0) -> int:
        """Embed up to one batch of queued wordings not stored yet; returns how many were embedded."""
        questions = self._take(wait, gather)
        try:
            return self._embed_new(gists, questions)
        finally:
            with self._idle:
                self._unfinished -= len(questions)
                self._idle.notify_all()

    def _embed_new(self, gists: StoredGists, questions: list[str]) -> int:
        texts: dict[str, str] = {}
        for question in questions:
            folded = fold(question)
            texts.setdefault(folded_wording_key(folded), folded)
        if not texts:
            return 0
        try:
            known = gists.get_many(list(texts))
        except (StorageUnavailable, SQLAlchemyError):
            log.exception("could not read report vectors; %d wordings left for the report", len(texts))
            return 0
        new = {key: text for key, text in texts.items() if key not in known}
        if new:
            gists.put_many(embed_gists(self.embedder, new))
            self.embedded += len(new)
        return len(new)

    def drain(self, gists: StoredGists) -> int:
        """Embed everything queued, on this thread; returns how many wordings were embedded."""
        total = 0
        while not self._queue.empty():
            total += self.run_batch(gists)
        return total

    def start(self, gists: StoredGists) -> None:
        """Run the worker thread, keeping the vectors in ``gists``."""
        self._thread = threading.Thread(target=self._work, args=(gists,), name="report-gists", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the worker after the batch under way (what is still queued is left for the report)."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(STOP_SECONDS)

    def _work(self, gists: StoredGists) -> None:
        while not self._stopping.is_set():
            try:
                self.run_batch(gists, wait=IDLE_SECONDS, gather=GATHER_SECONDS)
            except Exception:  # the worker must outlive any one batch: logged, and the next one runs
                log.exception("report vectors: a batch failed; its wordings are left for the report")
