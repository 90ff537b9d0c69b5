"""Answer cards: short answers people maintain as data, validated like the editions.

A card answers one fact or short question (a list stays whole) in French, Arabic and
English, cites its sources and carries example questions. Dates, hours and contacts are
never written in a card: placeholders (`{deadline:2024}`, `{phone}`) are filled from the
edition data and the settings, so the two can never disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from datafiles import DataFileError, Problem, line_of, read_model
from knowledge.answer_types import Language

PLACEHOLDER = re.compile(r"\{([a-z_]+)(?::([0-9a-z]+))?\}")
_ID = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_YEAR = r"^(19|20)\d\d$"
EXAMPLE_LANGUAGES = ("fr", "ar", "darija", "en")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Texts(_Strict):
    """One text in each language the assistant answers in."""

    fr: str = Field(min_length=1)
    ar: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, language: Language) -> str:
        """Return the text in `language`."""
        return str(getattr(self, language))


class CardSource(_Strict):
    """A document a card rests on."""

    document: str = Field(min_length=3)
    edition: str | None = Field(default=None, pattern=_YEAR)
    date: str | None = Field(default=None, pattern=r"^(19|20)\d\d(-\d\d(-\d\d)?)?$")
    address: str | None = Field(default=None, pattern=r"^https?://\S+$")

    @field_validator("edition", "date", mode="before")
    @classmethod
    def _as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) else value


class Examples(_Strict):
    """How applicants ask for a card, by language (Darija in either script)."""

    fr: list[str] = Field(default_factory=list)
    ar: list[str] = Field(default_factory=list)
    darija: list[str] = Field(default_factory=list)
    en: list[str] = Field(default_factory=list)

    def all(self) -> list[str]:
        """Return every example question."""
        return [q for language in EXAMPLE_LANGUAGES for q in getattr(self, language)]


class Card(_Strict):
    """One answer card."""

    id: str = Field(pattern=_ID)
    kind: Literal["answer", "not_in_texts"]
    topic: Texts
    answer: Texts
    edition: str | None = Field(default=None, pattern=_YEAR)
    deadline_of: str | None = Field(default=None, pattern=r"^((19|20)\d\d|latest)$")
    confirmed: bool
    sources: list[CardSource] = Field(min_length=1)
    examples: Examples
    retired: bool = False  # kept for the record (a later folder may retire a built-in card) but never used

    @field_validator("edition", "deadline_of", mode="before")
    @classmethod
    def _as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) else value

    @model_validator(mode="after")
    def _consistent(self) -> Card:
        if len(self.examples.all()) < 3:
            raise ValueError("give at least 3 example questions")
        if any(len(topic) > 60 for topic in (self.topic.fr, self.topic.ar, self.topic.en)):
            raise ValueError("a topic is at most 60 characters (it becomes a button)")
        return self

    @property
    def answers(self) -> bool:
        """Return whether the card answers (not_in_texts cards say what the texts lack)."""
        return self.kind == "answer"


class CardFile(_Strict):
    """The content of one card file."""

    cards: list[Card] = Field(min_length=1)


@dataclass(frozen=True)
class CardSet:
    """Every card a process uses, by id, and the file each comes from (retired cards' too)."""

    cards: dict[str, Card]
    files: dict[str, Path]
    retired: dict[str, Card] = field(default_factory=dict)


def placeholder_problems(card: Card, edition_years: set[str]) -> list[tuple[tuple[str | int, ...], str]]:
    """Return the placeholders of a card that cannot be filled, and languages that disagree on them."""
    problems: list[tuple[tuple[str | int, ...], str]] = []
    found: dict[str, set[str]] = {}
    for language in Language:
        text = card.answer.get(language)
        found[language] = {m.group(0) for m in PLACEHOLDER.finditer(text)}
        for match in PLACEHOLDER.finditer(text):
            name, value = match.groups()
            if name == "deadline" and value != "latest" and value not in edition_years:
                problems.append((("answer", language), f"{match.group(0)}: no edition file for {value}"))
            elif name not in {"deadline", "phone", "email", "latest_edition"} or (name == "deadline") != bool(value):
                problems.append((("answer", language), f"unknown placeholder {match.group(0)}"))
    if not found["fr"] == found["ar"] == found["en"]:
        problems.append((("answer",), "the languages do not use the same placeholders"))
    if card.deadline_of and card.deadline_of != "latest" and card.deadline_of not in edition_years:
        problems.append((("deadline_of",), f"no edition file for {card.deadline_of}"))
    return problems


def load_card_file(path: Path, edition_years: set[str]) -> list[Card]:
    """Read and validate one card file.

    Raises:
        DataFileError: listing every mistake with its line.
    """
    parsed, marks, problems = read_model(path, CardFile)
    for n, card in enumerate(parsed.cards):
        problems += [Problem(path, line_of(marks, ("cards", n, *where)), f"card {card.id}: {message}")
                     for where, message in placeholder_problems(card, edition_years)]
    if problems:
        raise DataFileError(problems)
    return parsed.cards


def check_cards(folders: list[Path], edition_years: set[str]) -> tuple[CardSet, list[Problem]]:
    """Validate every `*.yaml` card file of the folders; a later folder's card replaces an earlier one's.

    Returns:
        The valid cards, and every problem found (an id used twice in one folder included).
    """
    cards: dict[str, Card] = {}
    files: dict[str, Path] = {}
    problems: list[Problem] = []
    for folder in folders:
        seen_here: dict[str, Path] = {}
        for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
            try:
                loaded = load_card_file(path, edition_years)
            except DataFileError as error:
                problems += error.problems
                continue
            for card in loaded:
                if card.id in seen_here:
                    problems.append(Problem(path, None, f"card id {card.id!r} is also in {seen_here[card.id].name}"))
                seen_here[card.id] = path
                cards[card.id], files[card.id] = card, path
    retired = {card_id: card for card_id, card in cards.items() if card.retired}
    return CardSet({k: c for k, c in cards.items() if not c.retired}, files, retired), problems
