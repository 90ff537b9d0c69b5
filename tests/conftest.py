"""Fixtures shared by every test: where ../shared is, and a fresh data directory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from intake.catalog import EDITIONS_DIR

# The PostgreSQL server fixtures (postgres_admin_url, postgres_template, postgres_url) and a
# `chroma run` server (chroma_server) for any test.
pytest_plugins = ["postgres_server", "chroma_server"]

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """Return ../shared, or skip: a user's clone does not have it (CI always does)."""
    if not (SHARED / "corpus").is_dir():
        pytest.skip("../shared is absent (it is only beside the repo in CI and dev machines)")
    return SHARED


# The editions the tests are written against: adding a newer edition to the package does not move "the latest".
FIXTURE_EDITIONS = ("2023", "2024", "2025")


@pytest.fixture(scope="session")
def editions_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a folder holding the fixture editions (CLUSTER_ASSISTANT_EDITIONS_DIR for the tests' runtimes)."""
    folder = tmp_path_factory.mktemp("editions")
    for year in FIXTURE_EDITIONS:
        (folder / f"{year}.yaml").write_bytes((EDITIONS_DIR / f"{year}.yaml").read_bytes())
    return folder


@pytest.fixture(autouse=True)
def fixture_editions(editions_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point every runtime and command of a test at the fixture editions."""
    monkeypatch.setenv("CLUSTER_ASSISTANT_EDITIONS_DIR", str(editions_dir))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """Return an empty data directory for one test."""
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> object:
    """Under CI=true a skipped test fails: CI installs PostgreSQL, Chromium and ../shared, or says why not."""
    outcome = yield
    report: pytest.TestReport = outcome.get_result()  # type: ignore[attr-defined]
    if os.environ.get("CI") == "true" and report.skipped:
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, which must run every test: {reason}"
    return None
