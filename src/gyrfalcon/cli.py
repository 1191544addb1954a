"""The ``gyrfalcon`` command: serve, worker, db upgrade, user create, openapi, config docs."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import signal
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from sqlalchemy.engine import make_url

from gyrfalcon.core.settings import ConfigurationError, Settings

app = typer.Typer(help="Gyrfalcon business-service governance console.", no_args_is_help=True)
db_app = typer.Typer(help="The platform database.", no_args_is_help=True)
user_app = typer.Typer(help="Local user accounts.", no_args_is_help=True)
config_app = typer.Typer(help="Configuration reference.", no_args_is_help=True)
monitors_app = typer.Typer(help="Monitors as code (YAML).", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(monitors_app, name="monitors")
app.add_typer(user_app, name="user")
app.add_typer(config_app, name="config")

T = TypeVar("T")
INITIAL_ADMIN_FILE = "initial-admin.txt"


def _fail(message: str) -> typer.Exit:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    return typer.Exit(code=1)


def _settings(**overrides: object) -> Settings:
    try:
        settings = Settings(**{k: v for k, v in overrides.items() if v is not None})  # type: ignore[arg-type]
        settings.resolved_database_url  # noqa: B018 - validates the URL early
        settings.resolved_secret_key()
    except ConfigurationError as exc:
        raise _fail(str(exc)) from None
    except Exception as exc:  # pydantic ValidationError of an env variable
        raise _fail(f"invalid configuration: {exc}".splitlines()[0]) from None
    return settings


def _safe_url(settings: Settings) -> str:
    return make_url(settings.resolved_database_url).render_as_string(hide_password=True)


def _run_db(settings: Settings, work: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Runs a database task; an unreachable database is one clear line and exit code 1."""
    try:
        return asyncio.run(work())
    except typer.Exit:
        raise
    except Exception as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise _fail(f"cannot use the platform database {_safe_url(settings)}: {reason}") from None


async def _prepare_database(settings: Settings, *, upgrade: bool) -> None:
    from gyrfalcon.app import import_models
    from gyrfalcon.core import migrate
    from gyrfalcon.core.db import Database
    from gyrfalcon.core.plugins import discover_modules

    import_models(discover_modules())
    if settings.is_embedded:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    database = Database(settings.resolved_database_url)
    try:
        async with asyncio.timeout(15):
            current = await migrate.current_revision(database)
        head = migrate.head_revision(settings.resolved_database_url)
        if current != head:
            if not upgrade:
                raise _fail(
                    f"the platform database is at revision {current or 'empty'}, this version "
                    f"needs {head}: run `gyrfalcon db upgrade` first"
                )
            await migrate.upgrade(database, settings.resolved_database_url)
        await _bootstrap_admin_from_settings(settings, database)
    finally:
        await database.dispose()


async def _bootstrap_admin_from_settings(settings: Settings, database: object) -> None:
    from gyrfalcon.auth import service as auth
    from gyrfalcon.core.db import Database

    assert isinstance(database, Database)
    if not (settings.admin_username and settings.admin_password):
        return
    async with database.sessionmaker() as session:
        if await auth.count_users(session) == 0:
            await auth.create_user(
                session,
                username=settings.admin_username,
                password=settings.admin_password.get_secret_value(),
                is_admin=True,
            )
            typer.echo(f"created admin '{settings.admin_username}' from settings")


@app.command()
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
    settings = _settings(**overrides)
    configure_logging(settings.log_level, settings.log_format)
    _run_db(settings, lambda: _prepare_database(settings, upgrade=settings.is_embedded))
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


@app.command()
def worker() -> None:
    """Run only the background services (for deployments whose web replicas use
    --no-services)."""
    from gyrfalcon.app import create_app
    from gyrfalcon.core.background import ServiceRunner
    from gyrfalcon.core.logging import configure_logging

    settings = _settings()
    configure_logging(settings.log_level, settings.log_format)
    _run_db(settings, lambda: _prepare_database(settings, upgrade=settings.is_embedded))
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
    settings = _settings()
    _run_db(settings, lambda: _prepare_database(settings, upgrade=True))
    typer.echo(f"database {_safe_url(settings)} is up to date")


@user_app.command("create")
def user_create(
    username: Annotated[str, typer.Option(prompt=True)],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
    admin: Annotated[bool, typer.Option("--admin", help="Give every permission")] = False,
    display_name: Annotated[str, typer.Option()] = "",
    email: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Create a local user account."""
    from gyrfalcon.auth import service as auth
    from gyrfalcon.core.db import Database
    from gyrfalcon.core.errors import ProblemError

    if not password:
        raise _fail("the password must not be empty")
    settings = _settings()

    async def create() -> None:
        await _prepare_database(settings, upgrade=settings.is_embedded)
        database = Database(settings.resolved_database_url)
        try:
            async with database.sessionmaker() as session:
                await auth.create_user(
                    session,
                    username=username,
                    password=password,
                    is_admin=admin,
                    display_name=display_name,
                    email=email,
                )
        except ProblemError as exc:
            raise _fail(exc.detail) from None
        finally:
            await database.dispose()

    _run_db(settings, create)
    typer.echo(f"created {'admin ' if admin else ''}user '{username}'")


@user_app.command("bootstrap")
def user_bootstrap() -> None:
    """On an empty database, create the demo admin `admin` with a random password and
    print it (kept in the data directory so a later run can show it again)."""
    from gyrfalcon.auth import service as auth
    from gyrfalcon.core.db import Database

    settings = _settings()
    remembered = settings.data_dir / INITIAL_ADMIN_FILE

    async def bootstrap() -> str | None:
        await _prepare_database(settings, upgrade=settings.is_embedded)
        database = Database(settings.resolved_database_url)
        try:
            async with database.sessionmaker() as session:
                if await auth.count_users(session) > 0:
                    return None
                password = secrets.token_urlsafe(12)
                await auth.create_user(session, username="admin", password=password, is_admin=True)
                return password
        finally:
            await database.dispose()

    password = _run_db(settings, bootstrap)
    if password is not None:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        remembered.touch(mode=0o600)
        remembered.write_text(f"username: admin\npassword: {password}\n")
        typer.secho(
            f"\n  Log in as  admin / {password}\n  (also saved in {remembered})\n",
            fg=typer.colors.GREEN,
            bold=True,
        )
    elif remembered.exists():
        typer.secho(f"\n  Initial admin credentials (from {remembered}):", bold=True)
        typer.echo("  " + remembered.read_text().replace("\n", "\n  "))
    else:
        typer.echo("users already exist; log in with your account")


async def _with_session(settings: Settings, work: Callable[[Any], Coroutine[Any, Any, T]]) -> T:
    from gyrfalcon.core.db import Database
    from gyrfalcon.core.errors import ProblemError

    await _prepare_database(settings, upgrade=settings.is_embedded)
    database = Database(settings.resolved_database_url)
    try:
        async with database.sessionmaker() as session:
            return await work(session)
    except ProblemError as exc:
        raise _fail(exc.detail) from None
    finally:
        await database.dispose()


@monitors_app.command("export")
def monitors_export(
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File; default stdout")
    ] = None,
    service: Annotated[str | None, typer.Option(help="Only this service's monitors")] = None,
) -> None:
    """Write every monitor (or one service's) as YAML, ready for `monitors apply`."""
    from gyrfalcon.core.crypto import SecretBox
    from gyrfalcon.core.security import EVERYTHING
    from gyrfalcon.monitors import ascode

    settings = _settings()
    box = SecretBox(settings.resolved_secret_key())
    text = _run_db(
        settings,
        lambda: _with_session(
            settings,
            lambda session: ascode.export_yaml(session, box=box, scope=EVERYTHING, service=service),
        ),
    )
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text)


@monitors_app.command("apply")
def monitors_apply(
    file: Annotated[Path, typer.Option("-f", "--file", exists=True, dir_okay=False)],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the changes only")] = False,
) -> None:
    """Create or update the monitors of a YAML file by service and name (idempotent)."""
    from gyrfalcon.core.actor import Actor, set_actor
    from gyrfalcon.core.crypto import SecretBox
    from gyrfalcon.core.errors import ProblemError
    from gyrfalcon.core.security import EVERYTHING
    from gyrfalcon.monitors import ascode

    settings = _settings()
    box = SecretBox(settings.resolved_secret_key())
    text = file.read_text()
    # Changes from the command line are audited as the system, named after the OS user.
    set_actor(Actor(kind="system", name=f"cli:{os.environ.get('USER', 'unknown')}"))

    async def apply(session: Any) -> Any:
        try:
            return await ascode.apply_yaml(
                session, box=box, text=text, dry_run=dry_run, scope=EVERYTHING
            )
        except ProblemError as exc:
            problems = exc.errors or [{"field": "file", "message": exc.detail}]
            for problem in problems:
                typer.secho(
                    f"{problem['field']}: {problem['message']}", fg=typer.colors.RED, err=True
                )
            raise typer.Exit(code=1) from None

    report = _run_db(settings, lambda: _with_session(settings, apply))
    for planned in report.monitors:
        typer.echo(f"{planned.action:>9}  {planned.service}/{planned.name}")
        for change in planned.changes:
            typer.echo(f"             {change.path}: {change.old!r} -> {change.new!r}")
    if dry_run:
        typer.echo(
            f"{report.created} to create, {report.updated} to update, "
            f"{report.unchanged} unchanged (dry run: nothing was changed)"
        )
    else:
        typer.echo(
            f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged"
        )


@app.command()
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
    app()
