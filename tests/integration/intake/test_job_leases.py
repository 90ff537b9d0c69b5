"""Job leases on SQLite and PostgreSQL: one worker runs a job, another takes over when the lease runs out."""

from __future__ import annotations

from datetime import timedelta

from intake_factories import NOW
from sqlalchemy.orm import Session, sessionmaker

from intake.database import unit_of_work
from intake.services.job_leases import take_job_lease

LEASE = timedelta(seconds=10)


def _take(factory: sessionmaker[Session], holder: str, at: timedelta = timedelta(0), name: str = "outbox") -> bool:
    with unit_of_work(factory) as session:
        return take_job_lease(session, name, holder=holder, now=NOW + at, until=NOW + at + LEASE)


def test_one_worker_holds_a_job_and_keeps_it_by_renewing(factory: sessionmaker[Session]) -> None:
    assert _take(factory, "worker-a")
    assert not _take(factory, "worker-b", at=timedelta(seconds=3))
    assert _take(factory, "worker-a", at=timedelta(seconds=6)), "the holder renews"
    assert not _take(factory, "worker-b", at=timedelta(seconds=12)), "renewed until 16 s"


def test_another_worker_takes_the_job_over_when_the_holder_stops_renewing(factory: sessionmaker[Session]) -> None:
    assert _take(factory, "worker-a")
    assert _take(factory, "worker-b", at=LEASE + timedelta(seconds=1))
    assert not _take(factory, "worker-a", at=LEASE + timedelta(seconds=2)), "the old holder has lost it"


def test_each_job_has_its_own_lease(factory: sessionmaker[Session]) -> None:
    assert _take(factory, "worker-a", name="outbox")
    assert _take(factory, "worker-b", name="prune-updates")
