"""Which edition of the call a text belongs to."""

from __future__ import annotations

import re
from collections import Counter

from knowledge.text_folding import fold

_YEAR = re.compile(r"\b(20[1-3]\d)\b")
# "pour l'année 2024", "édition 2024", "appel à projets 2025": strong signals of the edition.
_EDITION_PHRASE = re.compile(r"(?:pour l'annee|edition|appel a projets?|au titre de l'annee)\s+(20[1-3]\d)")
# "depuis 2011" and the like name history, not the edition.
_HISTORY = re.compile(r"(?:depuis|since|des)\s+(?:l'annee\s+)?(20[1-3]\d)")
# "emaroc-2011-09.txt": a year standing alone in a file name dates the document (never hex digits).
_NAME_YEAR = re.compile(r"(?:^|[-_ .])((?:19|20)\d\d)(?=$|[-_ .])")


def detect_edition(text: str, name: str = "") -> str | None:
    """Return the edition year a text is about, or None when it does not say.

    A file `name` dated like "emaroc-2011-09" comes first: that article on the 2011
    contracts also says the next call will label clusters "pour l'année 2012" and names
    2013 for their targets. Then an edition phrase in the text ("édition 2024"), then the
    year the text names most.
    """
    dated = set(_NAME_YEAR.findall(name))
    if len(dated) == 1:
        return str(dated.pop())
    folded = fold(text)
    strong = Counter(_EDITION_PHRASE.findall(folded))
    if strong:
        return str(strong.most_common(1)[0][0])
    history = Counter(_HISTORY.findall(folded))
    years = Counter(_YEAR.findall(folded)) - history
    if not years:
        return None
    (year, count), *rest = years.most_common()
    return str(year if not rest or count > rest[0][1] else max(y for y, c in years.items() if c == count))


def years_named(text: str) -> set[str]:
    """Return the years a question or passage names explicitly."""
    return set(_YEAR.findall(text))
