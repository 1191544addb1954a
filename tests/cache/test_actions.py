"""Changing what a service caches: delete a key, set or remove its TTL, and bulk delete
by pattern (a dry run, then a job of SCAN + UNLINK batches: progress, the confirmed
maximum, cancel, resume). Each needs the cache's write permission for the service and
an instance that is not read-only, and each is audited. The bulk deletes run on every
platform database, since their jobs (leased, resumed) live there; the one-key actions
only write an audit record, the same on each, so they run on SQLite."""

from __future__ import annotations

import base64
from typing import Any

import httpx
import pytest
import redis
from fastapi import FastAPI

from gyrfalcon.cache.bulk import BulkDeleter
from tests.cache.conftest import DB, Instance, add_instance

ONE_DATABASE = pytest.mark.parametrize("platform_database", ["sqlite"], indirect=True)


def b64(key: str) -> str:
    return base64.urlsafe_b64encode(key.encode()).rstrip(b"=").decode()


async def _audit(admin: httpx.AsyncClient, action: str) -> list[dict[str, Any]]:
    """The records of ``action``, newest first, each with its before and after."""
    items = (await admin.get("/api/v1/audit", params={"action": action})).json()["items"]
    return [(await admin.get(f"/api/v1/audit/{item['id']}")).json() for item in items]


@ONE_DATABASE
async def test_a_writer_deletes_a_key_and_it_is_audited(
    admin: httpx.AsyncClient, writer: httpx.AsyncClient, instance: Instance, plain: redis.Redis
) -> None:
    plain.set(instance.key("session:1"), "stale", ex=600)
    response = await writer.delete(f"{instance.base}/keys/{b64(instance.key('session:1'))}")
    assert response.status_code == 200, response.text
    assert response.json()["type"] == "string"
    assert plain.exists(instance.key("session:1")) == 0
    (record,) = await _audit(admin, "cache.key_delete")
    assert record["service"] == "shop"
    assert record["object_name"] == f"cache: {instance.key('session:1')}"
    again = await writer.delete(f"{instance.base}/keys/{b64(instance.key('session:1'))}")
    assert again.status_code == 404


@ONE_DATABASE
async def test_a_reader_is_refused_every_change(
    viewer: httpx.AsyncClient, instance: Instance, plain: redis.Redis
) -> None:
    plain.set(instance.key("k"), "v")
    key = b64(instance.key("k"))
    assert (await viewer.get(f"{instance.base}/keys/{key}")).status_code == 200
    refused = [
        await viewer.delete(f"{instance.base}/keys/{key}"),
        await viewer.put(f"{instance.base}/keys/{key}/ttl", json={"seconds": 5}),
        await viewer.post(f"{instance.base}/bulk-deletes", json={"pattern": "*", "max_keys": 1}),
    ]
    assert [r.status_code for r in refused] == [403, 403, 403]
    assert plain.get(instance.key("k")) == b"v"


@ONE_DATABASE
async def test_a_read_only_instance_changes_nothing_even_for_an_admin(
    admin: httpx.AsyncClient, service: str, prefix: str, plain: redis.Redis
) -> None:
    guarded = await add_instance(
        admin, {"name": "guarded", "url": f"redis://127.0.0.1:6379/{DB}"}, prefix=prefix
    )
    plain.set(guarded.key("k"), "v")
    key = b64(guarded.key("k"))
    responses = [
        await admin.delete(f"{guarded.base}/keys/{key}"),
        await admin.put(f"{guarded.base}/keys/{key}/ttl", json={"seconds": 5}),
        await admin.post(f"{guarded.base}/bulk-deletes", json={"pattern": "*", "max_keys": 1}),
    ]
    assert [r.status_code for r in responses] == [409, 409, 409]
    assert "read-only" in responses[0].json()["detail"]
    assert plain.get(guarded.key("k")) == b"v"


@ONE_DATABASE
async def test_a_ttl_is_set_and_removed(
    admin: httpx.AsyncClient, writer: httpx.AsyncClient, instance: Instance, plain: redis.Redis
) -> None:
    plain.set(instance.key("price:7"), "12.50")
    url = f"{instance.base}/keys/{b64(instance.key('price:7'))}/ttl"
    set_ttl = await writer.put(url, json={"seconds": 3600})
    assert set_ttl.status_code == 200, set_ttl.text
    assert 3_590_000 < set_ttl.json()["ttl_ms"] <= 3_600_000
    assert 3590 < plain.ttl(instance.key("price:7")) <= 3600
    removed = await writer.put(url, json={"seconds": None})
    assert removed.json()["ttl_ms"] is None and plain.ttl(instance.key("price:7")) == -1
    (latest, first) = await _audit(admin, "cache.key_ttl")
    assert first["before"]["ttl_ms"] is None and latest["after"]["ttl_ms"] is None
    for bad in ({"seconds": 0}, {"seconds": -5}, {"seconds": "soon"}, {}):
        assert (await writer.put(url, json=bad)).status_code == 422, bad


async def test_a_bulk_delete_runs_after_its_dry_run_and_is_audited(
    app: FastAPI,
    admin: httpx.AsyncClient,
    writer: httpx.AsyncClient,
    instance: Instance,
    plain: redis.Redis,
) -> None:
    with plain.pipeline(transaction=False) as pipe:
        for number in range(1200):
            pipe.set(instance.key(f"stale:{number}"), 1)
        pipe.set(instance.key("keep:1"), 1)
        pipe.execute()
    dry = (await writer.get(f"{instance.base}/keys-count", params={"pattern": "stale:*"})).json()
    assert (dry["matched"], dry["complete"]) == (1200, True)
    assert len(dry["sample"]) == 20 and dry["sample"][0]["key"].startswith(instance.key("stale:"))
    started = await writer.post(
        f"{instance.base}/bulk-deletes", json={"pattern": "stale:*", "max_keys": 1200}
    )
    assert started.status_code == 202, started.text
    job = started.json()
    assert (job["state"], job["deleted"], job["pattern"]) == ("running", 0, instance.key("stale:*"))
    deleter = BulkDeleter(app.state.context)
    while (await deleter.run_round()) > 0:
        pass
    done = (await writer.get(f"{instance.base}/bulk-deletes/{job['id']}")).json()
    assert (done["state"], done["deleted"]) == ("done", 1200)
    assert done["finished_at"] is not None
    assert plain.keys(instance.key("stale:*")) == []
    assert plain.exists(instance.key("keep:1")) == 1
    (record,) = await _audit(admin, "cache.bulk_delete_start")
    assert record["after"]["max_keys"] == 1200
    listed = (await writer.get(f"{instance.base}/bulk-deletes")).json()
    assert [item["id"] for item in listed] == [job["id"]]


async def test_a_bulk_delete_stops_at_the_confirmed_maximum_and_resumes(
    app: FastAPI, writer: httpx.AsyncClient, instance: Instance, plain: redis.Redis
) -> None:
    with plain.pipeline(transaction=False) as pipe:
        for number in range(900):
            pipe.set(instance.key(f"old:{number}"), 1)
        pipe.execute()
    job = (
        await writer.post(
            f"{instance.base}/bulk-deletes", json={"pattern": "old:*", "max_keys": 300}
        )
    ).json()
    deleter = BulkDeleter(app.state.context)
    while (await deleter.run_round()) > 0:
        pass
    stopped = (await writer.get(f"{instance.base}/bulk-deletes/{job['id']}")).json()
    assert (stopped["state"], stopped["deleted"]) == ("partial", 300)
    assert "300 keys confirmed" in stopped["reason"]
    assert len(plain.keys(instance.key("old:*"))) == 600
    same = await writer.post(f"{instance.base}/bulk-deletes/{job['id']}/resume", json={})
    assert same.status_code == 409
    resumed = await writer.post(
        f"{instance.base}/bulk-deletes/{job['id']}/resume", json={"max_keys": 1000}
    )
    assert resumed.status_code == 200, resumed.text
    while (await deleter.run_round()) > 0:
        pass
    finished = (await writer.get(f"{instance.base}/bulk-deletes/{job['id']}")).json()
    assert (finished["state"], finished["deleted"]) == ("done", 900)
    assert plain.keys(instance.key("old:*")) == []


async def test_a_cancelled_bulk_delete_stops_and_can_go_on(
    app: FastAPI, writer: httpx.AsyncClient, instance: Instance, plain: redis.Redis
) -> None:
    with plain.pipeline(transaction=False) as pipe:
        for number in range(2000):
            pipe.set(instance.key(f"tmp:{number}"), 1)
        pipe.execute()
    job = (
        await writer.post(
            f"{instance.base}/bulk-deletes", json={"pattern": "tmp:*", "max_keys": 2000}
        )
    ).json()
    deleter = BulkDeleter(app.state.context)
    # One batch's worth of the round, then a cancel: the next batch sees it.
    await deleter.run_round(seconds=0)
    cancelled = await writer.post(f"{instance.base}/bulk-deletes/{job['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
    assert (await deleter.run_round()) == 0, "a cancelled job is not worked"
    left = len(plain.keys(instance.key("tmp:*")))
    assert 0 < left < 2000
    assert (
        await writer.post(f"{instance.base}/bulk-deletes/{job['id']}/cancel")
    ).status_code == 409
    await writer.post(f"{instance.base}/bulk-deletes/{job['id']}/resume", json={})
    while (await deleter.run_round()) > 0:
        pass
    assert plain.keys(instance.key("tmp:*")) == []
    final = (await writer.get(f"{instance.base}/bulk-deletes/{job['id']}")).json()
    assert (final["state"], final["deleted"]) == ("done", 2000)


async def test_a_bulk_delete_on_an_instance_gone_away_stops_as_partial(
    app: FastAPI,
    admin: httpx.AsyncClient,
    service: str,
    refused_port: int,
) -> None:
    down = await add_instance(
        admin,
        {"name": "down", "url": f"redis://127.0.0.1:{refused_port}/0", "read_only": False},
    )
    job = (
        await admin.post(f"{down.base}/bulk-deletes", json={"pattern": "*", "max_keys": 5})
    ).json()
    await BulkDeleter(app.state.context).run_round()
    stopped = (await admin.get(f"{down.base}/bulk-deletes/{job['id']}")).json()
    assert stopped["state"] == "partial"
    assert "refused" in stopped["reason"]


@ONE_DATABASE
@pytest.mark.parametrize("path", ["keys", "keys-count", "analysis", "bulk-deletes"])
async def test_another_services_instance_is_not_found(
    admin: httpx.AsyncClient, instance: Instance, path: str
) -> None:
    await admin.post("/api/v1/services", json={"name": "billing"})
    response = await admin.get(f"/api/v1/services/billing/redis/{instance.id}/{path}")
    assert response.status_code == 404
