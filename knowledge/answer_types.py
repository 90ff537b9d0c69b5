"""What an answer is, for every adapter: the text, whether it abstained, and its sources."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Language = Literal["fr", "ar", "en"]


@dataclass(frozen=True)
class Source:
    """One passage an answer rests on."""

    source: str
    edition: str | None
    excerpt: str
    score: float
    title: str = ""
    position: str | None = None


@dataclass(frozen=True)
class Answer:
    """The reply to one question, ready to render in any adapter."""

    answer: str
    abstained: bool
    language: Language
    sources: list[Source] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """Return the public JSON shape of `ask --json`."""
        return {
            "answer": self.answer,
            "abstained": self.abstained,
            "language": self.language,
            "sources": [
                {key: asdict(src)[key] for key in ("source", "edition", "excerpt", "score")}
                for src in self.sources
            ],
        }
