"""Fold text for matching: case, accents, apostrophes, informal French spellings."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "«": '"', "»": '"', "“": '"', "”": '"'})
_WORD = re.compile(r"[0-9a-z\u0621-\u063a\u0641-\u064a\u0671-\u06d3]+")
_ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
# Both at once: neither replaces a character by one the other replaces.
_REPLACEMENTS = {**_ARABIC_LETTERS, **_APOSTROPHES}
_REPLACED = re.compile("[" + re.escape("".join(map(chr, _REPLACEMENTS))) + "]")
_ARABIC_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال", "و", "ف", "ب", "ل", "ك")

# Informal spellings seen in chat ("c koi la date limite pr deposer ?"); expanded
# before stemming so that they meet the formal words of the call texts.
_INFORMAL = {
    "koi": "quoi", "kwa": "quoi", "pr": "pour", "pk": "pourquoi", "pq": "pourquoi",
    "qd": "quand", "kan": "quand", "ds": "dans", "cb": "combien", "cmb": "combien",
    "tel": "telephone", "tél": "telephone", "num": "numero", "dossie": "dossier",
    "svp": "", "stp": "", "bcp": "beaucoup", "jsp": "", "c": "c'est", "ki": "qui",
    "mail": "email", "mel": "email", "deadline": "date limite",
    "inscri": "inscription", "inscrire": "candidater", "postuler": "candidater",
    "dat": "date", "lim": "limite", "lmt": "limite",
}


def strip_accents(text: str) -> str:
    """Return `text` without Latin diacritics; Arabic letters are kept as they are."""
    decomposed = unicodedata.normalize("NFKD", text)
    # The marks are looked up once per distinct character, then removed by one regular
    # expression: a test per character took most of folding the cards at start-up.
    marks = "".join(sorted(ch for ch in set(decomposed)
                           if unicodedata.combining(ch) and not "\u0600" <= ch <= "\u06ff"))
    return re.sub(f"[{re.escape(marks)}]", "", decomposed) if marks else decomposed


def _replace(match: re.Match[str]) -> str:
    return _REPLACEMENTS[ord(match.group())]


@lru_cache(maxsize=8192)  # every question folds the same card and passage texts again
def fold(text: str) -> str:
    """Lower-case, strip accents, unify apostrophes and collapse white space."""
    # Arabic alef forms are unified before decomposition, which would split them in two. One
    # regular expression finds the few characters to replace (`str.translate` tests every one).
    text = _REPLACED.sub(_replace, unicodedata.normalize("NFC", text))
    text = strip_accents(text.lower())
    text = re.sub(r"[\u064b-\u065f\u0640]", "", text)  # Arabic short vowels, marks and tatweel
    return re.sub(r"\s+", " ", text).strip()


def words(text: str) -> list[str]:
    """Return the folded words of `text`, with informal spellings expanded."""
    out: list[str] = []
    for word in _WORD.findall(fold(text).replace("'", " ")):
        expansion = _INFORMAL.get(word, word)
        out.extend(expansion.replace("'", " ").split())
    return out


def arabic_variants(word: str) -> list[str]:
    """Return an Arabic word and its forms without a clitic prefix (wa-, bi-, li-, al-, ...)."""
    variants = [word]
    for prefix in _ARABIC_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            variants.append(word[len(prefix):])
    return variants
