"""Matching a question against the cards' examples: per-card similarity, votes, a hidden example."""

from __future__ import annotations

import numpy as np

from knowledge.base import BUILTIN_CARDS
from knowledge.card_index import NEIGHBOURS, CardIndex
from knowledge.cards import load_card_file
from knowledge.embeddings import HashingEmbeddings


def _index() -> CardIndex:
    cards = [
        card for path in sorted(BUILTIN_CARDS.glob("*.yaml")) for card in load_card_file(path, {"2023", "2024", "2025"})
    ]
    return CardIndex.build(cards, HashingEmbeddings(), cache=None, shipped=None)


def _ask(index: CardIndex, row: int, hidden: int | None = None) -> tuple[int, float, np.ndarray]:
    text = index.example_texts[row]
    vector = np.asarray(HashingEmbeddings().embed_query(text), dtype=np.float32)
    similarity = index.similarities(text, vector / np.linalg.norm(vector), {"2023", "2024", "2025"}, hidden)
    card = int(index.example_card[row])
    return card, float(similarity.q2q[card]), similarity.votes


def test_an_example_asked_as_a_question_finds_itself_unless_hidden() -> None:
    index = _index()
    row = 0
    _, seen, _ = _ask(index, row)
    _, hidden, _ = _ask(index, row, hidden=row)
    assert seen > 0.999
    assert hidden < seen


def test_the_nearest_examples_share_one_vote() -> None:
    index = _index()
    _, _, votes = _ask(index, 5)
    assert abs(votes.sum() - 1.0) < 1e-9
    assert votes.max() >= 1.0 / NEIGHBOURS


def test_the_classifier_gives_every_card_a_probability_and_favours_an_examples_own_card() -> None:
    index = _index()
    row = 3
    text = index.example_texts[row]
    vector = np.asarray(HashingEmbeddings().embed_query(text), dtype=np.float32)
    similarity = index.similarities(text, vector / np.linalg.norm(vector), {"2023", "2024", "2025"})

    assert similarity.predicted.shape == (len(index.cards),)
    assert abs(float(similarity.predicted.sum()) - 1.0) < 1e-9
    assert int(np.argmax(similarity.predicted)) == int(index.example_card[row])
