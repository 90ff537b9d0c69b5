"""The dossier checklist of an applicant: item statuses, completion and the next item, computed."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from intake.conditions import Facts, holds, referenced_questions
from intake.schema import ChecklistItem, Edition


class ItemStatus(StrEnum):
    """Where an applicant stands on one dossier item."""

    TODO = "todo"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class ItemProgress:
    """One checklist item with the applicant's status for it."""

    item: ChecklistItem
    status: ItemStatus
    stored: bool


def default_status(item: ChecklistItem, answers: Mapping[str, Any]) -> ItemStatus:
    """Return the status of an item nobody touched: not applicable when the answers rule it out."""
    if item.applies_if is not None and holds(item.applies_if, Facts(answers)) is False:
        return ItemStatus.NOT_APPLICABLE
    return ItemStatus.TODO


def checklist_progress(
    edition: Edition, stored: Mapping[str, ItemStatus], answers: Mapping[str, Any]
) -> list[ItemProgress]:
    """Return every item of the edition with its stored status, or its default one."""
    return [
        ItemProgress(item, stored[item.id], True) if item.id in stored
        else ItemProgress(item, default_status(item, answers), False)
        for item in edition.checklist
    ]


def completion_percent(items: Sequence[ItemProgress]) -> int:
    """Return the share of items done, in whole percent, not-applicable items left out."""
    counted = [entry for entry in items if entry.status != ItemStatus.NOT_APPLICABLE]
    if not counted:
        return 100
    done = sum(entry.status == ItemStatus.DONE for entry in counted)
    # Round down: 99.6% must not read as a finished dossier.
    return done * 100 // len(counted)


def next_item(items: Sequence[ItemProgress]) -> ChecklistItem | None:
    """Return the item to work on next: the first one in progress, else the first to do."""
    for wanted in (ItemStatus.IN_PROGRESS, ItemStatus.TODO):
        for entry in items:
            if entry.status == wanted:
                return entry.item
    return None


class ProgressMemo:
    """Completion and next item of many dossiers of one catalog, each distinct case computed once.

    A dossier's outcome depends only on its stored statuses and on the answers its items'
    conditions look at; a staff list or export of thousands of intakes holds few such cases,
    and computing each dossier's checklist anew was a large share of its time.
    """

    def __init__(self) -> None:
        self._questions: dict[int, list[str]] = {}
        self._seen: dict[tuple[Any, ...], tuple[int, str | None]] = {}

    def outcome(self, edition: Edition, stored: Mapping[str, ItemStatus],
                answers: Mapping[str, Any]) -> tuple[int, str | None]:
        """Return the completion percent and the next item's id, as `completion_percent` and `next_item` give them."""
        if edition.year not in self._questions:
            self._questions[edition.year] = sorted(set().union(*(
                referenced_questions(item.applies_if) for item in edition.checklist if item.applies_if)))
        # As JSON text, true and 1 stay two keys (in Python True == 1) and a missing answer reads as null,
        # as conditions read it.
        key = (edition.year, tuple(sorted(stored.items())),
               tuple(json.dumps(answers.get(question)) for question in self._questions[edition.year]))
        if key not in self._seen:
            progress = checklist_progress(edition, stored, answers)
            following = next_item(progress)
            self._seen[key] = (completion_percent(progress), following.id if following else None)
        return self._seen[key]
