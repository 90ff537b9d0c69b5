"""What the bot cannot use as it is: messages without text (stickers, voice, locations and the like)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.telegram.context import BotApplication
from botapi.runner import RunningEmulator

from .conftest import User, text_of

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
READS_TEXT = {"fr": "Je lis les messages écrits", "ar": "أقرأ الرسائل المكتوبة", "en": "I read written messages"}


def message_update(user: User, **content: Any) -> dict[str, Any]:
    """Return a private message update from `user` carrying `content` instead of text."""
    sender = {"id": user.user_id, "is_bot": False, "first_name": "Salma", "language_code": user.language_code}
    chat = {"id": user.user_id, "type": "private", "first_name": "Salma"}
    return {"message": {"message_id": 90_000, "date": 1_780_000_000, "chat": chat, "from": sender, **content}}


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
