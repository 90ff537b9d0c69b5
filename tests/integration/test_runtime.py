"""The runtime every adapter shares answers from what another process just ingested."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.runtime import build_runtime
from bot.settings import Settings


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
