"""Reciprocal rank fusion, and the hybrid retriever over a small index."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.embedding import FakeEmbedder
from assistant.index import build_index, load_index
from assistant.retrieval import HybridRetriever, reciprocal_rank_fusion
from assistant.settings import Settings
from assistant.text import FOLD_CACHE_MAX_CHARS, fold


def test_fusion_adds_weight_over_k_plus_rank() -> None:
    fused = reciprocal_rank_fusion([[10, 20, 30], [30, 10]], [1.0, 0.5], k=60)
    assert fused == pytest.approx({10: 1 / 61 + 0.5 / 62, 20: 1 / 62, 30: 1 / 63 + 0.5 / 61})


def test_id_ranked_by_both_lists_outranks_ids_ranked_by_one() -> None:
    fused = reciprocal_rank_fusion([[1, 2, 3], [4, 5, 3]], [1.0, 1.0], k=60)
    assert max(fused, key=fused.__getitem__) == 3
    assert fused[3] > fused[1] == fused[4] > fused[2]


def test_weights_decide_between_the_lists() -> None:
    dense_first = reciprocal_rank_fusion([[1], [2]], [2.0, 1.0], k=60)
    lexical_first = reciprocal_rank_fusion([[1], [2]], [1.0, 2.0], k=60)
    assert dense_first[1] > dense_first[2]
    assert lexical_first[2] > lexical_first[1]
    assert reciprocal_rank_fusion([[1], [2]], [1.0, 0.0], k=60)[2] == 0.0


def test_smaller_k_favours_the_top_ranks_more() -> None:
    def gap(k: int) -> float:
        fused = reciprocal_rank_fusion([[1, 2]], [1.0], k=k)
        return fused[1] / fused[2]

    assert gap(1) > gap(60) > 1.0


def test_fusion_needs_one_weight_per_list() -> None:
    with pytest.raises(ValueError):
        reciprocal_rank_fusion([[1], [2]], [1.0], k=60)


def test_hybrid_retriever_finds_the_passage_sharing_the_question_words(
    settings: Settings, embedder: FakeEmbedder
) -> None:
    build_index(settings, embedder)
    index = load_index(settings, embedder)
    question = "招聘會提供多少個崗位？"
    retrieval = HybridRetriever(index, embedder, settings).retrieve(question)

    assert retrieval.query == fold(question)
    assert retrieval.vector.shape == (1, embedder.dimension)
    top = retrieval.hits[0].chunk
    assert top.doc_id == "jobs" and "岗位" in top.text
    scores = [h.score for h in retrieval.hits]
    assert scores == sorted(scores, reverse=True)
    assert len({h.chunk.chunk_id for h in retrieval.hits}) == len(retrieval.hits)
    assert {"embed", "dense", "lexical", "fusion"} <= set(retrieval.timings)


def test_fake_embedder_gives_stable_unit_vectors(embedder: FakeEmbedder) -> None:
    texts = ["东关街道新建老年食堂", "東關街道新建老年食堂", "", "招聘会"]
    vectors = embedder.encode(texts)
    assert vectors.shape == (len(texts), embedder.dimension) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)
    assert np.array_equal(vectors, FakeEmbedder().encode(texts))
    assert np.allclose(vectors[0], vectors[1])  # folded: Traditional and Simplified embed alike


def test_short_texts_fold_from_the_cache_and_long_ones_alike() -> None:
    short = "ＡＢＣ 臺灣居民 Kuiwen"
    long = short * (FOLD_CACHE_MAX_CHARS // len(short) + 1)
    assert len(long) > FOLD_CACHE_MAX_CHARS
    assert fold(short) == fold(short) == "abc 台湾居民 kuiwen"  # NFKC, Traditional to Simplified, lower case
    assert fold(long) == fold(short) * (FOLD_CACHE_MAX_CHARS // len(short) + 1)
