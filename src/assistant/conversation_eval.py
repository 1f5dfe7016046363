"""Scoring conversations: each turn asked with the service's own earlier answers as history, scored as one question.

A conversation set is JSONL, one ``{"id", "turns": [...]}`` a line; each turn is in the single-question format
of ``shared/eval/README.md`` plus ``kind``: ``first``, ``follow``, ``switch`` (a new self-contained topic) or
``follow_unstated`` (a follow-up asking for a detail no document gives).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Literal, get_args

from assistant.conversation import HISTORY_MAX_TURNS, Turn
from assistant.evaluate import EVAL_TOP_K, Outcome, reply_body, score
from assistant.service import Assistant

TurnKind = Literal["first", "follow", "switch", "follow_unstated"]
TURN_KINDS: tuple[TurnKind, ...] = get_args(TurnKind)


@dataclass
class TurnOutcome:
    """One turn of a conversation: its scored reply, and how it relates to the turn before."""

    conversation: str
    kind: TurnKind
    outcome: Outcome
    resolved_question: str
    # The document the previous turn was answered from, and this turn's (None when declined or first).
    previous_doc: str | None
    answer_doc: str | None
    # Whether the same question, asked alone, is answered (asked for switch turns only).
    answered_alone: bool | None = None
    # The turn's hand-written ``standalone`` form asked alone, when the set gives one: what a perfect rewrite
    # would score, so that the resolver's losses are told apart from the engine's.
    standalone: Outcome | None = None

    @property
    def contaminated(self) -> bool:
        """A switch turn answered from the previous turn's document when its own is another, or declined although
        it is answered when asked alone."""
        if self.kind != "switch":
            return False
        own = self.outcome.item.get("doc_id")
        if self.outcome.response.get("answered"):
            return self.previous_doc is not None and self.answer_doc == self.previous_doc and own != self.previous_doc
        return bool(self.answered_alone)


def is_conversation_set(items: list[dict[str, Any]]) -> bool:
    """Whether a loaded JSONL set holds conversations (lines with ``turns``) rather than single questions."""
    return bool(items) and all("turns" in item for item in items)


def _answer_doc(response: dict[str, Any]) -> str | None:
    """The document an answer comes from: its first citation's (None for a decline)."""
    citations = response.get("citations") or []
    return str(citations[0]["doc_id"]) if response.get("answered") and citations else None


def _ask(assistant: Assistant, item: dict[str, Any], history: list[Turn]) -> tuple[Outcome, str | None]:
    """Ask one turn and score it; also the resolved question."""
    started = time.perf_counter()
    result = assistant.ask(item["question"], EVAL_TOP_K, history)
    latency = (time.perf_counter() - started) * 1000.0
    response = reply_body(result)
    texts = {c["doc_id"]: assistant.document(c["doc_id"]).text for c in response["citations"]}
    return score(item, response, texts, latency), result.resolved_question


def evaluate_conversations(assistant: Assistant, conversations: list[dict[str, Any]]) -> list[TurnOutcome]:
    """Ask every turn of every conversation in order, with the service's own earlier replies as history."""
    out: list[TurnOutcome] = []
    for conversation in conversations:
        history: list[Turn] = []
        previous_doc: str | None = None
        for item in conversation["turns"]:
            kind: TurnKind = item["kind"]
            if kind not in TURN_KINDS:
                raise ValueError(f"conversation {conversation.get('id')}: unknown turn kind {kind!r}")
            outcome, resolved = _ask(assistant, item, history)
            turn = TurnOutcome(
                str(conversation.get("id")),
                kind,
                outcome,
                resolved or item["question"],
                previous_doc,
                _answer_doc(outcome.response),
            )
            if kind == "switch":
                turn.answered_alone = bool(assistant.ask(item["question"], EVAL_TOP_K).answer.answered)
            if item.get("standalone"):
                turn.standalone, _ = _ask(assistant, {**item, "question": item["standalone"]}, [])
            out.append(turn)
            response = outcome.response
            doc_ids = tuple(dict.fromkeys(c["doc_id"] for c in response["citations"]))
            history.append(Turn(item["question"], response["answer"], doc_ids))
            history = history[-HISTORY_MAX_TURNS:]
            previous_doc = turn.answer_doc
    return out


def _share(flags: list[bool]) -> float:
    return round(sum(flags) / len(flags), 4) if flags else 0.0


def conversation_metrics(turns: list[TurnOutcome]) -> dict[str, float | int]:
    """Figures by turn kind: answer_acc of first turns, follow-ups and switches, follow_unstated declined,
    contamination of switches, and hit@1 of answerable follow-ups."""
    by_kind = {kind: [t for t in turns if t.kind == kind] for kind in TURN_KINDS}

    def answerable(kind: TurnKind) -> list[TurnOutcome]:
        return [t for t in by_kind[kind] if t.outcome.item.get("answerable")]

    return {
        "conversations": len({t.conversation for t in turns}),
        "turns": len(turns),
        "first_n": len(answerable("first")),
        "first_answer_acc": _share([t.outcome.answer_ok for t in answerable("first")]),
        "first_hit@1": _share([t.outcome.rank == 1 for t in answerable("first")]),
        "follow_n": len(answerable("follow")),
        "follow_answer_acc": _share([t.outcome.answer_ok for t in answerable("follow")]),
        "follow_hit@1": _share([t.outcome.rank == 1 for t in answerable("follow")]),
        "switch_n": len(answerable("switch")),
        "switch_answer_acc": _share([t.outcome.answer_ok for t in answerable("switch")]),
        "follow_unstated_n": len(by_kind["follow_unstated"]),
        "follow_unstated_declined": _share(
            [not t.outcome.response.get("answered") for t in by_kind["follow_unstated"]]
        ),
        "contamination": _share([t.contaminated for t in by_kind["switch"]]),
        # The same turns asked in their hand-written standalone form, alone (turns that give one).
        "follow_standalone_answer_acc": _share([t.standalone.answer_ok for t in answerable("follow") if t.standalone]),
        "follow_unstated_standalone_declined": _share(
            [not t.standalone.response.get("answered") for t in by_kind["follow_unstated"] if t.standalone]
        ),
        "resolved": _share([t.resolved_question != t.outcome.item["question"] for t in turns if t.kind != "first"]),
        "bad_offsets": sum(t.outcome.bad_offsets for t in turns),
    }
