"""Reading the audit log: staff actions, newest first, one page at a time, narrowed by actor and action."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from intake.models import AuditEntry

PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditPage:
    """One page of audit entries, and where it stands among the matching entries."""

    entries: list[AuditEntry]
    total: int
    page: int
    pages: int


def audit_page(session: Session, *, actor: str | None = None, action: str | None = None, page: int = 1,
               page_size: int = PAGE_SIZE) -> AuditPage:
    """Return one page of the audit log, newest first.

    Args:
        session: the unit of work's session.
        actor: keep only this actor's entries (compared without regard to case).
        action: keep only this action's entries (exact).
        page: the page wanted, from 1; a page past the last gives the last.
        page_size: entries a page.

    Returns:
        The page's entries with the number of matching entries and of pages.
    """
    where = _conditions(actor, action)
    total = session.scalar(select(func.count()).select_from(AuditEntry).where(*where)) or 0
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    entries = session.scalars(select(AuditEntry).where(*where)
                              .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
                              .offset((page - 1) * page_size).limit(page_size))
    return AuditPage(list(entries), total, page, pages)


def audit_actions(session: Session) -> list[str]:
    """Return every action the audit log holds, sorted (the choices of the action filter).

    Args:
        session: the unit of work's session.

    Returns:
        The distinct actions, in alphabetical order.
    """
    return list(session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))


def _conditions(actor: str | None, action: str | None) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if actor is not None:
        conditions.append(func.lower(AuditEntry.actor) == actor.lower())
    if action is not None:
        conditions.append(AuditEntry.action == action)
    return conditions
