"""The pages, the widget script and the suggestions endpoint, over the small corpus with the fake embedder."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.embedding import FakeEmbedder
from assistant.errors import SuggestionsError
from assistant.settings import Settings
from assistant.suggestions import BUNDLED_SUGGESTIONS, load_suggestions
from conftest import ROOT

WIDGET_JS = ROOT / "web" / "static" / "widget.js"
PAGES = ["/", "/?lang=en", "/embed-demo"]


class InlineCode(HTMLParser):
    """Collects what a strict CSP would block: inline scripts, <style> blocks, style="" and on* attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.scripts: list[dict[str, str | None]] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        if tag == "style":
            self.problems.append("<style> block")
        if "style" in names:
            self.problems.append(f"style attribute on <{tag}>")
        self.problems += [f"{name} handler on <{tag}>" for name in names if name.startswith("on")]
        if tag == "script":
            self.scripts.append(dict(attrs))
            self._in_script = True
            if "src" not in names:
                self.problems.append("inline <script>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.problems.append("script body")


def parse(html: str) -> InlineCode:
    parser = InlineCode()
    parser.feed(html)
    return parser


def html_lang(html: str) -> str:
    match = re.search(r'<html lang="([^"]+)"', html)
    assert match, html[:200]
    return match.group(1)


@pytest.mark.parametrize(("query", "lang"), [("", "zh-CN"), ("?lang=en", "en"), ("?lang=fr", "zh-CN")])
def test_chat_page_language_follows_the_query(client: TestClient, query: str, lang: str) -> None:
    page = client.get("/" + query)
    assert page.status_code == 200
    assert html_lang(page.text) == lang
    scripts = parse(page.text).scripts
    assert [s.get("src") for s in scripts] == ["/widget.js"]
    assert scripts[0]["data-mode"] == "page"
    assert scripts[0]["data-lang"] == ("en" if lang == "en" else "zh")


@pytest.mark.parametrize("path", PAGES)
def test_pages_have_no_inline_code_and_a_strict_csp(client: TestClient, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert parse(page.text).problems == []
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


def test_widget_script_is_served_as_javascript(client: TestClient) -> None:
    reply = client.get("/widget.js")
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("text/javascript")
    assert reply.headers["Cache-Control"] == "no-cache"
    assert reply.text == WIDGET_JS.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", ["/static/widget.css", "/static/page.css", "/static/demo.css"])
def test_stylesheets_are_served(client: TestClient, path: str) -> None:
    reply = client.get(path)
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("text/css")


def test_widget_never_inserts_html() -> None:
    # The widget inserts question, answer and corpus text as text; these sinks would parse it as HTML.
    source = WIDGET_JS.read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "createContextualFragment", "eval("):
        assert sink not in source, sink


def test_embed_demo_shows_the_snippet_with_the_absolute_script_url(settings: Settings) -> None:
    config = settings.model_copy(update={"public_url": "https://ask.example.org"})
    with TestClient(create_app(config, embedder=FakeEmbedder())) as client:
        page = client.get("/embed-demo").text
    assert '&lt;script src="https://ask.example.org/widget.js" defer&gt;&lt;/script&gt;' in page
    scripts = parse(page).scripts
    assert [s.get("src") for s in scripts] == ["https://ask.example.org/widget.js"]
    assert "defer" in scripts[0]
    for attribute in ("data-title", "data-color", "data-lang", "data-position"):
        assert attribute in page
    assert "ASSISTANT_CORS_ORIGINS" in page


def test_embed_demo_names_the_allowed_origins(settings: Settings) -> None:
    config = settings.model_copy(update={"cors_origins": ["https://www.kuiwen.gov.cn"]})
    with TestClient(create_app(config, embedder=FakeEmbedder())) as c:
        assert "https://www.kuiwen.gov.cn" in c.get("/embed-demo").text


def test_suggestions_come_from_the_bundled_file(client: TestClient, settings: Settings) -> None:
    body = client.get("/api/suggestions").json()
    assert body["hotline"] == settings.hotline
    assert body["question_max_chars"] == settings.question_max_chars
    assert [t["id"] for t in body["topics"]] == ["eldercare", "jobs", "projects"]
    bundled = json.loads(BUNDLED_SUGGESTIONS.read_text(encoding="utf-8"))
    assert body["topics"] == bundled["topics"]
    for topic in body["topics"]:
        assert topic["label"]["zh"] and topic["label"]["en"]
        assert all(q["zh"] and q["en"] for q in topic["questions"])


def test_suggestions_are_in_the_openapi_schema(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    response = schema["paths"]["/api/suggestions"]["get"]["responses"]["200"]
    assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/SuggestionsOut"}
    assert {"topics", "hotline", "question_max_chars"} <= set(
        schema["components"]["schemas"]["SuggestionsOut"]["required"]
    )
    # The pages themselves are not API operations.
    assert not {"/", "/widget.js", "/embed-demo"} & set(schema["paths"])


def write_suggestions(path: Path, topics: Any) -> Path:
    path.write_text(json.dumps({"topics": topics}, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_deployment_sets_its_own_suggestions_file(settings: Settings, tmp_path: Path) -> None:
    topics = [
        {"id": "eldercare", "label": {"zh": "养老", "en": "Elder care"}, "questions": [{"zh": "问？", "en": "Q?"}]}
    ]
    config = settings.model_copy(update={"suggestions_file": write_suggestions(tmp_path / "s.json", topics)})
    with TestClient(create_app(config, embedder=FakeEmbedder())) as c:
        assert c.get("/api/suggestions").json()["topics"] == topics


def test_the_suggestions_file_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = write_suggestions(tmp_path / "s.json", [])
    monkeypatch.setenv("ASSISTANT_SUGGESTIONS_FILE", str(path))
    assert Settings().suggestions_file == path


TOPIC = {
    "id": "jobs",
    "label": {"zh": "就业", "en": "Jobs"},
    "questions": [{"zh": "有招聘会吗？", "en": "Any job fairs?"}],
}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot be read"),
        ("{not json", "is invalid: file: Invalid JSON"),
        (json.dumps({"topics": []}), "topics: List should have at least 1 item"),
        (json.dumps({"topics": [{**TOPIC, "label": {"zh": "就业"}}]}), "topics.0.label.en: Field required"),
        (json.dumps({"topics": [{**TOPIC, "questions": []}]}), "topics.0.questions: List should have at least 1 item"),
        (json.dumps({"topics": [{**TOPIC, "id": "Jobs!"}]}), "topics.0.id: String should match pattern"),
        (json.dumps({"topics": [TOPIC, TOPIC]}), "repeats topic ids: jobs"),
        (json.dumps({"topics": [{**TOPIC, "questions": [{"zh": "长" * 501, "en": "x"}]}]}), "longer than"),
    ],
)
def test_a_bad_suggestions_file_stops_start_up_naming_the_file(
    settings: Settings, tmp_path: Path, content: str | None, message: str
) -> None:
    path = tmp_path / "suggestions.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(SuggestionsError) as error:
        create_app(settings.model_copy(update={"suggestions_file": path}), embedder=FakeEmbedder())
    assert str(path) in str(error.value)
    assert message in str(error.value)


def test_the_bundled_suggestions_are_valid() -> None:
    topics = load_suggestions(None, question_max_chars=500)
    assert {t.id for t in topics} == {"eldercare", "jobs", "projects"}
