"""Jobs module: a Sidekiq dead set of 100,000 jobs through the API of a real
`gyrfalcon serve` (targets: first page p95 < 100 ms; a filter by error substring over
the whole set < 1 s), against the naive way, measured in the same run on the same
Redis: read the whole set, parse every job, filter and slice in Python.

The filter is the worst case: 10 jobs of the 100,000 match, so a page of 25 has to
look at every job. Payloads are shaped like Sidekiq 6's: class, args, jid, queue,
timestamps, error class and message, a zlib + Base64 backtrace (about 1 KB each).
"""

from __future__ import annotations

import base64
import json
import random
import statistics
import tempfile
import time
import uuid
import zlib
from pathlib import Path

import httpx
import redis

from bench.harness import admin_token, running_server

JOBS = 100_000
MATCHES = 10
DB = 5
PAGE = 25
FIRST_PAGE_RUNS = 100
FILTER_RUNS = 10
NEEDLE = "gateway refused settlement"
ERRORS = ("card declined", "timeout talking to ledger", "invoice already paid", "no such customer")


def _job(index: int, now: float) -> bytes:
    trace = [f"/app/jobs/settle_job.rb:{line}:in `perform'" for line in range(12)]
    error = NEEDLE if index % (JOBS // MATCHES) == 7 else random.choice(ERRORS)
    job = {
        "retry": 3,
        "queue": "billing",
        "class": random.choice(("SettleInvoice", "ChargeCard", "SendReceipt")),
        "args": [index, {"customer": f"cus_{index:07d}", "amount_cents": index % 9000}],
        "jid": uuid.uuid4().hex[:24],
        "created_at": now - 7200,
        "enqueued_at": now - 3600,
        "error_message": f"{error} (order {index})",
        "error_class": "Billing::Error",
        "failed_at": now - 3600,
        "retry_count": 3,
        "retried_at": now - index,
        "error_backtrace": base64.b64encode(zlib.compress(json.dumps(trace).encode())).decode(),
    }
    return json.dumps(job).encode()


def _seed(client: redis.Redis) -> None:
    client.flushdb()
    now = time.time()
    pipe = client.pipeline(transaction=False)
    for index in range(JOBS):
        pipe.zadd("dead", {_job(index, now): now - index})
        if index % 5000 == 4999:
            pipe.execute()
    pipe.execute()


def _naive(client: redis.Redis, needle: str | None) -> list[dict[str, object]]:
    """Read everything, then filter: what a console without server-side paging does."""
    jobs = [json.loads(raw) for raw, _score in client.zrevrange("dead", 0, -1, withscores=True)]
    if needle:
        jobs = [job for job in jobs if needle in json.dumps(job).lower()]
    return jobs[:PAGE]


def _timed(action: object, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()  # type: ignore[operator]
        times.append((time.perf_counter() - started) * 1000)
    return times


def _p95(times: list[float]) -> float:
    return (
        round(statistics.quantiles(times, n=20)[-1], 1)
        if len(times) >= 20
        else round(max(times), 1)
    )


def main() -> None:
    client = redis.Redis(host="127.0.0.1", port=6379, db=DB)
    _seed(client)
    with tempfile.TemporaryDirectory() as data, running_server(Path(data)) as server:
        headers = {"Authorization": f"Bearer {admin_token(server.base_url)}"}
        with httpx.Client(base_url=server.base_url, headers=headers, timeout=60) as api:
            api.post("/api/v1/services", json={"name": "billing"}).raise_for_status()
            created = api.post(
                "/api/v1/services/billing/job-backends",
                json={"name": "sidekiq", "type": "sidekiq", "db": DB},
            )
            created.raise_for_status()
            dead = f"/api/v1/services/billing/jobs/{created.json()['id']}/dead"

            def first_page() -> None:
                api.get(dead, params={"limit": PAGE}).raise_for_status()

            def filtered() -> None:
                page = api.get(dead, params={"limit": PAGE, "q": NEEDLE}).json()
                assert len(page["items"]) == MATCHES and page["next_position"] is None, page

            first_page()
            page_ms = _timed(first_page, FIRST_PAGE_RUNS)
            filter_ms = _timed(filtered, FILTER_RUNS)
    naive_page_ms = _timed(lambda: _naive(client, None), 5)
    naive_filter_ms = _timed(lambda: _naive(client, NEEDLE), 5)
    client.flushdb()
    result = {
        "bench": "jobs_dead_set",
        "jobs": JOBS,
        "first_page_p95_ms": _p95(page_ms),
        "first_page_p50_ms": round(statistics.median(page_ms), 1),
        "filter_whole_set_p95_ms": _p95(filter_ms),
        "filter_whole_set_p50_ms": round(statistics.median(filter_ms), 1),
        "naive_first_page_p50_ms": round(statistics.median(naive_page_ms), 1),
        "naive_filter_p50_ms": round(statistics.median(naive_filter_ms), 1),
        "first_page_speedup": round(
            statistics.median(naive_page_ms) / statistics.median(page_ms), 1
        ),
        "filter_speedup": round(
            statistics.median(naive_filter_ms) / statistics.median(filter_ms), 2
        ),
        "targets": {"first_page_p95_ms": 100, "filter_whole_set_ms": 1000},
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
