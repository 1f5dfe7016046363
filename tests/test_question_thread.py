"""The question route's work: answers on the event loop taking turns with everything else, rows on threads."""

from __future__ import annotations

import asyncio
import contextvars
import threading
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from assistant.question_thread import QuestionThreads

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
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
        try:
            # Three questions ready in the same turn, as when their bodies arrive together.
            return list(await asyncio.gather(*(threads.answer(work, n) for n in range(3))))
        finally:
            threads.close()

    assert run(main())[0] == [0, 10, 20]
    assert events == ["start 0", "end 0", "probe", "start 1", "end 1", "start 2", "end 2"]


def test_answers_run_on_the_loop_in_the_request_context_and_rows_on_a_thread() -> None:
    def where() -> tuple[int, str]:
        return threading.get_ident(), request_id.get()

    async def main() -> tuple[tuple[int, str], tuple[int, str]]:
        threads = QuestionThreads()
        request_id.set("req-1")
        try:
            return await threads.answer(where), await threads.run(where)
        finally:
            threads.close()

    ((answered_on, answered_id), (stored_on, stored_id)), loop_thread = run(main())
    assert answered_on == loop_thread and stored_on != loop_thread
    assert answered_id == stored_id == "req-1"


def test_rows_are_written_on_the_loop_for_a_local_database_else_on_a_thread() -> None:
    async def main(store_on_loop: bool) -> int:
        threads = QuestionThreads(store_on_loop=store_on_loop)
        try:
            return await threads.store(threading.get_ident)
        finally:
            threads.close()

    stored_on, loop_thread = run(main(True))
    assert stored_on == loop_thread
    stored_on, loop_thread = run(main(False))
    assert stored_on != loop_thread
