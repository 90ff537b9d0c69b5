"""The dossier checklist of an applicant: item statuses, completion and the next item, computed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from intake.conditions import Facts, holds
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
