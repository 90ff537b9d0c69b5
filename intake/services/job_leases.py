"""Leases on periodic jobs: of several workers, one runs a job at a time, and another takes over when it dies."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, update
from sqlalchemy.orm import Session

from intake import repositories as repo
from intake.clock import aware
from intake.delivery_models import JobLease


def take_job_lease(session: Session, name: str, *, holder: str, now: datetime, until: datetime) -> bool:
    """Take or renew the lease on job `name` until `until`; return False while another live worker holds it."""
    now, until = aware(now), aware(until)
    renewed = session.execute(
        update(JobLease).where(JobLease.name == name, or_(JobLease.holder == holder, JobLease.lease_until < now))
        .values(holder=holder, lease_until=until)
    )
    if renewed.rowcount:  # type: ignore[attr-defined]
        return True
    if session.get(JobLease, name) is not None:
        return False
    row = JobLease(name=name, holder=holder, lease_until=until)
    return repo.add_or_get(session, row, lambda: session.get(JobLease, name)) is row
