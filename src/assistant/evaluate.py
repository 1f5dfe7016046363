"""Scoring a question set against ``/api/ask`` with the metrics of ``shared/eval/README.md``."""

from __future__ import annotations

import json
import statistics
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

MAX_CITATION_CHARS = 400
MAX_ANSWER_CHARS = 200
EVAL_TOP_K = 3


@dataclass
class Outcome:
    """What happened to one question."""

    item: dict[str, Any]
    response: dict[str, Any]
    latency_ms: float
    rank: int | None = None
    answer_ok: bool = False
    bad_offsets: int = 0
    notes: list[str] = field(default_factory=list)


def normalise(text: str) -> str:
    """NFKC with all white space removed, as the metrics compare answers."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def load_set(path: Path) -> list[dict[str, Any]]:
    """Read a JSONL question set."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _evidence_spans(item: dict[str, Any], doc_id: str, text: str) -> list[tuple[int, int]]:
    if item.get("doc_id") and item["doc_id"] != doc_id:
        return []
    spans = []
    for i, evidence in enumerate(item.get("evidence", [])):
        start = item["evidence_start"] if i == 0 and item.get("evidence_start") is not None else text.find(evidence)
        if start >= 0:
            spans.append((start, start + len(evidence)))
    return spans


def score(item: dict[str, Any], response: dict[str, Any], texts: dict[str, str], latency_ms: float) -> Outcome:
    """Score one response: hit rank, answer correctness and offset checks."""
    outcome = Outcome(item, response, latency_ms)
    for position, citation in enumerate(response.get("citations", [])[:EVAL_TOP_K], start=1):
        text = texts[citation["doc_id"]]
        if text[citation["start"] : citation["end"]] != citation["text"]:
            outcome.bad_offsets += 1
        if outcome.rank is not None or len(citation["text"]) > MAX_CITATION_CHARS:
            continue
        for start, end in _evidence_spans(item, citation["doc_id"], text):
            overlap = min(end, citation["end"]) - max(start, citation["start"])
            if overlap >= (end - start) / 2:
                outcome.rank = position
                break
    answer = normalise(response.get("answer", ""))
    outcome.answer_ok = (
        bool(response.get("answered"))
        and len(answer) <= MAX_ANSWER_CHARS
        and all(normalise(m) in answer for m in item.get("must", []))
    )
    return outcome


def _share(flags: list[bool]) -> float:
    return round(sum(flags) / len(flags), 4) if flags else 0.0


def metrics(outcomes: list[Outcome]) -> dict[str, float | int]:
    """The set's metrics, named as in the eval README."""
    answerable = [o for o in outcomes if o.item.get("answerable")]
    none = [o for o in outcomes if o.item.get("topic") == "none"]
    unstated = [o for o in outcomes if o.item.get("topic") == "unstated"]
    latencies = sorted(o.latency_ms for o in outcomes)
    answers = [len(normalise(o.response["answer"])) for o in answerable if o.response.get("answered")]
    return {
        "n": len(outcomes),
        "hit@1": _share([o.rank == 1 for o in answerable]),
        "hit@3": _share([o.rank is not None for o in answerable]),
        "mrr": round(sum(1 / o.rank for o in answerable if o.rank) / len(answerable), 4) if answerable else 0.0,
        "answer_acc": _share([o.answer_ok for o in answerable]),
        "false_abstain": _share([not o.response.get("answered") for o in answerable]),
        "abstain_acc": _share([not o.response.get("answered") for o in none]),
        "unstated_acc": _share([not o.response.get("answered") for o in unstated]),
        "bad_offsets": sum(o.bad_offsets for o in outcomes),
        "median_answer_chars": statistics.median(answers) if answers else 0,
        "p50_ms": round(_percentile(latencies, 50), 2),
        "p95_ms": round(_percentile(latencies, 95), 2),
    }


def _percentile(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    rank = max(0, min(len(values) - 1, round(pct / 100 * (len(values) - 1))))
    return values[rank]


def evaluate(client: TestClient, items: list[dict[str, Any]]) -> list[Outcome]:
    """Ask every question through the HTTP API and score the responses."""
    texts: dict[str, str] = {}
    outcomes = []
    for item in items:
        started = time.perf_counter()
        reply = client.post("/api/ask", json={"question": item["question"], "top_k": EVAL_TOP_K})
        latency = (time.perf_counter() - started) * 1000.0
        reply.raise_for_status()
        response = reply.json()
        for citation in response["citations"]:
            if citation["doc_id"] not in texts:
                doc = client.get(f"/api/documents/{citation['doc_id']}")
                doc.raise_for_status()
                texts[citation["doc_id"]] = doc.json()["text"]
        outcomes.append(score(item, response, texts, latency))
    return outcomes
