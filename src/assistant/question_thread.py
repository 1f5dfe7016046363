"""Where the question route's work runs: the answer on the event loop, one question per turn of the loop;
storing it on the loop too when the feedback database is a local SQLite file, else on a few threads of its own.

A question is pure CPU (the model and the answer engine) under the GIL. Handed to another thread, it costs
the server far more CPU than its own work: the GIL passes between that thread and the event loop (every
switch interval, and every time numpy releases it), each time to the other core with the interpreter's
state cold there, and each hand-off wakes a sleeping thread. Measured on `assistant serve` (docs/BENCHMARKS.md,
issue 14's sixth pass): 4–9 ms of CPU per question more than the same work on the loop. So the answer runs
on the loop, and the questions take turns: one question per turn of the loop, so that between two questions
the loop reads its sockets, answers ``/healthz``, accepts connections and keeps its header deadlines (a
question takes 5–40 ms). Storing a question in SQLite is under a millisecond of mostly CPU, and on a thread
it brings the hand-offs back (measured: 3–5 ms of CPU per question more); a SQLite writer waits for another
one only while that one writes a few rows (up to ``ASSISTANT_DATABASE_BUSY_TIMEOUT_MS`` in the worst case).
A PostgreSQL server is a network round trip away and can stall: its rows are written on the threads, which
never hold up the loop.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

# The second thread lets a question's row waiting on the feedback database (a busy SQLite writer) not hold up
# the next one's.
QUESTION_THREADS = 2


class QuestionThreads:
    """The question route's turns on the event loop and its storing threads, one app's; closed with its lifespan."""

    def __init__(self, threads: int = QUESTION_THREADS, store_on_loop: bool = False) -> None:
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=threads, thread_name_prefix="question")
        # Held by the question being answered. A question that finds it free still gives up the turn it arrived
        # in (requests whose bodies arrived together reach here in the same turn, and would otherwise be
        # answered back to back); one that waits for it resumes in a later turn, after the loop has polled its
        # sockets (asyncio runs what becomes ready during a turn in the next one).
        self._turn = asyncio.Lock()
        self.store_on_loop = store_on_loop

    async def answer(self, work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run ``work(*args, **kwargs)`` on the event loop, in a turn of its own, after the questions ahead of it."""
        async with self._turn:
            await asyncio.sleep(0)
            return work(*args, **kwargs)

    async def store(self, work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run ``work(*args, **kwargs)``, which writes to the feedback database: on the loop or on the threads."""
        if self.store_on_loop:
            return work(*args, **kwargs)
        return await self.run(work, *args, **kwargs)

    async def run(self, work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run ``work(*args, **kwargs)`` on these threads, in the caller's context (its request id), and wait."""
        call = functools.partial(contextvars.copy_context().run, work, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(self._pool, call)

    def close(self) -> None:
        """Let the rows under way be written; take no more."""
        self._pool.shutdown(wait=True)
