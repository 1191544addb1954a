"""Payloads no job system should write, but a bug or another writer may: each shows as
a readable row or a clear refusal, never an error page.

Written by hand in Sidekiq's dead-set format (a sorted set of job JSON scored by the
time it died, sidekiq/api.rb ``DeadSet``), the set every page of these tests reads.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from redis.asyncio import Redis

from gyrfalcon.jobs.backends.base import BadReference, JobsError, Place
from gyrfalcon.jobs.backends.sidekiq import SidekiqAdapter
from gyrfalcon.jobs.schemas import Action, EntryFilter
from gyrfalcon.jobs.store import payloads, windows
from gyrfalcon.jobs.store.times import any_time
from tests.jobs.conftest import NOW, backend_of

ADAPTER = SidekiqAdapter()
DEAD = Place("dead")
T = NOW.timestamp()


def _dead(**fields: Any) -> bytes:
    job = {"class": "ChargeCard", "args": [1], "jid": "j1", "queue": "default",
           "error_class": "RuntimeError", "error_message": "declined", "failed_at": T,
           **fields}  # fmt: skip
    return json.dumps(job).encode()


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (b'{"class": "A", "args": [' + b"9" * 5000 + b"]}", "cannot be read"),
        (b"[" * 100_000 + b"]" * 100_000, "nests deeper"),
        (b'{"class": \xff}', "not UTF-8"),
        (b'"just text"', "not an object"),
    ],
)
def test_unreadable_json_says_why(raw: bytes, problem: str) -> None:
    parsed = payloads.parse(raw)

    assert parsed.fields == {} and parsed.problem is not None and problem in parsed.problem


def test_a_lone_surrogate_becomes_a_replacement_character() -> None:
    parsed = payloads.parse(b'{"error_message": "bad \\ud800 half", "pair": "\\ud83d\\ude00"}')

    assert parsed.problem is None
    assert parsed.fields == {"error_message": "bad \ufffd half", "pair": "\U0001f600"}
    json.dumps(parsed.fields, ensure_ascii=False).encode()


@pytest.mark.parametrize(
    "value",
    [
        10**400,
        "1e400",
        "²",
        float("nan"),
        "Mon Feb 31 2026 10:00:00 GMT+0000",
        "Mon Feb 01 2026 10:00:00 GMT+9900",
        "Mon Jan 01 0001 00:10:00 GMT+0100",
        "9999-12-31T23:59:59-05:00",
    ],
)
def test_impossible_times_are_unknown(value: object) -> None:
    assert any_time(value) is None
    assert payloads.from_milliseconds(value) is None


def test_counts_that_are_not_counts_are_unknown() -> None:
    assert payloads.integer("²") is None
    assert payloads.integer("9" * 40) is None
    assert payloads.integer(10**30) is None
    assert payloads.integer("-12") == -12


async def test_odd_payloads_show_as_rows(redis_client: Redis, namespace: str) -> None:
    key = f"{namespace}:dead"
    odd = {
        "huge": _dead(jid="huge", args=[10**400], failed_at=10**400, retry_count=10**30),
        "surrogate": _dead(jid="surrogate", error_message="half \ud800 a pair"),
        "deep": b'{"class": "Deep", "jid": "deep", "args": ' + b"[" * 5000 + b"]" * 5000 + b"}",
        "bad js date": _dead(jid="date", failed_at="Mon Feb 31 2026 10:00:00 GMT+0000"),
    }
    for index, raw in enumerate(odd.values()):
        await redis_client.zadd(key, {raw: T - index})
    backend = backend_of(redis_client, namespace)

    page = await ADAPTER.entries(backend, DEAD, position=0, limit=10, where=EntryFilter())
    details = [await ADAPTER.job(backend, DEAD, item.ref) for item in page.items]

    assert [item.id for item in page.items] == ["huge", "surrogate", None, "date"]
    huge, surrogate, deep, date = page.items
    assert huge.failed_at is None and huge.fails is None
    assert surrogate.error_message == "half \ufffd a pair"
    assert deep.problem == "the payload nests deeper than can be read"
    assert date.failed_at is None
    for detail in details:
        detail.model_dump_json()


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        (_dead(queue={"not": "a name"}), "queue is not a name"),
        (_dead(args=[float("inf")]), "cannot be written back as JSON"),
        (_dead(args=["half \ud800 a pair"]), "holds text that is not Unicode"),
    ],
)
async def test_a_job_that_cannot_be_run_again_as_stored_is_refused(
    redis_client: Redis, namespace: str, raw: bytes, why: str
) -> None:
    await redis_client.zadd(f"{namespace}:dead", {raw: T})
    backend = backend_of(redis_client, namespace)
    [item] = (await ADAPTER.entries(backend, DEAD, position=0, limit=1, where=EntryFilter())).items

    with pytest.raises(JobsError, match=why):
        await ADAPTER.act(backend, DEAD, Action.RETRY, item.ref)
    assert await redis_client.zrange(f"{namespace}:dead", 0, -1) == [raw]
    assert await redis_client.llen(f"{namespace}:queue:default") == 0


@pytest.mark.parametrize(
    ("ref", "scored"),
    [
        ("nan~" + "a" * 20, True),
        ("1_0~" + "a" * 20, True),
        ("١٢~" + "a" * 20, True),
        ("12~" + "A" * 20, True),
        ("12~" + "a" * 20 + "~x", True),
        ("٣~" + "a" * 20, False),
        (f"{2**63}~" + "a" * 20, False),
    ],
)
async def test_references_no_page_gave_are_bad(
    redis_client: Redis, namespace: str, ref: str, scored: bool
) -> None:
    source = windows.Source(f"{namespace}:dead", "zr" if scored else "l")

    with pytest.raises(BadReference):
        await windows.locate(redis_client, source, ref)


async def test_a_job_scored_infinite_or_among_thousands_of_one_score_is_found(
    redis_client: Redis, namespace: str
) -> None:
    """gocraft/work scores in whole seconds: a burst of failures shares one score."""
    key = f"{namespace}:dead"
    await redis_client.zadd(key, {_dead(jid=f"same{index:05d}"): T for index in range(12_000)})
    await redis_client.zadd(key, {_dead(jid="forever"): float("inf")})
    backend = backend_of(redis_client, namespace)

    first = await ADAPTER.entries(backend, DEAD, position=0, limit=2, where=EntryFilter())
    forever, newest = first.items
    opened = await ADAPTER.job(backend, DEAD, newest.ref)
    legacy_ref = newest.ref.rsplit("~", 1)[0]

    assert forever.id == "forever" and (await ADAPTER.job(backend, DEAD, forever.ref)).id
    assert opened.id == newest.id
    by_score = await windows.locate(redis_client, windows.Source(key, "zr"), legacy_ref)
    assert by_score is not None and by_score.raw == _dead(jid=newest.id)


async def test_search_ignores_case_beyond_ascii(redis_client: Redis, namespace: str) -> None:
    await redis_client.zadd(
        f"{namespace}:dead",
        {
            _dead(jid="fr", error_message="ÉCHEC du paiement"): T,
            _dead(jid="de", error_message="Größe überschritten"): T - 1,
            _dead(jid="escaped", error_message="échec"): T - 2,
        },
    )
    backend = backend_of(redis_client, namespace)

    async def ids(q: str) -> list[str | None]:
        page = await ADAPTER.entries(backend, DEAD, position=0, limit=10, where=EntryFilter(q=q))
        return [item.id for item in page.items]

    assert await ids("échec") == ["fr", "escaped"]
    assert await ids("ÜBERSCHRITTEN") == ["de"]


async def test_a_key_of_the_wrong_kind_among_many_reads_as_gone(
    redis_client: Redis, namespace: str
) -> None:
    prefix = f"{namespace}:"
    await redis_client.sadd(prefix + "processes", "web-1:1:abc", "evil")
    await redis_client.hset(
        prefix + "web-1:1:abc",
        mapping={"info": json.dumps({"hostname": "web-1", "pid": 1}), "busy": 0, "beat": T},
    )
    await redis_client.set(prefix + "evil", "a string, not a hash")
    await redis_client.sadd(prefix + "queues", "default", "hashed")
    await redis_client.lpush(prefix + "queue:default", _dead(jid="q1"))
    await redis_client.hset(prefix + "queue:hashed", "a", "b")
    backend = backend_of(redis_client, namespace)

    pools = await ADAPTER.worker_pools(backend)
    queues = {queue.name: queue.size for queue in await ADAPTER.queues(backend)}

    assert "web-1:1:abc" in [pool.id for pool in pools]
    assert queues == {"default": 1, "hashed": 0}


async def test_names_of_megabytes_are_cut(redis_client: Redis, namespace: str) -> None:
    await redis_client.zadd(f"{namespace}:dead", {_dead(**{"class": "C" * 2_000_000}): T})
    backend = backend_of(redis_client, namespace)

    [item] = (await ADAPTER.entries(backend, DEAD, position=0, limit=1, where=EntryFilter())).items

    assert len(item.name) == 500
