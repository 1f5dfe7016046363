"""`assistant serve --workers N`: each worker on a SO_REUSEPORT socket of its own, on which asyncio turns Nagle
off, and connections spread over the workers."""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import signal
import socket
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
import uvicorn

from assistant.workers import reuse_port_socket
from conftest import write_corpus
from services import assistant_server

pytestmark = pytest.mark.integration  # real sockets and an asyncio server

START_SECONDS = 120.0
SPREAD_SECONDS = 60.0
BURST = 64
FAIR_SHARE = 12


def accepted_nodelay(listener: socket.socket) -> int:
    """TCP_NODELAY of a connection accepted by an asyncio server on ``listener``, as uvicorn's workers serve."""

    async def run() -> int:
        loop = asyncio.get_running_loop()
        accepted: asyncio.Future[int] = loop.create_future()

        class Probe(asyncio.Protocol):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                sock = transport.get_extra_info("socket")
                accepted.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                transport.close()

        server = await loop.create_server(Probe, sock=listener)
        _, writer = await asyncio.open_connection(*listener.getsockname()[:2])
        try:
            return await asyncio.wait_for(accepted, timeout=5)
        finally:
            writer.close()
            server.close()

    # In a thread of its own: the browser tests' Playwright session may already run an event loop in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, run()).result()


def test_a_workers_socket_gets_tcp_nodelay_on_accepted_connections() -> None:
    assert accepted_nodelay(reuse_port_socket("127.0.0.1", 0)) != 0


def test_uvicorns_own_socket_leaves_nagle_on() -> None:
    """Why reuse_port_socket declares TCP (uvicorn#3149); once this fails, uvicorn has fixed it."""
    sock = uvicorn.Config("assistant.api:app_from_env", factory=True, host="127.0.0.1", port=0).bind_socket()
    assert accepted_nodelay(sock) == 0


def test_workers_sockets_share_one_port() -> None:
    with reuse_port_socket("127.0.0.1", 0) as first:
        port = first.getsockname()[1]
        with reuse_port_socket("127.0.0.1", port) as second:
            assert second.getsockname()[1] == port


def workers_answering(base: str, want: int, seconds: float, ignore: frozenset[int] = frozenset()) -> set[int]:
    """Process ids seen on /healthz over new connections (``ignore``'s left out), until ``want`` or the deadline."""
    seen: set[int] = set()
    deadline = time.monotonic() + seconds
    while len(seen) < want and time.monotonic() < deadline:
        # A new connection each time (no keep-alive): each is a fresh draw of the kernel's hash.
        try:
            with httpx.Client(timeout=5) as client:
                reply = client.get(f"{base}/healthz")
        except httpx.HTTPError:
            continue  # a connection queued on a dead worker's socket, until its replacement serves it
        if reply.status_code == 200 and reply.json()["worker"] not in ignore:
            seen.add(reply.json()["worker"])
    return seen


@pytest.fixture
def two_workers(tmp_path: Path) -> Iterator[str]:
    """``assistant serve --workers 2`` with the fake embedder over a small corpus; yields its base URL."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env |= {
        "ASSISTANT_MODEL": "fake",
        "ASSISTANT_CORPUS_DIR": str(write_corpus(tmp_path / "corpus")),
        "ASSISTANT_DATABASE_URL": f"sqlite:///{tmp_path / 'feedback.db'}",
        "ASSISTANT_RATE_LIMIT": "off",
    }
    args = ["--workers", "2", "--index", str(tmp_path / "index")]
    yield from assistant_server(env, args, tmp_path / "server.log", START_SECONDS)


def test_two_workers_both_answer_new_connections(two_workers: str) -> None:
    assert len(workers_answering(two_workers, 2, SPREAD_SECONDS)) == 2


def test_connections_opened_together_spread_over_the_workers(two_workers: str) -> None:
    """A burst of keep-alive connections lands on both workers, and stays there."""
    assert len(workers_answering(two_workers, 2, SPREAD_SECONDS)) == 2  # both workers listening
    host, port = urlsplit(two_workers).hostname, urlsplit(two_workers).port
    connections = [http.client.HTTPConnection(str(host), port, timeout=30) for _ in range(BURST)]
    try:
        for connection in connections:
            connection.connect()
        workers = []
        for connection in connections:
            connection.request("GET", "/healthz")
            workers.append(json.loads(connection.getresponse().read())["worker"])
    finally:
        for connection in connections:
            connection.close()
    # Spread by a hash of the client's port, about half each: fewer than 12 of 64 on either worker has odds of
    # about 1 in 3 million.
    shares = sorted(Counter(workers).values())
    assert len(shares) == 2 and shares[0] >= FAIR_SHARE, shares


def test_a_dead_worker_is_replaced_on_its_socket(two_workers: str) -> None:
    first = workers_answering(two_workers, 2, SPREAD_SECONDS)
    assert len(first) == 2
    victim = min(first)
    os.kill(victim, signal.SIGKILL)
    # Two workers answer again: the survivor and a replacement serving the victim's socket.
    assert len(workers_answering(two_workers, 2, START_SECONDS, ignore=frozenset({victim}))) == 2
