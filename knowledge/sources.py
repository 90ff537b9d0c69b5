"""What answering reads, taken as one consistent snapshot per message."""

from __future__ import annotations

from typing import Protocol

from knowledge.calibration import Calibration
from knowledge.card_index import CardIndex
from knowledge.retrieval import PassageRetriever


class MissingCalibration(Exception):
    """No calibration was fitted for this embedding model; `knowledge calibrate` makes one."""


class AnswerSources(Protocol):
    """The cards, the passages and the calibration of one knowledge base."""

    def snapshot(self) -> tuple[CardIndex, PassageRetriever, Calibration]:
        """Return the current cards, retriever and calibration together."""
        ...
