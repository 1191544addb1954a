"""2,000 SQL monitors every 10 s: start lag, runs executed vs due, CPU per run.

Two `gyrfalcon worker` processes share a PostgreSQL platform database and run
`SELECT count(*)` monitors against a small PostgreSQL table for two minutes. The
baseline is the same load on the embedded default (SQLite, one worker), measured in
the same run. Every due slot inside the measured window must run exactly once:
missed = due slots without a run, duplicated = extra runs of one slot.

Usage: python -m bench.monitor_scheduler [seconds] [monitors]
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import psycopg
from sqlalchemy import select

from gyrfalcon.app import import_models
from gyrfalcon.catalog import connections
from gyrfalcon.catalog import service as catalog
from gyrfalcon.catalog.kinds import DATASOURCES
from gyrfalcon.catalog.schemas import DatasourceConfig, ServiceCreate
from gyrfalcon.core import migrate
from gyrfalcon.core.crypto import SecretBox
from gyrfalcon.core.db import Database, utcnow
from gyrfalcon.core.plugins import discover_modules
from gyrfalcon.core.settings import Settings
from gyrfalcon.monitors import service as monitors
from gyrfalcon.monitors.models import Monitor, MonitorResult, MonitorSchedule
from gyrfalcon.monitors.schedule import next_run_after
from gyrfalcon.monitors.schemas import MonitorDefinition

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
EVERY_SECONDS = 10
WARMUP_SECONDS = 15
# Slots this close to the end may still be running when the workers stop.
TAIL_SECONDS = 3
TICKS = os.sysconf("SC_CLK_TCK")


@contextmanager
def postgres_database(prefix: str) -> Iterator[str]:
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def fill_watched(name: str) -> None:
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{name}", autocommit=True) as conn:
        conn.execute("CREATE TABLE orders (id serial PRIMARY KEY, status text)")
        conn.execute("INSERT INTO orders (status) SELECT 'paid' FROM generate_series(1, 100)")


async def seed(settings: Settings, watched: str, count: int) -> None:
    import_models(discover_modules())
    database = Database(settings.resolved_database_url)
    await migrate.upgrade(database, settings.resolved_database_url)
    box = SecretBox(settings.resolved_secret_key())
    async with database.sessionmaker() as session:
        await catalog.create_service(session, body=ServiceCreate(name="bench"))
        service = await catalog.get_service(session, name="bench")
        definition = DatasourceConfig(
            name="main", url=f"postgresql://postgres@127.0.0.1:5432/{watched}"
        )
        await connections.create_connection(
            session, DATASOURCES, box=box, service=service, definition=definition
        )
        for index in range(count):
            await monitors.create_monitor(
                session,
                box=box,
                definition=MonitorDefinition.model_validate(
                    {
                        "service": "bench",
                        "name": f"m{index:05d}",
                        "type": "sql",
                        "datasource": "main",
                        "query": "SELECT count(*) FROM orders WHERE status = 'unpaid'",
                        "schedule": {"every_seconds": EVERY_SECONDS},
                        "condition": {"operator": ">", "threshold": 0},
                    }
                ),
            )
        # New monitors are due at once; 2,000 created in a loop would start the run
        # with one burst. Real monitors arrive over time: start them on their slots.
        now = utcnow()
        for schedule in await session.scalars(select(MonitorSchedule)):
            schedule.next_run_at = next_run_after(
                {"every_seconds": EVERY_SECONDS}, monitor_id=schedule.monitor_id, after=now
            )
        await session.commit()
    await database.dispose()


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


async def analyse(settings: Settings, start: datetime, end: datetime) -> dict[str, float]:
    database = Database(settings.resolved_database_url)
    async with database.sessionmaker() as session:
        ids = list(await session.scalars(select(Monitor.id)))
        rows = (
            await session.execute(
                select(
                    MonitorResult.monitor_id, MonitorResult.scheduled_for, MonitorResult.started_at
                ).where(MonitorResult.trigger == "schedule", MonitorResult.scheduled_for >= start)
            )
        ).all()
    await database.dispose()
    due: set[tuple[int, datetime]] = set()
    schedule = {"every_seconds": EVERY_SECONDS}
    for monitor_id in ids:
        slot = next_run_after(
            schedule, monitor_id=monitor_id, after=start - timedelta(microseconds=1)
        )
        while slot < end:
            due.add((monitor_id, slot))
            slot = next_run_after(schedule, monitor_id=monitor_id, after=slot)
    runs = Counter((monitor_id, slot) for monitor_id, slot, _ in rows if slot < end)
    lags = sorted(
        (started - slot).total_seconds() for monitor_id, slot, started in rows if slot < end
    )
    return {
        "due": len(due),
        "executed": sum(runs.values()),
        "missed": len(due - set(runs)),
        "duplicated": sum(count - 1 for count in runs.values()),
        "unexpected": len(set(runs) - due),
        "lag_p50_ms": round(statistics.median(lags) * 1000, 1) if lags else -1,
        "lag_p99_ms": round(lags[int(len(lags) * 0.99) - 1] * 1000, 1) if lags else -1,
        "lag_max_ms": round(lags[-1] * 1000, 1) if lags else -1,
    }


def run_case(
    settings: Settings, env: dict[str, str], workers: int, seconds: int
) -> dict[str, float]:
    processes = [
        subprocess.Popen([sys.executable, "-m", "gyrfalcon", "worker"], env=env)
        for _ in range(workers)
    ]
    try:
        time.sleep(WARMUP_SECONDS)  # the first, simultaneous runs of new monitors pass
        start, cpu_before = utcnow(), sum(cpu_seconds(p.pid) for p in processes)
        time.sleep(seconds)
        end, cpu_after = utcnow(), sum(cpu_seconds(p.pid) for p in processes)
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(timeout=60)
    figures = asyncio.run(analyse(settings, start, end - timedelta(seconds=TAIL_SECONDS)))
    figures["workers"] = workers
    figures["cpu_ms_per_run"] = round(
        (cpu_after - cpu_before) / max(figures["executed"], 1) * 1000, 2
    )
    figures["runs_per_second"] = round(figures["executed"] / (seconds - TAIL_SECONDS), 1)
    return figures


def environment(settings: Settings) -> dict[str, str]:
    return {
        **os.environ,
        "GYRFALCON_DATA_DIR": str(settings.data_dir),
        "GYRFALCON_DATABASE_URL": settings.database_url or "",
        "GYRFALCON_SECRET_KEY": settings.resolved_secret_key(),
        "GYRFALCON_LOG_LEVEL": "WARNING",
    }


def main() -> None:
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 120
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    with (
        postgres_database("gyr_bench_watched") as watched,
        postgres_database("gyr_bench_platform") as platform,
        tempfile.TemporaryDirectory() as tmp,
    ):
        fill_watched(watched)
        server = Settings(
            data_dir=Path(tmp) / "server",
            database_url=f"postgresql+asyncpg://postgres@127.0.0.1:5432/{platform}",
            secret_key="bench-secret-key-0123456789",  # type: ignore[arg-type]
        )
        asyncio.run(seed(server, watched, count))
        two = run_case(server, environment(server), 2, seconds)

        embedded = Settings(data_dir=Path(tmp) / "embedded")
        embedded.data_dir.mkdir(parents=True)
        asyncio.run(seed(embedded, watched, count))
        env = environment(embedded)
        env.pop("GYRFALCON_DATABASE_URL")
        one = run_case(embedded, env, 1, seconds)

    ok = two["missed"] == 0 and two["duplicated"] == 0 and two["lag_p99_ms"] < 1000
    print(
        json.dumps(
            {
                "benchmark": "monitor_scheduler",
                "monitors": count,
                "every_seconds": EVERY_SECONDS,
                "measured_seconds": seconds,
                "postgres_two_workers": two,
                "embedded_one_worker": one,
                "ratio_p99_lag": round(two["lag_p99_ms"] / max(one["lag_p99_ms"], 0.1), 2),
                "target_p99_lag_ms": 1000,
                "meets_target": ok,
            }
        )
    )


if __name__ == "__main__":
    main()
