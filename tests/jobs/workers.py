"""Real job-system workers the tests start as processes, and waiting on what they do."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager

import redis
from redis.asyncio import Redis

from gyrfalcon.jobs.backends.base import ActionOutcome, Backend, JobBackendAdapter, JobMoved, Place
from gyrfalcon.jobs.schemas import Action

WAIT_SECONDS = 60.0


def program(name: str) -> str:
    found = shutil.which(name)
    assert found, f"{name} is missing: `make test` installs what the job tests run"
    return found


def stop_process(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def emptied_database(db: int) -> Iterator[None]:
    """A Redis database of the machine's Redis emptied before a worker starts on it and
    after it stops, so no test sees another run's jobs."""
    plain = redis.Redis(host="127.0.0.1", port=6379, db=db)
    plain.flushdb()
    try:
        yield
    finally:
        plain.flushdb()
        plain.close()


async def wait_for(condition: Callable[[], Awaitable[bool]], what: str) -> None:
    """Until ``condition`` holds: a worker's pace is the machine's, so this waits on the
    state itself and gives up only after a minute."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_SECONDS
    while not await condition():
        if loop.time() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        await asyncio.sleep(0.1)


async def retried_at_once(
    adapter: JobBackendAdapter, backend: Backend, place: Place, ref: str, *, times: int = 20
) -> ActionOutcome:
    """Retry one job ``times`` at once, each over its own connection as separate people
    would; exactly one may succeed and every other must hear that the job moved."""
    kwargs = backend.client.connection_pool.connection_kwargs
    clients = [
        Redis(host=kwargs["host"], port=kwargs["port"], db=kwargs["db"]) for _ in range(times)
    ]
    try:
        outcomes = await asyncio.gather(
            *(
                adapter.act(
                    Backend(client, backend.namespace, backend.now), place, Action.RETRY, ref
                )
                for client in clients
            ),
            return_exceptions=True,
        )
    finally:
        await asyncio.gather(*(client.aclose() for client in clients))
    succeeded = [outcome for outcome in outcomes if isinstance(outcome, ActionOutcome)]
    refused = [outcome for outcome in outcomes if not isinstance(outcome, ActionOutcome)]
    assert len(succeeded) == 1, outcomes
    assert all(isinstance(outcome, JobMoved) for outcome in refused), refused
    return succeeded[0]
