"""The resident-facing web: the chat page, the embeddable widget, its demo host page and the suggestions."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field

from assistant.deps import SettingsDep, SuggestionsDep
from assistant.settings import Settings
from assistant.suggestions import Topic, load_suggestions

WEB_DIR = Path(__file__).resolve().parents[2] / "web"
WIDGET_JS = WEB_DIR / "static" / "widget.js"

# The page's language code per supported UI language; Simplified Chinese is the default.
HTML_LANG = {"zh": "zh-CN", "en": "en"}
PAGE_TITLE = {"zh": "奎文区政务问答", "en": "Kuiwen District Q&A"}

pages = APIRouter(include_in_schema=False)
api = APIRouter(tags=["widget"])
templates = Jinja2Templates(directory=WEB_DIR / "templates")


class SuggestionsOut(BaseModel):
    """What the chat shows before the first question: suggested questions by topic, and its limits."""

    topics: list[Topic]
    hotline: str = Field(description="The hotline named when the assistant declines")
    question_max_chars: int = Field(description="Longest question accepted (the input's counter counts to it)")


@pages.get("/", response_class=HTMLResponse)
def home(request: Request, settings: SettingsDep, lang: str = "zh") -> HTMLResponse:
    """The full-page chat, in Simplified Chinese unless ``?lang=en``."""
    code = lang if lang in HTML_LANG else "zh"
    context = {"lang": code, "html_lang": HTML_LANG[code], "title": PAGE_TITLE[code], "hotline": settings.hotline}
    return templates.TemplateResponse(request, "index.html", context)


@pages.get("/widget.js", name="widget_js")
def widget_js() -> FileResponse:
    """The embeddable widget: one script a host page adds with a ``<script src>`` tag."""
    # no-cache: browsers revalidate (ETag), so a new widget reaches host pages at once.
    return FileResponse(WIDGET_JS, media_type="text/javascript; charset=utf-8", headers={"Cache-Control": "no-cache"})


@pages.get("/embed-demo", response_class=HTMLResponse)
def embed_demo(request: Request, settings: SettingsDep) -> HTMLResponse:
    """A plain host page that embeds the widget, with the snippet to copy."""
    # From the settings, never from the request's Host header: a cache in front must not keep a page that
    # a forged Host wrote into.
    path = request.app.url_path_for("widget_js")
    widget_src = settings.public_url.rstrip("/") + path if settings.public_url else str(path)
    context = {"widget_src": widget_src, "cors_origins": settings.cors_origins}
    return templates.TemplateResponse(request, "embed_demo.html", context)


@api.get("/api/suggestions", response_model=SuggestionsOut)
def suggestions(topics: SuggestionsDep, settings: SettingsDep) -> SuggestionsOut:
    """Suggested questions by topic (from ASSISTANT_SUGGESTIONS_FILE), in Chinese and English."""
    return SuggestionsOut(topics=topics, hotline=settings.hotline, question_max_chars=settings.question_max_chars)


def mount_web(app: FastAPI, settings: Settings) -> None:
    """Add the pages, the suggestions and the static files to ``app``; a bad suggestions file fails here."""
    app.state.suggestions = load_suggestions(settings.suggestions_file, settings.question_max_chars)
    app.include_router(pages)
    app.include_router(api)
    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")
