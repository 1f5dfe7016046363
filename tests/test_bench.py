"""The benchmark's synthetic corpora are deterministic and keep the seed article; its helpers measure what they say."""

from __future__ import annotations

import json
import os
from pathlib import Path

from assistant.corpus import load_corpus
from benchmarks.bench import cost_targets, group_cpu_seconds, percentiles
from benchmarks.synthetic import generate
from conftest import write_doc

FILLER = {
    "data": [
        {
            "title": f"条目{i}",
            "paragraphs": [
                {"context": f"这是第{i}个条目的第一句话。它讲述了一座城市的历史和文化！短句。人们在这里生活了{i}百年？"}
            ],
        }
        for i in range(20)
    ]
}


def filler(tmp_path: Path) -> Path:
    path = tmp_path / "cmrc.json"
    path.write_text(json.dumps(FILLER, ensure_ascii=False), encoding="utf-8")
    return path


def test_the_same_arguments_give_the_same_corpus(tmp_path: Path) -> None:
    seed = write_doc(tmp_path / "seed", "seed-article", "奎文区今年新建3处社区食堂。\n", title="奎文区民生实事")
    a = generate(tmp_path / "a", 200, [seed], filler(tmp_path), chunk_size=40)
    b = generate(tmp_path / "b", 200, [seed], filler(tmp_path), chunk_size=40)

    files = sorted(p.name for p in (tmp_path / "a").glob("*.txt"))
    assert a == b >= 200
    assert files == sorted(p.name for p in (tmp_path / "b").glob("*.txt"))
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)
    documents, errors = load_corpus(tmp_path / "a")
    assert errors == []
    assert "seed-article" in {d.doc_id for d in documents}
    # Sentences are recombined whole, and short fragments are left out.
    assert all("短句" not in d.text for d in documents)


def test_another_size_replaces_the_corpus(tmp_path: Path) -> None:
    seed = write_doc(tmp_path / "seed", "seed-article", "奎文区今年新建3处社区食堂。\n", title="奎文区民生实事")
    small = generate(tmp_path / "c", 50, [seed], filler(tmp_path), chunk_size=40)
    files_small = len(list((tmp_path / "c").glob("*.txt")))
    large = generate(tmp_path / "c", 300, [seed], filler(tmp_path), chunk_size=40)

    assert 50 <= small < large
    assert len(list((tmp_path / "c").glob("*.txt"))) > files_small


def test_percentiles() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentiles(values) == {"p50": 50.5, "p95": 95.05, "p99": 99.01}
    assert percentiles([]) == {"p50": 0.0, "p95": 0.0, "p99": 0.0}


def test_group_cpu_seconds_counts_this_process_group() -> None:
    before = group_cpu_seconds(os.getpgrp())
    total = sum(i * i for i in range(2_000_000))  # burn some CPU
    assert total > 0
    assert group_cpu_seconds(os.getpgrp()) > before


def _run(connections: int, rps: float, p50: float, cpu_ms: float, errors: int = 0) -> dict[str, object]:
    return {
        "connections": connections,
        "rps": rps,
        "errors": errors,
        "p50_ms": p50,
        "server_cpu_ms_per_request": cpu_ms,
        "wrk_cpu_ms_per_request": 0.2,
        "load_average": 1.5,
    }


def test_the_start_and_cost_targets_compare_each_figure_with_its_bound() -> None:
    seed = {"passes": [{"total": {"p50": 10.0}, "cpu_ms_per_question": 5.0}]}
    report = {
        "scale": [seed],
        "http": [
            {
                "workers": 1,
                "cold_start_s": 4.2,
                "cold_start_cpu_s": 3.9,
                "cold_start_load_average": 2.0,
                "runs": [_run(1, 60.0, 14.0, 7.0), _run(32, 90.0, 300.0, 8.0)],
            },
            {"workers": 2, "cold_start_s": 6.0, "runs": [_run(1, 70.0, 12.0, 7.0), _run(32, 160.0, 200.0, 8.5)]},
        ],
    }
    rows = {name.split(" ")[0]: (got, ok) for name, got, ok in cost_targets(report)}

    assert rows["process"] == ("4.2 s (3.9 s CPU; load 2.0)", True)
    assert rows["server"][1] is False and rows["server"][0].startswith("8.0 ms (in-process engine alone 5.0 ms")
    # Met when one of the numbers of workers meets it; each is shown.
    assert rows["HTTP"] == (
        "1 worker(s) 1.40× (14.0 ms, load 1.5); 2 worker(s) 1.20× (12.0 ms, load 1.5); in-process 10.0 ms",
        True,
    )
    # The best run at 32 connections counts, whichever the number of workers.
    assert rows["≥"] == ("160.0 req/s, 0 errors (2 worker(s); wrk's own CPU 0.2 ms/request; load 1.5)", True)

    report["http"][1]["runs"][1]["errors"] = 3  # type: ignore[index]
    assert dict((n.split(" ")[0], ok) for n, _, ok in cost_targets(report))["≥"] is False
