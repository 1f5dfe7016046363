"""The staff console in-process: sign-in and CSRF, upload, preview, publish, ask, delete, the report pages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from assistant.admin_session import COOKIE_NAME, SessionSigner
from assistant.api import create_app
from assistant.embedding import FakeEmbedder
from assistant.settings import Settings
from docgen import DocxSpec, PdfSpec, cjk_font, make_docx, make_pdf

TOKEN = "console-test-token-0123456789"
needs_font = pytest.mark.skipif(cjk_font() is None, reason="no CJK font on this machine (fonts-wqy-microhei)")
HEATING = [
    ["关于2025年冬季供暖收费的通知", "发布日期：2025-10-20 来源：奎文区住房和城乡建设局"],
    ["居民供暖费按建筑面积每平方米22元收取。", "低保家庭可以申请供暖费减免。"],
]
ALLOWANCE = DocxSpec(
    "奎文区高龄津贴发放办法",
    [("发放对象", ["户籍在奎文区、年满80周岁的老年人。"])],
    [["年龄段", "每月标准"], ["80至89周岁", "100元"], ["90周岁以上", "200元"]],
)


@pytest.fixture
def console_settings(settings: Settings, tmp_path: Path) -> Settings:
    return settings.model_copy(
        update={
            "admin_token": SecretStr(TOKEN),
            "staging_dir": tmp_path / "staging",
            "index_watch_seconds": 0,
            # Its own database: the report's counts are this test's questions only.
            "database_url": f"sqlite:///{tmp_path / 'feedback.db'}",
        }
    )


@pytest.fixture
def console(console_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(console_settings, embedder=FakeEmbedder())) as client:
        yield client


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "no CSRF field on the page"
    return match.group(1)


def sign_in(client: TestClient) -> str:
    reply = client.post("/admin/login", data={"token": TOKEN}, follow_redirects=False)
    assert reply.status_code == 303 and reply.headers["location"] == "/admin/documents"
    return csrf_of(client.get("/admin/documents").text)


def wait_for_reindex(client: TestClient) -> None:
    app = client.app
    assert app.state.reindexer.idle.wait(60), "the rebuild did not finish"  # type: ignore[attr-defined]


def test_console_is_absent_without_a_token(client: TestClient) -> None:
    assert client.get("/admin/login").status_code == 404
    assert client.post("/admin/login", data={"token": "x" * 20}).status_code == 404


def test_sign_in_sets_a_strict_http_only_cookie_and_a_wrong_token_is_refused(console: TestClient) -> None:
    assert console.get("/admin", follow_redirects=False).headers["location"] == "/admin/login"
    assert console.get("/admin/documents", follow_redirects=False).headers["location"] == "/admin/login"
    wrong = console.post("/admin/login", data={"token": "not-the-token-at-all"})
    assert wrong.status_code == 401 and "令牌不正确" in wrong.text
    assert COOKIE_NAME not in console.cookies
    reply = console.post("/admin/login", data={"token": TOKEN}, follow_redirects=False)
    cookie = reply.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE_NAME}=")
    for attribute in ("HttpOnly", "SameSite=strict", "Path=/admin"):
        assert attribute.lower() in cookie.lower()
    assert "secure" not in cookie.lower()  # plain HTTP here; over HTTPS it is Secure
    assert TOKEN not in cookie and TOKEN not in reply.headers["location"]
    page = console.get("/admin/documents")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"


def test_forms_need_the_sessions_csrf_token(console: TestClient) -> None:
    csrf = sign_in(console)
    assert console.post("/admin/reindex", data={}).status_code == 403
    assert console.post("/admin/reindex", data={"csrf": "forged"}).status_code == 403
    other = SessionSigner(TOKEN, 3600)
    assert console.post("/admin/reindex", data={"csrf": other.csrf_token(other.issue()[0])}).status_code == 403
    assert console.post("/admin/reindex", data={"csrf": csrf}, follow_redirects=False).status_code == 303
    wait_for_reindex(console)


def test_sign_out_ends_the_session(console: TestClient) -> None:
    csrf = sign_in(console)
    cookie = console.cookies[COOKIE_NAME]
    reply = console.post("/admin/logout", data={"csrf": csrf}, follow_redirects=False)
    assert reply.status_code == 303 and reply.headers["location"] == "/admin/login"
    # The old cookie, replayed, no longer signs in.
    console.cookies.set(COOKIE_NAME, cookie, path="/admin")
    assert console.get("/admin/documents", follow_redirects=False).headers["location"] == "/admin/login"


def test_a_strangers_large_upload_is_refused_at_the_usual_body_limit(
    console: TestClient, console_settings: Settings
) -> None:
    big = b"x" * (console_settings.max_body_bytes + 1)
    reply = console.post("/admin/upload", files={"files": ("a.txt", big)})
    assert reply.status_code == 413


@needs_font
def test_upload_preview_publish_ask_and_delete(console: TestClient, console_settings: Settings) -> None:
    csrf = sign_in(console)
    files = [
        ("files", ("heating.pdf", make_pdf(PdfSpec(pages=HEATING)), "application/pdf")),
        ("files", ("allowance.docx", make_docx(ALLOWANCE), "application/octet-stream")),
        ("files", ("setup.pdf", b"MZ" + b"\0" * 400, "application/pdf")),
    ]
    reply = console.post("/admin/upload", data={"csrf": csrf}, files=files)
    assert reply.status_code == 200
    assert "setup.pdf: not a pdf file, whatever its name says (a Windows executable)" in reply.text
    staged = re.findall(r'href="/admin/staged/([0-9a-f]{16})"', reply.text)
    assert len(set(staged)) == 2
    for stage_id in dict.fromkeys(staged):
        preview = console.get(f"/admin/staged/{stage_id}")
        assert preview.status_code == 200
        if "heating.pdf" in preview.text:
            assert "第 2 页" in preview.text and "居民供暖费按建筑面积每平方米22元收取。" in preview.text
        else:
            assert "年龄段：80至89周岁；每月标准：100元" in preview.text
        published = console.post(f"/admin/staged/{stage_id}/publish", data={"csrf": csrf}, follow_redirects=False)
        assert published.status_code == 303
    wait_for_reindex(console)
    listing = console.get("/admin/documents").text
    assert "关于2025年冬季供暖收费的通知" in listing and "奎文区高龄津贴发放办法" in listing
    assert "5 篇文档" in listing

    answer = console.get("/admin/ask", params={"q": "居民供暖费每平方米收多少钱？"})
    assert answer.status_code == 200
    link = re.search(r'href="(/admin/documents/(heating-[0-9a-f]{8})\?start=(\d+)&amp;end=(\d+))#cited"', answer.text)
    assert link, answer.text
    doc_id = link.group(2)
    assert "第 2 页" in answer.text
    cited = console.get(link.group(1).replace("&amp;", "&"))
    assert re.search(r'<mark id="cited"[^>]*>[^<]*每平方米22元', cited.text)

    deleted = console.post(f"/admin/documents/{doc_id}/delete", data={"csrf": csrf}, follow_redirects=False)
    assert deleted.status_code == 303
    wait_for_reindex(console)
    assert "关于2025年冬季供暖收费的通知" not in console.get("/admin/documents").text
    again = console.get("/admin/ask", params={"q": "居民供暖费每平方米收多少钱？"})
    assert doc_id not in again.text


def test_report_pages_render_charts_and_csv(console: TestClient) -> None:
    for question in ["东关街道要新建几处老年食堂？", "怎么办理护照？", "护照在哪里办？"]:
        console.post("/api/ask", json={"question": question})
    sign_in(console)
    page = console.get("/admin/report")
    assert page.status_code == 200, page.text
    assert '<svg class="chart"' in page.text and 'role="img"' in page.text
    assert "3 个问题" in page.text
    english = console.get("/admin/report", params={"lang": "en"})
    assert "3 questions" in english.text and 'lang="en"' in english.text
    assert "Content-gap report" in console.get("/admin/report").text  # the choice is remembered
    csv = console.get("/admin/report.csv")
    assert csv.headers["content-type"].startswith("text/csv") and "attachment" in csv.headers["content-disposition"]
    assert "护照" in csv.text
