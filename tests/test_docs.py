"""The README documents every setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.settings import Settings

README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_in_the_readme(name: str) -> None:
    assert f"`ASSISTANT_{name.upper()}`" in README.read_text(encoding="utf-8")
