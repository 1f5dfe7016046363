"""``assistant db``: the feedback database's schema revision, and migrating it (``ASSISTANT_DATABASE_URL``)."""

from __future__ import annotations

import click

from assistant.settings import Settings


@click.group()
def db() -> None:
    """The feedback database's schema: where it stands, and bringing it up to date."""


@db.command()
def status() -> None:
    """Print the database's revision, the code's head and the revisions still to apply."""
    from assistant import dbschema
    from assistant.feedback import make_engine

    engine = make_engine(Settings())
    try:
        state = dbschema.state(engine)
    finally:
        engine.dispose()
    click.echo(f"current: {state.current or 'empty'}")
    click.echo(f"head:    {state.head}")
    pending = ", ".join(f"{rev}{'' if rev not in state.unsafe else ' (not online-safe)'}" for rev in state.pending)
    click.echo(f"pending: {pending or 'none'}")


@db.command()
def upgrade() -> None:
    """Apply every pending migration (also those a running server of the previous version may not survive)."""
    from assistant import dbschema
    from assistant.feedback import make_engine

    engine = make_engine(Settings())
    try:
        before = dbschema.upgrade(engine, at_start=False)
    finally:
        engine.dispose()
    if before.pending:
        click.echo(f"migrated from {before.current or 'empty'} to {before.head}: {', '.join(before.pending)}")
    else:
        click.echo(f"already at {before.head}")
