"""The README's settings table names every setting with its real default, and nothing else."""

from __future__ import annotations

import json
import re
from pathlib import Path

from assistant.settings import Settings

README = Path(__file__).resolve().parents[1] / "README.md"
# A row of the settings table: | `ASSISTANT_NAME` | `default` or unset (...) | meaning |
ROW = re.compile(r"^\| `ASSISTANT_([A-Z0-9_]+)` \| (`[^`]*`|unset\b[^|]*) \|", re.M)


def readme_default(value: object) -> str:
    """A default as the README spells it: JSON-like for lists and booleans, "unset" for None."""
    if value is None:
        return "unset"
    if isinstance(value, bool | list):
        return json.dumps(value)
    if isinstance(value, Path):
        return value.as_posix()
    return str(value)


def test_the_settings_table_gives_every_setting_with_its_default() -> None:
    rows = ROW.findall(README.read_text(encoding="utf-8"))
    documented = [(name.lower(), "unset" if cell.startswith("unset") else cell.strip("`")) for name, cell in rows]
    expected = [
        (name, readme_default(field.get_default(call_default_factory=True)))
        for name, field in Settings.model_fields.items()
    ]
    assert len(documented) == len({name for name, _ in documented}), "a setting has two rows"
    assert sorted(documented) == sorted(expected)
