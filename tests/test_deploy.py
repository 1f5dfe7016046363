"""The reference deployment of deploy/, on this machine: two app processes started as the systemd unit says,
nginx with the site file, PostgreSQL and Redis. `make test-deploy` runs it (`pytest --deploy`); plain
`pytest` skips it.

Only ports and paths are changed from the files: the app processes listen on free ports instead of 8001
and 8002, nginx on a free port instead of 80, the code is this checkout instead of /opt/assistant, and
the model is the fake one (the deployment is under test here, not the answers).
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from conftest import ROOT, write_corpus, write_doc
from services import PostgresServer, RedisServer, free_port, postgres_server, redis_server, wait_for_port
from test_ops import metric

pytestmark = [pytest.mark.deploy, pytest.mark.integration]

DEPLOY = ROOT / "deploy"
UNIT = DEPLOY / "systemd" / "assistant@.service"
ENV_FILE = DEPLOY / "assistant.env"
SITE = DEPLOY / "nginx" / "assistant.conf"
INSTALL_DIR = "/opt/assistant"
RATE = 10
READY_TIMEOUT_SECONDS = 60.0
LOAD_THREADS = 4
LOAD_ADDRESSES_EACH = 15
LOAD_REQUESTS_EACH = 40
KILL_AFTER = 40
QUESTION = "街道要新建几处老年食堂？"


def unit_command(port: int) -> list[str]:
    """The unit's ExecStart for instance ``port``, run from this checkout."""
    [line] = [ln for ln in UNIT.read_text().splitlines() if ln.startswith("ExecStart=")]
    command = line.removeprefix("ExecStart=").replace("%i", str(port)).replace(INSTALL_DIR, str(ROOT))
    return shlex.split(command)


def env_file() -> dict[str, str]:
    """The settings of deploy/assistant.env."""
    pairs = [ln.split("=", 1) for ln in ENV_FILE.read_text().splitlines() if ln and not ln.startswith("#")]
    return {key: value for key, value in pairs}


def nginx_site(upstreams: list[int], listen: int) -> str:
    """The site file with the test's ports in place of 8001, 8002 and 80."""
    site = SITE.read_text()
    for default, port in zip((8001, 8002), upstreams, strict=True):
        site = site.replace(f"127.0.0.1:{default} ", f"127.0.0.1:{port} ")
    site, replaced = re.subn(r"listen 80;", f"listen 127.0.0.1:{listen};", site)
    assert replaced == 1
    return site


NGINX_MAIN = """worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 512; }}
http {{
    access_log {folder}/access.log;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/assistant.conf;
}}
"""


@dataclass
class Deployment:
    """The running pieces: the app processes by port, nginx's address, the database, the settings they share."""

    apps: dict[int, subprocess.Popen[bytes]]
    url: str
    database_url: str
    env: dict[str, str]
    index_dir: Path
    corpus_dir: Path
    nginx_log: Path

    def scrape(self, port: int) -> str:
        """One app process's own /metrics, with the metrics token of the env file."""
        token = self.env["ASSISTANT_METRICS_TOKEN"]
        reply = httpx.get(f"http://127.0.0.1:{port}/metrics", headers={"Authorization": f"Bearer {token}"})
        reply.raise_for_status()
        return reply.text

    def served_build(self, port: int) -> str:
        """The index build one app process serves."""
        build: str = httpx.get(f"http://127.0.0.1:{port}/readyz").json()["build"]
        return build


def client_from(address: str) -> httpx.Client:
    """A client whose requests come from ``address`` (any 127.x.y.z): nginx sees it as the client address."""
    return httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=30.0)


def wait_until(condition: str, check: object, timeout: float = READY_TIMEOUT_SECONDS) -> None:
    """Poll ``check()`` (another process's state: there is no event to wait on) until true, or fail naming it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            if check():  # type: ignore[operator]
                return
        time.sleep(0.1)
    raise AssertionError(f"not within {timeout:g} s: {condition}")


def run_cli(args: list[str], env: dict[str, str]) -> str:
    """Run the `assistant` command with the deployment's environment; its output."""
    done = subprocess.run([str(ROOT / ".venv" / "bin" / "assistant"), *args], env=env, cwd=ROOT, capture_output=True)
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout.decode()


@contextlib.contextmanager
def nginx(upstreams: list[int]) -> Iterator[tuple[str, Path]]:
    """nginx with the site file on a free port; its base URL and its error log."""
    folder = Path(tempfile.mkdtemp(prefix="assistant-nginx-"))
    folder.chmod(0o755)  # the worker processes run unprivileged
    listen = free_port()
    (folder / "assistant.conf").write_text(nginx_site(upstreams, listen))
    (folder / "nginx.conf").write_text(NGINX_MAIN.format(folder=folder))
    command = ["/usr/sbin/nginx", "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(listen, process)
        yield f"http://127.0.0.1:{listen}", folder / "error.log"
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    """PostgreSQL and Redis, the schema migrated, an index built, two app processes and nginx in front."""
    if not Path("/usr/sbin/nginx").exists():
        pytest.fail("nginx is not installed (Debian package nginx; `.ci/run` installs it)")
    root = tmp_path_factory.mktemp("deploy")
    corpus, index = write_corpus(root / "corpus"), root / "index"
    with contextlib.ExitStack() as stack:
        pg: PostgresServer = stack.enter_context(postgres_server())
        redis: RedisServer = stack.enter_context(redis_server())
        database_url = pg.url(pg.create_database())
        env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
        env |= env_file()
        env |= {
            "ASSISTANT_CORPUS_DIR": str(corpus),
            "ASSISTANT_INDEX_DIR": str(index),
            "ASSISTANT_DATABASE_URL": database_url,
            "ASSISTANT_REDIS_URL": redis.url,
            "ASSISTANT_MODEL": "fake",
            "ASSISTANT_RATE_LIMIT": f"{RATE}/minute",
            "ASSISTANT_INDEX_WATCH_SECONDS": "0.5",
        }
        # The steps of deploy/README.md: migrate, build and publish the index, then start the processes.
        run_cli(["db", "upgrade"], env)
        run_cli(["index"], env)
        ports = [free_port(), free_port()]
        apps: dict[int, subprocess.Popen[bytes]] = {}
        logs = root / "logs"
        logs.mkdir()
        for port in ports:
            log = stack.enter_context((logs / f"{port}.log").open("wb"))
            apps[port] = subprocess.Popen(unit_command(port), env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
            stack.callback(stop, apps[port])
        for port in ports:
            wait_until(f"app process {port} ready", lambda p=port: httpx.get(f"http://127.0.0.1:{p}/readyz").is_success)
        url, nginx_log = stack.enter_context(nginx(ports))
        yield Deployment(apps, url, database_url, env, index, corpus, nginx_log)


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop an app process as systemd would (SIGTERM), if it is still running."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def test_requests_reach_both_processes(deployment: Deployment) -> None:
    with client_from("127.0.1.1") as client:
        statuses = [client.get(f"{deployment.url}/api/documents").status_code for _ in range(6)]
    assert statuses == [200] * 6
    served = {
        port: metric(
            deployment.scrape(port), "assistant_http_requests_total", method="GET", route="/api/documents", status="200"
        )
        for port in deployment.apps
    }
    assert sorted(served.values()) == [3.0, 3.0], served


def test_the_rate_limit_holds_across_both_processes(deployment: Deployment) -> None:
    with client_from("127.0.1.2") as client:
        statuses = [
            client.post(f"{deployment.url}/api/ask", json={"question": QUESTION}).status_code for _ in range(16)
        ]
    texts = [deployment.scrape(port) for port in deployment.apps]
    assert statuses == [200] * RATE + [429] * (16 - RATE)
    assert sum(metric(t, "assistant_rate_limited_total") for t in texts) == 16 - RATE
    assert all(metric(t, "assistant_rate_limited_total") > 0 for t in texts)  # both refused, from one budget
    assert all(metric(t, "assistant_rate_limit_errors_total") == 0 for t in texts)


def test_votes_through_both_processes_land_in_one_database(deployment: Deployment) -> None:
    with client_from("127.0.1.3") as client:
        ids = [client.post(f"{deployment.url}/api/ask", json={"question": QUESTION}).json()["id"] for _ in range(4)]
        votes = [
            client.post(f"{deployment.url}/api/feedback", json={"id": i, "helpful": n % 2 == 0}).status_code
            for n, i in enumerate(ids)
        ]
    assert votes == [204] * 4
    engine = create_engine(deployment.database_url)
    with engine.connect() as conn:
        stored = conn.execute(
            text("SELECT q.id, v.helpful FROM questions q JOIN votes v ON v.question_id = q.id")
        ).all()
    engine.dispose()
    assert {(i, n % 2 == 0) for n, i in enumerate(ids)} <= set(stored)
    feedback = [
        metric(
            deployment.scrape(p), "assistant_http_requests_total", method="POST", route="/api/feedback", status="204"
        )
        for p in deployment.apps
    ]
    assert all(count >= 1 for count in feedback), feedback


def test_a_new_index_build_reaches_both_processes(deployment: Deployment) -> None:
    write_doc(
        deployment.corpus_dir, "library", "东关街道今年新建社区图书馆3处，周末全天开放。\n", title="社区图书馆建设"
    )
    run_cli(["index"], deployment.env)
    new = (deployment.index_dir / "CURRENT").read_text().strip()
    for port in deployment.apps:
        wait_until(f"process {port} serves build {new}", lambda p=port: deployment.served_build(p) == new)
    with client_from("127.0.1.4") as client:
        replies = [
            client.post(f"{deployment.url}/api/ask", json={"question": "社区图书馆新建几处？"}).json() for _ in range(2)
        ]
    assert all(reply["citations"][0]["doc_id"] == "library" for reply in replies), replies


def test_killing_one_process_under_load_loses_no_request(deployment: Deployment) -> None:
    victim, survivor = list(deployment.apps)
    asked = {"method": "POST", "route": "/api/ask", "status": "200"}
    # A counter with no series yet stands at 0 (the survivor may not have answered a question so far).
    try:
        answered_before = metric(deployment.scrape(survivor), "assistant_http_requests_total", **asked)
    except AssertionError:
        answered_before = 0.0
    statuses: list[int] = []
    # Replies the kill cut after nginx had relayed their headers: nginx cannot send those on (the resident's
    # client sees a broken reply and may ask again); every other request must be answered.
    cut: list[str] = []
    lock = threading.Lock()
    enough = threading.Event()

    def load(thread: int) -> None:
        clients = [client_from(f"127.0.{10 + thread}.{n + 1}") for n in range(LOAD_ADDRESSES_EACH)]
        try:
            for n in range(LOAD_REQUESTS_EACH):
                try:
                    reply = clients[n % len(clients)].post(f"{deployment.url}/api/ask", json={"question": QUESTION})
                except httpx.RemoteProtocolError as error:
                    with lock:
                        cut.append(str(error))
                    continue
                with lock:
                    statuses.append(reply.status_code)
                    if len(statuses) >= KILL_AFTER:
                        enough.set()
        finally:
            for client in clients:
                client.close()

    threads = [threading.Thread(target=load, args=(t,)) for t in range(LOAD_THREADS)]
    for thread in threads:
        thread.start()
    assert enough.wait(READY_TIMEOUT_SECONDS)
    deployment.apps[victim].send_signal(signal.SIGKILL)
    for thread in threads:
        thread.join()

    assert deployment.apps[victim].wait(timeout=10) == -signal.SIGKILL
    # At most the one request each load thread had in flight when the victim died, and only if its reply had begun.
    assert len(cut) <= LOAD_THREADS, cut
    assert all("incomplete" in c or "without sending complete" in c for c in cut), cut
    assert len(statuses) + len(cut) == LOAD_THREADS * LOAD_REQUESTS_EACH
    assert set(statuses) == {200}, {s: statuses.count(s) for s in set(statuses)}
    answered_after = metric(deployment.scrape(survivor), "assistant_http_requests_total", **asked)
    assert answered_after - answered_before > LOAD_THREADS * LOAD_REQUESTS_EACH / 2  # it took over the victim's share
    # nginx saw the victim fail (mid-request, or refusing connections) and sent those requests on.
    failures = [ln for ln in deployment.nginx_log.read_text().splitlines() if "upstream" in ln and "[error]" in ln]
    assert failures, "nginx logged no failed upstream: the kill was not under load"
