"""Extractive, cited answers: pick the clause that answers, or say that the documents don't."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import numpy as np
import numpy.typing as npt

from assistant.chunking import Chunk, Span, clauses, sentences
from assistant.corpus import Document
from assistant.embedding import Embedder
from assistant.index import Index
from assistant.retrieval import Hit, Retrieval
from assistant.settings import Settings
from assistant.text import (
    PLACE_TAGS,
    QUESTION_WORDS,
    STOPWORDS,
    bigrams,
    content_words,
    fold,
    has_cjk,
    is_traditional,
    place_names,
    to_traditional,
    words,
)


@dataclass(frozen=True)
class AnswerType:
    """A kind of answer a question asks for, and how to recognise one in a passage."""

    name: str
    label_zh: str
    label_en: str
    asks: re.Pattern[str]
    found: re.Pattern[str]
    required: bool


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


NUMBER = (
    r"\d|[一二两三四五六七八九十百千万亿]+(?:个|处|家|项|名|人|次|座|所|条|件|批|类|种|亿|万|元|年|倍|级|层|期|轮|届|位|户"
    r"|套|台|辆|张|亩|吨|米|公里|平方米|大|园|区|朝|代|世|部|本|首|场|章|集)|第[一二两三四五六七八九十百千]+"
)
# Checked in order; the first type whose question pattern matches is the question's type.
# "Required" types are details: when the chosen passage has none, the documents don't give it.
ANSWER_TYPES = (
    AnswerType(
        "phone",
        "联系电话",
        "a phone number",
        _re(r"电话|联系方式|热线|手机号|phone|telephone|contact number|\bcall\b"),
        _re(r"\d{3,4}[-－ ]?\d{7,8}|1[3-9]\d{9}|热线\D{0,6}\d{5,}"),
        True,
    ),
    AnswerType(
        "web",
        "网址或邮箱",
        "a website or e-mail address",
        _re(r"邮箱|网址|email|e-mail|website|\burl\b"),
        _re(r"@|https?://|www\."),
        True,
    ),
    AnswerType(
        "hours",
        "开放时间",
        "opening hours",
        _re(r"几点|营业时间|开放时间|办公时间|上班时间|服务时间|opening hours|what time|when .*open"),
        _re(r"\d{1,2}[:：]\d{2}|\d{1,2}\s*[点时]|上午|下午|周[一二三四五六日]|星期|工作日"),
        True,
    ),
    AnswerType(
        "fee",
        "收费标准",
        "fees or prices",
        _re(
            r"收费|费用|多少钱|价格|价钱|票价|免费|[交缴付]费|花钱|要钱|\bfees?\b|\bcosts?\b|\bprices?\b|\bcharge|\bpay\b"
        ),
        _re(r"\d+(?:\.\d+)?\s*元|免费|收费"),
        True,
    ),
    AnswerType(
        "venue",
        "举办场地",
        "a venue",
        _re(
            r"场馆|场地|会场|举[办行]地|(?:在|于)(?:哪[里儿个]?|什么地方|何处).{0,6}举[办行]|举[办行]的?(?:地点|地方|场所)"
            r"|\bvenue|where\b.*\b(?:held|hosted|take place)"
        ),
        _re(r"\d+号|大厦|大楼|广场|[^书]馆|礼堂|会场|酒店|公园|剧院|体育场|学校|[^合]中心"),
        True,
    ),
    AnswerType("address", "具体地址", "an address", _re(r"地址|门牌|\baddress"), _re(r"\d+号|[路街巷道]\d"), True),
    AnswerType(
        "list",
        "",
        "",
        _re(r"哪些|哪几|有哪|都有|包括什么|which (?:\w+ )?(?:events|places|projects|ones)|what are|\blist\b"),
        _re(r"、|”“|和|及|等"),
        False,
    ),
    AnswerType(
        "when",
        "具体时间",
        "a date",
        _re(r"什么时候|何时|哪天|哪一天|哪[一]?年|几月|几号|什么时间|哪个时期|\bwhen\b|what date|what year"),
        _re(
            r"\d{4}|\d{1,2}\s*月|\d{1,2}\s*[日号]|[今明去前后当同次]年|年[内底初]|[上下]半年|世纪|年代|朝|时期|[春夏秋冬]"
            r"|[一二三四五六七八九十〇零]+[年月]|时代|[古近现当]代|[初中末晚早]期|纪"
        ),
        True,
    ),
    AnswerType(
        "place",
        "具体地点",
        "a place",
        _re(r"在哪[里儿]?|哪里|哪儿|位于哪|什么地方|\bwhere\b|location"),
        _re(r"[省市县区镇乡村州岛国洲路街]|地区|街道|海岸|半岛|山|河|湖|江|\d+号"),
        True,
    ),
    AnswerType(
        "count", "具体数字", "a figure", _re(r"多少|几|how many|how much|number of|规模|数量"), _re(NUMBER), True
    ),
    AnswerType(
        "who",
        "",
        "",
        _re(
            r"谁|哪个部门|哪家|哪个单位|什么单位|什么公司|哪个公司|哪个街道|哪个机构|和谁|与谁|\bwho\b"
            r"|which (?:company|department|street|organi[sz]ation)|organi[sz]es?"
        ),
        _re(r"局|委|办|部|厅|中心|集团|公司|企业|街道|政府|银行|学校|医院|协会|社区|单位"),
        False,
    ),
)
# Kinds of answer that a place name gives, whatever its form ("哈尔滨", "日本福冈").
PLACE_KINDS = frozenset({"place", "venue"})
# Requests to change the assistant's behaviour are not questions about the documents.
INSTRUCTION_RE = _re(
    r"忽略.{0,12}(?:指令|提示|规则|设定|要求)|系统提示|提示词|越狱|ignore (?:all|any|the|your|previous|prior|above)"
    r"|system prompt|jailbreak|disregard (?:all|previous|the)"
)


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


# The answer cites the passage it was copied from; "……" joins its subject to a later clause.
ANSWER_MARKER = "[1]"
ELLIPSIS = "……"

# Why an answer was given or declined.
Reason = Literal["answered", "out_of_scope", "unstated"]


@dataclass(frozen=True)
class Answer:
    """A reply to one question; ``answered`` is false when the documents don't support one."""

    answered: bool
    text: str
    citations: list[Citation]
    reason: Reason
    support: float


def question_type(question: str) -> AnswerType | None:
    """The kind of answer ``question`` asks for, if it is one we recognise."""
    folded = fold(question)
    return next((t for t in ANSWER_TYPES if t.asks.search(folded)), None)


def focus_words(question: str) -> set[str]:
    """The content words next to the question word: what the question asks about ("总投资" in "总投资多少")."""
    tokens = words(fold(question), search=False)
    for i, token in enumerate(tokens):
        if token in QUESTION_WORDS:
            left = next((t for t in reversed(tokens[:i]) if t not in STOPWORDS and len(t) > 1), None)
            right = next((t for t in tokens[i + 1 :] if t not in STOPWORDS and len(t) > 1), None)
            return {t for t in (left, right) if t}
    return set()


def question_pairs(terms: list[str]) -> frozenset[str]:
    """The character pairs of a question's content words (a word in another script stays whole)."""
    return frozenset(p for t in terms for p in (bigrams(t) if has_cjk(t) else [t]))


# Below this length a question word must match a whole word of the text, not any substring
# ("新建" is not in "创新建设"); longer words are specific enough to match as substrings.
SUBSTRING_MIN_CHARS = 3


def covers(term: str, words_of_text: frozenset[str], folded_text: str) -> bool:
    """Whether a text mentions ``term``: as one of its words, or as a substring if ``term`` is long."""
    return term in words_of_text or (len(term) >= SUBSTRING_MIN_CHARS and term in folded_text)


def coverage(terms: list[str], weights: list[float], text: str) -> float:
    """Share of the question's weighted content words that ``text`` mentions."""
    total = sum(weights)
    if not total:
        return 0.0
    found, folded = _words_of(text)
    return sum(w for t, w in zip(terms, weights, strict=True) if covers(t, found, folded)) / total


@lru_cache(maxsize=1 << 14)
def _words_of(text: str) -> tuple[frozenset[str], str]:
    """The words of a text and its folded form (cached: the same clauses are scored again and again)."""
    folded = fold(text)
    return frozenset(words(folded)), folded


class Composer:
    """Builds the answer from retrieved passages."""

    def __init__(self, index: Index, embedder: Embedder, settings: Settings) -> None:
        self.index = index
        self.embedder = embedder
        self.settings = settings
        self._passage_clauses = lru_cache(maxsize=settings.clause_cache_size)(self._embed_passage_clauses)
        self._document_chunks: dict[str, list[int]] = {}
        for chunk in index.chunks:
            self._document_chunks.setdefault(chunk.doc_id, []).append(chunk.chunk_id)

    def _term_weights(self, terms: list[str]) -> list[float]:
        """IDF of each term; a word the corpus never uses weighs as much as the rarest one."""
        lexical = self.index.lexical
        top = float(lexical.idf.max()) if lexical.idf.size else 1.0
        return [float(lexical.idf[lexical.vocabulary[t]]) if t in lexical.vocabulary else top for t in terms]

    def compose(self, question: str, retrieval: Retrieval, top_k: int) -> Answer:
        """Answer ``question`` from ``retrieval``, citing at most ``top_k`` passages."""
        s = self.settings
        hits = retrieval.hits
        folded = fold(question)
        if not hits or INSTRUCTION_RE.search(folded):
            return self._decline(question, [], "out_of_scope", 0.0)
        # A question about a place or body the documents never name is about something else.
        if any(not self.index.lexical.knows(name) for name in place_names(folded)):
            return self._decline(question, [], "out_of_scope", 0.0)
        terms = content_words(question)
        weights = self._term_weights(terms)
        focus = focus_words(question)
        qtype = question_type(question)

        scored = self._rerank(hits, terms, weights, qtype)
        scored, own = self._documents_first(scored, terms, weights, qtype, retrieval)
        spans, vectors = self._candidate_clauses(scored[:own])
        cosines = vectors @ retrieval.vector[0]
        support_cosines = vectors @ self._distinct_vector(folded, retrieval)
        focus_weights = [w * (s.focus_weight if t in focus else 1.0) for t, w in zip(terms, weights, strict=True)]
        # Every clause of the document is about its title's subject, named there or not.
        subject = f"{self.index.documents[scored[0][2].chunk.doc_id].title}\n" if s.title_in_clauses else ""
        clause_scores = np.array(
            [
                cos
                + s.clause_coverage_weight * coverage(terms, focus_weights, subject + clause.text) ** 2
                + self._kind_bonus(clause.text, qtype, focus)
                + s.passage_context_weight * scored[rank][2].dense
                - s.passage_rank_penalty * rank
                for (rank, _, clause), cos in zip(spans, cosines, strict=True)
            ]
        )
        # Support: how well the best clause means the question, plus how much of the question's
        # distinctive words the top passage mentions. Below the threshold nothing answers it.
        distinct = [(t, w) for t, w in zip(terms, weights, strict=True) if not self._ubiquitous(t)]
        distinct_cov = self._passage_coverage(scored[0][2], [t for t, _ in distinct], [w for _, w in distinct])
        support = float(support_cosines.max()) + s.coverage_weight * distinct_cov**2
        # Similarity across languages runs lower and is less telling, so it must clear its own bar.
        if support < (s.min_support if has_cjk(question) else s.min_support_cross_lingual):
            return self._decline(question, [], "out_of_scope", support)
        best = int(clause_scores.argmax())
        rank, sentence, _ = spans[best]
        answer_hit = scored[rank][2]
        if qtype:
            # A question for a kind of answer (a number, a date, a name...) must be on a topic the
            # passage covers: a date or a name next to an unrelated subject is no answer.
            topic = [(t, w) for t, w in zip(terms, weights, strict=True) if not qtype.asks.search(t)]
            topic_cov = self._passage_coverage(answer_hit, [t for t, _ in topic], [w for _, w in topic])
            needed = s.unstated_min_coverage if qtype.required else s.kind_min_coverage
            if has_cjk(question) and topic_cov < needed:
                return self._decline(question, [], "out_of_scope", support)
            if qtype.required and not self._holds(qtype, sentence.text, folded):
                # The clause that restates the question is often followed by the sentence that gives
                # the detail ("…开始于日本。首届比赛于1998年…"): the best clause whose sentence has it answers.
                holding = [
                    j
                    for j, (_, other, _) in enumerate(spans)
                    if s.kind_elsewhere and self._holds(qtype, other.text, folded)
                ]
                if not holding:
                    return self._decline(question, [h for _, _, h in scored[:top_k]], "unstated", support, qtype)
                best = max(holding, key=lambda j: float(clause_scores[j]))
                rank, sentence, _ = spans[best]
                answer_hit = scored[rank][2]

        def need(text: str) -> float:
            found = 1.0 if qtype and self._holds(qtype, text, folded) else 0.0
            return coverage(terms, focus_weights, text) + found

        # A question for a kind of answer (a figure, a date, a name, a list) gets the clauses that
        # hold it; an open question ("what is being done about…") may get a short sentence whole.
        start, end = self._window(spans, clause_scores, best, need, whole=qtype is None)
        text = self._answer_text(sentence, start, end, answer_hit.chunk)
        cited = [answer_hit, *[h for _, _, h in scored if h is not answer_hit][: top_k - 1]]
        return Answer(True, text + ANSWER_MARKER, self._citations(cited), "answered", support)

    def _candidate_clauses(
        self, scored: list[tuple[float, float, Hit]]
    ) -> tuple[list[tuple[int, Span, Span]], npt.NDArray[np.float32]]:
        """(passage rank, sentence, clause) for the clauses of the given passages, with their vectors."""
        spans: list[tuple[int, Span, Span]] = []
        blocks = []
        for rank, (_, _, hit) in enumerate(scored):
            pieces, vectors = self._passage_clauses(hit.chunk.chunk_id)
            spans.extend((rank, sentence, clause) for sentence, clause in pieces)
            blocks.append(vectors)
        limit = self.settings.max_answer_clauses
        return spans[:limit], np.concatenate(blocks)[:limit]

    def _embed_passage_clauses(self, chunk_id: int) -> tuple[list[tuple[Span, Span]], npt.NDArray[np.float32]]:
        """A passage's (sentence, clause) pieces and the clauses' vectors (cached: passages recur)."""
        chunk = self.index.chunks[chunk_id]
        pieces = [
            (sentence, clause)
            for sentence in sentences(chunk.text, chunk.start)
            for clause in clauses(sentence.text, sentence.start)
        ]
        return pieces, self.embedder.encode([fold(c.text) for _, c in pieces])

    def _distinct_vector(self, folded: str, retrieval: Retrieval) -> npt.NDArray[np.float32]:
        """The question's vector without the words most passages share.

        The words most passages share (the district's name...) make any question look related,
        so support is measured against a second query vector that leaves them out.
        """
        query_words = words(folded, search=False)
        distinct = [w for w in query_words if not self._ubiquitous(w)]
        if not distinct or len(distinct) == len(query_words):
            vectors = retrieval.vector
        else:
            vectors = self.embedder.encode(["".join(distinct) if has_cjk(folded) else " ".join(distinct)])
        vector: npt.NDArray[np.float32] = vectors[0]
        return vector

    def _answer_text(self, sentence: Span, start: int, end: int, passage: Chunk) -> str:
        """The answer's words, copied from its passage: ``[start, end)``, after its sentence's subject."""

        def cut(lo: int, hi: int) -> str:
            return passage.text[lo - passage.start : hi - passage.start].rstrip("，,；;：: ")

        text = cut(start, end)
        first = clauses(sentence.text, sentence.start)[0]
        room = self.settings.answer_max_chars - len(ANSWER_MARKER) - len(ELLIPSIS)
        if start > first.start and (first.end - first.start) + len(text) <= room:
            # The sentence's first clause usually names its subject ("潍州路街道…").
            gap = passage.text[first.end - passage.start : start - passage.start]
            text = cut(first.start, end) if not gap.strip() else cut(first.start, first.end) + ELLIPSIS + text
        return text

    def _ubiquitous(self, word: str) -> bool:
        """Whether ``word`` occurs in so many passages that it tells them apart from nothing."""
        n = len(self.index.chunks)
        return len(word) > 1 and self.index.lexical.frequency(word) >= self.settings.ubiquitous_share * n

    def _passage_coverage(self, hit: Hit, terms: list[str], weights: list[float]) -> float:
        """Coverage of a passage, using the words the lexical index holds for it (title and text).

        A word only the title has counts ``title_credit``: it says which document, not which passage.
        """
        total = sum(weights)
        if not total:
            return 0.0
        body = fold(hit.chunk.text)
        title = fold(self.index.documents[hit.chunk.doc_id].title)
        lexical = self.index.lexical
        found = 0.0
        for term, weight in zip(terms, weights, strict=True):
            indexed = hit.chunk.chunk_id in lexical.rows_with(term)
            if (indexed or len(term) >= SUBSTRING_MIN_CHARS) and term in body:
                found += weight
            elif indexed or (len(term) >= SUBSTRING_MIN_CHARS and term in title):
                found += self.settings.title_credit * weight
        return found / total

    def _documents_first(
        self,
        scored: list[tuple[float, float, Hit]],
        terms: list[str],
        weights: list[float],
        qtype: AnswerType | None,
        retrieval: Retrieval,
    ) -> tuple[list[tuple[float, float, Hit]], int]:
        """The best document's passages, best first, then the other passages; and how many are the document's.

        The document comes first: a document that mentions more of the question as a whole (its
        subject in one passage, the detail asked about in another) is more likely the one that answers
        it, so its coverage adds to each of its passages. Then the passage: the document's passages the
        search missed compete too, as a later passage often lacks the words that name its subject.
        """
        s = self.settings
        bonus = {
            doc_id: s.document_coverage_weight * self._document_coverage(doc_id, terms, weights) ** 2
            for doc_id in {hit.chunk.doc_id for _, _, hit in scored}
        }
        ranked = sorted(((score + bonus[h.chunk.doc_id], cov, h) for score, cov, h in scored), key=lambda x: -x[0])
        top_doc = ranked[0][2].chunk.doc_id
        own = [item for item in scored if item[2].chunk.doc_id == top_doc]
        seen = {h.chunk.chunk_id for _, _, h in own}
        missing = [i for i in self._document_chunks[top_doc] if i not in seen]
        if missing:
            cosines = self.index.dense.reconstruct_batch(np.asarray(missing, dtype=np.int64)) @ retrieval.vector[0]
            extra = [Hit(self.index.chunks[i], 0.0, float(c)) for i, c in zip(missing, cosines, strict=True)]
            own += self._rerank(extra, terms, weights, qtype)
        # When the question names the document's subject, the subject cannot tell its passages apart:
        # the rest of the question's wording, which a question mostly restates, does.
        pairs = question_pairs(terms) if self._names_title(top_doc, terms) else frozenset()
        own = sorted(
            ((score + bonus[top_doc] + s.pair_weight * self._pair_share(h, pairs), cov, h) for score, cov, h in own),
            key=lambda x: -x[0],
        )[: s.answer_passages]
        chosen = {h.chunk.chunk_id for _, _, h in own}
        return own + [item for item in ranked if item[2].chunk.chunk_id not in chosen], len(own)

    def _names_title(self, doc_id: str, terms: list[str]) -> bool:
        """Whether the question's words spell most of the document title's character pairs."""
        title = bigrams(_words_of(self.index.documents[doc_id].title)[1])
        said = {p for t in terms for p in bigrams(t)}
        return bool(title) and 2 * sum(p in said for p in title) >= len(title)

    def _pair_share(self, hit: Hit, pairs: frozenset[str]) -> float:
        """IDF-weighted share of the question's character pairs the passage holds, leaving out the title's.

        Pairs match words cut differently (a name jieba splits in two) and weigh by their IDF, so a
        pair most passages hold tells little.
        """
        title = _words_of(self.index.documents[hit.chunk.doc_id].title)[1]
        own = [p for p in pairs if not all(ch in title for ch in p)]
        weights = self._term_weights([("#" + p) if has_cjk(p) else p for p in own])
        total = sum(weights)
        if not total:
            return 0.0
        text = _words_of(hit.chunk.text)[1]
        return sum(w for p, w in zip(own, weights, strict=True) if p in text) / total

    def _document_coverage(self, doc_id: str, terms: list[str], weights: list[float]) -> float:
        """Share of the question's weighted content words that a document (title and text) mentions."""
        doc = self.index.documents[doc_id]
        return coverage(terms, weights, f"{doc.title}\n{doc.text}")

    def _holds(self, qtype: AnswerType, text: str, question: str) -> bool:
        """Whether ``text`` holds the kind of answer asked for; a place may also be any place name it gives.

        A place name the question itself gives, or one most passages share, answers nothing.
        """
        folded = fold(text)
        if qtype.found.search(folded):
            return True
        return qtype.name in PLACE_KINDS and any(
            name not in question and not self._ubiquitous(name) for name in place_names(folded, PLACE_TAGS)
        )

    def _kind_bonus(self, text: str, qtype: AnswerType | None, focus: set[str]) -> float:
        """Bonus for holding the kind of answer asked for, doubled when it sits beside what is asked about."""
        folded = fold(text)
        if qtype is None or not qtype.found.search(folded):
            return 0.0
        return self.settings.type_bonus * (2.0 if any(f in folded for f in focus) else 1.0)

    def _rerank(
        self, hits: list[Hit], terms: list[str], weights: list[float], qtype: AnswerType | None
    ) -> list[tuple[float, float, Hit]]:
        """Candidates as (score, squared coverage, hit), best first.

        Every candidate from either index competes, so a passage only one index found can
        still win: its meaning (cosine), how much of the question it mentions, and whether it
        holds the kind of answer asked for.
        """
        s = self.settings
        top_fused = max(h.score for h in hits) or 1.0
        scored = []
        for hit in hits:
            # Squared, so that sharing one common word counts for little and sharing all for much.
            cov = self._passage_coverage(hit, terms, weights) ** 2
            kind = self._kind_bonus(hit.chunk.text, qtype, focus=set())
            rerank = hit.dense + s.coverage_weight * cov + kind + s.fusion_weight * hit.score / top_fused
            scored.append((rerank, cov, hit))
        scored.sort(key=lambda item: -item[0])
        return scored

    def _window(
        self,
        spans: list[tuple[int, Span, Span]],
        scores: npt.NDArray[np.float64],
        best: int,
        need: Callable[[str], float],
        whole: bool,
    ) -> tuple[int, int]:
        """Offsets of the answer: the whole sentence if allowed and short, else the best clause grown by neighbours.

        A neighbouring clause joins when it scores close to the best one, or when it adds
        something the answer still lacks (a question word, or the kind of answer asked for).
        """
        s = self.settings
        sentence = spans[best][1]
        lo = hi = best
        limit = s.answer_max_chars - len(ANSWER_MARKER) - len(ELLIPSIS)

        def in_sentence(j: int) -> bool:
            return 0 <= j < len(spans) and spans[j][1] == sentence

        def in_passage(j: int) -> bool:
            return 0 <= j < len(spans) and spans[j][0] == spans[best][0]

        def at_least_min(lo: int, hi: int) -> tuple[int, int]:
            # A short answer grows by its passage's neighbouring clauses, the next one first: the
            # answer to "who"/"why" often follows the clause that restates the question.
            while spans[hi][2].end - spans[lo][2].start < s.answer_min_chars:
                if in_passage(hi + 1) and spans[hi + 1][2].end - spans[lo][2].start <= limit:
                    hi += 1
                elif in_passage(lo - 1) and spans[hi][2].end - spans[lo - 1][2].start <= limit:
                    lo -= 1
                else:
                    break
            return spans[lo][2].start, spans[hi][2].end

        if whole and sentence.end - sentence.start <= s.answer_sentence_chars:
            whole_sentence = [j for j in range(len(spans)) if in_sentence(j)]
            return at_least_min(whole_sentence[0], whole_sentence[-1])

        while True:
            grown = False
            current = "".join(spans[i][2].text for i in range(lo, hi + 1))
            for step in (-1, 1):
                edge = lo if step < 0 else hi
                # Look a few clauses ahead, so one filler clause does not cut the answer off.
                for j in range(edge + step, edge + step * (s.bridge_clauses + 2), step):
                    if not in_sentence(j):
                        break
                    new_lo, new_hi = min(lo, j), max(hi, j)
                    if spans[new_hi][2].end - spans[new_lo][2].start > limit:
                        break
                    adjacent = abs(j - edge) == 1
                    if (adjacent and scores[j] >= s.neighbour_ratio * scores[best]) or need(
                        current + spans[j][2].text
                    ) > need(current):
                        lo, hi, grown = new_lo, new_hi, True
                        break
            if not grown:
                # A clause that restates the question is often followed by the answer itself
                # ("…认为这样的定义比较好：圣训学是一种知识…"), so the next clauses come along.
                for j in range(hi + 1, hi + 1 + s.answer_next_clauses):
                    if not in_sentence(j) or spans[j][2].end - spans[lo][2].start > limit:
                        break
                    hi = j
                return at_least_min(lo, hi)

    def _citations(self, hits: list[Hit]) -> list[Citation]:
        out = []
        for n, hit in enumerate(hits, start=1):
            doc: Document = self.index.documents[hit.chunk.doc_id]
            end = min(hit.chunk.end, hit.chunk.start + self.settings.citation_max_chars)
            out.append(
                Citation(
                    n,
                    doc.doc_id,
                    doc.title,
                    doc.published,
                    doc.text[hit.chunk.start : end],
                    hit.chunk.start,
                    end,
                    round(hit.dense, 4),
                )
            )
        return out

    def _decline(
        self, question: str, hits: list[Hit], reason: Reason, support: float, qtype: AnswerType | None = None
    ) -> Answer:
        """A polite "the documents don't say", in the question's language and script."""
        hotline = self.settings.hotline
        unstated = reason == "unstated" and qtype is not None
        if not has_cjk(question):
            if unstated and qtype is not None:
                text = (
                    f"The published documents mention this, but they do not give {qtype.label_en}. The passages "
                    f"below are what they do say; for {qtype.label_en}, please call the {hotline} hotline."
                )
            else:
                text = (
                    "Sorry, the district's published documents do not cover this question. "
                    f"The {hotline} government service hotline can help."
                )
        elif unstated and qtype is not None:
            text = (
                f"已发布的文件提到了相关内容，但没有公布{qtype.label_zh}。下面是文件中的相关原文；"
                f"如需了解{qtype.label_zh}，请拨打{hotline}政务服务便民热线咨询。"
            )
        else:
            text = f"抱歉，区里已发布的文件中没有与这个问题相关的内容。如需帮助，请拨打{hotline}政务服务便民热线。"
        if is_traditional(question):
            text = to_traditional(text)
        return Answer(False, text, self._citations(hits) if unstated else [], reason, support)
