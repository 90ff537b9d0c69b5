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

# Darija written in Latin letters (digits for Arabic sounds) borrows French words, and those
# who write it read French: its common words count as French, so "3tini l email dyal
# division" is not answered in English for the one English word it holds.
_DARIJA_LATIN = frozenset(
    ["wach", "wash", "dyal", "dial", "chno", "chnou", "achno", "chkoun", "chkon", "3afak", "bghit", "bghina",
     "kayn", "kayna", "kaynin", "ch7al", "chhal", "imta", "fo9ach", "foqach", "mazal", "khass", "khassni",
     "3tini", "n9der", "n9dro", "kifach", "daba", "lwe9t", "bach", "m3a", "7na", "ghadi", "li", "wla"]
)


def detect_language(text: str) -> Language:
    """Return the language of a question: Arabic script wins, else English or French (and Darija) words."""
    letters = [ch for ch in text if ch.isalpha()]
    if letters and sum(bool(_ARABIC.match(ch)) for ch in letters) / len(letters) > 0.3:
        return Language.AR
    tokens = words(text)
    english = sum(token in _ENGLISH for token in tokens)
    french = sum(token in _FRENCH or token in _DARIJA_LATIN for token in tokens)
    return Language.EN if english > french else Language.FR
