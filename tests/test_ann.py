"""The dense index type follows the corpus size: exact below a threshold, HNSW (approximate) from it on."""

from __future__ import annotations

import json
from pathlib import Path

import faiss
import numpy as np
import pytest

from assistant.embedding import FakeEmbedder
from assistant.errors import IndexUnavailable
from assistant.index import MANIFEST_FILE, build_index, current_build, load_index
from assistant.service import Assistant
from assistant.settings import Settings
from conftest import write_doc

QUESTIONS = ["东关街道要新建几处老年食堂？", "春季招聘会提供多少岗位？", "重点项目总投资多少？"]


def with_threshold(settings: Settings, passages: int) -> Settings:
    return settings.model_copy(update={"ann_min_passages": passages})


def test_small_corpus_gets_an_exact_index(settings: Settings, embedder: FakeEmbedder) -> None:
    manifest, _ = build_index(settings, embedder)
    index = load_index(settings, embedder)

    assert manifest.dense_type == "flat"
    assert isinstance(index.dense, faiss.IndexFlatIP)


def test_corpus_at_the_threshold_gets_hnsw_with_its_settings(settings: Settings, embedder: FakeEmbedder) -> None:
    build_index(with_threshold(settings, 1), embedder)
    folder = current_build(settings.index_dir)
    assert folder is not None
    tuned = with_threshold(settings, 1).model_copy(update={"hnsw_ef_search": 77, "hnsw_m": 8})
    index = load_index(tuned, embedder)

    assert json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))["dense_type"] == "hnsw"
    assert isinstance(index.dense, faiss.IndexHNSWFlat)
    assert index.dense.hnsw.efSearch == 77
    # The link count is fixed at build time: the build used the default, not the later setting.
    assert index.dense.hnsw.nb_neighbors(1) == settings.hnsw_m


def test_ef_search_is_never_below_the_candidates_asked_for(settings: Settings, embedder: FakeEmbedder) -> None:
    tuned = with_threshold(settings, 1).model_copy(update={"hnsw_ef_search": 2, "candidate_k": 25})
    build_index(tuned, embedder)
    assert load_index(tuned, embedder).dense.hnsw.efSearch == 25


def test_one_passage_below_the_threshold_stays_exact(settings: Settings, embedder: FakeEmbedder) -> None:
    manifest, _ = build_index(settings, embedder)
    rebuilt, _ = build_index(with_threshold(settings, manifest.chunks + 1), embedder)
    at_threshold, _ = build_index(with_threshold(settings, manifest.chunks), embedder)

    assert (rebuilt.dense_type, at_threshold.dense_type) == ("flat", "hnsw")


def test_hnsw_and_exact_answer_alike_on_a_small_corpus(
    settings: Settings, embedder: FakeEmbedder, tmp_path: Path
) -> None:
    for i in range(40):  # enough passages for HNSW to have a graph to walk
        write_doc(settings.corpus_dir, f"filler{i:02d}", f"第{i}号通知：社区第{i}次议事会讨论了停车和绿化的安排。")
    exact = Assistant.open(settings, embedder)
    approximate = Assistant.open(
        with_threshold(settings, 1).model_copy(update={"index_dir": tmp_path / "hnsw"}), embedder
    )
    assert approximate.index.manifest.dense_type == "hnsw"

    for question in QUESTIONS:
        a, b = exact.ask(question), approximate.ask(question)
        assert a.answer.text == b.answer.text
        assert [c.doc_id for c in a.answer.citations] == [c.doc_id for c in b.answer.citations]
        assert {"embed", "dense", "lexical", "fusion", "answer"} <= set(b.timings)


def test_hnsw_vectors_can_be_reconstructed_for_reranking(settings: Settings, embedder: FakeEmbedder) -> None:
    build_index(with_threshold(settings, 1), embedder)
    index = load_index(with_threshold(settings, 1), embedder)
    ids = np.arange(len(index.chunks), dtype=np.int64)
    vectors = index.dense.reconstruct_batch(ids)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_a_build_without_a_recorded_type_loads_as_exact(settings: Settings, embedder: FakeEmbedder) -> None:
    build_index(settings, embedder)
    folder = current_build(settings.index_dir)
    assert folder is not None
    raw = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
    del raw["dense_type"]
    (folder / MANIFEST_FILE).write_text(json.dumps(raw), encoding="utf-8")

    assert load_index(settings, embedder).manifest.dense_type == "flat"


def test_a_manifest_that_misstates_the_type_is_refused(settings: Settings, embedder: FakeEmbedder) -> None:
    build_index(settings, embedder)
    folder = current_build(settings.index_dir)
    assert folder is not None
    raw = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
    raw["dense_type"] = "hnsw"
    (folder / MANIFEST_FILE).write_text(json.dumps(raw), encoding="utf-8")

    with pytest.raises(IndexUnavailable, match="inconsistent"):
        load_index(settings, embedder)
