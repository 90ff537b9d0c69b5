"""Under CI=true a skipped test is a failure: a missing PostgreSQL or browser cannot pass silently."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def _run_a_skipping_test(tmp_path: Path, ci: str) -> subprocess.CompletedProcess[str]:
    for name in ("conftest.py", "postgres_server.py", "chroma_server.py"):  # the conftest and its plugins
        shutil.copy(TESTS / name, tmp_path / name)
    (tmp_path / "test_probe.py").write_text("import pytest\n\ndef test_needs_a_server():\n"
                                            "    pytest.skip('no server here')\n")
    env = {**os.environ, "CI": ci}
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
                          cwd=tmp_path, env=env, capture_output=True, text=True)


def test_a_skip_fails_under_ci(tmp_path: Path) -> None:
    result = _run_a_skipping_test(tmp_path, "true")
    assert result.returncode == 1
    assert "skipped under CI=true" in result.stdout and "no server here" in result.stdout


def test_a_skip_stays_a_skip_elsewhere(tmp_path: Path) -> None:
    result = _run_a_skipping_test(tmp_path, "")
    assert result.returncode == 0 and "1 skipped" in result.stdout
