"""An English question's words as one term each, met by any of their Chinese words; the ask's verbs off the topic."""

from __future__ import annotations

from pathlib import Path

from assistant.answer.passages import LOOSE_CREDIT, TextView
from assistant.answer.question import analyse, choices, english_focus, one_of, spelled_names
from assistant.answer.rank import term_weights
from assistant.embedding import FakeEmbedder
from assistant.lang.bilingual import Lexicon, Reading, readings, translate
from assistant.lang.kinds import question_ask
from assistant.service import Assistant
from assistant.settings import Settings
from conftest import write_doc

# "start" and "recruit" each read as two corpus words, as the CC-CEDICT lexicon reads them.
LEXICON = Lexicon({"start": ("开启", "启动"), "recruit": ("招聘会", "集市"), "bring": ("带来",)})
NOTICE = "春风行动招聘会公告\n一、举办时间\n2022年2月12日上午9:00—12:00。\n二、求职者须知\n请携带身份证和简历。\n"


def test_the_words_of_one_english_word_are_one_reading() -> None:
    found = readings("when does the spring fair start".split(), {"spring": ("春风",), "fair": ("招聘会",)}, LEXICON)
    assert [r.words for r in found] == [("春风",), ("招聘会",), ("开启", "启动")]
    # The ask's own verb is marked; the thing asked about is not.
    assert [r.asks for r in found] == [False, False, True]
    # The flat list is the readings' words in order, each once.
    assert translate("when does the recruit fair start".split(), {}, LEXICON) == [
        "招聘会",
        "集市",
        "fair",
        "开启",
        "启动",
    ]


def test_a_chinese_word_is_read_once_by_the_first_word_that_reads_it() -> None:
    found = readings(["recruit", "recruits"], {}, LEXICON)
    assert [r.words for r in found] == [("招聘会", "集市")]


def test_a_term_of_several_words_is_met_by_any_of_them() -> None:
    assert choices(one_of(["开启", "启动"])) == ("开启", "启动") and choices("启动") == ("启动",)
    view = TextView.of("系统于今日启动。")
    assert view.coverage([one_of(["开启", "启动"])], [1.0]) == 1.0
    assert view.coverage(["开启", "启动"], [1.0, 1.0]) == 0.5  # as two terms, half of the question
    assert view.match(one_of(["开启", "启动"])) == 1.0 and view.match(one_of(["关闭", "启动"])) == 1.0
    assert TextView.of("全部停业。").match(one_of(["开启", "启动"])) == 0.0
    # Each choice is matched as a word of its own is: loosely too, by its near-synonyms.
    assert TextView.of("请携带身份证。").match(one_of(["带", "拿"])) == LOOSE_CREDIT


def test_an_english_question_counts_its_words_readings_as_one_term_each() -> None:
    question = analyse("When does the Spring Breeze recruit start?", LEXICON)
    assert {"开启", "启动", "招聘会", "集市"} <= set(question.terms)
    assert one_of(["开启", "启动"]) in question.matched and "开启" not in question.matched
    # The verb says which detail is wanted, not about what: off the topic, as "几点" is.
    assert one_of(["开启", "启动"]) not in question.matched_topic
    assert one_of(["招聘会", "集市"]) in question.matched_topic


def test_without_an_ask_the_verbs_stay_on_the_topic() -> None:
    question = analyse("The fair will start soon", LEXICON)
    assert question.ask is None and question.matched_topic == question.matched


def test_a_chinese_question_is_matched_by_its_own_terms() -> None:
    question = analyse("春风行动招聘会几点开始？")
    assert question.readings == ()
    assert question.matched == question.terms and question.matched_topic == question.topic_terms


def test_a_term_is_known_when_the_corpus_uses_any_of_its_words(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_doc(corpus, "fair", NOTICE, title="春风行动招聘会公告")
    found = Assistant.open(Settings(corpus_dir=corpus, index_dir=tmp_path / "index"), FakeEmbedder())
    passages = found.engine.passages
    # 集市 and both words for "start" are nowhere in the corpus: "fair" is still known, by 招聘会,
    # and "start" is the ask's, not the topic's.
    weights = term_weights(analyse("When does the Spring Breeze recruit start?", LEXICON), passages)
    assert weights.unknown == 0.0 and weights.unknown_max == 0.0
    fair = weights.topic.index(one_of(["招聘会", "集市"]))
    known = passages.index.lexical.idf[passages.index.lexical.vocabulary["招聘会"]]
    assert weights.topic_w[fair] == float(known)
    # Two words read from one English word, neither in the corpus: unknown, as one word would be.
    assert (
        term_weights(
            analyse("When does the spring fair start?", Lexicon({"fair": ("集市", "庙会")})), passages
        ).unknown_max
        == 1.0
    )


MARKET = (
    "南下河市场改造\n广文街道南下河市场一期已开业，首批入驻商户620户。南下河市场二期10月开工。\n东关街道南夏河社区。\n"
)


def test_a_name_jieba_cuts_is_found_by_its_pinyin(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_doc(corpus, "market", MARKET, title="南下河市场改造")
    found = Assistant.open(Settings(corpus_dir=corpus, index_dir=tmp_path / "index"), FakeEmbedder())
    passages = found.engine.passages
    # jieba cuts 南下/河: no word of the corpus sounds "nanxiahe"; the characters most written so win (南夏河 once).
    assert passages.spelled("nanxiahe") == "南下河"
    assert passages.spelled("guangwen") is None  # two characters: a word, whose sound the lexicon knows
    assert passages.spelled("nanxiaha") is None and passages.spelled("hotpot") is None
    question = analyse(
        "How many merchants are in the Nanxiahe market?", found.index.bilingual, spelled=passages.spelled
    )
    assert ("南下河", "nanxiahe") in [r.words for r in question.readings]
    assert "南下河" in question.terms


def test_only_a_word_nothing_translated_is_read_as_a_name() -> None:
    spelled = {"nanxiahe": "南下河", "market": "马可特"}.get
    found = spelled_names([Reading(("nanxiahe",)), Reading(("市场",)), Reading(("market",), asks=True)], spelled)
    assert found == (Reading(("南下河", "nanxiahe")), Reading(("市场",)), Reading(("马可特", "market"), asks=True))
    assert spelled_names([Reading(("ab",))], {"ab": "阿波"}.get) == (Reading(("ab",)),)  # too short to be a name


def test_a_pronoun_names_no_topic_and_a_glossary_phrase_is_one_term() -> None:
    question = analyse("How many of them got certificates?")
    assert "them" not in question.terms and question.matched == ("证书",)
    found = analyse("How many eldercare workers did Zhucheng train?").readings
    assert found[0].words == ("养老护理员", "护理员")  # the phrase, before "eldercare" and "workers" alone
    assert ("培训",) in [r.words for r in found]  # "train" as the verb residents mean, not 火车


def test_which_banks_asks_for_an_organisation() -> None:
    # As "哪几家银行" does: the establishments a notice names, a detail it may not give.
    for question in ("Which banks accept the payment?", "Which companies signed?", "Which department handles it?"):
        ask = question_ask(question)
        assert ask is not None and ask.name == "org", question
    ask = question_ask("Which courses are offered?")
    assert ask is not None and ask.name != "org"


def test_an_english_question_names_the_areas_its_words_read_as() -> None:
    hanting = Lexicon(sounds={"hanting": "寒亭区"})
    assert analyse("How much is Hanting's allowance for people aged 100?", hanting).areas == frozenset({"寒亭"})
    assert "people" not in analyse("How much is Hanting's allowance for people aged 100?", hanting).terms
    assert analyse("How much is the allowance?", hanting).areas == frozenset()


def test_an_english_question_of_ask_verbs_alone_has_no_topic_of_its_own() -> None:
    # A follow-up's subject is then the previous question's; its coverage still counts its words.
    question = analyse("What should I bring?")
    assert question.terms and question.topic_terms == ()
    assert question.matched_topic == question.matched == (one_of(question.terms),)
    assert analyse("How much do students pay?").topic_terms == ("学生",)


def test_an_english_questions_focus_is_its_focus_words_readings() -> None:
    # "water outage" is one phrase of the glossary, next to the question word: 停水, not the English word.
    assert analyse("When is the water outage on Dongfeng East Street?").focus == frozenset({"停水"})
    found = readings("how many merchants moved in".split(), {"merchants": ("商户", "商家")}, Lexicon())
    assert found[0] == Reading(("商户", "商家"), source=("merchants",))
    assert english_focus(found, frozenset({"merchants"})) == frozenset({one_of(["商户", "商家"])})
    assert english_focus(found, frozenset({"time"})) == frozenset()  # a frame word reads as nothing
