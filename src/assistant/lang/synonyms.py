"""Near-synonyms residents and documents use for one another (``synonyms.txt``)."""

from __future__ import annotations

from functools import cache
from importlib import resources

from assistant.text import fold


@cache
def synonym_groups() -> dict[str, frozenset[str]]:
    """Each listed word and its group of near-synonyms."""
    text = resources.files("assistant.lang").joinpath("synonyms.txt").read_text(encoding="utf-8")
    groups: dict[str, frozenset[str]] = {}
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        group = frozenset(fold(w) for w in line.split())
        for word in group:
            groups[word] = groups.get(word, frozenset()) | group
    return groups
