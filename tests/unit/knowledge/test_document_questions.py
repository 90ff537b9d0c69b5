"""Document questions: a validated file, each document's nearest question, and the shipped file's documents."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from datafiles import DataFileError
from knowledge.document_questions import DOCUMENT_QUESTIONS_FILE, DocumentQuestions, load_document_questions


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
