"""Answer a message: each question in it decided once, written in the applicant's language."""

from __future__ import annotations

import logging
from datetime import date

from knowledge.answer_types import Answer, Language, Source, Suggestion
from knowledge.candidates import Candidate
from knowledge.card_text import Facts
from knowledge.cards import Card
from knowledge.decision import Decision, decide
from knowledge.framing import say
from knowledge.language import detect_language
from knowledge.question import parse_question, split_parts
from knowledge.sources import AnswerSources
from knowledge.writer import AnswerWriter, GroundedWriter, cite_card_source, cite_passage, quote_of

logger = logging.getLogger(__name__)


class Assistant:
    """Question in, grounded answer with its sources out."""

    def __init__(self, sources: AnswerSources, facts: Facts, writer: AnswerWriter | None = None) -> None:
        self.sources = sources
        self.facts = facts
        self.writer = writer or GroundedWriter(facts)

    def decisions(self, message: str) -> list[Decision]:
        """Return the decision on each question of a message (one, or up to three parts)."""
        cards, retriever, calibration = self.sources.snapshot()
        questions = [parse_question(part) for part in split_parts(message)]
        retriever.query_vectors([q.text for q in questions if q.terms])  # one e5 pass for every part
        return [decide(question, cards, retriever, calibration, self.facts) for question in questions]

    def card_answer(self, card_id: str, language: Language, today: date) -> Answer | None:
        """Return one card's answer (a nearby topic the applicant chose), or None if no such card answers."""
        cards, _, _ = self.sources.snapshot()
        candidate = _card_candidate(cards.cards, card_id)
        if candidate is None:
            return None
        assert candidate.card is not None
        decision = Decision(parse_question(candidate.card.topic.get(language)), "answered", chosen=candidate,
                            candidates=[candidate])
        return Answer(self.writer.write(decision, language, today), abstained=False, language=language,
                      sources=[_source(candidate)], decision="answered", score=1.0,
                      chosen=candidate.key)

    def answer(self, message: str, today: date) -> Answer:
        """Answer one message as of `today`.

        Args:
            message: the applicant's text, any length, in French, Arabic, Darija or English.
            today: the date deadlines are compared with.

        Returns:
            The answer with its sources; `abstained` is True when the first question is not answered.
        """
        decisions = self.decisions(message)
        first = decisions[0]
        language = detect_language(message)
        blocks = [self.writer.write(d, language, today) for d in decisions]
        if len(decisions) > 1:
            blocks = [f"{say('part', language, question=d.question.text)}\n{block}"
                      for d, block in zip(decisions, blocks)]
        if not all(d.answered for d in decisions) and first.outcome != "empty":
            blocks.append(say("contact", language, phone=self.facts.phone, email=self.facts.email))
        logger.info("message in %d part(s): %s", len(decisions), ", ".join(d.outcome for d in decisions))
        return Answer(
            "\n\n".join(blocks), abstained=not first.answered, language=language,
            sources=[_source(d.chosen) for d in decisions if d.answered and d.chosen],
            decision=first.outcome, score=first.score,
            chosen=first.chosen.key if first.answered and first.chosen else None,
            suggestions=[Suggestion(c.id, c.topic.get(language)) for c in first.suggestions],
            parts=len(decisions),
        )


def _card_candidate(cards: list[Card], card_id: str) -> Candidate | None:
    card = next((c for c in cards if c.id == card_id and c.answers), None)
    return Candidate(f"card:{card.id}", card.edition, {}, card=card, probability=1.0) if card else None


def _source(candidate: Candidate) -> Source:
    if candidate.card is not None:
        card = candidate.card
        return Source(source=candidate.key, edition=card.edition, excerpt=card.answer.fr,
                      score=round(candidate.probability, 4), title=" ; ".join(cite_card_source(card, Language.FR)))
    assert candidate.hit is not None
    p = candidate.hit.passage
    return Source(
        source=p.source,
        edition=p.edition,
        excerpt=quote_of(candidate.hit),
        score=round(candidate.probability, 4),
        title=cite_passage(candidate.hit, Language.FR),
        position=p.position,
    )
