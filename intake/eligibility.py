"""The pre-eligibility verdict: a pure function of the answers, the edition and today's date."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from intake.conditions import Facts, holds
from intake.flow import clean_answers, missing_questions
from intake.schema import Edition, Language, LocalizedText, Outcome, Rule, Source


class Verdict(StrEnum):
    """The verdict of a pre-eligibility check."""

    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    TO_CONFIRM = "to_confirm"


@dataclass(frozen=True)
class Reason:
    """One rule that fired: what it means, in plain words, and where it comes from."""

    rule: str
    outcome: Outcome
    explanation: LocalizedText
    source: Source
    confirmed: bool

    def to_json(self, language: Language | str = Language.FR) -> dict[str, str]:
        """Return the public JSON shape of a reason."""
        return {
            "rule": self.rule,
            "outcome": self.outcome.value,
            "explanation": self.explanation.get(language),
            "source": self.source.cite(),
        }


@dataclass(frozen=True)
class Decision:
    """The verdict with everything that explains it."""

    edition: int
    verdict: Verdict
    reasons: tuple[Reason, ...]
    missing: tuple[str, ...]
    deadline_passed: bool
    passed: tuple[str, ...] = ()
    undecided: tuple[str, ...] = ()

    def to_json(self, language: Language | str = Language.FR) -> dict[str, Any]:
        """Return exactly the public JSON shape of `check --json`."""
        return {
            "verdict": self.verdict.value,
            "reasons": [reason.to_json(language) for reason in self.reasons],
            "missing": list(self.missing),
            "deadline_passed": self.deadline_passed,
        }


def is_deadline_passed(edition: Edition, today: date) -> bool | None:
    """Return whether `today` is after the closing day, or None when the deadline is unknown."""
    closes = edition.closes_at()
    if closes is None:
        return None
    return _day(today) > closes.date()


def evaluate(answers: Mapping[str, Any], edition: Edition, today: date) -> Decision:
    """Return the verdict for `answers` in `edition` as of `today`; never raises on bad answers.

    Answers that are unknown, not asked or invalid count as not given.
    """
    clean = clean_answers(edition, answers if isinstance(answers, Mapping) else {})
    passed_deadline = is_deadline_passed(edition, today)
    facts = Facts(clean, passed_deadline)
    reasons: list[Reason] = []
    passed: list[str] = []
    undecided: list[str] = []
    for rule in edition.rules:
        result = _apply(rule, facts)
        if result is False:
            reasons.append(_reason(rule, edition))
        elif result is True:
            passed.append(rule.id)
        elif result is None:
            undecided.append(rule.id)
    missing = tuple(missing_questions(edition, clean))
    return Decision(
        edition=edition.year,
        verdict=_verdict(reasons, missing, undecided),
        reasons=tuple(reasons),
        missing=missing,
        deadline_passed=bool(passed_deadline),
        passed=tuple(passed),
        undecided=tuple(undecided),
    )


def _apply(rule: Rule, facts: Facts) -> bool | str | None:
    """Return False if the rule fires, True if met, None if undecided, "skip" if not applicable."""
    if rule.when is not None:
        applies = holds(rule.when, facts)
        if applies is not True:
            return "skip" if applies is False else None
    return holds(rule.require, facts)


def _verdict(reasons: list[Reason], missing: tuple[str, ...], undecided: list[str]) -> Verdict:
    if any(reason.outcome == Outcome.NOT_ELIGIBLE for reason in reasons):
        return Verdict.NOT_ELIGIBLE
    # An undecided rule (it needs an answer not given) cannot support an "eligible".
    if reasons or missing or undecided:
        return Verdict.TO_CONFIRM
    return Verdict.ELIGIBLE


def _reason(rule: Rule, edition: Edition) -> Reason:
    return Reason(rule.id, rule.outcome, rule.explanation, edition.sources[rule.source], rule.confirmed)


def _day(today: date) -> date:
    return today.date() if isinstance(today, datetime) else today
