"""The `cluster-assistant` command: one Typer app, commands grouped by feature."""

from __future__ import annotations

import typer

from bot import cli_bot, cli_dashboard, cli_eval, cli_intake, cli_knowledge, cli_sandbox, cli_staff

app = typer.Typer(
    name="cluster-assistant",
    help="Applicant assistant for the call for projects supporting Moroccan clusters.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
cli_knowledge.register(app)
cli_eval.register(app)
cli_intake.register(app)
cli_bot.register(app)
cli_sandbox.register(app)
cli_staff.register(app)
cli_dashboard.register(app)


def main() -> None:
    """Run the command line."""
    app()
