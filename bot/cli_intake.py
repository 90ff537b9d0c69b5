"""Intake commands: `check`, `editions check`, `db upgrade`, `db status` and `export`."""

from __future__ import annotations

import json
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.padding import Padding
from rich.panel import Panel
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.cli_options import DataDirOption, JsonOption, build_settings, console, error_console, fail, first_line
from core.clock import SystemClock
from intake.answers import question_or_error, validate_answer
from intake.catalog import (
    EDITIONS_DIR,
    EditionCatalog,
    EditionFileError,
    check_editions,
    load_catalog,
    packaged_catalog,
)
from intake.clock import local_day
from intake.database import (
    SchemaOutOfDate,
    create_db_engine,
    current_revision,
    head_revision,
    open_database,
    session_factory,
    unit_of_work,
    upgrade_to_head,
)
from intake.eligibility import Decision, Verdict, evaluate
from intake.errors import InvalidAnswer, UnknownEdition
from intake.flow import clean_answers
from intake.schema import Edition, Language
from intake.services import inbox
from intake.services.export import ExportFormat, export_summaries
from intake.services.summaries import verdict_label

EditionsDirOption = Annotated[
    Path | None,
    typer.Option("--editions-dir", file_okay=False,
                 help="Read edition files from here instead of CLUSTER_ASSISTANT_EDITIONS_DIR or the packaged ones."),
]


class Lang(StrEnum):
    """Languages for explanations."""

    FR = "fr"
    AR = "ar"
    EN = "en"


def register(app: typer.Typer) -> None:
    """Add the intake commands to the main app."""
    app.command("check")(check)
    app.command("export")(export)
    editions = typer.Typer(help="Edition data files.", no_args_is_help=True)
    editions.command("check")(editions_check)
    app.add_typer(editions, name="editions")
    database = typer.Typer(help="The intake database.", no_args_is_help=True)
    database.command("upgrade")(db_upgrade)
    database.command("status")(db_status)
    app.add_typer(database, name="db")


def check(
    edition: Annotated[int, typer.Option("--edition", help="Year of the edition, e.g. 2025.")],
    answers: Annotated[Path, typer.Option("--answers", help="JSON object of answers by question id.", dir_okay=False)],
    today: Annotated[str | None, typer.Option("--today", help="YYYY-MM-DD; default: today in Morocco.")] = None,
    lang: Annotated[Lang, typer.Option("--lang", help="Language of the explanations.")] = Lang.FR,
    editions_dir: EditionsDirOption = None,
    json_output: JsonOption = False,
    data_dir: DataDirOption = None,
) -> None:
    """Run the pre-eligibility check on a file of answers."""
    settings = build_settings(data_dir)
    spec = _edition(editions_dir or settings.editions_dir, edition)
    given = _read_answers(answers, spec, Language(lang.value))
    day = _parse_day(today) if today else local_day(SystemClock().now(), spec.timezone)
    decision = evaluate(given, spec, day)
    if json_output:
        typer.echo(json.dumps(decision.to_json(lang.value), ensure_ascii=False))
        return
    _render_decision(decision, spec, Language(lang.value), day)
    ignored = [key for key in given if key not in clean_answers(spec, given)]
    if ignored:
        console.print("[dim]not asked given the other answers, so ignored: " + escape(", ".join(ignored)) + "[/]")


def editions_check(
    editions_dir: EditionsDirOption = None,
    json_output: JsonOption = False,
    data_dir: DataDirOption = None,
) -> None:
    """Validate every edition file; name the file and line of each mistake."""
    settings = build_settings(data_dir)
    directory = editions_dir or settings.editions_dir or EDITIONS_DIR
    report = check_editions(directory)
    if not report:
        raise _fail(f"no edition file (*.yaml) in {directory}")
    if json_output:
        files = {str(path): [str(problem) for problem in problems] for path, problems in report.items()}
        typer.echo(json.dumps({"ok": not any(report.values()), "files": files}, ensure_ascii=False))
    else:
        for path, problems in report.items():
            if not problems:
                console.print(f"[green]ok[/] {escape(str(path))}", soft_wrap=True)
            for problem in problems:
                error_console.print(str(problem), markup=False, highlight=False, soft_wrap=True)
    if any(report.values()):
        raise typer.Exit(1)


def db_upgrade(data_dir: DataDirOption = None) -> None:
    """Create or upgrade the database schema to the latest migration."""
    settings = build_settings(data_dir)
    url = settings.resolved_database_url
    try:
        engine = create_db_engine(url)
        revision = upgrade_to_head(engine)
        engine.dispose()
    except (SQLAlchemyError, SchemaOutOfDate) as error:
        raise _fail(f"cannot upgrade {_safe(url)}: {first_line(error)}") from None
    console.print(f"database {escape(_safe(url))} at revision {revision}", soft_wrap=True)


def db_status(json_output: JsonOption = False, data_dir: DataDirOption = None) -> None:
    """Show the schema revision and the bot's updates of the last 24 hours: waiting, done, set aside, unparsable."""
    settings = build_settings(data_dir)
    url = settings.resolved_database_url
    since = SystemClock().now() - timedelta(hours=24)
    try:
        engine = create_db_engine(url)
        revision, head = current_revision(engine), head_revision()
        counts = {}
        if revision == head:
            with unit_of_work(session_factory(engine)) as session:
                counts = inbox.inbox_counts(session, since=since)
        engine.dispose()
    except SQLAlchemyError as error:
        raise _fail(f"cannot read {_safe(url)}: {first_line(error)}") from None
    if json_output:
        typer.echo(json.dumps({"revision": revision, "head": head, "updates_24h": counts}))
    else:
        console.print(f"database {escape(_safe(url))} at revision {revision or 'none'} (this release: {head})",
                      soft_wrap=True)
        if counts:
            console.print("updates of the last 24 hours: " + ", ".join(
                f"{count} {UPDATE_STATES[state]}" for state, count in counts.items()))
    if revision != head:
        raise _fail("the schema is not this release's: run `cluster-assistant db upgrade`")


# How `db status` names the inbox's states: `failed` ones were set aside after too many attempts.
UPDATE_STATES = {inbox.PENDING: "waiting", inbox.DONE: "done", inbox.FAILED: "set aside",
                 inbox.UNPARSABLE: "unparsable"}


def export(
    export_format: Annotated[ExportFormat, typer.Option("--format", help="csv or xlsx.")],
    output: Annotated[Path, typer.Option("--output", help="File to write.", dir_okay=False)],
    edition: Annotated[int | None, typer.Option("--edition", help="Only this edition.")] = None,
    actor: Annotated[str, typer.Option("--actor", help="Who exports, for the audit log.")] = "cli",
    data_dir: DataDirOption = None,
) -> None:
    """Export the intake summaries for staff, one row per applicant and edition."""
    settings = build_settings(data_dir)
    catalog = _catalog(settings.editions_dir)
    if edition is not None:
        _edition(settings.editions_dir, edition)
    try:
        engine, factory = open_database(settings.resolved_database_url)
        with unit_of_work(factory) as session:
            count = export_summaries(session, output, export_format, edition=edition, actor=actor, catalog=catalog,
                                        now=SystemClock().now())
        engine.dispose()
    except SQLAlchemyError as error:
        raise _fail(f"database error: {first_line(error)}") from None
    except SchemaOutOfDate as error:
        raise _fail(str(error)) from None
    except OSError as error:
        raise _fail(f"cannot write {output}: {error.strerror or error}") from None
    console.print(f"wrote {count} rows to {escape(str(output))}", soft_wrap=True)


_COLORS = {Verdict.ELIGIBLE: "green", Verdict.NOT_ELIGIBLE: "red", Verdict.TO_CONFIRM: "yellow"}


def _render_decision(decision: Decision, spec: Edition, lang: Language, day: date) -> None:
    """Print a verdict, its reasons, the unanswered questions and the rules met."""
    closes = spec.closes_at()
    deadline = closes.strftime("%Y-%m-%d %H:%M") + f" ({spec.timezone})" if closes else "unknown"
    if not spec.deadline.confirmed:
        deadline += " [unconfirmed]"
    body = (
        f"[bold]{escape(verdict_label(decision.verdict, lang))}[/]\n"
        f"{escape(spec.title.get(lang))}\ndeadline {escape(deadline)}; as of {day.isoformat()}"
        + (" - [bold]passed[/]" if decision.deadline_passed else "")
    )
    console.print(Panel(body, title=f"edition {spec.year}", border_style=_COLORS[decision.verdict]))
    for reason in decision.reasons:
        # A list, not a table: long explanations (and Arabic) wrap badly in table cells.
        source = reason.source.cite() + ("" if reason.confirmed else " (unconfirmed)")
        style = _COLORS[Verdict(reason.outcome.value)]
        console.print(f"[{style}]• {reason.rule}[/] ({reason.outcome.value})")
        console.print(Padding(escape(reason.explanation.get(lang)), (0, 0, 0, 2)))
        console.print(Padding(f"[dim]source: {escape(source)}[/]", (0, 0, 0, 2)))
    if decision.missing:
        labels = [q.label(lang) for q in spec.questions if q.id in decision.missing]
        console.print("[yellow]unanswered:[/] " + escape(", ".join(labels)))
    if decision.passed:
        console.print("[dim]rules met: " + escape(", ".join(decision.passed)) + "[/]")


def _catalog(editions_dir: Path | None) -> EditionCatalog:
    try:
        return load_catalog(editions_dir) if editions_dir else packaged_catalog()
    except EditionFileError as error:
        raise _fail(f"{error.problems[0]} (run `cluster-assistant editions check`)") from None


def _edition(editions_dir: Path | None, year: int) -> Edition:
    try:
        return _catalog(editions_dir).get(year)
    except UnknownEdition as error:
        raise _fail(str(error)) from None


def _read_answers(path: Path, spec: Edition, language: Language) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise _fail(f"cannot read {path}: {error.strerror or error}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise _fail(f"{path} is not valid JSON: {first_line(error)}") from None
    except ValueError as error:  # e.g. an integer past Python's digit limit
        raise _fail(f"{path} holds a value out of range: {first_line(error)}") from None
    if not isinstance(data, dict):
        raise _fail(f"{path} must hold a JSON object of answers by question id")
    try:
        return {key: validate_answer(question_or_error(spec, key), value) for key, value in data.items()}
    except InvalidAnswer as error:
        question = spec.question(error.question_id)
        ids = f" (ids: {', '.join(question.option_ids())})" if question and question.options else ""
        raise _fail(f"{error.question_id}: {error.in_language(language)}{ids}") from None


def _parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _fail(f"--today must be a date as YYYY-MM-DD, not {text!r}") from None


def _fail(message: str) -> typer.Exit:
    return fail(escape(" ".join(message.split())))


def _safe(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


