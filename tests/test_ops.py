"""Operations: readiness, metrics, and swapping the index under a running server (also a corrupted one)."""

from __future__ import annotations

import gc
import io
import logging
import shutil
import socket
import threading
import weakref
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient
from pydantic import SecretStr

from assistant.api import create_app
from assistant.embedding import FakeEmbedder
from assistant.errors import IndexUnavailable
from assistant.index import CURRENT_FILE, DENSE_FILE, build_index, current_build, write_atomic
from assistant.settings import Settings
from conftest import ELDERCARE, JOBS, PROJECTS, log_entries, write_doc

TOKEN = "0123456789abcdef-admin"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
QUESTIONS = [
    "街道要新建几处老年食堂？",
    "招聘会提供多少个岗位？",
    "重点项目总投资多少？",
    "科创产业园什么时候投入使用？",
]


def write_version(folder: Path, version: str) -> Path:
    """The small corpus as version A, or as version B where every passage reads differently (西关, other figures)."""

    def edit(text: str) -> str:
        if version == "A":
            return text
        text = text.replace("东关", "西关").replace("4处", "9处").replace("800", "650").replace("45亿", "61亿")
        return "\n".join(f"新版{line}" if line.strip() else line for line in text.split("\n"))

    write_doc(folder, "eldercare", edit(ELDERCARE), title=edit("东关街道居家养老服务方案"), published="2024-03-15")
    write_doc(folder, "jobs", edit(JOBS))
    write_doc(folder, "projects", edit(PROJECTS), title=edit("东关片区重点项目进展"), source="区发展改革局")
    return folder


@pytest.fixture
def versions(tmp_path: Path) -> dict[str, Path]:
    return {v: write_version(tmp_path / f"corpus-{v}", v) for v in ("A", "B")}


@pytest.fixture
def ops_settings(tmp_path: Path, versions: dict[str, Path]) -> Settings:
    """Version A, admin routes on, no watcher (tests reload by hand unless they turn it on)."""
    return Settings(
        corpus_dir=versions["A"],
        index_dir=tmp_path / "index",
        admin_token=SecretStr(TOKEN),
        index_watch_seconds=0,
        rate_limit="off",
    )


def build(settings: Settings, corpus: Path) -> str:
    """Build ``corpus`` into the settings' index folder, make it current, and return the build's name."""
    build_index(settings.model_copy(update={"corpus_dir": corpus}), FakeEmbedder())
    folder = current_build(settings.index_dir)
    assert folder is not None
    return folder.name


class Tally:
    """A count that threads raise and tests wait on, instead of sleeping for "long enough"."""

    def __init__(self) -> None:
        self.value = 0
        self._changed = threading.Condition()

    def add(self, n: int = 1) -> None:
        with self._changed:
            self.value += n
            self._changed.notify_all()

    def wait_for(self, target: int, timeout: float = 20.0) -> bool:
        """Whether the count reached ``target`` within ``timeout`` seconds."""
        with self._changed:
            return self._changed.wait_for(lambda: self.value >= target, timeout)


class Reloads(logging.Handler):
    """The reloader's outcomes as it logs them (``swapped``/``failed`` and the build served after), waitable."""

    def __init__(self) -> None:
        super().__init__()
        self.outcomes: list[tuple[str, str]] = []
        self._changed = threading.Condition()

    def emit(self, record: logging.LogRecord) -> None:
        if getattr(record, "event", None) == "index_reload":
            with self._changed:
                self.outcomes.append((getattr(record, "outcome", ""), getattr(record, "served", "")))
                self._changed.notify_all()

    def wait(self, done: Callable[[list[tuple[str, str]]], bool], timeout: float = 20.0) -> bool:
        """Whether ``done(outcomes)`` came true within ``timeout`` seconds."""
        with self._changed:
            return self._changed.wait_for(lambda: done(self.outcomes), timeout)

    def swapped_to(self, build_name: str) -> bool:
        """Wait until the reloader has swapped to ``build_name``."""
        return self.wait(lambda outcomes: ("swapped", build_name) in outcomes)


@pytest.fixture
def reloads() -> Iterator[Reloads]:
    logger = logging.getLogger("assistant.reload")
    handler, level = Reloads(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(level)


def served_build(client: TestClient | httpx.Client) -> str:
    reply = client.get("/readyz")
    assert reply.status_code == 200, reply.text
    build_name: str = reply.json()["build"]
    return build_name


# Readiness and metrics


def test_readyz_reports_the_served_build(ops_settings: Settings) -> None:
    name = build(ops_settings, ops_settings.corpus_dir)
    with TestClient(create_app(ops_settings, embedder=FakeEmbedder())) as c:
        reply = c.get("/readyz")
    assert reply.status_code == 200
    chunks = reply.json()["chunks"]
    assert reply.json() == {"status": "ready", "build": name, "documents": 3, "chunks": chunks, "feedback": "ok"}
    assert reply.json()["chunks"] > 0


def test_readyz_is_503_until_the_model_and_index_are_loaded(ops_settings: Settings) -> None:
    app = create_app(ops_settings, embedder=FakeEmbedder())
    c = TestClient(app)  # not entered: the lifespan has not loaded anything
    assert c.get("/readyz").status_code == 503
    assert c.get("/api/documents").status_code == 503
    assert c.post("/api/ask", json={"question": QUESTIONS[0]}).status_code == 503
    with c:
        assert c.get("/readyz").status_code == 200
    assert c.get("/readyz").status_code == 503  # shut down


def metric(text: str, name: str, **labels: str) -> float:
    """The value of one series in Prometheus' text format, whatever the order of its labels."""
    wanted = {f'{k}="{v}"' for k, v in labels.items()}
    for line in text.splitlines():
        series, _, value = line.rpartition(" ")
        series_name, _, series_labels = series.partition("{")
        if series_name == name and set(filter(None, series_labels.rstrip("}").split(","))) == wanted:
            return float(value)
    raise AssertionError(f"no series {name}{sorted(wanted)} in /metrics")


def test_metrics_count_requests_answers_and_describe_the_index(ops_settings: Settings) -> None:
    with TestClient(create_app(ops_settings, embedder=FakeEmbedder())) as c:
        answers = [c.post("/api/ask", json={"question": q}).json()["answered"] for q in [*QUESTIONS, "怎么办理护照？"]]
        c.get("/api/documents/jobs")
        c.get("/api/documents/nope")
        c.post("/api/ask", json={"question": ""})
        reply = c.get("/metrics")
        manifest = c.app.state.assistant.index.manifest  # type: ignore[attr-defined]
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("text/plain")
    text = reply.text
    ask = {"method": "POST", "route": "/api/ask"}
    assert metric(text, "assistant_http_requests_total", **ask, status="200") == len(answers)
    assert metric(text, "assistant_http_requests_total", **ask, status="422") == 1
    doc = {"method": "GET", "route": "/api/documents/{doc_id}"}
    assert metric(text, "assistant_http_requests_total", **doc, status="200") == 1
    assert metric(text, "assistant_http_requests_total", **doc, status="404") == 1
    assert metric(text, "assistant_http_request_duration_seconds_count", **ask, status="200") == len(answers)
    assert metric(text, "assistant_http_request_duration_seconds_bucket", **ask, status="200", le="+Inf") == len(
        answers
    )
    assert metric(text, "assistant_answers_total", answered="true") == answers.count(True)
    assert metric(text, "assistant_answers_total", answered="false") == answers.count(False) >= 1
    assert metric(text, "assistant_index_documents") == manifest.documents == 3
    assert metric(text, "assistant_index_chunks") == manifest.chunks
    assert metric(text, "assistant_index_build_seconds") == pytest.approx(manifest.build_seconds)
    assert metric(text, "assistant_index_size_bytes") > 0
    assert metric(text, "assistant_index_built_timestamp_seconds") > 1.7e9
    assert "nope" not in text  # routes are labelled by template, not by URL


def test_rate_limited_questions_are_counted(ops_settings: Settings) -> None:
    with TestClient(create_app(ops_settings.model_copy(update={"rate_limit": "2/minute"}), FakeEmbedder())) as c:
        statuses = [c.post("/api/ask", json={"question": QUESTIONS[0]}).status_code for _ in range(4)]
        text = c.get("/metrics").text
    assert statuses == [200, 200, 429, 429]
    assert metric(text, "assistant_rate_limited_total") == 2
    assert metric(text, "assistant_http_requests_total", method="POST", route="/api/ask", status="429") == 2


def test_metrics_need_the_metrics_token_only_when_one_is_set(ops_settings: Settings) -> None:
    scraper = "fedcba9876543210-scrape"
    with TestClient(create_app(ops_settings, embedder=FakeEmbedder())) as c:
        assert c.get("/metrics").status_code == 200  # off by default, as before
    guarded = ops_settings.model_copy(update={"metrics_token": SecretStr(scraper)})
    with TestClient(create_app(guarded, embedder=FakeEmbedder())) as c:
        missing = c.get("/metrics")
        wrong = c.get("/metrics", headers=AUTH)  # the admin token is not the metrics token
        right = c.get("/metrics", headers={"Authorization": f"Bearer {scraper}"})
        ready = c.get("/readyz")
    assert (missing.status_code, wrong.status_code, right.status_code, ready.status_code) == (401, 401, 200, 200)
    assert missing.json()["error"] == "NotAuthorised"
    assert "ASSISTANT_METRICS_TOKEN" in missing.json()["message"]
    assert missing.headers["WWW-Authenticate"] == "Bearer"
    assert metric(right.text, "assistant_http_requests_total", method="GET", route="/metrics", status="401") == 2


# Reloading


def test_admin_reload_swaps_to_the_new_build(ops_settings: Settings, versions: dict[str, Path]) -> None:
    first = build(ops_settings, versions["A"])
    with TestClient(create_app(ops_settings, embedder=FakeEmbedder())) as c:
        before = c.post("/api/ask", json={"question": "老年食堂有几处？"}).json()
        assert c.post("/api/admin/reload", headers=AUTH).json()["status"] == "unchanged"
        second = build(ops_settings, versions["B"])
        assert served_build(c) == first  # no watcher: nothing changes until the reload
        reply = c.post("/api/admin/reload", headers=AUTH)
        after = c.post("/api/ask", json={"question": "老年食堂有几处？"}).json()
        listing = c.get("/api/documents").json()
        text = c.get("/metrics").text
    assert reply.status_code == 200
    assert reply.json() == {"status": "swapped", "build": second, "documents": 3, "chunks": reply.json()["chunks"]}
    assert "东关" in before["citations"][0]["text"]
    assert "西关" in after["citations"][0]["text"]
    assert any("西关街道居家养老服务方案" in d["title"] for d in listing)
    assert metric(text, "assistant_index_reloads_total", outcome="swapped") == 1


def _frozen(obj: object) -> bool:
    """Whether the collector leaves ``obj`` out of its collections (``gc.freeze``): not in any generation."""
    return gc.is_tracked(obj) and not any(o is obj for o in gc.get_objects())


def test_a_serving_apps_loaded_index_is_left_out_of_collections_and_a_reload_frees_the_old_one(
    ops_settings: Settings, versions: dict[str, Path]
) -> None:
    """heap.py: what start-up loads is frozen while the app serves; a swap collects the old index (frozen cycles
    would never be freed) and freezes the new one; the app's end lets the collector reach everything again."""
    build(ops_settings, versions["A"])
    assert gc.get_freeze_count() == 0
    with TestClient(create_app(ops_settings, embedder=FakeEmbedder())) as c:
        first = c.app.state.assistant  # type: ignore[attr-defined]
        assert gc.get_freeze_count() > 0
        assert _frozen(first.engine.passages)
        old = weakref.ref(first.engine.passages)  # a cycle (its caches hold its bound methods): only gc frees it
        del first
        build(ops_settings, versions["B"])
        assert c.post("/api/admin/reload", headers=AUTH).json()["status"] == "swapped"
        assert old() is None
        assert _frozen(c.app.state.assistant.engine.passages)  # type: ignore[attr-defined]
        assert c.post("/api/ask", json={"question": "老年食堂有几处？"}).status_code == 200
        # A reload that changes nothing collects nothing: the served index stays frozen.
        assert c.post("/api/admin/reload", headers=AUTH).json()["status"] == "unchanged"
        assert _frozen(c.app.state.assistant.engine.passages)  # type: ignore[attr-defined]
    assert gc.get_freeze_count() == 0


def test_admin_reload_needs_the_token(ops_settings: Settings) -> None:
    with TestClient(create_app(ops_settings, embedder=FakeEmbedder())) as c:
        assert c.post("/api/admin/reload").status_code == 401
    off = ops_settings.model_copy(update={"admin_token": None})
    with TestClient(create_app(off, embedder=FakeEmbedder())) as c:
        assert c.post("/api/admin/reload", headers=AUTH).status_code == 404


def test_admin_reload_refuses_a_build_made_with_other_settings(
    ops_settings: Settings, versions: dict[str, Path]
) -> None:
    first = build(ops_settings, versions["A"])
    with TestClient(create_app(ops_settings, embedder=FakeEmbedder())) as c:
        build(ops_settings.model_copy(update={"chunk_size": 60}), versions["B"])
        reply = c.post("/api/admin/reload", headers=AUTH)
        assert served_build(c) == first
    assert reply.status_code == 409
    assert "built with other settings (chunk_size 60 -> 120)" in reply.json()["message"]


def test_watcher_picks_up_a_new_build_without_a_restart(
    ops_settings: Settings, versions: dict[str, Path], reloads: Reloads
) -> None:
    first = build(ops_settings, versions["A"])
    watching = ops_settings.model_copy(update={"index_watch_seconds": 0.05})
    with TestClient(create_app(watching, embedder=FakeEmbedder())) as c:
        assert served_build(c) == first
        second = build(ops_settings, versions["B"])
        assert reloads.swapped_to(second)
        assert served_build(c) == second


def corrupt_copy(settings: Settings, how: str) -> str:
    """Make a new build that is a damaged copy of the current one, and point ``CURRENT`` at it."""
    current = current_build(settings.index_dir)
    assert current is not None
    name = current.name[:-1] + "9Z" if not current.name.endswith("9Z") else current.name[:-1] + "8Z"
    damaged = current.parent / name
    shutil.copytree(current, damaged)
    target = damaged / DENSE_FILE
    if how == "truncated":
        target.write_bytes(target.read_bytes()[: target.stat().st_size // 2])
    elif how == "flipped":
        data = bytearray(target.read_bytes())
        data[-1] ^= 0xFF
        target.write_bytes(bytes(data))
    else:
        target.unlink()
    write_atomic(settings.index_dir / CURRENT_FILE, name.encode())
    return name


@pytest.mark.parametrize("how", ["truncated", "flipped", "missing"])
def test_admin_reload_keeps_the_old_index_when_the_new_one_is_corrupt(
    ops_settings: Settings, json_log: io.StringIO, how: str
) -> None:
    first = build(ops_settings, ops_settings.corpus_dir)
    with TestClient(create_app(ops_settings, embedder=FakeEmbedder())) as c:
        bad = corrupt_copy(ops_settings, how)
        reply = c.post("/api/admin/reload", headers=AUTH)
        assert served_build(c) == first
        assert c.post("/api/ask", json={"question": QUESTIONS[0]}).status_code == 200
        text = c.get("/metrics").text
    assert reply.status_code == 409
    assert reply.json()["error"] == "ReloadFailed"
    assert first in reply.json()["message"] and "missing or corrupt" in reply.json()["message"]
    [logged] = [e for e in log_entries(json_log, "assistant.reload") if e["level"] == "ERROR"]
    assert bad in logged["message"] and "checksum" in logged["message"]
    assert logged["served"] == first
    assert metric(text, "assistant_index_reloads_total", outcome="failed") == 1


def test_watcher_refuses_a_corrupt_build_once_then_takes_the_next_good_one(
    ops_settings: Settings, versions: dict[str, Path], reloads: Reloads, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = build(ops_settings, versions["A"])
    watching = ops_settings.model_copy(update={"index_watch_seconds": 0.02})
    with TestClient(create_app(watching, embedder=FakeEmbedder())) as c:
        reloader = c.app.state.reloader  # type: ignore[attr-defined]
        polls = Tally()
        pending = reloader.pending

        def counted() -> bool:
            try:
                return bool(pending())
            finally:
                polls.add()

        monkeypatch.setattr(reloader, "pending", counted)
        corrupt_copy(ops_settings, "truncated")
        assert reloads.wait(lambda outcomes: len(outcomes) >= 1)
        assert polls.wait_for(polls.value + 10)  # ten more polls of the same bad build
        assert served_build(c) == first
        assert reloads.outcomes == [("failed", first)]  # refused once, not at every poll
        good = build(ops_settings, versions["B"])
        assert reloads.swapped_to(good)
        assert served_build(c) == good


def test_starting_server_refuses_a_corrupt_index_without_auto_index(
    ops_settings: Settings, json_log: io.StringIO
) -> None:
    build(ops_settings, ops_settings.corpus_dir)
    corrupt_copy(ops_settings, "truncated")
    strict = ops_settings.model_copy(update={"auto_index": False})
    with pytest.raises(IndexUnavailable, match="missing or corrupt"), TestClient(create_app(strict, FakeEmbedder())):
        pass
    [refusal] = [e for e in log_entries(json_log, "assistant.api") if e["level"] == "ERROR"]
    assert refusal["message"].startswith("cannot start:") and "checksum" in refusal["message"]


def test_starting_server_rebuilds_a_corrupt_index_with_auto_index(ops_settings: Settings) -> None:
    build(ops_settings, ops_settings.corpus_dir)
    bad = corrupt_copy(ops_settings, "flipped")
    with TestClient(create_app(ops_settings, embedder=FakeEmbedder())) as c:
        name = served_build(c)
        assert c.post("/api/ask", json={"question": QUESTIONS[0]}).status_code == 200
    assert name != bad


# Swapping under load


class SignallingServer(uvicorn.Server):
    """A uvicorn server that sets ``ready`` once its start-up is over, whether it started or failed."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = threading.Event()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        try:
            await super().startup(sockets=sockets)
        finally:
            self.ready.set()


class Server:
    """The app served by a real uvicorn in a thread, on a free local port."""

    def __init__(self, settings: Settings) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        config = uvicorn.Config(create_app(settings, embedder=FakeEmbedder()), log_level="warning", access_log=False)
        self.server = SignallingServer(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        assert self.server.ready.wait(60) and self.server.started, "server did not start"
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
        self.sock.close()


def document_texts(corpus: Path, settings: Settings) -> dict[str, str]:
    from assistant.corpus import load_corpus

    documents, _ = load_corpus(corpus)
    return {d.doc_id: d.text for d in documents}


@pytest.mark.integration
def test_rebuild_and_swap_under_concurrent_requests(
    ops_settings: Settings, versions: dict[str, Path], reloads: Reloads, capsys: pytest.CaptureFixture[str]
) -> None:
    texts = {v: document_texts(folder, ops_settings) for v, folder in versions.items()}
    build(ops_settings, versions["A"])
    watching = ops_settings.model_copy(update={"index_watch_seconds": 0.05})
    outcomes: Counter[str] = Counter()
    problems: list[str] = []
    stop = threading.Event()
    answered = Tally()  # replies received, so that each index serves some before the next swap

    def version_of(body: dict[str, Any]) -> str | None:
        """The one corpus version every citation and the answer come from, or None when they mix."""
        fits = {
            v
            for v in texts
            if all(texts[v].get(c["doc_id"], "")[c["start"] : c["end"]] == c["text"] for c in body["citations"])
        }
        if "西关" in body["answer"] or "新版" in body["answer"]:
            fits &= {"B"}
        if "东关" in body["answer"]:
            fits &= {"A"}
        return fits.pop() if len(fits) == 1 else ("either" if fits else None)

    def hammer(url: str, worker: int) -> None:
        with httpx.Client(base_url=url, timeout=30) as http:
            i = worker
            while not stop.is_set():
                i += 1
                try:
                    reply = http.post("/api/ask", json={"question": QUESTIONS[i % len(QUESTIONS)]})
                except httpx.HTTPError as exc:
                    outcomes["failed"] += 1
                    problems.append(f"transport: {exc!r}")
                    continue
                if reply.status_code != 200:
                    outcomes["failed"] += 1
                    problems.append(f"{reply.status_code}: {reply.text[:200]}")
                    continue
                version = version_of(reply.json())
                if version is None:
                    outcomes["mixed"] += 1
                    problems.append(f"mixed versions: {reply.text[:300]}")
                outcomes[version or "mixed"] += 1
                answered.add()

    swaps = 0
    with Server(watching) as server, httpx.Client(base_url=server.url, timeout=30) as probe:
        workers = [threading.Thread(target=hammer, args=(server.url, n)) for n in range(4)]
        for w in workers:
            w.start()
        for round_ in range(8):
            assert answered.wait_for(answered.value + 8), "the workers got no replies"
            name = build(ops_settings, versions["B" if round_ % 2 == 0 else "A"])
            assert reloads.swapped_to(name), f"the server did not pick up build {name}"
            assert served_build(probe) == name
            swaps += 1
        assert answered.wait_for(answered.value + 8), "the workers got no replies"
        stop.set()
        for w in workers:
            w.join(timeout=60)
        metrics_text = probe.get("/metrics").text

    sent = sum(n for k, n in outcomes.items() if k != "mixed")
    with capsys.disabled():
        print(f"\nswap test: {sent} requests during {swaps} rebuild+swaps, outcomes {dict(outcomes)}")
    assert problems == []
    assert outcomes["failed"] == 0 and outcomes["mixed"] == 0
    assert outcomes["A"] > 0 and outcomes["B"] > 0  # the traffic really spanned the swaps
    assert outcomes["either"] == 0  # every answer showed which index it came from
    assert metric(metrics_text, "assistant_index_reloads_total", outcome="swapped") == swaps


def test_metrics_add_up_every_worker_in_multiprocess_mode(
    ops_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two workers (simulated by two process ids) write metric files; either one's /metrics reports the sum."""
    from prometheus_client import values

    folder = tmp_path / "metrics"
    folder.mkdir()
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(folder))
    texts = []
    for worker, asks in ((1001, 3), (1002, 2)):
        monkeypatch.setattr(values, "ValueClass", values.MultiProcessValue(process_identifier=lambda w=worker: w))
        with TestClient(create_app(ops_settings, embedder=FakeEmbedder())) as c:
            for _ in range(asks):
                assert c.post("/api/ask", json={"question": QUESTIONS[1]}).status_code == 200
            texts.append(c.get("/metrics").text)
    assert sorted(p.name for p in folder.glob("counter_*.db")) == ["counter_1001.db", "counter_1002.db"]
    ask = {"method": "POST", "route": "/api/ask", "status": "200"}
    assert metric(texts[0], "assistant_http_requests_total", **ask) == 3
    assert metric(texts[1], "assistant_http_requests_total", **ask) == 5
    assert metric(texts[1], "assistant_answers_total", answered="true") == 5
    assert metric(texts[1], "assistant_index_documents") == 3
