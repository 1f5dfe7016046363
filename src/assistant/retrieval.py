"""Hybrid retrieval: dense (FAISS) and lexical (BM25) hits fused by reciprocal rank."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import numpy.typing as npt

from assistant.chunking import Chunk
from assistant.embedding import Embedder, Vectors
from assistant.index import Index
from assistant.settings import Settings
from assistant.text import fold


@dataclass(frozen=True)
class Hit:
    """A passage found for a question, with its fused score and its cosine with the question."""

    chunk: Chunk
    score: float
    dense: float


@dataclass
class Retrieval:
    """The outcome of one search: the folded query, its vector, ranked hits and timings (ms)."""

    query: str
    vector: Vectors
    hits: list[Hit]
    lexical_scores: npt.NDArray[np.float32]
    timings: dict[str, float] = field(default_factory=dict)


class Retriever(Protocol):
    """Finds the passages most likely to answer a question."""

    def retrieve(self, question: str) -> Retrieval:
        """Ranked candidate passages for ``question``."""
        ...


def reciprocal_rank_fusion(rankings: list[list[int]], weights: list[float], k: int) -> dict[int, float]:
    """Fuse ranked id lists: each list adds ``weight / (k + rank)`` to the ids it ranks."""
    fused: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, item in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + weight / (k + rank)
    return fused


class HybridRetriever:
    """Dense plus lexical retrieval over one loaded :class:`Index`."""

    def __init__(self, index: Index, embedder: Embedder, settings: Settings) -> None:
        self.index = index
        self.embedder = embedder
        self.settings = settings

    def retrieve(self, question: str) -> Retrieval:
        """Embed and search ``question`` in both indexes and fuse the rankings."""
        s = self.settings
        timings: dict[str, float] = {}
        clock = time.perf_counter()
        query = fold(question)
        vector = self.embedder.encode([query])
        timings["embed"] = _lap(clock)

        clock = time.perf_counter()
        n = len(self.index.chunks)
        depth = min(s.candidate_k, n)
        _, ids = self.index.dense.search(vector, depth)
        # Plain Python numbers once (tolist) rather than a numpy scalar per element: the same values.
        dense_ranking = [i for i in ids[0].tolist() if i >= 0]
        timings["dense"] = _lap(clock)

        clock = time.perf_counter()
        lexical_scores = self.index.lexical.scores(query)
        top = np.argpartition(-lexical_scores, depth - 1)[:depth] if depth < n else np.arange(n)
        order = top[np.argsort(-lexical_scores[top])]
        lexical_ranking = order[lexical_scores[order] > 0].tolist()
        timings["lexical"] = _lap(clock)

        clock = time.perf_counter()
        fused = reciprocal_rank_fusion([dense_ranking, lexical_ranking], [s.dense_weight, s.lexical_weight], s.rrf_k)
        ranked = sorted(fused, key=lambda i: -fused[i])
        vectors = self.index.dense.reconstruct_batch(np.asarray(ranked, dtype=np.int64))
        cosines = vectors @ vector[0]
        chunks = self.index.chunks
        hits = [Hit(chunks[i], fused[i], cos) for i, cos in zip(ranked, cosines.tolist(), strict=True)]
        timings["fusion"] = _lap(clock)
        return Retrieval(query, vector, hits, lexical_scores, timings)


def _lap(start: float) -> float:
    return (time.perf_counter() - start) * 1000.0
