"""Check an answer against its question, and read answers typed as chat text."""

from __future__ import annotations

from typing import Any

from intake.errors import InvalidAnswer
from intake.messages import Message, localized
from intake.schema import Edition, Language, Question, QuestionType

_YES = {"yes", "y", "oui", "o", "true", "نعم", "اه", "آه", "ايه", "واخا"}
_NO = {"no", "n", "non", "false", "لا", "لالا"}
# Applicants on Arabic keyboards type Eastern Arabic digits; int() accepts them, but
# say so explicitly so the intent survives a refactor.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def question_or_error(edition: Edition, question_id: str) -> Question:
    """Return the question with this id, or raise InvalidAnswer naming the edition."""
    question = edition.question(question_id)
    if question is None:
        raise InvalidAnswer(question_id, localized(Message.UNKNOWN_QUESTION, question=question_id, year=edition.year))
    return question


def validate_answer(question: Question, value: Any) -> Any:
    """Return the answer in its stored form, or raise InvalidAnswer; types are strict."""
    if value is None:
        if question.required:
            raise InvalidAnswer(question.id, localized(Message.REQUIRED))
        return None
    check = {
        QuestionType.SINGLE_CHOICE: _single_choice,
        QuestionType.MULTIPLE_CHOICE: _multiple_choice,
        QuestionType.YES_NO: _yes_no,
        QuestionType.INTEGER: _integer,
        QuestionType.SHORT_TEXT: _short_text,
    }[question.type]
    return check(question, value)


def read_answer(question: Question, value: Any) -> Any:
    """Return a valid answer from a typed value or from text typed in a chat."""
    if isinstance(value, str) and question.type != QuestionType.SHORT_TEXT:
        value = _from_text(question, value.strip())
    return validate_answer(question, value)


def _options(question: Question) -> dict[str, str]:
    return {lang.value: ", ".join(o.label.get(lang) for o in question.options) for lang in Language}


def _single_choice(question: Question, value: Any) -> str:
    if isinstance(value, str) and value in question.option_ids():
        return value
    raise InvalidAnswer(question.id, localized(Message.CHOICE, options=_options(question)))


def _multiple_choice(question: Question, value: Any) -> list[str]:
    ids = question.option_ids()
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) and v in ids for v in value):
        raise InvalidAnswer(question.id, localized(Message.CHOICES, options=_options(question)))
    chosen = [option for option in ids if option in value]
    if len(chosen) < question.min_choices:
        message = localized(Message.MIN_CHOICES, count=question.min_choices, options=_options(question))
        raise InvalidAnswer(question.id, message)
    return chosen


def _yes_no(question: Question, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise InvalidAnswer(question.id, localized(Message.YES_NO))


def _integer(question: Question, value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidAnswer(question.id, _range_message(question))
    low, high = question.minimum, question.maximum
    if (low is not None and value < low) or (high is not None and value > high):
        raise InvalidAnswer(question.id, _range_message(question))
    return value


def _range_message(question: Question) -> Any:
    low, high = question.minimum, question.maximum
    if low is not None and high is not None:
        return localized(Message.RANGE, minimum=low, maximum=high)
    if low is not None:
        return localized(Message.AT_LEAST, minimum=low)
    if high is not None:
        return localized(Message.AT_MOST, maximum=high)
    return localized(Message.INTEGER)


def _short_text(question: Question, value: Any) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text or len(text) > question.max_length:
        raise InvalidAnswer(question.id, localized(Message.TEXT, max_length=question.max_length))
    return text


def _from_text(question: Question, text: str) -> Any:
    folded = text.casefold()
    if question.type == QuestionType.YES_NO:
        return True if folded in _YES else False if folded in _NO else text
    if question.type == QuestionType.INTEGER:
        digits = folded.translate(_DIGITS).replace(" ", "")
        return int(digits) if digits.lstrip("-").isdigit() and digits.isascii() else text
    if question.type == QuestionType.SINGLE_CHOICE:
        return _option_from_text(question, text)
    parts = [part.strip() for part in text.replace("،", ",").split(",") if part.strip()]
    return [_option_from_text(question, part) for part in parts]


def _option_from_text(question: Question, text: str) -> str:
    """Match an option by id, by label in any language, or by its 1-based number."""
    folded = text.casefold()
    for number, option in enumerate(question.options, start=1):
        labels = {option.id, option.label.fr, option.label.ar, option.label.en}
        if folded in {label.casefold() for label in labels} or folded == str(number):
            return option.id
    return text
