"""Feedback storage and its API, on real SQLite files and a real PostgreSQL server: ids, votes, retention,
client hashes, several writers."""

from __future__ import annotations

import datetime as dt
import logging
import multiprocessing
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import create_engine, text

from assistant import dbschema
from assistant.answer import Answer, Citation
from assistant.api import create_app
from assistant.embedding import FakeEmbedder
from assistant.errors import AnswerNotFound, InvalidFeedback, StorageUnavailable
from assistant.feedback import FeedbackStore, utcnow
from assistant.feedback_guard import GuardedFeedbackStore
from assistant.service import AskResult
from assistant.settings import Settings
from conftest import NewDatabase, ask

TOKEN = "an-admin-token-of-some-length"
WRITERS = 4
WRITES_EACH = 100


def db_settings(url: str, **overrides: Any) -> Settings:
    """Settings whose feedback database is ``url``."""
    return Settings(database_url=url, **overrides)


def sqlite_settings(tmp_path: Path, **overrides: Any) -> Settings:
    """Settings whose feedback database is a fresh SQLite file under ``tmp_path``."""
    return db_settings(f"sqlite:///{tmp_path / 'var' / 'feedback.db'}", **overrides)


def result(question: str = "东关街道要新建几处老年食堂？", answered: bool = True) -> AskResult:
    """An answer as the assistant returns it, citing one passage when answered."""
    citations = [Citation(1, "eldercare", "东关街道居家养老服务方案", "2024-03-15", "新建4处", 3, 7, 0.61)]
    answer = Answer(answered, "新建4处[1]" if answered else "抱歉……", citations if answered else [], "answered", 0.42)
    return AskResult(question, answer, 12.5, {})


@pytest.fixture
def store(database_url: str) -> Iterator[FeedbackStore]:
    opened = FeedbackStore.open(db_settings(database_url))
    yield opened
    opened.close()


@pytest.fixture
def api(settings: Settings, database_url: str) -> Iterator[TestClient]:
    """The API over the small corpus, with its own feedback database (each backend) and an admin token."""
    config = settings.model_copy(update={"database_url": database_url, "admin_token": SecretStr(TOKEN)})
    with TestClient(create_app(config, embedder=FakeEmbedder()), client=("192.0.2.7", 50000)) as c:
        yield c


def test_an_answer_is_stored_under_its_id_and_a_vote_round_trips(api: TestClient) -> None:
    body = ask(api, "东关街道要新建几处老年食堂？")
    assert str(uuid.UUID(body["id"])) == body["id"]

    assert api.app.state.feedback.flush(10)  # type: ignore[attr-defined]  # stored once the reply is sent
    store: FeedbackStore = api.app.state.feedback.current()  # type: ignore[attr-defined]
    [row] = store.questions()
    assert (row.id, row.question, row.answered, row.answer) == (body["id"], body["question"], True, body["answer"])
    assert row.cited == [f"{c['doc_id']}:{c['start']}-{c['end']}" for c in body["citations"]]
    assert row.top_score == max(c["score"] for c in body["citations"])
    assert row.latency_ms == pytest.approx(body["took_ms"], abs=0.01)
    assert abs(row.asked_at - utcnow()) < dt.timedelta(minutes=1)
    assert row.helpful is None

    reply = api.post("/api/feedback", json={"id": body["id"], "helpful": False, "comment": "  没说在哪里  "})
    assert reply.status_code == 204 and reply.content == b""
    [row] = store.questions()
    assert (row.helpful, row.comment) == (False, "没说在哪里")


def test_the_daily_cap_is_checked_by_the_insert_itself(database_url: str) -> None:
    store = FeedbackStore.open(db_settings(database_url, stored_questions_per_client_day=2))
    try:
        noon = dt.datetime(2026, 3, 1, 12, 0)
        same_day = [
            store.record(result(f"问题{n}"), "192.0.2.1", asked_at=noon + dt.timedelta(minutes=n)) for n in range(3)
        ]
        other_client = store.record(result("别人的问题"), "192.0.2.2", asked_at=noon)
        next_day = store.record(result("第二天"), "192.0.2.1", asked_at=noon + dt.timedelta(days=1))
        given = store.record(result("指定的编号"), "192.0.2.3", asked_at=noon, answer_id="an-id-chosen-before")
        stored = {row.id: row for row in store.questions()}
        assert set(stored) == {*same_day[:2], other_client, next_day, given}
        row = stored[next_day]
        assert (row.question, row.asked_at, row.answered, row.top_score) == (
            "第二天",
            noon + dt.timedelta(days=1),
            True,
            0.61,
        )
        assert store.writable
    finally:
        store.close()


class _Watched(threading.Event):
    """An event that says when someone starts waiting on it."""

    def __init__(self) -> None:
        super().__init__()
        self.waiting = threading.Event()

    def wait(self, timeout: float | None = None) -> bool:
        self.waiting.set()
        return super().wait(timeout)


def test_a_vote_on_an_answer_not_stored_yet_waits_for_its_row(tmp_path: Path) -> None:
    # The question route replies first and stores afterwards: a quick client's vote must not get 404.
    guard = GuardedFeedbackStore(sqlite_settings(tmp_path))
    try:
        answer_id = str(uuid.uuid4())
        guard.expect(answer_id)
        stored = guard._pending[answer_id] = _Watched()
        failures: list[Exception] = []

        def vote() -> None:
            try:
                guard.vote(answer_id, helpful=True)
            except Exception as exc:  # reported by the assertion below
                failures.append(exc)

        voter = threading.Thread(target=vote)
        voter.start()
        assert stored.waiting.wait(10)  # the vote is waiting, before the question is stored
        assert guard.record(result(), "192.0.2.1", answer_id) == answer_id
        voter.join(10)
        assert not voter.is_alive() and failures == []
        [row] = guard.questions()
        assert (row.id, row.helpful) == (answer_id, True)
        assert guard._pending == {}
    finally:
        guard.close()


def test_a_declined_question_is_stored_as_unanswered(api: TestClient) -> None:
    body = ask(api, "今天的天气怎么样？")
    assert body["answered"] is False
    [row] = api.app.state.feedback.questions()  # type: ignore[attr-defined]
    assert (row.answered, row.reason, row.cited, row.top_score) == (False, "not_covered", [], None)


def test_a_second_vote_replaces_the_first(api: TestClient, database_url: str) -> None:
    answer_id = ask(api, "招聘会提供多少个岗位？")["id"]
    assert api.post("/api/feedback", json={"id": answer_id, "helpful": True, "comment": "清楚"}).status_code == 204
    assert api.post("/api/feedback", json={"id": answer_id, "helpful": False}).status_code == 204

    # Read back with a connection of its own, as another worker would.
    engine = create_engine(database_url)
    with engine.connect() as conn:
        votes = conn.execute(text("SELECT question_id, helpful, comment FROM votes")).all()
    engine.dispose()
    assert [(question_id, bool(helpful), comment) for question_id, helpful, comment in votes] == [
        (answer_id, False, None)
    ]


def test_a_vote_on_an_unknown_id_is_404(api: TestClient) -> None:
    unknown = str(uuid.uuid4())
    reply = api.post("/api/feedback", json={"id": unknown, "helpful": True})
    assert reply.status_code == 404
    assert reply.json()["error"] == "AnswerNotFound"
    assert unknown in reply.json()["message"]
    assert api.post("/api/feedback", json={"id": "not-an-id", "helpful": True}).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"helpful": True}, "id"),
        ({"id": 7, "helpful": True}, "id"),
        ({"id": "x"}, "helpful"),
        ({"id": "x", "helpful": "yes"}, "helpful"),
        ({"id": "x", "helpful": 1}, "helpful"),
        ({"id": "x", "helpful": True, "comment": 5}, "comment"),
    ],
)
def test_bad_feedback_is_422_naming_the_field(api: TestClient, body: dict[str, Any], field: str) -> None:
    reply = api.post("/api/feedback", json=body)
    assert reply.status_code == 422
    assert reply.json()["message"].startswith(f"{field}:")


def test_a_comment_may_have_500_characters_but_not_501(api: TestClient) -> None:
    answer_id = ask(api, "重点项目总投资多少？")["id"]
    assert api.post("/api/feedback", json={"id": answer_id, "helpful": False, "comment": "长" * 500}).status_code == 204
    reply = api.post("/api/feedback", json={"id": answer_id, "helpful": False, "comment": "长" * 501})
    assert reply.status_code == 422
    assert reply.json()["message"] == "comment: must be at most 500 characters"
    [row] = api.app.state.feedback.questions()  # type: ignore[attr-defined]
    assert row.comment == "长" * 500


def test_the_client_is_stored_as_a_salted_hash_never_the_address(api: TestClient, database_url: str) -> None:
    ask(api, "东关街道要新建几处老年食堂？")
    assert api.app.state.feedback.flush(10)  # type: ignore[attr-defined]
    store: FeedbackStore = api.app.state.feedback.current()  # type: ignore[attr-defined]
    [row] = store.questions()
    assert row.client == store.client_hash("192.0.2.7") != store.client_hash("192.0.2.8")
    assert len(row.client) == 32
    # Every text column of every table, as the database holds it.
    with store.engine.connect() as conn:
        stored = [
            str(v)
            for table in ("questions", "votes", "meta")
            for r in conn.execute(text(f"SELECT * FROM {table}"))
            for v in r
        ]
    assert stored and not any("192.0.2.7" in v for v in stored)


def test_the_salt_is_generated_once_per_database_or_taken_from_the_settings(new_database: NewDatabase) -> None:
    url = new_database()
    first, again = FeedbackStore.open(db_settings(url)), FeedbackStore.open(db_settings(url))
    other_db = FeedbackStore.open(db_settings(new_database()))
    salted = FeedbackStore.open(db_settings(url, client_salt=SecretStr("a-configured-salt-value")))
    try:
        assert first.client_hash("198.51.100.1") == again.client_hash("198.51.100.1")
        assert first.client_hash("198.51.100.1") != other_db.client_hash("198.51.100.1")
        assert salted.client_hash("198.51.100.1") not in {first.client_hash("198.51.100.1"), ""}
    finally:
        for store in (first, again, other_db, salted):
            store.close()


def test_retention_prunes_old_questions_and_their_votes(database_url: str) -> None:
    settings = db_settings(database_url, feedback_retention_days=30)
    store = FeedbackStore.open(settings)
    now = utcnow()
    old = store.record(result("旧问题"), "192.0.2.1", asked_at=now - dt.timedelta(days=31))
    recent = store.record(result("新问题"), "192.0.2.1", asked_at=now - dt.timedelta(days=29))
    store.vote(old, helpful=False, comment="旧")
    store.vote(recent, helpful=True)

    assert store.prune(now) == 1
    assert [(q.question, q.helpful) for q in store.questions()] == [("新问题", True)]
    with pytest.raises(AnswerNotFound):
        store.vote(old, helpful=True)
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM votes")).scalar_one() == 1
    store.close()

    # Opening the store prunes too (a server that restarts daily needs nothing else).
    store.record(result("也旧"), None, asked_at=now - dt.timedelta(days=40))
    reopened = FeedbackStore.open(settings)
    assert [q.question for q in reopened.questions()] == ["新问题"]
    reopened.close()


def test_the_store_checks_the_comment_length_itself(store: FeedbackStore) -> None:
    answer_id = store.record(result(), "192.0.2.1")
    with pytest.raises(InvalidFeedback, match="comment"):
        store.vote(answer_id, helpful=False, comment="x" * 501)
    store.vote(answer_id, helpful=False, comment="   ")
    assert store.questions()[0].comment is None


def test_the_schema_is_created_in_a_new_folder_with_wal(tmp_path: Path) -> None:
    store = FeedbackStore.open(sqlite_settings(tmp_path))
    store.close()
    path = tmp_path / "var" / "feedback.db"
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        version = db.execute("SELECT version_num FROM alembic_version").fetchall()
    assert {"questions", "votes", "meta"} <= tables
    assert version == [(dbschema.head_revision(),)]


def test_a_database_from_newer_code_is_refused(database_url: str) -> None:
    store = FeedbackStore.open(db_settings(database_url))
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    store.close()
    with pytest.raises(StorageUnavailable, match="'9999', unknown to this code"):
        FeedbackStore.open(db_settings(database_url))


@pytest.mark.parametrize("url", ["mysql://u:p@localhost/x", "not a url"])
def test_an_unusable_database_url_is_refused_with_the_setting_named(tmp_path: Path, url: str) -> None:
    with pytest.raises(StorageUnavailable, match="ASSISTANT_DATABASE_URL"):
        FeedbackStore.open(Settings(database_url=url))


def test_nothing_is_stored_when_recording_is_off(settings: Settings, tmp_path: Path) -> None:
    config = settings.model_copy(update={"database_url": f"sqlite:///{tmp_path / 'off.db'}", "record_questions": False})
    with TestClient(create_app(config, embedder=FakeEmbedder())) as client:
        body = ask(client, "招聘会提供多少个岗位？")
        assert uuid.UUID(body["id"])
        assert client.app.state.feedback.questions() == []  # type: ignore[attr-defined]
        assert client.post("/api/feedback", json={"id": body["id"], "helpful": True}).status_code == 404


def test_a_failing_database_does_not_fail_the_answer(api: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    store: FeedbackStore = api.app.state.feedback.current()  # type: ignore[attr-defined]
    with store.engine.begin() as conn:
        conn.execute(text("DROP TABLE votes"))
        conn.execute(text("DROP TABLE questions"))
    with caplog.at_level(logging.ERROR, logger="assistant.feedback"):
        body = ask(api, "招聘会提供多少个岗位？")
        assert api.app.state.feedback.flush(10)  # type: ignore[attr-defined]
    assert body["answered"] is True and uuid.UUID(body["id"])
    assert "could not record question" in caplog.text


def _writer(url: str, worker: int, count: int) -> list[str]:
    """One server process's writes: record questions and vote on each, through its own engine."""
    store = FeedbackStore.open(Settings(database_url=url, database_busy_timeout_ms=30_000))
    ids = []
    for n in range(count):
        answer_id = store.record(result(f"问题 {worker}-{n}"), f"10.0.0.{worker}")
        store.vote(answer_id, helpful=n % 2 == 0, comment=f"{worker}-{n}")
        store.vote(answer_id, helpful=n % 2 == 1)
        ids.append(answer_id)
    store.close()
    return ids


@pytest.mark.integration
def test_several_processes_write_to_one_database_at_once(database_url: str) -> None:
    url = database_url
    FeedbackStore.open(Settings(database_url=url)).close()  # the schema first: its migration is tested elsewhere
    # fork: the writers need none of the model code, and spawning would import it all again in each one.
    context = multiprocessing.get_context("fork")
    with context.Pool(WRITERS) as pool:
        written = pool.starmap(_writer, [(url, worker, WRITES_EACH) for worker in range(WRITERS)])

    ids = [i for batch in written for i in batch]
    assert len(ids) == len(set(ids)) == WRITERS * WRITES_EACH
    store = FeedbackStore.open(Settings(database_url=url))
    stored = store.questions()
    store.close()
    assert {q.id for q in stored} == set(ids)
    # Every question kept exactly its second vote.
    assert all(q.helpful == (int(q.question.rsplit("-", 1)[1]) % 2 == 1) and q.comment is None for q in stored)
    assert len({q.client for q in stored}) == WRITERS


def test_the_report_needs_the_admin_token(settings: Settings, database_url: str) -> None:
    config = settings.model_copy(update={"database_url": database_url})
    with TestClient(create_app(config, embedder=FakeEmbedder())) as client:
        assert client.get("/api/admin/report").status_code == 404
    config = config.model_copy(update={"admin_token": SecretStr(TOKEN)})
    with TestClient(create_app(config, embedder=FakeEmbedder())) as client:
        assert client.get("/api/admin/report").status_code == 401
        wrong = client.get("/api/admin/report", headers={"Authorization": "Bearer not-the-token-at-all"})
        assert wrong.status_code == 401
        ok = client.get("/api/admin/report", headers={"Authorization": f"Bearer {TOKEN}"})
        assert ok.status_code == 200
        assert ok.json()["questions"] == 0


def test_the_report_over_http(api: TestClient) -> None:
    for question in ["今天的天气怎么样？", "今天的天气怎么样?", "招聘会提供多少个岗位？"]:
        ask(api, question)
    answered = ask(api, "重点项目总投资多少？")
    api.post("/api/feedback", json={"id": answered["id"], "helpful": False, "comment": "想知道每个项目的投资"})
    auth = {"Authorization": f"Bearer {TOKEN}"}

    report = api.get("/api/admin/report", headers=auth).json()
    assert (report["questions"], report["answered"], report["votes"], report["helpful"]) == (4, 2, 1, 0)
    [group] = report["unanswered"]
    assert (group["asked"], group["askers"], len(group["wordings"])) == (2, 1, 1)
    [unhelpful] = report["unhelpful"]
    assert (unhelpful["question"], unhelpful["comment"]) == ("重点项目总投资多少？", "想知道每个项目的投资")

    tomorrow = (dt.datetime.now(dt.UTC) + dt.timedelta(days=2)).date().isoformat()
    assert api.get("/api/admin/report", params={"since": tomorrow}, headers=auth).json()["questions"] == 0
    bad = api.get("/api/admin/report", params={"since": "last week"}, headers=auth)
    assert bad.status_code == 422 and "since" in bad.json()["message"]


def test_the_report_is_503_naming_a_missing_topics_file(api: TestClient, tmp_path: Path) -> None:
    api.app.state.settings = api.app.state.settings.model_copy(  # type: ignore[attr-defined]
        update={"topics_file": tmp_path / "no-topics.json"}
    )
    reply = api.get("/api/admin/report", headers={"Authorization": f"Bearer {TOKEN}"})
    assert reply.status_code == 503
    assert "no-topics.json" in reply.json()["message"]


def test_the_feedback_routes_are_in_the_openapi_schema(api: TestClient) -> None:
    paths = api.get("/openapi.json").json()["paths"]
    assert {"204", "404", "422"} <= set(paths["/api/feedback"]["post"]["responses"])
    assert {"200", "401", "404", "503"} <= set(paths["/api/admin/report"]["get"]["responses"])
    assert "id" in api.get("/openapi.json").json()["components"]["schemas"]["AskResponse"]["required"]
