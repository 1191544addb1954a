"""Shared fixtures: the platform database on SQLite, PostgreSQL and MariaDB, an app
per backend, and logged-in clients.

Each backend gets a database created for this run only (unique name) and dropped at
the end, so runs never collide; tables are emptied after every test.
"""

from __future__ import annotations

import contextlib
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg
import pymysql
import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from sqlalchemy import delete, select

from gyrfalcon.access.models import Role, UserRole
from gyrfalcon.app import create_app
from gyrfalcon.auth import passwords
from gyrfalcon.auth import service as auth
from gyrfalcon.connectors.sql.sqlite_files import SqlitePolicy
from gyrfalcon.core import migrate
from gyrfalcon.core.db import Database
from gyrfalcon.core.orm import Base
from gyrfalcon.core.settings import Settings

PG_ADMIN_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
BACKENDS = ("sqlite", "postgresql", "mariadb")
ON_SQLITE_ONLY = pytest.mark.sqlite_only
"""For a test module about request handling, validation or security rules, which no SQL
dialect changes: its tests run on SQLite alone (the others are deselected). What the
dialects store and query differently (JSON, timestamps, integer bounds, claims and
leases, the message store, migrations) is tested on all three; running everything
three times cost half the suite's time."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    dropped = [
        item
        for item in items
        if item.get_closest_marker("sqlite_only") is not None
        and getattr(item, "callspec", None) is not None
        and item.callspec.params.get("platform_database", "sqlite") != "sqlite"  # type: ignore[attr-defined]
    ]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        dropped_ids = set(map(id, dropped))
        items[:] = [item for item in items if id(item) not in dropped_ids]


ADMIN_PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing() -> Iterator[None]:
    """Argon2id at its cheapest for the accounts the tests make and log in with. The
    production cost (64 MiB, 3 passes) is deliberate and costs about half a second per
    login, which a test gains nothing from, hundreds of times over; the hashes keep
    their format, and a verify reads the cost from the hash it checks."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
        )
        yield


@dataclass(frozen=True)
class PlatformDatabase:
    backend: str
    url: str


def _create_postgres() -> tuple[str, str]:
    name = f"gyr_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, f"postgresql://postgres@127.0.0.1:5432/{name}"


def _drop_postgres(name: str) -> None:
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _mariadb_admin() -> pymysql.connections.Connection:  # type: ignore[type-arg]
    return pymysql.connect(host="127.0.0.1", port=3306, user="root", password="", autocommit=True)


def _create_mariadb() -> tuple[str, str]:
    name = f"gyr_test_{uuid.uuid4().hex[:12]}"
    with _mariadb_admin() as conn, conn.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
    return name, f"mysql://root@127.0.0.1:3306/{name}?charset=utf8mb4"


def _drop_mariadb(name: str) -> None:
    with _mariadb_admin() as conn, conn.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")


@pytest.fixture(scope="session", params=BACKENDS)
def platform_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[PlatformDatabase]:
    backend: str = request.param
    if backend == "sqlite":
        path = tmp_path_factory.mktemp("sqlite") / "gyrfalcon.db"
        yield PlatformDatabase(backend, f"sqlite:///{path}")
    elif backend == "postgresql":
        name, url = _create_postgres()
        yield PlatformDatabase(backend, url)
        _drop_postgres(name)
    else:
        name, url = _create_mariadb()
        yield PlatformDatabase(backend, url)
        _drop_mariadb(name)


# The watched SQLite files of the tests live in pytest's temporary directories; an
# operator allows such a directory the same way (the platform's data dir stays refused).
TEST_SQLITE_DIRS = [Path(tempfile.gettempdir())]


def sqlite_policy_for_tests() -> SqlitePolicy:
    """SQLite datasources allowed where the tests keep their watched files."""
    return SqlitePolicy(allowed=tuple(path.resolve() for path in TEST_SQLITE_DIRS), forbidden=())


def make_settings(database_url: str, data_dir: Path, **overrides: object) -> Settings:
    overrides.setdefault("sqlite_datasource_dirs", TEST_SQLITE_DIRS)
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        secret_key="test-secret-key-0123456789",  # type: ignore[arg-type]
        **overrides,  # type: ignore[arg-type]
    )


@pytest.fixture(scope="session")
async def migrated(
    platform_database: PlatformDatabase, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Settings]:
    settings = make_settings(platform_database.url, tmp_path_factory.mktemp("data"))
    database = Database(settings.resolved_database_url)
    await migrate.upgrade(database, settings.resolved_database_url)
    await database.dispose()
    yield settings


# Rows the migrations seed (built-in roles and their grants, revision counters) stay.
_SEEDED_TABLES = {"roles", "grants", "revisions"}


async def _empty_tables(database: Database) -> None:
    async with database.engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name not in _SEEDED_TABLES:
                await conn.execute(delete(table))
        await conn.execute(delete(Role).where(Role.builtin.is_(False)))


@pytest.fixture
async def app(migrated: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(migrated, run_services=False)
    yield application
    database: Database = application.state.database
    await _empty_tables(database)
    await database.dispose()


@pytest.fixture
async def anonymous(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


async def add_user(app: FastAPI, username: str, *, admin: bool, roles: tuple[str, ...] = ()) -> int:
    """Creates a local user (password ADMIN_PASSWORD) holding the named roles."""
    database: Database = app.state.database
    async with database.sessionmaker() as session:
        user = await auth.create_user(
            session, username=username, password=ADMIN_PASSWORD, is_admin=admin
        )
        for role_name in roles:
            role_id = await session.scalar(select(Role.id).where(Role.name == role_name))
            session.add(UserRole(user_id=user.id, role_id=role_id))
        await session.commit()
        return user.id


async def login(client: httpx.AsyncClient, username: str) -> None:
    response = await client.post(
        "/api/v1/auth/login", json={"username": username, "password": ADMIN_PASSWORD}
    )
    assert response.status_code == 200, response.text
    client.headers["X-CSRF-Token"] = client.cookies["gyrfalcon_csrf"]


@contextlib.asynccontextmanager
async def _logged_in(
    app: FastAPI, username: str, *, admin: bool, roles: tuple[str, ...] = ()
) -> AsyncIterator[httpx.AsyncClient]:
    await add_user(app, username, admin=admin, roles=roles)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        await login(client, username)
        yield client


@pytest.fixture
async def admin(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A client logged in as an admin through the session cookie, CSRF header set."""
    async with _logged_in(app, "root-admin", admin=True) as client:
        yield client


@pytest.fixture
async def viewer(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A logged-in user holding the built-in Viewer role."""
    async with _logged_in(app, "viewer", admin=False, roles=("Viewer",)) as client:
        yield client
