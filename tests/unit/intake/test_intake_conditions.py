"""The condition language, three-valued: true, false, or unknown when an answer is missing."""

from __future__ import annotations

from typing import Any

import pytest

from intake.conditions import Facts, holds, referenced_questions
from intake.schema import Condition


def cond(**data: Any) -> Condition:
    return Condition.model_validate(data)


ANSWERS = {"status": "existing", "years": 9, "labelled": True, "types": ["companies", "research"], "name": None}

CASES = [
    ({"question": "status", "equals": "existing"}, True),
    ({"question": "status", "equals": "new"}, False),
    ({"question": "status", "not_equals": "new"}, True),
    ({"question": "status", "in": ["new", "existing"]}, True),
    ({"question": "status", "in": ["new"]}, False),
    ({"question": "years", "greater_than": 8}, True),
    ({"question": "years", "greater_than": 9}, False),
    ({"question": "years", "at_least": 9}, True),
    ({"question": "years", "less_than": 9}, False),
    ({"question": "years", "at_most": 9}, True),
    ({"question": "labelled", "equals": True}, True),
    ({"question": "labelled", "equals": 1}, False),  # a yes/no answer never equals a number
    ({"question": "years", "equals": True}, False),
    ({"question": "types", "contains": "research"}, True),
    ({"question": "types", "contains": "public"}, False),
    ({"question": "missing", "equals": "x"}, None),
    ({"question": "missing", "greater_than": 1}, None),
    ({"question": "missing", "answered": True}, False),
    ({"question": "name", "answered": False}, True),  # a skipped optional answer
    ({"question": "years", "answered": True}, True),
    ({"question": "status", "greater_than": 1}, None),  # wrong type: unknown, never a crash
    ({"question": "years", "contains": "x"}, None),
    ({"all": [{"question": "years", "greater_than": 8}, {"question": "labelled", "equals": True}]}, True),
    ({"all": [{"question": "years", "greater_than": 8}, {"question": "missing", "equals": 1}]}, None),
    ({"all": [{"question": "years", "greater_than": 10}, {"question": "missing", "equals": 1}]}, False),
    ({"any": [{"question": "years", "greater_than": 10}, {"question": "missing", "equals": 1}]}, None),
    ({"any": [{"question": "years", "greater_than": 8}, {"question": "missing", "equals": 1}]}, True),
    ({"any": [{"question": "years", "greater_than": 10}, {"question": "status", "equals": "new"}]}, False),
    ({"not": {"question": "status", "equals": "new"}}, True),
    ({"not": {"question": "missing", "equals": "new"}}, None),
]


@pytest.mark.parametrize(("data", "expected"), CASES, ids=[str(i) for i in range(len(CASES))])
def test_condition(data: dict[str, Any], expected: bool | None) -> None:
    assert holds(cond(**data), Facts(ANSWERS)) is expected


@pytest.mark.parametrize(
    ("passed", "wanted", "expected"),
    [(False, True, True), (True, True, False), (None, True, None), (True, False, True), (False, False, False)],
)
def test_before_deadline(passed: bool | None, wanted: bool, expected: bool | None) -> None:
    assert holds(cond(before_deadline=wanted), Facts({}, passed)) is expected


@pytest.mark.parametrize(
    "data",
    [
        {"question": "x"},
        {"question": "x", "equals": 1, "at_least": 2},
        {"equals": 1},
        {"all": [], "any": []},
        {"question": "x", "equals": 1, "before_deadline": True},
        {},
    ],
)
def test_malformed_conditions_are_refused(data: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        cond(**data)


def test_referenced_questions_walks_every_branch() -> None:
    condition = cond(all=[{"question": "a", "equals": 1}, {"not": {"any": [{"question": "b", "answered": True}]}}])
    assert referenced_questions(condition) == {"a", "b"}
