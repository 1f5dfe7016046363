"""The content-gap report over a real SQLite file and a real PostgreSQL database, with the fake embedder: counts,
groups, topics, formats."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from assistant.answer import Answer, Citation
from assistant.embedding import FakeEmbedder
from assistant.errors import StorageUnavailable
from assistant.feedback import FeedbackStore, utcnow
from assistant.report import Report, build_report, group_by_meaning, load_topics, period_start, render, wording_key
from assistant.service import AskResult
from assistant.settings import Settings

TOPICS = {
    "other": "其他",
    "topics": [
        {"name": "交通", "keywords": ["地铁", "公交"]},
        {"name": "养老", "keywords": ["养老", "老人"]},
    ],
}
# 2026-11-16 is a Monday; times are UTC, and Shanghai is 8 hours ahead.
MONDAY = dt.datetime(2026, 11, 16, 2, 0)


def result(question: str, answered: bool, reason: str = "answered") -> AskResult:
    citation = Citation(1, "eldercare", "东关街道居家养老服务方案", None, "新建4处", 3, 7, 0.5)
    answer = Answer(answered, "新建4处[1]" if answered else "抱歉", [citation] if answered else [], reason, 0.3)  # type: ignore[arg-type]
    return AskResult(question, answer, 10.0, {})


@pytest.fixture
def config(tmp_path: Path, database_url: str) -> Settings:
    """The report's settings over an empty feedback database (the tests run on SQLite and on PostgreSQL)."""
    topics = tmp_path / "topics.json"
    topics.write_text(json.dumps(TOPICS, ensure_ascii=False), encoding="utf-8")
    return Settings(
        database_url=database_url,
        topics_file=topics,
        # Only a keyword found in the question gives a topic: the fake embedder knows no meaning.
        report_topic_similarity=1.0,
        report_group_similarity=0.6,
        feedback_retention_days=10_000,
    )


@pytest.fixture
def store(config: Settings) -> Iterator[FeedbackStore]:
    opened = FeedbackStore.open(config)
    yield opened
    opened.close()


def seed(store: FeedbackStore) -> dict[str, str]:
    """Two weeks of questions from three clients, with votes; returns ids by question."""
    rows = [
        # week of 11-16
        (MONDAY, "什么时候通地铁？", False, "out_of_scope", "a"),
        (MONDAY + dt.timedelta(hours=1), "什麼時候通地鐵", False, "out_of_scope", "b"),
        (MONDAY + dt.timedelta(hours=2), "什么时候通地铁呢？", False, "out_of_scope", "c"),
        (MONDAY + dt.timedelta(hours=3), "公积金怎么提取？", False, "out_of_scope", "a"),
        (MONDAY + dt.timedelta(days=1), "老人食堂在哪里？", False, "unstated", "a"),
        (MONDAY + dt.timedelta(days=2), "要新建几处老人食堂？", True, "answered", "b"),
        # week of 11-23
        (MONDAY + dt.timedelta(days=7), "公交线路有几条？", True, "answered", "a"),
        (MONDAY + dt.timedelta(days=8), "养老服务站有几处？", True, "answered", "c"),
        (MONDAY + dt.timedelta(days=9), "什么时候通地铁", False, "out_of_scope", "c"),
    ]
    ids = {}
    for asked_at, question, answered, reason, client in rows:
        ids[question] = store.record(result(question, answered, reason), client, asked_at=asked_at)
    store.vote(ids["要新建几处老人食堂？"], helpful=True)
    store.vote(ids["公交线路有几条？"], helpful=False, comment="只说了数量")
    store.vote(ids["养老服务站有几处？"], helpful=False)
    store.vote(ids["什么时候通地铁？"], helpful=False, comment="想知道地铁")
    return ids


def test_wordings_that_differ_in_script_case_or_punctuation_are_one() -> None:
    assert wording_key("什麼時候通地鐵？") == wording_key("什么时候通地铁") == wording_key(" 什么 时候通地铁?!")
    assert wording_key("Metro?") == wording_key("metro")
    assert wording_key("？？") == "??"
    assert wording_key("什么时候通地铁") != wording_key("什么时候通地铁呢")


def test_grouping_joins_rows_near_a_groups_mean_and_keeps_the_order() -> None:
    east, north, west = np.eye(3, dtype=np.float32)
    near_east = (east * 0.9 + north * 0.3) / np.linalg.norm(east * 0.9 + north * 0.3)
    vectors = np.stack([east, north, near_east, west, east])
    assert group_by_meaning(vectors, 0.8) == [[0, 2, 4], [1], [3]]
    assert group_by_meaning(vectors, 0.99) == [[0, 4], [1], [2], [3]]
    assert group_by_meaning(vectors[:0], 0.8) == []


@pytest.mark.parametrize(
    ("period", "expected"),
    [("day", dt.date(2026, 11, 19)), ("week", dt.date(2026, 11, 16)), ("month", dt.date(2026, 11, 1))],
)
def test_periods_start_on_their_first_day(period: str, expected: dt.date) -> None:
    assert period_start(dt.date(2026, 11, 19), period) == expected  # type: ignore[arg-type]


def test_the_report_counts_groups_and_rates(store: FeedbackStore, config: Settings) -> None:
    seed(store)
    report = build_report(store, FakeEmbedder(), config)

    assert (report.questions, report.answered, report.answer_rate) == (9, 3, 0.333)
    assert (report.votes, report.helpful, report.helpful_rate) == (4, 1, 0.25)

    metro, *others = report.unanswered
    assert metro.question == "什么时候通地铁？"
    assert (metro.asked, metro.askers, metro.topic) == (4, 3, "交通")
    assert metro.wordings == ["什么时候通地铁？", "什么时候通地铁呢？"]
    assert (metro.first_asked, metro.last_asked) == ("2026-11-16 10:00", "2026-11-25 10:00")
    assert sorted((g.question, g.asked, g.topic, g.detail_unpublished) for g in others) == [
        ("公积金怎么提取？", 1, "其他", 0),
        ("老人食堂在哪里？", 1, "养老", 1),
    ]

    assert [(a.question, a.comment, a.answered) for a in report.unhelpful] == [
        ("养老服务站有几处？", None, True),
        ("公交线路有几条？", "只说了数量", True),
        ("什么时候通地铁？", "想知道地铁", False),
    ]
    assert report.unhelpful[1].cited == ["eldercare:3-7"]

    rates = [(t.topic, t.period, t.questions, t.answered, t.votes, t.helpful, t.helpful_rate) for t in report.topics]
    assert rates == [
        ("交通", "2026-11-16", 3, 0, 1, 0, 0.0),
        ("交通", "2026-11-23", 2, 1, 1, 0, 0.0),
        ("养老", "2026-11-16", 2, 1, 1, 1, 1.0),
        ("养老", "2026-11-23", 1, 1, 1, 0, 0.0),
        ("其他", "2026-11-16", 1, 0, 0, 0, None),
    ]


def test_since_is_a_day_in_the_report_time_zone(store: FeedbackStore, config: Settings) -> None:
    seed(store)
    # 2026-11-22 16:30 UTC is already 11-23 in Shanghai; 15:30 UTC is not.
    store.record(result("周日晚上问的", False), "d", asked_at=dt.datetime(2026, 11, 22, 15, 30))
    store.record(result("周一凌晨问的", False), "d", asked_at=dt.datetime(2026, 11, 22, 16, 30))
    report = build_report(store, FakeEmbedder(), config, since=dt.date(2026, 11, 23))
    assert report.since == "2026-11-23"
    assert report.questions == 4
    assert "周一凌晨问的" in {g.question for g in report.unanswered}
    assert "周日晚上问的" not in {g.question for g in report.unanswered}

    by_utc = build_report(
        store, FakeEmbedder(), config.model_copy(update={"report_timezone": "UTC"}), dt.date(2026, 11, 23)
    )
    assert by_utc.questions == 3


def test_the_lists_are_capped_by_the_settings(store: FeedbackStore, config: Settings) -> None:
    seed(store)
    capped = config.model_copy(update={"report_max_groups": 1, "report_max_unhelpful": 2})
    report = build_report(store, FakeEmbedder(), capped)
    assert [g.question for g in report.unanswered] == ["什么时候通地铁？"]
    assert len(report.unhelpful) == 2


def test_the_report_prunes_first(store: FeedbackStore, config: Settings) -> None:
    store.record(result("很久以前", False), "a", asked_at=utcnow() - dt.timedelta(days=11))
    store.record(result("最近", False), "a")
    assert build_report(store, FakeEmbedder(), config).questions == 2

    short = config.model_copy(update={"feedback_retention_days": 10})
    store.close()
    store = FeedbackStore.open(short)
    store.record(result("最近", False), "a", asked_at=utcnow() - dt.timedelta(days=11))
    report = build_report(store, FakeEmbedder(), short)
    store.close()
    assert [(g.question, g.asked) for g in report.unanswered] == [("最近", 1)]


def test_an_empty_report_renders_in_every_format(store: FeedbackStore, config: Settings) -> None:
    report = build_report(store, FakeEmbedder(), config)
    assert (report.questions, report.answer_rate, report.helpful_rate) == (0, None, None)
    assert "(none)" in render(report, "text")
    assert Report.model_validate_json(render(report, "json")) == report
    assert render(report, "csv").count("\n\n") == 2


def test_the_formats_hold_the_same_report(store: FeedbackStore, config: Settings) -> None:
    seed(store)
    report = build_report(store, FakeEmbedder(), config)

    assert Report.model_validate_json(render(report, "json")) == report

    text = render(report, "text")
    assert "Questions: 9, answered 3 (33%). Votes: 4, helpful 1 (25%)." in text
    assert "什么时候通地铁？  [交通] asked 4× by 3 clients" in text
    assert "~ 什么时候通地铁呢？" in text
    assert "comment: 只说了数量" in text
    assert "1× detail not published" in text

    tables = [list(csv.reader(io.StringIO(part))) for part in render(report, "csv").split("\n\n")]
    assert [t[0][0] for t in tables] == ["unanswered_question", "unhelpful_question", "topic"]
    assert [len(t) - 1 for t in tables] == [len(report.unanswered), len(report.unhelpful), len(report.topics)]
    assert tables[0][1][:4] == ["什么时候通地铁？", "交通", "4", "3"]
    assert tables[2][1] == ["交通", "2026-11-16", "3", "0", "0.0", "1", "0", "0.0"]


def test_a_missing_or_bad_topics_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(StorageUnavailable, match=r"missing\.json"):
        load_topics(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text('{"topics": [{"name": "交通", "keywords": []}]}', encoding="utf-8")
    with pytest.raises(StorageUnavailable, match=r"topics\.0\.keywords"):
        load_topics(bad)


def test_the_shipped_topics_file_loads() -> None:
    topics = load_topics(Path(__file__).resolve().parents[1] / "config" / "topics.json")
    names = [t.name for t in topics.topics]
    assert len(names) == len(set(names)) and topics.other not in names
