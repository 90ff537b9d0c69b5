"""`cluster-assistant dashboard`: serve the staff workspace."""

from __future__ import annotations

from typing import Annotated

import typer

from bot.cli_options import DataDirOption, build_settings, console, runtime_or_fail


def register(app: typer.Typer) -> None:
    """Add the dashboard command to the main app."""
    app.command()(dashboard)


def dashboard(
    host: Annotated[str, typer.Option("--host", help="Address to serve on (put a TLS proxy in front "
                                                    "for anything but loopback).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to serve on.")] = 8780,
    data_dir: DataDirOption = None,
) -> None:
    """Serve the staff workspace (sign in with an account from `cluster-assistant staff add`)."""
    import uvicorn  # the web server loads for this command only

    from bot.dashboard.app import create_dashboard

    runtime = runtime_or_fail(build_settings(data_dir))
    console.print(f"Staff workspace on [bold]http://{host}:{port}/[/] (Ctrl-C to stop).", highlight=False)
    try:
        uvicorn.run(create_dashboard(runtime), host=host, port=port, proxy_headers=True, log_level="warning")
    finally:
        runtime.close()
