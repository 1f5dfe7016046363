"""Throwaway PostgreSQL and Redis servers for the tests: Debian's binaries, a temporary folder, a free port.

PostgreSQL refuses to run as root, so as root the server runs as ``nobody`` in a folder under /tmp
that it owns (pytest's own temporary folders are private to root). Each server is stopped by its fixture.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

# The repository (this module is imported by conftest, so it cannot import conftest back).
ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT_SECONDS = 60.0
UNPRIVILEGED_USER = "nobody"
UNPRIVILEGED_GROUP = "nogroup"
PG_SUPERUSER = "assistant"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def assistant_server(env: dict[str, str], args: list[str], log_path: Path, start_seconds: float) -> Iterator[str]:
    """``assistant serve`` on a free port with ``env`` and extra ``args``, until /healthz answers; yields its URL."""
    port = free_port()
    command = [str(Path(sys.executable).with_name("assistant")), "serve", "--port", str(port), *args]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + start_seconds
        while True:
            if process.poll() is not None:
                pytest.fail(f"assistant serve exited ({process.returncode}):\n{log_path.read_text()[-3000:]}")
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"assistant serve did not answer /healthz:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.5)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def missing(what: str, package: str) -> None:
    """Skip when a server binary is absent, except in CI, where `.ci/run` installs it: there it is a failure."""
    message = f"{what} is not installed (Debian package {package}; `.ci/run` installs it)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def postgres_bin() -> Path | None:
    """The folder of Debian's PostgreSQL server binaries (the newest version installed), if any."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[4]))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("pg_ctl")
    return Path(on_path).resolve().parent if on_path else None


@dataclass(frozen=True)
class PostgresServer:
    """A running PostgreSQL server reachable on 127.0.0.1:``port`` as the superuser, with no password."""

    port: int
    folder: Path

    def url(self, database: str = "postgres") -> str:
        """The SQLAlchemy URL of one database on this server (psycopg 3)."""
        return f"postgresql+psycopg://{PG_SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        """Create an empty database with a new name and return its name."""
        name = f"t_{uuid.uuid4().hex[:16]}"
        self._admin(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        """Drop a database, closing any connection still open to it."""
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _admin(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user=PG_SUPERUSER, dbname="postgres") as conn:
            conn.autocommit = True  # CREATE/DROP DATABASE cannot run in a transaction
            conn.execute(statement.encode())


def _as_server_user() -> dict[str, str]:
    """Popen arguments that run the server as an unprivileged user when we are root."""
    return {"user": UNPRIVILEGED_USER, "group": UNPRIVILEGED_GROUP} if os.geteuid() == 0 else {}


@contextlib.contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    """Start a PostgreSQL server in a new temporary folder on a free port; stop it and remove the folder after."""
    bin_dir = postgres_bin()
    if bin_dir is None:
        missing("PostgreSQL", "postgresql")
        raise AssertionError("unreachable")
    folder = Path(tempfile.mkdtemp(prefix="assistant-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, UNPRIVILEGED_USER, UNPRIVILEGED_GROUP)
    data, log = folder / "data", folder / "server.log"
    port = free_port()
    user = _as_server_user()
    try:
        subprocess.run(
            [bin_dir / "initdb", "-D", data, "-U", PG_SUPERUSER, "--auth=trust", "--encoding=UTF8", "--locale=C"],
            check=True,
            capture_output=True,
            **user,  # type: ignore[arg-type]
        )
        # Durability is not under test: without fsync a test database costs a fraction of the time.
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        subprocess.run(
            [
                bin_dir / "pg_ctl",
                "-D",
                data,
                "-l",
                log,
                "-o",
                options,
                "-w",
                "-t",
                str(int(START_TIMEOUT_SECONDS)),
                "start",
            ],
            check=True,
            capture_output=True,
            **user,  # type: ignore[arg-type]
        )
        yield PostgresServer(port, folder)
    except subprocess.CalledProcessError as exc:
        server_log = log.read_text() if log.exists() else ""
        raise RuntimeError(f"PostgreSQL did not start: {exc.stderr!r}\n{server_log}") from exc
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(
                [bin_dir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"],
                capture_output=True,
                check=False,
                **user,  # type: ignore[arg-type]
            )
        shutil.rmtree(folder, ignore_errors=True)


@dataclass(frozen=True)
class RedisServer:
    """A running Redis server on 127.0.0.1:``port``, and its process (a test may stop it)."""

    port: int
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        """The server's ``redis://`` URL."""
        return f"redis://127.0.0.1:{self.port}/0"


@contextlib.contextmanager
def redis_server() -> Iterator[RedisServer]:
    """Start redis-server on a free port, in memory only; stop it after."""
    binary = shutil.which("redis-server")
    if binary is None:
        missing("redis-server", "redis-server")
        raise AssertionError("unreachable")
    port = free_port()
    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, process)
        yield RedisServer(port, process)
    finally:
        process.terminate()
        process.wait(timeout=10)


def wait_for_port(port: int, process: subprocess.Popen[bytes]) -> None:
    """Return once something accepts connections on ``port``; fail if ``process`` exits first or it takes too long."""
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited with {process.returncode} before listening on {port}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listened on port {port} within {START_TIMEOUT_SECONDS:g} s")
