"""The answer pipeline: analyse -> candidates and ranking -> answer span -> decision -> rendering."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from assistant.answer.decide import Decision, decide
from assistant.answer.model import EngineModel, packaged_model
from assistant.answer.newer import (
    Said,
    asks_before,
    asks_past,
    corrects,
    giving,
    named_years,
    reports_past,
    same_detail,
    same_subject,
)
from assistant.answer.passages import Passages, TextView
from assistant.answer.question import Question, analyse, issued_by_agency
from assistant.answer.rank import Ranked, Weights, rank, term_weights
from assistant.answer.render import Answer, answered, citations, declined
from assistant.answer.span import (
    SPAN_PASSAGES,
    AnswerSpan,
    Candidate,
    Piece,
    asker_age,
    by_method,
    by_subject,
    choose,
    clause_rows,
    grow,
    lacks_method,
    origin,
    origin_unnamed,
    other_item,
    pieces,
    repairable,
    typed,
    unwritten_subject,
)
from assistant.chunking import Chunk, Span, sentences
from assistant.corpus import labels_publication
from assistant.embedding import Embedder
from assistant.index import Index
from assistant.lang.kinds import QUANTITY_KINDS, excludes_age
from assistant.retrieval import Retrieval
from assistant.settings import Settings
from assistant.text import content_words, fold

# The share of the question's topic weight that heads another section of a passage's document, and is absent
# from the passage, above which the passage is about a sibling of what was asked.
SIBLING_SECTION = 0.5


@dataclass(frozen=True)
class Trace:
    """Everything the engine decided for one question, for ``assistant ask --explain`` and for fitting."""

    question: Question
    weights: Weights
    ranked: list[Ranked]
    span: AnswerSpan | None
    decision: Decision
    answer: Answer


def answering(ranked: list[Ranked]) -> list[Ranked]:
    """The ranked passages that may give the answer, in their order."""
    # Never another district's figure for the one asked about: a passage of a document about another area, or
    # one that never names the area asked for, is cited but does not answer. Nor the detail of a sibling: a
    # passage whose section lacks most of what the question names, when another section of its document is
    # headed by it ("19路" asked, the W6 route's fare found). Nor another numbered route's or building's: its
    # passage names only others ("W6路" for "19路").
    return [
        r
        for r in ranked
        if not r.features["area_foreign"]
        and not r.features["area_conflict"]
        and r.features["section_conflict"] < SIBLING_SECTION
        and not r.features["other_id"]
    ]


class Engine:
    """Builds cited, extractive answers from retrieved passages with the fitted models."""

    def __init__(self, index: Index, embedder: Embedder, settings: Settings, model: EngineModel | None = None) -> None:
        self.index = index
        self.embedder = embedder
        self.settings = settings
        self.model = model or packaged_model()
        self.passages = Passages(index)
        self._clauses = lru_cache(maxsize=settings.clause_cache_size)(self._embed_clauses)

    def _embed_clauses(self, chunk_id: int) -> tuple[list[Piece], npt.NDArray[np.float32]]:
        """A passage's answering clauses and their vectors, embedded when the index was built (cached: passages
        recur across questions)."""
        found = pieces(self.passages.passage(chunk_id))
        stored = self.index.clauses
        if chunk_id < stored.passages and len(stored.of(chunk_id)) == len(found):
            return found, stored.of(chunk_id)
        # An index held without its clauses, or cut by other code than this (a stale build): encoded here.
        if not found:
            return found, np.zeros((0, self.embedder.dimension), dtype=np.float32)
        return found, self.embedder.encode([fold(p.clause.text) for p in found])

    def span_candidates(self, ranked: list[Ranked], retrieval: Retrieval) -> list[Candidate]:
        """The leading passages whose clauses compete for the answer."""
        own = answering(ranked)
        leading = own[:SPAN_PASSAGES]
        best = own[0].score if own else 0.0
        # The chunker cuts a long paragraph at a length, not where its subject changes: a passage that goes
        # on with a leading passage's paragraph stands no further behind than that one (in document order, so
        # a paragraph cut in three carries through).
        gaps = {r.passage.chunk.chunk_id: best - r.score for r in leading}
        for chunk_id in sorted(gaps):
            before = gaps.get(chunk_id - 1)
            if before is not None and self._continues(self.index.chunks[chunk_id]):
                gaps[chunk_id] = min(gaps[chunk_id], before)
        return [
            self._candidate(item, position, gaps[item.passage.chunk.chunk_id], retrieval)
            for position, item in enumerate(leading)
        ]

    def document_candidates(self, ranked: list[Ranked], span: AnswerSpan, retrieval: Retrieval) -> list[Candidate]:
        """Every ranked passage of ``span``'s document that could answer, as candidates at their own ranks."""
        own = answering(ranked)
        best = own[0].score if own else 0.0
        return [
            self._candidate(item, position, best - item.score, retrieval)
            for position, item in enumerate(own)
            if item.passage.chunk.doc_id == span.doc_id
        ]

    def _candidate(self, item: Ranked, position: int, gap: float, retrieval: Retrieval) -> Candidate:
        """One ranked passage as a candidate whose clauses compete for the answer."""
        chunk = item.passage.chunk
        found, vectors = self._clauses(chunk.chunk_id)
        title = self.index.documents[chunk.doc_id].title
        # The document's declared other names for its subject are part of it ("种粮补贴" of "耕地地力保护补贴").
        aliases = self.passages.document(chunk.doc_id).aliases
        subject = f"{title}\n{aliases}\n{chunk.context}" if aliases else f"{title}\n{chunk.context}"
        cosines = vectors @ retrieval.vector[0]
        conflict = item.features["section_conflict"]
        document = self.passages.document(chunk.doc_id)
        # A notice's silence on the asked kind counts whether it declares its date or only its issuing body.
        declared = document.document.declared or issued_by_agency(document.document.source)
        # A date read from the text is a publication date only when the text says so ("发布日期 2021-05-31"): an
        # encyclopaedia page that opens with an event's date ("1643年5月19日") is not a notice that carries one.
        dated = document.published is not None and (declared or labels_publication(document.document.text))
        return Candidate(item.passage, found, cosines, position, subject, gap, conflict, dated, title, declared)

    def newer(
        self, question: Question, weights: Weights, ranked: list[Ranked], span: AnswerSpan, retrieval: Retrieval
    ) -> AnswerSpan:
        """The newer document's answer where it gives the same detail as ``span`` differently (issue 11):
        a later notice supersedes what an earlier one said of the same thing, unless the question asks
        about a past time. What only the older document says stays its answer."""
        published = self.passages.document(span.doc_id).published
        if published is None or asks_past(question.text):
            return span
        return self.corrected(ranked, span, published) or self._edition(
            question, weights, ranked, span, retrieval, lambda day: day > published, later=True
        )

    def corrected(self, ranked: list[Ranked], span: AnswerSpan, published: dt.date) -> AnswerSpan | None:
        """The sentence of a later correction notice that quotes words of ``span`` and corrects them, if any: it
        says outright which figure it replaces, where two editions' figures are only compared."""
        for item in ranked:
            chunk = item.passage.chunk
            doc = self.passages.document(chunk.doc_id)
            if doc.published is None or doc.published <= published:
                continue
            for sentence in sentences(chunk.text, chunk.start, semicolons=False):
                if corrects(sentence.text, span.text):
                    title = doc.document.title
                    return replace(
                        span, doc_id=chunk.doc_id, chunk_id=chunk.chunk_id, fragments=(sentence,), title=title
                    )
        return None

    def older(
        self, question: Question, weights: Weights, ranked: list[Ranked], span: AnswerSpan, retrieval: Retrieval
    ) -> AnswerSpan:
        """The earlier document's answer where the question names the year it was published in and ``span``
        comes from a later one giving the same detail ("2023年发通告的时候…原来定到哪天"): that year's edition is
        the one asked about, not the notice that superseded it. Asked what it was before, without a year
        ("过渡期原来定到哪天"), any earlier edition that gives the detail differently is."""
        published = self.passages.document(span.doc_id).published
        if published is None:
            return span
        years = named_years(question.text)
        if not years and asks_before(question.text):
            return self._edition(question, weights, ranked, span, retrieval, lambda day: day < published, later=False)
        if not years or published.year in years:
            return span
        return self._edition(
            question, weights, ranked, span, retrieval, lambda day: day < published and day.year in years, later=False
        )

    def _edition(
        self,
        question: Question,
        weights: Weights,
        ranked: list[Ranked],
        span: AnswerSpan,
        retrieval: Retrieval,
        wanted: Callable[[dt.date], bool],
        later: bool,
    ) -> AnswerSpan:
        """The answer from another document on the subject of ``span``'s, published on a day ``wanted``
        accepts (``later``: after it), where one of its clauses gives the same detail as ``span``; else ``span``."""
        home = self.passages.home_area
        asked = question.ask.kinds if question.ask is not None else frozenset()
        unit = question.unit if question.ask is not None and question.ask.kinds & QUANTITY_KINDS else None
        olds = giving(span.text, asked, unit)
        if not olds:
            return span
        # Of several figures in the answer's sentence, the one the question names ("建筑面积" of "…，建筑面积6800
        # 平方米，总投资4500万元"): a newer investment figure does not supersede the floor area.
        named = [TextView.of(o.text).coverage(weights.terms, weights.terms_w) for o in olds]
        olds = [o for o, n in zip(olds, named, strict=True) if n == max(named)]

        def covers(fragments: tuple[Span, ...]) -> float:
            return TextView.of("".join(f.text for f in fragments)).coverage(weights.topic, weights.topic_w)

        covered = covers(span.fragments)
        age = asker_age(question)
        best: tuple[int, float] | None = None
        chosen: AnswerSpan | None = None
        for item in ranked:
            chunk = item.passage.chunk
            doc = self.passages.document(chunk.doc_id)
            features = item.features
            if doc.published is None or not wanted(doc.published):
                continue
            if features["area_foreign"] or features["area_conflict"] or features["other_id"]:
                continue
            if not same_subject(span.title, doc.document.title, home):
                continue
            candidate = self._candidate(item, 0, 0.0, retrieval)
            # What both titles name is the subject, not which detail of it a clause gives. A notice that changes
            # a detail names it in its title ("调整…临时号牌过渡期"): going back to the earlier edition, only the
            # words both titles share are the subject, or the detail asked would be taken for it.
            own, other = set(content_words(span.title)), set(content_words(doc.document.title))
            subject = own | other if later else own & other
            for index, row in enumerate(clause_rows(question, weights, candidate)):
                clause = Said.of(candidate.found[index].clause.text)
                # The newer notice's report of the earlier state is not its new figure; the older notice's is.
                if later and reports_past(clause.text, question.folded):
                    continue
                # The newer price of other ages than the one the question states supersedes nothing it asks.
                if age is not None and excludes_age(clause.text, age):
                    continue
                shared = max(same_detail(old, clause, asked, subject, unit) for old in olds)
                key = (shared, self.model.span.margin(row))
                if not shared or (best is not None and key <= best):
                    continue
                fragments = grow(question, candidate.passage, candidate.found, index)
                # Never a sibling detail that names less of the question: the 2024 update's dinner hours for
                # lunch, a lane's completion date for its start ("开工" asked, "完工" found).
                if covers(fragments) < covered:
                    continue
                best = key
                chosen = AnswerSpan(
                    chunk.doc_id,
                    chunk.chunk_id,
                    fragments,
                    row,
                    key[1],
                    candidate.dated,
                    candidate.title,
                    candidate.declared,
                )
        return chosen or span

    def _continues(self, chunk: Chunk) -> bool:
        """Whether ``chunk`` goes on with the previous chunk's paragraph (no line break between them)."""
        previous = self.index.chunks[chunk.chunk_id - 1] if chunk.chunk_id > 0 else None
        if previous is None or previous.doc_id != chunk.doc_id:
            return False
        text = self.index.documents[chunk.doc_id].text
        return "\n" not in text[min(previous.end, chunk.start - 1) : chunk.start]

    def trace(self, text: str, retrieval: Retrieval, top_k: int) -> Trace:
        """Run every stage for one question and keep what each produced."""
        question = analyse(text, self.index.bilingual, self.passages.written, self.passages.spelled)
        weights = term_weights(question, self.passages)
        ranked = rank(question, weights, retrieval, self.passages, self.model.rank) if retrieval.hits else []
        span = None
        if ranked and not question.instruction:
            span = choose(question, weights, self.span_candidates(ranked, retrieval), self.model.span)
            # Only a span either repair may change has the document's other passages read: most answers'
            # sentences hold what is asked.
            unwritten = self.unwritten(question, weights, span) if span is not None else ()
            if span is not None and (
                repairable(question, span)
                or origin_unnamed(question, span)
                or lacks_method(question, span)
                or unwritten
            ):
                same_document = self.document_candidates(ranked, span, retrieval)
                span = typed(question, weights, span, same_document, self.model.span)
                span = origin(question, weights, span, same_document, self.model.span)
                span = by_method(question, weights, span, same_document, self.model.span)
                # Only while the repairs above left a sentence on another item of the notice.
                unwritten = self.unwritten(question, weights, span)
                span = by_subject(question, weights, span, same_document, self.model.span, unwritten)
            if span is not None:
                span = self.newer(question, weights, ranked, span, retrieval)
                span = self.older(question, weights, ranked, span, retrieval)
        decision = decide(question, weights, ranked, span, self.model)
        if decision.answer and span is not None and self.for_other_item(question, weights, ranked, span, retrieval):
            # "号牌补领多久能拿到" answered by the list's item on new bikes: the notice's item on replacement
            # plates gives no time, so the time asked is not published.
            decision = replace(decision, answer=False, reason="detail_not_published")
        if decision.answer and span is not None and span.declared and self.unsaid_method(question, span.doc_id):
            # "开放日怎么报名" answered by "每年举办公众开放日": a notice that says how to do a thing names the
            # doing; one that never does (nor a near-synonym of it) gives no way, whatever it says of the topic.
            decision = replace(decision, answer=False, reason="detail_not_published")
        documents = self.index.documents
        max_chars = self.settings.citation_max_chars
        if decision.answer and span is not None:
            answer = answered(span, ranked, documents, top_k, max_chars, decision)
        else:
            answer = declined(question, decision, citations(ranked, documents, top_k, max_chars), self.settings.hotline)
        return Trace(question, weights, ranked, span, decision, answer)

    def unwritten(self, question: Question, weights: Weights, span: AnswerSpan) -> tuple[str, ...]:
        """``unwritten_subject`` of ``span`` against its own document."""
        document = self.passages.document(span.doc_id)
        return unwritten_subject(question, weights, span, document.title, document.body)

    def for_other_item(
        self, question: Question, weights: Weights, ranked: list[Ranked], span: AnswerSpan, retrieval: Retrieval
    ) -> bool:
        """Whether ``span``'s numbered item gives the asked kind for another item than the one a sibling item of
        its list names with the question's words (``other_item``)."""
        unwritten = self.unwritten(question, weights, span)
        return bool(unwritten) and other_item(
            weights, span, self.document_candidates(ranked, span, retrieval), unwritten
        )

    def unsaid_method(self, question: Question, doc_id: str) -> bool:
        """Whether a "how" question's action ("报名") is nowhere in the document, title or text."""
        document = self.passages.document(doc_id)
        return bool(question.method) and not (
            document.title.match(question.method) or document.body.match(question.method)
        )

    def compose(self, text: str, retrieval: Retrieval, top_k: int) -> Answer:
        """Answer ``text`` from ``retrieval``, citing at most ``top_k`` passages."""
        return self.trace(text, retrieval, top_k).answer
