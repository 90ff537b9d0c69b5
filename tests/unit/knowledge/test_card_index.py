"""Matching a question against the cards' examples: per-card similarity, votes, a hidden example."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

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


def test_regression_two_processes_saving_the_card_vectors_at_once_both_succeed(tmp_path: Path) -> None:
    """The bot and the workspace reloading together once failed a question: both renamed one shared partial file."""
    from knowledge.card_index import _VectorCache

    path = tmp_path / "card-vectors.npz"
    caches = [_VectorCache(path, HashingEmbeddings()) for _ in range(4)]
    for number, cache in enumerate(caches):
        cache.questions([f"question {number}"])

    def save_often(cache: _VectorCache) -> None:
        for _ in range(25):
            cache._dirty = True
            cache.save()

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(save_often, caches))

    with np.load(path) as stored:
        assert len(stored["keys"]) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["card-vectors.npz"], "no partial file left behind"
