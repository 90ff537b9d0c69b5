"""Index files and folders: idempotent, one bad file never stops the batch."""

from __future__ import annotations

import fcntl
import logging
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from langchain_core.documents import Document

from knowledge.chunking import chunk_edition, split_document
from knowledge.editions import detect_edition
from knowledge.furniture import strip_furniture
from knowledge.loading import SUPPORTED_SUFFIXES, UnreadableFile, file_digest, load_file
from knowledge.store import PassageStore, documents_of, replace_source

logger = logging.getLogger(__name__)
# Folder listings skip files that describe a folder rather than the call.
_NOT_CONTENT = ("readme", "license", "licence", "changelog")


@dataclass
class IngestReport:
    """What one ingest run did, file by file."""

    indexed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    passages: int = 0

    @property
    def ok(self) -> bool:
        """Return whether every file went through."""
        return not self.failed


def expand_paths(paths: list[Path]) -> Iterator[Path]:
    """Yield the files to index: files as given, folders walked for supported types."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
                if child.is_file() and not hidden and child.suffix.lower() in SUPPORTED_SUFFIXES \
                        and not child.stem.lower().startswith(_NOT_CONTENT):
                    yield child
        else:
            yield path


@contextmanager
def writer_lock(data_dir: Path) -> Iterator[None]:
    """Hold the data directory's index lock: one writer at a time across processes."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / "index.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            (data_dir / "index-generation").write_text(str(time.time_ns()))
            fcntl.flock(handle, fcntl.LOCK_UN)


def source_key(path: Path) -> str:
    """Return the key a file is stored under: its absolute path."""
    return str(path.expanduser().resolve())


def ingest_file(store: PassageStore, path: Path, edition: str | None = None,
                source: str | None = None) -> tuple[bool, int]:
    """Index one file unless its bytes are already indexed.

    Args:
        store: the passage collection.
        path: the file to index.
        edition: the call edition; detected from the text when None.
        source: the key to store it under; its absolute path when None.

    Returns:
        (changed, passages): whether anything was written, and the passages now stored.

    Raises:
        UnreadableFile: the file cannot be read; nothing was changed.
    """
    if not path.is_file():
        raise UnreadableFile(f"{path}: no such file")
    source = source or source_key(path)
    digest = file_digest(path)
    existing = documents_of(store, source)
    if existing["ids"] and all((m or {}).get("sha256") == digest for m in existing["metadatas"]):
        return False, len(existing["ids"])
    chunks = _passages(path, load_file(path), source, digest, edition)
    if not chunks:
        raise UnreadableFile(f"{path}: no text left once page furniture is removed")
    replace_source(store, source, chunks)
    return True, len(chunks)


def _passages(path: Path, pages: list[Document], source: str, digest: str,
              edition: str | None) -> list[Document]:
    markdown = path.suffix.lower() == ".md"
    whole = "\n".join(page.page_content for page in pages)
    front = pages[0].metadata
    # A document with front matter states its edition (or none: it spans editions).
    doc_edition = edition or front.get("edition") or (None if "title" in front and markdown
                                                      else detect_edition(strip_furniture(whole), path.stem))
    title = pages[0].metadata.get("title") or _title_of(whole, path)
    chunks: list[Document] = []
    for page in pages:
        cleaned = Document(page_content=strip_furniture(page.page_content), metadata=page.metadata)
        for chunk in split_document(cleaned, markdown=markdown):
            n = len(chunks) + 1
            chunk.metadata.update(
                source=source, sha256=digest, title=title,
                edition=(chunk_edition(chunk, doc_edition) if markdown else doc_edition) or "",
                position=f"page {page.metadata['page']}" if "page" in page.metadata else f"§{n}",
            )
            chunk.metadata.pop("page", None)
            chunks.append(chunk)
    return chunks


def _title_of(text: str, path: Path) -> str:
    described = described_title(path)
    if described:
        return described
    first = text.strip().splitlines()[0].strip() if text.strip() else ""
    return first if 0 < len(first) <= 160 and not first.endswith(".") else path.stem


_TABLE_ROW = re.compile(r"^\|\s*`?([^|`]+?)`?\s*\|\s*([^|]+?)\s*\|")


def described_title(path: Path) -> str | None:
    """Return what the folder's README table says a file is (`| file | description | ... |`), if it does.

    Call texts often come as files named by a hash or a date; the folder's README is where
    whoever gathered them said what each one is, and applicants read that in citations.
    """
    readme = path.parent / "README.md"
    if not readme.is_file():
        return None
    for line in readme.read_text(encoding="utf-8", errors="replace").splitlines():
        match = _TABLE_ROW.match(line.strip())
        if match and match.group(1).strip() == path.name:
            return match.group(2).strip()[:160]
    return None


def remove_source(store: PassageStore, path_or_source: str) -> int:
    """Drop every passage of a document; return how many were removed."""
    candidates = [path_or_source, source_key(Path(path_or_source))]
    for source in candidates:
        ids = documents_of(store, source)["ids"]
        if ids:
            store.collection.delete(ids=ids)
            return len(ids)
    return 0


def ingest_paths(store: PassageStore, paths: list[Path], edition: str | None,
                 on_file: Callable[[Path], None] = lambda _: None) -> IngestReport:
    """Index every file under `paths`; a failure is reported and the batch goes on."""
    report = IngestReport()
    for path in expand_paths(paths):
        on_file(path)
        try:
            changed, count = ingest_file(store, path, edition)
        except UnreadableFile as error:
            report.failed.append(str(error))
            continue
        (report.indexed if changed else report.unchanged).append(str(path))
        report.passages += count
    return report
