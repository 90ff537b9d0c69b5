"""Answer cards as data: every mistake named by file and line; placeholders filled from the editions."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from datafiles import DataFileError
from knowledge.base import BUILTIN_CARDS
from knowledge.card_text import EditionDeadline, Facts, card_text
from knowledge.cards import check_cards, load_card_file
from knowledge.intents import load_intents

YEARS = {"2023", "2024", "2025"}
FACTS = Facts({"2024": EditionDeadline("2024", datetime(2024, 10, 25, 15), True, "press"),
               "2025": EditionDeadline("2025", datetime(2025, 7, 24, 15), False, "press")},
              phone="05 37 73 93 46", email="contact@example.ma")

CARD = """\
cards:
  - id: deadline-2024
    kind: answer
    topic: {fr: "Date limite 2024", ar: "آخر أجل 2024", en: "2024 deadline"}
    answer:
      fr: "Les dossiers étaient attendus au plus tard le {deadline:2024} ; écrivez à {email}."
      ar: "كان آخر أجل هو {deadline:2024}؛ راسلوا {email}."
      en: "Dossiers were due by {deadline:2024}; write to {email}."
    edition: "2024"
    confirmed: false
    sources:
      - {document: "Presse 2024", edition: "2024", date: "2024-07"}
    examples:
      fr: ["date limite 2024 ?", "jusqu'a quand en 2024"]
      en: ["2024 deadline?"]
"""


def _write(tmp_path: Path, text: str, name: str = "cards.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_built_in_cards_are_valid() -> None:
    cards, problems = check_cards([BUILTIN_CARDS], YEARS)
    assert problems == []
    assert len(cards.cards) >= 30 and any(not card.answers for card in cards.cards.values())


def test_placeholders_are_filled_from_the_edition_data_in_each_language(tmp_path: Path) -> None:
    [card] = load_card_file(_write(tmp_path, CARD), YEARS)
    assert card_text(card, "fr", FACTS) == ("Les dossiers étaient attendus au plus tard le 25 octobre 2024 à 15:00 ; "
                                            "écrivez à contact@example.ma.")
    assert "2024" in card_text(card, "ar", FACTS) and "15:00" in card_text(card, "ar", FACTS)
    assert card_text(card, "en", FACTS).startswith("Dossiers were due by 25 October 2024 at 15:00")


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (("{deadline:2024} ; écrivez", "{deadline:2031} ; écrivez"), 6, "no edition file for 2031"),
        (("écrivez à {email}", "écrivez à {courriel}"), 6, "unknown placeholder {courriel}"),
        (("kind: answer", "kind: answr"), 3, "kind"),
        (('date: "2024-07"', 'date: "juillet"'), 12, "date"),
        (
            ('      en: ["2024 deadline?"]', '      en: ["2024 deadline?"]\n    confirmed: true'),
            16,
            "duplicate key 'confirmed'",
        ),
        (
            ('    sources:\n      - {document: "Presse 2024", edition: "2024", date: "2024-07"}\n', ""),
            2,
            "sources: Field required",
        ),
    ],
)
def test_mistakes_are_reported_with_their_line(tmp_path: Path, change: tuple[str, str], line: int,
                                               message: str) -> None:
    with pytest.raises(DataFileError) as error:
        load_card_file(_write(tmp_path, CARD.replace(*change)), YEARS)
    assert any(p.line == line and message in p.message for p in error.value.problems), error.value.problems


def test_an_id_used_twice_in_one_folder_is_a_problem(tmp_path: Path) -> None:
    _write(tmp_path, CARD, "a.yaml")
    _write(tmp_path, CARD, "b.yaml")
    _, problems = check_cards([tmp_path], YEARS)
    assert [p.message for p in problems] == ["card id 'deadline-2024' is also in a.yaml"]


def test_a_data_directory_card_replaces_a_built_in_one(tmp_path: Path) -> None:
    _write(tmp_path, CARD.replace("deadline-2024", "contact"))
    cards, problems = check_cards([BUILTIN_CARDS, tmp_path], YEARS)
    assert problems == [] and cards.files["contact"] == tmp_path / "cards.yaml"


def test_question_types_are_validated_data(tmp_path: Path) -> None:
    assert {i.name for i in load_intents()} >= {"deadline", "phone", "email"}
    bad = _write(tmp_path, "intents:\n  phone:\n    cues: [tel]\n    passage: '('\n", "intents.yaml")
    with pytest.raises(DataFileError) as error:
        load_intents(bad)
    messages = " ".join(p.message for p in error.value.problems)
    assert "why" in messages and "passage" in messages
