"""Services for the dossier checklist: view it, update an item, attach or remove a file reference."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from intake import repositories as repo
from intake.catalog import EditionCatalog, packaged_catalog
from intake.checklist import ItemStatus, checklist_progress, completion_percent, default_status, next_item
from intake.clock import aware
from intake.errors import UnknownChecklistItem
from intake.models import Attachment, ChangeKind, ChecklistEvent, ChecklistItemState
from intake.schema import Edition, LocalizedText

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_UNCHANGED = object()


@dataclass(frozen=True)
class FileRef:
    """A file the adapter has stored somewhere: the database keeps only this reference."""

    name: str
    size: int
    content_type: str
    sha256: str
    location: str

    def __post_init__(self) -> None:
        """Refuse references that cannot be right."""
        if not self.name.strip() or len(self.name) > 255:
            raise ValueError("a file name needs 1 to 255 characters")
        if self.size < 0:
            raise ValueError("a file size cannot be negative")
        if not _SHA256.match(self.sha256):
            raise ValueError("sha256 must be 64 lowercase hex digits")
        if not self.location.strip():
            raise ValueError("the location of the bytes is required")


@dataclass(frozen=True)
class AttachmentView:
    """A file attached to an item."""

    id: int
    name: str
    size: int
    content_type: str
    sha256: str
    location: str
    created_at: datetime


@dataclass(frozen=True)
class ItemView:
    """One checklist item with the applicant's status for it."""

    item_id: str
    title: LocalizedText
    why: LocalizedText
    confirmed: bool
    source: str
    status: ItemStatus
    note: str | None
    attachments: list[AttachmentView]
    updated_at: datetime | None


@dataclass(frozen=True)
class ChecklistView:
    """An applicant's whole checklist for an edition; completion and next item are computed."""

    edition: int
    items: list[ItemView]
    completion_percent: int
    next_item_id: str | None


def get_checklist(
    session: Session, applicant_id: int, edition: int, *, catalog: EditionCatalog | None = None
) -> ChecklistView:
    """Return the applicant's checklist for an edition.

    Args:
        session: the unit of work's session.
        applicant_id: whose checklist.
        edition: the year of the edition.
        catalog: the editions (default: the packaged ones).

    Returns:
        Every item in the edition's order, with completion and the next item.

    Raises:
        UnknownApplicant, UnknownEdition.
    """
    spec = (catalog or packaged_catalog()).get(edition)
    repo.applicant(session, applicant_id)
    states = repo.item_states(session, applicant_id, edition)
    intake = repo.intake_session_for(session, applicant_id, edition)
    answers = dict(intake.answers) if intake else {}
    progress = checklist_progress(spec, {k: v.status for k, v in states.items()}, answers)
    following = next_item(progress)
    items = [_item_view(spec, entry.item.id, entry.status, states.get(entry.item.id)) for entry in progress]
    return ChecklistView(edition, items, completion_percent(progress), following.id if following else None)


def update_checklist_item(
    session: Session, applicant_id: int, edition: int, item_id: str, *,
    status: ItemStatus | str | None = None, note: str | object | None = _UNCHANGED,
    catalog: EditionCatalog | None = None, now: datetime,
) -> ChecklistView:
    """Change an item's status and/or note; each change is logged with its time.

    Args:
        session: the unit of work's session.
        applicant_id: whose checklist; items are looked up under this applicant only.
        edition: the year of the edition.
        item_id: the checklist item.
        status: the new status, or None to keep it.
        note: the new note; None or "" clears it; leave out to keep it.
        catalog: the editions (default: the packaged ones).
        now: the current time (default: the clock).

    Returns:
        The whole checklist after the change.

    Raises:
        UnknownApplicant, UnknownEdition, UnknownChecklistItem; ValueError for an unknown status.
    """
    moment = aware(now)
    state = _state(session, applicant_id, edition, item_id, catalog, moment)
    if status is not None and ItemStatus(status) != state.status:
        state.status = ItemStatus(status)
        _event(session, state, ChangeKind.STATUS, state.status.value, moment)
    if note is not _UNCHANGED:
        state.note = (str(note).strip() or None) if note is not None else None
        _event(session, state, ChangeKind.NOTE, state.note, moment)
    state.updated_at = moment
    repo.flush(session)
    return get_checklist(session, applicant_id, edition, catalog=catalog)


def attach_file(
    session: Session, applicant_id: int, edition: int, item_id: str, file: FileRef, *,
    catalog: EditionCatalog | None = None, now: datetime,
) -> AttachmentView:
    """Attach a file reference to an item; an item still to do moves to in progress.

    Raises:
        UnknownApplicant, UnknownEdition, UnknownChecklistItem.
    """
    moment = aware(now)
    state = _state(session, applicant_id, edition, item_id, catalog, moment)
    row = Attachment(
        item_state=state, name=file.name, size=file.size, content_type=file.content_type,
        sha256=file.sha256, location=file.location, created_at=moment,
    )
    session.add(row)
    _event(session, state, ChangeKind.ATTACHMENT, f"+{file.name}", moment)
    if state.status == ItemStatus.TODO:
        state.status = ItemStatus.IN_PROGRESS
        _event(session, state, ChangeKind.STATUS, state.status.value, moment)
    state.updated_at = moment
    repo.flush(session)
    return attachment_view(row)


def remove_attachment(session: Session, applicant_id: int, attachment_id: int, *, now: datetime) -> str:
    """Remove a file reference; return where its bytes are, for the caller to delete them.

    Raises:
        UnknownAttachment, NotOwner.
    """
    row = repo.owned_attachment(session, applicant_id, attachment_id)
    moment = aware(now)
    _event(session, row.item_state, ChangeKind.ATTACHMENT, f"-{row.name}", moment)
    row.item_state.updated_at = moment
    row.item_state.attachments.remove(row)  # delete-orphan: removing it deletes the row
    repo.flush(session)
    return row.location


def _state(
    session: Session, applicant_id: int, edition: int, item_id: str,
    catalog: EditionCatalog | None, moment: datetime,
) -> ChecklistItemState:
    spec = (catalog or packaged_catalog()).get(edition)
    repo.applicant(session, applicant_id)
    if item_id not in {item.id for item in spec.checklist}:
        raise UnknownChecklistItem(f"edition {edition} has no checklist item {item_id!r}")
    states = repo.item_states(session, applicant_id, edition)
    if item_id in states:
        return states[item_id]
    item = next(entry for entry in spec.checklist if entry.id == item_id)
    intake = repo.intake_session_for(session, applicant_id, edition)
    created = ChecklistItemState(
        applicant_id=applicant_id, edition=edition, item_id=item_id,
        status=default_status(item, dict(intake.answers) if intake else {}),
        created_at=moment, updated_at=moment,
    )
    return repo.add_or_get(session, created, lambda: repo.item_states(session, applicant_id, edition).get(item_id))


def _event(session: Session, state: ChecklistItemState, kind: ChangeKind, value: str | None, moment: datetime) -> None:
    session.add(ChecklistEvent(item_state_id=state.id, kind=kind, value=value, at=moment))


def _item_view(spec: Edition, item_id: str, status: ItemStatus, state: ChecklistItemState | None) -> ItemView:
    item = next(entry for entry in spec.checklist if entry.id == item_id)
    return ItemView(
        item_id=item.id, title=item.title, why=item.why, confirmed=item.confirmed,
        source=spec.sources[item.source].cite(), status=status,
        note=state.note if state else None,
        attachments=[attachment_view(a) for a in state.attachments] if state else [],
        updated_at=state.updated_at if state else None,
    )


def attachment_view(row: Attachment) -> AttachmentView:
    """Return an attachment row as the view services hand out."""
    return AttachmentView(row.id, row.name, row.size, row.content_type, row.sha256, row.location, row.created_at)
