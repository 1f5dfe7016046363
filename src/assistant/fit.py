"""``make fit``: fit the engine's ranking, clause and decision models on the training sets, and write model.json.

Reproducible: the same sets, code and embedding model give the same file. The sets trained on are listed in
``eval/fit.json`` under ``train``; the figures of the fit (training and held-out) are written beside the weights.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from assistant.answer.decide import COVERED_FEATURES, DETAIL_FEATURES, decision_features
from assistant.answer.engine import Engine
from assistant.answer.model import EngineModel, LinearModel, model_path, packaged_model
from assistant.answer.span import clause_rows
from assistant.embedding import Embedder, load_embedder
from assistant.evaluate import load_set, normalise
from assistant.index import build_index, load_index
from assistant.retrieval import HybridRetriever
from assistant.settings import Settings

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
PLAN_FILE = ROOT / "eval" / "fit.json"


@dataclass(frozen=True)
class SetSpec:
    """A question set and the corpus it is asked of."""

    name: str
    questions: Path
    corpus: Path


@dataclass
class Rows:
    """Feature rows and labels of one model."""

    rows: list[dict[str, float]]
    labels: list[int]
    sets: list[str]
    groups: list[str] = field(default_factory=list)

    def add(self, row: dict[str, float], label: bool, name: str, group: str = "") -> None:
        """Append one labelled row from the set ``name`` (``group``: the question whose candidates compete)."""
        self.rows.append(row)
        self.labels.append(int(label))
        self.sets.append(name)
        self.groups.append(group)

    def weights(self) -> np.ndarray:
        """Each set weighs the same in all, however many rows it gives (CMRC would drown the district's sets)."""
        counts = {name: self.sets.count(name) for name in set(self.sets)}
        return np.array([len(self.sets) / (len(counts) * counts[name]) for name in self.sets])


CMRC_SOURCE = ROOT.parent / "shared" / "benchmarks" / "cmrc2018" / "cmrc2018_dev.json"


def _cmrc(name: str, start: int, count: int, work: Path) -> SetSpec:
    """CMRC 2018 questions ``start`` to ``start + count`` over all its paragraphs, converted by its benchmark script."""
    import importlib.util
    import sys

    if not CMRC_SOURCE.is_file():
        raise SystemExit(f"{CMRC_SOURCE} is absent: the plan trains on CMRC 2018, which lives in ../shared")
    spec = importlib.util.spec_from_file_location("cmrc2018", ROOT / "benchmarks" / "cmrc2018.py")
    if spec is None or spec.loader is None:
        raise SystemExit("benchmarks/cmrc2018.py is missing")
    module = importlib.util.module_from_spec(spec)
    sys.modules["cmrc2018"] = module
    spec.loader.exec_module(module)
    converted = module.convert(CMRC_SOURCE, work / f"{name}-data", start=start, count=count)
    return SetSpec(name, converted.questions, converted.corpus)


def _specs(raw: Sequence[dict[str, Any]], work: Path) -> list[SetSpec]:
    """The sets of a plan: files in the repository, or a slice of CMRC 2018 (from ../shared)."""
    out = []
    for r in raw:
        if "cmrc2018" in r:
            out.append(_cmrc(r["name"], r["cmrc2018"]["start"], r["cmrc2018"]["count"], work))
        else:
            out.append(SetSpec(r["name"], ROOT / r["questions"], ROOT / r["corpus"]))
    return out


def _engine(spec: SetSpec, embedder: Embedder, work: Path, model: EngineModel) -> tuple[Engine, HybridRetriever]:
    settings = Settings(corpus_dir=spec.corpus, index_dir=work / spec.name, auto_index=True)
    build_index(settings, embedder)
    index = load_index(settings, embedder)
    return Engine(index, embedder, settings, model), HybridRetriever(index, embedder, settings)


def _hits(item: dict[str, Any], doc_id: str, text: str, start: int, end: int) -> bool:
    """Whether ``[start, end)`` overlaps an evidence span of the item by half its length."""
    if item.get("doc_id") and item["doc_id"] != doc_id:
        return False
    for evidence in item.get("evidence", []):
        at = text.find(evidence)
        if at >= 0 and min(at + len(evidence), end) - max(at, start) >= len(evidence) / 2:
            return True
    return False


def _fit(rows: Rows, previous: LinearModel, names: Sequence[str] | None = None) -> LinearModel:
    """A class-balanced logistic regression on standardised features (all the rows have, or ``names``)."""
    from sklearn.linear_model import LogisticRegression

    names = list(names) if names is not None else sorted({n for r in rows.rows for n in r})
    x = np.array([[r.get(n, 0.0) for n in names] for r in rows.rows], dtype=np.float64)
    y = np.array(rows.labels)
    if len(set(y.tolist())) < 2:
        return previous
    mean = x.mean(axis=0)
    # A feature a few dozen of the rows have (a question matching an FAQ's question) would otherwise be
    # stretched to scores of ten and more by a tiny spread, and a few rows would set a large weight.
    scale = np.maximum(x.std(axis=0), DECISION_SCALE_FLOOR)
    z = (x - mean) / scale
    weights = rows.weights()
    c = _regularisation(z, y, weights, np.array(rows.sets))
    clf = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
    clf.fit(z, y, sample_weight=weights)
    log.info("fitted a decision model on %d rows with C=%s", len(y), c)
    return LinearModel(
        tuple(names),
        tuple(float(w) for w in clf.coef_[0]),
        float(clf.intercept_[0]),
        tuple(float(m) for m in mean),
        tuple(float(s) for s in scale),
        previous.threshold,
    )


# The least spread a decision model's feature is standardised by (its features lie in 0..1).
DECISION_SCALE_FLOOR = 0.25

# Regularisation strengths tried for the decision models, weakest last.
C_GRID = (0.03, 0.1, 0.3, 1.0)


def _regularisation(z: np.ndarray, y: np.ndarray, weights: np.ndarray, sets: np.ndarray) -> float:
    """The strength whose models, each fitted without one training set, predict that set best.

    Leaving whole sets out asks what the service meets: documents and wordings the fit never saw. The score
    is the log-loss with each class weighing the same (accuracy at one threshold moved from fit to fit).
    """
    from sklearn.linear_model import LogisticRegression

    scores = {}
    for c in C_GRID:
        losses = []
        for name in sorted(set(sets.tolist())):
            test = sets == name
            if len(set(y[~test].tolist())) < 2:
                continue
            clf = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
            clf.fit(z[~test], y[~test], sample_weight=weights[~test])
            chance = np.clip(clf.predict_proba(z[test])[:, 1], 1e-6, 1 - 1e-6)
            truth = y[test]
            # Each class of the left-out set weighs the same, as in the fit.
            per_class = [
                float(-np.mean(np.log(np.where(truth[truth == k] == 1, chance[truth == k], 1 - chance[truth == k]))))
                for k in (0, 1)
                if np.any(truth == k)
            ]
            losses.append(float(np.mean(per_class)))
        scores[c] = float(np.mean(losses)) if losses else float("inf")
    best = min(C_GRID, key=lambda c: (scores[c], c))
    log.info("decision model: held-out log-loss by C %s", {c: round(v, 3) for c, v in scores.items()})
    return best


@dataclass(frozen=True)
class Standardised:
    """A ranking fit's rows as a standardised matrix, with the names, means and scales a model keeps."""

    names: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    z: np.ndarray
    # Row numbers of each question's candidates, question by question.
    groups: tuple[list[int], ...]

    @staticmethod
    def of(rows: Rows) -> Standardised:
        """Standardise ``rows`` (a feature a row lacks is 0; a constant feature keeps scale 1)."""
        names = sorted({n for r in rows.rows for n in r})
        x = np.array([[r.get(n, 0.0) for n in names] for r in rows.rows], dtype=np.float64)
        mean = x.mean(axis=0)
        scale = x.std(axis=0)
        scale[scale == 0] = 1.0
        by_group: dict[str, list[int]] = {}
        for i, group in enumerate(rows.groups):
            by_group.setdefault(group, []).append(i)
        return Standardised(tuple(names), mean, scale, (x - mean) / scale, tuple(by_group.values()))

    def model(self, weights: Sequence[float], previous: LinearModel) -> LinearModel:
        """A linear model of these features with ``weights`` (no bias), keeping ``previous``'s threshold."""
        return LinearModel(
            self.names,
            tuple(float(c) for c in weights),
            0.0,
            tuple(float(m) for m in self.mean),
            tuple(float(v) for v in self.scale),
            previous.threshold,
        )


# Losing candidates per winner in a pairwise fit: the best-scored first, as the ranking meets them.
PAIRS_PER_WINNER = 40


@dataclass(frozen=True)
class Pair:
    """A question's winning candidate (row index) against one of its rivals, with the pair's weight."""

    win: int
    lose: int
    weight: float


def _pairs(rows: Rows, std: Standardised) -> list[Pair]:
    """Within each question, every winning candidate against its first rivals."""
    set_weight = rows.weights()
    out: list[Pair] = []
    for members in std.groups:
        wins = [i for i in members if rows.labels[i]]
        losses = [i for i in members if not rows.labels[i]][:PAIRS_PER_WINNER]
        count = len(wins) * len(losses)
        # Each question weighs the same, and each set as its rows do in the pointwise fits.
        out += [Pair(win, lose, set_weight[win] / count) for win in wins for lose in losses]
    return out


def _fit_pairs(rows: Rows, previous: LinearModel) -> LinearModel:
    """A pairwise logistic model: within each question, every winning candidate against its rivals.

    Only the order within a question matters for ranking passages and choosing clauses, so the model learns
    from differences between a question's candidates rather than from scores compared across questions.
    """
    from sklearn.linear_model import LogisticRegression

    std = Standardised.of(rows)
    pairs = _pairs(rows, std)
    if not pairs:
        return previous
    d = np.array([std.z[p.win] - std.z[p.lose] for p in pairs])
    pair_w = np.array([p.weight for p in pairs])
    clf = LogisticRegression(C=0.5, fit_intercept=False, max_iter=2000)
    both = np.r_[pair_w, pair_w] / pair_w.mean()
    clf.fit(np.vstack([d, -d]), np.r_[np.ones(len(d)), np.zeros(len(d))], sample_weight=both)
    return std.model(clf.coef_[0], previous)


def _fit_added(rows: Rows, previous: LinearModel) -> LinearModel:
    """The pairwise fit of only the features ``previous`` lacks, its own weights kept as they are.

    A new feature then corrects the ranking the district sets were read with, instead of a whole refit moving every
    weight by what the training sets' mix happens to favour.
    """
    from scipy.optimize import minimize

    std = Standardised.of(rows)
    added = [i for i, n in enumerate(std.names) if n not in previous.features]
    if not added:
        return previous
    kept = np.array([previous.margin(r) for r in rows.rows])
    z = std.z[:, added]
    pairs = _pairs(rows, std)
    if not pairs:
        return previous
    d = np.array([z[p.win] - z[p.lose] for p in pairs])
    off = np.array([kept[p.win] - kept[p.lose] for p in pairs])
    pair_w = np.array([p.weight for p in pairs])
    pair_w = pair_w / np.mean(pair_w)

    def loss(beta: np.ndarray) -> tuple[float, np.ndarray]:
        # The pairwise fit's objective with the kept margin as an offset: C=0.5 on both orders of each pair is
        # the pairs' log-loss once, beside half the squared weights.
        m = off + d @ beta
        value = float(np.sum(pair_w * np.logaddexp(0.0, -m)))
        grad = -(d.T @ (pair_w / (1.0 + np.exp(m))))
        return value + 0.5 * float(beta @ beta), grad + beta

    beta = minimize(loss, np.zeros(len(added)), jac=True, method="L-BFGS-B").x
    log.info("added %s", {std.names[i]: round(float(b), 3) for i, b in zip(added, beta, strict=True)})
    columns = zip(previous.features, previous.weights, previous.mean, previous.scale, strict=True)
    terms = {n: (w, m, s) for n, w, m, s in columns}
    for i, b in zip(added, beta, strict=True):
        terms[std.names[i]] = (float(b), float(std.mean[i]), float(std.scale[i]))
    names = sorted(terms)
    return LinearModel(
        tuple(names),
        tuple(terms[n][0] for n in names),
        previous.bias,
        tuple(terms[n][1] for n in names),
        tuple(terms[n][2] for n in names),
        previous.threshold,
    )


# The L2 penalty of the question-by-question clause fit, per question fitted on.
LIST_STRENGTH = 1.0


def _fit_lists(rows: Rows, previous: LinearModel, strength: float = LIST_STRENGTH) -> LinearModel:
    """A conditional logit: within each question, the chance that the winning candidates are chosen over all.

    The engine takes the single best clause of a question, so the model is fitted for that choice: each
    question's winners against every rival at once, not pair by pair against the first few.
    """
    from scipy.optimize import minimize

    std = Standardised.of(rows)
    z = std.z
    set_weight = rows.weights()
    lists = []
    for members in std.groups:
        won = np.array([rows.labels[i] for i in members], dtype=bool)
        if won.all() or not won.any():
            continue
        lists.append((z[members], won, float(set_weight[members[0]])))
    if not lists:
        return previous
    total = sum(w for _, _, w in lists)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        value, grad = 0.0, np.zeros_like(w)
        for zs, won, weight in lists:
            s = zs @ w
            p = np.exp(s - s.max())
            p /= p.sum()
            mass = p[won].sum()
            value -= weight * np.log(mass)
            q = np.where(won, p / mass, 0.0)
            grad -= weight * (zs.T @ (q - p))
        return value / total + strength * (w @ w) / (2 * len(lists)), grad / total + strength * w / len(lists)

    fitted = minimize(loss, np.zeros(len(std.names)), jac=True, method="L-BFGS-B")
    return std.model(fitted.x, previous)


def collect(sets: list[tuple[SetSpec, Engine, HybridRetriever]], model: EngineModel) -> dict[str, Rows]:
    """Rows for every model from the questions of each set, with ``model`` ordering candidates."""
    out = {name: Rows([], [], []) for name in ("rank", "span", "answer", "covered")}
    for spec, engine, retriever in sets:
        engine.model = model
        texts = {d.doc_id: d.text for d in engine.index.documents.values()}
        for number, item in enumerate(load_set(spec.questions)):
            question = item["question"]
            group = f"{spec.name}:{number}"
            retrieval = retriever.retrieve(question)
            trace = engine.trace(question, retrieval, 3)
            answerable = bool(item.get("answerable"))
            for r in trace.ranked:
                c = r.passage.chunk
                hit = answerable and _hits(item, c.doc_id, texts[c.doc_id], c.start, c.end)
                out["rank"].add(r.features, hit, spec.name, group)
            if answerable:
                musts = [normalise(m) for m in item.get("must", [])]
                for candidate in engine.span_candidates(trace.ranked, retrieval):
                    c = candidate.passage.chunk
                    right = item.get("doc_id") in (None, c.doc_id)
                    rows = clause_rows(trace.question, trace.weights, candidate)
                    for piece, row in zip(candidate.found, rows, strict=True):
                        clause = normalise(piece.clause.text)
                        won = right and bool(musts) and any(m in clause for m in musts)
                        out["span"].add(row, won, spec.name, group)
            if trace.ranked and not trace.question.instruction:
                values = decision_features(trace.question, trace.weights, trace.ranked, trace.span)
                covered = answerable or item.get("topic") == "unstated"
                out["covered"].add(values, covered, spec.name)
                ask = trace.question.ask
                if covered and ask is not None and ask.detail:
                    # The detail model decides only among questions for a detail, on a covered topic.
                    out["answer"].add(values, answerable, spec.name)
    return out


# The fit's stages in order: each collects its rows with the models the stages before it fitted.
STAGES = ("rank", "span", "answer")


def main(argv: Sequence[str] | None = None) -> None:
    """Fit the models in three passes (ranking, then clauses, then the decision) and write model.json."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--plan", type=Path, default=PLAN_FILE)
    parser.add_argument("--work", type=Path, default=ROOT / "var" / "fit")
    parser.add_argument("--out", type=Path, default=model_path())
    # One stage refitted alone keeps the packaged model's other sections: a new clause feature is measured
    # against the same ranking and decision.
    parser.add_argument("--only", choices=STAGES, help="refit this stage only, keeping the packaged model's others")
    parser.add_argument(
        "--span-fit",
        choices=("pairs", "lists"),
        default="pairs",
        help="fit the clause model pair by pair (as the packaged model was) or question by question",
    )
    parser.add_argument(
        "--rank-fit",
        choices=("pairs", "added"),
        default="pairs",
        help="refit every ranking weight, or fit only the features the packaged ranking lacks and keep its others",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    plan = json.loads(args.plan.read_text(encoding="utf-8"))
    train = _specs(plan["train"], args.work)
    embedder = load_embedder(Settings())
    model = packaged_model()
    sets = [(spec, *_engine(spec, embedder, args.work, model)) for spec in train]
    stages = (args.only,) if args.only else STAGES
    for stage in stages:
        rows = collect(sets, model)
        if stage == "rank":
            rank_fitter = _fit_added if args.rank_fit == "added" else _fit_pairs
            model = replace(model, rank=rank_fitter(rows["rank"], model.rank))
        elif stage == "span":
            fitter = _fit_lists if args.span_fit == "lists" else _fit_pairs
            model = replace(model, span=fitter(rows["span"], model.span))
        else:
            model = replace(
                model,
                answer=_fit(rows["answer"], model.answer, DETAIL_FEATURES),
                covered=_fit(rows["covered"], model.covered, COVERED_FEATURES),
            )
        log.info("fitted %s on %d rows", stage, len(rows[stage].rows))
    fitted_at = dt.datetime.now(dt.UTC).date().isoformat()
    fit = {
        "fitted_at": fitted_at,
        "embedder": embedder.name,
        "train": [s.name for s in train],
        "rows": {k: len(v.rows) for k, v in rows.items()},
        "span_fit": args.span_fit,
        "rank_fit": args.rank_fit,
    }
    if args.only:
        fit = {**model.fit, "refitted": {**fit, "only": args.only}}
    model = replace(model, version=f"fit-{fitted_at}", fit=fit)
    args.out.write_text(json.dumps(model.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    log.info("wrote %s", args.out)


if __name__ == "__main__":
    main()
