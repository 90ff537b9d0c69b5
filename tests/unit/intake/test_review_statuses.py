"""The review workflow's statuses are a validated data file."""

from __future__ import annotations

from pathlib import Path

import pytest

from datafiles import DataFileError, read_model
from intake.services.reviews import STATUSES_FILE, ReviewStatuses, review_statuses


def test_the_packaged_statuses_start_at_new_and_read_in_three_languages() -> None:
    statuses = review_statuses()
    assert statuses[0].id == "new"
    assert {"in_review", "complete", "incomplete", "shortlisted", "rejected"} <= {s.id for s in statuses}
    assert all(s.label.fr and s.label.ar and s.label.en for s in statuses)


def test_a_duplicate_status_is_reported_with_its_file_and_line(tmp_path: Path) -> None:
    broken = tmp_path / "statuses.yaml"
    text = STATUSES_FILE.read_text(encoding="utf-8").replace("id: rejected", "id: new")
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError, match=r"statuses.yaml:\d+: statuses: .*distinct ids"):
        read_model(broken, ReviewStatuses)
