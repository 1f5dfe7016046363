"""Fetching a document by URL for ``assistant add``: http(s) only, size-limited while it downloads."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

import httpx

from assistant.converters import ConversionError, converter_for
from assistant.converters.base import human_size

CHUNK_BYTES = 64 * 1024


@dataclass(frozen=True)
class Fetched:
    """A downloaded file: a name for it (with a suffix its converter knows), its bytes and media type."""

    url: str
    name: str
    data: bytes
    media_type: str | None


def file_name(url: str, media_type: str | None) -> str:
    """The URL's last path segment, given the suffix of its media type's converter when its own is unknown."""
    parts = urlsplit(url)
    name = unquote(PurePosixPath(parts.path).name) or parts.hostname or "page"
    try:
        converter_for(name)
        return name
    except ConversionError:
        converter = converter_for(name, media_type or "text/html")
        return name + converter.suffixes[0]


def fetch(url: str, max_bytes: int, timeout: float) -> Fetched:
    """Download ``url``; stops and raises ``ConversionError`` past ``max_bytes`` or on any HTTP failure."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise ConversionError(f"{url}: only http and https addresses are fetched")
    try:
        with (
            httpx.Client(timeout=timeout, follow_redirects=True, max_redirects=5) as client,
            client.stream("GET", url, headers={"User-Agent": "kuiwen-assistant"}) as response,
        ):
            if response.status_code != 200:
                raise ConversionError(f"{url}: the server answered {response.status_code}")
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise ConversionError(
                    f"{url}: {human_size(int(declared))}, more than the limit of {human_size(max_bytes)}"
                )
            body = bytearray()
            for chunk in response.iter_bytes(CHUNK_BYTES):
                body.extend(chunk)
                if len(body) > max_bytes:
                    raise ConversionError(f"{url}: more than the limit of {human_size(max_bytes)}")
            media_type = response.headers.get("content-type")
            final = str(response.url)
    except httpx.HTTPError as exc:
        raise ConversionError(f"{url}: cannot fetch it ({type(exc).__name__}: {exc})") from None
    return Fetched(url=final, name=file_name(final, media_type), data=bytes(body), media_type=media_type)
