"""Delivery on the real bot: duplicates, concurrent users, flood limits, the token in logs, reminders."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from pathlib import Path

import pytest
from telegram.error import InvalidToken

from bot.telegram.context import BotApplication, BotContext
from bot.telegram.reminders import plan, remind
from botapi.runner import RunningEmulator
from core.runtime import Runtime
from intake.catalog import EditionCatalog
from intake.delivery_models import InboundUpdate
from intake.models import IntakeSession, ReminderSent

from .conftest import User, buttons, count, read, running_bot, runtime_of, text_of, until_held


async def test_the_same_update_delivered_twice_is_handled_once(
    bot: BotApplication, emulator: RunningEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.telegram.inbox")
    user = User(emulator.client, 901)
    await user.consent()
    [question] = await user.say("/eligibilite")
    pressed = await emulator.client.press_button(901, data=buttons(question)["Nouveau cluster"])
    await user.expect(1)
    version = read(bot, lambda s: s.query(IntakeSession).one().version)
    sent = await emulator.client.send_text(901, "Quelle est la date limite de dépôt ?")
    user.last = sent["message"]["message_id"]
    await user.expect(2)

    await emulator.client.redeliver(pressed["update_id"])
    await emulator.client.redeliver(sent["update_id"])
    [after] = await user.say("/aide")

    assert "Commandes" in text_of(after)
    assert read(bot, lambda s: s.query(IntakeSession).one().version) == version
    assert count(bot, InboundUpdate) == 6
    ignored = {f"update {pressed['update_id']} delivered again", f"update {sent['update_id']} delivered again"}
    assert {message.split(":")[0] for message in caplog.messages if "delivered again" in message} == ignored


async def test_several_users_at_once_each_get_their_own_check(
    bot: BotApplication, emulator: RunningEmulator
) -> None:
    async def journey(n: int) -> str:
        user = User(emulator.client, 910 + n, language_code=("fr", "ar", "en")[n % 3])
        await user.consent()
        [first] = await user.say("/eligibilite")
        [second] = await user.press(data=list(buttons(first).values())[n % 2])
        await user.press(data=next(iter(buttons(second).values())))
        answer, _ = await user.say("What is the deadline?", replies=2)
        return text_of(answer)

    answers = await asyncio.gather(*(journey(n) for n in range(5)))

    assert all("2025" in answer for answer in answers)
    rows = read(bot, lambda s: {r.applicant_id: dict(r.answers) for r in s.query(IntakeSession)})
    assert len(rows) == 5
    assert sorted(a["cluster_status"] for a in rows.values()) == ["existing", "existing", "new", "new", "new"]


async def test_a_slow_answer_does_not_hold_up_another_user(bot: BotApplication, emulator: RunningEmulator) -> None:
    slow, quick = User(emulator.client, 915), User(emulator.client, 916)
    await emulator.client.hold("sendChatAction")  # the first user's answer waits until released
    await emulator.client.send_text(915, "Quelle est la date limite de dépôt ?")
    await until_held(emulator)

    [help_text] = await quick.say("/aide")
    slow_replies_meanwhile = (await emulator.client.transcript(915))["entries"][1:]
    await emulator.client.clear_faults()
    [answer] = await slow.expect(1)

    assert "Commandes" in text_of(help_text) and slow_replies_meanwhile == []
    assert "24 juillet 2025" in text_of(answer)


async def test_an_edited_message_is_not_answered_again(bot: BotApplication, emulator: RunningEmulator) -> None:
    user = User(emulator.client, 917)
    [original] = await user.say("/aide")
    edited = {"message_id": 1, "date": 0, "edit_date": 1, "text": "/contact", "from": original["message"]["chat"] | {
        "is_bot": False, "first_name": "User"}, "chat": original["message"]["chat"],
        "entities": [{"type": "bot_command", "offset": 0, "length": 8}]}

    await emulator.client.inject_update({"edited_message": edited})
    [after] = await user.say("/start")

    assert "Bonjour" in text_of(after)
    texts = [entry["message"].get("text", "") for entry in (await emulator.client.transcript(917))["entries"]]
    assert not any("fzaitelhabti" in text for text in texts)


@pytest.mark.filterwarnings("ignore:.*retry_after.*:telegram.warnings.PTBDeprecationWarning")
async def test_flood_limit_retry_after_is_waited_out(bot: BotApplication, emulator: RunningEmulator) -> None:
    await emulator.client.fail_with_retry_after("sendMessage", retry_after=1, count=1)

    [reply] = await User(emulator.client, 920).say("/aide")

    assert "Commandes" in text_of(reply)
    assert [call["status"] for call in await emulator.client.calls("sendMessage")] == [429, 200]


async def test_the_token_never_reaches_the_logs(
    emulator: RunningEmulator, data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with running_bot(emulator, data_dir) as application:
        caplog.set_level(logging.DEBUG, logger="httpx")
        user = User(emulator.client, 930)
        await user.say("/start")
        await user.say("Quelle est la date limite de dépôt ?")
        error = InvalidToken(f"The token `{emulator.token}` was rejected by the server.")
        logging.getLogger("telegram.ext.Application").error("start-up failed", exc_info=error)
        logging.getLogger("bot.telegram").info("bot %s", application.bot)

    assert emulator.token not in caplog.text
    assert "getUpdates" in caplog.text and "bot[token]/" in caplog.text


def closing_tomorrow(runtime: Runtime) -> None:
    """Move the latest edition's closing date to just under a day from now."""
    edition = runtime.catalog.latest()
    closes = runtime.now() + timedelta(days=1) - timedelta(minutes=1)
    deadline = edition.deadline.model_copy(update={"closes_at": closes})
    runtime.catalog = EditionCatalog([edition.model_copy(update={"deadline": deadline})])


async def test_reminders_are_sent_once_across_restarts(emulator: RunningEmulator, data_dir: Path) -> None:
    user = User(emulator.client, 940)
    async with running_bot(emulator, data_dir):
        await user.consent()
        [status] = await user.say("/rappels")
        turned_on = await user.tap_edit(status["message_id"], text="🔔 Activer")

    async with running_bot(emulator, data_dir, adjust=closing_tomorrow) as second:
        [reminder] = await user.expect(1)
        runtime = runtime_of(second)
        assert plan(runtime.catalog.latest(), runtime.now())[0] == (1, None)

    async with running_bot(emulator, data_dir, adjust=closing_tomorrow) as third:
        sent_again = await remind(BotContext(third), 2025, 1)  # type: ignore[arg-type]
        reminded = count(third, ReminderSent)

    assert "Rappels activés" in turned_on["text"] and "close depuis" in turned_on["text"]
    assert "⏰ Rappel : l'appel à projets 2025 se clôture le" in text_of(reminder)
    assert sent_again == 0 and reminded == 1
    transcript = await emulator.client.transcript(940)
    assert sum("⏰" in e["message"].get("text", "") for e in transcript["entries"]) == 1


async def test_a_press_too_old_to_answer_is_still_applied_and_the_next_step_shown(
    bot: BotApplication, emulator: RunningEmulator
) -> None:
    user = User(emulator.client, 921)
    await user.consent()
    [question] = await user.say("/eligibilite")
    await emulator.client.add_fault("error", method="answerCallbackQuery", error_code=400,
                                    description="Bad Request: query is too old and response timeout expired or "
                                                "query id is invalid")

    [next_step] = await user.press(data=next(iter(buttons(question).values())))

    assert "Désolé" not in text_of(next_step)
    assert buttons(next_step), "the next question with its buttons"


async def test_a_reply_refused_twice_with_a_5xx_is_sent_once_when_the_api_recovers(
    bot: BotApplication, emulator: RunningEmulator
) -> None:
    await emulator.client.add_fault("server_error", method="sendMessage", count=2, status=502)

    [reply] = await User(emulator.client, 922).say("/aide")

    assert "Commandes" in text_of(reply)
    assert [call["status"] for call in await emulator.client.calls("sendMessage")] == [502, 502, 200]
    texts = [entry["message"].get("text", "") for entry in (await emulator.client.transcript(922))["entries"]]
    assert not any(text.startswith("Désolé") for text in texts)


async def test_a_slow_api_gets_the_reply_once_and_no_apology(bot: BotApplication, emulator: RunningEmulator) -> None:
    await emulator.client.add_fault("delay", method="sendMessage", count=1, delay=6.0)

    [reply] = await User(emulator.client, 923).say("/aide")
    await asyncio.sleep(1.0)  # room for an apology or a second copy to arrive, if one were sent

    assert "Commandes" in text_of(reply)
    bot_texts = [entry["message"].get("text", "") for entry in (await emulator.client.transcript(923))["entries"]
                 if entry["sender"] == "bot"]
    assert bot_texts == [reply["message"]["text"]]


async def test_a_reply_whose_call_hangs_is_sent_again_later_and_no_apology(
    emulator: RunningEmulator, data_dir: Path
) -> None:
    # The API holds the first sendMessage past the bot's read timeout: the call may or may not
    # have gone through, so the update is applied again once its lease runs out.
    await emulator.client.hold("sendMessage", count=1)
    async with running_bot(emulator, data_dir, telegram_read_timeout=1.0, update_lease_seconds=2.0):
        [reply] = await User(emulator.client, 924).say("/aide")
        await emulator.client.clear_faults()  # the held call goes on too: a second copy, never an apology
        await asyncio.sleep(1.0)

    texts = [entry["message"].get("text", "") for entry in (await emulator.client.transcript(924))["entries"]
             if entry["sender"] == "bot"]
    assert "Commandes" in text_of(reply)
    assert texts and all("Commandes" in text for text in texts)
