"""Clause vectors stored in the index (INDEX_FORMAT 6): the round trip, the ranking's clause features, and the
answer stage reading them instead of encoding per question."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest

from assistant.answer.engine import Engine
from assistant.answer.passages import Passages
from assistant.answer.rank import clause_cosines
from assistant.answer.span import pieces
from assistant.chunking import Chunk
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
STORED = ClauseVectors.stacked(
    [np.stack([unit(1, 0), unit(0, 1)]), np.zeros((0, 2), dtype=np.float32), np.stack([unit(1, 1)])], 2
)


@pytest.mark.parametrize(
    ("chunk_ids", "vector", "expected"),
    [
        ([0], unit(1, 0), [1.0]),  # the first clause matches exactly
        ([0], unit(0, 1), [1.0]),  # so does the second: the best of its clauses, not the first
        ([0], unit(-1, 0), [0.0]),  # opposite to one clause, orthogonal to the other
        ([1], unit(1, 0), [None]),  # no answering clause
        ([2, 0], unit(1, 0), [0.7071, 1.0]),  # the order asked, not stored
        ([1, 2, 1], unit(0, 1), [None, 0.7071, None]),
        ([], unit(0, 1), []),
    ],
)
def test_the_best_clause_of_each_passage(chunk_ids: list[int], vector: np.ndarray, expected: list[float | None]) -> None:
    found = STORED.best(chunk_ids, vector)
    assert [None if f is None else round(f, 4) for f in found] == expected


def test_a_passages_rows_are_its_own_clauses() -> None:
    assert STORED.passages == 3
    assert STORED.of(0).shape == (2, 2) and STORED.of(1).shape == (0, 2) and STORED.of(2).shape == (1, 2)
    assert np.allclose(STORED.of(2)[0], unit(1, 1))


def chunks(*doc_ids: str) -> list[Chunk]:
    return [Chunk(i, d, 0, 1, "x") for i, d in enumerate(doc_ids)]


@pytest.mark.parametrize(
    ("doc_ids", "vector", "expected"),
    [
        # Passage 0 holds the clause most like the question, in its document and among all candidates.
        (("a", "a", "b"), unit(1, 0), {0: (1.0, 0.0, 0.0), 1: (0.0, -1.0, -1.0), 2: (0.7071, -0.2929, 0.0)}),
        # Passage 2 alone in its document leads it, however far behind the best of all it lies.
        (("a", "b", "b"), unit(1, -1), {0: (0.7071, 0.0, 0.0), 1: (0.0, -0.7071, 0.0), 2: (0.0, -0.7071, 0.0)}),
    ],
)
def test_clause_features_read_the_best_clause_against_all_and_its_own_document(
    doc_ids: tuple[str, ...], vector: np.ndarray, expected: dict[int, tuple[float, float, float]]
) -> None:
    found = clause_cosines([0, 1, 2], vector, STORED, chunks(*doc_ids))
    names = ("clause_cos", "clause_gap", "clause_doc_gap")
    assert {i: tuple(round(f[n], 4) for n in names) for i, f in found.items()} == expected


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
    assert {"clause_cos", "clause_gap", "clause_doc_gap"} <= set(trace.ranked[0].features)
