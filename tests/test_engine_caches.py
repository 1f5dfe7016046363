"""The engine's per-view and per-document shortcuts (issue 14's engine CPU) give what the direct path gives."""

from __future__ import annotations

import random
from pathlib import Path

from assistant.answer.model import LinearModel
from assistant.answer.passages import MATCH_MEMO, TextView, probe
from assistant.answer.question import analyse
from assistant.answer.rank import rank, term_weights
from assistant.embedding import FakeEmbedder
from assistant.index import LexicalIndex
from assistant.service import Assistant
from assistant.settings import Settings
from assistant.text import fold, words
from conftest import write_doc

TEXT = (
    "潍州路街道深化居家养老服务体系建设，增建3处社区食堂，配套建设15至20处嵌入式养老服务驿站。"
    "北海路街道打造文化产业，以新华新阅广场为载体，打造学习、教育、培训、课外拓展等文化产业。"
)
# Words from elsewhere, most of them absent from TEXT: each is tried as a synonym, a sound and a part.
OTHER = (
    "东关街道计划新建3处社区食堂，为辖区老人提供助餐服务。食堂每天11:00至13:00供应午餐。"
    "高龄津贴由本人或家属携带身份证和户口簿，到户籍所在社区居委会提出申请。"
    "19路公交自10月1日起调整线路，东风东街沿线将于11月12日停水，书法课在老年大学报名。"
)


def fresh(view: TextView) -> TextView:
    """The same text's view with nothing remembered: the direct path."""
    return TextView(view.folded, view.words, view.spelled, view.spelled_run)


def test_a_views_remembered_matches_are_the_direct_ones_and_stay_bounded() -> None:
    view = TextView.of(TEXT)
    pairs = {OTHER[i : i + 2] for i in range(len(OTHER) - 1)}  # character pairs, most of them no word of TEXT
    terms = sorted(set(words(fold(OTHER + TEXT))) | pairs | {"新建", "潍洲", "书法", "社区食堂", "kuiwen"})
    assert len(terms) > 2 * MATCH_MEMO  # the memory fills and starts again, more than once
    expected = {t: fresh(view).match(t) for t in terms}
    assert {expected["新建"], expected["潍洲"], expected["食堂"]} >= {0.8, 1.0}  # loose and whole matches both seen
    # Asked again while remembered (fewer words than the memory holds), then more words than it holds.
    loose = [t for t in terms if 0.0 < expected[t] < 1.0 or (t not in view.words and expected[t] == 1.0)]
    assert 0 < len(loose) < MATCH_MEMO
    for t in loose * 2:
        assert view.match(t) == expected[t]
    rng = random.Random(14)
    for _ in range(3):
        rng.shuffle(terms)
        assert {t: view.match(t) for t in terms} == expected
        assert len(view._loose) <= MATCH_MEMO


def test_coverage_with_remembered_matches_is_the_direct_sum_to_the_last_bit() -> None:
    view = TextView.of(TEXT)
    rng = random.Random(7)
    pool = sorted(set(words(fold(OTHER + TEXT))))
    for _ in range(200):
        terms = tuple(rng.sample(pool, rng.randint(1, 20)))
        weights = tuple(rng.uniform(0.1, 9.0) for _ in terms)
        # Some words already remembered by the view, some not: either way the sum of a view that remembers nothing.
        for t in terms[::3]:
            view.match(t)
        assert view.coverage(terms, weights) == fresh(view).coverage(terms, weights)


def _corpus(tmp_path: Path, extra: str = "") -> Assistant:
    corpus = tmp_path / "corpus"
    write_doc(corpus, "plan", "东关街道社区食堂建设方案\n" + OTHER + extra, title="奎文区东关街道社区食堂建设方案")
    write_doc(corpus, "report", TEXT * 3, title="坊子区养老服务情况通报", published="2023-06-01")
    write_doc(corpus, "notice", "公交线路调整通告\n19路公交自10月1日起调整线路。\n", title="公交线路调整通告")
    return Assistant.open(Settings(corpus_dir=corpus, index_dir=tmp_path / "index"), FakeEmbedder())


def test_a_passages_document_features_are_its_documents_own(tmp_path: Path) -> None:
    service = _corpus(tmp_path)
    engine, passages = service.engine, service.engine.passages
    for text in ("东关街道新建几处社区食堂？", "坊子区嵌入式养老服务驿站有多少处？", "19路公交什么时候调整？"):
        question = analyse(text, service.index.bilingual, passages.written)
        weights = term_weights(question, passages)
        ranked = rank(question, weights, service.retriever.retrieve(text), passages, engine.model.rank)
        assert len({r.passage.chunk.doc_id for r in ranked}) > 1
        for r in ranked:
            chunk, f = r.passage.chunk, r.features
            doc = passages.document(chunk.doc_id)
            body, title = fresh(doc.body), fresh(doc.title)
            topic = max(body.coverage(weights.topic, weights.topic_w), title.coverage(weights.topic, weights.topic_w))
            assert f["title_cov"] == title.coverage(weights.terms, weights.terms_w)
            assert f["doc_cov"] == max(body.coverage(weights.terms, weights.terms_w), f["cov"])
            assert f["doc_cov_topic"] == max(topic, f["cov_topic"])
            own = passages.chunks_of[chunk.doc_id]
            assert f["position"] == (chunk.chunk_id - own[0]) / len(own)
            siblings = [s for s in ranked if s.passage.chunk.doc_id == chunk.doc_id]
            assert {(s.features["area_conflict"], s.features["area_foreign"]) for s in siblings} == {
                (f["area_conflict"], f["area_foreign"])
            }


def test_a_new_index_build_brings_new_passage_views(tmp_path: Path) -> None:
    """What is kept per passage belongs to the loaded index: a reload (a new ``Assistant``) starts afresh."""
    before = _corpus(tmp_path)
    plan = before.engine.passages.chunks_of["plan"]
    kinds_before = set().union(*(before.engine.passages.passage(i).kind_names for i in plan))
    after = _corpus(tmp_path, "咨询电话：0536-8888888。")
    plan = after.engine.passages.chunks_of["plan"]
    kinds_after = set().union(*(after.engine.passages.passage(i).kind_names for i in plan))
    assert "phone" not in kinds_before
    assert "phone" in kinds_after


def _direct_margin(model: LinearModel, values: dict[str, float]) -> float:
    """The model's log-odds, term by term in the features' order, a missing feature read as 0."""
    total = model.bias
    for name, w, m, s in zip(model.features, model.weights, model.mean, model.scale, strict=True):
        total += w * (values.get(name, 0.0) - m) / s
    return total


def test_margin_is_the_direct_sum_to_the_last_bit_whatever_the_row_names() -> None:
    rng = random.Random(37)
    names = tuple(f"f{i}" for i in range(31))
    for n in (0, 1, 2, 31):
        model = LinearModel(
            names[:n],
            tuple(rng.uniform(-3, 3) for _ in range(n)),
            rng.uniform(-1, 1),
            tuple(rng.uniform(-1, 1) for _ in range(n)),
            tuple(rng.uniform(0.1, 2) for _ in range(n)),
        )
        for _ in range(50):
            full = {name: rng.uniform(-5, 5) for name in names[:n]}
            rows = [
                full,
                {**full, "extra": 1.0},  # a feature the model does not use is left out
                {k: v for k, v in full.items() if rng.random() < 0.7},  # a missing feature counts as 0
                {},
            ]
            for row in rows:
                assert model.margin(row) == _direct_margin(model, row)
    # Some features missing from a row is not an error, and counts each missing one as 0.
    model = LinearModel(("a", "b"), (1.0, 2.0), 0.5, (0.0, 0.0), (1.0, 1.0))
    assert model.margin({"a": 1.0}) == 1.5
    assert model.margin({"b": 1.0, "a": 1.0}) == 3.5


def test_the_top_idf_is_the_largest_and_one_for_an_empty_vocabulary(tmp_path: Path) -> None:
    lexical = _corpus(tmp_path).index.lexical
    assert lexical.top_idf == float(lexical.idf.max()) > 0
    assert LexicalIndex.build([], 1.2, 0.75).top_idf == 1.0


def test_a_probes_bare_sound_is_its_prefix_without_the_space() -> None:
    # (word, whether it is matched by sound): Chinese words of two or more characters are; others are not.
    table = [("潍洲", True), ("社区食堂", True), ("书法课", True), ("食", False), ("kuiwen", False), ("19路", False)]
    for term, by_sound in table:
        p = probe(term)
        assert p.sounds is by_sound
        assert p.sound == p.sound_prefix[1:] == p.sound_suffix[:-1]
        assert bool(p.sound) is by_sound
    # A word heard by its sound in a text that writes it otherwise (潍洲 for 潍州), and not in one that does not.
    assert TextView.of("潍州路街道办事处").match("潍洲") == 0.8
    assert TextView.of("北海路街道办事处").match("潍洲") == 0.0
