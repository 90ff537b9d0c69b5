"""Factory functions for documents of every supported type, written into a folder."""

from __future__ import annotations

from pathlib import Path


def write_text(folder: Path, name: str, text: str) -> Path:
    """Write a UTF-8 text file and return its path."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def write_pdf(folder: Path, name: str, pages: list[str], password: str | None = None) -> Path:
    """Write a PDF with one page of text per entry, optionally encrypted."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    if password:
        pdf.set_encryption(owner_password=password, user_password=password)
    path = folder / name
    pdf.output(str(path))
    return path


def write_docx(folder: Path, name: str, paragraphs: list[str]) -> Path:
    """Write a Word document with the given paragraphs."""
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    path = folder / name
    document.save(str(path))
    return path
