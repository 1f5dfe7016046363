"""The staff console in Debian's Chromium against a real server: sign in, upload a PDF and a Word file,
see them listed, ask a question answered from the PDF with a citation into its text, delete it, and the
answer is gone; axe (WCAG 2.2 AA) on every page. Screenshots go to test-output/console-*.png.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, Playwright, expect

from conftest import DOCS_CORPUS, ROOT
from docgen import DocxSpec, PdfSpec, cjk_font, make_docx, make_pdf
from services import assistant_server

pytestmark = pytest.mark.browser
expect.set_options(timeout=30_000)  # the machine may be busy; a real failure still fails

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-component-update"]
OUTPUT = ROOT / "test-output"
TOKEN = "browser-console-token-0123456789"
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}
HEATING_TITLE = "关于2025年冬季供暖收费的通知"
HEATING = [
    [HEATING_TITLE, "发布日期：2025-10-20 来源：奎文区住房和城乡建设局", "一、供暖期为11月15日至次年3月15日。"],
    ["二、居民供暖费按建筑面积每平方米22元收取。", "三、低保家庭可以申请供暖费减免。"],
]
QUESTION = "居民供暖费每平方米收多少钱？"
ALLOWANCE = DocxSpec(
    "奎文区高龄津贴发放办法",
    [("发放对象", ["户籍在奎文区、年满80周岁的老年人。"])],
    [["年龄段", "每月标准"], ["80至89周岁", "100元"], ["90周岁以上", "200元"]],
)


@pytest.fixture(scope="module")
def console_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``assistant serve`` (fake model, admin token) over a copy of docs_corpus/ that the test may change."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: install Debian's Chromium (apt-get install -y chromium); CI does")
    if cjk_font() is None:
        pytest.skip("no CJK font on this machine (fonts-wqy-microhei)")
    folder = tmp_path_factory.mktemp("console-server")
    corpus = folder / "corpus"
    shutil.copytree(DOCS_CORPUS, corpus)
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env |= {
        "ASSISTANT_MODEL": "fake",
        "ASSISTANT_CORPUS_DIR": str(corpus),
        "ASSISTANT_INDEX_DIR": str(folder / "index"),
        "ASSISTANT_STAGING_DIR": str(folder / "staging"),
        "ASSISTANT_ADMIN_TOKEN": TOKEN,
        "ASSISTANT_RATE_LIMIT": "off",
        "ASSISTANT_DATABASE_URL": f"sqlite:///{folder / 'feedback.db'}",
    }
    yield from assistant_server(env, [], folder / "server.log", 300)


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    # axe-core injects inline styles of its own, which the CSP would (rightly) refuse.
    context = browser.new_context(locale="zh-CN", viewport={"width": 1200, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == []


def shot(page: Page, name: str) -> None:
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=OUTPUT / f"console-{name}.png", full_page=True)


def axe_violations(page: Page) -> list[str]:
    results: dict[str, Any] = Axe().run(page, options=AXE_OPTIONS).response
    return [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in results["violations"]]


def wait_for_rebuild(page: Page) -> None:
    """The documents page follows a rebuild and reloads when it ends."""
    expect(page.locator("#reindex-status")).not_to_have_attribute("data-state", "running")


def test_staff_upload_ask_and_delete_in_the_browser(console_server: str, page: Page, tmp_path: Path) -> None:
    pdf = tmp_path / "供暖收费通知.pdf"
    pdf.write_bytes(make_pdf(PdfSpec(pages=HEATING, title=HEATING_TITLE)))
    word = tmp_path / "高龄津贴.docx"
    word.write_bytes(make_docx(ALLOWANCE))

    page.goto(console_server + "/admin")
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    assert axe_violations(page) == []
    # Keyboard first: the skip link takes the first Tab, and shows where focus is.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="跳到主要内容")).to_be_focused()
    shot(page, "sign-in")
    page.get_by_label("管理令牌").fill(TOKEN)
    page.get_by_label("管理令牌").press("Enter")
    expect(page.get_by_role("heading", name="文档", exact=True)).to_be_visible()
    assert TOKEN not in page.url

    page.get_by_label("选择文件").set_input_files([str(pdf), str(word)])
    page.get_by_role("button", name="上传并预览").click()
    expect(page.get_by_text("已转换，请预览后发布")).to_be_visible()
    assert axe_violations(page) == []
    shot(page, "uploaded")

    page.get_by_role("link", name="供暖收费通知.pdf").first.click()
    expect(page.get_by_role("heading", name="第 2 页")).to_be_visible()
    expect(page.get_by_text("二、居民供暖费按建筑面积每平方米22元收取。")).to_be_visible()
    assert axe_violations(page) == []
    shot(page, "preview")
    page.get_by_role("button", name="发布").click()
    wait_for_rebuild(page)
    page.get_by_role("link", name="高龄津贴.docx").click()
    expect(page.get_by_text("年龄段：80至89周岁；每月标准：100元")).to_be_visible()
    page.get_by_role("button", name="发布").click()
    wait_for_rebuild(page)

    rows = page.locator("table.docs tbody tr")
    expect(rows.filter(has_text=HEATING_TITLE)).to_have_count(1)
    expect(rows.filter(has_text="奎文区高龄津贴发放办法")).to_have_count(1)
    expect(rows.filter(has_text=HEATING_TITLE)).to_contain_text("pdf · 2 页数")
    assert axe_violations(page) == []
    shot(page, "documents")

    page.get_by_role("link", name="以居民身份提问").click()
    page.get_by_label("问题").fill(QUESTION)
    page.get_by_label("问题").press("Enter")
    citation = page.locator("ol.citations a").filter(has_text=HEATING_TITLE)
    expect(citation.first).to_be_visible()
    # The answer's passage (the first citation of the notice) runs from the end of page 1 into page 2.
    cited = page.locator("ol.citations li").filter(has_text=HEATING_TITLE).first
    expect(cited).to_contain_text(re.compile(r"第 (1–)?2 页"))
    assert axe_violations(page) == []
    shot(page, "ask")
    citation.first.click()
    expect(page.locator("mark").filter(has_text="每平方米22元")).to_be_visible()
    shot(page, "cited")
    # A resident asking through the public API gets the same document cited.
    reply = page.request.post(console_server + "/api/ask", data={"question": QUESTION}).json()
    doc_id = next(c["doc_id"] for c in reply["citations"] if c["title"] == HEATING_TITLE)

    # Residents' questions, one of them voted not helpful, for the report's groups, table and charts.
    for question in ["怎么办理护照？", "护照在哪里办理？", "办护照需要什么材料？", "公交卡怎么充值？", QUESTION]:
        page.request.post(console_server + "/api/ask", data={"question": question})
    vote = {"id": reply["id"], "helpful": False, "comment": "想知道什么时候开始收费"}
    assert page.request.post(console_server + "/api/feedback", data=vote).status == 204
    page.goto(console_server + "/admin/report")
    expect(page.locator("svg.chart").first).to_be_visible()
    expect(page.locator("table").filter(has_text="想知道什么时候开始收费")).to_be_visible()
    expect(page.get_by_role("region", name="未回答的问题（按含义分组）").first).to_contain_text("护照")
    assert axe_violations(page) == []
    shot(page, "report")

    page.goto(console_server + "/admin/documents")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=f"删除: {HEATING_TITLE}").click()
    wait_for_rebuild(page)
    expect(rows.filter(has_text=HEATING_TITLE)).to_have_count(0)
    after = page.request.post(console_server + "/api/ask", data={"question": QUESTION}).json()
    assert doc_id not in {c["doc_id"] for c in after["citations"]}

    page.goto(console_server + "/admin/documents?lang=en")
    expect(page.get_by_role("heading", name="Documents", exact=True)).to_be_visible()
    assert axe_violations(page) == []
    shot(page, "documents-en")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
