"""Matching a question against the cards' examples: per-card similarity, votes, a hidden example."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from knowledge.base import BUILTIN_CARDS
from knowledge.card_classifier import CardClassifier
from knowledge.card_index import NEIGHBOURS, CardIndex
from knowledge.cards import Card, load_card_file
from knowledge.embeddings import HashingEmbeddings


def _cards() -> list[Card]:
    return [card for path in sorted(BUILTIN_CARDS.glob("*.yaml"))
            for card in load_card_file(path, {"2023", "2024", "2025"})]


def _index() -> CardIndex:
    return CardIndex.build(_cards(), HashingEmbeddings(), cache=None, shipped=None)


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
    from knowledge.card_vectors import VectorCache

    path = tmp_path / "card-vectors.npz"
    caches = [VectorCache(path, HashingEmbeddings()) for _ in range(4)]
    for number, cache in enumerate(caches):
        cache.questions([f"question {number}"])

    def save_often(cache: VectorCache) -> None:
        for _ in range(25):
            cache._dirty = True
            cache.save()

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(save_often, caches))

    with np.load(path) as stored:
        assert len(stored["keys"]) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["card-vectors.npz"], "no partial file left behind"


def _probabilities(index: CardIndex, text: str) -> np.ndarray:
    vector = np.asarray(HashingEmbeddings().embed_query(text), dtype=np.float32)
    return index.similarities(text, vector / np.linalg.norm(vector), set()).predicted


def test_a_second_process_loads_the_classifier_instead_of_fitting_it(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    prefix = tmp_path / "card-classifier-hashing"
    first = CardIndex.build(_cards(), HashingEmbeddings(), cache=None, shipped=None, classifier_cache=prefix)
    kept = list(tmp_path.glob("card-classifier-hashing-*.npy"))
    assert len(kept) == 1

    def no_fit(*args: object, **kwargs: object) -> None:
        raise AssertionError("the kept weights should have been loaded")

    monkeypatch.setattr(CardClassifier, "fit", no_fit)
    second = CardIndex.build(_cards(), HashingEmbeddings(), cache=None, shipped=None, classifier_cache=prefix)
    question = "Quelle est la date limite de dépôt ?"
    assert np.allclose(_probabilities(first, question), _probabilities(second, question))


def test_changed_cards_never_meet_old_weights(tmp_path: Path) -> None:
    prefix = tmp_path / "card-classifier-hashing"
    cards = _cards()
    CardIndex.build(cards, HashingEmbeddings(), cache=None, shipped=None, classifier_cache=prefix)
    [old] = tmp_path.glob("card-classifier-hashing-*.npy")
    fewer = CardIndex.build(cards[1:], HashingEmbeddings(), cache=None, shipped=None, classifier_cache=prefix)

    [new] = tmp_path.glob("card-classifier-hashing-*.npy")
    assert new != old, "older weights are removed, the new ones kept"
    assert fewer.classifier.weights.shape[1] == len(cards) - 1


def test_a_torn_weights_file_is_refitted(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    prefix = tmp_path / "card-classifier-hashing"
    whole = CardIndex.build(_cards(), HashingEmbeddings(), cache=None, shipped=None, classifier_cache=prefix)
    [kept] = tmp_path.glob("card-classifier-hashing-*.npy")
    kept.write_bytes(kept.read_bytes()[:100])

    refitted = CardIndex.build(_cards(), HashingEmbeddings(), cache=None, shipped=None, classifier_cache=prefix)
    assert "ignoring the card classifier" in caplog.text
    assert np.allclose(whole.classifier.weights, refitted.classifier.weights)


def test_a_foreign_array_under_the_weights_name_is_refitted(tmp_path: Path) -> None:
    prefix = tmp_path / "card-classifier-hashing"
    whole = CardIndex.build(_cards(), HashingEmbeddings(), cache=None, shipped=None, classifier_cache=prefix)
    [kept] = tmp_path.glob("card-classifier-hashing-*.npy")
    np.save(kept, np.zeros(3))

    refitted = CardIndex.build(_cards(), HashingEmbeddings(), cache=None, shipped=None, classifier_cache=prefix)
    assert np.allclose(whole.classifier.weights, refitted.classifier.weights)
    assert np.load(kept).shape == whole.classifier.weights.shape, "the refitted weights replace it"
