"""Turn a file into langchain Documents: one per page (PDF) or one per file."""

from __future__ import annotations

import hashlib
import re
import warnings
from pathlib import Path
from types import ModuleType

import yaml
from langchain_core.documents import Document

SUPPORTED_SUFFIXES = frozenset({".txt", ".md", ".html", ".htm", ".pdf", ".docx"})
MAX_FILE_BYTES = 50 * 1024 * 1024
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)


class UnreadableFile(Exception):
    """A file that cannot be indexed; the message names the file and why, on one line."""


def file_digest(path: Path) -> str:
    """Return the SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_file(path: Path) -> list[Document]:
    """Load one supported file into Documents with `page` (PDF) and front-matter metadata."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnreadableFile(f"{path}: unsupported file type {suffix or '(none)'}; "
                             f"supported: {', '.join(sorted(SUPPORTED_SUFFIXES))}")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise UnreadableFile(f"{path}: larger than {MAX_FILE_BYTES // 2**20} MiB")
    try:
        documents = _LOADERS[suffix](path)
    except UnreadableFile:
        raise
    except Exception as error:  # each parser fails its own way; the user needs one line
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise UnreadableFile(f"{path}: cannot read {suffix} file ({reason})") from error
    if not any(doc.page_content.strip() for doc in documents):
        raise UnreadableFile(f"{path}: no text found (empty, scanned or image-only)")
    return documents


def _load_text(path: Path) -> list[Document]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        text = path.read_bytes().decode("latin-1")
    if "\x00" in text:
        raise UnreadableFile(f"{path}: binary content in a text file")
    return [Document(page_content=text)]


def _load_markdown(path: Path) -> list[Document]:
    text = _load_text(path)[0].page_content
    match = _FRONT_MATTER.match(text)
    if not match:
        return [Document(page_content=text)]
    meta = yaml.safe_load(match.group(1)) or {}
    if not isinstance(meta, dict):
        raise UnreadableFile(f"{path}: front matter is not a mapping")
    clean = {key: str(value) for key, value in meta.items() if value is not None}
    return [Document(page_content=text[match.end():], metadata=clean)]


def _load_html(path: Path) -> list[Document]:
    # Parsed here rather than with BSHTMLLoader so navigation, headers and footers can be
    # removed before the text is taken: they are page furniture, not knowledge.
    from bs4 import BeautifulSoup  # imported here: answering a question never parses HTML

    soup = BeautifulSoup(_load_text(path)[0].page_content, "html.parser")
    for tag in soup(["script", "style", "nav", "header", "footer", "aside", "form", "noscript"]):
        tag.decompose()
    title = soup.title.get_text(strip=True) if soup.title else ""
    body = soup.body or soup
    text = body.get_text("\n", strip=True)
    return [Document(page_content=text, metadata={"title": title} if title else {})]


def _community_loaders() -> ModuleType:
    # langchain-community warns on import that it is being sunset; its loaders still work
    # and the warning means nothing to the person running `ingest`.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from langchain_community import document_loaders
    return document_loaders


def _load_pdf(path: Path) -> list[Document]:
    from pypdf import PdfReader

    PyPDFLoader = _community_loaders().PyPDFLoader
    if PdfReader(str(path)).is_encrypted:
        raise UnreadableFile(f"{path}: the PDF is encrypted")
    pages = PyPDFLoader(str(path)).load()
    return [Document(page_content=p.page_content, metadata={"page": int(p.metadata.get("page", 0)) + 1})
            for p in pages]


def _load_docx(path: Path) -> list[Document]:
    Docx2txtLoader = _community_loaders().Docx2txtLoader
    return [Document(page_content=d.page_content) for d in Docx2txtLoader(str(path)).load()]


_LOADERS = {
    ".txt": _load_text, ".md": _load_markdown, ".html": _load_html, ".htm": _load_html,
    ".pdf": _load_pdf, ".docx": _load_docx,
}
