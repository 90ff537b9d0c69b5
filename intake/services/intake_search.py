"""The staff's intake list as one query: filters, counting, sorting and pages in SQL, summaries for a page only.

With thousands of intakes, building every summary to show fifty took seconds; here the
database keeps, counts, orders and slices the intakes, and only the rows shown (or
exported) become summaries. Checklist completion is the exception: it is computed from
the answers and the stored statuses, never stored, so filtering or sorting on it reads
every intake the other filters keep and computes it in Python, the slower path.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, SQLColumnExpression, func, select
from sqlalchemy.orm import Session

from intake.catalog import EditionCatalog, packaged_catalog
from intake.checklist import ProgressMemo
from intake.models import Applicant, IntakeSession
from intake.review_models import IntakeReview
from intake.schema import Language
from intake.services.reviews import review_statuses
from intake.services.summaries import (
    IntakeSummary,
    stored_statuses,
    summaries_by_id,
    summaries_of_rows,
    summary_query,
)
from intake.sql_text import Casefold, CodePointOrder, contains_text

SORTS = ("activity", "name", "completion", "verdict", "edition")
COMPLETIONS = ("none", "partial", "complete")
_Reviewed = tuple[int, str, str | None]  # an intake's id, review status and reviewer


@dataclass(frozen=True)
class IntakeQuery:
    """Which intakes staff want, in which order, and which slice; None (or "") filters nothing.

    `search` looks, case folded and as plain text, in the chat identity and the cluster's
    name; `review` is a status id (an intake nobody reviewed has the first status);
    `active_from` and `active_to` are UTC days of the last activity, both included;
    `completion` is "none" (0 %), "partial" or "complete" (100 %).
    """

    edition: int | None = None
    verdict: str | None = None
    language: str | None = None
    search: str = ""
    review: str | None = None
    reviewer: str | None = None
    completion: str | None = None
    active_from: date | None = None
    active_to: date | None = None
    sort: str = "activity"
    descending: bool = True
    offset: int = 0
    limit: int | None = None

    def __post_init__(self) -> None:
        if self.sort not in SORTS:
            raise ValueError(f"unknown sort {self.sort[:40]!r}")
        if self.completion is not None and self.completion not in COMPLETIONS:
            raise ValueError(f"unknown completion {self.completion[:40]!r}")
        if self.offset < 0 or (self.limit is not None and self.limit < 0):
            raise ValueError("offset and limit cannot be negative")


@dataclass(frozen=True)
class ListedIntake:
    """One row of the list: the intake's summary and where its review stands."""

    summary: IntakeSummary
    review: str
    reviewer: str | None


@dataclass(frozen=True)
class IntakeResults:
    """The rows of the slice asked for, and how many intakes pass the filters in all."""

    rows: list[ListedIntake]
    total: int


def search_intakes(session: Session, query: IntakeQuery, *, catalog: EditionCatalog | None = None) -> IntakeResults:
    """Return the intakes that pass the query's filters, in its order, its slice of them with their count.

    Args:
        session: the unit of work's session.
        query: the filters, the order (ties: most recently active first, then the oldest intake) and the slice.
        catalog: the editions (default: the packaged ones); intakes of other editions are left out.

    Returns:
        The slice's rows, each with its full summary, and the number of intakes kept.
    """
    editions = catalog or packaged_catalog()
    review = func.coalesce(IntakeReview.status, review_statuses()[0].id).label("review")
    kept = _with_reviews(editions).add_columns(review, IntakeReview.reviewer).where(*_conditions(query, review))
    if query.completion is not None or query.sort == "completion":
        ranked = _by_completion(session, kept, query, editions)
        chosen = ranked[query.offset:None if query.limit is None else query.offset + query.limit]
        return IntakeResults(_listed(session, chosen, editions), len(ranked))
    total = session.scalar(kept.with_only_columns(func.count(), maintain_column_froms=True)) or 0
    sliced = kept.order_by(*_order(query)).offset(query.offset).limit(query.limit)
    rows = session.execute(sliced).all()
    summaries = summaries_of_rows(session, rows, catalog=editions,
                                  applicant_ids=sliced.with_only_columns(IntakeSession.applicant_id))
    return IntakeResults([ListedIntake(summary, row.review, row.reviewer) for summary, row in zip(summaries, rows)],
                         total)


def count_by_verdict(session: Session, *, catalog: EditionCatalog | None = None) -> dict[str | None, int]:
    """Return how many intakes have each verdict (None: still in progress), counted by the database.

    Args:
        session: the unit of work's session.
        catalog: the editions (default: the packaged ones); intakes of other editions are left out.
    """
    years = (catalog or packaged_catalog()).years()
    query = (select(IntakeSession.verdict, func.count()).where(IntakeSession.edition.in_(years))
             .group_by(IntakeSession.verdict))
    return dict(session.execute(query).all())


def _with_reviews(editions: EditionCatalog) -> Select[Any]:
    # An intake without a review row is at the first status: outer join, never inner.
    return summary_query(editions).outerjoin(IntakeReview, IntakeReview.session_id == IntakeSession.id)


def _conditions(query: IntakeQuery, review: ColumnElement[str]) -> list[ColumnElement[bool]]:
    wanted: list[ColumnElement[bool]] = []
    if query.edition is not None:
        wanted.append(IntakeSession.edition == query.edition)
    if query.verdict is not None:
        wanted.append(IntakeSession.verdict == query.verdict)
    if query.language is not None:
        wanted.append(Applicant.language == Language(query.language))
    if query.review is not None:
        wanted.append(review == query.review)
    if query.reviewer is not None:
        wanted.append(IntakeReview.reviewer == query.reviewer)
    if query.active_from is not None:
        wanted.append(IntakeSession.updated_at >= _midnight(query.active_from))
    if query.active_to is not None:
        wanted.append(IntakeSession.updated_at < _midnight(query.active_to + timedelta(days=1)))
    if query.search:
        # The same text the list always searched: the chat identity, a space, the cluster's name.
        wanted.append(contains_text(Applicant.external_id + " " + _cluster_name(), query.search))
    return wanted


def _order(query: IntakeQuery) -> list[ColumnElement[Any]]:
    recent: list[ColumnElement[Any]] = [IntakeSession.updated_at.desc(), IntakeSession.id.asc()]
    if query.sort == "activity":
        return recent if query.descending else [IntakeSession.updated_at.asc(), IntakeSession.id.desc()]
    key: SQLColumnExpression[Any] = {
        "name": CodePointOrder(Casefold(_cluster_name())),
        "verdict": CodePointOrder(func.coalesce(IntakeSession.verdict, "")),
        "edition": IntakeSession.edition,
    }[query.sort]
    return [key.desc() if query.descending else key.asc(), *recent]


def _by_completion(session: Session, kept: Select[Any], query: IntakeQuery,
                   editions: EditionCatalog) -> list[_Reviewed]:
    # The slower path: every kept intake's answers and statuses are read to compute its completion.
    base = query if query.sort != "completion" else replace(query, sort="activity", descending=True)
    rows = session.execute(kept.with_only_columns(
        IntakeSession.id, kept.selected_columns.review, IntakeReview.reviewer, IntakeSession.applicant_id,
        IntakeSession.edition, IntakeSession.answers).order_by(*_order(base))).all()
    statuses = stored_statuses(session, kept.with_only_columns(IntakeSession.applicant_id))
    memo = ProgressMemo()
    percents = {row.id: memo.outcome(editions.get(row.edition), statuses.get((row.applicant_id, row.edition), {}),
                                     row.answers or {})[0] for row in rows}
    ranked = [row for row in rows if query.completion in (None, _completion_band(percents[row.id]))]
    if query.sort == "completion":
        ranked.sort(key=lambda row: percents[row.id], reverse=query.descending)  # stable: ties stay by activity
    return [(row.id, row.review, row.reviewer) for row in ranked]


def _listed(session: Session, rows: Sequence[_Reviewed], editions: EditionCatalog) -> list[ListedIntake]:
    reviews = {session_id: (review, reviewer) for session_id, review, reviewer in rows}
    return [ListedIntake(summary, *reviews[summary.session_id])
            for summary in summaries_by_id(session, list(reviews), catalog=editions)]


def _cluster_name() -> ColumnElement[str]:
    return func.coalesce(IntakeSession.answers["cluster_name"].as_string(), "")


def _completion_band(percent: int) -> str:
    return "none" if percent == 0 else "complete" if percent >= 100 else "partial"


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)
