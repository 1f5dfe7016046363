"""Rebuilding the index from the console: one build at a time in a background thread, with its progress.

A change made while a build runs (another upload, a delete) asks for one more build after it, so the
index always ends up matching the corpus. Each finished build is swapped in through the reloader, as
``POST /api/admin/reload`` would.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, replace
from typing import Literal

from assistant.embedding import Embedder
from assistant.errors import AssistantError
from assistant.index import build_index
from assistant.reload import IndexReloader
from assistant.settings import Settings

log = logging.getLogger(__name__)

State = Literal["idle", "running", "done", "failed"]


@dataclass(frozen=True)
class Progress:
    """Where the latest rebuild is: its state, stage, times, and what it ended with."""

    state: State = "idle"
    stage: str = ""
    started: float | None = None
    finished: float | None = None
    message: str = ""
    skipped: tuple[str, ...] = ()

    def elapsed(self, now: float | None = None) -> float:
        """Seconds since the build started (to its end once finished)."""
        if self.started is None:
            return 0.0
        return (self.finished or (now if now is not None else time.time())) - self.started


class Reindexer:
    """Runs ``build_index`` and the reload off the request thread, one at a time."""

    def __init__(self, settings: Settings, embedder: Embedder, reloader: IndexReloader) -> None:
        self.settings = settings
        self.embedder = embedder
        self.reloader = reloader
        self._lock = threading.Lock()
        self._progress = Progress()
        self._again = False
        self._thread: threading.Thread | None = None
        self.idle = threading.Event()
        self.idle.set()

    @property
    def progress(self) -> Progress:
        """The latest rebuild's progress."""
        return self._progress

    def _stage(self, stage: str) -> None:
        self._progress = replace(self._progress, stage=stage)

    def start(self) -> None:
        """Start a rebuild, or ask for one more after the one running."""
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                self._again = True
                return
            self.idle.clear()
            self._thread = threading.Thread(target=self._run, name="reindex", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            self._progress = Progress(state="running", stage="reading", started=time.time())
            try:
                manifest, errors = build_index(self.settings, self.embedder, on_stage=self._stage)
                self._stage("swapping")
                outcome = self.reloader.reload()
                self._progress = replace(
                    self._progress,
                    state="done",
                    stage="",
                    finished=time.time(),
                    message=f"{outcome.build}: {manifest.documents} documents, {manifest.chunks} passages",
                    skipped=tuple(str(e) for e in errors),
                )
            except AssistantError as exc:
                log.error("reindex from the console failed: %s", exc, extra={"event": "reindex", "outcome": "failed"})
                self._progress = replace(self._progress, state="failed", finished=time.time(), message=str(exc))
            with self._lock:
                if not self._again:
                    self._thread = None
                    self.idle.set()
                    return
                self._again = False
