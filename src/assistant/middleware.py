"""The middleware around every request: security headers, CORS, request ids with logs and metrics,
the rate limit of the question route, and the request body limit."""

from __future__ import annotations

import asyncio
import logging
import math
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from fastapi import FastAPI
from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.clients import client_address, hash_address
from assistant.deferred import DeferredWriter
from assistant.errors import AssistantError, BodyTimeout, PayloadTooLarge, RateLimited
from assistant.http_errors import error_response
from assistant.logs import REQUEST_ID_HEADER, request_id_from, request_id_var
from assistant.metrics import UNMATCHED_ROUTE, Metrics
from assistant.ratelimit import parse_rate
from assistant.settings import Settings
from assistant.shared_ratelimit import Limiter, make_limiter

access_log = logging.getLogger("assistant.access")

RATE_LIMITED_PATHS = frozenset({"/api/ask"})
# Votes have a limit of their own at the same rate, so that voting never costs a resident a question.
VOTE_PATHS = frozenset({"/api/feedback"})
SALT_BYTES = 16
CLIENT_CLOSED = 499  # nginx's status for a request whose client went away before the reply


def content_security_policy(settings: Settings) -> str:
    """The CSP of the HTML pages: everything from this app, no inline scripts or styles."""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            f"frame-ancestors {settings.frame_ancestors}",
        ]
    )


def own_path(location: str, host: str | None) -> str:
    """A redirect to this server as a path: an absolute URL would repeat the request's (forgeable) Host."""
    parts = urlsplit(location)
    if parts.scheme in ("http", "https") and host is not None and parts.netloc == host:
        return urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))
    return location


class SecurityHeaders:
    """Adds nosniff and a referrer policy to every response, and the CSP to HTML ones."""

    def __init__(self, app: ASGIApp, csp: str) -> None:
        self.app = app
        self.csp = csp

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, adding headers to the response start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
                if headers.get("content-type", "").startswith("text/html"):
                    headers.setdefault("Content-Security-Policy", self.csp)
                if "location" in headers:
                    headers["location"] = own_path(headers["location"], Headers(scope=scope).get("host"))
            await send(message)

        await self.app(scope, receive, send_with_headers)


@dataclass(frozen=True)
class LargeBody:
    """Paths whose bodies may be larger than ``ASSISTANT_MAX_BODY_BYTES``, for requests ``admits`` lets in."""

    paths: frozenset[str]
    limit: int
    timeout: float
    admits: Callable[[Headers], bool]


class BodyLimit:
    """Refuses a request body over ``limit`` bytes with 413, whether or not it declares its length,
    and one that takes longer than ``timeout`` seconds to arrive with 408.

    The body is read here, counting as it arrives, and handed on whole: a chunked upload cannot grow
    past the limit in memory, a trickling one cannot hold the request open, and the app never sees half
    a body.
    """

    def __init__(self, app: ASGIApp, limit: int, timeout: float, large: Sequence[LargeBody] = ()) -> None:
        self.app = app
        self.limit = limit
        self.timeout = timeout
        self.large = large

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Read the body up to the limit, then pass the request on with it."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if "content-length" in headers and "transfer-encoding" in headers:
            # Two lengths that disagree are how requests are smuggled past a proxy (RFC 9112 6.3).
            why = "request: has both Content-Length and Transfer-Encoding"
            refusal = JSONResponse({"error": "BadRequest", "message": why}, status_code=400)
            refusal.headers["Connection"] = "close"
            await refusal(scope, receive, send)
            return
        limit, timeout = self.limit, self.timeout
        for large in self.large:
            if scope["path"] in large.paths and large.admits(headers):
                limit, timeout = large.limit, large.timeout
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await self._refuse(PayloadTooLarge(self._too_large(limit)), scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        try:
            async with asyncio.timeout(timeout):
                while True:
                    message = await receive()
                    if message["type"] != "http.request":
                        return  # the client went away before sending its whole body
                    chunk: bytes = message.get("body", b"")
                    size += len(chunk)
                    if size > limit:
                        await self._refuse(PayloadTooLarge(self._too_large(limit)), scope, receive, send)
                        return
                    chunks.append(chunk)
                    if not message.get("more_body", False):
                        break
        except TimeoutError:
            exc = BodyTimeout(f"body: not received within {timeout:g} s")
            await self._refuse(exc, scope, receive, send)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    @staticmethod
    def _too_large(limit: int) -> str:
        return f"body: request bodies are limited to {limit} bytes"

    @staticmethod
    async def _refuse(exc: AssistantError, scope: Scope, receive: Receive, send: Send) -> None:
        response = error_response(exc)
        # The rest of the body is not read, so the connection cannot be reused for another request.
        response.headers["Connection"] = "close"
        await response(scope, receive, send)


class RateLimit:
    """Answers 429 with ``Retry-After`` to a client over the limit on the limited paths."""

    def __init__(
        self,
        app: ASGIApp,
        limiter: Limiter,
        paths: frozenset[str],
        client_header: str | None,
        on_limited: Callable[[], None],
        what: str = "questions",
    ) -> None:
        self.app = app
        self.what = what
        self.limiter = limiter
        self.paths = paths
        self.client_header = client_header
        self.on_limited = on_limited

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, or refuse it when its client has no token left."""
        if scope["type"] == "http" and scope["method"] == "POST" and scope["path"] in self.paths:
            wait = self.limiter.acquire(client_address(scope, self.client_header))
            if wait > 0.0:
                self.on_limited()
                retry_after = max(1, math.ceil(wait))
                exc = RateLimited(f"too many {self.what}: try again in {retry_after} s", retry_after)
                await error_response(exc)(scope, receive, send)
                return
        await self.app(scope, receive, send)


class RequestObserver:
    """Gives each request an id (echoed as ``X-Request-ID``), logs it as one JSON line and counts it.

    The log line holds a salted hash of the client address, never the address itself. Its record is made
    when the request ends (its time, its fields) and handed to ``log_writer``, which formats and writes it
    on a thread of its own: the next request on the connection does not wait for it.
    """

    def __init__(
        self,
        app: ASGIApp,
        routes: Sequence[BaseRoute],
        metrics: Metrics,
        client_header: str | None,
        salt: bytes,
        log_writer: DeferredWriter[logging.LogRecord] | None = None,
    ) -> None:
        self.app = app
        self.routes = routes
        self.metrics = metrics
        self.client_header = client_header
        self.salt = salt
        self.log_writer = log_writer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the request inside its request-id context, then log and count it."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_from(Headers(scope=scope).get(REQUEST_ID_HEADER))
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = CLIENT_CLOSED  # unless a response starts: the client left before one could be sent

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            status = 500  # what the server sends for an app that fails
            raise
        finally:
            seconds = time.perf_counter() - started
            route = self._route(scope)
            self.metrics.observe_request(scope["method"], route, status, seconds)
            if access_log.isEnabledFor(logging.INFO):
                extra = {
                    "event": "request",
                    "method": scope["method"],
                    "route": route,
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": round(seconds * 1000.0, 3),
                    "client": hash_address(client_address(scope, self.client_header), self.salt),
                }
                args = (scope["method"], route, status)
                record = access_log.makeRecord(
                    access_log.name, logging.INFO, __file__, 0, "%s %s %d", args, None, None, extra
                )
                if self.log_writer is None:
                    access_log.handle(record)
                else:
                    self.log_writer.submit(record)  # in this request's context: the line carries its id
            request_id_var.reset(token)

    def _route(self, scope: Scope) -> str:
        """The route template (``/api/documents/{doc_id}``), so metrics don't grow a label per URL."""
        route = scope.get("route")
        if route is None:
            # Refused before routing (413, 429): find the route the request was for.
            route = next((r for r in self.routes if r.matches(scope)[0] == Match.FULL), None)
            # FastAPI keeps an included router as one entry: look for the route inside it.
            while (router := getattr(route, "original_router", None)) is not None:
                route = next((r for r in router.routes if r.matches(scope)[0] == Match.FULL), None)
        path = getattr(route, "path", None)
        return path if isinstance(path, str) and path else UNMATCHED_ROUTE


def add_middleware(app: FastAPI, settings: Settings, metrics: Metrics) -> None:
    """Install the middleware on ``app``: the last added runs first."""
    # Innermost: the body limit, then the rate limit (both answer before the app reads anything).
    # The staff console's uploads (admin_web.mount_admin) may be larger, from a signed-in session only.
    large = getattr(app.state, "large_bodies", ())
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes, timeout=settings.body_timeout_seconds, large=large)
    rate = parse_rate(settings.rate_limit)
    if rate is not None:
        app.add_middleware(
            RateLimit,
            limiter=make_limiter(settings, rate, "questions", metrics.rate_limit_errors.inc),
            paths=RATE_LIMITED_PATHS,
            client_header=settings.client_ip_header,
            on_limited=metrics.rate_limited.inc,
        )
        app.add_middleware(
            RateLimit,
            limiter=make_limiter(settings, rate, "votes", metrics.rate_limit_errors.inc),
            paths=VOTE_PATHS,
            client_header=settings.client_ip_header,
            on_limited=metrics.rate_limited.inc,
            what="votes",
        )
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "POST"],
        allow_headers=["Content-Type", REQUEST_ID_HEADER],
        expose_headers=[REQUEST_ID_HEADER, "Retry-After"],
        allow_credentials=False,
        max_age=600,
    )
    # Outside CORS and the limits, so every reply (preflights and refusals too) has an id, a log line and a count.
    salt = settings.log_salt.get_secret_value().encode() if settings.log_salt else os.urandom(SALT_BYTES)
    # The access-log lines are written by a thread of their own; the app's lifespan writes what is left when it ends.
    log_writer = app.state.access_log_writer = DeferredWriter(access_log.handle, "access-log")
    app.add_middleware(
        RequestObserver,
        routes=app.router.routes,
        metrics=metrics,
        client_header=settings.client_ip_header,
        salt=salt,
        log_writer=log_writer,
    )
    app.add_middleware(SecurityHeaders, csp=content_security_policy(settings))
