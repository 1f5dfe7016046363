"""The reply: answer text with its citation marker, citations, answer spans, and localized declines."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.answer.decide import Decision, Reason
from assistant.answer.question import Question
from assistant.answer.rank import Ranked
from assistant.answer.span import AnswerSpan
from assistant.corpus import DateSource, Document
from assistant.text import to_traditional

# The answer cites the passage it was copied from.
ANSWER_MARKER = "[1]"


@dataclass(frozen=True)
class Citation:
    """A cited passage: ``document.text[start:end] == text``."""

    n: int
    doc_id: str
    title: str
    published: str | None
    text: str
    start: int
    end: int
    score: float
    date_source: DateSource | None = None  # whether ``published`` is declared or read from the text


@dataclass(frozen=True)
class Fragment:
    """Where one fragment of the answer lies in its document."""

    doc_id: str
    start: int
    end: int


@dataclass(frozen=True)
class Answer:
    """A reply to one question; ``answered`` is false when the documents don't support one."""

    answered: bool
    text: str
    citations: list[Citation]
    reason: Reason
    support: float
    spans: list[Fragment] = field(default_factory=list)
    as_of: str | None = None


def citations(ranked: list[Ranked], documents: dict[str, Document], top_k: int, max_chars: int) -> list[Citation]:
    """The first ``top_k`` ranked passages as citations, cut to ``max_chars``."""
    out = []
    for n, item in enumerate(ranked[:top_k], start=1):
        chunk = item.passage.chunk
        doc = documents[chunk.doc_id]
        end = min(chunk.end, chunk.start + max_chars)
        out.append(
            Citation(
                n,
                doc.doc_id,
                doc.title,
                doc.published,
                doc.text[chunk.start : end],
                chunk.start,
                end,
                round(item.dense, 4),
                doc.date_source,
            )
        )
    return out


def answered(
    span: AnswerSpan,
    ranked: list[Ranked],
    documents: dict[str, Document],
    top_k: int,
    max_chars: int,
    decision: Decision,
) -> Answer:
    """An answer copied from its span, citing the span's passage first."""
    doc = documents[span.doc_id]
    own = [r for r in ranked if r.passage.chunk.chunk_id == span.chunk_id]
    ordered = own + [r for r in ranked if r.passage.chunk.chunk_id != span.chunk_id]
    return Answer(
        True,
        span.text + ANSWER_MARKER,
        citations(ordered, documents, top_k, max_chars),
        "answered",
        decision.confidence,
        [Fragment(span.doc_id, f.start, f.end) for f in span.fragments],
        doc.published,
    )


def declined(question: Question, decision: Decision, cited: list[Citation], hotline: str) -> Answer:
    """A polite "the documents don't say", in the question's language and script, worded by reason."""
    ask = question.ask
    reason = decision.reason
    if question.language == "en":
        # An ask without a label ("哪些", "why") names no kind of detail: the reply without one.
        if reason == "detail_not_published" and ask is not None and ask.label_en:
            text = (
                f"The published documents mention this, but they do not give {ask.label_en}. The passages below are "
                f"what they do say; for {ask.label_en}, please call the {hotline} hotline."
            )
        elif reason == "detail_not_published":
            # A follow-up about a thing the thread's document never names, asked without a question word kinds.py
            # knows ("which team?"): the same reply, without naming the kind of detail.
            text = (
                "The published documents mention this, but they do not give this detail. The passages below are "
                f"what they do say; for more, please call the {hotline} hotline."
            )
        elif reason == "out_of_scope":
            text = (
                "I can only answer questions about the district's published documents. "
                f"For anything else, the {hotline} government service hotline can help."
            )
        else:
            text = (
                "Sorry, the district's published documents do not cover this question. "
                f"The {hotline} government service hotline can help."
            )
    else:
        if reason == "detail_not_published" and ask is not None and ask.label_zh:
            text = (
                f"已发布的文件提到了相关内容，但没有公布{ask.label_zh}。下面是文件中的相关原文；"
                f"如需了解{ask.label_zh}，请拨打{hotline}政务服务便民热线咨询。"
            )
        elif reason == "detail_not_published":
            text = (
                "已发布的文件提到了相关内容，但没有公布这项具体信息。下面是文件中的相关原文；"
                f"如需了解，请拨打{hotline}政务服务便民热线咨询。"
            )
        elif reason == "out_of_scope":
            text = f"我只能回答与区里已发布文件有关的问题。其他事项请拨打{hotline}政务服务便民热线。"
        else:
            text = f"抱歉，区里已发布的文件中没有与这个问题相关的内容。如需帮助，请拨打{hotline}政务服务便民热线。"
        if question.language == "zh-Hant":
            text = to_traditional(text)
    shown = cited if reason == "detail_not_published" else []
    return Answer(False, text, shown, reason, decision.confidence)
