"""The Division's messages on the real bot: queued in the database, sent by the bot, answered by the user."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.telegram.context import BotApplication
from bot.telegram.sending import SEND_EVERY
from botapi.runner import RunningEmulator
from intake.models import AnswerOutcome, Applicant, IntakeSession
from intake.review_models import MessageDirection, MessageStatus, StaffMessage
from intake.services.staff_messages import message_thread, queue_message

from .conftest import NOW, WAIT, User, count, read, text_of, until_held

STAFF = "reviewer@mcinet.gov.ma"


async def _user_with_a_check(emulator: RunningEmulator, user_id: int, language_code: str = "fr") -> User:
    """Return a user who consented and started the check, so the Division has an intake to write about."""
    user = User(emulator.client, user_id, language_code)
    await user.consent()
    await user.say("/eligibilite")
    return user


def _queue(bot: BotApplication, user_id: int, text: str) -> int:
    """Queue a message to the user's intake as the workspace does; return its id."""
    def work(session: Session) -> int:
        intake = session.scalars(select(IntakeSession).join(Applicant).where(
            Applicant.external_id == str(user_id))).one()
        return queue_message(session, intake.id, STAFF, text, NOW)

    return int(read(bot, work))


def _message(bot: BotApplication, message_id: int) -> StaffMessage:
    return read(bot, lambda s: s.get_one(StaffMessage, message_id))  # type: ignore[no-any-return]


async def _until(condition: Callable[[], Any], what: str) -> None:
    """Wait until the bot's job has done what `condition` checks (it runs every few seconds)."""
    deadline = asyncio.get_running_loop().time() + WAIT
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"{what} did not happen within {WAIT} s")
        await asyncio.sleep(0.05)


async def test_a_queued_message_reaches_each_user_in_their_language_with_a_reply_field(
        bot: BotApplication, emulator: RunningEmulator) -> None:
    french, arabic = await _user_with_a_check(emulator, 1101), await _user_with_a_check(emulator, 1102, "ar")
    to_french = _queue(bot, 1101, "Merci d'envoyer vos <statuts> signés.")
    to_arabic = _queue(bot, 1102, "يرجى إرسال النظام الأساسي.")

    [received] = await french.expect(1)
    [received_ar] = await arabic.expect(1)

    assert "Message de la Division" in text_of(received)
    assert "Merci d'envoyer vos <statuts> signés." in text_of(received)
    assert received["keyboard"]["force_reply"] is True
    assert "رسالة من قسم" in text_of(received_ar) and "يرجى إرسال النظام الأساسي." in text_of(received_ar)
    await _until(lambda: _message(bot, to_french).status == MessageStatus.SENT == _message(bot, to_arabic).status,
                 "both messages marked sent")
    assert _message(bot, to_french).telegram_message_id == received["message_id"]


async def test_the_users_reply_joins_the_thread_and_is_not_answered_as_a_question(
        bot: BotApplication, emulator: RunningEmulator) -> None:
    user = await _user_with_a_check(emulator, 1103)
    message_id = _queue(bot, 1103, "Votre cluster a-t-il déjà été labellisé ?")
    [received] = await user.expect(1)
    await _until(lambda: _message(bot, message_id).status == MessageStatus.SENT, "the message marked sent")
    outcomes = count(bot, AnswerOutcome)

    sent = await emulator.client.send_text(1103, "Non, jamais. Quelle est la date limite ?",
                                           reply_to=received["message_id"])
    user.last = sent["message"]["message_id"]
    [acknowledged] = await user.expect(1)
    [after] = await user.say("/aide")  # had the reply also been answered, that answer would come first

    assert "Votre réponse a été transmise à la Division." in text_of(acknowledged)
    assert "Commandes" in text_of(after)
    assert count(bot, AnswerOutcome) == outcomes
    thread = read(bot, lambda s: message_thread(s, _message(bot, message_id).session_id))
    assert [(e.direction, e.text) for e in thread] == [
        (MessageDirection.TO_APPLICANT, "Votre cluster a-t-il déjà été labellisé ?"),
        (MessageDirection.FROM_APPLICANT, "Non, jamais. Quelle est la date limite ?")]


async def test_a_reply_to_another_bot_message_is_still_a_question(
        bot: BotApplication, emulator: RunningEmulator) -> None:
    user = User(emulator.client, 1104)
    await user.consent()
    [help_text] = await user.say("/aide")

    sent = await emulator.client.send_text(1104, "Quelle est la date limite de dépôt ?",
                                           reply_to=help_text["message_id"])
    user.last = sent["message"]["message_id"]
    [answer] = await user.expect(1)

    assert "24 juillet 2025" in text_of(answer)
    assert count(bot, StaffMessage) == 0


async def test_a_user_who_blocked_the_bot_gets_nothing_and_the_message_is_marked_blocked(
        bot: BotApplication, emulator: RunningEmulator) -> None:
    await _user_with_a_check(emulator, 1105)
    await emulator.client.block_bot(1105)
    message_id = _queue(bot, 1105, "Il manque l'attestation fiscale.")

    await _until(lambda: _message(bot, message_id).status != MessageStatus.PENDING, "the send attempt")

    assert _message(bot, message_id).status == MessageStatus.BLOCKED
    entries = (await emulator.client.transcript(1105))["entries"]
    assert not any("attestation fiscale" in text_of(entry) for entry in entries)


async def test_a_queued_message_waits_until_the_answer_the_user_is_getting_has_gone_out(
        bot: BotApplication, emulator: RunningEmulator) -> None:
    user = await _user_with_a_check(emulator, 1120)
    await emulator.client.hold("sendMessage", count=1)  # the reply to what the user says next is slow to go out
    await emulator.client.send_text(1120, "/aide")
    await until_held(emulator)
    message_id = _queue(bot, 1120, "Merci d'envoyer vos statuts.")

    await asyncio.sleep(2 * SEND_EVERY.total_seconds() + 0.5)  # two sending rounds go by
    waiting = _message(bot, message_id)
    await emulator.client.clear_faults()
    [reply, division] = await user.expect(2)

    assert waiting.status == MessageStatus.PENDING and waiting.attempts == 0
    assert "Commandes" in text_of(reply) and "Message de la Division" in text_of(division)
