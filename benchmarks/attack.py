"""The attack pass of issue 16, long version, against a live ``assistant serve`` on loopback (``make attack``).

Starts the server on the built index (``make index`` first) with a throw-away feedback database, runs each
attack and prints a table of what it measured beside the target. ``--quick`` runs it small.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import socket
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(ROOT))

from benchmarks.bench import start_server, stop_server  # noqa: E402

DEV_SET = ROOT.parent / "shared" / "eval" / "dev.jsonl"
FALLBACK_QUESTIONS = ["东关街道要新建几处老年食堂？", "春季招聘会提供多少岗位？", "重点项目总投资多少？"]
TOKEN = "attack-pass-admin-token"
HOST = "127.0.0.1"


@dataclass(frozen=True)
class Row:
    """One line of the table."""

    attack: str
    measured: str
    target: str
    held: bool


def request(port: int, method: str, path: str, body: dict[str, object] | None = None) -> tuple[int, bytes, float]:
    """One request on a fresh connection: status, body and seconds."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection(HOST, port, timeout=600)
    headers = {"Authorization": f"Bearer {TOKEN}"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    conn.request(method, path, body=data, headers=headers)
    reply = conn.getresponse()
    content = reply.read()
    conn.close()
    return reply.status, content, time.perf_counter() - started


def label_flood(port: int, n: int) -> Row:
    """Requests with made-up methods and paths, then the size and time of a scrape."""
    rng = random.Random(16)
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    for i in range(n):
        method = f"M{i}{rng.randrange(1 << 30)}"
        path = f"/{rng.randrange(1 << 60):x}/{i}"
        conn.request(method, path if i % 2 else "/healthz")
        reply = conn.getresponse()
        reply.read()
        if reply.getheader("connection") == "close":
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.close()
    _, text, seconds = request(port, "GET", "/metrics")
    size = len(text)
    return Row(
        f"{n:,} requests with random methods and paths",
        f"/metrics {size / 1000:.1f} KB, scraped in {seconds * 1000:.0f} ms",
        "/metrics < 100 KB",
        size < 100_000,
    )


def idle_connections(port: int, n: int, question: str) -> Row:
    """Half-sent requests held open while another client asks a question."""
    held = []
    for _ in range(n):
        sock = socket.create_connection((HOST, port), timeout=10)
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        held.append(sock)
    try:
        status, _, seconds = request(port, "POST", "/api/ask", {"question": question})
    finally:
        for sock in held:
            sock.close()
    return Row(
        f"{n:,} idle half-open connections held",
        f"another client's question: {status} in {seconds * 1000:.0f} ms",
        "answered in < 1 s",
        status == 200 and seconds < 1.0,
    )


def pathological(rng: random.Random, normal: list[str], corpus_text: str) -> dict[str, str]:
    """Question shapes of at most 500 characters that cost the most (see tests/test_abuse.py)."""
    cjk = [chr(c) for c in range(0x4E00, 0x9FA5)]
    seen = [c for c in corpus_text if "\u4e00" <= c <= "\u9fff"] or cjk
    places = "".join(rng.choices("省市区县镇乡村路街", k=120))
    return {
        "新x500": "新" * 500,
        "的x500": "的" * 500,
        "random CJK": "".join(rng.choices(cjk, k=500)),
        "unseen CJK": "".join(rng.choices([chr(c) for c in range(0x3400, 0x4DB5)], k=500)),
        "place suffixes": "".join(rng.choices("省市区县镇乡村路街", k=500)),
        "mixed": "".join(rng.choices("新区东关a1 ？", k=500)),
        "corpus characters": "".join(rng.choices(seen, k=500)),
        "a question repeated": (rng.choice(normal) * 500)[:500],
        # Many distinct words at both ends (what the bounds keep), the corpus's characters between.
        "words at both ends": places + "".join(rng.choices(seen, k=260)) + places,
    }


def slow_questions(port: int, normal: list[str], corpus_text: str) -> list[Row]:
    """Server time (took_ms) of the costliest shapes against the median question's."""

    def took(question: str) -> float:
        status, body, _ = request(port, "POST", "/api/ask", {"question": question})
        assert status == 200, body[:200]
        return float(json.loads(body)["took_ms"])

    median = statistics.median(min(took(q), took(q + " ")) for q in normal)
    worst: dict[str, float] = {}
    for seed in range(3):
        for shape, question in pathological(random.Random(seed), normal, corpus_text).items():
            cost = took(question)
            worst[shape] = min(worst.get(shape, cost), cost)
    shape, cost = max(worst.items(), key=lambda kv: kv[1])
    detail = ", ".join(f"{k} {v:.0f}" for k, v in sorted(worst.items(), key=lambda kv: -kv[1]))
    return [
        Row(
            "costliest question of <= 500 characters",
            f"{shape}: {cost:.0f} ms = {cost / median:.1f}x the median {median:.1f} ms (all, ms: {detail})",
            "<= 5x the median",
            cost <= 5 * median,
        )
    ]


def fill_store(url: str, n: int) -> Row:
    """``n`` stored 500-character questions from n/200 clients (the daily cap), as an attacker would leave.

    Stored as a server stores them: each with its report vector, made by the server's code and model
    (a server does that in the background); the row says what that costs per question.
    """
    from assistant.answer import Answer
    from assistant.embedding import load_embedder
    from assistant.feedback import FeedbackStore
    from assistant.report_gists import GistIndexer, StoredGists
    from assistant.service import AskResult
    from assistant.settings import Settings

    settings = Settings(database_url=url, feedback_retention_days=3650)
    store = FeedbackStore.open(settings)
    model = load_embedder(settings)
    gists = StoredGists(store, model.name, model.dimension)
    indexer = GistIndexer(model)
    store.on_stored = indexer.submit
    rng = random.Random(n)
    cjk = [chr(c) for c in range(0x4E00, 0x9FA5)]
    declined = Answer(False, "抱歉", [], "out_of_scope", 0.0)
    start = dt.datetime(2026, 11, 1)
    cap = settings.stored_questions_per_client_day
    cpu = 0.0
    for i in range(n):
        question = "".join(rng.choices(cjk, k=500))
        asked = start + dt.timedelta(seconds=i)
        store.record(AskResult(question, declined, 10.0, {}), f"10.{i // cap // 250}.{i // cap % 250}.1", asked)
        if (i + 1) % 256 == 0 or i + 1 == n:
            started = time.process_time()
            indexer.drain(gists)
            cpu += time.process_time() - started
    store.close()
    return Row(
        f"storing {n:,} 500-char questions with their report vectors",
        f"{cpu * 1000 / max(n, 1):.1f} ms CPU per question for its vector (in batches)",
        "(cost moved from the report)",
        True,
    )


def report(port: int, n: int) -> list[Row]:
    """The admin report over the stored questions, twice: the first report of a fresh server, then another."""
    rows = []
    for run in ("first", "second"):
        status, _, seconds = request(port, "GET", "/api/admin/report")
        rows.append(
            Row(
                f"/api/admin/report over {n:,} stored 500-char questions ({run} run)",
                f"{status} in {seconds:.1f} s",
                "< 10 s",
                status == 200 and seconds < 10.0,
            )
        )
    return rows


def read_only(index: Path, work: Path, env: dict[str, str], question: str) -> Row:
    """A server whose feedback database cannot be written: does it start and answer?"""
    path = work / "ro.db"
    from assistant.feedback import FeedbackStore
    from assistant.settings import Settings

    FeedbackStore.open(Settings(database_url=f"sqlite:///{path}")).close()
    env = {**env, "ASSISTANT_DATABASE_URL": f"sqlite:///file:{path}?mode=ro&uri=true"}
    proc, port, seconds = start_server(1, index, env, work / "ro.log")
    try:
        status, _, _ = request(port, "POST", "/api/ask", {"question": question})
        _, ready, _ = request(port, "GET", "/readyz")
    finally:
        stop_server(proc)
    feedback = json.loads(ready).get("feedback", "?")
    return Row(
        "read-only feedback database",
        f"ready in {seconds:.1f} s, question {status}, /readyz feedback: {feedback[:40]}",
        "starts and answers",
        status == 200,
    )


def shown(rows: list[Row]) -> list[Row]:
    """Print rows as soon as they are measured (the table comes at the end)."""
    for r in rows:
        print(f"  {r.attack}: {r.measured}", flush=True)
    return rows


def main() -> None:
    """Run the attacks and print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small counts (about a minute)")
    parser.add_argument("--index", type=Path, default=ROOT / "var" / "index")
    args = parser.parse_args()
    flood, idle, stored = (2_000, 200, 500) if args.quick else (100_000, 1_000, 10_000)
    normal = [json.loads(line)["question"] for line in DEV_SET.open()] if DEV_SET.exists() else FALLBACK_QUESTIONS
    work = Path(tempfile.mkdtemp(prefix="attack-"))
    url = f"sqlite:///{work / 'feedback.db'}"
    print(f"filling the feedback store with {stored:,} questions ...", flush=True)
    filled = shown([fill_store(url, stored)])[0]
    env = {
        **os.environ,
        "ASSISTANT_RATE_LIMIT": "off",
        "ASSISTANT_AUTO_INDEX": "false",
        "ASSISTANT_DATABASE_URL": url,
        "ASSISTANT_ADMIN_TOKEN": TOKEN,
        "ASSISTANT_FEEDBACK_RETENTION_DAYS": "3650",
    }
    rows: list[Row] = []
    proc, port, _ = start_server(1, args.index, env, work / "server.log")
    try:
        print("slow questions ...", flush=True)
        corpus_text = "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs_corpus").glob("*.txt")))
        rows += shown(slow_questions(port, normal, corpus_text))
        print("idle connections ...", flush=True)
        rows += shown([idle_connections(port, idle, normal[0])])
        print("label flood ...", flush=True)
        rows += shown([label_flood(port, flood)])
        print("report ...", flush=True)
        rows += [filled, *shown(report(port, stored))]
    finally:
        stopping = time.perf_counter()
        stop_server(proc)
    rows.append(Row("shutdown after the attacks", f"{time.perf_counter() - stopping:.1f} s", "prompt", True))
    print("read-only database ...", flush=True)
    rows.append(read_only(args.index, work, env, normal[0]))
    width = max(len(r.attack) for r in rows)
    print(f"\n{'attack':<{width}}  held  target / measured")
    for r in rows:
        print(f"{r.attack:<{width}}  {'yes ' if r.held else 'NO  '}  {r.target} / {r.measured}")


if __name__ == "__main__":
    main()
