"""The shape of an edition file: sources, questions, rules and checklist, as pydantic models."""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from datafiles.language import Language as Language
from intake.clock import CALL_TIMEZONE

Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
Scalar = bool | int | str
_ARABIC = re.compile(r"[\u0600-\u06FF]")


class QuestionType(StrEnum):
    """How a question is answered."""

    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    YES_NO = "yes_no"
    INTEGER = "integer"
    SHORT_TEXT = "short_text"


class Outcome(StrEnum):
    """What a rule means for the verdict when its requirement is not met."""

    NOT_ELIGIBLE = "not_eligible"
    TO_CONFIRM = "to_confirm"


class Strict(BaseModel):
    """Base for edition models: unknown keys are mistakes, models are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class LocalizedText(Strict):
    """One text in French, Arabic and English."""

    fr: str = Field(min_length=1)
    ar: str = Field(min_length=1)
    en: str = Field(min_length=1)

    @field_validator("ar")
    @classmethod
    def _arabic_script(cls, value: str) -> str:
        if not _ARABIC.search(value):
            raise ValueError("the Arabic text contains no Arabic letters")
        return value

    def get(self, language: Language | str) -> str:
        """Return the text in `language`, French when the language is unknown."""
        return str(getattr(self, str(language), self.fr))


class Source(Strict):
    """A document a fact comes from."""

    document: str = Field(min_length=3)
    edition: str | None = None
    date: str | None = Field(default=None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")
    official: bool

    @field_validator("edition", "date", mode="before")
    @classmethod
    def _as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int | date) else value

    def cite(self) -> str:
        """Return a one-line citation: document, edition, date."""
        parts = [self.document]
        if self.edition:
            parts.append(f"edition {self.edition}")
        if self.date:
            parts.append(self.date)
        return ", ".join(parts)


class Fact(Strict):
    """Anything stated about the call: where it comes from and whether it is confirmed."""

    source: Identifier
    confirmed: bool
    note: LocalizedText | None = None


class Deadline(Fact):
    """When the edition opens and closes, in the edition's time zone; null means unknown."""

    opens_at: datetime | None
    closes_at: datetime | None
    extended_from: date | None = None


class Option(Strict):
    """One choice of a choice question."""

    id: Identifier
    label: LocalizedText


class Condition(Strict):
    """One test in the rule language: a comparison on an answer, a combination, or the deadline."""

    question: Identifier | None = None
    equals: Scalar | None = None
    not_equals: Scalar | None = None
    in_: list[Scalar] | None = Field(default=None, alias="in")
    contains: str | None = None
    greater_than: int | None = None
    at_least: int | None = None
    less_than: int | None = None
    at_most: int | None = None
    answered: bool | None = None
    all_: list[Condition] | None = Field(default=None, alias="all")
    any_: list[Condition] | None = Field(default=None, alias="any")
    not_: Condition | None = Field(default=None, alias="not")
    before_deadline: bool | None = None

    @model_validator(mode="after")
    def _one_test(self) -> Condition:
        operators = [name for name in COMPARISONS if getattr(self, name) is not None]
        combinators = [name for name in ("all_", "any_", "not_") if getattr(self, name) is not None]
        deadline = self.before_deadline is not None
        if self.question is not None and len(operators) != 1:
            raise ValueError("a question test needs exactly one operator: " + ", ".join(OPERATOR_NAMES))
        if self.question is None and operators:
            raise ValueError("an operator needs a `question`")
        if (self.question is not None) + len(combinators) + deadline != 1:
            raise ValueError("write exactly one of: question, all, any, not, before_deadline")
        return self

    @property
    def operator(self) -> str | None:
        """Return the comparison this condition makes on its question, if any."""
        return next((name for name in COMPARISONS if getattr(self, name) is not None), None)


COMPARISONS = (
    "equals", "not_equals", "in_", "contains", "greater_than", "at_least", "less_than", "at_most", "answered",
)
OPERATOR_NAMES = [name.rstrip("_") for name in COMPARISONS]


class Question(Strict):
    """One eligibility question, its type and when it is asked."""

    id: Identifier
    type: QuestionType
    text: LocalizedText
    short: LocalizedText | None = None
    options: list[Option] = Field(default_factory=list)
    minimum: int | None = None
    maximum: int | None = None
    max_length: int = Field(default=200, ge=1, le=2000)
    min_choices: int = Field(default=1, ge=0)
    required: bool = True
    ask_if: Condition | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Question:
        is_choice = self.type in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE)
        if is_choice and len(self.options) < 2:
            raise ValueError("a choice question needs at least two options")
        if not is_choice and self.options:
            raise ValueError(f"a {self.type} question takes no options")
        if self.type != QuestionType.INTEGER and (self.minimum is not None or self.maximum is not None):
            raise ValueError("minimum and maximum apply to integer questions only")
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise ValueError("minimum is greater than maximum")
        return self

    def option_ids(self) -> list[str]:
        """Return the ids of this question's options, in order."""
        return [option.id for option in self.options]

    def label(self, language: Language | str) -> str:
        """Return the short label if there is one, else the question text."""
        return (self.short or self.text).get(language)


class Rule(Fact):
    """A verdict rule: when `when` holds and `require` does not, the outcome applies."""

    id: Identifier
    when: Condition | None = None
    require: Condition
    outcome: Outcome
    explanation: LocalizedText


class ChecklistItem(Fact):
    """One document or piece of the dossier, why it is needed and whether that is confirmed."""

    id: Identifier
    title: LocalizedText
    why: LocalizedText
    applies_if: Condition | None = None


class Edition(Strict):
    """One yearly edition of the call, as written in its data file."""

    year: int = Field(ge=2000, le=2100)
    title: LocalizedText
    timezone: str = CALL_TIMEZONE
    sources: dict[Identifier, Source]
    deadline: Deadline
    questions: list[Question] = Field(min_length=1)
    rules: list[Rule] = Field(min_length=1)
    checklist: list[ChecklistItem] = Field(min_length=1)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    def question(self, question_id: str) -> Question | None:
        """Return the question with this id, or None."""
        return next((q for q in self.questions if q.id == question_id), None)

    def closes_at(self) -> datetime | None:
        """Return the closing date-time, aware, in the edition's time zone."""
        return _localize(self.deadline.closes_at, self.timezone)

    def opens_at(self) -> datetime | None:
        """Return the opening date-time, aware, in the edition's time zone."""
        return _localize(self.deadline.opens_at, self.timezone)


def _localize(moment: datetime | None, zone: str) -> datetime | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=ZoneInfo(zone))
    return moment.astimezone(ZoneInfo(zone))
