"""Which card a question is asking for, learnt from the cards' example questions.

A linear classifier over the question's two embeddings (the retrieval model's and the
paraphrase model's, side by side) predicts a card, "not in the texts" cards included.
Unlike the nearest example, it weighs every example of a card at once, so a question
worded unlike any single example still lands on its card; and because the gap cards
are classes of their own, it also learns what the texts do not answer. On the dev split
it put the right card first for 88% of answerable questions, against 77% for the
nearest example (measured in the README).

It is ridge regression onto one-hot card labels, solved in closed form (a linear system
the size of the embedding, a few hundredths of a second), with a softmax over the
scores: rebuilt whenever the cards change, so a new card is learnt without a restart.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

RIDGE = 0.1  # chosen on the dev split with TEMPERATURE (README, "How answers are chosen")
TEMPERATURE = 0.05  # scores are differences of cosines: a small temperature spreads them into probabilities
FOLDS = 5  # calibration sees each example's probabilities from a model that never saw it


@dataclass(frozen=True)
class CardClassifier:
    """Ridge weights (one column per card, last row the bias) over concatenated unit vectors."""

    weights: np.ndarray

    @classmethod
    def fit(cls, vectors: np.ndarray, labels: np.ndarray, cards: int, ridge: float = RIDGE) -> CardClassifier:
        """Fit on example vectors (one row per example) labelled with their card's index."""
        rows = np.hstack([vectors.astype(np.float64), np.ones((len(vectors), 1))])
        targets = np.zeros((len(vectors), cards))
        targets[np.arange(len(vectors)), labels] = 1.0
        gram = rows.T @ rows + ridge * np.eye(rows.shape[1])
        return cls(np.linalg.solve(gram, rows.T @ targets))

    def probabilities(self, vector: np.ndarray) -> np.ndarray:
        """Return each card's probability for a question's concatenated vector."""
        if self.weights.shape[1] == 0:
            return np.zeros(0)
        scores = (np.append(vector.astype(np.float64), 1.0) @ self.weights) / TEMPERATURE
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
