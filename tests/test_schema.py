"""The API against its own OpenAPI schema, with schemathesis: no 5xx, and every response matches the schema.

Each operation gets valid (positive) and invalid (negative) generated requests through the ASGI app.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from pydantic import SecretStr
from schemathesis import GenerationMode

from assistant.api import create_app
from assistant.embedding import FakeEmbedder
from assistant.settings import Settings
from conftest import write_corpus

pytestmark = pytest.mark.integration

# The operations, read from the schema the app publishes (building an app loads nothing).
PATHS = create_app(Settings(), embedder=FakeEmbedder()).openapi()["paths"]
OPERATIONS = [f"{method.upper()} {path}" for path, methods in PATHS.items() for method in methods]
# Invalid requests can only be made for operations that take a body (the others take no input, or a free string).
WITH_BODY = [
    f"{method.upper()} {path}"
    for path, methods in PATHS.items()
    for method, op in methods.items()
    if "requestBody" in op
]
CASES: Counter[str] = Counter()


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> schemathesis.schemas.BaseSchema:
    """The schema of the app over the small corpus; admin routes are on, but the requests lack the token."""
    root: Path = tmp_path_factory.mktemp("schema")
    settings = Settings(
        corpus_dir=write_corpus(root / "corpus"),
        index_dir=root / "index",
        rate_limit="off",
        admin_token=SecretStr("0123456789abcdef-schema"),
        index_watch_seconds=0,
    )
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(settings, embedder=FakeEmbedder()))


@pytest.fixture(scope="module", autouse=True)
def report_cases() -> Iterator[None]:
    yield
    print(f"\nschemathesis: {sum(CASES.values())} cases: {dict(sorted(CASES.items()))}")


def test_schema_lists_the_operations() -> None:
    assert {"POST /api/ask", "GET /readyz", "GET /metrics", "POST /api/admin/reload"} <= set(OPERATIONS)
    assert "POST /api/ask" in WITH_BODY


@pytest.mark.parametrize(
    ("label", "mode"),
    [(label, GenerationMode.POSITIVE) for label in OPERATIONS]
    + [(label, GenerationMode.NEGATIVE) for label in WITH_BODY],
)
def test_api_matches_its_schema(api_schema: schemathesis.schemas.BaseSchema, label: str, mode: GenerationMode) -> None:
    operation = api_schema.find_operation_by_label(label)
    assert operation is not None

    examples = 300 if label == "POST /api/ask" else 100

    @hypothesis_settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: schemathesis.Case) -> None:
        CASES[f"{label} {mode.value}"] += 1
        response = case.call()
        # A generated body past ASSISTANT_MAX_BODY_BYTES (a history of long invalid turns) is refused, as
        # documented, before anything reads it: 413 is a rejection too, which schemathesis does not count as one.
        if mode == GenerationMode.NEGATIVE and response.status_code == 413:
            return
        case.validate_response(response)

    run()
