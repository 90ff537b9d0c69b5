"""What applicants asked, grouped by need, for staff to turn into answers (workspace and Telegram).

The question log comes from the database (`intake`); meaning, groups and nearest cards
come from the knowledge base. This module is where the two meet, so every adapter shows
the same groups.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from core.runtime import Runtime
from intake.services.question_log import AnswerClass, LoggedQuestion, QuestionFilter, logged_questions
from knowledge.question_meanings import NearCard


@dataclass(frozen=True)
class QuestionGroupView:
    """One need: its questions (newest first), how they were dealt with, and the cards it leans to."""

    questions: list[LoggedQuestion]
    classes: dict[AnswerClass, int]
    feedback: dict[str, int]
    answered_from: list[tuple[str, int]]  # (card topic or passage, how many answers came from it)
    nearest: list[NearCard]

    @property
    def key(self) -> int:
        """Return the group's newest question's id (a group has no identity beyond its questions)."""
        return self.questions[0].outcome_id

    @property
    def last_asked(self) -> datetime:
        return self.questions[0].asked_at

    @property
    def outcome_ids(self) -> list[int]:
        return [q.outcome_id for q in self.questions]


def question_groups(runtime: Runtime, session: Session, chosen: QuestionFilter) -> list[QuestionGroupView]:
    """Return the filtered questions grouped by meaning, the largest groups first."""
    logged = logged_questions(session, chosen, runtime.now())
    grouped = runtime.knowledge.group_questions([q.question for q in logged])
    topics = {f"card:{card.id}": card.topic.fr for card in runtime.knowledge.cards.cards}
    views = []
    for group, nearest in zip(grouped.groups, grouped.nearest):
        questions = sorted((logged[row] for row in group.members), key=lambda q: q.asked_at, reverse=True)
        sources = Counter(topics.get(q.chosen, "extrait d'un document") for q in questions if q.chosen)
        views.append(QuestionGroupView(
            questions, dict(Counter(q.answer_class for q in questions)),
            dict(Counter(q.feedback for q in questions if q.feedback)), sources.most_common(3), nearest))
    return views
