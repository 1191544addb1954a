"""Redis instances of every deployment the cache module reads: a real 3-primary Redis
Cluster and a real Sentinel, started from ``redis-server`` on free ports, through the
catalog's API and its test button; the definition's rules; and the secrets that must
not follow a changed address.

The platform database only stores the definitions here (the secrets' handling is
tested on every backend in test_secret_theft.py), so these run on SQLite only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.redis_servers import SENTINEL_MASTER, Servers, redis_cluster, redis_sentinel

SERVICE = "/api/v1/services/orders"
pytestmark = pytest.mark.parametrize("platform_database", ["sqlite"], indirect=True)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    with redis_cluster(tmp_path_factory.mktemp("redis-cluster")) as servers:
        yield servers


@pytest.fixture(scope="module")
def sentinel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Servers, Servers]]:
    with redis_sentinel(tmp_path_factory.mktemp("redis-sentinel")) as servers:
        yield servers


@pytest.fixture
async def orders(admin: httpx.AsyncClient) -> str:
    response = await admin.post("/api/v1/services", json={"name": "orders"})
    assert response.status_code == 201, response.text
    return SERVICE


async def _create(admin: httpx.AsyncClient, body: dict[str, Any]) -> dict[str, Any]:
    response = await admin.post(f"{SERVICE}/redis", json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def test_a_cluster_is_reached_through_one_seed_and_every_primary_is_tested(
    admin: httpx.AsyncClient, orders: str, cluster: Servers
) -> None:
    created = await _create(
        admin, {"name": "sessions", "mode": "cluster", "nodes": cluster.nodes[:1]}
    )
    assert created["mode"] == "cluster"
    assert created["read_only"] is True, "an instance is read-only until someone says not"
    assert created["url"] == f"redis://{cluster.nodes[0]} (cluster)"
    result = (await admin.post(f"{SERVICE}/redis/{created['id']}/test")).json()
    assert result["ok"] is True, result
    assert result["message"].startswith("connected to the 3 primaries of a Redis ")
    assert sorted(result["details"]["primaries"]) == sorted(cluster.nodes)


async def test_a_standalone_server_is_not_a_cluster(admin: httpx.AsyncClient, orders: str) -> None:
    result = (
        await admin.post(
            f"{SERVICE}/redis/test",
            json={"name": "c", "mode": "cluster", "nodes": ["127.0.0.1:6379"]},
        )
    ).json()
    assert result["ok"] is False
    assert (
        result["message"]
        == "this server is not part of a Redis Cluster: choose the standalone mode"
    )


async def test_a_primary_down_is_named(
    admin: httpx.AsyncClient, orders: str, tmp_path: Path
) -> None:
    with redis_cluster(tmp_path / "cluster") as broken:
        broken.stop(broken.ports[2])
        result = (
            await admin.post(
                f"{SERVICE}/redis/test",
                json={"name": "c", "mode": "cluster", "nodes": broken.nodes[:1]},
            )
        ).json()
    assert result["ok"] is False
    assert result["message"] == f"primaries not answering (1 of 3): {broken.nodes[2]}"
    assert result["details"]["down"] == [broken.nodes[2]]


async def test_a_sentinel_names_the_primary(
    admin: httpx.AsyncClient, orders: str, sentinel: tuple[Servers, Servers]
) -> None:
    primary, sentinels = sentinel
    created = await _create(
        admin,
        {
            "name": "carts",
            "mode": "sentinel",
            "nodes": sentinels.nodes,
            "sentinel_master": SENTINEL_MASTER,
            "db": 3,
        },
    )
    assert created["url"] == f"redis://{SENTINEL_MASTER}/3 (sentinels {sentinels.nodes[0]})"
    result = (await admin.post(f"{SERVICE}/redis/{created['id']}/test")).json()
    assert result["ok"] is True, result
    assert result["details"]["primary"] == primary.nodes[0]
    unknown = (
        await admin.post(
            f"{SERVICE}/redis/test",
            json={
                "name": "c",
                "mode": "sentinel",
                "nodes": sentinels.nodes,
                "sentinel_master": "nobody",
            },
        )
    ).json()
    assert unknown["ok"] is False
    assert unknown["message"] == "the Sentinels monitor no primary named 'nobody'"


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"mode": "sentinel", "nodes": ["127.0.0.1:26379"]}, "sentinel_master", "name the primary"),
        ({"mode": "sentinel", "sentinel_master": "m"}, "nodes", "list the Sentinels"),
        ({"mode": "cluster", "db": 2}, "db", "database 0 only"),
        ({"mode": "cluster", "nodes": ["no-port"]}, "nodes", "is not host:port"),
        ({"mode": "cluster", "nodes": ["h:70000"]}, "nodes", "is not host:port"),
        ({"mode": "ring"}, "mode", "standalone"),
    ],
)
async def test_a_definition_that_cannot_work_is_refused_with_the_field(
    admin: httpx.AsyncClient, orders: str, body: dict[str, Any], field: str, words: str
) -> None:
    response = await admin.post(f"{SERVICE}/redis", json={"name": "c", **body})
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert words in errors[field], errors


async def test_new_nodes_drop_the_stored_passwords(
    admin: httpx.AsyncClient, orders: str, sentinel: tuple[Servers, Servers]
) -> None:
    _primary, sentinels = sentinel
    created = await _create(
        admin,
        {
            "name": "carts",
            "mode": "sentinel",
            "nodes": sentinels.nodes,
            "sentinel_master": SENTINEL_MASTER,
            "password": "cache-secret-1",
            "sentinel_password": "sentinel-secret-2",
        },
    )
    assert (created["password_set"], created["sentinel_password_set"]) == (True, True)
    item = f"{SERVICE}/redis/{created['id']}"
    prefix = await admin.patch(item, json={"key_prefix": "carts:", "read_only": False})
    assert (prefix.json()["password_set"], prefix.json()["sentinel_password_set"]) == (True, True)
    moved = await admin.patch(item, json={"nodes": ["10.9.9.9:26379"]})
    assert moved.status_code == 200, moved.text
    assert (moved.json()["password_set"], moved.json()["sentinel_password_set"]) == (False, False)
    assert "secret" not in moved.text


async def test_a_job_backend_is_one_server(admin: httpx.AsyncClient, orders: str) -> None:
    response = await admin.post(
        f"{SERVICE}/job-backends",
        json={"name": "jobs", "type": "sidekiq", "mode": "cluster"},
    )
    assert response.status_code == 422
    assert "mode" in {e["field"] for e in response.json()["errors"]}
