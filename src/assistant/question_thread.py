"""Where the question route's work runs: off the event loop, on a few threads of its own.

A question is pure CPU (the model and the answer engine) under the GIL. Run on the event loop, a burst of
questions would hold up ``/healthz`` and new connections for as long as all of them take; run in the
shared thread pool (40 threads), 32 at once contend for the GIL and each switch costs CPU. A small pool of
its own keeps the loop free and the questions queued in order.
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

# One thread answers as fast as several under the GIL; the second lets a question waiting on the feedback
# database (a busy SQLite writer) not hold up the next one.
QUESTION_THREADS = 2


class QuestionThreads:
    """The threads that answer questions, one app's; closed with its lifespan."""

    def __init__(self, threads: int = QUESTION_THREADS) -> None:
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=threads, thread_name_prefix="question")

    async def run(self, work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run ``work(*args, **kwargs)`` on these threads, in the caller's context (its request id), and wait."""
        call = functools.partial(contextvars.copy_context().run, work, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(self._pool, call)

    def close(self) -> None:
        """Let the questions under way finish; take no more."""
        self._pool.shutdown(wait=True)
