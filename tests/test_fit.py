"""The fit's decision models: what a rare feature may weigh."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

import assistant.fit as fit
from assistant.answer.model import EngineModel, LinearModel, packaged_model
from assistant.fit import DECISION_SCALE_FLOOR, PAIRS_PER_WINNER, Rows, _fit, _fit_added, _fit_lists


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


def _questions(rivals: int = 60) -> Rows:
    """Questions whose one winning clause has the highest "good"; "level" is the same for all of a question's
    clauses (it says nothing of which one wins), and "noise" is random."""
    rng = random.Random(11)
    rows = Rows([], [], [])
    for q in range(120):
        level = rng.random()
        values = [rng.random() for _ in range(rivals)]
        best = max(range(rivals), key=values.__getitem__)
        for i, good in enumerate(values):
            row = {"good": good, "level": level, "noise": rng.random()}
            rows.add(row, i == best, f"set-{q % 3}", f"q{q}")
    return rows


def test_the_list_fit_learns_what_picks_each_questions_winner() -> None:
    previous = LinearModel.prior({"good": 0.0, "level": 0.0, "noise": 0.0})
    model = _fit_lists(_questions(), previous)
    weight = dict(zip(model.features, model.weights, strict=True))
    assert weight["good"] > 1.0
    assert abs(weight["noise"]) < weight["good"] / 5
    assert model.bias == 0.0
    # It ranks: of a fresh question's clauses, the one with the highest "good" scores highest.
    clauses = [{"good": g, "level": 0.4, "noise": n} for g, n in ((0.2, 0.9), (0.95, 0.1), (0.6, 0.5))]
    assert max(range(3), key=lambda i: model.margin(clauses[i])) == 1


def test_the_list_fit_sees_every_rival_not_only_the_first_few() -> None:
    # Each question has more rivals than the pairwise fit takes per winner, its winner anywhere among them.
    rows = _questions(rivals=PAIRS_PER_WINNER + 20)
    model = _fit_lists(rows, LinearModel.prior({"good": 0.0, "level": 0.0, "noise": 0.0}))
    wins = 0
    for q in range(120):
        members = [i for i, g in enumerate(rows.groups) if g == f"q{q}"]
        chosen = max(members, key=lambda i: model.margin(rows.rows[i]))
        wins += rows.labels[chosen]
    assert wins >= 110


def test_the_added_fit_weighs_only_the_features_the_model_lacks() -> None:
    # The kept model reads "level" only (no help within a question); "good" is new and picks each winner.
    previous = LinearModel(("level", "noise"), (0.7, -0.2), 0.1, (0.5, 0.5), (0.3, 0.3), 0.4)
    model = _fit_added(_questions(), previous)
    assert model.features == ("good", "level", "noise")
    weight = dict(zip(model.features, model.weights, strict=True))
    assert (weight["level"], weight["noise"]) == (0.7, -0.2)
    assert (model.bias, model.threshold) == (0.1, 0.4)
    assert weight["good"] > 1.0
    # Nothing new to fit: the model as it was.
    every = LinearModel.prior({"good": 0.0, "level": 0.0, "noise": 0.0})
    assert _fit_added(_questions(), every) is every


def test_questions_without_a_winner_or_a_rival_leave_the_model_as_it_was() -> None:
    rows = Rows([], [], [])
    for i in range(5):
        rows.add({"good": float(i)}, False, "set", "no-winner")
        rows.add({"good": float(i)}, True, "set", "all-winners")
    previous = LinearModel.prior({"good": 0.5})
    assert _fit_lists(rows, previous) is previous


def test_only_one_stage_refitted_keeps_the_packaged_models_other_sections(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    packaged = packaged_model()
    span_rows = _questions()
    fitted_stages = []

    def collect(sets: object, model: EngineModel) -> dict[str, Rows]:
        fitted_stages.append(model)
        return {"rank": Rows([], [], []), "span": span_rows, "answer": Rows([], [], []), "covered": Rows([], [], [])}

    class Named:
        name = "fake-embedder"

    monkeypatch.setattr(fit, "_specs", lambda raw, work: [])
    monkeypatch.setattr(fit, "load_embedder", lambda settings: Named())
    monkeypatch.setattr(fit, "collect", collect)
    out = tmp_path / "model.json"
    fit.main(["--only", "span", "--span-fit", "lists", "--out", str(out), "--work", str(tmp_path)])
    written = json.loads(out.read_text(encoding="utf-8"))
    assert len(fitted_stages) == 1  # one pass: the span stage's rows, collected with the packaged model
    for section in ("rank", "answer", "covered"):
        assert written[section] == getattr(packaged, section).to_json()
    assert written["span"]["features"] == ["good", "level", "noise"]
    assert written["fit"]["refitted"]["only"] == "span"
    assert written["fit"]["refitted"]["span_fit"] == "lists"
    assert written["fit"]["train"] == packaged.fit["train"]  # the packaged fit's record is kept beside it
