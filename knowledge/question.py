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
MIN_PART_WORDS = 2  # a one-word piece ("FSI ??", "la liste svp") stays with its question...
_AND = r"(?:et|and|w|wa|ou)"  # the Latin-script conjunctions that open a second question
_FOLLOW_UP = re.compile(rf"(?:{_AND}|or)\s|و", re.IGNORECASE)  # ...unless it starts "and": "et le tel ?"
# A message holds several questions when it has several question marks; context around
# them ("Nous sommes 12 membres.") belongs to the question it comes with.
_PART_END = re.compile(r"(?<=[?؟])\s+")
# "...le numéro de la Division et combien de clusters...": a conjunction followed by a
# question word starts a second question even without a question mark between them.
_SECOND_QUESTION = re.compile(
    rf"[,;]?\s+{_AND}\s+(?=(?:combien|quand|quel(?:le)?s?|qui|où|ou est|comment|pourquoi|est-ce|"
    r"how|when|what|which|who|where|why|is there|are there|can|do|does|"
    r"ch7al|chhal|imta|fin|chkoun|kifach|wach|3lach)\b)"
    r"|\s+(?=و(?:كم|متى|ما|ماذا|هل|أين|اين|كيف|من|لماذا|شحال|فين|امتى|شكون|كيفاش|واش)\b)",
    re.IGNORECASE,
)


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


_ASKS = re.compile(
    r"\b(?:quel(?:le)?s?|combien|quand|comment|qui|où|quoi|pourquoi|est-ce|what|when|how|which|who|where|why|"
    r"ch7al|chhal|imta|fin|chkoun|kifach|wach|chno|achno)\b|(?:^|\s)(?:ما|ماذا|هل|كم|متى|أين|اين|كيف|من|شحال|فين|امتى|شكون|كيفاش|واش|شنو)(?:\s|$)",
    re.IGNORECASE,
)


def parse_question(text: str) -> Question:
    """Parse one question (cut to `MAX_QUESTION_CHARS`)."""
    text = text.strip()[:MAX_QUESTION_CHARS]
    language = detect_language(text)
    return Question(text, language, query_terms(text, stem_unknown=language != "en"), asked_intents(text),
                    years_named(text))


def split_parts(text: str) -> list[str]:
    """Return the questions of a message: one, or up to `MAX_PARTS` when it asks several.

    A piece that is not a question of its own (`_stands_alone`: "merci ?", "et 2024 ?", "FSI ??",
    "I want to apply this year.") stays with the part before it.
    """
    parts: list[str] = []
    pieces = [q for p in _PART_END.split(text.strip()[:MAX_QUESTION_CHARS]) for q in _questions_in(p)]
    for piece in (p.strip() for p in pieces):
        if parts and not (_stands_alone(piece) and _has_words(parts[-1])):
            parts[-1] = f"{parts[-1]} {piece}"
        elif piece:
            parts.append(piece)
    if len(parts) > MAX_PARTS:
        parts = [*parts[:MAX_PARTS - 1], " ".join(parts[MAX_PARTS - 1:])]
    return parts or [text.strip()]


def _questions_in(piece: str) -> list[str]:
    """Split "question A and question B" when A is itself a question ("nous sommes 12 et est-ce bon ?" is one)."""
    first, *rest = _SECOND_QUESTION.split(piece, maxsplit=1)
    if not rest or not _ASKS.search(first):
        return [piece]
    return [first, *_questions_in(rest[0])]


def _stands_alone(piece: str) -> bool:
    """Return whether a piece is a question of its own: asked, with two content words or "and" and one.

    "et le tel ?" after "date limite ?" is a second question; "FSI ??" after "financé par
    qui ?" and "I want to apply this year." after a question are what the question before
    them is about, not questions to answer apart.
    """
    if not (piece.endswith(("?", "؟")) or _ASKS.search(piece)):
        return False
    content = _content_words(piece)
    return content >= MIN_PART_WORDS or (content == 1 and _FOLLOW_UP.match(piece) is not None)


def _has_words(text: str) -> bool:
    return _content_words(text) > 0


def _content_words(text: str) -> int:
    """Return how many of a text's content words are not numbers."""
    return sum(not term.word.isdigit() for term in query_terms(text))
