"""The ``assistant`` command, driven through click's CliRunner with settings from the environment."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.cli import cli
from assistant.corpus import load_corpus
from assistant.embedding import FakeEmbedder
from assistant.errors import IndexUnavailable
from assistant.settings import Settings
from conftest import write_doc
from test_api import ASK_KEYS

METRIC_KEYS = {
    "n",
    "hit@1",
    "hit@3",
    "mrr",
    "answer_acc",
    "false_abstain",
    "abstain_acc",
    "unstated_acc",
    "answer_precision",
    "clean_answers",
}
QUESTION_SET = [
    {
        "id": "c1",
        "question": "东关街道要新建几处老年食堂？",
        "answerable": True,
        "evidence": ["新建4处社区老年食堂"],
        "must": ["4"],
        "topic": "eldercare",
    },
    {"id": "c2", "question": "怎么办理护照？", "answerable": False, "evidence": [], "must": [], "topic": "none"},
]


@pytest.fixture
def runner(settings: Settings) -> CliRunner:
    """A runner whose environment points the assistant at the small corpus and a fresh index folder."""
    return CliRunner(
        env={"ASSISTANT_CORPUS_DIR": str(settings.corpus_dir), "ASSISTANT_INDEX_DIR": str(settings.index_dir)}
    )


@pytest.fixture
def fake_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every command loads the fake embedder instead of the real model, as ASSISTANT_MODEL=fake asks."""
    monkeypatch.setenv("ASSISTANT_MODEL", FakeEmbedder.name)


def question_file(tmp_path: Path) -> Path:
    path = tmp_path / "set.jsonl"
    path.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in QUESTION_SET), encoding="utf-8")
    return path


@pytest.mark.usefixtures("fake_model")
def test_index_reports_documents_and_skipped_files(runner: CliRunner, settings: Settings) -> None:
    bad = settings.corpus_dir / "legacy.txt"
    bad.write_bytes("旧通知。".encode("gbk"))
    result = runner.invoke(cli, ["index"])
    assert result.exit_code == 0, result.output
    assert "indexed 3 documents" in result.stdout
    assert "1 files skipped" in result.stdout
    assert f"skipped: {bad}" in result.stderr
    assert (settings.index_dir / "CURRENT").is_file()


@pytest.mark.usefixtures("fake_model")
def test_eval_prints_key_value_metrics_on_its_last_line(runner: CliRunner, tmp_path: Path) -> None:
    assert runner.invoke(cli, ["index"]).exit_code == 0
    result = runner.invoke(cli, ["eval", str(question_file(tmp_path))])
    assert result.exit_code == 0, result.output

    last = result.stdout.strip().splitlines()[-1]
    figures = dict(pair.split("=", 1) for pair in last.split())
    assert set(figures) >= METRIC_KEYS
    assert all(float(value) >= 0 for value in figures.values())
    assert int(figures["n"]) == len(QUESTION_SET)
    assert int(figures["bad_offsets"]) == 0


@pytest.mark.usefixtures("fake_model")
def test_eval_json_holds_metrics_and_one_result_per_question(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["eval", "--json", str(question_file(tmp_path))])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report["metrics"]) >= METRIC_KEYS
    assert [r["id"] for r in report["results"]] == [q["id"] for q in QUESTION_SET]
    # Precision is given for correct answers only.
    assert all((r["answer_precision"] is None) == (not r["answer_ok"]) for r in report["results"])


@pytest.mark.usefixtures("fake_model")
def test_ask_prints_the_answer_and_its_citations(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["ask", "东关街道要新建几处老年食堂？"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "[1]" in lines[0]
    assert any(line.startswith("[1] 东关街道居家养老服务方案 (2024-03-15) eldercare:") for line in lines)


@pytest.mark.usefixtures("fake_model")
def test_ask_without_an_index_fails_when_auto_index_is_off(runner: CliRunner, settings: Settings) -> None:
    result = runner.invoke(cli, ["ask", "东关街道要新建几处老年食堂？"], env={"ASSISTANT_AUTO_INDEX": "false"})
    assert isinstance(result.exception, IndexUnavailable)
    assert not settings.index_dir.exists()


def test_ask_rejects_top_k_out_of_range(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["ask", "养老", "--top-k", "11"])
    assert result.exit_code == 2
    assert "--top-k" in result.output


@pytest.mark.quality
def test_index_then_ask_json_with_the_real_model(runner: CliRunner, settings: Settings) -> None:
    write_doc(settings.corpus_dir, "transport", "东关街道新开通两条社区公交线路，方便居民出行。\n")
    indexed = runner.invoke(cli, ["index"])
    assert indexed.exit_code == 0, indexed.output
    assert "indexed 4 documents" in indexed.stdout

    result = runner.invoke(cli, ["ask", "东关街道要新建几处老年食堂？", "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert set(body) == ASK_KEYS
    assert body["answered"] is True and body["reason"] == "answered"
    assert "4" in body["answer"]
    texts = {d.doc_id: d.text for d in load_corpus(settings.corpus_dir)[0]}
    assert body["citations"]
    for citation in body["citations"]:
        assert texts[citation["doc_id"]][citation["start"] : citation["end"]] == citation["text"]


@pytest.mark.usefixtures("fake_model")
def test_eval_reads_the_corpus_and_index_given_on_the_command_line(
    runner: CliRunner, settings: Settings, tmp_path: Path
) -> None:
    """A second corpus is indexed and scored in its own folders; the default index stays untouched."""
    other = tmp_path / "other"
    write_doc(
        other / "corpus", "canteens", "东关街道将新建4处社区老年食堂，为辐区老人提供助餐服务。\n", title="老年食堂"
    )
    folders = ["--corpus", str(other / "corpus"), "--index", str(other / "index")]
    assert runner.invoke(cli, ["index", *folders]).exit_code == 0
    # The fake embedder's similarities mean little, so no support bar.
    result = runner.invoke(
        cli, ["eval", "--json", str(question_file(tmp_path)), *folders], env={"ASSISTANT_MIN_SUPPORT": "-1"}
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert {c["doc_id"] for r in report["results"] for c in r["citations"]} == {"canteens"}
    assert all("latency_ms" in r for r in report["results"])
    assert not settings.index_dir.exists()


@pytest.mark.usefixtures("fake_model")
def test_ask_explain_shows_the_candidates_their_features_and_the_decision(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["ask", "--explain", "东关街道要新建几处老年食堂？"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("question: language zh; words ") and "食堂" in lines[0]
    assert lines[1].startswith("asks for: how_many")
    assert any("eldercare:" in line and "老年食堂" in line for line in lines)
    assert any(line.startswith("decision: answered") for line in lines)
    assert lines[-1].startswith("reply: ") and "4处" in lines[-1]


@pytest.mark.usefixtures("fake_model")
def test_ask_explain_shows_the_services_own_decline_and_the_reply_it_sends(runner: CliRunner, tmp_path: Path) -> None:
    """The engine answers, the service's test of the answering notice declines: --explain says so and shows the
    reply `ask` sends, not the engine's."""
    corpus = tmp_path / "corpus"
    body = "科创产业园一期建设进展\n科创产业园一期已经完成主体施工，预计明年投入使用。园区规划入驻企业60家。\n"
    write_doc(corpus, "park", body, title="科创产业园一期建设进展", published="2024-05-10")
    folders = ["--corpus", str(corpus), "--index", str(tmp_path / "index")]
    assert runner.invoke(cli, ["index", *folders]).exit_code == 0
    question = "科创产业园一期有停车场吗？"
    explained = runner.invoke(cli, ["ask", "--explain", question, *folders])
    plain = runner.invoke(cli, ["ask", question, *folders])
    assert explained.exit_code == 0 and plain.exit_code == 0, explained.output + plain.output
    lines = explained.output.splitlines()
    assert any(line.startswith("then declined: ") and "停车场" in line for line in lines)
    assert lines[-1] == "reply: " + plain.output.splitlines()[0]
    # A thing the notice names: nothing overrides the engine.
    named = runner.invoke(cli, ["ask", "--explain", "科创产业园一期规划入驻多少家企业？", *folders])
    assert not any(line.startswith("then declined: ") for line in named.output.splitlines())
