"""Schema migrations of the feedback database (Alembic): where a database stands, and bringing it to the head.

``assistant db upgrade`` applies every pending revision. A starting server applies them itself only when
it is safe: ``ASSISTANT_MIGRATE_ON_START`` is on and every pending revision is ``online_safe`` (servers on
the previous code keep working on the new schema). Otherwise the store stays unavailable, naming the
command to run, and the server answers without it. Processes starting together take a lock first
(an advisory lock on PostgreSQL, a lock file beside a SQLite file), so exactly one of them migrates.
A database created before migrations existed (issue 9's ``CREATE TABLE IF NOT EXISTS``) is adopted as
revision 0001, which is that schema.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionError
from alembic.util.exc import CommandError
from sqlalchemy import URL, Connection, Engine, inspect, text

from assistant.errors import StorageUnavailable

log = logging.getLogger(__name__)

SCRIPT_LOCATION = str(Path(__file__).parent / "migrations")
LEGACY_REVISION = "0001"  # the schema issue 9 created without migrations
# Any constant will do: it only has to be the same in every process migrating this database.
ADVISORY_LOCK_KEY = 0x6B75_6977_656E  # "kuiwen"


@dataclass(frozen=True)
class SchemaState:
    """Where a database stands: its revision (None: empty), the code's head, and what is still to apply."""

    current: str | None
    head: str
    pending: list[str]
    unsafe: list[str]  # pending revisions that a running server of the previous code may not survive

    @property
    def up_to_date(self) -> bool:
        """Whether the database is at the code's head revision."""
        return not self.pending


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration for the shipped migrations, on ``connection`` when given."""
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The newest revision this code knows."""
    head = _script().get_current_head()
    assert head is not None, "no migrations shipped"
    return head


def _current(connection: Connection) -> str | None:
    """The database's revision; a pre-migration database with the tables counts as the legacy revision."""
    current = MigrationContext.configure(connection).get_current_revision()
    if current is None and inspect(connection).has_table("questions"):
        return LEGACY_REVISION
    return current


def _state(connection: Connection) -> SchemaState:
    script = _script()
    current = _current(connection)
    head = head_revision()
    try:
        # Newest first, down to (not including) the current revision.
        pending = [rev for rev in script.iterate_revisions(head, current or "base") if rev.revision != current]
    except (CommandError, RevisionError):
        raise StorageUnavailable(
            f"the feedback database is at schema revision {current!r}, unknown to this code (newer code migrated it?)"
        ) from None
    pending.reverse()
    unsafe = [rev.revision for rev in pending if not getattr(rev.module, "online_safe", False)]
    return SchemaState(current, head, [rev.revision for rev in pending], unsafe)


def state(engine: Engine) -> SchemaState:
    """Where the database behind ``engine`` stands."""
    with engine.connect() as connection:
        return _state(connection)


def sqlite_file(url: URL) -> Path | None:
    """The file of a SQLite database URL, also one naming it as a URI (``file:/path?mode=ro&uri=true``)."""
    database = url.database
    if url.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    if url.query.get("uri") == "true" and database.startswith("file:"):
        # Else the lock would land in a folder named "file:" under the working directory.
        database = database.removeprefix("file:")
        if database.startswith("//"):
            database = "/" + database.removeprefix("//").partition("/")[2]  # file://host/path
    return Path(database)


@contextlib.contextmanager
def _locked(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction that no other process migrating the same database is in at once."""
    database = sqlite_file(engine.url)
    if database is not None:
        lock_path = database.with_name(f"{database.name}.migrate-lock")
        with lock_path.open("a") as lock_file:
            fcntl.flock(lock_file, fcntl.LOCK_EX)  # released when the file closes
            with engine.begin() as connection:
                yield connection
        return
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            # Held to the end of the transaction; PostgreSQL's DDL is transactional, so it is all or nothing.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
        yield connection


def upgrade(engine: Engine, *, at_start: bool) -> SchemaState:
    """Bring the database to the head revision and return the state it was in.

    At start (``at_start``), a revision that is not online-safe is not applied: StorageUnavailable says to run
    ``assistant db upgrade``. A database at a revision this code does not know is refused either way.
    """
    # The common case, a database already at the head, needs no lock (nor a writable folder for one).
    with engine.connect() as connection:
        before = _state(connection)
        if before.up_to_date and MigrationContext.configure(connection).get_current_revision() is not None:
            return before
    with _locked(engine) as connection:
        before = _state(connection)  # again: another process may have migrated while this one waited
        if before.up_to_date and MigrationContext.configure(connection).get_current_revision() is not None:
            return before
        if at_start and before.unsafe:
            raise StorageUnavailable(
                f"the feedback database needs schema revisions {', '.join(before.unsafe)}, which running servers "
                "of the previous version may not survive: run `assistant db upgrade`, then start the servers"
            )
        config = alembic_config(connection)
        if before.current == LEGACY_REVISION and MigrationContext.configure(connection).get_current_revision() is None:
            command.stamp(config, LEGACY_REVISION)
            log.info("adopted a feedback database made before migrations as revision %s", LEGACY_REVISION)
        command.upgrade(config, "head")
    if before.pending:
        log.info(
            "feedback database migrated from %s to %s",
            before.current or "empty",
            before.head,
            extra={"event": "migration"},
        )
    return before
