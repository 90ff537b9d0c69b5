"""The knowledge base of one data directory: passages, answer cards and the calibration."""

from __future__ import annotations

import logging
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

from chromadb.api.shared_system_client import SharedSystemClient
from langchain_core.embeddings import Embeddings

from datafiles import Problem
from knowledge.calibration import Calibration, load_calibration
from knowledge.card_files import staff_card_path, with_examples, write_card
from knowledge.card_index import CardIndex
from knowledge.cards import Card, CardSet, check_cards, load_card_file
from knowledge.document_questions import load_document_questions
from knowledge.ingest import IngestReport, ingest_paths, remove_source, writer_lock
from knowledge.question_meanings import GroupedQuestions, QuestionMeanings
from knowledge.retrieval import PassageRetriever
from knowledge.retriever_modes import RetrieverMode
from knowledge.sources import MissingCalibration
from knowledge.store import all_passages, open_store, publish_generation, published_generation

logger = logging.getLogger(__name__)
BUILTIN_CARDS = Path(__file__).parent / "cards"
LEGACY_PACK_PREFIX = "pack:"  # the pack of passages that the answer cards replaced


class KnowledgeBase:
    """Everything indexed under one data directory (or on one Chroma server), and its cards."""

    def __init__(self, data_dir: Path, embeddings: Embeddings, edition_years: set[str],
                 chroma_url: str | None = None, mode: RetrieverMode = "hybrid", builtin_cards: bool = True,
                 paraphrase_model: Embeddings | None = None) -> None:
        self.data_dir = data_dir
        self.edition_years = edition_years
        self.card_folders = ([BUILTIN_CARDS] if builtin_cards else []) + [data_dir / "cards"]
        self.embedding_name = str(getattr(embeddings, "name", type(embeddings).__name__))
        self._embeddings = embeddings
        self._paraphrase_model = paraphrase_model
        if paraphrase_model is not None:
            self.embedding_name += "+" + str(getattr(paraphrase_model, "name", type(paraphrase_model).__name__))
        self._chroma_url = chroma_url
        self.store = open_store(embeddings, None if chroma_url else data_dir / "chroma", chroma_url)
        self._drop_legacy_pack()
        self.retriever = PassageRetriever(self.store, embeddings, mode)
        self.card_problems: list[Problem] = []
        self.card_set = CardSet({}, {})
        self.cards = self._load_cards()
        self.calibration = self._load_calibration()
        self._generation = self._read_generation()
        self._reloading = threading.Lock()
        self._meanings = QuestionMeanings(embeddings, paraphrase_model)

    def group_questions(self, questions: list[str]) -> GroupedQuestions:
        """Group applicants' questions by meaning, each group with the cards it leans to (staff's view)."""
        self.refresh()
        return self._meanings.group(questions, self.cards)

    def snapshot(self) -> tuple[CardIndex, PassageRetriever, Calibration]:
        """Return the current cards, retriever and calibration together.

        Raises:
            MissingCalibration: no calibration was fitted for this embedding model.
        """
        calibration = self.calibration
        if calibration is None:
            raise MissingCalibration(f"no calibration for the {self.embedding_name!r} embedding model: run "
                                     f"`cluster-assistant knowledge calibrate` on a question file first")
        return self.cards, self.retriever, calibration

    def _read_generation(self) -> str:
        """Return the index's generation: on a Chroma server, the one published there (shared by every host)."""
        if self._chroma_url:
            return published_generation(self.store)
        return self._local_generation()

    def _local_generation(self) -> str:
        marker = self.data_dir / "index-generation"
        return marker.read_text() if marker.exists() else ""

    def refresh(self) -> None:
        """Reload passages, cards and calibration if another process changed them since they were read."""
        generation = self._read_generation()
        if generation == self._generation:
            return
        with self._reloading:  # several threads may notice the change; one reloads
            if generation == self._generation:
                return
            logger.info("knowledge changed on disk; reloading")
            if not self._chroma_url:
                # An embedded Chroma client caches segment readers that another process's
                # writes make stale; only a new client sees them.
                SharedSystemClient.clear_system_cache()
                self.store = open_store(self._embeddings, self.data_dir / "chroma", None)
                self.retriever.store = self.store
            self._reload()
            self._generation = generation

    def ingest(self, paths: list[Path], edition: str | None = None,
               on_file: Callable[[Path], None] = lambda _: None) -> IngestReport:
        """Index files and folders, one writer at a time across processes."""
        with writer_lock(self.data_dir):
            report = ingest_paths(self.store, paths, edition, on_file)
        self._after_write()
        return report

    def remove(self, path: str) -> int:
        """Drop one document from the index; return how many passages went."""
        with writer_lock(self.data_dir):
            removed = remove_source(self.store, path)
        self._after_write()
        return removed

    def add_card_file(self, path: Path) -> list[str]:
        """Validate a card file and put it in the data directory's cards; return its card ids.

        Raises:
            DataFileError: the file has mistakes (each with its line); nothing was changed.
        """
        cards = load_card_file(path, self.edition_years)
        with writer_lock(self.data_dir):
            folder = self.data_dir / "cards"
            folder.mkdir(parents=True, exist_ok=True)
            partial = folder / f".{path.name}.partial"
            shutil.copyfile(path, partial)
            partial.replace(folder / path.name)
        self._after_write()
        return [card.id for card in cards]

    def save_card(self, card: Card) -> Path:
        """Write a new or changed card (or a retired one) to the data directory's cards; return its file.

        Raises:
            DataFileError: the card does not validate (a placeholder without an edition); nothing was changed.
        """
        return self.change_card(card.id, lambda _: card, new=True)

    def add_examples(self, card_id: str, questions: dict[str, list[str]]) -> Path:
        """Add example questions (by language) to a card, so questions like them get its answer.

        Raises:
            KeyError: no card has that id.
            ValueError: the card would hold too many examples.
        """
        def extended(card: Card | None) -> Card:
            assert card is not None  # change_card raised KeyError for an unknown id
            return with_examples(card, questions)

        return self.change_card(card_id, extended)

    def change_card(self, card_id: str, change: Callable[[Card | None], Card], new: bool = False) -> Path:
        """Read, change and write one card under the index lock, so two staff changes never undo each other.

        Raises:
            KeyError: no card has that id (unless `new`).
        """
        with writer_lock(self.data_dir):
            self.refresh()
            current = (self.card_set.cards | self.card_set.retired).get(card_id)
            if current is None and not new:
                raise KeyError(card_id)
            card = change(current)
            path = staff_card_path(self.data_dir / "cards", card, self.card_set.files.get(card.id))
            write_card(path, card, self.edition_years)
        self._after_write()
        return path

    def _after_write(self) -> None:
        if self._chroma_url:
            publish_generation(self.store, self._local_generation())
        self._generation = self._read_generation()
        self._reload()

    def _reload(self) -> None:
        self.retriever.reload()
        self.cards = self._load_cards()
        self.calibration = self._load_calibration()

    def _load_cards(self) -> CardIndex:
        card_set: CardSet
        card_set, self.card_problems = check_cards(self.card_folders, self.edition_years)
        self.card_set = card_set
        for problem in self.card_problems:
            logger.warning("answer card skipped: %s", problem)
        cache = self.data_dir / f"card-vectors-{self.embedding_name}.npz"
        return CardIndex.build(list(card_set.cards.values()), self._embeddings, cache, self._paraphrase_model,
                               document_questions=self._document_questions(),
                               classifier_cache=self.data_dir / f"card-classifier-{self.embedding_name}")

    def _document_questions(self) -> dict[str, list[str]]:
        """Return the built-in questions of the documents this index holds.

        A document not indexed has no passage to quote: as a class of the card classifier it
        would only draw questions away from the cards. Without the built-in cards, none.
        """
        if BUILTIN_CARDS not in self.card_folders:
            return {}
        indexed = {p.document for p in self.retriever.passages}
        return {name: asked for name, asked in load_document_questions().items() if name in indexed}

    def _load_calibration(self) -> Calibration | None:
        return load_calibration(self.embedding_name, self.data_dir)

    def _drop_legacy_pack(self) -> None:
        """Remove the passages of the knowledge pack that answer cards replaced (older data directories)."""
        sources = {p.source for p in all_passages(self.store) if p.source.startswith(LEGACY_PACK_PREFIX)}
        if not sources:
            return
        with writer_lock(self.data_dir):
            for source in sources:
                remove_source(self.store, source)
        logger.info("removed %d documents of the old knowledge pack", len(sources))
