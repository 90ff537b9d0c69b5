"""Which card a question is asking for, learnt from the cards' example questions.

A linear classifier over the question's two embeddings (the retrieval model's and the
paraphrase model's, side by side) and its spelling (`knowledge.character_grams`) predicts
a card, "not in the texts" cards included.
Unlike the nearest example, it weighs every example of a card at once, so a question
worded unlike any single example still lands on its card; and because the gap cards
are classes of their own, it also learns what the texts do not answer. On the dev split
it put the right card first for 88% of answerable questions, against 77% for the
nearest example (measured in the README).

It is ridge regression onto one-hot card labels, solved in closed form (a linear system
the size of the examples, under a second), with a softmax over the
scores: rebuilt whenever the cards change, so a new card is learnt without a restart.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from knowledge.kept_files import keep_whole

logger = logging.getLogger(__name__)

RIDGE = 0.1  # chosen on the dev split with TEMPERATURE (README, "How answers are chosen")
TEMPERATURE = 0.05  # scores are differences of cosines: a small temperature spreads them into probabilities
FOLDS = 5  # calibration sees each example's probabilities from a model that never saw it
SETTINGS = [2, RIDGE]  # in the digest of kept weights: their format's version and the fit's ridge


@dataclass(frozen=True)
class CardClassifier:
    """Ridge weights (one column per card, last row the bias) over concatenated unit vectors."""

    weights: np.ndarray

    @classmethod
    def fit(cls, vectors: np.ndarray, labels: np.ndarray, cards: int, ridge: float = RIDGE) -> CardClassifier:
        """Fit on example vectors (one row per example) labelled with their card's index.

        Solved through the examples' Gram matrix (rows × rows): with the character view
        there are more columns than examples, and the two forms give the same weights. The
        bias is a column of ones, added to the Gram matrix rather than to a copy of the rows.
        """
        rows = vectors.astype(np.float32, copy=False)
        targets = np.zeros((len(rows), cards))
        targets[np.arange(len(rows)), labels] = 1.0
        gram = (rows @ rows.T).astype(np.float64)
        gram += 1.0
        gram[np.diag_indices(len(rows))] += ridge  # in place: the Gram matrix is the fit's largest array but one
        dual = np.linalg.solve(gram, targets)
        weights = np.vstack([rows.T @ dual.astype(np.float32), dual.sum(axis=0, keepdims=True)])
        return cls(weights.astype(np.float32))

    @classmethod
    def load_or_fit(cls, path: Path | None, rows: Callable[[], np.ndarray], labels: np.ndarray,
                    cards: int) -> CardClassifier:
        """Return the classifier kept at `path`, or fit it (`rows()` builds the rows) and keep it there.

        Fitting takes most of a second and a few hundred MB for a moment; every process that
        starts on the same cards loads the weights instead. `path` names the cards' digest, so
        changed cards never meet old weights; older files beside it are removed.
        """
        if path is not None and path.exists():
            try:
                weights = np.load(path)
                if weights.ndim == 2 and weights.shape[1] == cards:
                    return cls(weights)
            except (OSError, ValueError) as error:  # a torn or foreign file: fit again
                logger.warning("ignoring the card classifier %s: %s", path, error)
        classifier = cls.fit(rows(), labels, cards)
        if path is not None:
            keep_whole(path, classifier._save, "card classifier", replaces=f"{path.stem.rsplit('-', 1)[0]}-*.npy")
        return classifier

    def _save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, self.weights)

    def probabilities(self, vector: np.ndarray) -> np.ndarray:
        """Return each card's probability for a question's concatenated vector."""
        if self.weights.shape[1] == 0:
            return np.zeros(0)
        scores = (np.append(vector, 1.0).astype(np.float32) @ self.weights).astype(np.float64) / TEMPERATURE
        scores -= scores.max()
        exponentials = np.exp(scores)
        probabilities: np.ndarray = exponentials / exponentials.sum()
        return probabilities


@dataclass(frozen=True)
class HeldOutClassifiers:
    """One classifier per fold of the examples, each fitted without its fold.

    Calibration asks every example as a question; its probabilities must come from a
    model that did not learn that very example, or the classifier would look perfect.
    """

    folds: list[CardClassifier]

    @classmethod
    def fit(cls, vectors: np.ndarray, labels: np.ndarray, cards: int) -> HeldOutClassifiers:
        rows = np.arange(len(vectors))
        return cls([CardClassifier.fit(vectors[rows % FOLDS != k], labels[rows % FOLDS != k], cards)
                    for k in range(FOLDS)])

    def without(self, example: int) -> CardClassifier:
        """Return the classifier that never saw the example in row `example`."""
        return self.folds[example % FOLDS]

