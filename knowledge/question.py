"""A question parsed once: language, content words, question types, years and parts."""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.answer_types import Language
from knowledge.editions import years_named
from knowledge.intents import Intent, asked_intents
from knowledge.language import detect_language
from knowledge.terms import QueryTerm, query_terms

MAX_QUESTION_CHARS = 1000
MAX_PARTS = 3
# A message holds several questions when it has several question marks; context around
# them ("Nous sommes 12 membres.") belongs to the question it comes with.
_PART_END = re.compile(r"(?<=[?؟])\s+")


@dataclass(frozen=True)
class Question:
    """Everything the answering steps need to know about one question."""

    text: str
    language: Language
    terms: list[QueryTerm]
    intents: list[Intent]
    years: set[str]

    @property
    def asks_date(self) -> bool:
        """Return whether the question asks for a closing date or hour."""
        return any(intent.name in {"deadline", "hour"} for intent in self.intents)


def parse_question(text: str) -> Question:
    """Parse one question (cut to `MAX_QUESTION_CHARS`)."""
    text = text.strip()[:MAX_QUESTION_CHARS]
    language = detect_language(text)
    return Question(text, language, query_terms(text, stem_unknown=language != "en"), asked_intents(text),
                    years_named(text))


def split_parts(text: str) -> list[str]:
    """Return the questions of a message: one, or up to `MAX_PARTS` when it asks several.

    A piece without a content word besides numbers ("merci ?", "et 2024 ?") stays with the part before it.
    """
    parts: list[str] = []
    for piece in (p.strip() for p in _PART_END.split(text.strip()[:MAX_QUESTION_CHARS])):
        if parts and not (_has_words(piece) and _has_words(parts[-1])):
            parts[-1] = f"{parts[-1]} {piece}"
        elif piece:
            parts.append(piece)
    if len(parts) > MAX_PARTS:
        parts = parts[:MAX_PARTS - 1] + [" ".join(parts[MAX_PARTS - 1:])]
    return parts or [text.strip()]


def _has_words(text: str) -> bool:
    return any(not term.word.isdigit() for term in query_terms(text))
