"""The resident-facing pages: the chat page and its static files."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from assistant.deps import SettingsDep

WEB_DIR = Path(__file__).resolve().parents[2] / "web"

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=WEB_DIR / "templates")


@router.get("/", response_class=HTMLResponse)
def home(request: Request, settings: SettingsDep) -> HTMLResponse:
    """The full-page chat."""
    return templates.TemplateResponse(request, "index.html", {"hotline": settings.hotline})


def mount_web(app: FastAPI) -> None:
    """Add the pages and the static files to ``app``."""
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")
