"""Tell French, Arabic and English questions apart, without a model."""

from __future__ import annotations

import re

from knowledge.answer_types import Language
from knowledge.text_folding import words

_ARABIC = re.compile(r"[\u0600-\u06ff]")
_ENGLISH = frozenset(
    [
        "the",
        "what",
        "when",
        "where",
        "who",
        "which",
        "how",
        "is",
        "are",
        "can",
        "does",
        "do",
        "of",
        "to",
        "for",
        "and",
        "with",
        "my",
        "our",
        "deadline",
        "apply",
        "application",
        "call",
        "phone",
        "email",
        "contact",
        "members",
        "eligible",
        "year",
    ]
)
_FRENCH = frozenset(
    [
        "le",
        "la",
        "les",
        "quel",
        "quelle",
        "quels",
        "quelles",
        "quand",
        "ou",
        "qui",
        "comment",
        "est",
        "sont",
        "peut",
        "pour",
        "de",
        "des",
        "du",
        "et",
        "avec",
        "mon",
        "notre",
        "date",
        "dossier",
        "appel",
        "candidature",
        "jusqu",
        "quoi",
        "combien",
        "un",
        "une",
        "au",
        "aux",
        "limite",
        "depot",
        "deposer",
    ]
)


def detect_language(text: str) -> Language:
    """Return the language of a question: Arabic script wins, else English or French words."""
    letters = [ch for ch in text if ch.isalpha()]
    if letters and sum(bool(_ARABIC.match(ch)) for ch in letters) / len(letters) > 0.3:
        return Language.AR
    tokens = words(text)
    english = sum(token in _ENGLISH for token in tokens)
    french = sum(token in _FRENCH for token in tokens)
    return Language.EN if english > french else Language.FR
