"""Domain refusals turned into polite words: a press that cannot apply changes nothing and says why."""

from __future__ import annotations

from bot.telegram.texts import say
from datafiles.messages import N_
from intake.errors import (
    InvalidAnswer,
    NotOwner,
    SessionFinished,
    StaleSession,
    UnfitMove,
)
from intake.schema import Language

_KEYS: tuple[tuple[type[Exception], str], ...] = (
    (NotOwner, N_("not_yours")),
    (StaleSession, N_("stale_button")),
    (SessionFinished, N_("check_finished")),
    (UnfitMove, N_("forged_button")),
)


def polite(error: Exception, language: Language) -> str:
    """Return what to tell the applicant about a refusal (HTML)."""
    if isinstance(error, InvalidAnswer):
        return error.in_language(language)
    for kind, key in _KEYS:
        if isinstance(error, kind):
            return say(key, language)
    return say("forged_button", language)

