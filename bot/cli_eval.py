"""Commands that measure and maintain the answering: eval, and `knowledge check|calibrate|cross-validate|add-card`."""

from __future__ import annotations

import json
from pathlib import Path
from statistics import mean, pstdev
from typing import Annotated

import typer
from rich.table import Table

from bot.cli_knowledge import Mode, NoPackOption, TodayOption, open_assistant, open_base, parse_mode, parse_today
from bot.cli_options import DataDirOption, JsonOption, build_settings, console, error_console, fail
from core.settings import Settings
from core.wiring import edition_catalog, edition_facts
from datafiles import DataFileError
from knowledge.base import BUILTIN_CARDS, KnowledgeBase
from knowledge.calibration import calibration_file
from knowledge.card_text import Facts
from knowledge.cards import check_cards
from knowledge.evaluation import EvalCase, EvalReport, InvalidQuestionFile, Rate, load_cases, run_case
from knowledge.fitting import cross_validate, fit_calibration

knowledge_app = typer.Typer(help="Maintain the answer cards and the calibration.", no_args_is_help=True)
Files = Annotated[list[Path], typer.Argument(help="Question files (eval/dev.yaml, eval/test.yaml, ...).")]


def register(app: typer.Typer) -> None:
    """Add `eval` and the `knowledge` group to the main app."""
    app.command(name="eval")(evaluate)
    app.add_typer(knowledge_app, name="knowledge")


def _cases(files: list[Path]) -> list[EvalCase]:
    try:
        return [case for file in files for case in load_cases(file)]
    except InvalidQuestionFile as error:
        raise fail(str(error)) from None


def evaluate(
    files: Files,
    as_json: JsonOption = False,
    retriever: Mode = None,
    today: TodayOption = None,
    no_pack: NoPackOption = False,
    min_answered: Annotated[
        float | None,
        typer.Option("--min-answered", min=0, max=1, help="Exit 1 when fewer answerable cases are answered right."),
    ] = None,
    min_refused: Annotated[
        float | None,
        typer.Option("--min-refused", min=0, max=1, help="Exit 1 when fewer unanswerable cases are refused."),
    ] = None,
    data_dir: DataDirOption = None,
) -> None:
    """Run question files: right answers and refusals per language and kind, with 95% intervals."""
    cases = _cases(files)
    assistant = open_assistant(data_dir, no_pack, retriever)
    when = parse_today(today)
    assistant.answer("warm-up", when)
    report = EvalReport([run_case(assistant, case, when) for case in cases])
    if as_json:
        typer.echo(json.dumps({"summary": report.summary(), "cases": [
            {"id": r.case.id, "right": r.right, "decision": r.answer.decision, "chosen": r.answer.chosen,
             "score": round(r.answer.score, 4)} for r in report.results]}, ensure_ascii=False))
    else:
        _print_report(report)
    answered, refused = report.rate(True).value, report.rate(False).value
    if (min_answered is not None and (answered or 0) < min_answered) or \
            (min_refused is not None and (refused or 0) < min_refused):
        error_console.print(f"[bold red]below the floor:[/] answered right {answered}, refused right {refused}")
        raise typer.Exit(1)


def _row(name: str, rate: Rate) -> list[str]:
    low, high = rate.interval
    value = f"{rate.value:.1%}" if rate.value is not None else "-"
    return [name, f"{rate.right}/{rate.total}", value, f"{low:.1%} – {high:.1%}"]


def _print_report(report: EvalReport) -> None:
    for title, rates in (("headline", {"answerable answered right": report.rate(True),
                                       "unanswerable refused": report.rate(False)}),
                         ("by language (all cases)", report.by("language")),
                         ("by kind", report.by("kind"))):
        table = Table("", "right", "rate", "95% interval", title=title)
        for name, rate in rates.items():
            table.add_row(*_row(name, rate))
        console.print(table)
    for r in report.results:
        if not r.right:
            console.print(f"[red]✗[/] {r.case.id} ({r.case.language}, {r.case.kind}): {r.case.question[:80]!r} → "
                          f"{r.answer.decision} {r.answer.chosen or ''}", highlight=False, soft_wrap=True)
    summary = report.summary()
    console.print(f"wrong edition: {summary['wrong_edition']}; p50 {summary['p50_ms']} ms, p95 {summary['p95_ms']} ms")


@knowledge_app.command("check")
def check(
    folders: Annotated[list[Path] | None, typer.Argument(help="Card folders (default: the built-in cards).")] = None,
) -> None:
    """Validate answer card files; print `file:line: message` for each mistake (exit 1 when there are any)."""
    years = {str(y) for y in edition_catalog(build_settings(None)).years()}
    cards, problems = check_cards(folders or [BUILTIN_CARDS], years)
    for problem in problems:
        console.print(str(problem), highlight=False, soft_wrap=True)
    console.print(f"{len(cards.cards)} valid cards, {len(problems)} problems")
    if problems:
        raise typer.Exit(1)


@knowledge_app.command("add-card")
def add_card(file: Annotated[Path, typer.Argument(help="A card file (YAML, `cards:` list).")],
             data_dir: DataDirOption = None) -> None:
    """Validate a card file and add it to the data directory; running bots use it without a restart."""
    base = open_base(build_settings(data_dir))
    try:
        ids = base.add_card_file(file)
    except DataFileError as error:
        for problem in error.problems:
            error_console.print(str(problem), highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    console.print(f"added {len(ids)} cards: {', '.join(ids)}")


def _fitting_inputs(files: list[Path], verb: str, retriever: str | None,
                    data_dir: Path | None) -> tuple[list[EvalCase], Settings, KnowledgeBase, Facts]:
    """Return the labelled cases, the settings, the knowledge base and the edition facts a fit needs."""
    if any("test" in file.stem for file in files):
        raise fail(f"the test split is frozen: {verb} on the dev split")
    cases = _cases(files)
    settings = build_settings(data_dir)
    facts = edition_facts(settings, edition_catalog(settings))
    return cases, settings, open_base(settings, parse_mode(retriever)), facts


@knowledge_app.command("calibrate")
def calibrate(
    files: Files,
    output: Annotated[
        Path | None, typer.Option("--output", help="Where to write it (default: the data directory).")
    ] = None,
    retriever: Mode = None,
    data_dir: DataDirOption = None,
) -> None:
    """Refit the answerability model on labelled questions (the dev split; never the test split)."""
    cases, settings, base, facts = _fitting_inputs(files, "calibrate", retriever, data_dir)
    fitted = fit_calibration(cases, base.cards, base.retriever, facts, base.embedding_name)
    target = output or calibration_file(settings.data_dir, base.embedding_name)
    fitted.save(target)
    console.print(f"calibration for {fitted.embedding} written to {target}", soft_wrap=True)
    console.print(f"threshold {fitted.threshold}; on the fitting questions: {fitted.measured}", highlight=False)


@knowledge_app.command("cross-validate")
def cross_validate_command(
    files: Files,
    folds: Annotated[int, typer.Option("--folds", min=2, max=20, help="How many folds.")] = 5,
    partitions: Annotated[int, typer.Option(
        "--partitions", min=1, max=50,
        help="Repeat over this many partitions into folds and print the mean and spread of the counts.")] = 1,
    retriever: Mode = None,
    data_dir: DataDirOption = None,
) -> None:
    """Judge each labelled question by a calibration fitted without its fold (the dev split; never the test split)."""
    cases, _, base, facts = _fitting_inputs(files, "cross-validate", retriever, data_dir)
    result = cross_validate(cases, base.cards, base.retriever, facts, base.embedding_name, folds=folds,
                            partitions=partitions)
    table = Table("", "right", "rate", "95% interval", title=f"{result.folds}-fold cross-validation")
    table.add_row(*_row("answerable answered right", result.answered_right))
    table.add_row(*_row("unanswerable refused", result.refused))
    for language, (answered, refused) in result.by_language.items():
        table.add_row(*_row(f"{language}: answerable", answered))
        table.add_row(*_row(f"{language}: unanswerable", refused))
    console.print(table)
    if len(result.partitions) > 1:
        _print_partitions(result.partitions, result.answered_right.total, result.refused.total)


def _print_partitions(counts: list[tuple[int, int]], answerable: int, unanswerable: int) -> None:
    """Print the mean, standard deviation and range of each count over the partitions into folds."""
    console.print(f"over {len(counts)} partitions into folds:", highlight=False)
    for name, values, total in (("answerable answered right", [a for a, _ in counts], answerable),
                                ("unanswerable refused", [r for _, r in counts], unanswerable)):
        console.print(f"  {name}: mean {mean(values):.1f}/{total} (sd {pstdev(values):.1f}, "
                      f"{min(values)}–{max(values)})",
                      highlight=False)
