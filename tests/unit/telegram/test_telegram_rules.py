"""Pure rules of the bot: reminder rounds, token redaction, UI texts."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from bot.telegram.redaction import TokenRedactor, is_well_formed
from bot.telegram.reminders import plan
from bot.telegram.texts import say
from intake.catalog import packaged_catalog
from intake.schema import Edition

EDITION = packaged_catalog().get(2025)
TOKEN = "123456789:emulator-test-token-not-a-secret"


def closing(at: datetime) -> Edition:
    deadline = EDITION.deadline.model_copy(update={"closes_at": at})
    return EDITION.model_copy(update={"deadline": deadline})


NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("closes_in", "expected"), [
    (timedelta(days=30), [(14, 16), (7, 23), (1, 29)]),
    (timedelta(days=10), [(14, None), (7, 3), (1, 9)]),
    (timedelta(days=5), [(7, None), (1, 4)]),
    (timedelta(hours=3), [(1, None)]),
    (timedelta(hours=-1), []),
])
def test_reminder_rounds_ahead_and_the_latest_one_due(
    closes_in: timedelta, expected: list[tuple[int, int | None]]
) -> None:
    rounds = plan(closing(NOW + closes_in), NOW)

    assert [(days, None if at is None else (at - NOW).days) for days, at in rounds] == expected


def test_no_reminder_without_a_closing_date() -> None:
    assert plan(closing(None), NOW) == []  # type: ignore[arg-type]


def test_the_redactor_rewrites_messages_arguments_and_tracebacks() -> None:
    redactor = TokenRedactor(TOKEN)
    try:
        raise RuntimeError(f"The token `{TOKEN}` was rejected")
    except RuntimeError as error:
        record = logging.LogRecord("telegram", logging.ERROR, __file__, 1, "url %s", (f"/bot{TOKEN}/getMe",),
                                   (type(error), error, error.__traceback__))

    assert redactor.filter(record)
    assert TOKEN not in record.getMessage() and "/bot[token]/getMe" in record.getMessage()
    assert record.exc_text is not None and TOKEN not in record.exc_text and "[token]" in record.exc_text


@pytest.mark.parametrize(("token", "good"), [
    (TOKEN, True), ("1:" + "a" * 30, True), ("1:" + "a" * 29, False), ("abc:" + "a" * 35, False),
    ("1:" + "a" * 30 + " ", False), ("", False),
])
def test_token_shape(token: str, good: bool) -> None:
    assert is_well_formed(token) is good


def test_values_are_escaped_into_templates() -> None:
    assert say("refused_type", "fr", name="<b>x</b>.exe") .count("&lt;b&gt;") == 1
