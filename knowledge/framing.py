"""The assistant's own sentences around a quote, in French, Arabic and English.

They are gettext catalogues (`knowledge/locale/<language>/LC_MESSAGES/knowledge.po`,
kept in step with the code by `scripts/messages.sh`).
"""

from __future__ import annotations

from pathlib import Path

from datafiles.messages import MessageCatalogue
from knowledge.answer_types import Language

CATALOGUE = MessageCatalogue(Path(__file__).parent / "locale", "knowledge")


def say(key: str, language: Language, **values: object) -> str:
    """Return one framing sentence in the given language, filled with `values`."""
    return CATALOGUE.text(key, language).format(**values)


def edition_label(edition: str | None, language: Language) -> str:
    """Return " (édition 2024)" or nothing when the edition is unknown."""
    return say("edition", language, year=edition) if edition else ""
