"""The fitted parameters of the engine's models, read from the versioned ``model.json`` beside this file."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import Any

MODEL_FILE = "model.json"


@dataclass(frozen=True)
class LinearModel:
    """A logistic model over named features, with the standardisation it was fitted with."""

    features: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    threshold: float = 0.5

    @cached_property
    def _terms(self) -> tuple[tuple[str, float, float, float], ...]:
        # Zipped once: margin runs for every candidate passage of every question.
        return tuple(zip(self.features, self.weights, self.mean, self.scale, strict=True))

    def margin(self, values: Mapping[str, float]) -> float:
        """The model's log-odds for one row of named feature values (a missing feature counts as 0)."""
        total = self.bias
        get = values.get
        for name, w, m, s in self._terms:
            total += w * (get(name, 0.0) - m) / s
        return total

    def probability(self, values: Mapping[str, float]) -> float:
        """The model's probability for one row."""
        z = self.margin(values)
        return 1.0 / (1.0 + math.exp(-z)) if z > -60 else 0.0

    def to_json(self) -> dict[str, Any]:
        """The model as written to ``model.json``."""
        return {
            "features": list(self.features),
            "weights": [round(w, 6) for w in self.weights],
            "bias": round(self.bias, 6),
            "mean": [round(m, 6) for m in self.mean],
            "scale": [round(s, 6) for s in self.scale],
            "threshold": round(self.threshold, 4),
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> LinearModel:
        """A model from its ``model.json`` entry."""
        n = len(raw["features"])
        for key in ("weights", "mean", "scale"):
            if len(raw[key]) != n:
                raise ValueError(f"model: {key} has {len(raw[key])} values for {n} features")
        return cls(
            tuple(raw["features"]),
            tuple(float(w) for w in raw["weights"]),
            float(raw["bias"]),
            tuple(float(m) for m in raw["mean"]),
            tuple(float(s) or 1.0 for s in raw["scale"]),
            float(raw.get("threshold", 0.5)),
        )

    @classmethod
    def prior(cls, weights: Mapping[str, float], bias: float = 0.0, threshold: float = 0.5) -> LinearModel:
        """An unfitted model with the given raw weights (no standardisation), before the first fit."""
        names = tuple(weights)
        return cls(names, tuple(weights.values()), bias, (0.0,) * len(names), (1.0,) * len(names), threshold)


@dataclass(frozen=True)
class EngineModel:
    """Every fitted part of the engine: passage ranking, clause choice, and the answer-or-decline decision."""

    version: str
    rank: LinearModel
    span: LinearModel
    answer: LinearModel
    covered: LinearModel
    fit: Mapping[str, Any]

    def to_json(self) -> dict[str, Any]:
        """The whole file's content."""
        return {
            "version": self.version,
            "rank": self.rank.to_json(),
            "span": self.span.to_json(),
            "answer": self.answer.to_json(),
            "covered": self.covered.to_json(),
            "fit": dict(self.fit),
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> EngineModel:
        """Parse a ``model.json``."""
        return cls(
            str(raw["version"]),
            LinearModel.from_json(raw["rank"]),
            LinearModel.from_json(raw["span"]),
            LinearModel.from_json(raw["answer"]),
            LinearModel.from_json(raw["covered"]),
            raw.get("fit", {}),
        )


def model_path() -> Path:
    """Where the packaged ``model.json`` lives (``make fit`` writes it there)."""
    return Path(str(resources.files("assistant.answer").joinpath(MODEL_FILE)))


@cache
def packaged_model() -> EngineModel:
    """The model shipped in the package."""
    return EngineModel.from_json(json.loads(model_path().read_text(encoding="utf-8")))
