"""The runtime every adapter shares answers from what another process just ingested."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from core.runtime import build_runtime
from core.settings import Settings


def test_a_document_ingested_by_another_process_is_answered_without_a_restart(data_dir: Path,
                                                                                tmp_path: Path) -> None:
    runtime = build_runtime(Settings(data_dir=data_dir, embedding_backend="hashing"))
    question = "Combien coûte le zanzibar annuel ?"

    def candidates() -> list[str]:
        return [c.key for d in runtime.assistant.decisions(question) for c in d.candidates if c.hit]

    assert candidates() == []
    document = tmp_path / "cahier.txt"
    document.write_text("Le cahier des charges impose un zanzibar annuel à chaque cluster, pour l'année 2025.",
                        encoding="utf-8")
    env = {**os.environ, "CLUSTER_ASSISTANT_EMBEDDING_BACKEND": "hashing"}
    subprocess.run([sys.executable, "-m", "bot", "ingest", str(document), "--data-dir", str(data_dir)],
                   check=True, env=env, capture_output=True)
    runtime.knowledge.refresh()
    assert len(candidates()) == 1  # its passage is weighed without a restart
    subprocess.run([sys.executable, "-m", "bot", "ingest", "--remove", str(document), "--data-dir", str(data_dir)],
                   check=True, env=env, capture_output=True)
    runtime.knowledge.refresh()
    assert candidates() == []
    runtime.close()


ZANZIBAR_CARD = """\
cards:
  - id: zanzibar-fee
    kind: answer
    topic: {fr: "Redevance zanzibar", ar: "رسوم زنجبار", en: "Zanzibar fee"}
    answer:
      fr: "La redevance zanzibar est de 12 dirhams (à confirmer)."
      ar: "رسوم زنجبار هي 12 درهما (يجب التأكد)."
      en: "The zanzibar fee is 12 dirhams (to be confirmed)."
    confirmed: false
    sources:
      - {document: "Note de la Division", date: "2026-12"}
    examples:
      fr: ["Combien coûte la redevance zanzibar ?", "prix du zanzibar"]
      en: ["How much is the zanzibar fee?"]
"""


def test_a_card_added_by_another_process_is_used_without_a_restart(data_dir: Path, tmp_path: Path) -> None:
    runtime = build_runtime(Settings(data_dir=data_dir, embedding_backend="hashing"))
    assert runtime.card_answer("zanzibar-fee", "fr") is None
    env = {**os.environ, "CLUSTER_ASSISTANT_EMBEDDING_BACKEND": "hashing"}
    bad = tmp_path / "bad.yaml"
    bad.write_text(ZANZIBAR_CARD.replace("kind: answer", "kind: maybe"), encoding="utf-8")
    refused = subprocess.run(
        [sys.executable, "-m", "bot", "knowledge", "add-card", str(bad), "--data-dir", str(data_dir)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 1 and f"{bad}:3:" in refused.stderr
    card = tmp_path / "zanzibar.yaml"
    card.write_text(ZANZIBAR_CARD, encoding="utf-8")
    subprocess.run([sys.executable, "-m", "bot", "knowledge", "add-card", str(card), "--data-dir", str(data_dir)],
                   check=True, env=env, capture_output=True)
    answer = runtime.card_answer("zanzibar-fee", "fr")
    assert answer is not None and "12 dirhams" in answer.answer and "Note de la Division" in answer.answer
    runtime.close()


def test_the_configured_editions_folder_is_what_the_runtime_and_the_answers_use(data_dir: Path, tmp_path: Path,
                                                                                  editions_dir: Path) -> None:
    folder = tmp_path / "editions"
    folder.mkdir()
    for edition in editions_dir.glob("*.yaml"):
        (folder / edition.name).write_bytes(edition.read_bytes())
    newer = (editions_dir / "2025.yaml").read_text(encoding="utf-8").replace("year: 2025", "year: 2026")
    (folder / "2026.yaml").write_text(newer, encoding="utf-8")
    runtime = build_runtime(Settings(data_dir=data_dir, embedding_backend="hashing", editions_dir=folder))

    assert runtime.catalog.latest().year == 2026
    assert "2026" in runtime.assistant.facts.deadlines
    runtime.close()
