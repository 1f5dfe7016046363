"""Conversion speed (per page, per MB) and how much of a web page's article the HTML converter keeps.

Run from the repository root: ``.venv/bin/python scripts/convert_measure.py [--rounds N]``. Builds its
test files with tests/docgen.py (reportlab, python-docx: the dev dependencies). Timings on a shared
machine are noisy: the median of the rounds is printed, with the load average at the start.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from assistant.converters import Limits, convert  # noqa: E402
from docgen import DocxSpec, PdfSpec, make_cms_page, make_docx, make_pdf  # noqa: E402

SENTENCES = [
    "为进一步做好冬季供暖保障工作，奎文区住房和城乡建设局决定开展供暖设施安全检查。",
    "检查时间为2025年11月1日至11月30日，检查范围覆盖全区各供热企业和老旧小区。",
    "居民发现暖气不热，可以拨打供暖服务热线0536-8888123反映，供热企业须在24小时内上门处理。",
    "对检查中发现的问题，责令限期整改，整改不到位的依法依规处理。",
    "低保家庭、特困人员可以向所在街道申请供暖费减免，减免比例为百分之五十。",
    "供热企业应当在供暖期开始前完成管网检修，确保按时供暖。",
]


def median_seconds(work: Callable[[], object], rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def pdf_pages(count: int) -> list[list[str]]:
    return [[f"第{p + 1}页", *[SENTENCES[(p + i) % len(SENTENCES)][:34] for i in range(30)]] for p in range(count)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    limits = Limits()
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; median of {rounds} rounds")
    print("\nPDF (30 lines of CJK text a page, running header and footer):")
    for pages in (1, 10, 50):
        data = make_pdf(PdfSpec(pages=pdf_pages(pages)))
        seconds = median_seconds(lambda d=data: convert("a.pdf", d, limits), rounds)
        mb = len(data) / 1e6
        print(
            f"  {pages:3d} pages, {mb:6.3f} MB: {seconds * 1000:8.1f} ms; {seconds * 1000 / pages:6.1f} ms/page; "
            f"{seconds / mb:6.2f} s/MB"
        )
    print("\nWord (.docx: headings, paragraphs, a table):")
    for sections in (5, 50, 200):
        spec = DocxSpec(
            "奎文区供暖工作方案",
            [(f"第{i}部分", SENTENCES) for i in range(sections)],
            [["项目", "标准", "时间"]] + [[f"项目{i}", f"{i}元", "11月"] for i in range(sections)],
        )
        data = make_docx(spec)
        seconds = median_seconds(lambda d=data: convert("a.docx", d, limits), rounds)
        mb = len(data) / 1e6
        print(f"  {sections:3d} sections, {mb:6.3f} MB: {seconds * 1000:8.1f} ms; {seconds / mb:6.2f} s/MB")
    print("\nHTML (a government CMS article: navigation, breadcrumbs, info line, share, related links, footer):")
    for paragraphs in (1, 2, 3, 4, 6):
        page = make_cms_page(
            "关于开展供暖设施安全检查的通知", "2025-10-28", "奎文区住房和城乡建设局", SENTENCES[:paragraphs]
        )
        data = page.html.encode("utf-8")
        out = convert("a.html", data, limits)
        kept = sum(len(p) for p in page.main if p in out.text) / sum(len(p) for p in page.main)
        leaked = [b for b in page.boilerplate if b in out.text]
        seconds = median_seconds(lambda d=data: convert("a.html", d, limits), rounds)
        print(
            f"  {paragraphs} paragraphs: main text kept {kept:.0%}; boilerplate let through "
            f"{len(leaked)}/{len(page.boilerplate)} {leaked or ''}; {seconds * 1000:.1f} ms ({len(data) / 1e3:.1f} kB)"
        )


if __name__ == "__main__":
    main()
