"""The content-gap report with the real model on the real corpus: paraphrases of one gap form one group."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from pydantic import SecretStr

from assistant.api import create_app
from assistant.cli import cli
from assistant.embedding import Embedder, load_embedder
from assistant.report import Report, load_topics
from assistant.settings import Settings
from conftest import DOCS_CORPUS, ROOT

pytestmark = pytest.mark.quality

TOKEN = "a-token-for-the-quality-test"
# Ways of asking about a metro in Kuiwen, which the documents never mention.
METRO = [
    "奎文区什么时候通地铁？",
    "潍坊地铁几号线经过奎文？",
    "地铁站会建在奎文哪里？",
    "坐地铁去奎文方便吗？",
    "When will the metro reach Kuiwen?",
    "奎文區什麼時候通地鐵？",  # the first one in Traditional characters: the same wording
]
# Other questions the documents don't answer, some about transport too.
UNRELATED = [
    "奎文区的房价现在是多少？",
    "明天奎文区天气怎么样？",
    "孩子上小学怎么划分学区？",
    "医保报销比例是多少？",
    "去哪里办理身份证？",
    "奎文区公交车几点停运？",
    "潍坊高铁站怎么走？",
    "社保卡丢了怎么补办？",
    "公积金怎么提取？",
]


@pytest.fixture(scope="module")
def real_embedder() -> Embedder:
    return load_embedder(Settings())


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('feedback') / 'feedback.db'}"


@pytest.fixture(scope="module")
def session(real_embedder: Embedder, database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The real corpus after residents (a client address each) asked the questions above."""
    settings = Settings(
        corpus_dir=DOCS_CORPUS,
        index_dir=tmp_path_factory.mktemp("index"),
        database_url=database,
        admin_token=SecretStr(TOKEN),
        topics_file=ROOT / "config" / "topics.json",
    )
    app = create_app(settings, embedder=real_embedder)
    with TestClient(app) as client:
        for n, question in enumerate(METRO + UNRELATED):
            # Not entered: the resident's client shares the app (and its state) the outer client started.
            resident = TestClient(app, client=(f"192.0.2.{n}", 5000))
            body = resident.post("/api/ask", json={"question": question}).json()
            assert body["answered"] is False, f"the corpus now answers {question!r}: pick another unanswered question"
        yield client


def test_paraphrases_of_an_unanswered_question_form_one_group(session: TestClient) -> None:
    reply = session.get("/api/admin/report", headers={"Authorization": f"Bearer {TOKEN}"})
    assert reply.status_code == 200
    report = Report.model_validate(reply.json())

    assert (report.questions, report.answered) == (len(METRO) + len(UNRELATED), 0)
    [metro] = [g for g in report.unanswered if METRO[0] in g.wordings]
    assert sorted(metro.wordings) == sorted(METRO[:-1])
    assert (metro.asked, metro.askers) == (len(METRO), len(METRO))
    assert report.unanswered[0] == metro  # the most asked gap comes first
    transport = next(t.name for t in load_topics(ROOT / "config" / "topics.json").topics if "地铁" in t.keywords)
    assert metro.topic == transport
    # No unrelated question joined it, and each of them is still reported.
    others = {w for g in report.unanswered if g is not metro for w in g.wordings}
    assert others == set(UNRELATED)


def test_the_report_command_prints_each_format(
    session: TestClient, database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", database)
    monkeypatch.setenv("ASSISTANT_TOPICS_FILE", str(ROOT / "config" / "topics.json"))
    runner = CliRunner()
    outputs = {}
    for fmt in ("text", "json", "csv"):
        result = runner.invoke(cli, ["report", "--format", fmt])
        assert result.exit_code == 0, result.output
        outputs[fmt] = result.stdout

    report = Report.model_validate(json.loads(outputs["json"]))
    assert report.questions == len(METRO) + len(UNRELATED)
    assert f"{report.unanswered[0].question}  [{report.unanswered[0].topic}] asked {len(METRO)}×" in outputs["text"]
    first_table = list(csv.reader(io.StringIO(outputs["csv"].split("\n\n")[0])))
    assert first_table[1][0] == report.unanswered[0].question

    future = runner.invoke(cli, ["report", "--since", "2999-01-01", "--format", "json"])
    assert json.loads(future.stdout)["questions"] == 0
    bad = runner.invoke(cli, ["report", "--since", "yesterday"])
    assert bad.exit_code == 2 and "--since" in bad.output
