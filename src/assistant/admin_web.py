"""The staff console at /admin: sign-in, documents (upload, preview, publish, delete, reindex), the
content-gap report as pages, and asking as a resident. Server-rendered, so it works without JavaScript.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import anyio
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.datastructures import Headers, UploadFile
from starlette.requests import cookie_parser

from assistant.admin_session import COOKIE_NAME, Session, SessionSigner
from assistant.admin_text import HTML_LANG, LANGS, text
from assistant.charts import Series, line_chart
from assistant.corpus import corpus_files
from assistant.errors import AdminDisabled, AssistantError, StorageUnavailable
from assistant.library import Record, limits_from, read_record, remove_document
from assistant.middleware import LargeBody
from assistant.reindex import Reindexer
from assistant.report import Report, ReportJob, render_csv
from assistant.report_gists import StoredGists
from assistant.service import Assistant
from assistant.settings import Settings
from assistant.staging import Staged, Staging
from assistant.web import templates

LANG_COOKIE = "kuiwen_admin_lang"
CSRF_FIELD = "csrf"
UPLOAD_PATH = "/admin/upload"
# Time an upload request's body may take to arrive (the API's other bodies keep their short limit).
UPLOAD_TIMEOUT_SECONDS = 300.0

console = APIRouter(include_in_schema=False)


def _signer(request: Request) -> SessionSigner:
    signer: SessionSigner | None = getattr(request.app.state, "admin_signer", None)
    if signer is None:
        raise AdminDisabled("the staff console is off: set ASSISTANT_ADMIN_TOKEN to turn it on")
    return signer


def _lang(request: Request) -> str:
    asked = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    return asked if asked in LANGS else "zh"


def _session(request: Request) -> Session | None:
    return _signer(request).read(request.cookies.get(COOKIE_NAME))


def _secure(request: Request) -> bool:
    settings: Settings = request.app.state.settings
    return request.url.scheme == "https" or bool(settings.public_url and settings.public_url.startswith("https:"))


def _assistant(request: Request) -> Assistant:
    assistant: Assistant | None = getattr(request.app.state, "assistant", None)
    if assistant is None:
        raise StorageUnavailable("the index is not loaded yet")
    return assistant


def _reindexer(request: Request) -> Reindexer:
    reindexer: Reindexer | None = getattr(request.app.state, "reindexer", None)
    if reindexer is None:
        assistant = _assistant(request)
        reindexer = request.app.state.reindexer = Reindexer(
            request.app.state.settings, assistant.embedder, request.app.state.reloader
        )
    return reindexer


def _staging(request: Request) -> Staging:
    settings: Settings = request.app.state.settings
    return Staging(settings.staging_dir, limits_from(settings))


def _page(request: Request, name: str, session: Session | None, status: int = 200, **context: Any) -> HTMLResponse:
    lang = _lang(request)
    signer = _signer(request)

    def t(key: str, **values: object) -> str:
        return text(lang, key, **values)

    base = {
        "lang": lang,
        "html_lang": HTML_LANG[lang],
        "other_lang": "en" if lang == "zh" else "zh",
        "t": t,
        "csrf": signer.csrf_token(session) if session else "",
        "signed_in": session is not None,
        "path": request.url.path,
    }
    response = templates.TemplateResponse(request, f"admin/{name}", {**base, **context}, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    if request.query_params.get("lang") in LANGS:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="strict", secure=_secure(request))
    return response


def _to(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


async def _checked_form(request: Request) -> tuple[Session, Any] | Response:
    """The session and form of a POST, or the sign-in page when the session or its CSRF token is missing."""
    session = _session(request)
    form = await request.form()
    token = form.get(CSRF_FIELD)
    if session is None or not _signer(request).check_csrf(session, token if isinstance(token, str) else None):
        return _page(request, "login.html", None, status=403, error=text(_lang(request), "expired"))
    return session, form


# ---------------------------------------------------------------- sign-in


@console.get("/admin")
def admin_home(request: Request) -> Response:
    """The console's start: the documents when signed in, else the sign-in form."""
    return _to("/admin/documents" if _session(request) else "/admin/login")


@console.get("/admin/login")
def login_form(request: Request) -> Response:
    """The sign-in form (the token is posted, never put in a URL)."""
    if _session(request):
        return _to("/admin/documents")
    return _page(request, "login.html", None)


@console.post("/admin/login")
async def login(request: Request) -> Response:
    """Check the token and set the session cookie (HttpOnly, SameSite=Strict, Secure over HTTPS)."""
    signer = _signer(request)
    form = await request.form()
    token = form.get("token")
    if not isinstance(token, str) or not signer.check_token(token.strip()):
        return _page(request, "login.html", None, status=401, error=text(_lang(request), "bad_token"))
    _, cookie = signer.issue()
    response = _to("/admin/documents")
    response.set_cookie(
        COOKIE_NAME,
        cookie,
        max_age=signer.lifetime,
        path="/admin",
        httponly=True,
        samesite="strict",
        secure=_secure(request),
    )
    return response


@console.post("/admin/logout")
async def logout(request: Request) -> Response:
    """Sign out: forget the session and clear its cookie."""
    checked = await _checked_form(request)
    if isinstance(checked, Response):
        return checked
    _signer(request).revoke(checked[0])
    response = _to("/admin/login")
    response.delete_cookie(COOKIE_NAME, path="/admin", httponly=True, samesite="strict", secure=_secure(request))
    return response


# ---------------------------------------------------------------- documents


@dataclass(frozen=True)
class Row:
    """A document in the console's list."""

    doc_id: str
    title: str
    published: str | None
    source: str | None
    format: str
    size: int
    passages: int
    pages: int
    indexed: bool


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1_000_000 else f"{max(n, 1) / 1e3:.1f} kB"


def _rows(request: Request) -> list[Row]:
    settings: Settings = request.app.state.settings
    index = _assistant(request).index
    passages = Counter(c.doc_id for c in index.chunks)
    on_disk = {p.stem: p for p in corpus_files(settings.corpus_dir)} if settings.corpus_dir.is_dir() else {}
    rows = []
    for doc in index.documents.values():
        record = read_record(settings.corpus_dir, doc.doc_id)
        path = on_disk.get(doc.doc_id)
        size = record.bytes if record else (path.stat().st_size if path else len(doc.text.encode()))
        rows.append(
            Row(
                doc.doc_id,
                doc.title,
                doc.published,
                doc.source,
                record.format if record else "text",
                size,
                passages[doc.doc_id],
                record.pages if record else 0,
                True,
            )
        )
    # Published since the last build: listed as not yet indexed until the rebuild ends.
    for doc_id, path in on_disk.items():
        if doc_id not in index.documents:
            record = read_record(settings.corpus_dir, doc_id)
            fmt = record.format if record else "text"
            pages = record.pages if record else 0
            rows.append(Row(doc_id, doc_id, None, None, fmt, path.stat().st_size, 0, pages, False))
    return sorted(rows, key=lambda r: (r.indexed, r.published or "", r.title), reverse=True)


def _documents_page(
    request: Request, session: Session, uploaded: list[Staged] | None = None, failed: list[str] | None = None
) -> HTMLResponse:
    assistant = _assistant(request)
    manifest = assistant.index.manifest
    return _page(
        request,
        "documents.html",
        session,
        rows=_rows(request),
        size=_size,
        build=assistant.index.path.name,
        built_at=manifest.built_at,
        documents=manifest.documents,
        chunks=manifest.chunks,
        staged=_staging(request).all(),
        uploaded=uploaded or [],
        failed=failed or [],
        progress=_reindexer(request).progress,
    )


@console.get("/admin/documents")
def documents(request: Request) -> Response:
    """The documents, what is awaiting publication, the index in use and the rebuild's progress."""
    session = _session(request)
    if session is None:
        return _to("/admin/login")
    return _documents_page(request, session)


@console.post(UPLOAD_PATH)
async def upload(request: Request) -> Response:
    """Convert each uploaded file for preview; a file that can't be converted is listed with its reason."""
    checked = await _checked_form(request)
    if isinstance(checked, Response):
        return checked
    session, form = checked
    staging = _staging(request)
    uploaded: list[Staged] = []
    failed: list[str] = []
    for item in form.getlist("files"):
        if not isinstance(item, UploadFile) or not item.filename:
            continue
        data = await item.read()
        try:
            uploaded.append(await anyio.to_thread.run_sync(staging.put, item.filename, data))
        except AssistantError as exc:
            failed.append(str(exc))
    return _documents_page(request, session, uploaded, failed)


@console.get("/admin/staged/{stage_id}")
def staged(request: Request, stage_id: str) -> Response:
    """The text and metadata an upload would be published with."""
    session = _session(request)
    if session is None:
        return _to("/admin/login")
    item = _staging(request).get(stage_id)
    pages = _paged(item.converted.text, item.converted.page_starts)
    return _page(request, "staged.html", session, item=item, pages=pages, size=_size)


@console.post("/admin/staged/{stage_id}/publish")
async def publish(request: Request, stage_id: str) -> Response:
    """Add the upload to the corpus and rebuild the index."""
    checked = await _checked_form(request)
    if isinstance(checked, Response):
        return checked
    settings: Settings = request.app.state.settings
    try:
        await anyio.to_thread.run_sync(_staging(request).publish, stage_id, settings.corpus_dir)
    except AssistantError as exc:
        return _documents_page(request, checked[0], failed=[str(exc)])
    _reindexer(request).start()
    return _to("/admin/documents")


@console.post("/admin/staged/{stage_id}/discard")
async def discard(request: Request, stage_id: str) -> Response:
    """Forget an upload."""
    checked = await _checked_form(request)
    if isinstance(checked, Response):
        return checked
    _staging(request).discard(stage_id)
    return _to("/admin/documents")


@console.post("/admin/documents/{doc_id}/delete")
async def delete(request: Request, doc_id: str) -> Response:
    """Remove a document from the corpus and rebuild the index."""
    checked = await _checked_form(request)
    if isinstance(checked, Response):
        return checked
    settings: Settings = request.app.state.settings
    remove_document(settings.corpus_dir, doc_id)
    _reindexer(request).start()
    return _to("/admin/documents")


@console.post("/admin/reindex")
async def reindex(request: Request) -> Response:
    """Rebuild the index from the corpus."""
    checked = await _checked_form(request)
    if isinstance(checked, Response):
        return checked
    _reindexer(request).start()
    return _to("/admin/documents")


@console.get("/admin/reindex/status")
def reindex_status(request: Request) -> Response:
    """The rebuild's progress as JSON, for the documents page to show as it goes."""
    if _session(request) is None:
        return JSONResponse({"error": "NotAuthorised", "message": "sign in first"}, status_code=401)
    progress = _reindexer(request).progress
    assistant = _assistant(request)
    return JSONResponse(
        {
            "state": progress.state,
            "stage": progress.stage,
            "seconds": round(progress.elapsed(), 1),
            "message": progress.message,
            "build": assistant.index.path.name,
            "built_at": assistant.index.manifest.built_at,
        },
        headers={"Cache-Control": "no-store"},
    )


@dataclass(frozen=True)
class PageText:
    """A page of a document's text (the whole text for formats without pages), with a cited range marked."""

    number: int | None
    before: str
    marked: str
    after: str
    first_mark: bool = False  # the page where the cited range starts (it gets the anchor)


def _paged(body: str, starts: list[int], mark: tuple[int, int] | None = None) -> list[PageText]:
    bounds = list(zip(starts, [*starts[1:], len(body)], strict=True)) if starts else [(0, len(body))]
    out = []
    anchored = False
    for number, (start, end) in enumerate(bounds, start=1):
        a, b = mark if mark else (end, end)
        a, b = max(a, start), min(b, end)
        if a >= b:
            a = b = end
        first = a < b and not anchored
        anchored = anchored or first
        out.append(PageText(number if starts else None, body[start:a], body[a:b], body[b:end], first))
    return out


@console.get("/admin/documents/{doc_id}")
def document(request: Request, doc_id: str, start: int | None = None, end: int | None = None) -> Response:
    """A document's text as served (page by page for a PDF), with a cited range marked."""
    session = _session(request)
    if session is None:
        return _to("/admin/login")
    settings: Settings = request.app.state.settings
    doc = _assistant(request).document(doc_id)
    record: Record | None = read_record(settings.corpus_dir, doc_id)
    if record is not None and record.chars != len(doc.text):
        record = None
    mark = (start, end) if start is not None and end is not None and 0 <= start < end <= len(doc.text) else None
    pages = _paged(doc.text, record.page_starts if record else [], mark)
    return _page(request, "document.html", session, doc=doc, record=record, pages=pages, size=_size)


# ---------------------------------------------------------------- ask as a resident


@console.get("/admin/ask")
async def ask(request: Request, q: str = "") -> Response:
    """Ask as a resident would (nothing stored): the answer, its citations, and why it answered or declined."""
    session = _session(request)
    if session is None:
        return _to("/admin/login")
    if not q.strip():
        return _page(request, "ask.html", session, q="", result=None)
    assistant = _assistant(request)
    settings: Settings = request.app.state.settings

    def answer() -> tuple[Any, Any]:
        result = assistant.ask(q)
        question = result.question
        trace = assistant.engine.trace(question, assistant.retriever.retrieve(question), settings.top_k)
        return result, trace

    try:
        result, trace = await anyio.to_thread.run_sync(answer)
    except AssistantError as exc:
        return _page(request, "ask.html", session, q=q, result=None, error=str(exc))
    pages: dict[int, str] = {}
    lang = _lang(request)
    for c in result.answer.citations:
        record = read_record(settings.corpus_dir, c.doc_id)
        if record is not None and record.page_starts:
            first = sum(1 for s in record.page_starts if s <= c.start)
            last = sum(1 for s in record.page_starts if s < c.end)
            pages[c.n] = text(lang, "page_n", n=first) if first == last else text(lang, "pages_n", a=first, b=last)
    return _page(request, "ask.html", session, q=q, result=result, trace=trace, pages=pages)


# ---------------------------------------------------------------- the content-gap report


async def _report(request: Request, since: dt.date | None) -> Report:
    assistant = _assistant(request)
    settings: Settings = request.app.state.settings
    store = request.app.state.feedback
    # The wordings' vectors made when the questions were stored, as the report API reads them.
    model = assistant.embedder
    gists = StoredGists(store, model.name, model.dimension)
    job = await anyio.to_thread.run_sync(ReportJob, store, model, settings, since, gists)
    while not job.done:
        await anyio.to_thread.run_sync(job.step)
    report: Report = await anyio.to_thread.run_sync(job.finish)
    return report


def _since(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _charts(report: Report, lang: str) -> list[tuple[str, str, list[tuple[str, str, str]]]]:
    """Per topic: its name, its chart, and the rows of its data table."""
    out = []
    topics = sorted({r.topic for r in report.topics})
    for n, topic in enumerate(topics):
        rates = sorted((r for r in report.topics if r.topic == topic), key=lambda r: r.period)
        periods = [r.period for r in rates]
        series = [
            Series(text(lang, "answer_rate"), [r.answer_rate for r in rates]),
            Series(text(lang, "helpful_rate"), [r.helpful_rate for r in rates]),
        ]
        chart = line_chart(f"chart{n}", f"{topic}: {text(lang, 'rates')}", periods, series)
        table = [
            (r.period, f"{r.answer_rate:.0%}", "–" if r.helpful_rate is None else f"{r.helpful_rate:.0%}")
            for r in rates
        ]
        out.append((topic, chart, table))
    return out


@console.get("/admin/report")
async def report_page(request: Request, since: str = "") -> Response:
    """The content-gap report: unanswered questions by meaning, unhelpful answers, rates per topic as charts."""
    session = _session(request)
    if session is None:
        return _to("/admin/login")
    day = _since(since)
    try:
        report = await _report(request, day)
    except AssistantError as exc:
        return _page(request, "report.html", session, report=None, error=str(exc), since=since)
    charts = _charts(report, _lang(request))
    csv_url = "/admin/report.csv" + (f"?since={quote(day.isoformat())}" if day else "")
    return _page(request, "report.html", session, report=report, charts=charts, since=since, csv_url=csv_url)


@console.get("/admin/report.csv")
async def report_csv(request: Request, since: str = "") -> Response:
    """The report as CSV (one table per section)."""
    if _session(request) is None:
        return _to("/admin/login")
    report = await _report(request, _since(since))
    name = f"content-gap-{dt.date.today().isoformat()}.csv"
    return Response(
        "\ufeff" + render_csv(report),  # a BOM so that spreadsheet programs read the Chinese as UTF-8
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )


def mount_admin(app: FastAPI, settings: Settings) -> None:
    """Add the console when ``ASSISTANT_ADMIN_TOKEN`` is set (its pages answer 404 otherwise)."""
    app.include_router(console)
    if settings.admin_token is None:
        return
    signer = SessionSigner(settings.admin_token.get_secret_value(), int(settings.admin_session_hours * 3600))
    app.state.admin_signer = signer

    def signed_in(headers: Headers) -> bool:
        return signer.read(cookie_parser(headers.get("cookie", "")).get(COOKIE_NAME)) is not None

    # Uploads may be larger than other bodies, but only from a signed-in session: a stranger's upload is
    # refused at the usual limit before anything large is read.
    app.state.large_bodies = (
        LargeBody(frozenset({UPLOAD_PATH}), settings.admin_upload_max_bytes, UPLOAD_TIMEOUT_SECONDS, signed_in),
    )
