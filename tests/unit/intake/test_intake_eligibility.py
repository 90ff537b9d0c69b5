"""The verdict, rule by rule and edition by edition: every rule's outcomes, the deadline, missing answers."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from intake_cases import BEFORE, DEADLINE_DAY, ELIGIBLE_EXISTING, ELIGIBLE_NEW

from intake.eligibility import Verdict, evaluate
from intake.schema import Edition, Language

NE, TC, OK = Verdict.NOT_ELIGIBLE, Verdict.TO_CONFIRM, Verdict.ELIGIBLE

# (case id, base answers, changes, expected verdict, rules expected to fire)
CASES: list[tuple[str, dict[str, Any], dict[str, Any], Verdict, set[str]]] = [
    ("new_complete", ELIGIBLE_NEW, {}, OK, set()),
    ("existing_9_years", ELIGIBLE_EXISTING, {}, OK, set()),
    ("existing_5_years", ELIGIBLE_EXISTING, {"years_of_state_support": 5}, NE, {"existing_support_years"}),
    ("existing_8_years", ELIGIBLE_EXISTING, {"years_of_state_support": 8}, NE, {"existing_support_years"}),
    ("existing_not_labelled", ELIGIBLE_EXISTING, {"previously_labelled": False}, NE,
     {"existing_previously_labelled"}),
    ("sector_other", ELIGIBLE_NEW, {"sector": "other"}, TC, {"sector_in_scope"}),
    ("sector_technological", ELIGIBLE_NEW, {"sector": "technological"}, OK, set()),
    ("no_companies", ELIGIBLE_NEW, {"member_types": ["research", "training", "public"]}, TC,
     {"members_include_companies", "earlier_rule_company_share"}),
    ("startups_count_as_companies", ELIGIBLE_NEW, {"member_types": ["startups", "research"]}, OK, set()),
    ("no_research_or_training", ELIGIBLE_NEW, {"member_types": ["companies", "public"]}, TC,
     {"members_include_knowledge"}),
    ("training_is_enough", ELIGIBLE_NEW, {"member_types": ["companies", "training"]}, OK, set()),
    ("no_governance", ELIGIBLE_NEW, {"has_governance": False}, TC, {"governance_and_vision"}),
    ("no_collaborative_projects", ELIGIBLE_NEW, {"has_collaborative_projects": False}, TC,
     {"collaborative_projects"}),
    ("legal_form_company", ELIGIBLE_NEW, {"legal_form": "company"}, TC, {"earlier_rule_association"}),
    ("legal_form_none_yet", ELIGIBLE_NEW, {"legal_form": "none_yet"}, TC, {"earlier_rule_association"}),
    ("legal_form_other", ELIGIBLE_NEW, {"legal_form": "other"}, TC, {"earlier_rule_association"}),
    ("14_members", ELIGIBLE_NEW, {"member_count": 14}, TC, {"earlier_rule_min_members"}),
    ("15_members", ELIGIBLE_NEW, {"member_count": 15}, OK, set()),
    ("59_percent_companies", ELIGIBLE_NEW, {"company_share_percent": 59}, TC, {"earlier_rule_company_share"}),
    ("60_percent_companies", ELIGIBLE_NEW, {"company_share_percent": 60}, OK, set()),
    ("hard_and_soft_together", ELIGIBLE_EXISTING, {"years_of_state_support": 3, "member_count": 2}, NE,
     {"existing_support_years", "earlier_rule_min_members"}),
    ("all_soft_rules", ELIGIBLE_NEW,
     {"sector": "other", "member_types": ["public"], "legal_form": "none_yet", "member_count": 3,
      "has_governance": False, "has_collaborative_projects": False}, TC,
     {"sector_in_scope", "members_include_companies", "members_include_knowledge", "governance_and_vision",
      "collaborative_projects", "earlier_rule_association", "earlier_rule_min_members",
      "earlier_rule_company_share"}),
]


@pytest.mark.parametrize(("base", "changes", "verdict", "fired"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rule_outcomes(edition: Edition, base: dict[str, Any], changes: dict[str, Any], verdict: Verdict,
                       fired: set[str]) -> None:
    decision = evaluate({**base, **changes}, edition, BEFORE[edition.year])
    assert decision.verdict == verdict
    assert {reason.rule for reason in decision.reasons} == fired
    assert decision.missing == ()
    assert decision.deadline_passed is False


def test_the_cases_exercise_every_rule_of_every_edition(edition: Edition) -> None:
    fired = set().union(*(case[4] for case in CASES)) | {"deadline_open"}
    assert {rule.id for rule in edition.rules} == fired


@pytest.mark.parametrize(("offset", "passed"), [(-30, False), (0, False), (1, True), (400, True)])
def test_the_deadline_follows_today(edition: Edition, offset: int, passed: bool) -> None:
    today = DEADLINE_DAY[edition.year] + timedelta(days=offset)
    decision = evaluate(ELIGIBLE_NEW, edition, today)
    assert decision.deadline_passed is passed
    assert decision.verdict == (NE if passed else OK)
    assert [reason.rule for reason in decision.reasons] == (["deadline_open"] if passed else [])


def test_a_passed_deadline_says_so_with_the_date(edition: Edition) -> None:
    decision = evaluate(ELIGIBLE_NEW, edition, date(2030, 1, 1))
    (reason,) = decision.reasons
    day = str(DEADLINE_DAY[edition.year].day)
    assert str(edition.year) in reason.explanation.fr and day in reason.explanation.fr
    assert str(edition.year) in reason.explanation.ar and str(edition.year) in reason.explanation.en


def test_missing_answers_give_to_confirm_and_are_listed(edition: Edition) -> None:
    answers = {k: v for k, v in ELIGIBLE_NEW.items() if k not in ("has_governance", "member_count")}
    decision = evaluate(answers, edition, BEFORE[edition.year])
    assert decision.verdict == TC
    assert decision.missing == ("member_count", "has_governance")
    assert decision.reasons == ()


def test_an_existing_cluster_without_its_years_is_to_confirm_not_refused(edition: Edition) -> None:
    answers = {k: v for k, v in ELIGIBLE_EXISTING.items() if k != "years_of_state_support"}
    decision = evaluate(answers, edition, BEFORE[edition.year])
    assert decision.verdict == TC
    assert decision.missing == ("years_of_state_support",)


def test_a_hard_failure_wins_over_missing_answers(edition: Edition) -> None:
    decision = evaluate({"cluster_status": "existing", "previously_labelled": False}, edition, BEFORE[edition.year])
    assert decision.verdict == NE
    assert "sector" in decision.missing


def test_nothing_answered_lists_the_first_questions(edition: Edition) -> None:
    decision = evaluate({}, edition, BEFORE[edition.year])
    assert decision.verdict == TC
    assert decision.missing == ("cluster_status", "sector", "member_types", "member_count", "legal_form",
                                "has_governance", "has_collaborative_projects")


def test_invalid_or_unknown_answers_count_as_not_given(edition: Edition) -> None:
    answers = {**ELIGIBLE_NEW, "member_count": "many", "colour": "blue", "years_of_state_support": 2}
    decision = evaluate(answers, edition, BEFORE[edition.year])
    assert decision.missing == ("member_count",)
    assert decision.verdict == TC


def test_reasons_carry_explanations_in_three_languages_and_a_source(edition: Edition) -> None:
    decision = evaluate({**ELIGIBLE_EXISTING, "years_of_state_support": 5}, edition, BEFORE[edition.year])
    (reason,) = decision.reasons
    for language in Language:
        assert reason.to_json(language)["explanation"] == reason.explanation.get(language)
    assert "8" in reason.explanation.fr and "8" in reason.explanation.ar
    assert reason.to_json()["source"] == reason.source.cite()
    assert reason.confirmed is (edition.year == 2023)


def test_the_json_shape_is_exact(edition: Edition) -> None:
    decision = evaluate({**ELIGIBLE_NEW, "sector": "other"}, edition, BEFORE[edition.year])
    data = decision.to_json("en")
    assert list(data) == ["verdict", "reasons", "missing", "deadline_passed"]
    assert data["verdict"] == "to_confirm"
    assert list(data["reasons"][0]) == ["rule", "outcome", "explanation", "source"]
    assert data["reasons"][0]["outcome"] == "to_confirm"
