"""Cut documents into short passages that each carry one or two facts."""

from __future__ import annotations

import re

from langchain_core.documents import Document
from langchain_text_splitters import MarkdownHeaderTextSplitter, RecursiveCharacterTextSplitter

from knowledge.editions import years_named

# Short chunks: a passage that mixes the deadline with the evaluation axes ranks low for
# both (see the stack notes), so sentences are kept apart where the text allows it.
CHUNK_CHARS = 420
_SPLITTER = RecursiveCharacterTextSplitter(
    chunk_size=CHUNK_CHARS,
    chunk_overlap=0,
    separators=["\n\n", "\n- ", "\n", ". ", "; ", ", ", " "],
    keep_separator="end",
)
_HEADERS = MarkdownHeaderTextSplitter(
    headers_to_split_on=[("#", "h1"), ("##", "h2"), ("###", "h3")], strip_headers=True
)


def split_document(document: Document, markdown: bool = False) -> list[Document]:
    """Split one loaded document into passages that keep its metadata and their section."""
    sections = _HEADERS.split_text(document.page_content) if markdown else [document]
    chunks: list[Document] = []
    for section in sections:
        heading = " / ".join(str(section.metadata[h]) for h in ("h1", "h2", "h3") if h in section.metadata)
        for piece in _pieces(section.page_content):
            text = piece.strip().lstrip("- ").strip()
            if len(text) < 12:
                continue
            metadata = dict(document.metadata)
            if heading:
                metadata["section"] = heading
            chunks.append(Document(page_content=text, metadata=metadata))
    return chunks


def _pieces(text: str) -> list[str]:
    # Paragraphs and list items are never merged: each tends to carry its own fact.
    blocks = re.split(r"\n\s*\n|\n(?=- )", text)
    return [piece for block in blocks for piece in _SPLITTER.split_text(block)]


def chunk_edition(chunk: Document, document_edition: str | None) -> str | None:
    """Return the edition a passage speaks of: the one year its section heading names, else its document's."""
    named = years_named(str(chunk.metadata.get("section", "")))
    return named.pop() if len(named) == 1 else document_edition
