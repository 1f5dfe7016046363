"""The eval metrics of shared/eval/README.md, on hand-made responses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.evaluate import (
    MAX_ANSWER_CHARS,
    MAX_CITATION_CHARS,
    Outcome,
    answer_fragments,
    load_set,
    metrics,
    normalise,
    score,
    sentence_spans,
)

EVIDENCE = "增建2处社区食堂"  # 8 characters: a hit needs an overlap of 4
TEXT = "街道深化居家养老服务体系建设，增加3处养老服务站，" + EVIDENCE + "，力争日间照料服务全覆盖。"
E_START = TEXT.index(EVIDENCE)
E_END = E_START + len(EVIDENCE)
TEXTS = {"doc": TEXT, "copy": TEXT}


def cite(start: int, end: int, doc_id: str = "doc", texts: dict[str, str] = TEXTS) -> dict[str, Any]:
    return {"doc_id": doc_id, "start": start, "end": end, "text": texts[doc_id][start:end]}


def item(**extra: Any) -> dict[str, Any]:
    return {"question": "增建几处社区食堂？", "answerable": True, "evidence": [EVIDENCE], "must": ["2"], **extra}


def response(*citations: dict[str, Any], answer: str = "增建2处社区食堂[1]", answered: bool = True) -> dict[str, Any]:
    return {"answer": answer, "answered": answered, "citations": list(citations)}


def test_citation_covering_the_evidence_hits_at_rank_one() -> None:
    assert score(item(), response(cite(E_START, E_END)), TEXTS, 1.0).rank == 1


def test_overlap_of_half_the_evidence_hits() -> None:
    half = len(EVIDENCE) // 2
    assert score(item(), response(cite(0, E_START + half)), TEXTS, 1.0).rank == 1
    assert score(item(), response(cite(E_END - half, len(TEXT))), TEXTS, 1.0).rank == 1


def test_overlap_below_half_the_evidence_misses() -> None:
    short = len(EVIDENCE) // 2 - 1
    assert score(item(), response(cite(0, E_START + short)), TEXTS, 1.0).rank is None
    assert score(item(), response(cite(E_END - short, len(TEXT))), TEXTS, 1.0).rank is None


def test_citation_longer_than_the_limit_never_hits() -> None:
    long_text = "前" * MAX_CITATION_CHARS + TEXT
    texts = {"doc": long_text}
    start = long_text.index(EVIDENCE)
    too_long = cite(start + len(EVIDENCE) - MAX_CITATION_CHARS - 1, start + len(EVIDENCE), texts=texts)
    at_limit = cite(start + len(EVIDENCE) - MAX_CITATION_CHARS, start + len(EVIDENCE), texts=texts)
    assert len(too_long["text"]) == MAX_CITATION_CHARS + 1
    assert score(item(), response(too_long), texts, 1.0).rank is None
    assert score(item(), response(at_limit), texts, 1.0).rank == 1


def test_rank_is_the_first_hitting_citation_among_the_first_three() -> None:
    miss, hit = cite(0, 5), cite(E_START, E_END)
    assert score(item(), response(miss, hit, hit), TEXTS, 1.0).rank == 2
    assert score(item(), response(miss, miss, hit), TEXTS, 1.0).rank == 3
    assert score(item(), response(miss, miss, miss, hit), TEXTS, 1.0).rank is None


def test_any_evidence_string_can_hit() -> None:
    other = "力争日间照料服务全覆盖"
    start = TEXT.index(other)
    two = item(evidence=["不在文中的证据", other])
    assert score(two, response(cite(start, start + len(other))), TEXTS, 1.0).rank == 1


def test_doc_id_restricts_which_citations_can_hit() -> None:
    restricted = item(doc_id="copy")
    assert score(restricted, response(cite(E_START, E_END, "doc")), TEXTS, 1.0).rank is None
    assert score(restricted, response(cite(E_START, E_END, "doc"), cite(E_START, E_END, "copy")), TEXTS, 1.0).rank == 2


def test_evidence_start_is_used_instead_of_find() -> None:
    text = EVIDENCE + "。" + EVIDENCE + "。"
    texts = {"doc": text}
    second = len(EVIDENCE) + 1
    at_second = item(evidence_start=second)
    assert score(at_second, response(cite(0, len(EVIDENCE), texts=texts)), texts, 1.0).rank is None
    assert score(at_second, response(cite(second, len(text), texts=texts)), texts, 1.0).rank == 1
    assert score(item(), response(cite(0, len(EVIDENCE), texts=texts)), texts, 1.0).rank == 1


def test_evidence_start_zero_is_honoured() -> None:
    text = "前言前言前言前言。" + EVIDENCE
    texts = {"doc": text}
    first_chars = response(cite(0, len(EVIDENCE), texts=texts))
    assert score(item(evidence_start=0), first_chars, texts, 1.0).rank == 1
    assert score(item(), first_chars, texts, 1.0).rank is None


def test_normalise_applies_nfkc_and_removes_all_white_space() -> None:
    assert normalise(" 增建 ２ 处\n社区\u3000食堂？ ") == "增建2处社区食堂?"


def test_answer_is_correct_after_normalisation() -> None:
    musts = item(must=["2处", "社区食堂"])
    assert score(musts, response(answer="增建 ２ 处社区\n食堂。[1]"), TEXTS, 1.0).answer_ok
    assert not score(musts, response(answer="增建3处社区食堂。[1]"), TEXTS, 1.0).answer_ok


def test_must_strings_are_normalised_too() -> None:
    assert score(item(must=["２ 处"]), response(answer="增建2处社区食堂"), TEXTS, 1.0).answer_ok


def test_answer_over_the_length_limit_is_wrong() -> None:
    at_limit = "2" + "食" * (MAX_ANSWER_CHARS - 1)
    assert score(item(), response(answer=at_limit), TEXTS, 1.0).answer_ok
    assert score(item(), response(answer=" \n".join(at_limit)), TEXTS, 1.0).answer_ok
    assert not score(item(), response(answer=at_limit + "食"), TEXTS, 1.0).answer_ok


def test_declined_answer_is_never_correct() -> None:
    assert not score(item(), response(answer="增建2处社区食堂", answered=False), TEXTS, 1.0).answer_ok


def test_bad_offsets_are_counted() -> None:
    good = cite(E_START, E_END)
    shifted = dict(good, start=good["start"] + 1, end=good["end"] + 1)
    edited = dict(good, text=good["text"] + "。")
    outcome = score(item(), response(good, shifted, edited), TEXTS, 1.0)
    assert outcome.bad_offsets == 2
    assert score(item(), response(good, good), TEXTS, 1.0).bad_offsets == 0


def test_metrics_aggregate_the_outcomes() -> None:
    hit, miss = cite(E_START, E_END), cite(0, 5)
    outcomes = [
        score(item(), response(hit), TEXTS, 10.0),
        score(item(), response(miss, hit), TEXTS, 20.0),
        score(item(), response(miss, answered=False), TEXTS, 30.0),
        score(item(), response(dict(hit, start=0)), TEXTS, 40.0),
        score({"answerable": False, "topic": "none"}, response(answered=False), TEXTS, 50.0),
        score({"answerable": False, "topic": "none"}, response(), TEXTS, 60.0),
        score({"answerable": False, "topic": "unstated"}, response(answered=False), TEXTS, 70.0),
    ]
    figures = metrics(outcomes)
    assert figures["n"] == 7
    assert figures["hit@1"] == pytest.approx(2 / 4, abs=1e-4)
    assert figures["hit@3"] == pytest.approx(3 / 4, abs=1e-4)
    assert figures["mrr"] == pytest.approx((1 + 1 / 2 + 1) / 4, abs=1e-4)
    assert figures["answer_acc"] == pytest.approx(3 / 4, abs=1e-4)
    assert figures["false_abstain"] == pytest.approx(1 / 4, abs=1e-4)
    assert figures["abstain_acc"] == pytest.approx(1 / 2, abs=1e-4)
    assert figures["unstated_acc"] == 1.0
    assert figures["bad_offsets"] == 1
    assert figures["p50_ms"] == 40.0


# Answer precision: three sentences; the evidence lies in the second.
PRE = "街道今年新建社区食堂。"
MID = "东关街道增建2处社区食堂，服务老人。"
POST = "其他事项另行通知！"
DOC = PRE + MID + POST
EVIDENCE_ITEM = {"question": "增建几处？", "answerable": True, "evidence": ["增建2处社区食堂"], "must": ["2处"]}


def answer_outcome(answer: str, answered: bool = True, item_: dict[str, Any] = EVIDENCE_ITEM) -> Outcome:
    """Score ``answer`` as a reply citing the middle sentence of ``DOC``."""
    texts = {"d": DOC}
    cited = cite(len(PRE), len(PRE) + len(MID), "d", texts)
    return score(item_, response(cited, answer=answer, answered=answered), texts, 1.0)


def test_sentences_split_after_end_marks_and_line_breaks() -> None:
    text = "一句。两句！！三句?\n四句\n\n尾巴"
    assert [text[a:b] for a, b in sentence_spans(text)] == ["一句。", "两句！！", "三句?\n", "四句\n\n", "尾巴"]


def test_fragments_split_at_the_ellipsis_without_markers() -> None:
    assert answer_fragments("东关街道……增建2处社区食堂[1]") == ["东关街道", "增建2处社区食堂"]
    assert answer_fragments("[1]……[2]") == []


def test_an_answer_inside_the_evidence_sentence_is_clean() -> None:
    outcome = answer_outcome("东关街道增建2处社区食堂[1]")
    assert (outcome.answer_chars, outcome.evidence_chars) == (
        len("东关街道增建2处社区食堂"),
        len("东关街道增建2处社区食堂"),
    )
    assert outcome.precision == 1.0


def test_an_answer_running_into_the_next_sentence_is_counted_by_characters() -> None:
    answer = "服务老人。其他事项"
    outcome = answer_outcome(answer + "[1]", item_=dict(EVIDENCE_ITEM, must=["服务老人"]))
    assert outcome.precision == pytest.approx(len("服务老人。") / len(answer))


def test_fragments_are_located_separately_and_an_unlocated_one_counts_as_outside() -> None:
    joined = answer_outcome("街道今年新建社区食堂……增建2处社区食堂[1]")
    assert joined.precision == pytest.approx(len("增建2处社区食堂") / len("街道今年新建社区食堂增建2处社区食堂"))
    invented = answer_outcome("增建2处社区食堂……并无此句[1]")
    assert invented.precision == pytest.approx(8 / 12)


def test_only_correct_answers_are_scored_for_precision() -> None:
    assert answer_outcome("其他事项另行通知2处", answered=False).precision is None
    wrong = answer_outcome("其他事项另行通知[1]")  # lacks the must string
    assert wrong.precision is None and wrong.answer_chars == 0


def test_precision_and_clean_answers_aggregate_over_correct_answers() -> None:
    outcomes = [
        answer_outcome("东关街道增建2处社区食堂[1]"),  # 1.0, clean
        answer_outcome("增建2处社区食堂……其他事项另行通知[1]"),  # 8 of 16
        answer_outcome("其他事项另行通知[1]"),  # wrong: not counted
        answer_outcome("增建2处社区食堂", answered=False),  # declined: not counted
    ]
    figures = metrics(outcomes)
    assert figures["answer_precision"] == pytest.approx((1.0 + 8 / 16) / 2, abs=1e-4)
    assert figures["clean_answers"] == 0.5
    assert metrics([answer_outcome("其他事项另行通知[1]")])["answer_precision"] == 0.0


def test_load_set_skips_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "set.jsonl"
    path.write_text('{"id": "a", "question": "一"}\n\n{"id": "b", "question": "二"}\n', encoding="utf-8")
    assert [row["id"] for row in load_set(path)] == ["a", "b"]
