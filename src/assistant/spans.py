"""A piece of a text with its exact offsets, shared by the modules that cut documents up."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    """A piece of a text with its exact ``[start, end)`` offsets."""

    start: int
    end: int
    text: str
