"""The staff's intake list done by the database, on SQLite and PostgreSQL: the same rows as filtering in Python.

The reference below is how the workspace filtered, sorted and paged every summary in
Python before the list moved to SQL; on a varied set of intakes (names with accents,
`%`, `_`, quotes and Arabic, several verdicts, languages, editions, reviews, dossiers and
days) every filter, sort and slice must give the rows it gave, in the same order.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from intake_factories import ELIGIBLE_EXISTING, ELIGIBLE_NEW, NOW, answer_all, make_applicant, start_check
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from intake import services
from intake.catalog import packaged_catalog
from intake.database import unit_of_work
from intake.models import IntakeSession, SessionStatus, StaffRole
from intake.services.intake_search import SORTS, IntakeQuery, count_by_verdict, search_intakes
from intake.services.reviews import change_review, review_states, review_statuses
from intake.services.staff import add_staff
from intake.services.summaries import IntakeSummary, list_summaries

REVIEWER = "reviewer@mcinet.gov.ma"
NOT_ELIGIBLE = {**ELIGIBLE_EXISTING, "previously_labelled": False}
TO_CONFIRM = {**ELIGIBLE_NEW, "member_count": 9}
# (cluster name, answers, language), one finished 2025 check each, in this order.
CHECKS: list[tuple[str, dict[str, Any], str]] = [
    ("Atlas Photonics", ELIGIBLE_NEW, "fr"),
    ("ÉCO Énergie Souss", TO_CONFIRM, "fr"),
    ("Rif 100% Agro", NOT_ELIGIBLE, "ar"),
    ("agro_tech Oriental", ELIGIBLE_NEW, "en"),
    ("L'Oriental \"Bio\"", TO_CONFIRM, "fr"),
    ("عنقود الأطلس للنسيج", ELIGIBLE_NEW, "ar"),
    ("Atlas% Textile", NOT_ELIGIBLE, "en"),
    ("Bouregreg Digital", ELIGIBLE_NEW, "fr"),
    ("atlas photonics", TO_CONFIRM, "ar"),  # the same name in another case: ties in a sort by name
]
SEARCHES = ["atlas", "ATLAS", "éco", "ÉCO ÉNERGIE", "%", "100%", "a%t", "_", "agro_", "h_t", "'", '"bio"',
            "' OR 1=1 --", "الأطلس", "عنقود الأطلس", "chat-1", "chat-3 rif", "nowhere"]
DAY = date(2025, 6, 30)
QUERIES = [
    IntakeQuery(),
    *[IntakeQuery(sort=sort, descending=descending) for sort in SORTS for descending in (True, False)],
    *[IntakeQuery(verdict=verdict) for verdict in ("eligible", "not_eligible", "to_confirm")],
    *[IntakeQuery(language=language) for language in ("fr", "ar", "en")],
    IntakeQuery(edition=2024), IntakeQuery(edition=2025, sort="name", descending=False),
    *[IntakeQuery(review=status) for status in ("new", "in_review", "shortlisted", "rejected")],
    IntakeQuery(reviewer=REVIEWER), IntakeQuery(reviewer="someone@mcinet.gov.ma"),
    *[IntakeQuery(completion=band) for band in ("none", "partial", "complete")],
    IntakeQuery(active_from=DAY), IntakeQuery(active_to=DAY), IntakeQuery(active_from=DAY, active_to=DAY),
    IntakeQuery(active_from=DAY - timedelta(days=3), active_to=DAY - timedelta(days=1), sort="name"),
    *[IntakeQuery(search=text) for text in SEARCHES],
    IntakeQuery(verdict="eligible", search="atlas", sort="name", descending=False),
    IntakeQuery(completion="none", review="new", sort="completion", descending=False),
    IntakeQuery(completion="partial", search="o", sort="edition"),
    IntakeQuery(language="ar", sort="verdict", offset=1, limit=2),
    IntakeQuery(sort="name", offset=2, limit=3), IntakeQuery(sort="completion", offset=1, limit=3),
    IntakeQuery(offset=8, limit=50), IntakeQuery(offset=100, limit=5), IntakeQuery(limit=0),
]


def _finished(factory: sessionmaker[Session], number: int, name: str, answers: dict[str, Any], language: str) -> int:
    applicant_id = make_applicant(factory, language=language, external_id=f"chat-{number}")
    state = start_check(factory, applicant_id)
    answer_all(factory, applicant_id, state.session_id, {**answers, "cluster_name": name})
    with unit_of_work(factory) as session:
        return services.finish_check(session, applicant_id, state.session_id, now=NOW).session_id


def _varied_intakes(factory: sessionmaker[Session]) -> list[int]:
    """Make the data set: nine named 2025 checks, a 2024 check in progress, reviews, dossiers and days."""
    ids = [_finished(factory, number, *check) for number, check in enumerate(CHECKS, start=1)]
    in_progress = make_applicant(factory, language="en", external_id="chat-99")
    ids.append(start_check(factory, in_progress, edition=2024).session_id)
    items = [item.id for item in packaged_catalog().get(2025).checklist if item.id != "support_history"]
    with unit_of_work(factory) as session:
        add_staff(session, REVIEWER, "Kenitra-Clusters-2026", StaffRole.REVIEWER, "test", NOW)
        change_review(session, ids[0], REVIEWER, NOW, status="shortlisted", reviewer=REVIEWER)
        change_review(session, ids[1], REVIEWER, NOW, status="in_review")
        change_review(session, ids[2], REVIEWER, NOW, reviewer=REVIEWER)  # a review row still at "new"
        for item in items:  # Atlas Photonics, a new cluster: every item that applies is done
            services.update_checklist_item(session, _applicant(session, ids[0]), 2025, item, status="done", now=NOW)
        for item in items[:2]:
            services.update_checklist_item(session, _applicant(session, ids[3]), 2025, item, status="done", now=NOW)
        services.update_checklist_item(session, _applicant(session, ids[4]), 2025, items[0], status="in_progress",
                                       now=NOW)
        # Last activity over five days, two intakes on the same minute, one just before midnight UTC.
        moments = [datetime(2025, 6, 26 + n % 5, 10, 0, tzinfo=UTC) for n in range(len(ids))]
        moments[5] = moments[0]
        moments[6] = datetime(2025, 6, 30, 23, 59, tzinfo=UTC)
        for session_id, moment in zip(ids, moments):
            session.execute(update(IntakeSession).where(IntakeSession.id == session_id).values(updated_at=moment))
    return ids


def _applicant(session: Session, session_id: int) -> int:
    row = session.get(IntakeSession, session_id)
    assert row is not None
    return row.applicant_id


def _python_list(summaries: list[IntakeSummary], reviews: dict[int, tuple[str, str | None]],
                 query: IntakeQuery) -> list[int]:
    """Filter, sort and slice as the workspace did in Python (bot/dashboard/intake_list.py before SQL)."""
    start = review_statuses()[0].id

    def keeps(s: IntakeSummary) -> bool:
        review = reviews.get(s.session_id, (start, None))
        done = s.checklist_completion
        band = "none" if done == 0 else "complete" if done >= 100 else "partial"
        searchable = " ".join([s.external_id, str(s.answers.get("cluster_name", ""))]).casefold()
        return ((query.edition is None or s.edition == query.edition)
                and (query.review is None or review[0] == query.review)
                and (query.reviewer is None or review[1] == query.reviewer)
                and (query.verdict is None or s.verdict == query.verdict)
                and (query.language is None or s.language == query.language)
                and (query.completion is None or band == query.completion)
                and (query.active_from is None or s.updated_at.date() >= query.active_from)
                and (query.active_to is None or s.updated_at.date() <= query.active_to)
                and (not query.search or query.search.casefold() in searchable))

    keys: dict[str, Any] = {"name": lambda s: str(s.answers.get("cluster_name", "")).casefold(),
                            "completion": lambda s: s.checklist_completion, "verdict": lambda s: s.verdict or "",
                            "edition": lambda s: s.edition}
    by_activity = sorted([s for s in summaries if keeps(s)], key=lambda s: s.updated_at, reverse=True)
    if query.sort == "activity":
        ordered = by_activity if query.descending else by_activity[::-1]
    else:
        ordered = sorted(by_activity, key=keys[query.sort], reverse=query.descending)
    end = None if query.limit is None else query.offset + query.limit
    return [s.session_id for s in ordered][query.offset:end]


def test_every_filter_sort_and_slice_gives_the_rows_filtering_in_python_gave(factory: sessionmaker[Session]) -> None:
    _varied_intakes(factory)
    with factory() as session:
        summaries, reviews = list_summaries(session), review_states(session)
        by_id = {s.session_id: s for s in summaries}
        for query in QUERIES:
            found = search_intakes(session, query)
            expected = _python_list(summaries, reviews, query)
            assert [row.summary.session_id for row in found.rows] == expected, query
            assert found.total == len(_python_list(summaries, reviews, replace(query, offset=0, limit=None))), query
            assert all(row.summary == by_id[row.summary.session_id] for row in found.rows), query


def test_a_search_takes_percent_underscore_quotes_and_arabic_as_plain_text(factory: sessionmaker[Session]) -> None:
    _varied_intakes(factory)
    with factory() as session:
        def names(text: str) -> set[str]:
            rows = search_intakes(session, IntakeQuery(search=text)).rows
            return {str(row.summary.answers.get("cluster_name", "")) for row in rows}

        assert names("%") == {"Rif 100% Agro", "Atlas% Textile"}
        assert names("a%t") == set()  # not "a, anything, t"
        assert names("_") == {"agro_tech Oriental"}
        assert names("h_t") == set()  # not "h, one character, t" (which "Photonics" would match)
        assert names("'") == {"L'Oriental \"Bio\""}
        assert names("' OR 1=1 --") == set()
        assert names("ATLAS") == {"Atlas Photonics", "atlas photonics", "Atlas% Textile"}
        assert names("éco énergie") == {"ÉCO Énergie Souss"}
        assert names("الأطلس") == {"عنقود الأطلس للنسيج"}
        assert names("chat-3") == {"Rif 100% Agro"}


def test_reviews_count_an_intake_nobody_reviewed_as_new_and_show_on_each_row(factory: sessionmaker[Session]) -> None:
    ids = _varied_intakes(factory)
    with factory() as session:
        listed = search_intakes(session, IntakeQuery()).rows
        rows = {row.summary.session_id: (row.review, row.reviewer) for row in listed}
        fresh = search_intakes(session, IntakeQuery(review="new"))
    assert rows[ids[0]] == ("shortlisted", REVIEWER) and rows[ids[1]] == ("in_review", None)
    assert rows[ids[2]] == ("new", REVIEWER) and rows[ids[3]] == ("new", None)
    assert fresh.total == len(ids) - 2


def test_pages_keep_the_total_and_past_the_end_are_empty(factory: sessionmaker[Session]) -> None:
    ids = _varied_intakes(factory)
    with factory() as session:
        every = [row.summary.session_id for row in search_intakes(session, IntakeQuery(sort="name")).rows]
        pages = [search_intakes(session, IntakeQuery(sort="name", offset=start, limit=4)) for start in (0, 4, 8)]
        past = search_intakes(session, IntakeQuery(offset=len(ids), limit=4))
    assert [row.summary.session_id for page in pages for row in page.rows] == every
    assert [len(page.rows) for page in pages] == [4, 4, len(ids) - 8]
    assert {page.total for page in pages} == {len(ids)}
    assert past.rows == [] and past.total == len(ids)


def test_intakes_of_an_edition_no_file_describes_are_left_out(factory: sessionmaker[Session]) -> None:
    _varied_intakes(factory)
    stray = make_applicant(factory, external_id="chat-2019")
    with unit_of_work(factory) as session:
        session.add(IntakeSession(applicant_id=stray, edition=2019, status=SessionStatus.FINISHED, answers={},
                                  history=[], verdict="eligible", reasons=[], missing=[], created_at=NOW,
                                  updated_at=NOW, finished_at=NOW))
    with factory() as session:
        assert search_intakes(session, IntakeQuery(search="chat-2019")).total == 0
        assert count_by_verdict(session) == Counter(s.verdict for s in list_summaries(session))


def test_the_overview_counts_every_verdict_and_the_checks_in_progress(factory: sessionmaker[Session]) -> None:
    _varied_intakes(factory)
    with unit_of_work(factory) as session:
        session.execute(update(IntakeSession).where(IntakeSession.edition == 2024).values(verdict=None))
    with factory() as session:
        assert count_by_verdict(session) == {"eligible": 4, "to_confirm": 3, "not_eligible": 2, None: 1}


@pytest.mark.parametrize("wrong", [{"sort": "cluster_name"}, {"completion": "half"}, {"offset": -1}, {"limit": -5}])
def test_a_malformed_query_is_refused(wrong: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        IntakeQuery(**wrong)
