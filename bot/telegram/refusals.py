"""Domain refusals turned into polite words: a press that cannot apply changes nothing and says why."""

from __future__ import annotations

from bot.telegram.texts import say
from intake.errors import (
    InvalidAnswer,
    NotOwner,
    SessionFinished,
    StaleSession,
    UnfitMove,
)
from intake.schema import Language

_KEYS: tuple[tuple[type[Exception], str], ...] = (
    (NotOwner, "not_yours"),
    (StaleSession, "stale_button"),
    (SessionFinished, "check_finished"),
    (UnfitMove, "forged_button"),
)


def polite(error: Exception, language: Language) -> str:
    """Return what to tell the applicant about a refusal (HTML)."""
    if isinstance(error, InvalidAnswer):
        return error.in_language(language)
    for kind, key in _KEYS:
        if isinstance(error, kind):
            return say(key, language)
    return say("forged_button", language)

