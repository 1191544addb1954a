"""The analysis of a known keyspace on the machine's Redis, and every read on a real
3-primary Redis Cluster (keys on every primary, one primary down: the others' keys,
marked partial) and on a Sentinel-named primary, all started from ``redis-server``.

The platform database only holds the catalog's rows here, so these run on SQLite only.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
from redis.cluster import RedisCluster

from tests.cache.conftest import Instance, Tune, add_instance
from tests.support.redis_servers import SENTINEL_MASTER, Servers, redis_cluster, redis_sentinel

pytestmark = pytest.mark.parametrize("platform_database", ["sqlite"], indirect=True)


def b64(key: str) -> str:
    return base64.urlsafe_b64encode(key.encode()).rstrip(b"=").decode()


async def test_the_analysis_of_a_known_keyspace(
    admin: httpx.AsyncClient, instance: Instance, plain: redis.Redis
) -> None:
    with plain.pipeline(transaction=False) as pipe:
        for number in range(300):
            pipe.set(instance.key(f"session:{number}"), "s" * 50, ex=600)  # 1 minute to 1 hour
        for number in range(100):
            pipe.hset(instance.key(f"cart:{number}"), mapping={"sku": "1", "qty": "2"})
        for number in range(20):
            pipe.set(instance.key(f"flag:{number}"), "on", px=30_000)  # under a minute
        pipe.set(instance.key("big:report"), "r" * 200_000)
        pipe.execute()
    report = (await admin.get(f"{instance.base}/analysis")).json()
    assert (report["sampled"], report["whole"], report["partial"]) == (421, True, False)
    by_type = {share["name"]: share["keys"] for share in report["by_type"]}
    assert by_type == {"string": 321, "hash": 100}
    prefixes = {share["name"]: share["keys"] for share in report["prefixes"]}
    assert prefixes[instance.key("session:")] == 300
    assert prefixes[instance.key("cart:")] == 100
    assert report["prefixes"][0]["name"] == instance.key("big:"), "the top prefix by memory"
    assert report["biggest"][0]["key"] == instance.key("big:report")
    assert report["biggest"][0]["size"] > 200_000
    assert report["without_ttl"]["keys"] == 101
    assert report["without_ttl_biggest"][0]["key"] == instance.key("big:report")
    buckets = {share["name"]: share["keys"] for share in report["ttl_buckets"]}
    assert buckets == {
        "under a minute": 20,
        "1 minute to 1 hour": 300,
        "1 hour to 1 day": 0,
        "1 day to 1 week": 0,
        "over a week": 0,
        "no expiry": 101,
    }


async def test_a_sample_is_capped(
    admin: httpx.AsyncClient,
    instance: Instance,
    plain: redis.Redis,
    tune: Tune,
) -> None:
    with plain.pipeline(transaction=False) as pipe:
        for number in range(3000):
            pipe.set(instance.key(f"k:{number}"), 1)
        pipe.execute()
    tune(cache_sample_keys=500)
    report = (await admin.get(f"{instance.base}/analysis")).json()
    assert report["sampled"] == 500 and report["whole"] is False


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    with redis_cluster(tmp_path_factory.mktemp("cache-cluster")) as servers:
        yield servers


def _fill(servers: Servers, count: int) -> None:
    client = RedisCluster(host="127.0.0.1", port=servers.ports[0])
    try:
        for number in range(count):
            client.set(f"product:{number}", f"p{number}", ex=3600)
        client.hset("cart:{user-9}", mapping={"a": "1"})
    finally:
        client.close()


async def _pages(client: httpx.AsyncClient, base: str, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = (
            await client.get(
                f"{base}/keys", params={**params, **({"cursor": cursor} if cursor else {})}
            )
        ).json()
        items.extend(page["items"])
        cursor = page["cursor"]
        if cursor is None:
            return items


async def test_a_cluster_is_read_primary_by_primary(
    admin: httpx.AsyncClient, service: str, cluster: Servers
) -> None:
    _fill(cluster, 600)
    instance = await add_instance(
        admin, {"name": "c", "mode": "cluster", "nodes": cluster.nodes[:1], "read_only": False}
    )
    items = await _pages(admin, instance.base, pattern="product:*", limit=100)
    assert sorted(i["key"] for i in items) == sorted(f"product:{n}" for n in range(600))
    assert {i["node"] for i in items} == set(cluster.nodes), "keys of every primary"
    exact = (await admin.get(f"{instance.base}/keys", params={"pattern": "cart:{user-9}"})).json()
    assert [i["key"] for i in exact["items"]] == ["cart:{user-9}"]
    value = (await admin.get(f"{instance.base}/keys/{b64('cart:{user-9}')}/value")).json()
    assert value["type"] == "hash" and value["length"] == 1
    report = (await admin.get(f"{instance.base}/analysis")).json()
    assert report["keys_total"] == 601 and report["sampled"] == 601
    deleted = await admin.delete(f"{instance.base}/keys/{b64('product:1')}")
    assert deleted.status_code == 200


async def test_a_cluster_with_a_primary_down_answers_with_the_others_marked_partial(
    admin: httpx.AsyncClient, service: str, tmp_path: Path
) -> None:
    with redis_cluster(tmp_path / "broken") as broken:
        _fill(broken, 300)
        instance = await add_instance(
            admin, {"name": "c", "mode": "cluster", "nodes": broken.nodes}
        )
        down = broken.nodes[1]
        broken.stop(broken.ports[1])
        items: list[dict[str, Any]] = []
        failures: dict[str, str] = {}
        cursor = None
        while True:
            params = {"pattern": "product:*", **({"cursor": cursor} if cursor else {})}
            page = (await admin.get(f"{instance.base}/keys", params=params)).json()
            items.extend(page["items"])
            failures.update(page["failures"])
            cursor = page["cursor"]
            if cursor is None:
                break
        assert list(failures) == [down] and "refused" in failures[down]
        assert 0 < len(items) < 300 and down not in {i["node"] for i in items}
        report = (await admin.get(f"{instance.base}/analysis")).json()
        assert report["partial"] is True and list(report["failures"]) == [down]


async def test_a_sentinel_named_primary_is_read(
    admin: httpx.AsyncClient, service: str, tmp_path: Path
) -> None:
    with redis_sentinel(tmp_path / "sentinel") as (primary, sentinels):
        redis.Redis(port=primary.ports[0], db=2).set("greeting", "hello")
        instance = await add_instance(
            admin,
            {
                "name": "s",
                "mode": "sentinel",
                "nodes": sentinels.nodes,
                "sentinel_master": SENTINEL_MASTER,
                "db": 2,
            },
        )
        page = (await admin.get(f"{instance.base}/keys", params={"pattern": "greet*"})).json()
        assert [(i["key"], i["node"]) for i in page["items"]] == [("greeting", primary.nodes[0])]
        sentinels.stop(sentinels.ports[0])
        gone = await admin.get(f"{instance.base}/keys")
        assert gone.status_code == 502
