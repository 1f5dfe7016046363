"""Uploads awaiting publication: converted at once so staff can preview the text, published on request."""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

from assistant.converters import Converted, Limits, convert
from assistant.errors import DocumentNotFound
from assistant.index import write_atomic
from assistant.library import Added, add_file

STAGE_ID_RE = re.compile(r"^[0-9a-f]{16}$")
META_FILE = "meta.json"
ORIGINAL_FILE = "original"


@dataclass(frozen=True)
class Staged:
    """A converted upload: its name, size, when it came, and the text and metadata it would be published with."""

    stage_id: str
    name: str
    size: int
    staged_at: str
    converted: Converted


class Staging:
    """A folder of staged uploads, one sub-folder each (original bytes and the conversion)."""

    def __init__(self, folder: Path, limits: Limits) -> None:
        self.folder = folder
        self.limits = limits

    def _dir(self, stage_id: str) -> Path:
        if not STAGE_ID_RE.match(stage_id) or not (self.folder / stage_id / META_FILE).is_file():
            raise DocumentNotFound(f"no upload {stage_id!r} awaiting publication")
        return self.folder / stage_id

    def put(self, name: str, data: bytes) -> Staged:
        """Convert an upload and keep it for preview; raises ``ConversionError`` (nothing kept) when it can't."""
        converted = convert(name, data, self.limits)
        staged = Staged(
            stage_id=secrets.token_hex(8),
            name=Path(name).name,
            size=len(data),
            staged_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            converted=converted,
        )
        folder = self.folder / staged.stage_id
        write_atomic(folder / ORIGINAL_FILE, data)
        write_atomic(folder / META_FILE, json.dumps(asdict(staged), ensure_ascii=False).encode("utf-8"))
        return staged

    def get(self, stage_id: str) -> Staged:
        """One staged upload."""
        raw = json.loads((self._dir(stage_id) / META_FILE).read_text(encoding="utf-8"))
        raw["converted"] = Converted(**raw["converted"])
        return Staged(**raw)

    def all(self) -> list[Staged]:
        """Every staged upload, oldest first."""
        if not self.folder.is_dir():
            return []
        found = []
        for folder in self.folder.iterdir():
            if STAGE_ID_RE.match(folder.name) and (folder / META_FILE).is_file():
                try:
                    found.append(self.get(folder.name))
                except (OSError, ValueError, TypeError):
                    continue  # half-written or from another version: not listed, never fatal to the page
        return sorted(found, key=lambda s: s.staged_at)

    def discard(self, stage_id: str) -> None:
        """Forget a staged upload."""
        shutil.rmtree(self._dir(stage_id))

    def publish(self, stage_id: str, corpus_dir: Path) -> Added:
        """Add a staged upload to the corpus (converted again from its original, as ``assistant add`` does)."""
        staged = self.get(stage_id)
        data = (self._dir(stage_id) / ORIGINAL_FILE).read_bytes()
        added = add_file(corpus_dir, staged.name, data, self.limits, origin=f"console upload {staged.staged_at}")
        self.discard(stage_id)
        return added
