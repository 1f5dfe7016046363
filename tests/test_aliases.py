"""A document's declared other names for its subject ("俗称“种粮补贴”") belong to the subject its clauses speak of."""

from __future__ import annotations

import pytest

from assistant.answer.passages import declared_aliases

# (text, the names it declares)
ALIASES = [
    ("耕地地力保护补贴（俗称“种粮补贴”）发放工作", ("种粮补贴",)),
    ("城乡居民基本医疗保险（以下简称“居民医保”）", ("居民医保",)),
    ("消费者权益保护科(简称:「消保科」)负责", ("消保科",)),
    ("甲（简称“甲方”）与乙（简称“乙方”），甲（简称“甲方”）", ("甲方", "乙方")),
    # Quotes that declare no name: a slogan, a quotation, a bracket without a naming word.
    ("实行“先购后补、直补到卡”的办法", ()),
    ("居民说：“现在方便多了。”", ()),
    ("农机服务中心（文化路2189号“农机大院”）", ()),
    ("补贴（俗称“”）", ()),
]


@pytest.mark.parametrize(("text", "expected"), ALIASES)
def test_declared_aliases(text: str, expected: tuple[str, ...]) -> None:
    assert declared_aliases(text) == expected
