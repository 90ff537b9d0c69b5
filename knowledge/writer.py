"""Turn decisions into the reply's text: the card in the applicant's language, or a cited quote."""

from __future__ import annotations

import re
from datetime import date
from typing import Protocol

from datafiles.messages import N_
from knowledge.answer_types import Language
from knowledge.card_text import Facts, card_text, closing_time, long_date
from knowledge.cards import Card
from knowledge.decision import Decision
from knowledge.framing import edition_label, say
from knowledge.retrieval import Hit
from knowledge.text_folding import fold

_SOURCE_NOTE = re.compile(r"\s*\[Source\s*:[^\]]*\]\s*$")
# Arabic replies quote French sources: isolating them keeps their words in order.
_ISOLATE = "\u2068{}\u2069"


class AnswerWriter(Protocol):
    """The replaceable step that writes one decision's part of the reply."""

    def write(self, decision: Decision, language: Language, today: date) -> str:
        """Return the reply's text for one decision."""
        ...


class GroundedWriter:
    """Writes cards in the applicant's language and passages as cited quotes; never invents."""

    def __init__(self, facts: Facts) -> None:
        self.facts = facts

    def write(self, decision: Decision, language: Language, today: date) -> str:
        """Return the answer with its source, or the reason there is none with nearby topics."""
        chosen = decision.chosen
        if decision.outcome == "answered" and chosen is not None:
            if chosen.card is not None:
                return self._card(chosen.card, language, today)
            assert chosen.hit is not None
            return self._passage(chosen.hit, language)
        if decision.outcome == "empty":
            return say("empty", language)
        lines = [self._why_not(decision, language, today)]
        if decision.suggestions:
            lines.append(
                say("nearby", language, topics=" ; ".join(c.topic.get(language) for c in decision.suggestions))
            )
        return "\n".join(lines)

    def _card(self, card: Card, language: Language, today: date) -> str:
        blocks = [card_text(card, language, self.facts)]
        if not card.confirmed:
            blocks.append(say("unconfirmed", language))
        if card.deadline_of:
            blocks.extend(deadline_status(self.facts, card.deadline_of, language, today))
        blocks.append(say("source_line", language, sources=" ; ".join(_isolated(cite_card_source(card, language),
                                                                                  language))))
        return "\n\n".join(blocks)

    def _passage(self, hit: Hit, language: Language) -> str:
        p = hit.passage
        quote = quote_of(hit)
        heading = say("according_to", language, title=p.title, edition=edition_label(p.edition, language))
        blocks = [f"{heading}\n« {_ISOLATE.format(quote) if language == 'ar' else quote} »"]
        if not p.confirmed or "a confirmer" in fold(p.text):
            blocks.append(say("unconfirmed", language))
        blocks.append(say("source_line", language, sources=_isolated([cite_passage(hit, language)], language)[0]))
        return "\n\n".join(blocks)

    def _why_not(self, decision: Decision, language: Language, today: date) -> str:
        if decision.outcome == "unknown_year" and self.facts.latest is not None:
            latest = self.facts.latest
            lines = [say("year_not_covered", language, year=decision.unknown_year, latest=latest.year,
                         deadline=closing_time(latest, language))]
            return "\n".join(lines + deadline_status(self.facts, "latest", language, today)[:1])
        if decision.gap is not None:
            return card_text(decision.gap, language, self.facts)
        return say("no_answer", language)


def _isolated(citations: list[str], language: Language) -> list[str]:
    """Keep French titles in order inside an Arabic line (bidirectional isolation)."""
    return [_ISOLATE.format(c) for c in citations] if language == "ar" else citations


def deadline_status(facts: Facts, year: str, language: Language, today: date) -> list[str]:
    """Return whether an edition's closing date has passed, is today, or how many days remain."""
    deadline = facts.deadline(year)
    if deadline is None or deadline.closes_at is None:
        return []
    days = (deadline.closes_at.date() - today).days
    key = N_("deadline_passed") if days < 0 else N_("deadline_today") if days == 0 else N_("deadline_open")
    lines = [say(key, language, deadline=closing_time(deadline, language), today=long_date(today, language),
                 days=days)]
    if year == "latest":
        lines.append(say("latest_edition", language, year=deadline.year))
    return lines


def cite_card_source(card: Card, language: Language) -> list[str]:
    """Return each source of a card as "document (édition 2024, 2024-07, address)"."""
    cited = []
    for source in card.sources:
        details = [edition_label(source.edition, language).strip(" ()"), source.date or "", source.address or ""]
        extra = ", ".join(d for d in details if d)
        cited.append(f"{source.document} ({extra})" if extra else source.document)
    return cited


def cite_passage(hit: Hit, language: Language) -> str:
    """Return a passage's citation: its document's title, edition and position, never a file name."""
    p = hit.passage
    parts = [p.title + edition_label(p.edition, language), p.position or ""]
    return ", ".join(part for part in parts if part)


def quote_of(hit: Hit) -> str:
    """Return the passage as quoted: its text without a trailing source note.

    A passage is quoted whole (at most a short paragraph, `knowledge.chunking`): quoting only
    the sentence holding most of the question's words cut the fact asked for ("how many R&D
    jobs?" quoted the sentence on the "objectif" of the next call, not the one giving 266),
    and a question in English or Arabic shares no word with the French sentences at all.
    """
    return _SOURCE_NOTE.sub("", hit.passage.text).strip()
