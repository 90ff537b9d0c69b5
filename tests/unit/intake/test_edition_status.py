"""Where an edition stands on a day: upcoming before it opens, open through its closing day, closed after."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from intake.catalog import EditionCatalog
from intake.edition_status import EditionStatus, edition_status
from intake.schema import Edition

OPENS = datetime(2025, 6, 2, 9, 0)
CLOSES = datetime(2025, 7, 24, 15, 0)


def _dated(edition: Edition, opens: datetime | None, closes: datetime | None) -> Edition:
    deadline = edition.deadline.model_copy(update={"opens_at": opens, "closes_at": closes})
    return edition.model_copy(update={"deadline": deadline})


@pytest.mark.parametrize(("opens", "closes", "today", "expected"), [
    (OPENS, CLOSES, date(2025, 6, 1), EditionStatus.UPCOMING),
    (OPENS, CLOSES, date(2025, 6, 2), EditionStatus.OPEN),
    (OPENS, CLOSES, date(2025, 7, 24), EditionStatus.OPEN),  # the closing day counts, as in the rules
    (OPENS, CLOSES, date(2025, 7, 25), EditionStatus.CLOSED),
    (None, CLOSES, date(2025, 1, 1), EditionStatus.OPEN),
    (OPENS, None, date(2025, 6, 1), EditionStatus.UPCOMING),
    (OPENS, None, date(2030, 1, 1), EditionStatus.OPEN),
    (None, None, date(2025, 7, 1), EditionStatus.UNKNOWN),
])
def test_the_status_follows_the_editions_dates(catalog: EditionCatalog, opens: datetime | None,
                                               closes: datetime | None, today: date,
                                               expected: EditionStatus) -> None:
    assert edition_status(_dated(catalog.get(2025), opens, closes), today) == expected
