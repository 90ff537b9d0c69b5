"""The card classifier: learns cards from their examples, and calibration sees it only held out."""

from __future__ import annotations

import numpy as np

from knowledge.card_classifier import FOLDS, CardClassifier, HeldOutClassifiers


def _examples(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Three cards, ten noisy examples each around a direction of their own."""
    rng = np.random.default_rng(seed)
    centres = np.eye(3, 16)
    labels = np.repeat(np.arange(3), 10)
    vectors = centres[labels] + 0.3 * rng.standard_normal((30, 16))
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True), labels


def test_a_new_question_near_a_cards_examples_is_given_that_card() -> None:
    vectors, labels = _examples()
    classifier = CardClassifier.fit(vectors, labels, 3)
    question = np.eye(3, 16)[2] + 0.2 * np.eye(16)[7]
    probabilities = classifier.probabilities(question / np.linalg.norm(question))

    assert int(np.argmax(probabilities)) == 2
    assert abs(float(probabilities.sum()) - 1.0) < 1e-9


def test_held_out_models_never_saw_their_examples() -> None:
    vectors, labels = _examples()
    held_out = HeldOutClassifiers.fit(vectors, labels, 3)
    seen = CardClassifier.fit(vectors, labels, 3)
    mislabelled = labels.copy()
    mislabelled[4] = 1  # an example filed under the wrong card: only a model that saw it learns that
    with_mistake = HeldOutClassifiers.fit(vectors, mislabelled, 3)

    assert len(held_out.folds) == FOLDS
    assert np.allclose(held_out.without(4).probabilities(vectors[4]), with_mistake.without(4).probabilities(vectors[4]))
    assert not np.allclose(seen.probabilities(vectors[4]), CardClassifier.fit(vectors, mislabelled, 3)
                           .probabilities(vectors[4]))


def test_no_cards_give_no_probabilities() -> None:
    classifier = CardClassifier.fit(np.zeros((0, 4)), np.zeros(0, dtype=int), 0)
    assert classifier.probabilities(np.ones(4)).shape == (0,)
