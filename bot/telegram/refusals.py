"""Domain refusals turned into polite words: a press that cannot apply changes nothing and says why."""

from __future__ import annotations

from bot.telegram.texts import say
from intake.errors import (
    InvalidAnswer,
    NotOwner,
    SessionFinished,
    StaleSession,
)
from intake.schema import Language


class ForgedPress(ValueError):
    """Well-formed button data that does not fit what it points at (an option that does not exist...)."""


_KEYS: tuple[tuple[type[Exception], str], ...] = (
    (NotOwner, "not_yours"),
    (StaleSession, "stale_button"),
    (SessionFinished, "check_finished"),
)


def polite(error: Exception, language: Language) -> str:
    """Return what to tell the applicant about a refusal (HTML)."""
    if isinstance(error, InvalidAnswer):
        return error.in_language(language)
    for kind, key in _KEYS:
        if isinstance(error, kind):
            return say(key, language)
    return say("forged_button", language)

