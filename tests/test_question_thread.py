"""The question route's answers: on the event loop, taking turns with everything else."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from assistant.question_thread import QuestionThreads

T = TypeVar("T")


def run(main: Coroutine[Any, Any, T]) -> tuple[T, int]:
    """``main`` run by ``asyncio.run`` on a thread of its own, with that thread's id: a test run earlier in the
    session (a browser test) may leave an event loop marked running on pytest's thread."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: (asyncio.run(main), threading.get_ident())).result()


def test_a_request_arriving_during_a_question_is_served_before_the_next_question() -> None:
    events: list[str] = []

    async def probe() -> None:  # what /healthz does: a coroutine that needs a turn of the loop
        events.append("probe")

    def work(n: int) -> int:
        events.append(f"start {n}")
        if n == 0:
            asyncio.get_running_loop().create_task(probe())
        events.append(f"end {n}")
        return n * 10

    async def main() -> list[int]:
        threads = QuestionThreads()
        # Three questions ready in the same turn, as when their bodies arrive together.
        return list(await asyncio.gather(*(threads.answer(work, n) for n in range(3))))

    assert run(main())[0] == [0, 10, 20]
    assert events == ["start 0", "end 0", "probe", "start 1", "end 1", "start 2", "end 2"]


def test_an_answer_runs_on_the_loop_thread() -> None:
    async def main() -> int:
        return await QuestionThreads().answer(threading.get_ident)

    answered_on, loop_thread = run(main())
    assert answered_on == loop_thread
