"""The ``assistant`` command: index, add, remove, ask, serve, eval, report."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any, get_args

import click
from pydantic import ValidationError

from assistant.db_cli import db
from assistant.errors import AssistantError
from assistant.settings import Settings
from assistant.threads import thread_env


def _settings(corpus: Path | None = None, index: Path | None = None) -> Settings:
    """Settings from the environment, with the folders given on the command line."""
    settings = Settings()
    return settings.model_copy(
        update={"corpus_dir": corpus or settings.corpus_dir, "index_dir": index or settings.index_dir}
    )


def _in_process(settings: Settings) -> Settings:
    """Settings for an app this command drives itself: one local caller (no rate limit), not a resident (not stored)."""
    return settings.model_copy(update={"rate_limit": "off", "record_questions": False})


corpus_option = click.option("--corpus", type=click.Path(path_type=Path), help="Corpus folder (ASSISTANT_CORPUS_DIR)")
index_option = click.option("--index", type=click.Path(path_type=Path), help="Index folder (ASSISTANT_INDEX_DIR)")


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Log progress to stderr")
def cli(verbose: bool) -> None:
    """Kuiwen Civic Assistant: cited answers from the district's published documents."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )


@cli.command()
@corpus_option
@index_option
def index(corpus: Path | None, index: Path | None) -> None:
    """Build the index from the corpus and make it current."""
    _reindex(_settings(corpus, index))


def _reindex(settings: Settings) -> None:
    """Rebuild the index from the corpus (a running server swaps to it at its next look at CURRENT)."""
    from assistant.embedding import load_embedder
    from assistant.index import build_index
    from assistant.use_embedder import write_model_cache

    embedder = load_embedder(settings)
    manifest, errors = build_index(settings, embedder)
    # Beside the index, the built-in model's tables decompressed: servers on this index start faster.
    write_model_cache(embedder, settings)
    for error in errors:
        click.echo(f"skipped: {error}", err=True)
    click.echo(
        f"indexed {manifest.documents} documents, {manifest.chunks} passages into {settings.index_dir} "
        f"in {manifest.build_seconds:.1f} s ({len(errors)} files skipped)"
    )


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--id", "doc_id", default=None, help="Document id (one source only); default: from name and content")
@click.option("--no-index", is_flag=True, help="Only convert into the corpus; do not rebuild the index")
@corpus_option
@index_option
def add(sources: tuple[str, ...], doc_id: str | None, no_index: bool, corpus: Path | None, index: Path | None) -> None:
    """Convert files or web pages (PATH or URL: .pdf, .docx, .html, .txt, .md) into the corpus, then reindex."""
    from assistant.converters import ConversionError
    from assistant.converters.base import human_size
    from assistant.fetch import fetch
    from assistant.library import add_file, limits_from

    if doc_id is not None and len(sources) > 1:
        raise click.UsageError("--id names one document: give one source with it")
    settings = _settings(corpus, index)
    limits = limits_from(settings)
    added = 0
    for source in sources:
        try:
            if source.startswith(("http://", "https://")):
                fetched = fetch(source, limits.max_bytes, settings.fetch_timeout_seconds)
                name, data, origin, media_type = fetched.name, fetched.data, fetched.url, fetched.media_type
            else:
                path = Path(source)
                if not path.is_file():
                    raise ConversionError(f"{source}: no such file")
                if path.stat().st_size > limits.max_bytes:
                    size, limit = human_size(path.stat().st_size), human_size(limits.max_bytes)
                    raise ConversionError(f"{source}: {size}, more than the limit of {limit}")
                name, data, origin, media_type = path.name, path.read_bytes(), str(path), None
            result = add_file(
                settings.corpus_dir, name, data, limits, doc_id=doc_id, origin=origin, media_type=media_type
            )
        except AssistantError as exc:
            click.echo(f"skipped {source}: {exc}", err=True)
            continue
        added += 1
        d, r = result.document, result.record
        click.echo(
            f"added {d.doc_id} ({r.format}): title {d.title}; date {d.published or '-'}; source {d.source or '-'}; "
            f"{r.chars} characters; {r.pages or '-'} pages"
        )
    if added and not no_index:
        _reindex(settings)
    if added < len(sources):
        sys.exit(1)


@cli.command()
@click.argument("doc_ids", nargs=-1, required=True)
@click.option("--no-index", is_flag=True, help="Only remove from the corpus; do not rebuild the index")
@corpus_option
@index_option
def remove(doc_ids: tuple[str, ...], no_index: bool, corpus: Path | None, index: Path | None) -> None:
    """Remove documents (text, original and record) from the corpus, then reindex."""
    from assistant.library import remove_document

    settings = _settings(corpus, index)
    for doc_id in doc_ids:
        removed = remove_document(settings.corpus_dir, doc_id)
        click.echo(f"removed {doc_id}: {', '.join(str(p) for p in removed)}")
    if not no_index:
        _reindex(settings)


@cli.command()
@click.argument("question")
@click.option("--top-k", type=click.IntRange(1, 10), default=None, help="Passages to cite")
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON response")
@click.option("--explain", is_flag=True, help="Print the top candidates with their features, and the decision")
@click.option(
    "--history",
    "history_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="JSON file of the earlier turns, as POST /api/ask's history: [{question, answer, doc_ids}], oldest first",
)
@corpus_option
@index_option
def ask(
    question: str,
    top_k: int | None,
    as_json: bool,
    explain: bool,
    history_file: Path | None,
    corpus: Path | None,
    index: Path | None,
) -> None:
    """Answer one question (a follow-up of the turns in --history)."""
    from fastapi.testclient import TestClient

    from assistant.api import create_app

    settings = _settings(corpus, index)
    history = _read_history(history_file) if history_file else []
    if explain:
        _explain(question, top_k or settings.top_k, settings, history)
        return
    with TestClient(create_app(_in_process(settings))) as client:
        reply = client.post(
            "/api/ask", json={"question": question, "top_k": top_k or settings.top_k, "history": history}
        )
    body = reply.json()
    if as_json or reply.status_code != 200:
        click.echo(json.dumps(body, ensure_ascii=False, indent=2))
        sys.exit(0 if reply.status_code == 200 else 1)
    _print_reply(body)


def _read_history(path: Path) -> list[dict[str, object]]:
    """The turns of a --history file: a JSON list (the API checks each turn)."""
    try:
        turns = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise click.BadParameter(f"{path}: {exc}", param_hint="--history") from None
    if not isinstance(turns, list):
        raise click.BadParameter(f"{path}: must hold a JSON list of turns", param_hint="--history")
    return turns


def _print_reply(body: dict[str, Any]) -> None:
    """An answer as text: how a follow-up was understood, the answer, then each citation."""
    if body.get("resolved_question") and body["resolved_question"] != body["question"]:
        click.echo(f"理解为 / understood as: {body['resolved_question']}")
    click.echo(body["answer"])
    for c in body["citations"]:
        click.echo(f"[{c['n']}] {c['title']} ({c['published'] or 'undated'}) {c['doc_id']}:{c['start']}-{c['end']}")
        click.echo(f"    {c['text']}")


@cli.command()
@click.option("--top-k", type=click.IntRange(1, 10), default=None, help="Passages to cite")
@corpus_option
@index_option
def chat(top_k: int | None, corpus: Path | None, index: Path | None) -> None:
    """Ask questions one after another, as a conversation: each follows the ones before (empty line or EOF ends)."""
    from fastapi.testclient import TestClient

    from assistant.api import create_app
    from assistant.conversation import HISTORY_MAX_TURNS

    settings = _settings(corpus, index)
    history: list[dict[str, object]] = []
    with TestClient(create_app(_in_process(settings))) as client:
        while True:
            question = click.prompt("?", default="", show_default=False, prompt_suffix=" ").strip()
            if not question:
                return
            reply = client.post(
                "/api/ask", json={"question": question, "top_k": top_k or settings.top_k, "history": history}
            )
            body = reply.json()
            if reply.status_code != 200:
                click.echo(f"error: {body.get('message')}", err=True)
                continue
            _print_reply(body)
            doc_ids = list(dict.fromkeys(c["doc_id"] for c in body["citations"]))
            history = [*history, {"question": question, "answer": body["answer"], "doc_ids": doc_ids}]
            history = history[-HISTORY_MAX_TURNS:]


def _explain(question: str, top_k: int, settings: Settings, history: list[dict[str, Any]]) -> None:
    """Why the engine said what it said: the question's analysis, the ranked candidates, the span, the decision."""
    from assistant.conversation import Turn, resolve
    from assistant.embedding import load_embedder
    from assistant.service import Assistant

    assistant = Assistant.open(settings, load_embedder(settings))
    turns = [Turn(str(t["question"]), t.get("answer"), tuple(t.get("doc_ids") or ())) for t in history]
    resolved = resolve(question.strip(), turns, assistant)
    if resolved.how != "alone":
        click.echo(f"resolved ({resolved.how}): {resolved.text}")
    trace = assistant.engine.trace(resolved.text, assistant.retriever.retrieve(resolved.text), top_k)
    q = trace.question
    ask = f"{q.ask.name} ({', '.join(sorted(q.ask.kinds))})" if q.ask else "none"
    click.echo(f"question: language {q.language}; words {', '.join(q.terms)}; focus {', '.join(sorted(q.focus))}")
    click.echo(f"asks for: {ask}; wants the latest: {q.wants_latest}; areas: {', '.join(sorted(q.areas)) or '-'}")
    click.echo("candidates (ranking log-odds, then the features that are not 0):")
    for item in trace.ranked[:5]:
        chunk = item.passage.chunk
        values = ", ".join(f"{k} {v:.2f}" for k, v in item.features.items() if v)
        click.echo(f"  {item.score:6.2f}  {chunk.doc_id}:{chunk.start}-{chunk.end}  {chunk.text[:60]!r}")
        click.echo(f"          {values}")
    if trace.span is not None:
        click.echo(f"span ({trace.span.score:.2f}): {trace.span.text!r}")
    d = trace.decision
    values = ", ".join(f"{k} {v:.2f}" for k, v in d.features.items() if v)
    click.echo(f"decision: {d.reason}; on the topic {d.covered:.2f}; confidence {d.confidence:.2f}")
    click.echo(f"          {values}")
    unpublished = assistant.unpublished(resolved, trace)
    reply = trace.answer
    if unpublished is not None and reply.answered:
        # The same check the service makes after the engine (service.Assistant.ask), so the reply shown is the one sent.
        click.echo(f"then declined: the answering document never names {unpublished!r} (detail_not_published)")
        reply = assistant.ask(question, top_k, turns).answer
    click.echo(f"reply: {reply.text}")


@cli.command()
@click.option("--host", default=None, help="Interface to bind (ASSISTANT_HOST)")
@click.option("--port", type=int, default=None, help="Port (ASSISTANT_PORT)")
@click.option("--workers", type=int, default=1, show_default=True, help="Worker processes")
@corpus_option
@index_option
def serve(host: str | None, port: int | None, workers: int, corpus: Path | None, index: Path | None) -> None:
    """Serve the chat page and the HTTP API."""
    import uvicorn

    from assistant.logs import log_config
    from assistant.metrics import MULTIPROC_ENV
    from assistant.server import raise_open_file_limit, uvicorn_config

    # Workers build their own app from the environment, so the overrides go there.
    if corpus is not None:
        os.environ["ASSISTANT_CORPUS_DIR"] = str(corpus)
    if index is not None:
        os.environ["ASSISTANT_INDEX_DIR"] = str(index)
    settings = Settings()
    # Before any worker starts: they inherit the limit, and the connection cap is kept below it.
    raise_open_file_limit()
    config = uvicorn_config(settings, host or settings.host, port or settings.port, workers, log_config(settings))
    if workers == 1:
        uvicorn.Server(config).run()
        return
    from assistant.workers import SocketPerWorker

    metrics_dir = None
    if not os.environ.get(MULTIPROC_ENV):
        # Workers write their metrics to files here, so /metrics can add up all of them.
        metrics_dir = tempfile.mkdtemp(prefix="assistant-metrics-")
        os.environ[MULTIPROC_ENV] = metrics_dir
    try:
        # A socket per worker (SO_REUSEPORT): with one shared socket, the busy worker accepted most connections.
        SocketPerWorker(config).run()
    finally:
        if metrics_dir is not None:
            shutil.rmtree(metrics_dir, ignore_errors=True)


@cli.command(name="eval")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print metrics and per-question results as JSON")
@corpus_option
@index_option
def eval_(file: Path, as_json: bool, corpus: Path | None, index: Path | None) -> None:
    """Score a JSONL question set; the last line holds the metrics as key=value pairs."""
    from assistant.conversation_eval import is_conversation_set
    from assistant.embedding import load_embedder
    from assistant.evaluate import evaluate, load_set, metrics
    from assistant.service import Assistant

    settings = _settings(corpus, index)
    # The service itself, as the server would open it: no HTTP, so nothing is stored and nothing rate limited.
    assistant = Assistant.open(settings, load_embedder(settings))
    assistant.warm_up()
    items = load_set(file)
    if is_conversation_set(items):
        _eval_conversations(assistant, items, as_json)
        return
    outcomes = evaluate(assistant, items)
    figures = metrics(outcomes)
    if as_json:
        # "id" is the question's id in the set (no answer id: nothing was stored).
        results = [
            {
                "id": o.item.get("id"),
                **o.response,
                "rank": o.rank,
                "answer_ok": o.answer_ok,
                "answer_precision": o.precision,
                "answer_chars": o.answer_chars,
                "evidence_chars": o.evidence_chars,
                "latency_ms": o.latency_ms,
            }
            for o in outcomes
        ]
        click.echo(json.dumps({"metrics": figures, "results": results}, ensure_ascii=False))
        return
    for o in outcomes:
        if o.item.get("answerable") and (o.rank != 1 or not o.answer_ok):
            click.echo(f"miss {o.item.get('id')}: rank={o.rank} answer_ok={o.answer_ok} {o.item['question']}")
        elif not o.item.get("answerable") and o.response.get("answered"):
            click.echo(f"wrongly answered {o.item.get('id')}: {o.item['question']}")
    click.echo(" ".join(f"{k}={v}" for k, v in figures.items()))


def _eval_conversations(assistant: Any, conversations: list[dict[str, Any]], as_json: bool) -> None:
    """Score a conversation set: misses with the question each turn was resolved to, then the figures by turn kind."""
    from assistant.conversation_eval import conversation_metrics, evaluate_conversations
    from assistant.evaluate import metrics

    turns = evaluate_conversations(assistant, conversations)
    figures = {**conversation_metrics(turns), **{f"all_{k}": v for k, v in metrics([t.outcome for t in turns]).items()}}
    if as_json:
        results = [
            {
                "conversation": t.conversation,
                "id": t.outcome.item.get("id"),
                "kind": t.kind,
                **t.outcome.response,
                "resolved_question": t.resolved_question,
                "rank": t.outcome.rank,
                "answer_ok": t.outcome.answer_ok,
                "contaminated": t.contaminated,
                "latency_ms": t.outcome.latency_ms,
            }
            for t in turns
        ]
        click.echo(json.dumps({"metrics": figures, "results": results}, ensure_ascii=False))
        return
    for t in turns:
        item, answered = t.outcome.item, t.outcome.response.get("answered")
        wrong = (not t.outcome.answer_ok) if item.get("answerable") else answered
        if wrong or t.contaminated:
            click.echo(
                f"miss {item.get('id')} ({t.kind}): rank={t.outcome.rank} answered={answered} "
                f"{item['question']} -> {t.resolved_question}"
            )
    click.echo(" ".join(f"{k}={v}" for k, v in figures.items()))


@cli.command()
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), default=None, help="First day (YYYY-MM-DD) to include")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True, help="Output"
)
def report(since: dt.datetime | None, fmt: str) -> None:
    """Print the content-gap report: unanswered questions by meaning, unhelpful answers, rates per topic."""
    from assistant.embedding import load_embedder
    from assistant.feedback import FeedbackStore
    from assistant.report import Format, build_report, render
    from assistant.report_gists import StoredGists

    settings = Settings()
    store = FeedbackStore.open(settings)
    try:
        model = load_embedder(settings)
        gists = StoredGists(store, model.name, model.dimension)  # those the server made, and kept for it
        built = build_report(store, model, settings, since.date() if since else None, gists)
    finally:
        store.close()
    fmt_: Format = next(f for f in get_args(Format) if f == fmt)
    click.echo(render(built, fmt_), nl=False)


cli.add_command(db)


def main() -> None:
    """Entry point of the ``assistant`` console script."""
    # Before numpy, FAISS or torch load (here or in server workers), so their pools start at the pinned size.
    # Invalid settings are left for the command itself to report.
    with contextlib.suppress(ValidationError):
        os.environ.update(thread_env(Settings()))
    try:
        cli()
    except AssistantError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
