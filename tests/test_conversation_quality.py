"""Follow-up questions with the real model: the conversation sets over the multi-document corpus and two of the
project's own corpora."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.conversation_eval import conversation_metrics, evaluate_conversations
from assistant.embedding import load_embedder
from assistant.evaluate import evaluate, load_set, metrics
from assistant.service import Assistant
from assistant.settings import Settings
from conftest import ROOT, require_shared

pytestmark = pytest.mark.quality

CONVERSATIONS = ROOT / "eval" / "conversations" / "multidoc.jsonl"


def test_conversation_set(tmp_path: Path) -> None:
    """45 conversations, 143 turns (eval/conversations/multidoc.jsonl).

    Measured on 2026-11-28 after the ninth round's merge (fit r37): first_answer_acc 0.889, follow_answer_acc
    0.930 (in their hand-written standalone form, alone: 0.958), switch_answer_acc 0.923,
    follow_unstated_declined 0.929 (0.500 before issue-13g: a follow-up about a thing the thread's document never
    names is declined), contamination 0.0.
    The guards sit a little under (over, for contamination); the engine, not the resolver, holds most misses
    (docs/EVALUATION.md classifies each).
    """
    folder = require_shared() / "eval" / "multidoc"
    settings = Settings(corpus_dir=folder / "corpus", index_dir=tmp_path / "index")
    assistant = Assistant.open(settings, load_embedder(settings))
    conversations = load_set(CONVERSATIONS)
    turns = evaluate_conversations(assistant, conversations)
    figures = conversation_metrics(turns)
    follow_ups = [t for c in conversations for t in c["turns"] if t["kind"] == "follow"]
    alone = metrics(evaluate(assistant, follow_ups))
    print("\nconversations: " + " ".join(f"{k}={v}" for k, v in figures.items()) + f" follow_alone={alone}")
    misses = [(t.outcome.item["id"], t.resolved_question) for t in turns if not t.outcome.answer_ok]

    assert figures["bad_offsets"] == 0
    assert figures["first_answer_acc"] >= 0.84, misses
    assert figures["follow_answer_acc"] >= 0.89, misses
    # The history is what answers follow-ups: asked alone, as typed, they score far lower.
    assert figures["follow_answer_acc"] >= alone["answer_acc"] + 0.1, (figures, alone)
    assert figures["switch_answer_acc"] >= 0.88, misses
    assert figures["follow_unstated_declined"] >= 0.85, misses
    assert figures["contamination"] <= 0.05, misses


# Conversations over corpora of the project's own sets, written after the resolver was tuned on multidoc.jsonl
# (issue 13): measured floors for follow-ups, unpublished details declined, and contamination.
OWN_SETS = {
    # Conversations written before the engine ran on them (rights-civic and works-environment 13 conversations, 49
    # turns each; farm-school-sport 14, 51; insurance-transit 14, 49; homes-streets 13, 42; checkups-services 14,
    # 44; stations-fairs-projects 12, 37; homecare-hiring-civic 12, 36). Measured on 2026-11-28 after the fourteenth
    # round (fit r37; docs/EVALUATION.md), follow / unstated declined: rights-civic 1.0 (31 of 31) / 1.0 (3);
    # works-environment 0.903 (28 of 31) / 1.0 (3); farm-school-sport 0.862 (25 of 29) / 1.0 (5); insurance-transit
    # 0.80 (20 of 25) / 0.667 (4 of 6); homes-streets 0.762 (16 of 21) / 0.8 (4 of 5); checkups-services 0.818 (18
    # of 22) / 1.0 (4); stations-fairs-projects 0.722 (13 of 18) / 0.75 (3 of 4); homecare-hiring-civic 0.8125 (13
    # of 16; first run 0.4375) / 1.0 (5); contamination 0.0 on every set. The guards sit a turn under.
    "rights-civic": {"follow_answer_acc": 0.96, "follow_unstated_declined": 0.66},
    "works-environment": {"follow_answer_acc": 0.87, "follow_unstated_declined": 0.66},
    "farm-school-sport": {"follow_answer_acc": 0.82, "follow_unstated_declined": 0.79},
    "insurance-transit": {"follow_answer_acc": 0.76, "follow_unstated_declined": 0.5},
    "homes-streets": {"follow_answer_acc": 0.71, "follow_unstated_declined": 0.6},
    "checkups-services": {"follow_answer_acc": 0.77, "follow_unstated_declined": 0.74},
    "stations-fairs-projects": {"follow_answer_acc": 0.66, "follow_unstated_declined": 0.5},
    "homecare-hiring-civic": {"follow_answer_acc": 0.75, "follow_unstated_declined": 0.79},
}


@pytest.mark.parametrize("name", sorted(OWN_SETS))
def test_conversation_sets_over_the_project_s_corpora(name: str, tmp_path: Path) -> None:
    """Follow-ups on corpora no conversation was tuned on keep their measured floors (docs/EVALUATION.md)."""
    settings = Settings(corpus_dir=ROOT / "eval" / "sets" / name / "corpus", index_dir=tmp_path / "index")
    assistant = Assistant.open(settings, load_embedder(settings))
    turns = evaluate_conversations(assistant, load_set(ROOT / "eval" / "conversations" / f"{name}.jsonl"))
    figures = conversation_metrics(turns)
    misses = [(t.outcome.item["id"], t.resolved_question) for t in turns if not t.outcome.answer_ok]
    assert figures["bad_offsets"] == 0
    for metric, floor in OWN_SETS[name].items():
        assert figures[metric] >= floor, (metric, misses)
    assert figures["contamination"] <= 0.05, misses
