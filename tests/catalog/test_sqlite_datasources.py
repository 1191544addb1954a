"""Issue 8.2: a SQLite datasource cannot read the platform's own database or probe files.

The review's attack: a user with write on one service created
``{"dialect": "sqlite", "database": "<the platform's gf.db>"}`` and a monitor preview of
``SELECT username, password_hash FROM users`` returned every hash; ``file:`` names
created files in the server's working directory, and test answers told which files
exist. The tests run the same steps, at save, test, preview and run.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update

from gyrfalcon.app import create_app
from gyrfalcon.catalog.models import Datasource
from gyrfalcon.core.db import Database
from gyrfalcon.core.settings import Settings
from tests.conftest import ADMIN_PASSWORD, ON_SQLITE_ONLY, add_user, login

pytestmark = ON_SQLITE_ONLY

SHOP = "/api/v1/services/shop"


@pytest.fixture
async def platform_file(migrated: Settings, tmp_path: Path) -> Path:
    """A file holding the platform's users table: the real one on the SQLite backend,
    a file in the data directory (forbidden the same way) on the others."""
    if migrated.is_embedded:
        return Path(migrated.resolved_database_url.split("///", 1)[1])
    copy = migrated.data_dir / "copy-of-platform.db"
    with sqlite3.connect(copy) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS users (username TEXT, password_hash TEXT)")
    return copy


@pytest.fixture
async def writer(app: FastAPI, admin: httpx.AsyncClient) -> AsyncIterator[httpx.AsyncClient]:
    """A user with catalog and monitors write on service ``shop`` only."""
    assert (await admin.post("/api/v1/services", json={"name": "shop"})).status_code == 201
    grants = [
        {"module": module, "action": action, "scope": "services", "targets": ["shop"]}
        for module in ("catalog", "monitors")
        for action in ("read", "write")
    ]
    role = await admin.post("/api/v1/roles", json={"name": "shop-writer", "grants": grants})
    assert role.status_code == 201, role.text
    await add_user(app, "mallory", admin=False, roles=("shop-writer",))
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
    await login(client, "mallory")
    yield client
    await client.aclose()


def _sqlite(database: str, **extra: object) -> dict[str, object]:
    return {"name": "lite", "dialect": "sqlite", "database": database, **extra}


def _field_error(response: httpx.Response) -> str:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    (error,) = response.json()["errors"]
    assert error["field"] in ("database", "options")
    return str(error["message"])


async def test_the_platform_database_cannot_be_saved_or_tested(
    writer: httpx.AsyncClient, platform_file: Path, tmp_path: Path
) -> None:
    refused = await writer.post(f"{SHOP}/datasources", json=_sqlite(str(platform_file)))
    assert "platform's own data" in _field_error(refused)
    tried = await writer.post(f"{SHOP}/datasources/test", json=_sqlite(str(platform_file)))
    assert "platform's own data" in _field_error(tried)
    # Nor through a symbolic link in an allowed directory, nor a '..' detour.
    link = tmp_path / "innocent.db"
    link.symlink_to(platform_file)
    assert "platform's own data" in _field_error(
        await writer.post(f"{SHOP}/datasources", json=_sqlite(str(link)))
    )
    detour = f"{tmp_path}/../{tmp_path.name}/innocent.db"
    assert "platform's own data" in _field_error(
        await writer.post(f"{SHOP}/datasources", json=_sqlite(detour))
    )


async def test_a_saved_datasource_cannot_be_moved_to_the_platform_database(
    writer: httpx.AsyncClient, platform_file: Path, tmp_path: Path
) -> None:
    shop = tmp_path / "shop.db"
    sqlite3.connect(shop).close()
    created = await writer.post(f"{SHOP}/datasources", json=_sqlite(str(shop)))
    assert created.status_code == 201, created.text
    item = f"{SHOP}/datasources/{created.json()['id']}"
    _field_error(await writer.patch(item, json={"database": str(platform_file)}))
    _field_error(await writer.post(f"{item}/test", json={"database": str(platform_file)}))
    assert (await writer.get(item)).json()["database"] == str(shop)


@pytest.mark.parametrize(
    "database",
    ["file:created-here.db", "file:/etc/passwd?mode=ro", ":memory:", "relative/shop.db"],
)
async def test_uri_memory_and_relative_names_are_refused(
    writer: httpx.AsyncClient, database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    message = _field_error(await writer.post(f"{SHOP}/datasources", json=_sqlite(database)))
    assert message == "must be an absolute path to an SQLite file"
    assert list(tmp_path.iterdir()) == []  # nothing was created in the working directory


async def test_options_are_refused(writer: httpx.AsyncClient, tmp_path: Path) -> None:
    body = _sqlite(str(tmp_path / "x.db"), options={"uri": "true"})
    assert _field_error(await writer.post(f"{SHOP}/datasources", json=body)) == (
        "SQLite datasources take no URL options"
    )


async def test_files_outside_the_allowed_directories_are_refused_alike(
    writer: httpx.AsyncClient,
) -> None:
    """The answer is the same for a file that exists and one that does not: no oracle."""
    existing = _field_error(
        await writer.post(f"{SHOP}/datasources/test", json=_sqlite("/etc/shadow"))
    )
    missing = _field_error(
        await writer.post(f"{SHOP}/datasources/test", json=_sqlite("/etc/no-such-file"))
    )
    assert existing == missing
    assert existing.startswith("SQLite files must lie inside:")


async def test_sqlite_datasources_are_off_unless_an_operator_allows_a_directory(
    app: FastAPI, migrated: Settings, tmp_path: Path
) -> None:
    """``app`` is only asked for so that its teardown empties the shared tables."""
    settings = migrated.model_copy(update={"sqlite_datasource_dirs": []})
    strict = create_app(settings, run_services=False)
    await add_user(strict, "ops", admin=True)
    client = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=strict), base_url="http://testserver"
    )
    try:
        await login(client, "ops")
        assert (await client.post("/api/v1/services", json={"name": "shop"})).status_code == 201
        message = _field_error(
            await client.post(f"{SHOP}/datasources", json=_sqlite(str(tmp_path / "a.db")))
        )
        assert "GYRFALCON_SQLITE_DATASOURCE_DIRS" in message
        assert ADMIN_PASSWORD not in message
    finally:
        await client.aclose()
        await strict.state.database.dispose()


async def test_runs_and_previews_check_again_before_opening_the_file(
    app: FastAPI, writer: httpx.AsyncClient, platform_file: Path, tmp_path: Path
) -> None:
    """A definition stored before the rule (written here straight into the table) is
    refused at run time too, and nothing of the platform's rows comes back."""
    shop = tmp_path / "shop.db"
    with sqlite3.connect(shop) as conn:
        conn.execute("CREATE TABLE users (username TEXT, password_hash TEXT)")
    created = await writer.post(f"{SHOP}/datasources", json=_sqlite(str(shop)))
    assert created.status_code == 201
    monitor = {
        "service": "shop",
        "name": "hashes",
        "type": "sql",
        "datasource": "lite",
        "query": "SELECT username, password_hash FROM users",
        "schedule": {"every_seconds": 60},
        "condition": {"value": "row_count", "operator": ">", "threshold": 100},
    }
    saved = await writer.post("/api/v1/monitors", json=monitor)
    assert saved.status_code == 201, saved.text
    database: Database = app.state.database
    async with database.sessionmaker() as session:
        await session.execute(
            update(Datasource)
            .where(Datasource.id == created.json()["id"])
            .values(config=_stored_config(str(platform_file)))
        )
        await session.commit()

    preview = await writer.post("/api/v1/monitors/preview", json=monitor)
    ran = await writer.post(f"/api/v1/monitors/{saved.json()['id']}/run")
    for response in (preview, ran):
        assert response.status_code in (200, 201), response.text
        body = response.json()
        assert body["outcome"] == "error"
        assert "platform's own data" in body["error"]
        assert body["sample"] is None
        assert "root-admin" not in response.text  # the admin's row of the users table


def _stored_config(database: str) -> dict[str, object]:
    return {
        "dialect": "sqlite",
        "driver": None,
        "host": None,
        "port": None,
        "database": database,
        "username": None,
        "options": {},
    }
