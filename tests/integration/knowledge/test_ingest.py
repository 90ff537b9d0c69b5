"""Ingest into a real embedded Chroma: idempotence, replacement, removal, bad files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge.base import KnowledgeBase
from knowledge.embeddings import HashingEmbeddings
from tests.integration.knowledge.factories import write_docx, write_pdf, write_text

CALL = ("Appel à projets clusters 2024\n\nLes porteurs de projets ont jusqu'au 25 octobre à 15h "
        "pour déposer leur dossier, pour l'année 2024.")


@pytest.fixture
def base(data_dir: Path) -> KnowledgeBase:
    return KnowledgeBase(data_dir, HashingEmbeddings(), {"2023", "2024", "2025"})


def _sources(base: KnowledgeBase) -> dict[str, int]:
    counts: dict[str, int] = {}
    for passage in base.retriever.passages:
        counts[passage.source] = counts.get(passage.source, 0) + 1
    return counts


def test_reingesting_the_same_file_changes_nothing(base: KnowledgeBase, tmp_path: Path) -> None:
    path = write_text(tmp_path, "call.txt", CALL)
    first = base.ingest([path])
    ids = [p.id for p in base.retriever.passages]
    second = base.ingest([path])
    assert first.indexed == [str(path)] and second.unchanged == [str(path)]
    assert [p.id for p in base.retriever.passages] == ids


def test_a_changed_file_replaces_its_passages(base: KnowledgeBase, tmp_path: Path) -> None:
    path = write_text(tmp_path, "call.txt", CALL)
    base.ingest([path])
    path.write_text(CALL.replace("25 octobre", "30 novembre"), encoding="utf-8")
    base.ingest([path])
    texts = " ".join(p.text for p in base.retriever.passages)
    assert "30 novembre" in texts and "25 octobre" not in texts
    assert len(_sources(base)) == 1


def test_remove_drops_a_document(base: KnowledgeBase, tmp_path: Path) -> None:
    keep = write_text(tmp_path, "keep.txt", CALL)
    drop = write_text(tmp_path, "drop.txt", "Un autre texte sur les clusters marocains.")
    base.ingest([keep, drop])
    assert base.remove(str(drop)) > 0
    assert list(_sources(base)) == [str(keep.resolve())]
    assert base.remove(str(drop)) == 0


def test_passages_keep_source_title_position_and_edition(base: KnowledgeBase, tmp_path: Path) -> None:
    base.ingest([write_text(tmp_path, "call.txt", CALL)])
    passage = base.retriever.passages[0]
    assert passage.source.endswith("call.txt")
    assert passage.title == "Appel à projets clusters 2024"
    assert passage.edition == "2024" and passage.position == "§1"


def test_edition_option_overrides_detection(base: KnowledgeBase, tmp_path: Path) -> None:
    base.ingest([write_text(tmp_path, "call.txt", CALL)], edition="2025")
    assert {p.edition for p in base.retriever.passages} == {"2025"}


def test_pdf_pages_are_positions(base: KnowledgeBase, tmp_path: Path) -> None:
    path = write_pdf(tmp_path, "cdc.pdf", ["Cahier des charges, page un.", "Les statuts de l'association."])
    base.ingest([path])
    assert {p.position for p in base.retriever.passages} == {"page 1", "page 2"}


def test_docx_and_html_are_read_without_page_furniture(base: KnowledgeBase, tmp_path: Path) -> None:
    docx = write_docx(tmp_path, "note.docx", ["Le dossier comprend les statuts.", "Et la liste des membres."])
    html = write_text(
        tmp_path,
        "page.html",
        "<html><head><title>Appel</title></head><body><nav>Accueil "
        "Menu</nav><p>Les clusters existants sont concernés.</p><footer>Plan du site</footer></body></html>",
    )
    report = base.ingest([docx, html])
    texts = " ".join(p.text for p in base.retriever.passages)
    assert report.ok and "liste des membres" in texts and "concernés" in texts
    assert "Menu" not in texts and "Plan du site" not in texts


def test_bad_files_fail_one_by_one_and_the_rest_is_indexed(base: KnowledgeBase, tmp_path: Path) -> None:
    good = write_text(tmp_path, "good.txt", CALL)
    empty = write_text(tmp_path, "empty.txt", "   ")
    unsupported = write_text(tmp_path, "data.csv", "a,b")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 not really a pdf")
    locked = write_pdf(tmp_path, "locked.pdf", ["Secret"], password="s3cret")
    report = base.ingest([good, empty, unsupported, broken, locked, tmp_path / "missing.txt"])
    assert report.indexed == [str(good)]
    assert len(report.failed) == 5
    for name, failure in zip(["empty.txt", "data.csv", "broken.pdf", "locked.pdf", "missing.txt"], report.failed):
        assert name in failure and "\n" not in failure
    assert "encrypted" in report.failed[3]


def test_folders_are_walked_and_readmes_skipped(base: KnowledgeBase, tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    write_text(folder, "README.md", "# About this folder")
    write_text(folder, "call.txt", CALL)
    report = base.ingest([folder])
    assert report.indexed == [str(folder / "call.txt")]


def test_another_process_ingest_is_seen_after_refresh(data_dir: Path, tmp_path: Path) -> None:
    reader = KnowledgeBase(data_dir, HashingEmbeddings(), {"2023", "2024", "2025"})
    path = write_text(tmp_path, "call.txt", CALL)
    env = {**os.environ, "CLUSTER_ASSISTANT_EMBEDDING_BACKEND": "hashing"}
    subprocess.run([sys.executable, "-m", "bot", "ingest", str(path), "--no-pack", "--data-dir", str(data_dir)],
                   check=True, env=env, capture_output=True)
    assert reader.retriever.passages == []
    reader.refresh()
    assert {p.source for p in reader.retriever.passages} == {str(path.resolve())}
    assert reader.retriever.search("date limite 25 octobre")


def test_the_old_pack_passages_are_dropped_once_cards_replace_them(data_dir: Path) -> None:
    old = KnowledgeBase(data_dir, HashingEmbeddings(), {"2023", "2024", "2025"})
    pack_file = data_dir / "deadlines.md"
    pack_file.write_text("# Dates\n\n- La date limite est le 25 octobre 2024.\n", encoding="utf-8")
    from knowledge.ingest import ingest_file
    ingest_file(old.store, pack_file, source="pack:deadlines.md")
    reopened = KnowledgeBase(data_dir, HashingEmbeddings(), {"2023", "2024", "2025"})
    assert not [p for p in reopened.retriever.passages if p.source.startswith("pack:")]



@pytest.mark.shared
def test_the_call_page_furniture_is_not_indexed(base: KnowledgeBase, shared_dir: Path) -> None:
    base.ingest([shared_dir / "corpus"])
    texts = " ".join(p.text for p in base.retriever.passages)
    assert "Safran" not in texts and "Lire Aussi" not in texts and "Trophées" not in texts
    assert "14 juin 2023" in texts and "25 octobre" in texts
    assert {p.edition for p in base.retriever.passages} == {"2023", "2024"}


def test_a_folder_readme_table_gives_files_their_titles(base: KnowledgeBase, tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    write_text(
        folder, "README.md", "| file | what it is |\n|---|---|\n| 000_b557.txt | press article on the 2024 call |\n"
    )
    write_text(folder, "000_b557.txt", CALL)
    base.ingest([folder])
    assert {p.title for p in base.retriever.passages} == {"press article on the 2024 call"}


@pytest.mark.shared
def test_a_documents_questions_join_the_cards_once_the_document_is_indexed(base: KnowledgeBase,
                                                                             shared_dir: Path) -> None:
    """Before the texts are indexed the cards answer alone, as out of the box; each indexed text brings its own."""
    assert base.cards.documents.names == []

    base.ingest([shared_dir / "corpus-press" / "emaroc-2011-09.txt"])

    assert base.cards.documents.names == ["emaroc-2011-09.txt"]
    assert len(base.cards.documents.texts) >= 10
