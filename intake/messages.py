"""Applicant-facing messages of the intake domain, in French, Arabic and English."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from intake.schema import Language, LocalizedText


class Message(StrEnum):
    """Every message key; the texts are in `_TEXTS`."""

    REQUIRED = "required"
    CHOICE = "choice"
    CHOICES = "choices"
    MIN_CHOICES = "min_choices"
    YES_NO = "yes_no"
    INTEGER = "integer"
    RANGE = "range"
    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    TEXT = "text"
    UNKNOWN_QUESTION = "unknown_question"
    NOT_ASKED = "not_asked"


_TEXTS: dict[Message, dict[str, str]] = {
    Message.REQUIRED: {
        "fr": "Cette question attend une réponse.",
        "ar": "هذا السؤال يتطلب جوابا.",
        "en": "This question needs an answer.",
    },
    Message.CHOICE: {
        "fr": "Choisissez une des réponses proposées : {options}.",
        "ar": "اختاروا أحد الأجوبة المقترحة: {options}.",
        "en": "Choose one of the offered answers: {options}.",
    },
    Message.CHOICES: {
        "fr": "Choisissez une ou plusieurs réponses parmi : {options}.",
        "ar": "اختاروا جوابا واحدا أو أكثر من بين: {options}.",
        "en": "Choose one or more answers among: {options}.",
    },
    Message.MIN_CHOICES: {
        "fr": "Choisissez au moins {count} réponse(s) parmi : {options}.",
        "ar": "اختاروا على الأقل {count} من بين: {options}.",
        "en": "Choose at least {count} answer(s) among: {options}.",
    },
    Message.YES_NO: {
        "fr": "Répondez par oui ou par non.",
        "ar": "أجيبوا بنعم أو لا.",
        "en": "Answer yes or no.",
    },
    Message.INTEGER: {
        "fr": "Indiquez un nombre entier, en chiffres.",
        "ar": "أدخلوا عددا صحيحا بالأرقام.",
        "en": "Enter a whole number, in digits.",
    },
    Message.RANGE: {
        "fr": "Indiquez un nombre entier entre {minimum} et {maximum}.",
        "ar": "أدخلوا عددا صحيحا بين {minimum} و{maximum}.",
        "en": "Enter a whole number between {minimum} and {maximum}.",
    },
    Message.AT_LEAST: {
        "fr": "Indiquez un nombre entier égal ou supérieur à {minimum}.",
        "ar": "أدخلوا عددا صحيحا يساوي {minimum} أو يفوقه.",
        "en": "Enter a whole number of at least {minimum}.",
    },
    Message.AT_MOST: {
        "fr": "Indiquez un nombre entier égal ou inférieur à {maximum}.",
        "ar": "أدخلوا عددا صحيحا لا يتجاوز {maximum}.",
        "en": "Enter a whole number of at most {maximum}.",
    },
    Message.TEXT: {
        "fr": "Écrivez un texte court, de {max_length} caractères au plus.",
        "ar": "اكتبوا نصا قصيرا لا يتجاوز {max_length} حرفا.",
        "en": "Write a short text of at most {max_length} characters.",
    },
    Message.UNKNOWN_QUESTION: {
        "fr": "La question « {question} » n'existe pas dans l'édition {year}.",
        "ar": "السؤال «{question}» غير موجود في دورة {year}.",
        "en": "There is no question “{question}” in the {year} edition.",
    },
    Message.NOT_ASKED: {
        "fr": "Cette question ne se pose pas au vu de vos réponses précédentes.",
        "ar": "هذا السؤال لا ينطبق بالنظر إلى أجوبتكم السابقة.",
        "en": "This question does not apply given your earlier answers.",
    },
}


def localized(key: Message, **values: Any) -> LocalizedText:
    """Return the message `key` in every language, with `values` filled in.

    A value may itself be a LocalizedText or a per-language dict; it is then
    filled in language by language.
    """
    texts = {}
    for language in Language:
        filled = {name: _pick(value, language) for name, value in values.items()}
        texts[language.value] = _TEXTS[key][language.value].format(**filled)
    return LocalizedText(**texts)


def _pick(value: Any, language: Language) -> Any:
    if isinstance(value, LocalizedText):
        return value.get(language)
    if isinstance(value, dict):
        return value[language.value]
    return value
