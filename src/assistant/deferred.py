"""Work done after a reply is sent, on a thread of its own: storing the question, writing the access-log line.

Before this, both ran on the event loop once the reply was out, so with one client the next question waited
for them (with PostgreSQL, the row was written on a thread the request waited for). Now the loop only hands
them over: :class:`DeferredWriter` runs each handed-over item on one thread, in the order handed over, in the
context (request id) of the request that handed it over. The thread wakes once per batch rather than once
per item: a thread waking takes the GIL from the event loop, and on `assistant serve` each such hand-off cost
more CPU than the row itself (docs/BENCHMARKS.md, issue 14). So once an item arrives, the thread lets more
gather for up to ``GATHER_SECONDS`` before it writes them.

``flush`` waits for everything handed over so far (tests, and readers that must see every row of the replies
already sent); ``close`` writes everything still queued before it returns, and the server's lifespan calls it
on a clean stop (uvicorn's graceful shutdown first waits for the requests under way, which have handed their
work over by then). A process killed without a clean stop loses what is still queued: the rows and log lines
of the requests answered in the last ``GATHER_SECONDS`` before the kill.
"""

from __future__ import annotations

import contextvars
import logging
import queue
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

# Once an item arrives, how long the thread lets more gather before writing them.
GATHER_SECONDS = 0.05


class DeferredWriter(Generic[T]):
    """Runs ``write`` on each handed-over item, in order, on a thread of its own started on the first item."""

    def __init__(self, write: Callable[[T], object], name: str, gather: float = GATHER_SECONDS) -> None:
        self._write = write
        self._name = name
        self._gather = gather
        # ``None`` tells the thread to stop once what was queued before it is written.
        self._queue: queue.SimpleQueue[tuple[contextvars.Context, T] | None] = queue.SimpleQueue()
        self._written = threading.Condition()
        self._submitted = 0
        self._done = 0
        self._thread: threading.Thread | None = None
        self._closed = False
        # Set by ``flush`` and ``close``: the thread writes what is queued now rather than gathering more.
        self._hurry = threading.Event()

    def submit(self, item: T) -> None:
        """Queue ``item`` to be written in the caller's context; never waits for the write."""
        with self._written:
            late = self._closed
            if not late:
                self._submitted += 1
                if self._thread is None:
                    self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                    self._thread.start()
                self._queue.put((contextvars.copy_context(), item))
        if late:
            # Handed over after ``close`` (the app is stopping, or a test reuses it): written now, not lost.
            self._write_one(item)

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every item submitted so far is written; ``False`` if ``timeout`` seconds passed first."""
        with self._written:
            target = self._submitted
            if self._done < target:
                self._hurry.set()
            return self._written.wait_for(lambda: self._done >= target, timeout)

    def close(self) -> None:
        """Write everything queued, then stop the thread; items handed over later are written on the caller's thread."""
        with self._written:
            self._closed = True
            thread = self._thread
        if thread is not None:
            self._queue.put(None)
            self._hurry.set()
            thread.join()

    def _run(self) -> None:
        while True:
            batch = [self._queue.get()]
            self._hurry.wait(self._gather)
            self._hurry.clear()
            while not self._queue.empty():
                batch.append(self._queue.get_nowait())
            for entry in batch:
                if entry is None:
                    return
                context, item = entry
                try:
                    context.run(self._write_one, item)
                finally:
                    with self._written:
                        self._done += 1
                        self._written.notify_all()

    def _write_one(self, item: T) -> None:
        try:
            self._write(item)
        except Exception:
            # One failing item must not stop the ones after it (the feedback store logs its own database errors).
            log.exception("%s: a deferred write failed", self._name)
