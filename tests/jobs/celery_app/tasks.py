"""Tasks of the real Celery worker the jobs tests start, on the Redis database of the
pytest worker (``GYRFALCON_CELERY_DB`` in the worker's process), broker and result
backend both, with ``result_extended`` on
so failures keep their name and arguments. A test steers them through Redis keys:
``broken`` makes ``charge`` fail, ``release`` lets ``hold`` finish, and every task that
succeeds records itself in the ``done`` list."""

from __future__ import annotations

import os

import redis
from celery import Celery

from tests.jobs.celery_worker import database_for_this_worker

DB = int(os.environ.get("GYRFALCON_CELERY_DB") or database_for_this_worker())
URL = f"redis://127.0.0.1:6379/{DB}"

app = Celery("gyrtest", broker=URL, backend=URL)
app.conf.update(
    result_extended=True,
    task_default_queue="celery",
    worker_prefetch_multiplier=4,
    broker_connection_retry_on_startup=True,
    worker_hijack_root_logger=False,
)


def _redis() -> redis.Redis:
    return redis.Redis.from_url(URL)


@app.task(name="billing.charge")
def charge(order: int, note: str = "") -> str:
    client = _redis()
    if client.get("broken") == b"1":
        raise ValueError(f"card declined for order {order}")
    client.rpush("done", f"charge:{order}")
    return f"charged {order}"


@app.task(name="billing.hold")
def hold(tag: str) -> str:
    client = _redis()
    client.blpop(["release"], timeout=60)
    client.rpush("done", f"hold:{tag}")
    return tag


@app.task(name="billing.flaky", bind=True, max_retries=3)
def flaky(self, order: int) -> str:  # type: ignore[no-untyped-def]
    """Fails into a retry an hour away: the retry waits in the worker as an ETA task."""
    raise self.retry(countdown=3600, exc=RuntimeError(f"gateway timeout for {order}"))
