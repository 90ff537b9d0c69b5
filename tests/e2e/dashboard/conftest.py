"""The workspace on a real SQLite runtime, with one account per role, and how a test signs in."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from intake_factories import NOW
from starlette.testclient import TestClient
from workspace_client import ADMIN, PASSWORD, REVIEWER, VIEWER

from bot.dashboard.app import create_dashboard
from core.clock import FixedClock
from core.runtime import Runtime, build_runtime
from core.settings import Settings
from intake.database import unit_of_work
from intake.models import StaffRole
from intake.services.staff import add_staff

# Files still being written (a cache a background thread saves) are not part of the copy.
WRITING = shutil.ignore_patterns("*.partial", "*.tmp*")


@pytest.fixture(scope="session")
def warm_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory made once: the database migrated, the card vectors cached, the index created.

    Each test starts from a copy of it, so the workspace's many tests do not each pay for it.
    """
    template = tmp_path_factory.mktemp("warm-data")
    build_runtime(Settings(data_dir=template, embedding_backend="hashing")).close()
    return template


@pytest.fixture
def warm_copy(data_dir: Path, warm_data_dir: Path) -> Path:
    """The test's data directory, filled with a copy of the warm one."""
    shutil.copytree(warm_data_dir, data_dir, dirs_exist_ok=True, ignore=WRITING)
    return data_dir


@pytest.fixture
def staff_runtime(warm_copy: Path) -> Iterator[Runtime]:
    """A runtime at NOW (1 July 2025) with an admin, a reviewer and a viewer."""
    runtime = build_runtime(Settings(data_dir=warm_copy, embedding_backend="hashing"), clock=FixedClock(NOW))
    with unit_of_work(runtime.sessions) as session:
        for email, role in ((ADMIN, StaffRole.ADMIN), (REVIEWER, StaffRole.REVIEWER), (VIEWER, StaffRole.VIEWER)):
            add_staff(session, email, PASSWORD, role, "test", NOW)
    yield runtime
    runtime.close()


@pytest.fixture
def staff_client(staff_runtime: Runtime) -> TestClient:
    return TestClient(create_dashboard(staff_runtime), base_url="http://127.0.0.1", follow_redirects=False)
