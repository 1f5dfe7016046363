"""`assistant serve --workers N` hands its workers a listening socket on which asyncio turns Nagle off."""

from __future__ import annotations

import asyncio
import socket
from concurrent.futures import ThreadPoolExecutor

import pytest
import uvicorn

from assistant.cli import tcp_socket

pytestmark = pytest.mark.integration  # real sockets and an asyncio server


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


def bound_socket() -> socket.socket:
    return uvicorn.Config("assistant.api:app_from_env", factory=True, host="127.0.0.1", port=0).bind_socket()


def test_the_workers_socket_gets_tcp_nodelay_on_accepted_connections() -> None:
    listener = tcp_socket(bound_socket())
    assert listener.proto == socket.IPPROTO_TCP
    assert accepted_nodelay(listener) != 0


def test_uvicorns_own_socket_leaves_nagle_on() -> None:
    """Why tcp_socket exists (uvicorn#3149); once this fails, uvicorn has fixed it and tcp_socket can go."""
    assert accepted_nodelay(bound_socket()) == 0


def test_a_socket_already_declared_tcp_is_kept() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP) as sock:
        assert tcp_socket(sock) is sock
