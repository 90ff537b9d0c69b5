"""Settings read from the environment: the list of staff Telegram ids in its accepted spellings."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from core.settings import Settings


@pytest.mark.parametrize(("value", "expected"), [
    ("[123,456]", {123, 456}),
    ("[ 123 , 456 ]", {123, 456}),
    ("123,456", {123, 456}),
    ("123 456", {123, 456}),
    ("123", {123}),
    ("[]", set()),
    ("", set()),
])
def test_staff_telegram_ids_from_the_environment(
    value: str, expected: set[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLUSTER_ASSISTANT_STAFF_TELEGRAM_IDS", value)

    assert Settings(_env_file=None).staff_telegram_ids == expected


@pytest.mark.parametrize("value", ["abc", "[123", "0", "[-5]", "12;34"])
def test_a_malformed_staff_id_is_a_validation_error(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLUSTER_ASSISTANT_STAFF_TELEGRAM_IDS", value)

    with pytest.raises(ValidationError):
        Settings(_env_file=None)


def test_nobody_is_staff_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLUSTER_ASSISTANT_STAFF_TELEGRAM_IDS", raising=False)

    assert Settings(_env_file=None).staff_telegram_ids == frozenset()
