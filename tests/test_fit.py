"""The fit's decision models: what a rare feature may weigh."""

from __future__ import annotations

import random

from assistant.answer.model import LinearModel
from assistant.fit import DECISION_SCALE_FLOOR, Rows, _fit


def _rows() -> Rows:
    """Rows where a common feature separates the classes and a rare one sits on a handful of negatives."""
    rng = random.Random(7)
    rows = Rows([], [], [])
    for i in range(400):
        label = i % 2 == 0
        common = rng.gauss(0.7 if label else 0.3, 0.15)
        rare = 1.0 if not label and i % 80 == 1 else 0.0
        rows.add({"common": common, "rare": rare}, label, f"set-{i % 4}")
    return rows


def test_a_rare_feature_is_not_stretched_by_its_tiny_spread() -> None:
    previous = LinearModel(("common", "rare"), (0.0, 0.0), 0.0, (0.0, 0.0), (1.0, 1.0))
    model = _fit(_rows(), previous, ["common", "rare"])
    scale = dict(zip(model.features, model.scale, strict=True))
    assert scale["rare"] == DECISION_SCALE_FLOOR  # its own spread is about 0.11
    assert scale["common"] > DECISION_SCALE_FLOOR
    # Five rows with the rare feature cannot outweigh the common one: a row strong on it is still answered.
    assert model.probability({"common": 0.8, "rare": 1.0}) > 0.5
