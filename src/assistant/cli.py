"""The ``assistant`` command: index, ask, serve, eval, report."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import shutil
import socket
import sys
import tempfile
from pathlib import Path
from typing import get_args

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
    from assistant.embedding import load_embedder
    from assistant.index import build_index

    settings = _settings(corpus, index)
    manifest, errors = build_index(settings, load_embedder(settings))
    for error in errors:
        click.echo(f"skipped: {error}", err=True)
    click.echo(
        f"indexed {manifest.documents} documents, {manifest.chunks} passages into {settings.index_dir} "
        f"in {manifest.build_seconds:.1f} s ({len(errors)} files skipped)"
    )


@cli.command()
@click.argument("question")
@click.option("--top-k", type=click.IntRange(1, 10), default=None, help="Passages to cite")
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON response")
@click.option("--explain", is_flag=True, help="Print the top candidates with their features, and the decision")
@corpus_option
@index_option
def ask(
    question: str, top_k: int | None, as_json: bool, explain: bool, corpus: Path | None, index: Path | None
) -> None:
    """Answer one question."""
    from fastapi.testclient import TestClient

    from assistant.api import create_app

    settings = _settings(corpus, index)
    if explain:
        _explain(question, top_k or settings.top_k, settings)
        return
    with TestClient(create_app(_in_process(settings))) as client:
        reply = client.post("/api/ask", json={"question": question, "top_k": top_k or settings.top_k})
    body = reply.json()
    if as_json or reply.status_code != 200:
        click.echo(json.dumps(body, ensure_ascii=False, indent=2))
        sys.exit(0 if reply.status_code == 200 else 1)
    click.echo(body["answer"])
    for c in body["citations"]:
        click.echo(f"[{c['n']}] {c['title']} ({c['published'] or 'undated'}) {c['doc_id']}:{c['start']}-{c['end']}")
        click.echo(f"    {c['text']}")


def _explain(question: str, top_k: int, settings: Settings) -> None:
    """Why the engine said what it said: the question's analysis, the ranked candidates, the span, the decision."""
    from assistant.embedding import load_embedder
    from assistant.service import Assistant

    assistant = Assistant.open(settings, load_embedder(settings))
    trace = assistant.engine.trace(question.strip(), assistant.retriever.retrieve(question.strip()), top_k)
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
    click.echo(f"reply: {trace.answer.text}")


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
    from uvicorn.supervisors import Multiprocess

    metrics_dir = None
    if not os.environ.get(MULTIPROC_ENV):
        # Workers write their metrics to files here, so /metrics can add up all of them.
        metrics_dir = tempfile.mkdtemp(prefix="assistant-metrics-")
        os.environ[MULTIPROC_ENV] = metrics_dir
    try:
        # uvicorn.run would bind the shared socket without marking it TCP, so asyncio leaves Nagle on for every
        # connection and each keep-alive request after the first waits ~40 ms for a delayed ACK (uvicorn#3149).
        Multiprocess(config, sockets=[tcp_socket(config.bind_socket())]).run()
    finally:
        if metrics_dir is not None:
            shutil.rmtree(metrics_dir, ignore_errors=True)


def tcp_socket(sock: socket.socket) -> socket.socket:
    """The same listening socket, declared as TCP so that asyncio sets TCP_NODELAY on the connections it accepts."""
    if sock.family not in (socket.AF_INET, socket.AF_INET6) or sock.proto == socket.IPPROTO_TCP:
        return sock
    return socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())


@cli.command(name="eval")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print metrics and per-question results as JSON")
@corpus_option
@index_option
def eval_(file: Path, as_json: bool, corpus: Path | None, index: Path | None) -> None:
    """Score a JSONL question set; the last line holds the metrics as key=value pairs."""
    from assistant.embedding import load_embedder
    from assistant.evaluate import evaluate, load_set, metrics
    from assistant.service import Assistant

    settings = _settings(corpus, index)
    # The service itself, as the server would open it: no HTTP, so nothing is stored and nothing rate limited.
    assistant = Assistant.open(settings, load_embedder(settings))
    assistant.warm_up()
    outcomes = evaluate(assistant, load_set(file))
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

    settings = Settings()
    store = FeedbackStore.open(settings)
    try:
        built = build_report(store, load_embedder(settings), settings, since.date() if since else None)
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
