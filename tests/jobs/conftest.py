"""Fixtures of the jobs tests: the machine's Redis, a namespace per test, a fixed clock.

Each test writes its job system's keys under a namespace of its own and deletes them
after, so the tests run side by side on one Redis. The API tests run on the SQLite
platform database only: the module keeps nothing in it but audit records, whose
storage the audit tests already run on all three databases.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from redis.asyncio import Redis

from gyrfalcon.app import create_app
from gyrfalcon.core import migrate
from gyrfalcon.core.db import Database
from gyrfalcon.jobs.backends.base import Backend, Limits
from tests.conftest import PlatformDatabase, _empty_tables, _logged_in, make_settings

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
TIMEOUT = 1.0


@pytest.fixture(scope="session")
def platform_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PlatformDatabase]:
    yield PlatformDatabase("sqlite", f"sqlite:///{tmp_path_factory.mktemp('jobs')}/gyrfalcon.db")


@pytest.fixture
async def redis_client() -> AsyncIterator[Redis]:
    client = Redis(host="127.0.0.1", port=6379)
    yield client
    await client.aclose()


@pytest.fixture
async def namespace(redis_client: Redis) -> AsyncIterator[str]:
    name = f"gyrtest-{uuid.uuid4().hex[:10]}"
    yield name
    async for key in redis_client.scan_iter(match=f"{name}:*", count=1000):
        await redis_client.delete(key)


def backend_of(client: Redis, namespace: str, *, now: datetime = NOW, **limits: float) -> Backend:
    return Backend(client, namespace, now=lambda: now, limits=Limits(**limits))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
async def jobs_app(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[FastAPI]:
    """An app whose job backends time out after a second, so a hung Redis shows fast."""
    data = tmp_path_factory.mktemp("jobs-api")
    settings = make_settings(
        f"sqlite:///{data}/gyrfalcon.db", Path(data), jobs_timeout_seconds=TIMEOUT
    )
    database = Database(settings.resolved_database_url)
    await migrate.upgrade(database, settings.resolved_database_url)
    await database.dispose()
    application = create_app(settings, run_services=False)
    yield application
    await application.state.database.dispose()


@pytest.fixture
async def admin_client(jobs_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with _logged_in(jobs_app, "jobs-admin", admin=True) as client:
        yield client
    await _empty_tables(jobs_app.state.database)


@pytest.fixture
async def viewer_client(
    jobs_app: FastAPI, admin_client: httpx.AsyncClient
) -> AsyncIterator[httpx.AsyncClient]:
    async with _logged_in(jobs_app, "jobs-viewer", admin=False, roles=("Viewer",)) as client:
        yield client
