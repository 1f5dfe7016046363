"""Who sent a request: the client address (peer, or a trusted proxy's header) and its salted hash for logs."""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from starlette.datastructures import Headers
from starlette.types import Scope

UNKNOWN = "unknown"
HASH_HEX_CHARS = 16
# Addresses whose hashes are remembered: a request hashes its client's address for its log line and again for
# its stored question, and a client asks many questions. Bounded, least recently used first out.
HASH_MEMO = 4096


def client_address(scope: Scope, trusted_header: str | None) -> str:
    """The client's address: the last entry of the trusted proxy header when set and present, else the peer."""
    if trusted_header:
        value = Headers(scope=scope).get(trusted_header)
        if value:
            # A proxy appends the address it saw; entries before it are whatever the client claimed.
            last = value.split(",")[-1].strip()
            if last:
                return last
    peer = scope.get("client")
    return str(peer[0]) if peer else UNKNOWN


@lru_cache(maxsize=HASH_MEMO)
def hash_address(address: str, salt: bytes, hex_chars: int = HASH_HEX_CHARS) -> str:
    """A salted, truncated hash of an address: the same client is recognisable, its address is not."""
    return hmac.new(salt, address.encode("utf-8"), hashlib.sha256).hexdigest()[:hex_chars]
