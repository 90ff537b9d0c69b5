"""The intake commands through Typer's test runner: check, editions check, db upgrade, db status, export."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import typer
from alembic.script import ScriptDirectory
from intake_factories import ELIGIBLE_EXISTING, ELIGIBLE_NEW, NOW, make_finished_check
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner, Result

from bot import cli_intake
from intake import services
from intake.catalog import EDITIONS_DIR
from intake.database import MIGRATIONS_DIR, unit_of_work
from intake.models import AuditEntry
from intake.services import inbox

CONTRACT_ONLY = {k: v for k, v in ELIGIBLE_EXISTING.items() if k != "cluster_name"}
HEAD = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()  # the newest packaged migration
BEFORE = {2023: "2023-05-01", 2024: "2024-09-01", 2025: "2025-07-01"}


@pytest.fixture
def app() -> typer.Typer:
    """Return an app with only the intake commands, as bot.cli registers them."""
    app = typer.Typer()
    cli_intake.register(app)
    return app


@pytest.fixture
def run(app: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Return a function running the CLI in an empty folder with a clean environment."""
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name in ("CLUSTER_ASSISTANT_DATABASE_URL", "CLUSTER_ASSISTANT_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)

    def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
        return CliRunner().invoke(app, [*args, "--data-dir", str(tmp_path / "data")], env=env)

    return invoke


def write_answers(tmp_path: Path, answers: Any) -> str:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers, ensure_ascii=False), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("year", [2023, 2024, 2025])
def test_an_existing_cluster_with_5_years_is_not_eligible(run: Any, tmp_path: Path, year: int) -> None:
    answers = write_answers(tmp_path, {**CONTRACT_ONLY, "years_of_state_support": 5})
    result = run("check", "--edition", str(year), "--answers", answers, "--today", BEFORE[year], "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["verdict"] == "not_eligible"
    assert [reason["rule"] for reason in data["reasons"]] == ["existing_support_years"]
    assert data["deadline_passed"] is False


@pytest.mark.parametrize("year", [2023, 2024, 2025])
def test_an_existing_cluster_with_9_years_is_not_refused(run: Any, tmp_path: Path, year: int) -> None:
    answers = write_answers(tmp_path, CONTRACT_ONLY)
    result = run("check", "--edition", str(year), "--answers", answers, "--today", BEFORE[year], "--json")
    data = json.loads(result.stdout)
    assert data == {"verdict": "eligible", "reasons": [], "missing": [], "deadline_passed": False}


@pytest.mark.parametrize(("today", "passed"), [("2025-07-24", False), ("2025-07-25", True)])
def test_deadline_passed_follows_today(run: Any, tmp_path: Path, today: str, passed: bool) -> None:
    answers = write_answers(tmp_path, ELIGIBLE_NEW)
    result = run("check", "--edition", "2025", "--answers", answers, "--today", today, "--json", "--lang", "en")
    data = json.loads(result.stdout)
    assert data["deadline_passed"] is passed
    assert data["verdict"] == ("not_eligible" if passed else "eligible")
    if passed:
        assert "24 July 2025" in data["reasons"][0]["explanation"]
        assert "biladi.ma" in data["reasons"][0]["source"]


def test_missing_answers_are_listed(run: Any, tmp_path: Path) -> None:
    answers = write_answers(tmp_path, {"cluster_status": "existing"})
    result = run("check", "--edition", "2025", "--answers", answers, "--today", "2025-07-01", "--json")
    data = json.loads(result.stdout)
    assert data["verdict"] == "to_confirm" and data["missing"][0] == "previously_labelled"


def test_without_json_the_verdict_is_rendered_for_people(run: Any, tmp_path: Path) -> None:
    answers = write_answers(tmp_path, {**CONTRACT_ONLY, "years_of_state_support": 5})
    result = run("check", "--edition", "2025", "--answers", answers, "--today", "2025-07-01", "--lang", "en")
    assert result.exit_code == 0
    assert "not eligible" in result.stdout and "existing_support_years" in result.stdout
    assert "more than 8 years" in " ".join(result.stdout.split())


def test_answers_the_flow_would_not_ask_are_named_as_ignored(run: Any, tmp_path: Path) -> None:
    answers = write_answers(tmp_path, {**ELIGIBLE_NEW, "years_of_state_support": 2})
    result = run("check", "--edition", "2025", "--answers", answers, "--today", "2025-07-01", "--lang", "en")
    assert result.exit_code == 0
    assert "eligible at first sight" in result.stdout
    assert "ignored: years_of_state_support" in " ".join(result.stdout.split())


@pytest.mark.parametrize(("answers", "edition", "extra", "message"), [
    ({"colour": "blue"}, "2025", [], "colour: There is no question “colour” in the 2025 edition."),
    ({"member_count": "twelve"}, "2025", [], "member_count: Enter a whole number between 1 and 5000."),
    ({"member_count": 0}, "2025", [], "member_count: Enter a whole number between 1 and 5000."),
    ({"has_governance": "yes"}, "2025", [], "has_governance: Answer yes or no."),
    ({"sector": "agri"}, "2025", [], "(ids: industrial, technological, other)"),
    ({"years_of_state_support": 9.5}, "2024", [], "years_of_state_support: Enter a whole number between 0 and 60"),
    (["new"], "2025", [], "must hold a JSON object"),
    ({}, "2019", [], "unknown edition 2019; known editions: 2023, 2024, 2025"),
    ({}, "2025", ["--today", "24/07/2025"], "--today must be a date as YYYY-MM-DD"),
])
def test_bad_input_gets_one_line_and_exit_2(run: Any, tmp_path: Path, answers: Any, edition: str,
                                            extra: list[str], message: str) -> None:
    path = write_answers(tmp_path, answers)
    result = run("check", "--edition", edition, "--answers", path, "--json", "--lang", "en", *extra)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0]
    assert "Traceback" not in result.output


def test_a_file_that_is_not_json_gets_one_line(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_text("{'cluster_status': 'new'}", encoding="utf-8")
    result = run("check", "--edition", "2025", "--answers", str(path))
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "is not valid JSON" in result.stderr


def test_editions_check_accepts_the_packaged_files(run: Any) -> None:
    result = run("editions", "check")
    assert result.exit_code == 0
    assert result.stdout.count("ok ") == 3


def test_editions_check_names_the_line_of_a_mistake(run: Any, tmp_path: Path) -> None:
    folder = tmp_path / "editions"
    folder.mkdir()
    for name in ("2024.yaml", "2025.yaml"):
        (folder / name).write_text((EDITIONS_DIR / name).read_text(encoding="utf-8"), encoding="utf-8")
    lines = (folder / "2025.yaml").read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if "greater_than: 8}" in line)
    lines[index] = lines[index].replace("greater_than: 8}", "greater_than: huit}")
    (folder / "2025.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("editions", "check", "--editions-dir", str(folder))
    assert result.exit_code == 1
    assert f"{folder / '2025.yaml'}:{index + 1}: rules[2].require.greater_than" in result.stderr
    assert f"ok {folder / '2024.yaml'}" in " ".join(result.stdout.split())
    as_json = json.loads(run("editions", "check", "--editions-dir", str(folder), "--json").stdout)
    assert as_json["ok"] is False and len(as_json["files"][str(folder / "2025.yaml")]) == 1


def test_check_reads_editions_from_another_folder(run: Any, tmp_path: Path) -> None:
    folder = tmp_path / "editions"
    folder.mkdir()
    text = (EDITIONS_DIR / "2025.yaml").read_text(encoding="utf-8").replace("year: 2025", "year: 2026")
    (folder / "2026.yaml").write_text(text, encoding="utf-8")
    answers = write_answers(tmp_path, ELIGIBLE_NEW)
    result = run("check", "--edition", "2026", "--answers", answers, "--today", "2025-07-01", "--json",
                 "--editions-dir", str(folder))
    assert json.loads(result.stdout)["verdict"] == "eligible"


def test_db_upgrade_creates_the_default_sqlite_database(run: Any, tmp_path: Path) -> None:
    result = run("db", "upgrade")
    assert result.exit_code == 0, result.output
    assert f"at revision {HEAD}" in result.stdout
    assert (tmp_path / "data" / "assistant.sqlite3").exists()
    assert run("db", "upgrade").exit_code == 0


def test_db_upgrade_uses_the_configured_url(run: Any, database_url: str) -> None:
    result = run("db", "upgrade", env={"CLUSTER_ASSISTANT_DATABASE_URL": database_url})
    assert result.exit_code == 0, result.output
    assert f"revision {HEAD}" in result.stdout


def test_db_upgrade_reports_an_unreachable_server_in_one_line(run: Any) -> None:
    url = "postgresql+psycopg://nobody:secret@127.0.0.1:1/none"
    result = run("db", "upgrade", env={"CLUSTER_ASSISTANT_DATABASE_URL": url})
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "secret" not in result.stderr


def test_db_status_before_the_first_upgrade_says_to_run_it(run: Any) -> None:
    result = run("db", "status")
    assert result.exit_code == 2
    assert "revision none" in result.stdout and "db upgrade" in result.stderr


def test_db_status_counts_the_updates_of_the_last_day_by_state(
    run: Any, factory: sessionmaker[Session], database_url: str
) -> None:
    now = datetime.now(UTC)
    with unit_of_work(factory) as session:
        inbox.store_updates(session, bot_id=7, now=now, updates=[
            inbox.IncomingUpdate(1, None, '{"update_id": 1}'), inbox.IncomingUpdate(2, None, '{"update_id": 2}'),
            inbox.IncomingUpdate(3, None, None), inbox.IncomingUpdate(4, None, None)])
        inbox.store_updates(session, bot_id=7, updates=[inbox.IncomingUpdate(5, None, None)],
                            now=now - timedelta(days=2))
    with unit_of_work(factory) as session:
        [claimed, _] = inbox.claim_updates(session, bot_id=7, holder="w", now=now, lease=timedelta(seconds=30),
                                           limit=2, max_attempts=5)
        inbox.finish_updates(session, [claimed.id], now=now)

    result = run("db", "status", "--json", env={"CLUSTER_ASSISTANT_DATABASE_URL": database_url})

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"revision": HEAD, "head": HEAD, "updates_24h": {
        "pending": 1, "done": 1, "failed": 0, "unparsable": 2}}
    assert "1 waiting, 1 done, 0 set aside, 2 unparsable" in run(
        "db", "status", env={"CLUSTER_ASSISTANT_DATABASE_URL": database_url}).stdout


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_export_writes_one_row_per_check_and_logs_it(
    run: Any, tmp_path: Path, factory: sessionmaker[Session], database_url: str, export_format: str
) -> None:
    applicant_id, state = make_finished_check(factory, {**ELIGIBLE_NEW, "cluster_name": "=SUM(A1:A9)"}, "ar")
    make_finished_check(factory, {**ELIGIBLE_NEW, "member_count": 4})
    with unit_of_work(factory) as session:
        services.update_checklist_item(session, applicant_id, 2025, "statutes", status="done", now=NOW)
    output = tmp_path / f"export.{export_format}"
    result = run("export", "--format", export_format, "--edition", "2025", "--output", str(output),
                 env={"CLUSTER_ASSISTANT_DATABASE_URL": database_url})
    assert result.exit_code == 0, result.output
    rows = read_rows(output)
    header, first, second = rows
    record = dict(zip(header, first))
    assert header[:3] == ["session_id", "applicant_id", "channel"] and "company_share_percent" in header
    assert (record["session_id"], record["language"], record["verdict"]) == (state.session_id, "ar", "eligible")
    assert record["member_types"] == "companies, research, training"
    assert record["cluster_name"] == "'=SUM(A1:A9)"  # never a live formula
    assert record["checklist_completion"] == 100 // 9
    assert dict(zip(header, second))["reasons"] == "earlier_rule_min_members (to_confirm)"
    with factory() as session:
        audit = session.scalars(select(AuditEntry)).one()
    assert (audit.action, audit.actor, audit.details["rows"]) == ("export", "cli", 2)


def test_export_refuses_an_unknown_edition(run: Any, tmp_path: Path) -> None:
    result = run("export", "--format", "csv", "--edition", "2011", "--output", str(tmp_path / "x.csv"))
    assert result.exit_code == 2 and "unknown edition 2011" in result.stderr


def read_rows(path: Path) -> list[list[Any]]:
    """Read an export back, with numbers as numbers whatever the format."""
    if path.suffix == ".xlsx":
        sheet = openpyxl.load_workbook(path).active
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [[int(cell) if cell.isdigit() else cell for cell in row] for row in csv.reader(handle)]


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_a_cluster_name_with_control_characters_is_exported_without_them(
    run: Any, tmp_path: Path, factory: sessionmaker[Session], database_url: str, export_format: str
) -> None:
    make_finished_check(factory, {**ELIGIBLE_NEW, "cluster_name": "Atlas\x00\x07 Photo\x1bnics\x0b\tNord\n\x01=1+1"})
    make_finished_check(factory, {**ELIGIBLE_NEW, "cluster_name": "Cluster Sud"})
    output = tmp_path / f"export.{export_format}"
    result = run("export", "--format", export_format, "--output", str(output),
                 env={"CLUSTER_ASSISTANT_DATABASE_URL": database_url})

    assert result.exit_code == 0, result.output
    header, *rows = read_rows(output)
    names = sorted(str(dict(zip(header, row))["cluster_name"]) for row in rows)
    assert names == ["Atlas Photonics\tNord\n=1+1", "Cluster Sud"]
