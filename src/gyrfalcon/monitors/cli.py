"""``gyrfalcon monitors``: monitors as code (YAML) from the command line."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.core.actor import set_actor
from gyrfalcon.core.commands import command_line_actor, load_settings, with_session
from gyrfalcon.core.crypto import SecretBox
from gyrfalcon.core.errors import ProblemError
from gyrfalcon.core.security import EVERYTHING
from gyrfalcon.monitors import ascode
from gyrfalcon.monitors.schemas import ApplyReport

cli = typer.Typer(name="monitors", help="Monitors as code (YAML).", no_args_is_help=True)


@cli.command("export")
def monitors_export(
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File; default stdout")
    ] = None,
    service: Annotated[str | None, typer.Option(help="Only this service's monitors")] = None,
) -> None:
    """Write every monitor (or one service's) as YAML, ready for `monitors apply`."""
    settings = load_settings()
    box = SecretBox(settings.resolved_secret_key())

    async def export(session: AsyncSession) -> str:
        return await ascode.export_yaml(session, box=box, scope=EVERYTHING, service=service)

    text = with_session(settings, export)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text)


@cli.command("apply")
def monitors_apply(
    file: Annotated[Path, typer.Option("-f", "--file", exists=True, dir_okay=False)],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the changes only")] = False,
) -> None:
    """Create or update the monitors of a YAML file by service and name (idempotent)."""
    settings = load_settings()
    box = SecretBox(settings.resolved_secret_key())
    text = file.read_text()
    # Changes from the command line are audited as the system, named after the OS user.
    set_actor(command_line_actor())

    async def apply(session: AsyncSession) -> ApplyReport:
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

    report = with_session(settings, apply)
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
