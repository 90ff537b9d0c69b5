"""Staff texts on Telegram: one message under the limit, escaped, and the id an /intake command names."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from bot.telegram.rendering import MESSAGE_LIMIT, visible_length
from bot.telegram.staff_command_views import CUT_NOTE, bad_id_text, fit, intakes_text, questions_text
from bot.telegram.staff_commands import requested_id
from core.question_review import QuestionGroupView
from intake.schema import Language
from intake.services.question_log import AnswerClass, LoggedQuestion
from intake.services.summaries import IntakeSummary
from knowledge.question_meanings import NearCard

WHEN = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _summary(number: int, name: str, verdict: str | None = "eligible") -> IntakeSummary:
    return IntakeSummary(
        session_id=number, applicant_id=number, channel="telegram", external_id=str(number), language=Language.FR,
        edition=2025, status="finished", answers={"cluster_name": name}, verdict=verdict, reasons=[], missing=[],
        checklist_completion=0, next_item=None, created_at=WHEN, updated_at=WHEN + timedelta(minutes=number),
        finished_at=WHEN)


def _group(text: str, size: int) -> QuestionGroupView:
    questions = [LoggedQuestion(n, text, "fr", "refused", AnswerClass.REFUSED, 0.1, None, None, WHEN, None)
                 for n in range(size)]
    return QuestionGroupView(questions, {}, {}, [], [NearCard("deadline", "Date <limite>", 0.82)])


@pytest.mark.parametrize(("args", "expected"), [
    (["12"], 12),
    (["0"], 0),
    ([], None),
    (["abc"], None),
    (["-5"], None),
    (["1.5"], None),
    (["٣"], None),  # an Arabic-Indic digit is a digit to Python, not an id
    (["1" * 19], None),  # past any id, and past the database's integer
    (["12", "13"], None),
])
def test_the_intake_id_is_one_number(args: list[str], expected: int | None) -> None:
    assert requested_id(args) == expected


def test_a_bad_id_is_one_escaped_line() -> None:
    text = bad_id_text(["<b>" + "x" * 100])

    assert "&lt;b&gt;" in text and "<b>" not in text and "\n" not in text and "x" * 40 not in text


@pytest.mark.parametrize("lines", [
    ["court"] * 3,
    ["<b>ligne</b> " + "a" * 300] * 30,
    ["é" * 5000],
    ["🙂" * 100] * 30,  # two UTF-16 units each, as Telegram counts them
])
def test_a_message_fits_one_telegram_message_and_says_when_it_was_cut(lines: list[str]) -> None:
    text = fit(lines)

    assert visible_length(text) <= MESSAGE_LIMIT
    assert text.endswith(CUT_NOTE) == (visible_length("\n".join(lines)) > MESSAGE_LIMIT)
    assert text.count("<b>") == text.count("</b>")


def test_the_overview_keeps_the_ten_most_recent_and_escapes_names() -> None:
    summaries = [_summary(n, f"Cluster <{n}>", "not_eligible" if n % 2 else "eligible") for n in range(1, 13)]

    text = intakes_text(summaries, {12: ("rejected", None)})

    assert "Dossiers : 12" in text and "éligible a priori : 6" in text and "non éligible : 6" in text
    assert "Nouveau : 11" in text and "Non retenu : 1" in text
    assert "<b>Cluster &lt;12&gt;</b>" in text
    assert re.findall(r"n° (\d+)$", text, re.MULTILINE) == [str(n) for n in range(12, 2, -1)]


def test_the_question_groups_are_the_five_largest_escaped_and_cut_to_one_message() -> None:
    groups = [_group(f"<q{n}> " + "long " * 100, 10 - n) for n in range(7)]

    text = questions_text(groups, 30)

    assert "Questions ouvertes des 30 derniers jours : 49</b>, en 7 groupes" in text
    assert "Les 5 plus grands :" in text and "5. <b>6 questions</b>" in text and "6. " not in text
    assert "« &lt;q0&gt; long" in text and "…" in text and "Date &lt;limite&gt; (82 %)" in text
    assert visible_length(text) <= MESSAGE_LIMIT
