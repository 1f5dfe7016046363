"""Work done after the reply: questions stored and access-log lines written by a thread of their own, in order,
drained on a clean stop, and waited for on demand."""

from __future__ import annotations

import contextvars
import dataclasses
import datetime as dt
import io
import logging
import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from assistant import feedback_guard
from assistant.answer import Answer, Citation
from assistant.api import create_app
from assistant.deferred import DeferredWriter
from assistant.embedding import FakeEmbedder
from assistant.errors import AnswerNotFound
from assistant.feedback import FeedbackStore
from assistant.feedback_guard import GuardedFeedbackStore
from assistant.service import AskResult
from assistant.settings import Settings
from conftest import log_entries

tag: contextvars.ContextVar[str] = contextvars.ContextVar("tag", default="-")
EPOCH = dt.datetime(2000, 1, 1)


def result(question: str = "东关街道要新建几处老年食堂？", answered: bool = True) -> AskResult:
    """An answer as the assistant returns it, citing one passage when answered."""
    citations = [Citation(1, "eldercare", "东关街道居家养老服务方案", "2024-03-15", "新建4处", 3, 7, 0.61)]
    answer = Answer(answered, "新建4处[1]" if answered else "抱歉……", citations if answered else [], "answered", 0.42)
    return AskResult(question, answer, 12.5, {})


def db(path: Path) -> Settings:
    """Settings with a SQLite feedback database at ``path`` and a fixed salt for the clients' hashes."""
    return Settings(database_url=f"sqlite:///{path}", client_salt=SecretStr("a-salt-shared-by-both-databases"))


class Gate:
    """A write that waits until the test opens it, noting each item with its thread and context."""

    def __init__(self) -> None:
        self.open = threading.Event()
        self.written: list[tuple[int, int, str]] = []

    def __call__(self, item: int) -> None:
        self.open.wait(10)
        self.written.append((item, threading.get_ident(), tag.get()))


def test_items_are_written_in_order_on_one_other_thread_in_the_submitters_context() -> None:
    gate = Gate()
    writer: DeferredWriter[int] = DeferredWriter(gate, "test-writer", gather=0.0)
    for n in range(5):
        tag.set(f"request-{n}")
        writer.submit(n)
    assert gate.written == []  # submit never waits for the write
    gate.open.set()
    assert writer.flush(10)
    assert [(item, context) for item, _, context in gate.written] == [(n, f"request-{n}") for n in range(5)]
    assert len({thread for _, thread, _ in gate.written}) == 1
    assert gate.written[0][1] != threading.get_ident()
    writer.close()


def test_flush_waits_for_what_was_submitted_and_cuts_the_gathering_short() -> None:
    written: list[int] = []
    writer: DeferredWriter[int] = DeferredWriter(written.append, "test-writer", gather=60.0)
    writer.submit(1)
    writer.submit(2)
    assert writer.flush(10)  # well before the minute the thread would otherwise let items gather
    assert written == [1, 2]
    assert writer.flush(0)  # nothing pending: returns at once
    writer.close()


def test_flush_times_out_while_a_write_is_stuck() -> None:
    gate = Gate()
    writer: DeferredWriter[int] = DeferredWriter(gate, "test-writer", gather=0.0)
    writer.submit(1)
    assert not writer.flush(0.05)
    gate.open.set()
    assert writer.flush(10)
    writer.close()


def test_close_writes_everything_queued_and_later_items_on_the_callers_thread() -> None:
    gate = Gate()
    writer: DeferredWriter[int] = DeferredWriter(gate, "test-writer", gather=60.0)
    for n in range(3):
        writer.submit(n)
    gate.open.set()
    writer.close()  # does not wait the gathering minute either
    assert [item for item, _, _ in gate.written] == [0, 1, 2]
    writer.submit(3)
    assert gate.written[-1][:2] == (3, threading.get_ident())


def test_a_failing_write_is_logged_and_the_next_items_still_written(caplog: pytest.LogCaptureFixture) -> None:
    written: list[int] = []

    def write(item: int) -> None:
        if item == 1:
            raise RuntimeError("boom")
        written.append(item)

    writer: DeferredWriter[int] = DeferredWriter(write, "test-writer", gather=0.0)
    with caplog.at_level(logging.ERROR, logger="assistant.deferred"):
        for n in range(3):
            writer.submit(n)
        assert writer.flush(10)
    assert written == [0, 2]
    assert "test-writer: a deferred write failed" in caplog.text
    writer.close()


def test_a_question_stored_later_is_the_row_stored_at_once(tmp_path: Path) -> None:
    later = GuardedFeedbackStore(db(tmp_path / "later.db"))
    now = GuardedFeedbackStore(db(tmp_path / "now.db"))
    try:
        asked = [result("东关街道要新建几处老年食堂？"), result("护照怎么办？", answered=False)]
        for n, one in enumerate(asked):
            later.record_later(one, "192.0.2.7", f"id-{n}")
            now.record(one, "192.0.2.7", f"id-{n}")
        assert later.flush(10)
        stored_later, stored_now = later.questions(), now.questions()
        assert len(stored_later) == 2
        # The same columns and values, the time of asking aside (taken when each was handed over).
        unstamped = [dataclasses.replace(q, asked_at=EPOCH) for q in stored_later]
        assert unstamped == [dataclasses.replace(q, asked_at=EPOCH) for q in stored_now]
        assert all(q.asked_at <= n.asked_at for q, n in zip(stored_later, stored_now, strict=True))
    finally:
        later.close()
        now.close()


def test_questions_reads_the_rows_whose_replies_went_out(tmp_path: Path) -> None:
    store = GuardedFeedbackStore(db(tmp_path / "fb.db"))
    try:
        store.record_later(result(), "192.0.2.7", "answered-just-now")
        assert [q.id for q in store.questions()] == ["answered-just-now"]  # no flush needed by the reader
    finally:
        store.close()


def test_closing_the_store_writes_the_queued_questions_first(tmp_path: Path) -> None:
    settings = db(tmp_path / "fb.db")
    store = GuardedFeedbackStore(settings)
    for n in range(20):
        store.record_later(result(f"问题{n}"), "192.0.2.7", f"id-{n}")
    store.close()
    reopened = FeedbackStore.open(settings)
    try:
        assert sorted(q.id for q in reopened.questions()) == sorted(f"id-{n}" for n in range(20))
    finally:
        reopened.close()


def test_a_vote_right_after_the_reply_waits_for_the_row(tmp_path: Path) -> None:
    store = GuardedFeedbackStore(db(tmp_path / "fb.db"))
    try:
        store.expect("voted-at-once")
        store.record_later(result(), "192.0.2.7", "voted-at-once")
        store.vote("voted-at-once", helpful=True)  # would be 404 (AnswerNotFound) without the wait
        [row] = store.questions()
        assert row.helpful is True
    finally:
        store.close()


def test_the_app_writes_queued_rows_and_log_lines_when_it_stops(
    settings: Settings, tmp_path: Path, json_log: io.StringIO
) -> None:
    config = settings.model_copy(update={"database_url": f"sqlite:///{tmp_path / 'fb.db'}"})
    with TestClient(create_app(config, embedder=FakeEmbedder())) as client:
        replies = [
            client.post(
                "/api/ask", json={"question": f"东关街道要新建几处老年食堂？{n}"}, headers={"X-Request-ID": f"r-{n}"}
            )
            for n in range(3)
        ]
        ids = [reply.json()["id"] for reply in replies]
    store = FeedbackStore.open(config)
    try:
        assert sorted(q.id for q in store.questions()) == sorted(ids)
    finally:
        store.close()
    lines = [e for e in log_entries(json_log, "assistant.access") if e["route"] == "/api/ask"]
    assert [(e["request_id"], e["status"]) for e in lines] == [(f"r-{n}", 200) for n in range(3)]


def test_the_access_log_line_is_written_off_the_loop_but_flushable(settings: Settings, json_log: io.StringIO) -> None:
    with TestClient(create_app(settings, embedder=FakeEmbedder())) as client:
        client.get("/healthz", headers={"X-Request-ID": "probe-1"})
        assert client.app.state.access_log_writer.flush(10)  # type: ignore[attr-defined]
        [entry] = [e for e in log_entries(json_log, "assistant.access") if e["request_id"] == "probe-1"]
        assert (entry["method"], entry["route"], entry["status"]) == ("GET", "/healthz", 200)
        assert logging.getLogger("assistant.access").isEnabledFor(logging.INFO)


def test_a_vote_on_an_answer_another_worker_has_not_stored_yet_waits_for_it(tmp_path: Path) -> None:
    settings = db(tmp_path / "fb.db")
    other = GuardedFeedbackStore(settings)  # the worker that answered: its writer has not stored the row yet
    naps: list[float] = []

    def nap(seconds: float) -> None:
        naps.append(seconds)
        assert other.flush(10)  # while this worker waits, the other one stores the answer

    this = GuardedFeedbackStore(settings, sleep=nap)
    try:
        other.record_later(result(), "192.0.2.7", "answered-elsewhere")
        this.vote("answered-elsewhere", True)
        assert naps == [feedback_guard.OTHER_WORKER_STEP_SECONDS]
        assert this.questions()[0].helpful is True
    finally:
        this.close()
        other.close()


def test_a_vote_on_an_unknown_answer_is_refused_after_the_grace(tmp_path: Path) -> None:
    now = [0.0]

    def nap(seconds: float) -> None:
        now[0] += seconds

    store = GuardedFeedbackStore(db(tmp_path / "fb.db"), clock=lambda: now[0], sleep=nap)
    try:
        with pytest.raises(AnswerNotFound, match="no answer with id 'nobody-asked'"):
            store.vote("nobody-asked", True)
        assert feedback_guard.OTHER_WORKER_GRACE_SECONDS <= now[0] < feedback_guard.OTHER_WORKER_GRACE_SECONDS + 0.1
    finally:
        store.close()
