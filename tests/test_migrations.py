"""Schema migrations of the feedback database, on SQLite and PostgreSQL: the head is the code's schema,
old databases are adopted, unsafe revisions wait for `assistant db upgrade`, workers starting together agree."""

from __future__ import annotations

import multiprocessing
import shutil
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from click.testing import CliRunner
from sqlalchemy import Engine, create_engine, insert, inspect, make_url, select, text

from assistant import dbschema
from assistant.cli import cli
from assistant.errors import StorageUnavailable
from assistant.feedback import FeedbackStore, make_engine, meta, metadata, questions, utcnow
from assistant.settings import Settings

STARTERS = 4
# A revision that renames a column: servers of the previous code would fail on it, so it is not online-safe.
UNSAFE_REVISION = '''
"""Rename meta.value (a test revision)."""
import sqlalchemy as sa
from alembic import op

revision = "9001"
down_revision = "{head}"
branch_labels = None
depends_on = None
online_safe = False


def upgrade() -> None:
    with op.batch_alter_table("meta") as batch:
        batch.alter_column("value", new_column_name="setting", existing_type=sa.Text, existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("meta") as batch:
        batch.alter_column("setting", new_column_name="value", existing_type=sa.Text, existing_nullable=False)
'''


def engine_for(url: str) -> Engine:
    return make_engine(Settings(database_url=url))


def revision_of(url: str) -> str | None:
    engine = create_engine(url)
    with engine.connect() as conn:
        revision = MigrationContext.configure(conn).get_current_revision()
    engine.dispose()
    return revision


def test_the_migrations_build_exactly_the_schema_the_code_uses(database_url: str) -> None:
    engine = engine_for(database_url)
    before = dbschema.upgrade(engine, at_start=False)
    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    engine.dispose()
    assert before.current is None and before.pending[-1] == dbschema.head_revision()
    assert differences == []
    assert revision_of(database_url) == dbschema.head_revision()


def test_a_database_made_before_migrations_is_adopted_with_its_rows(database_url: str) -> None:
    # What issue 9's code did: CREATE TABLE IF NOT EXISTS, and the schema version in meta.
    engine = engine_for(database_url)
    metadata.create_all(engine)
    row = {"id": "q-1", "asked_at": utcnow(), "question": "旧问题", "answered": False, "reason": "not_covered"}
    row |= {"answer": "", "top_score": None, "support": 0.1, "cited": "[]", "latency_ms": 3.0, "client": "c"}
    with engine.begin() as conn:
        conn.execute(insert(meta).values(key="schema_version", value="1"))
        conn.execute(insert(questions).values(row))
    engine.dispose()
    assert revision_of(database_url) is None

    store = FeedbackStore.open(Settings(database_url=database_url))
    asked = [q.question for q in store.questions()]
    store.close()
    assert asked == ["旧问题"]
    assert revision_of(database_url) == dbschema.head_revision()


@pytest.fixture
def unsafe_migrations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The shipped migrations plus a revision 9001 on top that is not online-safe; returns the shipped head."""
    folder = tmp_path / "migrations"
    head = dbschema.head_revision()
    shutil.copytree(dbschema.SCRIPT_LOCATION, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "versions" / "9001_rename.py").write_text(UNSAFE_REVISION.replace("{head}", head), encoding="utf-8")
    monkeypatch.setattr(dbschema, "SCRIPT_LOCATION", str(folder))
    return head


def test_start_up_applies_no_unsafe_revision_and_db_upgrade_does(database_url: str, unsafe_migrations: str) -> None:
    engine = engine_for(database_url)
    settings = Settings(database_url=database_url)
    # A database at the shipped head, as the previous release left it.
    previous = unsafe_migrations
    with engine.begin() as conn:
        command.upgrade(dbschema.alembic_config(conn), previous)
    assert dbschema.state(engine).unsafe == ["9001"]

    with pytest.raises(StorageUnavailable, match=r"9001, which running servers .* run `assistant db upgrade`"):
        FeedbackStore.open(settings)
    assert revision_of(database_url) == previous

    result = CliRunner().invoke(cli, ["db", "upgrade"], env={"ASSISTANT_DATABASE_URL": database_url})
    assert result.exit_code == 0, result.output
    assert result.output == f"migrated from {previous} to 9001: 9001\n"
    assert revision_of(database_url) == "9001"
    with engine.connect() as conn:
        assert {c["name"] for c in inspect(conn).get_columns("meta")} == {"key", "setting"}
    engine.dispose()


def test_with_migrate_on_start_off_a_new_database_waits_for_db_upgrade(database_url: str) -> None:
    settings = Settings(database_url=database_url, migrate_on_start=False)
    with pytest.raises(StorageUnavailable, match="run `assistant db upgrade`"):
        FeedbackStore.open(settings)
    runner = CliRunner()
    env = {"ASSISTANT_DATABASE_URL": database_url}
    assert runner.invoke(cli, ["db", "status"], env=env).output.splitlines()[0] == "current: empty"
    assert runner.invoke(cli, ["db", "upgrade"], env=env).exit_code == 0
    status = runner.invoke(cli, ["db", "status"], env=env).output
    assert status == f"current: {dbschema.head_revision()}\nhead:    {dbschema.head_revision()}\npending: none\n"
    FeedbackStore.open(settings).close()
    assert runner.invoke(cli, ["db", "upgrade"], env=env).output == f"already at {dbschema.head_revision()}\n"


def _start(url: str) -> str:
    """One worker's start-up: open the store (migrating if it is first) and store the salt it hashes with."""
    store = FeedbackStore.open(Settings(database_url=url))
    salt = store.client_hash("203.0.113.9")
    store.close()
    return salt


@pytest.mark.integration
def test_workers_starting_together_on_a_new_database_migrate_it_once(database_url: str) -> None:
    context = multiprocessing.get_context("fork")
    with context.Pool(STARTERS) as pool:
        hashes = pool.map(_start, [database_url] * STARTERS)
    engine = create_engine(database_url)
    with engine.connect() as conn:
        versions = conn.execute(text("SELECT version_num FROM alembic_version")).all()
        salts = conn.execute(select(meta.c.value).where(meta.c.key == "client_salt")).all()
    engine.dispose()
    assert versions == [(dbschema.head_revision(),)]
    assert len(salts) == 1
    assert len(set(hashes)) == 1  # every worker hashes a client alike


def test_a_database_missing_a_table_at_the_current_revision_is_refused_by_name(database_url: str) -> None:
    FeedbackStore.open(Settings(database_url=database_url)).close()
    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE votes"))
    engine.dispose()
    with pytest.raises(StorageUnavailable, match="lacks the tables votes"):
        FeedbackStore.open(Settings(database_url=database_url))


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:////srv/assistant/feedback.db", "/srv/assistant/feedback.db"),
        ("sqlite:///file:/srv/assistant/feedback.db?mode=ro&uri=true", "/srv/assistant/feedback.db"),
        ("sqlite:///file:///srv/assistant/feedback.db?uri=true", "/srv/assistant/feedback.db"),
        ("sqlite:///file://localhost/srv/assistant/feedback.db?uri=true", "/srv/assistant/feedback.db"),
        ("sqlite://", None),
        ("sqlite:///:memory:", None),
    ],
)
def test_the_migration_lock_sits_beside_the_sqlite_file_also_for_uri_urls(url: str, expected: str | None) -> None:
    path = dbschema.sqlite_file(make_url(url))
    assert (str(path) if path else None) == expected
