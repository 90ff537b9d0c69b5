"""Words of questions and passages as stems."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import Stemmer
from bm25s.stopwords import STOPWORDS_FRENCH

from knowledge.text_folding import arabic_variants, fold, words

_QUESTION_WORDS = (
    "quel quelle quels quelles est sont ce cet cette ces qu que qui quoi comment peut peuvent "
    "doit doivent faut il ils elle on je nous vous mon ma mes notre nos votre vos leur leurs "
    "y a t sont-ils etre avoir fait faire fera peux puis dois savoir dire bien tout tous deja encore aussi "
    "tres plus moins quelque chose merci bonjour salut "
    "the a an is are was were be what which who whom how do does did can could should would "
    "of to in on for at by with from my our your their it this that there i we you me "
    "according again already also any some about into than then them they these those will just "
    "get got need want like please tell know there here yes not no more most much very still "
    "ما ماذا هو هي هل في من على إلى الى عن مع كيف أين اين لماذا التي الذي هذا هذه أن ان يمكن "
    "لي لنا أو او ثم كان قد"
)
STOPWORDS = frozenset(fold(w) for w in STOPWORDS_FRENCH) | frozenset(_QUESTION_WORDS.split())
_LATIN = re.compile(r"[a-z]")


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("french")


@lru_cache(maxsize=65536)  # the cards' and passages' words, stemmed again at each start and reload
def stem(word: str) -> str:
    """Return the French stem of a folded word; non-Latin words stay as they are."""
    if not _LATIN.search(word):
        return word
    stemmed = _stemmer().stemWord(word)
    # Snowball leaves a final "i" on participles ("apprecie" -> "appreci") but not on
    # infinitives ("apprecier" -> "apprec"); dropping it lets the two meet.
    return str(stemmed[:-1] if stemmed.endswith("i") and len(stemmed) > 4 else stemmed)


def passage_stems(text: str) -> list[str]:
    """Return the stems of a passage's content words, in order."""
    return [stem(w) for w in words(text) if (w not in STOPWORDS and len(w) > 1) or w.isdigit()]


@dataclass(frozen=True)
class QueryTerm:
    """One content word of a question and every stem that counts as finding it."""

    word: str
    stems: frozenset[str]


def query_terms(question: str, stem_unknown: bool = True) -> list[QueryTerm]:
    """Return the question's content words, each with the stems that count as finding it.

    French words count by their stem; with `stem_unknown` False (English questions) a word is
    kept whole, since the French stemmer would make "visa" meet "vise"; an Arabic word
    counts with or without its clitic prefix (wa-, bi-, al-, ...). Other languages meet the
    French texts through the answer cards' examples and the dense model, not a word list.
    """
    terms: list[QueryTerm] = []
    seen: set[str] = set()
    for word in words(question):
        if word in STOPWORDS or word in seen or (len(word) < 2 and not word.isdigit()):
            continue
        seen.add(word)
        if not _LATIN.search(word) and not word.isdigit():
            stems = frozenset(arabic_variants(word))
        else:
            stems = frozenset({stem(word) if stem_unknown else word})
        terms.append(QueryTerm(word=word, stems=stems))
    return terms
