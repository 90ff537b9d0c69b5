"""/intakes, /intake ID and /questions on the real bot: for the staff ids in the settings, and nobody else."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.telegram.context import BotApplication
from botapi.runner import RunningEmulator
from intake.models import AuditEntry
from intake.services.reviews import change_review
from tests.intake_factories import ELIGIBLE_NEW, make_finished_check

from .conftest import NOW, User, read, running_bot, runtime_of, text_of

STAFF, APPLICANT, STRANGER = 1501, 1502, 1503
# An answer set whose verdict has a reason with a source: a sector outside the call's scope.
OUT_OF_SCOPE = {**ELIGIBLE_NEW, "sector": "other", "cluster_name": "Atlas <Photonics> & Co"}
QUESTION = "Quelle est la date limite de dépôt ?"


@pytest.fixture
async def bot(emulator: RunningEmulator, data_dir: Path) -> AsyncIterator[BotApplication]:
    """Run the bot with one staff member's Telegram id in the settings."""
    async with running_bot(emulator, data_dir, staff_telegram_ids=[STAFF]) as application:
        yield application


def _finished_intake(bot: BotApplication) -> int:
    """Create an applicant's finished check (to confirm, one reason) and shortlist it; return its id."""
    sessions = runtime_of(bot).sessions
    _, state = make_finished_check(sessions, OUT_OF_SCOPE)
    read(bot, lambda s: change_review(s, state.session_id, "admin@mcinet.gov.ma", NOW, status="shortlisted"))
    return state.session_id


def _views(bot: BotApplication) -> list[tuple[str, str | None]]:
    """Return the audit log's intake views as (actor, target)."""
    def work(session: Session) -> list[tuple[str, str | None]]:
        rows = session.scalars(select(AuditEntry).where(AuditEntry.action == "intake.view"))
        return [(row.actor, row.target) for row in rows]

    return read(bot, work)  # type: ignore[no-any-return]


async def _applicant_at_work(emulator: RunningEmulator) -> None:
    """Start a check through the bot and ask the same question twice."""
    applicant = User(emulator.client, APPLICANT)
    await applicant.consent()
    await applicant.say("/eligibilite")
    await applicant.press(text="Cluster existant")
    await applicant.say(QUESTION, replies=2)  # the answer, then the check's current question again
    await applicant.say(QUESTION, replies=2)


async def test_staff_get_the_counts_one_intake_and_the_question_groups(
    bot: BotApplication, emulator: RunningEmulator
) -> None:
    finished = _finished_intake(bot)
    await _applicant_at_work(emulator)
    staff = User(emulator.client, STAFF)

    [overview] = await staff.say("/intakes")
    [detail] = await staff.say(f"/intake {finished}")
    [questions] = await staff.say("/questions")

    text = text_of(overview)
    for line in ("Dossiers : 2 (vérifications terminées : 1)", "à confirmer : 1", "non éligible : 1",
                 "éligible a priori : 0", "Nouveau : 1", "Présélectionné : 1"):
        assert line in text
    # Most recently active first: the check started through the bot (past the pinned clock's
    # deadline, so not eligible), then the older finished one.
    assert text.index("(sans nom) · édition 2025 · non éligible (vérification en cours) · Nouveau") < text.index(
        f"Atlas <Photonics> & Co · édition 2025 · à confirmer · Présélectionné · n° {finished}")
    body = text_of(detail)
    assert f"Atlas <Photonics> & Co — dossier n° {finished}" in body
    assert "Suivi : Présélectionné · examinateur : personne" in body
    assert "Verdict : à confirmer" in body
    assert "secteurs industriels et technologiques" in body and "(source : Ministère de l'Industrie" in body
    assert "Type de cluster : Nouveau cluster" in body and "Secteur : Autre secteur" in body
    assert "Pièces du dossier : 0 % (faites : 0 sur 9)" in body and "⬜ Statuts" in body
    assert "Questions ouvertes des 30 derniers jours : 2, en 1 groupe" in text_of(questions)
    assert f"1. 2 questions — « {QUESTION} »" in text_of(questions)
    assert "Fiches proches : " in text_of(questions)
    assert _views(bot) == [(f"telegram:{STAFF}", f"intake:{finished}")]


async def test_anyone_else_gets_the_unknown_command_reply_and_no_data(
    bot: BotApplication, emulator: RunningEmulator
) -> None:
    finished = _finished_intake(bot)
    await _applicant_at_work(emulator)
    stranger = User(emulator.client, STRANGER)
    [unknown] = await stranger.say("/nimportequoi")

    replies = [await stranger.say(command) for command in ("/intakes", f"/intake {finished}", "/questions")]

    for [reply] in replies:
        assert text_of(reply) == text_of(unknown)
        assert "Je ne connais pas cette commande" in text_of(reply) and "Atlas" not in text_of(reply)
    assert _views(bot) == []
    menus = [call["params"] for call in await emulator.client.calls("setMyCommands")]
    assert menus and not any("intake" in str(menu) or "questions" in str(menu) for menu in menus)


async def test_a_missing_malformed_or_unknown_id_gets_one_clear_line(
    bot: BotApplication, emulator: RunningEmulator
) -> None:
    staff = User(emulator.client, STAFF)

    [missing] = await staff.say("/intake")
    [word] = await staff.say("/intake abc")
    [unknown] = await staff.say("/intake 99999")
    [empty] = await staff.say("/intakes")
    [no_questions] = await staff.say("/questions")

    assert text_of(missing).startswith("Précisez le numéro du dossier, par exemple /intake 12")
    assert text_of(word).startswith("« abc » n'est pas un numéro de dossier.")
    assert text_of(unknown) == "Aucun dossier n° 99999. Les numéros sont dans /intakes."
    assert "\n" not in text_of(missing) + text_of(word) + text_of(unknown)
    assert text_of(empty) == "Aucun dossier pour l'instant."
    assert text_of(no_questions) == "Aucune question ouverte ces 30 derniers jours."
    assert _views(bot) == []
