"""How ``assistant serve`` runs uvicorn: connections that must send their headers in time, a cap on open
connections that drops idle ones first, and an open-file limit raised as far as the system allows.

uvicorn times out idle keep-alive connections but not a request whose headers never finish, so a few
hundred half-sent requests would otherwise hold every file descriptor and lock everyone else out.
"""

from __future__ import annotations

import asyncio
import logging
import resource
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from assistant.settings import Settings

log = logging.getLogger(__name__)

# File descriptors kept free of connections: the index, the database, logs, the model's files.
RESERVED_FILES = 64
TIMEOUT_REPLY = b"HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
BUSY_REPLY = b"HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"


@dataclass(frozen=True)
class ConnectionLimits:
    """How long a request's headers may take, and how many connections one process keeps open."""

    header_timeout: float
    max_connections: int


def raise_open_file_limit() -> int:
    """Raise this process's soft limit on open files to its hard limit; returns the limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        target = hard if hard != resource.RLIM_INFINITY else max(soft, 1 << 16)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError) as exc:
            log.warning("cannot raise the open-file limit from %d: %s", soft, exc)
    return soft


def connection_limits(settings: Settings) -> ConnectionLimits:
    """The limits from ``settings``, the connection cap kept below the open-file limit."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    fit = max(1, soft - RESERVED_FILES) if soft != resource.RLIM_INFINITY else settings.max_connections
    return ConnectionLimits(settings.header_timeout_seconds, min(settings.max_connections, fit))


@lru_cache(maxsize=1)
def _limits_from_environment() -> ConnectionLimits:
    # Each worker process builds its protocol from the environment, as it builds its app.
    return connection_limits(Settings())


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for each request's headers and a cap on open connections.

    When a new connection would pass the cap, the connection that has waited longest without sending a
    request is closed to make room; only when every connection is busy with a request is the new one refused.
    """

    limits: ConnectionLimits | None = None  # None: from the environment (set on a subclass in tests)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._limits = self.limits or _limits_from_environment()
        self._header_timer: asyncio.TimerHandle | None = None
        self._idle_since = 0.0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """Start the header deadline, then make room under the cap (or refuse this connection)."""
        super().connection_made(transport)  # type: ignore[arg-type]
        self._arm_header_timer()
        if len(self.connections) > self._limits.max_connections:
            self._make_room()

    def connection_lost(self, exc: Exception | None) -> None:
        """Forget the deadline with the connection."""
        self._disarm_header_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        """Feed the parser; the deadline runs while a request's headers are incomplete."""
        super().data_received(data)
        if self.waiting_for_request():
            if self._header_timer is None:
                self._arm_header_timer()
        else:
            self._disarm_header_timer()

    def on_response_complete(self) -> None:
        """The connection is idle again from here (keep-alive), until its next request."""
        self._idle_since = self.loop.time()
        super().on_response_complete()

    def waiting_for_request(self) -> bool:
        """Whether no request is being served on this connection (new, idle keep-alive, or headers half-sent)."""
        return self.cycle is None or self.cycle.response_complete

    def _arm_header_timer(self) -> None:
        self._idle_since = self.loop.time()
        self._header_timer = self.loop.call_later(self._limits.header_timeout, self._header_deadline)

    def _disarm_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _header_deadline(self) -> None:
        self._header_timer = None
        if self.waiting_for_request() and not self.transport.is_closing():
            self._close(TIMEOUT_REPLY)

    def _make_room(self) -> None:
        others = [c for c in self.connections if c is not self and isinstance(c, GuardedH11Protocol)]
        idle = [c for c in others if c.waiting_for_request() and not c.transport.is_closing()]
        if idle:
            min(idle, key=lambda c: c._idle_since)._close(TIMEOUT_REPLY)
        else:
            self._close(BUSY_REPLY)

    def _close(self, reply: bytes) -> None:
        self._disarm_header_timer()
        self.transport.write(reply)
        self.transport.close()
        # connection_lost comes later; the connection must stop counting against the cap now.
        self.connections.discard(self)


def uvicorn_config(
    settings: Settings, host: str, port: int, workers: int, log_config: dict[str, Any]
) -> uvicorn.Config:
    """The uvicorn configuration ``assistant serve`` runs with."""
    # The app logs each request itself (with a hashed client address) and reads the client address from
    # ASSISTANT_CLIENT_IP_HEADER only, so uvicorn's access log and proxy handling are off.
    return uvicorn.Config(
        "assistant.api:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=log_config,
        access_log=False,
        proxy_headers=False,
        http=GuardedH11Protocol,
        timeout_graceful_shutdown=settings.graceful_shutdown_seconds,
    )
