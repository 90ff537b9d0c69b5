"""Migrations as a deploy step: `db upgrade` from several processes at once, workers that refuse an old schema."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from intake.database import MIGRATIONS_DIR, create_db_engine, current_revision, downgrade_to

TOKEN = "123456:" + "A" * 35
HEAD = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()


def _cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "bot", *args], env={**os.environ, **env}, cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _empty_postgres(admin_url: str, name: str) -> str:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE template0'))
    admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Return the URL of a database no migration ran on yet."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    admin_url = str(request.getfixturevalue("postgres_admin_url"))
    return _empty_postgres(admin_url, f"empty_{os.getpid()}_{tmp_path.name[-12:].lower()}")


# Each process imports everything, then waits for the go file, so the upgrades start within milliseconds.
UPGRADE_AT_GO = """
import sys, time
from pathlib import Path
from intake.database import create_db_engine, upgrade_to_head
go = Path(sys.argv[2])
while not go.exists():
    time.sleep(0.005)
print(upgrade_to_head(create_db_engine(sys.argv[1])))
"""


def test_upgrades_started_together_all_succeed_and_leave_the_database_at_head(
    empty_database_url: str, tmp_path: Path
) -> None:
    go = tmp_path / "go"
    upgrades = [subprocess.Popen([sys.executable, "-c", UPGRADE_AT_GO, empty_database_url, str(go)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    time.sleep(3)  # not a timing assertion: lets the four processes finish importing before the go
    go.touch()
    outcomes = [(process.wait(timeout=120), process.communicate()) for process in upgrades]

    for code, (out, err) in outcomes:
        assert code == 0, err[-2000:]
        assert out.strip() == HEAD
    engine = create_db_engine(empty_database_url)
    assert current_revision(engine) == HEAD
    engine.dispose()


def test_db_upgrade_from_the_command_line_reports_the_revision(empty_database_url: str, tmp_path: Path) -> None:
    env = {"CLUSTER_ASSISTANT_DATABASE_URL": empty_database_url, "CLUSTER_ASSISTANT_DATA_DIR": str(tmp_path)}
    upgrade = _cli("db", "upgrade", env=env, cwd=tmp_path)
    code = upgrade.wait(timeout=120)
    out, err = upgrade.communicate()

    assert code == 0, err
    assert f"at revision {HEAD}" in out


@pytest.mark.postgres
def test_a_worker_on_an_older_postgresql_schema_refuses_to_start_and_says_what_to_run(
    postgres_url: str, tmp_path: Path
) -> None:
    engine = create_db_engine(postgres_url)
    downgrade_to(engine, "0008")
    env = {"CLUSTER_ASSISTANT_DATABASE_URL": postgres_url, "CLUSTER_ASSISTANT_DATA_DIR": str(tmp_path),
           "CLUSTER_ASSISTANT_TELEGRAM_TOKEN": TOKEN, "CLUSTER_ASSISTANT_TELEGRAM_API_URL": "http://127.0.0.1:9"}

    worker = _cli("run", env=env, cwd=tmp_path)
    code = worker.wait(timeout=180)
    _, err = worker.communicate()

    assert code != 0
    assert "revision 0008" in err and "cluster-assistant db upgrade" in err
    assert "Traceback" not in err
    assert current_revision(engine) == "0008", "the worker must not migrate a shared database itself"
    engine.dispose()


@pytest.mark.postgres
def test_a_command_on_an_empty_postgresql_database_says_to_upgrade_first(
    postgres_admin_url: str, tmp_path: Path
) -> None:
    url = _empty_postgres(postgres_admin_url, f"fresh_{os.getpid()}")
    env = {"CLUSTER_ASSISTANT_DATABASE_URL": url, "CLUSTER_ASSISTANT_DATA_DIR": str(tmp_path)}

    export = _cli("export", "--format", "csv", "--output", str(tmp_path / "out.csv"), env=env, cwd=tmp_path)
    code = export.wait(timeout=120)
    _, err = export.communicate()

    assert code != 0
    assert "none (empty)" in err and "cluster-assistant db upgrade" in err


def test_a_database_from_a_newer_release_is_refused_on_sqlite_too(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'newer.sqlite3'}"
    engine = create_db_engine(url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)"))
        connection.execute(text("INSERT INTO alembic_version VALUES ('9999_from_the_future')"))
    engine.dispose()
    env = {"CLUSTER_ASSISTANT_DATABASE_URL": url, "CLUSTER_ASSISTANT_DATA_DIR": str(tmp_path)}

    upgrade = _cli("db", "upgrade", env=env, cwd=tmp_path)
    code = upgrade.wait(timeout=120)
    _, err = upgrade.communicate()

    assert code != 0
    assert "9999_from_the_future" in err and "Traceback" not in err
