"""Checks across an edition that a schema cannot express: references, the answer contract, order."""

from __future__ import annotations

from collections.abc import Iterator

from intake.schema import Condition, Edition, Fact, Question, QuestionType

Path = tuple[str | int, ...]
Problem = tuple[Path, str]

# The public contract for answers: adapters, exports and the JSON of `check` rely on these
# ids, types and option values, so every edition must keep them exactly.
CONTRACT: dict[str, tuple[QuestionType, frozenset[str] | None]] = {
    "cluster_status": (QuestionType.SINGLE_CHOICE, frozenset({"new", "existing"})),
    "previously_labelled": (QuestionType.YES_NO, None),
    "years_of_state_support": (QuestionType.INTEGER, None),
    "sector": (QuestionType.SINGLE_CHOICE, frozenset({"industrial", "technological", "other"})),
    "member_types": (
        QuestionType.MULTIPLE_CHOICE,
        frozenset({"companies", "startups", "research", "training", "public"}),
    ),
    "member_count": (QuestionType.INTEGER, None),
    "company_share_percent": (QuestionType.INTEGER, None),
    "legal_form": (QuestionType.SINGLE_CHOICE, frozenset({"association", "company", "other", "none_yet"})),
    "has_governance": (QuestionType.YES_NO, None),
    "has_collaborative_projects": (QuestionType.YES_NO, None),
}


def check_edition(edition: Edition) -> list[Problem]:
    """Return every cross-reference problem of an edition, each with the path it is at."""
    problems: list[Problem] = []
    problems += _duplicates(edition)
    problems += _contract(edition)
    problems += _sources(edition)
    problems += _conditions(edition)
    problems += _deadline(edition)
    return problems


def _duplicates(edition: Edition) -> Iterator[Problem]:
    for section in ("questions", "rules", "checklist"):
        seen: set[str] = set()
        for index, entry in enumerate(getattr(edition, section)):
            if entry.id in seen:
                yield (section, index, "id"), f"duplicate id {entry.id!r}"
            seen.add(entry.id)
    for index, question in enumerate(edition.questions):
        ids = question.option_ids()
        for position, option_id in enumerate(ids):
            if option_id in ids[:position]:
                yield ("questions", index, "options", position, "id"), f"duplicate option {option_id!r}"


def _contract(edition: Edition) -> Iterator[Problem]:
    for question_id, (kind, options) in CONTRACT.items():
        question = edition.question(question_id)
        if question is None:
            yield ("questions",), f"the question {question_id!r} of the answer contract is missing"
            continue
        where: Path = ("questions", edition.questions.index(question))
        if question.type != kind:
            yield (*where, "type"), f"{question_id!r} must be of type {kind.value}"
        elif options is not None and set(question.option_ids()) != options:
            yield (*where, "options"), f"{question_id!r} must offer exactly: {', '.join(sorted(options))}"


def _sources(edition: Edition) -> Iterator[Problem]:
    facts: list[tuple[Path, Fact]] = [(("deadline",), edition.deadline)]
    facts += [(("rules", i), rule) for i, rule in enumerate(edition.rules)]
    facts += [(("checklist", i), item) for i, item in enumerate(edition.checklist)]
    for path, fact in facts:
        source = edition.sources.get(fact.source)
        if source is None:
            yield (*path, "source"), f"unknown source {fact.source!r}; declare it under `sources`"
        elif fact.confirmed and not source.official:
            # Only an official text confirms a fact; press reports stay "to confirm".
            yield (*path, "confirmed"), f"confirmed, but its source {fact.source!r} is not an official text"


def _conditions(edition: Edition) -> Iterator[Problem]:
    for index, question in enumerate(edition.questions):
        if question.ask_if is not None:
            earlier = {q.id: q for q in edition.questions[:index]}
            yield from _condition(question.ask_if, earlier, ("questions", index, "ask_if"), clock=False)
    every = {q.id: q for q in edition.questions}
    for index, rule in enumerate(edition.rules):
        if rule.when is not None:
            yield from _condition(rule.when, every, ("rules", index, "when"), clock=True)
        yield from _condition(rule.require, every, ("rules", index, "require"), clock=True)
    for index, item in enumerate(edition.checklist):
        if item.applies_if is not None:
            yield from _condition(item.applies_if, every, ("checklist", index, "applies_if"), clock=False)


def _condition(
    condition: Condition, known: dict[str, Question], path: Path, *, clock: bool
) -> Iterator[Problem]:
    for key, children in (("all", condition.all_), ("any", condition.any_)):
        for index, child in enumerate(children or []):
            yield from _condition(child, known, (*path, key, index), clock=clock)
    if condition.not_ is not None:
        yield from _condition(condition.not_, known, (*path, "not"), clock=clock)
    if condition.before_deadline is not None and not clock:
        yield (*path, "before_deadline"), "the deadline can only be tested in rules, not in the flow"
    if condition.question is None:
        return
    question = known.get(condition.question)
    if question is None:
        yield (*path, "question"), f"unknown or later question {condition.question!r}"
        return
    message = _operator_problem(condition, question)
    if message:
        yield (*path, (condition.operator or "question").rstrip("_")), message


def _operator_problem(condition: Condition, question: Question) -> str | None:
    operator = condition.operator
    if operator == "answered":
        return None
    if operator in ("greater_than", "at_least", "less_than", "at_most"):
        return None if question.type == QuestionType.INTEGER else f"{operator} needs an integer question"
    if operator == "contains":
        if question.type != QuestionType.MULTIPLE_CHOICE:
            return "contains needs a multiple-choice question"
        return _value_problem(condition.contains, question)
    values = condition.in_ if operator == "in_" else [getattr(condition, operator or "equals")]
    if question.type == QuestionType.MULTIPLE_CHOICE:
        return "use contains on a multiple-choice question"
    return next((p for p in (_value_problem(v, question) for v in values or []) if p), None)


def _value_problem(value: object, question: Question) -> str | None:
    kind = question.type
    if kind in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE):
        ok = isinstance(value, str) and value in question.option_ids()
        return None if ok else f"{value!r} is not an option of {question.id!r}"
    if kind == QuestionType.YES_NO:
        return None if isinstance(value, bool) else f"{question.id!r} is yes/no: compare with true or false"
    if kind == QuestionType.INTEGER:
        ok = isinstance(value, int) and not isinstance(value, bool)
        return None if ok else f"{question.id!r} is an integer: compare with a number"
    return None if isinstance(value, str) else f"{question.id!r} is text: compare with a string"


def _deadline(edition: Edition) -> Iterator[Problem]:
    deadline = edition.deadline
    if deadline.opens_at and deadline.closes_at and deadline.opens_at >= deadline.closes_at:
        yield ("deadline", "opens_at"), "the edition opens after it closes"
    if deadline.extended_from and deadline.closes_at and deadline.extended_from >= deadline.closes_at.date():
        yield ("deadline", "extended_from"), "an extension must move the deadline later"
    if not any(_tests_deadline(rule.require) for rule in edition.rules):
        yield ("rules",), "no rule tests the deadline (before_deadline: true)"


def _tests_deadline(condition: Condition) -> bool:
    children = [*(condition.all_ or []), *(condition.any_ or [])]
    if condition.not_ is not None:
        children.append(condition.not_)
    return condition.before_deadline is True or any(_tests_deadline(child) for child in children)
