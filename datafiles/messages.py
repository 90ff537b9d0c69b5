"""Translated interface texts as gettext catalogues, one domain per package.

The texts live in `<package>/locale/<language>/LC_MESSAGES/<domain>.po`, the format
translators' tools read; `scripts/messages.sh` runs Babel's `pybabel extract`, `update`
and `compile`, and the compiled `.mo` files are what the program loads. Message ids are
short symbolic names (`welcome`, `count_files`): the French text is a translation like
the others, so rewording it does not orphan the Arabic and English ones.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import read_mo

from datafiles.language import Language


def N_(message_id: str) -> str:  # gettext tools know this name
    """Mark a message id chosen at run time, so `pybabel extract` finds it."""
    return message_id


class MissingMessage(KeyError):
    """A message id with no text in a catalogue (the completeness test prevents it)."""


class MessageCatalogue:
    """One domain's compiled catalogues, one per language, loaded once."""

    def __init__(self, locale_dir: Path, domain: str) -> None:
        self.domain = domain
        self._texts: dict[Language, dict[str, str]] = {}
        for language in Language:
            with (locale_dir / language.value / "LC_MESSAGES" / f"{domain}.mo").open("rb") as compiled:
                catalogue = read_mo(compiled)
            self._texts[language] = {str(m.id): str(m.string) for m in catalogue if m.id and m.string}

    def text(self, message_id: str, language: Language | str) -> str:
        """Return a message's template in a language.

        Raises:
            MissingMessage: no catalogue of that language has the id.
        """
        try:
            return self._texts[Language(language)][message_id]
        except KeyError:
            raise MissingMessage(f"{self.domain}: no {language} text for {message_id!r}") from None

    def ids(self, language: Language) -> set[str]:
        """Return the message ids a language's catalogue translates."""
        return set(self._texts[language])
