"""Pure rules of the bot: typed replies, reminder rounds, uploads, token redaction, UI texts."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.telegram import uploads
from bot.telegram.redaction import TokenRedactor, is_well_formed
from bot.telegram.reminders import plan
from bot.telegram.texts import _T, keys, say
from intake.catalog import packaged_catalog
from intake.schema import Edition

EDITION = packaged_catalog().get(2025)
TOKEN = "123456789:emulator-test-token-not-a-secret"


def closing(at: datetime) -> Edition:
    deadline = EDITION.deadline.model_copy(update={"closes_at": at})
    return EDITION.model_copy(update={"deadline": deadline})


NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("closes_in", "expected"), [
    (timedelta(days=30), [(14, 16), (7, 23), (1, 29)]),
    (timedelta(days=10), [(14, None), (7, 3), (1, 9)]),
    (timedelta(days=5), [(7, None), (1, 4)]),
    (timedelta(hours=3), [(1, None)]),
    (timedelta(hours=-1), []),
])
def test_reminder_rounds_ahead_and_the_latest_one_due(
    closes_in: timedelta, expected: list[tuple[int, int | None]]
) -> None:
    rounds = plan(closing(NOW + closes_in), NOW)

    assert [(days, None if at is None else (at - NOW).days) for days, at in rounds] == expected


def test_no_reminder_without_a_closing_date() -> None:
    assert plan(closing(None), NOW) == []  # type: ignore[arg-type]


@pytest.mark.parametrize(("name", "size", "refusal"), [
    ("dossier.pdf", 1000, None),
    ("Statuts.DOCX", 1000, None),
    ("budget.xlsx", None, None),
    ("scan.JPEG", 1000, None),
    ("scan.png", uploads.MAX_BYTES, None),
    ("scan.png", uploads.MAX_BYTES + 1, "refused_size"),
    ("setup.exe", 10, "refused_type"),
    ("archive.pdf.zip", 10, "refused_type"),
    (None, 10, "refused_type"),
])
def test_declared_files(name: str | None, size: int | None, refusal: str | None) -> None:
    assert uploads.refusal_before_download(name, size) == refusal


def test_content_must_match_the_extension() -> None:
    assert uploads.refusal_of_content("a.pdf", b"%PDF-1.7 ...") is None
    assert uploads.refusal_of_content("a.pdf", b"MZ\x90\x00") == "refused_content"
    assert uploads.refusal_of_content("a.docx", b"PK\x03\x04rest") is None
    assert uploads.refusal_of_content("a.png", b"\x89PNG\r\n\x1a\n" + b"0" * uploads.MAX_BYTES) == "refused_size"


@pytest.mark.parametrize(("name", "safe"), [
    ("statuts.pdf", "statuts.pdf"),
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("..\\..\\x.pdf", "x.pdf"),
    (".hidden.pdf", "hidden.pdf"),
    ("نظام أساسي.pdf", "نظام_أساسي.pdf"),
    ("a b;c|d.pdf", "a_b_c_d.pdf"),
])
def test_safe_names(name: str, safe: str) -> None:
    assert uploads.safe_name(name) == safe


def test_stored_files_stay_under_uploads_and_erase_refuses_other_paths(tmp_path: Path) -> None:
    ref = uploads.store(tmp_path, 7, "statutes", "../s.pdf", b"%PDF-1")
    outside = tmp_path / "assistant.sqlite3"
    outside.write_text("keep me")

    erased = uploads.erase(tmp_path, [ref.location, "uploads/../assistant.sqlite3", "/etc/hostname"])

    assert ref.location.startswith("uploads/7/statutes/") and erased == 1 and outside.exists()


def test_the_redactor_rewrites_messages_arguments_and_tracebacks() -> None:
    redactor = TokenRedactor(TOKEN)
    try:
        raise RuntimeError(f"The token `{TOKEN}` was rejected")
    except RuntimeError as error:
        record = logging.LogRecord("telegram", logging.ERROR, __file__, 1, "url %s", (f"/bot{TOKEN}/getMe",),
                                   (type(error), error, error.__traceback__))

    assert redactor.filter(record)
    assert TOKEN not in record.getMessage() and "/bot[token]/getMe" in record.getMessage()
    assert record.exc_text is not None and TOKEN not in record.exc_text and "[token]" in record.exc_text


@pytest.mark.parametrize(("token", "good"), [
    (TOKEN, True), ("1:" + "a" * 30, True), ("1:" + "a" * 29, False), ("abc:" + "a" * 35, False),
    ("1:" + "a" * 30 + " ", False), ("", False),
])
def test_token_shape(token: str, good: bool) -> None:
    assert is_well_formed(token) is good


def test_every_text_exists_in_three_languages_and_the_arabic_is_arabic() -> None:
    for key in keys():
        french, arabic, english = _T[key]
        assert french and english and arabic
        if re.search(r"[A-Za-z]{4,}", french.replace("/eligibilite", "")):
            assert re.search(r"[\u0600-\u06FF]", arabic), key


def test_values_are_escaped_into_templates() -> None:
    assert say("refused_type", "fr", name="<b>x</b>.exe") .count("&lt;b&gt;") == 1


def test_a_long_name_in_a_wide_script_fits_the_file_system() -> None:
    name = uploads.safe_name("中" * 120 + ".pdf")
    assert len(name.encode()) <= 100 and name.endswith(".pdf")


def test_sweeping_removes_only_folders_of_applicants_that_are_gone(tmp_path) -> None:  # type: ignore[no-untyped-def]
    for applicant_id in (1, 2, 3):
        folder = tmp_path / uploads.UPLOADS / str(applicant_id)
        folder.mkdir(parents=True)
        (folder / "statuts.pdf").write_bytes(b"%PDF")
    assert uploads.sweep_orphans(tmp_path, {1, 3}) == 1
    assert sorted(p.name for p in (tmp_path / uploads.UPLOADS).iterdir()) == ["1", "3"]
