"""Candidate passages and their features, ranked by the fitted ranking model."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assistant.answer.document_features import DocumentContext, document_features
from assistant.answer.model import LinearModel
from assistant.answer.passages import LOOSE_CREDIT, SECTION_KEYS, DocumentView, Passages, PassageView, TextView
from assistant.answer.question import Question, choices, other_identifier, same_area
from assistant.lang.kinds import labels_kind
from assistant.lang.synonyms import synonym_groups
from assistant.retrieval import Retrieval
from assistant.structure import field_of
from assistant.text import (
    CJK_RUN_RE,
    fold,
    function_word,
    glued_pair,
    glued_word,
    kinship_word,
    pinyin,
    quantity_word,
)

# Documents whose every passage competes, besides the passages the search found: a later passage of the
# right document often lacks the words that name its subject.
EXPANDED_DOCUMENTS = 3
# Expressions this close to a question word answer it (characters).
NEAR_CHARS = 12
# Structure blocks that say what follows rather than answer anything.
KEY_BLOCKS = frozenset({"question", "heading", "title"})


@dataclass(frozen=True)
class Ranked:
    """A candidate passage, its features and the ranking model's log-odds that it holds the answer."""

    passage: PassageView
    dense: float
    features: dict[str, float]
    score: float


@dataclass(frozen=True)
class Weights:
    """IDF weights of the question's words (a word the corpus never uses weighs as much as the rarest)."""

    terms: tuple[str, ...]
    terms_w: tuple[float, ...]
    topic: tuple[str, ...]
    topic_w: tuple[float, ...]
    unknown: float
    unknown_max: float = 0.0  # the largest unknown share of one topic word


def term_weights(question: Question, passages: Passages) -> Weights:
    """IDF weights of the question's content and topic words, and the weighted share the corpus never uses."""
    lexical = passages.index.lexical
    top = lexical.top_idf

    def weigh(terms: tuple[str, ...]) -> tuple[float, ...]:
        # A term met by any of several words weighs as the rarest one the corpus uses.
        vocabulary, idf = lexical.vocabulary, lexical.idf
        known = [[float(idf[vocabulary[w]]) for w in choices(t) if w in vocabulary] for t in terms]
        return tuple(max(k) if k else top for k in known)

    def unknown_share(term: str) -> float:
        # A word the corpus never uses is still heard through a near-synonym it does use ("网上" for "线上"),
        # and a term of several words through any of them.
        share = min(lexical.unknown_share(c) for c in choices(term))
        for other in synonym_groups().get(term, ()) if share else ():
            share = min(share, lexical.unknown_share(other))
        # Nor a word the documents write another way by the same sound, as ``TextView.match`` hears it: a typo
        # ("食唐" for 食堂) or a homophone ("截止" for 截至). The index keeps the sound of each word it holds.
        if share and len(term) > 1 and CJK_RUN_RE.fullmatch(term) and pinyin(term) in lexical.vocabulary:
            share = min(share, 1.0 - LOOSE_CREDIT)
        # Nor is an abbreviation of a name the documents write in full ("消保科": 消费者权益保护科).
        if share and passages.abbreviated(term):
            share = min(share, 1.0 - LOOSE_CREDIT)
        # Nor a word jieba glued a numeral or a modal onto ("一度" of "多少钱一度", "能换" of "能换吗"): the measure
        # word or verb it carries is heard where the documents write it ("元/度", "更换"), a one-character one
        # anywhere in them.
        # Nor two everyday characters jieba joined across two words ("包落" of "把包落车上了"): each is heard
        # where the documents write it.
        if share and glued_pair(term) and all(passages.written(c) for c in term):
            share = 0.0
        carried = glued_word(term) if share else None
        if carried is not None:
            known = lexical.unknown_share(carried) if len(carried) > 1 else float(not passages.written(carried))
            share = min(share, known)
        return share

    terms = question.matched
    weights = weigh(terms)
    asked = question.matched_topic  # derived from the question's text on each read: once here
    # A numeral jieba glued onto a measure word ("一年", "一位", "一个"), as the question words it and the documents
    # do not, says what the question counts in, as the ask's cue does, not what it is about: no topic word, where
    # the documents write the measure word ("每年", "2至3个"). Written whole ("每隔30米设置一盏路灯") it
    # still names the thing; a measure word they never write ("一吨" of water) stays an unheard topic word.
    topic = tuple(t for t in asked if not (quantity_word(t) and lexical.unknown_share(t) and not unknown_share(t)))
    # Nor is the resident's own family member ("我妈" of "我妈今年82了，还能报老年大学吗") where no document names one.
    topic = tuple(t for t in topic if not (kinship_word(t) and lexical.unknown_share(t))) or topic
    # Nor an adverb and a modal jieba kept as one word ("才能" of "女的多大才能结婚"), where no document writes it so
    # and the topic word right after it is the verb it qualifies. Before a verb that is no topic word ("才能走")
    # it stands for that verb; where a document writes it ("艺术才能") it is a word of its own.
    topic = (
        tuple(t for t in topic if not (modal_before(t, topic, question.folded) and lexical.unknown_share(t))) or topic
    )
    topic = topic or asked
    topic_w = weigh(topic)
    # Of the topic alone: the words of the ask ("设在" of "设在哪里") say what is wanted, not what it is about.
    shares = [unknown_share(t) for t in topic]
    unknown = sum(w * share for share, w in zip(shares, topic_w, strict=True))
    return Weights(terms, weights, topic, topic_w, unknown / sum(topic_w) if topic_w else 0.0, max(shares, default=0.0))


def modal_before(word: str, topic: tuple[str, ...], folded: str) -> bool:
    """Whether ``word`` is an adverb and a modal ("才能", "就要") written right before another of the ``topic``
    words in the question ("才能结婚"): the verb after it names what is asked."""
    if not function_word(word):
        return False
    at = folded.find(word)
    rest = folded[at + len(word) :] if at >= 0 else ""
    return any(other != word and rest.startswith(other) for other in topic)


def candidates(retrieval: Retrieval, passages: Passages) -> dict[int, float]:
    """Chunk ids to rank, with their cosine: the search's hits and every passage of the leading documents."""
    pool = {hit.chunk.chunk_id: hit.dense for hit in retrieval.hits}
    best: dict[str, float] = {}
    for hit in retrieval.hits:
        best[hit.chunk.doc_id] = max(best.get(hit.chunk.doc_id, -1.0), hit.score)
    leading = sorted(best, key=lambda d: -best[d])[:EXPANDED_DOCUMENTS]
    missing = [i for d in leading for i in passages.chunks_of[d] if i not in pool]
    if missing:
        vectors = passages.index.dense.reconstruct_batch(np.asarray(missing, dtype=np.int64))
        for i, cos in zip(missing, vectors @ retrieval.vector[0], strict=True):
            pool[i] = float(cos)
    return pool


def _near(view: TextView, positions: list[int], terms: tuple[str, ...]) -> bool:
    """Whether an expression starts within ``NEAR_CHARS`` of a question word in the text."""
    spots = [i for t in terms for c in choices(t) if len(c) > 1 for i in _find_all(view.folded, c)]
    return any(abs(p - s) <= NEAR_CHARS for p in positions for s in spots)


def _find_all(text: str, term: str) -> list[int]:
    out: list[int] = []
    i = text.find(term)
    while i >= 0 and len(out) < 8:
        out.append(i)
        i = text.find(term, i + 1)
    return out


@dataclass(frozen=True)
class DocumentTerms:
    """How a document's title and section keys answer the question's topic words (once per document)."""

    title: tuple[float, ...]
    keyed: tuple[bool, ...]

    @staticmethod
    def of(doc: DocumentView, terms: tuple[str, ...]) -> DocumentTerms:
        """Match each topic word against the title and the section keys of ``doc`` (headings, FAQ questions)
        that set a section apart: not a word the document uses throughout."""
        return DocumentTerms(
            tuple(doc.title.match(t) for t in terms),
            tuple(any(k.match(t) for k in doc.keys) and not _throughout(doc, t) for t in terms),
        )


def _throughout(doc: DocumentView, term: str) -> bool:
    """Whether ``doc`` says ``term`` outside the sections it heads more often than it heads sections:
    the "停水" of a notice about a water cut ("一、停水时间", "二、停水范围", "停水期间请…") is what all of it is
    about, while "19路" heading one section of a bus notice and said nowhere else sets that section apart."""
    blocks = doc.blocks
    heads = {i for i, b in enumerate(blocks) if b.kind in SECTION_KEYS and TextView.of(b.text).match(term)}
    said = 0
    for b in blocks:
        owner = b.pair if b.kind == "answer" else b.heading
        if b.kind in KEY_BLOCKS or owner in heads:
            continue
        said += 1 if TextView.of(b.text).match(term) else 0
    return said > len(heads)


def framed_coverage(view: TextView, doc: DocumentTerms, terms: tuple[str, ...], weights: tuple[float, ...]) -> float:
    """Weighted share of ``terms`` the passage (with its headings) or its document's title mentions."""
    total = sum(weights)
    if not total:
        return 0.0
    pairs = zip(terms, weights, doc.title, strict=True)
    return sum(w * (1.0 if title == 1.0 else max(view.match(t), title)) for t, w, title in pairs) / total


def section_conflict(view: TextView, doc: DocumentTerms, terms: tuple[str, ...], weights: tuple[float, ...]) -> float:
    """Weighted share of ``terms`` that head another section of the document but are absent from the passage's
    own section (``view``): the passage is about a sibling ("19路" asked, the W6 section's fare found)."""
    total = sum(weights)
    if not total or not any(doc.keyed):
        return 0.0
    pairs = zip(terms, weights, doc.keyed, strict=True)
    return sum(w for t, w, keyed in pairs if keyed and not view.match(t)) / total


def _structure(view: PassageView, doc: DocumentView, question: Question, weights: Weights) -> dict[str, float]:
    """Structure features: a label–value line giving the asked kind; a heading or label announcing it; only
    headings; the coverage of the FAQ question an answer block answers."""
    ask = question.ask
    chunk = view.chunk
    label_kind = 0.0
    label_ask = 1.0 if ask is not None and labels_kind(fold(chunk.context), ask.kinds) else 0.0
    faq_cov = 0.0
    for block in view.blocks:
        # A numbered item written as a field ("一、施工时间：…") is a label–value line as much as an unnumbered one.
        field = field_of(block)
        if ask is not None and field is not None:
            value = field.value
            inside = (m for m in view.kinds if value.start <= chunk.start + m.start < block.end)
            label_kind = max(label_kind, 1.0 if any(m.kind in ask.kinds for m in inside) else 0.0)
        if ask is not None and not label_ask:
            label = field.label.text if field is not None else None
            # A title names the document's subject, not the value below it ("…施工期间交通组织的通告").
            if block.kind in KEY_BLOCKS and block.kind != "title":
                label = block.text
            label_ask = 1.0 if label is not None and labels_kind(fold(label), ask.kinds) else 0.0
        if block.kind == "answer" and block.pair is not None:
            key = doc.blocks[block.pair]
            faq_cov = max(faq_cov, TextView.of(key.text).coverage(weights.terms, weights.terms_w))
    key_only = 1.0 if view.blocks and all(b.kind in KEY_BLOCKS for b in view.blocks) else 0.0
    return {"label_kind": label_kind, "label_ask": label_ask, "key_only": key_only, "faq_cov": faq_cov}


def features(
    question: Question,
    weights: Weights,
    pool: dict[int, float],
    retrieval: Retrieval,
    passages: Passages,
) -> list[tuple[PassageView, float, dict[str, float]]]:
    """The ranking features of each candidate passage."""
    lexical = retrieval.lexical_scores
    top_lex = float(max((lexical[i] for i in pool), default=0.0)) or 1.0
    top_dense = max(pool.values())
    views = [passages.passage(i) for i in pool]
    docs = {v.chunk.doc_id: passages.document(v.chunk.doc_id) for v in views}
    doc_terms = {doc_id: DocumentTerms.of(doc, weights.topic) for doc_id, doc in docs.items()}
    dates = [d.published.toordinal() for d in docs.values() if d.published]
    oldest, newest = (min(dates), max(dates)) if dates else (0, 0)
    home = passages.home_area
    mentioned = question.areas | {a for a in passages.titled_areas if a in question.folded}
    asked_areas = {a for a in mentioned if not (home and same_area(a, home))}
    en = 1.0 if question.language == "en" else 0.0
    focus = tuple(question.focus) or weights.topic
    focus_w = tuple(1.0 for _ in focus)
    # What a passage takes from its document, once per document rather than once per passage.
    context = DocumentContext(weights, asked_areas, home, passages.home_cities, oldest, newest)
    of_doc = {d: document_features(doc, passages.chunks_of[d], context) for d, doc in docs.items()}
    out = []
    for view in views:
        chunk = view.chunk
        doc = docs[chunk.doc_id]
        shared = of_doc[chunk.doc_id]
        terms_of_doc = doc_terms[chunk.doc_id]
        dense = pool[chunk.chunk_id]
        lex = float(lexical[chunk.chunk_id]) / top_lex
        cov = view.view.coverage(weights.terms, weights.terms_w)
        cov_topic = view.view.coverage(weights.topic, weights.topic_w)
        kinds = view.kind_names
        ask = question.ask
        kind = 1.0 if ask is not None and kinds & ask.kinds else 0.0
        positions = [m.start for m in view.kinds if ask is not None and m.kind in ask.kinds]
        near = 1.0 if kind and _near(view.view, positions, focus) else 0.0
        structure = _structure(view, doc, question, weights)
        section = passages.section(chunk.chunk_id)
        out.append(
            (
                view,
                dense,
                {
                    "dense": dense,
                    "dense_gap": dense - top_dense,
                    "lex": lex,
                    "cov": cov,
                    "cov_sq": cov * cov,
                    "cov_topic": cov_topic,
                    "cov_focus": view.view.coverage(focus, focus_w),
                    "doc_cov": max(shared.body_cov, cov),
                    "doc_cov_topic": max(shared.cov_topic, cov_topic),
                    "framed_cov_topic": framed_coverage(view.view, terms_of_doc, weights.topic, weights.topic_w),
                    "section_conflict": section_conflict(section, terms_of_doc, weights.topic, weights.topic_w),
                    # What the passage's whole section says: its first passage names what its later ones count.
                    "section_cov_topic": max(section.coverage(weights.topic, weights.topic_w), cov_topic),
                    "quote": 1.0 if any(q in view.view.folded for q in question.quotes) else 0.0,
                    "other_id": 1.0 if other_identifier(question, view.view.folded) else 0.0,
                    "char_cov": view.view.characters(weights.topic),
                    "title_cov": shared.title_cov,
                    "kind": kind,
                    "kind_near": near,
                    **structure,
                    "no_ask": 1.0 if ask is None else 0.0,
                    # A passage with the asked kind answers only if it is on the question's topic.
                    "kind_topic": kind * cov_topic,
                    "recency": shared.recency,
                    "recency_latest": shared.recency if question.wants_latest else 0.0,
                    "area_conflict": shared.area_conflict,
                    "area_foreign": shared.area_foreign,
                    "en_dense": en * dense,
                    "en_lex": en * lex,
                    "position": (chunk.chunk_id - shared.first_chunk) / max(shared.n_chunks, 1),
                },
            )
        )
    return out


def rank(
    question: Question, weights: Weights, retrieval: Retrieval, passages: Passages, model: LinearModel
) -> list[Ranked]:
    """Every candidate passage, best first by the fitted ranking model."""
    pool = candidates(retrieval, passages)
    rows = features(question, weights, pool, retrieval, passages)
    ranked = [Ranked(view, dense, values, model.margin(values)) for view, dense, values in rows]
    ranked.sort(key=lambda r: -r.score)
    return ranked
