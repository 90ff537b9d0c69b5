"""Words of questions and passages as stems, with the lexicon's cross-language expansions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import Stemmer
import yaml
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


@lru_cache(maxsize=1)
def lexicon() -> dict[str, list[str]]:
    """Return the expansion lexicon shipped in `knowledge/data/lexicon.yaml`."""
    text = resources.files("knowledge").joinpath("data/lexicon.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    raw = data["expansions"]
    table: dict[str, list[str]] = {}
    for key, values in raw.items():
        folded = fold(str(key))
        # Arabic keys are also filed without their article or clitic, as questions vary them.
        for variant in arabic_variants(folded) if not _LATIN.search(folded) else [folded]:
            table.setdefault(variant, [fold(str(v)) for v in values])
    return table


@lru_cache(maxsize=1)
def replacements() -> dict[str, list[str]]:
    """Return the question words whose own stem misleads and the words that stand for them."""
    text = resources.files("knowledge").joinpath("data/lexicon.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text).get("replacements") or {}
    return {fold(str(key)): [fold(str(v)) for v in values] for key, values in raw.items()}


def stem(word: str) -> str:
    """Return the French stem of a folded word; non-Latin words stay as they are."""
    if not _LATIN.search(word):
        return word
    stemmed = _stemmer().stemWord(word)
    # Snowball leaves a final "i" on participles ("apprecie" -> "appreci") but not on
    # infinitives ("apprecier" -> "apprec"); dropping it lets the two meet.
    return stemmed[:-1] if stemmed.endswith("i") and len(stemmed) > 4 else stemmed


def passage_stems(text: str) -> list[str]:
    """Return the stems of a passage's content words, in order."""
    return [stem(w) for w in words(text) if w not in STOPWORDS and len(w) > 1 or w.isdigit()]


@dataclass(frozen=True)
class QueryTerm:
    """One content word of a question and every stem that counts as finding it."""

    word: str
    stems: frozenset[str]


def query_terms(question: str, stem_unknown: bool = True) -> list[QueryTerm]:
    """Return the question's content words, each with its stem and lexicon expansions.

    With `stem_unknown` False (English questions), a word the lexicon does not know is
    kept whole: the French stemmer would make "visa" meet "vise".
    """
    terms: list[QueryTerm] = []
    seen: set[str] = set()
    for word in words(question):
        if word in STOPWORDS or word in seen or (len(word) < 2 and not word.isdigit()):
            continue
        seen.add(word)
        expansions = _lookup(word)
        if expansions == []:
            continue  # listed with nothing: a filler word in some language
        own = stem(word) if stem_unknown or expansions is not None else word
        stems = {own} | {stem(e) for e in expansions or []}
        if word in replacements():
            stems = {stem(e) for e in replacements()[word]}
        terms.append(QueryTerm(word=word, stems=frozenset(stems)))
    return terms


def _lookup(word: str) -> list[str] | None:
    table = lexicon()
    if _LATIN.search(word) or word.isdigit():
        return table.get(word)
    found = [table[v] for v in arabic_variants(word) if v in table]
    return found[0] if found else None
