"""The Celery adapter against a real Celery worker: tasks sent with Celery's own client,
workers and their tasks read through Celery's control protocol, failures from the
result backend retried under a new id and run again, and payloads Celery never wrote
shown with what is wrong with them."""

from __future__ import annotations

import base64
import json
import pickle
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any, TypeVar

import httpx
import pytest
import redis
from celery import Celery
from redis.asyncio import Redis

from gyrfalcon.jobs.backends.base import QUEUE, Backend, JobMoved, JobsError, Place
from gyrfalcon.jobs.backends.celery import CeleryAdapter
from gyrfalcon.jobs.backends.celery_failures import NOT_EXTENDED
from gyrfalcon.jobs.schemas import Action, EntryFilter, EntryPage, JobDetail, View
from tests.jobs import celery_worker
from tests.jobs.celery_app import tasks
from tests.jobs.celery_worker import CeleryWorker
from tests.jobs.workers import emptied_database, retried_at_once, wait_for

T = TypeVar("T")
ADAPTER = CeleryAdapter()
DEAD = Place("dead")
SCHEDULED = Place("scheduled")
EVERYTHING = EntryFilter()


@pytest.fixture(scope="module")
def worker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CeleryWorker]:
    db = celery_worker.database_for_this_worker()
    assert db == tasks.DB
    with emptied_database(db):
        started = celery_worker.start(db, tmp_path_factory.mktemp("celery") / "worker.log")
        yield started
        started.stop()


@pytest.fixture
def plain(worker: CeleryWorker) -> Iterator[redis.Redis]:
    client = redis.Redis(host="127.0.0.1", port=6379, db=worker.db)
    client.delete("broken", "done", "release")
    yield client
    client.close()


@pytest.fixture
async def backend(worker: CeleryWorker) -> AsyncIterator[Backend]:
    client = Redis(host="127.0.0.1", port=6379, db=worker.db)
    backend = Backend(client, "", now=lambda: datetime.now(UTC))

    async def answering() -> bool:
        return bool(await ADAPTER.worker_pools(backend))

    await wait_for(answering, "the Celery worker to answer")
    yield backend
    await client.aclose()


async def _until(read: Callable[[], Awaitable[T]], holds: Callable[[T], bool], what: str) -> T:
    """What ``read`` answers once ``holds``: a worker that is slow to answer one control
    round is asked again, so no assertion depends on the machine's pace."""
    seen: list[T] = []

    async def answered() -> bool:
        seen[:] = [await read()]
        return holds(seen[0])

    await wait_for(answered, what)
    return seen[0]


async def _held(backend: Backend, task_id: str) -> JobDetail | None:
    try:
        return await ADAPTER.job(backend, SCHEDULED, task_id)
    except JobMoved:  # its worker did not answer this round
        return None


def _items(page: EntryPage) -> bool:
    return bool(page.items)


async def _ran(backend: Backend, entry: bytes) -> bool:
    return entry in await backend.client.lrange("done", 0, -1)


async def _dead(backend: Backend, where: EntryFilter, count: int) -> list[Any]:
    async def found() -> bool:
        return (await ADAPTER.count(backend, DEAD, where)).count >= count

    await wait_for(found, f"{count} failures matching {where}")
    return (await ADAPTER.entries(backend, DEAD, position=0, limit=50, where=where)).items


async def _succeeded(backend: Backend, task_id: str) -> bool:
    stored = await backend.client.get(f"celery-task-meta-{task_id}")
    return stored is not None and json.loads(stored)["status"] == "SUCCESS"


async def test_a_busy_worker_shows_its_task_and_the_tasks_it_reserved(
    plain: redis.Redis, backend: Backend, worker: CeleryWorker
) -> None:
    held = tasks.hold.delay("order-9")
    waiting = [tasks.charge.delay(order) for order in (1, 2)]

    [pool] = await _until(
        lambda: ADAPTER.worker_pools(backend),
        lambda pools: any("2 reserved" in pool.labels for pool in pools),
        "the hold task to run and two more to wait behind it",
    )
    counts = await _until(
        lambda: ADAPTER.counts(backend), lambda counts: counts.busy == 1, "the counts"
    )
    plain.rpush("release", "go")

    assert (pool.id, pool.pid, pool.concurrency) == (worker.hostname, worker.process.pid, 1)
    assert pool.job_names == ["billing", "celery"] and not pool.stale and pool.heartbeat_at
    assert pool.started_at is not None and pool.started_at <= pool.heartbeat_at
    [running] = pool.busy
    assert (running.job, running.job_id, running.queue) == ("billing.hold", held.id, "celery")
    assert running.args_preview == '["order-9"]' and running.running_since is not None
    assert sorted(job.job_id or "" for job in pool.reserved) == sorted(r.id for r in waiting)
    assert {job.job for job in pool.reserved} == {"billing.charge"}
    assert (counts.worker_pools, counts.busy, counts.retry) == (1, 1, None)
    for result in waiting:
        await wait_for(partial(_succeeded, backend, result.id), "the reserved tasks to run")


async def test_a_failed_task_is_found_by_its_error_retried_under_a_new_id_and_succeeds(
    plain: redis.Redis, backend: Backend
) -> None:
    plain.set("broken", "1")
    first, second = tasks.charge.delay(141), tasks.charge.delay(142, note="gift")
    await _dead(backend, EntryFilter(q="ORDER 14"), 2)

    [job] = (
        await ADAPTER.entries(backend, DEAD, position=0, limit=5, where=EntryFilter(q="ORDER 142"))
    ).items
    detail = await ADAPTER.job(backend, DEAD, job.ref)
    assert (job.id, job.name, job.queue, job.error_class) == (
        second.id,
        "billing.charge",
        "celery",
        "ValueError",
    )
    assert job.error_message == "card declined for order 142" and job.failed_at is not None
    assert job.args_preview == '[142] {"note":"gift"}' and job.fails == 1 and not job.problem
    assert detail.args == {"args": [142], "kwargs": {"note": "gift"}}
    assert detail.backtrace and "tasks.py" in "\n".join(detail.backtrace)
    newest = (await ADAPTER.entries(backend, DEAD, position=0, limit=2, where=EVERYTHING)).items
    assert newest[0].at and newest[1].at and newest[0].at >= newest[1].at

    plain.delete("broken")
    outcome = await ADAPTER.act(backend, DEAD, Action.RETRY, job.ref)

    assert outcome.enqueued_to == "celery" and outcome.new_job_id not in (None, second.id)
    assert outcome.new_job_id is not None
    await wait_for(partial(_succeeded, backend, outcome.new_job_id), "the retried task")
    assert await _ran(backend, b"charge:142")
    assert [
        left.id
        for left in (
            await ADAPTER.entries(
                backend, DEAD, position=0, limit=5, where=EntryFilter(q="ORDER 14")
            )
        ).items
    ] == [first.id]
    with pytest.raises(JobMoved):
        await ADAPTER.act(backend, DEAD, Action.RETRY, job.ref)


async def test_eta_tasks_and_celerys_own_retries_wait_in_scheduled(
    plain: redis.Redis, backend: Backend
) -> None:
    later = tasks.charge.apply_async((7,), countdown=3600)
    retrying = tasks.flaky.delay(8)

    def scheduled(where: EntryFilter) -> Callable[[], Awaitable[EntryPage]]:
        return lambda: ADAPTER.entries(backend, SCHEDULED, position=0, limit=200, where=where)

    everything = await _until(
        scheduled(EVERYTHING),
        lambda page: {later.id, retrying.id} <= {job.id for job in page.items},
        "the ETA task and the retry to wait in the worker",
    )
    [job] = (await _until(scheduled(EntryFilter(id=later.id)), _items, "the ETA task")).items
    [retry] = (
        await _until(scheduled(EntryFilter(name="billing.flaky")), _items, "the retry")
    ).items
    detail = await _until(lambda: _held(backend, later.id), bool, "the ETA task's detail")
    counts = await _until(lambda: ADAPTER.counts(backend), lambda c: bool(c.scheduled), "counts")

    soon = datetime.now(UTC) + timedelta(minutes=50)
    assert job.name == "billing.charge" and job.args_preview == "[7]" and job.queue == "celery"
    assert job.at is not None and job.at > soon and retry.at is not None and retry.at > soon
    assert detail is not None and detail.args == {"args": [7], "kwargs": {}}
    assert detail.extra["worker"]
    assert counts.scheduled == everything.total == len(everything.items)
    assert not ADAPTER.views[View.RETRY].provided
    with pytest.raises(JobMoved):
        await ADAPTER.job(backend, SCHEDULED, "no-such-task")


async def test_a_queue_is_sized_over_its_priority_lists_paged_and_deleted_from(
    backend: Backend,
) -> None:
    sent = [tasks.charge.apply_async((order,), queue="idle") for order in range(30)]
    urgent_later = tasks.charge.apply_async((99,), queue="idle", priority=5)
    place = Place(QUEUE, "idle")

    [idle] = [queue for queue in await ADAPTER.queues(backend) if queue.name == "idle"]
    first = await ADAPTER.entries(backend, place, position=0, limit=10, where=EVERYTHING)
    last = await ADAPTER.entries(backend, place, position=25, limit=10, where=EVERYTHING)
    by_name = await ADAPTER.count(backend, place, EntryFilter(name="billing.charge"))
    [by_id] = (
        await ADAPTER.entries(
            backend, place, position=0, limit=10, where=EntryFilter(id=sent[17].id)
        )
    ).items
    [by_args] = (
        await ADAPTER.entries(backend, place, position=0, limit=10, where=EntryFilter(q="(23,)"))
    ).items

    assert (idle.size, idle.latency_seconds, idle.paused) == (31, None, None)
    assert [job.id for job in first.items] == [result.id for result in sent[:10]]
    assert first.next_position == 10 and first.total == 31
    assert [job.id for job in last.items] == [
        *(result.id for result in sent[25:]),
        urgent_later.id,
    ]
    assert last.next_position is None and by_name.count == 31
    assert by_id.args_preview == "[17]" and by_args.id == sent[23].id
    detail = await ADAPTER.job(backend, place, first.items[3].ref)
    assert detail.args == {"args": [3], "kwargs": {}} and detail.extra["headers"]["root_id"]

    await ADAPTER.act(backend, place, Action.DELETE, first.items[3].ref)

    with pytest.raises(JobMoved):
        await ADAPTER.act(backend, place, Action.DELETE, first.items[3].ref)
    again = await ADAPTER.entries(backend, place, position=0, limit=50, where=EVERYTHING)
    assert again.total == 30 and sent[3].id not in {job.id for job in again.items}


async def _api_backend(client: httpx.AsyncClient, db: int, namespace: str = "") -> str:
    await client.post("/api/v1/services", json={"name": "billing", "team": "commerce"})
    created = await client.post(
        "/api/v1/services/billing/job-backends",
        json={
            "name": f"celery{namespace}",
            "type": "celery",
            "namespace": namespace,
            "host": "127.0.0.1",
            "port": 6379,
            "db": db,
        },
    )
    assert created.status_code == 201, created.text
    return f"/api/v1/services/billing/jobs/{created.json()['id']}"


async def test_one_failure_retried_twice_or_at_once_is_sent_once(
    plain: redis.Redis, backend: Backend, worker: CeleryWorker, admin_client: httpx.AsyncClient
) -> None:
    plain.set("broken", "1")
    tasks.charge.delay(251)
    other_task = tasks.charge.delay(252)
    await _dead(backend, EntryFilter(q="order 25"), 2)
    plain.delete("broken")
    base = await _api_backend(admin_client, worker.db)

    [row] = (await admin_client.get(f"{base}/dead", params={"q": "order 251"})).json()["items"]
    retried = await admin_client.post(f"{base}/dead/{row['ref']}/retry")
    again = await admin_client.post(f"{base}/dead/{row['ref']}/retry")

    assert retried.status_code == 200, retried.text
    new_id = retried.json()["new_job_id"]
    assert new_id and new_id != row["id"] and retried.json()["job_id"] == row["id"]
    assert again.status_code == 409 and again.headers["content-type"] == "application/problem+json"
    assert "not in dead any more" in again.json()["detail"]
    await wait_for(partial(_succeeded, backend, new_id), "the task retried through the API")

    # The other failure as if it came from a queue nobody works now: its one copy waits there.
    key = f"celery-task-meta-{other_task.id}"
    plain.set(key, json.dumps({**json.loads(plain.get(key) or b"{}"), "queue": "idle-retry"}))
    [other] = await _dead(backend, EntryFilter(q="order 252"), 1)
    outcome = await retried_at_once(ADAPTER, backend, DEAD, other.ref)

    assert outcome.new_job_id and outcome.enqueued_to == "idle-retry"
    [copy] = plain.lrange("idle-retry", 0, -1)
    assert json.loads(copy)["headers"]["task"] == "billing.charge" and not plain.exists(key)


async def test_a_failure_without_result_extended_shows_its_error_and_says_why_it_cannot_retry(
    worker: CeleryWorker, backend: Backend, admin_client: httpx.AsyncClient
) -> None:
    plain_app = Celery(
        "plain",
        backend=tasks.URL,
        broker=tasks.URL,
        result_backend_transport_options={"global_keyprefix": "gyrtest-plain"},
    )
    plain_app.conf.result_extended = False
    for order in (1, 2):
        plain_app.backend.store_result(
            f"plain-{order}",
            ValueError(f"refund refused {order}"),
            "FAILURE",
            traceback="Traceback (most recent call last):\nValueError: refund refused",
        )
    plain_backend = Backend(backend.client, "gyrtest-plain", now=backend.now)

    [job, _other] = (
        await ADAPTER.entries(plain_backend, DEAD, position=0, limit=5, where=EVERYTHING)
    ).items
    found, looked_at = await ADAPTER.probe(plain_backend)
    bulk = await ADAPTER.bulk(plain_backend, DEAD, Action.RETRY, EVERYTHING, 2)
    base = await _api_backend(admin_client, worker.db, "gyrtest-plain")
    refused = await admin_client.post(f"{base}/dead/{job.ref}/retry")

    assert job.name == "?" and job.problem == NOT_EXTENDED and job.error_class == "ValueError"
    assert job.error_message in ("refund refused 1", "refund refused 2")
    with pytest.raises(JobsError, match="result_extended"):
        await ADAPTER.act(plain_backend, DEAD, Action.RETRY, job.ref)
    assert found and "2 of the 2 failures sampled lack" in looked_at
    assert "result_extended" in ADAPTER.views[View.DEAD].why
    assert (bulk.done, bulk.skipped) == (0, 2)
    assert refused.status_code == 409 and "result_extended" in refused.json()["detail"]
    deleted = await ADAPTER.bulk(plain_backend, DEAD, Action.DELETE, EVERYTHING, 2)
    assert deleted.done == 2 and not await backend.client.exists(
        "gyrtest-plain_celery-task-meta-plain-1"
    )


def _envelope(body: str, content_type: str, **extra: Any) -> bytes:
    return json.dumps(
        {
            "body": body,
            "content-encoding": "binary" if content_type.endswith("serialize") else "utf-8",
            "content-type": content_type,
            "headers": {"task": "billing.charge", "id": f"odd-{content_type}", "argsrepr": "(1,)"},
            "properties": {"body_encoding": "base64", "delivery_info": {"routing_key": "odd"}},
            **extra,
        }
    ).encode()


async def test_messages_celery_would_not_write_or_the_console_will_not_read_show_a_problem(
    worker: CeleryWorker, backend: Backend, admin_client: httpx.AsyncClient
) -> None:
    pickled = base64.b64encode(pickle.dumps(((1,), {}, {}))).decode()
    stored = [
        _envelope(pickled, "application/x-python-serialize"),
        _envelope("not base64 !!", "application/json"),
        _envelope(base64.b64encode(b'{"a": 1}').decode(), "application/json"),
        b"not json at all \xff",
        b"[1, 2]",
    ]
    for raw in stored:
        await backend.client.lpush("odd", raw)
    await backend.client.set("celery-task-meta-odd", pickle.dumps({"status": "FAILURE"}))
    await backend.client.rpush("celery-task-meta-a-list", "not a result")
    huge = {"status": "FAILURE", "result": {"exc_type": "MemoryError", "exc_message": []},
            "traceback": "Traceback ...", "date_done": "2026-01-01T00:00:00+00:00",
            "name": "billing.import", "args": ["x" * 2_000_000], "kwargs": {},
            "task_id": "huge"}  # fmt: skip
    await backend.client.set("celery-task-meta-huge", json.dumps(huge))
    base = await _api_backend(admin_client, worker.db)

    page = await admin_client.get(f"{base}/queues/odd/jobs")
    details = [
        await admin_client.get(f"{base}/queues/odd/jobs/{item['ref']}")
        for item in page.json()["items"]
    ]
    dead = await admin_client.get(f"{base}/dead", params={"limit": 200})
    [big] = [item for item in dead.json()["items"] if item["id"] == "huge"]
    big_detail = await admin_client.get(f"{base}/dead/{big['ref']}")
    await backend.client.delete(
        "odd", "celery-task-meta-odd", "celery-task-meta-a-list", "celery-task-meta-huge"
    )

    assert page.status_code == 200, page.text
    problems = [item["problem"] for item in page.json()["items"]]
    assert "pickle serializer" in problems[0] and "not Base64" in problems[1]
    assert "not Celery's [args, kwargs, embed]" in problems[2]
    assert "not UTF-8" in problems[3] and "not an object" in problems[4]
    assert page.json()["items"][0]["name"] == "billing.charge"
    assert page.json()["items"][0]["args_preview"] == "(1,)"
    assert all(detail.status_code == 200 for detail in details), [d.text for d in details]
    assert dead.status_code == 200, dead.text
    [odd] = [item for item in dead.json()["items"] if item["id"] == "odd"]
    assert "not JSON" in odd["problem"]
    assert big["name"] == "billing.import" and len(big["args_preview"]) <= 300
    assert big_detail.status_code == 200 and big_detail.json()["args_cut"]
