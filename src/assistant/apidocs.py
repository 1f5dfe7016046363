"""The OpenAPI page at ``/docs``: Swagger UI from the assets this app ships (package ``swagger-ui-bundle``).

FastAPI's own page loads Swagger UI from a CDN and starts it with an inline script; the pages' CSP
(``script-src 'self'``, rightly) blocks both, and the app uses no CDN. Here every script is a file
served by the app, so the page works under the same CSP.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

ASSETS = "/docs/assets"
INIT_JS = Path(__file__).resolve().parents[2] / "web" / "static" / "docs-init.js"

PAGE = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{title}} – API</title>
<link rel="stylesheet" href="{ASSETS}/swagger-ui.css">
<link rel="icon" href="{ASSETS}/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{{openapi_url}}"></div>
<script src="{ASSETS}/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
"""


def mount_docs(app: FastAPI) -> None:
    """Serve ``/docs`` (and ``/redoc``, which points there) from the shipped Swagger UI assets."""
    page = PAGE.format(title=app.title, openapi_url=app.openapi_url or "/openapi.json")
    # A router per app: a module-level one would gather another copy of these routes with every app built.
    router = APIRouter(include_in_schema=False)

    @router.get("/docs", response_class=HTMLResponse)
    def docs() -> HTMLResponse:
        """Swagger UI over this app's OpenAPI description."""
        return HTMLResponse(page)

    @router.get("/docs/init.js")
    def init_js() -> FileResponse:
        """The script that starts Swagger UI (a file, not inline, for the CSP)."""
        return FileResponse(INIT_JS, media_type="text/javascript; charset=utf-8")

    @router.get("/redoc")
    def redoc() -> RedirectResponse:
        """ReDoc is not shipped; its address leads to the Swagger UI page."""
        return RedirectResponse("/docs", status_code=308)

    app.include_router(router)
    app.mount(ASSETS, StaticFiles(directory=str(swagger_ui_path)), name="docs-assets")
