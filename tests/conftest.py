"""Shared fixtures: a document factory, a small corpus, the fake embedder and a client."""

from __future__ import annotations

import io
import json
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.answer.model import LinearModel
from assistant.answer.question import Question
from assistant.answer.rank import Weights
from assistant.answer.span import AnswerSpan, Candidate, clause_rows
from assistant.api import create_app
from assistant.embedding import FakeEmbedder
from assistant.logs import JsonFormatter, RequestIdFilter
from assistant.service import Assistant
from assistant.settings import Settings
from services import PostgresServer, RedisServer, postgres_server, redis_server

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DOCS_CORPUS = ROOT / "docs_corpus"
SEED_ID = "000_4930f4d62478426e"


# A test with none of these marks is a unit test: in-process, the fake model, fast.
NOT_UNIT = ("quality", "browser", "integration", "slow", "deploy")


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--deploy``: run the deployment test (``make test-deploy``), which plain runs skip."""
    parser.addoption("--deploy", action="store_true", help="run tests/test_deploy.py (make test-deploy)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that is none of the slower kinds as ``unit`` (what ``make test-fast`` runs)."""
    deploy = config.getoption("--deploy")
    for item in items:
        if not any(item.get_closest_marker(name) for name in NOT_UNIT):
            item.add_marker(pytest.mark.unit)
        if item.get_closest_marker("deploy") and not deploy:
            item.add_marker(pytest.mark.skip(reason="the deployment test runs with --deploy (make test-deploy)"))


def require_shared() -> Path:
    """The shared data folder; skips the calling test when it is absent."""
    if not SHARED.is_dir():
        pytest.skip(f"../shared is absent: {SHARED} holds the eval set and the seed article")
    return SHARED


def write_doc(
    corpus_dir: Path,
    doc_id: str,
    body: str,
    title: str | None = None,
    published: str | None = None,
    source: str | None = None,
) -> Path:
    """Write ``<doc_id>.txt`` into ``corpus_dir``, with front matter for the metadata given."""
    meta = {"title": title, "published": published, "source": source}
    lines = [f"{key}: {value}" for key, value in meta.items() if value is not None]
    front = "---\n" + "".join(line + "\n" for line in lines) + "---\n" if lines else ""
    corpus_dir.mkdir(parents=True, exist_ok=True)
    path = corpus_dir / f"{doc_id}.txt"
    path.write_text(front + body, encoding="utf-8")
    return path


def open_dated(tmp_path: Path, doc_id: str, body: str, title: str, published: str, declared: bool) -> Assistant:
    """The service (fake embedder) over one document whose date (YYYY-MM-DD) is declared in front matter or, as an
    encyclopaedia page's is, only read from its first line: such a page is no notice."""
    corpus = tmp_path / "corpus"
    if declared:
        write_doc(corpus, doc_id, body, title=title, published=published)
    else:
        year, month, day = (int(part) for part in published.split("-"))
        write_doc(corpus, doc_id, f"{year}年{month}月{day}日\n{body}", title=title)
    assistant = Assistant.open(Settings(corpus_dir=corpus, index_dir=tmp_path / "index"), FakeEmbedder())
    document = assistant.index.documents[doc_id]
    assert document.published is not None and document.declared is declared
    return assistant


@dataclass(frozen=True)
class Chosen:
    """A clause's sentence taken as the chosen answer span, with what a span repair (``span.typed`` and its
    siblings) is given besides: the analysed question, its weights, the document's passages, the clause model."""

    question: Question
    weights: Weights
    span: AnswerSpan
    others: list[Candidate]
    model: LinearModel


def chosen(found: Assistant, question: str, said: str) -> Chosen:
    """The sentence of the first clause holding ``said``, among the question's span candidates, as the chosen span."""
    retrieval = found.retriever.retrieve(question)
    trace = found.engine.trace(question, retrieval, 3)
    model = found.engine.model.span
    for candidate in found.engine.span_candidates(trace.ranked, retrieval):
        for index, row in enumerate(clause_rows(trace.question, trace.weights, candidate)):
            piece = candidate.found[index]
            if said in piece.clause.text:
                chunk = candidate.passage.chunk
                span = AnswerSpan(
                    chunk.doc_id,
                    chunk.chunk_id,
                    (piece.sentence,),
                    row,
                    model.margin(row),
                    candidate.dated,
                    candidate.title,
                    candidate.declared,
                )
                others = found.engine.document_candidates(trace.ranked, span, retrieval)
                return Chosen(trace.question, trace.weights, span, others, model)
    raise AssertionError(f"no clause holds {said}")


ELDERCARE = (
    "东关街道将新建4处社区老年食堂，为辖区老人提供助餐服务。\n"
    "街道计划在年底前建成6个日间照料中心，重点照顾失能和独居老人。\n"
    "助浴、助洁等上门服务由专业机构承担，困难老人可以申请补贴。\n"
)
JOBS = (
    "  东关街道春季招聘活动启动 \n"
    "阅读 · 发布日期 2024-02-20 09:30 · 来源：东关街道人社所\n"
    "街道联合辖区企业开展春季招聘会，提供岗位800余个。\n"
    "招聘会设置技能培训咨询台，帮助求职者了解免费培训课程。\n"
    "高校毕业生可以通过线上平台投递简历，也可以到现场面试。\n"
)
PROJECTS = (
    "东关片区今年共有12个重点项目，总投资约45亿元。\n"
    "其中新开工项目5个，续建项目7个。\n"
    "科创产业园一期已经完成主体施工，预计明年投入使用。\n"
)


def write_corpus(folder: Path) -> Path:
    """A small Chinese corpus: eldercare and projects with front matter, jobs with a noisy header."""
    write_doc(folder, "eldercare", ELDERCARE, title="东关街道居家养老服务方案", published="2024-03-15")
    write_doc(folder, "jobs", JOBS)
    write_doc(folder, "projects", PROJECTS, title="东关片区重点项目进展", source="区发展改革局")
    return folder


def _test_environment(patch: pytest.MonkeyPatch, baseline: dict[str, str]) -> None:
    """Remove every ``ASSISTANT_*`` variable but ``baseline``'s, set those, and stop Settings reading ``.env``."""
    for name in [n for n in os.environ if n.startswith("ASSISTANT_") and n not in baseline]:
        patch.delenv(name)
    for name, value in baseline.items():
        patch.setenv(name, value)
    patch.setitem(Settings.model_config, "env_file", None)


@pytest.fixture(autouse=True, scope="session")
def _session_environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The settings environment of every test: what an exported variable or a .env file says never counts."""
    baseline = {
        # Questions that tests ask go to a throw-away database, never to var/ in the working directory.
        "ASSISTANT_DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('feedback') / 'feedback.db'}",
        # Tests send many questions from one client; the rate limit is off unless a test sets one itself.
        "ASSISTANT_RATE_LIMIT": "off",
    }
    with pytest.MonkeyPatch.context() as patch:
        _test_environment(patch, baseline)
        yield baseline


@pytest.fixture(autouse=True)
def _clean_environment(_session_environment: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The same again before each test, in case an earlier one changed ``os.environ`` without monkeypatch."""
    _test_environment(monkeypatch, _session_environment)


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "corpus")


@pytest.fixture
def settings(tmp_path: Path, corpus_dir: Path) -> Settings:
    """Settings over the small corpus, with the index in a temporary folder."""
    return Settings(corpus_dir=corpus_dir, index_dir=tmp_path / "index")


@pytest.fixture
def embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """The API over the small corpus; entering the lifespan builds the index (auto_index)."""
    with TestClient(create_app(settings, embedder=FakeEmbedder())) as c:
        yield c


@pytest.fixture(scope="module")
def module_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """One client over the small corpus for a whole module, for property tests that ask many questions."""
    root = tmp_path_factory.mktemp("module")
    config = Settings(corpus_dir=write_corpus(root / "corpus"), index_dir=root / "index", rate_limit="off")
    with TestClient(create_app(config, embedder=FakeEmbedder())) as c:
        yield c


def ask(client: TestClient, question: str, top_k: int = 3) -> dict[str, Any]:
    """POST a question with ``top_k`` citations wanted; the reply must be a 200, and its body is returned."""
    reply = client.post("/api/ask", json={"question": question, "top_k": top_k})
    assert reply.status_code == 200, reply.text
    body: dict[str, Any] = reply.json()
    return body


@pytest.fixture(scope="session")
def playwright() -> Iterator[Any]:
    """One Playwright for the whole session: its sync API cannot start twice in one process at a time."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """What the assistant logs while the test runs, as the server writes it: JSON lines with request ids."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("assistant")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield stream
    logger.removeHandler(handler)
    logger.setLevel(level)


def log_entries(stream: io.StringIO, logger: str) -> list[dict[str, Any]]:
    """The JSON log entries of one logger."""
    return [e for e in map(json.loads, stream.getvalue().splitlines()) if e["logger"] == logger]


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """One throwaway PostgreSQL server for the whole session (tests take a new database each)."""
    with postgres_server() as server:
        yield server


@pytest.fixture(scope="session")
def redis() -> Iterator[RedisServer]:
    """One throwaway Redis server for the whole session (tests flush it or use keys of their own)."""
    with redis_server() as server:
        yield server


NewDatabase = Callable[[], str]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)])
def new_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[NewDatabase]:
    """Makes empty feedback databases of one backend and returns their URLs; the tests run once per backend."""
    made: list[str] = []
    server: PostgresServer | None = request.getfixturevalue("postgres") if request.param == "postgresql" else None

    def make() -> str:
        if server is None:
            url = f"sqlite:///{tmp_path / f'db{len(made)}' / 'feedback.db'}"
            made.append(url)
            return url
        made.append(server.create_database())
        return server.url(made[-1])

    yield make
    if server is not None:
        for name in made:
            server.drop_database(name)


@pytest.fixture
def database_url(new_database: NewDatabase) -> str:
    """An empty feedback database, SQLite or PostgreSQL (the test runs once with each)."""
    return new_database()
