"""Jobs of the real RQ worker the jobs tests start. A test steers them through Redis
keys: ``broken`` makes ``charge`` fail, ``release`` lets ``hold`` finish, and every job
that succeeds records itself in the ``done`` list."""

from __future__ import annotations

from redis import Redis
from rq import get_current_job


def _redis() -> Redis:
    job = get_current_job()
    assert job is not None
    return job.connection


def charge(order: int) -> None:
    redis = _redis()
    if redis.get("broken") == b"1":
        raise ValueError(f"card declined for order {order}")
    redis.rpush("done", f"charge:{order}")


def hold(tag: str) -> None:
    redis = _redis()
    redis.blpop(["release"], timeout=60)
    redis.rpush("done", f"hold:{tag}")
