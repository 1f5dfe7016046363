"""The ranking features a candidate passage takes from its document, computed once per document per question."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.answer.passages import DocumentView
from assistant.answer.question import area_in, same_area

if TYPE_CHECKING:  # rank.py imports this module
    from assistant.answer.rank import Weights


@dataclass(frozen=True)
class DocumentFeatures:
    """What every passage of one document shares among its ranking features (see ``rank.features``)."""

    # The larger of the body's and the title's weighted share of the topic words.
    cov_topic: float
    # The body's and the title's weighted share of the content words.
    body_cov: float
    title_cov: float
    recency: float
    area_conflict: float
    area_foreign: float
    # The document's first chunk id and its number of chunks, for a passage's position in it.
    first_chunk: int
    n_chunks: int


@dataclass(frozen=True)
class DocumentContext:
    """What the documents' features are relative to: the question's words, areas and the candidates' dates."""

    weights: Weights
    asked_areas: Collection[str]
    home: str | None
    # The cities the home district lies in: their notices are the district's too ("潍坊市水务集团").
    cities: frozenset[str]
    oldest: int
    newest: int


def document_features(doc: DocumentView, chunks: list[int], context: DocumentContext) -> DocumentFeatures:
    """The features ``doc`` gives each of its passages (``chunks``: its chunk ids in order)."""
    c = context
    w = c.weights
    # A section of a notice often lacks the words naming its subject, which its document's title gives.
    cov_topic = max(doc.body.coverage(w.topic, w.topic_w), doc.title.coverage(w.topic, w.topic_w))
    published = doc.published
    newest, oldest = c.newest, c.oldest
    recency = (published.toordinal() - oldest) / (newest - oldest) if newest > oldest and published else 0.5
    asked = c.asked_areas
    named = any(area_in(a, doc.body.folded) or area_in(a, doc.title.folded) for a in asked)
    # A document whose opening never names the home district but names another is that district's.
    asked_here = any(same_area(a, d) for a in asked for d in doc.areas)
    # Nor is a notice of the city the district lies in, which names no area but that city ("潍坊市水务集团").
    citywide = all(any(same_area(a, city) for city in c.cities) for a in doc.areas)
    foreign = 1.0 if c.home and doc.areas and c.home not in doc.head and not asked_here and not citywide else 0.0
    return DocumentFeatures(
        cov_topic,
        doc.body.coverage(w.terms, w.terms_w),
        doc.title.coverage(w.terms, w.terms_w),
        recency,
        1.0 if asked and not named else 0.0,
        foreign,
        chunks[0],
        len(chunks),
    )
