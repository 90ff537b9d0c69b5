"""Build the long-lived parts (knowledge base, assistant) from `Settings`."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.settings import Settings
from knowledge.answering import Assistant, Contact
from knowledge.base import KnowledgeBase
from knowledge.embeddings import make_embeddings
from knowledge.retrieval import RetrieverMode

MOROCCO = ZoneInfo("Africa/Casablanca")


def today_in_morocco() -> date:
    """Return today's date where the Ministry is."""
    return datetime.now(MOROCCO).date()


def build_knowledge_base(settings: Settings, mode: RetrieverMode | None = None) -> KnowledgeBase:
    """Open the data directory's knowledge base, indexing the built-in pack on first use."""
    base = KnowledgeBase(settings.data_dir, make_embeddings(settings.embedding_backend),
                         settings.chroma_url, mode or settings.retriever)  # may raise IndexMismatch
    if settings.load_knowledge_pack:
        base.ensure_pack()
    return base


def build_assistant(settings: Settings, base: KnowledgeBase) -> Assistant:
    """Return the answering service over a knowledge base."""
    contact = Contact(phone=settings.contact_phone, email=settings.contact_email)
    return Assistant(base.retriever, contact, top_k=max(16, settings.top_k))
