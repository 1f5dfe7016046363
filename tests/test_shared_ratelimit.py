"""The rate limit shared through a real Redis server: one budget across workers, atomic under concurrent
processes, and residents still answered (with the error logged and counted) when Redis is unreachable."""

from __future__ import annotations

import contextlib
import io
import multiprocessing
from collections.abc import Iterator

import pytest
import redis as redis_py
from fastapi.testclient import TestClient
from pydantic import SecretStr
from redis.exceptions import ConnectionError as RedisConnectionError

from assistant.api import create_app
from assistant.embedding import FakeEmbedder
from assistant.ratelimit import Rate
from assistant.settings import Settings
from assistant.shared_ratelimit import RETRY_SECONDS, RedisRateLimiter, make_limiter
from conftest import log_entries
from services import RedisServer, free_port
from test_ops import metric

QUESTION = "街道要新建几处老年食堂？"
PROCESSES = 4
TRIES_EACH = 60
ALLOWED = 100


@pytest.fixture
def shared(redis: RedisServer) -> RedisServer:
    """The session's Redis, emptied: buckets left by an earlier test would change this one's budget."""
    redis_py.Redis.from_url(redis.url).flushdb()
    return redis


@contextlib.contextmanager
def workers(settings: Settings, count: int, **overrides: object) -> Iterator[list[TestClient]]:
    """``count`` apps as separate workers would run them (each its own middleware and buckets), one client."""
    config = settings.model_copy(update=overrides)
    with contextlib.ExitStack() as stack:
        yield [
            stack.enter_context(TestClient(create_app(config, embedder=FakeEmbedder()), client=("198.51.100.4", 1)))
            for _ in range(count)
        ]


def ask_in_turn(apps: list[TestClient], times: int) -> list[int]:
    """Ask ``times`` questions, going round the workers; the statuses in order."""
    return [apps[n % len(apps)].post("/api/ask", json={"question": QUESTION}).status_code for n in range(times)]


@pytest.mark.integration
def test_the_limit_is_shared_by_every_worker_with_redis(settings: Settings, shared: RedisServer) -> None:
    with workers(settings, 2, rate_limit="3/minute", redis_url=SecretStr(shared.url)) as apps:
        statuses = ask_in_turn(apps, 6)
        votes = [apps[1].post("/api/feedback", json={"id": "x", "helpful": True}).status_code for _ in range(4)]
        texts = [app.get("/metrics").text for app in apps]
    assert statuses == [200, 200, 200, 429, 429, 429]
    assert votes == [404, 404, 404, 429]  # votes have a bucket of their own, shared too
    assert sum(metric(t, "assistant_rate_limited_total") for t in texts) == 4
    assert all(metric(t, "assistant_rate_limit_errors_total") == 0 for t in texts)
    # Redis holds a hash of the client, never its address.
    keys = [k.decode() for k in redis_py.Redis.from_url(shared.url).keys("*")]
    assert len(keys) == 2 and not any("198.51.100.4" in k for k in keys)


@pytest.mark.integration
def test_without_redis_each_worker_has_its_own_budget(settings: Settings) -> None:
    with workers(settings, 2, rate_limit="3/minute") as apps:
        statuses = ask_in_turn(apps, 8)
    assert statuses == [200] * 6 + [429, 429]


@pytest.mark.integration
def test_unreachable_redis_still_answers_residents_and_logs_and_counts_it(
    settings: Settings, json_log: io.StringIO
) -> None:
    nowhere = SecretStr(f"redis://127.0.0.1:{free_port()}/0")
    with workers(settings, 1, rate_limit="3/minute", redis_url=nowhere) as [app]:
        statuses = ask_in_turn([app], 4)
        text = app.get("/metrics").text
    # Answered as long as the process's own bucket allows: the limit still holds, per process.
    assert statuses == [200, 200, 200, 429]
    assert metric(text, "assistant_rate_limit_errors_total") >= 1
    [error] = log_entries(json_log, "assistant.shared_ratelimit")
    assert error["level"] == "ERROR" and "limiting questions per process" in error["message"]


def test_after_a_failure_redis_is_tried_again_only_after_the_retry_interval() -> None:
    now = [100.0]
    calls: list[str] = []
    errors: list[int] = []
    up = [False]

    def script(keys: list[str], args: list[float | int | str]) -> object:
        calls.append(keys[0])
        if not up[0]:
            raise RedisConnectionError("connection refused")
        return b"0"

    limiter = RedisRateLimiter(
        Rate(2, 60.0), script, "questions", lambda: errors.append(1), (RedisConnectionError,), clock=lambda: now[0]
    )
    assert [limiter.acquire("a") for _ in range(3)][:2] == [0.0, 0.0]  # the local bucket: 2, then a wait
    assert (len(calls), len(errors)) == (1, 1)  # one try, then the local bucket until the retry is due
    up[0] = True
    now[0] += RETRY_SECONDS / 2
    limiter.acquire("a")
    assert len(calls) == 1
    now[0] += RETRY_SECONDS
    assert limiter.acquire("a") == 0.0  # Redis again, and it says yes
    assert (len(calls), len(errors)) == (2, 1)


def _take(url: str, tries: int) -> int:
    """One process's checks against the shared bucket: how many were allowed."""
    settings = Settings(redis_url=SecretStr(url))
    limiter = make_limiter(settings, Rate(ALLOWED, 3600.0), "questions", lambda: None)
    return sum(limiter.acquire("203.0.113.5") == 0.0 for _ in range(tries))


@pytest.mark.integration
def test_concurrent_processes_never_get_more_than_the_limit_together(shared: RedisServer) -> None:
    context = multiprocessing.get_context("fork")
    with context.Pool(PROCESSES) as pool:
        allowed = pool.starmap(_take, [(shared.url, TRIES_EACH)] * PROCESSES)
    # 240 tries for 100 tokens refilling at one every 36 s: exactly 100 pass, however the checks interleave.
    assert sum(allowed) == ALLOWED
