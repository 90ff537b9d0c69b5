"""Free questions on the real bot: grounded answers with sources, Arabic framing, what is kept."""

from __future__ import annotations

from bot.telegram.context import BotApplication
from botapi.runner import RunningEmulator
from intake.models import AnswerOutcome, AskedQuestion

from .conftest import User, buttons, count, read, text_of


async def test_a_question_gets_the_grounded_answer_with_its_source(
    bot: BotApplication, emulator: RunningEmulator
) -> None:
    user = User(emulator.client, 801)

    [answer] = await user.say("Quelle est la date limite de dépôt ?")

    body = text_of(answer)
    assert "24 juillet 2025" in body and "Source : " in body and "pack:" not in body
    actions = [call["params"].get("action") for call in await emulator.client.calls("sendChatAction")]
    assert actions == ["typing"]


async def test_an_arabic_question_gets_arabic_framing(bot: BotApplication, emulator: RunningEmulator) -> None:
    user = User(emulator.client, 802)

    [answer] = await user.say("ما هو آخر أجل لإيداع الملفات؟")

    body = text_of(answer)  # answered or declined, the reply is in Arabic
    assert "المصدر" in body or "اتصلوا" in body


async def test_an_unanswerable_question_gets_the_contact(bot: BotApplication, emulator: RunningEmulator) -> None:
    [answer] = await User(emulator.client, 803).say("Quel temps fera-t-il à Rabat demain ?")

    assert "fzaitelhabti@mcinet.gov.ma" in text_of(answer) and "Source :" not in text_of(answer)


async def test_questions_are_kept_only_after_consent(bot: BotApplication, emulator: RunningEmulator) -> None:
    user = User(emulator.client, 804)
    await user.say("Quelle est la date limite de dépôt ?")
    await user.say("/aide")
    assert count(bot, AskedQuestion) == 0

    await user.consent()
    await user.say("Quelle est la date limite de dépôt ?")
    await user.say("/aide")  # the chat's updates run in order: the question's handler has finished

    [kept] = read(bot, lambda s: s.query(AskedQuestion).all())
    assert kept.question == "Quelle est la date limite de dépôt ?" and not kept.abstained
    assert kept.sources and kept.sources[0].startswith("card:")


async def test_a_refused_typing_action_does_not_stop_the_answer(
    bot: BotApplication, emulator: RunningEmulator
) -> None:
    await emulator.client.refuse("sendChatAction", description="Bad Request: refused for the test")

    [answer] = await User(emulator.client, 805).say("Quelle est la date limite de dépôt ?")

    assert "24 juillet 2025" in text_of(answer)


async def test_did_this_help_is_recorded_once_from_the_answer_itself(bot: BotApplication,
                                                                      emulator: RunningEmulator) -> None:
    user, stranger = User(emulator.client, 806), User(emulator.client, 807)
    await stranger.say("/aide")
    [answer] = await user.say("Quelle est la date limite de dépôt ?")
    choices = buttons(answer)
    assert set(choices) >= {"👍 Utile", "👎 Pas utile"}

    forged = await stranger.press_for_answer(choices["👎 Pas utile"])
    thanked = await user.tap(text="👍 Utile")

    assert "ne reconnais pas ce bouton" in forged["text"]
    assert "Merci" in thanked["text"]
    [outcome] = read(bot, lambda s: s.query(AnswerOutcome).all())
    assert (outcome.feedback, outcome.applicant_id, outcome.decision) == ("helpful", None, "answered")


async def test_a_nearby_topic_button_answers_that_card(bot: BotApplication, emulator: RunningEmulator) -> None:
    user = User(emulator.client, 808)
    await user.say("/aide")

    await user.press_for_answer("top:contact")
    [answer] = await user.expect(1)
    gone = await user.press_for_answer("top:no-such-card")

    assert "fzaitelhabti@mcinet.gov.ma" in text_of(answer) and "Source" in text_of(answer)
    assert "plus disponible" in gone["text"]
