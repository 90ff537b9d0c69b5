"""Applicants' files: which are accepted, safe names on disk, a store that keeps to its folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from intake import file_store
from intake.file_store import LocalFileStore


@pytest.mark.parametrize(("name", "size", "refusal"), [
    ("dossier.pdf", 1000, None),
    ("Statuts.DOCX", 1000, None),
    ("budget.xlsx", None, None),
    ("scan.JPEG", 1000, None),
    ("scan.png", file_store.MAX_BYTES, None),
    ("scan.png", file_store.MAX_BYTES + 1, "refused_size"),
    ("setup.exe", 10, "refused_type"),
    ("archive.pdf.zip", 10, "refused_type"),
    (None, 10, "refused_type"),
])
def test_declared_files(name: str | None, size: int | None, refusal: str | None) -> None:
    assert file_store.refusal_before_download(name, size) == refusal


def test_content_must_match_the_extension() -> None:
    assert file_store.refusal_of_content("a.pdf", b"%PDF-1.7 ...") is None
    assert file_store.refusal_of_content("a.pdf", b"MZ\x90\x00") == "refused_content"
    assert file_store.refusal_of_content("a.docx", b"PK\x03\x04rest") is None
    assert file_store.refusal_of_content("a.png", b"\x89PNG\r\n\x1a\n" + b"0" * file_store.MAX_BYTES) == "refused_size"


@pytest.mark.parametrize(("name", "safe"), [
    ("statuts.pdf", "statuts.pdf"),
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("..\\..\\x.pdf", "x.pdf"),
    (".hidden.pdf", "hidden.pdf"),
    ("نظام أساسي.pdf", "نظام_أساسي.pdf"),
    ("a b;c|d.pdf", "a_b_c_d.pdf"),
])
def test_safe_names(name: str, safe: str) -> None:
    assert file_store.safe_name(name) == safe


def test_stored_files_stay_under_uploads_and_erase_refuses_other_paths(tmp_path: Path) -> None:
    ref = LocalFileStore(tmp_path).store(7, "statutes", "../s.pdf", b"%PDF-1")
    outside = tmp_path / "assistant.sqlite3"
    outside.write_text("keep me")

    erased = LocalFileStore(tmp_path).erase([ref.location, "uploads/../assistant.sqlite3", "/etc/hostname"])

    assert ref.location.startswith("uploads/7/statutes/") and erased == 1 and outside.exists()


def test_a_long_name_in_a_wide_script_fits_the_file_system() -> None:
    name = file_store.safe_name("中" * 120 + ".pdf")
    assert len(name.encode()) <= 100 and name.endswith(".pdf")


def test_sweeping_removes_only_folders_of_applicants_that_are_gone(tmp_path: Path) -> None:
    for applicant_id in (1, 2, 3):
        folder = tmp_path / file_store.UPLOADS / str(applicant_id)
        folder.mkdir(parents=True)
        (folder / "statuts.pdf").write_bytes(b"%PDF")
    assert LocalFileStore(tmp_path).sweep_orphans({1, 3}) == 1
    assert sorted(p.name for p in (tmp_path / file_store.UPLOADS).iterdir()) == ["1", "3"]


def test_a_stored_file_reads_back_and_a_location_outside_the_store_does_not(tmp_path: Path) -> None:
    store = LocalFileStore(tmp_path)
    ref = store.store(3, "budget", "budget.pdf", b"%PDF-1.7 budget")
    (tmp_path / "assistant.sqlite3").write_text("secret")
    assert store.read(ref.location) == b"%PDF-1.7 budget"
    with pytest.raises(FileNotFoundError):
        store.read("uploads/../assistant.sqlite3")
    assert store.erase_applicant(3) == 1
    with pytest.raises(FileNotFoundError):
        store.read(ref.location)
