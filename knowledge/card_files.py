"""Writing answer cards from the staff workspace: one validated YAML file per card.

A staff card lives in the data directory's `cards/` folder, where a card replaces a
built-in card of the same id (`check_cards`): editing a built-in card writes its new
version there, and retiring one writes it with `retired: true`. A card already in a staff
file of several cards (added with `knowledge add-card`) is rewritten in that file, so an id
is never in two files of one folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from knowledge.cards import EXAMPLE_LANGUAGES, Card, Examples, load_card_file

MOST_EXAMPLES = 200  # per card: examples beyond this add little and slow every card change


def staff_card_path(folder: Path, card: Card, current: Path | None) -> Path:
    """Return the file a card is written to: its current staff file, else `<id>.yaml` in `folder`."""
    if current is not None and current.parent.resolve() == folder.resolve():
        return current
    return folder / f"{card.id}.yaml"


def write_card(path: Path, card: Card, edition_years: set[str]) -> None:
    """Put `card` in the card file at `path` (replacing a card of the same id), validated, atomically.

    Raises:
        DataFileError: the written file would not validate; nothing was changed.
    """
    cards = load_card_file(path, edition_years) if path.exists() else []
    kept = [card if c.id == card.id else c for c in cards]
    if card.id not in {c.id for c in cards}:
        kept.append(card)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(_dump(kept), encoding="utf-8")
    try:
        load_card_file(partial, edition_years)
    except Exception:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(path)  # readers see the old file or the new one, never half of one


def with_examples(card: Card, questions: dict[str, list[str]]) -> Card:
    """Return `card` with new example questions by language (fr, ar, darija, en), without repeats."""
    known = {q.strip().casefold() for q in card.examples.all()}
    merged: dict[str, list[str]] = {}
    for language in EXAMPLE_LANGUAGES:
        current = list(getattr(card.examples, language))
        for question in questions.get(language, []):
            if question.strip() and question.strip().casefold() not in known:
                current.append(question.strip())
                known.add(question.strip().casefold())
        merged[language] = current
    examples = Examples(**merged)
    if len(examples.all()) > MOST_EXAMPLES:
        raise ValueError(f"a card keeps at most {MOST_EXAMPLES} example questions")
    return card.model_copy(update={"examples": examples})


def _dump(cards: list[Card]) -> str:
    def plain(card: Card) -> dict[str, Any]:
        return card.model_dump(mode="json", exclude={"retired"} if not card.retired else set())

    header = "# Written by the staff workspace; validated like every card file (`cluster-assistant knowledge check`).\n"
    return header + yaml.safe_dump({"cards": [plain(c) for c in cards]}, allow_unicode=True, sort_keys=False,
                                   width=100)
