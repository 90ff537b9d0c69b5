"""`fold` finds the characters to change with regular expressions: it folds as a per-character walk does."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.text_folding import fold

_ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "«": '"', "»": '"', "“": '"', "”": '"'})


def _walked(text: str) -> str:
    """Fold as the first version did: a table lookup and a combining-mark test per character."""
    text = unicodedata.normalize("NFC", text).translate(_ARABIC_LETTERS).translate(_APOSTROPHES)
    decomposed = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in decomposed if not unicodedata.combining(ch) or "\u0600" <= ch <= "\u06ff")
    text = re.sub(r"[\u064b-\u065f\u0640]", "", text)
    return re.sub(r"\s+", " ", text).strip()


# Latin with its accents, Arabic with its marks, the replaced quotes, combining marks, and anything else.
_ALPHABET = st.one_of(st.sampled_from("aeEéÉèçÇœŒﬁ½Ｆ  \t\n'’‘`«»“”أإآٱىةاَُِّـ\u0301\u0327\u064b\u0670"),
                      st.characters())


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=40))
def test_fold_gives_what_a_per_character_walk_gives(text: str) -> None:
    assert fold(text) == _walked(text)
