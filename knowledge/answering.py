"""Answer a question from the indexed texts: quote, cite, or say plainly that they do not say."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from knowledge.answer_types import Answer, Language, Source
from knowledge.evidence import Evidence, select_evidence
from knowledge.framing import edition_label, long_date, say, source_name
from knowledge.intents import days_between, find_deadline, states_deadline
from knowledge.language import detect_language
from knowledge.retrieval import Hit, PassageRetriever
from knowledge.intents import asked_intents
from knowledge.terms import passage_stems, query_terms
from knowledge.text_folding import fold

logger = logging.getLogger(__name__)
MAX_QUESTION_CHARS = 1000
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-ZÀ-Ý«\"])")
_SOURCE_NOTE = re.compile(r"\s*\[Source\s*:[^\]]*\]\s*$")


@dataclass(frozen=True)
class Contact:
    """How to reach the Ministry's division when the texts do not answer."""

    phone: str
    email: str


class AnswerWriter(Protocol):
    """The replaceable step that turns chosen passages into the reply's text."""

    def write(self, question: str, evidence: Evidence, language: Language, today: date,
              latest_edition: str | None) -> str:
        """Return the reply's text for the chosen passages."""
        ...


class QuotingWriter:
    """Writes the reply as quotes of the source sentences with framing in the question's language."""

    def write(self, question: str, evidence: Evidence, language: Language, today: date,
              latest_edition: str | None) -> str:
        """Return the quotes, the deadline status where one is asked, and the sources."""
        blocks: list[str] = []
        for n, hit in enumerate(evidence.hits):
            key = "according_to" if n == 0 else "also"
            label = edition_label(hit.passage.edition, language)
            blocks.append(f"{say(key, language, title=hit.passage.title, edition=label)}\n« {focused_quote(hit, question)} »")
            if not hit.passage.confirmed or "a confirmer" in fold(hit.passage.text):
                blocks.append(say("unconfirmed", language))
        if evidence.asks_deadline:
            blocks.extend(_deadline_status(evidence, language, today, latest_edition))
        cited = ", ".join(_citation(hit) for hit in evidence.hits)
        blocks.append(say("source_line", language, sources=cited))
        return "\n\n".join(blocks)


class Assistant:
    """Question in, grounded answer with its sources out."""

    def __init__(self, retriever: PassageRetriever, contact: Contact,
                 writer: AnswerWriter | None = None, top_k: int = 8) -> None:
        self.retriever = retriever
        self.contact = contact
        self.writer = writer or QuotingWriter()
        self.top_k = top_k

    def answer(self, question: str, today: date) -> Answer:
        """Answer one question as of `today`.

        Args:
            question: the applicant's text, any length, in French, Arabic or English.
            today: the date deadlines are compared with.

        Returns:
            The answer with its sources; `abstained` is True when the texts do not answer.
        """
        question = question.strip()[:MAX_QUESTION_CHARS]
        language = detect_language(question)
        if not query_terms(question):  # nothing to look up: empty, punctuation, "bonjour"
            return Answer(say("empty", language), abstained=True, language=language)
        hits = self.retriever.search(question, k=self.top_k)
        evidence = select_evidence(question, hits)
        if evidence is None:
            logger.info("abstained on a question of %d characters", len(question))
            return self._abstain(language)
        text = self.writer.write(question, evidence, language, today, self.retriever.latest_edition)
        return Answer(text, abstained=False, language=language, sources=[_source(h, question) for h in evidence.hits])

    def _abstain(self, language: Language) -> Answer:
        contact = say("contact", language, phone=self.contact.phone, email=self.contact.email)
        return Answer(f"{say('no_answer', language)}\n\n{contact}", abstained=True, language=language)


def quote_of(hit: Hit) -> str:
    """Return the passage as quoted: its text without the pack's trailing source note."""
    return _SOURCE_NOTE.sub("", hit.passage.text).strip()


def focused_quote(hit: Hit, question: str) -> str:
    """Return the sentences of a passage that hold most of the question's words (all if none stands out).

    A passage may join two facts ("...jusqu'au 25 octobre... En effet, le cahier des charges vise
    a permettre d'apprecier la strategie..."): the quote keeps the one asked about.
    """
    text = quote_of(hit)
    sentences = [s for s in _SENTENCE_END.split(text) if s.strip()]
    if len(sentences) < 2:
        return text
    terms = query_terms(question)
    intents = asked_intents(question)
    scores = [sum(bool(t.stems & set(passage_stems(s))) for t in terms) + 2 * sum(i.stated_in(s) for i in intents)
              for s in sentences]
    best = max(scores)
    if best == 0 or all(score == best for score in scores):
        return text
    return " […] ".join(s.strip() for s, score in zip(sentences, scores) if score == best)


def _source(hit: Hit, question: str) -> Source:
    p = hit.passage
    return Source(source=p.source, edition=p.edition, excerpt=focused_quote(hit, question), score=round(hit.score, 4),
                  title=p.title, position=p.position)


def _citation(hit: Hit) -> str:
    p = hit.passage
    note = _SOURCE_NOTE.search(p.text)
    origin = note.group(0).strip()[1:-1].split(":", 1)[1].strip() if note else ""
    parts = [source_name(p.source), p.position or "", origin]
    return " — ".join(part for part in parts if part)


def _deadline_status(evidence: Evidence, language: Language, today: date,
                     latest_edition: str | None) -> list[str]:
    for hit in evidence.hits:
        stated = find_deadline(hit.passage.text, hit.passage.edition)
        if stated is None or not states_deadline(hit.passage.text):
            continue
        when = long_date(stated.when.date(), language) + (f", {stated.when:%H:%M}" if stated.has_time else "")
        days = days_between(stated.when, today)
        key = "deadline_passed" if days < 0 else "deadline_today" if days == 0 else "deadline_open"
        lines = [say(key, language, deadline=when, today=long_date(today, language), days=days)]
        if not evidence.years and hit.passage.edition and hit.passage.edition == latest_edition:
            lines.append(say("latest_edition", language, year=hit.passage.edition))
        return lines
    return []
