"""A scripted session of residents' questions and votes, then the content-gap report (the README's sample).

Run from the repository root: ``.venv/bin/python scripts/feedback_demo.py [--format text|json|csv]``.
It indexes docs_corpus/ into a temporary folder and stores the session in a temporary database, so
nothing under var/ is touched. The session is spread over the last three weeks (one resident per
client address) so that the per-topic table has more than one period; questions and votes go through
the same calls as POST /api/ask and POST /api/feedback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
import tempfile
from pathlib import Path

from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.feedback import FeedbackStore
from assistant.report import Format, build_report, render
from assistant.service import Assistant
from assistant.settings import Settings

ROOT = Path(__file__).resolve().parents[1]

# (days ago, resident, question, vote: None / True (helpful) / False, comment)
SESSION: list[tuple[int, int, str, bool | None, str | None]] = [
    (20, 1, "潍州路街道要增加几处社区智慧养老服务站？", True, None),
    (20, 2, "奎文区什么时候通地铁？", None, None),
    (19, 3, "蓝湾智谷项目总投资多少？", True, None),
    (19, 4, "奎文区的房价现在是多少？", None, None),
    (18, 5, "参加商圈招聘需要交费吗？", False, "想知道报名要不要钱"),
    (17, 6, "地铁站会建在奎文哪里？", None, None),
    (16, 7, "大虞街道有哪些重点项目？", True, None),
    (13, 2, "潍坊地铁几号线经过奎文？", None, None),
    (13, 8, "奎文区有没有地铁规划？", False, "答非所问，我问的是地铁"),
    (12, 1, "老年人白天能去哪里得到照顾？", None, None),
    (12, 9, "孩子上小学怎么划分学区？", None, None),
    (11, 3, "What is the total investment of the Lanwan Zhigu project?", True, None),
    (10, 4, "奎文区房价多少钱一平？", None, None),
    (9, 10, "奎文區什麼時候通地鐵？", None, None),
    (6, 5, "区人社局举办了哪些招聘活动？", True, None),
    (5, 11, "坐地铁去奎文方便吗？", None, None),
    (5, 7, "城市智慧立体停车项目是和谁签约的？", True, None),
    (4, 12, "When will the metro reach Kuiwen?", None, None),
    (3, 9, "奎文区的幼儿园怎么报名？", None, None),
    (2, 13, "潍州路街道要增加几处社区智慧养老服务站？", False, "只说了数量，没说建在哪里"),
    (1, 6, "医保报销比例是多少？", None, None),
    (0, 14, "奎文区什么时候通地铁", None, None),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--format", choices=["text", "json", "csv"], default="text")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    fmt: Format = args.format

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            corpus_dir=ROOT / "docs_corpus",
            index_dir=Path(tmp) / "index",
            database_url=f"sqlite:///{Path(tmp) / 'feedback.db'}",
            topics_file=ROOT / "config" / "topics.json",
        )
        with TestClient(create_app(settings)) as client:
            assistant: Assistant = client.app.state.assistant  # type: ignore[attr-defined]
            store: FeedbackStore = client.app.state.feedback  # type: ignore[attr-defined]
            now = dt.datetime.now(dt.UTC).replace(tzinfo=None, minute=0, second=0, microsecond=0)
            for days_ago, resident, question, helpful, comment in SESSION:
                result = assistant.ask(question)
                asked_at = now - dt.timedelta(days=days_ago, hours=resident)
                answer_id = store.record(result, f"192.0.2.{resident}", asked_at=asked_at)
                if helpful is not None:
                    store.vote(answer_id, helpful, comment)
            report = build_report(store, assistant.embedder, settings)
    sys.stdout.write(render(report, fmt))


if __name__ == "__main__":
    main()
