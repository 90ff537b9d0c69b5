"""/dossier, documents, /resume and /supprimer on the real bot."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.telegram.context import BotApplication
from botapi.runner import RunningEmulator
from intake.models import Applicant, AskedQuestion, Attachment, Base, IntakeSession

from .conftest import User, buttons, count, inbox_settled, read, text_of

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 8 + b"\n%%EOF\n"


async def test_checklist_item_status_and_an_attached_document(
    bot: BotApplication, emulator: RunningEmulator, data_dir: Path
) -> None:
    user = User(emulator.client, 701)
    await user.consent()
    [checklist] = await user.say("/dossier")

    second = next(label for label in buttons(checklist) if label.startswith("2. "))
    item = await user.tap_edit(checklist["message_id"], text=second)
    done = await user.tap_edit(checklist["message_id"], data=buttons({"message": item})["fait"])
    [picker] = await user.send_file(PDF, "statuts.pdf", "application/pdf")
    confirmation = await user.tap_edit(picker["message_id"], text=second.replace("⬜", "✅"))

    assert "Dossier — édition 2025 : 0 % prêt" in text_of(checklist)
    assert "Statuts" in item["text"] and "Pourquoi" in item["text"] and "Source :" in item["text"]
    assert "Pièce probable" in item["text"] and "Statut : fait" in done["text"]
    assert "« statuts.pdf » est joint à : Statuts" in confirmation["text"]
    [attachment] = read(bot, lambda s: s.query(Attachment).all())
    stored = data_dir / attachment.location
    assert attachment.location.startswith("uploads/") and stored.read_bytes() == PDF
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    [summary] = await user.say("/dossier")
    assert "Dossier — édition 2025 : 10 % prêt" in text_of(summary)


async def test_wrong_type_or_size_is_refused_and_nothing_is_kept(
    bot: BotApplication, emulator: RunningEmulator, data_dir: Path
) -> None:
    user = User(emulator.client, 702)
    await user.consent()

    [exe] = await user.send_file(b"MZ\x90\x00" * 100, "setup.exe", "application/octet-stream")
    [big] = await user.send_file(b"%PDF-" + b"0" * (10 * 1024 * 1024 + 1), "gros.pdf", "application/pdf")
    [picker] = await user.send_file(b"MZ\x90\x00" * 100, "deguise.pdf", "application/pdf")
    first = next(label for label in buttons(picker) if label.startswith("1. "))
    disguised = await user.tap_edit(picker["message_id"], text=first)

    assert "PDF, DOCX, XLSX, JPG ou PNG" in text_of(exe) and "setup.exe" in text_of(exe)
    assert "dépasse 10 Mo" in text_of(big)
    assert "ne correspond pas à son type" in disguised["text"]
    assert count(bot, Attachment) == 0 and not (data_dir / "uploads").exists()


async def test_summary_lists_the_answers(bot: BotApplication, emulator: RunningEmulator) -> None:
    user = User(emulator.client, 703)
    await user.consent()
    [none_yet] = await user.say("/resume")
    await user.say("/eligibilite")
    await user.press(text="Cluster existant")

    [summary] = await user.say("/resume")

    assert "pas encore commencé" in text_of(none_yet)
    assert "Résumé de votre pré-vérification, édition 2025" in text_of(summary)
    assert "Type de cluster : Cluster existant" in text_of(summary)


async def test_delete_removes_everything_and_reports_counts(
    bot: BotApplication, emulator: RunningEmulator, data_dir: Path
) -> None:
    user = User(emulator.client, 704)
    await user.consent()
    await user.say("/eligibilite")
    await user.press(text="Nouveau cluster")
    await user.say("Quelle est la date limite de dépôt ?", replies=2)
    [picker] = await user.send_file(PDF, "liste.pdf", "application/pdf")
    await user.tap_edit(picker["message_id"], text=next(label for label in buttons(picker) if label.startswith("3. ")))
    assert count(bot, Attachment) == 1 and any((data_dir / "uploads").rglob("*.pdf"))

    [confirm] = await user.say("/supprimer")
    report = (await user.tap_edit(confirm["message_id"], text="🗑 Oui, tout supprimer"))["text"]
    [nothing] = await user.say("/supprimer")

    assert "Toutes vos données ont été supprimées" in report
    for line in ("profil : 1", "vérifications : 1", "questions posées : 1", "fichiers joints : 1",
                 "fichiers effacés du disque : 1"):
        assert line in report
    assert "aucune donnée" in text_of(nothing)
    for model in (Applicant, IntakeSession, AskedQuestion, Attachment):
        assert count(bot, model) == 0
    assert not any((data_dir / "uploads").rglob("*.pdf"))


async def test_cancelled_deletion_keeps_everything(bot: BotApplication, emulator: RunningEmulator) -> None:
    user = User(emulator.client, 705)
    await user.consent()
    [confirm] = await user.say("/supprimer")

    cancelled = await user.tap_edit(confirm["message_id"], text="Annuler")

    assert "Rien n'a été supprimé" in cancelled["text"] and count(bot, Applicant) == 1


async def test_after_a_deletion_the_cluster_name_is_in_no_database_file(
    bot: BotApplication, emulator: RunningEmulator, data_dir: Path
) -> None:
    user = User(emulator.client, 706)
    await user.consent()
    await user.say("/eligibilite")
    for choice in ("Nouveau cluster", "Industriel"):
        await user.press(text=choice)
    for option in ("☐ Entreprises", "☐ Établissements de recherche"):
        await user.tap(text=option)
    await user.press(text="Terminé ✓")
    await user.say("20")
    await user.say("70")
    for choice in ("Association", "Oui", "Oui"):
        await user.press(text=choice)
    [verdict] = await user.say("Zephyr Photonique 7731")
    name = b"Zephyr Photonique 7731"
    database = data_dir / "assistant.sqlite3"
    written = database.read_bytes() + Path(f"{database}-wal").read_bytes()

    [confirm] = await user.say("/supprimer")
    report = (await user.tap_edit(confirm["message_id"], text="🗑 Oui, tout supprimer"))["text"]

    assert "Résultat" in text_of(verdict) and name in written
    assert "Toutes vos données ont été supprimées" in report
    assert name not in Path(f"{database}-wal").read_bytes()
    assert name not in database.read_bytes()


async def test_after_a_deletion_no_row_of_any_table_names_the_applicant(
    bot: BotApplication, emulator: RunningEmulator
) -> None:
    user = User(emulator.client, 98_765_431)
    await user.consent()
    await user.say("/eligibilite")
    await user.press(text="Nouveau cluster")
    await user.say("Quelle est la date limite de dépôt ?", replies=2)
    applicant_id = read(bot, lambda s: s.scalars(select(Applicant.id)).one())

    [confirm] = await user.say("/supprimer")
    await user.tap_edit(confirm["message_id"], text="🗑 Oui, tout supprimer")

    def rows_naming_them(session: Session) -> list[tuple[str, str]]:
        found = []
        for table in Base.metadata.sorted_tables:
            for row in session.execute(select(table)).mappings():
                values = {key: str(value) for key, value in row.items()}
                if "98765431" in " ".join(values.values()) or any(
                        key.endswith("applicant_id") and value == str(applicant_id) for key, value in values.items()):
                    found.append((table.name, str(dict(row))[:200]))
        return found

    await inbox_settled(bot)  # the press's own stored update says who pressed until it is finished
    assert read(bot, rows_naming_them) == []
