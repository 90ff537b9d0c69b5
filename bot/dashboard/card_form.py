"""An answer card as an HTML form's fields, and back, validated by the card model itself.

The form is flat (one field per text, one textarea of examples per language, three
source rows) so it works without JavaScript; the card model gives the same errors as
`cluster-assistant knowledge check`, shown next to the form.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import ValidationError
from starlette.datastructures import FormData

from datafiles.messages import N_
from knowledge.answer_types import Language
from knowledge.cards import EXAMPLE_LANGUAGES, Card

LANGUAGES = ("fr", "ar", "en")
SOURCE_ROWS = 3
SOURCE_FIELDS = ("document", "edition", "date", "address")
MAX_TEXT = 4000  # a card's answer is a short text; anything longer is a mistake
FIELD_NAMES = {"id": N_("identifiant"), "kind": N_("type"), "topic": N_("sujet"), "answer": N_("réponse"),
               "edition": N_("édition"), "deadline_of": N_("date limite de l'édition"), "sources": N_("sources"),
               "examples": N_("exemples"), "document": N_("document"), "address": N_("adresse"), "date": N_("date")}


def card_fields(card: Card) -> dict[str, str]:
    """Return a card's form fields."""
    fields = {"id": card.id, "kind": card.kind, "edition": card.edition or "", "deadline_of": card.deadline_of or "",
              "confirmed": "on" if card.confirmed else ""}
    for language in LANGUAGES:
        fields[f"topic_{language}"] = card.topic.get(Language(language))
        fields[f"answer_{language}"] = card.answer.get(Language(language))
    for language in EXAMPLE_LANGUAGES:
        fields[f"examples_{language}"] = "\n".join(getattr(card.examples, language))
    for n, source in enumerate(card.sources[:SOURCE_ROWS]):
        for name in SOURCE_FIELDS:
            fields[f"source_{n}_{name}"] = getattr(source, name) or ""
    return fields


def blank_fields(examples: dict[str, list[str]]) -> dict[str, str]:
    """Return a new card's form fields, its examples already filled in (from a group of questions)."""
    fields = {"kind": "answer", "confirmed": ""}
    fields.update({f"examples_{language}": "\n".join(questions) for language, questions in examples.items()})
    return fields


def submitted_fields(form: FormData) -> dict[str, str]:
    """Return the card fields of a submitted form as text, each cut to `MAX_TEXT` characters."""
    names = {"id", "kind", "edition", "deadline_of", "confirmed"}
    names |= {f"{part}_{language}" for part in ("topic", "answer") for language in LANGUAGES}
    names |= {f"examples_{language}" for language in EXAMPLE_LANGUAGES}
    names |= {f"source_{n}_{name}" for n in range(SOURCE_ROWS) for name in SOURCE_FIELDS}
    return {name: value.strip()[:MAX_TEXT * 10 if name.startswith("examples") else MAX_TEXT]
            for name in names if isinstance(value := form.get(name), str)}


def card_from_fields(fields: dict[str, str], gettext: Callable[[str], str]) -> tuple[Card | None, list[str]]:
    """Return the card the fields describe, or None and the mistakes in words (the field names in `gettext`'s
    language; the model's own message stays as the validator wrote it)."""
    sources = [{name: fields.get(f"source_{n}_{name}") or None for name in SOURCE_FIELDS}
               for n in range(SOURCE_ROWS) if fields.get(f"source_{n}_document")]
    data: dict[str, Any] = {
        "id": fields.get("id", ""), "kind": fields.get("kind", ""),
        "topic": {language: fields.get(f"topic_{language}", "") for language in LANGUAGES},
        "answer": {language: fields.get(f"answer_{language}", "") for language in LANGUAGES},
        "edition": fields.get("edition") or None, "deadline_of": fields.get("deadline_of") or None,
        "confirmed": fields.get("confirmed") == "on", "sources": sources,
        "examples": {language: [line.strip() for line in fields.get(f"examples_{language}", "").splitlines()
                                if line.strip()] for language in EXAMPLE_LANGUAGES},
    }
    try:
        return Card.model_validate(data), []
    except ValidationError as error:
        return None, [_in_words(e, gettext) for e in error.errors()]


def _in_words(error: Any, gettext: Callable[[str], str]) -> str:
    where = " › ".join(gettext(FIELD_NAMES[str(part)]) if str(part) in FIELD_NAMES else str(part)
                       for part in error["loc"])
    return f"{where} : {error['msg']}" if where else str(error["msg"])
