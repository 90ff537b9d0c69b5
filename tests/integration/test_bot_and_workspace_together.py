"""The bot and the workspace as two processes on one data directory: no errors, no lost writes.

The database is shared through SQLite's WAL and busy timeout (PostgreSQL in production);
the knowledge through the data directory: a card written by one process is saved under
the index lock, which bumps the generation marker, and the other reloads its cards before
its next answer.
"""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from intake_factories import NOW, make_finished_check
from sqlalchemy import func, select

from core.clock import FixedClock
from core.runtime import Runtime, build_runtime
from core.settings import Settings
from intake.database import unit_of_work
from intake.models import AnswerOutcome
from intake.review_models import ReviewEvent
from intake.services.outcomes import record_outcome
from intake.services.reviews import change_review
from knowledge.cards import Card

ROUNDS = 60
QUESTION = "Le salaire de l'animateur du cluster est-il financé ?"
ANSWER = "Les textes consultés ne disent pas si le salaire de l'animateur est financé."


def _runtime(data_dir: Path) -> Runtime:
    return build_runtime(Settings(data_dir=data_dir, embedding_backend="hashing"),
                         clock=FixedClock(NOW))


def _bot_process(data_dir: Path, started: object, card_saved: object, result: Path) -> None:
    """What the bot does: store each question's outcome and answer it from the latest knowledge."""
    runtime = _runtime(data_dir)
    started.set()  # type: ignore[attr-defined]
    for n in range(ROUNDS):
        with unit_of_work(runtime.sessions) as session:
            record_outcome(session, applicant_id=None, question=f"{QUESTION} ({n})", language="fr",
                           decision="refused", score=0.1, chosen=None, now=NOW)
        runtime.answer(QUESTION)
    card_saved.wait(60)  # type: ignore[attr-defined]
    result.write_text(runtime.answer(QUESTION).answer)
    runtime.close()


def _salary_card(runtime: Runtime) -> Card:
    scoring = next(card for card in runtime.knowledge.cards.cards if card.id == "scoring-unknown")
    return scoring.model_copy(update={
        "id": "salaire-animateur", "answer": scoring.answer.model_copy(update={"fr": ANSWER}),
        "examples": scoring.examples.model_copy(update={"fr": [QUESTION, "Le salaire de l'animateur est-il payé ?",
                                                               "L'animateur est-il rémunéré par le Ministère ?"]})})


def test_the_bot_and_the_workspace_write_at_once_and_a_card_reaches_the_bot(data_dir: Path) -> None:
    workspace = _runtime(data_dir)
    _, state = make_finished_check(workspace.sessions)
    spawn = multiprocessing.get_context("spawn")
    started, card_saved, result = spawn.Event(), spawn.Event(), data_dir.parent / "bot-answer.txt"
    bot = spawn.Process(target=_bot_process, args=(data_dir, started, card_saved, result))
    bot.start()
    assert started.wait(120)
    for n in range(ROUNDS):  # the workspace reviews while the bot answers
        with unit_of_work(workspace.sessions) as session:
            change_review(session, state.session_id, "reviewer@mcinet.gov.ma", NOW, note=f"note {n}")
        if n == ROUNDS // 2:
            workspace.knowledge.save_card(_salary_card(workspace))
            card_saved.set()
    bot.join(180)
    assert bot.exitcode == 0
    with unit_of_work(workspace.sessions) as session:
        assert session.scalar(select(func.count()).select_from(AnswerOutcome)) == ROUNDS
        assert session.scalar(select(func.count()).select_from(ReviewEvent)) == ROUNDS
    assert result.read_text().startswith(ANSWER)  # the bot's process answered from the new card
    workspace.close()
