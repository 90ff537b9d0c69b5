"""Checklist services: statuses, notes, file references, their history, and ownership."""

from __future__ import annotations

import pytest
from intake_factories import ELIGIBLE_EXISTING, NOW, answer_all, file_ref, make_applicant, start_check
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from intake import services
from intake.checklist import ItemStatus
from intake.database import unit_of_work
from intake.errors import NotOwner, UnknownAttachment, UnknownChecklistItem
from intake.models import ChangeKind, ChecklistEvent


def test_a_fresh_checklist_lists_every_item_to_do(factory: sessionmaker[Session]) -> None:
    applicant_id = make_applicant(factory)
    with factory() as session:
        checklist = services.get_checklist(session, applicant_id, 2025)
    assert checklist.items[0].item_id == "application_form"
    assert {item.status for item in checklist.items} == {ItemStatus.TODO}
    assert checklist.completion_percent == 0 and checklist.next_item_id == "application_form"
    statutes = next(item for item in checklist.items if item.item_id == "statutes")
    assert statutes.confirmed is False and "2011" in statutes.source and statutes.why.ar


def test_a_new_cluster_has_nothing_to_prove_about_past_support(factory: sessionmaker[Session]) -> None:
    applicant_id = make_applicant(factory)
    answer_all(factory, applicant_id, start_check(factory, applicant_id).session_id, {"cluster_status": "new"})
    with factory() as session:
        checklist = services.get_checklist(session, applicant_id, 2025)
    history = next(item for item in checklist.items if item.item_id == "support_history")
    assert history.status == ItemStatus.NOT_APPLICABLE


def test_updates_compute_completion_and_keep_each_change(factory: sessionmaker[Session]) -> None:
    applicant_id = make_applicant(factory)
    answer_all(factory, applicant_id, start_check(factory, applicant_id).session_id, ELIGIBLE_EXISTING)
    with unit_of_work(factory) as session:
        services.update_checklist_item(session, applicant_id, 2025, "application_form", status="done", now=NOW)
        services.update_checklist_item(session, applicant_id, 2025, "statutes", status="in_progress",
                                       note="signature du président attendue", now=NOW)
        checklist = services.update_checklist_item(session, applicant_id, 2025, "budget_financing",
                                                   status=ItemStatus.NOT_APPLICABLE, now=NOW)
    assert checklist.completion_percent == 100 // 9
    assert checklist.next_item_id == "statutes"
    with unit_of_work(factory) as session:
        cleared = services.update_checklist_item(session, applicant_id, 2025, "statutes", note="", now=NOW)
    assert next(i for i in cleared.items if i.item_id == "statutes").note is None
    with factory() as session:
        kinds = [event.kind for event in session.scalars(select(ChecklistEvent).order_by(ChecklistEvent.id))]
    assert kinds == [ChangeKind.STATUS, ChangeKind.STATUS, ChangeKind.NOTE, ChangeKind.STATUS, ChangeKind.NOTE]


def test_attachments_are_references_with_a_checksum(factory: sessionmaker[Session]) -> None:
    applicant_id = make_applicant(factory)
    with unit_of_work(factory) as session:
        attached = services.attach_file(session, applicant_id, 2025, "statutes", file_ref(), now=NOW)
    with factory() as session:
        item = next(i for i in services.get_checklist(session, applicant_id, 2025).items if i.item_id == "statutes")
    assert item.status == ItemStatus.IN_PROGRESS  # attaching a file starts the item
    assert [(a.name, a.size, a.sha256) for a in item.attachments] == [
        ("statuts.pdf", attached.size, attached.sha256)]
    assert item.attachments[0].created_at == NOW
    with unit_of_work(factory) as session:
        location = services.remove_attachment(session, applicant_id, attached.id, now=NOW)
    assert location == "uploads/statuts.pdf"
    with factory() as session:
        item = next(i for i in services.get_checklist(session, applicant_id, 2025).items if i.item_id == "statutes")
    assert item.attachments == []


def test_only_the_owner_reaches_an_attachment(factory: sessionmaker[Session]) -> None:
    owner, intruder = make_applicant(factory), make_applicant(factory)
    with unit_of_work(factory) as session:
        attached = services.attach_file(session, owner, 2025, "statutes", file_ref(), now=NOW)
    with pytest.raises(NotOwner), unit_of_work(factory) as session:
        services.remove_attachment(session, intruder, attached.id, now=NOW)
    with pytest.raises(UnknownAttachment), unit_of_work(factory) as session:
        services.remove_attachment(session, owner, attached.id + 1000, now=NOW)
    with factory() as session:
        assert services.get_checklist(session, intruder, 2025).completion_percent == 0
        items = services.get_checklist(session, owner, 2025).items
        assert len(next(i for i in items if i.item_id == "statutes").attachments) == 1


@pytest.mark.parametrize(("item_id", "status", "error"), [
    ("press_kit", "done", UnknownChecklistItem),
    ("statutes", "finished", ValueError),
])
def test_bad_item_updates_are_refused(factory: sessionmaker[Session], item_id: str, status: str,
                                      error: type[Exception]) -> None:
    applicant_id = make_applicant(factory)
    with pytest.raises(error), unit_of_work(factory) as session:
        services.update_checklist_item(session, applicant_id, 2025, item_id, status=status, now=NOW)


@pytest.mark.parametrize("bad", [
    {"name": ""}, {"size": -1}, {"sha256": "abc"}, {"location": " "},
])
def test_a_file_reference_must_be_plausible(bad: dict[str, object]) -> None:
    values = {"name": "a.pdf", "size": 1, "content_type": "application/pdf", "sha256": "0" * 64, "location": "x"}
    with pytest.raises(ValueError):
        services.FileRef(**{**values, **bad})  # type: ignore[arg-type]
