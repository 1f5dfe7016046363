"""The content-gap report: what residents asked that the documents don't answer, and how answers were rated.

Unanswered questions are grouped by meaning with the assistant's own embedder, and every question gets
a topic from the topics file (a keyword it contains, else the keyword nearest in meaning), so that the
answer rate and the helpful rate can be followed per topic over time.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import threading
import unicodedata
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal, Protocol
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, Field, ValidationError

from assistant.embedding import Embedder, Vectors
from assistant.errors import StorageUnavailable
from assistant.feedback import StoredQuestion, utcnow
from assistant.settings import Settings
from assistant.text import content_words, fold, place_names

Format = Literal["text", "json", "csv"]
Period = Literal["day", "week", "month"]
NOT_WORD_RE = re.compile(r"[\W_]+")
# Characters of a question read for its gist (longer ones are abuse or pasted text).
GIST_MAX_CHARS = 64
# Wordings a report keeps in memory when it is given nowhere else to keep their vectors.
MEMORY_GISTS = 50_000

# Declines for a detail the documents don't give; "unstated" is how rows stored before the engine's rewrite say it.
DETAIL_REASONS = frozenset({"detail_not_published", "unstated"})


class TopicSpec(BaseModel):
    """One report topic and the keywords that define it."""

    name: str = Field(min_length=1)
    keywords: list[str] = Field(min_length=1)


class TopicsFile(BaseModel):
    """The topics file: the topics, and the name given to questions near none of them."""

    other: str = Field(default="other", min_length=1)
    topics: list[TopicSpec] = Field(min_length=1)


class UnansweredGroup(BaseModel):
    """Unanswered questions that mean the same thing."""

    question: str = Field(description="The most asked wording")
    asked: int = Field(description="Times a question of the group was asked")
    askers: int = Field(description="Distinct clients who asked")
    detail_unpublished: int = Field(description="Times the topic was covered but the detail asked for was not")
    topic: str
    first_asked: str
    last_asked: str
    wordings: list[str] = Field(description="Every distinct wording, most asked first")


class UnhelpfulAnswer(BaseModel):
    """An answer a resident marked not helpful."""

    asked_at: str
    topic: str
    question: str
    answered: bool
    answer: str
    cited: list[str] = Field(description="Cited passages as doc_id:start-end")
    comment: str | None


class TopicRates(BaseModel):
    """Answer rate and helpful rate of one topic in one period."""

    topic: str
    period: str = Field(description="First day of the period")
    questions: int
    answered: int
    answer_rate: float
    votes: int
    helpful: int
    helpful_rate: float | None = Field(description="Share of votes that were helpful; null without votes")


class Report(BaseModel):
    """The whole report over the questions asked since a date."""

    generated_at: str
    since: str | None
    timezone: str
    period: Period
    questions: int
    answered: int
    answer_rate: float | None
    votes: int
    helpful: int
    helpful_rate: float | None
    unanswered: list[UnansweredGroup]
    unhelpful: list[UnhelpfulAnswer]
    topics: list[TopicRates]


def load_topics(path: Path) -> TopicsFile:
    """Read and check the topics file."""
    try:
        return TopicsFile.model_validate_json(path.read_bytes())
    except OSError as exc:
        raise StorageUnavailable(f"cannot read the topics file {path} (ASSISTANT_TOPICS_FILE): {exc}") from None
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'file'}: {e['msg']}" for e in exc.errors())
        raise StorageUnavailable(f"bad topics file {path}: {problems}") from None


class TopicClassifier:
    """Gives a question the topic of a keyword it contains, else of the keyword nearest in meaning."""

    def __init__(self, spec: TopicsFile, embedder: Embedder, min_similarity: float) -> None:
        self.names = [t.name for t in spec.topics]
        self.other = spec.other
        self.min_similarity = min_similarity
        self.keywords = [(fold(k), i) for i, t in enumerate(spec.topics) for k in t.keywords]
        self.owner = np.array([i for _, i in self.keywords], dtype=np.intp)
        self.vectors = embedder.encode([k for k, _ in self.keywords])
        # Keywords by their first character: a question is searched only for those it could contain.
        self.by_first: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for keyword, i in self.keywords:
            if keyword:
                self.by_first[keyword[0]].append((keyword, i))

    def topics(self, folded: Sequence[str], vectors: Vectors) -> list[str]:
        """The topics of folded questions whose embeddings are the rows of ``vectors``."""
        if not folded:
            return []
        similarity = vectors @ self.vectors.T
        per_topic = np.full((len(folded), len(self.names)), -np.inf)
        for i in range(len(self.names)):
            per_topic[:, i] = similarity[:, self.owner == i].max(axis=1, initial=-np.inf)
        out = []
        for text, scores in zip(folded, per_topic, strict=True):
            literal = {i for c in self.by_first.keys() & set(text) for k, i in self.by_first[c] if k in text}
            if literal:
                out.append(self.names[max(literal, key=lambda i: scores[i])])
                continue
            best = int(scores.argmax())
            out.append(self.names[best] if scores[best] >= self.min_similarity else self.other)
        return out

    def topic(self, folded: str, vector: npt.NDArray[np.float32]) -> str:
        """The topic of a folded question with embedding ``vector``."""
        return self.topics([folded], vector[np.newaxis, :])[0]


def gist_texts(folded: str) -> tuple[str, str]:
    """The two texts a folded question is embedded as: without place names, and its content words alone."""
    # Place names are left out: every question here is about the district, so "奎文区" says nothing about
    # the gap. The whole question is averaged with its content words alone, so that a shared pattern
    # ("有哪些…？") does not make two questions about different things look alike. Only the start of a long
    # question is read: what it asks is said there, and the cost of a question stays bounded.
    text = folded[:GIST_MAX_CHARS]
    for name in place_names(text):
        text = text.replace(name, " ")
    whole = text.strip() or " "
    return whole, " ".join(content_words(text)) or whole


def gist_vectors(embedder: Embedder, folded: Sequence[str]) -> Vectors:
    """Unit vectors of folded questions for comparing what they ask about."""
    pairs = [gist_texts(text) for text in folded]
    vectors = embedder.encode([w for w, _ in pairs]) + embedder.encode([c for _, c in pairs])
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.where(norms == 0, 1, norms)).astype(np.float32)


def wording_key(question: str) -> str:
    """Questions that differ only in script, case, spaces or punctuation count as one wording."""
    return folded_wording_key(fold(question))


def folded_wording_key(folded: str) -> str:
    """:func:`wording_key` of a question folded already."""
    return NOT_WORD_RE.sub("", folded) or folded


def group_by_meaning(vectors: Vectors, threshold: float, max_groups: int | None = None) -> list[list[int]]:
    """Greedy grouping: each row, in order, joins the group whose mean is most similar, if close enough.

    At most ``max_groups`` groups are formed; a later row near none of them is left out (rows come most
    asked first, so those are the rarest), which keeps the cost linear in the number of rows.
    """
    limit = len(vectors) if max_groups is None else min(max_groups, len(vectors))
    groups: list[list[int]] = []
    sums = np.zeros((limit, vectors.shape[1]), dtype=np.float64)
    norms = np.zeros(limit)
    for i, vector in enumerate(vectors):
        if groups:
            similarity = (sums[: len(groups)] @ vector) / norms[: len(groups)]
            best = int(similarity.argmax())
            if similarity[best] >= threshold:
                groups[best].append(i)
                sums[best] += vector
                norms[best] = np.linalg.norm(sums[best])
                continue
        if len(groups) < limit:
            sums[len(groups)] = vector
            norms[len(groups)] = np.linalg.norm(vector) or 1.0
            groups.append([i])
    return groups


def period_start(day: dt.date, period: Period) -> dt.date:
    """The first day of the day, week (Monday) or month holding ``day``."""
    if period == "week":
        return day - dt.timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    return day


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


class _Clock:
    """Converts stored UTC times to the report's time zone."""

    def __init__(self, timezone: str) -> None:
        self.zone = ZoneInfo(timezone)

    def local(self, utc: dt.datetime) -> dt.datetime:
        return utc.replace(tzinfo=dt.UTC).astimezone(self.zone)

    def text(self, utc: dt.datetime) -> str:
        return self.local(utc).strftime("%Y-%m-%d %H:%M")

    def midnight_utc(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(), self.zone).astimezone(dt.UTC).replace(tzinfo=None)


def _unanswered_groups(
    rows: Sequence[StoredQuestion],
    row_keys: Sequence[str],
    vectors: Mapping[str, Vectors],
    topics: dict[str, str],
    settings: Settings,
    clock: _Clock,
) -> list[UnansweredGroup]:
    by_wording: dict[str, list[StoredQuestion]] = defaultdict(list)
    for row, key in zip(rows, row_keys, strict=True):
        if not row.answered:
            by_wording[key].append(row)
    # Most asked wordings first, so they lead their groups; ties by first asked, to stay deterministic.
    keys = sorted(by_wording, key=lambda k: (-len(by_wording[k]), by_wording[k][0].asked_at, k))
    if not keys:
        return []
    matrix = np.stack([vectors[k] for k in keys])
    groups = []
    for members in group_by_meaning(matrix, settings.report_group_similarity, settings.report_max_tracked_groups):
        asked = [row for i in members for row in by_wording[keys[i]]]
        wordings = [Counter(r.meant for r in by_wording[keys[i]]).most_common(1)[0][0] for i in members]
        times = [r.asked_at for r in asked]
        groups.append(
            UnansweredGroup(
                question=wordings[0],
                asked=len(asked),
                askers=len({r.client for r in asked}),
                detail_unpublished=sum(r.reason in DETAIL_REASONS for r in asked),
                topic=topics[keys[members[0]]],
                first_asked=clock.text(min(times)),
                last_asked=clock.text(max(times)),
                wordings=wordings,
            )
        )
    groups.sort(key=lambda g: (-g.asked, -g.askers, g.first_asked))
    return groups[: settings.report_max_groups]


def _topic_rates(
    rows: Sequence[StoredQuestion],
    row_keys: Sequence[str],
    topics: dict[str, str],
    order: list[str],
    period: Period,
    clock: _Clock,
) -> list[TopicRates]:
    counts: dict[tuple[str, dt.date], Counter[str]] = defaultdict(Counter)
    starts: dict[dt.date, dt.date] = {}
    for row, key in zip(rows, row_keys, strict=True):
        day = clock.local(row.asked_at).date()
        start = starts.get(day)
        if start is None:
            start = starts[day] = period_start(day, period)
        cell = counts[topics[key], start]
        cell["questions"] += 1
        cell["answered"] += row.answered
        cell["votes"] += row.helpful is not None
        cell["helpful"] += bool(row.helpful)
    rank = {name: i for i, name in enumerate(order)}
    return [
        TopicRates(
            topic=topic,
            period=start.isoformat(),
            questions=c["questions"],
            answered=c["answered"],
            answer_rate=round(c["answered"] / c["questions"], 3),
            votes=c["votes"],
            helpful=c["helpful"],
            helpful_rate=_rate(c["helpful"], c["votes"]),
        )
        for (topic, start), c in sorted(counts.items(), key=lambda item: (rank[item[0][0]], item[0][1]))
    ]


class QuestionSource(Protocol):
    """Where the report reads the stored questions from (the feedback store)."""

    def prune(self) -> int:
        """Delete rows past the retention period."""
        ...

    def questions(self, since: dt.datetime | None = None) -> list[StoredQuestion]:
        """Stored questions since ``since``, oldest first."""
        ...


class Gists(Protocol):
    """Where the report keeps the vectors of the wordings it has embedded, by wording key."""

    def get_many(self, keys: Sequence[str]) -> dict[str, Vectors]:
        """The vectors of those keys that have one."""
        ...

    def put_many(self, vectors: Mapping[str, Vectors]) -> None:
        """Keep these vectors."""
        ...


class GistCache:
    """Gists kept in memory (bounded, least recently used first out): for a report without a database to keep them."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._vectors: OrderedDict[str, npt.NDArray[np.float16]] = OrderedDict()
        self._lock = threading.Lock()

    def get_many(self, keys: Sequence[str]) -> dict[str, Vectors]:
        """The vectors of those keys that are cached."""
        found: dict[str, Vectors] = {}
        with self._lock:
            for key in keys:
                vector = self._vectors.get(key)
                if vector is not None:
                    self._vectors.move_to_end(key)
                    found[key] = vector.astype(np.float32)
        return found

    def put_many(self, vectors: Mapping[str, Vectors]) -> None:
        """Remember vectors (half precision: plenty for comparing meanings)."""
        with self._lock:
            for key, vector in vectors.items():
                self._vectors[key] = vector.astype(np.float16)
                self._vectors.move_to_end(key)
            while len(self._vectors) > self.capacity:
                self._vectors.popitem(last=False)

    def __len__(self) -> int:
        return len(self._vectors)


def embed_gists(embedder: Embedder, texts: Mapping[str, str]) -> dict[str, Vectors]:
    """Gist vectors of folded wordings, by wording key."""
    keys = list(texts)
    encoded = gist_vectors(embedder, [texts[k] for k in keys])
    return dict(zip(keys, encoded, strict=True))


class ReportJob:
    """The report built in bounded steps: each :meth:`step` embeds at most one batch of new wordings.

    Wordings embedded before (when they were stored, or by an earlier report) are read from ``gists``; the
    caller runs steps until :attr:`done` and may stop between any two (its client left, the server is
    stopping); what was embedded is kept there, so the next report starts from there.
    """

    def __init__(
        self,
        store: QuestionSource,
        embedder: Embedder,
        settings: Settings,
        since: dt.date | None = None,
        cache: Gists | None = None,
    ) -> None:
        self.embedder = embedder
        self.settings = settings
        self.since = since
        self.spec = load_topics(settings.topics_file)
        self.clock = _Clock(settings.report_timezone)
        self.cache: Gists = cache if cache is not None else GistCache(MEMORY_GISTS)
        store.prune()
        self.rows = store.questions(self.clock.midnight_utc(since) if since else None)
        # Each row is folded once, and each distinct wording embedded once, for both its topic and its group.
        self.texts: dict[str, str] = {}
        keys_of: dict[str, str] = {}
        self.row_keys: list[str] = []
        for row in self.rows:
            key = keys_of.get(row.meant)
            if key is None:
                folded = fold(row.meant)
                key = keys_of[row.meant] = folded_wording_key(folded)
                self.texts.setdefault(key, folded)
            self.row_keys.append(key)
        self.vectors: dict[str, Vectors] = self.cache.get_many(list(self.texts))
        self.pending: list[str] = [key for key in self.texts if key not in self.vectors]

    @property
    def done(self) -> bool:
        """Whether every wording has its vector."""
        return not self.pending

    def step(self) -> None:
        """Embed the next batch of wordings."""
        batch, self.pending = self.pending[: self.settings.report_batch], self.pending[self.settings.report_batch :]
        made = embed_gists(self.embedder, {key: self.texts[key] for key in batch})
        self.vectors.update(made)
        self.cache.put_many(made)

    def finish(self) -> Report:
        """The report, once every wording has its vector."""
        while not self.done:
            self.step()
        settings, clock, rows, texts, vectors = self.settings, self.clock, self.rows, self.texts, self.vectors
        classifier = TopicClassifier(self.spec, self.embedder, settings.report_topic_similarity)
        keys = list(texts)
        matrix = np.stack([vectors[k] for k in keys]) if keys else np.zeros((0, self.embedder.dimension), np.float32)
        topics = dict(zip(keys, classifier.topics([texts[k] for k in keys], matrix), strict=True))
        keyed = zip(reversed(rows), reversed(self.row_keys), strict=True)
        unhelpful = [(r, key) for r, key in keyed if r.helpful is False][: settings.report_max_unhelpful]
        answered = sum(r.answered for r in rows)
        voted = [r for r in rows if r.helpful is not None]
        helpful = sum(bool(r.helpful) for r in voted)
        return Report(
            generated_at=clock.text(utcnow()),
            since=self.since.isoformat() if self.since else None,
            timezone=settings.report_timezone,
            period=settings.report_period,
            questions=len(rows),
            answered=answered,
            answer_rate=_rate(answered, len(rows)),
            votes=len(voted),
            helpful=helpful,
            helpful_rate=_rate(helpful, len(voted)),
            unanswered=_unanswered_groups(rows, self.row_keys, vectors, topics, settings, clock),
            unhelpful=[
                UnhelpfulAnswer(
                    asked_at=clock.text(r.asked_at),
                    topic=topics[key],
                    question=r.meant,
                    answered=r.answered,
                    answer=r.answer,
                    cited=r.cited,
                    comment=r.comment,
                )
                for r, key in unhelpful
            ],
            topics=_topic_rates(
                rows, self.row_keys, topics, [*classifier.names, classifier.other], settings.report_period, clock
            ),
        )


def build_report(
    store: QuestionSource,
    embedder: Embedder,
    settings: Settings,
    since: dt.date | None = None,
    cache: Gists | None = None,
) -> Report:
    """The report over the questions asked since the start of ``since`` (in the report's time zone)."""
    return ReportJob(store, embedder, settings, since, cache).finish()


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _percent(rate: float | None) -> str:
    return "–" if rate is None else f"{rate:.0%}"


def render_text(report: Report) -> str:
    """The report for people: three sections of plain text."""
    span = f"since {report.since}" if report.since else "all stored questions"
    lines = [
        f"Content-gap report, {span} (times in {report.timezone}; generated {report.generated_at})",
        f"Questions: {report.questions}, answered {report.answered} ({_percent(report.answer_rate)}). "
        f"Votes: {report.votes}, helpful {report.helpful} ({_percent(report.helpful_rate)}).",
        "",
        "Unanswered questions, grouped by meaning (most asked first)",
    ]
    for n, g in enumerate(report.unanswered, start=1):
        detail = f", {g.detail_unpublished}× detail not published" if g.detail_unpublished else ""
        lines.append(
            f"{n:3}. {g.question}  [{g.topic}] asked {g.asked}× by {g.askers} "
            f"client{'s' if g.askers != 1 else ''}{detail}, last {g.last_asked}"
        )
        lines.extend(f"       ~ {w}" for w in g.wordings[1:])
    if not report.unanswered:
        lines.append("     (none)")
    lines += ["", "Answers marked not helpful (newest first)"]
    for a in report.unhelpful:
        lines.append(f"  {a.asked_at} [{a.topic}] {a.question}")
        lines.append(f"      answer: {a.answer if a.answered else '(declined) ' + a.answer}")
        if a.cited:
            lines.append(f"      cited: {', '.join(a.cited)}")
        if a.comment:
            lines.append(f"      comment: {a.comment}")
    if not report.unhelpful:
        lines.append("     (none)")
    lines += ["", f"Answer rate and helpful rate per topic, by {report.period} (period = its first day)"]
    header = ["topic", "period", "questions", "answered", "votes", "helpful"]
    widths = [max([_width(header[0]), *(_width(t.topic) for t in report.topics)]), 10, 9, 14, 5, 12]
    lines.append(("  " + "  ".join(_pad(h, w) for h, w in zip(header, widths, strict=True))).rstrip())
    for t in report.topics:
        cells = [
            t.topic,
            t.period,
            str(t.questions),
            f"{t.answered} ({_percent(t.answer_rate)})",
            str(t.votes),
            f"{t.helpful} ({_percent(t.helpful_rate)})" if t.votes else "–",
        ]
        lines.append("  " + "  ".join(_pad(c, w) for c, w in zip(cells, widths, strict=True)).rstrip())
    return "\n".join(lines) + "\n"


def render_csv(report: Report) -> str:
    """The report for spreadsheets: one table per section, each under its own header row, a blank row between."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "unanswered_question",
            "topic",
            "asked",
            "askers",
            "detail_unpublished",
            "first_asked",
            "last_asked",
            "wordings",
        ]
    )
    for g in report.unanswered:
        row = [g.question, g.topic, g.asked, g.askers, g.detail_unpublished, g.first_asked, g.last_asked]
        writer.writerow([*row, " | ".join(g.wordings)])
    writer.writerow([])
    writer.writerow(["unhelpful_question", "topic", "asked_at", "answered", "answer", "cited", "comment"])
    for a in report.unhelpful:
        writer.writerow([a.question, a.topic, a.asked_at, a.answered, a.answer, " ".join(a.cited), a.comment or ""])
    writer.writerow([])
    writer.writerow(["topic", "period", "questions", "answered", "answer_rate", "votes", "helpful", "helpful_rate"])
    for t in report.topics:
        rate = "" if t.helpful_rate is None else t.helpful_rate
        writer.writerow([t.topic, t.period, t.questions, t.answered, t.answer_rate, t.votes, t.helpful, rate])
    return out.getvalue()


def render(report: Report, fmt: Format) -> str:
    """The report as text, JSON or CSV."""
    if fmt == "json":
        return report.model_dump_json(indent=2) + "\n"
    if fmt == "csv":
        return render_csv(report)
    return render_text(report)
