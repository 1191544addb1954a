"""`gyrfalcon monitors export` and `apply` on the embedded database: create, dry run,
idempotent re-apply, a field-level diff, and a bad file that names the field."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import httpx

from gyrfalcon.app import create_app
from gyrfalcon.auth import service as auth
from gyrfalcon.core.settings import Settings
from tests.conftest import TEST_SQLITE_DIRS
from tests.core.test_cli import _gyrfalcon

FILE = """\
monitors:
- service: shop
  name: unpaid-orders
  type: sql
  datasource: main
  query: SELECT count(*) FROM orders WHERE status = 'unpaid'
  schedule: {every_seconds: 60}
  condition: {operator: '>', threshold: 0}
"""


async def _shop_service(data_dir: Path, shop: Path) -> None:
    app = create_app(
        Settings(data_dir=data_dir, sqlite_datasource_dirs=TEST_SQLITE_DIRS), run_services=False
    )
    async with app.state.database.sessionmaker() as session:
        await auth.create_user(session, username="ops", password="ops-password-1", is_admin=True)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        await client.post(
            "/api/v1/auth/login", json={"username": "ops", "password": "ops-password-1"}
        )
        client.headers["X-CSRF-Token"] = client.cookies["gyrfalcon_csrf"]
        (await client.post("/api/v1/services", json={"name": "shop"})).raise_for_status()
        datasource = {"name": "main", "dialect": "sqlite", "database": str(shop)}
        created = await client.post("/api/v1/services/shop/datasources", json=datasource)
        created.raise_for_status()
    await app.state.database.dispose()


async def test_apply_then_export_round_trips(tmp_path: Path) -> None:
    shop = tmp_path / "shop.db"
    with sqlite3.connect(shop) as conn:
        conn.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, status TEXT)")
    data_dir = tmp_path / "data"
    env = {"GYRFALCON_DATA_DIR": str(data_dir)}
    assert _gyrfalcon("db", "upgrade", env=env).returncode == 0
    await _shop_service(data_dir, shop)
    definitions = tmp_path / "monitors.yaml"
    definitions.write_text(FILE)

    dry = _gyrfalcon("monitors", "apply", "-f", str(definitions), "--dry-run", env=env)
    assert dry.returncode == 0, dry.stderr
    assert "create  shop/unpaid-orders" in dry.stdout
    assert "1 to create, 0 to update, 0 unchanged (dry run: nothing was changed)" in dry.stdout

    applied = _gyrfalcon("monitors", "apply", "-f", str(definitions), env=env)
    assert applied.returncode == 0 and "1 created, 0 updated, 0 unchanged" in applied.stdout
    again = _gyrfalcon("monitors", "apply", "-f", str(definitions), env=env)
    assert "0 created, 0 updated, 1 unchanged" in again.stdout

    exported = _gyrfalcon("monitors", "export", env=env)
    assert exported.returncode == 0, exported.stderr
    assert "name: unpaid-orders" in exported.stdout
    changed = tmp_path / "changed.yaml"
    changed.write_text(exported.stdout.replace("threshold: 0.0", "threshold: 5.0"))
    update = _gyrfalcon("monitors", "apply", "-f", str(changed), "--dry-run", env=env)
    assert "update  shop/unpaid-orders" in update.stdout
    assert "condition.threshold: 0.0 -> 5.0" in update.stdout

    broken = tmp_path / "broken.yaml"
    broken.write_text(FILE.replace("every_seconds: 60", "every_seconds: 1"))
    refused = _gyrfalcon("monitors", "apply", "-f", str(broken), env=env)
    assert refused.returncode == 1
    assert "monitors.0.schedule.every_seconds:" in refused.stderr
