"""What storing each question adds to POST /api/ask: the write alone, and a whole ask with and without it.

Run from the repository root: ``.venv/bin/python scripts/feedback_overhead.py [--rounds N]``. Uses a
temporary index and database. Timings on a shared machine are noisy: compare medians, not single runs.
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.embedding import load_embedder
from assistant.feedback import FeedbackStore
from assistant.service import Assistant
from assistant.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ROOT / "tests" / "data" / "district_questions.jsonl"


def _summary(samples_ms: list[float]) -> str:
    ordered = sorted(samples_ms)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return f"median {statistics.median(ordered):.3f} ms, p95 {p95:.3f} ms (n={len(ordered)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2, help="Passes over the question set per mode")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    questions = [json.loads(line)["question"] for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line]

    with tempfile.TemporaryDirectory() as tmp:
        base = Settings(
            corpus_dir=ROOT / "docs_corpus",
            index_dir=Path(tmp) / "index",
            database_url=f"sqlite:///{Path(tmp) / 'feedback.db'}",
        )
        embedder = load_embedder(base)
        app = create_app(base, embedder=embedder)
        with TestClient(app) as client:
            assistant: Assistant = client.app.state.assistant  # type: ignore[attr-defined]
            store: FeedbackStore = client.app.state.feedback  # type: ignore[attr-defined]

            # The write alone: one INSERT in its own transaction (WAL, synchronous=NORMAL).
            results = [assistant.ask(q) for q in questions]
            writes, votes = [], []
            for n in range(args.rounds):
                for i, result in enumerate(results):
                    started = time.perf_counter()
                    answer_id = store.record(result, f"192.0.2.{i % 50}")
                    writes.append((time.perf_counter() - started) * 1000)
                    started = time.perf_counter()
                    store.vote(answer_id, helpful=n % 2 == 0)
                    votes.append((time.perf_counter() - started) * 1000)
            print(f"record():           {_summary(writes)}")
            print(f"vote():             {_summary(votes)}")

            # A whole ask through the app, recording on and off, interleaved (each first in turn) so both see
            # the same load; the answers were composed once above, so the clause cache is warm for both.
            on, off = [], []
            recording = {True: base, False: base.model_copy(update={"record_questions": False})}
            for n in range(args.rounds):
                for i, question in enumerate(questions):
                    for record in (True, False) if (n + i) % 2 else (False, True):
                        store.settings = recording[record]
                        started = time.perf_counter()
                        reply = client.post("/api/ask", json={"question": question})
                        (on if record else off).append((time.perf_counter() - started) * 1000)
                        assert reply.status_code == 200, reply.text
            print(f"ask, recording:     {_summary(on)}")
            print(f"ask, not recording: {_summary(off)}")
            print(f"added per ask (difference of medians): {statistics.median(on) - statistics.median(off):.3f} ms")


if __name__ == "__main__":
    main()
