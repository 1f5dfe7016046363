"""Input limits, rate limiting, request ids and logs: bad input and abuse get a clean 4xx, never a 500."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from assistant.api import create_app
from assistant.cli import cli
from assistant.clients import client_address, hash_address
from assistant.embedding import FakeEmbedder
from assistant.logs import request_id_from
from assistant.ratelimit import Rate, RateLimiter, parse_rate
from assistant.settings import Settings
from conftest import log_entries

QUESTION = "东关街道要新建几处老年食堂？"
# Any text, with extra weight on what breaks text handling: surrogates, control and format characters.
QUESTIONS = st.text(
    st.one_of(st.characters(exclude_categories=[]), st.characters(categories=["Cs", "Cc", "Cf", "Zs", "Mn"])),
    max_size=520,
)


def limited_client(settings: Settings, **update: Any) -> TestClient:
    return TestClient(create_app(settings.model_copy(update=update), embedder=FakeEmbedder()))


# Input limits


def test_body_over_the_limit_is_413(client: TestClient, settings: Settings) -> None:
    body = json.dumps({"question": "养" * settings.max_body_bytes}).encode()
    reply = client.post("/api/ask", content=body, headers={"content-type": "application/json"})
    assert reply.status_code == 413
    assert reply.json()["error"] == "PayloadTooLarge"
    assert str(settings.max_body_bytes) in reply.json()["message"]


def test_chunked_body_over_the_limit_is_413_while_it_is_read(client: TestClient, settings: Settings) -> None:
    sent: list[int] = []

    def chunks() -> Iterator[bytes]:
        # A body with no Content-Length: the server must stop it once it passes the limit.
        for _ in range(settings.max_body_bytes // 1000 + 5):
            sent.append(1000)
            yield b" " * 1000

    reply = client.post("/api/ask", content=chunks(), headers={"content-type": "application/json"})
    assert reply.request.headers.get("transfer-encoding") == "chunked"
    assert "content-length" not in reply.request.headers
    assert reply.status_code == 413


def test_chunked_body_under_the_limit_is_answered(client: TestClient) -> None:
    payload = json.dumps({"question": QUESTION}).encode()
    reply = client.post(
        "/api/ask", content=iter([payload[:10], payload[10:]]), headers={"content-type": "application/json"}
    )
    assert reply.status_code == 200, reply.text
    assert reply.json()["question"] == QUESTION


def test_body_of_exactly_the_limit_is_not_refused_for_size(client: TestClient, settings: Settings) -> None:
    payload = json.dumps({"question": QUESTION}).encode()
    body = payload + b" " * (settings.max_body_bytes - len(payload))
    assert len(body) == settings.max_body_bytes
    reply = client.post("/api/ask", content=body, headers={"content-type": "application/json"})
    assert reply.status_code == 200, reply.text


def test_body_limit_is_a_setting(settings: Settings) -> None:
    with limited_client(settings, max_body_bytes=2048) as c:
        reply = c.post("/api/ask", json={"question": "养" * 400, "pad": "x" * 2000})
    assert reply.status_code == 413
    assert "2048" in reply.json()["message"]


def test_question_too_long_after_trimming_is_422_naming_the_question(client: TestClient, settings: Settings) -> None:
    reply = client.post("/api/ask", json={"question": "养" * (settings.question_max_chars + 1)})
    assert reply.status_code == 422
    assert reply.json()["message"].startswith("question:")
    assert str(settings.question_max_chars) in reply.json()["message"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"question": None}, "question"),
        ({"question": {"text": "养老"}}, "question"),
        ({"question": True}, "question"),
        ({"question": "养老", "top_k": -1}, "top_k"),
        ({"question": "养老", "top_k": 10**30}, "top_k"),
        ({"question": "养老", "top_k": [3]}, "top_k"),
        ({"question": "养老", "top_k": "three"}, "top_k"),
    ],
)
def test_wrong_types_are_422_naming_the_field(client: TestClient, payload: dict[str, Any], field: str) -> None:
    reply = client.post("/api/ask", json=payload)
    assert reply.status_code == 422
    assert reply.json()["message"].startswith(f"{field}:"), reply.json()


@pytest.mark.parametrize(
    "content",
    [b"", b"null", b"\xff\xfe\x00", b'{"question": "\\ud800"}', b'{"question": "a\\udc00b"}', b"{" * 5000, b'"x"'],
)
def test_garbage_bodies_are_422_not_500(client: TestClient, content: bytes) -> None:
    reply = client.post("/api/ask", content=content, headers={"content-type": "application/json"})
    assert reply.status_code == 422, reply.text
    assert reply.json()["error"] == "ValidationError"


@pytest.mark.parametrize(
    "question",
    [
        "东关街道\x00\x07\x1b[31m要新建几处老年食堂？",  # control characters
        "东\u200b关\u200d街\ufeff道老年食堂",  # zero-width characters
        "老年食堂🍚🍜👵🏻有几处？",  # emoji
        "Dongguan 街道 の 老年食堂 сколько? 몇 개",  # mixed scripts
        "养" * 500,  # 500 characters, no punctuation
        "\u202e堂食年老\u202c",  # bidi override
        "a\u0301" * 250,  # combining marks
    ],
)
def test_odd_but_valid_questions_get_a_normal_answer(module_client: TestClient, question: str) -> None:
    reply = module_client.post("/api/ask", json={"question": question})
    assert reply.status_code == 200, reply.text
    assert isinstance(reply.json()["answered"], bool)


@pytest.mark.slow
@hypothesis_settings(max_examples=200, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(question=QUESTIONS, top_k=st.one_of(st.none(), st.integers(-5, 15)))
def test_any_question_and_top_k_get_200_or_a_clean_422(
    module_client: TestClient, question: str, top_k: int | None
) -> None:
    # Serialised here with ASCII escapes, so that lone surrogates ("\ud800") reach the server as JSON allows.
    body = json.dumps({"question": question, "top_k": top_k})
    reply = module_client.post("/api/ask", content=body, headers={"content-type": "application/json"})
    trimmed = question.strip()
    top_k_ok = top_k is None or 1 <= top_k <= 10
    valid_text = not any(0xD800 <= ord(c) <= 0xDFFF for c in trimmed)
    if trimmed and len(trimmed) <= 500 and top_k_ok and valid_text:
        assert reply.status_code == 200, reply.text
        assert reply.json()["question"] == trimmed
        assert len(reply.json()["citations"]) <= (top_k or 3)
    else:
        assert reply.status_code == 422, reply.text
        assert reply.json()["message"].split(":")[0] in {"question", "top_k"}


# Rate limiting


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("30/minute", Rate(30, 60.0)),
        ("100000/minute", Rate(100000, 60.0)),
        ("5/second", Rate(5, 1.0)),
        (" 2 / hour ", Rate(2, 3600.0)),
        ("1000/day", Rate(1000, 86400.0)),
        ("off", None),
    ],
)
def test_rate_syntax(text: str, rate: Rate | None) -> None:
    assert parse_rate(text) == rate


@pytest.mark.parametrize("text", ["", "30", "0/minute", "-1/minute", "30/fortnight", "thirty/minute"])
def test_bad_rate_is_refused_by_the_settings(text: str) -> None:
    with pytest.raises(ValueError, match="rate_limit"):
        Settings(rate_limit=text)
    with pytest.raises(ValueError, match="expected N/second"):
        parse_rate(text)


def test_default_rate_limit_is_30_per_minute() -> None:
    assert Settings.model_fields["rate_limit"].default == "30/minute"


def test_limiter_refills_at_the_rate() -> None:
    now = [0.0]
    limiter = RateLimiter(Rate(3, 60.0), clock=lambda: now[0])
    assert [limiter.acquire("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.acquire("a") == pytest.approx(20.0)
    assert limiter.acquire("b") == 0.0  # another client has its own bucket
    now[0] = 19.0
    assert limiter.acquire("a") == pytest.approx(1.0)
    now[0] = 20.0
    assert limiter.acquire("a") == 0.0
    assert limiter.acquire("a") > 0.0


def test_limiter_forgets_clients_whose_bucket_is_full_again() -> None:
    now = [0.0]
    limiter = RateLimiter(Rate(1, 1.0), clock=lambda: now[0])
    for i in range(5000):
        now[0] = i * 0.01
        limiter.acquire(f"client-{i}")
    # Only the clients seen in the last second can still be short of tokens.
    assert len(limiter) <= 2 * 100 + 1024


def test_over_the_limit_is_429_with_retry_after(settings: Settings) -> None:
    with limited_client(settings, rate_limit="3/minute") as c:
        statuses = [c.post("/api/ask", json={"question": QUESTION}).status_code for _ in range(3)]
        refused = c.post("/api/ask", json={"question": QUESTION})
        other_routes = [c.get("/api/documents").status_code, c.get("/healthz").status_code]
    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert refused.json()["error"] == "RateLimited"
    assert 1 <= int(refused.headers["Retry-After"]) <= 20
    assert other_routes == [200, 200]


def test_rate_limit_of_100000_per_minute_does_not_trip(settings: Settings) -> None:
    with limited_client(settings, rate_limit="100000/minute") as c:
        assert all(c.post("/api/ask", json={"question": QUESTION}).status_code == 200 for _ in range(50))


def test_trusted_proxy_header_names_the_client(settings: Settings) -> None:
    with limited_client(settings, rate_limit="1/minute", client_ip_header="X-Forwarded-For") as c:

        def ask(forwarded: str) -> int:
            headers = {"X-Forwarded-For": forwarded}
            return c.post("/api/ask", json={"question": QUESTION}, headers=headers).status_code

        # The proxy appends the address it saw last; what the client claims before it doesn't matter.
        assert ask("203.0.113.9") == 200
        assert ask("198.51.100.1, 203.0.113.9") == 429
        assert ask("203.0.113.10") == 200


def test_proxy_header_is_ignored_unless_trusted(settings: Settings) -> None:
    with limited_client(settings, rate_limit="1/minute") as c:
        first = c.post("/api/ask", json={"question": QUESTION}, headers={"X-Forwarded-For": "203.0.113.9"})
        second = c.post("/api/ask", json={"question": QUESTION}, headers={"X-Forwarded-For": "203.0.113.10"})
    assert (first.status_code, second.status_code) == (200, 429)


def test_client_address_falls_back_to_the_peer() -> None:
    scope = {"type": "http", "headers": [], "client": ("192.0.2.7", 5000)}
    assert client_address(scope, "X-Real-IP") == "192.0.2.7"
    assert client_address(scope, None) == "192.0.2.7"
    assert client_address({"type": "http", "headers": []}, None) == "unknown"


def test_429_and_413_carry_cors_and_security_headers(settings: Settings) -> None:
    origin = "https://www.kuiwen.gov.cn"
    with limited_client(settings, rate_limit="1/minute", cors_origins=[origin]) as c:
        c.post("/api/ask", json={"question": QUESTION})
        refused = c.post("/api/ask", json={"question": QUESTION}, headers={"Origin": origin})
    with limited_client(settings, cors_origins=[origin]) as c:
        big = c.post("/api/ask", json={"question": "x" * (settings.max_body_bytes + 1)}, headers={"Origin": origin})
    for reply, status in ((refused, 429), (big, 413)):
        assert reply.status_code == status
        assert reply.headers["access-control-allow-origin"] == origin
        assert reply.headers["X-Content-Type-Options"] == "nosniff"
        assert "Retry-After" in reply.headers["access-control-expose-headers"]


# Request ids and logs


def test_request_id_is_echoed_or_made(client: TestClient) -> None:
    assert client.get("/healthz", headers={"X-Request-ID": "req-42.a"}).headers["X-Request-ID"] == "req-42.a"
    made = client.get("/healthz").headers["X-Request-ID"]
    assert len(made) == 32 and made != client.get("/healthz").headers["X-Request-ID"]


@pytest.mark.parametrize("header", ["a b", "x" * 129, "id\r\nX-Evil: 1", '{"level":"ERROR"}'])
def test_unsafe_request_ids_are_replaced(header: str) -> None:
    made = request_id_from(header)
    assert made != header and len(made) == 32


def test_each_request_is_logged_as_json_with_its_id_and_no_client_address(
    settings: Settings, json_log: io.StringIO
) -> None:
    with limited_client(settings, client_ip_header="X-Real-IP") as c:
        headers = {"X-Request-ID": "trace-1", "X-Real-IP": "198.51.100.23"}
        c.post("/api/ask", json={"question": QUESTION}, headers=headers)
    [entry] = log_entries(json_log, "assistant.access")
    assert entry["request_id"] == "trace-1"
    assert (entry["method"], entry["route"], entry["status"]) == ("POST", "/api/ask", 200)
    assert entry["duration_ms"] >= 0
    assert len(entry["client"]) == 16
    assert "198.51.100.23" not in json_log.getvalue()
    assert QUESTION not in json_log.getvalue()  # questions are not logged


def test_logs_inside_a_request_carry_its_id(settings: Settings, json_log: io.StringIO) -> None:
    app = create_app(settings, embedder=FakeEmbedder())

    @app.get("/probe")
    def probe() -> dict[str, str]:
        logging.getLogger("assistant.probe").warning("inside")
        return {}

    with TestClient(app) as c:
        c.get("/probe", headers={"X-Request-ID": "inner-7"})
    assert [e["request_id"] for e in log_entries(json_log, "assistant.probe")] == ["inner-7"]


def test_client_hash_is_salted() -> None:
    assert hash_address("198.51.100.23", b"salt-a") == hash_address("198.51.100.23", b"salt-a")
    assert hash_address("198.51.100.23", b"salt-a") != hash_address("198.51.100.23", b"salt-b")
    assert hash_address("198.51.100.23", b"salt-a") != hash_address("198.51.100.24", b"salt-a")


# Slow and vanished clients, unknown routes


async def call_raw(app: Any, receive: Any, headers: list[tuple[bytes, bytes]]) -> list[dict[str, Any]]:
    """Call the ASGI app directly with a hand-made ``receive``; returns what it sent."""
    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/ask",
        "raw_path": b"/api/ask",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver"), (b"content-type", b"application/json"), *headers],
        "client": ("192.0.2.1", 1234),
        "server": ("testserver", 80),
    }
    await app(scope, receive, send)
    return sent


def test_a_body_that_trickles_in_too_slowly_is_408(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"body_timeout_seconds": 0.2}), embedder=FakeEmbedder())

    async def slow() -> dict[str, Any]:
        await anyio.sleep(0.05)
        return {"type": "http.request", "body": b" ", "more_body": True}  # never finishes

    with TestClient(app) as c:  # runs the lifespan; its event loop thread runs the raw call too
        assert c.portal is not None
        sent = c.portal.call(call_raw, app, slow, [(b"transfer-encoding", b"chunked")])
    assert sent[0]["status"] == 408
    assert json.loads(sent[1]["body"])["error"] == "BodyTimeout"


def test_a_client_that_leaves_mid_body_is_counted_as_499(settings: Settings) -> None:
    app = create_app(settings, embedder=FakeEmbedder())
    messages = iter([{"type": "http.request", "body": b'{"quest', "more_body": True}, {"type": "http.disconnect"}])

    async def leaving() -> dict[str, Any]:
        return next(messages)

    with TestClient(app) as c:
        # Not anyio.run: another test's browser session may already run an event loop in this thread.
        assert c.portal is not None
        sent = c.portal.call(call_raw, app, leaving, [])
        text = c.get("/metrics").text
    assert sent == []
    assert 'assistant_http_requests_total{method="POST",route="/api/ask",status="499"} 1.0' in text


def test_unknown_routes_and_methods_get_the_json_error_shape(client: TestClient) -> None:
    missing = client.get("/no/such/page")
    assert missing.status_code == 404
    assert missing.json() == {"error": "NotFound", "message": "Not Found"}
    wrong = client.get("/api/ask")
    assert wrong.status_code == 405
    assert wrong.json()["error"] == "MethodNotAllowed"
    assert wrong.headers["Allow"] == "POST"


def test_eval_is_not_rate_limited(settings: Settings, tmp_path: Path) -> None:
    questions = tmp_path / "set.jsonl"
    item = {"question": QUESTION, "answerable": True, "evidence": ["新建4处社区老年食堂"], "must": ["4"]}
    questions.write_text("".join(json.dumps({**item, "id": f"q{i}"}) + "\n" for i in range(5)), encoding="utf-8")
    env = {
        "ASSISTANT_CORPUS_DIR": str(settings.corpus_dir),
        "ASSISTANT_INDEX_DIR": str(settings.index_dir),
        "ASSISTANT_RATE_LIMIT": "1/minute",
        "ASSISTANT_MODEL": FakeEmbedder.name,
    }
    result = CliRunner(env=env).invoke(cli, ["eval", str(questions)])
    assert result.exit_code == 0, result.output
    figures = dict(pair.split("=", 1) for pair in result.stdout.strip().splitlines()[-1].split())
    assert figures["n"] == "5" and figures["hit@1"] == "1.0"


@pytest.mark.integration
def test_server_logging_writes_json_lines_and_silences_uvicorns_access_log() -> None:
    script = (
        "import logging\n"
        "from assistant.logs import configure_logging, request_id_var\n"
        "from assistant.settings import Settings\n"
        "configure_logging(Settings(log_level='info'))\n"
        "request_id_var.set('r-1')\n"
        "logging.getLogger('assistant.x').info('hello %s', 'world', extra={'event': 'test'})\n"
        "logging.getLogger('uvicorn.access').info('198.51.100.23 - GET / 200')\n"
        "logging.getLogger('assistant.x').debug('not at info level')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    [entry] = [json.loads(line) for line in done.stderr.splitlines()]
    assert entry["message"] == "hello world"
    assert (entry["level"], entry["logger"], entry["request_id"], entry["event"]) == (
        "INFO",
        "assistant.x",
        "r-1",
        "test",
    )
    assert "198.51.100.23" not in done.stderr
