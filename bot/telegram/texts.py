"""The bot's own words in French, Arabic and English; the answers and the check come from the domain.

The texts are gettext catalogues (`bot/locale/<language>/LC_MESSAGES/bot.po`, kept in step
with the code by `scripts/messages.sh`). They are Telegram HTML; `say` escapes every
value put into them.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from datafiles.messages import MessageCatalogue
from intake.schema import Language

CATALOGUE = MessageCatalogue(Path(__file__).parent.parent / "locale", "bot")

LANGUAGE_NAMES = {Language.FR: "Français", Language.AR: "العربية", Language.EN: "English"}


def say(key: str, language: Language | str, **values: Any) -> str:
    """Return the text `key` in the language, as HTML, with `values` escaped into it."""
    template = CATALOGUE.text(key, language)
    return template.format(**{name: html.escape(str(value), quote=False) for name, value in values.items()})


def keys() -> list[str]:
    """Return every text key (for tests)."""
    return sorted(CATALOGUE.ids(Language.FR))
