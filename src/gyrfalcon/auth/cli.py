"""``gyrfalcon user``: local accounts from the command line, and the first admin."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.auth import service as auth
from gyrfalcon.auth.settings import AuthSettings
from gyrfalcon.core.commands import command_line_actor, fail, load_settings, with_session
from gyrfalcon.core.db import Database
from gyrfalcon.core.settings import Settings

cli = typer.Typer(name="user", help="Local user accounts.", no_args_is_help=True)


async def admin_from_settings(settings: Settings, database: Database) -> None:
    """On an empty database, create ``GYRFALCON_ADMIN_USERNAME`` with its password."""
    section = settings.section(AuthSettings)
    if not (section.admin_username and section.admin_password):
        return
    async with database.sessionmaker() as session:
        if await auth.count_users(session) == 0:
            await auth.create_user(
                session,
                username=section.admin_username,
                password=section.admin_password.get_secret_value(),
                is_admin=True,
            )
            typer.echo(f"created admin '{section.admin_username}' from settings")


@cli.command("create")
def user_create(
    username: Annotated[str, typer.Option(prompt=True)],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
    admin: Annotated[bool, typer.Option("--admin", help="Give every permission")] = False,
    display_name: Annotated[str, typer.Option()] = "",
    email: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Create a local user account."""
    if not password:
        raise fail("the password must not be empty")
    settings = load_settings()

    async def create(session: AsyncSession) -> None:
        user = await auth.create_user(
            session,
            username=username,
            password=password,
            is_admin=admin,
            display_name=display_name,
            email=email,
            min_password_length=settings.section(AuthSettings).password_min_length,
        )
        auth.record_user_created(session, user, actor=command_line_actor())
        await session.commit()

    with_session(settings, create)
    typer.echo(f"created {'admin ' if admin else ''}user '{username}'")


@cli.command("bootstrap")
def user_bootstrap() -> None:
    """On an empty database, create the demo admin `admin` with a random password and
    print it (kept in the data directory so a later run can show it again)."""
    settings = load_settings()

    async def bootstrap(session: AsyncSession) -> auth.InitialAdmin | None:
        return await auth.create_initial_admin(
            session, settings.data_dir, actor=command_line_actor()
        )

    created = with_session(settings, bootstrap)
    remembered = auth.initial_admin_file(settings.data_dir)
    if created is not None:
        typer.secho(
            f"\n  Log in as  {created.username} / {created.password}\n"
            f"  (also saved in {remembered})\n",
            fg=typer.colors.GREEN,
            bold=True,
        )
    elif remembered.exists():
        typer.secho(f"\n  Initial admin credentials (from {remembered}):", bold=True)
        typer.echo("  " + remembered.read_text().replace("\n", "\n  "))
    else:
        typer.echo("users already exist; log in with your account")
