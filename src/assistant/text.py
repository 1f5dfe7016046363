"""Chinese-aware text handling: folding to a comparable form, and splitting into words."""

from __future__ import annotations

import itertools
import logging
import marshal
import re
import tempfile
import unicodedata
from functools import lru_cache
from pathlib import Path
from types import ModuleType

import jieba
import opencc
from pypinyin import lazy_pinyin

jieba.setLogLevel(logging.WARNING)
log = logging.getLogger(__name__)

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RUN_RE = re.compile(f"[{_CJK}]+")
WORD_RE = re.compile(f"[{_CJK}]+|[a-z0-9]+(?:[.'][a-z0-9]+)*")

# Function words and question words: they say how a question is asked, not what it is about. 区里 is how a
# resident names the district's offices ("区里管物业的物业科在哪里"): the service answers for the district, so it
# says whose, as 家里 says, not what about.
STOPWORDS = frozenset(
    """
    的 了 是 在 有 和 与 及 或 也 都 就 还 又 被 把 给 对 从 到 向 于 为 以 等 之 其 这 那 这个 那个 这些 那些
    吗 呢 吧 啊 呀 么 嘛 哦 请问 请 问 一下 想 想要 知道 告诉 我 我们 你 你们 他 她 它 他们 咱们 自己 家里
    什么 多少 几 几个 几处 几家 几项 哪 哪里 哪儿 哪些 哪个 哪家 哪位 谁 怎么 怎样 如何 为什么 为何 是否
    是不是 有没有 能不能 可以 可否 能否 会 要 能 将 该 应该 需要 没有 不 没 上 中 下 里 个 些 所 多 今年
    现在 目前 时候 这篇 本文 文章 篇文章 此文 文件 这份 该文 大约 大概 约 左右 一共 总共 共 到底 究竟
    一般 一般来说 通常 平时 平常 还有
    区里
    a an the is are was were be been being do does did of in on at to for from by with about as into and or
    what which who whom when where how many much there this that these those it its i you we they
    will would can could should may might please tell me my our your any some have has had get
    """.split()
)


# Words that mark what a question asks for.
QUESTION_WORDS = frozenset(
    "什么 多少 几 几个 几处 几家 几项 哪 哪里 哪儿 哪些 哪个 哪家 哪位 谁 怎么 怎样 如何 何时 "
    # Spoken forms ("啥时候弄完", "咋报修").
    "啥 啥时候 啥时 啥地方 为啥 咋 咋样 "
    "what which who whom when where how".split()
)


# Question words jieba keeps as one token with what they count or ask ("几点", "哪几个", "多长时间"): they say
# what kind of answer is wanted, not what it is about.
QUESTION_WORD_RE = re.compile(
    r"(?:几|哪)[\u4e00-\u9fff]{0,2}|(?:星期|周|礼拜)几|多少[\u4e00-\u9fff]?|多(?:长|久|远|高|重|大)[\u4e00-\u9fff]{0,2}"
)


def is_question_word(token: str) -> bool:
    """Whether a token only asks: 什么, 几点, 哪几个, 多长时间."""
    return token in QUESTION_WORDS or QUESTION_WORD_RE.fullmatch(token) is not None


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2tw")


def to_simplified(text: str) -> str:
    """``text`` in Simplified characters, its case and width kept (``fold`` lowers and narrows them too)."""
    converted: str = _t2s().convert(text)
    return converted


def is_traditional(text: str) -> bool:
    """Whether ``text`` is written in Traditional characters (it changes when simplified)."""
    simplified: str = _t2s().convert(text)
    return simplified != text


def to_traditional(text: str) -> str:
    """``text`` in Traditional characters, for replies to questions written in them."""
    converted: str = _s2t().convert(text)
    return converted


# Short texts are folded again and again (a candidate passage's heading context once per question that
# finds it, a clause once per question it is a candidate for): their folded forms are kept. Long ones
# (whole documents, at index time) are not, so that the cache stays small.
FOLD_CACHE_MAX_CHARS = 256
FOLD_CACHE_SIZE = 1 << 14


def fold(text: str) -> str:
    """Normalise for matching: NFKC, Traditional to Simplified, lower case."""
    if len(text) <= FOLD_CACHE_MAX_CHARS:
        return _fold_short(text)
    return _fold(text)


def _fold(text: str) -> str:
    folded: str = _t2s().convert(unicodedata.normalize("NFKC", text))
    return folded.lower()


_fold_short = lru_cache(maxsize=FOLD_CACHE_SIZE)(_fold)


def words(text: str, search: bool = True) -> list[str]:
    """Words of folded ``text``: jieba words for Chinese (search mode adds sub-words), plain words otherwise."""
    return list(_words(text, search))


# A question is cut into words by several stages (retrieval, reranking, focus); each cut is done once.
@lru_cache(maxsize=1024)
def _words(text: str, search: bool) -> tuple[str, ...]:
    out: list[str] = []
    for match in WORD_RE.finditer(text):
        piece = match.group()
        if CJK_RUN_RE.fullmatch(piece):
            out.extend(_search_words(piece) if search else _cut(piece))
        else:
            out.append(piece)
    return tuple(out)


def load_jieba() -> None:
    """Load jieba's dictionary from the cache file jieba itself writes and reads, in one read.

    jieba reads that cache with ``marshal.load`` on the open file, which takes several times as long as
    ``marshal.loads`` on the file's bytes (1.9 s against 0.3 s on the build machine): the largest single
    cost of a server's start. The dictionary loaded is the same; without a cache, jieba builds it as usual.
    """
    tokenizer = jieba.dt
    if tokenizer.initialized:
        return
    # Only jieba's own dictionary, whose cache jieba trusts without comparing dates; any other is left to it.
    if tokenizer.dictionary is None and tokenizer.cache_file is None:
        cache = Path(tokenizer.tmp_dir or tempfile.gettempdir()) / "jieba.cache"
        with tokenizer.lock:
            if not tokenizer.initialized and cache.is_file():
                try:
                    tokenizer.FREQ, tokenizer.total = marshal.loads(cache.read_bytes())
                    tokenizer.initialized = True
                except (OSError, ValueError, EOFError, TypeError):
                    log.warning("jieba's cache %s is unreadable: jieba rebuilds it", cache)
    tokenizer.initialize()  # nothing left to do once loaded


@lru_cache(maxsize=4096)
def _cut(run: str) -> tuple[str, ...]:
    """jieba's words of a run of Chinese characters (its HMM finds the words its dictionary lacks)."""
    load_jieba()
    return tuple(jieba.lcut(run))


def _search_words(run: str) -> list[str]:
    """``jieba.lcut_for_search(run)`` from the cached cut: each word preceded by its known 2- and 3-grams."""
    # The same as jieba's cut_for_search, without cutting (and running the HMM over) the run a second time.
    out: list[str] = []
    for word in _cut(run):
        for n in (2, 3):
            if len(word) > n:
                out.extend(gram for i in range(len(word) - n + 1) if jieba.dt.FREQ.get(gram := word[i : i + n]))
        out.append(word)
    return out


def bigrams(text: str) -> list[str]:
    """Overlapping character pairs of each Chinese run in folded ``text``."""
    out: list[str] = []
    for match in CJK_RUN_RE.finditer(text):
        run = match.group()
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


PLACE_SUFFIX_RE = re.compile(r"(?:街道|社区|[省市区县镇乡村路街])$")


@lru_cache(maxsize=1 << 17)
def pinyin(word: str) -> str:
    """Toneless pinyin of a Chinese word, run together: 大虞 -> "dayu"."""
    return "".join(lazy_pinyin(word))


def index_terms(text: str) -> list[str]:
    """Lexical index terms of raw ``text``: words, the pinyin of Chinese words, and character bigrams.

    Pinyin lets an English question that spells a name ("Dayu", "Kuiwen") find the Chinese text.
    """
    folded = fold(text)
    found = words(folded)
    spelled = []
    for word in found:
        if len(word) > 1 and CJK_RUN_RE.fullmatch(word):
            spelled.append(pinyin(word))
            # English names a place without its suffix: "Kuiwen district" for 奎文区.
            stem = PLACE_SUFFIX_RE.sub("", word)
            if len(stem) > 1 and stem != word:
                spelled.append(pinyin(stem))
    return found + spelled + ["#" + pair for pair in bigrams(folded)]


def content_words(text: str) -> list[str]:
    """Distinct words of raw ``text`` that carry meaning: no stopwords, no lone characters but digits."""
    seen: dict[str, None] = {}
    before = ""
    for word in words(fold(text), search=False):
        skip = word in STOPWORDS or is_question_word(word) or (len(word) == 1 and not word.isdigit())
        if not skip and not misspelt_function_word(word, before):
            seen.setdefault(word, None)
        before = word
    return list(seen)


# Stopwords of several characters, by length: what a question word's misspelt second half is compared with.
_LONG_STOPWORDS = frozenset(w for w in STOPWORDS if len(w) > 1 and CJK_RUN_RE.fullmatch(w))


def misspelt_function_word(word: str, before: str) -> bool:
    """Whether ``word``, right after the question word ``before``, is a stopword with one character written by
    another of the same sound ("时侯" of "啥时侯", "什么时侯"): the ask's own word, not a topic the documents lack."""
    if not before or not is_question_word(before) or len(word) < 2 or word in STOPWORDS:
        return False
    # One character off and the same sound: a sound-alike word in its own right ("事后" of 时候) differs in both.
    return any(
        len(stop) == len(word)
        and sum(a != b for a, b in zip(stop, word, strict=True)) == 1
        and pinyin(stop) == pinyin(word)
        for stop in _LONG_STOPWORDS
    )


# Numerals jieba glues onto the measure word after them in a question ("一年", "一位", "多少钱一度", "一整天"): the
# quantity the question counts in, which a document writes with another numeral ("每年", "元/度", "全天").
GLUED_NUMERALS = frozenset("一两每")
# jieba's tags for a numeral with its measure word; "一般", "一致", "一卡通" are tagged otherwise.
QUANTITY_TAGS = frozenset({"m", "mq"})
# Modal verbs jieba's HMM glues onto the verb after them ("能换", "要交"); its dictionary's words that start
# with one ("能源", "会员", "要求") are words of their own.
GLUED_MODALS = frozenset("能要会可")
# Superlatives jieba's HMM glues onto the verb after them ("最多收" of "一天最多收多少钱", "最多住"): the bound
# the question asks of, which a notice writes on another verb ("每日最高收费20元").
GLUED_SUPERLATIVES = ("最多", "最少", "最高", "最低", "最长", "最短", "最晚", "最早")
# Particles, modals and directions jieba's HMM glues onto the end of a short spoken word ("卡能" of "老年卡能借给家里人
# 用吗", "交了" of "交了明年的医保", "卡上", "期再", "水是", "弄个"): the word is the part before them.
GLUED_TAILS = frozenset("了能上再是个")


def glued_word(word: str) -> str | None:
    """The word a question word carries once a numeral or a modal jieba glued onto its start, or a particle glued
    onto its end, is taken off ("一年" -> "年", "能换" -> "换", "最多收" -> "收", "卡能" -> "卡"), or None for a word of
    its own."""
    if len(word) < 2 or not CJK_RUN_RE.fullmatch(word):
        return None
    if quantity_word(word):
        return word[1:]
    if word[0] in GLUED_MODALS and not dictionary_word(word):
        return word[1:]
    rest = next((word[len(p) :] for p in GLUED_SUPERLATIVES if word.startswith(p)), "")
    # A superlative glued onto a modal ("最多能") carries no verb: the modal is heard anywhere, and the word would
    # then say nothing of the topic, so it stays as the question wrote it.
    if rest and rest not in GLUED_MODALS and not dictionary_word(word):
        return rest
    # Only off a word jieba's dictionary lacks: "为了", "马上", "但是" are words of their own; a superlative before
    # the modal ("最多能") carries nothing, as above.
    if word[-1] in GLUED_TAILS and word[-2] not in GLUED_TAILS and not rest and not dictionary_word(word):
        return word[:-1]
    return None


# Modals a bound is glued onto: "最多能", "最少要", "最多可", "最长需", "最少得".
BOUND_MODALS = frozenset("能要可需得")


def bound_modal(word: str) -> bool:
    """Whether ``word`` is only a superlative jieba glued onto the modal after it ("最多能", "最少要"): how much is
    asked, not of what."""
    return any(word.startswith(p) and len(word) == len(p) + 1 and word[-1] in BOUND_MODALS for p in GLUED_SUPERLATIVES)


# A character jieba's dictionary counts this often is a word a spoken question may use on its own ("包", "换").
GLUED_PAIR_FREQ = 1_000


def glued_pair(word: str) -> bool:
    """Whether ``word`` is two everyday characters jieba's HMM joined across two words ("包落" of "把包落车上了",
    "节换" of "邻里节换旧东西"), not a word of its dictionary nor a name with a rare character ("鸢飞")."""
    return (
        len(word) == 2
        and CJK_RUN_RE.fullmatch(word) is not None
        and not dictionary_word(word)
        and all(word_frequency(c) > GLUED_PAIR_FREQ for c in word)
    )


# The resident's own family, as a spoken question names who it asks for ("我妈今年82了", "我闺女刚生了孩子"): who
# asks, not what about; notices name the group instead (老年人, 新生儿, 子女).
KINSHIP_WORDS = frozenset(
    """
    我妈 我爸 俺妈 俺爸 老妈 老爸 妈妈 爸爸 我闺女 闺女 我女儿 我儿子 老伴 我老伴 媳妇 我媳妇 老婆 我老婆 老公
    我老公 我爷爷 我奶奶 我姥姥 我姥爷 我外婆 我外公 我孙子 我孙女 我家孩子 我家娃 我俩 咱俩 我们俩 咱们俩
    俺家 咱家 俺闺女 俺儿子 俺老伴 俺娘 俺爹 老头子 俺家老头 我家老头 老太婆 俺家老太太 俺孙子 俺孙女
    """.split()
)


# Spoken adverbs that are no stopwords of their own but carry no topic beside a modal ("才能" of "多大才能结婚",
# "再能"): jieba's dictionary holds 才能 as "talent", so the cut keeps the pair whole.
SPOKEN_ADVERBS = frozenset("才再最更刚")


def function_word(word: str) -> bool:
    """Whether ``word`` is made only of one-character function words and spoken adverbs ("才能", "就要", "都能",
    "能到"), as jieba joins a modal with an adverb or a verb of motion, not a word naming a topic ("能源", "中心")."""
    return (
        len(word) > 1
        and CJK_RUN_RE.fullmatch(word) is not None
        and all(c in STOPWORDS or c in SPOKEN_ADVERBS for c in word)
    )


def kinship_word(word: str) -> bool:
    """Whether ``word`` names the resident's own family member ("我妈", "闺女")."""
    return word in KINSHIP_WORDS


def quantity_word(word: str) -> bool:
    """Whether ``word`` is a numeral jieba glued onto a measure word ("一天", "一位", "一整天"; not "一般")."""
    return len(word) > 1 and word[0] in GLUED_NUMERALS and _posseg().dt.word_tag_tab.get(word) in QUANTITY_TAGS


# A character jieba's dictionary counts this often is a word of its own ("去", "大", "人"), not part of a name.
COMMON_CHAR_FREQ = 20_000


def dictionary_word(word: str) -> bool:
    """Whether jieba's dictionary holds ``word`` (a name it lacks is specific enough to match inside others)."""
    return word_frequency(word) > 0


def unjoined_runs(folded: str) -> list[str]:
    """Runs of lone characters jieba could not join into a word, less common ones at their ends: the names its
    dictionary lacks ("朱祐杬" of "朱祐杬的母亲是谁", cut 朱/祐/杬)."""
    load_jieba()
    freq = jieba.dt.FREQ

    def loose(c: str) -> bool:
        return CJK_RUN_RE.fullmatch(c) is not None and c not in STOPWORDS and not is_question_word(c)

    runs: list[str] = []
    run: list[str] = []
    for word in [*words(folded, search=False), ""]:
        if len(word) == 1 and loose(word):
            run.append(word)
            continue
        while run and freq.get(run[0], 0) > COMMON_CHAR_FREQ:
            run.pop(0)
        while run and freq.get(run[-1], 0) > COMMON_CHAR_FREQ:
            run.pop()
        if len(run) > 1:
            runs.append("".join(run))
        run = []
    return runs


def lone_pairs(folded: str) -> list[str]:
    """Two lone characters jieba did not join, between words that are not lone content characters, neither a
    stopword nor a question word: a word its dictionary lacks ("月卡" of "有月卡吗", cut 月/卡), which a corpus that
    writes it may mean. A longer run is a name or a phrase (朱/祐/杬, 曾/写/过), not such a word."""
    load_jieba()

    def loose(c: str) -> bool:
        return len(c) == 1 and CJK_RUN_RE.fullmatch(c) is not None and c not in STOPWORDS and not is_question_word(c)

    pairs: list[str] = []
    run: list[str] = []
    for word in [*words(folded, search=False), ""]:
        if loose(word):
            run.append(word)
            continue
        if len(run) == 2:
            pairs.append("".join(run))
        run = []
    return pairs


def has_cjk(text: str) -> bool:
    """Whether ``text`` contains any Chinese character."""
    return CJK_RUN_RE.search(text) is not None


# jieba's part-of-speech tags for place and organisation names.
NAME_TAGS = frozenset({"ns", "nt"})


# jieba tags a run of characters its dictionary does not know with a hidden Markov model whose cost per
# character is the product of the numbers of tags the character and the one before it may take (up to
# 256 x 256 for characters it has never seen). Runs are tagged only while this many such steps remain
# for the text: every run of the evaluation questions and documents fits (the most in one text was about
# 8,700), and a pathological text costs a few milliseconds at most instead of seconds.
HMM_BUDGET_STEPS = 12_000
UNSEEN_CHAR_STATES = 256


def _posseg() -> ModuleType:
    """jieba's part-of-speech tagger, imported on first use: its tables take most of a second to load, and
    only the staff report and the answers to "where"/"who" questions tag words (the index never does): a
    server starts without them, and its first such question pays their load once (about 0.6 s of CPU)."""
    import importlib

    load_jieba()
    return importlib.import_module("jieba.posseg")


def _hmm_steps(run: str) -> int:
    """An upper bound on the work of tagging ``run`` with jieba's HMM."""
    sizes = [len(_posseg().char_state_tab_P.get(c, ())) or UNSEEN_CHAR_STATES for c in run]
    return sizes[0] + sum(a * b for a, b in itertools.pairwise(sizes))


def _tagged_run(run: str) -> list[tuple[str, str]]:
    """Words and tags of a run of characters that the dictionary only knows one by one."""
    return [(w.word, w.flag) for w in _posseg().cut(run)]


@lru_cache(maxsize=8192)
def _tagged_words(text: str) -> tuple[tuple[str, str], ...]:
    """Words of two characters or more in ``text`` with their part-of-speech tags, in bounded time."""
    out: list[tuple[str, str]] = []
    budget = HMM_BUDGET_STEPS
    run: list[str] = []

    def flush() -> None:
        nonlocal budget
        piece = "".join(run)
        run.clear()
        # As jieba does: a run it knows as a word, or of one character, is not worth tagging.
        if len(piece) < 2 or jieba.dt.FREQ.get(piece):
            return
        steps = _hmm_steps(piece)
        if steps > budget:
            return
        budget -= steps
        out.extend(pair for pair in _tagged_run(piece) if len(pair[0]) > 1)

    for w in _posseg().cut(text, HMM=False):
        if len(w.word) == 1 and CJK_RUN_RE.fullmatch(w.word):
            run.append(w.word)
            continue
        flush()
        if len(w.word) > 1:
            out.append((w.word, w.flag))
    flush()
    return tuple(out)


def word_frequency(word: str) -> int:
    """How often jieba's dictionary counts ``word`` (0 for a word it does not list)."""
    load_jieba()
    return int(jieba.dt.FREQ.get(word) or 0)


def nouns(text: str) -> frozenset[str]:
    """The words of two characters or more in folded ``text`` that jieba tags as nouns, verbal ones included
    ("巷长", "主持人", "复议"; not "直接", "通过")."""
    return frozenset(word for word, flag in _tagged_words(text) if flag.startswith("n") or flag == "vn")


def place_names(text: str, tags: frozenset[str] = NAME_TAGS) -> list[str]:
    """Place and organisation names (two characters or more) in folded ``text``; ``tags`` narrows the kinds."""
    return [word for word, flag in _tagged_words(text) if flag in tags]


# jieba's tag for place names alone.
PLACE_TAGS = frozenset({"ns"})
