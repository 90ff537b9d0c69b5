"""What kind of fact a question asks for, and whether a passage states one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from datafiles import DataFileError, read_model
from knowledge.text_folding import fold, words

_MONTHS = ["janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre",
           "octobre", "novembre", "decembre"]
_DATE = re.compile(
    r"\b(\d{1,2})(?:er)?\s+(" + "|".join(_MONTHS) + r")(?:\s+(20\d\d))?(?:\s*(?:a|,)?\s*(\d{1,2})\s?h\s?(\d{2})?)?"
)

_NOT_WORD = re.compile(r"[^0-9a-z\u0621-\u06d3]+")


@dataclass(frozen=True)
class Intent:
    """A kind of fact: the cues that ask for it and the pattern of a passage that states it."""

    name: str
    cues: tuple[str, ...]
    passage: re.Pattern[str]

    def asked_by(self, folded_question: str) -> bool:
        """Return whether a folded question asks for this kind of fact."""
        padded = f" {_words_only(folded_question)} "
        return any(f" {cue} " in padded for cue in self.cues)

    def stated_in(self, text: str) -> bool:
        """Return whether a passage states this kind of fact."""
        return bool(self.passage.search(fold(text)))


def _words_only(folded: str) -> str:
    return _NOT_WORD.sub(" ", folded).strip()


class _IntentSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    why: str = Field(min_length=10)
    cues: list[str] = Field(min_length=1)
    passage: str

    @field_validator("passage")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as error:
            raise ValueError(f"not a regular expression: {error}") from None
        return value


class _IntentFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    intents: dict[str, _IntentSpec]


INTENTS_FILE = Path(__file__).parent / "data" / "intents.yaml"


def load_intents(path: Path = INTENTS_FILE) -> tuple[Intent, ...]:
    """Read and validate a question-type file.

    Raises:
        DataFileError: a duplicate key, an unknown field, a missing `why` or a bad pattern, with its line.
    """
    parsed, _, problems = read_model(path, _IntentFile)
    if problems:
        raise DataFileError(problems)
    return tuple(Intent(name, tuple(_words_only(fold(c)) for c in spec.cues), re.compile(spec.passage))
                 for name, spec in parsed.intents.items())


@lru_cache(maxsize=1)
def intents() -> tuple[Intent, ...]:
    """Return the question types shipped in `knowledge/data/intents.yaml`."""
    return load_intents()


def asked_intents(question: str) -> list[Intent]:
    """Return the intents a question expresses."""
    folded = fold(question)
    informal = " ".join(words(question))  # "c koi" asks what "c'est quoi" asks
    return [intent for intent in intents() if intent.asked_by(folded) or intent.asked_by(informal)]


# Words that make a date a closing date rather than a launch or a signature date.
_DEADLINE_CUES = re.compile(r"\b(?:date limite|jusqu|au plus tard|deposes?|depot|deposer|delai|proroge|prorogation|"
                            r"cloture|clos)\w*")


def states_deadline(text: str) -> bool:
    """Return whether a passage gives a closing date (not just any date)."""
    folded = fold(text)
    return bool(_DATE.search(folded) and _DEADLINE_CUES.search(folded))
