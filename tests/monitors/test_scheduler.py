"""The scheduler: exactly one run per due slot across processes, no burst after downtime,
edits applied at once, and a slow database that cannot hold up other monitors.

Two schedulers with their own database engines and runners stand for two worker
processes sharing the platform database; they race for the same rows.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select, update

from gyrfalcon.core.crypto import SecretBox
from gyrfalcon.core.db import Database
from gyrfalcon.core.orm import utcnow
from gyrfalcon.core.plugins import AppContext
from gyrfalcon.core.settings import Settings
from gyrfalcon.monitors.models import MonitorResult, MonitorSchedule
from gyrfalcon.monitors.retention import purge_results
from gyrfalcon.monitors.scheduler import Scheduler
from tests.monitors.bodies import MONITORS, unpaid_monitor


@pytest.fixture
async def workers(migrated: Settings) -> AsyncIterator[list[Scheduler]]:
    contexts = []
    for _ in range(2):
        settings = migrated.model_copy(update={"monitor_concurrency": 8})
        contexts.append(
            AppContext(
                settings=settings,
                database=Database(settings.resolved_database_url),
                secrets=SecretBox(settings.resolved_secret_key()),
            )
        )
    yield [Scheduler(context) for context in contexts]
    for context in contexts:
        await context.database.dispose()


async def _results(app: FastAPI) -> dict[int, int]:
    database: Database = app.state.database
    async with database.sessionmaker() as session:
        rows = await session.execute(
            select(MonitorResult.monitor_id, func.count()).group_by(MonitorResult.monitor_id)
        )
        return {monitor_id: count for monitor_id, count in rows}


async def _make_all_due(app: FastAPI, *, ago: timedelta) -> None:
    database: Database = app.state.database
    async with database.sessionmaker() as session:
        await session.execute(update(MonitorSchedule).values(next_run_at=utcnow() - ago))
        await session.commit()


async def _race(workers: list[Scheduler]) -> None:
    """Both workers poll until nothing is due, as their loops would."""
    while True:
        started = await asyncio.gather(*(worker.start_due() for worker in workers))
        await asyncio.gather(*(worker.wait_idle() for worker in workers))
        if not any(started):
            return


async def test_each_due_slot_runs_exactly_once_across_workers(
    app: FastAPI, admin: httpx.AsyncClient, shop: str, workers: list[Scheduler]
) -> None:
    ids = []
    for index in range(24):
        # A yearly schedule: no slot of its own falls inside the test, only the forced ones.
        yearly = unpaid_monitor(name=f"m{index}", schedule={"cron": "0 0 1 1 *"})
        created = await admin.post(MONITORS, json=yearly)
        assert created.status_code == 201, created.text
        ids.append(created.json()["id"])
    for round_number in range(1, 4):
        await _make_all_due(app, ago=timedelta(seconds=1))
        await _race(workers)
        assert await _results(app) == dict.fromkeys(ids, round_number)


async def test_after_downtime_a_monitor_runs_once_and_resumes_its_rhythm(
    app: FastAPI, admin: httpx.AsyncClient, shop: str, workers: list[Scheduler]
) -> None:
    monitor = (await admin.post(MONITORS, json=unpaid_monitor())).json()
    await _make_all_due(app, ago=timedelta(hours=3))
    resumed = utcnow()
    await _race(workers)
    assert await _results(app) == {monitor["id"]: 1}
    after = (await admin.get(f"{MONITORS}/{monitor['id']}")).json()
    next_run = datetime.fromisoformat(after["next_run_at"])
    # The next slot of its rhythm after the catch-up run: not one of the missed ones. Only
    # the order is checked; on a busy machine that slot may already be due when we look.
    assert resumed < next_run <= utcnow() + timedelta(seconds=60)
    results = (await admin.get(f"{MONITORS}/{monitor['id']}/results")).json()["items"]
    assert results[0]["trigger"] == "schedule" and results[0]["scheduled_for"] is not None


async def test_new_monitor_runs_within_a_second_and_disable_stops_it(
    app: FastAPI, admin: httpx.AsyncClient, shop: str, workers: list[Scheduler]
) -> None:
    stop = asyncio.Event()
    loop = asyncio.create_task(workers[0].run(stop))
    try:
        monitor = (await admin.post(MONITORS, json=unpaid_monitor())).json()
        # Its interval is a minute: a result at all means it ran because it was new.
        while not await _results(app):
            await asyncio.sleep(0.05)
        assert await _results(app) == {monitor["id"]: 1}
        shown = (await admin.get(f"{MONITORS}/{monitor['id']}")).json()
        assert shown["state"] == "ALERTING"

        await admin.patch(f"{MONITORS}/{monitor['id']}", json={"enabled": False})
        await _make_all_due(app, ago=timedelta(seconds=1))  # no schedule row: nothing due
        await asyncio.sleep(0.6)
        assert await _results(app) == {monitor["id"]: 1}
    finally:
        stop.set()
        await loop


async def test_a_slow_database_does_not_hold_up_other_monitors(
    app: FastAPI, admin: httpx.AsyncClient, shop: str, workers: list[Scheduler]
) -> None:
    """A monitor stuck in pg_sleep ends in ERROR at its timeout; the others finish first."""
    created = await admin.post(
        "/api/v1/services/shop/datasources",
        json={"name": "pg", "url": "postgresql://postgres@127.0.0.1:5432/postgres"},
    )
    assert created.status_code == 201, created.text
    slow = (
        await admin.post(
            MONITORS,
            json=unpaid_monitor(
                name="slow", datasource="pg", query="SELECT pg_sleep(30)", timeout_seconds=5
            ),
        )
    ).json()
    fast = [
        (await admin.post(MONITORS, json=unpaid_monitor(name=f"fast{i}"))).json()["id"]
        for i in range(6)
    ]
    await _make_all_due(app, ago=timedelta(seconds=1))
    await asyncio.gather(*(worker.start_due() for worker in workers))
    while set(await _results(app)) < set(fast):
        await asyncio.sleep(0.02)
    # Every fast monitor has its result while the slow one is still waiting on the server.
    assert slow["id"] not in await _results(app)
    await asyncio.gather(*(worker.wait_idle() for worker in workers))
    result = (await admin.get(f"{MONITORS}/{slow['id']}/results")).json()["items"][0]
    assert (result["outcome"], result["error"]) == ("error", "timed out after 5 s")


async def test_retention_deletes_old_runs_only(
    app: FastAPI, admin: httpx.AsyncClient, shop: str
) -> None:
    monitor = (await admin.post(MONITORS, json=unpaid_monitor())).json()
    for _ in range(3):
        await admin.post(f"{MONITORS}/{monitor['id']}/run")
    database: Database = app.state.database
    async with database.sessionmaker() as session:
        oldest = await session.scalar(select(func.min(MonitorResult.id)))
        await session.execute(
            update(MonitorResult)
            .where(MonitorResult.id == oldest)
            .values(started_at=utcnow() - timedelta(days=31))
        )
        await session.commit()
        assert await purge_results(session, older_than=timedelta(days=30)) == 1
    assert await _results(app) == {monitor["id"]: 2}
