"""Details a notice writes in one form: an address with its street number or floor, a bus route by its number, a
limit in the unit of the measure a resident states. A notice's sentence without that form does not give them."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer.decide import (
    address_unsaid,
    measure_unsaid,
    office_phone_unsaid,
    person_unnamed,
    route_unnamed,
)
from assistant.answer.question import analyse
from conftest import open_dated

# (question, sentence, whether the address asked is missing from a notice's sentence)
ADDRESSES: list[tuple[str, str, bool]] = [
    ("奎文門營業廳的地址在哪", "办理地点：潍坊公交集团东风街营业厅、奎文门营业厅", True),
    ("苑南社區食堂的地址在哪裡？", "北苑街道苑南社区食堂 | 北宫东街42号苑南社区党群服务中心一楼", False),
    ("What is the address of the centre?", "办理地点：政务服务中心二楼户政窗口（北海路5678号）", False),
    ("服务中心地址在哪", "地址：奎文区政务服务中心三楼", False),  # a floor
    ("服务中心地址在哪", "服务中心设在区政务服务中心。", True),
    ("服务中心在哪", "服务中心设在区政务服务中心。", False),  # a place asked, not an address
]


@pytest.mark.parametrize(("question", "sentence", "expected"), ADDRESSES)
def test_address_unsaid(question: str, sentence: str, expected: bool) -> None:
    assert address_unsaid(analyse(question), sentence, declared=True) is expected
    assert not address_unsaid(analyse(question), sentence, declared=False)  # an encyclopaedia's page


# (question, sentence, whether the routes asked are missing)
ROUTES: list[tuple[str, str, bool]] = [
    ("北海路施工期间哪几路公交要绕行", "（二）公交车线路绕行四平路，具体以公交公司公告为准；", True),
    ("北海路施工期间哪几路公交要绕行", "1路、6路、K1路公交车绕行四平路。", False),
    ("去大虞街道便民服务中心坐几路车？", "可乘坐9路、15路、62路公交车至“虞河路健康街口”站下车。", False),
    ("去南下河市场可以坐哪路公交？", "32路在南下河市场北门增设“南下河市场”站。", False),
    ("去南下河市场可以坐哪路公交？", "南下河市场北门增设公交站。", True),
    ("哪条路要封闭施工", "北海路东风东街至健康东街段封闭施工。", False),  # a road asked, not a route
]


@pytest.mark.parametrize(("question", "sentence", "expected"), ROUTES)
def test_route_unnamed(question: str, sentence: str, expected: bool) -> None:
    assert route_unnamed(analyse(question), sentence, declared=True) is expected


# (question, sentence, whether the sentence says nothing in the unit of the measure the question states)
MEASURES: list[tuple[str, str, bool]] = [
    ("我的车高2.1米能进鸢飞路停车楼吗", "鸢飞路立体停车楼定于2024年6月1日起正式投入使用。", True),
    ("我的车高2.1米能进鸢飞路停车楼吗", "车辆高度不超过2.05米。", False),
    ("孩子1.2米要买票吗", "身高1.2米（含）以下儿童免票。", False),
    ("孩子120厘米要买票吗", "身高1.2米（含）以下儿童免票。", False),  # the same measure in another unit
    ("10吨的货车能走北海路吗", "施工期间禁止大型货车通行。", True),
    ("10吨的货车能走北海路吗", "禁止10吨以上货车通行。", False),
    ("停车楼限高多少米", "车辆高度不超过2.05米。", False),  # asks the figure: not a yes-or-no question
    ("停车楼能停新能源车吗", "停车楼设充电车位20个。", False),  # no measure stated
]


@pytest.mark.parametrize(("question", "sentence", "expected"), MEASURES)
def test_measure_unsaid(question: str, sentence: str, expected: bool) -> None:
    assert measure_unsaid(analyse(question), sentence, declared=True) is expected
    assert not measure_unsaid(analyse(question), sentence, declared=False)


# (question, sentence, whether the person asked is reported unnamed)
PERSONS: list[tuple[str, str, bool]] = [
    ("负责骨灰堂的民政局负责人叫什么名字", "区民政局有关负责人表示，骨灰堂建成后，可以满足安放需求。", True),
    ("负责骨灰堂的民政局负责人叫什么名字", "区民政局局长王立军表示，骨灰堂建成后，可以满足安放需求。", False),
    ("书法课是哪位老师教", "区农业农村局相关负责同志介绍，书法课由专家授课。", True),
    ("书法课是哪位老师教", "书法课由刘海燕老师授课。", False),
    ("骨灰堂建成后能用多少年", "区民政局有关负责人表示，可以满足全区今后15年的需求。", False),  # no name asked
    ("大讨论活动叫什么名字", "开展“创建二线城市，奎文怎么干”大讨论活动。", False),
]


@pytest.mark.parametrize(("question", "sentence", "expected"), PERSONS)
def test_person_unnamed(question: str, sentence: str, expected: bool) -> None:
    assert person_unnamed(analyse(question), sentence, declared=True) is expected
    assert not person_unnamed(analyse(question), sentence, declared=False)


# (question, sentence, whether the office's own number is missing: the sentence gives only a city-wide hotline)
PHONES: list[tuple[str, str, bool]] = [
    ("街道物业管理办公室的电话是多少", "也可拨打12345热线或向所在街道物业管理办公室投诉。", True),
    ("街道物业管理办公室的电话是多少", "街道物业管理办公室电话：0536-8011205。", False),
    ("潍州路街道便民服务中心电话多少", "潍州路街道 | 潍州路677号 | 0536-8011205", False),
    ("路灯坏了打什么电话报修", "可以拨打12319城建服务热线或12345热线报修。", False),  # what to call about a matter
    ("人才夜市有问题打什么电话咨询？", "咨询电话：12345", False),
    ("街道物业管理办公室的电话是多少", "业主可向物业服务企业提出整改要求。", False),  # no number: other checks
]


@pytest.mark.parametrize(("question", "sentence", "expected"), PHONES)
def test_office_phone_unsaid(question: str, sentence: str, expected: bool) -> None:
    assert office_phone_unsaid(analyse(question), sentence) is expected


GARAGE = (
    "鸢飞路立体停车楼已建设完成，经验收合格，定于2024年6月1日起正式投入使用。\n"
    "停车楼共设停车泊位320个，其中充电车位20个。\n"
)
LIMIT = "停车楼仅限小型车辆停放，车辆高度不超过2.05米。\n"
COUNTERS = "老年乘车卡办理地点：潍坊公交集团东风街营业厅、奎文门营业厅。\n办理时需携带身份证。\n"
ADDRESS = "奎文门营业厅地址：胜利东街1188号。\n"
HALL = "区民政局有关负责人表示，骨灰堂建成后，可以基本满足全区今后15年的骨灰安放需求。\n"
HEAD = "骨灰堂由区民政局局长王立军负责。\n"
COMPLAINTS = "物业服务不到位的，业主可拨打12345热线或向所在街道物业管理办公室投诉。\n"
OFFICE = "物业服务不到位的，业主可向所在街道物业管理办公室投诉，电话0536-8011205。\n"
DETOUR = "北海路施工期间，部分路段封闭。\n公交车线路绕行四平路，具体以公交公司公告为准。\n"
NAMED = "北海路施工期间，1路、6路公交车线路绕行四平路，具体以公交公司公告为准。\n"


@pytest.mark.parametrize(
    ("body", "question", "unpublished"),
    [
        (GARAGE, "我的车高2.1米能进鸢飞路停车楼吗", True),
        (GARAGE + LIMIT, "我的车高2.1米能进鸢飞路停车楼吗", False),
        (COUNTERS, "奎文门营业厅的地址在哪", True),
        (COUNTERS + ADDRESS, "奎文门营业厅的地址在哪", False),
        (DETOUR, "北海路施工期间哪几路公交要绕行", True),
        (NAMED, "北海路施工期间哪几路公交要绕行", False),
        (COMPLAINTS, "街道物业管理办公室的电话是多少", True),
        (OFFICE, "街道物业管理办公室的电话是多少", False),
        (HALL, "负责骨灰堂的民政局负责人叫什么名字", True),
        (HEAD, "负责骨灰堂的民政局负责人叫什么名字", False),
    ],
)
def test_a_notice_without_the_form_does_not_give_the_detail(
    tmp_path: Path, body: str, question: str, unpublished: bool
) -> None:
    title = "关于鸢飞路立体停车楼投入使用的公告" if "停车楼" in body else "通告"
    answer = open_dated(tmp_path, "notice", body, title, "2024-05-20", True).ask(question).answer
    assert (answer.reason == "detail_not_published") is unpublished
