"""The project's own evaluation sets (eval/sets/, eval/conversations/): well-formed, with evidence that says where
the answer is."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from assistant.corpus import load_corpus
from assistant.evaluate import load_set
from conftest import require_shared

ROOT = Path(__file__).resolve().parents[1]
SETS_DIR = ROOT / "eval" / "sets"
SETS = sorted(p for p in SETS_DIR.iterdir() if p.is_dir())
FIELDS = {"id", "question", "lang", "answerable", "topic"}
PLAN = json.loads((ROOT / "eval" / "fit.json").read_text(encoding="utf-8"))


def corpus_folder(folder: Path) -> Path:
    """The set's corpus: the one eval/fit.json names, else its own corpus/; skips when that is ../shared, absent."""
    named = {s["name"]: ROOT / s["corpus"] for group in PLAN.values() for s in group if "corpus" in s}
    corpus = named.get(folder.name, folder / "corpus")
    # A corpus outside the checkout is the shared data (read from ../shared, never copied into the repository).
    if not corpus.resolve().is_relative_to(ROOT):
        require_shared()
    return corpus


def normalised(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


@pytest.mark.parametrize("folder", SETS, ids=[p.name for p in SETS])
def test_every_question_is_well_formed_and_its_evidence_is_unique(folder: Path) -> None:
    documents, errors = load_corpus(corpus_folder(folder))
    assert not errors and len(documents) >= 8
    texts = {d.doc_id: d.text for d in documents}
    items: list[dict[str, Any]] = load_set(folder / "questions.jsonl")
    assert len({i["id"] for i in items}) == len(items) >= 60
    for item in items:
        assert set(item) >= FIELDS, item["id"]
        assert item["lang"] in {"zh", "zh-Hant", "en"}, item["id"]
        if not item["answerable"]:
            assert item["topic"] in {"none", "unstated"} and not item.get("evidence"), item["id"]
            continue
        assert item["doc_id"] in texts and item["evidence"] and item["must"], item["id"]
        for evidence in item["evidence"]:
            assert texts[item["doc_id"]].count(evidence) == 1, (item["id"], evidence)
            assert all(evidence not in t for d, t in texts.items() if d != item["doc_id"]), (item["id"], evidence)
        joined = [normalised(e) for e in item["evidence"]]
        assert all(any(normalised(m) in e for e in joined) for m in item["must"]), item["id"]


def test_the_fit_plan_keeps_its_held_out_sets_out_of_training() -> None:
    trained = {s["name"] for s in PLAN["train"]}
    held_out = {s["name"] for s in PLAN["held_out"]}
    # Development sets are neither trained on nor reported as held out: they judge the engine's changes.
    development = {s["name"] for s in PLAN.get("development", [])}
    assert trained and held_out and not trained & held_out and not development & (trained | held_out)
    assert {p.name for p in SETS} <= trained | held_out | development


CONVERSATION_SETS = {
    "multidoc.jsonl": "shared",
    "heldout.jsonl": "shared",
    "community.jsonl": "community",
    "rights-civic.jsonl": "rights-civic",
    "works-environment.jsonl": "works-environment",
    "farm-school-sport.jsonl": "farm-school-sport",
    "insurance-transit.jsonl": "insurance-transit",
    "homes-streets.jsonl": "homes-streets",
    "checkups-services.jsonl": "checkups-services",
    "stations-fairs-projects.jsonl": "stations-fairs-projects",
    "homecare-hiring-civic.jsonl": "homecare-hiring-civic",
}


@pytest.mark.parametrize("name", sorted(CONVERSATION_SETS))
def test_every_conversation_is_well_formed_and_its_evidence_is_in_its_document(name: str) -> None:
    corpus = CONVERSATION_SETS[name]
    folder = require_shared() / "eval" / "multidoc" / "corpus" if corpus == "shared" else SETS_DIR / corpus / "corpus"
    documents, errors = load_corpus(folder)
    assert not errors
    texts = {d.doc_id: d.text for d in documents}
    conversations: list[dict[str, Any]] = load_set(ROOT / "eval" / "conversations" / name)
    turns = [t for c in conversations for t in c["turns"]]
    assert len({c["id"] for c in conversations}) == len(conversations)
    assert len({t["id"] for t in turns}) == len(turns)
    for conversation in conversations:
        kinds = [t["kind"] for t in conversation["turns"]]
        assert kinds[0] == "first" and "first" not in kinds[1:] and 2 <= len(kinds) <= 4, conversation["id"]
    for item in turns:
        assert set(item) >= FIELDS | {"kind"}, item["id"]
        assert item["lang"] in {"zh", "zh-Hant", "en"}, item["id"]
        if item["kind"] == "follow_unstated":
            assert not item["answerable"] and item["topic"] == "unstated" and not item["evidence"], item["id"]
            continue
        assert item["answerable"] and item["doc_id"] in texts and item["evidence"] and item["must"], item["id"]
        assert all(e in texts[item["doc_id"]] for e in item["evidence"]), item["id"]
        joined = [normalised(e) for e in item["evidence"]]
        assert all(any(normalised(m) in e for e in joined) for m in item["must"]), item["id"]


UNSTATED_DIR = ROOT / "eval" / "unstated"
UNSTATED_SETS = sorted(p.name for p in UNSTATED_DIR.glob("*.jsonl"))


@pytest.mark.parametrize("name", UNSTATED_SETS)
def test_every_unstated_question_file_is_well_formed_over_its_corpus(name: str) -> None:
    stem = name.removesuffix(".jsonl")
    folder = require_shared() / "eval" / "multidoc" / "corpus" if stem == "multidoc" else SETS_DIR / stem / "corpus"
    documents, errors = load_corpus(folder)
    assert not errors
    texts = {d.doc_id: d.text for d in documents}
    items: list[dict[str, Any]] = load_set(UNSTATED_DIR / name)
    assert len({i["id"] for i in items}) == len(items)
    # Mostly unpublished details, with a few answerable controls asked the same way.
    unstated = [i for i in items if not i["answerable"]]
    assert len(unstated) >= 8 and len(items) - len(unstated) >= 3
    for item in items:
        assert set(item) >= FIELDS and item["lang"] in {"zh", "zh-Hant", "en"}, item["id"]
        if not item["answerable"]:
            assert item["topic"] == "unstated" and not item.get("evidence"), item["id"]
            continue
        assert item["doc_id"] in texts and item["evidence"] and item["must"], item["id"]
        for evidence in item["evidence"]:
            assert sum(t.count(evidence) for t in texts.values()) == texts[item["doc_id"]].count(evidence) == 1
        joined = [normalised(e) for e in item["evidence"]]
        assert all(any(normalised(m) in e for e in joined) for m in item["must"]), item["id"]
