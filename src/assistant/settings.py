"""Every tunable of the assistant, read from the environment (prefix ``ASSISTANT_``)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
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

    # Answering: how the engine ranks, chooses and decides is fitted (src/assistant/answer/model.json), not set here.
    citation_max_chars: int = Field(default=400, ge=20)
    clause_cache_size: int = Field(default=4096, ge=1, description="Passages whose clause vectors are kept")
    hotline: str = "12345"

    # Index lifecycle: rebuild at start-up when the index is missing, stale or for another model.
    auto_index: bool = True

    # Serving and limits
    host: str = "127.0.0.1"
    public_url: str | None = Field(
        default=None,
        pattern=r"^https?://[^\s/?#]+(/[^\s?#]*)?$",
        description="The address residents reach this server at (for /embed-demo's snippet); never taken from Host",
    )
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

    # Chat page and widget: the suggested questions shown before the first question (one file per deployment).
    suggestions_file: Path | None = Field(
        default=None, description="JSON file of suggested questions by topic; unset: the bundled web/suggestions.json"
    )
    # Resident feedback and the content-gap report: every question is stored (never the client's address)
    # so that residents can vote on answers and the district can see what its documents don't answer.
    database_url: str = Field(
        default="sqlite:///var/feedback.db", description="SQLAlchemy URL of the feedback database (sqlite/postgresql)"
    )
    database_busy_timeout_ms: int = Field(
        default=5000, ge=0, description="How long a SQLite writer waits for another process's write to finish"
    )
    record_questions: bool = Field(default=True, description="Store each question; false stores nothing new")
    feedback_retention_days: int = Field(
        default=180, ge=1, description="Stored questions and votes older than this are deleted"
    )
    feedback_comment_max_chars: int = Field(default=500, ge=1)
    stored_questions_per_client_day: int = Field(
        default=200, ge=1, description="Questions stored per client per UTC day; later ones are answered, not stored"
    )
    feedback_retry_seconds: float = Field(
        default=10.0, gt=0, description="While the feedback database is unavailable, how often to try it again"
    )
    client_salt: SecretStr | None = Field(
        default=None, min_length=16, description="Salt of the client hash; unset: one is generated and stored once"
    )
    topics_file: Path = Field(default=Path("config/topics.json"), description="Report topics and their keywords")
    report_timezone: str = Field(default="Asia/Shanghai", description="Time zone of report dates and --since")
    report_period: Literal["day", "week", "month"] = Field(default="week", description="Time step of topic rates")
    report_group_similarity: float = Field(
        default=0.55, ge=-1, le=1, description="Unanswered questions at least this similar share a group"
    )
    report_topic_similarity: float = Field(
        default=0.4, ge=-1, le=1, description="A question this close to a topic keyword gets that topic"
    )
    report_max_groups: int = Field(default=20, ge=1, description="Groups of unanswered questions listed")
    report_max_unhelpful: int = Field(default=50, ge=1, description="Unhelpful answers listed (newest first)")
    report_batch: int = Field(
        default=256, ge=1, description="Wordings embedded per step; between steps the report stops if its client left"
    )
    report_max_tracked_groups: int = Field(
        default=500, ge=1, description="Groups of unanswered questions formed; rarer wordings near none are left out"
    )

    @field_validator("report_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (use an IANA name such as Asia/Shanghai)") from None
        return value

    # Hardening and operations: input and rate limits, logs, metrics, hot index reload.
    # 64 KiB: a question with a full history (6 turns of 500-character questions and 2,000-character answers,
    # about 45 KB of Chinese in UTF-8) must fit.
    max_body_bytes: int = Field(default=65536, ge=1024, description="Largest request body accepted (413 beyond)")
    body_timeout_seconds: float = Field(default=10.0, gt=0, description="Time a request body may take to arrive")
    rate_limit: str = Field(
        default="30/minute",
        pattern=r"^\s*(off|[1-9][0-9]*\s*/\s*(second|minute|hour|day))\s*$",
        description="Requests to /api/ask per client, e.g. 30/minute; 'off' for no limit",
    )
    client_ip_header: str | None = Field(
        default=None, description="Header set by a trusted proxy with the client address, e.g. X-Forwarded-For"
    )
    header_timeout_seconds: float = Field(
        default=10.0, gt=0, description="Time a connection may take to send a request's headers (closed beyond)"
    )
    max_connections: int = Field(
        default=1000, ge=1, description="Open connections per server process; the longest idle is closed for a new one"
    )
    graceful_shutdown_seconds: int = Field(
        default=10, ge=1, description="On shutdown, requests still running after this long are cancelled"
    )
    log_level: str = Field(default="INFO", pattern=r"^(?i:debug|info|warning|error)$")
    log_salt: SecretStr | None = Field(
        default=None, description="Salt of the client-address hashes in logs; unset: random per process"
    )
    index_watch_seconds: float = Field(
        default=2.0, ge=0, description="How often the server checks for a new index build; 0: only on reload"
    )
    metrics_buckets: list[float] = Field(
        default=[0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5],
        min_length=1,
        description="Upper bounds (seconds) of the request latency histogram",
    )

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

    # Documents added as PDF, Word, web pages or text (`assistant add`, the staff console): limits of one file.
    convert_max_bytes: int = Field(
        default=20 * 1024 * 1024, ge=1024, description="Largest file (or fetched page) converted, in bytes"
    )
    convert_max_pages: int = Field(default=500, ge=1, description="Most pages of a PDF converted")
    convert_max_unpacked_bytes: int = Field(
        default=100 * 1024 * 1024,
        ge=1024,
        description="Most bytes a .docx may unpack to, and most characters of text taken from one file",
    )
    fetch_timeout_seconds: float = Field(default=20.0, gt=0, description="Time a page fetched by URL may take")
    staging_dir: Path = Field(
        default=Path("var/staging"), description="Files uploaded in the console, converted, awaiting publication"
    )
    admin_session_hours: float = Field(default=8.0, gt=0, description="How long a console sign-in lasts")
    admin_upload_max_bytes: int = Field(
        default=60 * 1024 * 1024, ge=1024, description="Largest upload request of the console (all its files)"
    )

    # Production beyond one process (issue 14): /metrics access, shared rate limit, schema migrations.
    metrics_token: SecretStr | None = Field(
        default=None, min_length=16, description="Bearer token /metrics requires; unset: /metrics is open"
    )
    migrate_on_start: bool = Field(
        default=True,
        description="Apply the feedback database's pending migrations at start when all are online-safe",
    )
    redis_url: SecretStr | None = Field(
        default=None, description="Redis holding the rate limit shared by every worker; unset: a limit per process"
    )
    redis_timeout_seconds: float = Field(
        default=0.25, gt=0, description="How long a rate-limit check waits for Redis before limiting per process"
    )
