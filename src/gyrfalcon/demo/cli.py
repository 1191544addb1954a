"""``gyrfalcon demo``: the console with a living sample cluster beside it (``make run``).

It starts every demo part's processes (a mail sink, the sample services), then the
console, registers the parts' objects through the console's API as the first admin,
and prints the URL and the logins. Ctrl-C stops every process it started and exits 0;
a second run reuses the databases, the objects and the logins of the first.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import threading
from pathlib import Path
from typing import Annotated

import typer

from gyrfalcon.auth import service as auth
from gyrfalcon.core.commands import (
    command_line_actor,
    fail,
    load_settings,
    with_session,
)
from gyrfalcon.core.plugins import load_adapters
from gyrfalcon.core.settings import Settings
from gyrfalcon.demo.backends import reachable_postgres, reachable_redis
from gyrfalcon.demo.base import DemoEnvironment, DemoError, DemoPart, PortBook
from gyrfalcon.demo.console import Console
from gyrfalcon.demo.people import Login, ensure_engineer
from gyrfalcon.demo.settings import DemoSettings
from gyrfalcon.demo.supervisor import Running, Stopped, Supervisor

DEMO_PARTS = "gyrfalcon.demo_parts"
_READY_SECONDS = 60
cli = typer.Typer(name="demo", help="The console with a living sample cluster (make run).")


@cli.callback(invoke_without_command=True)
def demo(
    host: Annotated[str | None, typer.Option(help="The console's bind address")] = None,
    port: Annotated[int | None, typer.Option(help="The console's port")] = None,
) -> None:
    """Start the console with sample services, a mail sink, monitors and demo users."""
    # From the first moment, so a Ctrl-C while it probes or starts still stops cleanly.
    stopping = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopping.set())
    settings = load_settings(host=host, port=port)
    section = settings.section(DemoSettings)
    folder = section.demo_dir.resolve()
    if folder.is_relative_to(settings.data_dir.resolve()):
        raise fail(
            f"GYRFALCON_DEMO_DIR ({folder}) lies inside the data directory, whose files "
            "datasources may never read; choose a folder outside it"
        )
    (folder / "logs").mkdir(parents=True, exist_ok=True)
    with_session(
        settings,
        lambda session: auth.create_initial_admin(
            session, settings.data_dir, actor=command_line_actor()
        ),
    )
    environment = _environment(section, folder, stopping)
    found = load_adapters(DEMO_PARTS, DemoPart)  # type: ignore[type-abstract]
    parts = sorted(found.values(), key=lambda part: part.order)
    supervisor = Supervisor(folder / "logs", stopping)
    failed = False
    try:
        console = _start(supervisor, settings, environment, parts)
        _register(f"http://{settings.host}:{settings.port}", settings, environment, parts)
        typer.secho("\n  Press Ctrl-C to stop the console and the whole demo.\n", bold=True)
        supervisor.watch(console)
    except Stopped:
        pass
    except DemoError as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        failed = True
    finally:
        supervisor.stop_all()
    if failed:
        raise typer.Exit(1)
    typer.echo("\nGyrfalcon demo stopped; nothing is left running.", err=True)


def _environment(section: DemoSettings, folder: Path, stopping: threading.Event) -> DemoEnvironment:
    postgres = reachable_postgres(section.demo_postgres_url)
    redis = reachable_redis(section.demo_redis_url)
    missing = []
    if postgres is None:
        missing.append(
            f"No PostgreSQL at {_safe(section.demo_postgres_url)}: the sample services keep "
            "their data in SQLite files in the demo's folder."
        )
    if redis is None:
        missing.append(
            f"No Redis at {_safe(section.demo_redis_url)}: the sample services cache "
            "nothing (a Redis an earlier run registered is left as it was)."
        )
    return DemoEnvironment(
        folder=folder,
        cycle_seconds=section.demo_cycle_seconds,
        ports=PortBook(section.demo_first_port),
        postgres=postgres,
        redis=redis,
        database_prefix=section.demo_database_prefix,
        missing=missing,
        stopping=stopping,
    )


def _start(
    supervisor: Supervisor, settings: Settings, demo: DemoEnvironment, parts: list[DemoPart]
) -> Running:
    """Every part's processes, then the console; returns the console's process."""
    children = [child for part in parts for child in part.children(demo)]
    for owner, taken in demo.ports.taken.items():
        _check_free(taken, owner)
    _check_free(settings.port, "the console")
    names = ", ".join(child.name for child in children)
    logs = demo.shown(supervisor.log_dir)
    typer.echo(f"Starting the demo ({names}) and the console; logs in {logs}")
    # The sample processes need none of the console's settings (its admin password...).
    plain = {k: v for k, v in os.environ.items() if not k.startswith("GYRFALCON_")}
    started = [(child, supervisor.start_child(child, plain)) for child in children]
    for child, running in started:
        supervisor.wait_ready(
            running, f"http://127.0.0.1:{child.ready_port}/health", seconds=_READY_SECONDS
        )
    allowed = [*map(str, settings.sqlite_datasource_dirs), str(demo.folder / "databases")]
    env = {**os.environ, "GYRFALCON_SQLITE_DATASOURCE_DIRS": json.dumps(allowed)}
    argv = [sys.executable, "-m", "gyrfalcon", "serve"]
    argv += ["--host", settings.host, "--port", str(settings.port)]
    console = supervisor.start("console", argv, env=env)
    supervisor.wait_ready(
        console, f"http://127.0.0.1:{settings.port}/readyz", seconds=_READY_SECONDS
    )
    return console


def _register(url: str, settings: Settings, demo: DemoEnvironment, parts: list[DemoPart]) -> None:
    """The parts' objects, as the first admin; a console whose admin password was changed
    keeps running, without the demo's objects, and says so."""
    admin, kept_in = _admin(settings, demo)
    console = Console(url)
    try:
        if admin is None or not console.log_in(admin.username, admin.password):
            typer.secho(
                f"\n  The demo could not log in as an admin with {kept_in} (changed "
                "since?), so it registered nothing. Set GYRFALCON_ADMIN_USERNAME and "
                "GYRFALCON_ADMIN_PASSWORD to an admin's login and run it again.",
                fg=typer.colors.YELLOW,
                err=True,
            )
            return
        lines = [line for part in parts for line in part.register(console, demo)]
        engineer = ensure_engineer(console, demo.folder)
    finally:
        console.close()
    logins = [Login(admin.username, admin.password, "admin: every permission"), engineer]
    typer.secho(f"\n  Gyrfalcon demo on {url}", fg=typer.colors.GREEN, bold=True)
    for login in logins:
        typer.secho(f"    {login.username} / {login.password}   ({login.who})", bold=True)
    typer.echo(f"  (logins kept in {kept_in} and {demo.shown(demo.folder / 'logins.txt')})")
    for line in [*lines, *demo.missing, *engineer.notes]:
        typer.echo(f"  {line}")


def _admin(settings: Settings, demo: DemoEnvironment) -> tuple[auth.InitialAdmin | None, str]:
    """The admin login the demo registers with, and where it is kept (for the summary)."""
    section = settings.section(auth.AuthSettings)
    if section.admin_username and section.admin_password:
        login = auth.InitialAdmin(section.admin_username, section.admin_password.get_secret_value())
        return login, "GYRFALCON_ADMIN_USERNAME and GYRFALCON_ADMIN_PASSWORD"
    file = demo.shown(auth.initial_admin_file(settings.data_dir).resolve())
    return auth.remembered_admin(settings.data_dir), file


def _check_free(port: int, owner: str) -> None:
    with socket.socket() as probe:
        # As the servers bind: a port whose last connections linger in TIME_WAIT after
        # the previous run is free for them.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            raise DemoError(
                f"port {port} (for {owner}) is in use: stop what holds it, or move the demo "
                "with GYRFALCON_DEMO_FIRST_PORT (or the console with --port)"
            ) from None


def _safe(url: str) -> str:
    """A backing system's address without its password, for the summary."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
