"""Prometheus metrics of one app: requests, latency, answers, rate limiting and the loaded index.

Each app has its own registry (no global state). With several uvicorn workers, set
``PROMETHEUS_MULTIPROC_DIR`` (``assistant serve --workers N`` does) and ``/metrics`` adds up
every worker's figures; otherwise it reports the process that answered the scrape.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from assistant.index import Index
from assistant.settings import Settings

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = CONTENT_TYPE_LATEST
UNMATCHED_ROUTE = "unmatched"
# A label value per method a client makes up would grow the registry without bound (and /metrics with it).
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
OTHER_METHOD = "other"


def method_label(method: str) -> str:
    """The method as a metric label: one of the standard methods, else ``other``."""
    return method if method in KNOWN_METHODS else OTHER_METHOD


def multiprocess_dir() -> str | None:
    """The folder shared by the workers' metric files, when metrics are collected across processes."""
    return os.environ.get(MULTIPROC_ENV) or None


def folder_size(folder: Path) -> int:
    """Bytes in the files of ``folder`` (0 once it is gone: a newer build may have pruned it)."""
    try:
        return sum(p.stat().st_size for p in folder.iterdir() if p.is_file())
    except OSError:
        return 0


class Metrics:
    """The app's metrics and the registry they live in."""

    def __init__(self, settings: Settings) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        labels = ["method", "route", "status"]
        self.requests = Counter(
            "assistant_http_requests",
            "HTTP requests by method, route template and status",
            labels,
            registry=self.registry,
        )
        self.latency = Histogram(
            "assistant_http_request_duration_seconds",
            "Time to answer an HTTP request, by method, route template and status",
            labels,
            buckets=settings.metrics_buckets,
            registry=self.registry,
        )
        self.answers = Counter(
            "assistant_answers", "Questions answered (true) or declined (false)", ["answered"], registry=self.registry
        )
        # Each series by its labels, looked up here after its first use: prometheus_client's ``labels`` checks
        # the values and takes a lock on every call. Bounded like the labels themselves (methods outside
        # KNOWN_METHODS are one label, routes are templates); a series appears in /metrics once used, as before.
        self._answer_series: dict[bool, Counter] = {}
        self._request_series: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}
        self.rate_limited = Counter(
            "assistant_rate_limited", "Questions refused with 429 by the rate limit", registry=self.registry
        )
        self.rate_limit_errors = Counter(
            "assistant_rate_limit_errors",
            "Rate-limit checks that could not reach Redis (ASSISTANT_REDIS_URL); the process's own limit applied",
            registry=self.registry,
        )
        self.reloads = Counter(
            "assistant_index_reloads", "Index reloads by outcome (swapped, failed)", ["outcome"], registry=self.registry
        )
        self.feedback_up = Gauge(
            "assistant_feedback_store_up",
            "1 while the feedback store can be written, 0 while questions are answered without storing them",
            registry=self.registry,
            multiprocess_mode="min",
        )
        # After a reload each worker sets these; the most recent value is the truth.
        self.index_documents = Gauge(
            "assistant_index_documents",
            "Documents in the loaded index",
            registry=self.registry,
            multiprocess_mode="mostrecent",
        )
        self.index_chunks = Gauge(
            "assistant_index_chunks",
            "Passages in the loaded index",
            registry=self.registry,
            multiprocess_mode="mostrecent",
        )
        self.index_bytes = Gauge(
            "assistant_index_size_bytes",
            "Size on disk of the loaded index build",
            registry=self.registry,
            multiprocess_mode="mostrecent",
        )
        self.index_build_seconds = Gauge(
            "assistant_index_build_seconds",
            "How long building the loaded index took",
            registry=self.registry,
            multiprocess_mode="mostrecent",
        )
        self.index_built = Gauge(
            "assistant_index_built_timestamp_seconds",
            "When the loaded index was built (Unix time)",
            registry=self.registry,
            multiprocess_mode="mostrecent",
        )

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        """Count one finished request and its latency."""
        method = method_label(method)
        series = self._request_series.get((method, route, status))
        if series is None:
            labels = (method, route, str(status))
            series = self._request_series[method, route, status] = (
                self.requests.labels(*labels),
                self.latency.labels(*labels),
            )
        series[0].inc()
        series[1].observe(seconds)

    def set_feedback_up(self, up: bool) -> None:
        """Record whether the feedback store can be written."""
        self.feedback_up.set(1 if up else 0)

    def observe_answer(self, answered: bool) -> None:
        """Count one answer by whether the documents supported it."""
        series = self._answer_series.get(answered)
        if series is None:
            series = self._answer_series[answered] = self.answers.labels(str(answered).lower())
        series.inc()

    def set_index(self, index: Index) -> None:
        """Describe the index now being served."""
        manifest = index.manifest
        self.index_documents.set(manifest.documents)
        self.index_chunks.set(manifest.chunks)
        self.index_bytes.set(folder_size(index.path))
        self.index_build_seconds.set(manifest.build_seconds)
        self.index_built.set(dt.datetime.fromisoformat(manifest.built_at).timestamp())

    def render(self) -> bytes:
        """The metrics in Prometheus' text format (every worker's, in multiprocess mode)."""
        folder = multiprocess_dir()
        if folder is None:
            return generate_latest(self.registry)
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=folder)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
