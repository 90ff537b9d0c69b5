"""/eligibilite on the real bot: buttons to a verdict, typed answers, restarts, stale and forged presses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.telegram.context import BotApplication
from botapi.runner import RunningEmulator
from intake.models import IntakeSession

from .conftest import User, buttons, read, running_bot, text_of


def session_row(application: BotApplication) -> tuple[int, int, dict[str, Any], str]:
    """Return the only check's id, version, answers and status."""
    row = read(application, lambda s: s.query(IntakeSession).one())
    return row.id, row.version, dict(row.answers), row.status.value


async def test_a_whole_check_by_buttons_ends_with_a_verdict_and_its_sources(
    bot: BotApplication, emulator: RunningEmulator
) -> None:
    user = User(emulator.client, 601)
    await user.consent()

    [first] = await user.say("/eligibilite")
    await user.press(text="Nouveau cluster")
    await user.press(text="Industriel")
    await user.tap(text="☐ Entreprises")
    await user.tap(text="☐ Établissements de recherche")
    [count_question] = await user.press(text="Terminé ✓")
    [share_question] = await user.say("20")
    await user.say("70")
    await user.press(text="Association")
    await user.press(text="Oui")
    [name_question] = await user.press(text="Oui")
    [verdict] = await user.press(text="Passer")

    assert "Question 1 / " in text_of(first) and "nouveau cluster" in text_of(first)
    assert "Combien de membres" in text_of(count_question) and "chiffres" in text_of(count_question)
    assert "Question 5 / 9" in text_of(share_question)
    assert "facultatif" in text_of(name_question) and "Passer" in buttons(name_question)
    body = text_of(verdict)
    assert "Résultat : non éligible" in body
    assert "24 juillet 2025" in body and "Source : Presse sur l'appel 2025 (biladi.ma)" in body
    assert "non confirmé" in body
    _, _, answers, status = session_row(bot)
    assert status == "finished"
    assert answers["member_types"] == ["companies", "research"] and answers["member_count"] == 20
    assert answers["cluster_name"] is None


async def test_answered_question_message_keeps_the_answer_and_loses_its_buttons(
    bot: BotApplication, emulator: RunningEmulator
) -> None:
    user = User(emulator.client, 602)
    await user.consent()
    [first] = await user.say("/eligibilite")

    await user.press(text="Cluster existant")
    entry = (await emulator.client.transcript(602))["entries"][first["message_id"] - 1]

    assert entry["edited"] and entry["message"]["text"] == "✓ Type de cluster : Cluster existant"
    assert "reply_markup" not in entry["message"]


async def test_a_question_typed_mid_check_is_answered_then_the_check_resumes(
    bot: BotApplication, emulator: RunningEmulator
) -> None:
    user = User(emulator.client, 603)
    await user.consent()
    await user.say("/eligibilite")
    await user.press(text="Nouveau cluster")
    await user.press(text="Technologique")
    await user.tap(text="☐ Start-ups")
    await user.press(text="Terminé ✓")

    answer, again = await user.say("Quelle est la date limite de dépôt ?", replies=2)
    [refused] = await user.say("0")
    [next_question] = await user.say("٢٥")

    assert "Source" in text_of(answer)
    assert "Reprenons" in text_of(again) and "Combien de membres" in text_of(again)
    assert "entre 1 et 5000" in text_of(refused) and "Combien de membres" in text_of(refused)
    assert "Quelle part de vos membres" in text_of(next_question)
    assert session_row(bot)[2]["member_count"] == 25


async def test_back_and_restart_buttons(bot: BotApplication, emulator: RunningEmulator) -> None:
    user = User(emulator.client, 604)
    await user.consent()
    await user.say("/eligibilite")
    await user.press(text="Cluster existant")

    [back] = await user.press(text="◀ Retour")
    await user.press(text="Cluster existant")
    [again] = await user.press(text="↺ Recommencer")

    assert "Question 1 /" in text_of(back) and "Question 1 /" in text_of(again)
    assert session_row(bot)[2] == {}


async def test_after_a_restart_of_the_bot_the_button_on_screen_continues_the_check(
    emulator: RunningEmulator, data_dir: Path
) -> None:
    user = User(emulator.client, 605)
    async with running_bot(emulator, data_dir) as first_bot:
        await user.consent()
        [question] = await user.say("/eligibilite")
        old_data = buttons(question)["Nouveau cluster"]
        [on_screen] = await user.press(text="Nouveau cluster")
        before = session_row(first_bot)

    async with running_bot(emulator, data_dir) as second_bot:
        [next_question] = await user.press(data=buttons(on_screen)["Industriel"])
        stale = await user.press_for_answer(old_data)
        [shown_again] = await user.expect(1)
        after = session_row(second_bot)

    assert "Quels types de membres" in text_of(next_question)
    assert after[0] == before[0] and after[2] == {"cluster_status": "new", "sector": "industrial"}
    assert "étape dépassée" in stale["text"] and "Quels types de membres" in text_of(shown_again)


async def test_forged_and_foreign_buttons_change_nothing(bot: BotApplication, emulator: RunningEmulator) -> None:
    owner, stranger = User(emulator.client, 606), User(emulator.client, 607)
    await owner.consent()
    [question] = await owner.say("/eligibilite")
    data = buttons(question)["Nouveau cluster"]
    await stranger.consent()
    before = session_row(bot)

    foreign = await stranger.press_for_answer(data)
    garbage = await owner.press_for_answer("\u0000\u00ff☃ not a button")
    malformed = await owner.press_for_answer(data.replace(":a:", ":x:"))
    out_of_range = await owner.press_for_answer(data.rsplit(":", 1)[0] + ":9")
    unknown = await owner.press_for_answer("chk:99999:1:1:a:0")

    assert "ne vous appartient pas" in foreign["text"]
    for answer in (garbage, malformed, out_of_range, unknown):
        assert "ne reconnais pas ce bouton" in answer["text"]
    assert session_row(bot) == before


async def test_another_edition_can_be_chosen_and_an_unknown_one_is_named(
    bot: BotApplication, emulator: RunningEmulator
) -> None:
    user = User(emulator.client, 608)
    await user.consent()

    [older] = await user.say("/eligibilite 2024")
    [unknown] = await user.say("/eligibilite 1999")

    assert "Question 1 /" in text_of(older)
    assert read(bot, lambda s: s.query(IntakeSession).one().edition) == 2024
    assert "2023, 2024, 2025" in text_of(unknown)
