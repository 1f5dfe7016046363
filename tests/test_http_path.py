"""The question route's per-request bookkeeping kept cheap: metric series and client hashes looked up once."""

from __future__ import annotations

import hashlib
import hmac

from prometheus_client import generate_latest

from assistant.clients import HASH_MEMO, hash_address
from assistant.metrics import Metrics
from assistant.settings import Settings
from test_ops import metric


def exposition(metrics: Metrics) -> str:
    """What /metrics would show for this app's registry."""
    return generate_latest(metrics.registry).decode()


def test_request_series_count_each_request_under_its_own_labels() -> None:
    metrics = Metrics(Settings())
    for status, seconds in ((200, 0.004), (200, 0.02), (429, 0.001)):
        metrics.observe_request("POST", "/api/ask", status, seconds)
    text = exposition(metrics)
    ask = {"method": "POST", "route": "/api/ask"}
    assert metric(text, "assistant_http_requests_total", **ask, status="200") == 2
    assert metric(text, "assistant_http_requests_total", **ask, status="429") == 1
    assert metric(text, "assistant_http_request_duration_seconds_count", **ask, status="200") == 2
    assert metric(text, "assistant_http_request_duration_seconds_sum", **ask, status="200") == 0.024


def test_made_up_methods_share_one_series() -> None:
    metrics = Metrics(Settings())
    for method in ("BREW", "WHEN", "BREW"):
        metrics.observe_request(method, "unmatched", 405, 0.001)
    text = exposition(metrics)
    assert metric(text, "assistant_http_requests_total", method="other", route="unmatched", status="405") == 3
    assert "BREW" not in text and "WHEN" not in text


def test_an_answer_series_appears_once_used() -> None:
    metrics = Metrics(Settings())
    assert 'answered="' not in exposition(metrics)
    metrics.observe_answer(True)
    metrics.observe_answer(True)
    text = exposition(metrics)
    assert metric(text, "assistant_answers_total", answered="true") == 2
    assert 'answered="false"' not in text
    metrics.observe_answer(False)
    assert metric(exposition(metrics), "assistant_answers_total", answered="false") == 1


def test_a_remembered_hash_is_the_salted_hash_itself() -> None:
    for _ in range(2):  # the second time from memory
        for address in ("198.51.100.23", "2001:db8::1"):
            for salt in (b"salt-a", b"salt-b"):
                expected = hmac.new(salt, address.encode(), hashlib.sha256).hexdigest()
                assert hash_address(address, salt) == expected[:16]
                assert hash_address(address, salt, 32) == expected[:32]
    assert hash_address.cache_info().maxsize == HASH_MEMO
