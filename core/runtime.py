"""The long-lived parts every adapter shares, built once at start-up from `Settings`."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from core.clock import Clock, SystemClock, today
from core.settings import Settings
from core.wiring import build_assistant, build_knowledge_base, edition_catalog
from intake.catalog import EditionCatalog
from intake.database import open_database
from intake.file_store import FileStore, LocalFileStore
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
    files: FileStore
    clock: Clock = field(default_factory=SystemClock)

    def now(self) -> datetime:
        """Return the current moment (the clock is read here and in adapters, never in the domain)."""
        return self.clock.now()

    def today(self) -> date:
        """Return today's date in Morocco."""
        return today(self.clock)

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


def build_runtime(settings: Settings, clock: Clock | None = None) -> Runtime:
    """Open the knowledge base (indexing the pack on first use) and the upgraded database."""
    knowledge = build_knowledge_base(settings)
    engine, sessions = open_database(settings.resolved_database_url)
    logger.info("runtime ready: %d passages", len(knowledge.retriever.passages))
    files = LocalFileStore(settings.files_dir or settings.data_dir)
    return Runtime(settings, knowledge, build_assistant(settings, knowledge), engine, sessions,
                   edition_catalog(settings), files, clock or SystemClock())
