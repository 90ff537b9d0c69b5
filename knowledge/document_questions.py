"""Questions only a document answers: they let a passage be matched the way a card is.

Cards answer most questions, each matched through hundreds of example questions. The press
and the notices also hold details no card states (the targets of the 2011 contracts, the
first clusters' budget, why the 2023 deadline moved); a passage had only its own words and
vector to go by, so such a question got the nearest card or a referral. Each document here
has example questions of its own, written from the document and the list of cards alone;
a passage of that document is as close to a question as the nearest of them
(`knowledge.candidates`), and calibration asks each of them as a question whose gold is a
passage of its document (`knowledge.fitting`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from datafiles import DataFileError, read_model
from knowledge.cards import Examples

DOCUMENT_QUESTIONS_FILE = Path(__file__).parent / "data" / "document-questions.yaml"
Nearest = dict[str, tuple[float, float]]  # document name -> (best retrieval cosine, best paraphrase cosine)


class _Document(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    about: str = Field(min_length=10)
    examples: Examples


class _DocumentQuestionsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    documents: dict[str, _Document]


def load_document_questions(path: Path = DOCUMENT_QUESTIONS_FILE) -> dict[str, list[str]]:
    """Read and validate a document-questions file: example questions by document file name.

    Raises:
        DataFileError: a duplicate key, an unknown field, a missing `about`, with its line.
    """
    parsed, _, problems = read_model(path, _DocumentQuestionsFile)
    if problems:
        raise DataFileError(problems)
    return {name: entry.examples.all() for name, entry in parsed.documents.items()}


@dataclass(frozen=True)
class DocumentQuestions:
    """The example questions of each document, embedded by both models (one row per question)."""

    documents: list[str]  # row -> the document's file name
    texts: list[str]
    vectors: np.ndarray
    paraphrase_vectors: np.ndarray | None = None

    @cached_property
    def names(self) -> list[str]:
        """Return the documents that have questions, each once, in the file's order."""
        return list(dict.fromkeys(self.documents))

    @cached_property
    def labels(self) -> np.ndarray:
        """Return each question's document as an index into `names`."""
        index = {name: n for n, name in enumerate(self.names)}
        return np.array([index[name] for name in self.documents], dtype=int)

    @classmethod
    def empty(cls) -> DocumentQuestions:
        """Return an index without any question (no document is matched through examples)."""
        return cls([], [], np.zeros((0, 1), dtype=np.float32))

    def nearest(self, vector: np.ndarray, paraphrase_vector: np.ndarray | None, hidden: int | None = None) -> Nearest:
        """Return, per document, the best cosine of a question to its examples in each model.

        The `hidden` row does not count: calibration asks each example as a question of its own.
        """
        if not self.documents:
            return {}
        by_row = self.vectors @ vector
        if self.paraphrase_vectors is not None and paraphrase_vector is not None:
            paraphrase = self.paraphrase_vectors @ paraphrase_vector
        else:
            paraphrase = np.zeros_like(by_row)
        kept = np.ones(len(self.documents), dtype=bool)
        if hidden is not None:
            kept[hidden] = False
        best = np.full((len(self.names), 2), -1.0)
        np.maximum.at(best, self.labels[kept], np.stack([by_row, paraphrase], axis=1)[kept])
        present = set(self.labels[kept].tolist())
        return {name: (float(best[n, 0]), float(best[n, 1])) for n, name in enumerate(self.names) if n in present}
