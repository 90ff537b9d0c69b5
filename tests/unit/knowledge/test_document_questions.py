"""Document questions: a validated file, each document's nearest question, and the shipped file's documents."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from datafiles import DataFileError
from knowledge.base import BUILTIN_CARDS
from knowledge.card_index import CardIndex
from knowledge.cards import load_card_file
from knowledge.document_questions import DOCUMENT_QUESTIONS_FILE, DocumentQuestions, load_document_questions
from knowledge.embeddings import HashingEmbeddings


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "document-questions.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_file_gives_each_documents_questions_in_every_language(tmp_path: Path) -> None:
    path = _write(tmp_path, "documents:\n"
                            "  press-2011.txt:\n"
                            "    about: 'the 2011 contracts'\n"
                            "    examples:\n"
                            "      fr: ['Quels objectifs ?']\n"
                            "      en: ['Which targets?']\n")

    assert load_document_questions(path) == {"press-2011.txt": ["Quels objectifs ?", "Which targets?"]}


@pytest.mark.parametrize(("body", "line", "message"), [
    ("  a.txt:\n    about: 'what it is about'\n    examples: {fr: [x]}\n    source: y\n", 5, "source"),
    ("  a.txt:\n    examples: {fr: [x]}\n", 2, "about"),
    ("  a.txt:\n    about: 'what it is about'\n    examples: {fr: [x]}\n"
     "  a.txt:\n    about: 'what it is about'\n    examples: {fr: [y]}\n", 5, "a.txt"),
])
def test_a_mistake_is_named_with_its_line(tmp_path: Path, body: str, line: int, message: str) -> None:
    path = _write(tmp_path, "documents:\n" + body)

    with pytest.raises(DataFileError) as raised:
        load_document_questions(path)

    assert any(problem.line == line and message in str(problem) for problem in raised.value.problems), \
        [str(p) for p in raised.value.problems]


def _unit(*values: float) -> np.ndarray:
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def test_each_document_is_as_near_as_its_nearest_question_and_a_hidden_one_does_not_count() -> None:
    index = DocumentQuestions(["a.txt", "a.txt", "b.txt"], ["q1", "q2", "q3"],
                              np.stack([_unit(1, 0), _unit(0, 1), _unit(1, 1)]))
    question = _unit(1, 0.1)

    nearest = index.nearest(question, None)
    hidden = index.nearest(question, None, hidden=0)

    assert nearest["a.txt"][0] == pytest.approx(float(_unit(1, 0) @ question))
    assert nearest["b.txt"][0] == pytest.approx(float(_unit(1, 1) @ question))
    assert hidden["a.txt"][0] == pytest.approx(float(_unit(0, 1) @ question))
    assert DocumentQuestions.empty().nearest(question, None) == {}


def test_every_document_of_the_shipped_file_is_one_of_the_call_texts(shared_dir: Path) -> None:
    """A misspelt name would leave that document's passages without their questions."""
    texts = {path.name for folder in ("corpus", "corpus-press") for path in (shared_dir / folder).glob("*.txt")}
    questions = load_document_questions(DOCUMENT_QUESTIONS_FILE)

    assert questions and set(questions) <= texts
    assert all(len(asked) >= 10 for asked in questions.values())


def test_the_card_classifier_weighs_documents_beside_cards() -> None:
    cards = [card for path in sorted(BUILTIN_CARDS.glob("*.yaml"))
             for card in load_card_file(path, {"2023", "2024", "2025"})]
    asked = {"presse-2011.txt": ["Combien de brevets les clusters devaient-ils déposer selon leurs contrats ?",
                                 "brevets promis par les clusters dans les contrats ?"],
             "avis-2023.txt": ["Pourquoi l'avis de 2023 a-t-il repoussé la clôture ?"]}
    index = CardIndex.build(cards, HashingEmbeddings(), cache=None, shipped=None, document_questions=asked)
    text = asked["presse-2011.txt"][0]
    vector = np.asarray(HashingEmbeddings().embed_query(text), dtype=np.float32)
    vector /= np.linalg.norm(vector)

    seen = index.similarities(text, vector, set())
    hidden = index.similarities(text, vector, set(), hidden_document_question=0)

    assert max(seen.document_predicted, key=lambda name: seen.document_predicted[name]) == "presse-2011.txt"
    assert float(seen.predicted.sum()) + sum(seen.document_predicted.values()) == pytest.approx(1.0)
    assert seen.documents["presse-2011.txt"][0] > 0.999 > hidden.documents["presse-2011.txt"][0]
    assert len(index.card_probabilities(text, vector)) == len(cards)
