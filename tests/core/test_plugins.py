"""Modules are discovered through the ``gyrfalcon.modules`` entry point group."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from gyrfalcon.app import create_app
from gyrfalcon.cli import build_cli
from gyrfalcon.core import migrate
from gyrfalcon.core.db import Database
from gyrfalcon.core.plugins import ENTRY_POINT_GROUP, discover_modules
from gyrfalcon.core.settings import Settings
from gyrfalcon.core.settings_docs import settings_reference
from tests.conftest import add_user, login, make_settings


@pytest.fixture
def installed_plugin(tmp_path: Path) -> Iterator[None]:
    """Installs tests.plugin_fixture the way pip would: a dist-info with entry_points.txt."""
    dist = tmp_path / "gyrfalcon_hello-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: gyrfalcon-hello\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(
        f"[{ENTRY_POINT_GROUP}]\nhello = tests.plugin_fixture:module\n"
    )
    sys.path.insert(0, str(tmp_path))
    try:
        yield
    finally:
        sys.path.remove(str(tmp_path))


@pytest.fixture
def broken_plugin(tmp_path: Path) -> Iterator[None]:
    dist = tmp_path / "gyrfalcon_broken-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: gyrfalcon-broken\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(f"[{ENTRY_POINT_GROUP}]\nbroken = no.such.module:x\n")
    sys.path.insert(0, str(tmp_path))
    try:
        yield
    finally:
        sys.path.remove(str(tmp_path))


def test_builtin_modules_register_through_entry_points() -> None:
    names = [module.name for module in discover_modules()]
    assert {"auth", "catalog"} <= set(names)


@pytest.mark.usefixtures("installed_plugin")
async def test_third_party_module_adds_router_nav_permissions_and_services(
    migrated: Settings,
) -> None:
    from tests.plugin_fixture import ticks

    ticks.clear()
    app = create_app(migrated)
    assert any(module.name == "hello" for module in app.state.modules)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            await add_user(app, "plugin-admin", admin=True)
            await login(client, "plugin-admin")
            assert (await client.get("/api/v1/hello")).json() == {"hello": "world"}
            modules = (await client.get("/api/v1/modules")).json()
            hello = next(m for m in modules if m["name"] == "hello")
            assert hello["path"] == "/hello"
            assert [p["action"] for p in hello["permissions"]] == ["read", "write", "export"]
            # Navigation order follows each module's declared order.
            assert [m["name"] for m in modules if m["path"]][:6] == [
                "catalog",
                "monitors",
                "jobs",
                "messages",
                "cache",
                "hello",
            ]
    assert ticks == ["tick"]
    from tests.conftest import _empty_tables

    await _empty_tables(app.state.database)
    await app.state.database.dispose()


@pytest.mark.usefixtures("installed_plugin")
async def test_a_third_party_module_adds_a_setting_a_command_a_table_and_a_connection_kind(
    tmp_path: Path,
) -> None:
    """Every extension point at once, through the entry point alone: its settings section
    takes ``GYRFALCON_HELLO_GREETING`` values, ``gyrfalcon db upgrade`` runs its migration
    branch, the catalog serves its connection kind, ``gyrfalcon hello greet`` runs and the
    configuration reference lists its setting."""
    settings = make_settings(
        f"sqlite+aiosqlite:///{tmp_path / 'plugin.db'}", tmp_path, hello_greeting="plugins"
    )
    modules = discover_modules()
    database = Database(settings.resolved_database_url)
    await migrate.upgrade(database, settings.resolved_database_url, modules)
    assert "hello_0001" in await migrate.current_revisions(database)
    await database.dispose()

    app = create_app(settings, run_services=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        await add_user(app, "plugin-admin", admin=True)
        await login(client, "plugin-admin")
        assert (await client.get("/api/v1/hello")).json() == {"hello": "plugins"}
        assert (await client.post("/api/v1/hello/greetings", json={"text": "hi"})).is_success
        assert (await client.get("/api/v1/hello/greetings")).json() == ["hi"]

        created = await client.post(
            "/api/v1/hello-endpoints",
            json={"name": "edge", "url": "hello://edge", "token": "hello-secret-1"},
        )
        assert created.status_code == 201, created.text
        body = created.json()
        assert body["token_set"] is True and "hello-secret-1" not in created.text
        tested = await client.post(f"/api/v1/hello-endpoints/{body['id']}/test")
        assert tested.json()["message"] == "hello from hello://edge"
        audit = (await client.get("/api/v1/audit")).json()["items"]
        assert "hello_endpoint.create" in {record["action"] for record in audit}
    await app.state.database.dispose()

    runner = CliRunner()
    greeted = runner.invoke(
        build_cli(), ["hello", "greet"], env={"GYRFALCON_HELLO_GREETING": "cli"}
    )
    assert greeted.exit_code == 0, greeted.output
    assert greeted.output.strip() == "hello, cli"
    assert "`GYRFALCON_HELLO_GREETING`" in settings_reference()


@pytest.mark.usefixtures("broken_plugin")
def test_a_broken_plugin_is_skipped_not_fatal(caplog: pytest.LogCaptureFixture) -> None:
    names = [module.name for module in discover_modules()]
    assert "catalog" in names and "broken" not in names
    assert "cannot load gyrfalcon module" in caplog.text
