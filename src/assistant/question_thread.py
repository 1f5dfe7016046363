"""Where the question route's answer runs: on the event loop, one question per turn of the loop.

A question is pure CPU (the model and the answer engine) under the GIL. Handed to another thread, it costs
the server far more CPU than its own work: the GIL passes between that thread and the event loop (every
switch interval, and every time numpy releases it), each time to the other core with the interpreter's
state cold there, and each hand-off wakes a sleeping thread. Measured on `assistant serve` (docs/BENCHMARKS.md,
issue 14's sixth pass): 4–9 ms of CPU per question more than the same work on the loop. So the answer runs
on the loop, and the questions take turns: one question per turn of the loop, so that between two questions
the loop reads its sockets, answers ``/healthz``, accepts connections and keeps its header deadlines (a
question takes 5–40 ms). Storing the question is not a round trip: the row is handed to the feedback store's
writer thread once the reply is sent (``deferred.py``), and nothing waits for it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


class QuestionThreads:
    """The question route's turns on the event loop, one app's."""

    def __init__(self) -> None:
        # Held by the question being answered. A question that finds it free still gives up the turn it arrived
        # in (requests whose bodies arrived together reach here in the same turn, and would otherwise be
        # answered back to back); one that waits for it resumes in a later turn, after the loop has polled its
        # sockets (asyncio runs what becomes ready during a turn in the next one).
        self._turn = asyncio.Lock()

    async def answer(self, work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run ``work(*args, **kwargs)`` on the event loop, in a turn of its own, after the questions ahead of it."""
        async with self._turn:
            await asyncio.sleep(0)
            return work(*args, **kwargs)
