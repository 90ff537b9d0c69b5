"""Messages to applicants on SQLite and PostgreSQL: queued and audited, claimed once, retried, answered back."""

from __future__ import annotations

from datetime import datetime

import pytest
from intake_factories import NOW, make_finished_check
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from intake import services
from intake.database import unit_of_work
from intake.errors import UnknownSession
from intake.models import Applicant, AuditEntry, IntakeSession
from intake.review_models import MessageDirection, MessageStatus, StaffMessage
from intake.services.staff_messages import (
    CLAIM_LEASE,
    MAX_ATTEMPTS,
    MAX_TEXT,
    InvalidMessage,
    claim_pending,
    mark_blocked,
    mark_sent,
    message_thread,
    postpone,
    queue_message,
    record_applicant_reply,
    record_failure,
)

STAFF = "reviewer@mcinet.gov.ma"


def _queue(factory: sessionmaker[Session], session_id: int, text: str = "Merci d'envoyer vos statuts.") -> int:
    with unit_of_work(factory) as session:
        return queue_message(session, session_id, STAFF, text, NOW)


def _claim(factory: sessionmaker[Session], now: datetime = NOW, limit: int = 10) -> list[int]:
    with unit_of_work(factory) as session:
        return [m.id for m in claim_pending(session, channel="telegram", now=now, limit=limit)]


def _status(factory: sessionmaker[Session], message_id: int) -> tuple[MessageStatus | None, int, str | None]:
    with factory() as session:
        row = session.get_one(StaffMessage, message_id)
        return row.status, row.attempts, row.error


@pytest.mark.parametrize(("text", "reason"), [
    ("", "vide"), ("  \r\n ", "vide"), ("a" * (MAX_TEXT + 1), "dépasse"),
    ("📎" * (MAX_TEXT // 2 + 1), "dépasse"),  # Telegram counts UTF-16 units: an emoji takes two
])
def test_an_empty_or_too_long_message_is_refused_and_nothing_is_queued(
        factory: sessionmaker[Session], text: str, reason: str) -> None:
    _, state = make_finished_check(factory)
    with pytest.raises(InvalidMessage, match=reason), unit_of_work(factory) as session:
        queue_message(session, state.session_id, STAFF, text, NOW)
    with unit_of_work(factory) as session:
        assert session.scalar(select(func.count()).select_from(StaffMessage)) == 0
        with pytest.raises(UnknownSession):
            queue_message(session, state.session_id + 999, STAFF, "Bonjour", NOW)


def test_a_queued_message_is_pending_in_the_thread_and_audited_without_its_text(
        factory: sessionmaker[Session]) -> None:
    _, state = make_finished_check(factory)
    longest = _queue(factory, state.session_id, "📎" * (MAX_TEXT // 2))
    message_id = _queue(factory, state.session_id, "  Il manque l'attestation fiscale.\r\nMerci.  ")
    with unit_of_work(factory) as session:
        thread = message_thread(session, state.session_id)
        audits = session.scalars(select(AuditEntry).where(AuditEntry.action == "intake.reply")).all()
    assert [e.id for e in thread] == [longest, message_id]
    assert (thread[1].text, thread[1].status, thread[1].author, thread[1].direction) == (
        "Il manque l'attestation fiscale.\nMerci.", MessageStatus.PENDING, STAFF, MessageDirection.TO_APPLICANT)
    assert [(a.actor, a.target, a.details["message"]) for a in audits] == [
        (STAFF, f"intake:{state.session_id}", longest), (STAFF, f"intake:{state.session_id}", message_id)]
    assert all("attestation" not in str(a.details) for a in audits)


def test_a_round_claims_one_message_per_applicant_oldest_first_and_never_twice(
        factory: sessionmaker[Session]) -> None:
    _, first = make_finished_check(factory)
    _, second = make_finished_check(factory)
    a1, a2 = _queue(factory, first.session_id, "un"), _queue(factory, first.session_id, "deux")
    b1 = _queue(factory, second.session_id, "autre")

    assert _claim(factory) == [a1, b1]
    assert _claim(factory) == []  # claimed and not yet marked: no other sender takes them
    with unit_of_work(factory) as session:
        mark_sent(session, a1, 501, NOW)
    assert _claim(factory) == [a2]
    with unit_of_work(factory) as session:
        mark_sent(session, a2, 502, NOW)
    assert _claim(factory, NOW + CLAIM_LEASE) == [b1]  # a sender that died is relieved after the lease
    assert _status(factory, b1) == (MessageStatus.PENDING, 2, None)
    assert _claim(factory, limit=0) == []


def test_a_chat_in_a_conversation_with_the_bot_is_left_to_a_later_round(factory: sessionmaker[Session]) -> None:
    _, talking = make_finished_check(factory)
    _, quiet = make_finished_check(factory)
    waiting, going = _queue(factory, talking.session_id), _queue(factory, quiet.session_id)
    with unit_of_work(factory) as session:
        chat = session.scalars(select(Applicant.external_id).join(IntakeSession)
                               .where(IntakeSession.id == talking.session_id)).one()
        claimed = [m.id for m in claim_pending(session, channel="telegram", now=NOW, limit=10, skip={chat})]

    assert claimed == [going]
    assert _status(factory, waiting) == (MessageStatus.PENDING, 0, None)  # no attempt counted
    assert _claim(factory) == [waiting]


def test_an_applicant_of_another_channel_is_left_to_its_own_sender(factory: sessionmaker[Session]) -> None:
    applicant_id, state = make_finished_check(factory)
    _queue(factory, state.session_id)
    with unit_of_work(factory) as session:
        session.get_one(Applicant, applicant_id).channel = "whatsapp"
    assert _claim(factory) == []


def test_failures_are_retried_then_fail_and_a_block_or_a_bad_request_stops_at_once(
        factory: sessionmaker[Session]) -> None:
    _, state = make_finished_check(factory)
    retried, blocked, refused = (_queue(factory, state.session_id, text) for text in ("a", "b", "c"))
    now = NOW
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert _claim(factory, now)[0] == retried
        with unit_of_work(factory) as session:
            outcome = record_failure(session, retried, f"Timed out {attempt}", now)
        assert outcome == (MessageStatus.FAILED if attempt == MAX_ATTEMPTS else MessageStatus.PENDING)
        if attempt < MAX_ATTEMPTS:
            assert _claim(factory, now) == []  # not before its retry delay, and the later ones wait behind it
        now += CLAIM_LEASE
    assert _status(factory, retried) == (MessageStatus.FAILED, MAX_ATTEMPTS, f"Timed out {MAX_ATTEMPTS}")
    assert _claim(factory, now) == [blocked]
    with unit_of_work(factory) as session:
        mark_blocked(session, blocked, "Forbidden: bot was blocked by the user")
    assert _claim(factory, now) == [refused]
    with unit_of_work(factory) as session:
        record_failure(session, refused, "Bad Request: chat not found", now, permanent=True)
    assert _status(factory, blocked)[0] == MessageStatus.BLOCKED
    assert _status(factory, refused) == (MessageStatus.FAILED, 1, "Bad Request: chat not found")
    assert _claim(factory, now + CLAIM_LEASE * 10) == []


def test_a_postponed_message_waits_and_keeps_its_attempts(factory: sessionmaker[Session]) -> None:
    _, state = make_finished_check(factory)
    message_id = _queue(factory, state.session_id)
    assert _claim(factory) == [message_id]
    with unit_of_work(factory) as session:
        postpone(session, [message_id], NOW + CLAIM_LEASE * 3)
    assert _claim(factory, NOW + CLAIM_LEASE * 2) == []
    assert _claim(factory, NOW + CLAIM_LEASE * 3) == [message_id]
    assert _status(factory, message_id) == (MessageStatus.PENDING, 1, None)


def test_an_answer_joins_the_thread_only_from_the_chat_the_message_went_to(factory: sessionmaker[Session]) -> None:
    applicant_id, state = make_finished_check(factory)
    other_id, _ = make_finished_check(factory)
    message_id = _queue(factory, state.session_id)
    _claim(factory)
    with unit_of_work(factory) as session:
        mark_sent(session, message_id, 501, NOW)
        mine, other = (session.get_one(Applicant, i).external_id for i in (applicant_id, other_id))

    def reply(external_id: str, reply_to: int, text: str) -> int | None:
        with unit_of_work(factory) as session:
            return record_applicant_reply(session, channel="telegram", external_id=external_id, reply_to=reply_to,
                                          text=text, now=NOW)

    assert reply(other, 501, "pas pour moi") is None  # message ids are per chat: another chat's 501 is not ours
    assert reply(mine, 777, "pas une réponse") is None
    assert reply(mine, 501, "Je vous l'envoie demain.") == state.session_id
    with unit_of_work(factory) as session:
        thread = message_thread(session, state.session_id)
    assert [(e.direction, e.text, e.status) for e in thread] == [
        (MessageDirection.TO_APPLICANT, "Merci d'envoyer vos statuts.", MessageStatus.SENT),
        (MessageDirection.FROM_APPLICANT, "Je vous l'envoie demain.", None)]


def test_deleting_the_applicant_deletes_their_messages(factory: sessionmaker[Session]) -> None:
    applicant_id, state = make_finished_check(factory)
    _queue(factory, state.session_id)
    with unit_of_work(factory) as session:
        services.delete_applicant_data(session, applicant_id, now=NOW)
    with unit_of_work(factory) as session:
        assert session.scalar(select(func.count()).select_from(StaffMessage)) == 0
