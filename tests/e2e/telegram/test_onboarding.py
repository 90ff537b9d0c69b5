"""/start, consent, languages, the command menu and unknown commands, on the real bot."""

from __future__ import annotations

from pathlib import Path

from bot.telegram.context import BotApplication
from botapi.runner import RunningEmulator
from intake.models import Applicant, AskedQuestion

from .conftest import User, buttons, count, running_bot, text_of


async def test_start_greets_in_french_and_asks_consent(bot: BotApplication, emulator: RunningEmulator) -> None:
    user = User(emulator.client, 501)

    [welcome] = await user.say("/start")

    assert "Bonjour" in text_of(welcome) and "/eligibilite" in text_of(welcome)
    assert set(buttons(welcome).values()) >= {"cns:1:fr", "cns:0:fr", "lng:ar", "lng:en"}
    assert count(bot, Applicant) == 0


async def test_commands_are_published_per_language(bot: BotApplication, emulator: RunningEmulator) -> None:
    commands = (await emulator.client.bot_info())["commands"]

    by_language = {key.rsplit("|", 1)[1]: [c["command"] for c in value] for key, value in commands.items()}
    assert set(by_language) >= {"", "fr", "ar", "en"}
    assert by_language["ar"] == by_language["fr"] and "eligibilite" in by_language["ar"]
    arabic = next(value for key, value in commands.items() if key.endswith("|ar"))
    assert any("الأهلية" in c["description"] for c in arabic)


async def test_arabic_user_is_greeted_in_arabic_and_consent_stores_the_language(
    bot: BotApplication, emulator: RunningEmulator
) -> None:
    user = User(emulator.client, 502, language_code="ar")

    [welcome] = await user.say("/start")
    await user.tap(data="cns:1:ar")
    [reply] = await user.say("/aide")

    assert "مرحبا" in text_of(welcome)
    assert "الأوامر" in text_of(reply)
    assert count(bot, Applicant, Applicant.language == "ar", Applicant.consent_at.is_not(None)) == 1


async def test_declining_stores_nothing_and_questions_are_still_answered(
    bot: BotApplication, emulator: RunningEmulator
) -> None:
    user = User(emulator.client, 503)
    await user.say("/start")
    await user.tap(data="cns:0:fr")

    [answer] = await user.say("Quelle est la date limite de dépôt ?")
    [prompt] = await user.say("/eligibilite")

    assert "2025" in text_of(answer)
    assert "accord" in text_of(prompt) and "cns:1:fr" in buttons(prompt).values()
    assert count(bot, Applicant) == 0 and count(bot, AskedQuestion) == 0


async def test_language_switch_before_consent_is_carried_by_the_buttons(
    bot: BotApplication, emulator: RunningEmulator
) -> None:
    user = User(emulator.client, 504)
    [choices] = await user.say("/langue")

    edited = await user.tap_edit(choices["message_id"], text="English")

    assert "Hello" in edited["text"]
    assert "cns:1:en" in {b["callback_data"] for row in edited["reply_markup"]["inline_keyboard"] for b in row}
    assert count(bot, Applicant) == 0


async def test_unknown_command_lists_the_known_ones(bot: BotApplication, emulator: RunningEmulator) -> None:
    [reply] = await User(emulator.client, 505).say("/bonjour")

    assert "ne connais pas" in text_of(reply) and "/dossier" in text_of(reply)


async def test_contact_gives_the_division(bot: BotApplication, emulator: RunningEmulator) -> None:
    [reply] = await User(emulator.client, 506).say("/contact")

    assert "fzaitelhabti@mcinet.gov.ma" in text_of(reply)


async def test_refused_set_my_commands_does_not_stop_the_bot(emulator: RunningEmulator, data_dir: Path) -> None:
    await emulator.client.refuse("setMyCommands", description="Bad Request: refused for the test")

    async with running_bot(emulator, data_dir):
        [reply] = await User(emulator.client, 507).say("/start")

    assert "Bonjour" in text_of(reply)
    assert {call["status"] for call in await emulator.client.calls("setMyCommands")} == {400}
