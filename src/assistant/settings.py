"""Every tunable of the assistant, read from the environment (prefix ``ASSISTANT_``)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_MODEL = "use-multilingual-v3"


class Settings(BaseSettings):
    """Paths, model, chunking, retrieval, answering and serving limits."""

    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", env_file=".env", extra="ignore")

    # Paths
    corpus_dir: Path = Path("docs_corpus")
    index_dir: Path = Path("var/index")

    # Embedding model: the built-in USE-multilingual-v3, or a sentence-transformers model folder.
    model: str = DEFAULT_MODEL
    embed_threads: int = Field(default=1, ge=1, description="BLAS threads for the built-in model")
    embed_batch_size: int = Field(default=32, ge=1)

    # Chunking
    chunk_size: int = Field(default=120, ge=20, le=400, description="Max characters per passage")
    title_in_passages: bool = Field(default=True, description="Index each passage with its document title")

    # Lexical index (BM25)
    bm25_k1: float = Field(default=1.2, gt=0)
    bm25_b: float = Field(default=0.75, ge=0, le=1)

    # Retrieval
    top_k: int = Field(default=3, ge=1, le=10, description="Passages cited when a request does not say")
    candidate_k: int = Field(default=30, ge=1, description="Hits taken from each index before fusion")
    rrf_k: int = Field(default=60, ge=1, description="Reciprocal rank fusion constant")
    dense_weight: float = Field(default=1.0, ge=0.0)
    lexical_weight: float = Field(default=1.0, ge=0.0)

    # Answering
    answer_max_chars: int = Field(default=200, ge=20)
    citation_max_chars: int = Field(default=400, ge=20)
    answer_passages: int = Field(default=1, ge=1, description="Top passages whose clauses compete for the answer")
    max_answer_clauses: int = Field(default=16, ge=1, description="Clauses that compete for the answer")
    clause_cache_size: int = Field(default=4096, ge=1, description="Passages whose clause vectors are kept")
    fusion_weight: float = Field(default=0.0, ge=0, description="Weight of the fused rank score in reranking")
    coverage_weight: float = Field(default=0.5, ge=0, description="Weight of question-word coverage in reranking")
    ubiquitous_share: float = Field(
        default=0.2, gt=0, le=1, description="Words in this share of passages don't count as support"
    )
    title_credit: float = Field(
        default=0.5, ge=0, le=1, description="Credit for a question word found only in the passage's title"
    )
    min_support: float = Field(default=0.23, description="Below this support score the assistant abstains")
    min_support_cross_lingual: float = Field(
        default=0.29, description="The same for a question with no Chinese characters (English...)"
    )
    clause_coverage_weight: float = Field(default=1.0, ge=0)
    focus_weight: float = Field(default=3.0, ge=1, description="Extra weight of the words a question asks about")
    type_bonus: float = Field(default=0.15, ge=0, description="Bonus for a clause holding the asked-for kind of answer")
    passage_context_weight: float = Field(default=0.5, ge=0, description="Weight of a clause's passage meaning")
    unstated_min_coverage: float = Field(
        default=0.5, ge=0, le=1, description="Share of a detail question's words its passage must mention"
    )
    kind_min_coverage: float = Field(
        default=0.25, ge=0, le=1, description="Share of a who/which-list question's words its passage must mention"
    )
    passage_rank_penalty: float = Field(default=0.05, ge=0)
    neighbour_ratio: float = Field(
        default=0.8, ge=0, le=1, description="Neighbouring clauses this close join the answer"
    )
    bridge_clauses: int = Field(
        default=2, ge=0, description="Clauses an answer may step over to reach one that adds what it lacks"
    )
    answer_sentence_chars: int = Field(default=80, ge=10, description="Shorter sentences are answered whole")
    hotline: str = "12345"

    # Index lifecycle: rebuild at start-up when the index is missing, stale or for another model.
    auto_index: bool = True

    # Serving and limits
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    question_max_chars: int = Field(default=500, ge=1)

    # Web security: who may call the API from another origin, and who may frame our pages.
    cors_origins: list[str] = Field(
        default_factory=list,
        description='Origins allowed to call the API from a browser, e.g. ["https://example.gov.cn"]',
    )
    frame_ancestors: str = Field(default="'self'", description="CSP frame-ancestors of the HTML pages")

    # Operator access: admin routes are off while no token is set.
    admin_token: SecretStr | None = Field(default=None, min_length=16, description="Bearer token of /api/admin/*")

    # Scale and speed: approximate dense search for large corpora, and threads per process.
    ann_min_passages: int = Field(
        default=20_000, ge=1, description="From this many passages the dense index is HNSW (approximate), below exact"
    )
    hnsw_m: int = Field(default=32, ge=4, le=128, description="HNSW links per vector (memory vs recall)")
    hnsw_ef_construction: int = Field(default=80, ge=8, description="HNSW breadth while building (time vs recall)")
    hnsw_ef_search: int = Field(default=384, ge=1, description="HNSW breadth while searching (time vs recall)")
    blas_threads: int = Field(
        default=1, ge=1, description="BLAS/OpenMP threads per process (numpy, scipy, FAISS), pinned at start-up"
    )
    torch_interop_threads: int = Field(default=1, ge=1, description="torch inter-op threads per process")
