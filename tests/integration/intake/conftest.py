"""A real database for the intake tests: SQLite in tmp_path, and PostgreSQL (tests/postgres_server.py).

The same tests run on both through the `database_url` fixture.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from intake.database import create_db_engine, session_factory, upgrade_to_head


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Return an empty database's URL: SQLite in tmp_path, then PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'intake.sqlite3'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """Return an engine on a database upgraded with the packaged migrations.

    SQLite runs every migration here; PostgreSQL copies a template that ran them once
    (creating a database is the slow part), and the upgrade below finds it at head.
    """
    engine = create_db_engine(database_url)
    upgrade_to_head(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def factory(engine: Engine) -> sessionmaker[Session]:
    """Return the session factory the services run under."""
    return session_factory(engine)
