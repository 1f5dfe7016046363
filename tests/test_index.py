"""The on-disk index: builds, manifest, verification, freshness, pruning, and the lexical index."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from assistant.chunking import CHUNKER_VERSION, chunk_text
from assistant.corpus import corpus_checksum, corpus_files, load_corpus
from assistant.embedding import FakeEmbedder
from assistant.errors import IndexUnavailable
from assistant.index import (
    BUILD_SETTINGS,
    BUILDS_DIR,
    BUILDS_KEPT,
    CHUNKS_FILE,
    CURRENT_FILE,
    DENSE_FILE,
    DOCUMENTS_FILE,
    INDEX_FORMAT,
    MANIFEST_FILE,
    LexicalIndex,
    Manifest,
    build_index,
    check_fresh,
    current_build,
    load_index,
    passage_text,
    settings_digest,
)
from assistant.service import Assistant
from assistant.settings import Settings
from assistant.text import index_terms
from conftest import write_doc


def builds(settings: Settings) -> list[Path]:
    return sorted((settings.index_dir / BUILDS_DIR).iterdir())


def test_build_writes_a_manifest_and_makes_the_build_current(settings: Settings, embedder: FakeEmbedder) -> None:
    manifest, errors = build_index(settings, embedder)

    assert errors == []
    folder = current_build(settings.index_dir)
    assert folder is not None and folder.is_dir()
    assert folder.parent == settings.index_dir / BUILDS_DIR
    assert (settings.index_dir / CURRENT_FILE).read_text(encoding="utf-8").strip() == folder.name
    on_disk = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
    assert on_disk["model"] == embedder.name == manifest.model
    assert on_disk["dimension"] == embedder.dimension
    assert on_disk["corpus_checksum"] == corpus_checksum(corpus_files(settings.corpus_dir), settings.corpus_dir)
    assert on_disk["built_at"] == manifest.built_at and manifest.built_at
    assert on_disk["documents"] == 3
    files = on_disk["files"]
    assert {DENSE_FILE, DOCUMENTS_FILE} <= set(files)
    assert set(files) == {p.name for p in folder.iterdir()} - {MANIFEST_FILE}
    assert all(len(digest) == 64 for digest in files.values())


def test_build_leaves_no_temporary_folders(settings: Settings, embedder: FakeEmbedder) -> None:
    build_index(settings, embedder)
    assert [p.name for p in builds(settings) if p.name.startswith(".")] == []


def test_load_index_round_trip(settings: Settings, embedder: FakeEmbedder) -> None:
    manifest, _ = build_index(settings, embedder)
    index = load_index(settings, embedder)

    documents, _ = load_corpus(settings.corpus_dir)
    assert index.manifest == manifest
    assert index.documents == {d.doc_id: d for d in documents}
    expected = [c for d in documents for c in chunk_text(d.doc_id, d.text, settings.chunk_size)]
    assert [(c.doc_id, c.start, c.end, c.text, c.context) for c in index.chunks] == [
        (c.doc_id, c.start, c.end, c.text, c.context) for c in expected
    ]
    assert [c.chunk_id for c in index.chunks] == list(range(len(expected)))
    assert index.dense.ntotal == len(expected) == manifest.chunks
    assert index.lexical.weights.shape[0] == len(expected)


def test_missing_index_is_unavailable(settings: Settings, embedder: FakeEmbedder) -> None:
    with pytest.raises(IndexUnavailable, match="no index"):
        load_index(settings, embedder)


def test_truncated_dense_file_is_refused(settings: Settings, embedder: FakeEmbedder) -> None:
    build_index(settings, embedder)
    dense = load_index(settings, embedder).path / DENSE_FILE
    dense.write_bytes(dense.read_bytes()[: dense.stat().st_size // 2])
    with pytest.raises(IndexUnavailable, match=f"{DENSE_FILE} is missing or corrupt"):
        load_index(settings, embedder)


def test_edited_documents_file_is_refused(settings: Settings, embedder: FakeEmbedder) -> None:
    build_index(settings, embedder)
    path = load_index(settings, embedder).path / DOCUMENTS_FILE
    documents = json.loads(path.read_text(encoding="utf-8"))
    documents[0]["text"] = documents[0]["text"].replace("4", "5")
    path.write_text(json.dumps(documents, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(IndexUnavailable, match=f"{DOCUMENTS_FILE} is missing or corrupt"):
        load_index(settings, embedder)


def test_deleted_file_is_refused(settings: Settings, embedder: FakeEmbedder) -> None:
    build_index(settings, embedder)
    (load_index(settings, embedder).path / DENSE_FILE).unlink()
    with pytest.raises(IndexUnavailable, match=DENSE_FILE):
        load_index(settings, embedder)


def test_unreadable_manifest_is_refused(settings: Settings, embedder: FakeEmbedder) -> None:
    build_index(settings, embedder)
    (load_index(settings, embedder).path / MANIFEST_FILE).write_text("{", encoding="utf-8")
    with pytest.raises(IndexUnavailable, match="no readable manifest"):
        load_index(settings, embedder)


class OtherModel(FakeEmbedder):
    name = "other-model"


class OtherDimension(FakeEmbedder):
    dimension = 32


@pytest.mark.parametrize("other", [OtherModel(), OtherDimension()], ids=["name", "dimension"])
def test_index_of_another_model_is_refused(settings: Settings, embedder: FakeEmbedder, other: FakeEmbedder) -> None:
    build_index(settings, embedder)
    with pytest.raises(IndexUnavailable, match="was built with model 'fake' \\(64 dims\\)"):
        load_index(settings, other)


def test_check_fresh_raises_after_the_corpus_changes(settings: Settings, embedder: FakeEmbedder) -> None:
    manifest, _ = build_index(settings, embedder)
    check_fresh(settings, manifest)
    write_doc(settings.corpus_dir, "transport", "东关街道新开通两条社区公交线路。\n")
    with pytest.raises(IndexUnavailable, match="stale"):
        check_fresh(settings, manifest)


FAQ = (
    "问：高龄津贴到哪里申请？\n"
    "答：由本人或家属携带身份证和户口簿，到户籍所在社区居委会提出申请，社区初审后报街道审核。"
    "审核通过的，自次月起按月发放到本人社会保障卡。\n"
    "问：津贴标准是多少？\n"
    "答：80至89周岁每人每月100元，90周岁以上每人每月200元。\n"
)


def test_passages_are_indexed_with_their_context_and_cited_without_it(
    settings: Settings, embedder: FakeEmbedder
) -> None:
    write_doc(settings.corpus_dir, "faq", FAQ, title="高龄津贴政策问答")
    narrow = settings.model_copy(update={"chunk_size": 60})
    build_index(narrow, embedder)
    index = load_index(narrow, embedder)
    faq = [c for c in index.chunks if c.doc_id == "faq"]
    later = next(c for c in faq if "自次月起" in c.text)
    # The answer's second passage lacks the question's words; its context carries them into the index.
    assert "到哪里申请" not in later.text and "问：高龄津贴到哪里申请？" in later.context
    assert index.documents["faq"].text[later.start : later.end] == later.text
    assert passage_text(index.documents["faq"], later, True) == f"高龄津贴政策问答\n{later.context}\n{later.text}"
    scores = index.lexical.scores("到哪里申请")
    assert scores[later.chunk_id] > 0
    assert all(scores[c.chunk_id] == 0 for c in faq if "津贴标准" in c.text or "津贴标准" in c.context)


def rewrite_as_chunker_v1(settings: Settings, embedder: FakeEmbedder) -> Path:
    """A current build turned into what chunker version 1 wrote: rows without context, no version in the manifest."""
    build_index(settings, embedder)
    folder = current_build(settings.index_dir)
    assert folder is not None
    rows = json.loads((folder / CHUNKS_FILE).read_text(encoding="utf-8"))
    (folder / CHUNKS_FILE).write_text(json.dumps([row[:3] for row in rows]), encoding="utf-8")
    manifest = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
    manifest["build_settings"]["chunker_version"] = 1
    manifest["settings_digest"] = settings_digest(manifest["build_settings"])
    manifest["files"][CHUNKS_FILE] = hashlib.sha256((folder / CHUNKS_FILE).read_bytes()).hexdigest()
    (folder / MANIFEST_FILE).write_text(json.dumps(manifest), encoding="utf-8")
    return folder


def test_manifest_records_the_chunker_version(settings: Settings, embedder: FakeEmbedder) -> None:
    manifest, _ = build_index(settings, embedder)
    assert manifest.build_settings["chunker_version"] == CHUNKER_VERSION
    check_fresh(settings, manifest)


def test_index_cut_by_an_older_chunker_loads_but_is_stale(settings: Settings, embedder: FakeEmbedder) -> None:
    rewrite_as_chunker_v1(settings, embedder)
    index = load_index(settings, embedder)
    assert index.manifest.build_settings["chunker_version"] == 1
    assert all(c.context == "" for c in index.chunks)
    with pytest.raises(IndexUnavailable, match=f"stale: .*chunker_version 1 -> {CHUNKER_VERSION}"):
        check_fresh(settings, index.manifest)
    with pytest.raises(IndexUnavailable, match="stale"):
        Assistant.open(settings.model_copy(update={"auto_index": False}), embedder)


def test_open_with_auto_index_rebuilds_an_index_of_an_older_chunker(settings: Settings, embedder: FakeEmbedder) -> None:
    old = rewrite_as_chunker_v1(settings, embedder)
    assistant = Assistant.open(settings, embedder)
    assert assistant.index.path != old
    assert assistant.index.manifest.build_settings["chunker_version"] == CHUNKER_VERSION


# A value other than the default for every build-shaping setting.
CHANGED = {
    "chunk_size": 60,
    "title_in_passages": False,
    "bm25_k1": 1.5,
    "bm25_b": 0.5,
    "ann_min_passages": 10,
    "hnsw_m": 16,
    "hnsw_ef_construction": 40,
}


def test_every_build_shaping_setting_has_a_changed_value_here() -> None:
    assert set(CHANGED) == set(BUILD_SETTINGS)
    assert all(Settings.model_fields[name].default != value for name, value in CHANGED.items())


def test_the_manifest_records_the_build_settings_and_their_digest(settings: Settings, embedder: FakeEmbedder) -> None:
    manifest, _ = build_index(settings, embedder)
    folder = current_build(settings.index_dir)
    assert folder is not None
    on_disk = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
    expected = {
        "index_format": INDEX_FORMAT,
        "chunker_version": CHUNKER_VERSION,
        **{n: getattr(settings, n) for n in BUILD_SETTINGS},
    }
    assert on_disk["build_settings"] == expected
    assert len(on_disk["settings_digest"]) == 64 and on_disk["settings_digest"] == manifest.settings_digest


@pytest.mark.parametrize(("name", "value"), sorted(CHANGED.items()))
def test_a_changed_build_setting_makes_the_index_stale_and_says_which(
    settings: Settings, embedder: FakeEmbedder, name: str, value: object
) -> None:
    manifest, _ = build_index(settings, embedder)
    changed = settings.model_copy(update={name: value})
    with pytest.raises(IndexUnavailable, match=rf"stale: .*\b{name} {getattr(settings, name)!r} -> {value!r}"):
        check_fresh(changed, manifest)


def test_a_setting_that_shapes_no_build_leaves_the_index_fresh(settings: Settings, embedder: FakeEmbedder) -> None:
    manifest, _ = build_index(settings, embedder)
    check_fresh(settings.model_copy(update={"top_k": 7, "hnsw_ef_search": 99, "min_support": 0.5}), manifest)


def test_a_new_index_format_makes_every_build_stale(
    settings: Settings, embedder: FakeEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest, _ = build_index(settings, embedder)
    monkeypatch.setattr("assistant.index.INDEX_FORMAT", INDEX_FORMAT + 1)
    with pytest.raises(IndexUnavailable, match=f"index_format {INDEX_FORMAT} -> {INDEX_FORMAT + 1}"):
        check_fresh(settings, manifest)


def test_a_build_older_than_the_digest_is_stale(settings: Settings, embedder: FakeEmbedder) -> None:
    manifest, _ = build_index(settings, embedder)
    old = Manifest(**{**vars(manifest), "settings_digest": "", "build_settings": {}})
    with pytest.raises(IndexUnavailable, match="predates the settings digest"):
        check_fresh(settings, old)


def test_open_without_auto_index_refuses_an_index_built_with_other_settings(
    settings: Settings, embedder: FakeEmbedder
) -> None:
    build_index(settings, embedder)
    strict = settings.model_copy(update={"auto_index": False, "chunk_size": 60})
    with pytest.raises(IndexUnavailable, match="chunk_size 120 -> 60"):
        Assistant.open(strict, embedder)


def test_open_with_auto_index_rebuilds_an_index_built_with_other_settings(
    settings: Settings, embedder: FakeEmbedder, caplog: pytest.LogCaptureFixture
) -> None:
    build_index(settings, embedder)
    wider = settings.model_copy(update={"title_in_passages": False})
    with caplog.at_level("WARNING", logger="assistant.service"):
        assistant = Assistant.open(wider, embedder)
    assert assistant.index.manifest.build_settings["title_in_passages"] is False
    check_fresh(wider, assistant.index.manifest)
    [logged] = [r.getMessage() for r in caplog.records if r.name == "assistant.service"]
    assert logged.startswith("rebuilding the index:") and "title_in_passages True -> False" in logged


def test_open_without_auto_index_refuses_a_missing_index(settings: Settings, embedder: FakeEmbedder) -> None:
    with pytest.raises(IndexUnavailable):
        Assistant.open(settings.model_copy(update={"auto_index": False}), embedder)
    assert current_build(settings.index_dir) is None


def test_open_without_auto_index_refuses_a_stale_index(settings: Settings, embedder: FakeEmbedder) -> None:
    build_index(settings, embedder)
    write_doc(settings.corpus_dir, "transport", "东关街道新开通两条社区公交线路。\n")
    with pytest.raises(IndexUnavailable, match="stale"):
        Assistant.open(settings.model_copy(update={"auto_index": False}), embedder)


def test_open_with_auto_index_builds_a_missing_index(settings: Settings, embedder: FakeEmbedder) -> None:
    assistant = Assistant.open(settings, embedder)
    assert set(assistant.index.documents) == {"eldercare", "jobs", "projects"}
    assert current_build(settings.index_dir) == assistant.index.path


def test_open_with_auto_index_rebuilds_a_stale_index(settings: Settings, embedder: FakeEmbedder) -> None:
    build_index(settings, embedder)
    write_doc(settings.corpus_dir, "transport", "东关街道新开通两条社区公交线路。\n")
    assistant = Assistant.open(settings, embedder)
    assert "transport" in assistant.index.documents
    check_fresh(settings, assistant.index.manifest)


def test_open_with_auto_index_rebuilds_a_corrupt_index(settings: Settings, embedder: FakeEmbedder) -> None:
    build_index(settings, embedder)
    corrupt = load_index(settings, embedder).path
    (corrupt / DENSE_FILE).write_bytes(b"")
    assistant = Assistant.open(settings, embedder)
    assert assistant.index.path != corrupt
    assert assistant.index.dense.ntotal == len(assistant.index.chunks)


def test_old_builds_are_pruned(settings: Settings, embedder: FakeEmbedder) -> None:
    made: list[Path] = []
    for _ in range(BUILDS_KEPT + 2):
        build_index(settings, embedder)
        made.append(load_index(settings, embedder).path)
    assert len(set(made)) == len(made)
    assert builds(settings) == sorted(made[-BUILDS_KEPT:])


def test_bad_corpus_file_is_skipped_and_reported(settings: Settings, embedder: FakeEmbedder) -> None:
    bad = settings.corpus_dir / "legacy.txt"
    bad.write_bytes("东关街道旧通知。".encode("gbk"))
    manifest, errors = build_index(settings, embedder)
    assert len(errors) == 1 and str(bad) in str(errors[0])
    assert manifest.documents == 3
    assert set(load_index(settings, embedder).documents) == {"eldercare", "jobs", "projects"}


PASSAGES = [
    "东关街道新建4处社区老年食堂，为老人提供助餐服务。",
    "春季招聘会提供岗位800余个，求职者可以现场面试。",
    "科创产业园一期已经完成主体施工。",
]


def test_lexical_index_ranks_a_passage_with_the_query_word_first() -> None:
    lexical = LexicalIndex.build(PASSAGES, k1=1.2, b=0.75)
    scores = lexical.scores("招聘会")
    assert int(scores.argmax()) == 1
    assert scores[1] > 0 and scores[0] == scores[2] == 0


def test_lexical_index_scores_nothing_for_unknown_words() -> None:
    lexical = LexicalIndex.build(PASSAGES, k1=1.2, b=0.75)
    assert not lexical.scores("passport").any()
    assert not lexical.scores("").any()


def test_a_word_the_corpus_uses_in_part_is_partly_unknown() -> None:
    lexical = LexicalIndex.build(["奎文区第二届风筝进社区文化节", "社区食堂每天供应午餐"], k1=1.2, b=0.75)
    assert lexical.unknown_share("食堂") == 0.0
    assert lexical.unknown_share("风筝节") == 0.5  # 风筝 is there, 筝节 is not
    assert lexical.unknown_share("公积金") == 1.0
    assert lexical.unknown_share("x") == 1.0


def test_lexical_index_folds_traditional_to_simplified() -> None:
    lexical = LexicalIndex.build(PASSAGES, k1=1.2, b=0.75)
    traditional = lexical.scores("產業園")  # every character differs from the Simplified 产业园
    assert int(traditional.argmax()) == 2 and traditional[2] > 0
    assert traditional.tolist() == lexical.scores("产业园").tolist()


def test_lexical_scores_are_the_weights_of_the_query_columns_summed_exactly() -> None:
    # The scores are read straight from the sparse matrix's arrays: the same float32 sums, in the same order,
    # as slicing the query's columns and summing them (which ties in the lexical ranking depend on).
    lexical = LexicalIndex.build([*PASSAGES, "老年食堂 老年 食堂 助餐", "招聘 招聘会 岗位 面试 求职"], k1=1.2, b=0.75)
    for query in ("招聘会", "老年食堂助餐服务", "东关街道 科创产业园 招聘 岗位", "求职者 老年人 食堂", "x"):
        ids = lexical.term_ids(index_terms(query))
        expected = np.asarray(lexical.weights[:, ids].sum(axis=1), dtype=np.float32).ravel()
        assert lexical.scores(query).tobytes() == expected.tobytes(), query


def test_lexical_index_survives_save_and_load(tmp_path: Path) -> None:
    lexical = LexicalIndex.build(PASSAGES, k1=1.2, b=0.75)
    lexical.save(tmp_path)
    loaded = LexicalIndex.load(tmp_path)
    for query in ("招聘会", "老年食堂", "产业园"):
        assert loaded.scores(query).tolist() == lexical.scores(query).tolist()


def test_pinyin_spelling_finds_chinese_words() -> None:
    index = LexicalIndex.build(["奎文区的居家养老服务", "潍坊市的交通建设"], k1=1.2, b=0.75)
    scores = index.scores("what is kuiwen doing for the elderly")
    assert scores[0] > 0
    assert scores[1] == 0
