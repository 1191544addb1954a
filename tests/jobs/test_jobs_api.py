"""The jobs API end to end: a service's gocraft/work backend registered in the catalog,
read and acted on over HTTP, with permissions, audit and the ways it can fail."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
from redis.asyncio import Redis

from gyrfalcon.jobs.backends.registry import adapters
from tests.jobs import gocraft_format as go
from tests.jobs.conftest import NOW

T = int(NOW.timestamp())


async def _backend(client: httpx.AsyncClient, namespace: str, **fields: Any) -> str:
    await client.post("/api/v1/services", json={"name": "billing", "team": "commerce"})
    body = {"name": "workers", "type": "gocraft", "namespace": namespace, **fields}
    created = await client.post("/api/v1/services/billing/job-backends", json=body)
    assert created.status_code == 201, created.text
    return f"/api/v1/services/billing/jobs/{created.json()['id']}"


async def _seed(redis_client: Redis, namespace: str) -> None:
    for index in range(30):
        job = go.job_json("charge_card", f"job{index:02d}", T, {"order": index}, fails=3,
                          err=f"card declined {index}", failed_at=T - index)  # fmt: skip
        await go.add(redis_client, namespace, "dead", T - index, job)
    await go.add(
        redis_client,
        namespace,
        "retry",
        T + 30,
        go.job_json("charge_card", "r", T, {}, fails=1, err="x"),
    )


async def test_an_engineer_finds_a_dead_job_and_retries_it(
    admin_client: httpx.AsyncClient, redis_client: Redis, namespace: str
) -> None:
    await _seed(redis_client, namespace)
    base = await _backend(admin_client, namespace)

    overview = (await admin_client.get("/api/v1/services/billing/jobs")).json()
    found = (await admin_client.get(f"{base}/dead", params={"q": "declined 17"})).json()
    [job] = found["items"]
    detail = (await admin_client.get(f"{base}/dead/{job['ref']}")).json()
    retried = await admin_client.post(f"{base}/dead/{job['ref']}/retry")
    again = await admin_client.post(f"{base}/dead/{job['ref']}/retry")
    audit = (await admin_client.get("/api/v1/audit", params={"object_type": "job"})).json()

    [row] = overview["backends"]
    assert row["ok"] and row["counts"]["dead"] == 30 and row["counts"]["retry"] == 1
    assert row["capabilities"]["views"]["dead"]["provided"]
    assert job["id"] == "job17" and detail["args"] == {"order": 17}
    assert retried.status_code == 200, retried.text
    assert retried.json()["enqueued_to"] == "charge_card"
    assert again.status_code == 409 and again.headers["content-type"] == "application/problem+json"
    assert "not in dead any more" in again.json()["detail"]
    assert await redis_client.llen(f"{namespace}:jobs:charge_card") == 1
    [record] = audit["items"]
    assert record["action"] == "job.retry" and record["service"] == "billing"


async def test_bulk_delete_asks_for_the_count_first(
    admin_client: httpx.AsyncClient, redis_client: Redis, namespace: str
) -> None:
    await _seed(redis_client, namespace)
    base = await _backend(admin_client, namespace)

    counted = (await admin_client.get(f"{base}/dead/count", params={"q": "declined 1"})).json()
    too_few = await admin_client.post(
        f"{base}/dead/bulk", json={"action": "delete", "q": "declined 1", "expected": 3}
    )
    done = await admin_client.post(
        f"{base}/dead/bulk",
        json={"action": "delete", "q": "declined 1", "expected": counted["count"]},
    )

    assert counted == {"count": 11, "scanned": 30, "total": 30, "complete": True}
    assert too_few.status_code == 409 and "11 jobs match now" in too_few.json()["detail"]
    assert done.json()["done"] == 11
    assert await redis_client.zcard(f"{namespace}:dead") == 19


async def test_a_write_redis_refuses_loses_no_job_and_bulk_audits_what_it_did(
    admin_client: httpx.AsyncClient, redis_client: Redis, namespace: str
) -> None:
    await _seed(redis_client, namespace)
    broken = go.job_json("broken", "b1", T, {}, fails=1, err="declined", failed_at=T - 99)
    await go.add(redis_client, namespace, "dead", T - 99, broken)
    await redis_client.set(f"{namespace}:jobs:broken", "not a list")
    base = await _backend(admin_client, namespace)
    [row] = (await admin_client.get(f"{base}/dead", params={"id": "b1"})).json()["items"]

    single = await admin_client.post(f"{base}/dead/{row['ref']}/retry")
    bulk = await admin_client.post(
        f"{base}/dead/bulk", json={"action": "retry", "q": "declined", "expected": 31}
    )
    audit = (await admin_client.get("/api/v1/audit", params={"object_type": "job"})).json()

    assert single.status_code == 409, single.text
    assert "Redis refused the command" in single.json()["detail"]
    assert bulk.status_code == 200, bulk.text
    result = bulk.json()
    assert (result["done"], result["complete"]) == (30, False)
    assert "WRONGTYPE" in result["stopped"] and "stopped after 30 jobs" in result["stopped"]
    assert await redis_client.zrange(f"{namespace}:dead", 0, -1) == [broken]
    [record] = audit["items"]
    detail = (await admin_client.get(f"/api/v1/audit/{record['id']}")).json()
    assert record["action"] == "job.bulk_retry" and detail["after"]["done"] == 30


async def test_keys_of_another_kind_and_actions_a_place_lacks_are_clear(
    admin_client: httpx.AsyncClient, redis_client: Redis, namespace: str
) -> None:
    await redis_client.set(f"{namespace}:dead", "a string, not a sorted set")
    base = await _backend(admin_client, namespace)
    created = await admin_client.post(
        "/api/v1/services/billing/job-backends",
        json={"name": "rq", "type": "rq", "namespace": namespace},
    )
    rq = f"/api/v1/services/billing/jobs/{created.json()['id']}"

    wrong_type = await admin_client.get(f"{base}/dead")
    kill_scheduled = await admin_client.post(f"{rq}/scheduled/some-job/kill")
    retry_set = await admin_client.post(f"{rq}/retry/some-job/retry")

    assert wrong_type.status_code == 409, wrong_type.text
    assert wrong_type.json()["title"] == "Not the job system's keys"
    assert "are the type and namespace of this job backend right?" in wrong_type.json()["detail"]
    assert kill_scheduled.status_code == 404
    assert "cannot be given 'kill'" in kill_scheduled.json()["detail"]
    assert retry_set.status_code == 404


async def test_the_test_button_fails_a_backend_whose_keys_are_not_there(
    admin_client: httpx.AsyncClient, redis_client: Redis, namespace: str
) -> None:
    await _seed(redis_client, namespace)
    base = await _backend(admin_client, namespace)
    backend_id = base.rsplit("/", 1)[1]
    wrong = await admin_client.post(
        "/api/v1/services/billing/job-backends/test",
        json={"name": "wrong", "type": "gocraft", "namespace": f"{namespace}-typo"},
    )
    right = await admin_client.post(f"/api/v1/services/billing/job-backends/{backend_id}/test")

    assert right.json()["ok"], right.text
    assert "gocraft/work keys found" in right.json()["message"]
    assert not wrong.json()["ok"]
    assert "but no gocraft/work keys under" in wrong.json()["message"]
    assert "check the type, db and namespace" in wrong.json()["message"]


async def test_a_reader_sees_but_cannot_act(
    admin_client: httpx.AsyncClient,
    viewer_client: httpx.AsyncClient,
    redis_client: Redis,
    namespace: str,
) -> None:
    await _seed(redis_client, namespace)
    base = await _backend(admin_client, namespace)
    [job, *_rest] = (await viewer_client.get(f"{base}/dead")).json()["items"]

    refused = await viewer_client.post(f"{base}/dead/{job['ref']}/retry")
    deleted = await viewer_client.delete(f"{base}/dead/{job['ref']}")

    assert refused.status_code == 403 and "jobs write" in refused.json()["detail"]
    assert deleted.status_code == 403
    assert await redis_client.zcard(f"{namespace}:dead") == 30


async def test_bad_input_gets_clear_answers(
    admin_client: httpx.AsyncClient, namespace: str
) -> None:
    base = await _backend(admin_client, namespace)

    bad_ref = await admin_client.get(f"{base}/dead/not-a-ref")
    bad_set = await admin_client.get(f"{base}/finished")
    delete_by_post = await admin_client.post(f"{base}/dead/1.0~{'a' * 20}/delete")
    bad_type = await admin_client.post(
        "/api/v1/services/billing/job-backends", json={"name": "x", "type": "beanstalk"}
    )
    gone = await admin_client.get(f"{base}/dead/1.0~{'a' * 20}")
    odd_addresses = [
        await admin_client.post(
            "/api/v1/services/billing/job-backends", json={"name": "x", "type": "rq", **fields}
        )
        for fields in ({"host": "127.0.0.1\r\nX: y"}, {"url": "redis://127.0.0.1:6379/abc"})
    ]
    typo = await admin_client.post(
        f"{base}/dead/bulk", json={"action": "delete", "query": "declined", "expected": 3}
    )
    loose = await admin_client.post(
        f"{base}/dead/bulk", json={"action": "delete", "expected": True}
    )

    assert bad_ref.status_code == 422 and "not a job reference" in bad_ref.json()["detail"]
    assert bad_set.status_code == 422
    assert delete_by_post.status_code == 422
    assert bad_type.status_code == 422
    installed = ", ".join(adapters())
    assert f"no job system 'beanstalk' here; installed: {installed}" in bad_type.text
    assert gone.status_code == 409
    assert [answer.status_code for answer in odd_addresses] == [422, 422]
    assert "the database is a number" in odd_addresses[1].json()["detail"]
    assert typo.status_code == 422 and "query" in typo.json()["detail"]
    assert loose.status_code == 422 and "expected" in loose.json()["detail"]


@contextlib.asynccontextmanager
async def _silent_server() -> AsyncIterator[int]:
    """A server that accepts connections and never answers: a hung Redis."""

    async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()
        writer.close()

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()


async def test_a_redis_that_is_down_or_hangs_is_a_clear_state(
    admin_client: httpx.AsyncClient,
) -> None:
    async with _silent_server() as port:
        hung = await _backend(admin_client, "app", host="127.0.0.1", port=port)
        hung_page = await admin_client.get(f"{hung}/dead")
        overview = (await admin_client.get("/api/v1/services/billing/jobs")).json()
    down = await admin_client.post(
        "/api/v1/services/billing/job-backends",
        json={"name": "down", "type": "sidekiq", "host": "127.0.0.1", "port": 1},
    )
    down_page = await admin_client.get(f"/api/v1/services/billing/jobs/{down.json()['id']}/retry")

    assert hung_page.status_code == 502
    assert hung_page.json()["title"] == "Job backend not answering"
    assert hung_page.json()["detail"] == (
        f"billing/workers (Redis at 127.0.0.1:{port}): timed out after 1 s"
    )
    [row] = overview["backends"]
    assert not row["ok"] and "timed out" in row["message"]
    assert row["counts"]["dead"] is None
    assert down_page.status_code == 502
    assert "refused" in down_page.json()["detail"]
