"""One calibrated answerability score instead of hand-set thresholds.

A logistic model over the candidates' features (`knowledge.candidates.FEATURES`) gives
the probability that a candidate is the right answer. It is fitted on the dev split
(`cluster-assistant knowledge calibrate`), and the answering threshold is chosen there
for precision: a wrong answer costs an applicant more than a referral to the Division.
The fit is stored with the embedding model it was measured with.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)
WRONG_ANSWER_COST = 1.25  # a wrong answer costs more than a referral to the Division (chosen by dev cross-validation)
L2 = 1.0


@dataclass(frozen=True)
class Calibration:
    """A fitted answerability model and what was measured when it was fitted."""

    embedding: str
    features: list[str]
    weights: list[float]
    bias: float
    mean: list[float]
    scale: list[float]
    threshold: float
    on_topic_similarity: float
    measured: dict[str, float | int]

    def probability(self, features: dict[str, float]) -> float:
        """Return the probability that a candidate with these features is the right answer."""
        x = (np.array([features.get(name, 0.0) for name in self.features]) - self.mean) / self.scale
        return float(1.0 / (1.0 + math.exp(-float(np.dot(self.weights, x) + self.bias))))

    def save(self, path: Path) -> None:
        """Write the calibration as JSON."""
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(asdict(self), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def calibration_file(data_dir: Path, embedding: str) -> Path:
    """Return where `knowledge calibrate` stores a data directory's own calibration."""
    return data_dir / f"calibration-{embedding}.json"


def load_calibration(embedding: str, data_dir: Path | None = None) -> Calibration | None:
    """Return the data directory's calibration for a model, else the shipped one, else None."""
    local = calibration_file(data_dir, embedding) if data_dir else None
    shipped = resources.files("knowledge").joinpath(f"data/calibration/{embedding}.json")
    for candidate in (local, shipped):
        if candidate is not None and candidate.is_file():
            raw = json.loads(candidate.read_text(encoding="utf-8"))
            logger.info("calibration for %s from %s", embedding, candidate)
            return Calibration(**raw)
    return None


def fit_logistic(rows: np.ndarray, labels: np.ndarray, l2: float = L2,
                 weights: np.ndarray | None = None) -> tuple[np.ndarray, float, np.ndarray, np.ndarray]:
    """Fit an L2-regularised logistic regression by Newton's method on standardised features.

    A dozen features and a few thousand rows: Newton converges in a few steps, exactly and
    deterministically, with numpy alone.

    Returns:
        (weights, bias, mean, scale) where the score is `weights . (x - mean) / scale + bias`.
    """
    w = np.ones(len(rows)) if weights is None else weights
    mean = rows.mean(axis=0)
    scale = rows.std(axis=0)
    scale[scale == 0] = 1.0
    x = np.hstack([(rows - mean) / scale, np.ones((len(rows), 1))])
    beta = np.zeros(x.shape[1])
    penalty = np.eye(x.shape[1]) * l2
    penalty[-1, -1] = 0.0  # the bias is not shrunk
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-x @ beta))
        gradient = x.T @ (w * (p - labels)) + penalty @ beta
        hessian = (x * (w * p * (1 - p))[:, None]).T @ x + penalty
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if float(np.abs(step).max()) < 1e-8:
            break
    return beta[:-1], float(beta[-1]), mean, scale


@dataclass(frozen=True)
class Outcome:
    """One dev question: the best candidate's probability, whether it is right, whether the question is answerable."""

    probability: float
    right: bool
    answerable: bool


def choose_threshold(outcomes: list[Outcome]) -> tuple[float, dict[str, float | int]]:
    """Return the threshold maximising right outcomes minus `WRONG_ANSWER_COST` per wrong answer, and the measures.

    Thresholds between two neighbouring probabilities make the same decisions, and several
    such steps in a row may score the same: the threshold is put in the middle of the whole
    span that scores best, as far as it can be from the questions at both ends. The lowest
    end, used before, sat on one dev question's probability (rounded, sometimes just above
    it, so that question was refused), and each refit moved it with that one score.
    """
    levels = sorted({o.probability for o in outcomes} | {0.5})
    utilities = [_utility(outcomes, level) for level in levels]
    first = utilities.index(max(utilities))
    last = first
    while last + 1 < len(levels) and utilities[last + 1] == utilities[first]:
        last += 1
    below = levels[first - 1] if first > 0 else 0.0
    threshold = round((below + levels[last]) / 2, 4)
    return threshold, measures(outcomes, threshold)


def _utility(outcomes: list[Outcome], threshold: float) -> float:
    answered = [o for o in outcomes if o.probability >= threshold]
    right = sum(o.right for o in answered)
    refused_right = sum(not o.answerable for o in outcomes if o.probability < threshold)
    return right + refused_right - WRONG_ANSWER_COST * (len(answered) - right)


def measures(outcomes: list[Outcome], threshold: float) -> dict[str, float | int]:
    """Return precision and recall of answering, and the refusal rate of unanswerable questions."""
    answered = [o for o in outcomes if o.probability >= threshold]
    answerable = [o for o in outcomes if o.answerable]
    unanswerable = [o for o in outcomes if not o.answerable]
    right = sum(o.right for o in answered)
    return {
        "questions": len(outcomes),
        "precision": round(right / len(answered), 3) if answered else 0.0,
        "recall": round(right / len(answerable), 3) if answerable else 0.0,
        "refused_unanswerable": round(sum(o.probability < threshold for o in unanswerable) / len(unanswerable), 3)
        if unanswerable else 0.0,
    }
