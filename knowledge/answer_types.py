"""What an answer is, for every adapter: the text, the decision behind it, and its sources."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from datafiles.language import Language as Language


@dataclass(frozen=True)
class Source:
    """One card or passage an answer rests on."""

    source: str
    edition: str | None
    excerpt: str
    score: float
    title: str = ""
    position: str | None = None


@dataclass(frozen=True)
class Suggestion:
    """A nearby topic offered when a question is refused: a card id and its label."""

    card_id: str
    label: str


@dataclass(frozen=True)
class Answer:
    """The reply to one message, ready to render in any adapter.

    `decision` is the first part's outcome: answered, refused, gap (the texts are known not
    to say), unknown_year or empty; `chosen` names the card (`card:ID`) or passage
    (`passage:ID`) it answered from.
    """

    answer: str
    abstained: bool
    language: Language
    sources: list[Source] = field(default_factory=list)
    decision: str = "refused"
    score: float = 0.0
    chosen: str | None = None
    suggestions: list[Suggestion] = field(default_factory=list)
    parts: int = 1

    def to_json(self) -> dict[str, Any]:
        """Return the public JSON shape of `ask --json`."""
        return {
            "answer": self.answer,
            "abstained": self.abstained,
            "language": self.language,
            "decision": self.decision,
            "score": round(self.score, 4),
            "chosen": self.chosen,
            "suggestions": [asdict(s) for s in self.suggestions],
            "sources": [
                {key: asdict(src)[key] for key in ("source", "title", "edition", "position", "excerpt", "score")}
                for src in self.sources
            ],
        }
