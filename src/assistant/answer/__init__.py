"""Extractive, cited answers, built in stages: question analysis, ranking, span, decision, rendering."""

from assistant.answer.decide import Reason
from assistant.answer.engine import Engine, Trace
from assistant.answer.render import ANSWER_MARKER, Answer, Citation, Fragment

__all__ = ["ANSWER_MARKER", "Answer", "Citation", "Engine", "Fragment", "Reason", "Trace"]
