"""Broadcasts on SQLite and PostgreSQL: who they reach, confirmed once and audited, claimed, sent and reported."""

from __future__ import annotations

from datetime import datetime

import pytest
from intake_factories import NOW, make_applicant, make_finished_check, start_check
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from intake import services
from intake.database import unit_of_work
from intake.eligibility import Verdict
from intake.models import Applicant, AuditEntry
from intake.review_models import BroadcastDelivery, MessageStatus
from intake.schema import Language
from intake.services.broadcast_sending import (
    claim_deliveries,
    mark_delivery_blocked,
    mark_delivery_sent,
    postpone_deliveries,
    record_delivery_failure,
)
from intake.services.broadcasts import (
    Audience,
    UnknownBroadcast,
    broadcast_report,
    confirm_broadcast,
    draft_broadcast,
    list_broadcasts,
    preview_broadcast,
)
from intake.services.staff_messages import CLAIM_LEASE, MAX_ATTEMPTS, MAX_TEXT, InvalidMessage

ADMIN = "admin@mcinet.gov.ma"
EXTENSION = "La date limite de l'édition 2025 est prolongée au 15 septembre."


def _person(factory: sessionmaker[Session], *, opted_in: bool = True, language: str = "fr", edition: int = 2025,
            finished: bool = False) -> int:
    """Return an applicant with an intake of `edition` (finished and eligible, or just started)."""
    if finished and edition == 2025:
        applicant_id, _ = make_finished_check(factory, language=language)
    else:
        applicant_id = make_applicant(factory, language=language)
        start_check(factory, applicant_id, edition)
    with unit_of_work(factory) as session:
        services.set_reminders(session, applicant_id, opted_in, now=NOW)
    return applicant_id


def _draft(factory: sessionmaker[Session], audience: Audience | None = None, text: str = EXTENSION) -> int:
    with unit_of_work(factory) as session:
        return draft_broadcast(session, author=ADMIN, text=text, audience=audience or Audience(2025),
                               channel="telegram", now=NOW)


def _confirm(factory: sessionmaker[Session], broadcast_id: int, now: datetime = NOW) -> int | None:
    with unit_of_work(factory) as session:
        return confirm_broadcast(session, broadcast_id, actor=ADMIN, channel="telegram", now=now)


def _claim(factory: sessionmaker[Session], now: datetime = NOW, limit: int = 10,
           skip: tuple[str, ...] = ()) -> list[tuple[int, str]]:
    """Claim a round; return (broadcast, chat) pairs."""
    with unit_of_work(factory) as session:
        return [(d.broadcast_id, d.external_id) for d in claim_deliveries(
            session, channel="telegram", now=now, limit=limit, skip=skip)]


def _recipients(factory: sessionmaker[Session], broadcast_id: int) -> set[int]:
    with factory() as session:
        return set(session.scalars(select(BroadcastDelivery.applicant_id)
                                   .where(BroadcastDelivery.broadcast_id == broadcast_id)))


def _chat(factory: sessionmaker[Session], applicant_id: int) -> str:
    with factory() as session:
        return session.get_one(Applicant, applicant_id).external_id


def test_the_audience_is_the_opted_in_applicants_of_the_edition_on_the_channel(
        factory: sessionmaker[Session]) -> None:
    french = _person(factory, finished=True)
    arabic = _person(factory, language="ar")  # a check still in progress counts: the intake exists
    _person(factory, opted_in=False)
    _person(factory, edition=2024)
    elsewhere, deleted, withdrawn = _person(factory), _person(factory), _person(factory)
    with unit_of_work(factory) as session:
        session.get_one(Applicant, elsewhere).channel = "whatsapp"
        services.record_consent(session, withdrawn, given=False, now=NOW)
        services.delete_applicant_data(session, deleted, now=NOW)

    everyone, eligible, in_arabic = _draft(factory), _draft(factory, Audience(2025, Verdict.ELIGIBLE)), _draft(
        factory, Audience(2025, language=Language.AR))
    with unit_of_work(factory) as session:
        preview = preview_broadcast(session, everyone, "telegram")
    for broadcast_id in (everyone, eligible, in_arabic):
        _confirm(factory, broadcast_id)

    assert (preview.recipients, list(preview.by_language.items())) == (2, [(Language.FR, 1), (Language.AR, 1)])
    assert preview.broadcast.text == EXTENSION and preview.broadcast.recipients == 2
    assert _recipients(factory, everyone) == {french, arabic}
    assert _recipients(factory, eligible) == {french}
    assert _recipients(factory, in_arabic) == {arabic}


@pytest.mark.parametrize(("text", "reason"), [
    ("  \r\n ", "vide"), ("a" * (MAX_TEXT + 1), "dépasse"), ("📢" * (MAX_TEXT // 2 + 1), "dépasse"),
])
def test_an_empty_or_too_long_broadcast_is_refused_and_nothing_is_stored(
        factory: sessionmaker[Session], text: str, reason: str) -> None:
    with pytest.raises(InvalidMessage, match=reason):
        _draft(factory, text=text)
    with unit_of_work(factory) as session:
        assert list_broadcasts(session) == []
        with pytest.raises(UnknownBroadcast):
            preview_broadcast(session, 1, "telegram")


def test_confirming_reaches_the_audience_of_that_moment_once_and_is_audited_without_the_text(
        factory: sessionmaker[Session]) -> None:
    first = _person(factory)
    broadcast_id = _draft(factory, text="  Prolongation :\r\njusqu'au 15 septembre.  ")
    later = _person(factory)  # opted in between the preview and the confirmation

    created = _confirm(factory, broadcast_id)
    again = _confirm(factory, broadcast_id, NOW.replace(hour=12))

    with unit_of_work(factory) as session:
        report = broadcast_report(session, broadcast_id)
        audits = session.scalars(select(AuditEntry).where(AuditEntry.action == "broadcast.send")).all()
        with pytest.raises(UnknownBroadcast):
            confirm_broadcast(session, broadcast_id + 99, actor=ADMIN, channel="telegram", now=NOW)
    assert (created, again) == (2, None)
    assert _recipients(factory, broadcast_id) == {first, later}
    assert report.broadcast.text == "Prolongation :\njusqu'au 15 septembre."
    assert (report.broadcast.recipients, report.broadcast.confirmed_at, report.counts) == (
        2, NOW, {MessageStatus.PENDING: 2})
    assert [(a.actor, a.target, a.details["recipients"], a.details["edition"]) for a in audits] == [
        (ADMIN, f"broadcast:{broadcast_id}", 2, 2025)]
    assert "septembre" not in str(audits[0].details)


def test_a_round_claims_one_delivery_per_chat_in_order_skips_busy_chats_and_never_twice(
        factory: sessionmaker[Session]) -> None:
    one, two = _person(factory), _person(factory)
    first, second = _draft(factory), _draft(factory, text="Deuxième annonce.")
    _confirm(factory, first)
    _confirm(factory, second)
    chat_one, chat_two = _chat(factory, one), _chat(factory, two)

    assert _claim(factory, skip=(chat_two,)) == [(first, chat_one)]
    assert _claim(factory, limit=0) == []
    assert _claim(factory, limit=1) == [(first, chat_two)]
    assert _claim(factory) == []  # claimed, not yet marked: the second broadcast waits behind the first
    with unit_of_work(factory) as session:
        for delivery in session.scalars(select(BroadcastDelivery).where(BroadcastDelivery.broadcast_id == first)):
            mark_delivery_sent(session, delivery.id, NOW)
    assert _claim(factory) == [(second, chat_one), (second, chat_two)]
    assert _claim(factory, NOW + CLAIM_LEASE) == [(second, chat_one), (second, chat_two)]  # a dead sender relieved


def test_the_report_counts_each_outcome_and_lists_what_did_not_go_through(factory: sessionmaker[Session]) -> None:
    people = [_person(factory, finished=True) for _ in range(4)]
    broadcast_id = _draft(factory)
    _confirm(factory, broadcast_id)
    with factory() as session:
        sent, blocked, refused, flaky = (session.scalars(select(BroadcastDelivery.id).where(
            BroadcastDelivery.applicant_id == person)).one() for person in people)
    now = NOW
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert len(_claim(factory, now)) == (4 if attempt == 1 else 1)
        with unit_of_work(factory) as session:
            if attempt == 1:
                mark_delivery_sent(session, sent, now)
                mark_delivery_blocked(session, blocked, "Forbidden: bot was blocked by the user")
                record_delivery_failure(session, refused, "Bad Request: chat not found", now, permanent=True)
            outcome = record_delivery_failure(session, flaky, f"Timed out {attempt}", now)
        assert outcome == (MessageStatus.FAILED if attempt == MAX_ATTEMPTS else MessageStatus.PENDING)
        now += CLAIM_LEASE

    with unit_of_work(factory) as session:
        report = broadcast_report(session, broadcast_id)
        [(listed, counts)] = list_broadcasts(session)
    assert report.counts == counts == {MessageStatus.SENT: 1, MessageStatus.BLOCKED: 1, MessageStatus.FAILED: 2}
    assert listed.id == broadcast_id
    assert [(p.delivery_id, p.status, p.error) for p in report.problems] == [
        (blocked, MessageStatus.BLOCKED, "Forbidden: bot was blocked by the user"),
        (refused, MessageStatus.FAILED, "Bad Request: chat not found"),
        (flaky, MessageStatus.FAILED, f"Timed out {MAX_ATTEMPTS}")]
    assert all(p.intake_id is not None for p in report.problems)  # each links to the applicant's intake
    assert _claim(factory, now + CLAIM_LEASE * 10) == []


def test_a_postponed_delivery_waits_and_keeps_its_attempts(factory: sessionmaker[Session]) -> None:
    _person(factory)
    broadcast_id = _draft(factory)
    _confirm(factory, broadcast_id)
    with unit_of_work(factory) as session:
        [claimed] = claim_deliveries(session, channel="telegram", now=NOW, limit=5)
        postpone_deliveries(session, [claimed.id], NOW + CLAIM_LEASE * 3)
    assert _claim(factory, NOW + CLAIM_LEASE * 2) == []
    assert len(_claim(factory, NOW + CLAIM_LEASE * 3)) == 1
    with factory() as session:
        assert session.get_one(BroadcastDelivery, claimed.id).attempts == 1


def test_deleting_an_applicant_deletes_their_deliveries_even_while_one_is_being_sent(
        factory: sessionmaker[Session]) -> None:
    leaving, staying = _person(factory), _person(factory)
    broadcast_id = _draft(factory)
    _confirm(factory, broadcast_id)
    with unit_of_work(factory) as session:
        claimed = {d.external_id: d.id for d in claim_deliveries(session, channel="telegram", now=NOW, limit=5)}
    with unit_of_work(factory) as session:
        services.delete_applicant_data(session, leaving, now=NOW)
    with unit_of_work(factory) as session:
        mark_delivery_sent(session, claimed[_chat(factory, staying)], NOW)
        for gone in set(claimed.values()) - {claimed[_chat(factory, staying)]}:
            mark_delivery_sent(session, gone, NOW)  # the sender finishing after the deletion changes nothing
            assert record_delivery_failure(session, gone, "Timed out", NOW) is None
        assert session.scalar(select(func.count()).select_from(BroadcastDelivery)) == 1
        assert broadcast_report(session, broadcast_id).counts == {MessageStatus.SENT: 1}
