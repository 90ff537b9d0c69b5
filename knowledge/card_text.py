"""Fill a card's placeholders from the edition data and the contact settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from babel.dates import format_date

from knowledge.answer_types import Language
from knowledge.cards import PLACEHOLDER, Card

_LOCALES: dict[str, str] = {"fr": "fr_FR", "ar": "ar_MA", "en": "en_GB"}
_AT_HOUR: dict[str, str] = {"fr": "{day} à {hour}", "ar": "{day} على الساعة {hour}", "en": "{day} at {hour}"}
_UNKNOWN: dict[str, str] = {"fr": "(date non publiée)", "ar": "(تاريخ غير منشور)", "en": "(date not published)"}


@dataclass(frozen=True)
class EditionDeadline:
    """When one edition closes, from the edition data (the one source of truth for dates)."""

    year: str
    closes_at: datetime | None
    confirmed: bool
    source: str


@dataclass(frozen=True)
class Facts:
    """What placeholders are filled with: each edition's deadline and the Division's contact."""

    deadlines: dict[str, EditionDeadline]
    phone: str
    email: str

    @property
    def latest(self) -> EditionDeadline | None:
        """Return the latest edition's deadline."""
        return self.deadlines[max(self.deadlines)] if self.deadlines else None

    def deadline(self, year: str) -> EditionDeadline | None:
        """Return an edition's deadline; `latest` names the latest edition."""
        return self.latest if year == "latest" else self.deadlines.get(year)


def long_date(day: date, language: Language) -> str:
    """Return a date written out in the language (24 novembre 2026)."""
    return format_date(day, format="long", locale=_LOCALES[language])


def closing_time(deadline: EditionDeadline | None, language: Language) -> str:
    """Return "25 octobre 2024 à 15:00" in the language, or that the date is not published."""
    if deadline is None or deadline.closes_at is None:
        return _UNKNOWN[language]
    day = long_date(deadline.closes_at.date(), language)
    moment = deadline.closes_at
    if moment.hour == 0 and moment.minute == 0:
        return day
    return _AT_HOUR[language].format(day=day, hour=f"{moment:%H:%M}")


def card_text(card: Card, language: Language, facts: Facts) -> str:
    """Return a card's answer in `language` with its placeholders filled."""
    def fill(match: object) -> str:
        name, value = match.groups()  # type: ignore[attr-defined]
        if name == "deadline":
            return closing_time(facts.deadline(value), language)
        if name == "latest_edition":
            return facts.latest.year if facts.latest else "?"
        return facts.phone if name == "phone" else facts.email
    return PLACEHOLDER.sub(fill, card.answer.get(language))
