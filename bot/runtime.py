"""The long-lived parts every adapter shares, built once at start-up from `Settings`."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import Settings
from bot.wiring import build_assistant, build_knowledge_base, today_in_morocco
from intake.catalog import EditionCatalog, packaged_catalog
from intake.database import open_database
from knowledge.answer_types import Answer, Language
from knowledge.answering import Assistant
from knowledge.base import KnowledgeBase

logger = logging.getLogger(__name__)


@dataclass
class Runtime:
    """Knowledge base, answering service, database and editions: one of each per process."""

    settings: Settings
    knowledge: KnowledgeBase
    assistant: Assistant
    engine: Engine
    sessions: sessionmaker[Session]
    catalog: EditionCatalog

    def today(self) -> date:
        """Return today's date in Morocco (the clock is read here, never in the domain)."""
        return today_in_morocco()

    def answer(self, question: str) -> Answer:
        """Answer from the latest index: staff may have ingested or removed a document since."""
        self.knowledge.refresh()
        return self.assistant.answer(question, self.today())

    def card_answer(self, card_id: str, language: Language) -> Answer | None:
        """Return one answer card (a nearby topic chosen after a refusal) from the latest cards."""
        self.knowledge.refresh()
        return self.assistant.card_answer(card_id, language, self.today())

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()


def build_runtime(settings: Settings) -> Runtime:
    """Open the knowledge base (indexing the pack on first use) and the upgraded database."""
    knowledge = build_knowledge_base(settings)
    engine, sessions = open_database(settings.resolved_database_url)
    logger.info("runtime ready: %d passages", len(knowledge.retriever.passages))
    return Runtime(settings, knowledge, build_assistant(settings, knowledge), engine, sessions,
                   packaged_catalog())
