"""Fixtures of the cache tests: the machine's Redis (database 13, every test under a key
prefix of its own, so tests running at once never see each other's keys), a service
with a writable Redis instance over it, and a user who may write the cache of that
service only."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import redis
from fastapi import FastAPI

from gyrfalcon.core.settings import Settings
from tests.conftest import _logged_in
from tests.support.receivers import refused_port, silent_port

__all__ = ["refused_port", "silent_port"]

DB = 13
SERVICE = "shop"


@dataclass(frozen=True)
class Instance:
    """A Redis instance of the service in the catalog, and its keys' prefix."""

    id: int
    prefix: str
    base: str
    """The API path of the instance: ``/api/v1/services/shop/redis/{id}``."""

    def key(self, name: str) -> str:
        return self.prefix + name


@pytest.fixture
def plain() -> Iterator[redis.Redis]:
    client = redis.Redis(port=6379, db=DB)
    yield client
    client.close()


@pytest.fixture
def prefix(plain: redis.Redis) -> Iterator[str]:
    chosen = f"t{uuid.uuid4().hex[:10]}:"
    yield chosen
    for key in plain.scan_iter(match=f"{chosen}*", count=1000):
        plain.unlink(key)


Tune = Callable[..., None]


@pytest.fixture
def tune(migrated: Settings, monkeypatch: pytest.MonkeyPatch) -> Tune:
    """Set ``cache_*`` settings for one test: the app reads them on every request."""
    extra = migrated.__pydantic_extra__
    assert extra is not None

    def apply(**values: object) -> None:
        for name, value in values.items():
            monkeypatch.setitem(extra, name, value)

    return apply


@pytest.fixture
async def service(admin: httpx.AsyncClient) -> str:
    response = await admin.post("/api/v1/services", json={"name": SERVICE, "team": "shop"})
    assert response.status_code == 201, response.text
    return SERVICE


async def add_instance(
    admin: httpx.AsyncClient, body: dict[str, Any], *, prefix: str = ""
) -> Instance:
    response = await admin.post(
        f"/api/v1/services/{SERVICE}/redis", json={"key_prefix": prefix, **body}
    )
    assert response.status_code == 201, response.text
    instance_id = response.json()["id"]
    return Instance(instance_id, prefix, f"/api/v1/services/{SERVICE}/redis/{instance_id}")


@pytest.fixture
async def instance(admin: httpx.AsyncClient, service: str, prefix: str) -> Instance:
    return await add_instance(
        admin,
        {"name": "cache", "url": f"redis://127.0.0.1:6379/{DB}", "read_only": False},
        prefix=prefix,
    )


@pytest.fixture
async def writer(
    app: FastAPI, admin: httpx.AsyncClient, service: str
) -> AsyncIterator[httpx.AsyncClient]:
    """Holds the Viewer role and the cache's write permission on the service."""
    role = await admin.post(
        "/api/v1/roles",
        json={
            "name": "cache-writer",
            "grants": [
                {"module": "cache", "action": "write", "scope": "services", "targets": [SERVICE]}
            ],
        },
    )
    assert role.status_code == 201, role.text
    async with _logged_in(
        app, "cache-writer", admin=False, roles=("Viewer", "cache-writer")
    ) as client:
        yield client
