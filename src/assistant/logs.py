"""Structured logs: one JSON object per line, each tagged with the id of the request being served."""

from __future__ import annotations

import datetime as dt
import json
import logging
import logging.config
import re
import uuid
from contextvars import ContextVar
from typing import Any

from assistant.settings import Settings

# The id of the request this code is serving ("-" outside a request); copied into every log record.
request_id_var: ContextVar[str] = ContextVar("request_id", default="-")

REQUEST_ID_HEADER = "X-Request-ID"
# A client's id is echoed only when it is short and plain, so it cannot forge log lines or headers.
REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
# Logging attributes every record has; anything else a caller passes in ``extra`` is logged as a field.
# uvicorn's ``color_message`` repeats the message with terminal colours.
STANDARD_ATTRS = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id", "color_message"}


def request_id_from(header: str | None) -> str:
    """The client's ``X-Request-ID`` when it is acceptable, else a new random id."""
    if header and REQUEST_ID_RE.match(header):
        return header
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Stamps each record with the current request id."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Add ``record.request_id``; never drops a record."""
        record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """Formats a record as one line of JSON: time, level, logger, message, request id and any extras."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as a JSON object on one line."""
        entry: dict[str, Any] = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id_var.get()),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in STANDARD_ATTRS})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def log_config(settings: Settings) -> dict[str, Any]:
    """A ``logging.config.dictConfig`` for the server (uvicorn's loggers included): JSON lines on stderr."""
    level = settings.log_level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "json",
                "filters": ["request_id"],
            }
        },
        "root": {"level": level, "handlers": ["stderr"]},
        "loggers": {
            "uvicorn": {"level": level, "handlers": [], "propagate": True},
            "uvicorn.error": {"level": level, "handlers": [], "propagate": True},
            # faiss reports at INFO which CPU build it tried to load, several lines per process.
            "faiss.loader": {"level": "WARNING"},
            # uvicorn's access log prints client addresses in the clear; the app logs each request itself.
            "uvicorn.access": {"level": "WARNING", "handlers": [], "propagate": False},
        },
    }


def configure_logging(settings: Settings) -> None:
    """Send every log record to stderr as a JSON line."""
    logging.config.dictConfig(log_config(settings))
