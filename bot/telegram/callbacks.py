"""Inline button data: every button carries what its press needs, so no state lives in memory.

Telegram gives a button at most 64 bytes of callback data and sends it back as the user's
press; anyone can send any string instead, so `decode` accepts only the exact shapes below
and answers None for everything else.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from intake.checklist import ItemStatus
from intake.schema import Language
from intake.services.check_flow import CheckMove, CheckStep

MAX_BYTES = 64
_ID = r"[1-9]\d{0,11}"
_NUMBER = r"0|[1-9]\d{0,8}"


class DossierStep(StrEnum):
    """What a button of the dossier does."""

    LIST = "l"
    VIEW = "v"
    STATUS = "s"


class Shortcut(StrEnum):
    """Buttons that open a conversation, like its command would."""

    CHECK = "chk"
    DOSSIER = "dos"


STATUS_CODES: tuple[ItemStatus, ...] = tuple(ItemStatus)

@dataclass(frozen=True)
class LanguagePress:
    """A choice of language."""

    language: Language


@dataclass(frozen=True)
class ConsentPress:
    """An answer to the consent question, with the language the applicant was shown."""

    given: bool
    language: Language


@dataclass(frozen=True)
class DossierPress:
    """A press in the dossier: list, view an item, or set an item's status."""

    edition: int
    step: DossierStep
    item: int = 0
    status: int = 0


@dataclass(frozen=True)
class AttachPress:
    """The item chosen for the document the pressed message replies to."""

    edition: int
    item: int


@dataclass(frozen=True)
class DeletePress:
    """The answer to "delete all my data?"."""

    confirmed: bool


@dataclass(frozen=True)
class ReminderPress:
    """Reminders on or off."""

    opt_in: bool


@dataclass(frozen=True)
class ShortcutPress:
    """A button that opens a conversation."""

    target: Shortcut


@dataclass(frozen=True)
class FeedbackPress:
    """"Did this help?" under an answer: the answer's outcome and yes or no."""

    outcome_id: int
    helpful: bool


@dataclass(frozen=True)
class TopicPress:
    """A nearby topic offered after a refusal: the answer card to show."""

    card_id: str


Press = (
    CheckMove | LanguagePress | ConsentPress | DossierPress | AttachPress | DeletePress | ReminderPress
    | ShortcutPress | FeedbackPress | TopicPress
)

_LANG = "|".join(language.value for language in Language)
_PATTERNS: dict[str, re.Pattern[str]] = {
    "chk": re.compile(rf"chk:({_ID}):({_NUMBER}):({_NUMBER}):([{''.join(CheckStep)}]):({_NUMBER})"),
    "lng": re.compile(rf"lng:({_LANG})"),
    "cns": re.compile(rf"cns:([01]):({_LANG})"),
    "dos": re.compile(rf"dos:(\d{{4}}):([{''.join(DossierStep)}]):({_NUMBER}):([0-{len(STATUS_CODES) - 1}])"),
    "att": re.compile(rf"att:(\d{{4}}):({_NUMBER})"),
    "del": re.compile(r"del:([01])"),
    "rem": re.compile(r"rem:([01])"),
    "go": re.compile(rf"go:({'|'.join(Shortcut)})"),
    "fb": re.compile(rf"fb:({_ID}):([01])"),
    "top": re.compile(r"top:([a-z0-9]+(?:-[a-z0-9]+){0,12})"),
}


def encode(press: Press) -> str:
    """Return the callback data of a button; refuse anything over Telegram's 64 bytes."""
    data = _fields(press)
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
    return data


def _fields(press: Press) -> str:
    match press:
        case CheckMove(session_id, version, screen, step, arg):
            return f"chk:{session_id}:{version}:{screen}:{step.value}:{arg}"
        case LanguagePress(language):
            return f"lng:{language.value}"
        case ConsentPress(given, language):
            return f"cns:{int(given)}:{language.value}"
        case DossierPress(edition, step, item, status):
            return f"dos:{edition}:{step.value}:{item}:{status}"
        case AttachPress(edition, item):
            return f"att:{edition}:{item}"
        case DeletePress(confirmed):
            return f"del:{int(confirmed)}"
        case ReminderPress(opt_in):
            return f"rem:{int(opt_in)}"
        case ShortcutPress(target):
            return f"go:{target.value}"
        case FeedbackPress(outcome_id, helpful):
            return f"fb:{outcome_id}:{int(helpful)}"
        case TopicPress(card_id):
            return f"top:{card_id}"
    raise TypeError(f"not a button press: {press!r}")


def decode(data: object) -> Press | None:
    """Return the press a callback data stands for, or None for anything malformed or forged."""
    if not isinstance(data, str) or len(data.encode("utf-8", "replace")) > MAX_BYTES:
        return None
    pattern = _PATTERNS.get(data.split(":", 1)[0])
    match = pattern.fullmatch(data) if pattern else None
    if match is None:
        return None
    return _build(data.split(":", 1)[0], match.groups())


def _build(kind: str, parts: tuple[str, ...]) -> Press:
    if kind == "chk":
        return CheckMove(int(parts[0]), int(parts[1]), int(parts[2]), CheckStep(parts[3]), int(parts[4]))
    if kind == "lng":
        return LanguagePress(Language(parts[0]))
    if kind == "cns":
        return ConsentPress(parts[0] == "1", Language(parts[1]))
    if kind == "dos":
        return DossierPress(int(parts[0]), DossierStep(parts[1]), int(parts[2]), int(parts[3]))
    if kind == "att":
        return AttachPress(int(parts[0]), int(parts[1]))
    if kind in ("del", "rem"):
        return DeletePress(parts[0] == "1") if kind == "del" else ReminderPress(parts[0] == "1")
    if kind == "fb":
        return FeedbackPress(int(parts[0]), parts[1] == "1")
    if kind == "top":
        return TopicPress(parts[0])
    return ShortcutPress(Shortcut(parts[0]))


def is_press(kind: type[Any]) -> Callable[[object], bool]:
    """Return a CallbackQueryHandler pattern that accepts well-formed presses of one kind."""

    def accepts(data: object) -> bool:
        return isinstance(decode(data), kind)

    return accepts
