"""What every ``gyrfalcon`` command shares: settings, the platform database, failures.

The core commands (``serve``, ``worker``, ``db``, ``config``, ``openapi``) and each
module's command group (``Module.cli``) use these, so a database that cannot be
reached or a bad setting reads as one line and exit code 1 in every command.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

import typer
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.core import migrate
from gyrfalcon.core.actor import Actor
from gyrfalcon.core.db import Database
from gyrfalcon.core.errors import ProblemError
from gyrfalcon.core.plugins import Registry, discover_modules, import_models
from gyrfalcon.core.settings import ConfigurationError, Settings

T = TypeVar("T")
DATABASE_READY = "core.database_ready"
"""Extension point: ``async (settings, database) -> None`` hooks run once the platform
database is at this version's schema (the auth module creates the first admin here)."""
DatabaseReady = Callable[[Settings, Database], Awaitable[None]]


def command_line_actor() -> Actor:
    """Who a change made from the command line is recorded as: the OS user, on the CLI."""
    return Actor(kind="system", name=f"cli:{os.environ.get('USER', 'unknown')}")


def fail(message: str) -> typer.Exit:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    return typer.Exit(code=1)


def load_settings(**overrides: object) -> Settings:
    """The settings from the environment and ``overrides``; one line and exit 1 if bad."""
    try:
        settings = Settings(**{k: v for k, v in overrides.items() if v is not None})  # type: ignore[arg-type]
        settings.resolved_database_url  # noqa: B018 - validates the URL early
        settings.resolved_secret_key()
        for module in discover_modules():
            if module.settings is not None:
                settings.section(module.settings)
    except ConfigurationError as exc:
        raise fail(str(exc)) from None
    except Exception as exc:  # pydantic ValidationError of an env variable
        raise fail(f"invalid configuration: {exc}".splitlines()[0]) from None
    return settings


def safe_url(settings: Settings) -> str:
    return make_url(settings.resolved_database_url).render_as_string(hide_password=True)


def run_db(settings: Settings, work: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Runs a database task; an unreachable database is one clear line and exit code 1."""
    try:
        return asyncio.run(work())
    except typer.Exit:
        raise
    except Exception as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise fail(f"cannot use the platform database {safe_url(settings)}: {reason}") from None


async def prepare_database(settings: Settings, *, upgrade: bool) -> None:
    """Check (or bring) the schema to this version, then run the database-ready hooks."""
    modules = discover_modules()
    import_models(modules)
    if settings.is_embedded:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    database = Database(settings.resolved_database_url)
    try:
        async with asyncio.timeout(15):
            current = await migrate.current_revisions(database)
        heads = migrate.head_revisions(settings.resolved_database_url, modules)
        if current != heads:
            if not upgrade:
                shown = ", ".join(sorted(current)) or "empty"
                raise fail(
                    f"the platform database is at revision {shown}, this version needs "
                    f"{', '.join(sorted(heads))}: run `gyrfalcon db upgrade` first"
                )
            await migrate.upgrade(database, settings.resolved_database_url, modules)
        for hook in Registry(modules).contributions(DATABASE_READY):
            await hook(settings, database)
    finally:
        await database.dispose()


def with_session(settings: Settings, work: Callable[[AsyncSession], Coroutine[Any, Any, T]]) -> T:
    """Run ``work`` with a session on a ready platform database; a problem (404, 409 ...)
    is printed as one line and exit code 1."""

    async def run() -> T:
        await prepare_database(settings, upgrade=settings.is_embedded)
        database = Database(settings.resolved_database_url)
        try:
            async with database.sessionmaker() as session:
                return await work(session)
        except ProblemError as exc:
            raise fail(exc.detail) from None
        finally:
            await database.dispose()

    return run_db(settings, run)
