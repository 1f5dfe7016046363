"""What later stages read about passages and documents, derived once per passage and cached."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache

from assistant.answer.question import ONE_OF, areas, choices, parent_cities
from assistant.chunking import Chunk
from assistant.corpus import Document
from assistant.index import Index
from assistant.lang.kinds import Kind, KindMatch, find_kinds
from assistant.lang.synonyms import synonym_groups
from assistant.structure import TABLE_SPLIT_RE, Block, parse
from assistant.text import CJK_RUN_RE, dictionary_word, fold, pinyin, words

# Below this length a question word must match a whole word of the text, not any substring
# ("新建" is not in "创新建设"); longer words are specific enough to match as substrings.
SUBSTRING_MIN_CHARS = 3
# The opening of a document that says whose it is: its title, its source, and its first lines.
HEAD_CHARS = 300
# A word found only as a near-synonym or by its sound (a typo: 潍洲 for 潍州) counts this much.
LOOSE_CREDIT = 0.8
# A long word found only as the word it starts or ends with ("书法" for "书法课") counts this much.
PART_CREDIT = 0.5
# Only a word of this many characters is matched by its part: in a longer one ("社区食堂") each half is a
# word of its own that many texts use ("社区").
PART_OF_CHARS = 3
# A pinyin spelling is read as the corpus's characters only for a name of this many characters: a shorter one
# is a word of the text, whose sound the lexicon already knows ("dayu" 大虞).
SPELLED_MIN_CHARS = 3
# Spellings a corpus remembers the characters of (least recently used out).
SPELLED_MEMO = 1024
# A name a document declares for a thing in brackets: "耕地地力保护补贴（俗称“种粮补贴”）".
ALIAS_RE = re.compile(
    r"[（(](?:俗称|简称|以下简称|下称|又称|统称|通称)[:：]?\s*[“\"「]([^”\"」\n]{2,16})[”\"」]\s*[）)]"
)


def declared_aliases(text: str) -> tuple[str, ...]:
    """The names ``text`` declares in brackets for what it speaks of, in order, once each."""
    return tuple(dict.fromkeys(m.group(1).strip() for m in ALIAS_RE.finditer(text)))


# The blocks that head a section: what it is about.
SECTION_KEYS = frozenset({"heading", "question"})
# Coverages a view remembers (its last term lists): within one question a document's body and title are asked
# the same coverage once per passage of the document, and a sentence once per clause of it.
COVERAGE_MEMO = 8
# Matches a view remembers, by question word, of the words that are not its own: such a word is searched in the
# text and tried as a synonym, a sound and a part (most of matching's cost), and each question asks every
# candidate text about its words several times (content words, topic words, focus, the title's framing);
# questions share words too. Cleared when full.
MATCH_MEMO = 64
# Question words a corpus remembers whether it writes a name they abbreviate (each a search of every document;
# least recently used out).
ABBREVIATIONS_MEMO = 4096


@dataclass(frozen=True)
class Probe:
    """A question word with what matching it loosely takes, derived once per word rather than once per text."""

    term: str
    substring: bool
    # Near-synonyms, each with whether it too may match as a substring.
    synonyms: tuple[tuple[str, bool], ...]
    # Whether it is a Chinese word of two or more characters, matched by sound too: its sounds as
    # " sound" and "sound " (a text's word that starts or ends with them), else "".
    sounds: bool
    sound_prefix: str
    sound_suffix: str
    # A Latin word long enough to be a spelling of a Chinese word's sound ("dayu").
    spelling: bool
    # The two-character dictionary words a three-character word starts or ends with ("书法" of "书法课"), for a
    # text that names the thing without the word's one-character head ("课") or modifier.
    parts: tuple[str, ...] = ()
    # For a word no dictionary holds, the longer name it may abbreviate (see :func:`abbreviation`).
    initials: re.Pattern[str] | None = None
    # A term met by any of several words (``question.one_of``): their probes; the term matches as the best.
    choices: tuple[Probe, ...] = ()
    # The bare sound of a word matched by sound (``sound_prefix`` without its space): searched first, as both
    # tests need it, without slicing it out of ``sound_prefix`` at each text.
    sound: str = ""


# A word of this many characters that no dictionary holds may abbreviate a longer name by a character of each of
# its words ("消保科" for "消费者权益保护科", "监管局" for "监督管理局"): its characters in order within one run of
# Chinese text, at most this many characters apart.
ABBREVIATION_CHARS = (3, 4)
ABBREVIATION_GAP = 4


def abbreviation(term: str) -> re.Pattern[str] | None:
    """The pattern of the longer names ``term`` may abbreviate, if it is a word that may be an abbreviation."""
    if len(term) not in ABBREVIATION_CHARS or not CJK_RUN_RE.fullmatch(term) or dictionary_word(term):
        return None
    gap = f"[\u4e00-\u9fff]{{0,{ABBREVIATION_GAP}}}?"
    return re.compile(gap.join(re.escape(c) for c in term))


@lru_cache(maxsize=1 << 14)
def probe(term: str) -> Probe:
    """The ``Probe`` of a question word (cached: questions share their words)."""
    if ONE_OF in term:
        found = tuple(probe(c) for c in choices(term))
        return Probe(term, False, (), False, "", "", False, choices=found)
    others = tuple((o, len(o) >= SUBSTRING_MIN_CHARS) for o in synonym_groups().get(term, ()))
    spelled = pinyin(term) if len(term) > 1 and CJK_RUN_RE.fullmatch(term) else None
    return Probe(
        term,
        len(term) >= SUBSTRING_MIN_CHARS or (spelled is not None and not dictionary_word(term)),
        others,
        spelled is not None,
        f" {spelled}" if spelled is not None else "",
        f"{spelled} " if spelled is not None else "",
        len(term) > 2 and term.isascii() and term.isalpha(),
        _parts(term) if spelled is not None and len(term) == PART_OF_CHARS else (),
        abbreviation(term),
        sound=spelled or "",
    )


def _parts(term: str) -> tuple[str, ...]:
    return tuple(part for part in (term[:-1], term[1:]) if dictionary_word(part))


@dataclass(frozen=True)
class TextView:
    """A folded text with its words and their sounds, for matching question words."""

    folded: str
    words: frozenset[str]
    spelled: frozenset[str]
    # The sounds run together as " a b c ", so that a word starting or ending with a sound is a substring search.
    spelled_run: str
    _coverages: dict[tuple[tuple[str, ...], tuple[float, ...]], float] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )
    _loose: dict[str, float] = field(default_factory=dict, init=False, repr=False, compare=False, hash=False)

    @staticmethod
    def of(text: str) -> TextView:
        """View of raw ``text`` (cached: the same clauses and passages are matched question after question)."""
        return _view(text)

    def has(self, term: str) -> bool:
        """Whether the text mentions ``term`` as one of its words, or as a substring if ``term`` is long."""
        return term in self.words or (len(term) >= SUBSTRING_MIN_CHARS and term in self.folded)

    def match(self, term: str) -> float:
        """1 for the word itself, ``LOOSE_CREDIT`` for a near-synonym or a word that sounds the same, else 0."""
        if term in self.words:
            return 1.0
        found = self._loose.get(term)
        return found if found is not None else self._remember(probe(term))

    def _match(self, p: Probe) -> float:
        # match() with the word's derived data at hand.
        if p.term in self.words:
            return 1.0
        found = self._loose.get(p.term)
        return found if found is not None else self._remember(p)

    def _remember(self, p: Probe) -> float:
        # The match of a word that is not one of the text's (the same tests in the same order), kept.
        found = 1.0 if p.substring and p.term in self.folded else self._loose_match(p)
        if len(self._loose) >= MATCH_MEMO:
            self._loose.clear()  # a few questions' words at a time: a view's memory stays small
        self._loose[p.term] = found
        return found

    def _loose_match(self, p: Probe) -> float:
        # A word that is not one of the text's: its synonyms, its sound, its spelling, its parts (the same tests in
        # the same order; each skipped when the word has none, as most have no synonym and no parts).
        if p.choices:
            return max(self._match(c) for c in p.choices)
        words = self.words
        if p.synonyms:
            folded = self.folded
            for other, substring in p.synonyms:
                if other in words or (substring and other in folded):
                    return LOOSE_CREDIT
        if p.sounds:
            run = self.spelled_run
            # Both tests need the bare sound in the text's sounds: one search rules out most words.
            if p.sound in run and (p.sound_prefix in run or p.sound_suffix in run):
                return LOOSE_CREDIT
        if p.spelling and p.term in self.spelled:
            return LOOSE_CREDIT
        if p.initials is not None and p.initials.search(self.folded):
            return LOOSE_CREDIT
        for part in p.parts:
            if part in words:
                return PART_CREDIT
        return 0.0

    def sounds(self, spelled: str) -> bool:
        """Whether a word of the text sounds like ``spelled``, or starts or ends with it (潍洲 in 潍州路)."""
        return f" {spelled}" in self.spelled_run or f"{spelled} " in self.spelled_run

    def characters(self, terms: Sequence[str]) -> float:
        """Share of the distinct Chinese characters of ``terms`` the text holds (colloquial wording shares
        characters with the written word: 水电费 and 水电气)."""
        chars = _characters(tuple(terms))
        if not chars:
            return 0.0
        folded = self.folded
        held = 0
        for c in chars:  # a loop, not sum() over a generator: this runs for every candidate passage and clause
            if c in folded:
                held += 1
        return held / len(chars)

    def coverage(self, terms: Sequence[str], weights: Sequence[float]) -> float:
        """Weighted share of ``terms`` the text mentions."""
        key = (tuple(terms), tuple(weights))
        found = self._coverages.get(key)
        if found is not None:
            return found
        total = sum(weights)
        if not total:
            return 0.0
        # The same sum, term by term in the same order, as sum(w * match(t)) / total; a word of the text
        # itself (the usual hit) and a word matched before are looked up here, the others matched by _remember.
        words, remembered = self.words, self._loose.get
        share: float = 0
        # Of equal length, checked once here: zip's strict=True checked it at each word.
        if len(key[0]) != len(key[1]):
            raise ValueError(f"coverage: {len(key[0])} terms and {len(key[1])} weights")
        for term, w in zip(key[0], key[1], strict=False):
            if term in words:
                share += w  # w * 1.0, which is w
                continue
            found = remembered(term)
            # A word's probe only for a word neither the text's nor remembered (most are one or the other).
            share += w * (found if found is not None else self._remember(probe(term)))
        share /= total
        if len(self._coverages) >= COVERAGE_MEMO:
            self._coverages.clear()  # a few term lists at a time: a view's memory stays small
        self._coverages[key] = share
        return share


def _spelled_in(text: str, sounds: dict[str, str], latin: str) -> str | None:
    """The most frequent run of ``text``'s characters spelled ``latin`` in pinyin, if any."""
    # Runs of characters whose sound is part of the spelling, found by a regular expression (fast on a large
    # corpus); then the runs' stretches that spell it exactly.
    inside = "".join(re.escape(c) for c, sound in sounds.items() if sound and sound in latin)
    if not inside:
        return None
    counts: Counter[str] = Counter()
    for run in re.finditer(f"[{inside}]{{{SPELLED_MIN_CHARS},}}", text):
        chars = run.group()
        for start in range(len(chars) - SPELLED_MIN_CHARS + 1):
            spelling = ""
            for end in range(start, len(chars)):
                spelling += sounds[chars[end]]
                if not latin.startswith(spelling):
                    break
                if spelling == latin and end + 1 - start >= SPELLED_MIN_CHARS:
                    counts[chars[start : end + 1]] += 1
                    break
    return counts.most_common(1)[0][0] if counts else None


@lru_cache(maxsize=256)
def _characters(terms: tuple[str, ...]) -> frozenset[str]:
    return frozenset(c for t in terms for c in t if CJK_RUN_RE.fullmatch(c))


@lru_cache(maxsize=1 << 15)
def _view(text: str) -> TextView:
    folded = fold(text)
    found = frozenset(words(folded))
    spelled = frozenset(pinyin(w) for w in found if len(w) > 1 and CJK_RUN_RE.fullmatch(w))
    return TextView(folded, found, spelled, " " + " ".join(sorted(spelled)) + " ")


@dataclass(frozen=True)
class Table:
    """A table of a document: its caption and header row, which say what its cells are, and its rows' keys."""

    header: int  # the header row's block number in its document (what the rows' ``pair`` names)
    head: str
    keys: tuple[str, ...]  # each row's first cell: what the row is about ("成年居民（一档）")


def row_key(row: Block) -> str:
    """A table row's first cell."""
    return TABLE_SPLIT_RE.split(row.text, maxsplit=1)[0].strip()


@dataclass(frozen=True)
class PassageView:
    """A passage with its derived data: what it says, the expressions it holds, the blocks it overlaps."""

    chunk: Chunk
    view: TextView
    kinds: tuple[KindMatch, ...]
    blocks: tuple[Block, ...]
    # The tables the passage holds rows of: read whole, also where their caption, header and other rows lie in
    # other passages.
    tables: tuple[Table, ...] = ()
    captions: tuple[Block, ...] = ()  # lines that introduce a table ("…标准如下表：")

    @cached_property
    def kind_names(self) -> frozenset[Kind]:
        """The kinds of expression the passage holds (once per passage: every question reads them)."""
        return frozenset(m.kind for m in self.kinds)

    @cached_property
    def kind_starts(self) -> list[int]:
        """Where each of ``kinds`` starts in the passage, in their order: a span's expressions found by bisection."""
        return [m.start for m in self.kinds]


@dataclass(frozen=True)
class DocumentView:
    """A document with its derived data."""

    document: Document
    title: TextView
    body: TextView
    head: str
    areas: frozenset[str]
    published: dt.date | None
    blocks: tuple[Block, ...]

    @cached_property
    def keys(self) -> tuple[TextView, ...]:
        """The document's section headings and FAQ questions: what each of its sections is about."""
        return tuple(TextView.of(b.text) for b in self.blocks if b.kind in SECTION_KEYS)

    @cached_property
    def aliases(self) -> str:
        """The other names the document declares for what it speaks of ("俗称“种粮补贴”", "以下简称“居民医保”"), one a
        line: a clause under its title is about them as much as about the title's words."""
        return "\n".join(declared_aliases(self.document.text))


class Passages:
    """Derived views of an index's passages and documents, each computed once."""

    def __init__(self, index: Index, cache_size: int = 8192) -> None:
        self.index = index
        self.passage = lru_cache(maxsize=cache_size)(self._passage)
        # View of the sections a passage lies in (see :func:`section_text`).
        self.section = lru_cache(maxsize=cache_size)(self._section)
        self.document = cache(self._document)
        # Question words asked of this corpus, remembered: questions share their words, English ones their names.
        self.abbreviated = lru_cache(maxsize=ABBREVIATIONS_MEMO)(self._abbreviated)
        self.spelled = lru_cache(maxsize=SPELLED_MEMO)(self._spelled)
        self.chunks_of: dict[str, list[int]] = {}
        for chunk in index.chunks:
            self.chunks_of.setdefault(chunk.doc_id, []).append(chunk.chunk_id)

    @cached_property
    def home_area(self) -> str | None:
        """The area most documents name in their opening: the district the service is for (once per index).

        None unless at least half the documents name it: a corpus of unrelated pages has no home district.
        """
        # From each document's opening alone: a full view of every document (its words, sounds and
        # structure) would cost seconds at the first question over a large corpus.
        counts = Counter(a for doc_id in self.chunks_of for a in areas(_head(self.index.documents[doc_id])))
        if not counts:
            return None
        # A tie is common where a district's notices name its city ("潍坊市公安局奎文分局"): the area more titles
        # name is the district, and the name settles the rest, so the answer never hangs on set order.
        titled = Counter(a for doc_id in self.chunks_of for a in areas(fold(self.index.documents[doc_id].title)))
        area = max(counts, key=lambda a: (counts[a], titled[a], a))
        return area if 2 * counts[area] >= len(self.chunks_of) else None

    @cached_property
    def home_cities(self) -> frozenset[str]:
        """The cities the documents' openings place the home district in ("潍坊" of "潍坊市公安局奎文分局")."""
        home = self.home_area
        if home is None:
            return frozenset()
        heads = (_head(self.index.documents[doc_id]) for doc_id in self.chunks_of)
        return frozenset(c for head in heads for c in parent_cities(head, home))

    @cached_property
    def titled_areas(self) -> frozenset[str]:
        """The areas documents' titles name, by the last two characters of their stems ("潍城", "诸城").

        A resident may name one without its suffix ("潍城公租房"), which the question alone cannot tell.
        """
        return frozenset(a[-2:] for doc in self.index.documents.values() for a in areas(fold(doc.title)))

    @cached_property
    def _written(self) -> str:
        # Every title and text folded and run together (once, at the first question that needs it).
        return "\n".join(fold(f"{d.title}\n{d.text}") for d in self.index.documents.values())

    def written(self, text: str) -> bool:
        """Whether any document (title or text) writes folded ``text``."""
        return text in self._written

    def _abbreviated(self, term: str) -> bool:
        """Whether any document writes a longer name that ``term`` may abbreviate."""
        pattern = probe(term).initials
        return pattern is not None and pattern.search(self._written) is not None

    @cached_property
    def _sounds(self) -> dict[str, str]:
        # The usual toneless pinyin of each Chinese character the corpus writes (a few thousand characters).
        return {c: pinyin(c) for c in set(self._written) if CJK_RUN_RE.fullmatch(c)}

    def _spelled(self, latin: str) -> str | None:
        """The characters, at least ``SPELLED_MIN_CHARS`` of them, that the corpus writes most often and whose
        pinyin is ``latin`` ("nanxiahe" -> 南下河): a name jieba cuts (南下/河) has no word that sounds so."""
        return _spelled_in(self._written, self._sounds, latin)

    def _document(self, doc_id: str) -> DocumentView:
        doc = self.index.documents[doc_id]
        published = None
        if doc.published:
            try:
                published = dt.date.fromisoformat(doc.published)
            except ValueError:
                published = None
        head = _head(doc)
        return DocumentView(
            doc, TextView.of(doc.title), TextView.of(doc.text), head, areas(head), published, tuple(parse(doc.text))
        )

    def _section(self, chunk_id: int) -> TextView:
        chunk = self.index.chunks[chunk_id]
        return TextView.of(section_text(self.document(chunk.doc_id), chunk))

    def _passage(self, chunk_id: int) -> PassageView:
        chunk = self.index.chunks[chunk_id]
        context = chunk.context
        every = self.document(chunk.doc_id).blocks
        own = [i for i, b in enumerate(every) if b.start < chunk.end and b.end > chunk.start]
        blocks = tuple(every[i] for i in own)
        heads = sorted({b.pair for b in blocks if b.kind == "table_row" and b.pair is not None})
        return PassageView(
            chunk,
            TextView.of(f"{context}\n{chunk.text}"),
            tuple(find_kinds(chunk.text)),
            blocks,
            tuple(Table(h, table_head(every, h), tuple(row_key(b) for b in every if b.pair == h)) for h in heads),
            tuple(every[i] for i in own if table_caption(every, i + 1) is every[i]),
        )


def table_caption(blocks: Sequence[Block], header: int) -> Block | None:
    """The line that introduces the table whose header is ``blocks[header]`` ("…标准如下表："), if there is one."""
    if not 0 < header < len(blocks) or blocks[header].kind != "table_header":
        return None
    before = blocks[header - 1]
    return before if before.kind == "paragraph" and before.text.rstrip().endswith(("：", ":")) else None


def table_head(blocks: Sequence[Block], header: int) -> str:
    """A table's caption and header row: what its rows' cells are."""
    caption = table_caption(blocks, header)
    return f"{caption.text}\n{blocks[header].text}" if caption is not None else blocks[header].text


def section_text(doc: DocumentView, chunk: Chunk) -> str:
    """The text of the sections a passage lies in: each from its heading to the next heading's start.

    A section's later passages say "4个项目总投资由60亿元调增至68亿元" without the names its first one
    gives ("潍州金谷、茂业国际金融中心…是4个龙头项目"): the section as a whole says what it is about.
    """
    blocks = doc.blocks
    own = [i for i, b in enumerate(blocks) if b.start < chunk.end and b.end > chunk.start]
    if not own:
        return chunk.text
    # A heading the passage holds opens its own section; the heading above that one is not the passage's.
    headings: set[int | None] = {i for i in own if blocks[i].kind in ("heading", "title")}
    headings |= {blocks[i].heading for i in own if blocks[i].kind not in ("heading", "title")}
    members = [b for i, b in enumerate(blocks) if i in headings or (b.heading in headings and b.heading is not None)]
    if None in headings:
        members += [blocks[i] for i in own if blocks[i].heading is None]
    start = min(b.start for b in members)
    end = max(b.end for b in members)
    return doc.document.text[min(start, chunk.start) : max(end, chunk.end)]


def _head(doc: Document) -> str:
    """The folded opening of a document that says whose it is: title, source and first lines."""
    return fold(f"{doc.title}\n{doc.source or ''}\n{doc.text[:HEAD_CHARS]}")
