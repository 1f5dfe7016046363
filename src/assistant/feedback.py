"""The feedback store: every question asked, its answer's outcome, and the residents' votes on it.

SQLAlchemy Core over SQLite by default (a file under ``var/``, WAL mode, so several server processes
can write at once) or PostgreSQL (``pip install '.[postgres]'``). Each process opens its own engine; the
schema is Alembic's (``assistant.dbschema``), brought up to date on open when that is safe.
Clients are stored as a salted hash of their address, never the address itself.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import secrets
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Index,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    cast,
    create_engine,
    delete,
    event,
    func,
    insert,
    inspect,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, SQLAlchemyError
from sqlalchemy.sql import Executable

from assistant import dbschema
from assistant.clients import UNKNOWN, hash_address
from assistant.errors import AnswerNotFound, InvalidFeedback, StorageUnavailable
from assistant.service import AskResult
from assistant.settings import Settings

log = logging.getLogger(__name__)

# Retention is counted in days, so pruning more than once a day would gain nothing.
PRUNE_INTERVAL = dt.timedelta(days=1)
SUPPORTED_BACKENDS = ("sqlite", "postgresql")
VOTE_FIELDS = ("helpful", "comment", "voted_at")
# Stored client hashes are longer than the logs' ones: the report counts distinct clients over months.
STORED_HASH_HEX_CHARS = 32
# Keys per SELECT … IN (…) when reading report vectors (well under SQLite's limit on bound parameters).
GIST_READ_CHUNK = 500

metadata = MetaData()

questions = Table(
    "questions",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("asked_at", DateTime, nullable=False, index=True),  # UTC, without a time zone
    Column("question", Text, nullable=False),
    # The standalone question a follow-up was answered as (null when it was answered as typed); added in version 2.
    Column("resolved_question", Text, nullable=True),
    Column("answered", Boolean, nullable=False),
    Column("reason", String(20), nullable=False),  # answered, not_covered, detail_not_published or out_of_scope
    Column("answer", Text, nullable=False),
    Column("top_score", Float, nullable=True),  # best citation's cosine; null without citations
    Column("support", Float, nullable=False),  # the score the answer/decline decision was made on
    # Passages as "doc_id:start-end": unlike chunk numbers, these stay meaningful after a re-index.
    Column("cited", Text, nullable=False),
    Column("latency_ms", Float, nullable=False),
    Column("client", String(64), nullable=False),
    # For the per-client daily cap on stored questions: counting a client's rows of the day reads this index only.
    Index("ix_questions_client_asked_at", "client", "asked_at"),
)

votes = Table(
    "votes",
    metadata,
    Column("question_id", String(36), ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True),
    Column("helpful", Boolean, nullable=False),
    Column("comment", Text, nullable=True),
    Column("voted_at", DateTime, nullable=False),
)

# The report's vector of each wording, embedded once when it is stored (see report_gists.py). The key is a
# hash of the model, the vector's recipe and the wording; rows go with the retention period like questions.
gists = Table(
    "report_gists",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("vector", LargeBinary, nullable=False),
    Column("stored_at", DateTime, nullable=False, index=True),
)

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)


def utcnow() -> dt.datetime:
    """The current UTC time, without a time zone (as stored)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class StoredQuestion:
    """One stored question with its answer's outcome and the resident's vote, if any."""

    id: str
    asked_at: dt.datetime
    question: str
    answered: bool
    reason: str
    answer: str
    top_score: float | None
    support: float
    cited: list[str]
    latency_ms: float
    client: str
    helpful: bool | None
    comment: str | None
    resolved_question: str | None = None

    @property
    def meant(self) -> str:
        """What the resident asked, as a standalone question: the resolved form of a follow-up."""
        return self.resolved_question or self.question


def make_engine(settings: Settings) -> Engine:
    """An engine for ``settings.database_url``; SQLite connections get WAL, a busy timeout and foreign keys."""
    try:
        url = make_url(settings.database_url)
    except ArgumentError as exc:
        raise StorageUnavailable(f"ASSISTANT_DATABASE_URL: {exc}") from None
    backend = url.get_backend_name()
    if backend not in SUPPORTED_BACKENDS:
        raise StorageUnavailable(f"ASSISTANT_DATABASE_URL: {backend!r} is not supported (use sqlite or postgresql)")
    if backend != "sqlite":
        if url.drivername == "postgresql":
            url = url.set(drivername="postgresql+psycopg")  # the driver of the postgres extra, not psycopg2
        return create_engine(url, pool_pre_ping=True)
    database = dbschema.sqlite_file(url)
    if database is not None:
        database.parent.mkdir(parents=True, exist_ok=True)
    timeout_ms = settings.database_busy_timeout_ms
    # sqlite3's timeout is SQLite's busy timeout: a writer waits this long for another one to finish.
    engine = create_engine(url, connect_args={"timeout": timeout_ms / 1000.0})

    @event.listens_for(engine, "connect")
    def _pragmas(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        # WAL: readers never block the writer, and writers from several processes queue on the busy timeout.
        cursor.execute("PRAGMA journal_mode = WAL")
        # In WAL mode NORMAL is safe against corruption and spares an fsync per question.
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    return engine


def prepare_schema(engine: Engine, settings: Settings) -> None:
    """Migrate the schema at start when that is safe and allowed, else refuse a database not at the head."""
    if settings.migrate_on_start:
        dbschema.upgrade(engine, at_start=True)
    else:
        state = dbschema.state(engine)
        if not state.up_to_date:
            raise StorageUnavailable(
                f"the feedback database is at schema revision {state.current or 'none'}, this code needs "
                f"{state.head}: run `assistant db upgrade` (ASSISTANT_MIGRATE_ON_START is off)"
            )
    # Migrations trust the recorded revision; a table dropped by hand since would otherwise fail every write.
    missing = sorted(set(metadata.tables) - set(inspect(engine).get_table_names()))
    if missing:
        raise StorageUnavailable(
            f"the feedback database is at the current schema revision but lacks the tables {', '.join(missing)}"
        )


def meta_value(engine: Engine, key: str, default: str) -> str:
    """The stored value of ``key``, storing ``default`` first when there is none (safe across processes)."""
    try:
        with engine.begin() as conn:
            conn.execute(insert(meta).values(key=key, value=default))
    except IntegrityError:
        pass  # already set, by this process earlier or by another one
    with engine.connect() as conn:
        value: str = conn.execute(select(meta.c.value).where(meta.c.key == key)).scalar_one()
    return value


def cited_passages(result: AskResult) -> list[str]:
    """The cited passages of an answer, as ``doc_id:start-end``."""
    return [f"{c.doc_id}:{c.start}-{c.end}" for c in result.answer.citations]


def _vote_upsert(dialect: str) -> Executable:
    """INSERT a vote, or UPDATE the answer's earlier vote (both dialects spell it alike)."""
    if dialect == "postgresql":
        pg = postgresql.insert(votes)
        return pg.on_conflict_do_update(
            index_elements=[votes.c.question_id], set_={f: pg.excluded[f] for f in VOTE_FIELDS}
        )
    lite = sqlite.insert(votes)
    return lite.on_conflict_do_update(
        index_elements=[votes.c.question_id], set_={f: lite.excluded[f] for f in VOTE_FIELDS}
    )


class FeedbackStore:
    """Records questions and votes, prunes old ones, and reads them back for the report."""

    def __init__(self, engine: Engine, settings: Settings, salt: bytes) -> None:
        self.engine = engine
        self.settings = settings
        self._salt = salt
        # Built once, values bound at execution: the compiled statements are then reused from the cache.
        self._insert_question = _capped_insert(engine.dialect.name)
        self._upsert_vote = _vote_upsert(engine.dialect.name)
        self._insert_gists = _gists_insert(engine.dialect.name)
        self._pruned_at = dt.datetime.min
        # Whether the last write worked: the server reports it in /readyz and /metrics.
        self.writable = True
        # Told each question that was stored (the server embeds its report vector in the background).
        self.on_stored: Callable[[str], None] | None = None

    @classmethod
    def open(cls, settings: Settings) -> FeedbackStore:
        """Connect, create the schema if needed, and prune rows past the retention period."""
        engine = make_engine(settings)
        try:
            prepare_schema(engine, settings)
            if settings.client_salt is not None:
                salt = settings.client_salt.get_secret_value()
            else:
                # Generated once and stored, so every worker process hashes a client the same way.
                salt = meta_value(engine, "client_salt", secrets.token_hex(32))
            store = cls(engine, settings, salt.encode())
            store.prune()
        except SQLAlchemyError as exc:
            engine.dispose()
            raise StorageUnavailable(f"cannot open the feedback database: {exc}") from exc
        return store

    def close(self) -> None:
        """Close the database connections."""
        self.engine.dispose()

    def client_hash(self, address: str | None) -> str:
        """A salted hash of a client address: the same client gets the same hash, the address can't be read back."""
        return hash_address(address or UNKNOWN, self._salt, STORED_HASH_HEX_CHARS)

    def record(
        self, result: AskResult, client: str | None, asked_at: dt.datetime | None = None, answer_id: str | None = None
    ) -> str:
        """Store one answered (or declined) question and return its id (``answer_id`` when given, else a new one)."""
        # A resident's answer must not fail because the feedback database does: a failed write is
        # logged, and the id is returned anyway (a vote on it will get 404).
        answer_id = answer_id or str(uuid.uuid4())
        if not self.settings.record_questions:
            return answer_id
        answer = result.answer
        asked_at = asked_at or utcnow()
        row = {
            "id": answer_id,
            "asked_at": asked_at,
            "question": result.question,
            "resolved_question": result.resolved_question if result.resolved_question != result.question else None,
            "answered": answer.answered,
            "reason": answer.reason,
            "answer": answer.text,
            "top_score": max((c.score for c in answer.citations), default=None),
            "support": round(answer.support, 4),
            "cited": json.dumps(cited_passages(result)),
            "latency_ms": round(result.took_ms, 3),
            "client": self.client_hash(client),
            # The client's daily cap, checked by the insert itself (the UTC day of ``asked_at``).
            "day": asked_at.replace(hour=0, minute=0, second=0, microsecond=0),
            "cap": self.settings.stored_questions_per_client_day,
        }
        try:
            with self.engine.begin() as conn:
                stored = conn.execute(self._insert_question, row).rowcount == 1
            if not stored:  # the client had its day's quota already
                return answer_id
            self._prune_now_and_then()
            self.writable = True
        except SQLAlchemyError:
            self.writable = False
            log.exception("could not record question %s", answer_id)
            return answer_id
        if self.on_stored is not None:
            # The report groups questions by what they meant: a follow-up by its standalone form.
            self.on_stored(result.resolved_question or result.question)
        return answer_id

    def vote(self, answer_id: str, helpful: bool, comment: str | None = None) -> None:
        """Store a resident's vote on an answer, replacing an earlier vote on the same answer."""
        comment = (comment or "").strip() or None
        limit = self.settings.feedback_comment_max_chars
        if comment is not None and len(comment) > limit:
            raise InvalidFeedback(f"comment: must be at most {limit} characters")
        values = {"question_id": answer_id, "helpful": helpful, "comment": comment, "voted_at": utcnow()}
        try:
            # One statement that writes first: the foreign key rejects an unknown id, and a SQLite
            # writer that starts by writing waits on the busy timeout instead of failing.
            with self.engine.begin() as conn:
                conn.execute(self._upsert_vote, values)
        except IntegrityError:
            raise AnswerNotFound(
                f"id: no answer with id {answer_id!r} (unknown, or older than the retention period)"
            ) from None
        except SQLAlchemyError as exc:
            self.writable = False
            log.exception("could not record a vote on %s", answer_id)
            raise StorageUnavailable("the feedback database cannot be written now: try again later") from exc
        self.writable = True

    def prune(self, now: dt.datetime | None = None) -> int:
        """Delete questions (and their votes) older than the retention period; returns how many."""
        now = now or utcnow()
        cutoff = now - dt.timedelta(days=self.settings.feedback_retention_days)
        old = select(questions.c.id).where(questions.c.asked_at < cutoff)
        with self.engine.begin() as conn:
            conn.execute(delete(votes).where(votes.c.question_id.in_(old)))
            deleted = conn.execute(delete(questions).where(questions.c.asked_at < cutoff)).rowcount
            conn.execute(delete(gists).where(gists.c.stored_at < cutoff))
        self._pruned_at = now
        if deleted:
            log.info("pruned %d questions older than %s", deleted, cutoff)
        return int(deleted)

    def _prune_now_and_then(self) -> None:
        if utcnow() - self._pruned_at >= PRUNE_INTERVAL:
            self.prune()

    def questions(self, since: dt.datetime | None = None) -> list[StoredQuestion]:
        """Stored questions asked at or after ``since`` (UTC), oldest first, each with its vote."""
        query = (
            select(questions, votes.c.helpful, votes.c.comment)
            .select_from(questions.outerjoin(votes, votes.c.question_id == questions.c.id))
            .order_by(questions.c.asked_at, questions.c.id)
        )
        if since is not None:
            query = query.where(questions.c.asked_at >= since)
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [StoredQuestion(**{**row, "cited": json.loads(row["cited"])}) for row in rows]

    def gist_vectors(self, keys: Sequence[str]) -> dict[str, bytes]:
        """The stored report vectors of these keys (those that have one)."""
        found: dict[str, bytes] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(keys), GIST_READ_CHUNK):
                chunk = list(keys[start : start + GIST_READ_CHUNK])
                rows = conn.execute(select(gists.c.key, gists.c.vector).where(gists.c.key.in_(chunk)))
                found.update((key, bytes(vector)) for key, vector in rows)
        return found

    def put_gist_vectors(self, vectors: Mapping[str, bytes]) -> None:
        """Store report vectors; a key stored already keeps its vector (the same key means the same vector)."""
        if not vectors:
            return
        now = utcnow()
        rows = [{"key": key, "vector": vector, "stored_at": now} for key, vector in vectors.items()]
        with self.engine.begin() as conn:
            conn.execute(self._insert_gists, rows)


def _capped_insert(dialect: str) -> Executable:
    """INSERT a question unless its client has its day's quota already: one statement for the check and the write.

    Bound by name: the question's columns, ``day`` (the start of its UTC day) and ``cap``.
    """
    columns = list(questions.columns)
    # PostgreSQL cannot tell the type of a bare parameter in a SELECT list; SQLite stores what it is given
    # (a CAST there would turn the stored time into a number).
    values = [
        cast(bindparam(c.name, type_=c.type), c.type) if dialect == "postgresql" else bindparam(c.name, type_=c.type)
        for c in columns
    ]
    today = (
        select(func.count())
        .select_from(questions)
        .where(questions.c.client == bindparam("client"), questions.c.asked_at >= bindparam("day", type_=DateTime))
        .scalar_subquery()
    )
    return insert(questions).from_select([c.name for c in columns], select(*values).where(today < bindparam("cap")))


def _gists_insert(dialect: str) -> Executable:
    """INSERT report vectors, skipping keys stored already (both dialects spell it alike)."""
    if dialect == "postgresql":
        return postgresql.insert(gists).on_conflict_do_nothing(index_elements=[gists.c.key])
    return sqlite.insert(gists).on_conflict_do_nothing(index_elements=[gists.c.key])
