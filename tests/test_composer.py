"""How the composer picks the document, the passage and the answer (fake embedder, small corpora)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.answer import question_pairs
from assistant.api import create_app
from assistant.embedding import FakeEmbedder
from assistant.settings import Settings
from conftest import ask, write_doc

FISH = (
    "白尾雀鲷，又称金尾雀鲷，为雀鲷科的其中一种。"
    "本鱼体呈椭圆形而侧扁，全身黄褐色，但尾鳍白色。"
    "本鱼分布于印度太平洋区，包括斯里兰卡、琉球群岛、台湾等海域。水深0.5至3公尺。"
)
OTHER_FISH = "黄鳍雀鲷为雀鲷科雀鲷属的鱼类。本鱼分布于西太平洋区，包括日本、台湾等海域。"
POET = "王沈，字处道，出生于太原晋阳，曹魏至西晋时期官员。"
# More documents, so that a word of one passage is not among the words most passages share.
OTHERS = ("广茂铁路是连接广州和茂名的铁路。", "锣鼓经是戏曲锣鼓演奏的曲谱。", "勉语是苗瑶语系瑶语支的语言。")


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    corpus = tmp_path / "corpus"
    write_doc(corpus, "fish", FISH, title="白尾雀鲷")
    write_doc(corpus, "other-fish", OTHER_FISH, title="黄鳍雀鲷")
    write_doc(corpus, "poet", POET, title="王沈")
    for n, text in enumerate(OTHERS):
        write_doc(corpus, f"other-{n}", text)
    # Small passages, so that the fish's range sits in a passage that does not name the fish; the fake
    # embedder's similarities mean little, so no support bar.
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", chunk_size=40, min_support=-1.0)
    with TestClient(create_app(settings, embedder=FakeEmbedder())) as c:
        yield c


def test_a_later_passage_answers_for_its_document_title(client: TestClient) -> None:
    body = ask(client, "白尾雀鲷分布在哪些海域？")
    assert body["answered"] is True, body["answer"]
    assert "印度太平洋区" in str(body["answer"])
    first = body["citations"][0]  # type: ignore[index]
    assert first["doc_id"] == "fish"
    assert "白尾雀鲷" not in first["text"]


def test_a_place_name_answers_a_where_from_question(client: TestClient) -> None:
    # "太原晋阳" has no place suffix (省, 市, 县...): it is a place by name, not by form.
    body = ask(client, "王沈出生在哪里？")
    assert body["answered"] is True, body["answer"]
    assert "太原晋阳" in str(body["answer"])


def test_question_pairs_are_the_pairs_of_its_content_words() -> None:
    assert question_pairs(["白尾雀", "海域", "nba"]) == {"白尾", "尾雀", "海域", "nba"}


ROBOT = "青少年机器人世界杯是国际性的机器人比赛活动，最早开始于日本。首届比赛于1998年在法国举办，此后每年一届。"


def robot_client(tmp_path: Path, **settings: object) -> TestClient:
    corpus = tmp_path / "corpus"
    write_doc(corpus, "robot", ROBOT, title="青少年机器人世界杯")
    for n, text in enumerate(OTHERS):
        write_doc(corpus, f"other-{n}", text)
    return TestClient(
        create_app(
            Settings(corpus_dir=corpus, index_dir=tmp_path / "index", min_support=-1.0, **settings),  # type: ignore[arg-type]
            embedder=FakeEmbedder(),
        )
    )


def test_a_detail_question_takes_the_clause_of_its_passage_that_gives_the_detail(tmp_path: Path) -> None:
    # The clause that restates the question ("最早开始于日本") gives no date; the next sentence does.
    question = "青少年机器人世界杯是从什么时候开始的？"
    with robot_client(tmp_path / "on", kind_elsewhere=True, answer_min_chars=0) as client:
        body = ask(client, question)
    assert body["answered"] is True, body["answer"]
    assert "1998年" in str(body["answer"])
    with robot_client(tmp_path / "off", kind_elsewhere=False, answer_min_chars=0) as client:
        body = ask(client, question)
    assert body["answered"] is False
    assert "没有公布具体时间" in str(body["answer"])


def test_a_short_answer_grows_by_the_next_sentence_of_its_passage(tmp_path: Path) -> None:
    question = "青少年机器人世界杯最早开始于哪里？"
    with robot_client(tmp_path / "short", answer_min_chars=0) as client:
        short = str(ask(client, question)["answer"])
    with robot_client(tmp_path / "long", answer_min_chars=60) as client:
        long = str(ask(client, question)["answer"])
    assert "日本" in short and "1998年" not in short
    assert long.startswith(short.removesuffix("[1]").rstrip("。"))
    assert "首届比赛于1998年在法国举办" in long
