"""The intake list: filters read from the address, so a view can be shared; the query service does the rest."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlencode

from sqlalchemy.orm import Session
from starlette.datastructures import QueryParams

from datafiles.messages import N_
from intake.catalog import EditionCatalog
from intake.services.intake_search import IntakeQuery, search_intakes
from intake.services.summaries import IntakeSummary

PAGE_SIZE = 50
MAX_SEARCH = 100
VERDICTS = ("eligible", "not_eligible", "to_confirm")
LANGUAGES = ("fr", "ar", "en")
COMPLETIONS = {"none": N_("aucune pièce prête"), "partial": N_("en partie"), "complete": N_("complète")}
SORTS = {"activity": "dernière activité", "name": "nom du cluster", "completion": "pièces prêtes",
         "verdict": "verdict", "edition": "édition"}


@dataclass(frozen=True)
class IntakeFilter:
    """What the staff member asked to see; anything malformed in the address is ignored, not an error."""

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
    page: int = 1
    problems: list[str] = field(default_factory=list)

    @classmethod
    def from_query(cls, query: QueryParams, catalog: EditionCatalog, review_ids: set[str]) -> IntakeFilter:
        problems: list[str] = []
        edition = _number(query.get("edition"))
        if query.get("edition") and edition not in catalog.years():
            problems.append(N_("édition inconnue : filtre ignoré"))
            edition = None
        verdict = query.get("verdict") if query.get("verdict") in VERDICTS else None
        language = query.get("language") if query.get("language") in LANGUAGES else None
        search = (query.get("q") or "").strip()[:MAX_SEARCH]
        page = max(1, _number(query.get("page")) or 1)
        review = query.get("review") if query.get("review") in review_ids else None
        reviewer = (query.get("reviewer") or "").strip().lower()[:254] or None
        completion = query.get("completion") if query.get("completion") in COMPLETIONS else None
        active_from, active_to = _day(query.get("from"), problems), _day(query.get("to"), problems)
        sort = (query.get("sort") or "").removeprefix("-")
        descending = (query.get("sort") or "-").startswith("-")
        return cls(edition, verdict, language, search, review, reviewer, completion, active_from, active_to,
                    sort if sort in SORTS else "activity", descending, page, problems)

    def query(self, offset: int = 0, limit: int | None = None) -> IntakeQuery:
        """Return these filters and this order for the query service, with a slice (none: every intake)."""
        return IntakeQuery(edition=self.edition, verdict=self.verdict, language=self.language, search=self.search,
                           review=self.review, reviewer=self.reviewer, completion=self.completion,
                           active_from=self.active_from, active_to=self.active_to, sort=self.sort,
                           descending=self.descending, offset=offset, limit=limit)

    def sorted_by(self, sort: str) -> str:
        """Return this list's address sorted by `sort`, flipping the direction when it is the current one."""
        flip = "" if self.sort == sort and self.descending else "-"
        return self.address(1).replace("?", f"?sort={flip}{sort}&", 1)

    def address(self, page: int, path: str = "/intakes") -> str:
        """Return the list's (or an export's) address with these filters and a page."""
        values = {"edition": self.edition, "verdict": self.verdict, "language": self.language,
                  "q": self.search or None, "review": self.review, "reviewer": self.reviewer,
                  "completion": self.completion, "from": self.active_from, "to": self.active_to,
                  "sort": None if (self.sort, self.descending) == ("activity", True) else
                  ("-" if self.descending else "") + self.sort, "page": page}
        return path + "?" + urlencode({k: v for k, v in values.items() if v is not None})


@dataclass(frozen=True)
class IntakePage:
    rows: list[IntakeSummary]
    total: int
    page: int
    pages: int
    reviews: dict[int, tuple[str, str | None]]


def page_of(session: Session, chosen: IntakeFilter, catalog: EditionCatalog) -> IntakePage:
    """Return one page of the filtered intakes (past the last page: the last one), with their reviews."""
    found = search_intakes(session, chosen.query((chosen.page - 1) * PAGE_SIZE, PAGE_SIZE), catalog=catalog)
    pages = max(1, -(-found.total // PAGE_SIZE))
    page = min(chosen.page, pages)
    if page != chosen.page:
        found = search_intakes(session, chosen.query((page - 1) * PAGE_SIZE, PAGE_SIZE), catalog=catalog)
    return IntakePage([row.summary for row in found.rows], found.total, page, pages,
                      {row.summary.session_id: (row.review, row.reviewer) for row in found.rows})


def _day(text: str | None, problems: list[str]) -> date | None:
    if not text:
        return None
    try:
        return datetime.strptime(text[:10], "%Y-%m-%d").date()
    except ValueError:
        problems.append(N_("date invalide (AAAA-MM-JJ) : filtre ignoré"))
        return None


def _number(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() and len(text) <= 6 else None
