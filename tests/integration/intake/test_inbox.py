"""The durable inbox on SQLite and PostgreSQL: stored once, one chat at a time in order, leases that run out."""

from __future__ import annotations

import json
from datetime import timedelta

from intake_factories import NOW
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from intake.database import unit_of_work
from intake.delivery_models import InboundUpdate
from intake.services import inbox

BOT = 42
LEASE = timedelta(seconds=30)


def _store(factory: sessionmaker[Session], update_id: int, chat_id: int, text: str = "bonjour") -> bool:
    payload = json.dumps({"update_id": update_id, "message": {"text": text}})
    with unit_of_work(factory) as session:
        [stored] = inbox.store_updates(session, bot_id=BOT, updates=[inbox.IncomingUpdate(update_id, chat_id, payload)],
                                       now=NOW)
        return stored


def _claim(factory: sessionmaker[Session], holder: str, *, at: timedelta = timedelta(0), limit: int = 10,
           max_attempts: int = 5) -> list[int]:
    with unit_of_work(factory) as session:
        claimed = inbox.claim_updates(session, bot_id=BOT, holder=holder, now=NOW + at, lease=LEASE, limit=limit,
                                      max_attempts=max_attempts)
    return [item.update_id for item in claimed]


def _finish(factory: sessionmaker[Session], update_id: int) -> None:
    with unit_of_work(factory) as session:
        row_id = session.scalars(select(InboundUpdate.id).where(InboundUpdate.update_id == update_id)).one()
        inbox.finish_updates(session, [row_id], now=NOW)


def test_a_second_delivery_of_an_update_is_not_stored_again(factory: sessionmaker[Session]) -> None:
    assert _store(factory, 1, chat_id=7)
    assert not _store(factory, 1, chat_id=7)
    with unit_of_work(factory) as session:
        assert session.scalars(select(InboundUpdate.state)).all() == ["pending"]


def test_a_chat_gets_one_update_at_a_time_in_order_while_other_chats_go_on(factory: sessionmaker[Session]) -> None:
    for update_id, chat in ((10, 1), (11, 2), (12, 1), (13, 1), (14, 2)):
        _store(factory, update_id, chat)

    assert _claim(factory, "worker-a") == [10, 11]
    assert _claim(factory, "worker-b") == [], "the next update of each chat waits for the one in hand"
    _finish(factory, 10)
    assert _claim(factory, "worker-b") == [12]
    _finish(factory, 11)
    _finish(factory, 12)
    assert _claim(factory, "worker-a") == [13, 14]


def test_the_chats_in_conversation_are_those_with_an_update_waiting_or_being_answered(
        factory: sessionmaker[Session]) -> None:
    _store(factory, 1, chat_id=501)  # waiting
    _store(factory, 2, chat_id=502)
    _store(factory, 3, chat_id=503)
    assert _claim(factory, "worker-a", limit=2) == [1, 2]  # 501 and 502 being answered
    _finish(factory, 1)  # 501 answered
    with unit_of_work(factory) as session:
        inbox.store_updates(session, bot_id=BOT + 1, updates=[inbox.IncomingUpdate(4, 504, "{}")], now=NOW)
        talking = inbox.chats_in_conversation(session, bot_id=BOT)

    assert talking == {502, 503}  # not 501, done; not 504, another bot's


def test_an_update_held_by_a_dead_worker_is_taken_again_when_its_lease_runs_out(
    factory: sessionmaker[Session],
) -> None:
    _store(factory, 20, chat_id=3)
    _store(factory, 21, chat_id=3)
    assert _claim(factory, "dead-worker") == [20]

    assert _claim(factory, "worker-b", at=LEASE - timedelta(seconds=1)) == []
    assert _claim(factory, "worker-b", at=LEASE + timedelta(seconds=1)) == [20], "the same update, not the next one"


def test_a_renewed_lease_keeps_the_update_with_its_worker(factory: sessionmaker[Session]) -> None:
    _store(factory, 30, chat_id=4)
    _claim(factory, "worker-a")
    with unit_of_work(factory) as session:
        row_id = session.scalars(select(InboundUpdate.id)).one()
        assert inbox.renew_leases(session, [row_id], holder="worker-a", until=NOW + 2 * LEASE) == 1
        assert inbox.renew_leases(session, [row_id], holder="worker-b", until=NOW + 3 * LEASE) == 0

    assert _claim(factory, "worker-b", at=LEASE + timedelta(seconds=1)) == []


def test_an_update_that_keeps_killing_its_worker_is_set_aside_and_its_chat_goes_on(
    factory: sessionmaker[Session],
) -> None:
    _store(factory, 40, chat_id=5)
    _store(factory, 41, chat_id=5)
    for attempt in range(2):
        assert _claim(factory, f"worker-{attempt}", at=attempt * 2 * LEASE, max_attempts=2) == [40]

    assert _claim(factory, "worker-c", at=4 * LEASE, max_attempts=2) == [], "the third claim sets it aside"
    assert _claim(factory, "worker-c", at=4 * LEASE, max_attempts=2) == [41]
    with unit_of_work(factory) as session:
        failed = session.scalars(select(InboundUpdate).where(InboundUpdate.update_id == 40)).one()
        assert (failed.state, failed.payload) == ("failed", None)


def test_a_finished_update_keeps_no_text_and_is_pruned_later(factory: sessionmaker[Session]) -> None:
    _store(factory, 50, chat_id=6, text="Mon association s'appelle Atlas")
    _claim(factory, "worker-a")
    _finish(factory, 50)
    with unit_of_work(factory) as session:
        row = session.scalars(select(InboundUpdate)).one()
        assert (row.state, row.payload, row.chat_id) == ("done", None, None)
        assert not _store(factory, 50, chat_id=6), "still recognised as delivered"
        assert inbox.prune_inbox(session, older_than=NOW + timedelta(hours=49)) == 1
