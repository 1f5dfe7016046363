"""Hot index swap: load a new build beside the one being served, then switch to it in one assignment.

A request takes the assistant (and so one index) once, when it starts, and keeps it to the end; a swap
only changes what later requests take. A build that fails its checks is refused and the old one kept.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

import anyio
from starlette.datastructures import State

from assistant.errors import ReloadFailed
from assistant.heap import refreeze
from assistant.index import check_settings, current_build, load_index
from assistant.metrics import Metrics
from assistant.service import Assistant
from assistant.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReloadOutcome:
    """What a reload did: ``swapped`` to a new build, or left the served one ``unchanged``."""

    status: str
    build: str
    documents: int
    chunks: int


class IndexReloader:
    """Swaps ``state.assistant`` for one over the build ``CURRENT`` names, when that build is sound."""

    def __init__(self, settings: Settings, state: State, metrics: Metrics) -> None:
        self.settings = settings
        self.state = state
        self.metrics = metrics
        self._lock = threading.Lock()
        self._refused: str | None = None  # the build last refused, so the watcher does not retry it forever

    def _pointed(self) -> str | None:
        folder = current_build(self.settings.index_dir)
        return folder.name if folder is not None else None

    def pending(self) -> bool:
        """Whether ``CURRENT`` names a build other than the served one that has not been refused already."""
        served: Assistant = self.state.assistant
        pointed = self._pointed()
        return pointed is not None and pointed != served.index.path.name and pointed != self._refused

    def reload(self) -> ReloadOutcome:
        """Serve the build ``CURRENT`` names, if it is new and passes every check; otherwise keep the old one."""
        with self._lock:
            outcome = self._swap()
            if outcome.status == "swapped":
                # The old index is no longer referenced here: collected, and the new one frozen (heap.py).
                refreeze()
            return outcome

    def _swap(self) -> ReloadOutcome:
        # reload()'s work, under its lock.
        served: Assistant = self.state.assistant
        pointed = self._pointed()
        if pointed == served.index.path.name:
            return self._outcome("unchanged", served)
        try:
            # load_index verifies every file against the manifest's checksum, and the model; a build
            # made with other build settings than the server's would be rebuilt at its next start.
            index = load_index(self.settings, served.embedder)
            check_settings(self.settings, index.manifest)
            fresh = Assistant(self.settings, served.embedder, index)
            fresh.warm_up()
        except Exception as exc:
            self._refused = pointed
            self.metrics.reloads.labels("failed").inc()
            log.error(
                "index reload refused, still serving %s: %s",
                served.index.path.name,
                exc,
                extra={"event": "index_reload", "outcome": "failed", "served": served.index.path.name},
            )
            raise ReloadFailed(f"kept index build {served.index.path.name}: {exc}") from None
        self.state.assistant = fresh
        self._refused = None
        self.metrics.reloads.labels("swapped").inc()
        self.metrics.set_index(fresh.index)
        log.info(
            "index swapped: %s -> %s",
            served.index.path.name,
            fresh.index.path.name,
            extra={"event": "index_reload", "outcome": "swapped", "served": fresh.index.path.name},
        )
        return self._outcome("swapped", fresh)

    @staticmethod
    def _outcome(status: str, assistant: Assistant) -> ReloadOutcome:
        manifest = assistant.index.manifest
        return ReloadOutcome(status, assistant.index.path.name, manifest.documents, manifest.chunks)

    async def watch(self) -> None:
        """Poll ``CURRENT`` every ``index_watch_seconds`` and reload when it names a new build."""
        while True:
            await anyio.sleep(self.settings.index_watch_seconds)
            try:
                if await anyio.to_thread.run_sync(self.pending):
                    await anyio.to_thread.run_sync(self.reload)
            except ReloadFailed:
                pass  # logged by reload(); the old index keeps serving
            except Exception:
                log.exception("index watcher: unexpected error (the served index is unchanged)")
