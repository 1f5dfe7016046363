"""Bounds on the costliest per-question work, so that no question of the allowed length costs many normal ones.

Two costs grow with a question's size with a large constant: the embedding model's, with its characters
(USE takes about 6 ms of CPU for 16 characters, 15 ms for 128 and 52 ms for 500), and the answer engine's
matching, with its distinct content words (each is matched against every candidate passage and clause).
Above these bounds a question is read as its head and its tail: what it asks is said at one end or the
other, and every question of the evaluation sets (at most 111 characters and 14 content words) fits whole.
"""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")

# Characters of a question the embedding model reads.
EMBED_MAX_CHARS = 128
# Distinct content words of a question the answer engine weighs and matches.
MAX_TERMS = 20
# The share of a bound given to the end of the text (a question after its context).
TAIL_SHARE = 3
# Put between head and tail: no word or pair of characters runs across it.
GAP = "\n"


def head_and_tail(text: str, max_chars: int = EMBED_MAX_CHARS) -> str:
    """``text`` itself if it fits in ``max_chars``, else its first and last characters with a gap between."""
    if len(text) <= max_chars:
        return text
    tail = max_chars // TAIL_SHARE
    return text[: max_chars - tail] + GAP + text[len(text) - tail :]


def bounded_terms(terms: tuple[T, ...], max_terms: int = MAX_TERMS) -> tuple[T, ...]:
    """``terms`` itself if there are at most ``max_terms``, else the first and the last ones."""
    if len(terms) <= max_terms:
        return terms
    tail = max_terms // TAIL_SHARE
    return terms[: max_terms - tail] + terms[len(terms) - tail :]
