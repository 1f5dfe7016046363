"""The embedder registry: ASSISTANT_MODEL names a built-in model (the fake among them) or a model folder."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.embedding import EMBEDDERS, FAKE_MODEL, FakeEmbedder, load_embedder
from assistant.errors import AssistantError
from assistant.settings import DEFAULT_MODEL, Settings


def test_the_fake_is_selected_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_MODEL", "fake")
    embedder = load_embedder(Settings())
    assert isinstance(embedder, FakeEmbedder)
    assert (embedder.name, embedder.dimension) == (FAKE_MODEL, 64)


def test_the_registry_names_the_built_in_models() -> None:
    assert set(EMBEDDERS) == {DEFAULT_MODEL, FAKE_MODEL}


def test_the_fake_is_deterministic_and_returns_unit_vectors() -> None:
    texts = ["社区食堂为老人提供午餐", "老年人可以在社区食堂吃饭", "", "   "]
    first, second = FakeEmbedder().encode(texts), FakeEmbedder().encode(texts)
    assert first.dtype == np.float32 and first.shape == (4, 64)
    assert np.array_equal(first, second)
    assert np.allclose(np.linalg.norm(first, axis=1), 1.0)
    assert FakeEmbedder().encode([]).shape == (0, 64)


def test_the_fake_finds_shared_characters_more_similar() -> None:
    query, near, far = FakeEmbedder().encode(["社区老年食堂", "新建社区老年食堂四处", "招聘会提供岗位八百个"])
    assert float(query @ near) > float(query @ far)


def test_an_unknown_name_that_is_no_folder_is_refused_with_the_known_names(tmp_path: Path) -> None:
    with pytest.raises(AssistantError, match="'use-multilingual-v3', 'fake'"):
        load_embedder(Settings(model=str(tmp_path / "missing")))
