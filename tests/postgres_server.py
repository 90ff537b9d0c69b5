"""A throwaway PostgreSQL server for every test that needs one (a pytest plugin, see tests/conftest.py).

PostgreSQL comes from
`CLUSTER_ASSISTANT_TEST_POSTGRES_URL` when set, else from a server started here with
initdb and pg_ctl on 127.0.0.1 (as the `postgres` user when running as root); when
none can be started, the PostgreSQL variants skip and say why.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from intake.database import create_db_engine, upgrade_to_head

ENV_URL = "CLUSTER_ASSISTANT_TEST_POSTGRES_URL"


def free_port() -> int:
    """Return a port free on the loopback interface now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _run(command: list[str]) -> None:
    subprocess.run(command, check=True, capture_output=True, text=True, timeout=60)


class _Server:
    """A PostgreSQL cluster in a temporary folder, owned by `postgres` when we are root."""

    def __init__(self) -> None:
        binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not binaries:
            raise RuntimeError("no PostgreSQL server under /usr/lib/postgresql (apt-get install postgresql)")
        self.bindir = Path(binaries[-1]).parent
        self.root = Path(tempfile.mkdtemp(prefix="intake-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        # The server refuses to run as root: hand the folder to `postgres` and run as it.
        self.prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.prefix:
            shutil.chown(self.root, "postgres", "postgres")

    def start(self) -> str:
        _run([*self.prefix, str(self.bindir / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
              "--no-sync"])
        self._pg_ctl("start")
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def restart(self) -> None:
        """Stop the server at once (clients' connections break) and start it again."""
        _run([*self.prefix, str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"])
        self._pg_ctl("start")

    def _pg_ctl(self, action: str) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        _run([*self.prefix, str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", options,
              "-l", str(self.root / "server.log"), "-w", action])

    def stop(self) -> None:
        if self.data.exists():
            subprocess.run([*self.prefix, str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                            "-w", "stop"], capture_output=True, timeout=60)
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    """Return a URL to a PostgreSQL server we may create databases on, or skip with the reason."""
    if os.environ.get(ENV_URL):
        yield os.environ[ENV_URL]
        return
    try:
        server = _Server()
    except (RuntimeError, OSError, LookupError) as error:
        pytest.skip(f"PostgreSQL tests skipped: {error}")
    try:
        url = server.start()
    except (subprocess.SubprocessError, OSError) as error:
        server.stop()
        detail = getattr(error, "stderr", "") or str(error)
        pytest.skip(f"PostgreSQL tests skipped: cannot start a server: {detail.strip()[:300]}")
    _STARTED.append(server)
    try:
        yield url
    finally:
        _STARTED.remove(server)
        server.stop()


_STARTED: list[_Server] = []  # the server postgres_admin_url started, for restart_postgres


@pytest.fixture
def restart_postgres(postgres_admin_url: str) -> Callable[[], None]:
    """Return a function that restarts the test PostgreSQL server (skip when it is not ours to restart)."""
    if not _STARTED:
        pytest.skip(f"the PostgreSQL server of {ENV_URL} is not restarted by tests")
    return _STARTED[0].restart


def _create_database(admin: Engine, name: str, template: str) -> None:
    with admin.connect() as connection:
        version = int(connection.execute(text("SHOW server_version_num")).scalar_one())
        # FILE_COPY (PostgreSQL 15+) copies a small template faster than the default WAL_LOG.
        strategy = " STRATEGY FILE_COPY" if version >= 150000 else ""
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"{strategy}'))


def _drop_database(admin: Engine, name: str) -> None:
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def postgres_template(postgres_admin_url: str) -> Iterator[str]:
    """Return a database upgraded once with the packaged migrations, for tests to copy."""
    admin = create_engine(postgres_admin_url, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
    name = f"intake_template_{uuid.uuid4().hex[:8]}"
    _create_database(admin, name, "template0")
    try:
        engine = create_db_engine(make_url(postgres_admin_url).set(database=name).render_as_string(False))
        upgrade_to_head(engine)
        engine.dispose()
        yield name
    finally:
        _drop_database(admin, name)
        admin.dispose()


@pytest.fixture
def postgres_url(postgres_admin_url: str, postgres_template: str) -> Iterator[str]:
    """Return a URL to a fresh PostgreSQL database at the latest migration, dropped after the test."""
    name = f"intake_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_admin_url, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
    _create_database(admin, name, postgres_template)
    try:
        yield make_url(postgres_admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        _drop_database(admin, name)
        admin.dispose()
