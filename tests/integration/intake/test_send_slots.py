"""The bot's messages per second counted in the database, for every worker together (SQLite and PostgreSQL)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy.orm import Session, sessionmaker

from intake.database import unit_of_work
from intake.services.send_slots import MESSAGES_PER_SECOND, prune_send_slots, take_send_slot

SECOND = 1_780_000_000


def _take(factory: sessionmaker[Session], second: int = SECOND) -> bool:
    with unit_of_work(factory) as session:
        return take_send_slot(session, second)


def test_thirty_messages_a_second_then_wait_for_the_next_second(factory: sessionmaker[Session]) -> None:
    taken = [_take(factory) for _ in range(MESSAGES_PER_SECOND + 3)]

    assert taken == [True] * MESSAGES_PER_SECOND + [False] * 3
    assert _take(factory, SECOND + 1)


def test_workers_taking_slots_at_once_never_get_more_than_thirty_between_them(
    factory: sessionmaker[Session],
) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        taken = list(pool.map(lambda _: _take(factory), range(4 * 15)))

    assert taken.count(True) == MESSAGES_PER_SECOND


def test_old_seconds_are_pruned(factory: sessionmaker[Session]) -> None:
    _take(factory, SECOND)
    _take(factory, SECOND + 100)
    with unit_of_work(factory) as session:
        assert prune_send_slots(session, SECOND + 50) == 1
    assert _take(factory, SECOND + 100)
