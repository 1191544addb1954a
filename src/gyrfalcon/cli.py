"""The ``gyrfalcon`` command: ``serve``, ``worker``, ``db upgrade``, ``openapi``, ``config
docs``, plus each installed module's command group (``Module.cli``), e.g. ``gyrfalcon user``
and ``gyrfalcon monitors``."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from gyrfalcon.core.commands import load_settings, prepare_database, run_db, safe_url
from gyrfalcon.core.plugins import discover_modules

core_app = typer.Typer(help="Gyrfalcon business-service governance console.", no_args_is_help=True)
db_app = typer.Typer(help="The platform database.", no_args_is_help=True)
config_app = typer.Typer(help="Configuration reference.", no_args_is_help=True)
core_app.add_typer(db_app, name="db")
core_app.add_typer(config_app, name="config")


def build_cli() -> typer.Typer:
    """The core commands plus every installed module's command group."""
    cli = typer.Typer(help=core_app.info.help, no_args_is_help=True)
    cli.add_typer(core_app)
    for module in discover_modules():
        if module.cli is not None:
            cli.add_typer(module.cli)
    return cli


def _stop_is_success() -> None:
    """Make Ctrl-C or a SIGTERM end the command with exit status 0.

    Uvicorn shuts down gracefully and then re-raises the signal it caught to the handler
    that was there before; with Python's defaults that ends the process as killed (130 or
    143), which ``make run`` reports as an error. Stopping the console is not a failure.
    """

    def stop(signum: int, _frame: object) -> None:
        typer.echo(f"\nGyrfalcon stopped ({signal.Signals(signum).name}).", err=True)
        raise SystemExit(0)

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, stop)


@core_app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address")] = None,
    port: Annotated[int | None, typer.Option(help="Port")] = None,
    workers: Annotated[
        int | None, typer.Option(min=1, max=64, help="Web worker processes (default 1)")
    ] = None,
    no_services: Annotated[
        bool, typer.Option("--no-services", help="Web only; run `gyrfalcon worker` elsewhere")
    ] = False,
) -> None:
    """Run the web console and API (and the background services unless --no-services)."""
    import uvicorn

    from gyrfalcon.app import create_app
    from gyrfalcon.core.logging import configure_logging

    overrides = {"host": host, "port": port, "workers": workers}
    if no_services:
        overrides["background_services"] = False
    settings = load_settings(**overrides)
    configure_logging(settings.log_level, settings.log_format)
    _stop_is_success()
    run_db(settings, lambda: prepare_database(settings, upgrade=settings.is_embedded))
    typer.echo(f"Gyrfalcon on http://{settings.host}:{settings.port}")
    options: dict[str, Any] = {
        "log_config": None,
        "access_log": False,
        "lifespan": "on",
        # Uvicorn trusts X-Forwarded-For from 127.0.0.1 by default: any local process
        # could then pick the address login limits and the audit log see.
        "proxy_headers": bool(settings.trusted_proxies),
        "forwarded_allow_ips": settings.trusted_proxies,
    }
    if settings.workers == 1:
        application = create_app(settings, run_services=settings.background_services)
        uvicorn.run(application, host=settings.host, port=settings.port, **options)
        return
    # Worker processes rebuild the app from the environment, so hand them the options.
    for name, value in overrides.items():
        if value is not None:
            os.environ[f"GYRFALCON_{name.upper()}"] = str(value)
    uvicorn.run(
        "gyrfalcon.app:create_app_from_environment",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        **options,
    )


@core_app.command()
def worker() -> None:
    """Run only the background services (for deployments whose web replicas use
    --no-services)."""
    from gyrfalcon.app import create_app
    from gyrfalcon.core.background import ServiceRunner
    from gyrfalcon.core.logging import configure_logging

    settings = load_settings()
    configure_logging(settings.log_level, settings.log_format)
    run_db(settings, lambda: prepare_database(settings, upgrade=settings.is_embedded))
    application = create_app(settings, run_services=True)
    runner: ServiceRunner = application.state.service_runner

    async def main() -> None:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, runner.request_stop)
        runner.start()
        typer.echo(f"worker running: {', '.join(runner.names) or 'no services'}")
        await runner.wait()
        await runner.stop()
        await application.state.database.dispose()

    asyncio.run(main())


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the platform database schema to this version."""
    settings = load_settings()
    run_db(settings, lambda: prepare_database(settings, upgrade=True))
    typer.echo(f"database {safe_url(settings)} is up to date")


@core_app.command()
def openapi(
    output: Annotated[Path | None, typer.Option(help="File to write; default stdout")] = None,
) -> None:
    """Print the OpenAPI document of the API (the UI's client is generated from it)."""
    from gyrfalcon.openapi_export import openapi_document

    document = json.dumps(openapi_document(), indent=2, sort_keys=True) + "\n"
    if output is None:
        sys.stdout.write(document)
    else:
        output.write_text(document)


@config_app.command("docs")
def config_docs(
    output: Annotated[Path | None, typer.Option(help="File to write; default stdout")] = None,
) -> None:
    """Print the configuration reference (docs/configuration.md) from the settings class."""
    from gyrfalcon.core.settings_docs import settings_reference

    text = settings_reference()
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text)


def main() -> None:
    build_cli()()
