"""Report vectors made when questions are stored and kept in the feedback database: counts of model calls, no timing."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from assistant.answer import Answer
from assistant.api import create_app
from assistant.embedding import FakeEmbedder, Vectors
from assistant.feedback import FeedbackStore, utcnow
from assistant.feedback_guard import GuardedFeedbackStore
from assistant.report import ReportJob
from assistant.report_gists import GistIndexer, StoredGists
from assistant.service import AskResult
from assistant.settings import Settings

TOKEN = "report-gists-admin-token"
TOPICS = '{"topics": [{"name": "养老", "keywords": ["养老", "老人"]}]}'


class CountingEmbedder(FakeEmbedder):
    """The fake model, counting the texts it embeds (from any thread)."""

    def __init__(self) -> None:
        self.texts = 0
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Embed and count."""
        with self._lock:
            self.texts += len(texts)
        return super().encode(texts)


@pytest.fixture
def config(settings: Settings, tmp_path: Path) -> Settings:
    topics = tmp_path / "topics.json"
    topics.write_text(TOPICS, encoding="utf-8")
    return settings.model_copy(
        update={"database_url": f"sqlite:///{tmp_path / 'gists.db'}", "topics_file": topics, "report_batch": 10}
    )


@pytest.fixture
def store(config: Settings) -> Iterator[FeedbackStore]:
    opened = FeedbackStore.open(config)
    yield opened
    opened.close()


def declined(question: str) -> AskResult:
    return AskResult(question, Answer(False, "抱歉", [], "not_covered", 0.0), 1.0, {})


def gists_of(store: FeedbackStore, embedder: FakeEmbedder) -> StoredGists:
    return StoredGists(store, embedder.name, embedder.dimension)


def test_each_stored_wording_is_embedded_once_and_the_report_reads_it(store: FeedbackStore, config: Settings) -> None:
    embedder = CountingEmbedder()
    indexer = GistIndexer(embedder)
    store.on_stored = indexer.submit
    for question in ["地铁什么时候通？", "地铁什么时候通", "老人食堂在哪里？", "地铁什么时候通？"]:
        store.record(declined(question), "10.0.0.1")
    assert indexer.drain(gists_of(store, embedder)) == 2  # two wordings: punctuation makes no new one
    assert embedder.texts == 2 * 2  # two texts per wording
    # Again later: nothing new to embed.
    store.record(declined("地铁什么时候通!"), "10.0.0.2")
    assert indexer.drain(gists_of(store, embedder)) == 0
    # The report finds every vector stored: it embeds no wording, only the topic keywords.
    report_model = CountingEmbedder()
    job = ReportJob(store, report_model, config, cache=gists_of(store, report_model))
    assert job.done
    assert job.finish().questions == 5
    assert report_model.texts == 2  # the topics file's two keywords


def test_the_vectors_outlive_the_process_that_made_them(store: FeedbackStore, config: Settings) -> None:
    embedder = CountingEmbedder()
    store.record(declined("公积金怎么提取？"), "10.0.0.1")
    ReportJob(store, embedder, config, cache=gists_of(store, embedder)).finish()
    reopened = FeedbackStore.open(config)
    try:
        job = ReportJob(reopened, embedder, config, cache=gists_of(reopened, embedder))
        assert job.done
    finally:
        reopened.close()


def test_vectors_of_another_model_are_not_used(store: FeedbackStore, config: Settings) -> None:
    embedder = CountingEmbedder()
    store.record(declined("公积金怎么提取？"), "10.0.0.1")
    ReportJob(store, embedder, config, cache=gists_of(store, embedder)).finish()
    other = StoredGists(store, "another-model", embedder.dimension)
    assert len(ReportJob(store, embedder, config, cache=other).pending) == 1


def test_vectors_go_with_the_retention_period(store: FeedbackStore, config: Settings) -> None:
    embedder = CountingEmbedder()
    store.record(declined("公积金怎么提取？"), "10.0.0.1")
    gists = gists_of(store, embedder)
    ReportJob(store, embedder, config, cache=gists).finish()
    assert list(gists.get_many(["公积金怎么提取"])) == ["公积金怎么提取"]
    later = utcnow() + dt.timedelta(days=config.feedback_retention_days + 1)
    store.prune(now=later)
    assert gists.get_many(["公积金怎么提取"]) == {}


def test_a_full_queue_drops_questions_instead_of_blocking(store: FeedbackStore) -> None:
    embedder = CountingEmbedder()
    indexer = GistIndexer(embedder, queue_size=2)
    for i in range(5):
        indexer.submit(f"问题{i}")
    assert indexer.dropped == 3
    assert indexer.drain(gists_of(store, embedder)) == 2
    assert indexer.wait_idle(timeout=0)


def test_a_server_embeds_stored_questions_in_the_background(config: Settings) -> None:
    embedder = CountingEmbedder()
    app = create_app(config.model_copy(update={"admin_token": SecretStr(TOKEN)}), embedder=embedder)
    with TestClient(app) as client:
        for question in ["地铁什么时候通？", "公积金怎么提取？", "老人食堂在哪里？"]:
            assert client.post("/api/ask", json={"question": question}).status_code == 200
        assert app.state.feedback.flush(30)  # stored once the replies are sent, then handed to the indexer
        assert app.state.gist_indexer.wait_idle(timeout=30)
        assert app.state.gist_indexer.embedded == 3
        before = embedder.texts
        reply = client.get("/api/admin/report", headers={"Authorization": f"Bearer {TOKEN}"})
        assert reply.status_code == 200 and reply.json()["questions"] == 3
        assert embedder.texts - before == 2  # only the topic keywords: every wording's vector was stored


def test_a_closed_store_is_not_reopened_by_a_late_background_write(config: Settings) -> None:
    guarded = GuardedFeedbackStore(config)
    assert guarded.current() is not None
    guarded.close()
    guarded.put_gist_vectors({"k": b"\x00\x00"})
    assert guarded.current() is None
