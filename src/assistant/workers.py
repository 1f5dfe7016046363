"""``assistant serve --workers N``: each worker accepts on a listening socket of its own, all of them bound to
one port with SO_REUSEPORT, so that Linux spreads new connections across the workers by a hash of their
addresses.

With one socket shared by every worker (uvicorn's way), the worker already awake on its loop answering
questions accepts the next burst of connections while the idle one sleeps, keep-alive clients stay where
they landed, and two workers served one core's worth (docs/BENCHMARKS.md, sixth and seventh passes).

The supervisor binds the sockets and keeps them: a worker that dies is replaced on the same socket, so the
connections queued on it wait for the replacement instead of being reset.
"""

from __future__ import annotations

import logging
import socket

from uvicorn.config import STARTUP_FAILURE, Config
from uvicorn.supervisors.multiprocess import Multiprocess, Process

log = logging.getLogger("uvicorn.error")


def reuse_port_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host``:``port`` with SO_REUSEPORT, which other such sockets may share."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # Declared TCP, so that asyncio sets TCP_NODELAY on the connections it accepts (uvicorn#3149).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


class SocketPerWorker(Multiprocess):
    """uvicorn's worker supervisor, each worker (and its replacements) on a SO_REUSEPORT socket of its own.

    Restarting a dead worker, SIGHUP (replace all), SIGTTIN/SIGTTOU (one more, one fewer) and the graceful
    stop are uvicorn's; only which socket a worker gets differs.
    """

    def __init__(self, config: Config) -> None:
        super().__init__(config, sockets=[])
        self.slot_sockets: list[socket.socket] = []

    def _bind(self) -> socket.socket:
        # The first socket may be on port 0 (any free port); the others join the port it got.
        port = self.slot_sockets[0].getsockname()[1] if self.slot_sockets else self.config.port
        try:
            return reuse_port_socket(self.config.host, port)
        except OSError as exc:
            log.error("cannot listen on %s:%d: %s", self.config.host, port, exc)
            raise SystemExit(STARTUP_FAILURE) from exc

    def _start(self, slot: int) -> Process:
        process = Process(self.config, [self.slot_sockets[slot]])
        process.start()
        return process

    def init_processes(self) -> None:
        """Bind one socket per worker, then start the workers."""
        self.slot_sockets = [self._bind() for _ in range(self.processes_num)]
        host, port = self.slot_sockets[0].getsockname()[:2]
        log.info("Uvicorn running on http://%s:%d, %d sockets (SO_REUSEPORT)", host, port, self.processes_num)
        self.processes = [self._start(slot) for slot in range(self.processes_num)]

    def keep_subprocess_alive(self) -> None:
        """Replace a dead or hung worker by a new one on its socket (uvicorn's rules otherwise)."""
        if self.should_exit.is_set():
            return
        for slot, process in enumerate(self.processes):
            if process.is_alive(timeout=self.config.timeout_worker_healthcheck):
                continue
            process.kill()
            process.join()
            if process.exitcode == STARTUP_FAILURE:
                # It failed before serving: the app or its settings are broken, and a restart would fail alike.
                log.error("Child process [%s] failed to start, stopping the parent process.", process.pid)
                self.should_exit.set()
                return
            if self.should_exit.is_set():
                return
            log.info("Child process [%s] died", process.pid)
            self.processes[slot] = self._start(slot)

    def restart_all(self) -> None:
        """Replace each worker, its replacement serving on its socket before the old one stops."""
        for slot, old in enumerate(self.processes):
            if self.should_exit.is_set():
                return
            new = self._start(slot)
            if not new.wait_until_ready(self.config.timeout_worker_healthcheck, self.should_exit):
                new.kill()
                new.join()
                if not self.should_exit.is_set():
                    log.error("New child process [%s] was not ready in time; keeping [%s].", new.pid, old.pid)
                return
            old.terminate()
            old.join()
            self.processes[slot] = new

    def handle_ttin(self) -> None:
        """One more worker, on a new socket."""
        log.info("Received SIGTTIN, increasing the number of processes.")
        self.processes_num += 1
        self.slot_sockets.append(self._bind())
        self.processes.append(self._start(len(self.processes)))

    def handle_ttou(self) -> None:
        """One worker fewer, its socket closed once it has stopped."""
        log.info("Received SIGTTOU, decreasing the number of processes.")
        if self.processes_num <= 1:
            log.info("Already reached one process, cannot decrease the number of processes anymore.")
            return
        self.processes_num -= 1
        process = self.processes.pop()
        process.terminate()
        process.join()
        self.slot_sockets.pop().close()

    def run(self) -> None:
        """Supervise until told to stop, then close the sockets."""
        try:
            super().run()
        finally:
            for sock in self.slot_sockets:
                sock.close()
