"""The callback data codec: every press round-trips under 64 bytes; anything else decodes to None."""

from __future__ import annotations

import pytest

from bot.telegram.callbacks import (
    MAX_BYTES,
    AttachPress,
    CheckMove,
    CheckStep,
    ConsentPress,
    DeletePress,
    DossierPress,
    DossierStep,
    FeedbackPress,
    LanguagePress,
    Press,
    ReminderPress,
    Shortcut,
    ShortcutPress,
    TopicPress,
    decode,
    encode,
    is_press,
)
from intake.schema import Language

PRESSES: list[Press] = [
    CheckMove(1, 1, 1, CheckStep.ANSWER, 0),
    CheckMove(999_999_999_999, 999_999_999, 11, CheckStep.TOGGLE, 31),
    CheckMove(42, 7, 0, CheckStep.RESTART),
    *(CheckMove(5, 3, 2, step, 1) for step in CheckStep),
    LanguagePress(Language.AR),
    ConsentPress(True, Language.EN),
    ConsentPress(False, Language.FR),
    DossierPress(2025, DossierStep.STATUS, 9, 3),
    DossierPress(2024, DossierStep.LIST),
    AttachPress(2025, 4),
    DeletePress(True),
    ReminderPress(False),
    ShortcutPress(Shortcut.DOSSIER),
    FeedbackPress(17, True),
    FeedbackPress(999_999_999_999, False),
    TopicPress("existing-cluster-condition"),
]


@pytest.mark.parametrize("press", PRESSES, ids=lambda press: encode(press))
def test_every_press_round_trips_within_64_bytes(press: Press) -> None:
    data = encode(press)
    assert len(data.encode()) <= MAX_BYTES
    assert decode(data) == press


@pytest.mark.parametrize("data", [
    None, 42, b"chk:1:1:1:a:0", "", "chk", "chk:1:1:1:a", "chk:1:1:1:a:0:extra", "chk:0:1:1:a:0",
    "chk:01:1:1:a:0", "chk:1:1:1:x:0", "chk:-1:1:1:a:0", "chk:1:1:1:a:0 ", " chk:1:1:1:a:0",
    "chk:1:1:1:a:٣", "chk:1234567890123:1:1:a:0", "lng:de", "lng:AR", "cns:2:fr", "cns:1:",
    "dos:25:v:0:0", "dos:2025:v:0:4", "dos:2025:q:0:0", "att:2025:", "del:yes", "rem:", "go:nowhere",
    "\x00\xff☃", "x" * 65, "chk:1:1:1:a:0\n", "lng:fr;drop table",
    "fb:0:1", "fb:1:2", "fb:1", "fb:abc:1", "top:", "top:Existing", "top:a--b", "top:-a", "top:a b", "top:../x",
    "top:" + "a" * 61,
])
def test_malformed_or_forged_data_decodes_to_none(data: object) -> None:
    assert decode(data) is None


def test_encode_refuses_data_over_64_bytes() -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        encode(CheckMove(10**60, 1, 1, CheckStep.ANSWER))


def test_patterns_accept_only_their_own_kind() -> None:
    accepts_check = is_press(CheckMove)
    assert accepts_check("chk:1:1:1:a:0") and not accepts_check("lng:fr")  # type: ignore[operator]
    assert not accepts_check("chk:1:1:1:z:0")  # type: ignore[operator]
