"""Response headers every page and API reply carries, and CORS from the allowlist setting."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.datastructures import MutableHeaders
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.settings import Settings


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
            await send(message)

        await self.app(scope, receive, send_with_headers)


def add_middleware(app: FastAPI, settings: Settings) -> None:
    """Install the header and CORS middleware on ``app``."""
    # Added last, so outermost: even CORS preflight replies carry the headers.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "POST"],
        allow_headers=["Content-Type", "X-Request-ID"],
        allow_credentials=False,
        max_age=600,
    )
    app.add_middleware(SecurityHeaders, csp=content_security_policy(settings))
