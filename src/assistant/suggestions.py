"""Suggested questions by topic, read once at start-up from the deployment's JSON file."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.errors import SuggestionsError

BUNDLED_SUGGESTIONS = Path(__file__).resolve().parents[2] / "web" / "suggestions.json"


class LocalText(BaseModel):
    """One text in Simplified Chinese and in English."""

    model_config = ConfigDict(extra="forbid")

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Topic(BaseModel):
    """A topic (eldercare, jobs, projects…) with its label and suggested questions."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9_-]*$", description="Stable topic key, e.g. eldercare")
    label: LocalText
    questions: list[LocalText] = Field(min_length=1)


class SuggestionsFile(BaseModel):
    """The file's layout: ``{"topics": [...]}``."""

    model_config = ConfigDict(extra="forbid")

    topics: list[Topic] = Field(min_length=1)


def _problems(error: ValidationError) -> str:
    """The validation errors on one line, each with its location in the file."""
    parts = []
    for e in error.errors():
        where = ".".join(str(p) for p in e["loc"]) or "file"
        parts.append(f"{where}: {e['msg']}")
    return "; ".join(parts)


def load_suggestions(path: Path | None, question_max_chars: int) -> list[Topic]:
    """Read and check the suggestions file (the bundled one when ``path`` is None)."""
    path = path or BUNDLED_SUGGESTIONS
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SuggestionsError(f"suggestions file {path} cannot be read: {exc.strerror or exc}") from exc
    try:
        topics = SuggestionsFile.model_validate_json(raw).topics
    except ValidationError as exc:
        raise SuggestionsError(f"suggestions file {path} is invalid: {_problems(exc)}") from exc
    ids = [t.id for t in topics]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise SuggestionsError(f"suggestions file {path} repeats topic ids: {', '.join(duplicates)}")
    for topic in topics:
        for q in topic.questions:
            for text in (q.zh, q.en):
                if len(text.strip()) > question_max_chars:
                    raise SuggestionsError(
                        f"suggestions file {path}: a question of topic {topic.id!r} is longer than"
                        f" ASSISTANT_QUESTION_MAX_CHARS ({question_max_chars}): {text[:40]}…"
                    )
    return topics
