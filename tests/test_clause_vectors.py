"""Clause vectors stored in the index (INDEX_FORMAT 6): the round trip, and the answer stage reading them instead of
encoding per question."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from assistant.answer.engine import Engine
from assistant.answer.passages import Passages
from assistant.answer.span import pieces
from assistant.embedding import FakeEmbedder
from assistant.errors import IndexUnavailable
from assistant.index import CLAUSES_FILE, MANIFEST_FILE, ClauseVectors, build_index, load_index
from assistant.retrieval import HybridRetriever
from assistant.settings import Settings
from assistant.text import fold


def unit(*values: float) -> np.ndarray:
    vector = np.asarray(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


# Three passages of two dimensions: two clauses, none (headings only), one.
STORED = ClauseVectors(np.array([0, 2, 2, 3]), np.stack([unit(1, 0), unit(0, 1), unit(1, 1)]))


@pytest.mark.parametrize(
    ("chunk_id", "rows"),
    [(0, [unit(1, 0), unit(0, 1)]), (1, []), (2, [unit(1, 1)])],
)
def test_a_passages_rows_are_its_own_clauses(chunk_id: int, rows: list[np.ndarray]) -> None:
    assert STORED.passages == 3
    assert STORED.of(chunk_id).shape == (len(rows), 2)
    assert np.array_equal(STORED.of(chunk_id), np.array(rows, dtype=np.float32).reshape(len(rows), 2))


def test_clause_vectors_survive_save_and_load(tmp_path: Path) -> None:
    STORED.save(tmp_path)
    loaded = ClauseVectors.load(tmp_path)
    assert np.array_equal(loaded.offsets, STORED.offsets) and np.array_equal(loaded.vectors, STORED.vectors)
    assert loaded.vectors.dtype == np.float32 and loaded.offsets.dtype == np.int64


TEXT = (
    "社区食堂每天11:00至13:00供应午餐，60岁以上老人凭卡就餐享受八折优惠。\n"
    "## 报名方式\n"
    "居民可到社区居委会报名，也可拨打电话12345咨询；报名截止到10月31日。\n"
)


def test_the_index_stores_each_passages_clauses_as_the_answer_stage_cuts_and_encodes_them(
    settings: Settings, embedder: FakeEmbedder
) -> None:
    (settings.corpus_dir / "canteen.md").write_text(f"# 社区食堂\n\n{TEXT}", encoding="utf-8")
    manifest, _ = build_index(settings, embedder)
    assert CLAUSES_FILE in manifest.files
    index = load_index(settings, embedder)
    assert index.clauses.passages == len(index.chunks)
    passages = Passages(index)
    total = 0
    for chunk in index.chunks:
        texts = [fold(p.clause.text) for p in pieces(passages.passage(chunk.chunk_id))]
        stored = index.clauses.of(chunk.chunk_id)
        assert stored.shape == (len(texts), embedder.dimension)
        if texts:
            assert np.array_equal(stored, embedder.encode(texts))
        total += len(texts)
    assert total == len(index.clauses.vectors) > 0


def test_an_index_whose_clauses_are_for_other_passages_is_refused(settings: Settings, embedder: FakeEmbedder) -> None:
    build_index(settings, embedder)
    folder = load_index(settings, embedder).path
    clauses = ClauseVectors.load(folder)
    ClauseVectors(clauses.offsets[:-1], clauses.vectors).save(folder)
    manifest = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
    manifest["files"][CLAUSES_FILE] = hashlib.sha256((folder / CLAUSES_FILE).read_bytes()).hexdigest()
    (folder / MANIFEST_FILE).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(IndexUnavailable, match="passage counts differ"):
        load_index(settings, embedder)


class CountingEmbedder(FakeEmbedder):
    """The fake model, counting the texts it is asked to encode."""

    def __init__(self) -> None:
        self.texts = 0

    def encode(self, texts: list[str]) -> np.ndarray:  # type: ignore[override]
        self.texts += len(texts)
        return super().encode(texts)


def test_the_answer_stage_reads_the_stored_clauses_and_encodes_only_the_question(settings: Settings) -> None:
    (settings.corpus_dir / "canteen.md").write_text(f"# 社区食堂\n\n{TEXT}", encoding="utf-8")
    embedder = CountingEmbedder()
    build_index(settings, embedder)
    index = load_index(settings, embedder)
    engine = Engine(index, embedder, settings)
    retrieval = HybridRetriever(index, embedder, settings).retrieve("社区食堂几点供应午餐")
    embedder.texts = 0
    trace = engine.trace("社区食堂几点供应午餐", retrieval, 3)
    assert embedder.texts == 0
    candidates = engine.span_candidates(trace.ranked, retrieval)
    assert candidates and embedder.texts == 0
    for candidate in candidates:
        texts = [fold(p.clause.text) for p in candidate.found]
        assert np.array_equal(candidate.cosines, FakeEmbedder().encode(texts) @ retrieval.vector[0])


@pytest.mark.parametrize("held", ["without clauses", "with other passages' clauses"])
def test_an_index_held_without_its_clauses_has_them_encoded_per_question(settings: Settings, held: str) -> None:
    (settings.corpus_dir / "canteen.md").write_text(f"# 社区食堂\n\n{TEXT}", encoding="utf-8")
    embedder = CountingEmbedder()
    build_index(settings, embedder)
    index = load_index(settings, embedder)
    n = len(index.chunks)
    # Clauses cut by other code: one more row for every passage than pieces() cuts now.
    stale = ClauseVectors(
        index.clauses.offsets + np.arange(n + 1), np.zeros((len(index.clauses.vectors) + n, embedder.dimension))
    )
    index.clauses = ClauseVectors.empty(0, embedder.dimension) if held == "without clauses" else stale
    assert index.clauses.passages in (0, n)
    engine = Engine(index, embedder, settings)
    retrieval = HybridRetriever(index, embedder, settings).retrieve("社区食堂几点供应午餐")
    trace = engine.trace("社区食堂几点供应午餐", retrieval, 3)
    embedder.texts = 0
    candidates = engine.span_candidates(trace.ranked, retrieval)
    assert candidates
    for candidate in candidates:
        texts = [fold(p.clause.text) for p in candidate.found]
        assert np.array_equal(candidate.cosines, FakeEmbedder().encode(texts) @ retrieval.vector[0])
