"""What the bot cannot use as it is: an update python-telegram-bot cannot parse, messages without
text (stickers, voice, locations and the like), and a press on a message it can no longer reach."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from bot.telegram.context import BotApplication
from botapi.runner import RunningEmulator
from intake.delivery_models import InboundUpdate
from intake.models import Applicant, IntakeSession

from .conftest import User, buttons, count, read, text_of

FILE = {"file_id": "AgADBAADbXkxG", "file_unique_id": "AQADbXkx"}
MEDIA: dict[str, dict[str, Any]] = {
    "sticker": {**FILE, "type": "regular", "width": 512, "height": 512, "is_animated": False, "is_video": False},
    "voice": {**FILE, "duration": 4, "mime_type": "audio/ogg"},
    "audio": {**FILE, "duration": 180, "title": "Hymne"},
    "video": {**FILE, "width": 640, "height": 360, "duration": 12},
    "video_note": {**FILE, "length": 240, "duration": 5},
    "location": {"latitude": 34.0209, "longitude": -6.8416},
    "contact": {"phone_number": "+212600000000", "first_name": "Salma"},
}
# Telegram sends a business message with its date; without it python-telegram-bot cannot build the Message.
UNPARSABLE = {"business_message": {
    "business_connection_id": "bc-1", "message_id": 3, "text": "Mon code secret 4471",
    "chat": {"id": 1210, "type": "private", "first_name": "Karima"},
    "from": {"id": 1210, "is_bot": False, "first_name": "Karima"},
}}
READS_TEXT = {"fr": "Je lis les messages écrits", "ar": "أقرأ الرسائل المكتوبة", "en": "I read written messages"}


def message_update(user: User, **content: Any) -> dict[str, Any]:
    """Return a private message update from `user` carrying `content` instead of text."""
    sender = {"id": user.user_id, "is_bot": False, "first_name": "Salma", "language_code": user.language_code}
    chat = {"id": user.user_id, "type": "private", "first_name": "Salma"}
    return {"message": {"message_id": 90_000, "date": 1_780_000_000, "chat": chat, "from": sender, **content}}


async def test_an_update_the_library_cannot_parse_is_logged_once_without_its_text_and_skipped(
    bot: BotApplication, emulator: RunningEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    bad = await emulator.client.inject_update(UNPARSABLE)
    [first] = await User(emulator.client, 1211).say("/start")
    [second] = await User(emulator.client, 1212).say("/aide")

    assert "Bonjour" in text_of(first) and "/eligibilite" in text_of(second)
    assert read(bot, lambda s: s.query(InboundUpdate.update_id).filter_by(state="unparsable").all()) == [
        (bad["update_id"],)]
    about_it = [record for record in caplog.records if str(bad["update_id"]) in record.getMessage()]
    assert [record.levelname for record in about_it] == ["WARNING"]
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert not [line for line in caplog.text.splitlines() if "Karima" in line or "4471" in line]


@pytest.mark.parametrize(("kind", "language"), [(kind, "fr") for kind in MEDIA] + [("voice", "ar"), ("sticker", "en")])
async def test_a_message_without_text_gets_a_short_reply_in_the_users_language(
    bot: BotApplication, emulator: RunningEmulator, kind: str, language: str
) -> None:
    user = User(emulator.client, 1201, language_code=language)
    await user.say("/start")

    await emulator.client.inject_update(message_update(user, **{kind: MEDIA[kind]}))
    [reply] = await user.expect(1)

    assert READS_TEXT[language] in text_of(reply)
    assert "/aide" in text_of(reply)


def old_press(user: User, data: str, message_id: int) -> dict[str, Any]:
    """Return a press on a message Telegram no longer gives the bot: an inaccessible message, dated 0."""
    sender = {"id": user.user_id, "is_bot": False, "first_name": "Salma", "language_code": user.language_code}
    message = {"message_id": message_id, "date": 0, "chat": {"id": user.user_id, "type": "private"}}
    return {"callback_query": {"id": "4410", "from": sender, "chat_instance": "-77", "data": data, "message": message}}


async def test_a_press_on_a_message_too_old_to_reach_changes_nothing_and_shows_where_the_check_is(
    bot: BotApplication, emulator: RunningEmulator
) -> None:
    user = User(emulator.client, 1202)
    await user.consent()
    [first] = await user.say("/eligibilite")

    await emulator.client.inject_update(old_press(user, buttons(first)["Nouveau cluster"], first["message_id"]))
    [reply] = await user.expect(1)
    answers = read(bot, lambda s: dict(s.query(IntakeSession).one().answers))
    [second] = await user.press(text="Cluster existant")

    assert "trop ancien" in text_of(reply) and "rien n'a été changé" in text_of(reply)
    assert "Question 1 / " in text_of(reply) and "Nouveau cluster" in buttons(reply)
    assert answers == {}
    assert "Question 2 / " in text_of(second)


async def test_a_press_too_old_to_reach_elsewhere_changes_nothing_and_offers_the_menu(
    bot: BotApplication, emulator: RunningEmulator
) -> None:
    user = User(emulator.client, 1203, language_code="en")
    [welcome] = await user.say("/start")

    await emulator.client.inject_update(old_press(user, "cns:1:en", welcome["message_id"]))
    [reply] = await user.expect(1)

    assert "too old" in text_of(reply) and "cns:1:en" in buttons(reply).values()
    assert count(bot, Applicant) == 0
