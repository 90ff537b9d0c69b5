"""Fixtures shared by every test: where ../shared is, and a fresh data directory."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """Return ../shared, or skip: a user's clone does not have it (CI always does)."""
    if not (SHARED / "corpus").is_dir():
        pytest.skip("../shared is absent (it is only beside the repo in CI and dev machines)")
    return SHARED


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """Return an empty data directory for one test."""
    path = tmp_path / "data"
    path.mkdir()
    return path
