"""In-process tests see only the settings they set: no exported ASSISTANT_* variable, no .env file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assistant.settings import Settings


def test_only_the_test_baseline_is_in_the_environment() -> None:
    names = {name for name in os.environ if name.startswith("ASSISTANT_")}
    assert names == {"ASSISTANT_DATABASE_URL", "ASSISTANT_RATE_LIMIT"}


def test_a_dot_env_file_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".env").write_text("ASSISTANT_TOP_K=9\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert Settings().top_k == Settings.model_fields["top_k"].default


def test_a_variable_a_test_sets_still_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_TOP_K", "7")
    assert Settings().top_k == 7
