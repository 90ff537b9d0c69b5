"""Dossier completion and the next item are computed from the statuses, never stored."""

from __future__ import annotations

import pytest

from intake.checklist import (
    ItemStatus,
    ProgressMemo,
    checklist_progress,
    completion_percent,
    default_status,
    next_item,
)
from intake.schema import Condition, Edition

T, P, D, N = ItemStatus.TODO, ItemStatus.IN_PROGRESS, ItemStatus.DONE, ItemStatus.NOT_APPLICABLE


def statuses(edition: Edition, values: list[ItemStatus]) -> dict[str, ItemStatus]:
    return {item.id: status for item, status in zip(edition.checklist, values)}


@pytest.mark.parametrize(
    ("values", "percent", "next_index"),
    [
        ([], 0, 0),
        ([D] * 10, 100, None),
        ([D, D, D, D, D, T, T, T, T, T], 50, 5),
        ([D, D, D, D, D, N, N, N, N, N], 100, None),  # not applicable is left out
        ([N] * 10, 100, None),
        ([D, D, T, T, T, T, T, T, T, P], 20, 9),  # an item in progress comes first
        ([D, D, D, D, D, D, D, D, D, T], 90, 9),
        ([D, D, T, N, N, N, N, N, N, N], 66, 2),  # rounded down: 2/3 is 66, not 67
    ],
)
def test_completion_and_next_item(edition: Edition, values: list[ItemStatus], percent: int,
                                  next_index: int | None) -> None:
    answers = {"cluster_status": "existing"}
    progress = checklist_progress(edition, statuses(edition, values), answers)
    assert completion_percent(progress) == percent
    following = next_item(progress)
    assert (following.id if following else None) == (
        edition.checklist[next_index].id if next_index is not None else None
    )


def test_an_item_for_existing_clusters_only_is_not_applicable_to_a_new_one(edition: Edition) -> None:
    item = next(item for item in edition.checklist if item.id == "support_history")
    assert default_status(item, {"cluster_status": "new"}) == N
    assert default_status(item, {"cluster_status": "existing"}) == T
    assert default_status(item, {}) == T  # unknown: keep it on the list


def test_a_new_cluster_counts_one_item_less(edition: Edition) -> None:
    first_done = {edition.checklist[0].id: D}
    new = checklist_progress(edition, first_done, {"cluster_status": "new"})
    existing = checklist_progress(edition, first_done, {"cluster_status": "existing"})
    assert completion_percent(new) == 100 // (len(edition.checklist) - 1)
    assert completion_percent(existing) == 100 // len(edition.checklist)


def test_a_stored_status_wins_over_the_default(edition: Edition) -> None:
    progress = checklist_progress(edition, {"support_history": D}, {"cluster_status": "new"})
    entry = next(e for e in progress if e.item.id == "support_history")
    assert entry.status == D and entry.stored


def test_the_memo_gives_what_computing_each_dossier_gives(edition: Edition) -> None:
    # One item depends on a yes/no answer: true and 1, none and a missing answer must not share a case.
    on_governance = Condition(question="has_governance", equals=True)
    varied = edition.model_copy(update={"checklist": [
        *edition.checklist[:-1], edition.checklist[-1].model_copy(update={"applies_if": on_governance})]})
    answers = [{}, {"has_governance": True}, {"has_governance": 1}, {"has_governance": None},
               {"has_governance": False}, {"has_governance": True, "cluster_status": "existing"}]
    stored = [{}, {varied.checklist[0].id: D}, {varied.checklist[0].id: D, varied.checklist[1].id: P},
              {varied.checklist[-1].id: D}]
    memo = ProgressMemo()
    for _ in range(2):  # the second round is answered from the memo
        for given in answers:
            for statuses_ in stored:
                progress = checklist_progress(varied, statuses_, given)
                following = next_item(progress)
                expected = (completion_percent(progress), following.id if following else None)
                assert memo.outcome(varied, statuses_, given) == expected, (given, statuses_)
