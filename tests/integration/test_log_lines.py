"""What an operator reads in the logs of a command: each line says when it was written."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
STAMP = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3} INFO ")


def test_each_log_line_starts_with_the_date_and_time(tmp_path: Path) -> None:
    env = {**os.environ, "CLUSTER_ASSISTANT_LOG_LEVEL": "INFO"}
    env.pop("CLUSTER_ASSISTANT_DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-m", "bot", "db", "upgrade", "--data-dir", str(tmp_path)],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=False)

    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stderr.splitlines() if "database at revision" in line]
    assert lines and all(STAMP.match(line) for line in lines), done.stderr
