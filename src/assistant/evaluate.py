"""Scoring a question set with the metrics of ``shared/eval/README.md``, asking the assistant service directly."""

from __future__ import annotations

import json
import re
import statistics
import time
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from assistant.service import AskResult, Assistant

MAX_CITATION_CHARS = 400
MAX_ANSWER_CHARS = 200
EVAL_TOP_K = 3
# An answer's fragments are joined by an ellipsis and cite their passages with markers such as [1].
FRAGMENT_SEPARATOR = "……"
CITATION_MARKER = re.compile(r"\[(\d+)\]")
# A sentence ends after a run of these (a line break ends one too).
SENTENCE_ENDS = frozenset("。！？!?\n\r")


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
    # Correct answers only: the answer's characters, and how many of them lie in evidence sentences.
    answer_chars: int = 0
    evidence_chars: int = 0

    @property
    def precision(self) -> float | None:
        """Share of a correct answer's characters that lie in evidence sentences (None for other answers)."""
        if not self.answer_ok:
            return None
        return self.evidence_chars / self.answer_chars if self.answer_chars else 0.0


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


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The ``[start, end)`` of each sentence of ``text``: split after a run of 。！？!? or line breaks."""
    spans = []
    start = 0
    for i, char in enumerate(text):
        if char in SENTENCE_ENDS and (i + 1 == len(text) or text[i + 1] not in SENTENCE_ENDS):
            spans.append((start, i + 1))
            start = i + 1
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def evidence_mask(item: dict[str, Any], doc_id: str, text: str) -> list[bool]:
    """Per character of ``text``: whether it lies in a sentence that overlaps an evidence span."""
    mask = [False] * len(text)
    evidence = _evidence_spans(item, doc_id, text)
    for start, end in sentence_spans(text):
        if any(min(end, e_end) > max(start, e_start) for e_start, e_end in evidence):
            mask[start:end] = [True] * (end - start)
    return mask


def answer_fragments(answer: str) -> list[str]:
    """The answer's quoted fragments: split at the ellipsis, citation markers removed, blank ones left out."""
    fragments = (CITATION_MARKER.sub("", part).strip() for part in answer.split(FRAGMENT_SEPARATOR))
    return [f for f in fragments if f]


def _locate(fragment: str, citations: list[dict[str, Any]], texts: dict[str, str]) -> tuple[str, int] | None:
    """The cited document holding ``fragment`` (the first such citation) and the occurrence nearest its passage."""
    for citation in citations:
        text = texts.get(citation["doc_id"], "")
        starts = [m.start() for m in re.finditer(re.escape(fragment), text)]
        if starts:
            return citation["doc_id"], min(starts, key=lambda s: abs(s - citation["start"]))
    return None


def evidence_share(item: dict[str, Any], response: dict[str, Any], texts: dict[str, str]) -> tuple[int, int]:
    """``(answer characters, those in evidence sentences)``; a fragment no cited document holds counts as outside."""
    answer = response.get("answer", "")
    citations: list[dict[str, Any]] = response.get("citations", [])
    # The citations the answer's markers name come first, in the order named.
    named = [citations[n - 1] for n in map(int, CITATION_MARKER.findall(answer)) if 0 < n <= len(citations)]
    ordered = named + [c for c in citations if c not in named]
    masks: dict[str, list[bool]] = {}
    total = inside = 0
    for fragment in answer_fragments(answer):
        total += len(fragment)
        found = _locate(fragment, ordered, texts)
        if found is None:
            continue
        doc_id, start = found
        if doc_id not in masks:
            masks[doc_id] = evidence_mask(item, doc_id, texts[doc_id])
        inside += sum(masks[doc_id][start : start + len(fragment)])
    return total, inside


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
    if outcome.answer_ok:
        outcome.answer_chars, outcome.evidence_chars = evidence_share(item, response, texts)
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
    correct = [o for o in answerable if o.answer_ok]
    precisions = [o.precision or 0.0 for o in correct]
    return {
        "n": len(outcomes),
        "hit@1": _share([o.rank == 1 for o in answerable]),
        "hit@3": _share([o.rank is not None for o in answerable]),
        "mrr": round(sum(1 / o.rank for o in answerable if o.rank) / len(answerable), 4) if answerable else 0.0,
        "answer_acc": _share([o.answer_ok for o in answerable]),
        "false_abstain": _share([not o.response.get("answered") for o in answerable]),
        "abstain_acc": _share([not o.response.get("answered") for o in none]),
        "unstated_acc": _share([not o.response.get("answered") for o in unstated]),
        "answer_precision": round(statistics.fmean(precisions), 4) if precisions else 0.0,
        "clean_answers": _share([o.answer_chars > 0 and o.evidence_chars == o.answer_chars for o in correct]),
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


def reply_body(result: AskResult) -> dict[str, Any]:
    """What ``POST /api/ask`` would answer for an :class:`~assistant.service.AskResult` (without the stored id)."""
    answer = result.answer
    return {
        "question": result.question,
        "answer": answer.text,
        "answered": answer.answered,
        "citations": [asdict(c) for c in answer.citations],
        "took_ms": round(result.took_ms, 3),
    }


def evaluate(assistant: Assistant, items: list[dict[str, Any]]) -> list[Outcome]:
    """Ask every question of the assistant (``top_k`` 3, as the metrics say) and score the replies."""
    outcomes = []
    for item in items:
        started = time.perf_counter()
        result = assistant.ask(item["question"], EVAL_TOP_K)
        latency = (time.perf_counter() - started) * 1000.0
        response = reply_body(result)
        texts = {c["doc_id"]: assistant.document(c["doc_id"]).text for c in response["citations"]}
        outcomes.append(score(item, response, texts, latency))
    return outcomes
