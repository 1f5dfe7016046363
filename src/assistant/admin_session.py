"""Staff sign-in for the console: a signed session cookie (no server state) and a CSRF token per session.

The cookie holds an expiry and a random nonce, signed with a key derived from ``ASSISTANT_ADMIN_TOKEN``;
changing the token signs everyone out. Each form carries a CSRF token derived from the session's nonce, so
a page on another site cannot post a form on a signed-in staff member's behalf (the cookie is also
``SameSite=Strict``). Signing out forgets the nonce in this process and clears the cookie.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass

COOKIE_NAME = "kuiwen_admin"
NONCE_BYTES = 18
# Sessions signed out in this process, kept until they would have expired anyway.
REVOKED_MAX = 10_000


@dataclass(frozen=True)
class Session:
    """A signed-in staff member's session."""

    nonce: str
    expires: int


class SessionSigner:
    """Issues and checks session cookies and CSRF tokens with keys derived from the admin token."""

    def __init__(self, admin_token: str, lifetime_seconds: int) -> None:
        self._token = admin_token.encode()
        self._key = hmac.new(self._token, b"kuiwen-admin-session", hashlib.sha256).digest()
        self.lifetime = lifetime_seconds
        self._revoked: dict[str, int] = {}
        self._lock = threading.Lock()

    def check_token(self, offered: str) -> bool:
        """Whether ``offered`` is the admin token (compared in constant time)."""
        return hmac.compare_digest(offered.encode(), self._token)

    def _sign(self, payload: str) -> str:
        mac = hmac.new(self._key, payload.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac).decode().rstrip("=")

    def issue(self, now: float | None = None) -> tuple[Session, str]:
        """A new session and its cookie value."""
        expires = int((now if now is not None else time.time()) + self.lifetime)
        session = Session(nonce=secrets.token_urlsafe(NONCE_BYTES), expires=expires)
        payload = f"{session.expires}.{session.nonce}"
        return session, f"{payload}.{self._sign(payload)}"

    def read(self, cookie: str | None, now: float | None = None) -> Session | None:
        """The session a cookie holds, or None when it is absent, forged, expired or signed out."""
        if not cookie or cookie.count(".") != 2:
            return None
        expires, nonce, mac = cookie.split(".")
        if not hmac.compare_digest(mac, self._sign(f"{expires}.{nonce}")) or not expires.isdigit():
            return None
        if int(expires) < (now if now is not None else time.time()) or nonce in self._revoked:
            return None
        return Session(nonce=nonce, expires=int(expires))

    def csrf_token(self, session: Session) -> str:
        """The token every form of this session must send back."""
        return self._sign(f"csrf.{session.nonce}")

    def check_csrf(self, session: Session, offered: str | None) -> bool:
        """Whether a form's token is this session's."""
        return offered is not None and hmac.compare_digest(offered, self.csrf_token(session))

    def revoke(self, session: Session) -> None:
        """Sign a session out (in this process; other workers honour it when its cookie is cleared)."""
        now = int(time.time())
        with self._lock:
            if len(self._revoked) >= REVOKED_MAX:
                self._revoked = {n: e for n, e in self._revoked.items() if e >= now}
            self._revoked[session.nonce] = session.expires
