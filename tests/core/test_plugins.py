"""Modules are discovered through the ``gyrfalcon.modules`` entry point group."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from gyrfalcon.app import create_app
from gyrfalcon.core.plugins import ENTRY_POINT_GROUP, discover_modules
from gyrfalcon.core.settings import Settings
from tests.conftest import add_user, login


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
            assert [m["name"] for m in modules if m["path"]][:3] == ["catalog", "monitors", "hello"]
    assert ticks == ["tick"]
    from tests.conftest import _empty_tables

    await _empty_tables(app.state.database)
    await app.state.database.dispose()


@pytest.mark.usefixtures("broken_plugin")
def test_a_broken_plugin_is_skipped_not_fatal(caplog: pytest.LogCaptureFixture) -> None:
    names = [module.name for module in discover_modules()]
    assert "catalog" in names and "broken" not in names
    assert "cannot load gyrfalcon module" in caplog.text
