"""The one `Language` type: the languages every applicant-facing text exists in.

Editions, answer cards, the answering engine, the adapters and the database all use it.
It is a `StrEnum`, so a member is its code ("fr", "ar", "en") wherever a string is expected.
"""

from __future__ import annotations

from enum import StrEnum


class Language(StrEnum):
    """The languages every applicant-facing text exists in."""

    FR = "fr"
    AR = "ar"
    EN = "en"
